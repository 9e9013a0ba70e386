package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/nuanxin/nuanxin"
)

// tinyPNG is a 1×1 PNG: a visit photo as small as one gets.
var tinyPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
	"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")

// careDay is the event date of the test cases: a few days ago.
func careDay() nuanxin.Date { return nuanxin.Today().AddDays(-3) }

// careCase makes a wedding case of m through the system scope and moves it
// to status st.
func (f *fixture) careCase(m *nuanxin.Member, st nuanxin.CareStatus) *nuanxin.CareCase {
	f.t.Helper()
	c := &nuanxin.CareCase{MemberID: m.ID, Category: nuanxin.CareWedding, EventDate: careDay(),
		Form: nuanxin.FormGoods, Goods: "床上用品一套", Amount: 50000, Reason: "新婚"}
	if err := f.db.CreateCareCases(bg, sys, []*nuanxin.CareCase{c}, nuanxin.CareCreate{AcceptWarnings: true}); err != nil {
		f.t.Fatalf("care case: %v", err)
	}
	path := map[nuanxin.CareStatus][]nuanxin.CareAction{
		nuanxin.CareSubmitted: {nuanxin.ActSubmit},
		nuanxin.CareReviewed:  {nuanxin.ActSubmit, nuanxin.ActReview},
		nuanxin.CareApproved:  {nuanxin.ActSubmit, nuanxin.ActReview, nuanxin.ActApprove},
		nuanxin.CareCancelled: {nuanxin.ActCancel},
	}
	for _, act := range path[st] {
		if err := f.db.TransitionCare(bg, sys, []int64{c.ID}, act, "测试"); err != nil {
			f.t.Fatalf("care case %s: %v", act, err)
		}
	}
	got, err := f.db.FindCareCase(bg, sys, c.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return got
}

func (f *fixture) careAttachment(c *nuanxin.CareCase) *nuanxin.Attachment {
	f.t.Helper()
	a := &nuanxin.Attachment{Owner: "case", OwnerID: c.ID, Kind: "photo", Name: "走访照片.png"}
	if err := f.db.AddAttachment(bg, sys, a, bytes.NewReader(tinyPNG)); err != nil {
		f.t.Fatal(err)
	}
	return a
}

// numberedMember is a member of org with a 工号, for batch entry by number.
func (f *fixture) numberedMember(org *nuanxin.Org) *nuanxin.Member {
	f.t.Helper()
	n := next()
	m := &nuanxin.Member{OrgID: org.ID, Name: "批量会员", IDNumber: idNumber(n), Category: nuanxin.CategoryActive,
		EmployeeNo: fmt.Sprintf("GH%05d", n), JoinDate: nuanxin.NewDate(2015, 3, 1)}
	if err := f.db.CreateMember(bg, sys, m); err != nil {
		f.t.Fatal(err)
	}
	return m
}

// careForm is the case form for a wedding gift to m, warnings accepted.
func careForm(m *nuanxin.Member) url.Values {
	return url.Values{"_once": {newToken()}, "member_id": {id(m.ID)}, "category": {"wedding"},
		"event_date": {careDay().String()}, "form": {"goods"}, "goods": {"床上用品一套"}, "amount": {"500"},
		"reason": {"新婚"}, "accept_warnings": {"1"}, "do": {"draft"}}
}

func careJSON(m *nuanxin.Member) string {
	return fmt.Sprintf(`{"member_id":%d,"category":"wedding","event_date":"%s","form":"goods","goods":"床上用品一套","amount_yuan":"500","accept_warnings":true}`,
		m.ID, careDay())
}

func (f *fixture) adopt(code string) {
	f.t.Helper()
	if err := f.db.AdoptPack(bg, sys, f.G.ID, code, "集团工会主席办公会纪要", nuanxin.NewDate(2020, 1, 1)); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) countCases(m *nuanxin.Member) int {
	f.t.Helper()
	l, err := f.db.FindCareCases(bg, sys, nuanxin.CareFilter{MemberID: m.ID, Limit: 1})
	if err != nil {
		f.t.Fatal(err)
	}
	return l.Total
}

// caseIDFrom reads the case id from the redirect to its page.
func caseIDFrom(t *testing.T, w interface{ Header() http.Header }) int64 {
	t.Helper()
	loc := w.Header().Get("Location")
	n, err := strconv.ParseInt(strings.TrimPrefix(loc, "/care/"), 10, 64)
	if err != nil {
		t.Fatalf("redirect to %q, want a case page", loc)
	}
	return n
}

// A case over the cap is refused with the rule's message and its source,
// and the form comes back with what was typed.
func TestCareFormBlockKeepsInput(t *testing.T) {
	f := newFixture(t)
	f.adopt("anhui-2018")
	v := careForm(f.MA)
	v.Set("amount", "1,200.50")
	v.Set("goods", "定制床品礼盒")
	v.Set("reason", "喜结良缘")
	v.Set("notes", "婚假期间送达")
	body := mustStatus(t, f.do("clerk", req{method: "POST", path: "/care", form: v}), http.StatusUnprocessableEntity)
	contains(t, body,
		html.EscapeString(nuanxin.T("ui.care.blocked")),
		"结婚", "上限600元", "安徽省基层工会经费收支管理实施办法", // the rule and its source
		`value="1,200.50"`, `value="定制床品礼盒"`, `value="喜结良缘"`, "婚假期间送达",
		`<option value="wedding" selected>`, `id="picked-member"`, f.MA.Name,
		`class="decision decision-block"`)
	if strings.Contains(body, `name="accept_warnings" value="1" id="accept-warnings"`) && !strings.Contains(body, "checked> "+nuanxin.T("ui.care.accept_warnings")) {
		t.Errorf("a block offers to accept it")
	}
	if n := f.countCases(f.MA); n != 0 {
		t.Errorf("a refused case was stored (%d)", n)
	}
	// the live check says the same without saving
	body = mustStatus(t, f.do("clerk", req{method: "POST", path: "/care/check", form: v, htmx: true}), http.StatusOK)
	contains(t, body, `id="care-decisions"`, "上限600元", nuanxin.T("ui.care.level.block"))
	if strings.Contains(body, "<html") {
		t.Errorf("the htmx check answers the whole page")
	}
	// an amount the parser cannot read is a field error, with the rest reported too
	v.Set("amount", "一千二百块五毛多")
	v.Del("form")
	body = mustStatus(t, f.do("clerk", req{method: "POST", path: "/care", form: v}), http.StatusUnprocessableEntity)
	contains(t, body, `id="e-amount"`, `id="e-form"`, `value="一千二百块五毛多"`)
}

// A case with warnings only is held until the officer ticks 我已知悉.
func TestCareWarningsNeedTheCheckbox(t *testing.T) {
	f := newFixture(t) // the national pack states no amounts: a warning
	v := careForm(f.MA)
	v.Del("accept_warnings")
	w := f.do("clerk", req{method: "POST", path: "/care", form: v})
	body := mustStatus(t, w, http.StatusUnprocessableEntity)
	contains(t, body, "未规定金额上限", `name="accept_warnings"`, html.EscapeString(nuanxin.T("ui.care.accept_warnings")),
		`class="decision decision-warn"`)
	if f.countCases(f.MA) != 0 {
		t.Fatal("stored without the warnings acknowledged")
	}
	v.Set("accept_warnings", "1")
	clerk := f.login("clerk") // one browser: the once-token is per session
	w = f.do("clerk", req{method: "POST", path: "/care", form: v, sess: clerk})
	mustStatus(t, w, http.StatusSeeOther)
	c, err := f.db.FindCareCase(bg, sys, caseIDFrom(t, w))
	if err != nil || c.Status != nuanxin.CareDraft || len(c.Warnings) == 0 || c.Amount != 50000 {
		t.Fatalf("stored case %+v %v", c, err)
	}
	// the same form sent twice (a double click) stores one case
	w = f.do("clerk", req{method: "POST", path: "/care", form: v, sess: clerk})
	mustStatus(t, w, http.StatusSeeOther)
	if n := f.countCases(f.MA); n != 1 || caseIDFrom(t, w) != c.ID {
		t.Errorf("double submit stored %d cases", n)
	}
}

// The workflow through HTTP by different people: the clerk drafts and
// submits, the reviewer reviews, the chair approves; the chair may not
// review a case of their own drafting; a reject needs its reason.
func TestCareWorkflowHTTP(t *testing.T) {
	f := newFixture(t)
	v := careForm(f.MA)
	v.Set("do", "submit")
	w := f.do("clerk", req{method: "POST", path: "/care", form: v})
	mustStatus(t, w, http.StatusSeeOther)
	cid := caseIDFrom(t, w)
	page := "/care/" + id(cid)
	status := func() nuanxin.CareStatus {
		c, err := f.db.FindCareCase(bg, sys, cid)
		if err != nil {
			t.Fatal(err)
		}
		return c.Status
	}
	if st := status(); st != nuanxin.CareSubmitted {
		t.Fatalf("after 保存并提交: %s", st)
	}
	// the reviewer sees the review button, the clerk does not
	contains(t, mustStatus(t, f.do("reviewer", req{method: "GET", path: page}), http.StatusOK), `id="act-review"`, `class="flow-current"`)
	if body := mustStatus(t, f.do("clerk", req{method: "GET", path: page}), http.StatusOK); strings.Contains(body, `id="act-review"`) {
		t.Errorf("the clerk is offered the review")
	}
	// a reject without a reason is refused and says why
	body := mustStatus(t, f.do("reviewer", req{method: "POST", path: page + "/transition", form: url.Values{"action": {"reject"}, "reason": {"  "}}}),
		http.StatusUnprocessableEntity)
	contains(t, body, html.EscapeString(nuanxin.T("care.reason.required", "驳回")), `id="e-reject-reason"`)
	mustStatus(t, f.do("reviewer", req{method: "POST", path: page + "/transition", form: url.Values{"action": {"reject"}, "reason": {"请补充结婚证复印件"}}}), http.StatusSeeOther)
	if st := status(); st != nuanxin.CareDraft {
		t.Fatalf("after reject: %s", st)
	}
	contains(t, mustStatus(t, f.do("clerk", req{method: "GET", path: page}), http.StatusOK), "请补充结婚证复印件", `id="reject-reason"`, `id="care-edit"`)
	mustStatus(t, f.do("clerk", req{method: "POST", path: page + "/transition", form: url.Values{"action": {"submit"}}}), http.StatusSeeOther)
	mustStatus(t, f.do("reviewer", req{method: "POST", path: page + "/transition", form: url.Values{"action": {"review"}}}), http.StatusSeeOther)
	mustStatus(t, f.do("chair", req{method: "POST", path: page + "/transition", form: url.Values{"action": {"approve"}}}), http.StatusSeeOther)
	if st := status(); st != nuanxin.CareApproved {
		t.Fatalf("after approval: %s", st)
	}
	body = mustStatus(t, f.do("auditor", req{method: "GET", path: page}), http.StatusOK)
	// The history names people as their colleagues know them, not by login.
	var names []string
	for _, u := range []string{"clerk1", "reviewer1", "chair1"} {
		usr, err := f.db.FindUserByName(bg, sys, u)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, html.EscapeString(usr.Name))
	}
	contains(t, body, append([]string{"请补充结婚证复印件", nuanxin.ActReview.Label(), nuanxin.ActApprove.Label()}, names...)...)
	contains(t, mustStatus(t, f.do("clerk", req{method: "GET", path: page}), http.StatusOK), `href="/care/batches/new?ids=`+id(cid)+`"`)

	// the chair drafts a case and may not review it
	v = careForm(f.freshMember(true))
	v.Set("do", "submit")
	w = f.do("chair", req{method: "POST", path: "/care", form: v})
	mustStatus(t, w, http.StatusSeeOther)
	own := "/care/" + id(caseIDFrom(t, w))
	body = mustStatus(t, f.do("chair", req{method: "GET", path: own}), http.StatusOK)
	if strings.Contains(body, `id="act-review"`) {
		t.Errorf("the drafter is offered the review")
	}
	contains(t, body, "不相容岗位分离")
	body = mustStatus(t, f.do("chair", req{method: "POST", path: own + "/transition", form: url.Values{"action": {"review"}}}), http.StatusForbidden)
	contains(t, body, "不相容岗位分离", `id="care-error"`)

	// the list does the same steps on ticked rows
	c1, c2 := f.careCase(f.freshMember(true), nuanxin.CareSubmitted), f.careCase(f.freshMember(true), nuanxin.CareSubmitted)
	body = mustStatus(t, f.do("reviewer", req{method: "POST", path: "/care/transition", form: url.Values{"ids": {id(c1.ID), id(c2.ID)},
		"action": {"reject"}, "back": {"/care?status=submitted"}}}), http.StatusUnprocessableEntity)
	contains(t, body, html.EscapeString(nuanxin.T("care.reason.required", "驳回")), `value="`+id(c1.ID)+`" form="care-bulk" checked`)
	w = f.do("reviewer", req{method: "POST", path: "/care/transition", form: url.Values{"ids": {id(c1.ID), id(c2.ID)},
		"action": {"review"}, "back": {"/care?status=submitted"}}})
	mustStatus(t, w, http.StatusSeeOther)
	if loc := w.Header().Get("Location"); loc != "/care?status=submitted" {
		t.Errorf("back to %q", loc)
	}
	for _, c := range []*nuanxin.CareCase{c1, c2} {
		if got, _ := f.db.FindCareCase(bg, sys, c.ID); got.Status != nuanxin.CareReviewed {
			t.Errorf("case %d: %s", c.ID, got.Status)
		}
	}
	w = f.do("clerk", req{method: "POST", path: "/care/transition", form: url.Values{"ids": {id(c1.ID), id(c2.ID)}, "action": {"pay"}}})
	mustStatus(t, w, http.StatusSeeOther)
	if loc := w.Header().Get("Location"); loc != fmt.Sprintf("/care/batches/new?ids=%d&ids=%d", c1.ID, c2.ID) {
		t.Errorf("发放 goes to %q", loc)
	}
	// the back link cannot leave the list
	w = f.do("chair", req{method: "POST", path: "/care/transition", form: url.Values{"ids": {id(c1.ID)}, "action": {"reject"},
		"reason": {"金额有误"}, "back": {"//evil.example/care"}}})
	if loc := w.Header().Get("Location"); loc != "/care" {
		t.Errorf("back to %q", loc)
	}
}

// Batch entry resolves the names against the subtree; an unknown name is
// reported by its line and nothing is stored.
func TestCareBatchEntryUnknownName(t *testing.T) {
	f := newFixture(t)
	num := f.numberedMember(f.A1)
	v := careForm(f.MA)
	v.Del("member_id")
	v.Set("org_id", id(f.A.ID))
	v.Set("names", "张三丰\n\n"+num.EmployeeNo+"、查无此人")
	v.Set("do", "save")
	body := mustStatus(t, f.do("clerk", req{method: "POST", path: "/care/batch", form: v}), http.StatusUnprocessableEntity)
	contains(t, body, `id="line-3"`, html.EscapeString(nuanxin.T("ui.care.bulk.line_no", 3)), "查无此人",
		html.EscapeString(nuanxin.T("ui.care.bulk.fix_lines", 1)), num.IDMasked)
	if f.countCases(f.MA)+f.countCases(num) != 0 {
		t.Fatal("a batch with an unknown name stored cases")
	}
	// the preview checks each line; saving the corrected list stores all
	v.Set("names", "张三丰\n"+num.EmployeeNo)
	v.Set("do", "preview")
	body = mustStatus(t, f.do("clerk", req{method: "POST", path: "/care/batch", form: v}), http.StatusOK)
	contains(t, body, `id="line-2"`, "未规定金额上限")
	v.Set("do", "save")
	w := f.do("clerk", req{method: "POST", path: "/care/batch", form: v})
	mustStatus(t, w, http.StatusSeeOther)
	if f.countCases(f.MA) != 1 || f.countCases(num) != 1 {
		t.Fatalf("batch stored %d + %d", f.countCases(f.MA), f.countCases(num))
	}
	// a policy refusal names the line; all or none
	f.adopt("anhui-2018")
	two := f.numberedMember(f.A)
	v.Set("names", two.EmployeeNo+"\n"+num.EmployeeNo)
	v.Set("amount", "800")
	v.Set("_once", newToken())
	body = mustStatus(t, f.do("clerk", req{method: "POST", path: "/care/batch", form: v}), http.StatusUnprocessableEntity)
	contains(t, body, "上限600元", "第1行")
	if f.countCases(two) != 0 {
		t.Errorf("a refused batch stored a case")
	}
}

// The member page lists the member's cases.
func TestMemberPageShowsCare(t *testing.T) {
	f := newFixture(t)
	c := f.careCase(f.MA, nuanxin.CareSubmitted)
	body := mustStatus(t, f.do("reviewer", req{method: "GET", path: "/members/" + id(f.MA.ID)}), http.StatusOK)
	contains(t, body, `id="care"`, nuanxin.T("ui.care.member.title"), "结婚", c.EventDate.String(), "床上用品一套",
		`href="/care/`+id(c.ID)+`"`, nuanxin.CareSubmitted.Label())
	if strings.Contains(body, `href="/care/new?member_id=`) {
		t.Errorf("a reviewer is offered 登记慰问")
	}
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: "/members/" + id(f.MA.ID)}), http.StatusOK)
	contains(t, body, `href="/care/new?member_id=`+id(f.MA.ID)+`"`)
	// and the form comes with the member picked
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: "/care/new?member_id=" + id(f.MA.ID) + "&category=holiday"}), http.StatusOK)
	contains(t, body, `id="picked-member"`, f.MA.Name, `name="holiday"`, `<option value="holiday" selected>`)
	// a member elsewhere cannot be picked
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: "/care/new?member_id=" + id(f.MB.ID)}), http.StatusOK)
	if strings.Contains(body, f.MB.Name) {
		t.Errorf("the form shows a member out of scope")
	}
}

// The API refuses a case over the cap with 422 and the decisions.
func TestCareAPIPolicyError(t *testing.T) {
	f := newFixture(t)
	f.adopt("anhui-2018")
	m := f.freshMember(true)
	body := strings.Replace(careJSON(m), `"amount_yuan":"500"`, `"amount_yuan":"1,000"`, 1)
	w := f.do("clerk", req{method: "POST", path: "/api/v1/care", json: body})
	mustStatus(t, w, http.StatusUnprocessableEntity)
	var out struct {
		Error struct {
			Code      string             `json:"code"`
			Message   string             `json:"message"`
			Decisions []nuanxin.Decision `json:"decisions"`
		} `json:"error"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if out.Error.Code != "policy" || len(out.Error.Decisions) == 0 || out.Error.Decisions[0].Level != nuanxin.Block ||
		!strings.Contains(out.Error.Message, "上限600元") || out.Error.Decisions[0].Source == "" {
		t.Fatalf("policy error: %+v", out.Error)
	}
	// many at once: the second is refused, neither is stored, the row is named
	ok := strings.Replace(careJSON(m), `"accept_warnings":true`, `"accept_warnings":false`, 1)
	ok = strings.TrimSuffix(strings.Replace(ok, `,"accept_warnings":false`, "", 1), "}") + "}"
	w = f.do("clerk", req{method: "POST", path: "/api/v1/care", json: `{"cases":[` + ok + `,` + strings.Replace(ok, `"500"`, `"900"`, 1) + `]}`})
	body = mustStatus(t, w, http.StatusUnprocessableEntity)
	if !strings.Contains(body, `"row":2`) || f.countCases(m) != 0 {
		t.Errorf("batch: %s (cases %d)", body, f.countCases(m))
	}
	// created, read back, moved on
	w = f.do("clerk", req{method: "POST", path: "/api/v1/care", json: careJSON(m)})
	mustStatus(t, w, http.StatusCreated)
	loc := w.Header().Get("Location")
	contains(t, mustStatus(t, f.do("auditor", req{method: "GET", path: loc}), http.StatusOK), `"steps":[`, `"status":"draft"`, `"amount":50000`)
	contains(t, mustStatus(t, f.do("clerk", req{method: "POST", path: loc + "/transition", json: `{"action":"submit"}`}), http.StatusOK), `"status":"submitted"`)
	contains(t, mustStatus(t, f.do("chair", req{method: "GET", path: "/api/v1/care/todo"}), http.StatusOK), `"to_review":1`, `"must_visit":[`)
	contains(t, mustStatus(t, f.do("reviewer", req{method: "GET", path: "/api/v1/care?status=submitted"}), http.StatusOK), `"total":1`)
	check := strings.Replace(strings.Replace(careJSON(m), `"500"`, `"700"`, 1), `,"accept_warnings":true`, "", 1)
	body = mustStatus(t, f.do("clerk", req{method: "POST", path: "/api/v1/care/check", json: check}), http.StatusOK)
	contains(t, body, `"blocked":true`, "上限600元")
	mustStatus(t, f.do("clerk", req{method: "GET", path: "/api/v1/care?status=bogus"}), http.StatusBadRequest)
}

// The pages of 慰问 render for the roles that reach them, with no catalog
// key or format verb leaking.
func TestCarePagesRender(t *testing.T) {
	f := newFixture(t)
	f.adopt("anhui-2018")
	c := f.careCase(f.MA, nuanxin.CareSubmitted)
	d := f.careCase(f.freshMember(true), nuanxin.CareDraft)
	a := f.careAttachment(c)
	if err := f.db.RecordVisit(bg, sys, c.ID, nuanxin.Today(), "王主席", "到家中走访"); err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct{ role, path string }{
		{"clerk", "/care"}, {"clerk", "/care?status=submitted&category=wedding&from=2020-01-01&to=2099-12-31&q=zsf&org=" + id(f.A.ID)},
		{"clerk", "/care/new"}, {"clerk", "/care/new?member_id=" + id(f.MA.ID) + "&category=illness"},
		{"clerk", "/care/new?member_id=" + id(f.MA.ID) + "&category=relative_death"},
		{"clerk", "/care/batch"}, {"clerk", "/care/batch?category=holiday"}, {"chair", "/care/todo"}, {"auditor", "/care/todo"},
		{"chair", "/care/" + id(c.ID)}, {"clerk", "/care/edit/" + id(d.ID)}, {"admin", "/care"}, {"chair", "/"},
		{"clerk", "/care/members?member_q=" + url.QueryEscape(f.MA.Name)},
	} {
		body := mustStatus(t, f.do(p.role, req{method: "GET", path: p.path}), http.StatusOK)
		if strings.Contains(body, "%!") || strings.Contains(body, ">ui.") || strings.Contains(body, "\"ui.") {
			t.Errorf("%s %s: a key or format verb leaks", p.role, p.path)
		}
	}
	body := mustStatus(t, f.do("chair", req{method: "GET", path: "/care/" + id(c.ID)}), http.StatusOK)
	contains(t, body, "王主席", "到家中走访", `src="/attachments/`+id(a.ID)+`"`, "伍佰元整", f.MA.IDMasked)
	body = mustStatus(t, f.do("chair", req{method: "GET", path: "/"}), http.StatusOK)
	contains(t, body, `id="home-care"`, `class="nav-badge"`)
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: "/care?status=submitted"}), http.StatusOK)
	contains(t, body, `href="/care/`+id(c.ID)+`"`, `class="active" aria-current="true">待审核<span class="tab-count">1</span>`)
	if strings.Contains(body, `href="/care/`+id(d.ID)+`"`) {
		t.Errorf("the 待审核 tab lists a draft")
	}
	// the htmx swap of the table carries the status back to the filter bar
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: "/care?status=draft", htmx: true, header: map[string]string{"HX-Target": "care-table"}}), http.StatusOK)
	contains(t, body, `id="care-table"`, `id="care-status" name="status" value="draft" hx-swap-oob="true"`)
	if strings.Contains(body, "<html") {
		t.Errorf("the table swap sends the whole page")
	}
	// the attachment comes back as stored, inline, not sniffed
	w := f.do("auditor", req{method: "GET", path: "/attachments/" + id(a.ID)})
	mustStatus(t, w, http.StatusOK)
	if ct, cd := w.Header().Get("Content-Type"), w.Header().Get("Content-Disposition"); ct != "image/png" || !strings.HasPrefix(cd, "inline") ||
		w.Header().Get("X-Content-Type-Options") != "nosniff" || !bytes.Equal(w.Body.Bytes(), tinyPNG) {
		t.Errorf("attachment: %q %q %d bytes", ct, cd, w.Body.Len())
	}
	// an upload that is not a picture is refused on the page
	body = mustStatus(t, f.do("clerk", req{method: "POST", path: "/care/" + id(c.ID) + "/attachments",
		file: &upfile{field: "file", name: "病历.txt", data: []byte("hello")}}), http.StatusUnprocessableEntity)
	contains(t, body, `id="file-error">`+html.EscapeString(nuanxin.T("care.attachment.type")))
}
