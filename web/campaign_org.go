package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/report"
	"github.com/nuanxin/nuanxin/roster"
)

// 受慰问单位 of a campaign (端午 for each of 43 communities: goods plus
// cash each): the card on the campaign page, adding several at once,
// recording what happened at each, and their 签收表. And the 公示 of a
// campaign: its delivered people (masked) and organisations.

const (
	// campaignOrgLines bounds one pasted list of organisations.
	campaignOrgLines = 500
	// campaignNoticeDays is the default 公示期: today and six more days.
	campaignNoticeDays = 6
)

func init() {
	nuanxin.RegisterMessages(map[string]string{
		"ui.campaign.orgs":                 "受慰问单位",
		"ui.campaign.orgs_none":            "还没有受慰问单位。社区、敬老院等单位慰问可在这里批量添加，与个人名单共用预算。",
		"ui.campaign.orgs_count":           "共%d个单位，已送达%d个，待处理%d个，已送达价值合计%s元",
		"ui.campaign.orgs_add":             "添加受慰问单位",
		"ui.campaign.orgs_add_help":        "每行一个单位：只写名称时使用下面的默认标准；也可写“名称 现金 物品价值”（或再加联系人），用空格或逗号分隔，金额单位为元。",
		"ui.campaign.orgs_add_btn":         "添加",
		"ui.campaign.orgs_deliver":         "登记发放结果",
		"ui.campaign.orgs_deliver_btn":     "登记结果",
		"ui.campaign.orgs_signoff":         "单位签收表",
		"ui.campaign.org.f.lines":          "单位名单",
		"ui.campaign.org.f.lines_ph":       "东湖社区\n西岭社区 3000 4000\n南山社区，3000，4000，王主任 0571-88886666",
		"ui.campaign.org.f.org_id":         "负责分工会",
		"ui.campaign.org.f.cash":           "默认慰问金（元）",
		"ui.campaign.org.f.goods":          "物品",
		"ui.campaign.org.f.goods_ph":       "如：粽子、食用油",
		"ui.campaign.org.f.goods_value":    "默认物品价值（元）",
		"ui.campaign.org.f.on":             "发放日期",
		"ui.campaign.org.col.name":         "单位名称及联系人",
		"ui.campaign.org.col.org":          "负责分工会",
		"ui.campaign.org.col.contact":      "联系人",
		"ui.campaign.org.col.cash":         "慰问金（元）",
		"ui.campaign.org.col.goods":        "物品（价值）",
		"ui.campaign.org.col.value_of":     "价值%s元",
		"ui.campaign.org.col.outcome":      "结果",
		"ui.campaign.org.col.date":         "日期",
		"ui.campaign.org.col.action":       "本次登记",
		"ui.campaign.org.col.note":         "备注",
		"ui.campaign.org.pending":          "待发放",
		"ui.campaign.org.out.none":         "暂不处理",
		"ui.campaign.org.out.removed":      "移出名单",
		"ui.campaign.org.outcome.removed":  "已移出",
		"ui.campaign.org.note_ph":          "可不填",
		"ui.campaign.org.bad_line":         "第%d行“%s”：%s",
		"ui.campaign.org.bad_fields":       "应为“名称”或“名称 现金 物品价值 [联系人]”",
		"ui.campaign.org.lines_empty":      "请至少填写一个单位",
		"ui.campaign.org.lines_too_many":   "一次最多添加%d个单位",
		"ui.campaign.org.lines_failed":     "有%d行无法识别，未添加任何单位，请修改后重新提交",
		"ui.campaign.org.nothing_chosen":   "请至少为一个单位选择发放结果",
		"ui.campaign.org.deliver_failed":   "未登记：%s",
		"ui.campaign.org.not_approved":     "名单审批后才能登记单位的发放结果。",
		"ui.campaign.org.item_cash":        "慰问金%s元",
		"ui.campaign.org.item_goods":       "%s（价值%s元）",
		"ui.campaign.org.item_goods_plain": "物品",
		"ui.campaign.org.sheet_title":      "%s受慰问单位签收表",
		"ui.campaign.notice":               "公示",
		"ui.campaign.notice_from":          "公示期",
		"ui.campaign.notice_to":            "至",
		"ui.campaign.notice_contact":       "异议受理",
		"ui.campaign.notice_apply":         "更新",
		"ui.flash.campaign.orgs_added":     "受慰问单位已添加",
		"ui.flash.campaign.orgs_delivered": "单位发放结果已登记",
	})
}

// campaignOrgForms are the organisation forms of a campaign page as typed,
// when a POST of one of them is answered with the page.
type campaignOrgForms struct {
	Add     *form
	Deliver *form
	Lines   []string // the add form's unreadable lines
}

// campaignOrgsCard is the card's data.
type campaignOrgsCard struct {
	C          *nuanxin.Campaign
	Rows       []*nuanxin.OrgRecipient
	Orgs       []option
	Add        *form
	Deliver    *form
	BadLines   []string
	CanWrite   bool
	CanPay     bool
	Approved   bool
	Pending    int
	Delivered  int
	DeliverSum nuanxin.Money
	Outcomes   []option
}

// OutcomeLabel names a recorded outcome.
func (d *campaignOrgsCard) OutcomeLabel(o nuanxin.DeliveryOutcome) string {
	switch o {
	case "":
		return nuanxin.T("ui.campaign.org.pending")
	case nuanxin.RemovedOutcome:
		return nuanxin.T("ui.campaign.org.outcome.removed")
	}
	return o.Label()
}

// Yuan is an amount without its zero fen: 4,000.
func (d *campaignOrgsCard) Yuan(m nuanxin.Money) string { return yuan(m) }

// OutcomeTag colours a recorded outcome.
func (d *campaignOrgsCard) OutcomeTag(o nuanxin.DeliveryOutcome) string {
	switch o {
	case nuanxin.Delivered:
		return "tag-green"
	case "":
		return "tag-orange"
	case nuanxin.RemovedOutcome:
		return "tag-grey"
	}
	return "tag-red"
}

// renderCampaignOrgs renders the organisations card of a campaign page
// held in full into d.OrgsCard (its own template file, campaign_orgs.html).
func (s *Server) renderCampaignOrgs(r *http.Request, d *campaignData) error {
	sc, ctx := scopeOf(r), r.Context()
	c := d.C
	rows, err := s.campaigns.FindOrgRecipients(ctx, sc, c.ID)
	if err != nil {
		return err
	}
	card := &campaignOrgsCard{C: c, Rows: rows, Approved: c.Status == nuanxin.CampaignApproved,
		CanWrite: d.CanWrite, CanPay: c.Status == nuanxin.CampaignApproved && sc.CanAny(nuanxin.PermCarePay)}
	for _, x := range rows {
		switch x.Outcome {
		case "":
			card.Pending++
		case nuanxin.Delivered:
			card.Delivered++
			card.DeliverSum += x.Value()
		}
	}
	if f := d.OrgForms; f != nil {
		card.Add, card.Deliver, card.BadLines = f.Add, f.Deliver, f.Lines
	}
	if card.Add == nil {
		card.Add = newForm(url.Values{"org_id": {id64s(c.OrgID)}})
	}
	if card.Deliver == nil {
		card.Deliver = newForm(url.Values{"on": {s.today().String()}})
	}
	orgs, err := s.orgs.FindOrgs(ctx, sc, nuanxin.OrgFilter{RootID: c.OrgID})
	if err != nil && nuanxin.ErrorCode(err) != nuanxin.ENOTFOUND {
		return err
	}
	var open []*nuanxin.Org
	for _, o := range orgs {
		if !o.Closed {
			open = append(open, o)
		}
		// The summary's lines count organisations with the people: the
		// roster card of a suborg counts people only.
		if o.ID == d.Org {
			for _, x := range rows {
				if x.Outcome != "" && x.Outcome != nuanxin.Delivered {
					continue
				}
				if x.OrgID == o.ID || (o.ID != c.OrgID && strings.HasPrefix(x.OrgPath, o.Path)) {
					d.RosterTotal--
				}
			}
			d.RosterTotal = max(d.RosterTotal, 0)
		}
	}
	if card.CanWrite {
		card.Orgs = orgOptions(open)
	}
	if card.CanPay {
		card.Outcomes = []option{{"", nuanxin.T("ui.campaign.org.out.none")},
			{string(nuanxin.Delivered), nuanxin.Delivered.Label()}, {string(nuanxin.Refused), nuanxin.Refused.Label()},
			{string(nuanxin.Unreachable), nuanxin.Unreachable.Label()}}
		if sc.Can(nuanxin.PermCareWrite, c.OrgPath) {
			card.Outcomes = append(card.Outcomes, option{string(nuanxin.RemovedOutcome), nuanxin.T("ui.campaign.org.out.removed")})
		}
	}
	t, ok := s.tmpl["campaign_orgs"]
	if !ok {
		return fmt.Errorf("no template campaign_orgs")
	}
	v := &view{D: card, Scope: sc}
	if sess := sessionOf(r); sess != nil {
		v.CSRF = sess.CSRFToken
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "campaign_orgs_card", v); err != nil {
		return err
	}
	d.OrgsCard = template.HTML(buf.String())
	return nil
}

// orgLineSep splits a pasted line: spaces, tabs, commas (both widths).
func orgLineSep(r rune) bool {
	switch r {
	case ' ', '\t', ',', '，', '\u3000', ';', '；':
		return true
	}
	return false
}

// parseOrgLines reads the add form: the defaults for every line, then the
// lines. bad lists what cannot be read, by line number as typed.
func parseOrgLines(v *form) (rs []*nuanxin.OrgRecipient, fe nuanxin.FieldErrors, bad []string) {
	amount := func(field string) nuanxin.Money {
		x := strings.TrimSpace(v.Get(field))
		if x == "" {
			return 0
		}
		m, err := roster.ParseAmount(x)
		if err != nil {
			fe = append(fe, fieldErr(field, err))
		}
		return m
	}
	cash, goodsValue := amount("cash"), amount("goods_value")
	goods := strings.TrimSpace(v.Get("goods"))
	org := formInt(v.Get("org_id"))
	lines := campaignLines(v.Get("lines"))
	switch {
	case len(lines) == 0:
		fe.Add("lines", "ui.campaign.org.lines_empty")
		return nil, fe, nil
	case len(lines) > campaignOrgLines:
		fe.Add("lines", "ui.campaign.org.lines_too_many", campaignOrgLines)
		return nil, fe, nil
	}
	for _, l := range lines {
		parts := strings.FieldsFunc(l.Text, orgLineSep)
		r := &nuanxin.OrgRecipient{OrgID: org, Name: parts[0], Cash: cash, Goods: goods, GoodsValue: goodsValue}
		why := ""
		switch {
		case len(parts) == 1:
		case len(parts) >= 3 && len(parts) <= 4:
			c, err1 := roster.ParseAmount(parts[1])
			g, err2 := roster.ParseAmount(parts[2])
			switch {
			case err1 != nil:
				why = userMessage(err1)
			case err2 != nil:
				why = userMessage(err2)
			default:
				r.Cash, r.GoodsValue = c, g
			}
			if len(parts) == 4 {
				r.Contact = parts[3]
			}
		default:
			why = nuanxin.T("ui.campaign.org.bad_fields")
		}
		if why == "" {
			switch {
			case utf8.RuneCountInString(r.Name) > 60:
				why = nuanxin.T("campaign.org_name")
			case r.Value() <= 0:
				why = nuanxin.T("campaign.standard")
			case r.GoodsValue > 0 && r.Goods == "":
				why = nuanxin.T("care.goods.required")
			}
		}
		if why != "" {
			bad = append(bad, nuanxin.T("ui.campaign.org.bad_line", l.N, l.Text, why))
			continue
		}
		rs = append(rs, r)
	}
	return rs, fe, bad
}

func (s *Server) handleCampaignOrgsAdd(w http.ResponseWriter, r *http.Request) {
	s.campaignAction(w, r, func(c *nuanxin.Campaign, d *campaignData) (string, error) {
		f := newForm(r.PostForm)
		d.OrgForms = &campaignOrgForms{Add: f}
		rs, fe, bad := parseOrgLines(f)
		if len(bad) > 0 {
			d.OrgForms.Lines = bad
			fe.Add("lines", "ui.campaign.org.lines_failed", len(bad))
		}
		if err := fe.Err(); err != nil {
			f.setErr(err)
			return "", err
		}
		if err := s.campaigns.AddOrgRecipients(r.Context(), scopeOf(r), c.ID, rs); err != nil {
			f.setErr(err)
			if f.Summary == "" || len(f.E) > 0 {
				f.Summary = userMessage(err)
			}
			return "", err
		}
		return "ui.flash.campaign.orgs_added", nil
	})
}

func (s *Server) handleCampaignOrgsDeliver(w http.ResponseWriter, r *http.Request) {
	s.campaignAction(w, r, func(c *nuanxin.Campaign, d *campaignData) (string, error) {
		f := newForm(r.PostForm)
		d.OrgForms = &campaignOrgForms{Deliver: f}
		var fe nuanxin.FieldErrors
		on := payDate(&fe, "on", f.Get("on"))
		var ds []nuanxin.OrgDelivery
		for _, x := range payIDs(r.PostForm["rec"]) {
			out := nuanxin.DeliveryOutcome(f.Get("out_" + id64s(x)))
			if out == "" {
				continue
			}
			ds = append(ds, nuanxin.OrgDelivery{ID: x, Outcome: out, Notes: f.Get("note_" + id64s(x))})
		}
		if len(ds) == 0 {
			fe.Add("", "ui.campaign.org.nothing_chosen")
		}
		err := fe.Err()
		if err == nil {
			err = s.campaigns.DeliverToOrgs(r.Context(), scopeOf(r), c.ID, on, ds)
		}
		if err != nil {
			if nuanxin.ErrorCode(err) == nuanxin.ENOTFOUND {
				err = nuanxin.Errorf(nuanxin.EINVALID, "ui.campaign.deliver_outside")
			}
			f.setErr(err)
			var msgs []string
			for _, e := range nuanxin.AsFieldErrors(err) {
				msgs = append(msgs, e.Error())
			}
			if len(msgs) == 0 {
				msgs = []string{userMessage(err)}
			}
			f.Summary = nuanxin.T("ui.campaign.org.deliver_failed", strings.Join(msgs, "；"))
			return "", err
		}
		return "ui.flash.campaign.orgs_delivered", nil
	})
}

// orgItem is what an organisation gets, for the 签收表: 慰问金3,000元；
// 粽子、食用油（价值4,000元）.
func orgItem(x *nuanxin.OrgRecipient) string {
	var parts []string
	if x.Cash > 0 {
		parts = append(parts, nuanxin.T("ui.campaign.org.item_cash", yuan(x.Cash)))
	}
	if x.GoodsValue > 0 {
		g := x.Goods
		if g == "" {
			g = nuanxin.T("ui.campaign.org.item_goods_plain")
		}
		parts = append(parts, nuanxin.T("ui.campaign.org.item_goods", g, yuan(x.GoodsValue)))
	}
	return strings.Join(parts, "；")
}

// loadFullCampaign is the campaign of the path, held in full (its own
// org's officers): the organisations and the whole roster are theirs.
func (s *Server) loadFullCampaign(r *http.Request) (*nuanxin.Campaign, error) {
	c, full, err := s.loadCampaign(r)
	if err == nil && !full {
		err = nuanxin.NotFound("what.campaign")
	}
	return c, err
}

func (s *Server) handleCampaignOrgsSignoff(w http.ResponseWriter, r *http.Request) {
	c, err := s.loadFullCampaign(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows, err := s.campaigns.FindOrgRecipients(r.Context(), scopeOf(r), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sheet := &report.SignOffSheet{OrgName: c.OrgName, Title: nuanxin.T("ui.campaign.org.sheet_title", c.Name), Head: payHeadLabel(c.Head)}
	for _, x := range rows {
		if x.Outcome == nuanxin.RemovedOutcome {
			continue
		}
		row := report.SignOffRow{No: len(sheet.Rows) + 1, Name: x.Name, Department: x.Contact, Reason: c.Name,
			Item: orgItem(x), Amount: x.Value()}
		if x.Outcome == nuanxin.Delivered {
			row.SignedOn = x.DeliveredOn
		}
		sheet.Rows = append(sheet.Rows, row)
		sheet.Total += x.Value()
	}
	page, done := s.campaignSheetOut(w, r, c, sheet, "orgs", sheet.Title+".pdf")
	if done {
		return
	}
	base := fmt.Sprintf("/campaigns/%d", c.ID)
	s.writeReportPage(w, page, base+"#orgs", base+"/orgs/signoff?format=pdf", "")
}

// campaignNoticePeriod reads ?from=&to= (default today and six days on);
// what cannot be read, or a period ending before it starts, falls back.
func (s *Server) campaignNoticePeriod(q url.Values) (from, to nuanxin.Date) {
	from, to = s.today(), s.today().AddDays(campaignNoticeDays)
	f, err1 := nuanxin.ParseDate(strings.TrimSpace(q.Get("from")))
	t, err2 := nuanxin.ParseDate(strings.TrimSpace(q.Get("to")))
	if err1 == nil && !f.IsZero() {
		from = f
		if err2 != nil || t.IsZero() {
			to = f.AddDays(campaignNoticeDays)
		}
	}
	if err2 == nil && !t.IsZero() && !t.Before(from) {
		to = t
	}
	if to.Before(from) {
		to = from.AddDays(campaignNoticeDays)
	}
	return from, to
}

// campaignNotice is the 公示 of a campaign: the people paid (names masked,
// categories generic, as report.NoticeFromBatch makes them) and the
// organisations delivered to (by name: they are not people).
func (s *Server) campaignNotice(r *http.Request) (*nuanxin.Campaign, *report.Notice, url.Values, error) {
	sc, ctx := scopeOf(r), r.Context()
	c, err := s.loadFullCampaign(r)
	if err != nil {
		return nil, nil, nil, err
	}
	q := r.URL.Query()
	from, to := s.campaignNoticePeriod(q)
	contact := strings.TrimSpace(q.Get("contact"))
	if utf8.RuneCountInString(contact) > 60 {
		contact = string([]rune(contact)[:60])
	}
	var cases []*nuanxin.CareCase
	err = s.campaigns.CampaignRoster(ctx, sc, c.ID, 0, func(cc *nuanxin.CareCase) error {
		if cc.Status != nuanxin.CarePaid && cc.Status != nuanxin.CareSigned {
			return nil
		}
		if len(cases) == campaignSheetMax {
			return nuanxin.Errorf(nuanxin.EINVALID, "ui.campaign.sheet_too_big", campaignSheetMax)
		}
		cases = append(cases, cc)
		return nil
	})
	if err != nil {
		return nil, nil, nil, err
	}
	orgs, err := s.campaigns.FindOrgRecipients(ctx, sc, c.ID)
	if err != nil {
		return nil, nil, nil, err
	}
	b := &nuanxin.CareBatch{OrgName: c.OrgName, Title: c.Name, PaidOn: c.To, NoticeFrom: from, NoticeTo: to}
	n := report.NoticeFromBatch(c.OrgName, b, cases, contact)
	// The category of the campaign as the notice names it (节日慰问, 慰问…),
	// by the same mapping as its people.
	cat := report.NoticeFromBatch("", b, []*nuanxin.CareCase{{Category: c.Kind.CareCategory(), Form: nuanxin.FormCash}}, "").Rows[0].Category
	for _, x := range orgs {
		if x.Outcome != nuanxin.Delivered {
			continue
		}
		var item []string
		if x.Cash > 0 {
			item = append(item, nuanxin.T("report.notice.form.cash"))
		}
		if x.GoodsValue > 0 {
			item = append(item, nuanxin.T("report.notice.form.goods"))
		}
		n.Rows = append(n.Rows, report.NoticeRow{No: len(n.Rows) + 1, Name: x.Name, Department: x.OrgName, Category: cat,
			Item: strings.Join(item, "、"), Amount: x.Value()})
		n.Total += x.Value()
	}
	keep := url.Values{"from": {from.String()}, "to": {to.String()}}
	if contact != "" {
		keep.Set("contact", contact)
	}
	return c, n, keep, nil
}

func (s *Server) handleCampaignNotice(w http.ResponseWriter, r *http.Request) {
	c, n, keep, err := s.campaignNotice(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if r.URL.Query().Get("format") == "pdf" {
		font, ok := s.payFont(w, r)
		if !ok {
			return
		}
		if err := report.WriteNoticePDF(&buf, n, font); err != nil {
			s.payPDFFailed(w, r, err)
			return
		}
		writePDF(w, buf.Bytes(), n.Title+".pdf", "notice.pdf")
		return
	}
	if err := report.WriteNoticeHTML(&buf, n); err != nil {
		s.fail(w, r, err)
		return
	}
	base := fmt.Sprintf("/campaigns/%d", c.ID)
	esc := template.HTMLEscapeString
	// The period is set on the page itself before printing.
	period := `<form method="get" action="` + esc(base+"/notice") + `" class="pay-printbar-form">` +
		`<label for="notice-from">` + esc(nuanxin.T("ui.campaign.notice_from")) + `</label> ` +
		`<input type="date" id="notice-from" name="from" value="` + esc(keep.Get("from")) + `"> ` +
		`<label for="notice-to">` + esc(nuanxin.T("ui.campaign.notice_to")) + `</label> ` +
		`<input type="date" id="notice-to" name="to" value="` + esc(keep.Get("to")) + `"> ` +
		`<label for="notice-contact">` + esc(nuanxin.T("ui.campaign.notice_contact")) + `</label> ` +
		`<input id="notice-contact" name="contact" maxlength="60" value="` + esc(keep.Get("contact")) + `"> ` +
		`<button type="submit" class="pay-printbar-btn" id="notice-apply">` + esc(nuanxin.T("ui.campaign.notice_apply")) + `</button>` +
		`</form>`
	pdf := url.Values{"format": {"pdf"}}
	for k, v := range keep {
		pdf[k] = v
	}
	s.writeReportPage(w, buf.Bytes(), base, base+"/notice?"+pdf.Encode(), period)
}

// writeReportPage is writePrintPage of care_pay.go for a campaign's
// report: back, extra controls, PDF, print; the page's <style> allowed by
// its hash. A page with a form (the notice's period) may submit it here.
func (s *Server) writeReportPage(w http.ResponseWriter, page []byte, back, pdf, extra string) {
	var hashes []string
	for _, m := range styleBlock.FindAllSubmatch(page, -1) {
		sum := sha256.Sum256(m[1])
		hashes = append(hashes, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	}
	esc := template.HTMLEscapeString
	bar := `<div class="pay-printbar" role="toolbar">` +
		`<a class="pay-printbar-btn" href="` + esc(back) + `">‹ ` + esc(nuanxin.T("ui.campaign.print_back")) + `</a>` +
		extra +
		`<span class="pay-printbar-gap"></span>` +
		`<a class="pay-printbar-btn" href="` + esc(pdf) + `">` + esc(nuanxin.T("ui.pay.print_pdf")) + `</a>` +
		`<button type="button" class="pay-printbar-btn pay-printbar-primary" data-print id="do-print">` + esc(nuanxin.T("ui.print")) + `</button>` +
		`</div>` +
		`<link rel="stylesheet" href="/static/pay.css?v=` + s.staticVersion + `">` +
		`<script src="/static/app.js?v=` + s.staticVersion + `" defer></script>`
	out := bytes.Replace(page, []byte("<body>"), []byte("<body>\n"+bar), 1)
	formAction := "'none'"
	if extra != "" {
		formAction = "'self'"
	}
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self' "+strings.Join(hashes, " ")+
		"; script-src 'self'; img-src 'self' data:; base-uri 'none'; form-action "+formAction+"; frame-ancestors 'none'")
	h.Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(out)
}
