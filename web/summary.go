package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/report"
	"github.com/nuanxin/nuanxin/summary"
)

// 工作总结: GET /reports lists the saved summaries with the form that
// writes a new one from the records; GET /reports/{id} is the editor, one
// text box per paragraph; the exports are .docx (公文 style), a print page
// whose figures link to the lists behind them, and Markdown.

type reportsData struct {
	List  []*nuanxin.Summary
	Total int
	Form  *form
	Orgs  []option
	Years []int
	// Campaigns are the campaigns a summary may be of.
	Campaigns []option
	CanWrite  bool
}

func (s *Server) handleReports(w http.ResponseWriter, r *http.Request) {
	s.reportsPage(w, r, http.StatusOK, nil)
}

func (s *Server) reportsPage(w http.ResponseWriter, r *http.Request, status int, f *form) {
	sc, ctx := scopeOf(r), r.Context()
	list, total, err := s.summaries.FindSummaries(ctx, sc, nuanxin.SummaryFilter{Limit: 100})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &reportsData{List: list, Total: total, CanWrite: sc.CanAny(nuanxin.PermReportWrite)}
	if d.CanWrite {
		orgs, err := s.polOrgs(ctx, sc, nuanxin.PermReportWrite)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, o := range orgs {
			d.Orgs = append(d.Orgs, option{strconv.FormatInt(o.ID, 10), o.Name})
		}
		if cs, err := s.campaigns.FindCampaigns(ctx, sc, 0); err == nil {
			for _, c := range cs {
				if c.Status != nuanxin.CampaignDraft {
					d.Campaigns = append(d.Campaigns, option{strconv.FormatInt(c.ID, 10), c.Name})
				}
			}
		} else {
			s.logIfInternal(r, err)
		}
		today := s.today()
		for y := today.Year; y >= today.Year-5; y-- {
			d.Years = append(d.Years, y)
		}
		if f == nil {
			// December and January write last year's summary by default.
			y := today.Year
			if today.Month == 1 {
				y--
			}
			f = newForm(url.Values{"year": {strconv.Itoa(y)}, "span": {"year"}})
			f.Once = newToken()
			if len(d.Orgs) > 0 {
				f.V.Set("org", d.Orgs[0].Value)
			}
		}
		d.Form = f
	}
	s.page(w, r, status, "reports", nuanxin.T("ui.report.title"), "reports", d)
}

// handleReportCreate writes a summary from the records and opens it in
// the editor.
func (s *Server) handleReportCreate(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	sc, ctx := scopeOf(r), r.Context()
	v := r.PostForm
	req, fe := parseSummaryRequest(v)
	req.Today = s.today()
	f := newForm(v)
	f.Once = v.Get("_once")
	if len(fe) > 0 {
		f.E = fe
		f.Summary = nuanxin.T("ui.form.fix_errors", len(fe))
		s.reportsPage(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	// A double click writes one summary: the second lands where the
	// first did.
	err := s.onceDo(w, r, func() (string, error) {
		g := &summary.Generator{Stats: s.stats, Orgs: s.orgs, Campaigns: s.campaigns}
		sum, err := g.Generate(ctx, sc, req)
		if err == nil {
			err = s.summaries.CreateSummary(ctx, sc, sum)
		}
		if err != nil {
			return "", err
		}
		s.setFlash(w, "ui.flash.report.created")
		return fmt.Sprintf("/reports/%d", sum.ID), nil
	})
	if err != nil {
		if nuanxin.ErrorCode(err) == nuanxin.EINVALID {
			f.E = append(f.E, nuanxin.AsFieldErrors(err)...)
			f.Summary = nuanxin.ErrorMessage(err)
			s.reportsPage(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		s.fail(w, r, err)
	}
}

// parseSummaryRequest reads the form: an org, then a year (全年, 上半年,
// 下半年), a span of dates, or a campaign.
func parseSummaryRequest(v url.Values) (summary.Request, nuanxin.FieldErrors) {
	var req summary.Request
	var fe nuanxin.FieldErrors
	req.Theme = strings.TrimSpace(v.Get("theme"))
	if len([]rune(req.Theme)) > 40 {
		fe.Add("theme", "err.too_long", 40)
	}
	if req.OrgID = formInt(v.Get("org")); req.OrgID <= 0 {
		fe.Add("org", "summary.org")
	}
	year, _ := strconv.Atoi(v.Get("year"))
	switch v.Get("span") {
	case "year", "h1", "h2":
		if year < 2000 || year > 2100 {
			fe.Add("year", "period.invalid", v.Get("year"))
			break
		}
		req.Period = nuanxin.YearPeriod(year)
		if sp := v.Get("span"); sp != "year" {
			req.Period = nuanxin.HalfPeriod(year, int(sp[1]-'0'))
		}
	case "custom":
		from, err1 := nuanxin.ParseDate(strings.TrimSpace(v.Get("from")))
		to, err2 := nuanxin.ParseDate(strings.TrimSpace(v.Get("to")))
		req.Period = nuanxin.Period{From: from, To: to}
		if err1 != nil || err2 != nil || !req.Period.Valid() {
			fe.Add("from", "period.invalid", v.Get("from")+"~"+v.Get("to"))
		}
	case "campaign":
		if req.CampaignID = formInt(v.Get("campaign")); req.CampaignID <= 0 {
			fe.Add("campaign", "ui.report.campaign_required")
		}
	default:
		fe.Add("span", "err.bad_request")
	}
	return req, fe
}

type reportData struct {
	Sum      *nuanxin.Summary
	Blocks   []reportBlock
	CanWrite bool
	Form     *form
}

// reportBlock is one text box of the editor: the block's text, its kind,
// and its runs (hidden) so the figures keep their links when the text
// around them changes.
type reportBlock struct {
	Kind nuanxin.BlockKind
	Text string
	Runs string // JSON
	Figs int    // figures in the block
}

func (s *Server) loadSummary(w http.ResponseWriter, r *http.Request) (*nuanxin.Summary, bool) {
	id, err := pathID(r, "id")
	if err == nil {
		var sum *nuanxin.Summary
		if sum, err = s.summaries.FindSummary(r.Context(), scopeOf(r), id); err == nil {
			return sum, true
		}
	}
	s.fail(w, r, err)
	return nil, false
}

func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
	sum, ok := s.loadSummary(w, r)
	if !ok {
		return
	}
	s.reportPage(w, r, http.StatusOK, sum, nil)
}

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request, status int, sum *nuanxin.Summary, f *form) {
	d := &reportData{Sum: sum, CanWrite: scopeOf(r).Can(nuanxin.PermReportWrite, sum.OrgPath), Form: f}
	for _, b := range sum.Blocks {
		figs := 0
		for _, run := range b.Runs {
			if run.Href != "" {
				figs++
			}
		}
		runsJSON, _ := json.Marshal(b.Runs)
		d.Blocks = append(d.Blocks, reportBlock{Kind: b.Kind, Text: b.Text(), Runs: string(runsJSON), Figs: figs})
	}
	if d.Form == nil {
		d.Form = newForm(url.Values{"title": {sum.Title}, "author": {sum.Author}, "date": {sum.Date.String()}})
	}
	s.page(w, r, status, "report", sum.Title, "reports", d)
}

// handleReportSave saves the edited title, 落款 and paragraphs. A box
// whose text now has blank lines becomes several paragraphs; an emptied
// box is dropped; figures whose text is still there keep their links.
func (s *Server) handleReportSave(w http.ResponseWriter, r *http.Request) {
	sum, ok := s.loadSummary(w, r)
	if !ok {
		return
	}
	_ = r.ParseForm()
	v := r.PostForm
	ver, _ := strconv.Atoi(v.Get("version"))
	sum.Version = ver
	sum.Title, sum.Author = v.Get("title"), v.Get("author")
	f := newForm(v)
	if raw := strings.TrimSpace(v.Get("date")); raw != "" {
		d, err := nuanxin.ParseDate(raw)
		if err != nil {
			f.E = append(f.E, fieldErr("date", err))
		}
		sum.Date = d
	} else {
		sum.Date = nuanxin.Date{}
	}
	texts, kinds, runs := v["text"], v["kind"], v["runs"]
	if len(kinds) != len(texts) || len(runs) != len(texts) {
		s.fail(w, r, nuanxin.Invalid("", "err.bad_request"))
		return
	}
	var blocks []nuanxin.SummaryBlock
	for i, text := range texts {
		var old []nuanxin.Run
		_ = json.Unmarshal([]byte(runs[i]), &old) // a tampered field only loses links
		blocks = append(blocks, relink(nuanxin.BlockKind(kinds[i]), text, old)...)
	}
	sum.Blocks = blocks
	var err error
	if len(f.E) == 0 {
		err = s.summaries.UpdateSummary(r.Context(), scopeOf(r), sum)
	}
	if len(f.E) > 0 || err != nil {
		switch nuanxin.ErrorCode(err) {
		case "", nuanxin.EINVALID, nuanxin.ECONFLICT:
			if err != nil {
				f.E = append(f.E, nuanxin.AsFieldErrors(err)...)
				f.Summary = nuanxin.ErrorMessage(err)
			} else {
				f.Summary = nuanxin.T("ui.form.fix_errors", len(f.E))
			}
			s.reportPage(w, r, http.StatusUnprocessableEntity, sum, f)
		default:
			s.fail(w, r, err)
		}
		return
	}
	s.setFlash(w, "ui.flash.report.saved")
	redirect(w, r, fmt.Sprintf("/reports/%d", sum.ID))
}

// relink turns an edited text box back into blocks: one per paragraph
// (split at line breaks; a heading stays one block), with the old figures
// found again, in order, in the new text.
func relink(kind nuanxin.BlockKind, text string, old []nuanxin.Run) []nuanxin.SummaryBlock {
	switch kind {
	case nuanxin.BlockHeading, nuanxin.BlockSubheading, nuanxin.BlockParagraph:
	default:
		kind = nuanxin.BlockParagraph
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var lines []string
	if kind == nuanxin.BlockParagraph {
		for _, l := range strings.Split(text, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
	} else if t := strings.TrimSpace(strings.ReplaceAll(text, "\n", "")); t != "" {
		lines = []string{t}
	}
	var figs []nuanxin.Run
	for _, r := range old {
		if r.Href != "" && r.Text != "" {
			figs = append(figs, r)
		}
	}
	var out []nuanxin.SummaryBlock
	for li, l := range lines {
		var runs []nuanxin.Run
		for len(figs) > 0 {
			i := strings.Index(l, figs[0].Text)
			if i < 0 {
				// Not in this paragraph: look for it in the next one, unless
				// no later paragraph has it either (then it was deleted).
				if !laterHas(lines[li+1:], figs[0].Text) {
					figs = figs[1:]
					continue
				}
				break
			}
			if i > 0 {
				runs = append(runs, nuanxin.Plain(l[:i]))
			}
			runs = append(runs, figs[0])
			l = l[i+len(figs[0].Text):]
			figs = figs[1:]
		}
		if l != "" {
			runs = append(runs, nuanxin.Plain(l))
		}
		out = append(out, nuanxin.SummaryBlock{Kind: kind, Runs: runs})
	}
	return out
}

// laterHas reports whether one of lines contains s.
func laterHas(lines []string, s string) bool {
	for _, l := range lines {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

func (s *Server) handleReportDelete(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		err = s.summaries.DeleteSummary(r.Context(), scopeOf(r), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "ui.flash.report.deleted")
	redirect(w, r, "/reports")
}

func (s *Server) handleReportDocx(w http.ResponseWriter, r *http.Request) {
	s.exportSummary(w, r, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", report.WriteSummaryDOCX)
}

func (s *Server) handleReportMarkdown(w http.ResponseWriter, r *http.Request) {
	s.exportSummary(w, r, "text/markdown; charset=utf-8", ".md", func(w io.Writer, sum *nuanxin.Summary) error {
		return report.WriteSummaryMarkdown(w, sum, "")
	})
}

// exportSummary sends a saved summary as a file named after its title.
func (s *Server) exportSummary(w http.ResponseWriter, r *http.Request, contentType, ext string, write func(io.Writer, *nuanxin.Summary) error) {
	sum, ok := s.loadSummary(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := write(&buf, sum); err != nil {
		s.fail(w, r, err)
		return
	}
	download(w, buf.Bytes(), contentType, sum.Title+ext, "summary"+ext)
}

// handleReportPrint is the print page: 公文 layout, each figure a link to
// the list behind it (plain text when printed).
func (s *Server) handleReportPrint(w http.ResponseWriter, r *http.Request) {
	sum, ok := s.loadSummary(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := report.WriteSummaryHTML(&buf, sum, report.SummaryHTMLOptions{Links: true}); err != nil {
		s.fail(w, r, err)
		return
	}
	back := fmt.Sprintf("/reports/%d", sum.ID)
	s.writePrintPage(w, buf.Bytes(), printLink{back, nuanxin.T("ui.report.print_back")}, printLink{back + "/summary.docx", nuanxin.T("ui.report.docx")})
}

// download sends a file as an attachment named in Chinese.
func download(w http.ResponseWriter, body []byte, contentType, name, fallback string) {
	name = strings.NewReplacer("/", "-", "\\", "-", "\"", "").Replace(name)
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, fallback, rfc5987(name)))
	_, _ = w.Write(body)
}
