package web

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	cdptarget "github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/nuanxin/nuanxin"
)

// TestBrowserCareEndToEnd is one 慰问 from the draft to the printed 签收表,
// in a real browser, by the three people the separation of duties needs:
// the clerk (经办) records a 生病住院 case for 张三丰 and submits it, the
// reviewer (审核) passes it, the chair (审批) approves it, and the clerk
// pays it and prints the sheet the member signs. Each person has a browser
// context of their own, so the three sessions never share a cookie. With
// NUANXIN_SCREENSHOTS=dir every step is saved as e2e-*.png.
func TestBrowserCareEndToEnd(t *testing.T) {
	start := time.Now()
	browser := newBrowser(t)
	site := newDemoSite(t, 200)
	db := site.db
	home, err := db.FindOrgByID(bg, sys, site.clerkOrg)
	if err != nil {
		t.Fatal(err)
	}
	// the group adopts the 安徽 standard (生病住院 up to 1000元)
	root := nuanxin.PathIDs(home.Path)[0]
	if err := db.AdoptPack(bg, sys, root, "anhui-2018", "集团工会第二届会员代表大会第三次会议决议", nuanxin.NewDate(2026, 1, 5)); err != nil {
		t.Fatal(err)
	}
	t.Logf("demo site ready in %s", time.Since(start).Round(time.Millisecond))

	const budget = 75 * time.Second
	// person opens a browser context of its own and logs user in.
	person := func(user string) context.Context {
		t.Helper()
		tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		ctx := within(t, tab, budget)
		l := site.logins[user]
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768), login(site.URL, l.Username, l.Password)); err != nil {
			t.Fatalf("%s logs in: %v", user, err)
		}
		return ctx
	}
	dir := os.Getenv("NUANXIN_SCREENSHOTS")
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	snap := func(ctx context.Context, name string) {
		t.Helper()
		if dir == "" {
			return
		}
		// from the top, or the sticky header is drawn where the page was scrolled to
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`)); err != nil {
			t.Fatal(err)
		}
		shoot(t, ctx, dir, "e2e-"+name, true)
	}
	do := func(ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			loc, _ := chromedp.Run(ctx, chromedp.Location())
			t.Fatalf("%s (at %s): %v", what, loc, err)
		}
	}
	setSelect := func(sel, v string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector("` + sel + `"); s.value = "` + v +
			`"; s.dispatchEvent(new Event("change", {bubbles: true})); })()`)
	}
	status := func(ctx context.Context, want nuanxin.CareStatus) {
		t.Helper()
		if got := text(t, ctx, "#care-status-tag"); got != want.Label() {
			t.Errorf("status %q, want %q", got, want.Label())
		}
	}
	flash := func(ctx context.Context, want string) {
		t.Helper()
		if got := text(t, ctx, ".alert-success"); !strings.Contains(got, want) {
			t.Errorf("flash %q, want %q", got, want)
		}
	}
	z := site.zhang

	// 经办: the clerk records the case.
	clerk := person("clerk")
	do(clerk, "member picker",
		chromedp.Navigate(site.URL+"/care/new"),
		chromedp.WaitVisible(css("#member-q")),
		chromedp.SendKeys(css("#member-q"), "zsf"),
		chromedp.WaitVisible(css(fmt.Sprintf(`.pick input[value="%d"]`, z.ID))),
		chromedp.Click(css(fmt.Sprintf(`.pick input[value="%d"]`, z.ID))),
		chromedp.WaitVisible(css("#picked-member")),
	)
	if got := text(t, clerk, "#picked-member"); !strings.Contains(got, "张三丰") {
		t.Errorf("picked %q", got)
	}
	// htmx binds the swapped-in select a moment after the swap: choose
	// the category until the form redraws with the hospital fields
	for i := 0; ; i++ {
		do(clerk, "category", setSelect("#f-category", string(nuanxin.CareIllness)), chromedp.Sleep(200*time.Millisecond))
		if ok, _ := chromedp.Run(clerk, chromedp.Evaluate[bool](`!!document.querySelector("#f-hospital")`)); ok {
			break
		}
		if i == 50 {
			t.Fatal("choosing 生病住院 does not show the hospital fields")
		}
	}
	if hint := text(t, clerk, "#rule-hint"); !strings.Contains(hint, "1,000") {
		t.Errorf("rule hint %q, want the 安徽 cap of 1,000元", hint)
	}
	do(clerk, "fill the case",
		chromedp.SendKeys(css("#f-hospital"), "市第一人民医院"),
		chromedp.SendKeys(css("#f-hospital_days"), "7"),
		setSelect("#f-form", string(nuanxin.FormCash)),
		chromedp.SendKeys(css("#f-amount"), "800"),
		chromedp.Click(css("#care-check")),
		chromedp.WaitVisible(css("#care-decisions .alert")),
	)
	if got := text(t, clerk, "#care-decisions"); !strings.Contains(got, "符合慰问标准") {
		t.Fatalf("policy check: %q, want no finding", got)
	}
	snap(clerk, "01-clerk-form-checked")
	do(clerk, "save and submit",
		chromedp.Click(css("#care-save-submit")),
		chromedp.WaitVisible(css("#care-status-tag")),
	)
	flash(clerk, "已登记并提交审核")
	status(clerk, nuanxin.CareSubmitted)
	var caseID int64
	if _, err := fmt.Sscanf(strings.TrimPrefix(location(t, clerk), site.URL), "/care/%d", &caseID); err != nil || caseID == 0 {
		t.Fatalf("case page at %q", location(t, clerk))
	}
	casePath := fmt.Sprintf("/care/%d", caseID)
	if got := text(t, clerk, ".desc"); !strings.Contains(got, "市第一人民医院") || !strings.Contains(got, "捌佰元整") {
		t.Errorf("case details %q", got)
	}
	snap(clerk, "02-clerk-submitted")
	// The clerk may not review: no button, and a forged request is refused
	// on the page with the reason.
	if n, _ := chromedp.Run(clerk, chromedp.Evaluate[int](`document.querySelectorAll("#act-review, #act-approve").length`)); n != 0 {
		t.Errorf("the clerk is offered %d review/approve buttons", n)
	}
	do(clerk, "forged review",
		chromedp.Evaluate[chromedp.Void](`(() => {
			const f = document.createElement("form");
			f.method = "post"; f.action = location.pathname + "/transition";
			for (const [k, v] of [["csrf_token", document.querySelector('input[name="csrf_token"]').value], ["action", "review"]]) {
				const i = document.createElement("input"); i.type = "hidden"; i.name = k; i.value = v; f.appendChild(i);
			}
			document.body.appendChild(f); f.submit();
		})()`),
		chromedp.WaitVisible(css("#care-error")),
	)
	if got := text(t, clerk, "#care-error"); !strings.Contains(got, "没有") || !strings.Contains(got, "权限") {
		t.Errorf("the clerk's review refused with %q", got)
	}
	status(clerk, nuanxin.CareSubmitted)
	snap(clerk, "03-clerk-may-not-review")

	// 审核: the reviewer finds it through 待办.
	reviewer := person("reviewer")
	do(reviewer, "reviewer's 待办",
		chromedp.Navigate(site.URL+"/care/todo"),
		chromedp.WaitVisible(css(`#todo-counts a[href="/care?status=submitted"]`)),
	)
	if got := text(t, reviewer, `#todo-counts a[href="/care?status=submitted"] .stat-value`); got != "1" {
		t.Errorf("待审核 on the reviewer's 待办: %q", got)
	}
	snap(reviewer, "04-reviewer-todo")
	do(reviewer, "reviewer opens the case",
		chromedp.Click(css(`#todo-counts a[href="/care?status=submitted"]`)),
		chromedp.WaitVisible(css(fmt.Sprintf(`#care-table a[href="%s"]`, casePath))),
	)
	snap(reviewer, "05-reviewer-list")
	do(reviewer, "review",
		chromedp.Click(css(fmt.Sprintf(`#care-table a[href="%s"]`, casePath))),
		chromedp.WaitVisible(css("#act-review")),
	)
	if n, _ := chromedp.Run(reviewer, chromedp.Evaluate[int](`document.querySelectorAll("#act-approve, #act-pay, #care-edit").length`)); n != 0 {
		t.Errorf("the reviewer is offered %d buttons of other roles", n)
	}
	do(reviewer, "review",
		chromedp.Click(css("#act-review")),
		chromedp.WaitVisible(css(".alert-success")),
	)
	flash(reviewer, "已审核通过")
	status(reviewer, nuanxin.CareReviewed)
	// the reviewer records no visit: the card says there is none yet
	if got := text(t, reviewer, "#visit"); !strings.Contains(got, "还没有走访记录") {
		t.Errorf("the reviewer's 走访记录 card %q", got)
	}
	snap(reviewer, "06-reviewer-reviewed")

	// 审批: the chair approves.
	chair := person("chair")
	do(chair, "chair opens the case",
		chromedp.Navigate(site.URL+"/care?status=reviewed"),
		chromedp.WaitVisible(css(fmt.Sprintf(`#care-table a[href="%s"]`, casePath))),
		chromedp.Click(css(fmt.Sprintf(`#care-table a[href="%s"]`, casePath))),
		chromedp.WaitVisible(css("#act-approve")),
	)
	snap(chair, "07-chair-case")
	do(chair, "approve",
		chromedp.Click(css("#act-approve")),
		chromedp.WaitVisible(css(".alert-success")),
	)
	flash(chair, "已审批通过")
	status(chair, nuanxin.CareApproved)
	snap(chair, "08-chair-approved")

	// 发放: the clerk pays it from the 待发放 tab of the list.
	approvedTab := `#care-table .status-tabs a[href="/care?status=approved"]`
	do(clerk, "待发放 tab",
		chromedp.Navigate(site.URL+"/care"),
		chromedp.WaitVisible(css(approvedTab)),
		chromedp.Click(css(approvedTab)),
		chromedp.WaitVisible(css(approvedTab+".active")),
		chromedp.WaitVisible(css(fmt.Sprintf(`#care-table input[name="ids"][value="%d"]`, caseID))),
	)
	if n, _ := chromedp.Run(clerk, chromedp.Evaluate[int](`document.querySelectorAll("#care-table tbody tr").length`)); n != 1 ||
		!strings.Contains(text(t, clerk, "#care-table tbody"), "张三丰") {
		t.Errorf("待发放 has %d rows: %q, want the one case", n, text(t, clerk, "#care-table tbody"))
	}
	do(clerk, "select the case",
		chromedp.Click(css(fmt.Sprintf(`#care-table input[name="ids"][value="%d"]`, caseID))),
		chromedp.WaitVisible(`//b[@data-selected-count][text()="1"]`),
	)
	// the 待发放 tab offers what can be done to cases waiting for payment
	bar := text(t, clerk, "#care-bulk")
	for _, act := range []nuanxin.CareAction{nuanxin.ActPay, nuanxin.ActCancel} {
		if !strings.Contains(bar, act.Label()) {
			t.Errorf("the 待发放 bulk bar %q lacks %s", bar, act.Label())
		}
	}
	if strings.Contains(bar, nuanxin.ActSubmit.Label()) {
		t.Errorf("the 待发放 bulk bar %q offers %s", bar, nuanxin.ActSubmit.Label())
	}
	snap(clerk, "09-clerk-to-pay")
	do(clerk, "发放",
		chromedp.Click(css("#bulk-pay")),
		chromedp.WaitVisible(css("#pay-form")),
	)
	if got := text(t, clerk, "#pay-total"); !strings.Contains(got, "1 人次") || !strings.Contains(got, "捌佰元整") {
		t.Errorf("payment total %q", got)
	}
	if got := text(t, clerk, "#pay-cases tbody"); !strings.Contains(got, "生病住院（市第一人民医院）") {
		t.Errorf("payment rows %q", got)
	}
	if head, _ := chromedp.Run(clerk, chromedp.Evaluate[string](`(() => { const s = document.querySelector("#f-head"); return s.options[s.selectedIndex].text; })()`)); head != "职工集体福利" {
		t.Errorf("支出科目 by default %q, want 职工集体福利", head)
	}
	today := nuanxin.Today()
	do(clerk, "fill the payment",
		chromedp.SetValue(css("#f-paid_on"), today.String()),
		setSelect("#f-method", string(nuanxin.PayCash)),
		chromedp.SendKeys(css("#f-payer"), "王会计"),
		chromedp.SendKeys(css("#f-ref"), "工会〔2026〕8号"),
	)
	snap(clerk, "10-clerk-pay-form")
	do(clerk, "pay",
		chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`), // the browser's own 确认 dialog
		chromedp.Click(css("#pay-submit")),
		chromedp.WaitVisible(css("#batch-cases")),
	)
	flash(clerk, "发放已登记")
	if got := text(t, clerk, "#batch-info"); !strings.Contains(got, "现金") || !strings.Contains(got, "王会计") ||
		!strings.Contains(got, "职工集体福利") || !strings.Contains(got, "捌佰元整") {
		t.Errorf("batch %q", got)
	}
	batchPath := strings.TrimPrefix(location(t, clerk), site.URL)
	snap(clerk, "11-clerk-batch")

	// 签收表: it opens in a tab of its own.
	opened := chromedp.WaitNewTarget(clerk, func(info *cdptarget.Info) bool { return strings.HasSuffix(info.URL, "/signoff") })
	do(clerk, "签收表", chromedp.Click(css("#print-signoff")))
	var id cdptarget.ID
	select {
	case id = <-opened:
	case <-clerk.Done():
		t.Fatal("the 签收表 does not open a tab")
	}
	sheetTab, cancel := chromedp.NewContext(clerk, chromedp.WithTargetID(id))
	t.Cleanup(cancel)
	sheet := within(t, sheetTab, 20*time.Second)
	do(sheet, "the printed 签收表", chromedp.WaitVisible(css("table.sheet")))
	if loc := location(t, sheet); loc != site.URL+batchPath+"/signoff" {
		t.Errorf("签收表 at %q", loc)
	}
	title, _ := chromedp.Run(sheet, chromedp.Title())
	if want := fmt.Sprintf("%s %d年%d月生病住院慰问发放签收表", home.Name, today.Year, int(today.Month)); title != want {
		t.Errorf("签收表 title %q, want %q", title, want)
	}
	if got := text(t, sheet, ".org"); got != home.Name {
		t.Errorf("union on the sheet %q, want %q", got, home.Name)
	}
	rows := text(t, sheet, "table.sheet tbody")
	for _, want := range []string{"张三丰", "设备部", "生病住院（市第一人民医院）", "800.00", "合计 1 人", "¥800.00", "捌佰元整"} {
		if !strings.Contains(rows, want) {
			t.Errorf("签收表 lacks %q: %q", want, rows)
		}
	}
	if got := text(t, sheet, ".meta"); !strings.Contains(got, "现金") || !strings.Contains(got, "职工集体福利") || !strings.Contains(got, "工会〔2026〕8号") {
		t.Errorf("签收表 heading %q", got)
	}
	snap(sheet, "12-signoff-screen")
	do(sheet, "print media", emulatePrint(true))
	// printed, the toolbar is gone and the sheet is black on white
	if shown, _ := chromedp.Run(sheet, chromedp.Evaluate[bool](`getComputedStyle(document.querySelector(".pay-printbar")).display !== "none"`)); shown {
		t.Error("the toolbar is printed on the 签收表")
	}
	snap(sheet, "13-signoff-print")
	if err := chromedp.Cancel(sheetTab); err != nil {
		t.Logf("close the 签收表 tab: %v", err)
	}

	// The history: each step by the person who took it.
	do(clerk, "case history", chromedp.Navigate(site.URL+casePath), chromedp.WaitVisible(css("#steps")))
	status(clerk, nuanxin.CarePaid)
	snap(clerk, "14-clerk-case-paid")
	steps, err := db.FindCareSteps(bg, sys, caseID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range steps {
		got = append(got, string(s.Action)+" "+s.Username)
	}
	// Steps carry the officers' names, not their logins.
	name := func(login string) string {
		u, err := db.FindUserByName(bg, sys, login)
		if err != nil {
			t.Fatal(err)
		}
		return u.Name
	}
	want := []string{"create " + name("clerk"), "submit " + name("clerk"), "review " + name("reviewer"), "approve " + name("chair"), "pay " + name("clerk")}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("steps %q, want %q", got, want)
	}
	history := text(t, clerk, "#steps")
	at := 0
	for _, s := range steps {
		i := strings.Index(history[at:], s.Action.Label())
		if i < 0 {
			t.Errorf("the case page's history %q lacks %s after position %d", history, s.Action.Label(), at)
			break
		}
		at += i
	}
	if t.Failed() {
		return
	}
	t.Logf("the whole flow took %s", time.Since(start).Round(time.Millisecond))
}
