package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/nuanxin/nuanxin"
)

// hardshipFile opens a 困难职工档案 for m (by the system).
func (f *fixture) hardshipFile(m *nuanxin.Member, tier nuanxin.HardshipTier, year int) *nuanxin.HardshipFile {
	f.t.Helper()
	h := &nuanxin.HardshipFile{MemberID: m.ID, Tier: tier, Year: year, Basis: "家庭人均月收入低于当地低保"}
	if err := f.db.RegisterHardship(bg, sys, h); err != nil {
		f.t.Fatalf("hardship: %v", err)
	}
	return h
}

// hardshipRows are the matrix rows of the 困难职工档案 routes: "in" acts on
// a member of A, "out" on one of B.
func hardshipRows() []matrixRow {
	return []matrixRow{
		{"POST", "/members/{id}/hardship", func(f *fixture, in bool) target {
			m := f.freshMember(in)
			return target{rq: req{method: "POST", path: fmt.Sprintf("/members/%d/hardship", m.ID), form: url.Values{"_once": {newToken()},
				"tier": {"deep"}, "year": {strconv.Itoa(nuanxin.Today().Year)}, "basis": {"配偶重病，子女上学"}}}, secret: m.Name}
		}, "404 303 303 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/members/{id}/hardship/{hid}/close", func(f *fixture, in bool) target {
			m := f.freshMember(in)
			h := f.hardshipFile(m, nuanxin.TierRelative, nuanxin.Today().Year)
			return target{rq: req{method: "POST", path: fmt.Sprintf("/members/%d/hardship/%d/close", m.ID, h.ID),
				form: url.Values{"closed_on": {nuanxin.Today().String()}, "close_note": {"家庭收入超过标准"}}}, secret: m.Name}
		}, "404 303 303 404 404 404 303", "404 404 404 404 404 404 303"},
		{"GET", "/hardship", plain("GET", "/hardship"), "200 200 200 200 200 403 303", ""},
	}
}

func TestHardshipOnMemberPage(t *testing.T) {
	f := newFixture(t)
	m := f.member(f.A1.ID, "困难职工甲")
	clerk := f.login("clerk")
	page := fmt.Sprintf("/members/%d", m.ID)
	year := strconv.Itoa(nuanxin.Today().Year)

	w := f.do("clerk", req{method: "GET", path: page, sess: clerk})
	body := w.Body.String()
	if w.Code != 200 || !strings.Contains(body, "困难职工档案") || !strings.Contains(body, `id="hardship-form"`) ||
		!strings.Contains(body, `value="`+year+`"`) || !strings.Contains(body, "暂无困难职工档案") {
		t.Fatalf("member page: %d\n%s", w.Code, snippet(body))
	}
	// An auditor sees the card, not the form.
	if w := f.do("auditor", req{method: "GET", path: page}); w.Code != 200 || !strings.Contains(w.Body.String(), "暂无困难职工档案") ||
		strings.Contains(w.Body.String(), `id="hardship-form"`) {
		t.Fatalf("auditor: %d", w.Code)
	}

	// Bad input keeps the page and what was typed, with the messages.
	bad := url.Values{"_once": {newToken()}, "tier": {"poor"}, "year": {year}, "basis": {"  "}}
	w = f.do("clerk", req{method: "POST", path: page + "/hardship", form: bad, sess: clerk})
	body = w.Body.String()
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "请选择困难类别") || !strings.Contains(body, "请填写认定依据") ||
		!strings.Contains(body, "困难职工甲") {
		t.Fatalf("bad input: %d\n%s", w.Code, snippet(body))
	}
	bad = url.Values{"_once": {newToken()}, "tier": {"deep"}, "year": {"明年"}, "basis": {"单亲，子女上学"}}
	w = f.do("clerk", req{method: "POST", path: page + "/hardship", form: bad, sess: clerk})
	body = w.Body.String()
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "请填写建档年度") || !strings.Contains(body, "单亲，子女上学") {
		t.Fatalf("bad year: %d\n%s", w.Code, snippet(body))
	}

	good := url.Values{"_once": {newToken()}, "tier": {"deep"}, "year": {year}, "basis": {"家庭人均月收入低于当地低保，配偶重病"}}
	w = f.do("clerk", req{method: "POST", path: page + "/hardship", form: good, sess: clerk})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != page+"#hardship" ||
		!strings.Contains(w.Header().Get("Set-Cookie"), "ui.flash.hardship_registered") {
		t.Fatalf("register: %d %s\n%s", w.Code, w.Header().Get("Location"), snippet(w.Body.String()))
	}
	// The same form sent twice does not open a second file.
	if w := f.do("clerk", req{method: "POST", path: page + "/hardship", form: good, sess: clerk}); w.Code != http.StatusSeeOther {
		t.Fatalf("resubmit: %d", w.Code)
	}
	files, err := f.db.FindHardshipFiles(bg, sys, 0, m.ID)
	if err != nil || len(files) != 1 || files[0].Tier != nuanxin.TierDeep || !files[0].Active {
		t.Fatalf("files: %+v %v", files, err)
	}
	hid := files[0].ID
	w = f.do("clerk", req{method: "GET", path: page, sess: clerk})
	body = w.Body.String()
	if !strings.Contains(body, "深度困难") ||
		!strings.Contains(body, "家庭人均月收入低于当地低保，配偶重病") || !strings.Contains(body, "在档") ||
		!strings.Contains(body, fmt.Sprintf(`action="/members/%d/hardship/%d/close"`, m.ID, hid)) {
		t.Fatalf("file shown: %d\n%s", w.Code, snippet(body))
	}
	// A second active file for the year is refused on the form.
	dup := url.Values{"_once": {newToken()}, "tier": {"relative"}, "year": {year}, "basis": {"又一份"}}
	w = f.do("clerk", req{method: "POST", path: page + "/hardship", form: dup, sess: clerk})
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "年已有在档的困难职工档案") {
		t.Fatalf("duplicate: %d\n%s", w.Code, snippet(w.Body.String()))
	}

	// 结档: the note is required; then the file shows closed.
	closeURL := fmt.Sprintf("%s/hardship/%d/close", page, hid)
	w = f.do("clerk", req{method: "POST", path: closeURL, form: url.Values{"closed_on": {nuanxin.Today().String()}}, sess: clerk})
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "请填写解困/脱困情况") {
		t.Fatalf("close without a note: %d\n%s", w.Code, snippet(w.Body.String()))
	}
	w = f.do("clerk", req{method: "POST", path: closeURL, form: url.Values{"closed_on": {nuanxin.Today().String()}, "close_note": {"子女毕业就业"}}, sess: clerk})
	if w.Code != http.StatusSeeOther || !strings.Contains(w.Header().Get("Set-Cookie"), "ui.flash.hardship_closed") {
		t.Fatalf("close: %d\n%s", w.Code, snippet(w.Body.String()))
	}
	w = f.do("clerk", req{method: "GET", path: page, sess: clerk})
	body = w.Body.String()
	if !strings.Contains(body, "已结档") || !strings.Contains(body, "子女毕业就业") ||
		strings.Contains(body, fmt.Sprintf(`action="/members/%d/hardship/%d/close"`, m.ID, hid)) {
		t.Fatalf("closed file: %d\n%s", w.Code, snippet(body))
	}
	// Closing again says when it was closed.
	w = f.do("clerk", req{method: "POST", path: closeURL, form: url.Values{"closed_on": {nuanxin.Today().String()}, "close_note": {"再结一次"}}, sess: clerk})
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "该档案已于") {
		t.Fatalf("close twice: %d\n%s", w.Code, snippet(w.Body.String()))
	}
	// A file of another member is not found through this member's page.
	other := f.member(f.A1.ID, "困难职工乙")
	oh := f.hardshipFile(other, nuanxin.TierAccident, nuanxin.Today().Year)
	w = f.do("clerk", req{method: "POST", path: fmt.Sprintf("%s/hardship/%d/close", page, oh.ID),
		form: url.Values{"closed_on": {nuanxin.Today().String()}, "close_note": {"误操作"}}, sess: clerk})
	if w.Code != http.StatusNotFound {
		t.Fatalf("another member's file: %d", w.Code)
	}

	// The list of files in scope links to the members.
	w = f.do("auditor", req{method: "GET", path: "/hardship"})
	body = w.Body.String()
	if w.Code != 200 || !strings.Contains(body, fmt.Sprintf(`href="/members/%d#hardship"`, m.ID)) || !strings.Contains(body, "困难职工乙") ||
		!strings.Contains(body, "意外致困") || !strings.Contains(body, "运行部分工会") {
		t.Fatalf("list: %d\n%s", w.Code, snippet(body))
	}
}

func TestHardshipCampaignCriteria(t *testing.T) {
	f := newFixture(t)
	clerk := f.login("clerk")
	today := nuanxin.Today()
	from := today.AddDays(-5)
	deep1 := f.member(f.A1.ID, "深度困难甲")
	deep2 := f.member(f.A.ID, "深度困难乙")
	rel := f.member(f.A1.ID, "相对困难丙")
	gone := f.member(f.A1.ID, "已脱困丁")
	f.hardshipFile(deep1, nuanxin.TierDeep, from.Year)
	f.hardshipFile(deep2, nuanxin.TierDeep, from.Year)
	f.hardshipFile(rel, nuanxin.TierRelative, from.Year)
	g := f.hardshipFile(gone, nuanxin.TierDeep, from.Year)
	if err := f.db.CloseHardship(bg, sys, g.ID, today, "家庭收入超过标准"); err != nil {
		t.Fatal(err)
	}
	f.hardshipFile(f.member(f.B.ID, "外单位困难"), nuanxin.TierDeep, from.Year)

	// The form offers the tiers, with the 送温暖 help.
	w := f.do("clerk", req{method: "GET", path: "/campaigns/new?kind=warmth", sess: clerk})
	body := w.Body.String()
	if w.Code != 200 || !strings.Contains(body, `name="hardship_tier" value="deep"`) || !strings.Contains(body, "意外致困") {
		t.Fatalf("form: %d\n%s", w.Code, snippet(body))
	}

	v := url.Values{"_once": {newToken()}, "org_id": {id(f.A.ID)}, "name": {"送温暖（深度困难）"}, "kind": {"warmth"},
		"from": {from.String()}, "to": {today.AddDays(20).String()}, "budget": {"10000"}, "cash": {"500"},
		"hardship_tier": {"deep"}}
	w = f.do("clerk", req{method: "POST", path: "/campaigns", form: v, sess: clerk})
	loc := campaignLoc.FindStringSubmatch(w.Header().Get("Location"))
	if w.Code != http.StatusSeeOther || loc == nil {
		t.Fatalf("create: %d %s\n%s", w.Code, w.Header().Get("Location"), snippet(w.Body.String()))
	}
	cid, _ := strconv.ParseInt(loc[1], 10, 64)
	c, err := f.db.FindCampaign(bg, sys, cid)
	if err != nil || len(c.Criteria.HardshipTiers) != 1 || c.Criteria.HardshipTiers[0] != nuanxin.TierDeep {
		t.Fatalf("criteria: %+v %v", c, err)
	}
	base := "/campaigns/" + loc[1]
	if w := f.do("clerk", req{method: "GET", path: base, sess: clerk}); w.Code != 200 || !strings.Contains(w.Body.String(), "困难职工档案：深度困难") {
		t.Fatalf("criteria shown: %d\n%s", w.Code, snippet(w.Body.String()))
	}
	w = f.do("clerk", req{method: "GET", path: base + "/edit", sess: clerk})
	body = w.Body.String()
	if w.Code != 200 || !strings.Contains(body, `name="hardship_tier" value="deep" checked`) ||
		strings.Contains(body, `name="hardship_tier" value="relative" checked`) || !strings.Contains(body, "按本年度在档的困难职工档案选人") {
		t.Fatalf("edit form: %d\n%s", w.Code, snippet(body))
	}

	w = f.do("clerk", req{method: "POST", path: base + "/roster", sess: clerk})
	if w.Code != 200 || !strings.Contains(w.Body.String(), "新增2人") {
		t.Fatalf("roster: %d\n%s", w.Code, snippet(w.Body.String()))
	}
	got := map[int64]bool{}
	if err := f.db.CampaignRoster(bg, sys, cid, 0, func(cc *nuanxin.CareCase) error { got[cc.MemberID] = true; return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !got[deep1.ID] || !got[deep2.ID] {
		t.Fatalf("roster: %v, want %d and %d", got, deep1.ID, deep2.ID)
	}
}
