package web

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/nuanxin/nuanxin"
)

// TestBrowserCampaign fills the campaign form in a real browser (a field
// error keeps what was typed) and, with NUANXIN_SCREENSHOTS=dir, saves the
// form, the detail with its summary and a suborg's task list.
func TestBrowserCampaign(t *testing.T) {
	browser := newBrowser(t)
	ctx := within(t, browser, 3*time.Minute)
	site := newDemoSite(t, 400)
	dir := os.Getenv("NUANXIN_SCREENSHOTS")
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	clerk := site.logins["clerk"]
	if err := chromedp.Do(ctx,
		login(site.URL, clerk.Username, clerk.Password),
		chromedp.EmulateViewport(1366, 768),
		chromedp.Navigate(site.URL+"/campaigns/new"),
		chromedp.WaitVisible(css("#campaign-form")),
		chromedp.SetValue(css("#f-name"), "2026年中秋节慰问"),
		chromedp.SetValue(css(`#goods-table tbody tr:first-child input[name=goods_name]`), "月饼"),
		chromedp.SetValue(css(`#goods-table tbody tr:first-child input[name=goods_unit]`), "盒"),
		chromedp.SetValue(css(`#goods-table tbody tr:first-child input[name=goods_qty]`), "1"),
		chromedp.SetValue(css(`#goods-table tbody tr:first-child input[name=goods_value]`), "300"),
		chromedp.Click(css("#goods-add")),
		chromedp.Click(css("#campaign-save")),
		chromedp.WaitVisible(css("#campaign-summary")),
	); err != nil {
		t.Fatalf("campaign form: %v", err)
	}
	if v, _ := chromedp.Run(ctx, chromedp.Value(css("#f-name"))); v != "2026年中秋节慰问" {
		t.Errorf("name after the refusal: %q", v)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#goods-table tbody tr").length`)); n < 3 {
		t.Errorf("goods rows: %d", n)
	}
	if dir != "" {
		shoot(t, ctx, dir, "campaign-form-error-desktop", true)
	}

	// A campaign on its way: roster, approval, one suborg delivered.
	orgs, err := site.db.FindOrgs(bg, sys, nuanxin.OrgFilter{RootID: site.clerkOrg})
	if err != nil {
		t.Fatal(err)
	}
	c := &nuanxin.Campaign{OrgID: site.clerkOrg, Name: "2026年防暑降温慰问", Kind: nuanxin.CampaignCooling,
		From: nuanxin.Today().AddDays(-20), To: nuanxin.Today().AddDays(10), Budget: 5000000,
		Goods: []nuanxin.GoodsItem{{Name: "藿香正气液", Unit: "盒", Qty: 2, UnitValue: 1500}, {Name: "绿豆", Unit: "袋", Qty: 1, UnitValue: 2000}}}
	var first *nuanxin.Org
	for _, o := range orgs {
		if o.ParentID == site.clerkOrg {
			if first == nil {
				first = o
			}
			c.Allotments = append(c.Allotments, &nuanxin.Allotment{OrgID: o.ID, Budget: 300000})
		}
	}
	if err := site.db.CreateCampaign(bg, sys, c); err != nil {
		t.Fatal(err)
	}
	if _, err := site.db.GenerateRoster(bg, sys, c.ID); err != nil {
		t.Fatal(err)
	}
	if err := site.db.ApproveCampaign(bg, sys, c.ID); err != nil {
		t.Fatal(err)
	}
	if err := site.db.ReceiveGoods(bg, sys, c.ID, "藿香正气液", 200); err != nil {
		t.Fatal(err)
	}
	var ds []nuanxin.Delivery
	orgID := c.OrgID
	if first != nil {
		orgID = first.ID
	}
	_ = site.db.CampaignRoster(bg, sys, c.ID, orgID, func(cc *nuanxin.CareCase) error {
		switch {
		case len(ds) < 5:
			ds = append(ds, nuanxin.Delivery{CaseID: cc.ID, Outcome: nuanxin.Delivered})
		case len(ds) == 5:
			ds = append(ds, nuanxin.Delivery{CaseID: cc.ID, Outcome: nuanxin.Refused, Notes: "本人表示不需要"})
		}
		return nil
	})
	if len(ds) > 0 {
		if _, err := site.db.Deliver(bg, sys, nuanxin.DeliveryInput{CampaignID: c.ID, On: nuanxin.Today(), Payer: "刘干事", Deliveries: ds}); err != nil {
			t.Fatal(err)
		}
	}
	base := site.URL + "/campaigns/" + id(c.ID)
	if err := chromedp.Do(ctx, chromedp.Navigate(base), chromedp.WaitVisible(css("#summary-table"))); err != nil {
		t.Fatalf("detail: %v", err)
	}
	if got := text(t, ctx, "#summary-table tfoot"); !strings.Contains(got, "合计") {
		t.Errorf("summary total %q", got)
	}
	if dir == "" {
		return
	}
	pages := []struct{ name, path, wait string }{
		{"campaign-list", "/campaigns", "#campaigns"},
		{"campaign-form", "/campaigns/new", "#campaign-form"},
		{"campaign-detail", "/campaigns/" + id(c.ID), "#summary-table"},
		{"campaign-tasks", "/campaigns/" + id(c.ID) + "/tasks?org=" + id(orgID), "#tasks-table"},
	}
	for _, vp := range []struct {
		name string
		w, h int64
		mob  bool
	}{{"desktop", 1366, 768, false}, {"phone", 390, 844, true}} {
		emulate := chromedp.EmulateViewport(vp.w, vp.h)
		if vp.mob {
			emulate = chromedp.EmulateViewport(vp.w, vp.h, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch)
		}
		if err := chromedp.Do(ctx, emulate); err != nil {
			t.Fatal(err)
		}
		for _, p := range pages {
			if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+p.path), chromedp.WaitVisible(css(p.wait)), chromedp.Sleep(200*time.Millisecond)); err != nil {
				t.Fatalf("%s: %v", p.name, err)
			}
			shoot(t, ctx, dir, p.name+"-"+vp.name, !vp.mob)
		}
	}
}
