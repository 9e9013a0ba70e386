package web

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/nuanxin/nuanxin"
)

// orgCampaign is a campaign of org for the members named (100元 each) with
// room in its budget for the people and two organisations of 7,000元.
func (f *fixture) orgCampaign(org *nuanxin.Org, members ...*nuanxin.Member) *nuanxin.Campaign {
	f.t.Helper()
	today := nuanxin.Today()
	c := &nuanxin.Campaign{OrgID: org.ID, Name: fmt.Sprintf("端午社区慰问%d", next()), Kind: nuanxin.CampaignOther,
		From: today.AddDays(-10), To: today.AddDays(30), Cash: 10000,
		Budget: nuanxin.Money(len(members))*10000 + 2*700000}
	for _, m := range members {
		c.Criteria.MemberIDs = append(c.Criteria.MemberIDs, m.ID)
	}
	if len(members) == 0 {
		c.Criteria.MemberIDs = []int64{-1} // nobody: organisations only
	}
	if err := f.db.CreateCampaign(bg, sys, c); err != nil {
		f.t.Fatalf("campaign: %v", err)
	}
	return c
}

// withOrgs adds organisations (3,000元 cash, 4,000元 of goods each) to c.
func (f *fixture) withOrgs(c *nuanxin.Campaign, names ...string) []*nuanxin.OrgRecipient {
	f.t.Helper()
	var rs []*nuanxin.OrgRecipient
	for _, n := range names {
		rs = append(rs, &nuanxin.OrgRecipient{Name: n, Cash: 300000, Goods: "粽子、食用油", GoodsValue: 400000})
	}
	if err := f.db.AddOrgRecipients(bg, sys, c.ID, rs); err != nil {
		f.t.Fatal(err)
	}
	return rs
}

func orgDeliverForm(on nuanxin.Date, out nuanxin.DeliveryOutcome, rs ...*nuanxin.OrgRecipient) url.Values {
	v := url.Values{"on": {on.String()}}
	for _, r := range rs {
		v.Add("rec", id(r.ID))
		v.Set("out_"+id(r.ID), string(out))
	}
	return v
}

func TestCampaignOrganisationsFromFormToNotice(t *testing.T) {
	f := newFixture(t)
	zhang := f.member(f.A1.ID, "张小三")
	c := f.orgCampaign(f.A, zhang)
	base := fmt.Sprintf("/campaigns/%d", c.ID)
	clerk := f.login("clerk")

	// The card is there, empty, with its form.
	w := f.do("clerk", req{method: "GET", path: base, sess: clerk})
	if body := w.Body.String(); w.Code != 200 || !strings.Contains(body, `id="orgs"`) || !strings.Contains(body, `id="orgs-add-form"`) ||
		!strings.Contains(body, `id="campaign-notice"`) {
		t.Fatalf("campaign page: %d\n%s", w.Code, snippet(body))
	}

	// One bad line: reported by its number, nothing stored.
	add := url.Values{"org_id": {id(f.A1.ID)}, "cash": {"3000"}, "goods": {"粽子、食用油"}, "goods_value": {"4000"},
		"lines": {"东湖社区\n\n西岭社区 3000 四千块钱\n南山社区，3000，4000，王主任"}}
	w = f.do("clerk", req{method: "POST", path: base + "/orgs", form: add, sess: clerk})
	body := w.Body.String()
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "第3行“西岭社区 3000 四千块钱”") ||
		!strings.Contains(body, "东湖社区\n\n西岭社区") || strings.Contains(body, `id="campaign-error"`) {
		t.Fatalf("a bad line: %d\n%s", w.Code, snippet(body))
	}
	if rs, err := f.db.FindOrgRecipients(bg, sys, c.ID); err != nil || len(rs) != 0 {
		t.Fatalf("stored after a bad line: %d %v", len(rs), err)
	}

	add.Set("lines", "东湖社区\n\n西岭社区 3000 4000\n南山社区，3000，4000，王主任")
	w = f.do("clerk", req{method: "POST", path: base + "/orgs", form: add, sess: clerk})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("add: %d\n%s", w.Code, snippet(w.Body.String()))
	}
	rs, err := f.db.FindOrgRecipients(bg, sys, c.ID)
	if err != nil || len(rs) != 3 {
		t.Fatalf("stored: %d %v", len(rs), err)
	}
	byName := map[string]*nuanxin.OrgRecipient{}
	for _, r := range rs {
		byName[r.Name] = r
		if r.OrgID != f.A1.ID || r.Cash != 300000 || r.GoodsValue != 400000 || r.Goods != "粽子、食用油" {
			t.Fatalf("stored recipient: %+v", r)
		}
	}
	if byName["南山社区"].Contact != "王主任" {
		t.Fatalf("contact: %+v", byName["南山社区"])
	}
	w = f.do("clerk", req{method: "GET", path: base, sess: clerk})
	if body := w.Body.String(); !strings.Contains(body, "西岭社区") || !strings.Contains(body, "共3个单位") {
		t.Fatalf("the card lists them:\n%s", snippet(body))
	}

	// Approved; 张小三 paid; two communities delivered, the third over the
	// budget.
	if _, err := f.db.GenerateRoster(bg, sys, c.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.db.ApproveCampaign(bg, sys, c.ID); err != nil {
		t.Fatal(err)
	}
	var cases []*nuanxin.CareCase
	_ = f.db.CampaignRoster(bg, sys, c.ID, 0, func(cc *nuanxin.CareCase) error { cases = append(cases, cc); return nil })
	if w := f.do("clerk", req{method: "POST", path: base + "/deliver", form: deliverForm(f.A1.ID, cases...), sess: clerk}); w.Code != http.StatusSeeOther {
		t.Fatalf("people delivered: %d\n%s", w.Code, snippet(w.Body.String()))
	}
	today := nuanxin.Today()
	w = f.do("clerk", req{method: "POST", path: base + "/orgs/deliver", sess: clerk,
		form: orgDeliverForm(today, nuanxin.Delivered, byName["东湖社区"], byName["西岭社区"])})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("two delivered: %d\n%s", w.Code, snippet(w.Body.String()))
	}
	w = f.do("clerk", req{method: "POST", path: base + "/orgs/deliver", sess: clerk,
		form: orgDeliverForm(today, nuanxin.Delivered, byName["南山社区"])})
	body = w.Body.String()
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="orgs-deliver-error"`) || !strings.Contains(body, "超出预算") ||
		!strings.Contains(body, "南山社区") {
		t.Fatalf("third over the budget: %d\n%s", w.Code, snippet(body))
	}
	if w := f.do("clerk", req{method: "POST", path: base + "/orgs/deliver", sess: clerk, form: url.Values{"on": {today.String()}}}); w.Code != 422 ||
		!strings.Contains(w.Body.String(), "请至少为一个单位选择") {
		t.Fatalf("nothing chosen: %d", w.Code)
	}
	rs, _ = f.db.FindOrgRecipients(bg, sys, c.ID)
	done := 0
	for _, r := range rs {
		if r.Outcome == nuanxin.Delivered {
			done++
		}
	}
	if done != 2 {
		t.Fatalf("delivered: %d", done)
	}

	// The organisations' 签收表: all three, 合计 and 大写, audited.
	w = f.do("reviewer", req{method: "GET", path: base + "/orgs/signoff"})
	body = regexp.MustCompile(`<span class="nw">([^<]*)</span>`).ReplaceAllString(w.Body.String(), "$1")
	if w.Code != 200 || !strings.Contains(body, "东湖社区") || !strings.Contains(body, "南山社区") || !strings.Contains(body, "王主任") ||
		!strings.Contains(body, "合计") || !strings.Contains(body, "贰万壹仟元整") || !strings.Contains(body, "慰问金3,000元；粽子、食用油（价值4,000元）") ||
		!strings.Contains(w.Header().Get("Content-Security-Policy"), "sha256-") {
		t.Fatalf("signoff: %d\n%s", w.Code, body[strings.Index(body, "<body>"):])
	}
	ev, _, err := f.db.FindAuditEvents(bg, sys, nuanxin.AuditFilter{Action: "care.signoff_print"})
	if err != nil || len(ev) == 0 || ev[0].Entity != "campaign" || ev[0].EntityID != c.ID || !strings.Contains(ev[0].After, "受慰问单位签收表") {
		t.Fatalf("signoff audit: %+v %v", ev, err)
	}

	// The 公示: 张*三 masked, the two delivered communities by name, the
	// period as asked.
	w = f.do("auditor", req{method: "GET", path: base + "/notice?from=2026-07-01&to=2026-07-07"})
	body = w.Body.String()
	if w.Code != 200 || !strings.Contains(body, "张*三") || strings.Contains(body, "张小三") || !strings.Contains(body, "东湖社区") ||
		!strings.Contains(body, "西岭社区") || strings.Contains(body, "南山社区") || !strings.Contains(body, "2026年7月7日") ||
		!strings.Contains(body, `value="2026-07-01"`) || !strings.Contains(body, "公示") ||
		!strings.Contains(w.Header().Get("Content-Security-Policy"), "form-action 'self'") {
		t.Fatalf("notice: %d\n%s", w.Code, snippet(body))
	}
	// defaults: today and six days on
	w = f.do("auditor", req{method: "GET", path: base + "/notice?from=garbage"})
	if w.Code != 200 || !strings.Contains(w.Body.String(), `value="`+today.String()+`"`) || !strings.Contains(w.Body.String(), today.AddDays(6).String()) {
		t.Fatalf("default period: %d", w.Code)
	}
}

// campaignOrgRows are the matrix rows of the organisation and notice
// routes: "in" acts on a campaign of A, "out" on one of B.
func campaignOrgRows() []matrixRow {
	withOrgs := func(suffix, method string, approved bool, form func(rs []*nuanxin.OrgRecipient) url.Values) func(*fixture, bool) target {
		return func(f *fixture, in bool) target {
			org, _, _ := f.pick(in)
			c := f.orgCampaign(org, f.freshMember(in))
			rs := f.withOrgs(c, fmt.Sprintf("矩阵社区%d", next()))
			if approved {
				if _, err := f.db.GenerateRoster(bg, sys, c.ID); err != nil {
					f.t.Fatal(err)
				}
				if err := f.db.ApproveCampaign(bg, sys, c.ID); err != nil {
					f.t.Fatal(err)
				}
			}
			rq := req{method: method, path: fmt.Sprintf("/campaigns/%d%s", c.ID, suffix)}
			if form != nil {
				rq.form = form(rs)
			}
			return target{rq: rq, secret: c.Name}
		}
	}
	return []matrixRow{
		{"POST", "/campaigns/{id}/orgs", withOrgs("/orgs", "POST", false, func([]*nuanxin.OrgRecipient) url.Values {
			return url.Values{"lines": {fmt.Sprintf("新增社区%d 3000 0", next())}}
		}), "404 303 303 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/campaigns/{id}/orgs/deliver", withOrgs("/orgs/deliver", "POST", true, func(rs []*nuanxin.OrgRecipient) url.Values {
			return orgDeliverForm(nuanxin.Today(), nuanxin.Delivered, rs...)
		}), "404 303 303 404 404 404 303", "404 404 404 404 404 404 303"},
		{"GET", "/campaigns/{id}/orgs/signoff", withOrgs("/orgs/signoff", "GET", false, nil), "200 200 200 200 200 404 303", "404 404 404 404 404 404 303"},
		{"GET", "/campaigns/{id}/notice", withOrgs("/notice", "GET", true, nil), "200 200 200 200 200 404 303", "404 404 404 404 404 404 303"},
	}
}

// TestBrowserCampaignOrgs shows the 受慰问单位 card of a campaign under way
// and, with NUANXIN_SCREENSHOTS=dir, saves the page and its notice.
func TestBrowserCampaignOrgs(t *testing.T) {
	browser := newBrowser(t)
	ctx := within(t, browser, 2*time.Minute)
	site := newDemoSite(t, 100)
	dir := os.Getenv("NUANXIN_SCREENSHOTS")
	clerk := site.logins["clerk"]
	today := nuanxin.Today()
	c := &nuanxin.Campaign{OrgID: site.clerkOrg, Name: "2026年端午社区慰问", Kind: nuanxin.CampaignOther,
		From: today.AddDays(-5), To: today.AddDays(10), Budget: 1410000, Cash: 10000,
		Criteria: nuanxin.CampaignCriteria{MemberIDs: []int64{-1}}}
	if err := site.db.CreateCampaign(bg, sys, c); err != nil {
		t.Fatal(err)
	}
	var rs []*nuanxin.OrgRecipient
	for i, n := range []string{"东湖社区", "西岭社区", "南山社区", "北塘社区居委会"} {
		r := &nuanxin.OrgRecipient{Name: n, Cash: 300000, Goods: "粽子、食用油", GoodsValue: 400000}
		if i == 2 {
			r.Contact = "王主任 0571-88886666"
		}
		rs = append(rs, r)
	}
	if err := site.db.AddOrgRecipients(bg, sys, c.ID, rs); err != nil {
		t.Fatal(err)
	}
	if err := site.db.ApproveCampaign(bg, sys, c.ID); err != nil {
		t.Fatal(err)
	}
	if err := site.db.DeliverToOrgs(bg, sys, c.ID, today, []nuanxin.OrgDelivery{{ID: rs[0].ID, Outcome: nuanxin.Delivered},
		{ID: rs[1].ID, Outcome: nuanxin.Delivered}, {ID: rs[3].ID, Outcome: nuanxin.Unreachable, Notes: "电话无人接听"}}); err != nil {
		t.Fatal(err)
	}
	base := site.URL + "/campaigns/" + id(c.ID)
	if err := chromedp.Do(ctx,
		login(site.URL, clerk.Username, clerk.Password),
		chromedp.EmulateViewport(1366, 768),
		chromedp.Navigate(base),
		chromedp.WaitVisible(css("#orgs-table")),
	); err != nil {
		t.Fatalf("campaign page: %v", err)
	}
	if got := text(t, ctx, "#orgs-table"); !strings.Contains(got, "南山社区") || !strings.Contains(got, "联系不上") {
		t.Errorf("organisations card %q", got)
	}
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Sleep(200*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	shoot(t, ctx, dir, "campaign-orgs-desktop", true)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/notice"), chromedp.WaitVisible(css("#notice-apply")), chromedp.Sleep(200*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	shoot(t, ctx, dir, "campaign-notice-desktop", false)
}
