package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/summary"
)

// The statistics page (统计) and the filter it shares with the 工作台: an
// org of the caller's scope and a period. Every figure comes from one
// function of nuanxin.StatsService, called once per page, so the 工作台,
// this page, its workbook and the 工作总结 can never disagree; every figure
// links to the list behind it through the summary package's links.

// choice is one option of a chooser.
type choice struct {
	Value, Label string
	Selected     bool
}

// choiceGroup is an <optgroup> of the period chooser.
type choiceGroup struct {
	Label string
	Opts  []choice
}

// statsQuery is the filter as the officer chose it, with what the
// choosers offer.
type statsQuery struct {
	F       nuanxin.StatsFilter
	Periods []choiceGroup
	// Orgs is the org chooser: nil when the scope holds a single org.
	Orgs []choice
	// Org is the chosen org (nil: the whole scope); Top is the one org the
	// whole scope is (nil when it spans several trees).
	Org, Top  *nuanxin.Org
	Campaigns []choice // the statistics page's campaign chooser
	Campaign  string   // the chosen campaign's name
	Err       string   // a period or campaign that could not be used
}

// OrgName names the subtree of the figures: the chosen org, the scope's
// one org, or 全部单位.
func (q *statsQuery) OrgName() string {
	switch {
	case q.Org != nil:
		return q.Org.Name
	case q.Top != nil:
		return q.Top.Name
	}
	return nuanxin.T("ui.stats.org_all")
}

// RootID is the org the figures are of (0 when the scope spans several
// trees): a coverage or pivot line with this id is the root's own.
func (q *statsQuery) RootID() int64 {
	switch {
	case q.Org != nil:
		return q.Org.ID
	case q.Top != nil:
		return q.Top.ID
	}
	return 0
}

// PeriodLabel is 2026年, 2026年上半年 ….
func (q *statsQuery) PeriodLabel() string { return q.F.Period.Label() }

// statsOrgCap bounds the org chooser; deeper orgs are reached through the
// coverage ranking and the pivot's rows (each links one level down).
const (
	statsOrgCap   = 400
	statsOrgDepth = 2
)

// parseStatsQuery reads ?org= and ?period= against orgs (the caller's org
// list). A period that cannot be read falls back to this year with a
// message; an org outside the scope (for perm) is not found.
func (s *Server) parseStatsQuery(r *http.Request, perm nuanxin.Perm, orgs []*nuanxin.Org) (*statsQuery, error) {
	sc, q := scopeOf(r), r.URL.Query()
	today := s.today()
	sq := &statsQuery{}
	p := nuanxin.YearPeriod(today.Year)
	if v := strings.TrimSpace(q.Get("period")); v != "" {
		got, err := nuanxin.ParsePeriod(v)
		if err != nil {
			sq.Err = nuanxin.T("ui.stats.bad_period", userMessage(err), p.Label())
		} else {
			p = got
		}
	}
	sq.F.Period = p
	var mine []*nuanxin.Org
	minDepth := -1
	for _, o := range orgs {
		if sc.Can(perm, o.Path) {
			mine = append(mine, o)
			if minDepth < 0 || o.Depth < minDepth {
				minDepth = o.Depth
			}
		}
	}
	var tops []*nuanxin.Org
	for _, o := range mine {
		if o.Depth == minDepth {
			tops = append(tops, o)
		}
	}
	if len(tops) == 1 {
		sq.Top = tops[0]
	}
	if v := strings.TrimSpace(q.Get("org")); v != "" {
		id := formInt(v)
		for _, o := range mine {
			if o.ID == id {
				sq.Org = o
			}
		}
		if sq.Org == nil {
			return nil, nuanxin.NotFound("what.org")
		}
		if sq.Top == nil || sq.Org.ID != sq.Top.ID {
			sq.F.OrgID = sq.Org.ID
		} else {
			sq.Org = nil // the scope's own top is the default: keep links short
		}
	}
	if len(mine) > 1 {
		sq.Orgs = orgChoices(mine, minDepth, sq.Org)
	}
	sq.Periods = periodChoices(today, p)
	return sq, nil
}

// orgChoices are the open orgs of the scope down to statsOrgDepth levels
// (and the chosen org wherever it is), indented as a tree.
func orgChoices(orgs []*nuanxin.Org, minDepth int, chosen *nuanxin.Org) []choice {
	out := []choice{{Value: "", Label: nuanxin.T("ui.stats.org_all"), Selected: chosen == nil}}
	for _, o := range orgs {
		isChosen := chosen != nil && chosen.ID == o.ID
		if !isChosen && (o.Closed || o.Depth > minDepth+statsOrgDepth || len(out) > statsOrgCap) {
			continue
		}
		label := strings.Repeat("\u3000", max(o.Depth-minDepth, 0)) + o.Name
		if o.Closed {
			label += nuanxin.T("ui.org.closed_suffix")
		}
		out = append(out, choice{Value: strconv.FormatInt(o.ID, 10), Label: label, Selected: isChosen})
	}
	if len(out) == 2 && out[1].Selected {
		out[0].Selected = false
	}
	return out
}

// periodChoices: this and last year, their halves, the last twelve months,
// and the chosen period when it is none of these.
func periodChoices(today nuanxin.Date, cur nuanxin.Period) []choiceGroup {
	y := today.Year
	c := func(p nuanxin.Period, label string) choice {
		if label == "" {
			label = p.Label()
		}
		return choice{Value: p.String(), Label: label, Selected: p == cur}
	}
	years := choiceGroup{Label: nuanxin.T("ui.stats.group.year"), Opts: []choice{
		c(nuanxin.YearPeriod(y), nuanxin.T("ui.stats.this_year", y)),
		c(nuanxin.YearPeriod(y-1), nuanxin.T("ui.stats.last_year", y-1)),
		c(nuanxin.YearPeriod(y-2), ""),
	}}
	halves := choiceGroup{Label: nuanxin.T("ui.stats.group.half")}
	if today.Month >= 7 {
		halves.Opts = append(halves.Opts, c(nuanxin.HalfPeriod(y, 2), ""))
	}
	halves.Opts = append(halves.Opts, c(nuanxin.HalfPeriod(y, 1), ""), c(nuanxin.HalfPeriod(y-1, 2), ""), c(nuanxin.HalfPeriod(y-1, 1), ""))
	months := choiceGroup{Label: nuanxin.T("ui.stats.group.month")}
	my, mm := y, int(today.Month)
	for range 12 {
		months.Opts = append(months.Opts, c(nuanxin.MonthPeriod(my, monthOf(mm)), ""))
		if mm--; mm == 0 {
			my, mm = my-1, 12
		}
	}
	groups := []choiceGroup{years, halves, months}
	for _, g := range groups {
		for _, o := range g.Opts {
			if o.Selected {
				return groups
			}
		}
	}
	other := choiceGroup{Label: nuanxin.T("ui.stats.group.other"), Opts: []choice{c(cur, "")}}
	return append([]choiceGroup{other}, groups...)
}

// ---------------------------------------------------------------------------
// Figures as the pages show them.

// statLine is a line of a figure table, linked to the list behind it.
type statLine struct {
	Key     string
	Label   string
	Cases   int
	Persons int
	Amount  nuanxin.Money
	Share   string // of the total amount, "12.5%"
	Href    string
}

// yuanOf is an amount in 元 for a chart or a workbook cell (display only: the
// figures themselves are exact fen).
func yuanOf(m nuanxin.Money) float64 { return float64(m) / 100 }

// wan renders an amount in 万元 with two decimals: 13.20 for 132,000.00.
func wan(m nuanxin.Money) string {
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	// 1 万元 = 1,000,000 fen; round half up to the 百元.
	h := (int64(m) + 5000) / 10000
	return fmt.Sprintf("%s%d.%02d", sign, h/100, h%100)
}

// percent renders part ÷ whole with one decimal: 12.5%.
func percent(part, whole int64) string {
	if whole <= 0 {
		return ""
	}
	tenths := (part*1000 + whole/2) / whole
	return fmt.Sprintf("%d.%d%%", tenths/10, tenths%10)
}

func monthOf(m int) time.Month { return time.Month(m) }

// monthLabel names a YYYYMM month: 3月 when the period lies in one year,
// else 2025年12月.
func monthLabel(m int, oneYear bool) string {
	if oneYear {
		return nuanxin.T("ui.stats.month_short", m%100)
	}
	return nuanxin.T("ui.stats.month_long", m/100, m%100)
}

func sameYear(p nuanxin.Period) bool { return p.From.Year == p.To.Year }

// careLines makes the lines of a care figure with their shares and links.
func careLines(st []nuanxin.CareStat, total nuanxin.Money, href func(nuanxin.CareStat) string) []statLine {
	out := make([]statLine, 0, len(st))
	for _, x := range st {
		out = append(out, statLine{Key: x.Key, Label: x.Label, Cases: x.Cases, Persons: x.Persons, Amount: x.Amount,
			Share: percent(int64(x.Amount), int64(total)), Href: href(x)})
	}
	return out
}

// ---------------------------------------------------------------------------
// Charts: the data the page hands stats.js in a JSON <script> element.

// chartSet is the JSON of a page's charts, by chart name.
type chartSet struct {
	Names  map[string]string    `json:"names"` // series names and units
	Charts map[string]chartData `json:"charts"`
}

// chartData is one chart: its kind (months: amount bars and a cases line;
// bars: amounts by a key; donut: counts) and its points.
type chartData struct {
	Kind   string       `json:"kind"`
	Points []chartPoint `json:"points"`
}

// chartPoint is a bar, a point or a slice: the label, the amount in 元,
// the count (人次 or 人), and the list behind it.
type chartPoint struct {
	Label string  `json:"label"`
	Yuan  float64 `json:"yuan"`
	Count int     `json:"count"`
	Href  string  `json:"href"`
	// Color is the slice's place in the palette (stats.js, and the .sw-N
	// swatches of the list beside the chart).
	Color int `json:"color"`
}

func newChartSet() *chartSet {
	return &chartSet{Charts: map[string]chartData{}, Names: map[string]string{
		"amount":  nuanxin.T("ui.stats.series.amount"),
		"cases":   nuanxin.T("ui.stats.series.cases"),
		"members": nuanxin.T("ui.stats.series.members"),
		"yuan":    nuanxin.T("ui.stats.unit.yuan"),
		"wan":     nuanxin.T("ui.stats.unit.wan"),
		"ci":      nuanxin.T("ui.stats.unit.cases"),
		"people":  nuanxin.T("ui.unit.people"),
	}}
}

func linePoints(lines []statLine) []chartPoint {
	out := make([]chartPoint, len(lines))
	for i, l := range lines {
		out[i] = chartPoint{Label: l.Label, Yuan: yuanOf(l.Amount), Count: l.Cases, Href: l.Href}
	}
	return out
}

// ---------------------------------------------------------------------------
// The pivot as two tables: org × category and org × month.

// pivotCellView is a cell of a pivot table.
type pivotCellView struct {
	Amount nuanxin.Money
	Cases  int
	Href   string
}

// pivotRow is an org's line (or the totals).
type pivotRow struct {
	Label string
	Href  string // the statistics page of the suborg, one level down
	Cells []pivotCellView
	Total pivotCellView
}

// pivotView is one table of the pivot.
type pivotView struct {
	ID, Title string
	Cols      []string
	Rows      []pivotRow
	Total     pivotRow
}

// pivotViews folds the pivot into org × category (months summed) and
// org × month (categories summed), with totals; every cell links to the
// care list of its org, category or month.
func pivotViews(p *nuanxin.CarePivot, q *statsQuery) (byCat, byMonth pivotView) {
	f := q.F
	oneYear := sameYear(f.Period)
	byCat = pivotView{ID: "pivot-category", Title: nuanxin.T("ui.stats.view.org_cat")}
	byMonth = pivotView{ID: "pivot-month", Title: nuanxin.T("ui.stats.view.org_month")}
	for _, c := range p.Categories {
		byCat.Cols = append(byCat.Cols, c.Label())
	}
	for _, m := range p.Months {
		byMonth.Cols = append(byMonth.Cols, monthLabel(m, oneYear))
	}
	byCat.Total = pivotRow{Label: nuanxin.T("ui.stats.total_row"), Cells: make([]pivotCellView, len(p.Categories))}
	byMonth.Total = pivotRow{Label: nuanxin.T("ui.stats.total_row"), Cells: make([]pivotCellView, len(p.Months))}
	for j, c := range p.Categories {
		byCat.Total.Cells[j].Href = summary.CareHref(f, c, "", 0)
	}
	for k, m := range p.Months {
		byMonth.Total.Cells[k].Href = summary.CareHref(f, "", "", m)
	}
	byCat.Total.Total.Href = summary.CareHref(f, "", "", 0)
	byMonth.Total.Total.Href = byCat.Total.Total.Href
	for i, o := range p.Orgs {
		of := f
		of.OrgID = o.ID
		label, drill := o.Name, summary.StatsHref(nuanxin.StatsFilter{OrgID: o.ID, Period: f.Period})
		if o.Own {
			label, drill = nuanxin.T("ui.stats.own", o.Name), ""
		}
		rc := pivotRow{Label: label, Href: drill, Cells: make([]pivotCellView, len(p.Categories))}
		rm := pivotRow{Label: label, Href: drill, Cells: make([]pivotCellView, len(p.Months))}
		for j, c := range p.Categories {
			rc.Cells[j].Href = summary.CareHref(of, c, "", 0)
		}
		for k, m := range p.Months {
			rm.Cells[k].Href = summary.CareHref(of, "", "", m)
		}
		rc.Total.Href = summary.CareHref(of, "", "", 0)
		rm.Total.Href = rc.Total.Href
		for j := range p.Categories {
			for k := range p.Months {
				cell := p.Cells[i][j][k]
				add(&rc.Cells[j], cell)
				add(&rm.Cells[k], cell)
				add(&rc.Total, cell)
				add(&rm.Total, cell)
				add(&byCat.Total.Cells[j], cell)
				add(&byMonth.Total.Cells[k], cell)
				add(&byCat.Total.Total, cell)
				add(&byMonth.Total.Total, cell)
			}
		}
		if rc.Total.Cases == 0 && rc.Total.Amount == 0 && o.Own {
			continue // the root's own row only when it has cases
		}
		byCat.Rows = append(byCat.Rows, rc)
		byMonth.Rows = append(byMonth.Rows, rm)
	}
	return byCat, byMonth
}

func add(dst *pivotCellView, c nuanxin.PivotCell) {
	dst.Cases += c.Cases
	dst.Amount += c.Amount
}

// ---------------------------------------------------------------------------
// The page.

type statsData struct {
	Q          *statsQuery
	Total      nuanxin.CareStat
	TotalHref  string
	Wan        string
	ByCategory []statLine
	ByForm     []statLine
	ByCat      pivotView
	ByMonth    pivotView
	Charts     *chartSet
	ExportHref string
	SelfHref   string
}

func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) {
	d, status, err := s.statsData(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.page(w, r, status, "stats", nuanxin.T("ui.stats.title"), "stats", d)
}

// statsFilter reads the page's filter: the org and period of
// parseStatsQuery and the optional campaign, which must be one of the
// subtree's campaigns of the period (else it is dropped with a message).
func (s *Server) statsFilter(r *http.Request) (*statsQuery, error) {
	sc, ctx := scopeOf(r), r.Context()
	orgs, err := s.orgs.FindOrgs(ctx, sc, nuanxin.OrgFilter{IncludeClosed: true})
	if err != nil {
		return nil, err
	}
	q, err := s.parseStatsQuery(r, nuanxin.PermReportRead, orgs)
	if err != nil {
		return nil, err
	}
	camps, err := s.stats.Campaigns(ctx, sc, q.F)
	if err != nil {
		return nil, err
	}
	want := formInt(r.URL.Query().Get("campaign"))
	q.Campaigns = []choice{{Value: "", Label: nuanxin.T("ui.stats.campaign_all"), Selected: want == 0}}
	for _, c := range camps {
		sel := c.ID == want
		if sel {
			q.F.CampaignID, q.Campaign = c.ID, c.Name
		}
		q.Campaigns = append(q.Campaigns, choice{Value: strconv.FormatInt(c.ID, 10), Label: c.Name, Selected: sel})
	}
	if want != 0 && q.F.CampaignID == 0 {
		q.Campaigns[0].Selected = true
		msg := nuanxin.T("ui.stats.campaign_gone")
		if q.Err != "" {
			msg = q.Err + " " + msg
		}
		q.Err = msg
	}
	return q, nil
}

func (s *Server) statsData(r *http.Request) (*statsData, int, error) {
	sc, ctx := scopeOf(r), r.Context()
	q, err := s.statsFilter(r)
	if err != nil {
		return nil, 0, err
	}
	f := q.F
	total, err := s.stats.CareTotal(ctx, sc, f)
	if err != nil {
		return nil, 0, err
	}
	byCat, err := s.stats.CareByCategory(ctx, sc, f)
	if err != nil {
		return nil, 0, err
	}
	byForm, err := s.stats.CareByForm(ctx, sc, f)
	if err != nil {
		return nil, 0, err
	}
	pivot, err := s.stats.CarePivot(ctx, sc, f)
	if err != nil {
		return nil, 0, err
	}
	d := &statsData{Q: q, Total: total, TotalHref: summary.CareHref(f, "", "", 0), Wan: wan(total.Amount)}
	d.ByCategory = careLines(byCat, total.Amount, func(x nuanxin.CareStat) string {
		return summary.CareHref(f, nuanxin.CareCategory(x.Key), "", 0)
	})
	d.ByForm = careLines(byForm, total.Amount, func(x nuanxin.CareStat) string {
		return summary.CareHref(f, "", nuanxin.CareForm(x.Key), 0)
	})
	d.ByCat, d.ByMonth = pivotViews(pivot, q)
	d.Charts = newChartSet()
	var months []chartPoint
	for k, col := range d.ByMonth.Cols {
		c := d.ByMonth.Total.Cells[k]
		months = append(months, chartPoint{Label: col, Yuan: yuanOf(c.Amount), Count: c.Cases, Href: c.Href})
	}
	d.Charts.Charts["months"] = chartData{Kind: "months", Points: months}
	d.Charts.Charts["category"] = chartData{Kind: "bars", Points: linePoints(d.ByCategory)}
	d.ExportHref = withQuery("/stats/export.xlsx", statsValues(q))
	d.SelfHref = withQuery("/stats", statsValues(q))
	status := http.StatusOK
	if q.Err != "" {
		status = http.StatusUnprocessableEntity
	}
	return d, status, nil
}

// statsValues is the query string of the filter (org, period, campaign).
func statsValues(q *statsQuery) url.Values {
	v := url.Values{"period": {q.F.Period.String()}}
	if q.F.OrgID != 0 {
		v.Set("org", strconv.FormatInt(q.F.OrgID, 10))
	}
	if q.F.CampaignID != 0 {
		v.Set("campaign", strconv.FormatInt(q.F.CampaignID, 10))
	}
	return v
}

// ---------------------------------------------------------------------------
// The workbook.

func (s *Server) handleStatsXLSX(w http.ResponseWriter, r *http.Request) {
	sc, ctx := scopeOf(r), r.Context()
	q, err := s.statsFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if q.Err != "" {
		// a workbook cannot carry the message: say it on a page instead
		s.renderError(w, r, http.StatusUnprocessableEntity, q.Err)
		return
	}
	pivot, err := s.stats.CarePivot(ctx, sc, q.F)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	byCat, err := s.stats.CareByCategory(ctx, sc, q.F)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	total, err := s.stats.CareTotal(ctx, sc, q.F)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	x, err := statsXLSX(q, pivot, byCat, total, s.now().In(nuanxin.Shanghai).Format("2006-01-02 15:04"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", xlsxType)
	attachment(w, nuanxin.T("ui.stats.xlsx_name", q.OrgName(), q.PeriodLabel()), "care-stats-"+q.F.Period.String()+".xlsx")
	_, _ = w.Write(x)
}

// statsXLSX writes the pivot as a workbook: 单位×类别×月份 (each org's
// months as rows, each category's 人次 and 金额 as a column pair under a
// merged heading, an org 小计 row after each org and the 合计 at the foot),
// 按类别 and 按单位 with their totals. The totals are the page's: the same
// pivot summed the same way.
func statsXLSX(q *statsQuery, p *nuanxin.CarePivot, byCat []nuanxin.CareStat, total nuanxin.CareStat, now string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStatsStyles(f)
	if err != nil {
		return nil, err
	}
	title := nuanxin.T("ui.stats.xlsx_title", q.OrgName(), q.PeriodLabel())
	sub := nuanxin.T("ui.stats.xlsx_sub", now)
	if q.Campaign != "" {
		sub = nuanxin.T("ui.stats.xlsx_campaign", q.Campaign) + "；" + sub
	}
	oneYear := sameYear(q.F.Period)
	cats := make([]string, len(p.Categories))
	for i, c := range p.Categories {
		cats[i] = c.Label()
	}
	orgName := func(o nuanxin.PivotOrg) string {
		if o.Own {
			return nuanxin.T("ui.stats.own", o.Name)
		}
		return o.Name
	}

	// Sheet 1: an org's months as rows, the categories as column pairs.
	s1 := nuanxin.T("ui.stats.xlsx_sheet_3d")
	if err := f.SetSheetName("Sheet1", s1); err != nil {
		return nil, err
	}
	x := &sheetWriter{f: f, sheet: s1, st: st}
	nCols := 2 + 2*(len(cats)+1)
	x.title(title, sub, nCols)
	x.pairHeader(4, []string{nuanxin.T("ui.stats.col.org"), nuanxin.T("ui.stats.col.month")}, cats)
	row := 6
	grand := make([]nuanxin.PivotCell, len(cats))
	var grandTotal nuanxin.PivotCell
	for i, o := range p.Orgs {
		name := orgName(o)
		sumOrg := make([]nuanxin.PivotCell, len(cats))
		var orgTotal nuanxin.PivotCell
		for k, m := range p.Months {
			x.text(1, row, name, rowPlain)
			x.text(2, row, monthLabel(m, oneYear), rowPlain)
			var line nuanxin.PivotCell
			for j := range cats {
				c := p.Cells[i][j][k]
				x.pair(3+2*j, row, c, rowPlain)
				line = line.Add(c)
				sumOrg[j] = sumOrg[j].Add(c)
			}
			x.pair(3+2*len(cats), row, line, rowLineTotal)
			orgTotal = orgTotal.Add(line)
			row++
		}
		x.text(1, row, nuanxin.T("ui.stats.xlsx_org_total", name), rowSub)
		x.text(2, row, nuanxin.T("ui.stats.xlsx_all_months"), rowSub)
		for j := range cats {
			x.pair(3+2*j, row, sumOrg[j], rowSub)
			grand[j] = grand[j].Add(sumOrg[j])
		}
		x.pair(3+2*len(cats), row, orgTotal, rowSub)
		grandTotal = grandTotal.Add(orgTotal)
		row++
	}
	x.text(1, row, nuanxin.T("ui.stats.total_row"), rowTotal)
	x.text(2, row, nuanxin.T("ui.stats.xlsx_all_months"), rowTotal)
	for j := range cats {
		x.pair(3+2*j, row, grand[j], rowTotal)
	}
	x.pair(3+2*len(cats), row, grandTotal, rowTotal)
	x.widths([]float64{26, 10}, nCols, 7, 13)
	if err := f.SetPanes(s1, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: 5, TopLeftCell: "C6", ActivePane: "bottomRight"}); err != nil {
		return nil, err
	}

	// Sheet 2: by category, with distinct persons.
	s2 := nuanxin.T("ui.stats.xlsx_sheet_cat")
	if _, err := f.NewSheet(s2); err != nil {
		return nil, err
	}
	x = &sheetWriter{f: f, sheet: s2, st: st}
	x.title(title, sub, 5)
	for i, h := range []string{"category", "persons", "cases", "amount", "share"} {
		x.set(1+i, 4, nuanxin.T("ui.stats.col."+h), st.head)
	}
	row = 5
	for _, c := range byCat {
		x.text(1, row, c.Label, rowPlain)
		x.set(2, row, c.Persons, st.num[rowPlain])
		x.set(3, row, c.Cases, st.num[rowPlain])
		x.set(4, row, yuanOf(c.Amount), st.money[rowPlain])
		x.set(5, row, percent(int64(c.Amount), int64(total.Amount)), st.right)
		row++
	}
	x.text(1, row, nuanxin.T("ui.stats.total_row"), rowTotal)
	x.set(2, row, total.Persons, st.num[rowTotal])
	x.set(3, row, total.Cases, st.num[rowTotal])
	x.set(4, row, yuanOf(total.Amount), st.money[rowTotal])
	x.set(5, row, "", st.text[rowTotal])
	x.set(1, row+2, nuanxin.T("ui.stats.persons_note"), 0)
	x.widths([]float64{22, 10, 10, 16, 12}, 5, 0, 0)
	if err := f.SetPanes(s2, &excelize.Panes{Freeze: true, YSplit: 4, TopLeftCell: "A5", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}

	// Sheet 3: by org, the category pairs summed over the months.
	s3 := nuanxin.T("ui.stats.xlsx_sheet_org")
	if _, err := f.NewSheet(s3); err != nil {
		return nil, err
	}
	x = &sheetWriter{f: f, sheet: s3, st: st}
	nCols = 1 + 2*(len(cats)+1)
	x.title(title, sub, nCols)
	x.pairHeader(4, []string{nuanxin.T("ui.stats.col.org")}, cats)
	row = 6
	for i, o := range p.Orgs {
		x.text(1, row, orgName(o), rowPlain)
		var line nuanxin.PivotCell
		for j := range cats {
			var c nuanxin.PivotCell
			for k := range p.Months {
				c = c.Add(p.Cells[i][j][k])
			}
			x.pair(2+2*j, row, c, rowPlain)
			line = line.Add(c)
		}
		x.pair(2+2*len(cats), row, line, rowLineTotal)
		row++
	}
	x.text(1, row, nuanxin.T("ui.stats.total_row"), rowTotal)
	for j := range cats {
		x.pair(2+2*j, row, grand[j], rowTotal)
	}
	x.pair(2+2*len(cats), row, grandTotal, rowTotal)
	x.widths([]float64{26}, nCols, 7, 13)
	if err := f.SetPanes(s3, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: 5, TopLeftCell: "B6", ActivePane: "bottomRight"}); err != nil {
		return nil, err
	}
	f.SetActiveSheet(0)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// rowKind is how a workbook row looks: plain, the line's own 合计 column,
// an org's 小计, the foot's 合计.
type rowKind int

const (
	rowPlain rowKind = iota
	rowLineTotal
	rowSub
	rowTotal
	rowKinds
)

// statsStyles are the cell styles of the workbook, by row kind.
type statsStyles struct {
	title, note, head, right int
	text, num, money         [rowKinds]int
}

func newStatsStyles(f *excelize.File) (*statsStyles, error) {
	yuanFmt := "#,##0.00"
	thin := func(color string) []excelize.Border {
		return []excelize.Border{{Type: "left", Color: color, Style: 1}, {Type: "right", Color: color, Style: 1},
			{Type: "top", Color: color, Style: 1}, {Type: "bottom", Color: color, Style: 1}}
	}
	st := &statsStyles{}
	var err error
	mk := func(dst *int, s *excelize.Style) {
		if err == nil {
			*dst, err = f.NewStyle(s)
		}
	}
	mk(&st.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	mk(&st.note, &excelize.Style{Font: &excelize.Font{Color: "595959"}})
	mk(&st.head, &excelize.Style{Font: &excelize.Font{Bold: true}, Border: thin("A6A6A6"),
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		Fill:      excelize.Fill{Type: "pattern", Color: []string{"EEF2F7"}, Pattern: 1}})
	mk(&st.right, &excelize.Style{Border: thin("D9D9D9"), Alignment: &excelize.Alignment{Horizontal: "right"}})
	fills := [rowKinds]string{"", "F7F9FC", "F2F6FC", "E6EFFB"}
	for k := rowPlain; k < rowKinds; k++ {
		var fill excelize.Fill
		if fills[k] != "" {
			fill = excelize.Fill{Type: "pattern", Color: []string{fills[k]}, Pattern: 1}
		}
		var font *excelize.Font
		if k != rowPlain {
			font = &excelize.Font{Bold: true}
		}
		mk(&st.text[k], &excelize.Style{Border: thin("D9D9D9"), Fill: fill, Font: font})
		mk(&st.num[k], &excelize.Style{Border: thin("D9D9D9"), Fill: fill, Font: font, NumFmt: 1})
		mk(&st.money[k], &excelize.Style{Border: thin("D9D9D9"), Fill: fill, Font: font, CustomNumFmt: &yuanFmt})
	}
	if err != nil {
		return nil, err
	}
	return st, nil
}

// sheetWriter writes the cells of one sheet.
type sheetWriter struct {
	f     *excelize.File
	sheet string
	st    *statsStyles
}

func (x *sheetWriter) set(col, row int, v any, style int) {
	cell, _ := excelize.CoordinatesToCellName(col, row)
	if v != nil {
		_ = x.f.SetCellValue(x.sheet, cell, v)
	}
	if style != 0 {
		_ = x.f.SetCellStyle(x.sheet, cell, cell, style)
	}
}

func (x *sheetWriter) text(col, row int, s string, k rowKind) { x.set(col, row, s, x.st.text[k]) }

// pair writes a cell's 人次 and 金额 at col and col+1; a zero cell of a
// plain row stays blank, so the figures stand out.
func (x *sheetWriter) pair(col, row int, c nuanxin.PivotCell, k rowKind) {
	if c.Cases == 0 && c.Amount == 0 && k == rowPlain {
		x.set(col, row, nil, x.st.num[k])
		x.set(col+1, row, nil, x.st.money[k])
		return
	}
	x.set(col, row, c.Cases, x.st.num[k])
	x.set(col+1, row, yuanOf(c.Amount), x.st.money[k])
}

// title writes the title and the note above the table, merged across it.
func (x *sheetWriter) title(title, note string, nCols int) {
	last, _ := excelize.ColumnNumberToName(max(nCols, 1))
	x.set(1, 1, title, x.st.title)
	x.set(1, 2, note, x.st.note)
	_ = x.f.MergeCell(x.sheet, "A1", last+"1")
	_ = x.f.MergeCell(x.sheet, "A2", last+"2")
	_ = x.f.SetRowHeight(x.sheet, 1, 24)
}

// pairHeader writes the two-row heading at row and row+1: the lead
// columns merged down, each group (and 合计) merged over its 人次 and 金额.
func (x *sheetWriter) pairHeader(row int, lead []string, groups []string) {
	cell := func(col, r int) string { c, _ := excelize.CoordinatesToCellName(col, r); return c }
	for i, h := range lead {
		x.set(i+1, row, h, x.st.head)
		x.set(i+1, row+1, nil, x.st.head)
		_ = x.f.MergeCell(x.sheet, cell(i+1, row), cell(i+1, row+1))
	}
	col := len(lead) + 1
	for _, g := range append(append([]string{}, groups...), nuanxin.T("ui.stats.total")) {
		x.set(col, row, g, x.st.head)
		x.set(col+1, row, nil, x.st.head)
		_ = x.f.MergeCell(x.sheet, cell(col, row), cell(col+1, row))
		x.set(col, row+1, nuanxin.T("ui.stats.col.cases"), x.st.head)
		x.set(col+1, row+1, nuanxin.T("ui.stats.col.amount"), x.st.head)
		col += 2
	}
	_ = x.f.SetRowHeight(x.sheet, row, 20)
}

// widths sets the lead columns' widths, then alternating pair widths
// (人次, 金额) for the rest up to nCols.
func (x *sheetWriter) widths(lead []float64, nCols int, cases, amount float64) {
	for i, w := range lead {
		c, _ := excelize.ColumnNumberToName(i + 1)
		_ = x.f.SetColWidth(x.sheet, c, c, w)
	}
	if cases == 0 {
		return
	}
	for col := len(lead) + 1; col <= nCols; col++ {
		c, _ := excelize.ColumnNumberToName(col)
		w := cases
		if (col-len(lead))%2 == 0 {
			w = amount
		}
		_ = x.f.SetColWidth(x.sheet, c, c, w)
	}
}
