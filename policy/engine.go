package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/nuanxin/nuanxin"
)

// holidayWindow is how far (days) a 节日慰问's event date may lie from its
// holiday before the engine asks whether the holiday or year is wrong.
const holidayWindow = 45

// giftCategories are the gifts of 《基层工会经费收支管理办法》 for which
// "不得发放现金、购物卡、代金券" holds whatever a pack says.
var giftCategories = []nuanxin.CareCategory{nuanxin.CareHoliday, nuanxin.CareBirthday, nuanxin.CareWedding, nuanxin.CareBirth}

// cappedCategories are the ones provinces put an amount on: without one
// the union is spending on its own judgement, which the officer should
// know. 困难 and 其他 have no amount by design, and a union's own
// categories carry the amount it decided.
var cappedCategories = []nuanxin.CareCategory{nuanxin.CareBirthday, nuanxin.CareWedding, nuanxin.CareBirth,
	nuanxin.CareIllness, nuanxin.CareRetirement, nuanxin.CareDeath, nuanxin.CareRelativeDeath}

// Check runs the policy on a proposed case. history is the person's cases
// as the caller read them, any status: drafts, cancelled cases and the
// case itself (p.CaseID) do not count. Blocks come first, then warnings,
// each group in the order the checks run. A nil policy is the national
// default. An empty MemberStatus or MemberCategory is not judged: the
// caller fills them from the member record.
func Check(pol *nuanxin.Policy, p nuanxin.CareProposal, history []nuanxin.PriorCase) []nuanxin.Decision {
	if pol == nil {
		pol = defaultPolicy()
	}
	c := checker{pol: pol, p: p}
	c.status()
	rule := pol.Rule(p.Category)
	if rule == nil {
		var cite string
		if pol.Pack != nil {
			cite = pol.Pack.Source.Cite()
		}
		c.block("category", cite, nuanxin.T("care.category.unknown", pol.CategoryLabel(p.Category)))
		return c.sorted()
	}
	c.rule, c.name, c.cite = rule, careName(pol, p.Category), rule.Source.Cite()
	c.prior = c.relevant(history)
	c.eligible()
	c.relative()
	c.form()
	if p.Category == nuanxin.CareHoliday {
		c.holiday()
	} else {
		c.amount()
	}
	c.hospitalDays()
	c.frequency()
	c.standing()
	return c.sorted()
}

type checker struct {
	pol   *nuanxin.Policy
	p     nuanxin.CareProposal
	rule  *nuanxin.PolicyRule
	name  string // 生日慰问
	cite  string // the rule's source
	prior []nuanxin.PriorCase
	out   []nuanxin.Decision
}

func (c *checker) add(level nuanxin.DecisionLevel, code, cite, msg string) {
	if cite != "" {
		msg += nuanxin.T("policy.cite", cite)
	}
	c.out = append(c.out, nuanxin.Decision{Level: level, Code: code, Message: msg, Source: cite})
}

func (c *checker) block(code, cite, msg string) { c.add(nuanxin.Block, code, cite, msg) }
func (c *checker) warn(code, cite, msg string)  { c.add(nuanxin.Warn, code, cite, msg) }

// sorted puts blocks first, keeping the order within each level.
func (c *checker) sorted() []nuanxin.Decision {
	slices.SortStableFunc(c.out, func(a, b nuanxin.Decision) int {
		return levelRank(a.Level) - levelRank(b.Level)
	})
	return c.out
}

func levelRank(l nuanxin.DecisionLevel) int {
	if l == nuanxin.Block {
		return 0
	}
	return 1
}

// relevant keeps the prior cases of the same category that count: active
// (submitted up to signed) and not the case itself. For a relative's
// category only the same relative's cases count: 直系亲属去世 of the father
// does not use up that of the mother.
func (c *checker) relevant(history []nuanxin.PriorCase) []nuanxin.PriorCase {
	var out []nuanxin.PriorCase
	for _, h := range history {
		if !h.Status.Active() || (c.p.CaseID != 0 && h.ID == c.p.CaseID) || h.Category != c.p.Category {
			continue
		}
		if c.rule.ForRelative && h.RelativeID != c.p.RelativeID {
			continue
		}
		out = append(out, h)
	}
	return out
}

// status: only members (在会, 保留会籍) are cared for; a 会员去世 case
// concerns a member who has died.
func (c *checker) status() {
	s := c.p.MemberStatus
	if s == "" || s == nuanxin.StatusMember || s == nuanxin.StatusReserved {
		return
	}
	if s == nuanxin.StatusDeceased && c.p.Category == nuanxin.CareDeath {
		return
	}
	c.block("status", NationalSource.Cite(), nuanxin.T("policy.check.status", s.Label()))
}

func (c *checker) eligible() {
	el := c.rule.Eligible
	if len(el) == 0 || c.p.MemberCategory == "" || slices.Contains(el, c.p.MemberCategory) {
		return
	}
	c.block("eligible", c.cite, nuanxin.T("policy.check.eligible", c.name, categoryList(el), c.p.MemberCategory.Label()))
}

func (c *checker) relative() {
	if !c.rule.ForRelative {
		return
	}
	if c.p.RelativeID == 0 {
		c.block("relative", c.cite, nuanxin.T("policy.check.relative_required", c.name))
		return
	}
	if rels := relationsOf(c.rule); !slices.Contains(rels, c.p.Relation) {
		got := c.p.Relation.Label()
		if c.p.Relation == "" {
			got = nuanxin.T("policy.check.unknown")
		}
		c.block("relation", c.cite, nuanxin.T("policy.check.relation", c.name, relationList(rels), got))
	}
}

func (c *checker) form() {
	f := c.p.Form
	if f == "" {
		return // the store asks for a form; nothing to judge yet
	}
	gift := slices.Contains(giftCategories, c.p.Category)
	// Cards are never a gift, even where a pack would list them.
	if gift && (f == nuanxin.FormCard || (f == nuanxin.FormCash && !c.rule.AllowsForm(f))) {
		c.block("form", NationalSource.Cite(), nuanxin.T("policy.check.gift_cash", c.name, f.Label(), formList(c.rule)))
		return
	}
	if !c.rule.AllowsForm(f) {
		c.block("form", c.cite, nuanxin.T("policy.check.form", c.name, f.Label(), formList(c.rule)))
	}
}

func formList(r *nuanxin.PolicyRule) string {
	if len(r.Forms) == 0 {
		return nuanxin.T("policy.check.forms_any")
	}
	labels := make([]string, 0, len(r.Forms))
	for _, f := range r.Forms {
		if f != nuanxin.FormCard {
			labels = append(labels, f.Label())
		}
	}
	return strings.Join(labels, "、")
}

func (c *checker) amount() {
	limit := c.rule.CapFor(c.p)
	if limit == 0 {
		if slices.Contains(cappedCategories, c.p.Category) {
			c.warn("no_cap", c.cite, nuanxin.T("policy.check.no_cap", c.name, c.packName()))
		}
		return
	}
	if c.p.Amount <= limit {
		return
	}
	args := []any{c.name, yuanText(limit), yuanText(c.p.Amount), yuanText(c.p.Amount - limit)}
	switch variant := c.capVariant(); variant {
	case "":
		c.block("cap", c.cite, nuanxin.T("policy.check.cap", args...))
	default:
		args = slices.Insert(args, 1, any(variant))
		c.block("cap", c.cite, nuanxin.T("policy.check.cap_variant", args...))
	}
}

// capVariant names the variant of the cap CapFor chose: 手术, or the
// member category that has its own cap.
func (c *checker) capVariant() string {
	if c.p.Surgery && c.rule.SurgeryCap > 0 {
		return nuanxin.T("policy.check.surgery")
	}
	if _, ok := c.rule.CategoryCaps[c.p.MemberCategory]; ok {
		return c.p.MemberCategory.Label()
	}
	return ""
}

func (c *checker) hospitalDays() {
	if n := c.rule.MinHospitalDays; n > 0 && c.p.HospitalDays < n {
		c.block("hospital_days", c.cite, nuanxin.T("policy.check.hospital_days", c.name, n, c.p.HospitalDays))
	}
}

func (c *checker) frequency() {
	ev := c.p.EventDate
	switch c.rule.Frequency {
	case nuanxin.FreqBirthdayMonth:
		switch {
		case c.p.MemberBirth.IsZero():
			c.warn("birthday_month", c.cite, nuanxin.T("policy.check.birth_unknown"))
		case !ev.IsZero() && ev.Month != c.p.MemberBirth.Month:
			c.block("birthday_month", c.cite, nuanxin.T("policy.check.birthday_month", int(c.p.MemberBirth.Month), int(ev.Month)))
		}
		c.oncePerYear()
	case nuanxin.FreqYearly, nuanxin.FreqNaturalYear:
		c.oncePerYear()
	case nuanxin.FreqPerEvent:
		for _, h := range c.prior {
			if h.EventDate == ev && h.RelativeID == c.p.RelativeID {
				c.block("frequency", c.cite, nuanxin.T("policy.check.per_event", c.name, ev.String(), h.Status.Label()))
				return
			}
		}
	case nuanxin.FreqOnce:
		if len(c.prior) > 0 {
			h := c.prior[0]
			c.block("frequency", c.cite, nuanxin.T("policy.check.once", c.name, h.EventDate.String(), h.Status.Label()))
		}
	}
}

// oncePerYear: another counting case in the natural year of the event.
func (c *checker) oncePerYear() {
	ev := c.p.EventDate
	if ev.IsZero() {
		return
	}
	for _, h := range c.prior {
		if h.EventDate.Year == ev.Year {
			c.block("frequency", c.cite, nuanxin.T("policy.check.frequency_year",
				c.name, c.rule.Frequency.Label(), ev.Year, h.EventDate.String(), h.Status.Label()))
			return
		}
	}
}

// holiday checks a 节日慰问 against the per-holiday caps and the yearly
// total, counting what the member has been given or is on the way to
// being given, and says what is left.
func (c *checker) holiday() {
	h, year := c.p.Holiday, c.p.HolidayYear
	if h == "" || year == 0 {
		c.block("holiday", "", nuanxin.T("care.holiday.required"))
		return
	}
	date, err := HolidayDate(h, year)
	if err != nil {
		c.block("holiday", "", nuanxin.ErrorMessage(err))
		return
	}
	lim := c.pol.Holiday
	cite := lim.Source.Cite()
	var sameHoliday, sameYear nuanxin.Money
	count := 0
	for _, pc := range c.prior {
		if pc.HolidayYear != year {
			continue
		}
		sameYear += pc.Amount
		if pc.Holiday == h {
			sameHoliday += pc.Amount
			count++
		}
	}
	if capH := lim.PerHoliday[h]; capH > 0 && sameHoliday+c.p.Amount > capH {
		c.block("holiday_cap", cite, nuanxin.T("policy.check.holiday_cap", year, h.Label(),
			yuanText(capH), yuanText(sameHoliday), yuanText(max(capH-sameHoliday, 0)), yuanText(c.p.Amount)))
	}
	if t := lim.YearTotal; t > 0 && sameYear+c.p.Amount > t {
		c.block("holiday_total", cite, nuanxin.T("policy.check.holiday_total", year,
			yuanText(t), yuanText(sameYear), yuanText(max(t-sameYear, 0)), yuanText(c.p.Amount)))
	}
	if lim.YearTotal == 0 && len(lim.PerHoliday) == 0 {
		c.warn("no_cap", c.cite, nuanxin.T("policy.check.no_cap", c.name, c.packName()))
	}
	if count > 0 {
		c.warn("holiday_again", cite, nuanxin.T("policy.check.holiday_again", year, h.Label(), count, yuanText(sameHoliday)))
	}
	if ev := c.p.EventDate; !ev.IsZero() {
		if d := daysBetween(date, ev); d > holidayWindow || d < -holidayWindow {
			c.warn("holiday_date", "", nuanxin.T("policy.check.holiday_date", year, h.Label(), date.Chinese(), ev.Chinese(), abs(d)))
		}
	}
}

// standing: a 会员去世 or 退休 case before the roster says so is usually a
// roster not yet updated; the officer records the change first.
func (c *checker) standing() {
	switch c.p.Category {
	case nuanxin.CareDeath:
		if s := c.p.MemberStatus; s != "" && s != nuanxin.StatusDeceased {
			c.warn("death_status", "", nuanxin.T("policy.check.death_status", s.Label()))
		}
	case nuanxin.CareRetirement:
		if k := c.p.MemberCategory; k != "" && k != nuanxin.CategoryRetired {
			c.warn("retirement_category", "", nuanxin.T("policy.check.retirement_category", k.Label()))
		}
	}
}

func (c *checker) packName() string {
	if c.pol.Pack == nil {
		return ""
	}
	return c.pol.Pack.Name
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// careName is how messages name a category: 生日慰问, 节日慰问, 家属住院慰问.
func careName(pol *nuanxin.Policy, c nuanxin.CareCategory) string {
	l := pol.CategoryLabel(c)
	if strings.HasSuffix(l, "慰问") {
		return l
	}
	return l + "慰问"
}

// yuanText is an amount as messages write it: 300, 1500, 300.50 (元 follows
// in the message).
func yuanText(m nuanxin.Money) string {
	if m%100 == 0 {
		return fmt.Sprint(int64(m) / 100)
	}
	return m.String()
}
