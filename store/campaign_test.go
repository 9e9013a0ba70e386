package store_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/store"
	"github.com/nuanxin/nuanxin/store/storetest"
)

// midAutumn is a 中秋 2026 campaign of the group: 500元 of goods each.
func midAutumn(w *careWorld, budget nuanxin.Money, allot ...*nuanxin.Allotment) *nuanxin.Campaign {
	return &nuanxin.Campaign{OrgID: w.tr.Group.ID, Name: "2026年中秋节慰问", Kind: nuanxin.CampaignHoliday,
		Holiday: nuanxin.HolidayMidAutumn, HolidayYear: 2026, Budget: budget,
		Goods:      []nuanxin.GoodsItem{{Name: "月饼", Unit: "盒", Qty: 1, UnitValue: 30000}, {Name: "水果", Unit: "箱", Qty: 1, UnitValue: 20000}},
		Allotments: allot}
}

func roster(t *testing.T, db *store.DB, s *nuanxin.Scope, id, org int64) []*nuanxin.CareCase {
	t.Helper()
	var out []*nuanxin.CareCase
	if err := db.CampaignRoster(ctx, s, id, org, func(c *nuanxin.CareCase) error { out = append(out, c); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCampaignFromCriteriaToLedger(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCareWorld(t, db)
		wang := mustMember(t, db, sys, w.tr.B.ID, "王芳", idn("110101", "19921120", 994))
		retired := mustMember(t, db, sys, w.tr.B.ID, "赵老", idn("110101", "19550101", 993))
		retired.Category = nuanxin.CategoryRetired
		if err := db.UpdateMember(ctx, sys, retired); err != nil {
			t.Fatal(err)
		}
		c := midAutumn(w, 200000, &nuanxin.Allotment{OrgID: w.tr.A.ID, Budget: 100000}, &nuanxin.Allotment{OrgID: w.tr.B.ID, Budget: 100000, Quota: 1})
		c.Criteria.Categories = []nuanxin.Category{nuanxin.CategoryActive}
		if err := db.CreateCampaign(ctx, w.chair, c); err != nil {
			t.Fatal(err)
		}
		if c.From != nuanxin.NewDate(2026, 9, 11) || c.To != nuanxin.NewDate(2026, 9, 25) {
			t.Fatalf("holiday campaign period from the lunar calendar: %v – %v", c.From, c.To)
		}
		rep, err := db.GenerateRoster(ctx, w.clerk, c.ID)
		if code(err) != nuanxin.ENOTFOUND {
			t.Fatalf("a clerk of A generating the group's roster: %v %+v", err, rep)
		}
		rep, err = db.GenerateRoster(ctx, w.chair, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		// 张伟 (A1) and 李娜 (A) and 王芳 (B); 赵老 is retired; B's quota is 1.
		if rep.Added != 3 || rep.Planned != 150000 || len(rep.Excluded) != 0 {
			t.Fatalf("roster: %+v", rep)
		}
		again, _ := db.GenerateRoster(ctx, w.chair, c.ID)
		if again.Added != 0 || again.Already != 3 {
			t.Fatalf("generating twice must add nobody: %+v", again)
		}
		if _, err := db.AddRecipient(ctx, w.chair, c.ID, retired.ID, ""); key(err) != "campaign.reason" {
			t.Fatalf("adding without a reason: %v", err)
		}
		rep, err = db.AddRecipient(ctx, w.chair, c.ID, retired.ID, "退休老劳模，经主席办公会研究")
		if err != nil || rep.Added != 0 || len(rep.Excluded) != 1 || !strings.Contains(rep.Excluded[0].Reason, "名额") {
			t.Fatalf("B's quota of 1 is full: %+v %v", rep, err)
		}
		cases := roster(t, db, w.chair, c.ID, 0)
		if len(cases) != 3 || cases[0].Category != nuanxin.CareHoliday || cases[0].Holiday != nuanxin.HolidayMidAutumn ||
			cases[0].Amount != 50000 || cases[0].Form != nuanxin.FormGoods || cases[0].Status != nuanxin.CareDraft ||
			!strings.Contains(cases[0].Goods, "月饼1盒") {
			t.Fatalf("roster cases: %+v", cases[0])
		}
		// Distribution waits for the roster's approval, by someone else.
		var zhang, li, fang *nuanxin.CareCase
		for _, cc := range cases {
			switch cc.MemberID {
			case w.zhang.ID:
				zhang = cc
			case w.li.ID:
				li = cc
			case wang.ID:
				fang = cc
			}
		}
		deliver := func(s *nuanxin.Scope, ds ...nuanxin.Delivery) (*nuanxin.CareBatch, error) {
			return db.Deliver(ctx, s, nuanxin.DeliveryInput{CampaignID: c.ID, On: nuanxin.NewDate(2026, 9, 20), Payer: "刘干事", Deliveries: ds})
		}
		if _, err := deliver(w.clerk, nuanxin.Delivery{CaseID: zhang.ID, Outcome: nuanxin.Delivered}); err == nil {
			t.Fatal("delivered before the roster was approved")
		}
		if err := db.ApproveCampaign(ctx, w.chair, c.ID); key(err) != "campaign.own" {
			t.Fatalf("approving one's own campaign: %v", err)
		}
		other := &nuanxin.Scope{UserID: 777, Username: "vice", Grants: w.chair.Grants}
		if err := db.ApproveCampaign(ctx, other, c.ID); err != nil {
			t.Fatal(err)
		}
		b, err := deliver(w.clerk, nuanxin.Delivery{CaseID: zhang.ID, Outcome: nuanxin.Delivered},
			nuanxin.Delivery{CaseID: li.ID, Outcome: nuanxin.Refused, Notes: "本人表示不需要"})
		if err != nil {
			t.Fatal(err)
		}
		if b.Cases != 1 || b.Total != 50000 || b.CampaignID != c.ID || !strings.Contains(b.Title, "中秋") || b.Head != "welfare" {
			t.Fatalf("batch: %+v", b)
		}
		if got, _ := db.FindCareCase(ctx, sys, li.ID); got.Status != nuanxin.CareCancelled || got.Delivery != nuanxin.Refused {
			t.Fatalf("refused: %s %s", got.Status, got.Delivery)
		}
		// B's clerk cannot deliver A's people.
		clerkB := scopeFor(nuanxin.RoleClerk, w.tr.B)
		if _, err := deliver(clerkB, nuanxin.Delivery{CaseID: fang.ID, Outcome: nuanxin.Unreachable}); err != nil {
			t.Fatal(err)
		}
		if err := db.ReceiveGoods(ctx, w.clerk, c.ID, "月饼", 10); code(err) != nuanxin.ENOTFOUND {
			t.Fatalf("A's clerk receiving the group's goods: %v", err)
		}
		if err := db.ReceiveGoods(ctx, w.chair, c.ID, "月饼", 10); err != nil {
			t.Fatal(err)
		}
		if err := db.ReceiveGoods(ctx, w.chair, c.ID, "粽子", 10); key(err) != "campaign.goods_unknown" {
			t.Fatalf("unknown goods: %v", err)
		}
		sum, err := db.CampaignSummary(ctx, w.auditor, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		lines := map[string]nuanxin.CampaignLine{}
		for _, l := range sum.Lines {
			lines[l.OrgName] = l
		}
		a, bl := lines[w.tr.A.Name], lines[w.tr.B.Name]
		if a.Delivered != 1 || a.Refused != 1 || a.GoodsValue != 50000 || a.Cash != 0 || a.Budget != 100000 ||
			bl.Unreachable != 1 || bl.Planned != 1 || sum.Total.Spent() != 50000 || sum.Total.Planned != 3 {
			t.Fatalf("summary: %+v", sum)
		}
		if len(sum.Inventory) != 2 || sum.Inventory[0].Received != 10 || sum.Inventory[0].HandedOut != 1 || sum.Inventory[0].Left != 9 {
			t.Fatalf("inventory: %+v", sum.Inventory)
		}
		// The campaign's payment is a care case: counted once in the care
		// figures.
		st, _ := db.CareByCategory(ctx, sys, nuanxin.StatsFilter{})
		if len(st) != 1 || st[0].Key != "holiday" || st[0].Amount != 50000 {
			t.Fatalf("care figures: %+v", st)
		}
		// The officers of B, which takes part, read the campaign and see
		// their own people only.
		if _, err := db.FindCampaign(ctx, clerkB, c.ID); err != nil {
			t.Fatalf("a suborg officer reading the campaign: %v", err)
		}
		if got := roster(t, db, clerkB, c.ID, 0); len(got) != 0 {
			t.Fatalf("B's clerk sees %d of the roster (王芳 was unreachable, the rest are A's)", len(got))
		}
		if _, err := db.FindCampaign(ctx, scopeFor(nuanxin.RoleClerk, mustOrg(t, db, sys, 0, "外单位工会", nuanxin.OrgGroup, "OUT")), c.ID); code(err) != nuanxin.ENOTFOUND {
			t.Fatalf("an outsider reading the campaign: %v", err)
		}
		// A budget below what is paid is refused.
		got, _ := db.FindCampaign(ctx, w.chair, c.ID)
		got.Budget = 40000
		got.Allotments = nil
		if err := db.UpdateCampaign(ctx, w.chair, got); code(err) != nuanxin.EINVALID {
			t.Fatalf("budget below spent: %v", err)
		}
		if err := db.CloseCampaign(ctx, w.chair, c.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.CloseCampaign(ctx, w.chair, c.ID); key(err) != "campaign.closed" {
			t.Fatalf("closing twice: %v", err)
		}
	})
}

func TestCampaignHolidayTotalAcrossCampaigns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCareWorld(t, db)
		// 安徽: 节日慰问 at most 1500元 per member per year, across holidays.
		spring := &nuanxin.Campaign{OrgID: w.tr.A.ID, Name: "2026年春节慰问", Kind: nuanxin.CampaignHoliday,
			Holiday: nuanxin.HolidaySpring, HolidayYear: 2026, Budget: 1000000,
			Goods: []nuanxin.GoodsItem{{Name: "大米", Unit: "袋", Qty: 2, UnitValue: 50000}}}
		if err := db.CreateCampaign(ctx, w.clerk, spring); err != nil {
			t.Fatal(err)
		}
		if rep, err := db.GenerateRoster(ctx, w.clerk, spring.ID); err != nil || rep.Added != 2 {
			t.Fatalf("spring roster: %+v %v", rep, err)
		}
		if err := db.ApproveCampaign(ctx, w.chair, spring.ID); err != nil {
			t.Fatal(err)
		}
		var ds []nuanxin.Delivery
		for _, cc := range roster(t, db, w.clerk, spring.ID, 0) {
			ds = append(ds, nuanxin.Delivery{CaseID: cc.ID, Outcome: nuanxin.Delivered})
		}
		if _, err := db.Deliver(ctx, w.clerk, nuanxin.DeliveryInput{CampaignID: spring.ID, On: nuanxin.NewDate(2026, 2, 10), Payer: "刘干事", Deliveries: ds}); err != nil {
			t.Fatal(err)
		}
		autumn := midAutumn(w, 1000000)
		autumn.OrgID = w.tr.A.ID
		autumn.Goods = []nuanxin.GoodsItem{{Name: "月饼", Unit: "盒", Qty: 2, UnitValue: 30000}} // 600元: 1600 > 1500
		if err := db.CreateCampaign(ctx, w.clerk, autumn); err != nil {
			t.Fatal(err)
		}
		rep, err := db.GenerateRoster(ctx, w.clerk, autumn.ID)
		if err != nil || rep.Added != 0 || len(rep.Excluded) != 2 || !strings.Contains(rep.Excluded[0].Reason, "1500元") {
			t.Fatalf("the yearly holiday total spans campaigns: %+v %v", rep, err)
		}
		// 500元 fits: 1000 + 500 = 1500.
		autumn.Goods[0].Qty, autumn.Goods[0].UnitValue = 1, 50000
		if err := db.UpdateCampaign(ctx, w.clerk, autumn); err != nil {
			t.Fatal(err)
		}
		if rep, err := db.GenerateRoster(ctx, w.clerk, autumn.ID); err != nil || rep.Added != 2 {
			t.Fatalf("within the total: %+v %v", rep, err)
		}
		// Cash is never a holiday gift.
		cash := midAutumn(w, 100000)
		cash.OrgID, cash.Name, cash.Goods, cash.Cash = w.tr.A.ID, "中秋慰问金", nil, 10000
		if err := db.CreateCampaign(ctx, w.clerk, cash); err != nil {
			t.Fatal(err)
		}
		if rep, _ := db.GenerateRoster(ctx, w.clerk, cash.ID); rep.Added != 0 || !strings.Contains(rep.Excluded[0].Reason, "现金") {
			t.Fatalf("cash for a holiday: %+v", rep)
		}
	})
}

func TestCampaignBudgetUnderConcurrentDistribution(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCareWorld(t, db)
		for i := 0; i < 8; i++ {
			mustMember(t, db, sys, w.tr.A.ID, "职工"+string(rune('甲'+i)), idn("110102", "19800101", 100+i))
		}
		// 10 people at 100元, budget 500元: only five can be paid.
		c := &nuanxin.Campaign{OrgID: w.tr.A.ID, Name: "夏送清凉", Kind: nuanxin.CampaignCooling, From: nuanxin.NewDate(2026, 7, 1),
			To: nuanxin.NewDate(2026, 8, 31), Budget: 50000,
			Goods: []nuanxin.GoodsItem{{Name: "藿香正气液", Unit: "盒", Qty: 2, UnitValue: 2500}, {Name: "清凉油", Unit: "盒", Qty: 2, UnitValue: 2500}}}
		if err := db.CreateCampaign(ctx, w.clerk, c); err != nil {
			t.Fatal(err)
		}
		rep, err := db.GenerateRoster(ctx, w.clerk, c.ID)
		if err != nil || rep.Added != 10 || len(rep.OverBudget) != 1 {
			t.Fatalf("roster: %+v %v", rep, err)
		}
		if err := db.ApproveCampaign(ctx, w.chair, c.ID); err != nil {
			t.Fatal(err)
		}
		cases := roster(t, db, w.clerk, c.ID, 0)
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok, refused := 0, 0
		var other []error
		for i, cc := range cases {
			wg.Add(1)
			go func(i int, id int64) {
				defer wg.Done()
				s := &nuanxin.Scope{UserID: int64(800 + i), Username: "发放员", Grants: w.clerk.Grants}
				_, err := db.Deliver(ctx, s, nuanxin.DeliveryInput{CampaignID: c.ID, On: nuanxin.NewDate(2026, 7, 15), Payer: "刘干事",
					Deliveries: []nuanxin.Delivery{{CaseID: id, Outcome: nuanxin.Delivered}}})
				mu.Lock()
				defer mu.Unlock()
				var e *nuanxin.Error
				switch {
				case err == nil:
					ok++
				case errors.As(err, &e) && e.Key == "campaign.budget_exceeded":
					refused++
				default:
					other = append(other, err)
				}
			}(i, cc.ID)
		}
		wg.Wait()
		sum, _ := db.CampaignSummary(ctx, sys, c.ID)
		if ok != 5 || refused != 5 || len(other) != 0 || sum.Total.Spent() != 50000 {
			t.Fatalf("paid %d, refused %d, errors %v, spent %v", ok, refused, other, sum.Total.Spent())
		}
	})
}

func TestCampaignOrganisationRecipients(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCareWorld(t, db)
		// 端午: each community 4,000元 of goods plus 3,000元 cash; the budget
		// covers two.
		c := &nuanxin.Campaign{OrgID: w.tr.A.ID, Name: "端午社区慰问", Kind: nuanxin.CampaignOther, From: nuanxin.NewDate(2026, 6, 1),
			To: nuanxin.NewDate(2026, 6, 19), Budget: 1400000, Cash: 100}
		if err := db.CreateCampaign(ctx, w.clerk, c); err != nil {
			t.Fatal(err)
		}
		var rs []*nuanxin.OrgRecipient
		for _, n := range []string{"东湖社区", "西岭社区", "南山社区"} {
			rs = append(rs, &nuanxin.OrgRecipient{Name: n, OrgID: w.tr.A1.ID, Cash: 300000, Goods: "粽子、食用油", GoodsValue: 400000})
		}
		if err := db.AddOrgRecipients(ctx, w.clerk, c.ID, []*nuanxin.OrgRecipient{{Name: "", Cash: 1}}); code(err) != nuanxin.EINVALID {
			t.Fatalf("no name: %v", err)
		}
		if err := db.AddOrgRecipients(ctx, w.clerk, c.ID, rs); err != nil {
			t.Fatal(err)
		}
		on := nuanxin.NewDate(2026, 6, 15)
		if err := db.DeliverToOrgs(ctx, w.clerk, c.ID, on, []nuanxin.OrgDelivery{{ID: rs[0].ID, Outcome: nuanxin.Delivered}}); key(err) != "campaign.not_approved" {
			t.Fatalf("before approval: %v", err)
		}
		if err := db.ApproveCampaign(ctx, w.chair, c.ID); err != nil {
			t.Fatalf("approving a list of organisations: %v", err)
		}
		if err := db.DeliverToOrgs(ctx, w.clerk, c.ID, on, []nuanxin.OrgDelivery{{ID: rs[0].ID, Outcome: nuanxin.Delivered}, {ID: rs[1].ID, Outcome: nuanxin.Delivered}}); err != nil {
			t.Fatal(err)
		}
		err := db.DeliverToOrgs(ctx, w.clerk, c.ID, on, []nuanxin.OrgDelivery{{ID: rs[2].ID, Outcome: nuanxin.Delivered}})
		var e *nuanxin.Error
		if !errors.As(err, &e) || !strings.Contains(err.Error(), "超出预算") {
			t.Fatalf("third community over the budget: %v", err)
		}
		if err := db.DeliverToOrgs(ctx, w.clerk, c.ID, on, []nuanxin.OrgDelivery{{ID: rs[0].ID, Outcome: nuanxin.Delivered}}); err == nil {
			t.Fatal("delivered twice")
		}
		sum, err := db.CampaignSummary(ctx, w.clerk, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Total.Orgs != 3 || sum.Total.Delivered != 2 || sum.Total.Pending != 1 || sum.Total.Cash != 600000 || sum.Total.GoodsValue != 800000 {
			t.Fatalf("summary: %+v", sum.Total)
		}
	})
}

func TestCampaignWarmthForHardshipFiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCareWorld(t, db)
		deep := &nuanxin.HardshipFile{MemberID: w.zhang.ID, Tier: nuanxin.TierDeep, Year: 2026, Basis: "家庭人均月收入低于当地低保，配偶重病"}
		if err := db.RegisterHardship(ctx, w.clerk, &nuanxin.HardshipFile{MemberID: w.zhang.ID, Tier: "poor", Year: 2026}); code(err) != nuanxin.EINVALID {
			t.Fatalf("bad tier and no basis: %v", err)
		}
		if err := db.RegisterHardship(ctx, w.clerk, deep); err != nil {
			t.Fatal(err)
		}
		if err := db.RegisterHardship(ctx, w.clerk, &nuanxin.HardshipFile{MemberID: w.zhang.ID, Tier: nuanxin.TierRelative, Year: 2026, Basis: "x"}); key(err) != "hardship.duplicate" {
			t.Fatalf("a second active file for the year: %v", err)
		}
		rel := &nuanxin.HardshipFile{MemberID: w.li.ID, Tier: nuanxin.TierRelative, Year: 2026, Basis: "单亲，子女上学"}
		if err := db.RegisterHardship(ctx, w.clerk, rel); err != nil {
			t.Fatal(err)
		}
		warm := &nuanxin.Campaign{OrgID: w.tr.A.ID, Name: "2026年送温暖", Kind: nuanxin.CampaignWarmth, From: nuanxin.NewDate(2026, 11, 20),
			To: nuanxin.NewDate(2027, 1, 31), Budget: 1000000, Cash: 50000,
			Criteria: nuanxin.CampaignCriteria{HardshipTiers: []nuanxin.HardshipTier{nuanxin.TierDeep}}}
		if err := db.CreateCampaign(ctx, w.clerk, warm); err != nil {
			t.Fatal(err)
		}
		rep, err := db.GenerateRoster(ctx, w.clerk, warm.ID)
		if err != nil || rep.Added != 1 {
			t.Fatalf("deep hardship only: %+v %v", rep, err)
		}
		if got := roster(t, db, w.clerk, warm.ID, 0); got[0].MemberID != w.zhang.ID || got[0].Category != nuanxin.CareHardship || got[0].Form != nuanxin.FormCash {
			t.Fatalf("roster: %+v", got[0])
		}
		// Once 脱困, a file no longer selects.
		if err := db.CloseHardship(ctx, w.clerk, rel.ID, nuanxin.NewDate(2026, 11, 1), "子女毕业就业，家庭收入超过标准"); err != nil {
			t.Fatal(err)
		}
		got, _ := db.FindCampaign(ctx, w.clerk, warm.ID)
		got.Criteria.HardshipTiers = append(got.Criteria.HardshipTiers, nuanxin.TierRelative)
		if err := db.UpdateCampaign(ctx, w.clerk, got); err != nil {
			t.Fatal(err)
		}
		if rep, _ := db.GenerateRoster(ctx, w.clerk, warm.ID); rep.Added != 0 {
			t.Fatalf("a closed file selected: %+v", rep)
		}
		files, err := db.FindHardshipFiles(ctx, w.auditor, 0, 0)
		if err != nil || len(files) != 2 || files[0].Active == files[1].Active {
			t.Fatalf("files: %+v %v", files, err)
		}
	})
}
