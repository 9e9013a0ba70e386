package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/store"
	"github.com/nuanxin/nuanxin/store/storetest"
)

// BenchmarkCareThroughput is the create + approve + pay path as officers
// use it for a month's cases: batch entry submitted at once, reviewed,
// approved and paid as one batch, every case checked against the policy
// and every step audited. Target on SQLite: ≥ 1,000 cases/s.
//
//	go test -run XXX -bench CareThroughput ./store/
func BenchmarkCareThroughput(b *testing.B) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		b.Run(dialect, func(b *testing.B) {
			var db *store.DB
			if dialect == "sqlite" {
				db = storetest.Open(b)
			} else {
				db = storetest.OpenPostgres(b)
			}
			benchCare(b, db, 200)
		})
	}
}

func benchCare(b *testing.B, db *store.DB, per int) {
	t := &testing.T{}
	_ = t
	db.Now = func() time.Time { return careNow }
	g := &nuanxin.Org{Name: "集团工会", Kind: nuanxin.OrgGroup, Code: "G"}
	if err := db.CreateOrg(ctx, sys, g); err != nil {
		b.Fatal(err)
	}
	if err := db.AdoptPack(ctx, sys, g.ID, "anhui-2018", "", nuanxin.Date{}); err != nil {
		b.Fatal(err)
	}
	members := make([]*nuanxin.Member, per)
	for i := range members {
		m := &nuanxin.Member{OrgID: g.ID, Name: fmt.Sprintf("职工%c", rune('甲'+i%10)), IDNumber: idn("110101", "19800101", 0) /* replaced below */}
		m.IDNumber = idn("1101"+fmt.Sprintf("%02d", i/900+1), "19800101", i%900+1)
		m.Category, m.JoinDate = nuanxin.CategoryActive, nuanxin.NewDate(2010, 1, 1)
		if err := db.CreateMember(ctx, sys, m); err != nil {
			b.Fatal(err)
		}
		members[i] = m
	}
	scope := func(id int64, role nuanxin.Role) *nuanxin.Scope {
		return &nuanxin.Scope{UserID: id, Username: string(role), Grants: []nuanxin.Grant{{Role: role, OrgID: g.ID, OrgPath: g.Path}}}
	}
	clerk, reviewer, chair := scope(1, nuanxin.RoleClerk), scope(2, nuanxin.RoleReviewer), scope(3, nuanxin.RoleChair)
	b.ResetTimer()
	start := time.Now()
	for n := 0; n < b.N; n++ {
		cases := make([]*nuanxin.CareCase, per)
		for i, m := range members {
			cases[i] = &nuanxin.CareCase{MemberID: m.ID, Category: nuanxin.CareOther, EventDate: nuanxin.NewDate(2026, 11, 1),
				Form: nuanxin.FormCash, Amount: 10000, Reason: "高温慰问"}
		}
		if err := db.CreateCareCases(ctx, clerk, cases, nuanxin.CareCreate{Submit: true, AcceptWarnings: true}); err != nil {
			b.Fatal(err)
		}
		ids := make([]int64, per)
		for i, c := range cases {
			ids[i] = c.ID
		}
		if err := db.TransitionCare(ctx, reviewer, ids, nuanxin.ActReview, ""); err != nil {
			b.Fatal(err)
		}
		if err := db.TransitionCare(ctx, chair, ids, nuanxin.ActApprove, ""); err != nil {
			b.Fatal(err)
		}
		if _, err := db.PayCare(ctx, clerk, nuanxin.PaymentInput{CaseIDs: ids, PaidOn: nuanxin.NewDate(2026, 11, 20),
			Method: nuanxin.PayCash, Payer: "出纳", Head: "welfare"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*per)/time.Since(start).Seconds(), "cases/s")
}
