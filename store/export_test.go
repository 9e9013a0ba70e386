package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"sort"

	"github.com/nuanxin/nuanxin"
)

// ExecForTest lets tests tamper with rows the API never changes.
func (db *DB) ExecForTest(ctx context.Context, q string, args ...any) (sql.Result, error) {
	defer db.writes.Add(1)
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

// WriterPragmaForTest reads a setting of the writer connection.
func (db *DB) WriterPragmaForTest(ctx context.Context, name string) (string, error) {
	var v string
	err := db.write.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v)
	return v, err
}

// RawDateForTest is the bulk path's date value.
func RawDateForTest(d nuanxin.Date) any { return rawDate(d) }

// SealHashedForTest seals id as the bulk path does, with its hash known,
// and returns the fields seal gives and the opened number.
func (db *DB) SealHashedForTest(id string) (hash, masked, tail, opened string, err error) {
	s := db.sealHashed(id, db.hash(id))
	want := db.seal(id)
	if s.hash != want.hash || s.masked != want.masked || s.tail != want.tail {
		return "", "", "", "", fmt.Errorf("sealHashed %+v, seal %+v", s, want)
	}
	opened, err = db.box.Open(s.enc)
	return s.hash, s.masked, s.tail, opened, err
}

// TalliesForTest dumps the running totals of tally.go, one sorted line per
// row of each table, to compare incremental totals with a rebuild.
func (db *DB) TalliesForTest(ctx context.Context) ([]string, error) {
	var out []string
	for _, q := range []string{
		`SELECT 'tally', month, org_id, category, form, campaign_id, cases, amount FROM care_tallies WHERE cases <> 0`,
		`SELECT 'reach', member_id, year, category, ` + db.monthExpr("event_date") + `, case_id, org_id, 0 FROM care_reach`,
		`SELECT 'persons', month, org_id, category, '', 0, persons, 0 FROM care_reach_tallies WHERE persons <> 0`,
	} {
		rows, err := db.read.QueryContext(ctx, q)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			v := make([]any, 8)
			p := make([]any, 8)
			for i := range v {
				p[i] = &v[i]
			}
			if err := rows.Scan(p...); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, fmt.Sprint(v...))
		}
		rows.Close()
	}
	sort.Strings(out)
	return out, nil
}

// MemberKeysForTest lists every search key as "key|member name", sorted.
func (db *DB) MemberKeysForTest(ctx context.Context) ([]string, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT k.key || '|' || m.name FROM member_keys k JOIN members m ON m.id = k.member_id ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// FileSizesForTest waits for background work, then returns the database
// file's size and the size its pages take (page_count × page_size).
func (db *DB) FileSizesForTest(ctx context.Context) (file, pages int64, err error) {
	db.background.Wait()
	fi, err := os.Stat(db.dsn)
	if err != nil {
		return 0, 0, err
	}
	var n, size int64
	if err := db.write.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&n); err != nil {
		return 0, 0, err
	}
	if err := db.write.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&size); err != nil {
		return 0, 0, err
	}
	return fi.Size(), n * size, nil
}
