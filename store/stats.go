package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nuanxin/nuanxin"
)

// The figures of the dashboard, the statistics page and the 工作总结
// (nuanxin.StatsService): one function each. Care figures read the running
// totals of tally.go for the whole months of the period and the cases
// themselves only for the days of a month cut by the period's ends.
// Distinct persons come from care_reach_tallies when the period runs from
// 1 January to the end of a month of the same year (a year, the first
// half, year to date); any other period counts them from the cases.

// statsRoot is the subtree of a figure: the org asked for, or, with none,
// the one org the caller's scope holds (nil when the scope spans several
// trees or the whole installation).
func (db *DB) statsRoot(ctx context.Context, s *nuanxin.Scope, perm nuanxin.Perm, orgID int64) (*nuanxin.Org, error) {
	if orgID != 0 {
		return orgInScope(ctx, db.read, s, perm, orgID)
	}
	paths := s.Paths(perm)
	if len(paths) != 1 || paths[0] == "/" {
		return nil, nil
	}
	ids := nuanxin.PathIDs(paths[0])
	if len(ids) == 0 {
		return nil, nil
	}
	return orgInScope(ctx, db.read, s, perm, ids[len(ids)-1])
}

// within is the SQL condition "col is in the scope's paths for perm and
// under root".
func within(col string, s *nuanxin.Scope, perm nuanxin.Perm, root *nuanxin.Org, args *[]any) string {
	cond := scopeCond(col, s.Paths(perm), args)
	if root != nil {
		*args = append(*args, root.Path, prefixEnd(root.Path))
		cond += " AND " + col + " >= $" + itoa(len(*args)-1) + " AND " + col + " <= $" + itoa(len(*args))
	}
	return cond
}

// filterCol marks a subtree column as a filter, never the index to read
// (SQLite's "+col"): with bound parameters SQLite cannot tell that a
// subtree's range may hold every row, and read a million members by
// org_path where an index on the date or the birthday reads a few
// thousand. PostgreSQL plans with the values and needs nothing.
func (db *DB) filterCol(col string) string {
	if db.dialect == SQLite {
		return "+" + col
	}
	return col
}

// periodCut splits a period into the whole months the tallies answer
// (lo..hi as YYYYMM, none when lo > hi) and the days of cut months, which
// are read from the cases.
type periodCut struct {
	all    bool // no period: every month
	lo, hi int
	edges  []nuanxin.Period
	// exact: distinct persons are a sum of care_reach_tallies over lo..hi.
	exact bool
}

func cutPeriod(p nuanxin.Period) periodCut {
	if p.From.IsZero() && p.To.IsZero() {
		return periodCut{all: true}
	}
	c := periodCut{lo: 1, hi: 0}
	for _, m := range p.Months() {
		mp := nuanxin.MonthPeriod(m/100, time.Month(m%100))
		if !mp.From.Before(p.From) && !mp.To.After(p.To) {
			if c.lo > c.hi {
				c.lo = m
			}
			c.hi = m
			continue
		}
		e := mp
		if e.From.Before(p.From) {
			e.From = p.From
		}
		if e.To.After(p.To) {
			e.To = p.To
		}
		c.edges = append(c.edges, e)
	}
	c.exact = len(c.edges) == 0 && p.From.Month == 1 && p.From.Day == 1 && p.To.Year == p.From.Year
	return c
}

// careDim is a dimension a care figure is grouped by, as a column of the
// tallies and of the cases.
type careDim struct{ tally, cases string }

var (
	dimCategory = careDim{"t.category", "c.category"}
	dimForm     = careDim{"t.form", "c.form"}
	dimOrg      = careDim{"o.path", "o.path"}
	dimNone     = careDim{"''", "''"}
)

func (db *DB) dimMonth() careDim {
	return careDim{"t.month", db.monthExpr("c.event_date")}
}

// careSum is one group of a care figure.
type careSum struct {
	keys    []string
	cases   int
	persons int
	amount  nuanxin.Money
}

// careSums adds up the cases and amounts of the paid cases of f under
// dims: tallies for whole months, cases for cut ones.
func (db *DB) careSums(ctx context.Context, s *nuanxin.Scope, f nuanxin.StatsFilter, dims ...careDim) (map[string]*careSum, error) {
	root, err := db.statsRoot(ctx, s, nuanxin.PermCareRead, f.OrgID)
	if err != nil {
		return nil, err
	}
	cut := cutPeriod(f.Period)
	out := map[string]*careSum{}
	add := func(rows *sql.Rows) error {
		defer rows.Close()
		vals := make([]string, len(dims))
		ptrs := make([]any, 0, len(dims)+2)
		for i := range vals {
			ptrs = append(ptrs, &vals[i])
		}
		var n int
		var amount int64
		ptrs = append(ptrs, &n, &amount)
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			k := strings.Join(vals, "\x00")
			sum := out[k]
			if sum == nil {
				sum = &careSum{keys: append([]string(nil), vals...)}
				out[k] = sum
			}
			sum.cases += n
			sum.amount += nuanxin.Money(amount)
		}
		return rows.Err()
	}
	cols := func(pick func(careDim) string) string {
		var b strings.Builder
		for _, d := range dims {
			b.WriteString(pick(d))
			b.WriteString(", ")
		}
		return b.String()
	}
	group := func(pick func(careDim) string) string {
		if len(dims) == 0 {
			return ""
		}
		parts := make([]string, len(dims))
		for i, d := range dims {
			parts[i] = pick(d)
		}
		return " GROUP BY " + strings.Join(parts, ", ")
	}
	tallyCol := func(d careDim) string { return d.tally }
	caseCol := func(d careDim) string { return d.cases }
	if cut.all || cut.lo <= cut.hi {
		var args []any
		cond := within("o.path", s, nuanxin.PermCareRead, root, &args)
		if !cut.all {
			args = append(args, cut.lo, cut.hi)
			cond += " AND t.month >= $" + itoa(len(args)-1) + " AND t.month <= $" + itoa(len(args))
		}
		if f.CampaignID != 0 {
			args = append(args, f.CampaignID)
			cond += " AND t.campaign_id = $" + itoa(len(args))
		}
		rows, err := db.read.QueryContext(ctx, `SELECT `+cols(tallyCol)+`COALESCE(SUM(t.cases), 0), COALESCE(SUM(t.amount), 0)
			FROM care_tallies t JOIN orgs o ON o.id = t.org_id WHERE `+cond+group(tallyCol), args...)
		if err != nil {
			return nil, err
		}
		if err := add(rows); err != nil {
			return nil, err
		}
	}
	for _, e := range cut.edges {
		cond, args := db.casesWhere(s, root, f.CampaignID, e)
		rows, err := db.read.QueryContext(ctx, `SELECT `+cols(caseCol)+`COUNT(*), COALESCE(SUM(c.amount), 0)
			FROM care_cases c JOIN orgs o ON o.id = c.org_id WHERE `+cond+group(caseCol), args...)
		if err != nil {
			return nil, err
		}
		if err := add(rows); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// casesWhere selects the paid cases of a subtree, campaign and period from
// care_cases c joined with orgs o.
func (db *DB) casesWhere(s *nuanxin.Scope, root *nuanxin.Org, campaignID int64, p nuanxin.Period) (string, []any) {
	var args []any
	cond := within("o.path", s, nuanxin.PermCareRead, root, &args) + " AND c.status IN ('paid','signed')"
	if campaignID != 0 {
		args = append(args, campaignID)
		cond += " AND c.campaign_id = $" + itoa(len(args))
	}
	if !p.From.IsZero() {
		args = append(args, p.From)
		cond += " AND c.event_date >= $" + itoa(len(args))
	}
	if !p.To.IsZero() {
		args = append(args, p.To)
		cond += " AND c.event_date <= $" + itoa(len(args))
	}
	return cond, args
}

// carePersons counts the distinct persons of f under one dimension
// (dimNone, dimCategory or dimOrg). Per category a person counts once in
// each category; otherwise once over all categories.
func (db *DB) carePersons(ctx context.Context, s *nuanxin.Scope, f nuanxin.StatsFilter, dim careDim) (map[string]int, error) {
	root, err := db.statsRoot(ctx, s, nuanxin.PermCareRead, f.OrgID)
	if err != nil {
		return nil, err
	}
	cut := cutPeriod(f.Period)
	out := map[string]int{}
	var rows *sql.Rows
	groupBy := func(col string) string {
		if dim == dimNone { // PostgreSQL refuses GROUP BY a constant
			return ""
		}
		return " GROUP BY " + col
	}
	if cut.exact && f.CampaignID == 0 {
		var args []any
		cond := within("o.path", s, nuanxin.PermCareRead, root, &args)
		args = append(args, cut.lo, cut.hi)
		cond += " AND t.month >= $" + itoa(len(args)-1) + " AND t.month <= $" + itoa(len(args))
		if dim == dimCategory {
			cond += " AND t.category <> ''"
		} else {
			cond += " AND t.category = ''"
		}
		rows, err = db.read.QueryContext(ctx, `SELECT `+dim.tally+`, COALESCE(SUM(t.persons), 0)
			FROM care_reach_tallies t JOIN orgs o ON o.id = t.org_id WHERE `+cond+groupBy(dim.tally), args...)
	} else {
		cond, args := db.casesWhere(s, root, f.CampaignID, f.Period)
		rows, err = db.read.QueryContext(ctx, `SELECT `+dim.cases+`, COUNT(DISTINCT c.member_id)
			FROM care_cases c JOIN orgs o ON o.id = c.org_id WHERE `+cond+groupBy(dim.cases), args...)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] += n
	}
	return out, rows.Err()
}

// CareTotal is the period's paid care: cases, distinct persons, amount.
func (db *DB) CareTotal(ctx context.Context, s *nuanxin.Scope, f nuanxin.StatsFilter) (nuanxin.CareStat, error) {
	st := nuanxin.CareStat{Label: nuanxin.T("stats.total")}
	sums, err := db.careSums(ctx, s, f)
	if err != nil {
		return st, err
	}
	for _, x := range sums {
		st.Cases += x.cases
		st.Amount += x.amount
	}
	persons, err := db.carePersons(ctx, s, f, dimNone)
	if err != nil {
		return st, err
	}
	for _, n := range persons {
		st.Persons += n
	}
	return st, nil
}

// CareByCategory: cases (人次), persons and amount per category, in the
// order of nuanxin.CareCategories (a union's own categories after).
func (db *DB) CareByCategory(ctx context.Context, s *nuanxin.Scope, f nuanxin.StatsFilter) ([]nuanxin.CareStat, error) {
	sums, err := db.careSums(ctx, s, f, dimCategory)
	if err != nil {
		return nil, err
	}
	persons, err := db.carePersons(ctx, s, f, dimCategory)
	if err != nil {
		return nil, err
	}
	out := statLines(sums, func(k string) string { return nuanxin.CareCategory(k).Label() })
	for i := range out {
		out[i].Persons = persons[out[i].Key]
	}
	sortStats(out, func(k string) int { return categoryRank(nuanxin.CareCategory(k)) })
	return out, nil
}

func categoryRank(c nuanxin.CareCategory) int {
	for i, x := range nuanxin.CareCategories {
		if x == c {
			return i
		}
	}
	return len(nuanxin.CareCategories)
}

// CareByForm: cases and amount per form (实物, 慰问金 …). Persons are not
// counted per form.
func (db *DB) CareByForm(ctx context.Context, s *nuanxin.Scope, f nuanxin.StatsFilter) ([]nuanxin.CareStat, error) {
	sums, err := db.careSums(ctx, s, f, dimForm)
	if err != nil {
		return nil, err
	}
	out := statLines(sums, func(k string) string { return nuanxin.CareForm(k).Label() })
	sortStats(out, func(k string) int {
		for i, x := range nuanxin.CareForms {
			if string(x) == k {
				return i
			}
		}
		return len(nuanxin.CareForms)
	})
	return out, nil
}

// CareByMonth has a line for every month of the period (key "2026-03"),
// zero or not. Persons are not counted per month.
func (db *DB) CareByMonth(ctx context.Context, s *nuanxin.Scope, f nuanxin.StatsFilter) ([]nuanxin.CareStat, error) {
	sums, err := db.careSums(ctx, s, f, db.dimMonth())
	if err != nil {
		return nil, err
	}
	months := f.Period.Months()
	if !f.Period.Valid() {
		months = nil
		for _, x := range sums {
			months = append(months, atoiOr(x.keys[0]))
		}
		sort.Ints(months)
	}
	out := make([]nuanxin.CareStat, 0, len(months))
	for _, m := range months {
		st := nuanxin.CareStat{Key: monthKey(m), Label: nuanxin.T("period.month", m/100, m%100)}
		if x := sums[itoa(m)]; x != nil {
			st.Cases, st.Amount = x.cases, x.amount
		}
		out = append(out, st)
	}
	return out, nil
}

func monthKey(m int) string {
	return itoa(m/100) + "-" + string([]byte{byte('0' + m%100/10), byte('0' + m%10)})
}

func atoiOr(s string) int {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0
		}
		n = n*10 + int(r-'0')
	}
	return n
}

func statLines(sums map[string]*careSum, label func(string) string) []nuanxin.CareStat {
	out := make([]nuanxin.CareStat, 0, len(sums))
	for _, x := range sums {
		k := x.keys[0]
		out = append(out, nuanxin.CareStat{Key: k, Label: label(k), Cases: x.cases, Amount: x.amount})
	}
	return out
}

func sortStats(st []nuanxin.CareStat, rank func(string) int) {
	sort.SliceStable(st, func(i, j int) bool {
		ri, rj := rank(st[i].Key), rank(st[j].Key)
		if ri != rj {
			return ri < rj
		}
		return st[i].Key < st[j].Key
	})
}

// statsRows are the rows of the pivot and the coverage ranking: the
// root's direct suborgs, then the root's own records (Own), or, with no
// single root, the top orgs of the scope.
func (db *DB) statsRows(ctx context.Context, s *nuanxin.Scope, perm nuanxin.Perm, orgID int64) ([]nuanxin.PivotOrg, []string, error) {
	root, err := db.statsRoot(ctx, s, perm, orgID)
	if err != nil {
		return nil, nil, err
	}
	var args []any
	cond := scopeCond("o.path", s.Paths(perm), &args)
	if root != nil {
		args = append(args, root.ID)
		cond += " AND o.parent_id = $" + itoa(len(args))
	}
	rows, err := db.read.QueryContext(ctx, `SELECT o.id, o.name, o.path, o.closed FROM orgs o WHERE `+cond+` ORDER BY o.path`, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var orgs []nuanxin.PivotOrg
	var paths []string
	for rows.Next() {
		var o nuanxin.PivotOrg
		var path string
		var closed bool
		if err := rows.Scan(&o.ID, &o.Name, &path, &closed); err != nil {
			return nil, nil, err
		}
		// With no root, keep only the tops: orgs no other listed org holds.
		if root == nil && len(paths) > 0 && strings.HasPrefix(path, paths[len(paths)-1]) {
			continue
		}
		orgs = append(orgs, o)
		paths = append(paths, path)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if root != nil {
		orgs = append(orgs, nuanxin.PivotOrg{ID: root.ID, Name: root.Name, Own: true})
		paths = append(paths, root.Path)
	}
	return orgs, paths, nil
}

// rowOf finds the row of an org path: the suborg holding it, or the own
// row for the root itself (the last path); -1 when none.
func rowOf(paths []string, own bool, path string) int {
	n := len(paths)
	if own {
		n--
	}
	// Suborg paths are sorted: binary search the last one <= path.
	i := sort.SearchStrings(paths[:n], path)
	if i < n && paths[i] == path {
		return i
	}
	if i > 0 && strings.HasPrefix(path, paths[i-1]) {
		return i - 1
	}
	if own && path == paths[len(paths)-1] {
		return len(paths) - 1
	}
	return -1
}

// CarePivot: org × category × month, cases and amount per cell.
func (db *DB) CarePivot(ctx context.Context, s *nuanxin.Scope, f nuanxin.StatsFilter) (*nuanxin.CarePivot, error) {
	orgs, paths, err := db.statsRows(ctx, s, nuanxin.PermCareRead, f.OrgID)
	if err != nil {
		return nil, err
	}
	sums, err := db.careSums(ctx, s, f, dimOrg, dimCategory, db.dimMonth())
	if err != nil {
		return nil, err
	}
	own := len(orgs) > 0 && orgs[len(orgs)-1].Own
	p := &nuanxin.CarePivot{Orgs: orgs, Months: f.Period.Months()}
	seenCat := map[nuanxin.CareCategory]bool{}
	seenMonth := map[int]bool{}
	for _, m := range p.Months {
		seenMonth[m] = true
	}
	for _, x := range sums {
		c := nuanxin.CareCategory(x.keys[1])
		if !seenCat[c] {
			seenCat[c] = true
			p.Categories = append(p.Categories, c)
		}
		if m := atoiOr(x.keys[2]); !seenMonth[m] {
			seenMonth[m] = true
			p.Months = append(p.Months, m)
		}
	}
	sort.SliceStable(p.Categories, func(i, j int) bool {
		ri, rj := categoryRank(p.Categories[i]), categoryRank(p.Categories[j])
		if ri != rj {
			return ri < rj
		}
		return p.Categories[i] < p.Categories[j]
	})
	sort.Ints(p.Months)
	catIdx := map[string]int{}
	for i, c := range p.Categories {
		catIdx[string(c)] = i
	}
	monthIdx := map[int]int{}
	for i, m := range p.Months {
		monthIdx[m] = i
	}
	p.Cells = make([][][]nuanxin.PivotCell, len(orgs))
	for i := range p.Cells {
		p.Cells[i] = make([][]nuanxin.PivotCell, len(p.Categories))
		for j := range p.Cells[i] {
			p.Cells[i][j] = make([]nuanxin.PivotCell, len(p.Months))
		}
	}
	for _, x := range sums {
		r := rowOf(paths, own, x.keys[0])
		if r < 0 {
			continue
		}
		cell := &p.Cells[r][catIdx[x.keys[1]]][monthIdx[atoiOr(x.keys[2])]]
		cell.Cases += x.cases
		cell.Amount += x.amount
	}
	return p, nil
}

// memberGroup is the count of members of one org path, status and
// category.
type memberGroup struct {
	path string
	st   nuanxin.MemberStatus
	cat  nuanxin.Category
	n    int
}

// memberCache keeps the last member counts per subtree until the next
// committed write, for memberCacheTTL at most (another process may write
// the same PostgreSQL database): the dashboard reads them twice, for the
// 会员 card and for the coverage ranking.
type memberCache struct {
	mu      sync.Mutex
	entries map[string]memberCacheEntry
}

type memberCacheEntry struct {
	writes uint64
	at     time.Time
	rows   []memberGroup
}

const memberCacheTTL = 10 * time.Second

// memberGroups counts the members of a subtree by org path, status and
// category: one pass over the members_org_status index, which SQLite
// reads in order (a million members in about 0.15 s).
func (db *DB) memberGroups(ctx context.Context, s *nuanxin.Scope, root *nuanxin.Org, fn func(path string, st nuanxin.MemberStatus, cat nuanxin.Category, n int)) error {
	var args []any
	cond := within("m.org_path", s, nuanxin.PermMemberRead, root, &args)
	key := cond + fmt.Sprint(args...)
	writes := db.writes.Load()
	db.members.mu.Lock()
	e, ok := db.members.entries[key]
	db.members.mu.Unlock()
	if !ok || e.writes != writes || time.Since(e.at) > memberCacheTTL {
		rows, err := db.read.QueryContext(ctx, `SELECT m.org_path, m.status, m.category, COUNT(*) FROM members m
			WHERE `+cond+` GROUP BY m.org_path, m.status, m.category`, args...)
		if err != nil {
			return err
		}
		e = memberCacheEntry{writes: writes, at: time.Now()}
		for rows.Next() {
			var g memberGroup
			if err := rows.Scan(&g.path, &g.st, &g.cat, &g.n); err != nil {
				rows.Close()
				return err
			}
			e.rows = append(e.rows, g)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		db.members.mu.Lock()
		if db.members.entries == nil || len(db.members.entries) > 100 {
			db.members.entries = map[string]memberCacheEntry{}
		}
		db.members.entries[key] = e
		db.members.mu.Unlock()
	}
	for _, g := range e.rows {
		fn(g.path, g.st, g.cat, g.n)
	}
	return nil
}

// MemberFigures counts the members of a subtree now.
func (db *DB) MemberFigures(ctx context.Context, s *nuanxin.Scope, f nuanxin.StatsFilter) (*nuanxin.MemberFigures, error) {
	root, err := db.statsRoot(ctx, s, nuanxin.PermMemberRead, f.OrgID)
	if err != nil {
		return nil, err
	}
	mf := &nuanxin.MemberFigures{ByStatus: map[nuanxin.MemberStatus]int{}, ByCategory: map[nuanxin.Category]int{}}
	if err := db.memberGroups(ctx, s, root, func(_ string, st nuanxin.MemberStatus, cat nuanxin.Category, n int) {
		mf.Total += n
		mf.ByStatus[st] += n
		if st == nuanxin.StatusMember {
			mf.ByCategory[cat] += n
		}
	}); err != nil {
		return nil, err
	}
	return mf, nil
}

// MemberEvents counts the period's 会籍变动 of the members now in the
// subtree. It reads every event of the period with its member (a year of
// a million-member union: about 0.6 s on SQLite), so the dashboard leaves
// it to the 工作总结.
func (db *DB) MemberEvents(ctx context.Context, s *nuanxin.Scope, f nuanxin.StatsFilter) (map[nuanxin.EventKind]int, error) {
	root, err := db.statsRoot(ctx, s, nuanxin.PermMemberRead, f.OrgID)
	if err != nil {
		return nil, err
	}
	out := map[nuanxin.EventKind]int{}
	if !f.Period.Valid() {
		return out, nil
	}
	var args []any
	cond := within(db.filterCol("m.org_path"), s, nuanxin.PermMemberRead, root, &args)
	args = append(args, f.Period.From, f.Period.To)
	// CROSS JOIN: the period's events first (see mustVisit's deaths).
	rows, err := db.read.QueryContext(ctx, `SELECT e.kind, COUNT(*) FROM member_events e CROSS JOIN members m
		WHERE m.id = e.member_id AND `+cond+` AND e.date >= $`+itoa(len(args)-1)+` AND e.date <= $`+itoa(len(args))+` GROUP BY e.kind`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k nuanxin.EventKind
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}

// Coverage ranks the root's direct suborgs by people cared for in the
// period ÷ members in 在会, lowest first (ties by name). The root's own
// members and cases make a line of their own when there are any.
func (db *DB) Coverage(ctx context.Context, s *nuanxin.Scope, f nuanxin.StatsFilter) ([]nuanxin.OrgCoverage, error) {
	orgs, paths, err := db.statsRows(ctx, s, nuanxin.PermCareRead, f.OrgID)
	if err != nil {
		return nil, err
	}
	root, err := db.statsRoot(ctx, s, nuanxin.PermCareRead, f.OrgID)
	if err != nil {
		return nil, err
	}
	own := len(orgs) > 0 && orgs[len(orgs)-1].Own
	out := make([]nuanxin.OrgCoverage, len(orgs))
	for i, o := range orgs {
		out[i] = nuanxin.OrgCoverage{OrgID: o.ID, OrgName: o.Name}
	}
	if s.CanAny(nuanxin.PermMemberRead) {
		if err := db.memberGroups(ctx, s, root, func(path string, st nuanxin.MemberStatus, _ nuanxin.Category, n int) {
			if st != nuanxin.StatusMember {
				return
			}
			if r := rowOf(paths, own, path); r >= 0 {
				out[r].Members += n
			}
		}); err != nil {
			return nil, err
		}
	}
	sums, err := db.careSums(ctx, s, f, dimOrg)
	if err != nil {
		return nil, err
	}
	for _, x := range sums {
		if r := rowOf(paths, own, x.keys[0]); r >= 0 {
			out[r].Cases += x.cases
			out[r].Amount += x.amount
		}
	}
	persons, err := db.carePersons(ctx, s, f, dimOrg)
	if err != nil {
		return nil, err
	}
	for path, n := range persons {
		if r := rowOf(paths, own, path); r >= 0 {
			out[r].Persons += n
		}
	}
	// The root's own line only when it has members or cases.
	if own && out[len(out)-1].Members == 0 && out[len(out)-1].Cases == 0 {
		out = out[:len(out)-1]
	}
	sort.SliceStable(out, func(i, j int) bool {
		ri, rj := out[i].Rate(), out[j].Rate()
		if ri != rj {
			return ri < rj
		}
		return out[i].OrgName < out[j].OrgName
	})
	return out, nil
}

// Campaigns lists the campaigns of the subtree whose days overlap the
// period, with what has been paid against each budget.
func (db *DB) Campaigns(ctx context.Context, s *nuanxin.Scope, f nuanxin.StatsFilter) ([]nuanxin.CampaignFigure, error) {
	root, err := db.statsRoot(ctx, s, nuanxin.PermCareRead, f.OrgID)
	if err != nil {
		return nil, err
	}
	var args []any
	cond := within("c.org_path", s, nuanxin.PermCareRead, root, &args)
	if f.Period.Valid() {
		args = append(args, f.Period.To, f.Period.From)
		cond += " AND c.date_from <= $" + itoa(len(args)-1) + " AND c.date_to >= $" + itoa(len(args))
	}
	if f.CampaignID != 0 {
		args = append(args, f.CampaignID)
		cond += " AND c.id = $" + itoa(len(args))
	}
	rows, err := db.read.QueryContext(ctx, `SELECT c.id, c.name, o.name, c.kind, c.status, c.date_from, c.date_to, c.budget,
		COALESCE((SELECT SUM(t.cases) FROM care_tallies t WHERE t.campaign_id = c.id), 0),
		COALESCE((SELECT SUM(t.amount) FROM care_tallies t WHERE t.campaign_id = c.id), 0),
		(SELECT COUNT(*) FROM campaign_org_recipients r WHERE r.campaign_id = c.id AND r.outcome = 'delivered'),
		COALESCE((SELECT SUM(r.cash + r.goods_value) FROM campaign_org_recipients r WHERE r.campaign_id = c.id AND r.outcome = 'delivered'), 0)
		FROM campaigns c JOIN orgs o ON o.id = c.org_id WHERE `+cond+` ORDER BY c.date_from, c.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []nuanxin.CampaignFigure
	for rows.Next() {
		var c nuanxin.CampaignFigure
		var budget, spent, orgSpent int64
		if err := rows.Scan(&c.ID, &c.Name, &c.OrgName, &c.Kind, &c.Status, &c.From, &c.To, &budget,
			&c.Persons, &spent, &c.Orgs, &orgSpent); err != nil {
			return nil, err
		}
		c.Budget, c.Spent = nuanxin.Money(budget), nuanxin.Money(spent+orgSpent)
		out = append(out, c)
	}
	return out, rows.Err()
}

// Backlog counts what still waits in the subtree now: cases submitted,
// reviewed, approved and paid but not signed for (imported historical
// records never wait for a signature). A case is overdue when it has
// waited at its step more than nuanxin.OverdueDays.
func (db *DB) Backlog(ctx context.Context, s *nuanxin.Scope, f nuanxin.StatsFilter, today nuanxin.Date) (*nuanxin.Backlog, error) {
	root, err := db.statsRoot(ctx, s, nuanxin.PermCareRead, f.OrgID)
	if err != nil {
		return nil, err
	}
	if today.IsZero() {
		today = db.today()
	}
	limit := today.AddDays(-nuanxin.OverdueDays)
	b := &nuanxin.Backlog{}
	for _, st := range []nuanxin.CareStatus{nuanxin.CareSubmitted, nuanxin.CareReviewed, nuanxin.CareApproved, nuanxin.CarePaid} {
		var args []any
		args = append(args, string(st))
		cond := "c.status = $1 AND " + within("c.org_path", s, nuanxin.PermCareRead, root, &args)
		var q string
		if st == nuanxin.CarePaid {
			// Waiting since payment.
			args = append(args, limit)
			q = `SELECT COUNT(*), COALESCE(SUM(c.amount), 0), MIN(c.paid_on), COALESCE(SUM(CASE WHEN c.paid_on < $` + itoa(len(args)) + ` THEN 1 ELSE 0 END), 0)
				FROM care_cases c WHERE ` + cond + ` AND NOT c.historical`
		} else {
			// Waiting since the last step (updated_at, ms).
			args = append(args, limit.Time().Add(-8*time.Hour).UnixMilli())
			q = `SELECT COUNT(*), COALESCE(SUM(c.amount), 0), MIN(c.updated_at), COALESCE(SUM(CASE WHEN c.updated_at < $` + itoa(len(args)) + ` THEN 1 ELSE 0 END), 0)
				FROM care_cases c WHERE ` + cond
		}
		line := nuanxin.BacklogLine{Status: st}
		var amount int64
		var oldest any
		if err := db.read.QueryRowContext(ctx, q, args...).Scan(&line.Count, &amount, &oldest, &line.Overdue); err != nil {
			return nil, err
		}
		line.Amount = nuanxin.Money(amount)
		switch v := oldest.(type) {
		case int64:
			line.Oldest = nuanxin.DateOf(fromMS(v))
		case nil:
		default:
			_ = line.Oldest.Scan(v)
		}
		if line.Count > 0 {
			b.Lines = append(b.Lines, line)
		}
	}
	return b, nil
}

// HardshipFigures counts the people with a 困难职工档案 of the period's
// years, by tier.
func (db *DB) HardshipFigures(ctx context.Context, s *nuanxin.Scope, f nuanxin.StatsFilter) (map[nuanxin.HardshipTier]int, error) {
	root, err := db.statsRoot(ctx, s, nuanxin.PermCareRead, f.OrgID)
	if err != nil {
		return nil, err
	}
	var args []any
	cond := within("h.org_path", s, nuanxin.PermCareRead, root, &args)
	if f.Period.Valid() {
		args = append(args, f.Period.From.Year, f.Period.To.Year)
		cond += " AND h.year >= $" + itoa(len(args)-1) + " AND h.year <= $" + itoa(len(args))
	}
	rows, err := db.read.QueryContext(ctx, `SELECT h.tier, COUNT(DISTINCT h.member_id) FROM hardship_files h WHERE `+cond+` GROUP BY h.tier`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[nuanxin.HardshipTier]int{}
	for rows.Next() {
		var t nuanxin.HardshipTier
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			return nil, err
		}
		out[t] = n
	}
	return out, rows.Err()
}
