package store

import (
	"context"
	"strings"

	"github.com/nuanxin/nuanxin"
)

// CareTodo counts what waits for the caller and lists the must-visit people
// (五必访) of the subtree.
func (db *DB) CareTodo(ctx context.Context, s *nuanxin.Scope, orgID int64, today nuanxin.Date) (*nuanxin.CareTodo, error) {
	return db.careTodo(ctx, s, orgID, today, true)
}

func (db *DB) CareTodoCounts(ctx context.Context, s *nuanxin.Scope, orgID int64) (*nuanxin.CareTodo, error) {
	return db.careTodo(ctx, s, orgID, nuanxin.Date{}, false)
}

func (db *DB) careTodo(ctx context.Context, s *nuanxin.Scope, orgID int64, today nuanxin.Date, visits bool) (*nuanxin.CareTodo, error) {
	if today.IsZero() {
		today = db.today()
	}
	t := &nuanxin.CareTodo{MustVisitCounts: map[nuanxin.MustVisitKind]int{}, MustVisitCapped: map[nuanxin.MustVisitKind]bool{}}
	root := ""
	if orgID != 0 {
		org, err := orgInScope(ctx, db.read, s, nuanxin.PermCareRead, orgID)
		if err != nil {
			return nil, err
		}
		root = org.Path
	}
	within := func(col string, perm nuanxin.Perm, args *[]any) string {
		cond := scopeCond(col, s.Paths(perm), args)
		if root != "" {
			*args = append(*args, root, prefixEnd(root))
			cond += " AND " + col + " >= $" + itoa(len(*args)-1) + " AND " + col + " <= $" + itoa(len(*args))
		}
		return cond
	}
	// Counts by org and status, then each line goes to whoever acts on it:
	// a submitted case waits for review, or for approval where the org
	// approves in one step. Imported historical records are paid with no
	// signature to collect, so they never wait for one.
	var args []any
	cond := within(db.filterCol("c.org_path"), nuanxin.PermCareRead, &args)
	args = append(args, s.UserID)
	rows, err := db.read.QueryContext(ctx, `SELECT c.org_path, c.status, COUNT(*),
		SUM(CASE WHEN c.drafted_by = $`+itoa(len(args))+` THEN 1 ELSE 0 END)
		FROM care_cases c WHERE `+cond+` AND c.status IN ('draft','submitted','reviewed','approved','paid')
		AND NOT (c.status = 'paid' AND c.historical)
		GROUP BY c.org_path, c.status`, args...)
	if err != nil {
		return nil, err
	}
	type group struct {
		path   string
		status nuanxin.CareStatus
		n, own int
	}
	var groups []group
	for rows.Next() {
		var g group
		if err := rows.Scan(&g.path, &g.status, &g.n, &g.own); err != nil {
			rows.Close()
			return nil, err
		}
		groups = append(groups, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	oneStep := map[string]bool{}
	for _, g := range groups {
		switch g.status {
		case nuanxin.CareDraft:
			if s.Can(nuanxin.PermCareWrite, g.path) {
				t.ToSubmit += g.own
			}
		case nuanxin.CareSubmitted:
			one, ok := oneStep[g.path]
			if !ok {
				if one, err = oneStepAt(ctx, db.read, g.path); err != nil {
					return nil, err
				}
				oneStep[g.path] = one
			}
			if one && s.Can(nuanxin.PermCareApprove, g.path) {
				t.ToApprove += g.n
			} else if !one && s.Can(nuanxin.PermCareReview, g.path) {
				t.ToReview += g.n
			}
		case nuanxin.CareReviewed:
			if s.Can(nuanxin.PermCareApprove, g.path) {
				t.ToApprove += g.n
			}
		case nuanxin.CareApproved:
			if s.Can(nuanxin.PermCarePay, g.path) {
				t.ToPay += g.n
			}
		case nuanxin.CarePaid:
			if s.Can(nuanxin.PermCarePay, g.path) {
				t.ToSign += g.n
			}
		}
	}
	if !visits {
		return t, nil
	}
	if err := db.mustVisit(ctx, s, t, within, today); err != nil {
		return nil, err
	}
	return t, nil
}

// mustVisitDays is how far back the 五必访 list looks.
const mustVisitDays = 90

// mustVisit fills the 五必访 list: cases of 住院, 生育 and 结婚 of the last
// 90 days with no visit recorded; deaths in the last 90 days with no 慰问; members whose birthday
// is this month and who have had no birthday 慰问 this year.
func (db *DB) mustVisit(ctx context.Context, s *nuanxin.Scope, t *nuanxin.CareTodo, within func(string, nuanxin.Perm, *[]any) string, today nuanxin.Date) error {
	add := func(kind nuanxin.MustVisitKind, q, order string, args []any, detail func(extra string) string) error {
		var n int
		if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM (`+q+` LIMIT `+itoa(nuanxin.MaxMustVisitCount+1)+`) x`, args...).Scan(&n); err != nil {
			return err
		}
		if n > nuanxin.MaxMustVisitCount {
			n = nuanxin.MaxMustVisitCount
			t.MustVisitCapped[kind] = true
		}
		t.MustVisitCounts[kind] = n
		if n == 0 {
			return nil
		}
		rows, err := db.read.QueryContext(ctx, q+` ORDER BY `+order+` LIMIT `+itoa(nuanxin.MaxMustVisit), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			v := &nuanxin.MustVisit{Kind: kind}
			var extra string
			if err := rows.Scan(&v.MemberID, &v.MemberName, &v.OrgName, &v.CaseID, &v.EventDate, &extra); err != nil {
				return err
			}
			v.Days = int(today.Time().Sub(v.EventDate.Time()).Hours() / 24)
			if detail != nil {
				v.Detail = detail(extra)
			}
			t.MustVisit = append(t.MustVisit, v)
		}
		return rows.Err()
	}
	// The subtree is a filter here (filterCol): the 1M demo's 待办 took
	// 14 s reading members by org_path.
	filter := db.filterCol
	// A visit is owed for the last 90 days' cases entered through the
	// workflow: an imported old register owes none.
	since := today.AddDays(-mustVisitDays)
	notVisited := func(cat nuanxin.CareCategory, kind nuanxin.MustVisitKind, detail func(string) string) error {
		var args []any
		cond := within(filter("c.org_path"), nuanxin.PermCareRead, &args)
		args = append(args, string(cat), since)
		q := `SELECT c.member_id, m.name, o.name, c.id, c.event_date, c.hospital
			FROM care_cases c JOIN members m ON m.id = c.member_id JOIN orgs o ON o.id = c.org_id
			WHERE ` + cond + ` AND c.category = $` + itoa(len(args)-1) + ` AND c.event_date >= $` + itoa(len(args)) + `
			AND c.visited_on IS NULL AND c.status <> 'cancelled' AND NOT c.historical`
		return add(kind, q, "c.event_date, c.id", args, detail)
	}
	if err := notVisited(nuanxin.CareIllness, nuanxin.VisitHospital, func(h string) string { return h }); err != nil {
		return err
	}
	// Deaths: the 会籍变动 says the member died; no death 慰问 exists.
	{
		var args []any
		cond := within(filter("m.org_path"), nuanxin.PermCareRead, &args)
		args = append(args, since.String())
		// CROSS JOIN keeps SQLite reading the period's events first (by
		// member_events_date) rather than every member with their events.
		q := `SELECT m.id, m.name, o.name, 0, e.date, ''
			FROM member_events e CROSS JOIN members m JOIN orgs o ON o.id = m.org_id
			WHERE m.id = e.member_id AND ` + cond + ` AND e.kind = 'death' AND e.date >= $` + itoa(len(args)) + `
			AND NOT EXISTS (SELECT 1 FROM care_cases c WHERE c.member_id = m.id AND c.category = 'death' AND c.status <> 'cancelled')`
		if db.dialect == Postgres {
			q = strings.Replace(q, "e.date >= $"+itoa(len(args)), "e.date >= $"+itoa(len(args))+"::date", 1)
		}
		if err := add(nuanxin.VisitDeath, q, "e.date, m.id", args, nil); err != nil {
			return err
		}
	}
	if err := notVisited(nuanxin.CareBirth, nuanxin.VisitBirth, nil); err != nil {
		return err
	}
	if err := notVisited(nuanxin.CareWedding, nuanxin.VisitWedding, nil); err != nil {
		return err
	}
	// Birthdays this month without a birthday 慰问 this year. The event date
	// shown is this year's birthday, so Days is negative until it comes.
	{
		var args []any
		cond := within(filter("m.org_path"), nuanxin.PermCareRead, &args)
		lo, hi := int(today.Month)*100, int(today.Month)*100+31
		args = append(args, lo, hi, nuanxin.NewDate(today.Year, 1, 1), nuanxin.NewDate(today.Year, 12, 31))
		n := len(args)
		q := `SELECT m.id, m.name, o.name, 0, m.birth_date, ''
			FROM members m JOIN orgs o ON o.id = m.org_id
			WHERE ` + cond + ` AND m.status = 'member' AND m.birth_md > $` + itoa(n-3) + ` AND m.birth_md <= $` + itoa(n-2) + `
			AND NOT EXISTS (SELECT 1 FROM care_cases c WHERE c.member_id = m.id AND c.category = 'birthday'
				AND c.status <> 'cancelled' AND c.event_date >= $` + itoa(n-1) + ` AND c.event_date <= $` + itoa(n) + `)`
		before := len(t.MustVisit)
		// Day, then id: the order of the members_birthday index, so the
		// first page needs no sort of the month's birthdays.
		if err := add(nuanxin.VisitBirthday, q, "m.birth_md, m.id", args, nil); err != nil {
			return err
		}
		for _, v := range t.MustVisit[before:] {
			bd := nuanxin.NewDate(today.Year, v.EventDate.Month, v.EventDate.Day)
			v.Detail = nuanxin.T("visit.birthday_detail", v.EventDate.Year, int(bd.Month), bd.Day)
			v.EventDate = bd
			v.Days = int(today.Time().Sub(bd.Time()).Hours() / 24)
		}
	}
	return nil
}
