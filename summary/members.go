package summary

import (
	"context"

	"github.com/nuanxin/nuanxin"
)

func init() { Register(membersSection{}) }

// membersSection is 会员发展: the members now and the period's 会籍变动.
type membersSection struct{}

func (membersSection) Order() int { return 10 }

func (membersSection) Write(ctx context.Context, in *Input, d *Draft) error {
	if in.Campaign != nil || !in.Scope.CanAny(nuanxin.PermMemberRead) {
		return nil
	}
	mf, err := in.Stats.MemberFigures(ctx, in.Scope, in.Filter)
	if err != nil {
		return err
	}
	n := mf.ByStatus[nuanxin.StatusMember]
	if n == 0 {
		return nil
	}
	events, err := in.Stats.MemberEvents(ctx, in.Scope, in.Filter)
	if err != nil {
		return err
	}
	org := in.Filter.OrgID
	runs := sentence("summary.members.total", nuanxin.Plain(in.Today.Chinese()), nuanxin.Plain(in.Org.Name),
		nuanxin.Fig(persons(n), MembersHref(org, nuanxin.StatusMember, "")))
	var parts []nuanxin.Run
	for _, c := range nuanxin.Categories {
		if k := mf.ByCategory[c]; k > 0 {
			if len(parts) > 0 {
				parts = append(parts, nuanxin.Plain("、"))
			}
			parts = append(parts, nuanxin.Plain(c.Label()), nuanxin.Fig(persons(k), MembersHref(org, nuanxin.StatusMember, c)))
		}
	}
	if len(parts) > 0 {
		runs = append(runs, nuanxin.Plain(nuanxin.T("summary.members.of_which")))
		runs = append(runs, parts...)
	}
	runs = append(runs, nuanxin.Plain("。"))
	// The period's changes, in the order a 总结 lists them.
	var moves []nuanxin.Run
	for _, k := range []nuanxin.EventKind{nuanxin.EventJoin, nuanxin.EventTransferIn, nuanxin.EventTransferOut, nuanxin.EventRetire, nuanxin.EventWithdraw, nuanxin.EventDeath} {
		if c := events[k]; c > 0 {
			if len(moves) > 0 {
				moves = append(moves, nuanxin.Plain("，"))
			}
			moves = append(moves, sentence("summary.members.event."+string(k), nuanxin.Fig(persons(c), MembersHref(org, "", "")))...)
		}
	}
	if len(moves) > 0 {
		runs = append(runs, nuanxin.Plain(in.PeriodLabel()))
		runs = append(runs, moves...)
		runs = append(runs, nuanxin.Plain("。"))
	}
	if r := mf.ByStatus[nuanxin.StatusReserved]; r > 0 {
		runs = append(runs, sentence("summary.members.reserved", nuanxin.Fig(persons(r), MembersHref(org, nuanxin.StatusReserved, "")))...)
	}
	d.Topics = append(d.Topics, Topic{Title: nuanxin.T("summary.members.title"), Paras: [][]nuanxin.Run{runs}})
	return nil
}
