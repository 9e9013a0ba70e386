package summary

import (
	"context"

	"github.com/nuanxin/nuanxin"
)

func init() { Register(hardshipSection{}) }

// hardshipSection is 困难职工帮扶: the 困难职工档案 of the period's years
// and the 困难慰问 paid.
type hardshipSection struct{}

func (hardshipSection) Order() int { return 40 }

func (hardshipSection) Write(ctx context.Context, in *Input, d *Draft) error {
	if in.Campaign != nil || !in.Scope.CanAny(nuanxin.PermCareRead) {
		return nil
	}
	tiers, err := in.Stats.HardshipFigures(ctx, in.Scope, in.Filter)
	if err != nil {
		return err
	}
	total := 0
	var parts []nuanxin.Run
	for _, t := range nuanxin.HardshipTiers {
		if n := tiers[t]; n > 0 {
			total += n
			if len(parts) > 0 {
				parts = append(parts, nuanxin.Plain("、"))
			}
			parts = append(parts, nuanxin.Plain(t.Label()), nuanxin.Fig(persons(n), HardshipHref()))
		}
	}
	if total == 0 {
		return nil
	}
	p := sentence("summary.hardship.files", nuanxin.Fig(persons(total), HardshipHref()))
	p = append(p, nuanxin.Plain(nuanxin.T("summary.members.of_which")))
	p = append(p, parts...)
	p = append(p, nuanxin.Plain("。"))
	d.Topics = append(d.Topics, Topic{Title: nuanxin.T("summary.hardship.title"), Paras: [][]nuanxin.Run{p}})
	d.Plans = append(d.Plans, []nuanxin.Run{nuanxin.Plain(nuanxin.T("summary.plan.hardship"))})
	return nil
}
