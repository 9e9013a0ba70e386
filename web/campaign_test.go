package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/nuanxin/nuanxin"
)

// testCampaign is a 送清凉 campaign of org (by the system, so any officer
// may approve it) for the members named, or for everyone when none.
func (f *fixture) testCampaign(org *nuanxin.Org, members ...*nuanxin.Member) *nuanxin.Campaign {
	f.t.Helper()
	today := nuanxin.Today()
	c := &nuanxin.Campaign{OrgID: org.ID, Name: fmt.Sprintf("夏送清凉%d", next()), Kind: nuanxin.CampaignCooling,
		From: today.AddDays(-10), To: today.AddDays(30), Budget: 1000000,
		Goods: []nuanxin.GoodsItem{{Name: "藿香正气液", Unit: "盒", Qty: 2, UnitValue: 1500}, {Name: "绿豆", Unit: "袋", Qty: 1, UnitValue: 2000}}}
	for _, m := range members {
		c.Criteria.MemberIDs = append(c.Criteria.MemberIDs, m.ID)
	}
	if err := f.db.CreateCampaign(bg, sys, c); err != nil {
		f.t.Fatalf("campaign: %v", err)
	}
	return c
}

// approvedCampaign has its roster generated and approved.
func (f *fixture) approvedCampaign(org *nuanxin.Org, members ...*nuanxin.Member) (*nuanxin.Campaign, []*nuanxin.CareCase) {
	f.t.Helper()
	c := f.testCampaign(org, members...)
	if _, err := f.db.GenerateRoster(bg, sys, c.ID); err != nil {
		f.t.Fatal(err)
	}
	if err := f.db.ApproveCampaign(bg, sys, c.ID); err != nil {
		f.t.Fatal(err)
	}
	var cases []*nuanxin.CareCase
	if err := f.db.CampaignRoster(bg, sys, c.ID, 0, func(cc *nuanxin.CareCase) error { cases = append(cases, cc); return nil }); err != nil {
		f.t.Fatal(err)
	}
	return c, cases
}

func campaignForm(org *nuanxin.Org, name string) url.Values {
	today := nuanxin.Today()
	return url.Values{"_once": {newToken()}, "org_id": {id(org.ID)}, "name": {name}, "kind": {"cooling"},
		"from": {today.AddDays(-5).String()}, "to": {today.AddDays(20).String()}, "budget": {"10000"},
		"goods_name": {"藿香正气液", "绿豆", ""}, "goods_unit": {"盒", "袋", ""}, "goods_qty": {"2", "1", ""},
		"goods_value": {"15", "20", ""}, "category": {"active"}}
}

func deliverForm(org int64, cases ...*nuanxin.CareCase) url.Values {
	v := url.Values{"org": {id(org)}, "on": {nuanxin.Today().String()}, "payer": {"刘干事"}, "method": {"goods"}}
	for _, c := range cases {
		v.Add("case", id(c.ID))
		v.Set("out_"+id(c.ID), "delivered")
	}
	return v
}

var campaignLoc = regexp.MustCompile(`^/campaigns/(\d+)$`)

func TestCampaignFromFormToSignOff(t *testing.T) {
	f := newFixture(t)
	li := f.member(f.A1.ID, "李四光")
	wang := f.member(f.A1.ID, "王小丫")
	clerk := f.login("clerk")

	// A field error keeps everything typed.
	bad := campaignForm(f.A, "2026年夏送清凉")
	bad.Set("budget", "")
	bad.Set("goods_qty", "两")
	bad["allot_org"] = []string{id(f.A1.ID)}
	bad["allot_budget"] = []string{"6000"}
	bad["allot_quota"] = []string{""}
	w := f.do("clerk", req{method: "POST", path: "/campaigns", form: bad, sess: clerk})
	body := w.Body.String()
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `value="2026年夏送清凉"`) ||
		!strings.Contains(body, `value="藿香正气液"`) || !strings.Contains(body, `value="6000"`) ||
		!strings.Contains(body, "请填写活动预算") || !strings.Contains(body, "第1项物品") {
		t.Fatalf("a form with errors: %d\n%s", w.Code, snippet(body))
	}
	// The member list reports unknown lines by number.
	unknown := campaignForm(f.A, "名单错误")
	unknown.Set("member_list", "\nX99999")
	w = f.do("clerk", req{method: "POST", path: "/campaigns", form: unknown, sess: clerk})
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "第2行“X99999”") {
		t.Fatalf("unresolved member lines: %d\n%s", w.Code, snippet(w.Body.String()))
	}

	good := campaignForm(f.A, "2026年夏送清凉")
	good["allot_org"] = []string{id(f.A1.ID)}
	good["allot_budget"] = []string{"6000"}
	good["allot_quota"] = []string{""}
	w = f.do("clerk", req{method: "POST", path: "/campaigns", form: good, sess: clerk})
	m := campaignLoc.FindStringSubmatch(w.Header().Get("Location"))
	if w.Code != http.StatusSeeOther || m == nil {
		t.Fatalf("create: %d %s\n%s", w.Code, w.Header().Get("Location"), snippet(w.Body.String()))
	}
	cid, _ := strconv.ParseInt(m[1], 10, 64)
	base := "/campaigns/" + m[1]
	if w := f.do("clerk", req{method: "GET", path: base}); w.Code != 200 || !strings.Contains(w.Body.String(), "藿香正气液2盒") {
		t.Fatalf("detail: %d\n%s", w.Code, snippet(w.Body.String()))
	}
	if w := f.do("clerk", req{method: "GET", path: "/campaigns"}); w.Code != 200 || !strings.Contains(w.Body.String(), "2026年夏送清凉") {
		t.Fatalf("list: %d", w.Code)
	}

	// Generate the roster: 张三丰 (A) and the two of A1.
	w = f.do("clerk", req{method: "POST", path: base + "/roster", sess: clerk})
	if w.Code != 200 || !strings.Contains(w.Body.String(), "新增3人") {
		t.Fatalf("roster: %d\n%s", w.Code, snippet(w.Body.String()))
	}
	if w := f.do("clerk", req{method: "GET", path: base + "?org=" + id(f.A1.ID)}); !strings.Contains(w.Body.String(), "李四光") ||
		!strings.Contains(w.Body.String(), "名单共2人") {
		t.Fatalf("A1's roster:\n%s", snippet(w.Body.String()))
	}

	// The clerk cannot approve; a chair who did not prepare it can, but
	// not one's own campaign.
	if w := f.do("clerk", req{method: "POST", path: base + "/approve"}); w.Code != http.StatusNotFound {
		t.Fatalf("clerk approving: %d", w.Code)
	}
	ownScope := f.scopeFor("chair")
	w = f.do("chair", req{method: "POST", path: base + "/approve"})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("chair approving: %d\n%s", w.Code, snippet(w.Body.String()))
	}

	// A chair's own campaign.
	mine := &nuanxin.Campaign{OrgID: f.A.ID, Name: "主席筹备的活动", Kind: nuanxin.CampaignOther, From: nuanxin.Today(), To: nuanxin.Today().AddDays(3),
		Budget: 100000, Cash: 10000}
	if err := f.db.CreateCampaign(bg, ownScope, mine); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.GenerateRoster(bg, ownScope, mine.ID); err != nil {
		t.Fatal(err)
	}
	w = f.do("chair", req{method: "POST", path: fmt.Sprintf("/campaigns/%d/approve", mine.ID)})
	if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "须由另一位负责人审批") {
		t.Fatalf("approving one's own campaign: %d\n%s", w.Code, snippet(w.Body.String()))
	}

	// The task list of A1, delivered: one batch.
	w = f.do("clerk", req{method: "GET", path: base + "/tasks?org=" + id(f.A1.ID)})
	if w.Code != 200 || !strings.Contains(w.Body.String(), "王小丫") || strings.Contains(w.Body.String(), "张三丰") {
		t.Fatalf("task list: %d\n%s", w.Code, snippet(w.Body.String()))
	}
	var a1 []*nuanxin.CareCase
	_ = f.db.CampaignRoster(bg, sys, cid, f.A1.ID, func(c *nuanxin.CareCase) error { a1 = append(a1, c); return nil })
	if len(a1) != 2 {
		t.Fatalf("A1's roster: %d", len(a1))
	}
	none := deliverForm(f.A1.ID, a1...)
	none.Set("out_"+id(a1[0].ID), "")
	none.Set("out_"+id(a1[1].ID), "")
	if w := f.do("clerk", req{method: "POST", path: base + "/deliver", form: none}); w.Code != 422 || !strings.Contains(w.Body.String(), "请至少为一人选择") {
		t.Fatalf("nothing chosen: %d", w.Code)
	}
	dv := deliverForm(f.A1.ID, a1...)
	dv.Set("out_"+id(wang.ID), "")
	for _, c := range a1 {
		if c.MemberID == wang.ID {
			dv.Set("out_"+id(c.ID), "refused")
			dv.Set("note_"+id(c.ID), "本人表示不需要")
		}
	}
	w = f.do("clerk", req{method: "POST", path: base + "/deliver", form: dv})
	loc := w.Header().Get("Location")
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/care/batches/") {
		t.Fatalf("deliver: %d %s\n%s", w.Code, loc, snippet(w.Body.String()))
	}
	if w := f.do("clerk", req{method: "GET", path: loc}); w.Code != 200 || !strings.Contains(w.Body.String(), "李四光") {
		t.Fatalf("the batch: %d", w.Code)
	}

	// Goods received.
	if w := f.do("clerk", req{method: "POST", path: base + "/receive", form: url.Values{"name": {"藿香正气液"}, "qty": {"10"}}}); w.Code != http.StatusSeeOther {
		t.Fatalf("receive: %d\n%s", w.Code, snippet(w.Body.String()))
	}
	if w := f.do("clerk", req{method: "POST", path: base + "/receive", form: url.Values{"name": {"藿香正气液"}, "qty": {"很多"}}}); w.Code != 422 {
		t.Fatalf("receive nonsense: %d", w.Code)
	}

	// The summary workbook.
	w = f.do("auditor", req{method: "GET", path: base + "/summary.xlsx"})
	if w.Code != 200 {
		t.Fatalf("xlsx: %d", w.Code)
	}
	x, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows("发放汇总")
	if err != nil {
		t.Fatal(err)
	}
	last := rows[len(rows)-1]
	// 合计: planned 3, delivered 1, refused 1, pending 1; spent 50 元.
	if last[0] != "合计" || last[3] != "3" || last[4] != "1" || last[5] != "1" || last[7] != "1" || !strings.Contains(last[10], "50") {
		t.Fatalf("xlsx totals: %q", last)
	}
	inv, _ := x.GetRows("物品库存")
	if len(inv) != 3 || inv[1][0] != "藿香正气液" || inv[1][3] != "10" || inv[1][4] != "2" || inv[1][5] != "8" {
		t.Fatalf("xlsx inventory: %q", inv)
	}

	// The 签收表 of A1: 李四光 paid, 王小丫 refused (off the sheet).
	w = f.do("reviewer", req{method: "GET", path: base + "/signoff?org=" + id(f.A1.ID)})
	body = w.Body.String()
	if w.Code != 200 || !strings.Contains(body, "李四光") || strings.Contains(body, "王小丫") || !strings.Contains(body, "合计") ||
		!strings.Contains(body, "2026年夏送清凉签收表") || !strings.Contains(w.Header().Get("Content-Security-Policy"), "sha256-") {
		t.Fatalf("signoff: %d\n%s", w.Code, snippet(body))
	}
	ev, _, err := f.db.FindAuditEvents(bg, sys, nuanxin.AuditFilter{Action: "care.signoff_print"})
	if err != nil || len(ev) == 0 || ev[0].Entity != "campaign" || ev[0].EntityID != cid {
		t.Fatalf("signoff audit: %+v %v", ev, err)
	}
	_ = li
}

// campaignRows are the matrix rows of the 专项活动 routes: "in" acts on a
// campaign of A, "out" on one of B.
func campaignRows() []matrixRow {
	draft := func(suffix, method string, form func(f *fixture, c *nuanxin.Campaign, m *nuanxin.Member) url.Values) func(*fixture, bool) target {
		return func(f *fixture, in bool) target {
			m := f.freshMember(in)
			org, _, _ := f.pick(in)
			c := f.testCampaign(org, m)
			rq := req{method: method, path: fmt.Sprintf("/campaigns/%d%s", c.ID, suffix)}
			if form != nil {
				rq.form = form(f, c, m)
			}
			return target{rq: rq, secret: c.Name}
		}
	}
	generated := func(suffix string, form func(c *nuanxin.Campaign, cc *nuanxin.CareCase) url.Values) func(*fixture, bool) target {
		return func(f *fixture, in bool) target {
			m := f.freshMember(in)
			org, _, _ := f.pick(in)
			c := f.testCampaign(org, m)
			if _, err := f.db.GenerateRoster(bg, sys, c.ID); err != nil {
				f.t.Fatal(err)
			}
			var cc *nuanxin.CareCase
			_ = f.db.CampaignRoster(bg, sys, c.ID, 0, func(x *nuanxin.CareCase) error { cc = x; return nil })
			path := fmt.Sprintf("/campaigns/%d%s", c.ID, strings.ReplaceAll(suffix, "{cid}", id(cc.ID)))
			return target{rq: req{method: "POST", path: path, form: form(c, cc)}, secret: c.Name}
		}
	}
	approved := func(suffix, method string, form bool) func(*fixture, bool) target {
		return func(f *fixture, in bool) target {
			m := f.freshMember(in)
			org, _, _ := f.pick(in)
			c, cases := f.approvedCampaign(org, m)
			rq := req{method: method, path: fmt.Sprintf("/campaigns/%d%s", c.ID, strings.ReplaceAll(suffix, "{org}", id(org.ID)))}
			if form {
				rq.form = deliverForm(org.ID, cases...)
			}
			return target{rq: rq, secret: c.Name}
		}
	}
	return []matrixRow{
		{"GET", "/campaigns", plain("GET", "/campaigns"), "200 200 200 200 200 403 303", ""},
		{"GET", "/campaigns/new", plain("GET", "/campaigns/new"), "403 200 200 403 403 403 303", ""},
		{"POST", "/campaigns", func(f *fixture, in bool) target {
			org, _, _ := f.pick(in)
			return target{rq: req{method: "POST", path: "/campaigns", form: campaignForm(org, fmt.Sprintf("矩阵活动%d", next()))}, secret: org.Name}
		}, "403 303 303 403 403 403 303", "403 422 422 403 403 403 303"},
		{"GET", "/campaigns/{id}", draft("", "GET", nil), "200 200 200 200 200 404 303", "404 404 404 404 404 404 303"},
		{"GET", "/campaigns/{id}/edit", draft("/edit", "GET", nil), "404 200 200 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/campaigns/{id}/edit", draft("/edit", "POST", func(f *fixture, c *nuanxin.Campaign, _ *nuanxin.Member) url.Values {
			v := campaignValues(c)
			v.Set("name", c.Name+"（修改）")
			return v
		}), "404 303 303 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/campaigns/{id}/roster", draft("/roster", "POST", nil), "404 200 200 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/campaigns/{id}/approve", generated("/approve", func(*nuanxin.Campaign, *nuanxin.CareCase) url.Values { return url.Values{} }),
			"404 303 404 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/campaigns/{id}/close", draft("/close", "POST", nil), "404 303 303 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/campaigns/{id}/recipients", func(f *fixture, in bool) target {
			org, _, _ := f.pick(in)
			c := f.testCampaign(org, f.freshMember(in))
			m := f.freshMember(in)
			return target{rq: req{method: "POST", path: fmt.Sprintf("/campaigns/%d/recipients", c.ID),
				form: url.Values{"pick": {id(m.ID)}, "reason": {"工会研究增加"}}}, secret: c.Name}
		}, "404 200 200 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/campaigns/{id}/recipients/{cid}/remove", generated("/recipients/{cid}/remove", func(*nuanxin.Campaign, *nuanxin.CareCase) url.Values {
			return url.Values{"reason": {"已调离"}}
		}), "404 303 303 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/campaigns/{id}/receive", draft("/receive", "POST", func(*fixture, *nuanxin.Campaign, *nuanxin.Member) url.Values {
			return url.Values{"name": {"绿豆"}, "qty": {"5"}}
		}), "404 303 303 404 404 404 303", "404 404 404 404 404 404 303"},
		{"GET", "/campaigns/{id}/tasks", approved("/tasks?org={org}", "GET", false), "404 200 200 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/campaigns/{id}/deliver", approved("/deliver", "POST", true), "404 303 303 404 404 404 303", "404 404 404 404 404 404 303"},
		{"GET", "/campaigns/{id}/signoff", approved("/signoff?org={org}", "GET", false), "200 200 200 200 200 404 303", "404 404 404 404 404 404 303"},
		{"GET", "/campaigns/{id}/summary.xlsx", approved("/summary.xlsx", "GET", false), "200 200 200 200 200 404 303", "404 404 404 404 404 404 303"},
	}
}
