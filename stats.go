package nuanxin

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Period is a span of dates, both ends inclusive: a year, a half-year, a
// month, a campaign's days or any span the officer picks.
type Period struct {
	From Date `json:"from"`
	To   Date `json:"to"`
}

// YearPeriod is 1 January to 31 December of y.
func YearPeriod(y int) Period {
	return Period{NewDate(y, 1, 1), NewDate(y, 12, 31)}
}

// HalfPeriod is the first (h=1) or second (h=2) half of y.
func HalfPeriod(y, h int) Period {
	if h == 2 {
		return Period{NewDate(y, 7, 1), NewDate(y, 12, 31)}
	}
	return Period{NewDate(y, 1, 1), NewDate(y, 6, 30)}
}

// MonthPeriod is one calendar month.
func MonthPeriod(y int, m time.Month) Period {
	return Period{NewDate(y, m, 1), NewDate(y, m, daysIn(y, int(m)))}
}

var (
	rePeriodYear  = regexp.MustCompile(`^(\d{4})年?$`)
	rePeriodHalf  = regexp.MustCompile(`^(\d{4})(?:[Hh]([12])|年?(上|下)半年)$`)
	rePeriodMonth = regexp.MustCompile(`^(\d{4})(?:-|年)(\d{1,2})月?$`)
)

// ParsePeriod reads 2026, 2026H1, 2026上半年, 2026-03, or two dates
// joined by "~", "..", "至" or ",".
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(s)
	if m := rePeriodYear.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		return YearPeriod(y), nil
	}
	if m := rePeriodHalf.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		if m[2] == "2" || m[3] == "下" {
			return HalfPeriod(y, 2), nil
		}
		return HalfPeriod(y, 1), nil
	}
	if m := rePeriodMonth.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		if mo >= 1 && mo <= 12 {
			return MonthPeriod(y, time.Month(mo)), nil
		}
	}
	for _, sep := range []string{"~", "..", "至", ","} {
		if a, b, ok := strings.Cut(s, sep); ok {
			from, err1 := ParseDate(strings.TrimSpace(a))
			to, err2 := ParseDate(strings.TrimSpace(b))
			p := Period{from, to}
			if err1 == nil && err2 == nil && p.Valid() {
				return p, nil
			}
		}
	}
	return Period{}, Invalid("period", "period.invalid", s)
}

// Valid: both ends set, in order, at most ten years apart.
func (p Period) Valid() bool {
	return !p.From.IsZero() && !p.To.IsZero() && !p.To.Before(p.From) && p.To.Year-p.From.Year < 10
}

// Contains reports whether d falls in the period.
func (p Period) Contains(d Date) bool { return !d.Before(p.From) && !d.After(p.To) }

// IsYear: the period is exactly one calendar year.
func (p Period) IsYear() bool { return p == YearPeriod(p.From.Year) }

// Half is 1 or 2 when the period is exactly a half-year, else 0.
func (p Period) Half() int {
	switch p {
	case HalfPeriod(p.From.Year, 1):
		return 1
	case HalfPeriod(p.From.Year, 2):
		return 2
	}
	return 0
}

// Months lists the months the period touches as YYYYMM.
func (p Period) Months() []int {
	var out []int
	for y, m := p.From.Year, p.From.Month; y < p.To.Year || (y == p.To.Year && m <= p.To.Month); {
		out = append(out, y*100+int(m))
		if m++; m > 12 {
			y, m = y+1, 1
		}
	}
	return out
}

// Label names the period the way a report does: 2026年, 2026年上半年,
// 2026年3月, 2026年1月1日至2026年3月15日.
func (p Period) Label() string {
	switch {
	case p.IsYear():
		return T("period.year", p.From.Year)
	case p.Half() != 0:
		return T("period.half."+strconv.Itoa(p.Half()), p.From.Year)
	case p == MonthPeriod(p.From.Year, p.From.Month):
		return T("period.month", p.From.Year, int(p.From.Month))
	}
	return T("period.span", p.From.Chinese(), p.To.Chinese())
}

// String is the form ParsePeriod reads back (for URLs and the CLI).
func (p Period) String() string {
	switch {
	case p.IsYear():
		return strconv.Itoa(p.From.Year)
	case p.Half() != 0:
		return fmt.Sprintf("%dH%d", p.From.Year, p.Half())
	case p == MonthPeriod(p.From.Year, p.From.Month):
		return fmt.Sprintf("%d-%02d", p.From.Year, int(p.From.Month))
	}
	return p.From.String() + "~" + p.To.String()
}

// StatsFilter is the subtree and period of a figure. Care figures count
// paid cases (已发放, 已签收) by their event date.
type StatsFilter struct {
	OrgID  int64 // subtree root; 0 = the caller's whole scope
	Period Period
	// CampaignID narrows care figures to one campaign's cases.
	CampaignID int64
}

// CareStat is one line of a figure: cases (person-times), distinct
// persons and the amount, under a key (a category, a form, a month
// "2026-03", an org id).
type CareStat struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	Cases   int    `json:"cases"`   // 人次
	Persons int    `json:"persons"` // 人
	Amount  Money  `json:"amount"`
}

// MemberFigures are the members of a subtree now.
type MemberFigures struct {
	Total      int                  `json:"total"` // every status
	ByStatus   map[MemberStatus]int `json:"by_status"`
	ByCategory map[Category]int     `json:"by_category"` // 在会 members only
}

// OrgCoverage is one suborg's line of the coverage ranking: people cared
// for in the period ÷ members in 在会 now.
type OrgCoverage struct {
	OrgID   int64  `json:"org_id"`
	OrgName string `json:"org_name"`
	Members int    `json:"members"`
	Persons int    `json:"persons"`
	Cases   int    `json:"cases"`
	Amount  Money  `json:"amount"`
}

// Rate is persons ÷ members, 0 for an org without members.
func (c OrgCoverage) Rate() float64 {
	if c.Members == 0 {
		return 0
	}
	return float64(c.Persons) / float64(c.Members)
}

// CarePivot is the org × category × month table of the statistics page:
// the rows are the root's direct suborgs (and the root's own cases),
// each cell the cases and amount.
type CarePivot struct {
	Orgs       []PivotOrg     `json:"orgs"`
	Categories []CareCategory `json:"categories"`
	Months     []int          `json:"months"` // YYYYMM
	// Cells[org index][category index][month index].
	Cells [][][]PivotCell `json:"cells"`
}

// PivotOrg is a row of the pivot: a suborg and its subtree, or the
// root's own cases (Own).
type PivotOrg struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Own  bool   `json:"own,omitempty"`
}

// PivotCell is one cell of the pivot.
type PivotCell struct {
	Cases  int   `json:"cases"`
	Amount Money `json:"amount"`
}

// Add sums two cells.
func (c PivotCell) Add(o PivotCell) PivotCell {
	return PivotCell{c.Cases + o.Cases, c.Amount + o.Amount}
}

// CampaignFigure is a campaign of the period against its budget.
type CampaignFigure struct {
	ID       int64          `json:"id"`
	Name     string         `json:"name"`
	OrgName  string         `json:"org_name"`
	Kind     CampaignKind   `json:"kind"`
	Status   CampaignStatus `json:"status"`
	From, To Date
	Budget   Money `json:"budget"`
	Spent    Money `json:"spent"`   // paid to people and organisations
	Persons  int   `json:"persons"` // people paid
	Orgs     int   `json:"orgs"`    // organisations paid
	Planned  int   `json:"planned"` // on the roster, not cancelled
}

// Backlog is what is still waiting in a subtree: cases per status with
// the oldest waiting since, and how many have waited past the limit.
type Backlog struct {
	Lines []BacklogLine `json:"lines"`
}

// BacklogLine is one status of the backlog.
type BacklogLine struct {
	Status  CareStatus `json:"status"`
	Count   int        `json:"count"`
	Amount  Money      `json:"amount"`
	Oldest  Date       `json:"oldest"`  // the longest-waiting case's event (or payment) date
	Overdue int        `json:"overdue"` // waited more than OverdueDays
}

// OverdueDays is how long a case may wait at one step before it counts
// as overdue in 待办 and in the 工作总结: a month.
const OverdueDays = 30

// Line returns the backlog line of a status (zero when none).
func (b *Backlog) Line(st CareStatus) BacklogLine {
	for _, l := range b.Lines {
		if l.Status == st {
			return l
		}
	}
	return BacklogLine{Status: st}
}

// StatsService computes every figure the dashboard, the statistics page
// and the 工作总结 show. Each figure has exactly one function here, so the
// three can never disagree.
type StatsService interface {
	MemberFigures(ctx context.Context, s *Scope, f StatsFilter) (*MemberFigures, error)
	// MemberEvents counts the 会籍变动 of the period by kind (入会, 转入,
	// 转出 …) of the members now in the subtree.
	MemberEvents(ctx context.Context, s *Scope, f StatsFilter) (map[EventKind]int, error)
	// CareTotal is the period's total: cases, distinct persons, amount.
	CareTotal(ctx context.Context, s *Scope, f StatsFilter) (CareStat, error)
	CareByCategory(ctx context.Context, s *Scope, f StatsFilter) ([]CareStat, error)
	CareByForm(ctx context.Context, s *Scope, f StatsFilter) ([]CareStat, error)
	// CareByMonth has a line for every month of the period, zero or not.
	CareByMonth(ctx context.Context, s *Scope, f StatsFilter) ([]CareStat, error)
	CarePivot(ctx context.Context, s *Scope, f StatsFilter) (*CarePivot, error)
	// Coverage ranks the root's direct suborgs, lowest rate first.
	Coverage(ctx context.Context, s *Scope, f StatsFilter) ([]OrgCoverage, error)
	// Campaigns lists the campaigns of the subtree whose days overlap the
	// period.
	Campaigns(ctx context.Context, s *Scope, f StatsFilter) ([]CampaignFigure, error)
	// Backlog counts the cases still waiting now (the period is ignored),
	// overdue against today.
	Backlog(ctx context.Context, s *Scope, f StatsFilter, today Date) (*Backlog, error)
	// HardshipFigures counts the 困难职工档案 of the period's years by tier.
	HardshipFigures(ctx context.Context, s *Scope, f StatsFilter) (map[HardshipTier]int, error)
}
