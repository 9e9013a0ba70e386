package store_test

import (
	"reflect"
	"testing"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/store"
	"github.com/nuanxin/nuanxin/store/storetest"
)

// statsWorld is the care world with a known year of paid care, imported
// out of date order so the first case of a person arrives after a later
// one, plus one birthday paid through the workflow:
//
//	张伟 (A1)  illness  2026-03-10  500.00 cash
//	张伟 (A1)  illness  2026-02-05  300.00 cash
//	张伟 (A1)  birthday 2025-03-15  200.00 goods  (the year before)
//	王强 (B)   holiday  2026-02-10  500.00 goods  (春节)
//	赵敏 (A1)  wedding  2026-07-01  800.00 goods
//	李娜 (A)   birthday 2026-11-02  200.00 voucher (paid through the workflow)
func statsWorld(t *testing.T, db *store.DB) (*careWorld, *nuanxin.Member, *nuanxin.Member) {
	t.Helper()
	w := newCareWorld(t, db)
	wang := mustMember(t, db, sys, w.tr.B.ID, "王强", idn("110101", "19800101", 990))
	zhao := mustMember(t, db, sys, w.tr.A1.ID, "赵敏", idn("110101", "19920505", 992))
	cols := map[string]string{}
	rows := &careRows{rows: []*nuanxin.CareRow{
		{Row: 2, Name: "张伟", Category: nuanxin.CareIllness, Date: nuanxin.NewDate(2026, 3, 10), Amount: 50000, Form: nuanxin.FormCash, Columns: cols},
		{Row: 3, Name: "张伟", Category: nuanxin.CareIllness, Date: nuanxin.NewDate(2026, 2, 5), Amount: 30000, Form: nuanxin.FormCash, Columns: cols},
		{Row: 4, Name: "张伟", Category: nuanxin.CareBirthday, Date: nuanxin.NewDate(2025, 3, 15), Amount: 20000, Form: nuanxin.FormGoods, Columns: cols},
		{Row: 5, Name: "王强", Category: nuanxin.CareHoliday, Holiday: nuanxin.HolidaySpring, Date: nuanxin.NewDate(2026, 2, 10), Amount: 50000, Form: nuanxin.FormGoods, Columns: cols},
		{Row: 6, Name: "赵敏", Category: nuanxin.CareWedding, Date: nuanxin.NewDate(2026, 7, 1), Amount: 80000, Form: nuanxin.FormGoods, Columns: cols},
	}}
	rep, err := db.ImportCare(ctx, sys, rows, nuanxin.CareImportOptions{OrgID: w.tr.Group.ID})
	if err != nil || rep.Created != 5 {
		t.Fatalf("import: %+v %v", rep, err)
	}
	c := w.create(t, w.clerk, w.birthday(w.li, 20000), nuanxin.CareCreate{Submit: true})
	w.step(t, w.reviewer, c, nuanxin.ActReview, "")
	w.step(t, w.chair, c, nuanxin.ActApprove, "")
	if _, err := w.pay(w.clerk, c.ID); err != nil {
		t.Fatal(err)
	}
	return w, wang, zhao
}

func TestFiguresEqualHandCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w, _, _ := statsWorld(t, db)
		year := nuanxin.StatsFilter{Period: nuanxin.YearPeriod(2026)}
		check := func(name string, f nuanxin.StatsFilter, cases, persons int, amount nuanxin.Money) {
			t.Helper()
			got, err := db.CareTotal(ctx, w.auditor, f)
			if err != nil {
				t.Fatal(err)
			}
			if got.Cases != cases || got.Persons != persons || got.Amount != amount {
				t.Fatalf("%s: got %d 人次 %d 人 %s, want %d %d %s", name, got.Cases, got.Persons, got.Amount, cases, persons, amount)
			}
		}
		check("2026", year, 5, 4, 230000)
		check("first half (persons from the running totals)", nuanxin.StatsFilter{Period: nuanxin.HalfPeriod(2026, 1)}, 3, 2, 130000)
		check("second half (persons from the cases)", nuanxin.StatsFilter{Period: nuanxin.HalfPeriod(2026, 2)}, 2, 2, 100000)
		check("Jan–Feb: 张伟's first illness moved to February", nuanxin.StatsFilter{Period: nuanxin.Period{From: nuanxin.NewDate(2026, 1, 1), To: nuanxin.NewDate(2026, 2, 28)}}, 2, 2, 80000)
		check("days cut inside months", nuanxin.StatsFilter{Period: nuanxin.Period{From: nuanxin.NewDate(2026, 2, 6), To: nuanxin.NewDate(2026, 3, 10)}}, 2, 2, 100000)
		check("across years", nuanxin.StatsFilter{Period: nuanxin.Period{From: nuanxin.NewDate(2025, 3, 1), To: nuanxin.NewDate(2026, 2, 5)}}, 2, 1, 50000)
		check("subtree A (A1 inside)", nuanxin.StatsFilter{OrgID: w.tr.A.ID, Period: nuanxin.YearPeriod(2026)}, 4, 3, 180000)
		check("all time", nuanxin.StatsFilter{}, 6, 4, 250000)

		byCat, err := db.CareByCategory(ctx, w.auditor, year)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]nuanxin.CareStat{}
		for _, s := range byCat {
			got[s.Key] = s
		}
		if len(byCat) != 4 || byCat[0].Key != "birthday" || got["illness"] != (nuanxin.CareStat{Key: "illness", Label: "生病住院", Cases: 2, Persons: 1, Amount: 80000}) ||
			got["holiday"].Persons != 1 || got["wedding"].Amount != 80000 {
			t.Fatalf("by category: %+v", byCat)
		}
		months, err := db.CareByMonth(ctx, w.auditor, year)
		if err != nil {
			t.Fatal(err)
		}
		if len(months) != 12 || months[1].Key != "2026-02" || months[1].Cases != 2 || months[1].Amount != 80000 || months[0].Cases != 0 || months[10].Amount != 20000 {
			t.Fatalf("by month: %+v", months)
		}
		forms, _ := db.CareByForm(ctx, w.auditor, year)
		if len(forms) != 3 || forms[0].Key != "goods" || forms[0].Amount != 130000 || forms[1].Key != "cash" || forms[1].Amount != 80000 {
			t.Fatalf("by form: %+v", forms)
		}

		// The pivot: rows A, B and the group's own (none), by category and month.
		p, err := db.CarePivot(ctx, w.auditor, year)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Orgs) != 3 || p.Orgs[0].ID != w.tr.A.ID || p.Orgs[1].ID != w.tr.B.ID || !p.Orgs[2].Own || len(p.Months) != 12 {
			t.Fatalf("pivot rows: %+v months %v", p.Orgs, p.Months)
		}
		cell := func(row int, cat nuanxin.CareCategory, month int) nuanxin.PivotCell {
			for j, c := range p.Categories {
				for k, m := range p.Months {
					if c == cat && m == month {
						return p.Cells[row][j][k]
					}
				}
			}
			return nuanxin.PivotCell{}
		}
		if c := cell(0, nuanxin.CareIllness, 202602); c.Cases != 1 || c.Amount != 30000 {
			t.Fatalf("A illness Feb: %+v", c)
		}
		if c := cell(1, nuanxin.CareHoliday, 202602); c.Cases != 1 || c.Amount != 50000 {
			t.Fatalf("B holiday Feb: %+v", c)
		}
		var sum nuanxin.PivotCell
		for _, r := range p.Cells {
			for _, cs := range r {
				for _, c := range cs {
					sum = sum.Add(c)
				}
			}
		}
		if sum.Cases != 5 || sum.Amount != 230000 {
			t.Fatalf("pivot total %+v", sum)
		}

		// Coverage: A has 张伟, 李娜, 赵敏 (3 members, 3 cared for), B has 王强 (1 of 1).
		cov, err := db.Coverage(ctx, w.auditor, nuanxin.StatsFilter{Period: nuanxin.HalfPeriod(2026, 1)})
		if err != nil {
			t.Fatal(err)
		}
		if len(cov) != 2 || cov[0].OrgID != w.tr.A.ID || cov[0].Members != 3 || cov[0].Persons != 1 || cov[1].Persons != 1 || cov[1].Rate() != 1 {
			t.Fatalf("coverage: %+v", cov)
		}
		mf, err := db.MemberFigures(ctx, w.auditor, year)
		if err != nil {
			t.Fatal(err)
		}
		if mf.ByStatus[nuanxin.StatusMember] != 4 || mf.ByCategory[nuanxin.CategoryActive] != 4 {
			t.Fatalf("members: %+v", mf)
		}
		// A clerk of A sees A only.
		if tot, _ := db.CareTotal(ctx, w.clerk, year); tot.Cases != 4 || tot.Amount != 180000 {
			t.Fatalf("clerk of A: %+v", tot)
		}
		if _, err := db.CareTotal(ctx, w.clerk, nuanxin.StatsFilter{OrgID: w.tr.B.ID}); nuanxin.ErrorCode(err) != nuanxin.ENOTFOUND {
			t.Fatalf("another org's figures: %v", err)
		}
		// The birthday is paid and not signed: it waits in the backlog.
		b, err := db.Backlog(ctx, w.auditor, nuanxin.StatsFilter{}, nuanxin.NewDate(2026, 12, 31))
		if err != nil {
			t.Fatal(err)
		}
		if l := b.Line(nuanxin.CarePaid); l.Count != 1 || l.Amount != 20000 || l.Overdue != 1 || l.Oldest != nuanxin.NewDate(2026, 11, 20) {
			t.Fatalf("backlog: %+v", b)
		}
	})
}

// The running totals kept payment by payment equal a rebuild from the
// cases, and the figures read the same after it.
func TestTalliesEqualRebuild(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w, _, _ := statsWorld(t, db)
		before, err := db.TalliesForTest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		f := nuanxin.StatsFilter{Period: nuanxin.YearPeriod(2026)}
		cat1, _ := db.CareByCategory(ctx, w.auditor, f)
		if err := db.RebuildTallies(ctx); err != nil {
			t.Fatal(err)
		}
		after, err := db.TalliesForTest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(before) == 0 || !reflect.DeepEqual(before, after) {
			t.Fatalf("incremental:\n%v\nrebuilt:\n%v", before, after)
		}
		cat2, _ := db.CareByCategory(ctx, w.auditor, f)
		if !reflect.DeepEqual(cat1, cat2) {
			t.Fatalf("figures changed with a rebuild: %+v / %+v", cat1, cat2)
		}
	})
}
