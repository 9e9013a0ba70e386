package store

import (
	"context"
	"sort"
	"strings"

	"github.com/nuanxin/nuanxin"
)

// The running totals of paid care (migration 00004): care_tallies (cases
// and amount by org, month, category, form, campaign), care_reach (each
// member's first paid case of a year, per category and over all) and
// care_reach_tallies (persons first reached by org, month, category).
// Every path that makes a case paid calls tallyPaid in the same
// transaction; a paid case is never unpaid, so the totals only grow.
// rebuildTallies recomputes them from care_cases, and a test holds the two
// equal.

// tallyCase is what the totals need of a newly paid case.
type tallyCase struct {
	ID, OrgID, MemberID, CampaignID int64
	Date                            nuanxin.Date
	Category                        string
	Form                            string
	Amount                          nuanxin.Money
}

func tallyOf(c *nuanxin.CareCase) tallyCase {
	return tallyCase{ID: c.ID, OrgID: c.OrgID, MemberID: c.MemberID, CampaignID: c.CampaignID, Date: c.EventDate,
		Category: string(c.Category), Form: string(c.Form), Amount: c.Amount}
}

func monthOf(d nuanxin.Date) int { return d.Year*100 + int(d.Month) }

type tallyKey struct {
	org      int64
	month    int
	category string
	form     string
	campaign int64
}

type reachKey struct {
	member   int64
	year     int
	category string // "" = any category
}

type reachRow struct {
	date   nuanxin.Date
	caseID int64
	org    int64
}

// earlier: the first case of a year is the earliest event, then the lowest
// id, whatever order the cases were paid in.
func (r reachRow) earlier(o reachRow) bool {
	if c := r.date.Compare(o.date); c != 0 {
		return c < 0
	}
	return r.caseID < o.caseID
}

type reachTallyKey struct {
	org      int64
	month    int
	category string
}

// tallyPaid adds newly paid cases to the running totals.
func (tx *Tx) tallyPaid(ctx context.Context, cases []tallyCase) error {
	if len(cases) == 0 {
		return nil
	}
	type sums struct {
		cases  int64
		amount nuanxin.Money
	}
	tallies := map[tallyKey]*sums{}
	for _, c := range cases {
		k := tallyKey{c.OrgID, monthOf(c.Date), c.Category, c.Form, c.CampaignID}
		s := tallies[k]
		if s == nil {
			s = &sums{}
			tallies[k] = s
		}
		s.cases++
		s.amount += c.Amount
	}
	keys := make([]tallyKey, 0, len(tallies))
	for k := range tallies {
		keys = append(keys, k)
	}
	// A fixed order keeps two concurrent payers on PostgreSQL from locking
	// the same tally rows in opposite orders.
	sort.Slice(keys, func(i, j int) bool { return lessTally(keys[i], keys[j]) })
	rows := make([][]any, 0, len(keys))
	for _, k := range keys {
		s := tallies[k]
		rows = append(rows, []any{k.month, k.org, k.category, k.form, k.campaign, s.cases, int64(s.amount)})
	}
	if err := tx.upsertRows(ctx, "care_tallies", []string{"month", "org_id", "category", "form", "campaign_id", "cases", "amount"}, rows,
		" ON CONFLICT (month, org_id, category, form, campaign_id) DO UPDATE SET cases = care_tallies.cases + excluded.cases, amount = care_tallies.amount + excluded.amount"); err != nil {
		return err
	}
	return tx.reach(ctx, cases)
}

func lessTally(a, b tallyKey) bool {
	if a.month != b.month {
		return a.month < b.month
	}
	if a.org != b.org {
		return a.org < b.org
	}
	if a.category != b.category {
		return a.category < b.category
	}
	if a.form != b.form {
		return a.form < b.form
	}
	return a.campaign < b.campaign
}

// reach moves each member's first case of the year (per category and over
// all) to the new cases that come before it, and keeps the persons
// counted where their first case is.
func (tx *Tx) reach(ctx context.Context, cases []tallyCase) error {
	current, err := tx.loadReach(ctx, cases)
	if err != nil {
		return err
	}
	changed := map[reachKey]reachRow{}
	delta := map[reachTallyKey]int64{}
	for _, c := range cases {
		row := reachRow{c.Date, c.ID, c.OrgID}
		for _, cat := range []string{c.Category, ""} {
			k := reachKey{c.MemberID, c.Date.Year, cat}
			old, ok := current[k]
			if ok && !row.earlier(old) {
				continue
			}
			if ok {
				delta[reachTallyKey{old.org, monthOf(old.date), cat}]--
			}
			delta[reachTallyKey{row.org, monthOf(row.date), cat}]++
			current[k] = row
			changed[k] = row
		}
	}
	if len(changed) > 0 {
		ks := make([]reachKey, 0, len(changed))
		for k := range changed {
			ks = append(ks, k)
		}
		sort.Slice(ks, func(i, j int) bool {
			a, b := ks[i], ks[j]
			if a.member != b.member {
				return a.member < b.member
			}
			if a.year != b.year {
				return a.year < b.year
			}
			return a.category < b.category
		})
		rows := make([][]any, 0, len(ks))
		for _, k := range ks {
			r := changed[k]
			rows = append(rows, []any{k.member, k.year, k.category, r.date, r.caseID, r.org})
		}
		if err := tx.upsertRows(ctx, "care_reach", []string{"member_id", "year", "category", "event_date", "case_id", "org_id"}, rows,
			" ON CONFLICT (member_id, year, category) DO UPDATE SET event_date = excluded.event_date, case_id = excluded.case_id, org_id = excluded.org_id"); err != nil {
			return err
		}
	}
	ks := make([]reachTallyKey, 0, len(delta))
	for k, d := range delta {
		if d != 0 {
			ks = append(ks, k)
		}
	}
	sort.Slice(ks, func(i, j int) bool {
		a, b := ks[i], ks[j]
		if a.month != b.month {
			return a.month < b.month
		}
		if a.org != b.org {
			return a.org < b.org
		}
		return a.category < b.category
	})
	rows := make([][]any, 0, len(ks))
	for _, k := range ks {
		rows = append(rows, []any{k.month, k.org, k.category, delta[k]})
	}
	return tx.upsertRows(ctx, "care_reach_tallies", []string{"month", "org_id", "category", "persons"}, rows,
		" ON CONFLICT (month, org_id, category) DO UPDATE SET persons = care_reach_tallies.persons + excluded.persons")
}

// loadReach reads the stored first cases of the members and years of
// cases, a few hundred members per query.
func (tx *Tx) loadReach(ctx context.Context, cases []tallyCase) (map[reachKey]reachRow, error) {
	byYear := map[int][]int64{}
	seen := map[reachKey]bool{}
	for _, c := range cases {
		k := reachKey{c.MemberID, c.Date.Year, ""}
		if !seen[k] {
			seen[k] = true
			byYear[k.year] = append(byYear[k.year], c.MemberID)
		}
	}
	out := map[reachKey]reachRow{}
	for year, members := range byYear {
		for start := 0; start < len(members); start += 500 {
			chunk := members[start:min(start+500, len(members))]
			args := make([]any, 0, len(chunk)+1)
			args = append(args, year)
			var ph strings.Builder
			for i, id := range chunk {
				if i > 0 {
					ph.WriteByte(',')
				}
				args = append(args, id)
				ph.WriteString(tx.db.param(len(args)))
			}
			rows, err := tx.QueryContext(ctx, `SELECT member_id, category, event_date, case_id, org_id FROM care_reach
				WHERE year = `+tx.db.param(1)+` AND member_id IN (`+ph.String()+`)`, args...)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				var k reachKey
				var r reachRow
				if err := rows.Scan(&k.member, &k.category, &r.date, &r.caseID, &r.org); err != nil {
					rows.Close()
					return nil, err
				}
				k.year = year
				out[k] = r
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// param is the n-th bind parameter: "?" on SQLite (see insertSQL), "$n"
// on PostgreSQL. Statements built with it must number their parameters in
// the order the arguments are passed.
func (db *DB) param(n int) string {
	if db.dialect == SQLite {
		return "?"
	}
	return "$" + itoa(n)
}

// monthExpr is the YYYYMM of a date column in SQL.
func (db *DB) monthExpr(col string) string {
	if db.dialect == Postgres {
		return "(EXTRACT(YEAR FROM " + col + ")::int * 100 + EXTRACT(MONTH FROM " + col + ")::int)"
	}
	return "(CAST(substr(" + col + ", 1, 4) AS INTEGER) * 100 + CAST(substr(" + col + ", 6, 2) AS INTEGER))"
}

// rebuildTallies recomputes the running totals from care_cases: after the
// migration that adds them, and after a bulk load that writes paid cases
// directly.
func (tx *Tx) rebuildTallies(ctx context.Context) error {
	db := tx.db
	m := db.monthExpr("c.event_date")
	year := m + " / 100"
	paid := "c.status IN ('paid','signed')"
	// The first case per member, year and category, then over all
	// categories: the same rule as reachRow.earlier.
	first := func(cat, partition string) string {
		return `SELECT member_id, y, ` + cat + `, event_date, id, org_id FROM (
			SELECT c.member_id, ` + year + ` AS y, c.category, c.event_date, c.id, c.org_id,
				ROW_NUMBER() OVER (PARTITION BY c.member_id, ` + year + partition + ` ORDER BY c.event_date, c.id) AS rn
			FROM care_cases c WHERE ` + paid + `) x WHERE rn = 1`
	}
	for _, q := range []string{
		`DELETE FROM care_tallies`,
		`DELETE FROM care_reach`,
		`DELETE FROM care_reach_tallies`,
		`INSERT INTO care_tallies (month, org_id, category, form, campaign_id, cases, amount)
			SELECT ` + m + `, c.org_id, c.category, c.form, COALESCE(c.campaign_id, 0), COUNT(*), SUM(c.amount)
			FROM care_cases c WHERE ` + paid + ` GROUP BY 1, 2, 3, 4, 5`,
		`INSERT INTO care_reach (member_id, year, category, event_date, case_id, org_id) ` + first("category", ", c.category"),
		`INSERT INTO care_reach (member_id, year, category, event_date, case_id, org_id) ` + first("''", ""),
		`INSERT INTO care_reach_tallies (month, org_id, category, persons)
			SELECT ` + db.monthExpr("r.event_date") + `, r.org_id, r.category, COUNT(*) FROM care_reach r GROUP BY 1, 2, 3`,
	} {
		if _, err := tx.Tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// RebuildTallies recomputes the running totals of paid care from the cases
// (nuanxin admin rebuild-figures; benchmarks that load cases directly).
func (db *DB) RebuildTallies(ctx context.Context) error {
	return db.withTx(ctx, nuanxin.SystemScope(), func(tx *Tx) error { return tx.rebuildTallies(ctx) })
}
