package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/policy"
)

// CareSink is what the 慰问 demo needs of the store.
type CareSink interface {
	nuanxin.UserService
	nuanxin.MemberService
	nuanxin.CareService
	nuanxin.PolicyService
	nuanxin.CampaignService
}

// CareResult tells what the 慰问 demo made.
type CareResult struct {
	Cases, Batches int
	Campaigns      int
	Pack           string // the name of the pack the group adopted
}

// DemoPack is the provincial pack the demo group adopts.
const DemoPack = "anhui-2018"

// GenerateCare gives the demo a year of 慰问 in the first 基层工会: the group
// adopts the 安徽 pack; birthdays, holidays, illness, births, weddings and
// retirements go through the real workflow (the clerk drafts, the reviewer
// reviews, the chair approves, the clerk pays in monthly batches and records
// the signatures), and the current month is left part-done, so the 待办 and
// the must-visit list have something in them. It runs through the services,
// so every case is checked against the policy and audited like a real one.
func GenerateCare(ctx context.Context, sink CareSink, opt Options) (*CareResult, error) {
	if opt.Seed == 0 {
		opt.Seed = DefaultSeed
	}
	if opt.Today.IsZero() {
		opt.Today = nuanxin.Today()
	}
	d := &careDemo{sink: sink, today: opt.Today, r: rand.New(rand.NewPCG(uint64(opt.Seed), 0x63617265))} // "care"
	var err error
	for _, p := range []struct {
		dst  **nuanxin.Scope
		name string
	}{{&d.admin, "admin"}, {&d.clerk, "clerk"}, {&d.reviewer, "reviewer"}, {&d.chair, "chair"}} {
		if *p.dst, err = scopeOf(ctx, sink, p.name); err != nil {
			return nil, err
		}
	}
	root, base := d.admin.Grants[0].OrgID, d.clerk.Grants[0].OrgID
	if err := sink.AdoptPack(ctx, d.admin, root, DemoPack, "集团工会第二届会员代表大会第三次会议决议",
		nuanxin.NewDate(opt.Today.Year-1, 1, 1)); err != nil {
		return nil, fmt.Errorf("demo: adopt pack: %w", err)
	}
	list, err := sink.FindMembers(ctx, d.clerk, nuanxin.MemberFilter{OrgID: base, Status: nuanxin.StatusMember, Limit: 400})
	if err != nil {
		return nil, err
	}
	if err := d.run(ctx, list.Members); err != nil {
		return nil, err
	}
	if err := d.campaigns(ctx, base); err != nil {
		return nil, err
	}
	for _, p := range sink.PolicyPacks() {
		if p.Code == DemoPack {
			d.res.Pack = p.Name
		}
	}
	return &d.res, nil
}

// careDemo holds the officers' scopes and the random stream.
type careDemo struct {
	sink                          CareSink
	admin, clerk, reviewer, chair *nuanxin.Scope
	r                             *rand.Rand
	today                         nuanxin.Date
	res                           CareResult
}

func scopeOf(ctx context.Context, sink CareSink, username string) (*nuanxin.Scope, error) {
	u, err := sink.FindUserByName(ctx, nuanxin.SystemScope(), username)
	if err != nil {
		return nil, fmt.Errorf("demo: user %s: %w", username, err)
	}
	if len(u.Grants) == 0 {
		return nil, fmt.Errorf("demo: user %s has no grant", username)
	}
	return &nuanxin.Scope{UserID: u.ID, Username: u.Username, Grants: u.Grants}, nil
}

// stage is how far through the workflow a demo case goes.
type stage int

const (
	toDraft stage = iota
	toSubmitted
	toReviewed
	toApproved
	toPaid
	toSigned
)

// plan is one month's cases, all at the same stage, paid as one batch.
type plan struct {
	cases []*nuanxin.CareCase
	stage stage
	paid  nuanxin.Date
	head  string
}

func (d *careDemo) run(ctx context.Context, ms []*nuanxin.Member) error {
	if len(ms) < 40 {
		return nil // a tiny demo has no room for a year of cases
	}
	today := d.today
	monthStart := nuanxin.NewDate(today.Year, today.Month, 1)
	var plans []*plan
	byMonth := map[nuanxin.Date]*plan{}
	month := func(day nuanxin.Date) *plan {
		key := nuanxin.NewDate(day.Year, day.Month, 1)
		p := byMonth[key]
		if p == nil {
			st, paid := toSigned, nuanxin.NewDate(day.Year, day.Month, 25)
			if key == monthStart {
				st, paid = toApproved, today
			} else if paid.After(today) {
				paid = today
			}
			p = &plan{stage: st, paid: paid, head: "welfare"}
			byMonth[key] = p
			plans = append(plans, p)
		}
		return p
	}
	// Birthdays of this year so far: most members got their cake voucher
	// in their birthday month; this month's are partly still to come.
	for _, m := range ms {
		if m.BirthDate.IsZero() || m.BirthDate.Month > today.Month || d.r.IntN(10) < 2 {
			continue
		}
		day := nuanxin.NewDate(today.Year, m.BirthDate.Month, min(m.BirthDate.Day, 28))
		if day.After(today) {
			continue
		}
		p := month(day)
		p.cases = append(p.cases, &nuanxin.CareCase{MemberID: m.ID, Category: nuanxin.CareBirthday, EventDate: day,
			Form: nuanxin.FormVoucher, Goods: "生日蛋糕券一张", Amount: 20000})
	}
	// 春节 and 中秋 goods for everyone in the 基层工会, when they have passed.
	for _, h := range []struct {
		h     nuanxin.Holiday
		month time.Month
		day   int
		goods string
		amt   nuanxin.Money
	}{
		{nuanxin.HolidaySpring, 1, 20, "大米一袋、食用油一桶", 50000},
		{nuanxin.HolidayMidAutumn, 9, 10, "月饼一盒、水果一箱", 40000},
	} {
		day := nuanxin.NewDate(today.Year, h.month, h.day)
		if day.After(today) {
			continue
		}
		p := &plan{stage: toSigned, paid: day, head: "welfare"}
		for _, m := range ms {
			p.cases = append(p.cases, &nuanxin.CareCase{MemberID: m.ID, Category: nuanxin.CareHoliday, Holiday: h.h,
				HolidayYear: today.Year, EventDate: day, Form: nuanxin.FormGoods, Goods: h.goods, Amount: h.amt})
		}
		plans = append(plans, p)
	}
	// Illness, births, weddings, retirements spread over the last months.
	hospitals := []string{"市第一人民医院", "市中心医院", "省人民医院", "市中医院", "区人民医院"}
	pick := d.r.Perm(len(ms))
	at := func(i int) *nuanxin.Member { return ms[pick[i%len(pick)]] }
	ago := func(days int) nuanxin.Date { return nuanxin.DateOf(today.Time().AddDate(0, 0, -days)) }
	for i := 0; i < 12; i++ {
		m := at(i)
		day := ago(8 + i*25)
		surgery := i%3 == 0
		amt := nuanxin.Money(100000)
		c := &nuanxin.CareCase{MemberID: m.ID, Category: nuanxin.CareIllness, EventDate: day, Hospital: hospitals[i%len(hospitals)],
			HospitalDays: 4 + d.r.IntN(12), Surgery: surgery, Form: nuanxin.FormCash, Amount: amt}
		if day.Before(monthStart) {
			c.VisitedOn, c.VisitedBy = nuanxin.DateOf(day.Time().AddDate(0, 0, 2)), "工会主席、经办人"
		}
		month(day).cases = append(month(day).cases, c)
	}
	for i := 0; i < 4; i++ {
		m := at(20 + i)
		day := ago(15 + i*60)
		c := &nuanxin.CareCase{MemberID: m.ID, Category: nuanxin.CareBirth, EventDate: day, Form: nuanxin.FormGoods,
			Goods: "母婴用品一套", Amount: 60000}
		month(day).cases = append(month(day).cases, c)
		w := &nuanxin.CareCase{MemberID: at(30 + i).ID, Category: nuanxin.CareWedding, EventDate: ago(40 + i*70),
			Form: nuanxin.FormGoods, Goods: "床上用品四件套", Amount: 60000}
		month(w.EventDate).cases = append(month(w.EventDate).cases, w)
	}
	// This month: one illness still a draft (not yet visited), one waiting
	// for review, one for approval.
	last := &plan{stage: toDraft}
	last.cases = append(last.cases, &nuanxin.CareCase{MemberID: at(40).ID, Category: nuanxin.CareIllness, EventDate: ago(2),
		Hospital: "市第一人民医院", HospitalDays: 5, Form: nuanxin.FormCash, Amount: 100000})
	waiting := &plan{stage: toSubmitted}
	waiting.cases = append(waiting.cases, &nuanxin.CareCase{MemberID: at(41).ID, Category: nuanxin.CareBirth, EventDate: ago(5),
		Form: nuanxin.FormGoods, Goods: "母婴用品一套", Amount: 60000})
	reviewed := &plan{stage: toReviewed}
	reviewed.cases = append(reviewed.cases, &nuanxin.CareCase{MemberID: at(42).ID, Category: nuanxin.CareWedding, EventDate: ago(6),
		Form: nuanxin.FormGoods, Goods: "床上用品四件套", Amount: 60000})
	plans = append(plans, last, waiting, reviewed)

	// Oldest first, so each payment is checked against what was paid before.
	for i := 1; i < len(plans); i++ {
		for j := i; j > 0 && plans[j].paid.Before(plans[j-1].paid); j-- {
			plans[j], plans[j-1] = plans[j-1], plans[j]
		}
	}
	for _, p := range plans {
		if err := d.carry(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

// carry takes a plan's cases through the workflow up to its stage.
func (d *careDemo) carry(ctx context.Context, p *plan) error {
	if len(p.cases) == 0 {
		return nil
	}
	for start := 0; start < len(p.cases); start += 500 {
		part := p.cases[start:min(start+500, len(p.cases))]
		if err := d.sink.CreateCareCases(ctx, d.clerk, part, nuanxin.CareCreate{Submit: p.stage >= toSubmitted, AcceptWarnings: true}); err != nil {
			return fmt.Errorf("demo: care cases: %w", err)
		}
	}
	d.res.Cases += len(p.cases)
	ids := make([]int64, len(p.cases))
	for i, c := range p.cases {
		ids[i] = c.ID
		if !c.VisitedOn.IsZero() {
			if err := d.sink.RecordVisit(ctx, d.clerk, c.ID, c.VisitedOn, c.VisitedBy, "转达工会组织的关心，送去慰问金"); err != nil {
				return err
			}
		}
	}
	steps := []struct {
		at  stage
		who *nuanxin.Scope
		act nuanxin.CareAction
	}{{toReviewed, d.reviewer, nuanxin.ActReview}, {toApproved, d.chair, nuanxin.ActApprove}}
	for _, s := range steps {
		if p.stage < s.at {
			return nil
		}
		for start := 0; start < len(ids); start += 500 {
			if err := d.sink.TransitionCare(ctx, s.who, ids[start:min(start+500, len(ids))], s.act, ""); err != nil {
				return fmt.Errorf("demo: %s: %w", s.act, err)
			}
		}
	}
	if p.stage < toPaid {
		return nil
	}
	b, err := d.sink.PayCare(ctx, d.clerk, nuanxin.PaymentInput{CaseIDs: ids, PaidOn: p.paid, Method: payMethod(p.cases),
		Payer: "工会经办人", Head: p.head, Ref: fmt.Sprintf("工福〔%d〕%d号", p.paid.Year, 10+d.res.Batches)})
	if err != nil {
		return fmt.Errorf("demo: pay: %w", err)
	}
	d.res.Batches++
	if p.stage < toSigned {
		return nil
	}
	return d.sink.SignCare(ctx, d.clerk, b.ID, nil, p.paid)
}

// payMethod is 实物 for a batch of goods only, else 现金.
func payMethod(cs []*nuanxin.CareCase) nuanxin.PayMethod {
	for _, c := range cs {
		if c.Form == nuanxin.FormCash {
			return nuanxin.PayCash
		}
	}
	return nuanxin.PayGoods
}

// campaigns gives the demo a summer 送清凉 distributed across the 分工会s
// (a few refused), the 端午 gifts to the neighbouring communities, and next
// 元旦春节's 送温暖 in preparation.
func (d *careDemo) campaigns(ctx context.Context, base int64) error {
	today := d.today
	summer := nuanxin.NewDate(today.Year, 7, 1)
	if today.Before(nuanxin.NewDate(today.Year, 9, 1)) {
		return nil // the demo's year has no finished summer yet
	}
	cool := &nuanxin.Campaign{OrgID: base, Name: fmt.Sprintf("%d年夏送清凉", today.Year), Kind: nuanxin.CampaignCooling,
		From: summer, To: nuanxin.NewDate(today.Year, 8, 31), Budget: 3000000,
		Goods: []nuanxin.GoodsItem{{Name: "藿香正气液", Unit: "盒", Qty: 2, UnitValue: 1500}, {Name: "清凉油", Unit: "盒", Qty: 2, UnitValue: 500},
			{Name: "菊花茶", Unit: "袋", Qty: 1, UnitValue: 2000}},
		Criteria: nuanxin.CampaignCriteria{Categories: []nuanxin.Category{nuanxin.CategoryActive, nuanxin.CategoryDispatched, nuanxin.CategoryMigrant}}}
	if err := d.sink.CreateCampaign(ctx, d.clerk, cool); err != nil {
		return fmt.Errorf("demo: campaign: %w", err)
	}
	rep, err := d.sink.GenerateRoster(ctx, d.clerk, cool.ID)
	if err != nil {
		return err
	}
	// The budget of 30,000元 fits the 2,000-member demo; a bigger union
	// plans for its roster, rounded up to the ten thousand yuan.
	if rep.Planned > cool.Budget {
		c, err := d.sink.FindCampaign(ctx, d.clerk, cool.ID)
		if err != nil {
			return err
		}
		c.Budget = (rep.Planned/1000000 + 1) * 1000000
		if err := d.sink.UpdateCampaign(ctx, d.clerk, c); err != nil {
			return fmt.Errorf("demo: campaign budget: %w", err)
		}
	}
	if err := d.sink.ApproveCampaign(ctx, d.chair, cool.ID); err != nil {
		return err
	}
	for _, g := range cool.Goods {
		if err := d.sink.ReceiveGoods(ctx, d.clerk, cool.ID, g.Name, max(1000, (rep.Added+rep.Already)*g.Qty)); err != nil {
			return err
		}
	}
	// One delivery round per 分工会: most delivered, a few refused or away.
	byOrg := map[int64][]nuanxin.Delivery{}
	var orgs []int64
	if err := d.sink.CampaignRoster(ctx, d.clerk, cool.ID, 0, func(c *nuanxin.CareCase) error {
		out := nuanxin.Delivered
		switch d.r.IntN(40) {
		case 0:
			out = nuanxin.Refused
		case 1:
			out = nuanxin.Unreachable
		}
		if byOrg[c.OrgID] == nil {
			orgs = append(orgs, c.OrgID)
		}
		byOrg[c.OrgID] = append(byOrg[c.OrgID], nuanxin.Delivery{CaseID: c.ID, Outcome: out})
		return nil
	}); err != nil {
		return err
	}
	for i, org := range orgs {
		if i == len(orgs)-1 {
			break // the last 分工会 has not distributed yet
		}
		b, err := d.sink.Deliver(ctx, d.clerk, nuanxin.DeliveryInput{CampaignID: cool.ID, On: nuanxin.NewDate(today.Year, 7, 10+i%15),
			Payer: "工会经办人", Deliveries: byOrg[org]})
		if err != nil {
			return fmt.Errorf("demo: deliver: %w", err)
		}
		if b != nil {
			d.res.Batches++
			if err := d.sink.SignCare(ctx, d.clerk, b.ID, nil, b.PaidOn); err != nil {
				return err
			}
		}
	}
	d.res.Campaigns++
	// 端午: the communities around the plant get goods plus cash.
	if dragon, err := policy.HolidayDate(nuanxin.HolidayDragonBoat, today.Year); err == nil && dragon.Before(today) {
		dw := &nuanxin.Campaign{OrgID: base, Name: fmt.Sprintf("%d年端午共建社区慰问", today.Year), Kind: nuanxin.CampaignOther,
			From: nuanxin.DateOf(dragon.Time().AddDate(0, 0, -10)), To: dragon, Budget: 3000000, Cash: 1,
			Notes: "与周边社区共建，慰问社区困难群众"}
		if err := d.sink.CreateCampaign(ctx, d.clerk, dw); err != nil {
			return err
		}
		var rs []*nuanxin.OrgRecipient
		for _, n := range []string{"东湖社区", "西岭社区", "南山社区", "北苑社区"} {
			rs = append(rs, &nuanxin.OrgRecipient{Name: n, OrgID: base, Contact: "社区居委会", Cash: 300000, Goods: "粽子、食用油、大米", GoodsValue: 400000})
		}
		if err := d.sink.AddOrgRecipients(ctx, d.clerk, dw.ID, rs); err != nil {
			return err
		}
		if err := d.sink.ApproveCampaign(ctx, d.chair, dw.ID); err != nil {
			return err
		}
		var ds []nuanxin.OrgDelivery
		for _, r := range rs[:3] {
			ds = append(ds, nuanxin.OrgDelivery{ID: r.ID, Outcome: nuanxin.Delivered})
		}
		if err := d.sink.DeliverToOrgs(ctx, d.clerk, dw.ID, nuanxin.DateOf(dragon.Time().AddDate(0, 0, -2)), ds); err != nil {
			return err
		}
		d.res.Campaigns++
	}
	// Next 元旦春节送温暖: in preparation, budget per 分工会 not yet spent.
	warm := &nuanxin.Campaign{OrgID: base, Name: fmt.Sprintf("%d年元旦春节送温暖", today.Year+1), Kind: nuanxin.CampaignWarmth,
		From: nuanxin.NewDate(today.Year, 12, 20), To: nuanxin.NewDate(today.Year+1, 1, 31), Budget: 1000000, Cash: 50000,
		Criteria: nuanxin.CampaignCriteria{Categories: []nuanxin.Category{nuanxin.CategoryLaidOff}}}
	if err := d.sink.CreateCampaign(ctx, d.clerk, warm); err != nil {
		return err
	}
	if _, err := d.sink.GenerateRoster(ctx, d.clerk, warm.ID); err != nil {
		return err
	}
	d.res.Campaigns++
	return nil
}
