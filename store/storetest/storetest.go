// Package storetest opens fresh, migrated stores for tests: SQLite always,
// PostgreSQL when NUANXIN_TEST_POSTGRES holds a DSN (each test gets its own
// schema, dropped afterwards).
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/nuanxin/nuanxin/secret"
	"github.com/nuanxin/nuanxin/store"
)

// Box returns a secret.Box with a random key.
func Box(t testing.TB) *secret.Box {
	key := make([]byte, 32)
	rand.Read(key)
	b, err := secret.New(key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Open returns a migrated SQLite store in a temporary directory.
func Open(t testing.TB) *store.DB {
	t.Helper()
	return open(t, filepath.Join(t.TempDir(), "nuanxin.db"))
}

func open(t testing.TB, dsn string) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, Box(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// PostgresDSN is the server the tests use, or "".
func PostgresDSN() string { return os.Getenv("NUANXIN_TEST_POSTGRES") }

// OpenPostgres returns a migrated store in a fresh schema of the test
// server. Without NUANXIN_TEST_POSTGRES the test is skipped, except under
// CI=true, where a missing server is a failure.
func OpenPostgres(t testing.TB) *store.DB {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	db := openSchema(t, schema)
	t.Cleanup(func() {
		a, err := sql.Open("pgx", PostgresDSN())
		if err == nil {
			a.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
			a.Close()
		}
	})
	return db
}

// OpenPostgresKept is OpenPostgres on a schema that outlives the test
// (bench_kept, emptied when opened again): benchmarks seed minutes of data
// once and use it over several runs of the benchmark function.
func OpenPostgresKept(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), schemaDSN(t, "bench_kept"), Box(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

func openSchema(t testing.TB, schema string) *store.DB {
	t.Helper()
	return open(t, schemaDSN(t, schema))
}

// schemaDSN creates schema afresh and returns the DSN that uses it.
func schemaDSN(t testing.TB, schema string) string {
	t.Helper()
	dsn := PostgresDSN()
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but NUANXIN_TEST_POSTGRES is not set: PostgreSQL tests must run in CI")
		}
		t.Skip("NUANXIN_TEST_POSTGRES not set: skipping PostgreSQL")
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`DROP SCHEMA IF EXISTS ` + schema + ` CASCADE; CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("PostgreSQL at NUANXIN_TEST_POSTGRES unreachable or unusable: %v", err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Each runs fn against SQLite and, when configured, PostgreSQL.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, Open(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, OpenPostgres(t)) })
}
