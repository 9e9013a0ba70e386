package demo_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/demo"
	"github.com/nuanxin/nuanxin/store"
	"github.com/nuanxin/nuanxin/store/storetest"
)

// TestIntoStore writes the standard demo into SQLite (and PostgreSQL when
// NUANXIN_TEST_POSTGRES is set) and reads it back through the services.
func TestIntoStore(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { checkStore(t, storetest.Open(t)) })
	t.Run("postgres", func(t *testing.T) { checkStore(t, storetest.OpenPostgres(t)) })
}

func checkStore(t *testing.T, db *store.DB) {
	ctx := context.Background()
	sys := nuanxin.SystemScope()
	start := time.Now()
	res, err := demo.Generate(ctx, db, demo.Options{Members: 2000})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d orgs, %d members, %d relatives in %v", res.Orgs, res.Members, res.Relatives, time.Since(start))

	count := func(f nuanxin.MemberFilter) int {
		t.Helper()
		l, err := db.FindMembers(ctx, sys, f)
		if err != nil {
			t.Fatal(err)
		}
		return l.Total
	}
	if n := count(nuanxin.MemberFilter{}); n != 2000 || res.Members != 2000 {
		t.Fatalf("%d members stored, %d reported, want 2000", n, res.Members)
	}
	sum := 0
	for _, c := range nuanxin.Categories {
		n := count(nuanxin.MemberFilter{Category: c})
		if n == 0 {
			t.Errorf("no member of category %s", c.Label())
		}
		sum += n
	}
	if sum != 2000 {
		t.Errorf("categories add up to %d", sum)
	}
	if n := count(nuanxin.MemberFilter{Category: nuanxin.CategoryActive}); n < 1500 || n > 1620 {
		t.Errorf("%d 在岗 of 2000", n)
	}
	// 多音字 surnames are found under their surname reading.
	for _, q := range []string{"shan", "单", "xie", "qiu", "ou", "zha", "piao", "zeng", "ouyang", "zhuge", "shangguan"} {
		if count(nuanxin.MemberFilter{Query: q}) == 0 {
			t.Errorf("search %q finds nobody", q)
		}
	}

	orgs, err := db.FindOrgs(ctx, sys, nuanxin.OrgFilter{WithCounts: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(orgs) != res.Orgs {
		t.Errorf("%d orgs stored, %d reported", len(orgs), res.Orgs)
	}
	direct := 0
	for _, o := range orgs {
		direct += o.MemberCount
	}
	if direct != 2000 {
		t.Errorf("direct member counts add up to %d", direct)
	}
	// The 基层工会 the chair holds sees its own members only.
	var home *nuanxin.Org
	for _, o := range orgs {
		if o.Code == "HX-FD" {
			home = o
		}
	}
	if home == nil {
		t.Fatal("no HX-FD")
	}
	inHome := count(nuanxin.MemberFilter{OrgID: home.ID})
	if inHome == 0 || inHome >= 2000 {
		t.Errorf("%d members in %s", inHome, home.Name)
	}

	if len(res.Logins) != 6 {
		t.Fatalf("logins %+v", res.Logins)
	}
	for _, l := range res.Logins {
		u, err := db.Authenticate(ctx, l.Username, l.Password, "127.0.0.1")
		if err != nil {
			t.Errorf("log in as %s: %v", l.Username, err)
			continue
		}
		if u.MustChangePassword {
			t.Errorf("%s must change password", l.Username)
		}
		if l.Username == "member" {
			m, err := db.FindMemberByID(ctx, sys, u.MemberID)
			if err != nil || m.Name != u.Name {
				t.Errorf("member login %+v is member %+v: %v", u, m, err)
				continue
			}
			rels, err := db.FindRelatives(ctx, sys, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("member login: %s (%s, %s) with %d relatives", m.Name, m.OrgName, m.IDMasked, len(rels))
		}
	}
	if _, err := demo.Generate(ctx, db, demo.Options{Members: 10}); nuanxin.ErrorCode(err) != nuanxin.ECONFLICT {
		t.Errorf("second demo: %v", err)
	}
}

// TestLargeIntoSQLite times a big demo into SQLite:
// NUANXIN_DEMO_MEMBERS=1000000 go test -run TestLargeIntoSQLite -v ./demo
func TestLargeIntoSQLite(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("NUANXIN_DEMO_MEMBERS"))
	if n == 0 {
		t.Skip("set NUANXIN_DEMO_MEMBERS to time a large demo")
	}
	db := storetest.Open(t)
	ctx := context.Background()
	start := time.Now()
	var last time.Time
	var res *demo.Result
	err := db.BulkLoad(ctx, func() (err error) { // as `nuanxin demo` does
		res, err = demo.Generate(ctx, db, demo.Options{Members: n, Progress: func(done, total int) {
			if time.Since(last) > 5*time.Second {
				last = time.Now()
				t.Logf("%d / %d after %v", done, total, time.Since(start).Round(time.Millisecond))
			}
		}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	el := time.Since(start)
	t.Logf("%d members, %d relatives, %d orgs in %v (%.0f members/s)", res.Members, res.Relatives, res.Orgs, el, float64(res.Members)/el.Seconds())
}

// TestCareIntoStore runs the 慰问 demo through the real services: every
// case passed the policy, the current month is left part-done, and the
// paid figures add up to the batches.
func TestCareIntoStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sys := nuanxin.SystemScope()
		today := nuanxin.NewDate(2026, 11, 24)
		db.Now = func() time.Time { return time.Date(2026, 11, 24, 9, 0, 0, 0, nuanxin.Shanghai) }
		if _, err := demo.Generate(ctx, db, demo.Options{Members: 2000, Today: today}); err != nil {
			t.Fatal(err)
		}
		res, err := demo.GenerateCare(ctx, db, demo.Options{Today: today})
		if err != nil {
			t.Fatal(err)
		}
		if res.Cases < 500 || res.Batches < 10 || res.Pack == "" || res.Campaigns != 3 {
			t.Fatalf("care demo: %+v", res)
		}
		batches, _, err := db.FindCareBatches(ctx, sys, 0, 0, 500)
		if err != nil {
			t.Fatal(err)
		}
		var total nuanxin.Money
		for _, b := range batches {
			total += b.Total
		}
		stats, err := db.CareByCategory(ctx, sys, nuanxin.StatsFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var sum nuanxin.Money
		for _, s := range stats {
			sum += s.Amount
		}
		if sum != total || sum == 0 {
			t.Fatalf("figures %v, batches %v", sum, total)
		}
		todo, err := db.CareTodo(ctx, sys, 0, today)
		if err != nil {
			t.Fatal(err)
		}
		if todo.ToPay == 0 || todo.MustVisitCounts[nuanxin.VisitHospital] == 0 || todo.MustVisitCounts[nuanxin.VisitBirthday] == 0 {
			t.Fatalf("the demo leaves nothing to do: %+v", todo)
		}
	})
}
