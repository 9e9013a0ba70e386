package store

import (
	"context"
	"database/sql"
)

// ExecForTest lets tests tamper with rows the API never changes.
func (db *DB) ExecForTest(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return db.write.ExecContext(ctx, q, args...)
}
