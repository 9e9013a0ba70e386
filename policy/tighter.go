package policy

import (
	"regexp"
	"slices"
	"strings"

	"github.com/nuanxin/nuanxin"
)

// CheckTighter validates an org's rule before it is saved, against the
// policy in force above the org (parent; nil = the national default). For
// a category in force it must only tighten: every way it loosens is named
// in one Chinese message. A new category must be Custom, with a code of
// [a-z0-9_]+ that is not a built-in one, a Label and a Basis.
func CheckTighter(parent *nuanxin.Policy, r nuanxin.PolicyRule) error {
	if parent == nil {
		parent = defaultPolicy()
	}
	for _, f := range r.Forms {
		if !slices.Contains(nuanxin.CareForms, f) {
			return nuanxin.Invalid("forms", "policy.loosen.form_invalid", string(f))
		}
	}
	if r.Custom && r.Category.Builtin() {
		return nuanxin.Invalid("category", "policy.rule.builtin_base", r.Category.Label())
	}
	pr := parent.Rule(r.Category)
	if pr == nil {
		if !r.Custom {
			return nuanxin.Invalid("category", "policy.loosen.not_inherited", string(r.Category))
		}
		return checkCustom(r)
	}
	name := careName(parent, r.Category)
	fs := loosenings(name, pr, &r, true)
	if r.Category == nuanxin.CareHoliday {
		// The yearly total replaces the generic cap comparison, which
		// loosenings skips for this category.
		if t := parent.Holiday.YearTotal; t > 0 && r.Cap > t {
			fs = append(fs, finding{"cap", nuanxin.T("policy.loosen.holiday_total", yuanText(t), yuanText(r.Cap))})
		}
	}
	return looserError(fs)
}

var customCode = regexp.MustCompile(`^[a-z0-9_]+$`)

func checkCustom(r nuanxin.PolicyRule) error {
	switch {
	case !customCode.MatchString(string(r.Category)):
		return nuanxin.Invalid("category", "policy.rule.code")
	case strings.TrimSpace(r.Label) == "":
		return nuanxin.Invalid("label", "policy.rule.label")
	case strings.TrimSpace(r.Basis) == "":
		return nuanxin.Invalid("basis", "policy.rule.basis")
	case slices.Contains(r.Forms, nuanxin.FormCard):
		return nuanxin.Invalid("forms", "policy.loosen.card", strings.TrimSpace(r.Label))
	}
	return nil
}

// CheckPackNoLooser validates adopting pack p at an org below an ancestor
// that adopted one (parent is the policy in force above the org). Where
// the parent has a cap, a rule without one is looser; a category the
// parent does not have is looser too. The parent's own categories that p
// lacks are not: Effective keeps them.
func CheckPackNoLooser(parent *nuanxin.Policy, p *nuanxin.PolicyPack) error {
	if parent == nil || p == nil {
		return nil
	}
	child := fromPack(ClonePack(p), "")
	var fs []finding
	for i := range child.Rules {
		cr := &child.Rules[i]
		pr := parent.Rule(cr.Category)
		if pr == nil {
			fs = append(fs, finding{"category", nuanxin.T("policy.loosen.new_category", child.CategoryLabel(cr.Category))})
			continue
		}
		fs = append(fs, loosenings(careName(parent, cr.Category), pr, cr, false)...)
	}
	fs = append(fs, holidayLoosenings(parent.Holiday, child.Holiday)...)
	if len(fs) == 0 {
		return nil
	}
	return &nuanxin.Error{Code: nuanxin.EINVALID, Field: "pack_code", Key: "policy.adopt.looser",
		Args: []any{p.Name, joinFindings(fs)}}
}

// finding is one way a rule loosens, with the form field it is about.
type finding struct {
	field string
	msg   string
}

// loosenings lists how child is looser than parent (same category). With
// inherit (a local rule) a zero field of child keeps the parent's and so
// cannot loosen; without (a pack that replaces another) zero means "no
// limit stated", which is looser than any limit.
func loosenings(name string, parent, child *nuanxin.PolicyRule, inherit bool) []finding {
	var fs []finding
	capFinding := func(field, key, noneKey string, pc, cc nuanxin.Money, pre ...any) {
		switch {
		case pc == 0:
		case cc > pc:
			fs = append(fs, finding{field, nuanxin.T(key, append(pre, yuanText(pc), yuanText(cc))...)})
		case cc == 0 && !inherit:
			fs = append(fs, finding{field, nuanxin.T(noneKey, append(pre, yuanText(pc))...)})
		}
	}
	// The holiday rule's cap is the yearly total, compared with the
	// holiday limits by the callers.
	if parent.Category != nuanxin.CareHoliday {
		capFinding("cap", "policy.loosen.cap", "policy.loosen.cap_none", parent.Cap, child.Cap, name)
		// A local rule's plain Cap is not compared with the parent's
		// member-category caps: merging keeps the stricter anyway, and the
		// officer only wrote what the rule says for everyone else.
		for _, k := range capKeys(parent, child) {
			if _, own := child.CategoryCaps[k]; inherit && !own {
				continue
			}
			capFinding("category_caps", "policy.loosen.category_cap", "policy.loosen.category_cap_none",
				capOf(parent, k), capOf(child, k), name, k.Label())
		}
		// Without a surgery variant a rule falls back on its cap, which
		// the plain check has judged already.
		switch {
		case inherit && child.SurgeryCap > 0:
			capFinding("surgery_cap", "policy.loosen.surgery_cap", "policy.loosen.surgery_cap_none",
				surgeryCap(parent), child.SurgeryCap, name)
		case !inherit && (parent.SurgeryCap > 0 || child.SurgeryCap > 0):
			capFinding("surgery_cap", "policy.loosen.surgery_cap", "policy.loosen.surgery_cap_none",
				surgeryCap(parent), surgeryCap(child), name)
		}
	}
	if !inherit || len(child.Forms) > 0 {
		for _, f := range nuanxin.CareForms {
			if child.AllowsForm(f) && !parent.AllowsForm(f) {
				fs = append(fs, finding{"forms", nuanxin.T("policy.loosen.form", name, f.Label())})
			}
		}
	}
	if len(parent.Eligible) > 0 {
		switch {
		case len(child.Eligible) == 0 && !inherit:
			fs = append(fs, finding{"eligible", nuanxin.T("policy.loosen.eligible_all", name, categoryList(parent.Eligible))})
		case len(child.Eligible) > 0:
			if extra := missing(child.Eligible, parent.Eligible); len(extra) > 0 {
				fs = append(fs, finding{"eligible", nuanxin.T("policy.loosen.eligible", name, categoryList(parent.Eligible), categoryList(extra))})
			}
		}
	}
	if (parent.ForRelative || child.ForRelative) && (!inherit || len(child.Relations) > 0) {
		if extra := missing(relationsOf(child), relationsOf(parent)); len(extra) > 0 {
			fs = append(fs, finding{"relations", nuanxin.T("policy.loosen.relation", name, relationList(relationsOf(parent)), relationList(extra))})
		}
	}
	if (!inherit || child.Frequency != nuanxin.FreqAny) && !child.Frequency.AtLeastAsStrict(parent.Frequency) {
		fs = append(fs, finding{"frequency", nuanxin.T("policy.loosen.frequency", name, parent.Frequency.Label(), child.Frequency.Label())})
	}
	if (!inherit || child.MinHospitalDays > 0) && child.MinHospitalDays < parent.MinHospitalDays {
		fs = append(fs, finding{"min_hospital_days", nuanxin.T("policy.loosen.hospital_days", name, parent.MinHospitalDays, child.MinHospitalDays)})
	}
	return fs
}

// holidayLoosenings compares the holiday limits of a pack (child) with
// those in force. A child without a yearly total is still bounded by its
// per-holiday caps when it caps all seven.
func holidayLoosenings(parent, child nuanxin.HolidayLimits) []finding {
	var fs []finding
	if t := parent.YearTotal; t > 0 {
		bound := child.YearTotal
		if bound == 0 {
			bound = perHolidaySum(child.PerHoliday)
		}
		switch {
		case bound == 0:
			fs = append(fs, finding{"holiday", nuanxin.T("policy.loosen.holiday_total_none", yuanText(t))})
		case bound > t:
			fs = append(fs, finding{"holiday", nuanxin.T("policy.loosen.holiday_total", yuanText(t), yuanText(bound))})
		}
	}
	for _, h := range nuanxin.Holidays {
		pc := parent.PerHoliday[h]
		if pc == 0 {
			continue
		}
		switch cc := minCap(child.PerHoliday[h], child.YearTotal); {
		case cc == 0:
			fs = append(fs, finding{"holiday", nuanxin.T("policy.loosen.holiday_cap_none", h.Label(), yuanText(pc))})
		case cc > pc:
			fs = append(fs, finding{"holiday", nuanxin.T("policy.loosen.holiday_cap", h.Label(), yuanText(pc), yuanText(cc))})
		}
	}
	return fs
}

// perHolidaySum is the most a member can get in a year under per-holiday
// caps alone, or 0 when some holiday has none.
func perHolidaySum(caps map[nuanxin.Holiday]nuanxin.Money) nuanxin.Money {
	var sum nuanxin.Money
	for _, h := range nuanxin.Holidays {
		c := caps[h]
		if c == 0 {
			return 0
		}
		sum += c
	}
	return sum
}

func looserError(fs []finding) error {
	if len(fs) == 0 {
		return nil
	}
	return &nuanxin.Error{Code: nuanxin.EINVALID, Field: fs[0].field, Key: "policy.rule.looser", Args: []any{joinFindings(fs)}}
}

func joinFindings(fs []finding) string {
	msgs := make([]string, len(fs))
	for i, f := range fs {
		msgs[i] = f.msg
	}
	return strings.Join(msgs, "；")
}
