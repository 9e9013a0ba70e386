package store

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"

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
}

// BulkCreateMembers inserts new members with their relatives and a 入会
// event, all or nothing, with one audit entry for the batch. It is the path
// of the demo generator and of large roster imports.
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
	prep := make([]bulkMember, len(recs))
	var wg sync.WaitGroup
	workers := runtime.NumCPU()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(recs); i += workers {
				r := recs[i]
				b := &prep[i]
				b.rec = r
				b.sec = db.seal(r.Member.IDNumber)
				b.py = pinyin.Sort(r.Member.Name)
				b.keys = searchKeys(r.Member.Name)
				for _, rel := range r.Relatives {
					b.rel = append(b.rel, db.seal(rel.IDNumber))
				}
			}
		}(w)
	}
	wg.Wait()
	return prep
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
				stmt, err := tx.PrepareContext(ctx, insertSQL(tx.db.dialect, table, cols, per))
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
		if _, err := tx.ExecContext(ctx, insertSQL(tx.db.dialect, table, cols, len(chunk)), args...); err != nil {
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
	idx, err := db.secondaryIndexes(ctx, db.write)
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
// the statements that recreate them. Unique indexes always stay, so a
// 身份证号 stays unique while the others are rebuilt.
func (db *DB) secondaryIndexes(ctx context.Context, q querier) ([]index, error) {
	var query string
	if db.dialect == SQLite {
		query = `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
			AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN ('members','member_keys','relatives','member_events')`
	} else {
		query = `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()
			AND tablename IN ('members','member_keys','relatives','member_events')
			AND indexdef NOT LIKE 'CREATE UNIQUE%'`
	}
	rows, err := q.QueryContext(ctx, query)
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
func (tx *Tx) rebuildIndexesAround(ctx context.Context, fn func() error) error {
	idx, err := tx.db.secondaryIndexes(ctx, tx)
	if err != nil {
		return err
	}
	for _, i := range idx {
		if _, err := tx.ExecContext(ctx, `DROP INDEX `+i.name); err != nil {
			return err
		}
	}
	if err := fn(); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA threads = %d", runtime.NumCPU())); err != nil {
		return err
	}
	for _, i := range idx {
		if _, err := tx.ExecContext(ctx, i.sql); err != nil {
			return fmt.Errorf("重建索引 %s 失败: %w", i.name, err)
		}
	}
	return nil
}
