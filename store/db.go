// Package store implements the nuanxin services on database/sql for SQLite
// (modernc.org/sqlite, the embedded default) and PostgreSQL (pgx v5). All SQL
// of the application lives in this package, one file per aggregate.
//
// The SQL is the portable subset DESIGN.md names: $N placeholders, ON
// CONFLICT, RETURNING, CTEs, TEXT + CHECK, BIGINT keys; no triggers, stored
// procedures or advisory locks.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
	_ "modernc.org/sqlite" // registers "sqlite"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/secret"
)

//go:embed migrations
var migrations embed.FS

const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is the store. It implements nuanxin.OrgService, MemberService,
// UserService, AuditService and BulkMemberWriter.
type DB struct {
	dialect  string
	write    *sql.DB // SQLite: one connection, the single writer
	read     *sql.DB // SQLite: a pool of read-only connections (WAL readers)
	box      *secret.Box
	dsn      string
	sessions sessionCache
	stmts    sync.Map // SQL → *sql.Stmt, see queryCached
	nstmts   atomic.Int64
	// writes counts committed write transactions: caches of read results
	// (stats.go) are good until it moves.
	writes  atomic.Uint64
	members memberCache
	// background counts work that outlives a call (checkpointLater);
	// Close waits for it.
	background sync.WaitGroup

	// Now is the clock; tests replace it.
	Now func() time.Time
}

// IsPostgres reports whether dsn names a PostgreSQL server rather than a
// SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to dsn: a postgres:// URL or a SQLite file path (created
// with its directory if missing). box encrypts 身份证号.
func Open(ctx context.Context, dsn string, box *secret.Box) (*DB, error) {
	if box == nil {
		return nil, errors.New("store: a secret.Box is required")
	}
	db := &DB{box: box, dsn: dsn, Now: time.Now}
	if IsPostgres(dsn) {
		pool, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, err
		}
		pool.SetMaxOpenConns(max(8, 4*runtime.NumCPU()))
		pool.SetMaxIdleConns(max(8, 4*runtime.NumCPU()))
		pool.SetConnMaxIdleTime(5 * time.Minute)
		if err := pool.PingContext(ctx); err != nil {
			pool.Close()
			return nil, fmt.Errorf("连接 PostgreSQL 失败: %w", err)
		}
		db.dialect, db.write, db.read = Postgres, pool, pool
		return db, nil
	}
	if dir := filepath.Dir(dsn); dir != "." && dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
	}
	if err := createSQLite(ctx, dsn); err != nil {
		return nil, fmt.Errorf("新建数据库文件 %s 失败: %w", dsn, err)
	}
	// _txlock=immediate takes the write lock at BEGIN, so a read-then-write
	// transaction never fails half-way with SQLITE_BUSY.
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-65536)&_pragma=temp_store(MEMORY)"
	w, err := sql.Open("sqlite", "file:"+dsn+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1) // one writer
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("打开数据库文件 %s 失败: %w", dsn, err)
	}
	r, err := sql.Open("sqlite", "file:"+dsn+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, err
	}
	n := max(4, 2*runtime.NumCPU())
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxLifetime(0)
	db.dialect, db.write, db.read = SQLite, w, r
	return db, nil
}

// newPageSize is the page size of a new SQLite database, in bytes: four
// times SQLite's default, so the scans of a bulk import's index builds
// and of the statistics read, and its WAL writes, a quarter of the pages
// and system calls, at the cost of a few percent on small transactions.
const newPageSize = 16384

// createSQLite creates the database file at path, if there is none yet,
// with newPageSize pages. An existing database keeps its page size (WAL
// mode cannot change it). This is a connection of its own: in the pools'
// DSN, page_size would come after journal_mode and cache_size (the driver
// applies the _pragma list in alphabetical order): too late for the
// first, and the cache would keep its count of 4 KiB pages, four times
// the bytes meant. The driver applies _journal_mode after the _pragma
// list: switching to WAL writes the header, with the page size set
// (TestNewDatabasePageSize).
func createSQLite(ctx context.Context, path string) error {
	if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
		return nil
	}
	c, err := sql.Open("sqlite", fmt.Sprintf("file:%s?_pragma=page_size(%d)&_journal_mode=WAL", path, newPageSize))
	if err != nil {
		return err
	}
	defer c.Close()
	return c.PingContext(ctx)
}

// checkpointLater copies the write-ahead log into the database file on a
// connection of its own, after a bulk import committed with automatic
// checkpoints off (bulkSettings). Copying a million-member import (700 MB)
// takes 1.5-2.5 s; done by the committing writer, as SQLite's automatic
// checkpoint does, it held the import's caller and every other write that
// long. A PASSIVE checkpoint runs beside readers and writers. Close waits
// for it, so a command that exits still leaves the file whole.
func (db *DB) checkpointLater() {
	if db.dialect != SQLite {
		return
	}
	db.background.Add(1)
	go func() {
		defer db.background.Done()
		c, err := sql.Open("sqlite", "file:"+db.dsn+"?_pragma=busy_timeout(10000)")
		if err != nil {
			return
		}
		defer c.Close()
		// An error leaves the log to the next automatic checkpoint.
		c.Exec(`PRAGMA wal_checkpoint(PASSIVE)`)
	}()
}

// Dialect is SQLite or Postgres.
func (db *DB) Dialect() string { return db.dialect }

// Close closes both pools.
func (db *DB) Close() error {
	db.background.Wait()
	db.stmts.Range(func(_, st any) bool { st.(*sql.Stmt).Close(); return true })
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Migrate applies the embedded migrations of the dialect.
func (db *DB) Migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrations, "migrations/"+db.dialect)
	if err != nil {
		return err
	}
	dialect := database.DialectSQLite3
	if db.dialect == Postgres {
		dialect = database.DialectPostgres
	}
	p, err := goose.NewProvider(dialect, db.write, sub)
	if err != nil {
		return err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("数据库迁移失败: %w", err)
	}
	for _, r := range res {
		// The running totals of paid care start from the cases already
		// paid (migration 00004 creates them empty).
		if r.Source != nil && r.Source.Version == 4 {
			if err := db.RebuildTallies(ctx); err != nil {
				return fmt.Errorf("数据库迁移失败（统计汇总）: %w", err)
			}
		}
	}
	return nil
}

// Analyze refreshes planner statistics after a bulk load, so SQLite picks
// the pinyin index for a subtree's first page.
func (db *DB) Analyze(ctx context.Context) error { return analyze(ctx, db.dialect, db.write) }

// analyze is Analyze inside tx.
func (tx *Tx) analyze(ctx context.Context) error { return analyze(ctx, tx.db.dialect, tx) }

func analyze(ctx context.Context, dialect string, q interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}) error {
	if dialect == SQLite {
		// Sampling a thousand rows per index gives the planner what it needs
		// in a fraction of a full ANALYZE of a million-member table.
		if _, err := q.ExecContext(ctx, "PRAGMA analysis_limit = 1000"); err != nil {
			return err
		}
	}
	_, err := q.ExecContext(ctx, "ANALYZE")
	return err
}

// Tx is a write transaction with the caller attached, so the audit entry of
// a change is written in the same transaction as the change.
type Tx struct {
	*sql.Tx
	db    *DB
	scope *nuanxin.Scope
	now   time.Time
	// authChanged marks a change to users, grants or sessions: the session
	// cache is cleared when the transaction commits.
	authChanged bool
	stmts       map[string]*sql.Stmt // see stmt; closed with the transaction
	// The audit chain's head while this transaction holds it (appendAudit).
	auditHeld bool
	auditSeq  int64
	auditHash string
	// policies caches the policy in force per org path for the
	// transaction: a batch of cases in one subtree reads it once.
	policies map[string]*nuanxin.Policy
}

// withTx runs fn in a write transaction, committing when fn returns nil.
func (db *DB) withTx(ctx context.Context, s *nuanxin.Scope, fn func(tx *Tx) error) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	tx := &Tx{Tx: sqlTx, db: db, scope: s, now: db.Now()}
	if err := fn(tx); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := tx.flushAudit(ctx); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return err
	}
	db.writes.Add(1)
	if tx.authChanged {
		db.sessions.clear()
	}
	return nil
}

// maxWriteStmtLen keeps the generated multi-row inserts of bulk loads out
// of the statement cache: each is used once.
const maxWriteStmtLen = 2000

// stmt returns q prepared for this transaction, or nil when it should run
// unprepared. Parsing is most of the cost of a short statement in
// modernc's SQLite (over half of a care workflow's CPU), and a batch runs
// the same few statements for every case. The cache lives as long as the
// transaction: the writer's one connection is held by it, so a statement
// cannot be prepared on the pool meanwhile. PostgreSQL needs none of
// this: pgx caches prepared statements per connection itself.
func (tx *Tx) stmt(ctx context.Context, q string) *sql.Stmt {
	if tx.db.dialect != SQLite || len(q) > maxWriteStmtLen {
		return nil
	}
	if st, ok := tx.stmts[q]; ok {
		return st
	}
	if len(tx.stmts) >= maxCachedStmts {
		return nil
	}
	st, err := tx.Tx.PrepareContext(ctx, q)
	if err != nil {
		return nil // the unprepared call reports the error
	}
	if tx.stmts == nil {
		tx.stmts = map[string]*sql.Stmt{}
	}
	tx.stmts[q] = st
	return st
}

// ExecContext, QueryContext and QueryRowContext run through the writer's
// statement cache (see stmt).
func (tx *Tx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if st := tx.stmt(ctx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return tx.Tx.ExecContext(ctx, q, args...)
}

func (tx *Tx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := tx.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return tx.Tx.QueryContext(ctx, q, args...)
}

func (tx *Tx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st := tx.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.Tx.QueryRowContext(ctx, q, args...)
}

// ms is the stored form of a timestamp.
func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).In(nuanxin.Shanghai)
}

// nullStr stores "" as NULL, for columns with a unique index where empty
// means "not given".
func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// prefixEnd is the upper bound of a prefix range: every string that starts
// with p sorts at or below it, byte-wise (PostgreSQL columns that are
// searched this way are COLLATE "C").
func prefixEnd(p string) string { return p + "\U0010FFFF" }

// scopeCond returns "(col >= $a AND col <= $b OR …)" for the paths on which
// the scope holds perm, appending the arguments. No path gives "FALSE".
func scopeCond(col string, paths []string, args *[]any) string {
	if len(paths) == 0 {
		return "FALSE"
	}
	var b strings.Builder
	b.WriteByte('(')
	for i, p := range paths {
		if i > 0 {
			b.WriteString(" OR ")
		}
		if p == "/" {
			b.WriteString("TRUE")
			continue
		}
		*args = append(*args, p, prefixEnd(p))
		fmt.Fprintf(&b, "(%s >= $%d AND %s <= $%d)", col, len(*args)-1, col, len(*args))
	}
	b.WriteByte(')')
	return b.String()
}

// isUnique reports whether err is a unique-constraint violation on either
// database, optionally on a constraint or column containing name.
func isUnique(err error, name string) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	ok := strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
	return ok && (name == "" || strings.Contains(msg, name))
}

// maxCachedStmts bounds the prepared-statement cache; queries beyond it
// are prepared per call as before.
const maxCachedStmts = 256

// prepared returns a statement kept for the life of the store, or nil when
// the cache is full. The hot reads (a search as the officer types, the
// scope checks under it) would otherwise parse and plan their SQL on every
// call; on SQLite that was a fifth of a search's CPU.
func (db *DB) prepared(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := db.stmts.Load(q); ok {
		return st.(*sql.Stmt), nil
	}
	if db.nstmts.Load() >= maxCachedStmts {
		return nil, nil
	}
	st, err := db.read.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if prev, loaded := db.stmts.LoadOrStore(q, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	db.nstmts.Add(1)
	return st, nil
}

func (db *DB) queryCached(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := db.prepared(ctx, q)
	if err != nil || st == nil {
		return db.read.QueryContext(ctx, q, args...)
	}
	return st.QueryContext(ctx, args...)
}

// cachedReader is the read pool seen through the statement cache, for the
// helpers that take a querier.
type cachedReader struct{ db *DB }

func (c cachedReader) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st, err := c.db.prepared(ctx, q); err == nil && st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return c.db.read.QueryRowContext(ctx, q, args...)
}

func (c cachedReader) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return c.db.queryCached(ctx, q, args...)
}

func (c cachedReader) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return c.db.read.ExecContext(ctx, q, args...)
}
