package web

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/nuanxin/nuanxin"
)

// savedSummary stores a small 工作总结 of org (by the system).
func (f *fixture) savedSummary(org *nuanxin.Org) *nuanxin.Summary {
	f.t.Helper()
	sum := &nuanxin.Summary{OrgID: org.ID, Period: nuanxin.YearPeriod(2026), Title: org.Name + "2026年工作总结", Author: org.Name,
		Date: nuanxin.NewDate(2026, 12, 31), Blocks: []nuanxin.SummaryBlock{
			{Kind: nuanxin.BlockHeading, Runs: []nuanxin.Run{nuanxin.Plain("一、主要工作及成效")}},
			nuanxin.Para(nuanxin.Plain("全年慰问住院职工"), nuanxin.Fig("32人次", "/care?paid=1&category=illness"),
				nuanxin.Plain("，发放慰问金"), nuanxin.Fig("2.56万元", "/care?paid=1&category=illness"), nuanxin.Plain("。")),
		}}
	if err := f.db.CreateSummary(bg, sys, sum); err != nil {
		f.t.Fatalf("summary: %v", err)
	}
	return sum
}

func summaryRows() []matrixRow {
	saved := func(method, suffix string, form func(*nuanxin.Summary) url.Values) func(*fixture, bool) target {
		return func(f *fixture, in bool) target {
			org, _, _ := f.pick(in)
			sum := f.savedSummary(org)
			rq := req{method: method, path: fmt.Sprintf("/reports/%d%s", sum.ID, suffix)}
			if form != nil {
				rq.form = form(sum)
			}
			return target{rq: rq, secret: sum.Title}
		}
	}
	edit := func(sum *nuanxin.Summary) url.Values {
		v := url.Values{"version": {strconv.Itoa(sum.Version)}, "title": {sum.Title}, "author": {sum.Author}, "date": {"2026-12-31"}}
		for _, b := range sum.Blocks {
			runs, _ := json.Marshal(b.Runs)
			v.Add("kind", string(b.Kind))
			v.Add("text", b.Text())
			v.Add("runs", string(runs))
		}
		return v
	}
	return []matrixRow{
		{"GET", "/reports", plain("GET", "/reports"), "200 200 200 200 200 403 303", ""},
		{"POST", "/reports", func(f *fixture, in bool) target {
			org, _, _ := f.pick(in)
			return target{rq: req{method: "POST", path: "/reports", form: url.Values{"org": {id(org.ID)}, "span": {"year"}, "year": {"2026"}}}}
		}, "403 303 303 403 403 403 303", "403 404 404 403 403 403 303"},
		{"GET", "/reports/{id}", saved("GET", "", nil), "200 200 200 200 200 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/reports/{id}", saved("POST", "", edit), "404 303 303 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/reports/{id}/delete", saved("POST", "/delete", nil), "404 303 303 404 404 404 303", "404 404 404 404 404 404 303"},
		{"GET", "/reports/{id}/summary.docx", saved("GET", "/summary.docx", nil), "200 200 200 200 200 404 303", "404 404 404 404 404 404 303"},
		{"GET", "/reports/{id}/summary.md", saved("GET", "/summary.md", nil), "200 200 200 200 200 404 303", "404 404 404 404 404 404 303"},
		{"GET", "/reports/{id}/print", saved("GET", "/print", nil), "200 200 200 200 200 404 303", "404 404 404 404 404 404 303"},
	}
}

// An officer writes the summary from the records, edits a paragraph and
// keeps its figures' links, then exports it.
func TestSummaryWriteEditExport(t *testing.T) {
	f := newFixture(t)
	clerk := f.login("clerk")
	w := f.do("clerk", req{method: "GET", path: "/reports", sess: clerk})
	if w.Code != 200 || !strings.Contains(w.Body.String(), `id="report-generate"`) || !strings.Contains(w.Body.String(), "还没有工作总结") {
		t.Fatalf("reports page: %d\n%s", w.Code, snippet(w.Body.String()))
	}
	// A bad span is named.
	w = f.do("clerk", req{method: "POST", path: "/reports", sess: clerk, form: url.Values{"org": {id(f.A.ID)}, "span": {"custom"}, "from": {"2026-12-31"}, "to": {"2026-01-01"}}})
	if w.Code != 422 || !strings.Contains(w.Body.String(), "统计期间") {
		t.Fatalf("bad period: %d\n%s", w.Code, snippet(w.Body.String()))
	}
	w = f.do("clerk", req{method: "POST", path: "/reports", sess: clerk, form: url.Values{"org": {id(f.A.ID)}, "span": {"year"}, "year": {"2026"}}})
	if w.Code != 303 || !strings.HasPrefix(w.Header().Get("Location"), "/reports/") {
		t.Fatalf("generate: %d %s\n%s", w.Code, w.Header().Get("Location"), snippet(w.Body.String()))
	}
	page := w.Header().Get("Location")
	w = f.do("clerk", req{method: "GET", path: page, sess: clerk})
	body := w.Body.String()
	if w.Code != 200 || !strings.Contains(body, "2026年工作总结") || !strings.Contains(body, "一、主要工作及成效") || !strings.Contains(body, "三、下一步工作打算") {
		t.Fatalf("editor: %d\n%s", w.Code, snippet(body))
	}

	sum := f.savedSummary(f.A)
	form := url.Values{"version": {"1"}, "title": {"  发电公司工会2026年度工作总结 "}, "author": {"发电公司工会"}, "date": {"2026-12-30"}}
	for i, b := range sum.Blocks {
		runs, _ := json.Marshal(b.Runs)
		text := b.Text()
		if i == 1 {
			// The officer rewrites the sentence around the figures and adds a paragraph.
			text = "今年共慰问住院职工32人次，发放慰问金2.56万元，做到应访尽访。\n\n另外新增一段说明。"
		}
		form.Add("kind", string(b.Kind))
		form.Add("text", text)
		form.Add("runs", string(runs))
	}
	// An empty box is dropped.
	form.Add("kind", "p")
	form.Add("text", "  ")
	form.Add("runs", "[]")
	w = f.do("clerk", req{method: "POST", path: fmt.Sprintf("/reports/%d", sum.ID), sess: clerk, form: form})
	if w.Code != 303 {
		t.Fatalf("save: %d\n%s", w.Code, snippet(w.Body.String()))
	}
	got, err := f.db.FindSummary(bg, sys, sum.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "发电公司工会2026年度工作总结" || got.Version != 2 || len(got.Blocks) != 3 || got.Date != nuanxin.NewDate(2026, 12, 30) {
		t.Fatalf("saved: %+v", got)
	}
	p := got.Blocks[1]
	if p.Text() != "今年共慰问住院职工32人次，发放慰问金2.56万元，做到应访尽访。" || len(p.Runs) != 5 || p.Runs[1].Href == "" || p.Runs[3].Text != "2.56万元" || p.Runs[3].Href == "" {
		t.Fatalf("figures lost their links: %+v", p.Runs)
	}
	if got.Blocks[2].Text() != "另外新增一段说明。" {
		t.Fatalf("new paragraph: %+v", got.Blocks[2])
	}
	// The same form again is stale now.
	w = f.do("clerk", req{method: "POST", path: fmt.Sprintf("/reports/%d", sum.ID), sess: clerk, form: form})
	if w.Code != 422 || !strings.Contains(w.Body.String(), "已被") {
		t.Fatalf("stale save: %d\n%s", w.Code, snippet(w.Body.String()))
	}
	// Exports.
	w = f.do("clerk", req{method: "GET", path: fmt.Sprintf("/reports/%d/print", sum.ID), sess: clerk})
	if w.Code != 200 || !strings.Contains(w.Body.String(), `href="/care?paid=1&amp;category=illness"`) || !strings.Contains(w.Header().Get("Content-Security-Policy"), "sha256-") {
		t.Fatalf("print page: %d\n%s", w.Code, snippet(w.Body.String()))
	}
	w = f.do("clerk", req{method: "GET", path: fmt.Sprintf("/reports/%d/summary.docx", sum.ID), sess: clerk})
	if w.Code != 200 || !strings.HasPrefix(w.Body.String(), "PK") || !strings.Contains(w.Header().Get("Content-Disposition"), "filename*=UTF-8''") {
		t.Fatalf("docx: %d %v", w.Code, w.Header())
	}
}

func TestRelinkKeepsFiguresInOrder(t *testing.T) {
	old := []nuanxin.Run{nuanxin.Plain("慰问"), nuanxin.Fig("5人", "/a"), nuanxin.Plain("，其中"), nuanxin.Fig("5人", "/b"), nuanxin.Plain("。")}
	got := relink(nuanxin.BlockParagraph, "共慰问5人。\n其中住院5人。", old)
	if len(got) != 2 || got[0].Runs[1].Href != "/a" || got[1].Runs[1].Href != "/b" {
		t.Fatalf("%+v", got)
	}
	// A deleted figure does not take the next one's place.
	got = relink(nuanxin.BlockParagraph, "其中5人", []nuanxin.Run{nuanxin.Fig("32人次", "/x"), nuanxin.Fig("5人", "/y")})
	if len(got) != 1 || got[0].Runs[1].Href != "/y" {
		t.Fatalf("%+v", got)
	}
	// A heading stays one block.
	if got := relink(nuanxin.BlockHeading, "一、主要工作\n及成效", nil); len(got) != 1 || got[0].Text() != "一、主要工作及成效" {
		t.Fatalf("%+v", got)
	}
}

// The link behind a figure shows the cases it counts: paid ones only, of
// the form and campaign it names, and says so.
func TestCareListFollowsFigureLinks(t *testing.T) {
	f := newFixture(t)
	clerk := f.login("clerk")
	w := f.do("clerk", req{method: "GET", path: "/care?paid=1&form=cash&org=" + id(f.A.ID), sess: clerk})
	body := w.Body.String()
	if w.Code != 200 || !strings.Contains(body, `id="care-chips"`) || !strings.Contains(body, "统计口径：已发放、已签收") ||
		!strings.Contains(body, "形式：慰问金") || !strings.Contains(body, `name="paid" value="1"`) {
		t.Fatalf("care list with figure terms: %d\n%s", w.Code, snippet(body))
	}
	if w := f.do("clerk", req{method: "GET", path: "/care?form=bitcoin", sess: clerk}); w.Code != 200 || strings.Contains(w.Body.String(), `id="care-chips"`) {
		t.Fatalf("a bad form: %d", w.Code)
	}
}

// A double click on 生成 writes one summary.
func TestSummaryGenerateOnce(t *testing.T) {
	f := newFixture(t)
	clerk := f.login("clerk")
	form := url.Values{"org": {id(f.A.ID)}, "span": {"year"}, "year": {"2026"}, "_once": {newToken()}}
	a := f.do("clerk", req{method: "POST", path: "/reports", sess: clerk, form: form})
	b := f.do("clerk", req{method: "POST", path: "/reports", sess: clerk, form: form})
	if a.Code != 303 || b.Code != 303 || a.Header().Get("Location") != b.Header().Get("Location") {
		t.Fatalf("double submit: %d %s / %d %s", a.Code, a.Header().Get("Location"), b.Code, b.Header().Get("Location"))
	}
	if _, n, _ := f.db.FindSummaries(bg, sys, nuanxin.SummaryFilter{}); n != 1 {
		t.Fatalf("%d summaries after a double click", n)
	}
}
