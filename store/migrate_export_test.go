package store

import (
	"context"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
)

// MigrateToForTest applies the SQLite migrations up to version only, so a
// test can fill a database of an older schema and migrate it.
func (db *DB) MigrateToForTest(ctx context.Context, version int64) error {
	sub, err := fs.Sub(migrations, "migrations/"+db.dialect)
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(database.DialectSQLite3, db.write, sub)
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, version)
	return err
}

// QueryIntForTest reads one integer through the writer connection.
func (db *DB) QueryIntForTest(ctx context.Context, q string, args ...any) (int, error) {
	var n int
	err := db.write.QueryRowContext(ctx, q, args...).Scan(&n)
	return n, err
}
