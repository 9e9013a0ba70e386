package store

import (
	"context"
	"database/sql"
)

// ExecForTest lets tests tamper with rows the API never changes.
func (db *DB) ExecForTest(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return db.write.ExecContext(ctx, q, args...)
}

// IndexesForTest lists the secondary indexes of the member tables.
func (db *DB) IndexesForTest(ctx context.Context) (int, error) {
	q := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('members','member_keys','relatives','member_events')`
	if db.dialect == Postgres {
		q = `SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ('members','member_keys','relatives','member_events') AND indexname NOT LIKE '%_pkey'`
	}
	var n int
	err := db.read.QueryRowContext(ctx, q).Scan(&n)
	return n, err
}

// SetBulkImportRows changes the size from which an import rebuilds indexes.
func SetBulkImportRows(n int) (restore func()) {
	old := bulkImportRows
	bulkImportRows = n
	return func() { bulkImportRows = old }
}
