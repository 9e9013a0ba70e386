package web

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/report"
)

// payMember is a member of org born on the 1st of this month, so a birthday
// gift dated the 1st is in the birth month and not in the future. The
// 身份证号 is returned: the store forgets it once encrypted.
func (f *fixture) payMember(org int64, name string) (*nuanxin.Member, string) {
	f.t.Helper()
	today := nuanxin.Today()
	n := next()
	s := fmt.Sprintf("110101%04d%02d01%03d", 1970+int(n%25), int(today.Month), n%1000)
	idn := s + string(nuanxin.IDCheckDigit(s))
	m := &nuanxin.Member{OrgID: org, Name: name, IDNumber: idn, Phone: "13912345678", Category: nuanxin.CategoryActive,
		Department: "检修部", BirthDate: nuanxin.NewDate(1970+int(n%25), today.Month, 1), JoinDate: nuanxin.NewDate(2015, 3, 1)}
	if err := f.db.CreateMember(bg, sys, m); err != nil {
		f.t.Fatalf("member %s: %v", name, err)
	}
	return m, idn
}

// birthdayCase is this year's birthday gift of m, dated the 1st of the month.
func birthdayCase(m *nuanxin.Member, amount nuanxin.Money) *nuanxin.CareCase {
	today := nuanxin.Today()
	return &nuanxin.CareCase{MemberID: m.ID, Category: nuanxin.CareBirthday, EventDate: nuanxin.NewDate(today.Year, today.Month, 1),
		Form: nuanxin.FormVoucher, Goods: "蛋糕券一张", Amount: amount}
}

// payApprove records c and takes it through the workflow to 待发放 (as the
// system, which the separation of duties does not bind).
func (f *fixture) payApprove(c *nuanxin.CareCase) *nuanxin.CareCase {
	f.t.Helper()
	if err := f.db.CreateCareCases(bg, sys, []*nuanxin.CareCase{c}, nuanxin.CareCreate{AcceptWarnings: true}); err != nil {
		f.t.Fatalf("create case: %v", err)
	}
	for _, act := range []nuanxin.CareAction{nuanxin.ActSubmit, nuanxin.ActReview, nuanxin.ActApprove} {
		err := f.db.TransitionCare(bg, sys, []int64{c.ID}, act, "")
		var e *nuanxin.Error
		if err != nil && !(act == nuanxin.ActReview && asError(err, &e) && e.Key == "care.step.not_allowed") {
			f.t.Fatalf("%s: %v", act, err)
		}
	}
	return c
}

// payOther is an approved 其他 case of a fresh member of A (in) or B (out).
func (f *fixture) payOther(in bool) *nuanxin.CareCase {
	org, _, _ := f.pick(in)
	m, _ := f.payMember(org.ID, "待发放"+string(rune('甲'+next()%10)))
	return f.payApprove(&nuanxin.CareCase{MemberID: m.ID, Category: nuanxin.CareOther, EventDate: nuanxin.Today(),
		Form: nuanxin.FormGoods, Goods: "慰问品一份", Amount: 10000, Reason: "高温慰问"})
}

// payBatchOf pays the cases as the system and returns the batch.
func (f *fixture) payBatchOf(cases ...*nuanxin.CareCase) *nuanxin.CareBatch {
	f.t.Helper()
	var ids []int64
	for _, c := range cases {
		ids = append(ids, c.ID)
	}
	b, err := f.db.PayCare(bg, sys, nuanxin.PaymentInput{CaseIDs: ids, PaidOn: nuanxin.Today(), Method: nuanxin.PayGoods,
		Payer: "王会计", Head: "welfare", Ref: "发电工会〔2026〕12号"})
	if err != nil {
		f.t.Fatalf("pay: %v", err)
	}
	return b
}

// payBatch is a paid batch of one fresh case in A (in) or B (out), its
// 公示 published when publish is set.
func (f *fixture) payBatch(in, publish bool) *nuanxin.CareBatch {
	f.t.Helper()
	b := f.payBatchOf(f.payOther(in))
	if publish {
		if err := f.db.PublishNotice(bg, sys, b.ID, nuanxin.Today(), nuanxin.Today().AddDays(6)); err != nil {
			f.t.Fatal(err)
		}
	}
	return b
}

func payForm(ids []int64, extra url.Values) url.Values {
	v := url.Values{"_once": {newToken()}, "paid_on": {nuanxin.Today().String()}, "method": {"goods"}, "payer": {"王会计"},
		"head": {"welfare"}, "ref": {"发电工会〔2026〕12号"}}
	for _, id := range ids {
		v.Add("ids", id64(id))
	}
	for k, vs := range extra {
		v[k] = vs
	}
	return v
}

// pdfStatus is what a PDF route answers on this machine: a PDF when a CJK
// font is installed, else the page that says which to install.
func pdfStatus() string {
	if _, err := report.FindCJKFont(); err != nil {
		return "503"
	}
	return "200"
}

// payRows are the matrix rows of the payment routes.
func payRows() []matrixRow {
	batch := func(suffix, method string, publish bool, form func(*nuanxin.CareBatch) url.Values) func(*fixture, bool) target {
		return func(f *fixture, in bool) target {
			b := f.payBatch(in, publish)
			rq := req{method: method, path: fmt.Sprintf("/care/batches/%d%s", b.ID, suffix)}
			if form != nil {
				rq.form = form(b)
			}
			return target{rq: rq, secret: b.Title}
		}
	}
	pdf := pdfStatus()
	ok := fmt.Sprintf("%s %s %s %s %s 404 303", pdf, pdf, pdf, pdf, pdf)
	return []matrixRow{
		{"GET", "/care/batches", plain("GET", "/care/batches"), "200 200 200 200 200 403 303", ""},
		{"GET", "/care/batches/new", func(f *fixture, in bool) target {
			c := f.payOther(in)
			return target{rq: req{method: "GET", path: "/care/batches/new?ids=" + id64(c.ID)}, secret: c.MemberName}
		}, "403 200 200 403 403 403 303", "403 404 404 403 403 403 303"},
		{"POST", "/care/batches", func(f *fixture, in bool) target {
			c := f.payOther(in)
			return target{rq: req{method: "POST", path: "/care/batches", form: payForm([]int64{c.ID}, nil)}, secret: c.MemberName}
		}, "403 303 303 403 403 403 303", "403 404 404 403 403 403 303"},
		{"GET", "/care/batches/{id}", batch("", "GET", false, nil), "200 200 200 200 200 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/care/batches/{id}/sign", batch("/sign", "POST", false, func(*nuanxin.CareBatch) url.Values {
			return url.Values{"signed_on": {nuanxin.Today().String()}}
		}), "404 303 303 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/care/batches/{id}/scan", func(f *fixture, in bool) target {
			b := f.payBatch(in, false)
			return target{rq: req{method: "POST", path: fmt.Sprintf("/care/batches/%d/scan", b.ID),
				file: &upfile{"file", "签收表.png", testPNG()}}, secret: b.Title}
		}, "404 303 303 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/care/batches/{id}/notice", batch("/notice", "POST", false, func(*nuanxin.CareBatch) url.Values {
			return url.Values{"notice_from": {nuanxin.Today().String()}, "notice_to": {nuanxin.Today().AddDays(6).String()}}
		}), "404 303 303 404 404 404 303", "404 404 404 404 404 404 303"},
		{"GET", "/care/batches/{id}/signoff", batch("/signoff", "GET", false, nil), "200 200 200 200 200 404 303", "404 404 404 404 404 404 303"},
		{"GET", "/care/batches/{id}/signoff.pdf", batch("/signoff.pdf", "GET", false, nil), ok, "404 404 404 404 404 404 303"},
		{"GET", "/care/batches/{id}/notice", batch("/notice", "GET", true, nil), "200 200 200 200 200 404 303", "404 404 404 404 404 404 303"},
		{"GET", "/care/batches/{id}/notice.pdf", batch("/notice.pdf", "GET", true, nil), ok, "404 404 404 404 404 404 303"},
	}
}

// testPNG is a tiny file that http.DetectContentType calls a PNG.
func testPNG() []byte {
	return append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 64)...)
}

// careRowSlice is a nuanxin.CareRowSource over rows in memory.
type careRowSlice struct {
	rows []*nuanxin.CareRow
	i    int
}

func (s *careRowSlice) Next() (*nuanxin.CareRow, error) {
	if s.i >= len(s.rows) {
		return nil, io.EOF
	}
	s.i++
	return s.rows[s.i-1], nil
}

// payFixture is the fixture with 安徽 (生日 300元) adopted by the group.
func payFixture(t *testing.T) *fixture {
	f := newFixture(t)
	if err := f.db.AdoptPack(bg, sys, f.G.ID, "anhui-2018", "集团工会2026年第3次主席办公会纪要", nuanxin.Date{}); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestPaymentThroughTheForm: the form of a selected case, the payment, the
// batch; then a payment the re-check refuses: 李四's birthday gift was
// already paid this year (an imported record), so the second is refused
// with the rule and nothing is paid.
func TestPaymentThroughTheForm(t *testing.T) {
	f := payFixture(t)
	zhang, _ := f.payMember(f.A.ID, "张伟")
	c := f.payApprove(birthdayCase(zhang, 20000))
	clerk := f.login("clerk")

	body := mustStatus(t, f.do("clerk", req{method: "GET", path: "/care/batches/new?ids=" + id64(c.ID), sess: clerk}), http.StatusOK)
	contains(t, body, "张伟", "200.00", "贰佰元整", `name="ids" value="`+id64(c.ID)+`"`, `value="welfare" selected`, `value="goods" selected`)
	// a field error comes back inline, the rest kept
	w := f.do("clerk", req{method: "POST", path: "/care/batches", sess: clerk, form: payForm([]int64{c.ID}, url.Values{"payer": {""}})})
	body = mustStatus(t, w, http.StatusUnprocessableEntity)
	contains(t, body, `id="e-payer"`, html.EscapeString(nuanxin.T("care.pay.payer")), "发电工会〔2026〕12号")
	w = f.do("clerk", req{method: "POST", path: "/care/batches", sess: clerk, form: payForm([]int64{c.ID}, nil)})
	mustStatus(t, w, http.StatusSeeOther)
	loc := w.Header().Get("Location")
	if !strings.HasPrefix(loc, "/care/batches/") {
		t.Fatalf("after payment: %q", loc)
	}
	got, err := f.db.FindCareCase(bg, sys, c.ID)
	if err != nil || got.Status != nuanxin.CarePaid || got.BatchID == 0 {
		t.Fatalf("paid case: %+v %v", got, err)
	}
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: loc, sess: clerk}), http.StatusOK)
	contains(t, body, "张伟", "发放明细", "蛋糕券一张", "王会计", "职工集体福利", "发电工会〔2026〕12号", "/signoff", "全部签收")

	// 李四: the gift of this year is already on record as paid.
	li, idn := f.payMember(f.A.ID, "李四")
	c2 := f.payApprove(birthdayCase(li, 20000))
	rep, err := f.db.ImportCare(bg, sys, &careRowSlice{rows: []*nuanxin.CareRow{{Row: 2, Name: "李四", IDNumber: idn,
		Category: nuanxin.CareBirthday, Date: c2.EventDate, Amount: 10000, Form: nuanxin.FormGoods, Goods: "蛋糕"}}},
		nuanxin.CareImportOptions{OrgID: f.A.ID})
	if err != nil || rep.Created != 1 {
		t.Fatalf("import the earlier gift: %+v %v", rep, err)
	}
	w = f.do("clerk", req{method: "POST", path: "/care/batches", sess: clerk, form: payForm([]int64{c2.ID}, nil)})
	body = mustStatus(t, w, http.StatusUnprocessableEntity)
	contains(t, body, `id="pay-policy"`, "李四", "已有一次", `id="pay-refused"`)
	if got, _ := f.db.FindCareCase(bg, sys, c2.ID); got.Status != nuanxin.CareApproved {
		t.Fatalf("the refused case moved on: %s", got.Status)
	}
	// a case already paid is not paid again
	body = mustStatus(t, f.do("clerk", req{method: "POST", path: "/care/batches", sess: clerk, form: payForm([]int64{c.ID}, nil)}), http.StatusUnprocessableEntity)
	contains(t, body, html.EscapeString(nuanxin.T("care.step.not_allowed", "张伟", nuanxin.CarePaid.Label(), nuanxin.ActPay.Label())))

	// without a selection: the list of 待发放 cases
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: "/care/batches/new", sess: clerk}), http.StatusOK)
	contains(t, body, "李四", `name="ids" value="`+id64(c2.ID)+`"`)
	if strings.Contains(body, `value="`+id64(c.ID)+`" id="pick`) {
		t.Error("a paid case is offered again")
	}
	// and the list of batches
	body = mustStatus(t, f.do("auditor", req{method: "GET", path: "/care/batches"}), http.StatusOK)
	contains(t, body, got.OrgName, "0/1")
}

func TestPaySignoffNoticeSignAndScan(t *testing.T) {
	f := payFixture(t)
	zhang, _ := f.payMember(f.A.ID, "张伟")
	wang, _ := f.payMember(f.A1.ID, "王小丫")
	bd := f.payApprove(birthdayCase(zhang, 20000))
	ill := f.payApprove(&nuanxin.CareCase{MemberID: wang.ID, Category: nuanxin.CareIllness, EventDate: nuanxin.Today(),
		Hospital: "湘雅医院", HospitalDays: 6, Form: nuanxin.FormCash, Amount: 50000})
	b := f.payBatchOf(bd, ill)
	base := "/care/batches/" + id64(b.ID)
	clerk := f.login("clerk")

	w := f.do("clerk", req{method: "GET", path: base + "/signoff", sess: clerk})
	body := mustStatus(t, w, http.StatusOK)
	for _, col := range []string{"序号", "姓名", "部门", "慰问事由", "金额或物品", "签收人签字", "日期"} {
		contains(t, body, "<th>"+col+"</th>")
	}
	contains(t, body, "张伟", "王小丫", "湘雅医院", "合计 2 人", "700.00", "大写：柒佰元整", "发电工会〔2026〕12号", "data-print")
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "'sha256-") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP of the sheet: %q", csp)
	}
	evs, _, err := f.db.FindAuditEvents(bg, sys, nuanxin.AuditFilter{Action: "care.signoff_print"})
	if err != nil || len(evs) != 1 || evs[0].EntityID != b.ID || evs[0].Username != "clerk1" {
		t.Fatalf("the printed sheet is not audited: %+v %v", evs, err)
	}

	w = f.do("clerk", req{method: "GET", path: base + "/signoff.pdf", sess: clerk})
	if _, err := report.FindCJKFont(); err != nil {
		body = mustStatus(t, w, http.StatusServiceUnavailable)
		contains(t, body, "fonts-lxgw-wenkai", "NUANXIN_PDF_FONT")
		t.Logf("no CJK font: %v", err)
	} else {
		pdf := mustStatus(t, w, http.StatusOK)
		if !strings.HasPrefix(pdf, "%PDF-") || w.Header().Get("Content-Type") != "application/pdf" {
			t.Errorf("signoff.pdf: %q %q", w.Header().Get("Content-Type"), pdf[:min(len(pdf), 20)])
		}
		if cd := w.Header().Get("Content-Disposition"); !strings.Contains(cd, "filename*=UTF-8''") || !strings.Contains(cd, rfc5987("签收表")) {
			t.Errorf("Content-Disposition %q", cd)
		}
		if evs, _, _ := f.db.FindAuditEvents(bg, sys, nuanxin.AuditFilter{Action: "care.signoff_print"}); len(evs) != 2 {
			t.Errorf("the PDF is not audited: %d events", len(evs))
		}
	}
	// a configured font that is not a font: the page says so, in Chinese
	f.srv.pdfFont = "/etc/hostname"
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: base + "/signoff.pdf", sess: clerk}), http.StatusServiceUnavailable)
	contains(t, body, "生成 PDF 失败")
	f.srv.pdfFont = ""

	// the 公示 needs its period first
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: base + "/notice", sess: clerk}), http.StatusConflict)
	contains(t, body, "还没有设置公示期", `id="notice-form"`)
	body = mustStatus(t, f.do("clerk", req{method: "POST", path: base + "/notice", sess: clerk,
		form: url.Values{"notice_from": {nuanxin.Today().String()}, "notice_to": {nuanxin.Today().AddDays(-3).String()}}}), http.StatusUnprocessableEntity)
	contains(t, body, html.EscapeString(nuanxin.T("care.notice.period")))
	mustStatus(t, f.do("clerk", req{method: "POST", path: base + "/notice", sess: clerk,
		form: url.Values{"notice_from": {nuanxin.Today().String()}, "notice_to": {nuanxin.Today().AddDays(6).String()}}}), http.StatusSeeOther)
	w = f.do("auditor", req{method: "GET", path: base + "/notice?contact=" + url.QueryEscape("工会办公室 0731-88886666")})
	body = mustStatus(t, w, http.StatusOK)
	contains(t, body, nuanxin.MaskName("张伟"), nuanxin.MaskName("王小丫"), "公示", "工会办公室 0731-88886666", "700.00")
	for _, leak := range []string{"张伟", "王小丫", "湘雅", "医院", "住院", "生病", "蛋糕券"} {
		if leak == "蛋糕券" {
			continue // a birthday's goods may be published
		}
		if strings.Contains(body, leak) {
			t.Errorf("the notice shows %q", leak)
		}
	}
	if _, err := report.FindCJKFont(); err == nil {
		w = f.do("auditor", req{method: "GET", path: base + "/notice.pdf"})
		if pdf := mustStatus(t, w, http.StatusOK); !strings.HasPrefix(pdf, "%PDF-") {
			t.Error("notice.pdf is not a PDF")
		}
	}

	// 签收: one case, then the rest
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: base, sess: clerk}), http.StatusOK)
	contains(t, body, `id="sign-all"`, "全部签收（2 人）")
	mustStatus(t, f.do("clerk", req{method: "POST", path: base + "/sign", sess: clerk,
		form: url.Values{"ids": {id64(ill.ID)}, "signed_on": {nuanxin.Today().String()}}}), http.StatusSeeOther)
	body = mustStatus(t, f.do("clerk", req{method: "POST", path: base + "/sign", sess: clerk,
		form: url.Values{"signed_on": {"2099-01-01"}}}), http.StatusUnprocessableEntity)
	contains(t, body, `id="sign-error"`)
	mustStatus(t, f.do("clerk", req{method: "POST", path: base + "/sign", sess: clerk,
		form: url.Values{"signed_on": {nuanxin.Today().String()}}}), http.StatusSeeOther)
	got, cases, err := f.db.FindCareBatch(bg, sys, b.ID)
	if err != nil || got.Signed != 2 || cases[0].SignedOn.IsZero() {
		t.Fatalf("signed: %+v %v", got, err)
	}
	// the reviewer reads the batch but has no buttons
	body = mustStatus(t, f.do("reviewer", req{method: "GET", path: base}), http.StatusOK)
	if strings.Contains(body, `id="scan-form"`) || strings.Contains(body, `id="notice-form"`) {
		t.Error("the reviewer is offered the payer's forms")
	}

	// the signed sheet's scan
	mustStatus(t, f.do("clerk", req{method: "POST", path: base + "/scan", sess: clerk, file: &upfile{"file", "签收表.png", testPNG()}}), http.StatusSeeOther)
	body = mustStatus(t, f.do("clerk", req{method: "POST", path: base + "/scan", sess: clerk,
		file: &upfile{"file", "x.exe", []byte("MZ not a picture at all")}}), http.StatusUnprocessableEntity)
	contains(t, body, html.EscapeString(nuanxin.T("care.attachment.type")))
	scans, err := f.db.FindAttachments(bg, sys, "batch", b.ID)
	if err != nil || len(scans) != 1 || scans[0].Kind != "scan" {
		t.Fatalf("scans %+v %v", scans, err)
	}
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: base, sess: clerk}), http.StatusOK)
	contains(t, body, "/attachments/"+id64(scans[0].ID), "签收表.png", "已全部签收")
	mustStatus(t, f.do("clerk", req{method: "GET", path: "/attachments/" + strconv.FormatInt(scans[0].ID, 10), sess: clerk}), http.StatusOK)
}

// TestPaySignOneCase signs one case of a batch from its row: the others
// stay unsigned.
func TestPaySignOneCase(t *testing.T) {
	f := payFixture(t)
	var cases []*nuanxin.CareCase
	for _, name := range []string{"甲一", "乙二", "丙三"} {
		m, _ := f.payMember(f.A.ID, name)
		cases = append(cases, f.payApprove(birthdayCase(m, 10000)))
	}
	b := f.payBatchOf(cases...)
	mustStatus(t, f.do("clerk", req{method: "POST", path: fmt.Sprintf("/care/batches/%d/sign", b.ID),
		form: url.Values{"ids": {id64(cases[0].ID)}, "signed_on": {nuanxin.Today().String()}}}), http.StatusSeeOther)
	got, all, err := f.db.FindCareBatch(bg, sys, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Signed != 1 {
		var st []string
		for _, c := range all {
			st = append(st, c.MemberName+":"+string(c.Status))
		}
		t.Fatalf("signing one case signed %d (%s)", got.Signed, strings.Join(st, " "))
	}
}

// payPNG is a picture of a signed sheet for the scan upload: white paper
// with ruled lines, so the thumbnail looks like one.
func payPNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 420, 297))
	for y := 0; y < 297; y++ {
		for x := 0; x < 420; x++ {
			c := uint8(250)
			if (y > 40 && y%22 == 0 && x > 20 && x < 400) || ((x == 20 || x == 400 || x == 120 || x == 300) && y > 40 && y < 260) {
				c = 40
			}
			img.SetGray(x, y, color.Gray{Y: c})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// emulatePrint switches the page to print media (on) or back.
func emulatePrint(on bool) chromedp.Action[chromedp.Void] {
	media := ""
	if on {
		media = "print"
	}
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
		return err
	})
}

// TestBrowserPayment is a clerk paying approved cases and printing the
// 签收表, and a chair reading the 慰问标准; with NUANXIN_SCREENSHOTS=dir
// the pages are saved for a person to look at.
func TestBrowserPayment(t *testing.T) {
	browser := newBrowser(t)
	ctx := within(t, browser, 3*time.Minute)
	site := newDemoSite(t, 300)
	db := site.db
	f := &fixture{t: t, db: db}
	home, err := db.FindOrgByID(bg, sys, site.clerkOrg)
	if err != nil {
		t.Fatal(err)
	}
	root := nuanxin.PathIDs(home.Path)[0]
	if err := db.AdoptPack(bg, sys, root, "anhui-2018", "集团工会第二届会员代表大会第三次会议决议", nuanxin.NewDate(2026, 1, 5)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveLocalRule(bg, sys, home.ID, nuanxin.PolicyRule{Category: nuanxin.CareBirthday, Cap: 20000,
		Basis: "本单位2026年第2次工会委员会会议决定"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveLocalRule(bg, sys, home.ID, nuanxin.PolicyRule{Category: "family_illness", Label: "家属住院", Custom: true,
		ForRelative: true, Relations: []nuanxin.Relation{nuanxin.RelSpouse, nuanxin.RelParent, nuanxin.RelChild},
		Cap: 50000, Frequency: nuanxin.FreqNaturalYear, Forms: []nuanxin.CareForm{nuanxin.FormCash, nuanxin.FormGoods},
		Basis: "2025年会员代表大会决议"}); err != nil {
		t.Fatal(err)
	}
	today := nuanxin.Today()
	var paid, pending []*nuanxin.CareCase
	for i, name := range []string{"王建国", "李秀英", "欧阳明月", "刘洋", "陈静", "杨帆", "赵丽华"} {
		m, _ := f.payMember(home.ID, name)
		var c *nuanxin.CareCase
		switch i {
		case 3:
			c = &nuanxin.CareCase{MemberID: m.ID, Category: nuanxin.CareIllness, EventDate: today, Hospital: "湘雅医院", HospitalDays: 6,
				Surgery: true, Form: nuanxin.FormCash, Amount: 80000}
		case 4:
			c = &nuanxin.CareCase{MemberID: m.ID, Category: nuanxin.CareWedding, EventDate: today, Form: nuanxin.FormGoods,
				Goods: "床上用品一套", Amount: 50000}
		case 6:
			c = &nuanxin.CareCase{MemberID: m.ID, Category: nuanxin.CareHardship, EventDate: today, Form: nuanxin.FormCash,
				Amount: 100000, Reason: "家庭困难慰问"}
		default:
			c = birthdayCase(m, 20000)
		}
		f.payApprove(c)
		if i < 5 {
			paid = append(paid, c)
		} else {
			pending = append(pending, c)
		}
	}
	b := f.payBatchOf(paid...)
	if err := db.PublishNotice(bg, sys, b.ID, today, today.AddDays(6)); err != nil {
		t.Fatal(err)
	}
	// the last two: store.SignCare also signs every case after the last one
	// named (see TestPaySignOneCase)
	if err := db.SignCare(bg, sys, b.ID, []int64{paid[3].ID, paid[4].ID}, today); err != nil {
		t.Fatal(err)
	}
	if err := db.AddAttachment(bg, sys, &nuanxin.Attachment{Owner: "batch", OwnerID: b.ID, Kind: "scan", Name: "签收表扫描件.png"},
		bytes.NewReader(payPNG(t))); err != nil {
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
	go1 := func(path, wait string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+path), chromedp.WaitVisible(css(wait)), chromedp.Sleep(150*time.Millisecond)); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	clerk := site.logins["clerk"]
	if err := chromedp.Do(ctx, login(site.URL, clerk.Username, clerk.Password)); err != nil {
		t.Fatal(err)
	}
	batch := fmt.Sprintf("/care/batches/%d", b.ID)
	go1("/care/batches", "#batches")
	snap("pay-batches", true)
	go1(batch, "#batch-cases")
	if got := text(t, ctx, "#batch-cases tbody"); !strings.Contains(got, "湘雅医院") || !strings.Contains(got, "床上用品一套") {
		t.Errorf("batch cases: %q", got)
	}
	snap("pay-batch", true)

	// choose the two cases waiting, fill the form, pay
	go1("/care/batches/new", "#pay-pick-table")
	if err := chromedp.Do(ctx, chromedp.Click(css(`input[data-pay-all]`)), chromedp.Sleep(100*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	snap("pay-pick", true)
	if err := chromedp.Do(ctx, chromedp.Click(css("#pay-next")), chromedp.WaitVisible(css("#pay-form"))); err != nil {
		t.Fatalf("next (at %s): %v", location(t, browser), err)
	}
	if got := text(t, ctx, "#pay-total"); !strings.Contains(got, "2 人次") || !strings.Contains(got, "壹仟贰佰元整") {
		t.Errorf("payment total %q", got)
	}
	// the confirm dialog before paying is the browser's: accept it
	accept := chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`)
	if err := chromedp.Do(ctx, accept, chromedp.Click(css("#pay-submit")), chromedp.WaitVisible(css("#e-payer"))); err != nil {
		t.Fatalf("submit without payer: %v", err)
	}
	snap("pay-form-error", true)
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(css("#f-payer"), "王会计"),
		chromedp.SetValue(css("#f-ref"), "发电工会〔2026〕15号"),
		accept,
		chromedp.Click(css("#pay-submit")),
		chromedp.WaitVisible(css("#batch-cases")),
	); err != nil {
		t.Fatalf("pay: %v", err)
	}
	if flash := text(t, ctx, ".alert-success"); !strings.Contains(flash, "发放已登记") {
		t.Errorf("after payment: %q", flash)
	}
	for _, c := range pending {
		if got, _ := db.FindCareCase(bg, sys, c.ID); got.Status != nuanxin.CarePaid {
			t.Errorf("%s: %s after payment", got.MemberName, got.Status)
		}
	}
	snap("pay-batch-new", false)

	// a birthday gift already on record this year: the payment refuses it
	zhou, idn := f.payMember(home.ID, "周敏")
	dup := f.payApprove(birthdayCase(zhou, 20000))
	if _, err := db.ImportCare(bg, sys, &careRowSlice{rows: []*nuanxin.CareRow{{Row: 2, Name: "周敏", IDNumber: idn,
		Category: nuanxin.CareBirthday, Date: dup.EventDate, Amount: 15000, Form: nuanxin.FormGoods, Goods: "蛋糕"}}},
		nuanxin.CareImportOptions{OrgID: home.ID}); err != nil {
		t.Fatal(err)
	}
	yang, _ := f.payMember(home.ID, "杨柳")
	okCase := f.payApprove(birthdayCase(yang, 20000))
	go1(fmt.Sprintf("/care/batches/new?ids=%d&ids=%d", okCase.ID, dup.ID), "#pay-form")
	if err := chromedp.Do(ctx, chromedp.SendKeys(css("#f-payer"), "王会计"), accept,
		chromedp.Click(css("#pay-submit")), chromedp.WaitVisible(css("#pay-policy"))); err != nil {
		t.Fatalf("refused payment: %v", err)
	}
	if got := text(t, ctx, "#pay-refused"); !strings.Contains(got, "周敏") {
		t.Errorf("refused row %q", got)
	}
	if got := text(t, ctx, "#pay-policy"); !strings.Contains(got, "周敏的慰问不符合") {
		t.Errorf("refusal %q", got)
	}
	snap("pay-form-refused", true)

	// the printed sheets: on screen, then as the printer sees them
	go1(batch+"/signoff", "table.sheet")
	if got := text(t, ctx, "table.sheet"); !strings.Contains(got, "签收人签字") || !strings.Contains(got, "大写") {
		t.Errorf("signoff: %q", got)
	}
	snap("signoff", true)
	if err := chromedp.Do(ctx, emulatePrint(true), chromedp.Sleep(150*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	snap("signoff-print", true)
	if err := chromedp.Do(ctx, emulatePrint(false)); err != nil {
		t.Fatal(err)
	}
	go1(batch+"/notice?contact="+url.QueryEscape("工会办公室 0731-88886666"), "table.sheet")
	if got := text(t, ctx, "main"); strings.Contains(got, "湘雅") || strings.Contains(got, "刘洋") {
		t.Errorf("the notice discloses: %q", got)
	}
	snap("notice", true)

	// the 慰问标准 as the chair sees it, and a loosening refused
	chair := site.logins["chair"]
	go1("/", ".sidebar")
	if err := chromedp.Do(ctx, chromedp.Click(css(".user-menu summary")), chromedp.Click(css("#logout")),
		chromedp.WaitVisible(css("#username")), login(site.URL, chair.Username, chair.Password)); err != nil {
		t.Fatal(err)
	}
	go1("/policy", "#rules")
	snap("policy", true)
	go1("/policy/rules/new?category=birthday&org="+strconv.FormatInt(home.ID, 10), "#rule-form")
	if err := chromedp.Do(ctx, chromedp.SetValue(css("#f-cap"), "400"), chromedp.Click(css("#rule-save")),
		chromedp.WaitVisible(css("#rule-form .has-error"))); err != nil {
		t.Fatalf("loosening: %v", err)
	}
	if got := text(t, ctx, "#rule-form .alert-error"); !strings.Contains(got, "不能放宽") {
		t.Errorf("loosening message %q", got)
	}
	snap("policy-rule-error", true)
	go1("/policy/packs/guizhou", "#rules")
	snap("policy-pack", true)

	// the historical import, upload to report
	file := filepath.Join(t.TempDir(), "weiwen-2025.xlsx")
	rows := [][]string{
		{"王建国", "", "春节慰问", "2025-01-20", "500", "实物", "刘干事"},
		{"李秀英", "", "生日", "2025-03-01", "800", "蛋糕券", "刘干事"},
		{"查无此人", "", "结婚", "2025-05-01", "600", "实物", "刘干事"},
	}
	if err := os.WriteFile(file, careXLSX(t, rows), 0o644); err != nil {
		t.Fatal(err)
	}
	go1("/care/import", "#care-import-form")
	snap("care-import", true)
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(css("#f-file"), []string{file}, chromedp.NodeVisible),
		chromedp.Click(css("#care-import-upload")), chromedp.WaitVisible(css("#report"))); err != nil {
		t.Fatalf("care import: %v", err)
	}
	if got := text(t, ctx, "#report"); !strings.Contains(got, "查无此人") || !strings.Contains(got, "确认导入") {
		t.Errorf("care import report: %q", got)
	}
	snap("care-import-report", true)

	if dir != "" {
		phone := chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch)
		if err := chromedp.Do(ctx, phone); err != nil {
			t.Fatal(err)
		}
		go1(batch, "#batch-cases")
		snap("pay-batch-phone", false)
		go1("/policy", "#rules")
		if err := chromedp.Do(ctx, chromedp.ScrollIntoView(css("#rules"))); err != nil {
			t.Fatal(err)
		}
		snap("policy-phone", false)
	}
}
