package summary

import (
	"context"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/policy"
)

func init() { Register(careSection{}) }

// careSection is 慰问: the period's paid care by category and form, and
// what the records say is lagging (coverage, backlog, signatures).
type careSection struct{}

func (careSection) Order() int { return 20 }

// How low a suborg's coverage must be to be named: under half the
// subtree's rate, with enough members for the rate to mean something.
const (
	lowCoverageShare  = 0.5
	lowCoverageMin    = 5
	maxNamedOrgs      = 5
	unusedBudgetShare = 0.8 // a closed campaign that spent less used its budget poorly
)

func (careSection) Write(ctx context.Context, in *Input, d *Draft) error {
	if !in.Scope.CanAny(nuanxin.PermCareRead) {
		return nil
	}
	f := in.Filter
	total, err := in.CareTotal(ctx)
	if err != nil {
		return err
	}
	if in.Campaign == nil && total.Cases > 0 {
		if err := careAchievements(ctx, in, d, total); err != nil {
			return err
		}
	}
	if total.Cases > 0 {
		d.Opening = sentence("summary.opening.care", nuanxin.Fig(persons(total.Persons), CareHref(f, "", "", 0)),
			nuanxin.Fig(personTimes(total.Cases), CareHref(f, "", "", 0)), nuanxin.Fig(yuan(total.Amount), CareHref(f, "", "", 0)))
	}
	// A campaign reaches whom its criteria select: a suborg it left out
	// is no shortfall, so coverage is judged on whole periods only.
	if in.Campaign == nil {
		if err := careCoverage(ctx, in, d); err != nil {
			return err
		}
	}
	if err := careBacklog(ctx, in, d); err != nil {
		return err
	}
	careHolidays(in, d)
	return nil
}

func careAchievements(ctx context.Context, in *Input, d *Draft, total nuanxin.CareStat) error {
	f := in.Filter
	all := CareHref(f, "", "", 0)
	p1 := sentence("summary.care.total", nuanxin.Plain(in.PeriodLabel()), nuanxin.Fig(persons(total.Persons), all),
		nuanxin.Fig(personTimes(total.Cases), all), nuanxin.Fig(yuan(total.Amount), all))
	forms, err := in.Stats.CareByForm(ctx, in.Scope, f)
	if err != nil {
		return err
	}
	if len(forms) > 1 {
		p1 = append(p1, nuanxin.Plain(nuanxin.T("summary.care.of_which")))
		for i, x := range forms {
			if i > 0 {
				p1 = append(p1, nuanxin.Plain("、"))
			}
			p1 = append(p1, nuanxin.Plain(x.Label), nuanxin.Fig(yuan(x.Amount), CareHref(f, "", nuanxin.CareForm(x.Key), 0)))
		}
	}
	p1 = append(p1, nuanxin.Plain("。"))
	cats, err := in.Stats.CareByCategory(ctx, in.Scope, f)
	if err != nil {
		return err
	}
	var p2 []nuanxin.Run
	for _, x := range cats {
		c := nuanxin.CareCategory(x.Key)
		href := CareHref(f, c, "", 0)
		var s []nuanxin.Run
		switch c {
		case nuanxin.CareIllness, nuanxin.CareRelativeDeath, nuanxin.CareDeath:
			s = sentence("summary.care.cat."+x.Key, nuanxin.Fig(personTimes(x.Cases), href), nuanxin.Fig(yuan(x.Amount), href))
		case nuanxin.CareHoliday, nuanxin.CareHardship:
			s = sentence("summary.care.cat."+x.Key, nuanxin.Fig(persons(x.Persons), href), nuanxin.Fig(personTimes(x.Cases), href), nuanxin.Fig(yuan(x.Amount), href))
		case nuanxin.CareBirthday, nuanxin.CareWedding, nuanxin.CareBirth, nuanxin.CareRetirement:
			s = sentence("summary.care.cat."+x.Key, nuanxin.Fig(persons(x.Persons), href), nuanxin.Fig(yuan(x.Amount), href))
		default: // 其他 and a union's own categories
			s = sentence("summary.care.cat.other", nuanxin.Plain(x.Label), nuanxin.Fig(personTimes(x.Cases), href), nuanxin.Fig(yuan(x.Amount), href))
		}
		if len(p2) > 0 {
			p2 = append(p2, nuanxin.Plain("；"))
		}
		p2 = append(p2, s...)
	}
	paras := [][]nuanxin.Run{p1}
	if len(p2) > 0 {
		p2 = append([]nuanxin.Run{nuanxin.Plain(nuanxin.T("summary.care.by_category"))}, p2...)
		p2 = append(p2, nuanxin.Plain("。"))
		paras = append(paras, p2)
	}
	d.Topics = append(d.Topics, Topic{Title: nuanxin.T("summary.care.title"), Paras: paras})
	return nil
}

// careCoverage names the suborgs whose coverage lags: none cared for, or
// under half the subtree's rate.
func careCoverage(ctx context.Context, in *Input, d *Draft) error {
	cov, err := in.Stats.Coverage(ctx, in.Scope, in.Filter)
	if err != nil {
		return err
	}
	var members, reached int
	for _, c := range cov {
		members += c.Members
		reached += c.Persons
	}
	if members == 0 || len(cov) < 2 {
		return nil
	}
	avg := float64(reached) / float64(members)
	var none, low []nuanxin.Run
	var nNone, nLow int
	for _, c := range cov { // lowest rate first
		if c.Members < lowCoverageMin {
			continue
		}
		href := StatsHref(nuanxin.StatsFilter{OrgID: c.OrgID, Period: in.Filter.Period, CampaignID: in.Filter.CampaignID})
		switch {
		case c.Persons == 0 && nNone < maxNamedOrgs:
			nNone++
			if len(none) > 0 {
				none = append(none, nuanxin.Plain("、"))
			}
			none = append(none, nuanxin.Fig(c.OrgName, href))
		case c.Persons > 0 && c.Rate() < avg*lowCoverageShare && nLow < maxNamedOrgs:
			nLow++
			if len(low) > 0 {
				low = append(low, nuanxin.Plain("、"))
			}
			low = append(low, nuanxin.Plain(c.OrgName+"（"), nuanxin.Fig(pct(c.Persons, c.Members), href), nuanxin.Plain("）"))
		}
	}
	if len(none) > 0 {
		d.Problems = append(d.Problems, append(append(sentence("summary.problem.no_care_pre", nuanxin.Plain(in.PeriodLabel())), none...),
			nuanxin.Plain(nuanxin.T("summary.problem.no_care"))))
	}
	if len(low) > 0 {
		p := append([]nuanxin.Run{nuanxin.Plain(nuanxin.T("summary.problem.low_coverage_pre"))}, low...)
		p = append(p, sentence("summary.problem.low_coverage", nuanxin.Fig(pct(reached, members), StatsHref(in.Filter)))...)
		d.Problems = append(d.Problems, p)
	}
	if len(none) > 0 || len(low) > 0 {
		d.Plans = append(d.Plans, []nuanxin.Run{nuanxin.Plain(nuanxin.T("summary.plan.coverage"))})
	}
	return nil
}

// careBacklog reports cases waiting past nuanxin.OverdueDays and paid
// cases not signed for.
func careBacklog(ctx context.Context, in *Input, d *Draft) error {
	b, err := in.Stats.Backlog(ctx, in.Scope, in.Filter, in.Today)
	if err != nil {
		return err
	}
	org := in.Filter.OrgID
	var late []nuanxin.Run
	for _, st := range []nuanxin.CareStatus{nuanxin.CareSubmitted, nuanxin.CareReviewed, nuanxin.CareApproved} {
		l := b.Line(st)
		if l.Overdue == 0 {
			continue
		}
		if len(late) > 0 {
			late = append(late, nuanxin.Plain("，"))
		}
		late = append(late, sentence("summary.problem.late."+string(st), nuanxin.Fig(nuanxin.T("summary.cases", l.Overdue), CareStatusHref(org, st)))...)
	}
	if len(late) > 0 {
		p := sentence("summary.problem.late_pre", nuanxin.Plain(in.Today.Chinese()), nuanxin.Plain(itoa(nuanxin.OverdueDays)))
		p = append(p, late...)
		p = append(p, nuanxin.Plain(nuanxin.T("summary.problem.late")))
		d.Problems = append(d.Problems, p)
		d.Plans = append(d.Plans, []nuanxin.Run{nuanxin.Plain(nuanxin.T("summary.plan.backlog"))})
	}
	if l := b.Line(nuanxin.CarePaid); l.Count > 0 {
		href := CareStatusHref(org, nuanxin.CarePaid)
		d.Problems = append(d.Problems, sentence("summary.problem.unsigned", nuanxin.Plain(in.Today.Chinese()),
			nuanxin.Fig(personTimes(l.Count), href), nuanxin.Fig(yuan(l.Amount), href), nuanxin.Fig(personTimes(l.Overdue), href),
			nuanxin.Plain(itoa(nuanxin.OverdueDays))))
		d.Plans = append(d.Plans, []nuanxin.Run{nuanxin.Plain(nuanxin.T("summary.plan.unsigned"))})
	}
	return nil
}

// careHolidays plans the next holidays' 慰问 by their dates (a lunar
// holiday moves every year).
func careHolidays(in *Input, d *Draft) {
	if in.Campaign != nil {
		return
	}
	end := in.Filter.Period.To
	var next []string
	for _, y := range []int{end.Year, end.Year + 1} {
		for _, h := range policy.HolidayDates(y) {
			if h.Date.After(end) && len(next) < 2 {
				next = append(next, nuanxin.T("summary.holiday_on", h.Holiday.Label(), h.Date.Chinese()))
			}
		}
	}
	if len(next) > 0 {
		d.Plans = append(d.Plans, []nuanxin.Run{nuanxin.Plain(nuanxin.T("summary.plan.holidays", joinCN(next)))})
	}
}
