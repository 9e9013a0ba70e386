package bench

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/demo"
	"github.com/nuanxin/nuanxin/report"
	"github.com/nuanxin/nuanxin/store"
	"github.com/nuanxin/nuanxin/store/storetest"
)

// BenchmarkCampaign100k is a 中秋 campaign over the 100,000-member demo
// group on SQLite: criteria → roster (every member checked against the
// 安徽 policy, the yearly holiday total included) → budget check → roster
// approval → the 签收表 of every suborg rendered. Target ≤ 10 s.
//
//	go test -run XXX -bench Campaign100k -benchtime 1x -timeout 30m ./bench
func BenchmarkCampaign100k(b *testing.B) { benchCampaign(b, 100_000, storetest.Open) }

func BenchmarkCampaign100kPostgres(b *testing.B) {
	benchCampaign(b, 100_000, func(t testing.TB) *store.DB { return storetest.OpenPostgres(t) })
}

func benchCampaign(b *testing.B, n int, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	sys := nuanxin.SystemScope()
	db := open(b)
	today := nuanxin.NewDate(2026, 11, 24)
	db.Now = func() time.Time { return time.Date(2026, 11, 24, 9, 0, 0, 0, nuanxin.Shanghai) }
	if err := db.BulkLoad(ctx, func() error {
		_, err := demo.Generate(ctx, db, demo.Options{Members: n, Today: today})
		return err
	}); err != nil {
		b.Fatal(err)
	}
	root, err := db.FindOrgByRef(ctx, sys, "HX")
	if err != nil {
		b.Fatal(err)
	}
	if err := db.AdoptPack(ctx, sys, root.ID, "anhui-2018", "", nuanxin.Date{}); err != nil {
		b.Fatal(err)
	}
	all, err := db.FindOrgs(ctx, sys, nuanxin.OrgFilter{RootID: root.ID})
	if err != nil {
		b.Fatal(err)
	}
	var subs []*nuanxin.Org
	for _, o := range all {
		if o.ParentID == root.ID {
			subs = append(subs, o)
		}
	}
	chair := &nuanxin.Scope{UserID: 1, Username: "chair", Grants: []nuanxin.Grant{{Role: nuanxin.RoleChair, OrgID: root.ID, OrgPath: root.Path}}}
	vice := &nuanxin.Scope{UserID: 2, Username: "vice", Grants: chair.Grants}
	font, _ := report.FindCJKFont()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		c := &nuanxin.Campaign{OrgID: root.ID, Name: "2026年中秋节慰问", Kind: nuanxin.CampaignHoliday,
			Holiday: nuanxin.HolidayMidAutumn, HolidayYear: 2026, Budget: nuanxin.Money(n) * 40000,
			Goods: []nuanxin.GoodsItem{{Name: "月饼", Unit: "盒", Qty: 1, UnitValue: 20000}, {Name: "水果", Unit: "箱", Qty: 1, UnitValue: 10000}}}
		for _, o := range subs {
			c.Allotments = append(c.Allotments, &nuanxin.Allotment{OrgID: o.ID, Budget: c.Budget / nuanxin.Money(len(subs)+1)})
		}
		c.Name += time.Now().Format("150405.000") // a fresh campaign each round
		if err := db.CreateCampaign(ctx, chair, c); err != nil {
			b.Fatal(err)
		}
		rep, err := db.GenerateRoster(ctx, chair, c.ID)
		if err != nil {
			b.Fatal(err)
		}
		rostered := time.Now()
		if err := db.ApproveCampaign(ctx, vice, c.ID); err != nil {
			b.Fatal(err)
		}
		approved := time.Now()
		rows := 0
		for _, o := range subs {
			sheet := &report.SignOffSheet{OrgName: o.Name, Title: c.Name + "签收表"}
			if err := db.CampaignRoster(ctx, chair, c.ID, o.ID, func(cc *nuanxin.CareCase) error {
				sheet.Rows = append(sheet.Rows, report.SignOffRow{No: len(sheet.Rows) + 1, Name: cc.Subject(),
					Department: cc.Department, Reason: c.Name, Item: cc.Item(), Amount: cc.Amount})
				sheet.Total += cc.Amount
				return nil
			}); err != nil {
				b.Fatal(err)
			}
			rows += len(sheet.Rows)
			if err := report.WriteSignOffHTML(io.Discard, sheet); err != nil {
				b.Fatal(err)
			}
		}
		sheets := time.Since(approved)
		total := time.Since(start)
		b.ReportMetric(total.Seconds(), "s/campaign")
		b.Logf("%d members: roster %d added, %d excluded in %.2fs; approval %.2fs; %d 签收表 with %d rows in %.2fs; total %.2fs (font %q not used: HTML sheets)",
			n, rep.Added, len(rep.Excluded), rostered.Sub(start).Seconds(), approved.Sub(rostered).Seconds(),
			len(subs), rows, sheets.Seconds(), total.Seconds(), font)
	}
}

func BenchmarkCampaign20k(b *testing.B) { benchCampaign(b, 20_000, storetest.Open) }
