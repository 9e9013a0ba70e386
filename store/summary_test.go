package store_test

import (
	"strings"
	"testing"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/store"
	"github.com/nuanxin/nuanxin/store/storetest"
	"github.com/nuanxin/nuanxin/summary"
)

// The 工作总结 written from the store's figures says what was counted by
// hand (statsWorld), then is saved, edited and guarded like any record.
func TestSummaryFromRecords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w, _, _ := statsWorld(t, db)
		g := &summary.Generator{Stats: db, Orgs: db, Campaigns: db}
		sum, err := g.Generate(ctx, w.chair, summary.Request{OrgID: w.tr.Group.ID, Period: nuanxin.YearPeriod(2026), Today: nuanxin.NewDate(2026, 12, 31)})
		if err != nil {
			t.Fatal(err)
		}
		text := sum.Text()
		for _, want := range []string{
			"华夏集团工会2026年工作总结",
			"2026年，华夏集团工会在同级党组织和上级工会的坚强领导下",
			"截至2026年12月31日，华夏集团工会共有在会会员4人，其中在岗4人。",
			"全年共慰问会员4人、5人次，发放慰问金品合计2,300元，其中实物1,300元、慰问金800元、蛋糕券/指定商品提货券200元。",
			"为会员送上生日慰问1人，发放200元；慰问新婚会员1人，发放800元；慰问生病住院会员2人次，发放慰问金800元；开展节日慰问，覆盖会员1人、1人次，发放500元。",
			// 李娜's birthday was paid on 20 November and is not signed for.
			"已发放未签收1人次、金额200元，其中1人次已超过30天",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("missing %q in\n%s", want, text)
			}
		}
		if t.Failed() {
			return
		}
		if err := db.CreateSummary(ctx, w.auditor, sum); nuanxin.ErrorCode(err) != nuanxin.ENOTFOUND {
			t.Fatalf("an auditor saved a summary: %v", err)
		}
		if err := db.CreateSummary(ctx, w.chair, sum); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindSummary(ctx, w.auditor, sum.ID)
		if err != nil || got.Text() != text || got.Period != nuanxin.YearPeriod(2026) || got.Date != nuanxin.NewDate(2026, 12, 31) {
			t.Fatalf("read back: %v\n%s", err, got.Text())
		}
		if _, err := db.FindSummary(ctx, w.clerk, sum.ID); nuanxin.ErrorCode(err) != nuanxin.ENOTFOUND {
			t.Fatalf("a clerk of A read the group's summary: %v", err)
		}
		got.Blocks[1].Runs = []nuanxin.Run{{Text: "一、主要工作及成效（修改）"}}
		got.Title = "  "
		if err := db.UpdateSummary(ctx, w.chair, got); nuanxin.ErrorCode(err) != nuanxin.EINVALID {
			t.Fatalf("an empty title: %v", err)
		}
		got.Title = "华夏集团工会2026年度工作总结"
		if err := db.UpdateSummary(ctx, w.chair, got); err != nil || got.Version != 2 {
			t.Fatalf("edit: %v (version %d)", err, got.Version)
		}
		stale := *got
		stale.Version = 1
		if err := db.UpdateSummary(ctx, w.chair, &stale); nuanxin.ErrorCode(err) != nuanxin.ECONFLICT {
			t.Fatalf("a stale edit: %v", err)
		}
		list, n, err := db.FindSummaries(ctx, w.auditor, nuanxin.SummaryFilter{})
		if err != nil || n != 1 || list[0].Title != "华夏集团工会2026年度工作总结" || list[0].Blocks != nil {
			t.Fatalf("list: %v %d %+v", err, n, list)
		}
		if err := db.DeleteSummary(ctx, w.chair, sum.ID); err != nil {
			t.Fatal(err)
		}
		if _, n, _ := db.FindSummaries(ctx, w.chair, nuanxin.SummaryFilter{}); n != 0 {
			t.Fatal("not deleted")
		}
	})
}
