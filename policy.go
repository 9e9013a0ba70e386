package nuanxin

import (
	"context"
	"strings"
	"time"
)

// PolicySource is the document a rule comes from.
type PolicySource struct {
	Title  string `json:"title"`            // 《安徽省基层工会经费收支管理实施细则》
	DocNo  string `json:"doc_no,omitempty"` // 文号: 皖工办〔2018〕7号
	Issuer string `json:"issuer,omitempty"`
	Date   Date   `json:"date,omitempty"` // issued or effective
	// Confidence of the figure: "V" several sources agree or the text is
	// the rule itself; "S" one secondary source; "M" unconfirmed.
	Confidence string `json:"confidence,omitempty"`
}

// Cite is how a decision names its source: 《…》（皖工办〔2018〕7号）.
func (s PolicySource) Cite() string {
	switch {
	case s.Title == "" && s.DocNo == "":
		return ""
	case s.DocNo == "":
		return s.Title
	case s.Title == "":
		return s.DocNo
	}
	return s.Title + "（" + s.DocNo + "）"
}

// Frequency is how often a category may be given to one person.
type Frequency string

const (
	FreqAny           Frequency = ""               // no limit stated
	FreqYearly        Frequency = "yearly"         // 每年一次 (natural year of the event)
	FreqBirthdayMonth Frequency = "birthday_month" // 每年一次，且在生日当月
	FreqPerEvent      Frequency = "per_event"      // 每次事件一次 (per marriage, per birth, per death)
	FreqNaturalYear   Frequency = "natural_year"   // 每自然年一次 (住院)
	FreqOnce          Frequency = "once"           // 每人一次 (退休, 会员去世)
)

var Frequencies = []Frequency{FreqAny, FreqYearly, FreqBirthdayMonth, FreqPerEvent, FreqNaturalYear, FreqOnce}

func (f Frequency) Label() string {
	if f == FreqAny {
		return T("freq.any")
	}
	return T("freq." + string(f))
}

// strictness orders frequencies from loosest to strictest, so a lower org
// can be checked never to loosen: once ⊂ birthday month ⊂ yearly ⊂ per event.
func (f Frequency) strictness() int {
	switch f {
	case FreqPerEvent:
		return 1
	case FreqYearly, FreqNaturalYear:
		return 2
	case FreqBirthdayMonth:
		return 3
	case FreqOnce:
		return 4
	}
	return 0
}

// AtLeastAsStrict reports whether f limits at least as much as g.
func (f Frequency) AtLeastAsStrict(g Frequency) bool {
	if g == FreqOnce {
		return f == FreqOnce
	}
	if g == FreqBirthdayMonth {
		return f == FreqBirthdayMonth || f == FreqOnce
	}
	return f.strictness() >= g.strictness()
}

// PolicyRule is the rule of one category in a pack. A zero cap means the
// pack states no amount (the 全国 pack): the union sets it.
type PolicyRule struct {
	Category CareCategory `json:"category"`
	Label    string       `json:"label,omitempty"` // custom categories: 家属住院
	// Eligible member categories (人员类别); empty = every member.
	Eligible []Category `json:"eligible,omitempty"`
	// Relations a relative case may concern (直系亲属 = 配偶/父母/子女).
	Relations []Relation `json:"relations,omitempty"`
	// ForRelative: the case concerns a 家属 (直系亲属去世, 家属住院).
	ForRelative bool  `json:"for_relative,omitempty"`
	Cap         Money `json:"cap,omitempty"`
	// SurgeryCap replaces Cap for 住院 with surgery.
	SurgeryCap Money `json:"surgery_cap,omitempty"`
	// CategoryCaps replace Cap for members of a category (在岗 800, 退休 300).
	CategoryCaps map[Category]Money `json:"category_caps,omitempty"`
	// MinHospitalDays: 住院 of fewer days is not covered.
	MinHospitalDays int       `json:"min_hospital_days,omitempty"`
	Frequency       Frequency `json:"frequency,omitempty"`
	// Forms allowed; empty = any form but 购物卡.
	Forms  []CareForm   `json:"forms,omitempty"`
	Source PolicySource `json:"source"`
	// Custom marks a category the union added itself; Basis is the decision
	// behind it (会员代表大会决议 …) and is required for it.
	Custom bool   `json:"custom,omitempty"`
	Basis  string `json:"basis,omitempty"`
	// Note is shown beside the rule (中文, e.g. 需实名签收).
	Note string `json:"note,omitempty"`
}

// CapFor is the cap for a case: the surgery or member-category variant if
// the rule has one, else Cap. Zero means no cap stated.
func (r *PolicyRule) CapFor(p CareProposal) Money {
	cap := r.Cap
	if c, ok := r.CategoryCaps[p.MemberCategory]; ok {
		cap = c
	}
	if p.Surgery && r.SurgeryCap > 0 {
		cap = r.SurgeryCap
	}
	return cap
}

// AllowsForm reports whether form f may be used.
func (r *PolicyRule) AllowsForm(f CareForm) bool {
	if len(r.Forms) == 0 {
		return f != FormCard
	}
	for _, x := range r.Forms {
		if x == f {
			return true
		}
	}
	return false
}

// PolicyPack is a versioned rule set: a province's rules of a year, or the
// national rules without amounts.
type PolicyPack struct {
	Code          string       `json:"code"` // anhui-2018
	Version       int          `json:"version"`
	Name          string       `json:"name"`     // 安徽省（2018）
	Province      string       `json:"province"` // 安徽; "" for 全国
	Issuer        string       `json:"issuer"`
	DocNo         string       `json:"doc_no"`
	Source        PolicySource `json:"source"`
	EffectiveFrom Date         `json:"effective_from"`
	EffectiveTo   Date         `json:"effective_to,omitempty"` // zero = still in force
	Rules         []PolicyRule `json:"rules"`
	// HolidayYearTotal caps 节日慰问 per member per natural year across the
	// seven holidays; HolidayCaps caps single holidays where a province
	// sets them (贵州: 春节 500, others 200).
	HolidayYearTotal Money             `json:"holiday_year_total,omitempty"`
	HolidayCaps      map[Holiday]Money `json:"holiday_caps,omitempty"`
	HolidaySource    PolicySource      `json:"holiday_source,omitempty"`
	Notes            string            `json:"notes,omitempty"`
}

// Rule returns the rule of category c, or nil.
func (p *PolicyPack) Rule(c CareCategory) *PolicyRule {
	for i := range p.Rules {
		if p.Rules[i].Category == c {
			return &p.Rules[i]
		}
	}
	return nil
}

// InForce reports whether the pack applies on day d.
func (p *PolicyPack) InForce(d Date) bool {
	if !p.EffectiveFrom.IsZero() && d.Before(p.EffectiveFrom) {
		return false
	}
	return p.EffectiveTo.IsZero() || !d.After(p.EffectiveTo)
}

// Policy is what applies to one org: the pack adopted on the nearest
// ancestor (the 全国 pack if none), with the tightenings and own
// categories of every org on the path merged in.
type Policy struct {
	Pack      *PolicyPack `json:"pack"`
	AdoptedBy string      `json:"adopted_by,omitempty"` // the org that adopted the pack; "" = default
	// Adoption is the decision behind AdoptedBy (basis, date), readable by
	// everyone the policy applies to.
	Adoption *PolicyAdoption `json:"adoption,omitempty"`
	Rules    []PolicyRule    `json:"rules"`           // merged
	Local    []*LocalRule    `json:"local,omitempty"` // the org rules on the path, for display
	Holiday  HolidayLimits   `json:"holiday"`
}

// HolidayLimits are the 节日慰问 caps in force.
type HolidayLimits struct {
	YearTotal  Money             `json:"year_total,omitempty"`
	PerHoliday map[Holiday]Money `json:"per_holiday,omitempty"`
	Source     PolicySource      `json:"source"`
}

// Rule returns the merged rule of category c, or nil.
func (p *Policy) Rule(c CareCategory) *PolicyRule {
	for i := range p.Rules {
		if p.Rules[i].Category == c {
			return &p.Rules[i]
		}
	}
	return nil
}

// CategoryLabel names c, including a union's own categories.
func (p *Policy) CategoryLabel(c CareCategory) string {
	if r := p.Rule(c); r != nil && r.Label != "" {
		return r.Label
	}
	return c.Label()
}

// LocalRule is an org's own rule: a tightening of an inherited category
// (lower cap, fewer forms, stricter frequency) or a category of its own
// with the decision it rests on.
type LocalRule struct {
	ID        int64      `json:"id"`
	OrgID     int64      `json:"org_id"`
	OrgPath   string     `json:"-"`
	OrgName   string     `json:"org_name,omitempty"`
	Rule      PolicyRule `json:"rule"`
	CreatedBy string     `json:"created_by,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
}

// PolicyAdoption is a union adopting a pack for its subtree.
type PolicyAdoption struct {
	OrgID     int64     `json:"org_id"`
	OrgName   string    `json:"org_name,omitempty"`
	PackCode  string    `json:"pack_code"`
	Basis     string    `json:"basis,omitempty"` // 会议纪要 / 文件
	AdoptedOn Date      `json:"adopted_on"`
	CreatedBy string    `json:"created_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// CareProposal is what the policy engine checks: the case as proposed and
// the member's standing.
type CareProposal struct {
	CaseID         int64 // excluded from history (an edit of itself)
	Category       CareCategory
	Holiday        Holiday
	HolidayYear    int
	EventDate      Date
	Form           CareForm
	Amount         Money
	Surgery        bool
	HospitalDays   int
	RelativeID     int64
	Relation       Relation
	MemberCategory Category
	MemberStatus   MemberStatus
	MemberBirth    Date
}

// PriorCase is one case of the person's history as the engine sees it.
type PriorCase struct {
	ID          int64
	Category    CareCategory
	Holiday     Holiday
	HolidayYear int
	EventDate   Date
	Amount      Money
	RelativeID  int64
	Status      CareStatus
}

// DecisionLevel: a block stops the case; a warn is shown and must be
// acknowledged.
type DecisionLevel string

const (
	Block DecisionLevel = "block"
	Warn  DecisionLevel = "warn"
)

// Decision is one finding of the policy engine, in Chinese, naming the
// rule and its 文号.
type Decision struct {
	Level   DecisionLevel `json:"level"`
	Code    string        `json:"code"` // machine-readable: cap, frequency, form, eligible …
	Message string        `json:"message"`
	Source  string        `json:"source,omitempty"` // PolicySource.Cite()
}

// Blocks returns the blocking decisions.
func Blocks(ds []Decision) []Decision {
	var out []Decision
	for _, d := range ds {
		if d.Level == Block {
			out = append(out, d)
		}
	}
	return out
}

// PolicyError is a case refused by the policy (blocks) or held back for
// warnings the officer has not acknowledged. Row is set in batch entry
// (1-based index of the case).
type PolicyError struct {
	Decisions []Decision
	Row       int
	Name      string // whose case
}

func (e *PolicyError) Error() string {
	var msgs []string
	for _, d := range e.Decisions {
		msgs = append(msgs, d.Message)
	}
	prefix := ""
	if e.Name != "" {
		prefix = e.Name + "："
	}
	if e.Row > 0 {
		prefix = T("care.row_prefix", e.Row) + prefix
	}
	return prefix + strings.Join(msgs, "；")
}

// Blocked reports whether any decision blocks (else only warnings wait for
// acknowledgement).
func (e *PolicyError) Blocked() bool { return len(Blocks(e.Decisions)) > 0 }

// PolicyService keeps the packs, adoptions and local rules, and answers
// which policy applies where.
type PolicyService interface {
	// PolicyPacks lists the shipped packs.
	PolicyPacks() []*PolicyPack
	EffectivePolicy(ctx context.Context, s *Scope, orgID int64, on Date) (*Policy, error)
	FindAdoptions(ctx context.Context, s *Scope) ([]*PolicyAdoption, error)
	// AdoptPack makes a pack apply to an org's subtree. Below an ancestor
	// that adopted a pack, the new pack must be no looser.
	AdoptPack(ctx context.Context, s *Scope, orgID int64, code, basis string, on Date) error
	RemoveAdoption(ctx context.Context, s *Scope, orgID int64) error
	// SaveLocalRule adds or replaces an org's rule for a category: a
	// tightening (never a loosening) or a category of its own with a basis.
	SaveLocalRule(ctx context.Context, s *Scope, orgID int64, r PolicyRule) (*LocalRule, error)
	DeleteLocalRule(ctx context.Context, s *Scope, id int64) error
}
