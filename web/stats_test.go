package web

import (
	"bytes"
	"fmt"
	"html"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/demo"
	"github.com/nuanxin/nuanxin/store"
	"github.com/nuanxin/nuanxin/store/storetest"
	"github.com/nuanxin/nuanxin/summary"
)

// statsRows are the permission matrix rows of the statistics page: every
// role holding report.read, inside its scope; another union's org is not
// found.
func statsRows() []matrixRow {
	orgPath := func(path string) func(*fixture, bool) target {
		return func(f *fixture, in bool) target {
			org, _, _ := f.pick(in)
			return target{rq: req{method: "GET", path: path + "?period=2026&org=" + id(org.ID)}, secret: org.Name}
		}
	}
	return []matrixRow{
		{"GET", "/stats", orgPath("/stats"), "200 200 200 200 200 403 303", "404 404 404 404 404 403 303"},
		{"GET", "/stats/export.xlsx", orgPath("/stats/export.xlsx"), "200 200 200 200 200 403 303", "404 404 404 404 404 403 303"},
	}
}

// statsFixture is the fixture with paid cases of this year: two 住院 of
// 500.00 (张三丰 of A in March, a member of A1 in March), a 结婚 of 300.00
// in A in May, one 住院 of 777.00 in B (out of the roles' scope) and an
// approved case of A that waits for payment.
type statsFixture struct {
	*fixture
	year int
	a1   *nuanxin.Member
}

func newStatsFixture(t *testing.T) *statsFixture { return newStatsFixtureOn(t, storetest.Open(t)) }

func newStatsFixtureOn(t *testing.T, db *store.DB) *statsFixture {
	f := newFixtureOn(t, db)
	y := nuanxin.Today().Year
	a1 := f.member(f.A1.ID, "李运行")
	wed := f.member(f.A.ID, "王新婚")
	illness := func(m *nuanxin.Member, day int) *nuanxin.CareCase {
		return &nuanxin.CareCase{MemberID: m.ID, Category: nuanxin.CareIllness, EventDate: nuanxin.NewDate(y, 3, day),
			Hospital: "市第一人民医院", HospitalDays: 5, Form: nuanxin.FormCash, Amount: 50000}
	}
	cases := []*nuanxin.CareCase{
		f.payApprove(illness(f.MA, 10)),
		f.payApprove(illness(a1, 20)),
		f.payApprove(&nuanxin.CareCase{MemberID: wed.ID, Category: nuanxin.CareWedding, EventDate: nuanxin.NewDate(y, 5, 5),
			Form: nuanxin.FormGoods, Goods: "床上用品一套", Amount: 30000, Reason: "新婚"}),
	}
	out := illness(f.MB, 12)
	out.Amount = 77700
	cases = append(cases, f.payApprove(out))
	f.payBatchOf(cases...)
	f.payApprove(&nuanxin.CareCase{MemberID: wed.ID, Category: nuanxin.CareOther, EventDate: nuanxin.NewDate(y, 6, 1),
		Form: nuanxin.FormGoods, Goods: "慰问品一份", Amount: 10000, Reason: "高温慰问"})
	return &statsFixture{fixture: f, year: y, a1: a1}
}

// attr is s as it appears in an attribute value of a page.
func attr(s string) string { return html.EscapeString(s) }

// The 工作台 and the statistics page show the figures computed by hand,
// each linked to the list behind it, and the workbook has the same totals,
// on SQLite and on PostgreSQL.
func TestStatsFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) { statsFigures(t, newStatsFixtureOn(t, db)) })
}

func statsFigures(t *testing.T, f *statsFixture) {
	year := nuanxin.YearPeriod(f.year)
	all := nuanxin.StatsFilter{Period: year}
	illness := summary.CareHref(all, nuanxin.CareIllness, "", 0)
	if !strings.Contains(illness, "category=illness") {
		t.Fatalf("care link %s", illness)
	}

	// 工作台
	body := mustStatus(t, f.do("clerk", req{method: "GET", path: "/"}), http.StatusOK)
	contains(t, body, `id="home-figures"`, `id="home-campaigns"`, `id="home-care"`, `id="home-coverage"`,
		`href="`+attr(illness)+`">1,000.00</a>`, // 住院: 2 × 500.00
		`id="stat-amount"`, ">0.13</span>",      // 1,300.00 元 = 0.13 万元
		"1,300.00 元",
		`href="`+attr(summary.CareHref(all, nuanxin.CareWedding, "", 0))+`">300.00</a>`,
		`href="`+attr(summary.CareStatusHref(0, nuanxin.CareApproved))+`">待发放</a>`,
		`href="`+attr(summary.StatsHref(nuanxin.StatsFilter{OrgID: f.A1.ID, Period: year}))+`">运行部分工会</a>`,
		`href="`+attr(summary.MembersHref(0, nuanxin.StatusMember, nuanxin.CategoryActive))+`"`,
		`<script type="application/json" id="home-charts">`, "/static/echarts.min.js", "/static/stats.js",
		`id="pf-period"`, `value="`+strconv.Itoa(f.year)+`" selected`)
	if strings.Contains(body, "777.00") || strings.Contains(body, "2,077.00") {
		t.Error("the 工作台 counts B's case")
	}
	if strings.Contains(body, "%!") || strings.Contains(body, ">ui.") {
		t.Error("a key or a format verb leaks")
	}
	// the chart data: yuan, counts and the links behind the bars
	js := body[strings.Index(body, `id="home-charts">`):]
	js = js[:strings.Index(js, "</script>")]
	for _, want := range []string{`"kind":"months"`, `"kind":"bars"`, `"kind":"donut"`, `"yuan":1000`, `"count":2`, `"label":"3月"`, `"yuan":300`} {
		if !strings.Contains(js, want) {
			t.Errorf("chart data lacks %s: %s", want, js)
		}
	}
	if !strings.Contains(js, `category=illness\u0026`) {
		t.Errorf("chart data lacks the link behind the 住院 bar: %s", js)
	}

	// the statistics page
	body = mustStatus(t, f.do("reviewer", req{method: "GET", path: "/stats"}), http.StatusOK)
	contains(t, body, `id="pivot-category"`, `id="pivot-month"`, `id="by-form"`, `id="by-category"`,
		`href="`+attr(illness)+`">1,000.00</a>`,
		`id="stat-amount"`, ">1,300.00</span>",
		// the cell of A1's 住院 and the month cell of March
		`href="`+attr(summary.CareHref(nuanxin.StatsFilter{OrgID: f.A1.ID, Period: year}, nuanxin.CareIllness, "", 0))+`"><span class="pc-amt">500.00</span><span class="pc-n">1人次</span>`,
		`href="`+attr(summary.CareHref(all, "", "", f.year*100+3))+`"><span class="pc-amt">1,000.00</span><span class="pc-n">2人次</span>`,
		`href="`+attr(summary.CareHref(all, "", nuanxin.FormCash, 0))+`">1,000.00</a>`,
		"发电公司工会（本级）", `href="`+attr("/stats/export.xlsx?period="+strconv.Itoa(f.year))+`"`)
	if strings.Contains(body, "777.00") {
		t.Error("the statistics count B's case")
	}
	// a month, an org
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: "/stats?period=" + strconv.Itoa(f.year) + "-03"}), http.StatusOK)
	contains(t, body, ">1,000.00</span>", f.year2("年3月"))
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: "/stats?period=" + strconv.Itoa(f.year) + "H1&org=" + id(f.A1.ID)}), http.StatusOK)
	contains(t, body, ">500.00</span>", "运行部分工会", f.year2("年上半年"))

	// the workbook: the page's totals
	w := f.do("clerk", req{method: "GET", path: "/stats/export.xlsx?period=" + strconv.Itoa(f.year)})
	mustStatus(t, w, http.StatusOK)
	if ct, cd := w.Header().Get("Content-Type"), w.Header().Get("Content-Disposition"); ct != xlsxType ||
		!strings.Contains(cd, "filename*=UTF-8''"+rfc5987("慰问统计-发电公司工会-"+f.year2("年")+".xlsx")) {
		t.Errorf("download headers: %q %q", ct, cd)
	}
	x, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); strings.Join(got, ",") != "单位×类别×月份,按类别,按单位" {
		t.Errorf("sheets %v", got)
	}
	title, _ := x.GetCellValue("单位×类别×月份", "A1")
	if title != "发电公司工会 "+f.year2("年")+" 慰问统计" {
		t.Errorf("title %q", title)
	}
	// the foot of each sheet: 合计 with the totals
	foot := func(sheet string) []string {
		rows, err := x.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for i := len(rows) - 1; i >= 0; i-- {
			if len(rows[i]) > 0 && rows[i][0] == "合计" {
				return rows[i]
			}
		}
		t.Fatalf("%s: no 合计 row in %v", sheet, rows)
		return nil
	}
	raw := func(sheet string, row []string, col int) float64 {
		t.Helper()
		v, err := strconv.ParseFloat(strings.ReplaceAll(row[col], ",", ""), 64)
		if err != nil {
			t.Fatalf("%s: %q is not a number", sheet, row[col])
		}
		return v
	}
	r3 := foot("单位×类别×月份")
	if n := len(r3); raw("3d", r3, n-1) != 1300 || raw("3d", r3, n-2) != 3 {
		t.Errorf("单位×类别×月份 合计 %v", r3)
	}
	r1 := foot("按类别")
	if raw("cat", r1, 1) != 3 || raw("cat", r1, 2) != 3 || raw("cat", r1, 3) != 1300 {
		t.Errorf("按类别 合计 %v", r1)
	}
	r2 := foot("按单位")
	if n := len(r2); raw("org", r2, n-1) != 1300 || raw("org", r2, n-2) != 3 {
		t.Errorf("按单位 合计 %v", r2)
	}
	// amounts are numbers in 元 with the money format
	cell, _ := excelize.CoordinatesToCellName(len(r2), len(mustRows(t, x, "按单位")))
	if v, _ := x.GetCellValue("按单位", cell, excelize.Options{RawCellValue: true}); v != "1300" {
		t.Errorf("按单位 %s raw %q", cell, v)
	}
	if st, _ := x.GetCellStyle("按单位", cell); st == 0 {
		t.Errorf("按单位 %s has no number format", cell)
	} else if s, _ := x.GetStyle(st); s.CustomNumFmt == nil || *s.CustomNumFmt != "#,##0.00" {
		t.Errorf("按单位 %s format %+v", cell, s)
	}
	if panes, _ := x.GetPanes("单位×类别×月份"); !panes.Freeze || panes.TopLeftCell != "C6" {
		t.Errorf("panes %+v", panes)
	}
}

func mustRows(t *testing.T, x *excelize.File, sheet string) [][]string {
	rows, err := x.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func (f *statsFixture) year2(suffix string) string { return strconv.Itoa(f.year) + suffix }

// A period that cannot be read says so in Chinese and shows this year;
// the workbook refuses it; an org outside the scope is not found.
func TestStatsBadInput(t *testing.T) {
	f := newStatsFixture(t)
	body := mustStatus(t, f.do("clerk", req{method: "GET", path: "/?period=abc"}), http.StatusUnprocessableEntity)
	contains(t, body, `id="period-error"`, attr("统计期间“abc”无法识别"), "已改为显示"+f.year2("年")+"的数据", ">1,000.00</a>")
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: "/stats?period=2026-13"}), http.StatusUnprocessableEntity)
	contains(t, body, `id="period-error"`, attr("统计期间“2026-13”无法识别"), `id="pivot-category"`)
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: "/stats/export.xlsx?period=2026年13月"}), http.StatusUnprocessableEntity)
	contains(t, body, "无法识别")
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: "/stats?org=" + id(f.B.ID)}), http.StatusNotFound)
	if strings.Contains(body, f.B.Name) {
		t.Error("the 404 names B")
	}
	mustStatus(t, f.do("clerk", req{method: "GET", path: "/?org=" + id(f.B.ID)}), http.StatusNotFound)
	// a campaign that is not of the period is dropped, with a word
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: "/stats?campaign=999999"}), http.StatusUnprocessableEntity)
	contains(t, body, "所选专项活动不在这个单位和期间内", ">1,300.00</span>")
	// a year without cases
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: "/stats?period=2019"}), http.StatusOK)
	contains(t, body, `id="stats-none"`, "2019年")
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: "/?period=2019"}), http.StatusOK)
	contains(t, body, `id="home-care-none"`, "2019年还没有已发放的慰问")
}

// Without care.read there is no care figure on the 工作台; without
// member.read no member figure; the menu shows 统计 only to report.read.
func TestHomeHidesWhatTheUserMayNotSee(t *testing.T) {
	f := newStatsFixture(t)
	tok, _, err := f.db.CreateSession(bg, f.UA.ID, "127.0.0.1", "test") // a user with no grant
	if err != nil {
		t.Fatal(err)
	}
	body := mustStatus(t, f.do("anon", req{method: "GET", path: "/", header: map[string]string{"Cookie": SessionCookie + "=" + tok}}), http.StatusOK)
	for _, hidden := range []string{`id="home-figures"`, `id="home-care"`, `id="home-coverage"`, `id="stat-members"`, "echarts.min.js",
		`href="/stats"`, `id="period-form"`, "1,000.00"} {
		if strings.Contains(body, hidden) {
			t.Errorf("a user without grants sees %s", hidden)
		}
	}
	body = mustStatus(t, f.do("auditor", req{method: "GET", path: "/"}), http.StatusOK)
	contains(t, body, `href="/stats"`, `id="home-figures"`, `id="stat-members"`)
	body = mustStatus(t, f.do("member", req{method: "GET", path: "/stats"}), http.StatusForbidden)
	if strings.Contains(body, "1,300.00") {
		t.Error("a member sees the figures")
	}
}

// The period chooser offers this and last year, the halves and the last
// twelve months, and keeps a period it does not list.
func TestPeriodChoices(t *testing.T) {
	today := nuanxin.NewDate(2026, 11, 24)
	g := periodChoices(today, nuanxin.YearPeriod(2026))
	if len(g) != 3 || g[0].Opts[0].Value != "2026" || !g[0].Opts[0].Selected || g[0].Opts[0].Label != "2026年（本年）" {
		t.Fatalf("groups %+v", g)
	}
	if g[1].Opts[0].Value != "2026H2" || g[2].Opts[0].Value != "2026-11" || g[2].Opts[11].Value != "2025-12" {
		t.Errorf("halves %+v months %+v", g[1].Opts, g[2].Opts)
	}
	span := nuanxin.Period{From: nuanxin.NewDate(2026, 1, 1), To: nuanxin.NewDate(2026, 3, 15)}
	g = periodChoices(today, span)
	if g[0].Opts[0].Value != "2026-01-01~2026-03-15" || !g[0].Opts[0].Selected || g[0].Opts[0].Label != "2026年1月1日至2026年3月15日" {
		t.Errorf("other %+v", g[0])
	}
	if got := wan(132000_00); got != "13.20" {
		t.Errorf("wan %s", got)
	}
	if got := wan(4999); got != "0.00" || wan(5000) != "0.01" {
		t.Errorf("wan rounding %s %s", got, wan(5000))
	}
	if got := percent(1, 3); got != "33.3%" {
		t.Errorf("percent %s", got)
	}
}

// TestBrowserStats looks at the 工作台 and the statistics page in a real
// browser over the demo union: the charts draw (no script error, nothing
// the CSP refuses), a click on a bar opens the list behind it, the period
// chooser reloads the page. With NUANXIN_SCREENSHOTS=dir the pages are
// saved at desktop and phone size.
func TestBrowserStats(t *testing.T) {
	browser := newBrowser(t)
	ctx := within(t, browser, 4*time.Minute)
	site := newDemoSite(t, 400)
	if _, err := demo.GenerateCare(bg, site.db, demo.Options{}); err != nil {
		t.Fatalf("care demo: %v", err)
	}
	var mu sync.Mutex
	var problems []string
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+e.ExceptionDetails.Text+" "+e.ExceptionDetails.URL)
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.EntryLevelError {
				problems = append(problems, "console: "+e.Entry.Text)
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("NUANXIN_SCREENSHOTS")
	snap := func(name string, full bool) {
		if dir == "" {
			return
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		shoot(t, ctx, dir, name, full)
	}
	drawn := func(sel string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](`document.querySelector("`+sel+` canvas") !== null`, chromedp.WithPollingTimeout(20*time.Second))
	}
	chair := site.logins["chair"]
	if err := chromedp.Do(ctx,
		login(site.URL, chair.Username, chair.Password),
		chromedp.Navigate(site.URL+"/"),
		chromedp.WaitVisible(css("#home-figures")),
		drawn("#chart-months"), drawn("#chart-category"), drawn("#chart-members"),
	); err != nil {
		t.Fatalf("工作台: %v", err)
	}
	// a click on the first 住院-or-other bar of the category chart opens its
	// list; the bars grow for a moment after they are drawn (ECharts'
	// animation), so the chart is scrolled to and left to settle first
	if err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`document.getElementById("chart-category").scrollIntoView({block: "center"})`),
		chromedp.Sleep(1500*time.Millisecond),
	); err != nil {
		t.Fatal(err)
	}
	xy, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => {
		const el = document.getElementById("chart-category");
		const c = echarts.getInstanceByDom(el);
		const data = c.getOption().series[0].data;
		const p = c.convertToPixel({seriesIndex: 0}, [data[0] / 2, 0]);
		const r = el.getBoundingClientRect();
		return [r.left + p[0], r.top + p[1]];
	})()`))
	if err != nil {
		t.Fatalf("bar position: %v", err)
	}
	if err := chromedp.Do(within(t, ctx, 20*time.Second), chromedp.MouseClickXY(xy[0], xy[1]), chromedp.WaitVisible(css("#care-table"))); err != nil {
		t.Fatalf("click on a bar: %v", err)
	}
	if loc := location(t, ctx); !strings.Contains(loc, "/care?") || !strings.Contains(loc, "category=") || !strings.Contains(loc, "paid=1") {
		t.Errorf("the bar opened %s", loc)
	}
	// the period chooser reloads the page with the period
	y := nuanxin.Today().Year
	if err := chromedp.Do(ctx,
		chromedp.Navigate(site.URL+"/"),
		chromedp.WaitVisible(css("#pf-period")),
		chromedp.Evaluate[chromedp.Void](`setTimeout(() => { const s = document.getElementById("pf-period"); s.value = "`+strconv.Itoa(y)+`H1"; s.dispatchEvent(new Event("change", {bubbles: true})); }, 10)`),
		chromedp.Sleep(1500*time.Millisecond),
		chromedp.WaitVisible(css("#home-figures")),
	); err != nil {
		t.Fatalf("period chooser: %v", err)
	}
	if loc := location(t, ctx); !strings.Contains(loc, "period="+strconv.Itoa(y)+"H1") {
		t.Errorf("the chooser went to %s", loc)
	}
	if got := text(t, ctx, "#home-figures .card-header .tag"); got != strconv.Itoa(y)+"年上半年" {
		t.Errorf("period shown %q", got)
	}

	pages := []struct {
		name, user, path, wait string
	}{
		{"home", "chair", "/", "#chart-months"},
		{"home-group", "auditor", "/", "#chart-months"},
		{"stats", "chair", "/stats", "#chart-months"},
		{"stats-group", "auditor", "/stats", "#chart-months"},
	}
	for _, vp := range []struct {
		name string
		w, h int64
		mob  bool
	}{{"desktop", 1366, 900, false}, {"phone", 390, 844, true}} {
		emulate := chromedp.EmulateViewport(vp.w, vp.h)
		if vp.mob {
			emulate = chromedp.EmulateViewport(vp.w, vp.h, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch)
		}
		if err := chromedp.Do(ctx, emulate); err != nil {
			t.Fatal(err)
		}
		user := ""
		for _, p := range pages {
			if p.user != user {
				l := site.logins[p.user]
				if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`setTimeout(() => document.getElementById("logout").click(), 10)`),
					chromedp.WaitVisible(css("#username")), login(site.URL, l.Username, l.Password)); err != nil {
					t.Fatalf("login %s: %v", p.user, err)
				}
				user = p.user
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+p.path), drawn(p.wait), chromedp.Sleep(700*time.Millisecond)); err != nil {
				t.Fatalf("%s: %v", p.name, err)
			}
			snap(p.name+"-"+vp.name, !vp.mob)
			if vp.mob && dir != "" {
				// the phone page screen by screen, as one reads it
				for i := 1; i < 12; i++ {
					more, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const y = window.scrollY; window.scrollBy(0, window.innerHeight - 60); return window.scrollY > y; })()`))
					if err != nil || !more {
						break
					}
					_ = chromedp.Do(ctx, chromedp.Sleep(150*time.Millisecond))
					snap(fmt.Sprintf("%s-%s-%d", p.name, vp.name, i), false)
				}
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("browser: %s", p)
	}
}
