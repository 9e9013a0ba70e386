package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/pinyin"
)

// importBatch is the number of rows matched and written together: large
// enough that the lookups are a few IN queries per batch, small enough that
// a million-row file never sits in memory.
const importBatch = 5000

// sqliteImportBatch is importBatch on SQLite, where smaller batches let the
// reader and the one writer overlap better: a first import of 1M rows was
// 0.3-0.4 s faster in 50 MB less than with 5,000 (on PostgreSQL, where
// each batch is a few COPYs, 2,500 was 10 % slower).
const sqliteImportBatch = 1500

// bulkImportRows is the size from which an import that at least doubles
// the member table rebuilds the indexes once, after the rows are in,
// rather than updating them for every row (about 2.5× faster at 200,000).
var bulkImportRows = 20000

// ImportMembers applies a roster to the members under opt.OrgID.
//
// Each row is matched by 身份证号 across the whole installation (then, when
// the row has no 身份证号, by 工号 within its org). A match under the
// import's org is updated with the fields the row has (an empty cell keeps
// the stored value); a match anywhere else is a 转会 candidate and is
// rejected, never duplicated; no match is created. A dry run does all of
// this against the stored data and writes nothing. A commit writes every
// valid row in one transaction: all of them or, if anything fails
// (including the process being killed), none.
func (db *DB) ImportMembers(ctx context.Context, s *nuanxin.Scope, src nuanxin.MemberRowSource, opt nuanxin.MemberImportOptions) (*nuanxin.ImportReport, error) {
	root, err := orgInScope(ctx, cachedReader{db}, s, nuanxin.PermMemberWrite, opt.OrgID)
	if err != nil {
		return nil, err
	}
	if root.Closed {
		return nil, nuanxin.Invalid("org_id", "member.org.closed")
	}
	im := &importer{db: db, s: s, src: src, root: root, opt: opt, today: db.today(), workers: runtime.NumCPU(),
		rep:    &nuanxin.ImportReport{DryRun: opt.DryRun, Errors: []nuanxin.RowError{}},
		seenID: make(map[[16]byte]int, min(max(opt.Expected, 0), 2_000_000)), seenEmp: map[string]int{}, seenCard: map[string]int{}, seenMember: map[int64]int{}}
	if err := im.loadOrgs(ctx, cachedReader{db}); err != nil {
		return nil, err
	}
	if opt.DryRun {
		if err := im.checkEmpty(ctx, cachedReader{db}); err != nil {
			return nil, err
		}
		return im.rep, im.run(ctx, cachedReader{db}, nil)
	}
	write := func(tx *Tx, w *rawWriter) error {
		im.w, im.now = w, ms(tx.now)
		// Re-read the subtree inside the transaction: it is what the rows
		// are checked against when they are written.
		if _, err := orgInScope(ctx, tx, s, nuanxin.PermMemberWrite, opt.OrgID); err != nil {
			return err
		}
		if err := im.loadOrgs(ctx, tx); err != nil {
			return err
		}
		if err := im.checkEmpty(ctx, tx); err != nil {
			return err
		}
		if db.dialect == SQLite && opt.Expected >= bulkImportRows {
			var existing int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM members`).Scan(&existing); err != nil {
				return err
			}
			if opt.Expected >= existing {
				return tx.rebuildIndexesAround(ctx, im.empty, func(s *suspended) error {
					im.suspended = s
					return im.run(ctx, tx, tx)
				})
			}
		}
		return im.run(ctx, tx, tx)
	}
	analyzed := func(tx *Tx, w *rawWriter) error {
		if err := write(tx, w); err != nil {
			return err
		}
		if im.rep.Created < 10000 {
			return nil
		}
		// Fresh statistics, so the planner knows the new rows: in the
		// import's transaction, which they describe.
		return tx.analyze(ctx)
	}
	if err := db.bulkTx(ctx, s, analyzed); err != nil {
		return nil, err
	}
	return im.rep, nil
}

type importer struct {
	db    *DB
	s     *nuanxin.Scope
	src   nuanxin.MemberRowSource
	root  *nuanxin.Org
	opt   nuanxin.MemberImportOptions
	today nuanxin.Date
	rep   *nuanxin.ImportReport

	orgs     map[int64]*nuanxin.Org // the open and closed orgs of the subtree
	orgByRef map[string]*nuanxin.Org

	// What earlier rows of the file claimed, so a second row for the same
	// person, 工号 or 会员证号 is reported against the first.
	seenID   map[[16]byte]int
	seenEmp  map[string]int
	seenCard map[string]int
	// Stored members already matched by an earlier row (by number, 工号 or
	// masked number): a second row for the same person is rejected.
	seenMember map[int64]int
	done       int
	// empty: the installation had no member when the import began (read
	// in the transaction that writes), so no row can match a stored one.
	empty bool
	// suspended: the indexes dropped for the import (rebuildIndexesAround).
	suspended *suspended
	// w is the driver connection under the import's transaction (bulkTx),
	// now the transaction's time (ms).
	w   *rawWriter
	now int64
	// workers is how many goroutines prepare a batch's rows.
	workers int
	names   nameKeys
}

func (im *importer) loadOrgs(ctx context.Context, q querier) error {
	im.orgs = map[int64]*nuanxin.Org{}
	im.orgByRef = map[string]*nuanxin.Org{}
	rows, err := q.QueryContext(ctx, `SELECT `+orgCols+` FROM orgs o WHERE o.path >= $1 AND o.path < $2`, im.root.Path, prefixEnd(im.root.Path))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return err
		}
		im.orgs[o.ID] = o
		im.orgByRef[o.Name] = o
		if o.Code != "" {
			im.orgByRef[strings.ToUpper(o.Code)] = o
		}
	}
	return rows.Err()
}

// importRow is a row on its way through a batch.
type importRow struct {
	in      *nuanxin.MemberRow
	org     *nuanxin.Org
	hash    string
	old     *nuanxin.Member // the stored member it matched, if any
	oldPath string
	oldStat nuanxin.MemberStatus
	res     nuanxin.ImportRowResult
	errs    []nuanxin.RowError
	changes []nuanxin.FieldChange
}

func (r *importRow) reject(field, reason string) {
	r.errs = append(r.errs, nuanxin.RowError{Row: r.in.Row, Column: columnOf(r.in, field), Field: field, Reason: reason})
}

// columnOf finds the column label a parse error used for field, so store
// errors point at the same column as the reader's.
func columnOf(r *nuanxin.MemberRow, field string) string {
	if r.Columns != nil {
		return r.Columns[field]
	}
	return ""
}

// run checks and writes (tx nil: checks) the rows of the source, a batch
// at a time.
func (im *importer) run(ctx context.Context, q querier, tx *Tx) error {
	if tx == nil || !im.empty {
		// Each batch is looked up once the batches before it are written,
		// so it sees what they stored.
		return im.read(ctx, func(rows []*importRow) error {
			p, err := im.check(ctx, q, rows, tx != nil)
			if err != nil {
				return err
			}
			return im.apply(ctx, tx, p)
		})
	}
	// Nothing was stored when the import began, so no batch is looked up
	// in the database: while one batch is written (SQLite's single writer
	// on one core), the next is read, checked, encrypted and hashed on the
	// other cores.
	im.workers = max(1, runtime.NumCPU()-1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	plans := make(chan *batchPlan, 1)
	checked := make(chan error, 1)
	go func() {
		defer close(plans)
		checked <- im.read(ctx, func(rows []*importRow) error {
			p, err := im.check(ctx, nil, rows, true)
			if err != nil {
				return err
			}
			select {
			case plans <- p:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	for p := range plans {
		if err := im.apply(ctx, tx, p); err != nil {
			cancel()
			for range plans {
			}
			<-checked
			return err
		}
	}
	return <-checked
}

// read hands the rows of the source to fn in batches of importBatch
// (sqliteImportBatch on SQLite).
func (im *importer) read(ctx context.Context, fn func([]*importRow) error) error {
	size := importBatch
	if im.db.dialect == SQLite {
		size = sqliteImportBatch
	}
	batch := make([]*importRow, 0, size)
	for {
		in, err := im.src.Next()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return err
		}
		batch = append(batch, &importRow{in: in})
		if len(batch) == size {
			if err := fn(batch); err != nil {
				return err
			}
			batch = make([]*importRow, 0, size)
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	if len(batch) == 0 {
		return nil
	}
	return fn(batch)
}

// scanPlus scans the member columns followed by extra columns.
type scanPlus struct {
	sc    interface{ Scan(...any) error }
	extra []any
}

func (p scanPlus) Scan(dest ...any) error { return p.sc.Scan(append(dest, p.extra...)...) }

// lookup selects the members whose column col is one of keys (and who
// match the extra condition cond on $1…), a chunk of keys per query, and
// returns them by key.
func lookup(ctx context.Context, q querier, col, cond string, condArgs []any, keys []any) (map[string]*nuanxin.Member, error) {
	out := map[string]*nuanxin.Member{}
	const chunk = 500
	for start := 0; start < len(keys); start += chunk {
		part := keys[start:min(start+chunk, len(keys))]
		args := append(append([]any(nil), condArgs...), part...)
		var b strings.Builder
		for i := range part {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("$" + itoa(len(condArgs)+i+1))
		}
		rows, err := q.QueryContext(ctx, `SELECT `+memberCols+`, `+col+` FROM members m JOIN orgs o ON o.id = m.org_id
			WHERE `+cond+col+` IN (`+b.String()+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var key string
			m, err := scanMember(scanPlus{rows, []any{&key}})
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[key] = m
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func itoa(i int) string { return strconv.Itoa(i) }

// prepare does the per-row work that needs no database on every core:
// normalising, checking each row on its own and hashing the 身份证号.
func (im *importer) prepare(rows []*importRow) {
	var wg sync.WaitGroup
	workers := im.workers
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(rows); i += workers {
				r := rows[i]
				r.res = nuanxin.ImportRowResult{Row: r.in.Row, Name: r.in.Member.Name}
				if r.in.Rejected() {
					continue
				}
				m := &r.in.Member
				m.Normalize()
				if err := m.Validate(false, im.today); err != nil {
					for _, fe := range nuanxin.AsFieldErrors(err) {
						r.reject(fe.Field, fe.Error())
					}
					continue
				}
				if m.IDNumber != "" {
					r.hash = im.db.hash(m.IDNumber)
					r.res.IDMasked = nuanxin.MaskIDNumber(m.IDNumber)
				}
			}
		}(w)
	}
	wg.Wait()
}

// batchPlan is a checked batch: its rows with their outcomes, and what
// writing it takes.
type batchPlan struct {
	rows       []*importRow
	creates    []nuanxin.MemberRecord
	createRows []*importRow
	prep       []bulkMember // the creates sealed and keyed, when writing
	inserts    []batchStmt  // SQLite: prep's INSERTs, made ready by the reader
	updateRows []*importRow
}

// check decides the outcome of every row of a batch, in file order: the
// checks of each row alone, against the earlier rows of the file, then
// (unless the installation was empty) against the stored members through
// q. For a commit (write) the new members are also prepared for writing.
func (im *importer) check(ctx context.Context, q querier, rows []*importRow, write bool) (*batchPlan, error) {
	im.prepare(rows)

	// Checks against earlier rows of the file, in file order.
	var hashes, cards, masked, names []any
	emps := map[int64][]any{}
	for _, r := range rows {
		if r.in.Rejected() || len(r.errs) > 0 {
			continue
		}
		m := &r.in.Member
		r.org = im.root
		if ref := strings.TrimSpace(r.in.OrgRef); ref != "" {
			o := im.orgByRef[ref]
			if o == nil {
				o = im.orgByRef[strings.ToUpper(ref)]
			}
			switch {
			case o == nil:
				r.reject("org", nuanxin.T("import.org_unknown", ref, im.root.Name))
				continue
			case o.Closed:
				r.reject("org", nuanxin.T("import.org_closed", ref))
				continue
			}
			r.org = o
		}
		if r.hash != "" {
			var k [16]byte
			hex.Decode(k[:], []byte(r.hash))
			if first, ok := im.seenID[k]; ok {
				r.reject("id_number", nuanxin.T("import.dup_in_file", first))
				continue
			}
			im.seenID[k] = r.in.Row
			hashes = append(hashes, r.hash)
		}
		if r.hash == "" && m.IDMasked != "" {
			masked = append(masked, m.IDMasked)
			names = append(names, m.Name)
		}
		if m.EmployeeNo != "" {
			k := itoa(int(r.org.ID)) + "/" + m.EmployeeNo
			if first, ok := im.seenEmp[k]; ok {
				r.reject("employee_no", nuanxin.T("import.dup_empno_in_file", first))
				continue
			}
			im.seenEmp[k] = r.in.Row
			emps[r.org.ID] = append(emps[r.org.ID], m.EmployeeNo)
		}
		if m.CardNo != "" {
			if first, ok := im.seenCard[m.CardNo]; ok {
				r.reject("card_no", nuanxin.T("import.dup_card_in_file", first))
				continue
			}
			im.seenCard[m.CardNo] = r.in.Row
			cards = append(cards, m.CardNo)
		}
	}

	byHash, byEmp, byCard := map[string]*nuanxin.Member{}, map[string]*nuanxin.Member{}, map[string]*nuanxin.Member{}
	byMask := map[string][]*nuanxin.Member{}
	if !im.empty { // else nobody is stored: every lookup would come back empty
		var err error
		if byHash, err = lookup(ctx, q, "m.id_hash", "", nil, hashes); err != nil {
			return nil, err
		}
		for org, nos := range emps {
			found, err := lookup(ctx, q, "m.employee_no", "m.org_id = $1 AND ", []any{org}, nos)
			if err != nil {
				return nil, err
			}
			for no, m := range found {
				byEmp[itoa(int(org))+"/"+no] = m
			}
		}
		if byCard, err = lookup(ctx, q, "m.card_no", "", nil, cards); err != nil {
			return nil, err
		}
		if byMask, err = im.lookupMasked(ctx, q, names, masked); err != nil {
			return nil, err
		}
	}

	p := &batchPlan{rows: rows}
	for _, r := range rows {
		if r.in.Rejected() || len(r.errs) > 0 {
			continue
		}
		m := &r.in.Member
		var emp *nuanxin.Member
		if m.EmployeeNo != "" {
			emp = byEmp[itoa(int(r.org.ID))+"/"+m.EmployeeNo]
		}
		switch {
		case r.hash != "" && byHash[r.hash] != nil:
			old := byHash[r.hash]
			if !strings.HasPrefix(old.OrgPath, im.root.Path) || !im.s.Can(nuanxin.PermMemberWrite, old.OrgPath) {
				im.transfer(r, old)
				continue
			}
			r.old = old
		case r.hash != "":
			if emp != nil {
				r.reject("employee_no", nuanxin.T("import.empno_conflict", m.EmployeeNo, emp.Name))
				continue
			}
		case emp != nil:
			r.old = emp
		case m.IDMasked != "":
			// A masked export edited and imported back: the masked number
			// and the name find the member within the subtree, or nobody.
			switch c := byMask[m.IDMasked+"|"+m.Name]; len(c) {
			case 1:
				r.old = c[0]
			case 0:
				r.reject("id_number", nuanxin.T("import.masked_no_match"))
				continue
			default:
				r.reject("id_number", nuanxin.T("import.masked_ambiguous", len(c)))
				continue
			}
		default:
			r.reject("id_number", nuanxin.T("import.no_id_no_match"))
			continue
		}
		if r.old != nil && r.in.OrgRef == "" {
			// No 所属工会 column: the member stays in the org they are in,
			// which may be any org under the import's.
			if o := im.orgs[r.old.OrgID]; o != nil {
				r.org = o
			}
		}
		if r.old != nil {
			if first, ok := im.seenMember[r.old.ID]; ok {
				r.reject("name", nuanxin.T("import.same_member", first))
				continue
			}
			im.seenMember[r.old.ID] = r.in.Row
		}
		if m.CardNo != "" {
			if other := byCard[m.CardNo]; other != nil && (r.old == nil || other.ID != r.old.ID) {
				r.reject("card_no", nuanxin.T("import.card_taken", m.CardNo))
				continue
			}
		}
		if r.old == nil {
			if m.Status != nuanxin.StatusMember && m.Status != nuanxin.StatusReserved {
				r.reject("status", nuanxin.T("import.new_status"))
				continue
			}
			c := *m
			c.OrgID = r.org.ID
			rec := nuanxin.MemberRecord{Member: &c}
			if c.Status == nuanxin.StatusReserved {
				rec.Events = []*nuanxin.MemberEvent{{Kind: nuanxin.EventReserve, Date: im.today, Notes: nuanxin.T("import.event_note")}}
			}
			p.creates = append(p.creates, rec)
			p.createRows = append(p.createRows, r)
			r.res.Outcome = nuanxin.OutcomeCreated
			continue
		}
		old := r.old
		if r.in.Present["status"] && m.Status != old.Status {
			r.reject("status", nuanxin.T("import.status_transition", old.Status.Label(), m.Status.Label()))
			continue
		}
		merged := *old
		r.changes = merged.ApplyImport(m, r.in.Present)
		if r.in.OrgRef != "" && r.org.ID != old.OrgID {
			r.changes = append(r.changes, nuanxin.FieldChange{Field: "org", Old: old.OrgName, New: r.org.Name})
		}
		if err := merged.Validate(false, im.today); err != nil {
			for _, fe := range nuanxin.AsFieldErrors(err) {
				r.reject(fe.Field, fe.Error())
			}
			continue
		}
		r.res.MemberID, r.res.IDMasked = old.ID, old.IDMasked
		if len(r.changes) == 0 {
			r.res.Outcome = nuanxin.OutcomeUnchanged
			continue
		}
		r.res.Outcome, r.res.Changes = nuanxin.OutcomeUpdated, r.changes
		*m = merged
		p.updateRows = append(p.updateRows, r)
	}
	if write && len(p.creates) > 0 {
		var orgs map[int64]*nuanxin.Org // only the SQLite bulk path takes values made ready
		if im.db.dialect == SQLite {
			orgs = im.orgs
		}
		hashes := make([]string, len(p.createRows))
		for i, r := range p.createRows {
			hashes[i] = r.hash
		}
		p.prep = im.db.prepareBulkOn(p.creates, im.workers, &im.names, hashes, orgs)
		if orgs != nil && im.w != nil {
			var err error
			if p.inserts, err = memberInserts(p.prep, orgs, &im.w.shapes, im.now); err != nil {
				return nil, err
			}
		}
	}
	return p, nil
}

// apply writes a checked batch (tx nil: a dry run, nothing) and adds its
// rows to the report.
func (im *importer) apply(ctx context.Context, tx *Tx, p *batchPlan) error {
	rows, createRows := p.rows, p.createRows
	if tx != nil {
		if im.opt.Progress != nil {
			im.opt.Progress(nuanxin.ImportProgress{Phase: "write", Rows: im.done, Total: im.opt.Expected})
		}
		if len(p.prep) > 0 {
			var ids []int64
			var err error
			if im.suspended != nil && len(im.suspended.partial) > 0 {
				// The first 会员证号, 工号 or phone: its index is built at the end now.
				if err := im.suspended.dropFor(ctx, p.prep); err != nil {
					return err
				}
			}
			if im.db.dialect == SQLite {
				ids, err = tx.insertBulkSQLite(ctx, im.w, p.prep, im.orgs, p.inserts)
			} else {
				ids, err = tx.insertBulkPostgres(ctx, im.w, p.prep, im.orgs)
			}
			if err != nil {
				return err
			}
			for i, r := range createRows {
				r.res.MemberID = ids[i]
			}
			if err := tx.audit(ctx, "member.import", "member", 0, im.root.Path, nil,
				map[string]any{"count": len(ids), "first_id": ids[0], "last_id": ids[len(ids)-1], "first_row": createRows[0].in.Row}); err != nil {
				return err
			}
		}
		for _, r := range p.updateRows {
			if err := im.update(ctx, tx, r); err != nil {
				return err
			}
		}
	}

	for _, r := range rows {
		errs := append(append([]nuanxin.RowError(nil), r.in.Errors...), r.errs...)
		if r.in.Rejected() || len(r.errs) > 0 {
			r.res.Outcome = nuanxin.OutcomeRejected
		}
		for _, e := range errs {
			if e.Warning {
				e.Reason = nuanxin.T("import.warning", e.Reason)
			}
			im.rep.Errors = append(im.rep.Errors, e)
		}
		im.rep.Add(r.res)
	}
	im.done += len(rows)
	if im.opt.Progress != nil {
		im.opt.Progress(nuanxin.ImportProgress{Phase: "read", Rows: im.done, Total: im.opt.Expected})
	}
	return nil
}

// transfer rejects a row whose person belongs to an org outside the
// import's subtree. The message names that org only if the user may see it.
func (im *importer) transfer(r *importRow, old *nuanxin.Member) {
	released := old.Status == nuanxin.StatusTransferred || old.Status == nuanxin.StatusWithdrawn
	switch {
	case im.s.Can(nuanxin.PermMemberRead, old.OrgPath) && !released:
		r.reject("id_number", nuanxin.T("import.transfer", old.OrgName))
		r.res.Transfer = old.OrgName
	case released:
		r.reject("id_number", nuanxin.T("import.transfer_released"))
		r.res.Transfer = nuanxin.T("import.other_org")
	default:
		r.reject("id_number", nuanxin.T("import.transfer_hidden"))
		r.res.Transfer = nuanxin.T("import.other_org")
	}
}

// update writes one changed member; the version check makes a concurrent
// edit of the same member fail the import instead of being overwritten.
func (im *importer) update(ctx context.Context, tx *Tx, r *importRow) error {
	m, old := &r.in.Member, r.old
	m.Pinyin = pinyin.Sort(m.Name)
	res, err := tx.ExecContext(ctx, `UPDATE members SET name = $1, pinyin = $2, sex = $3, birth_date = $4, birth_md = $5, phone = $6,
		ethnicity = $7, political = $8, education = $9, category = $10, department = $11, post = $12, employee_no = $13,
		hire_date = $14, join_date = $15, card_no = $16, notes = $17, org_id = $18, org_path = $19, version = version + 1, updated_at = $20
		WHERE id = $21 AND version = $22`,
		m.Name, m.Pinyin, nullStr(string(m.Sex)), m.BirthDate, birthMD(m.BirthDate), nullStr(m.Phone),
		m.Ethnicity, m.Political, m.Education, m.Category, m.Department, m.Post, nullStr(m.EmployeeNo),
		m.HireDate, m.JoinDate, nullStr(m.CardNo), m.Notes, r.org.ID, r.org.Path, ms(tx.now), old.ID, old.Version)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nuanxin.Errorf(nuanxin.ECONFLICT, "import.stale", r.in.Row)
	}
	if m.Name != old.Name {
		if err := tx.writeKeys(ctx, old.ID, r.org.Path, m.Name, true); err != nil {
			return err
		}
	} else if r.org.ID != old.OrgID {
		if _, err := tx.ExecContext(ctx, `UPDATE member_keys SET org_path = $1 WHERE member_id = $2`, r.org.Path, old.ID); err != nil {
			return err
		}
	}
	if r.org.ID != old.OrgID {
		if err := tx.addEvent(ctx, &nuanxin.MemberEvent{MemberID: old.ID, Kind: nuanxin.EventTransferIn, Date: im.today,
			FromOrgID: old.OrgID, ToOrgID: r.org.ID, Notes: nuanxin.T("import.event_note")}); err != nil {
			return err
		}
	}
	if m.Category == nuanxin.CategoryRetired && old.Category != nuanxin.CategoryRetired {
		if err := tx.addEvent(ctx, &nuanxin.MemberEvent{MemberID: old.ID, Kind: nuanxin.EventRetire, Date: im.today, Notes: nuanxin.T("import.event_note")}); err != nil {
			return err
		}
	}
	before, after := map[string]string{}, map[string]string{}
	for _, c := range r.changes {
		before[c.Field], after[c.Field] = c.Old, c.New
	}
	after["row"] = itoa(r.in.Row)
	return tx.audit(ctx, "member.import_update", "member", old.ID, r.org.Path, before, after)
}

// lookupMasked finds the members under the import's org with one of the
// names whose masked 身份证号 is one of masked, keyed masked|name. It walks
// the name keys (indexed by name and subtree), then compares the masks.
func (im *importer) lookupMasked(ctx context.Context, q querier, names, masked []any) (map[string][]*nuanxin.Member, error) {
	out := map[string][]*nuanxin.Member{}
	want := map[string]bool{}
	for i := range masked {
		want[masked[i].(string)+"|"+names[i].(string)] = true
	}
	const chunk = 500
	seen := map[int64]bool{}
	for start := 0; start < len(names); start += chunk {
		part := names[start:min(start+chunk, len(names))]
		args := []any{im.root.Path, prefixEnd(im.root.Path)}
		var b strings.Builder
		for i := range part {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("$" + itoa(i+3))
		}
		args = append(args, part...)
		rows, err := q.QueryContext(ctx, `SELECT `+memberCols+` FROM member_keys k JOIN members m ON m.id = k.member_id
			JOIN orgs o ON o.id = m.org_id WHERE k.org_path >= $1 AND k.org_path < $2 AND k.key IN (`+b.String()+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			m, err := scanMember(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			k := m.IDMasked + "|" + m.Name
			if want[k] && !seen[m.ID] {
				seen[m.ID] = true
				out[k] = append(out[k], m)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (im *importer) checkEmpty(ctx context.Context, q querier) error {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM members LIMIT 1`).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		im.empty = true
		return nil
	}
	return err
}
