package summary

import (
	"context"

	"github.com/nuanxin/nuanxin"
)

func init() { Register(campaignsSection{}) }

// campaignsSection is 专项活动: each campaign of the period against its
// budget; for one campaign's summary, its reach per suborg too.
type campaignsSection struct{}

func (campaignsSection) Order() int { return 30 }

func (campaignsSection) Write(ctx context.Context, in *Input, d *Draft) error {
	if !in.Scope.CanAny(nuanxin.PermCareRead) {
		return nil
	}
	cs, err := in.Stats.Campaigns(ctx, in.Scope, in.Filter)
	if err != nil {
		return err
	}
	var paras [][]nuanxin.Run
	for _, c := range cs {
		if c.Status == nuanxin.CampaignDraft {
			continue
		}
		href := CampaignHref(c.ID)
		p := sentence("summary.campaign.line", nuanxin.Fig("“"+c.Name+"”", href), nuanxin.Plain(c.From.Chinese()), nuanxin.Plain(c.To.Chinese()))
		if c.Persons > 0 {
			p = append(p, sentence("summary.campaign.persons",
				nuanxin.Fig(persons(c.Persons), CareHref(nuanxin.StatsFilter{OrgID: in.Filter.OrgID, CampaignID: c.ID}, "", "", 0)))...)
		}
		if c.Orgs > 0 {
			p = append(p, sentence("summary.campaign.orgs", nuanxin.Fig(nuanxin.T("summary.orgs", c.Orgs), href))...)
		}
		p = append(p, sentence("summary.campaign.spent", nuanxin.Fig(yuan(c.Spent), href))...)
		if c.Budget > 0 {
			p = append(p, sentence("summary.campaign.budget", nuanxin.Plain(yuan(c.Budget)), nuanxin.Fig(pctMoney(c.Spent, c.Budget), href))...)
		}
		p = append(p, nuanxin.Plain("。"))
		paras = append(paras, p)
		switch {
		case c.Budget > 0 && c.Spent > c.Budget:
			d.Problems = append(d.Problems, sentence("summary.problem.over_budget", nuanxin.Fig("“"+c.Name+"”", href),
				nuanxin.Plain(yuan(c.Budget)), nuanxin.Fig(yuan(c.Spent-c.Budget), href)))
		case c.Budget > 0 && c.Status == nuanxin.CampaignClosed && float64(c.Spent) < float64(c.Budget)*unusedBudgetShare:
			d.Problems = append(d.Problems, sentence("summary.problem.unused_budget", nuanxin.Fig("“"+c.Name+"”", href),
				nuanxin.Fig(pctMoney(c.Spent, c.Budget), href), nuanxin.Plain(yuan(c.Budget-c.Spent))))
			d.Plans = append(d.Plans, []nuanxin.Run{nuanxin.Plain(nuanxin.T("summary.plan.budget"))})
		case c.Budget > 0 && c.Status == nuanxin.CampaignApproved && c.To.Before(in.Today) && c.Spent < c.Budget:
			d.Problems = append(d.Problems, sentence("summary.problem.open_campaign", nuanxin.Fig("“"+c.Name+"”", href),
				nuanxin.Plain(c.To.Chinese())))
		}
	}
	if len(paras) == 0 {
		return nil
	}
	if in.Campaign != nil {
		cov, err := in.Stats.Coverage(ctx, in.Scope, in.Filter)
		if err != nil {
			return err
		}
		var p []nuanxin.Run
		for _, c := range cov {
			if c.Cases == 0 {
				continue
			}
			if len(p) > 0 {
				p = append(p, nuanxin.Plain("；"))
			}
			f := nuanxin.StatsFilter{OrgID: c.OrgID, CampaignID: in.Campaign.ID}
			p = append(p, nuanxin.Plain(c.OrgName), nuanxin.Fig(persons(c.Persons), CareHref(f, "", "", 0)), nuanxin.Plain("、"), nuanxin.Fig(yuan(c.Amount), CareHref(f, "", "", 0)))
		}
		if len(p) > 0 {
			p = append([]nuanxin.Run{nuanxin.Plain(nuanxin.T("summary.campaign.by_org"))}, p...)
			paras = append(paras, append(p, nuanxin.Plain("。")))
		}
	}
	d.Topics = append(d.Topics, Topic{Title: nuanxin.T("summary.campaign.title"), Paras: paras})
	return nil
}
