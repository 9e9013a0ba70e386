package web

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/demo"
)

// TestBrowserCare is an officer recording a 慰问 in a real browser: pick the
// member from the live search, choose the category (the form redraws), run
// the policy check and trip over the cap, keep what was typed, fix it and
// submit. With NUANXIN_SCREENSHOTS=dir the 慰问 pages are saved at desktop
// and phone size.
func TestBrowserCare(t *testing.T) {
	browser := newBrowser(t)
	ctx := within(t, browser, 4*time.Minute)
	site := newDemoSite(t, 400)
	if _, err := demo.GenerateCare(bg, site.db, demo.Options{}); err != nil {
		t.Fatalf("care demo: %v", err)
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
	chair := site.logins["chair"]
	z := site.zhang
	setSelect := func(sel, v string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector("`+sel+`"); s.value = "`+v+`"; s.dispatchEvent(new Event("change", {bubbles: true})); })()`))
			return err
		})
	}
	if err := chromedp.Do(ctx,
		login(site.URL, chair.Username, chair.Password),
		chromedp.Navigate(site.URL+"/care/new"),
		chromedp.WaitVisible(css("#member-q")),
		chromedp.SendKeys(css("#member-q"), "zsf"),
		chromedp.WaitVisible(css(fmt.Sprintf(`.pick input[value="%d"]`, z.ID))),
		chromedp.Click(css(fmt.Sprintf(`.pick input[value="%d"]`, z.ID))),
		chromedp.WaitVisible(css("#picked-member")),
	); err != nil {
		t.Fatalf("member picker: %v", err)
	}
	if got := text(t, ctx, "#picked-member"); !strings.Contains(got, "张三丰") {
		t.Errorf("picked %q", got)
	}
	// htmx binds the new form's select a moment after the swap: choose the
	// category until the form redraws with the rule beside it
	redrawn := false
	for i := 0; i < 40 && !redrawn; i++ {
		if err := chromedp.Do(ctx, setSelect("#f-category", "wedding"), chromedp.Sleep(250*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		redrawn, _ = chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector("#rule-hint")`))
	}
	if !redrawn {
		t.Fatal("choosing the category does not redraw the form")
	}
	if err := chromedp.Do(ctx,
		setSelect("#f-form", "goods"),
		chromedp.SetValue(css("#f-amount"), "2,000"),
		chromedp.SetValue(css("#f-goods"), "床上用品礼盒"),
		chromedp.SetValue(css("#f-reason"), "喜结良缘"),
		chromedp.Click(css("#care-check")),
		chromedp.WaitVisible(css("#care-decisions .decision-block")),
	); err != nil {
		t.Fatalf("policy check: %v", err)
	}
	if msg := text(t, ctx, "#care-decisions"); !strings.Contains(msg, "上限600元") {
		t.Errorf("decisions %q", msg)
	}
	snap("care-form-check-desktop", true)
	if err := chromedp.Do(ctx, chromedp.Click(css("#care-save-draft")), chromedp.WaitVisible(css("#care-summary"))); err != nil {
		t.Fatalf("save refused: %v", err)
	}
	if v, _ := chromedp.Run(ctx, chromedp.Value(css("#f-amount"))); v != "2,000" {
		t.Errorf("amount after the refusal: %q", v)
	}
	snap("care-form-block-desktop", true)
	if err := chromedp.Do(ctx,
		chromedp.SetValue(css("#f-amount"), "600"),
		chromedp.Click(css("#care-save-submit")),
		chromedp.WaitVisible(css(".alert-success")),
		chromedp.WaitVisible(css(".flow")),
	); err != nil {
		t.Fatalf("save: %v", err)
	}
	if loc := location(t, ctx); !strings.Contains(loc, "/care/") {
		t.Errorf("after save at %q", loc)
	}
	if got := text(t, ctx, "#care-status-tag"); got != nuanxin.CareSubmitted.Label() {
		t.Errorf("status %q", got)
	}
	if dir == "" {
		return
	}
	casePath := strings.TrimPrefix(location(t, ctx), site.URL)
	list, err := site.db.FindCareCases(bg, sys, nuanxin.CareFilter{Statuses: []nuanxin.CareStatus{nuanxin.CarePaid, nuanxin.CareSigned}, Limit: 1})
	if err != nil || len(list.Cases) == 0 {
		t.Fatalf("a paid demo case: %v", err)
	}
	paid := list.Cases[0]
	a := &nuanxin.Attachment{Owner: "case", OwnerID: paid.ID, Kind: "photo", Name: "走访照片.png"}
	if err := site.db.AddAttachment(bg, sys, a, strings.NewReader(string(tinyPNG))); err != nil {
		t.Fatal(err)
	}
	pages := []struct {
		name, path, wait string
		act              chromedp.Action[chromedp.Void]
	}{
		{"care-list", "/care", "#care-table", nil},
		{"care-list-submitted", "/care?status=submitted", "#care-table", nil},
		{"care-detail", casePath, ".flow", nil},
		{"care-detail-paid", fmt.Sprintf("/care/%d", paid.ID), ".flow", nil},
		{"care-todo", "/care/todo", "#must-visit", nil},
		{"care-form", fmt.Sprintf("/care/new?member_id=%d&category=illness", z.ID), "#care-form", nil},
		{"care-form-block", fmt.Sprintf("/care/new?member_id=%d&category=wedding", z.ID), "#care-form", chromedp.Steps(
			setSelect("#f-form", "card"),
			chromedp.SetValue(css("#f-amount"), "2000"),
			chromedp.Click(css("#care-save-draft")),
			chromedp.WaitVisible(css("#care-summary")),
		)},
		{"care-bulk", "/care/batch?category=birth", "#care-bulk-form", chromedp.Steps(
			chromedp.SetValue(css("#f-names"), "张三丰\n查无此人"),
			setSelect("#f-form", "goods"),
			chromedp.SetValue(css("#f-amount"), "500"),
			chromedp.SetValue(css("#f-goods"), "婴儿用品一套"),
			chromedp.Click(css("#bulk-preview-btn")),
			chromedp.WaitVisible(css("#bulk-preview")),
		)},
		{"care-member", fmt.Sprintf("/members/%d", z.ID), "#care", nil},
		{"care-home", "/", "#home-care", nil},
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
			steps := []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + p.path), chromedp.WaitVisible(css(p.wait))}
			if p.act != nil {
				steps = append(steps, p.act)
			}
			if err := chromedp.Do(ctx, append(steps, chromedp.Sleep(200*time.Millisecond))...); err != nil {
				t.Fatalf("%s: %v", p.name, err)
			}
			shoot(t, ctx, dir, p.name+"-"+vp.name, !vp.mob)
		}
	}
}
