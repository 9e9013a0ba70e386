package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/summary"
)

// countItem is one figure of the 工作台, linking to the list it counts.
type countItem struct {
	Label  string
	Count  int
	Capped bool
	Href   string
	Class  string
	Share  string // of the whole, "86.8%"
	Swatch int    // the chart colour of the line, 1-based; 0 for none
}

// homeData is the 工作台: the members now, the care of a period (this year
// by default) and what waits. Each figure comes from its one function of
// nuanxin.StatsService and links to the list behind it.
type homeData struct {
	Q          *statsQuery
	Members    *countItem
	ByStatus   []countItem
	ByCategory []countItem
	Orgs       *countItem
	Closed     int
	Care       *homeCare    // 慰问 待办 (care.go)
	Fig        *homeFigures // the care figures; nil without care.read
	Charts     *chartSet    // nil when there is nothing to draw
}

// homeFigures are the care figures of the period.
type homeFigures struct {
	Total        nuanxin.CareStat
	TotalHref    string
	Wan          string
	ByCategory   []statLine
	ByMonth      []statLine
	Campaigns    []campaignLine
	Backlog      []backlogLine
	Coverage     []coverageLine
	CoverageMore []coverageLine
	StatsHref    string // "" without report.read
	OverdueDays  int
}

// campaignLine is a 专项活动 against its budget.
type campaignLine struct {
	C       nuanxin.CampaignFigure
	Href    string
	Pct     string  // of the budget spent, "42.5%"
	Bar     float64 // the bar's length, 0–100
	Over    bool
	OverBy  nuanxin.Money
	Planned int
}

// backlogLine is one step of the 办理进度 table.
type backlogLine struct {
	L     nuanxin.BacklogLine
	Label string
	Href  string
}

// coverageLine is a suborg of the coverage ranking.
type coverageLine struct {
	C           nuanxin.OrgCoverage
	Rank        int
	Name        string
	Href        string // the statistics of the suborg
	MembersHref string
	PersonsHref string
	Pct         string
	Bar         float64
}

// coverageShown is how many suborgs the ranking shows before 其余.
const coverageShown = 10

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	sc := scopeOf(r)
	if !sc.CanAny(nuanxin.PermMemberRead) && !sc.CanAny(nuanxin.PermOrgRead) && sc.MemberID != 0 {
		http.Redirect(w, r, "/me", http.StatusSeeOther)
		return
	}
	ctx := r.Context()
	d := &homeData{}
	var orgs []*nuanxin.Org
	if sc.CanAny(nuanxin.PermOrgRead) {
		var err error
		if orgs, err = s.orgs.FindOrgs(ctx, sc, nuanxin.OrgFilter{IncludeClosed: true}); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	perm := nuanxin.PermCareRead
	if !sc.CanAny(perm) {
		perm = nuanxin.PermMemberRead
	}
	q, err := s.parseStatsQuery(r, perm, orgs)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Q = q
	f := q.F
	if sc.CanAny(nuanxin.PermOrgRead) {
		open := 0
		for _, o := range orgs {
			if q.Org != nil && !strings.HasPrefix(o.Path, q.Org.Path) {
				continue
			}
			if o.Closed {
				d.Closed++
			} else {
				open++
			}
		}
		d.Orgs = &countItem{Label: nuanxin.T("ui.home.orgs"), Count: open, Href: "/orgs"}
	}
	charts := newChartSet()
	if sc.CanAny(nuanxin.PermMemberRead) {
		mf, err := s.stats.MemberFigures(ctx, sc, f)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Members = &countItem{Label: nuanxin.T("ui.home.members_in"), Count: mf.ByStatus[nuanxin.StatusMember],
			Href: summary.MembersHref(f.OrgID, nuanxin.StatusMember, "")}
		for _, st := range nuanxin.MemberStatuses {
			d.ByStatus = append(d.ByStatus, countItem{Label: st.Label(), Count: mf.ByStatus[st],
				Href: summary.MembersHref(f.OrgID, st, "")})
		}
		var pts []chartPoint
		in := int64(mf.ByStatus[nuanxin.StatusMember])
		for i, cat := range nuanxin.Categories {
			it := countItem{Label: cat.Label(), Count: mf.ByCategory[cat], Swatch: i + 1,
				Href: summary.MembersHref(f.OrgID, nuanxin.StatusMember, cat)}
			if it.Count > 0 {
				it.Share = percent(int64(it.Count), in)
				pts = append(pts, chartPoint{Label: it.Label, Count: it.Count, Href: it.Href, Color: i})
			}
			d.ByCategory = append(d.ByCategory, it)
		}
		if len(pts) > 0 {
			charts.Charts["members"] = chartData{Kind: "donut", Points: pts}
		}
	}
	if sc.CanAny(nuanxin.PermCareRead) {
		fig, err := s.homeFigures(r, q)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Fig = fig
		if fig.Total.Cases > 0 {
			charts.Charts["months"] = chartData{Kind: "months", Points: linePoints(fig.ByMonth)}
			charts.Charts["category"] = chartData{Kind: "bars", Points: linePoints(fig.ByCategory)}
		}
	}
	if len(charts.Charts) > 0 {
		d.Charts = charts
	}
	d.Care = s.homeCareOf(r)
	status := http.StatusOK
	if q.Err != "" {
		status = http.StatusUnprocessableEntity
	}
	s.page(w, r, status, "home", nuanxin.T("ui.nav.home"), "home", d)
}

// homeFigures calls each care figure of the 工作台 once.
func (s *Server) homeFigures(r *http.Request, q *statsQuery) (*homeFigures, error) {
	sc, ctx, f := scopeOf(r), r.Context(), q.F
	total, err := s.stats.CareTotal(ctx, sc, f)
	if err != nil {
		return nil, err
	}
	byCat, err := s.stats.CareByCategory(ctx, sc, f)
	if err != nil {
		return nil, err
	}
	byMonth, err := s.stats.CareByMonth(ctx, sc, f)
	if err != nil {
		return nil, err
	}
	camps, err := s.stats.Campaigns(ctx, sc, f)
	if err != nil {
		return nil, err
	}
	backlog, err := s.stats.Backlog(ctx, sc, f, s.today())
	if err != nil {
		return nil, err
	}
	cov, err := s.stats.Coverage(ctx, sc, f)
	if err != nil {
		return nil, err
	}
	fig := &homeFigures{Total: total, TotalHref: summary.CareHref(f, "", "", 0), Wan: wan(total.Amount),
		OverdueDays: nuanxin.OverdueDays}
	if sc.CanAny(nuanxin.PermReportRead) {
		fig.StatsHref = summary.StatsHref(f)
	}
	fig.ByCategory = careLines(byCat, total.Amount, func(x nuanxin.CareStat) string {
		return summary.CareHref(f, nuanxin.CareCategory(x.Key), "", 0)
	})
	oneYear := sameYear(f.Period)
	fig.ByMonth = careLines(byMonth, total.Amount, func(x nuanxin.CareStat) string {
		return summary.CareHref(f, "", "", monthKeyOf(x.Key))
	})
	for i := range fig.ByMonth {
		if m := monthKeyOf(fig.ByMonth[i].Key); m != 0 {
			fig.ByMonth[i].Label = monthLabel(m, oneYear)
		}
	}
	for _, c := range camps {
		l := campaignLine{C: c, Href: summary.CampaignHref(c.ID)}
		if c.Budget > 0 {
			l.Pct = percent(int64(c.Spent), int64(c.Budget))
			l.Bar = min(100, float64(c.Spent)*100/float64(c.Budget))
			if c.Spent > c.Budget {
				l.Over, l.OverBy = true, c.Spent-c.Budget
			}
		}
		fig.Campaigns = append(fig.Campaigns, l)
	}
	for _, b := range backlog.Lines {
		fig.Backlog = append(fig.Backlog, backlogLine{L: b, Label: b.Status.Label(), Href: summary.CareStatusHref(f.OrgID, b.Status)})
	}
	root := q.RootID()
	for i, c := range cov {
		l := coverageLine{C: c, Rank: i + 1, Name: c.OrgName,
			MembersHref: summary.MembersHref(c.OrgID, nuanxin.StatusMember, ""),
			PersonsHref: summary.CareHref(nuanxin.StatsFilter{OrgID: c.OrgID, Period: f.Period, CampaignID: f.CampaignID}, "", "", 0)}
		if c.OrgID == root && root != 0 {
			l.Name = nuanxin.T("ui.stats.own", c.OrgName)
		} else if fig.StatsHref != "" {
			l.Href = summary.StatsHref(nuanxin.StatsFilter{OrgID: c.OrgID, Period: f.Period})
		}
		if c.Members > 0 {
			l.Pct = percent(int64(c.Persons), int64(c.Members))
			l.Bar = min(100, c.Rate()*100)
		}
		if i < coverageShown {
			fig.Coverage = append(fig.Coverage, l)
		} else {
			fig.CoverageMore = append(fig.CoverageMore, l)
		}
	}
	return fig, nil
}

// monthKeyOf reads a CareByMonth key ("2026-03") as 202603; 0 if it is
// not one.
func monthKeyOf(k string) int {
	y, m, ok := strings.Cut(k, "-")
	if !ok {
		return 0
	}
	yy, err1 := strconv.Atoi(y)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || mm < 1 || mm > 12 {
		return 0
	}
	return yy*100 + mm
}

type meData struct {
	Member    *nuanxin.Member
	Relatives []*nuanxin.Relative
	Events    []*nuanxin.MemberEvent
}

// handleMe is the self-service page of a 会员: their own record.
func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	sc := scopeOf(r)
	d := &meData{}
	if sc.MemberID != 0 {
		m, err := s.members.FindMemberByID(r.Context(), sc, sc.MemberID)
		switch nuanxin.ErrorCode(err) {
		case "":
			d.Member = m
			if rel, err := s.members.FindRelatives(r.Context(), sc, m.ID); err == nil {
				d.Relatives = rel
			} else {
				s.logIfInternal(r, err)
			}
			if ev, err := s.members.FindMemberEvents(r.Context(), sc, m.ID); err == nil {
				d.Events = ev
			} else {
				s.logIfInternal(r, err)
			}
		case nuanxin.ENOTFOUND, nuanxin.EFORBIDDEN:
		default:
			s.fail(w, r, err)
			return
		}
	}
	s.page(w, r, http.StatusOK, "me", nuanxin.T("ui.nav.me"), "me", d)
}
