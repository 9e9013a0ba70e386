// Package summary writes the 工作总结 from the records: a title, an
// opening paragraph, "一、主要工作及成效" with a numbered part per capability
// that has data, "二、存在的问题和不足" and "三、下一步工作打算" derived from
// the same figures. Every figure comes from nuanxin.StatsService (the
// functions the dashboard and the statistics page call) and links to the
// list behind it.
//
// Sections are pluggable: a capability registers a Section from an init
// function (members.go, care.go, campaigns.go, hardship.go) and the
// generator needs no change.
package summary

import (
	"context"
	"sort"
	"strings"
	"sync"

	"github.com/nuanxin/nuanxin"
)

// Input is what a section writes from.
type Input struct {
	Scope *nuanxin.Scope
	// Org is the subtree's root; Parent its parent org (nil at the top).
	Org, Parent *nuanxin.Org
	Filter      nuanxin.StatsFilter
	// Campaign is set when the summary is of one campaign.
	Campaign *nuanxin.Campaign
	Today    nuanxin.Date
	Stats    nuanxin.StatsService

	once  sync.Once
	total nuanxin.CareStat
	err   error
}

// CareTotal is the period's care total, computed once for all sections.
func (in *Input) CareTotal(ctx context.Context) (nuanxin.CareStat, error) {
	in.once.Do(func() { in.total, in.err = in.Stats.CareTotal(ctx, in.Scope, in.Filter) })
	return in.total, in.err
}

// PeriodLabel is how sentences name the period: 全年 for a year, else the
// period's label (2026年上半年).
func (in *Input) PeriodLabel() string {
	if in.Campaign != nil {
		return nuanxin.T("summary.during_campaign")
	}
	if in.Filter.Period.IsYear() {
		return nuanxin.T("summary.whole_year")
	}
	return in.Filter.Period.Label()
}

// Topic is one numbered part of "一、主要工作及成效": a title and its
// paragraphs.
type Topic struct {
	Title string
	Paras [][]nuanxin.Run
}

// Draft collects what the sections say, part by part.
type Draft struct {
	Topics   []Topic
	Problems [][]nuanxin.Run // each becomes "一是……" of part 二
	Plans    [][]nuanxin.Run // each becomes "一是……" of part 三
	// Opening adds to the opening paragraph's figures (the care section
	// puts the year's total there).
	Opening []nuanxin.Run
}

// Section writes the part of the summary of one capability. It adds
// nothing when it has no data for the period.
type Section interface {
	// Order places the section: members 10, care 20, campaigns 30,
	// hardship 40; later capabilities pick their own.
	Order() int
	Write(ctx context.Context, in *Input, d *Draft) error
}

var (
	regMu    sync.Mutex
	sections []Section
)

// Register adds a section to every summary written from now on.
func Register(s Section) {
	regMu.Lock()
	defer regMu.Unlock()
	sections = append(sections, s)
	sort.SliceStable(sections, func(i, j int) bool { return sections[i].Order() < sections[j].Order() })
}

// Sections are the registered sections in order.
func Sections() []Section {
	regMu.Lock()
	defer regMu.Unlock()
	return append([]Section(nil), sections...)
}

// Request says what to summarise.
type Request struct {
	OrgID      int64
	Period     nuanxin.Period
	CampaignID int64 // a campaign's summary: its period is the campaign's
	Theme      string
	Today      nuanxin.Date
}

// Generator writes summaries.
type Generator struct {
	Stats     nuanxin.StatsService
	Orgs      nuanxin.OrgService
	Campaigns nuanxin.CampaignService
	// Sections defaults to the registered ones.
	Sections []Section
}

// Generate writes the summary of r from the records the caller may read.
func (g *Generator) Generate(ctx context.Context, s *nuanxin.Scope, r Request) (*nuanxin.Summary, error) {
	if r.Today.IsZero() {
		r.Today = nuanxin.Today()
	}
	in := &Input{Scope: s, Today: r.Today, Stats: g.Stats, Filter: nuanxin.StatsFilter{OrgID: r.OrgID, Period: r.Period}}
	if r.CampaignID != 0 {
		c, err := g.Campaigns.FindCampaign(ctx, s, r.CampaignID)
		if err != nil {
			return nil, err
		}
		in.Campaign = c
		in.Filter.CampaignID = c.ID
		in.Filter.Period = nuanxin.Period{From: c.From, To: c.To}
		if in.Filter.OrgID == 0 {
			in.Filter.OrgID = c.OrgID
		}
	}
	if !in.Filter.Period.Valid() {
		return nil, nuanxin.Invalid("period", "period.invalid", in.Filter.Period.String())
	}
	if in.Filter.OrgID == 0 {
		return nil, nuanxin.Invalid("org", "summary.org")
	}
	org, err := g.Orgs.FindOrgByID(ctx, s, in.Filter.OrgID)
	if err != nil {
		return nil, err
	}
	if c := in.Campaign; c != nil && !strings.HasPrefix(org.Path, c.OrgPath) {
		// A campaign is summed up for its own org (or a suborg of it): a
		// higher org's other suborgs were never in it.
		if org, err = g.Orgs.FindOrgByID(ctx, s, c.OrgID); err != nil {
			return nil, err
		}
		in.Filter.OrgID = org.ID
	}
	in.Org = org
	if org.ParentID != 0 {
		// The parent may be outside the caller's scope: then it goes unnamed.
		if p, err := g.Orgs.FindOrgByID(ctx, nuanxin.SystemScope(), org.ParentID); err == nil {
			in.Parent = p
		}
	}
	d := &Draft{}
	secs := g.Sections
	if secs == nil {
		secs = Sections()
	}
	for _, sec := range secs {
		if err := sec.Write(ctx, in, d); err != nil {
			return nil, err
		}
	}
	return assemble(in, r, d), nil
}

// assemble lays the draft out as a 公文.
func assemble(in *Input, r Request, d *Draft) *nuanxin.Summary {
	sum := &nuanxin.Summary{OrgID: in.Org.ID, OrgPath: in.Org.Path, OrgName: in.Org.Name, Period: in.Filter.Period,
		Author: in.Org.Name, Date: in.Today}
	if in.Campaign != nil {
		sum.CampaignID = in.Campaign.ID
		sum.Title = nuanxin.T("summary.title.campaign", in.Org.Name, in.Campaign.Name)
	} else {
		sum.Title = nuanxin.T("summary.title", in.Org.Name, in.Filter.Period.Label())
	}
	theme := strings.TrimSpace(r.Theme)
	if theme == "" {
		theme = nuanxin.T("summary.theme.default")
	}
	leader := nuanxin.T("summary.leader.top")
	if in.Parent != nil {
		leader = nuanxin.T("summary.leader", in.Parent.Name)
	}
	when := in.Filter.Period.Label()
	if in.Campaign != nil {
		when = nuanxin.T("summary.campaign_when", in.Campaign.Name)
	}
	opening := []nuanxin.Run{nuanxin.Plain(nuanxin.T("summary.opening", when, in.Org.Name, leader, theme))}
	opening = append(opening, d.Opening...)
	opening = append(opening, nuanxin.Plain(nuanxin.T("summary.opening.end")))
	sum.Blocks = append(sum.Blocks, nuanxin.Para(opening...))

	head := func(key string) {
		sum.Blocks = append(sum.Blocks, nuanxin.SummaryBlock{Kind: nuanxin.BlockHeading, Runs: []nuanxin.Run{nuanxin.Plain(nuanxin.T(key))}})
	}
	head("summary.part.achievements")
	if len(d.Topics) == 0 {
		sum.Blocks = append(sum.Blocks, nuanxin.Para(nuanxin.Plain(nuanxin.T("summary.no_data", in.Filter.Period.Label()))))
	}
	for i, t := range d.Topics {
		sum.Blocks = append(sum.Blocks, nuanxin.SummaryBlock{Kind: nuanxin.BlockSubheading,
			Runs: []nuanxin.Run{nuanxin.Plain(chineseOrdinal(i+1, true) + t.Title)}})
		for _, p := range t.Paras {
			sum.Blocks = append(sum.Blocks, nuanxin.Para(p...))
		}
	}
	head("summary.part.problems")
	if len(d.Problems) == 0 {
		d.Problems = append(d.Problems, []nuanxin.Run{nuanxin.Plain(nuanxin.T("summary.problems.none"))})
	}
	listed(sum, d.Problems)
	head("summary.part.plans")
	d.Plans = append(d.Plans, []nuanxin.Run{nuanxin.Plain(nuanxin.T("summary.plans.always"))})
	listed(sum, d.Plans)
	return sum
}

// listed writes items as paragraphs "一是……", "二是……"; a single item
// stands alone.
func listed(sum *nuanxin.Summary, items [][]nuanxin.Run) {
	for i, runs := range items {
		if len(items) > 1 {
			runs = append([]nuanxin.Run{nuanxin.Plain(nuanxin.T("summary.nth", chineseOrdinal(i+1, false)))}, runs...)
		}
		sum.Blocks = append(sum.Blocks, nuanxin.Para(runs...))
	}
}

// chineseOrdinal is 一, 二 … 十九 (1–99), in （）when paren.
func chineseOrdinal(n int, paren bool) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	var s string
	switch {
	case n < 10:
		s = digits[n]
	case n < 20:
		s = "十" + digits[n%10]
	default:
		s = digits[n/10] + "十" + digits[n%10]
	}
	if paren {
		return "（" + s + "）"
	}
	return s
}
