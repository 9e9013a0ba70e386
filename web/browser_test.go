package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/demo"
	"github.com/nuanxin/nuanxin/store"
	"github.com/nuanxin/nuanxin/store/storetest"
)

const chromiumPath = "/usr/bin/chromium"

// demoSite is an httptest server on a real store with the demo union, a
// member 张三丰 in the clerk's org and the demo logins.
type demoSite struct {
	URL       string
	db        *store.DB
	logins    map[string]demo.Login
	zhang     *nuanxin.Member
	clerkOrg  int64
	clerkUser int64
}

func newDemoSite(t *testing.T, members int) *demoSite {
	t.Helper()
	db := storetest.Open(t)
	res, err := demo.Generate(bg, db, demo.Options{Members: members})
	if err != nil {
		t.Fatalf("demo: %v", err)
	}
	site := &demoSite{db: db, logins: map[string]demo.Login{}}
	for _, l := range res.Logins {
		site.logins[l.Username] = l
	}
	clerk, err := db.FindUserByName(bg, sys, "clerk")
	if err != nil {
		t.Fatal(err)
	}
	site.clerkOrg, site.clerkUser = clerk.HomeOrgID, clerk.ID
	site.zhang = &nuanxin.Member{OrgID: clerk.HomeOrgID, Name: "张三丰", IDNumber: idNumber(next()), Phone: "13912345678",
		Category: nuanxin.CategoryActive, Department: "设备部", Post: "检修工", JoinDate: nuanxin.NewDate(2012, 7, 1),
		Notes: `<b>x</b>' OR 1=1 --`}
	if err := db.CreateMember(bg, sys, site.zhang); err != nil {
		t.Fatal(err)
	}
	srv := New(Config{Orgs: db, Members: db, Users: db, Audit: db, Care: db, Policy: db, Campaigns: db, Hardship: db, Stats: db, Summaries: db, Version: "test", WithIP: store.WithIP,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), UploadDir: t.TempDir()})
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.jobs.wait() })
	site.URL = ts.URL
	return site
}

// newBrowser starts headless Chromium, or skips when it is not installed
// (outside CI; under CI=true a missing browser fails).
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("browser test: %s is missing (install the Debian chromium package)", chromiumPath)
		}
		t.Skipf("browser test skipped: %s not found (apt-get install chromium to run it)", chromiumPath)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 768),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.Flag("accept-lang", "zh-CN,zh"),
		chromedp.Env("LANG=zh_CN.UTF-8", "LANGUAGE=zh_CN:zh"),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// within bounds one step of a browser test.
func within(t *testing.T, ctx context.Context, d time.Duration) context.Context {
	c, cancel := context.WithTimeout(ctx, d)
	t.Cleanup(cancel)
	return c
}

func css(s string) chromedp.CSS { return chromedp.CSS(s) }

func login(base, user, password string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(css("#username")),
		chromedp.SendKeys(css("#username"), user),
		chromedp.SendKeys(css("#password"), password),
		chromedp.Click(css("#login-submit")),
		chromedp.WaitVisible(css(".sidebar")),
	)
}

// text runs a text query, failing the test on error.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(css(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestBrowserMemberFlow is what an officer does: log in, find a member by
// pinyin initials, edit, trip over a validation error, fix it, log out.
func TestBrowserMemberFlow(t *testing.T) {
	browser := newBrowser(t)
	ctx := within(t, browser, 90*time.Second)
	site := newDemoSite(t, 300)
	clerk := site.logins["clerk"]
	zhang := `//div[@id="member-table"]//a[text()="张三丰"]`
	if err := chromedp.Do(ctx,
		login(site.URL, clerk.Username, clerk.Password),
		chromedp.Click(css(`.sidebar a[href="/members"]`)),
		chromedp.WaitVisible(css("#q")),
		chromedp.SendKeys(css("#q"), "zsf"),
	); err != nil {
		t.Fatalf("search: %v", err)
	}
	// htmx swaps the table after the 300 ms pause and pushes the URL; 张三丰
	// may be on the unfiltered first page already, so wait for the URL.
	deadline := time.Now().Add(15 * time.Second)
	for loc := location(t, ctx); !strings.Contains(loc, "q=zsf"); loc = location(t, ctx) {
		if time.Now().After(deadline) {
			t.Fatalf("search URL %q does not keep the query (hx-push-url)", loc)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(zhang)); err != nil {
		t.Fatalf("search result: %v", err)
	}
	if rows := text(t, ctx, "#member-table tbody"); strings.Count(rows, "张三丰") != 1 {
		t.Errorf("search for zsf: rows %q", rows)
	}
	// a select of the filter bar swaps the table too
	pick := func(v string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector("#f-category"); s.value = "`+v+`"; s.dispatchEvent(new Event("change", {bubbles: true})); })()`))
			return err
		})
	}
	if err := chromedp.Do(ctx, pick("retired"), chromedp.WaitNotPresent(zhang), chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatalf("category filter: %v", err)
	}
	if loc := location(t, ctx); !strings.Contains(loc, "category=retired") || !strings.Contains(loc, "q=zsf") {
		t.Errorf("after choosing a category the URL is %q", loc)
	}
	if err := chromedp.Do(ctx, pick(""), chromedp.WaitVisible(zhang), chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatalf("category filter reset: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(zhang), chromedp.WaitVisible(css("#edit-member"))); err != nil {
		t.Fatalf("open member: %v", err)
	}
	if title, _ := chromedp.Run(ctx, chromedp.Title()); !strings.Contains(title, "张三丰") {
		t.Errorf("member page title %q", title)
	}
	if notes := text(t, ctx, ".desc .pre"); notes != `<b>x</b>' OR 1=1 --` {
		t.Errorf("notes shown as %q, want the text inert and unchanged", notes)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(css("#edit-member")),
		chromedp.WaitVisible(css("#member-form")),
		chromedp.SetValue(css("#f-phone"), "2345"),
		chromedp.Click(css("#save-member")),
		chromedp.WaitVisible(css("#e-phone")),
	); err != nil {
		t.Fatalf("edit: %v", err)
	}
	if msg := text(t, ctx, "#e-phone"); !strings.Contains(msg, "号码不正确") {
		t.Errorf("phone error %q, want the Chinese message", msg)
	}
	if v, _ := chromedp.Run(ctx, chromedp.Value(css("#f-department"))); v != "设备部" {
		t.Errorf("department after the failed save: %q, want the typed value kept", v)
	}
	if err := chromedp.Do(ctx,
		chromedp.SetValue(css("#f-phone"), "13987654321"),
		chromedp.Click(css("#save-member")),
		chromedp.WaitVisible(css(".alert-success")),
	); err != nil {
		t.Fatalf("save: %v", err)
	}
	if flash := text(t, ctx, ".alert-success"); !strings.Contains(flash, "已保存") {
		t.Errorf("after save: %q", flash)
	}
	if m, err := site.db.FindMemberByID(bg, sys, site.zhang.ID); err != nil || m.Phone != "13987654321" {
		t.Errorf("stored member %+v, %v", m, err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(css(".user-menu summary")),
		chromedp.WaitVisible(css("#logout")),
		chromedp.Click(css("#logout")),
		chromedp.WaitVisible(css("#username")),
	); err != nil {
		t.Fatalf("logout: %v", err)
	}
	if loc := location(t, ctx); !strings.HasSuffix(loc, "/login") {
		t.Errorf("after logout at %q", loc)
	}
	// the session is gone: the member list asks for a login again
	if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/members"), chromedp.WaitVisible(css("#username"))); err != nil {
		t.Fatalf("after logout: %v", err)
	}
}

// TestScreenshots saves the main pages at desktop and phone size into the
// directory named by NUANXIN_SCREENSHOTS, for a person to look at.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("NUANXIN_SCREENSHOTS")
	if dir == "" {
		t.Skip("set NUANXIN_SCREENSHOTS=dir to save screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	browser := newBrowser(t)
	ctx := within(t, browser, 5*time.Minute)
	site := newDemoSite(t, 2000)
	admin := site.logins["admin"]
	m := site.zhang
	if _, err := site.db.RevealIDNumber(bg, sys, m.ID, "核对"); err != nil {
		t.Fatal(err)
	}
	for _, r := range []*nuanxin.Relative{
		{MemberID: m.ID, Relation: nuanxin.RelSpouse, Name: "李秀兰", BirthDate: nuanxin.NewDate(1986, 4, 2), Phone: "13600001234"},
		{MemberID: m.ID, Relation: nuanxin.RelChild, Name: "张小明", BirthDate: nuanxin.NewDate(2012, 9, 1), School: "实验小学"},
	} {
		if err := site.db.CreateRelative(bg, sys, r); err != nil {
			t.Fatal(err)
		}
	}
	pages := []struct {
		name, path string
		wait       string
		act        chromedp.Action[chromedp.Void]
		top        bool // only the top of the page, even on a desk
	}{
		{"home", "/", ".stat-grid", nil, false},
		{"members", "/members", "#member-table", nil, false},
		{"members-search", "/members?q=zsf", "#member-table", nil, false},
		{"member", fmt.Sprintf("/members/%d", m.ID), ".desc", nil, false},
		{"member-form-errors", fmt.Sprintf("/members/%d/edit", m.ID), "#member-form", chromedp.Steps(
			chromedp.SetValue(css("#f-phone"), "2345"),
			chromedp.SetValue(css("#f-id_number"), "110101199001011234"),
			chromedp.SetValue(css("#f-hire_date"), "2099-01-01"),
			chromedp.Click(css("#save-member")),
			chromedp.WaitVisible(css("#e-phone")),
		), false},
		{"member-new", "/members/new", "#member-form", nil, false},
		{"orgs", "/orgs", ".tree-table", nil, false},
		{"org", fmt.Sprintf("/orgs/%d", site.clerkOrg), ".grid-2", nil, false},
		{"users", "/users", ".table", nil, false},
		{"user-new", "/users/new", ".form", nil, false},
		{"user", fmt.Sprintf("/users/%d", site.clerkUser), ".desc", nil, false},
		{"audit", "/audit", ".audit-table", nil, true},
		{"notfound", "/members/999999", ".result-page", nil, false},
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
		if err := chromedp.Do(ctx, emulate, chromedp.Navigate(site.URL+"/login"), chromedp.WaitVisible(css("#username"))); err != nil {
			t.Fatal(err)
		}
		shoot(t, ctx, dir, "login-"+vp.name, !vp.mob)
		if err := chromedp.Do(ctx, login(site.URL, admin.Username, admin.Password)); err != nil {
			t.Fatal(err)
		}
		for _, p := range pages {
			steps := []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + p.path), chromedp.WaitVisible(css(p.wait))}
			if p.act != nil {
				steps = append(steps, p.act)
			}
			if err := chromedp.Do(ctx, append(steps, chromedp.Sleep(150*time.Millisecond))...); err != nil {
				t.Fatalf("%s: %v", p.name, err)
			}
			shoot(t, ctx, dir, p.name+"-"+vp.name, !vp.mob && !p.top)
			if vp.mob && p.name == "members" {
				if err := chromedp.Do(ctx, chromedp.ScrollIntoView(css("#member-table"))); err != nil {
					t.Fatal(err)
				}
				shoot(t, ctx, dir, "members-list-"+vp.name, false)
			}
		}
		if vp.mob {
			if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/members"), chromedp.WaitVisible(css(".nav-btn")),
				chromedp.Click(css(".nav-btn")), chromedp.Sleep(400*time.Millisecond)); err != nil {
				t.Fatal(err)
			}
			png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			save(t, dir, "menu-open-"+vp.name, png)
			if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/")); err != nil {
				t.Fatal(err)
			}
		}
		if err := chromedp.Do(ctx, chromedp.Click(css(".user-menu summary")), chromedp.Click(css("#logout")),
			chromedp.WaitVisible(css("#username"))); err != nil {
			t.Fatal(err)
		}
	}
}

// shoot saves the whole page, or on a phone what the screen shows (a whole
// phone page is too tall to look at).
func shoot(t *testing.T, ctx context.Context, dir, name string, full bool) {
	t.Helper()
	shot := chromedp.CaptureScreenshot()
	if full {
		shot = chromedp.FullScreenshot(100)
	}
	png, err := chromedp.Run(ctx, shot)
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	save(t, dir, name, png)
}

func save(t *testing.T, dir, name string, png []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserImport is an officer taking a roster in: upload the Excel
// file, look at the column mapping, run the dry run and read the report;
// then print the roster. With NUANXIN_SCREENSHOTS=dir the pages are saved.
func TestBrowserImport(t *testing.T) {
	browser := newBrowser(t)
	ctx := within(t, browser, 2*time.Minute)
	site := newDemoSite(t, 300)
	clerk := site.logins["clerk"]
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
	rows := importRows("花名", 3)
	rows = append(rows, []string{"错号码", badIDNumber, "男", "13800138000", "检修部", "2016-05-01"})
	// an ASCII name: Chromium cannot open a Chinese path without a zh_CN
	// locale installed (the Chinese name itself is tested in TestImportFlow)
	file := filepath.Join(t.TempDir(), "huamingce-2026.xlsx")
	if err := os.WriteFile(file, rosterXLSX(t, rows), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		login(site.URL, clerk.Username, clerk.Password),
		chromedp.Navigate(site.URL+"/members"),
		chromedp.WaitVisible(css("#roster-tools")),
		chromedp.Click(css("#export-menu summary")),
		chromedp.WaitVisible(css("#export-reason")),
	); err != nil {
		t.Fatalf("member list toolbar: %v", err)
	}
	snap("members-tools", true)
	if err := chromedp.Do(ctx,
		chromedp.Click(css("#import-roster")),
		chromedp.WaitVisible(css("#import-form")),
	); err != nil {
		t.Fatalf("import page: %v", err)
	}
	snap("import-form", true)
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(css("#f-file"), []string{file}, chromedp.NodeVisible)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(css("#import-upload")),
		chromedp.WaitVisible(css("#mapping-table")),
	); err != nil {
		t.Fatalf("upload: %v", err)
	}
	if got := text(t, ctx, "#job-file"); got != "huamingce-2026.xlsx" {
		t.Errorf("file name shown as %q", got)
	}
	snap("import-mapping", true)
	if err := chromedp.Do(ctx,
		chromedp.Click(css("#check")),
		chromedp.WaitVisible(css("#report")),
	); err != nil {
		t.Fatalf("dry run: %v", err)
	}
	if rep := text(t, ctx, "#report"); !strings.Contains(rep, "新增") || !strings.Contains(rep, "确认导入 3 行") {
		t.Errorf("report: %q", rep)
	}
	if errs := text(t, ctx, "#errors-table"); !strings.Contains(errs, "C列（身份证号码）") {
		t.Errorf("rejected rows: %q", errs)
	}
	snap("import-report", true)
	if dir != "" {
		if err := chromedp.Do(ctx,
			chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch),
			chromedp.Reload(), chromedp.WaitVisible(css("#report")), chromedp.Sleep(200*time.Millisecond),
		); err != nil {
			t.Fatal(err)
		}
		snap("import-report-phone", false)
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768)); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(ctx,
		chromedp.Navigate(site.URL+"/members/print?category=active"),
		chromedp.WaitVisible(css("#roster")),
	); err != nil {
		t.Fatalf("print page: %v", err)
	}
	if total := text(t, ctx, "#print-total"); !strings.HasPrefix(total, "共 ") {
		t.Errorf("print total %q", total)
	}
	snap("print", true)
	snap("print-top", false)
}
