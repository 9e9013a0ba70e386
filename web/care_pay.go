package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/report"
)

// 发放: paying approved cases as one batch, the batch pages (签收, the
// signed sheet's scan, 公示) and the printed 签收表 and 公示 (HTML and PDF,
// drawn by the report package).

const (
	payBatchesPerPage = 20
	// payPickMax bounds the approved cases the selection page lists: a
	// batch holds at most store.MaxCareBatch (1000) cases anyway.
	payPickMax = 500
	// payMaxIDs bounds the cases one payment form carries.
	payMaxIDs = 1000
)

// payIDs reads the case ids of a selection (?ids=1&ids=2, also "1,2").
func payIDs(vals []string) []int64 {
	var out []int64
	seen := map[int64]bool{}
	for _, v := range vals {
		for _, p := range strings.Split(v, ",") {
			id, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64)
			if err != nil || id <= 0 || seen[id] {
				continue
			}
			seen[id] = true
			out = append(out, id)
			if len(out) == payMaxIDs {
				return out
			}
		}
	}
	return out
}

// payDate reads a date field; empty gives the zero date (the store says
// it is required where it is).
func payDate(fe *nuanxin.FieldErrors, field, v string) nuanxin.Date {
	d, err := nuanxin.ParseDate(strings.TrimSpace(v))
	if err != nil {
		*fe = append(*fe, fieldErr(field, err))
	}
	return d
}

// payStatusTag colours a case status.
func payStatusTag(st nuanxin.CareStatus) string {
	switch st {
	case nuanxin.CareSigned:
		return "tag-green"
	case nuanxin.CarePaid:
		return "tag-blue"
	case nuanxin.CareApproved, nuanxin.CareReviewed, nuanxin.CareSubmitted:
		return "tag-orange"
	}
	return "tag-grey"
}

// payLabels names care categories, a union's own ones included, by the
// policies of the orgs involved (each read once per request).
type payLabels struct {
	s      *Server
	ctx    context.Context
	sc     *nuanxin.Scope
	labels map[nuanxin.CareCategory]string
	seen   map[int64]bool
}

func (s *Server) newPayLabels(ctx context.Context, sc *nuanxin.Scope) *payLabels {
	return &payLabels{s: s, ctx: ctx, sc: sc, labels: map[nuanxin.CareCategory]string{}, seen: map[int64]bool{}}
}

// org reads the labels of the policy in force at org (errors leave the
// built-in labels: a label is not worth failing a page).
func (l *payLabels) org(orgID int64) {
	if l.seen[orgID] || l.s.policy == nil {
		return
	}
	l.seen[orgID] = true
	pol, err := l.s.policy.EffectivePolicy(l.ctx, l.sc, orgID, l.s.today())
	if err != nil {
		return
	}
	for _, r := range pol.Rules {
		if r.Label != "" {
			l.labels[r.Category] = r.Label
		}
	}
}

func (l *payLabels) cases(cs []*nuanxin.CareCase) *payLabels {
	for _, c := range cs {
		l.org(c.OrgID)
	}
	return l
}

func (l *payLabels) label(c nuanxin.CareCategory) string {
	if x, ok := l.labels[c]; ok {
		return x
	}
	return c.Label()
}

// payHeadGroup is a 支出科目 with its leaves, for an <optgroup>.
type payHeadGroup struct {
	Label string
	Opts  []option
}

// payHeads groups nuanxin.ExpenseHeads by parent: a parent with leaves is
// a group, a head without leaves is a choice of its own.
func payHeads() []payHeadGroup {
	var out []payHeadGroup
	for _, h := range nuanxin.ExpenseHeads {
		if h.Parent != "" {
			continue
		}
		g := payHeadGroup{Label: h.Label()}
		for _, c := range nuanxin.ExpenseHeads {
			if c.Parent == h.Code {
				g.Opts = append(g.Opts, option{c.Code, c.Label()})
			}
		}
		if len(g.Opts) == 0 {
			g.Opts = []option{{h.Code, h.Label()}}
			g.Label = ""
		}
		out = append(out, g)
	}
	return out
}

func payHeadLabel(code string) string {
	if h, ok := nuanxin.FindExpenseHead(code); ok {
		return h.Label()
	}
	return code
}

func payMethodOptions() []option {
	var o []option
	for _, m := range nuanxin.PayMethods {
		o = append(o, option{string(m), m.Label()})
	}
	return o
}

// payCaseRow is one case in a table of the payment pages.
type payCaseRow struct {
	C         *nuanxin.CareCase
	Category  string
	Reason    string // 慰问事由 as the 签收表 prints it
	StatusTag string
	Refused   bool // the payment's re-check refused this case
}

// payFormData is the payment form of selected cases.
type payFormData struct {
	Form    *form
	Rows    []payCaseRow
	IDs     []int64
	Total   nuanxin.Money
	Skipped []string // selected cases that are not waiting for payment
	Methods []option
	Heads   []payHeadGroup
	Policy  []string // the payment re-check's refusals
}

// payPickData is the list of approved cases to choose from.
type payPickData struct {
	Rows    []payCaseRow
	Total   int
	Shown   int
	Orgs    []option
	Org     string
	Query   string
	Message string
}

func (s *Server) handlePayNew(w http.ResponseWriter, r *http.Request) {
	ids := payIDs(r.URL.Query()["ids"])
	if len(ids) == 0 {
		s.payPick(w, r, http.StatusOK, "")
		return
	}
	f := newForm(url.Values{"paid_on": {s.today().String()}})
	f.Once = newToken()
	s.payForm(w, r, http.StatusOK, f, ids, nil)
}

// payPick lists the approved cases in scope (待发放) with checkboxes.
func (s *Server) payPick(w http.ResponseWriter, r *http.Request, status int, msg string) {
	sc, ctx := scopeOf(r), r.Context()
	q := r.URL.Query()
	d := &payPickData{Org: q.Get("org"), Query: strings.TrimSpace(q.Get("q")), Message: msg}
	if len([]rune(d.Query)) > 60 {
		d.Query = ""
	}
	orgs, err := s.orgs.FindOrgs(ctx, sc, nuanxin.OrgFilter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var mine []*nuanxin.Org
	for _, o := range orgs {
		if sc.Can(nuanxin.PermCarePay, o.Path) {
			mine = append(mine, o)
		}
	}
	d.Orgs = orgOptions(mine)
	list, err := s.care.FindCareCases(ctx, sc, nuanxin.CareFilter{OrgID: formInt(d.Org), Status: nuanxin.CareApproved,
		Query: d.Query, Limit: payPickMax})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	labels := s.newPayLabels(ctx, sc).cases(list.Cases)
	for _, c := range list.Cases {
		if !sc.Can(nuanxin.PermCarePay, c.OrgPath) {
			continue
		}
		d.Rows = append(d.Rows, payCaseRow{C: c, Category: labels.label(c.Category), StatusTag: payStatusTag(c.Status)})
	}
	d.Total, d.Shown = list.Total, len(list.Cases)
	s.page(w, r, status, "care_pay_pick", nuanxin.T("ui.pay.pick_title"), "care_batches", d)
}

// payForm shows the form for the cases ids, loaded in scope; cases that
// are no longer waiting for payment are left out and named.
func (s *Server) payForm(w http.ResponseWriter, r *http.Request, status int, f *form, ids []int64, pe *nuanxin.PolicyError) {
	sc, ctx := scopeOf(r), r.Context()
	d := &payFormData{Form: f, Methods: payMethodOptions(), Heads: payHeads()}
	var cases []*nuanxin.CareCase
	for _, id := range ids {
		c, err := s.care.FindCareCase(ctx, sc, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if c.Status != nuanxin.CareApproved || !sc.Can(nuanxin.PermCarePay, c.OrgPath) {
			d.Skipped = append(d.Skipped, nuanxin.T("ui.pay.skipped_one", c.Subject(), c.Status.Label()))
			continue
		}
		cases = append(cases, c)
	}
	if len(cases) == 0 {
		if status == http.StatusOK {
			status = http.StatusConflict
		}
		msg := nuanxin.T("ui.pay.none_payable")
		if f.Summary != "" {
			msg = f.Summary + "。" + msg
		}
		s.payPick(w, r, status, msg)
		return
	}
	// The refused case: PolicyError.Row is its place among the ids paid
	// (set for a batch of more than one), else the only one.
	var refused int64
	if pe != nil {
		switch {
		case pe.Row > 0 && pe.Row <= len(ids):
			refused = ids[pe.Row-1]
		case len(ids) == 1:
			refused = ids[0]
		}
	}
	labels := s.newPayLabels(ctx, sc).cases(cases)
	b := &nuanxin.CareBatch{}
	sheet := report.SignOffFromBatch("", b, cases, labels.label)
	allCash, oneCat := true, cases[0].Category
	for i, c := range cases {
		d.Rows = append(d.Rows, payCaseRow{C: c, Category: labels.label(c.Category), Reason: sheet.Rows[i].Reason,
			StatusTag: payStatusTag(c.Status), Refused: c.ID == refused})
		d.IDs = append(d.IDs, c.ID)
		d.Total += c.Amount
		allCash = allCash && c.Form == nuanxin.FormCash
		if c.Category != oneCat {
			oneCat = ""
		}
	}
	// Defaults a clerk would choose: cash cases are paid in cash, the rest
	// handed over as goods; a batch of one category goes to that
	// category's head (困难慰问 to 困难职工帮扶费), a mixed one to 职工集体福利.
	if f.Get("method") == "" {
		if allCash {
			f.V.Set("method", string(nuanxin.PayCash))
		} else {
			f.V.Set("method", string(nuanxin.PayGoods))
		}
	}
	if f.Get("head") == "" {
		f.V.Set("head", nuanxin.DefaultHead(oneCat))
	}
	if pe != nil {
		for _, dec := range pe.Decisions {
			msg := dec.Message
			if dec.Source != "" && !strings.Contains(msg, dec.Source) {
				msg += nuanxin.T("ui.pay.policy_source", dec.Source)
			}
			d.Policy = append(d.Policy, msg)
		}
		name := pe.Name
		for _, row := range d.Rows {
			if row.Refused {
				name = row.C.Subject() // the store leaves Name empty in a batch of several
			}
		}
		f.Summary = nuanxin.T("ui.pay.policy_refused", name)
		if name == "" {
			f.Summary = nuanxin.T("ui.pay.policy_refused_anon")
		}
	}
	s.page(w, r, status, "care_pay_form", nuanxin.T("ui.pay.form_title"), "care_batches", d)
}

// handlePayCreate records the payment (PayCare) and opens the batch.
func (s *Server) handlePayCreate(w http.ResponseWriter, r *http.Request) {
	sc := scopeOf(r)
	_ = r.ParseForm()
	f := newForm(r.PostForm)
	f.Once = r.PostForm.Get("_once")
	ids := payIDs(r.PostForm["ids"])
	var fe nuanxin.FieldErrors
	in := nuanxin.PaymentInput{CaseIDs: ids, Method: nuanxin.PayMethod(f.Get("method")),
		Payer: strings.TrimSpace(f.Get("payer")), Head: f.Get("head"),
		Title: strings.TrimSpace(f.Get("title")), Ref: strings.TrimSpace(f.Get("ref"))}
	in.PaidOn = payDate(&fe, "paid_on", f.Get("paid_on"))
	if len(ids) == 0 {
		s.payPick(w, r, http.StatusUnprocessableEntity, nuanxin.T("ui.pay.none_selected"))
		return
	}
	err := fe.Err()
	if err == nil {
		err = s.onceDo(w, r, func() (string, error) {
			b, err := s.care.PayCare(r.Context(), sc, in)
			if err != nil {
				return "", err
			}
			s.setFlash(w, "ui.flash.pay.created")
			return fmt.Sprintf("/care/batches/%d", b.ID), nil
		})
	}
	if err == nil {
		return
	}
	var pe *nuanxin.PolicyError
	switch {
	case errors.As(err, &pe):
		s.payForm(w, r, http.StatusUnprocessableEntity, f, ids, pe)
		return
	case isFormErr(err) || nuanxin.ErrorCode(err) == nuanxin.EFORBIDDEN:
		f.setErr(err)
		if len(f.E) > 0 && f.Other("paid_on", "method", "payer", "head", "title", "ref") != nil {
			f.Summary = userMessage(err)
		}
		s.payForm(w, r, statusOf(nuanxin.ErrorCode(err), false), f, ids, nil)
		return
	}
	s.fail(w, r, err)
}

// payBatchesData is the list of batches.
type payBatchesData struct {
	Batches []*nuanxin.CareBatch
	Pager   *pager
	Orgs    []option
	Org     string
	CanPay  bool
}

func (s *Server) handlePayBatches(w http.ResponseWriter, r *http.Request) {
	sc, ctx := scopeOf(r), r.Context()
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	page = min(max(page, 1), 100000)
	orgID := formInt(q.Get("org"))
	list, total, err := s.care.FindCareBatches(ctx, sc, orgID, (page-1)*payBatchesPerPage, payBatchesPerPage)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	orgs, err := s.orgs.FindOrgs(ctx, sc, nuanxin.OrgFilter{IncludeClosed: true})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var readable []*nuanxin.Org
	for _, o := range orgs {
		if sc.Can(nuanxin.PermCareRead, o.Path) {
			readable = append(readable, o)
		}
	}
	d := &payBatchesData{Batches: list, Orgs: orgOptions(readable), CanPay: sc.CanAny(nuanxin.PermCarePay)}
	if orgID > 0 {
		d.Org = strconv.FormatInt(orgID, 10)
	}
	d.Pager = newPager("/care/batches", q, page, payBatchesPerPage, total, false, "ui.pay.unit_batches")
	s.page(w, r, http.StatusOK, "care_batches", nuanxin.T("ui.pay.batches_title"), "care_batches", d)
}

// payBatchData is the batch detail page.
type payBatchData struct {
	B        *nuanxin.CareBatch
	Rows     []payCaseRow
	Head     string
	Unsigned int
	CanPay   bool
	Scans    []*nuanxin.Attachment
	Sign     *form
	Scan     *form
	Notice   *form
	MaxMB    int
	MaxBytes int64
}

// loadPayBatch reads the batch of the path with its cases.
func (s *Server) loadPayBatch(r *http.Request) (*nuanxin.CareBatch, []*nuanxin.CareCase, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	return s.care.FindCareBatch(r.Context(), scopeOf(r), id)
}

// payBatchPage renders the batch; d carries the form that came back with
// an error, if any.
func (s *Server) payBatchPage(w http.ResponseWriter, r *http.Request, status int, b *nuanxin.CareBatch, cases []*nuanxin.CareCase, d *payBatchData) {
	sc, ctx := scopeOf(r), r.Context()
	if d == nil {
		d = &payBatchData{}
	}
	d.B, d.Head, d.MaxMB, d.MaxBytes = b, payHeadLabel(b.Head), nuanxin.MaxAttachment>>20, nuanxin.MaxAttachment
	d.CanPay = sc.Can(nuanxin.PermCarePay, b.OrgPath)
	labels := s.newPayLabels(ctx, sc).cases(cases)
	sheet := report.SignOffFromBatch("", b, cases, labels.label)
	for i, c := range cases {
		d.Rows = append(d.Rows, payCaseRow{C: c, Category: labels.label(c.Category), Reason: sheet.Rows[i].Reason,
			StatusTag: payStatusTag(c.Status)})
		if c.Status == nuanxin.CarePaid {
			d.Unsigned++
		}
	}
	scans, err := s.care.FindAttachments(ctx, sc, "batch", b.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, a := range scans {
		if a.Kind == "scan" {
			d.Scans = append(d.Scans, a)
		}
	}
	today := s.today()
	if d.Sign == nil {
		d.Sign = newForm(url.Values{"signed_on": {today.String()}})
	}
	if d.Scan == nil {
		d.Scan = newForm(nil)
	}
	if d.Notice == nil {
		from, to := b.NoticeFrom, b.NoticeTo
		if from.IsZero() {
			// 公示 usually runs five working days; a week covers them.
			from, to = today, today.AddDays(6)
		}
		d.Notice = newForm(url.Values{"notice_from": {from.String()}, "notice_to": {to.String()}})
	}
	s.page(w, r, status, "care_batch", b.Title, "care_batches", d)
}

func (s *Server) handlePayBatch(w http.ResponseWriter, r *http.Request) {
	b, cases, err := s.loadPayBatch(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.payBatchPage(w, r, http.StatusOK, b, cases, nil)
}

// handlePaySign marks the whole batch, or the cases named, as signed for.
func (s *Server) handlePaySign(w http.ResponseWriter, r *http.Request) {
	b, cases, err := s.loadPayBatch(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_ = r.ParseForm()
	f := newForm(r.PostForm)
	var fe nuanxin.FieldErrors
	on := payDate(&fe, "signed_on", f.Get("signed_on"))
	ids := payIDs(r.PostForm["ids"])
	err = fe.Err()
	if err == nil {
		err = s.care.SignCare(r.Context(), scopeOf(r), b.ID, ids, on)
	}
	if s.payPosted(w, r, f, err, "ui.flash.pay.signed", fmt.Sprintf("/care/batches/%d", b.ID)) {
		return
	}
	if f.Err("signed_on") == "" || len(ids) > 0 {
		f.Summary = userMessage(err)
	}
	s.payBatchPage(w, r, statusOf(nuanxin.ErrorCode(err), false), b, cases, &payBatchData{Sign: f})
}

// payPosted answers a form posted on the batch page: done, with the flash
// and back to the batch at to; on any failure but the form's own it fails.
// Both end the request (true); a form error is set on f to show on the page.
func (s *Server) payPosted(w http.ResponseWriter, r *http.Request, f *form, err error, flash, to string) bool {
	if err == nil {
		s.setFlash(w, flash)
		redirect(w, r, to)
		return true
	}
	if !isFormErr(err) {
		s.fail(w, r, err)
		return true
	}
	f.setErr(err)
	return false
}

// handlePayScan stores the signed sheet's scan on the batch. The upload is
// streamed from the multipart reader (the CSRF token came first).
func (s *Server) handlePayScan(w http.ResponseWriter, r *http.Request) {
	b, cases, err := s.loadPayBatch(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sc := scopeOf(r)
	if !sc.Can(nuanxin.PermCarePay, b.OrgPath) {
		s.fail(w, r, nuanxin.NotFound("what.care_batch"))
		return
	}
	err = s.payReadScan(r, b)
	if err == nil {
		s.setFlash(w, "ui.flash.pay.scan")
		redirect(w, r, fmt.Sprintf("/care/batches/%d", b.ID))
		return
	}
	if !isFormErr(err) {
		s.fail(w, r, err)
		return
	}
	f := newForm(nil)
	f.setErr(mapFields(err, map[string]string{"": "file"}))
	status := statusOf(nuanxin.ErrorCode(err), false)
	var e *nuanxin.Error
	if asError(err, &e) && e.Key == "care.attachment.too_large" {
		status = http.StatusRequestEntityTooLarge
	}
	s.payBatchPage(w, r, status, b, cases, &payBatchData{Scan: f})
}

func (s *Server) payReadScan(r *http.Request, b *nuanxin.CareBatch) error {
	tooLarge := nuanxin.Invalid("file", "care.attachment.too_large", nuanxin.MaxAttachment>>20)
	mr, err := multipartOf(r)
	if err != nil {
		return nuanxin.Invalid("file", "care.attachment.empty")
	}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return nuanxin.Invalid("file", "care.attachment.empty")
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge
		}
		if err != nil {
			return nuanxin.Invalid("file", "ui.pay.upload_failed")
		}
		if p.FormName() != "file" || p.FileName() == "" {
			_, _ = io.Copy(io.Discard, io.LimitReader(p, 4096))
			continue
		}
		a := &nuanxin.Attachment{Owner: "batch", OwnerID: b.ID, Kind: "scan", Name: cleanFileName(p.FileName())}
		err = s.care.AddAttachment(r.Context(), scopeOf(r), a, p)
		if errors.As(err, &mbe) {
			return tooLarge
		}
		return err
	}
}

// handlePayNotice sets the 公示 period of the batch.
func (s *Server) handlePayNotice(w http.ResponseWriter, r *http.Request) {
	b, cases, err := s.loadPayBatch(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_ = r.ParseForm()
	f := newForm(r.PostForm)
	var fe nuanxin.FieldErrors
	from := payDate(&fe, "notice_from", f.Get("notice_from"))
	to := payDate(&fe, "notice_to", f.Get("notice_to"))
	err = fe.Err()
	if err == nil {
		err = s.care.PublishNotice(r.Context(), scopeOf(r), b.ID, from, to)
	}
	if s.payPosted(w, r, f, err, "ui.flash.pay.notice", fmt.Sprintf("/care/batches/%d#notice", b.ID)) {
		return
	}
	s.payBatchPage(w, r, statusOf(nuanxin.ErrorCode(err), false), b, cases, &payBatchData{Notice: f})
}

// The printed sheets.

// paySheet builds the 签收表 of the batch of the path.
func (s *Server) paySheet(r *http.Request) (*nuanxin.CareBatch, *report.SignOffSheet, error) {
	b, cases, err := s.loadPayBatch(r)
	if err != nil {
		return nil, nil, err
	}
	labels := s.newPayLabels(r.Context(), scopeOf(r)).cases(cases)
	return b, report.SignOffFromBatch("", b, cases, labels.label), nil
}

// auditSignOff records that a 签收表 (names, departments, reasons and
// amounts of real people) left the system, as a roster export is.
func (s *Server) auditSignOff(r *http.Request, b *nuanxin.CareBatch, sheet *report.SignOffSheet, format string) error {
	after, _ := json.Marshal(map[string]any{"format": format, "title": sheet.Title, "cases": len(sheet.Rows),
		"total": sheet.Total.String()})
	return s.audit.RecordAudit(r.Context(), scopeOf(r), &nuanxin.AuditEvent{Action: "care.signoff_print",
		Entity: "care_batch", EntityID: b.ID, OrgPath: b.OrgPath, After: string(after)})
}

func (s *Server) handlePaySignoff(w http.ResponseWriter, r *http.Request) {
	b, sheet, err := s.paySheet(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := report.WriteSignOffHTML(&buf, sheet); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.auditSignOff(r, b, sheet, "html"); err != nil {
		s.fail(w, r, err)
		return
	}
	s.writePrintPage(w, buf.Bytes(), printLink{batchPath(b), nuanxin.T("ui.pay.print_back")}, printLink{batchPath(b) + "/signoff.pdf", nuanxin.T("ui.pay.print_pdf")})
}

func (s *Server) handlePaySignoffPDF(w http.ResponseWriter, r *http.Request) {
	b, sheet, err := s.paySheet(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	font, ok := s.payFont(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := report.WriteSignOffPDF(&buf, sheet, font); err != nil {
		s.payPDFFailed(w, r, err)
		return
	}
	if err := s.auditSignOff(r, b, sheet, "pdf"); err != nil {
		s.fail(w, r, err)
		return
	}
	writePDF(w, buf.Bytes(), sheet.Title+".pdf", "signoff.pdf")
}

// payNotice builds the 公示 of the batch of the path; a batch without a
// published period re-renders its page with the reason.
func (s *Server) payNotice(w http.ResponseWriter, r *http.Request) (*nuanxin.CareBatch, *report.Notice, bool) {
	b, cases, err := s.loadPayBatch(r)
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	if b.NoticeFrom.IsZero() || b.NoticeTo.IsZero() {
		f := newForm(nil)
		f.Summary = nuanxin.T("ui.pay.notice_unset")
		s.payBatchPage(w, r, http.StatusConflict, b, cases, &payBatchData{Notice: f})
		return nil, nil, false
	}
	contact := strings.TrimSpace(r.URL.Query().Get("contact"))
	if len([]rune(contact)) > 60 {
		contact = string([]rune(contact)[:60])
	}
	return b, report.NoticeFromBatch("", b, cases, contact), true
}

func (s *Server) handlePayNoticePrint(w http.ResponseWriter, r *http.Request) {
	b, n, ok := s.payNotice(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := report.WriteNoticeHTML(&buf, n); err != nil {
		s.fail(w, r, err)
		return
	}
	q := ""
	if n.Contact != "" {
		q = "?" + url.Values{"contact": {n.Contact}}.Encode()
	}
	s.writePrintPage(w, buf.Bytes(), printLink{batchPath(b), nuanxin.T("ui.pay.print_back")}, printLink{batchPath(b) + "/notice.pdf" + q, nuanxin.T("ui.pay.print_pdf")})
}

func (s *Server) handlePayNoticePDF(w http.ResponseWriter, r *http.Request) {
	_, n, ok := s.payNotice(w, r)
	if !ok {
		return
	}
	font, ok := s.payFont(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := report.WriteNoticePDF(&buf, n, font); err != nil {
		s.payPDFFailed(w, r, err)
		return
	}
	writePDF(w, buf.Bytes(), n.Title+".pdf", "notice.pdf")
}

// payFont is the PDF font: the configured one, else one found on the
// system. Without one the page says how to install it.
func (s *Server) payFont(w http.ResponseWriter, r *http.Request) (string, bool) {
	if s.pdfFont != "" {
		return s.pdfFont, true
	}
	font, err := report.FindCJKFont()
	if err != nil {
		// The report's message says what to install (fonts-lxgw-wenkai)
		// or which variable to set (NUANXIN_PDF_FONT).
		s.renderError(w, r, http.StatusServiceUnavailable, err.Error())
		return "", false
	}
	return font, true
}

// payPDFFailed reports a PDF that could not be drawn: the report's font
// messages are for the administrator and safe to show.
func (s *Server) payPDFFailed(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("pdf failed", "path", r.URL.Path, "err", err)
	s.renderError(w, r, http.StatusServiceUnavailable, nuanxin.T("ui.pay.pdf_failed", err.Error()))
}

// writePDF sends a PDF to open in the browser's viewer, named in Chinese.
func writePDF(w http.ResponseWriter, pdf []byte, name, fallback string) {
	name = strings.NewReplacer("/", "-", "\\", "-", "\"", "").Replace(name)
	h := w.Header()
	// The viewer of some browsers refuses to run under the pages' CSP.
	h.Del("Content-Security-Policy")
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Length", strconv.Itoa(len(pdf)))
	h.Set("Content-Disposition", fmt.Sprintf(`inline; filename="%s"; filename*=UTF-8''%s`, fallback, rfc5987(name)))
	_, _ = w.Write(pdf)
}

// styleBlock is the embedded CSS of a report page.
var styleBlock = regexp.MustCompile(`(?s)<style>(.*?)</style>`)

func batchPath(b *nuanxin.CareBatch) string { return fmt.Sprintf("/care/batches/%d", b.ID) }

// printLink is a button of a print page's toolbar.
type printLink struct{ Href, Label string }

// writePrintPage sends a standalone report page with a small toolbar on
// top (back, the links, print), hidden when printed. The page's own
// <style> is allowed by its hash: the CSP of the app forbids inline styles.
func (s *Server) writePrintPage(w http.ResponseWriter, page []byte, back printLink, links ...printLink) {
	var hashes []string
	for _, m := range styleBlock.FindAllSubmatch(page, -1) {
		sum := sha256.Sum256(m[1])
		hashes = append(hashes, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	}
	bar := `<div class="pay-printbar" role="toolbar">` +
		`<a class="pay-printbar-btn" href="` + template.HTMLEscapeString(back.Href) + `">‹ ` + template.HTMLEscapeString(back.Label) + `</a>` +
		`<span class="pay-printbar-gap"></span>`
	for _, l := range links {
		bar += `<a class="pay-printbar-btn" href="` + template.HTMLEscapeString(l.Href) + `">` + template.HTMLEscapeString(l.Label) + `</a>`
	}
	bar += `<button type="button" class="pay-printbar-btn pay-printbar-primary" data-print id="do-print">` + template.HTMLEscapeString(nuanxin.T("ui.print")) + `</button>` +
		`</div>` +
		`<link rel="stylesheet" href="/static/pay.css?v=` + s.staticVersion + `">` +
		`<script src="/static/app.js?v=` + s.staticVersion + `" defer></script>`
	out := bytes.Replace(page, []byte("<body>"), []byte("<body>\n"+bar), 1)
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self' "+strings.Join(hashes, " ")+
		"; script-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	h.Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(out)
}
