package web

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/policy"
)

// polRows are the matrix rows of the 慰问标准 routes. Changes act on a fresh
// 分工会 under A (in) or B (out), so they never touch the fixture's orgs.
func polRows() []matrixRow {
	post := func(path string, form func(f *fixture, org *nuanxin.Org) url.Values) func(*fixture, bool) target {
		return func(f *fixture, in bool) target {
			o := f.freshOrg(in)
			return target{rq: req{method: "POST", path: path, form: form(f, o)}, secret: o.Name}
		}
	}
	return []matrixRow{
		{"GET", "/policy", plain("GET", "/policy"), "200 200 200 200 200 403 303", ""},
		{"GET", "/policy/packs/{code}", plain("GET", "/policy/packs/anhui-2018"), "200 200 200 200 200 403 303", ""},
		{"POST", "/policy/adopt", post("/policy/adopt", func(_ *fixture, o *nuanxin.Org) url.Values {
			return url.Values{"org_id": {id64(o.ID)}, "pack": {"anhui-2018"}, "basis": {"主席办公会纪要"}}
		}), "303 303 403 403 403 403 303", "404 404 403 403 403 403 303"},
		{"POST", "/policy/adoption/remove", post("/policy/adoption/remove", func(f *fixture, o *nuanxin.Org) url.Values {
			if err := f.db.AdoptPack(bg, sys, o.ID, "anhui-2018", "", nuanxin.Date{}); err != nil {
				f.t.Fatal(err)
			}
			return url.Values{"org_id": {id64(o.ID)}}
		}), "303 303 403 403 403 403 303", "404 404 403 403 403 403 303"},
		{"GET", "/policy/rules/new", func(f *fixture, in bool) target {
			org, _, _ := f.pick(in)
			return target{rq: req{method: "GET", path: "/policy/rules/new?org=" + id64(org.ID) + "&category=birthday"}, secret: org.Name}
		}, "200 200 403 403 403 403 303", "404 404 403 403 403 403 303"},
		{"POST", "/policy/rules", post("/policy/rules", func(_ *fixture, o *nuanxin.Org) url.Values {
			return url.Values{"org_id": {id64(o.ID)}, "category": {"birthday"}, "cap": {"100"}, "basis": {"分工会委员会决定"}}
		}), "303 303 403 403 403 403 303", "404 404 403 403 403 403 303"},
		{"POST", "/policy/rules/{id}/delete", func(f *fixture, in bool) target {
			o := f.freshOrg(in)
			lr, err := f.db.SaveLocalRule(bg, sys, o.ID, nuanxin.PolicyRule{Category: nuanxin.CareBirthday, Cap: 10000})
			if err != nil {
				f.t.Fatal(err)
			}
			return target{rq: req{method: "POST", path: fmt.Sprintf("/policy/rules/%d/delete", lr.ID),
				form: url.Values{"org_id": {id64(o.ID)}}}, secret: o.Name}
		}, "303 303 404 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/policy/settings", post("/policy/settings", func(_ *fixture, o *nuanxin.Org) url.Values {
			return url.Values{"org_id": {id64(o.ID)}, "one_step": {"1"}}
		}), "303 303 403 403 403 403 303", "404 404 403 403 403 403 303"},
	}
}

func TestPolicyPage(t *testing.T) {
	f := payFixture(t) // the group adopted 安徽（2018）
	body := mustStatus(t, f.do("clerk", req{method: "GET", path: "/policy?org=" + id64(f.A1.ID)}), http.StatusOK)
	contains(t, body, "安徽省（2018）", "安徽省总工会", f.G.Name, "生日", "300元", "1,000元", "每年一次，限生日当月", "待核实", "1,500元")
	// this year's and next year's holidays, from the lunar calendar
	y := nuanxin.Today().Year
	for _, year := range []int{y, y + 1} {
		spring, err := policy.HolidayDate(nuanxin.HolidaySpring, year)
		if err != nil {
			t.Fatal(err)
		}
		contains(t, body, fmt.Sprintf("%d年法定节日", year), spring.Chinese())
	}
	if strings.Contains(body, `id="adopt-form"`) || strings.Contains(body, `id="add-rule"`) {
		t.Error("a clerk is offered the policy settings")
	}
	// the chair's page has them; the default org is the chair's own
	body = mustStatus(t, f.do("chair", req{method: "GET", path: "/policy"}), http.StatusOK)
	contains(t, body, `id="adopt-form"`, `id="add-rule"`, `id="settings-form"`, f.A.Name)
	// A adopts the same pack itself, with its basis, which its clerk sees
	chair := f.login("chair")
	mustStatus(t, f.do("chair", req{method: "POST", path: "/policy/adopt", sess: chair,
		form: url.Values{"org_id": {id64(f.A.ID)}, "pack": {"anhui-2018"}, "basis": {"发电公司工会2026年第1次委员会纪要"}}}), http.StatusSeeOther)
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: "/policy?org=" + id64(f.A1.ID)}), http.StatusOK)
	contains(t, body, f.A.Name, "发电公司工会2026年第1次委员会纪要")

	// a tightening of A, then a loosening below it is refused with its reason
	mustStatus(t, f.do("chair", req{method: "POST", path: "/policy/rules", sess: chair,
		form: url.Values{"org_id": {id64(f.A.ID)}, "category": {"birthday"}, "cap": {"200"}, "basis": {"发电公司工会委员会决定"}}}), http.StatusSeeOther)
	body = mustStatus(t, f.do("chair", req{method: "GET", path: "/policy?org=" + id64(f.A1.ID), sess: chair}), http.StatusOK)
	contains(t, body, "200元", "发电公司工会委员会决定", `id="local-rules"`)
	body = mustStatus(t, f.do("chair", req{method: "POST", path: "/policy/rules", sess: chair,
		form: url.Values{"org_id": {id64(f.A1.ID)}, "category": {"birthday"}, "cap": {"400"}}}), http.StatusUnprocessableEntity)
	contains(t, body, "不能放宽为400元", `id="e-cap"`, `value="400"`)
	// cash for a birthday is not a tightening either
	body = mustStatus(t, f.do("chair", req{method: "POST", path: "/policy/rules", sess: chair,
		form: url.Values{"org_id": {id64(f.A1.ID)}, "category": {"birthday"}, "forms": {"cash"}}}), http.StatusUnprocessableEntity)
	contains(t, body, `id="e-forms"`, "慰问金")
	// an own category needs its basis; with it, it is listed
	own := url.Values{"org_id": {id64(f.A.ID)}, "category": {polCustom}, "code": {"family_illness"}, "label": {"家属住院"},
		"for_relative": {"1"}, "cap": {"500"}, "forms": {"cash", "goods"}, "frequency": {"natural_year"}}
	body = mustStatus(t, f.do("chair", req{method: "POST", path: "/policy/rules", sess: chair, form: own}), http.StatusUnprocessableEntity)
	contains(t, body, `has-error`, html.EscapeString(nuanxin.T("policy.rule.basis")), `value="家属住院"`)
	own.Set("basis", "2025年会员代表大会决议")
	mustStatus(t, f.do("chair", req{method: "POST", path: "/policy/rules", sess: chair, form: own}), http.StatusSeeOther)
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: "/policy?org=" + id64(f.A.ID)}), http.StatusOK)
	contains(t, body, "家属住院", "2025年会员代表大会决议", "自定义")
	// the form of an own rule comes back filled
	body = mustStatus(t, f.do("chair", req{method: "GET", path: "/policy/rules/new?org=" + id64(f.A.ID) + "&category=birthday", sess: chair}), http.StatusOK)
	contains(t, body, `name="cap" type="text" value="200"`, "现行标准")

	// adopting a looser pack below 安徽 is refused
	body = mustStatus(t, f.do("chair", req{method: "POST", path: "/policy/adopt", sess: chair,
		form: url.Values{"org_id": {id64(f.A.ID)}, "pack": {"national-2017"}}}), http.StatusUnprocessableEntity)
	contains(t, body, `id="adopt-error"`, "不能采用")
	// one-step approval
	mustStatus(t, f.do("chair", req{method: "POST", path: "/policy/settings", sess: chair,
		form: url.Values{"org_id": {id64(f.A.ID)}, "one_step": {"1"}}}), http.StatusSeeOther)
	if cs, err := f.db.CareSettings(bg, sys, f.A1.ID); err != nil || !cs.OneStep {
		t.Fatalf("one step: %+v %v", cs, err)
	}
	body = mustStatus(t, f.do("reviewer", req{method: "GET", path: "/policy"}), http.StatusOK)
	contains(t, body, "一级审批")
	// delete A's tightening
	pol, err := f.db.EffectivePolicy(bg, sys, f.A.ID, nuanxin.Date{})
	if err != nil {
		t.Fatal(err)
	}
	var ruleID int64
	for _, l := range pol.Local {
		if l.ID != 0 && l.Rule.Category == nuanxin.CareBirthday {
			ruleID = l.ID
		}
	}
	mustStatus(t, f.do("clerk", req{method: "POST", path: fmt.Sprintf("/policy/rules/%d/delete", ruleID),
		form: url.Values{"org_id": {id64(f.A.ID)}}}), http.StatusNotFound)
	mustStatus(t, f.do("chair", req{method: "POST", path: fmt.Sprintf("/policy/rules/%d/delete", ruleID), sess: chair,
		form: url.Values{"org_id": {id64(f.A.ID)}}}), http.StatusSeeOther)
	if pol, _ := f.db.EffectivePolicy(bg, sys, f.A.ID, nuanxin.Date{}); pol.Rule(nuanxin.CareBirthday).Cap != 30000 {
		t.Errorf("after deleting: birthday cap %v", pol.Rule(nuanxin.CareBirthday).Cap)
	}

	// a shipped pack in full
	body = mustStatus(t, f.do("auditor", req{method: "GET", path: "/policy/packs/guizhou"}), http.StatusOK)
	contains(t, body, "贵州省", "贵州省总工会", "春节", "500元", "200元")
	mustStatus(t, f.do("auditor", req{method: "GET", path: "/policy/packs/nowhere"}), http.StatusNotFound)
	mustStatus(t, f.do("member", req{method: "GET", path: "/policy"}), http.StatusForbidden)
}
