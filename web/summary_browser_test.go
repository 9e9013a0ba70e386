package web

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/nuanxin/nuanxin/demo"
)

// TestBrowserSummary is the chair writing the year's 工作总结 from the
// demo union's records, editing a paragraph in the browser, saving, and
// opening the print page, whose figures link to the lists behind them.
// With NUANXIN_SCREENSHOTS=dir the pages are saved.
func TestBrowserSummary(t *testing.T) {
	browser := newBrowser(t)
	ctx := within(t, browser, 3*time.Minute)
	site := newDemoSite(t, 400)
	if _, err := demo.GenerateCare(bg, site.db, demo.Options{}); err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("NUANXIN_SCREENSHOTS")
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	chair := site.logins["chair"]
	if err := chromedp.Do(ctx,
		login(site.URL, chair.Username, chair.Password),
		chromedp.EmulateViewport(1366, 900),
		chromedp.Navigate(site.URL+"/reports"),
		chromedp.WaitVisible(css("#report-generate")),
	); err != nil {
		t.Fatalf("reports page: %v", err)
	}
	if dir != "" {
		shoot(t, ctx, dir, "report-list-desktop", true)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(css("#report-generate")),
		chromedp.WaitVisible(css("#report-form")),
	); err != nil {
		t.Fatalf("generate: %v", err)
	}
	title, _ := chromedp.Run(ctx, chromedp.Value(css("input.report-title")))
	if !strings.Contains(title, "工作总结") {
		t.Fatalf("title %q", title)
	}
	if dir != "" {
		shoot(t, ctx, dir, "report-editor-desktop", true)
	}
	// The officer adds a sentence to the opening paragraph and saves.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(function(){const t=document.querySelector("#report-form .report-p textarea"); t.value = t.value + "（经工会委员会审议通过）"; return true})()`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(css("#report-save"))); err != nil {
		t.Fatalf("save: %v", err)
	}
	// The page shows a flash already (生成): wait for the save's own.
	for i := 0; ; i++ {
		done, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.querySelector(".alert-success")||{}).textContent === "已保存" && document.readyState === "complete"`))
		if done {
			break
		}
		if i > 100 {
			t.Fatal("the save did not come back")
		}
		time.Sleep(50 * time.Millisecond)
	}
	v, _ := chromedp.Run(ctx, chromedp.Value(css("#report-form .report-p textarea")))
	if !strings.HasSuffix(v, "（经工会委员会审议通过）") {
		t.Fatalf("saved text: %q", v)
	}
	// Navigate rather than click: the page was just reloaded by the save.
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#report-print").getAttribute("href")`))
	if err != nil || !strings.HasSuffix(href, "/print") {
		t.Fatalf("print link %q: %v", href, err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Navigate(site.URL+href),
		chromedp.WaitVisible(css("#do-print")),
	); err != nil {
		t.Fatalf("print page: %v", err)
	}
	n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("a.fig[href^='/care?']").length`))
	if n == 0 {
		t.Fatal("the print page has no figure links to the care list")
	}
	if dir != "" {
		shoot(t, ctx, dir, "report-print-desktop", true)
	}
	// A figure opens the list behind it.
	if err := chromedp.Do(ctx,
		chromedp.Click(css("a.fig[href^='/care?']")),
		chromedp.WaitVisible(css("#care-table")),
	); err != nil {
		t.Fatalf("figure link: %v", err)
	}
	if dir != "" {
		shoot(t, ctx, dir, "report-figure-list-desktop", false)
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(site.URL+"/reports"), chromedp.WaitVisible(css("#report-generate"))); err != nil {
			t.Fatal(err)
		}
		shoot(t, ctx, dir, "report-list-phone", false)
	}
}
