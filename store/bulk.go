package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/pinyin"
)

// bulkMember is a record with everything derived that costs CPU (AES-GCM,
// HMAC, pinyin), computed before the write transaction opens so the single
// SQLite writer is held only for the inserts.
type bulkMember struct {
	rec  nuanxin.MemberRecord
	sec  secretFields
	py   string
	keys []string
	rel  []secretFields
	// vals are the member's bulkMemberCols for insertBulkSQLite, made
	// ready with the rest when the org is known (prepareBulkOn), in a
	// statement's buffer of arguments (see memberArgs).
	vals rawArgs
}

// BulkCreateMembers inserts new members with their relatives and a 入会
// event, all or nothing, with one audit entry for the batch. It is the path
// of the demo generator (roster imports write with insertBulkSQLite and
// insertBulkPostgres).
func (db *DB) BulkCreateMembers(ctx context.Context, s *nuanxin.Scope, recs []nuanxin.MemberRecord) error {
	if len(recs) == 0 {
		return nil
	}
	prep := db.prepareBulk(recs)
	return db.withTx(ctx, s, func(tx *Tx) error {
		orgs := map[int64]*nuanxin.Org{}
		for _, b := range prep {
			m := b.rec.Member
			if m.IDNumber == "" {
				return nuanxin.Invalid("id_number", "member.id.required")
			}
			if _, ok := orgs[m.OrgID]; !ok {
				o, err := orgInScope(ctx, tx, s, nuanxin.PermMemberWrite, m.OrgID)
				if err != nil {
					return err
				}
				if o.Closed {
					return nuanxin.Invalid("org_id", "member.org.closed")
				}
				orgs[m.OrgID] = o
			}
		}
		ids, err := tx.insertBulk(ctx, prep, orgs)
		if err != nil {
			return err
		}
		for _, r := range recs {
			r.Member.IDNumber = ""
		}
		return tx.audit(ctx, "member.bulk_create", "member", 0, commonPath(orgs), nil,
			map[string]any{"count": len(recs), "first_id": ids[0], "last_id": ids[len(ids)-1]})
	})
}

// prepareBulk computes the derived fields of records on every core.
func (db *DB) prepareBulk(recs []nuanxin.MemberRecord) []bulkMember {
	return db.prepareBulkOn(recs, runtime.NumCPU(), nil, nil, nil)
}

// prepareBulkOn is prepareBulk on that many goroutines. hashes, if not
// nil, are the records' 身份证号 hashes computed already. With orgs (those
// of the records) it also makes the values insertBulkSQLite writes, so the
// writer only hands them on.
func (db *DB) prepareBulkOn(recs []nuanxin.MemberRecord, workers int, names *nameKeys, hashes []string, orgs map[int64]*nuanxin.Org) []bulkMember {
	prep := make([]bulkMember, len(recs))
	if orgs != nil {
		// Each member's values go straight to their place among the
		// arguments of its multi-row INSERT (memberInserts).
		n := len(bulkMemberCols)
		for start := 0; start < len(recs); start += bulkRowsPerStmt {
			rows := min(bulkRowsPerStmt, len(recs)-start)
			buf := make(rawArgs, rows*n)
			for i := range rows {
				prep[start+i].vals = buf[i*n : (i+1)*n : rows*n]
			}
		}
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(recs); i += workers {
				r := recs[i]
				b := &prep[i]
				b.rec = r
				if hashes != nil && hashes[i] != "" {
					b.sec = db.sealHashed(r.Member.IDNumber, hashes[i])
				} else {
					b.sec = db.seal(r.Member.IDNumber)
				}
				b.py, b.keys = names.keys(r.Member.Name)
				for _, rel := range r.Relatives {
					b.rel = append(b.rel, db.seal(rel.IDNumber))
				}
				if o := orgs[r.Member.OrgID]; o != nil {
					b.values(o)
				}
			}
		}(w)
	}
	wg.Wait()
	return prep
}

// nameKeys remembers the pinyin sort key and search keys of the names an
// import has seen: names repeat (张伟, 王芳 …), and working out the
// readings of a name is a fifth of preparing a row. A nil *nameKeys
// remembers nothing.
type nameKeys struct {
	mu sync.Mutex
	m  map[string]nameKey
}

type nameKey struct {
	py   string
	keys []string // shared by every member of the name: read only
}

// maxNameKeys bounds what a nameKeys holds (some 10 MB).
const maxNameKeys = 1 << 16

func (n *nameKeys) keys(name string) (string, []string) {
	if n != nil {
		n.mu.Lock()
		k, ok := n.m[name]
		n.mu.Unlock()
		if ok {
			return k.py, k.keys
		}
	}
	k := nameKey{pinyin.Sort(name), searchKeys(name)}
	if n != nil {
		n.mu.Lock()
		if n.m == nil {
			n.m = map[string]nameKey{}
		}
		if len(n.m) < maxNameKeys {
			n.m[name] = k
		}
		n.mu.Unlock()
	}
	return k.py, k.keys
}

// sealHashed is seal for a 身份证号 whose hash is known: the HMAC is a
// third of sealing.
func (db *DB) sealHashed(id, hash string) secretFields {
	return secretFields{enc: db.box.Seal(id), hash: hash, masked: nuanxin.MaskIDNumber(id), tail: id[max(0, len(id)-4):]}
}

// insertBulk writes prepared records whose orgs (checked by the caller) are
// in orgs, and returns their new ids. Members get their ids and org
// fields filled in.
func (tx *Tx) insertBulk(ctx context.Context, prep []bulkMember, orgs map[int64]*nuanxin.Org) ([]int64, error) {
	ids, err := tx.reserveIDs(ctx, "members", len(prep))
	if err != nil {
		return nil, err
	}
	now := ms(tx.now)
	today := tx.db.today()
	by := ""
	if tx.scope != nil {
		by = tx.scope.Username
	}
	// On SQLite the ids are consecutive (reserveIDs), so the rows that only
	// repeat member columns (the 入会 event, the name search key) are
	// copied by INSERT … SELECT inside the engine instead of being bound
	// value by value from Go, which is most of a bulk insert's cost there.
	derive := tx.db.dialect == SQLite
	var members, keys, rels, joins, events [][]any
	for i := range prep {
		b := &prep[i]
		m := b.rec.Member
		m.ID = ids[i]
		o := orgs[m.OrgID]
		m.OrgPath, m.OrgName, m.Pinyin, m.IDMasked, m.Version = o.Path, o.Name, b.py, b.sec.masked, 1
		m.CreatedAt, m.UpdatedAt = tx.now, tx.now
		if m.Status == "" {
			m.Status = nuanxin.StatusMember
		}
		members = append(members, []any{m.ID, m.OrgID, m.OrgPath, m.Name, m.Pinyin, b.sec.enc, b.sec.hash, b.sec.masked, b.sec.tail,
			nullStr(string(m.Sex)), m.BirthDate, birthMD(m.BirthDate), nullStr(m.Phone), m.Ethnicity, m.Political, m.Education,
			m.Category, m.Department, m.Post, nullStr(m.EmployeeNo), m.HireDate, m.JoinDate, m.Status,
			nullStr(m.CardNo), m.Notes, 1, now, now})
		for j, k := range b.keys {
			if j == 0 && derive {
				continue // the name itself: copied from members below
			}
			keys = append(keys, []any{k, m.OrgPath, m.ID})
		}
		for j, r := range b.rec.Relatives {
			r.MemberID = m.ID
			rs := b.rel[j]
			rels = append(rels, []any{m.ID, r.Relation, r.Name, rs.enc, nullStr(rs.hash), rs.masked, nullStr(string(r.Sex)),
				r.BirthDate, r.School, nullStr(r.Phone), r.Notes, now, now})
		}
		if !derive {
			joined := m.JoinDate
			if joined.IsZero() {
				joined = today
			}
			joins = append(joins, []any{m.ID, nuanxin.EventJoin, joined, nil, m.OrgID, "", by, now})
		}
		for _, e := range b.rec.Events {
			e.MemberID = m.ID
			from := any(nil)
			if e.Kind == nuanxin.EventTransferOut {
				from = m.OrgID
			}
			events = append(events, []any{m.ID, e.Kind, e.Date, from, nullID(e.ToOrgID), e.Notes, by, now})
		}
	}
	if err := tx.insertRows(ctx, "members", memberInsertCols, members); err != nil {
		if isUnique(err, "id_hash") {
			return nil, nuanxin.Errorf(nuanxin.ECONFLICT, "member.id.elsewhere")
		}
		if isUnique(err, "card_no") {
			return nil, nuanxin.Invalid("card_no", "member.card.duplicate", "")
		}
		return nil, err
	}
	if derive {
		lo, hi := ids[0], ids[len(ids)-1]
		if _, err := tx.ExecContext(ctx, `INSERT INTO member_events (member_id, kind, date, from_org_id, to_org_id, notes, username, created_at)
			SELECT id, 'join', COALESCE(join_date, $1), NULL, org_id, '', $2, $3 FROM members WHERE id BETWEEN $4 AND $5 ORDER BY id`,
			today, by, now, lo, hi); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO member_keys (key, org_path, member_id)
			SELECT name, org_path, id FROM members WHERE id BETWEEN $1 AND $2`, lo, hi); err != nil {
			return nil, err
		}
	}
	if err := tx.insertRows(ctx, "member_keys", []string{"key", "org_path", "member_id"}, keys); err != nil {
		return nil, err
	}
	if err := tx.insertRows(ctx, "relatives", []string{"member_id", "relation", "name", "id_enc", "id_hash", "id_masked", "sex",
		"birth_date", "school", "phone", "notes", "created_at", "updated_at"}, rels); err != nil {
		return nil, err
	}
	evCols := []string{"member_id", "kind", "date", "from_org_id", "to_org_id", "notes", "username", "created_at"}
	if err := tx.insertRows(ctx, "member_events", evCols, joins); err != nil {
		return nil, err
	}
	if err := tx.insertRows(ctx, "member_events", evCols, events); err != nil {
		return nil, err
	}
	return ids, nil
}

var memberInsertCols = []string{"id", "org_id", "org_path", "name", "pinyin", "id_enc", "id_hash", "id_masked", "id_tail",
	"sex", "birth_date", "birth_md", "phone", "ethnicity", "political", "education", "category", "department", "post", "employee_no",
	"hire_date", "join_date", "status", "card_no", "notes", "version", "created_at", "updated_at"}

// commonPath is the deepest path every org of a batch lies under.
func commonPath(orgs map[int64]*nuanxin.Org) string {
	var p string
	first := true
	for _, o := range orgs {
		if first {
			p, first = o.Path, false
			continue
		}
		for !strings.HasPrefix(o.Path, p) {
			p = nuanxin.ParentPath(p)
		}
	}
	return p
}

// reserveIDs hands out n consecutive-or-not ids for table. On SQLite the
// transaction holds the only write lock, so max(id)+1… is safe; on
// PostgreSQL the identity sequence is asked for n values.
func (tx *Tx) reserveIDs(ctx context.Context, table string, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if tx.db.dialect == Postgres {
		rows, err := tx.QueryContext(ctx, `SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)`, table, n)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
		return ids, rows.Err()
	}
	var top int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+table).Scan(&top); err != nil {
		return nil, err
	}
	for i := 1; i <= n; i++ {
		ids = append(ids, top+int64(i))
	}
	return ids, nil
}

// insertRows writes rows with multi-row INSERT statements, the cheapest
// portable bulk path on both databases (far fewer round trips and
// statement executions than one INSERT per row).
func (tx *Tx) insertRows(ctx context.Context, table string, cols []string, rows [][]any) error {
	return tx.upsertRows(ctx, table, cols, rows, "")
}

// upsertRows is insertRows with a suffix after the VALUES, such as an
// ON CONFLICT clause (both databases read the same one).
func (tx *Tx) upsertRows(ctx context.Context, table string, cols []string, rows [][]any, suffix string) error {
	if len(rows) == 0 {
		return nil
	}
	per := max(1, 30000/len(cols)) // under SQLite's 32766 parameters
	per = min(per, 500)
	var full *sql.Stmt
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		args := make([]any, 0, len(chunk)*len(cols))
		for _, r := range chunk {
			args = append(args, r...)
		}
		if len(chunk) == per {
			if full == nil {
				stmt, err := tx.PrepareContext(ctx, insertSQL(tx.db.dialect, table, cols, per)+suffix)
				if err != nil {
					return err
				}
				full = stmt
				defer stmt.Close()
			}
			if _, err := full.ExecContext(ctx, args...); err != nil {
				return fmt.Errorf("insert %s: %w", table, err)
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, insertSQL(tx.db.dialect, table, cols, len(chunk))+suffix, args...); err != nil {
			return fmt.Errorf("insert %s: %w", table, err)
		}
	}
	return nil
}

// insertSQL builds a multi-row INSERT. SQLite gets anonymous "?"
// parameters: modernc's driver looks up every parameter's name on bind,
// which with thousands of "$N" names costs O(n²) (it was 80 % of a bulk
// load); PostgreSQL needs "$N".
func insertSQL(dialect, table string, cols []string, n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	p := 1
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for j := range cols {
			if j > 0 {
				b.WriteByte(',')
			}
			if dialect == SQLite {
				b.WriteByte('?')
			} else {
				b.WriteByte('$')
				b.WriteString(strconv.Itoa(p))
				p++
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}

// bulkTables are the tables whose secondary indexes BulkLoad suspends.
var bulkTables = []string{"members", "member_keys", "relatives", "member_events"}

// BulkLoad runs fn with the secondary indexes of the member tables dropped
// and rebuilds them afterwards: building an index once from sorted data is
// several times faster than updating it row by row through a million
// inserts. Unique indexes stay, so 身份证号 stay unique throughout. Use it
// only when nothing else writes (the demo generator, a first import);
// readers during the load see slow queries, never wrong ones.
func (db *DB) BulkLoad(ctx context.Context, fn func() error) error {
	idx, err := db.secondaryIndexes(ctx, db.write, false)
	if err != nil {
		return err
	}
	for _, i := range idx {
		if _, err := db.write.ExecContext(ctx, `DROP INDEX `+i.name); err != nil {
			return err
		}
	}
	if db.dialect == SQLite {
		// For the load only: no fsync (a killed process still loses nothing
		// committed; only an OS crash could), and checkpoints every 256 MB
		// of WAL instead of every 4 MB, so hot pages are copied once.
		if _, err := db.write.ExecContext(ctx, `PRAGMA synchronous = OFF`); err != nil {
			return err
		}
		db.write.ExecContext(ctx, `PRAGMA wal_autocheckpoint = 65536`)
		defer func() {
			db.write.ExecContext(context.WithoutCancel(ctx), `PRAGMA synchronous = NORMAL`)
			db.write.ExecContext(context.WithoutCancel(ctx), `PRAGMA wal_autocheckpoint = 1000`)
			db.write.ExecContext(context.WithoutCancel(ctx), `PRAGMA wal_checkpoint(TRUNCATE)`)
		}()
	}
	fnErr := fn()
	if db.dialect == SQLite {
		// Let CREATE INDEX sort on every core (SQLite's multi-threaded sorter).
		if _, err := db.write.ExecContext(ctx, fmt.Sprintf("PRAGMA threads = %d", runtime.NumCPU())); err != nil {
			return err
		}
	}
	// Rebuild even when fn failed: the schema must come back whole.
	for _, i := range idx {
		if _, err := db.write.ExecContext(context.WithoutCancel(ctx), i.sql); err != nil {
			return fmt.Errorf("重建索引 %s 失败: %w", i.name, err)
		}
	}
	if fnErr != nil {
		return fnErr
	}
	return db.Analyze(ctx)
}

type index struct{ name, sql string }

// secondaryIndexes lists the non-unique indexes of the member tables with
// the statements that recreate them. Unique indexes stay, so a 身份证号
// stays unique while the others are rebuilt; with unique (SQLite only) the
// named unique indexes are listed too (automatic ones cannot be dropped).
func (db *DB) secondaryIndexes(ctx context.Context, q querier, unique bool) ([]index, error) {
	var query string
	if db.dialect == SQLite {
		query = `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
			AND (sql NOT LIKE 'CREATE UNIQUE%' OR $1) AND tbl_name IN ('members','member_keys','relatives','member_events')
			ORDER BY sql NOT LIKE 'CREATE UNIQUE%'`
	} else {
		query = `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()
			AND tablename IN ('members','member_keys','relatives','member_events')
			AND indexdef NOT LIKE 'CREATE UNIQUE%'`
	}
	var args []any
	if db.dialect == SQLite {
		args = append(args, unique)
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var idx []index
	for rows.Next() {
		var i index
		if err := rows.Scan(&i.name, &i.sql); err != nil {
			return nil, err
		}
		idx = append(idx, i)
	}
	return idx, rows.Err()
}

// rebuildIndexesAround runs fn inside tx with the member tables' secondary
// indexes dropped, and creates them again before the transaction commits:
// a rollback (or a killed process) brings the old ones back untouched. It
// is for SQLite only, where readers keep their snapshot and the one writer
// is this transaction anyway; on PostgreSQL DROP INDEX would lock every
// reader out of the table until the commit.
//
// With empty (the member tables hold no row) the unique indexes are
// dropped too: nothing stored can collide, the importer has checked the
// file's own rows against each other, and building a unique index once
// from sorted rows is several times cheaper than a random insert into it
// for every row. Building it still fails on a duplicate, and the import
// with it. A partial index (会员证号, 工号, phone) is dropped only once fn
// asks (suspended.dropFor): it holds only the rows that have the column,
// so while they have none it costs nothing to keep, and a scan of the
// table to build again. Indexes that lead with member_id stay
// (appendOnly).
func (tx *Tx) rebuildIndexesAround(ctx context.Context, empty bool, fn func(*suspended) error) error {
	idx, err := tx.db.secondaryIndexes(ctx, tx, empty)
	if err != nil {
		return err
	}
	s := &suspended{tx: tx}
	for _, i := range idx {
		if appendOnly(i) {
			continue
		}
		if memberColumn(partialColumn(i.sql)) != nil {
			s.partial = append(s.partial, i)
			continue
		}
		if _, err := tx.ExecContext(ctx, `DROP INDEX `+i.name); err != nil {
			return err
		}
		s.dropped = append(s.dropped, i)
	}
	if err := fn(s); err != nil {
		return err
	}
	// What the import read (a million-row file's strings, its batches) is
	// garbage now: hand it back before the sorts take their memory.
	debug.FreeOSMemory()
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA threads = %d", sortThreads())); err != nil {
		return err
	}
	var cache int
	if err := tx.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&cache); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = %d", -indexBuildCache)); err != nil {
		return err
	}
	defer tx.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf("PRAGMA cache_size = %d", cache))
	for _, i := range s.dropped {
		if _, err := tx.ExecContext(ctx, i.sql); err != nil {
			switch {
			case isUnique(err, "id_hash"):
				return nuanxin.Errorf(nuanxin.ECONFLICT, "member.id.elsewhere")
			case isUnique(err, "card_no"):
				return nuanxin.Invalid("card_no", "member.card.duplicate", "")
			}
			return fmt.Errorf("重建索引 %s 失败: %w", i.name, err)
		}
	}
	return nil
}

// appendOnly reports whether i leads with member_id. Such an index stays
// through a bulk import: the import's rows belong to new members, whose
// ids are above every stored one, so each entry is an append at the
// index's right edge. At 1M rows keeping the three (member_keys,
// relatives, member_events) cost 1.0 s of inserting and saved 1.5 s of
// rebuilding: a rebuild scans the table and sorts what is already sorted.
func appendOnly(i index) bool { return strings.Contains(i.sql, "(member_id") }

// suspended are the indexes rebuildIndexesAround has dropped, and the
// partial ones ("… WHERE col IS NOT NULL": 会员证号, 工号, phone) it drops
// only once a row has their column (dropFor). While no row has it such an
// index gains no entry, so keeping it costs nothing, and many rosters have
// no 工号 or 会员证号 column at all.
type suspended struct {
	tx      *Tx
	dropped []index
	partial []index
}

// dropFor drops the partial indexes whose column one of prep's members
// has, to be built with the others at the end.
func (s *suspended) dropFor(ctx context.Context, prep []bulkMember) error {
	kept := s.partial[:0]
	for _, i := range s.partial {
		col := memberColumn(partialColumn(i.sql))
		if !slices.ContainsFunc(prep, func(b bulkMember) bool { return *col(b.rec.Member) != "" }) {
			kept = append(kept, i)
			continue
		}
		if _, err := s.tx.ExecContext(ctx, `DROP INDEX `+i.name); err != nil {
			return err
		}
		s.dropped = append(s.dropped, i)
	}
	s.partial = kept
	return nil
}

var partialRe = regexp.MustCompile(`(?i)\bWHERE\s+(\w+)\s+IS\s+NOT\s+NULL\s*$`)

// partialColumn is col of an index "… WHERE col IS NOT NULL", else "".
func partialColumn(sql string) string {
	if m := partialRe.FindStringSubmatch(sql); m != nil {
		return m[1]
	}
	return ""
}

// memberColumn is the member field a partial index's column holds, for
// the columns suspended may keep; nil for any other.
func memberColumn(col string) func(*nuanxin.Member) *string {
	switch col {
	case "card_no":
		return func(m *nuanxin.Member) *string { return &m.CardNo }
	case "employee_no":
		return func(m *nuanxin.Member) *string { return &m.EmployeeNo }
	case "phone":
		return func(m *nuanxin.Member) *string { return &m.Phone }
	}
	return nil
}

// The bulk path of a SQLite import. modernc's SQLite costs a few
// microseconds per row in the engine, and as much again around it: the
// statement journal SQLite keeps for a multi-row INSERT that may abort
// half-way, a foreign-key lookup per row, CHECK constraints that build a
// temporary b-tree per row, database/sql's conversion of every argument,
// preparing the same long INSERT for every batch. This path avoids all of
// those; what it writes is the same.

// bulkSettings are the writer connection's session settings for a bulk
// import, set before BEGIN (SQLite ignores foreign_keys inside a
// transaction) and restored after the commit:
//
//   - foreign_keys off: every reference an import writes points at a row
//     it has just checked (the org) or written (the member). With them on,
//     each member_keys and member_events row looks its parent up, and every
//     multi-row INSERT keeps a statement journal, since an immediate
//     foreign key may abort it half-way.
//   - ignore_check_constraints: SQLite checks "category IN (…)" by building
//     a temporary b-tree of the list for every row inserted (and "kind IN
//     (…)" for every event): a third of the engine's cost of a member row.
//     The importer has validated those values, and insertBulkSQLite checks
//     them again (bulkCheck) before they are written.
//   - temp_store FILE: with temporary files in memory SQLite sorts on one
//     thread only, and CREATE INDEX is mostly a sort; the sort runs of a
//     million-row import also stay out of the process's memory.
//   - threads: CREATE INDEX sorts on every core (sortThreads).
//   - wal_autocheckpoint off: the commit would copy the whole import from
//     the log into the database file before returning; bulkTx has that
//     done beside the other connections instead (checkpointLater).
func bulkSettings() [][2]string {
	return [][2]string{{"foreign_keys", "0"}, {"ignore_check_constraints", "1"}, {"temp_store", "1"},
		{"threads", strconv.Itoa(sortThreads())}, {"wal_autocheckpoint", "0"}}
}

// sortThreads is how many helper threads SQLite's sorter may start: two
// per core, as helpers also wait on the temporary files they write and
// read (on two cores 4 beat 2 by a third of a second of index builds at
// 1M rows; 8 did no better).
func sortThreads() int { return min(8, 2*runtime.NumCPU()) }

// indexBuildCache is the page cache while indexes are rebuilt, in KiB
// (cache_size -N). The sorter cuts its runs at the cache size (but at
// least 250 pages): smaller runs are sorted by the helper threads while
// the table is still being scanned. At 1M rows 4 MiB beat 16 MiB by a
// second of index builds, and 32 MiB lost two.
const indexBuildCache = 4096

// bulkTx runs fn in a write transaction like withTx, on a connection held
// for the whole import (on SQLite the writer, with bulkSettings in force).
// w gives fn the driver connection under the transaction.
func (db *DB) bulkTx(ctx context.Context, s *nuanxin.Scope, fn func(tx *Tx, w *rawWriter) error) (err error) {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if db.dialect == SQLite {
		restore, serr := setPragmas(ctx, conn, bulkSettings())
		defer func() {
			if rerr := restore(); rerr != nil {
				// A writer left without foreign keys or CHECK constraints
				// must not serve the next transaction: have the pool close it.
				conn.Raw(func(any) error { return driver.ErrBadConn })
				if err == nil {
					err = rerr
				}
			}
		}()
		if serr != nil {
			return serr
		}
	}
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	w := &rawWriter{conn: conn, stmts: map[string]driver.Stmt{}}
	// From here on as withTx does.
	tx := &Tx{Tx: sqlTx, db: db, scope: s, now: db.Now()}
	err = fn(tx, w)
	w.close()
	if err != nil {
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
	db.checkpointLater()
	db.writes.Add(1)
	if tx.authChanged {
		db.sessions.clear()
	}
	return nil
}

// setPragmas applies settings (name, value) to conn and returns what puts
// the previous values back.
func setPragmas(ctx context.Context, conn *sql.Conn, settings [][2]string) (restore func() error, err error) {
	var old [][2]string
	restore = func() error {
		var errs []error
		for i := len(old) - 1; i >= 0; i-- {
			_, err := conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA "+old[i][0]+" = "+old[i][1])
			errs = append(errs, err)
		}
		return errors.Join(errs...)
	}
	for _, s := range settings {
		var v string
		if err := conn.QueryRowContext(ctx, "PRAGMA "+s[0]).Scan(&v); err != nil {
			return restore, err
		}
		if _, err := conn.ExecContext(ctx, "PRAGMA "+s[0]+" = "+s[1]); err != nil {
			return restore, err
		}
		old = append(old, [2]string{s[0], v})
	}
	return restore, nil
}

// rawWriter runs statements on the driver connection under a transaction
// of conn, prepared once each: database/sql's per-argument conversion and
// locking were a tenth of a bulk insert, and preparing a 500-row INSERT
// again for every batch a few percent more.
type rawWriter struct {
	conn   *sql.Conn
	stmts  map[string]driver.Stmt
	shapes stmtShapes
}

// exec runs q with args. A statement to be run again (keep) stays
// prepared until close; any other is closed after the run.
func (w *rawWriter) exec(ctx context.Context, q string, args []driver.NamedValue, keep bool) (driver.Result, error) {
	var res driver.Result
	err := w.conn.Raw(func(dc any) error {
		st := w.stmts[q]
		if st == nil {
			var err error
			if st, err = dc.(driver.ConnPrepareContext).PrepareContext(ctx, q); err != nil {
				return err
			}
			if keep {
				w.stmts[q] = st
			} else {
				defer st.Close()
			}
		}
		var err error
		res, err = st.(driver.StmtExecContext).ExecContext(ctx, args)
		return err
	})
	return res, err
}

// copyFrom writes rows into table with PostgreSQL's COPY, in the
// transaction of w's connection: a fraction of the server's work for the
// same rows as multi-row INSERTs (no statement of thousands of
// parameters to parse, plan and bind).
func (w *rawWriter) copyFrom(ctx context.Context, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	return w.conn.Raw(func(dc any) error {
		c, ok := dc.(interface{ Conn() *pgx.Conn })
		if !ok {
			return fmt.Errorf("copy %s: not a pgx connection (%T)", table, dc)
		}
		n, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		if err == nil && n != int64(len(rows)) {
			err = fmt.Errorf("copy %s: %d of %d rows", table, n, len(rows))
		}
		return err
	})
}

func (w *rawWriter) close() {
	w.conn.Raw(func(any) error {
		for _, st := range w.stmts {
			st.Close()
		}
		return nil
	})
	w.stmts = nil
}

// rawArgs collects the arguments of one statement, numbered as SQLite's
// "?" parameters are.
type rawArgs []driver.NamedValue

func (a *rawArgs) add(vs ...driver.Value) {
	for _, v := range vs {
		*a = append(*a, driver.NamedValue{Ordinal: len(*a) + 1, Value: v})
	}
}

func rawStr(s string) driver.Value {
	if s == "" {
		return nil
	}
	return s
}

// rawDate is Date.Value without fmt, a third of the cost of making a
// member row's values.
func rawDate(d nuanxin.Date) driver.Value {
	if d.IsZero() {
		return nil
	}
	if d.Year < 1000 || d.Year > 9999 || d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Day > 31 {
		return d.String()
	}
	b := []byte("0000-00-00")
	y, m, day := int(d.Year), int(d.Month), int(d.Day)
	b[0], b[1], b[2], b[3] = byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10)
	b[5], b[6], b[8], b[9] = byte('0'+m/10), byte('0'+m%10), byte('0'+day/10), byte('0'+day%10)
	return string(b)
}

func rawID(id int64) driver.Value {
	if id == 0 {
		return nil
	}
	return id
}

// bulkRowsPerStmt is how many rows one multi-row INSERT of the bulk path
// writes (24 parameters each for members: under SQLite's 32766).
const bulkRowsPerStmt = 500

// valuesSQL is "INSERT OR FAIL INTO table (cols) VALUES (row),(row)…" for
// n rows, each row being tuple ("?,?,…" and constants). OR FAIL rather
// than the default ABORT: on a conflict the statement stops without
// undoing its earlier rows, which the rollback of the whole import does
// anyway, so SQLite keeps no statement journal.
func valuesSQL(table, cols, tuple string, n int) string {
	var b strings.Builder
	b.Grow(len(table) + len(cols) + n*(len(tuple)+3) + 40)
	b.WriteString("INSERT OR FAIL INTO " + table + " (" + cols + ") VALUES ")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(" + tuple + ")")
	}
	return b.String()
}

func params(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

// batchStmt is a multi-row INSERT with its arguments, ready to run.
type batchStmt struct {
	q    string
	args rawArgs
	rows int
	keep bool // one of the few statements run again and again: kept prepared
}

// stmtShapes are the statements rowBatch.literals has made, by table and
// row tuple. The importer's reader and its writer both make them.
type stmtShapes struct {
	mu sync.Mutex
	m  map[string]string
}

// maxShapes bounds the statements of stmtShapes.
const maxShapes = 64

// rowBatch gathers the rows of one table into multi-row INSERTs of
// bulkRowsPerStmt rows and hands each to run.
type rowBatch struct {
	table, cols string
	tuple       string // one row: "?,?,…" and constants
	shapes      *stmtShapes
	run         func(batchStmt) error

	rows int
	args rawArgs
}

func (b *rowBatch) add(vs ...driver.Value) error {
	for _, v := range vs {
		b.args = append(b.args, driver.NamedValue{Value: v})
	}
	if b.rows++; b.rows == bulkRowsPerStmt {
		return b.flush()
	}
	return nil
}

func (b *rowBatch) flush() error {
	if b.rows == 0 {
		return nil
	}
	st := insertStmt(b.table, b.cols, b.tuple, b.args, b.rows, b.shapes)
	b.rows, b.args = 0, b.args[:0]
	return b.run(st)
}

// insertStmt makes the INSERT of rows rows into table, whose values are
// args (a row's after another, ordinals not yet set; they may be
// compacted in place).
//
// A full statement writes the columns that hold the same NULL, integer or
// short text in every row as SQL literals and binds only the rest. An
// import's rows share their org, and a roster without some column leaves
// it empty in every row: modernc's driver costs about as much per bound
// text value (a C copy, two locked calls, an unbind after the run) as
// SQLite's engine does per row, a literal nothing. shapes keeps those
// statements, and the plain one, so each is built and prepared once.
func insertStmt(table, cols, tuple string, args rawArgs, rows int, shapes *stmtShapes) batchStmt {
	st := batchStmt{args: args, rows: rows, keep: rows == bulkRowsPerStmt && shapes != nil}
	if !st.keep {
		for i := range args {
			args[i].Ordinal = i + 1
		}
		st.q = valuesSQL(table, cols, tuple, rows)
		return st
	}
	parts := strings.Split(tuple, ",")
	n := len(args) / rows
	isLit := make([]bool, n)
	c, same := 0, false
	for i, p := range parts {
		if p != "?" {
			continue
		}
		v := args[c].Value
		lit, ok := sqlLiteral(v)
		for r := 1; ok && r < rows; r++ {
			ok = sameValue(args[r*n+c].Value, v)
		}
		if ok {
			parts[i], isLit[c], same = lit, true, true
		}
		c++
	}
	key := table + "\x00" + tuple
	if same {
		key = table + "\x00" + strings.Join(parts, ",")
	}
	shapes.mu.Lock()
	q, ok := shapes.m[key]
	if !ok && len(shapes.m) < maxShapes {
		if shapes.m == nil {
			shapes.m = map[string]string{}
		}
		q, ok = valuesSQL(table, cols, key[len(table)+1:], rows), true
		shapes.m[key] = q
	}
	shapes.mu.Unlock()
	if !ok { // too many shapes: bind everything
		same = false
		q = valuesSQL(table, cols, tuple, rows)
		st.keep = false
	}
	st.q = q
	if !same {
		for i := range args {
			args[i].Ordinal = i + 1
		}
		return st
	}
	// Keep the values of the columns left as "?".
	j := 0
	for i, a := range args {
		if !isLit[i%n] {
			args[j] = driver.NamedValue{Ordinal: j + 1, Value: a.Value}
			j++
		}
	}
	st.args = args[:j]
	return st
}

// sqlLiteral is v as an SQL literal, if it is NULL, an integer or a short
// text that can be one.
func sqlLiteral(v driver.Value) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "NULL", true
	case int64:
		return strconv.FormatInt(x, 10), true
	case string:
		if len(x) > 64 || strings.IndexByte(x, 0) >= 0 || !utf8.ValidString(x) {
			return "", false
		}
		return "'" + strings.ReplaceAll(x, "'", "''") + "'", true
	}
	return "", false
}

func sameValue(a, b driver.Value) bool {
	switch x := b.(type) {
	case nil:
		return a == nil
	case int64:
		y, ok := a.(int64)
		return ok && x == y
	case string:
		y, ok := a.(string)
		return ok && x == y
	}
	return false
}

// insertBulkSQLite is insertBulk on SQLite's bulk path (bulkTx), for
// records whose orgs are in orgs. Members get their ids and org fields
// filled in; the ids are returned.
//
// The members are inserted without ids: SQLite gives each the largest id
// plus one, in order, which are the ids reserveIDs hands out (the
// transaction is the only writer); the last id of every statement is
// checked against them. An explicit INTEGER PRIMARY KEY would make SQLite
// keep a statement journal again (a non-integer id aborts the statement).
func (tx *Tx) insertBulkSQLite(ctx context.Context, w *rawWriter, prep []bulkMember, orgs map[int64]*nuanxin.Org, inserts []batchStmt) ([]int64, error) {
	ids, err := tx.reserveIDs(ctx, "members", len(prep))
	if err != nil {
		return nil, err
	}
	now := ms(tx.now)
	by := ""
	if tx.scope != nil {
		by = tx.scope.Username
	}
	if inserts == nil {
		if inserts, err = memberInserts(prep, orgs, &w.shapes, now); err != nil {
			return nil, err
		}
	}
	written := 0
	for _, st := range inserts {
		res, err := w.exec(ctx, st.q, st.args, st.keep)
		if err != nil {
			if isUnique(err, "id_hash") {
				return nil, nuanxin.Errorf(nuanxin.ECONFLICT, "member.id.elsewhere")
			}
			if isUnique(err, "card_no") {
				return nil, nuanxin.Invalid("card_no", "member.card.duplicate", "")
			}
			return nil, fmt.Errorf("insert members: %w", err)
		}
		written += st.rows
		if last, err := res.LastInsertId(); err != nil || last != ids[written-1] {
			return nil, fmt.Errorf("insert members: id %d expected, SQLite gave %d (%v)", ids[written-1], last, err)
		}
	}
	if written != len(prep) {
		return nil, fmt.Errorf("insert members: %d of %d rows written", written, len(prep))
	}
	for i := range prep {
		m := prep[i].rec.Member
		m.ID = ids[i]
		m.CreatedAt, m.UpdatedAt = tx.now, tx.now
	}

	// The name key, the full pinyin key and the 入会 event repeat member
	// columns: copied inside the engine rather than bound from Go. The
	// pinyin column is the first reading's key (pinyin.Sort is Keys' first),
	// checked here for every member before it is relied on.
	copyPinyin := true
	for i := range prep {
		if m := prep[i].rec.Member; copiesPinyin(m) && !slices.Contains(prep[i].keys, m.Pinyin) {
			copyPinyin = false
			break
		}
	}
	var args rawArgs
	args.add(ids[0], ids[len(ids)-1])
	keysSQL := `INSERT OR FAIL INTO member_keys (key, org_path, member_id)
		SELECT name, org_path, id FROM members WHERE id BETWEEN ? AND ?`
	if copyPinyin {
		keysSQL = `INSERT OR FAIL INTO member_keys (key, org_path, member_id)
		SELECT CASE s.n WHEN 0 THEN m.name ELSE m.pinyin END, m.org_path, m.id
		FROM members m CROSS JOIN (SELECT 0 AS n UNION ALL SELECT 1) AS s
		WHERE m.id BETWEEN ?1 AND ?2 AND (s.n = 0 OR m.pinyin <> '' AND m.pinyin <> m.name)`
	}
	if _, err := w.exec(ctx, keysSQL, args, true); err != nil {
		return nil, fmt.Errorf("insert member_keys: %w", err)
	}
	args = args[:0]
	args.add(tx.db.today().String(), by, now, ids[0], ids[len(ids)-1])
	if _, err := w.exec(ctx, `INSERT OR FAIL INTO member_events (member_id, kind, date, from_org_id, to_org_id, notes, username, created_at)
		SELECT id, 'join', COALESCE(join_date, ?), NULL, org_id, '', ?, ? FROM members WHERE id BETWEEN ? AND ? ORDER BY id`, args, true); err != nil {
		return nil, fmt.Errorf("insert member_events: %w", err)
	}

	// The pinyin keys, then relatives and later events if there are any.
	run := func(st batchStmt) error { _, err := w.exec(ctx, st.q, st.args, st.keep); return err }
	keys := &rowBatch{table: "member_keys", cols: "key, org_path, member_id", tuple: params(3), shapes: &w.shapes, run: run}
	rels := &rowBatch{table: "relatives", tuple: params(13), shapes: &w.shapes, run: run,
		cols: "member_id, relation, name, id_enc, id_hash, id_masked, sex, birth_date, school, phone, notes, created_at, updated_at"}
	events := &rowBatch{table: "member_events", tuple: params(8), shapes: &w.shapes, run: run,
		cols: "member_id, kind, date, from_org_id, to_org_id, notes, username, created_at"}
	for i := range prep {
		b := &prep[i]
		m := b.rec.Member
		for _, k := range b.keys[1:] { // [0] is the name, copied above
			if copyPinyin && k == m.Pinyin && copiesPinyin(m) {
				continue // copied above
			}
			if err := keys.add(k, m.OrgPath, m.ID); err != nil {
				return nil, fmt.Errorf("insert member_keys: %w", err)
			}
		}
		for j, r := range b.rec.Relatives {
			r.MemberID = m.ID
			rs := b.rel[j]
			if !slices.Contains(nuanxin.Relations, r.Relation) || r.Sex != "" && r.Sex != nuanxin.Male && r.Sex != nuanxin.Female {
				return nil, fmt.Errorf("insert relatives: invalid relation %q or sex %q", r.Relation, r.Sex)
			}
			if err := rels.add(m.ID, string(r.Relation), r.Name, rs.enc, rawStr(rs.hash), rs.masked, rawStr(string(r.Sex)),
				rawDate(r.BirthDate), r.School, rawStr(r.Phone), r.Notes, now, now); err != nil {
				return nil, fmt.Errorf("insert relatives: %w", err)
			}
		}
		for _, e := range b.rec.Events {
			e.MemberID = m.ID
			from := driver.Value(nil)
			if e.Kind == nuanxin.EventTransferOut {
				from = m.OrgID
			}
			if !slices.Contains(nuanxin.EventKinds, e.Kind) {
				return nil, fmt.Errorf("insert member_events: invalid kind %q", e.Kind)
			}
			if err := events.add(m.ID, string(e.Kind), rawDate(e.Date), from, rawID(e.ToOrgID), e.Notes, by, now); err != nil {
				return nil, fmt.Errorf("insert member_events: %w", err)
			}
		}
	}
	for _, b := range []*rowBatch{keys, rels, events} {
		if err := b.flush(); err != nil {
			return nil, fmt.Errorf("insert %s: %w", b.table, err)
		}
	}
	return ids, nil
}

// copiesPinyin reports whether the bulk INSERT … SELECT of member_keys
// writes m's pinyin column as a key: when it is set and not the name
// itself (a name in Latin letters), which that statement writes anyway.
func copiesPinyin(m *nuanxin.Member) bool { return m.Pinyin != "" && m.Pinyin != m.Name }

// bulkMemberCols are the member columns insertBulkSQLite binds, in the
// order of bulkMember.vals.
var bulkMemberCols = []string{"org_id", "org_path", "name", "pinyin", "id_enc", "id_hash", "id_masked", "id_tail",
	"sex", "birth_date", "birth_md", "phone", "ethnicity", "political", "education", "category", "department", "post",
	"employee_no", "hire_date", "join_date", "status", "card_no", "notes"}

// memberInserts makes the multi-row INSERTs of prep's members (without
// ids: see insertBulkSQLite), now being the transaction's time. The
// importer makes them on its reading goroutine, so SQLite's one writer
// only runs them.
func memberInserts(prep []bulkMember, orgs map[int64]*nuanxin.Org, shapes *stmtShapes, now int64) ([]batchStmt, error) {
	// version, created_at and updated_at are the same for every row:
	// written as constants rather than bound row by row.
	stamp := strconv.FormatInt(now, 10)
	cols := strings.Join(bulkMemberCols, ", ") + ", version, created_at, updated_at"
	tuple := params(len(bulkMemberCols)) + ",1," + stamp + "," + stamp
	n := len(bulkMemberCols)
	var out []batchStmt
	for start := 0; start < len(prep); start += bulkRowsPerStmt {
		part := prep[start:min(start+bulkRowsPerStmt, len(prep))]
		args := memberArgs(part)
		if args == nil { // not made by prepareBulkOn: gathered here
			args = make(rawArgs, len(part)*n)
			for i := range part {
				b := &part[i]
				if b.vals == nil {
					b.values(orgs[b.rec.Member.OrgID])
				}
				copy(args[i*n:], b.vals)
			}
		}
		for i := range part {
			if err := bulkCheck(part[i].rec.Member); err != nil {
				return nil, err
			}
		}
		out = append(out, insertStmt("members", cols, tuple, args, len(part), shapes))
	}
	return out, nil
}

// memberArgs is the buffer that holds the values of part's members one
// after another, when prepareBulkOn laid them out so; else nil.
func memberArgs(part []bulkMember) rawArgs {
	n := len(bulkMemberCols)
	first := part[0].vals
	if len(first) != n || cap(first) < len(part)*n {
		return nil
	}
	args := first[:len(part)*n]
	for i := range part {
		if v := part[i].vals; len(v) != n || &v[0] != &args[i*n] {
			return nil
		}
	}
	return args
}

// values fills in the member's org and derived fields and writes its
// bulkMemberCols into b.vals (made here unless prepareBulkOn gave it a
// place in a statement's buffer).
func (b *bulkMember) values(o *nuanxin.Org) {
	m := b.rec.Member
	m.OrgPath, m.OrgName, m.Pinyin, m.IDMasked, m.Version = o.Path, o.Name, b.py, b.sec.masked, 1
	if m.Status == "" {
		m.Status = nuanxin.StatusMember
	}
	if len(b.vals) != len(bulkMemberCols) {
		b.vals = make(rawArgs, len(bulkMemberCols))
	}
	for i, v := range [...]driver.Value{m.OrgID, m.OrgPath, m.Name, m.Pinyin, b.sec.enc, b.sec.hash, b.sec.masked, b.sec.tail,
		rawStr(string(m.Sex)), rawDate(m.BirthDate), int64(birthMD(m.BirthDate)), rawStr(m.Phone), m.Ethnicity,
		m.Political, m.Education, string(m.Category), m.Department, m.Post, rawStr(m.EmployeeNo),
		rawDate(m.HireDate), rawDate(m.JoinDate), string(m.Status), rawStr(m.CardNo), m.Notes} {
		b.vals[i] = driver.NamedValue{Value: v}
	}
}

// bulkCheck stands in for the CHECK constraints of the member columns
// that insertBulkSQLite writes with ignore_check_constraints on.
func bulkCheck(m *nuanxin.Member) error {
	if !slices.Contains(nuanxin.Categories, m.Category) || !slices.Contains(nuanxin.MemberStatuses, m.Status) ||
		m.Sex != "" && m.Sex != nuanxin.Male && m.Sex != nuanxin.Female {
		return fmt.Errorf("insert members: invalid category %q, status %q or sex %q", m.Category, m.Status, m.Sex)
	}
	return nil
}

// insertBulkPostgres is insertBulk with COPY (bulkTx on PostgreSQL): the
// same rows, ids from the sequence as reserveIDs hands them out.
func (tx *Tx) insertBulkPostgres(ctx context.Context, w *rawWriter, prep []bulkMember, orgs map[int64]*nuanxin.Org) ([]int64, error) {
	ids, err := tx.reserveIDs(ctx, "members", len(prep))
	if err != nil {
		return nil, err
	}
	now := ms(tx.now)
	today := tx.db.today()
	by := ""
	if tx.scope != nil {
		by = tx.scope.Username
	}
	members := make([][]any, 0, len(prep))
	var keys, rels, events [][]any
	for i := range prep {
		b := &prep[i]
		m := b.rec.Member
		m.ID = ids[i]
		o := orgs[m.OrgID]
		m.OrgPath, m.OrgName, m.Pinyin, m.IDMasked, m.Version = o.Path, o.Name, b.py, b.sec.masked, 1
		m.CreatedAt, m.UpdatedAt = tx.now, tx.now
		if m.Status == "" {
			m.Status = nuanxin.StatusMember
		}
		members = append(members, []any{m.ID, m.OrgID, m.OrgPath, m.Name, m.Pinyin, b.sec.enc, b.sec.hash, b.sec.masked, b.sec.tail,
			pgStr(string(m.Sex)), pgDate(m.BirthDate), int32(birthMD(m.BirthDate)), pgStr(m.Phone), m.Ethnicity, m.Political, m.Education,
			string(m.Category), m.Department, m.Post, pgStr(m.EmployeeNo), pgDate(m.HireDate), pgDate(m.JoinDate), string(m.Status),
			pgStr(m.CardNo), m.Notes, int32(1), now, now})
		for _, k := range b.keys {
			keys = append(keys, []any{k, m.OrgPath, m.ID})
		}
		for j, r := range b.rec.Relatives {
			r.MemberID = m.ID
			rs := b.rel[j]
			rels = append(rels, []any{m.ID, string(r.Relation), r.Name, rs.enc, pgStr(rs.hash), rs.masked, pgStr(string(r.Sex)),
				pgDate(r.BirthDate), r.School, pgStr(r.Phone), r.Notes, now, now})
		}
		joined := m.JoinDate
		if joined.IsZero() {
			joined = today
		}
		events = append(events, []any{m.ID, string(nuanxin.EventJoin), joined.Time(), nil, m.OrgID, "", by, now})
		for _, e := range b.rec.Events {
			e.MemberID = m.ID
			from := any(nil)
			if e.Kind == nuanxin.EventTransferOut {
				from = m.OrgID
			}
			var to any
			if e.ToOrgID != 0 {
				to = e.ToOrgID
			}
			events = append(events, []any{m.ID, string(e.Kind), pgDate(e.Date), from, to, e.Notes, by, now})
		}
	}
	if err := w.copyFrom(ctx, "members", memberInsertCols, members); err != nil {
		if isUnique(err, "id_hash") {
			return nil, nuanxin.Errorf(nuanxin.ECONFLICT, "member.id.elsewhere")
		}
		if isUnique(err, "card_no") {
			return nil, nuanxin.Invalid("card_no", "member.card.duplicate", "")
		}
		return nil, fmt.Errorf("copy members: %w", err)
	}
	for _, t := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"member_keys", []string{"key", "org_path", "member_id"}, keys},
		{"relatives", []string{"member_id", "relation", "name", "id_enc", "id_hash", "id_masked", "sex",
			"birth_date", "school", "phone", "notes", "created_at", "updated_at"}, rels},
		{"member_events", []string{"member_id", "kind", "date", "from_org_id", "to_org_id", "notes", "username", "created_at"}, events},
	} {
		if err := w.copyFrom(ctx, t.table, t.cols, t.rows); err != nil {
			return nil, fmt.Errorf("copy %s: %w", t.table, err)
		}
	}
	return ids, nil
}

// pgStr and pgDate are a value COPY encodes for a nullable TEXT or DATE
// column (COPY's binary format takes a time.Time for a DATE, not the
// text Date.Value gives).
func pgStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func pgDate(d nuanxin.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.Time()
}
