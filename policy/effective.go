package policy

import (
	"errors"
	"maps"
	"slices"
	"strings"

	"github.com/nuanxin/nuanxin"
)

// Layer is one org on the path from the root org down to the org whose
// policy is wanted: the pack it adopted (nil if none) and its own rules.
type Layer struct {
	OrgName string
	Pack    *nuanxin.PolicyPack // adopted here, or nil
	Rules   []nuanxin.PolicyRule
}

// A local rule is read as a tightening: a zero field (Cap 0, no Forms, no
// Eligible, FreqAny, MinHospitalDays 0 …) keeps what is in force above.
// For the 节日慰问 category, whose limits live in Policy.Holiday and not in
// the rule, a local rule's Cap is the new yearly total per member (the
// per-holiday caps come from packs only: PolicyRule has no field for them).

// Effective merges the layers, root first, into the policy in force at the
// last one. It starts from the national pack; a layer's pack replaces it
// (AdoptedBy = the layer's org) and the local rules of the layers above
// still apply on top of it; each layer's rules then tighten their category,
// or add a category when Custom. Saves are validated (CheckTighter,
// CheckPackNoLooser), so a layer that would loosen means the stored rules
// are inconsistent: that is an error naming the org, never a silent
// loosening. Policy.Local is left to the caller, who has the stored rules
// with their ids and orgs.
func Effective(layers []Layer) (*nuanxin.Policy, error) {
	base, _ := Pack(DefaultPack)
	pol := fromPack(base, "")
	type applied struct {
		org  string
		rule nuanxin.PolicyRule
	}
	var above []applied
	for _, l := range layers {
		if l.Pack != nil {
			// Only a pack adopted above is a ceiling: the national default
			// names no amounts and is meant to be replaced.
			if pol.AdoptedBy != "" {
				if err := CheckPackNoLooser(pol, l.Pack); err != nil {
					return nil, layerError(l.OrgName, err)
				}
			}
			next := fromPack(ClonePack(l.Pack), l.OrgName)
			for _, a := range above {
				merge(next, a.org, a.rule)
			}
			pol = next
		}
		for _, r := range l.Rules {
			if err := CheckTighter(pol, r); err != nil {
				return nil, layerError(l.OrgName, err)
			}
			merge(pol, l.OrgName, r)
			above = append(above, applied{l.OrgName, CloneRule(r)})
		}
	}
	return pol, nil
}

// fromPack is the policy of a pack alone. The holiday rule's cap and the
// yearly total are kept equal so that either reads the same.
func fromPack(p *nuanxin.PolicyPack, org string) *nuanxin.Policy {
	pol := &nuanxin.Policy{
		Pack:      p,
		AdoptedBy: org,
		Rules:     cloneRules(p.Rules),
		Holiday: nuanxin.HolidayLimits{
			YearTotal:  p.HolidayYearTotal,
			PerHoliday: maps.Clone(p.HolidayCaps),
			Source:     p.HolidaySource,
		},
	}
	if hr := pol.Rule(nuanxin.CareHoliday); hr != nil {
		t := minCap(hr.Cap, p.HolidayYearTotal)
		hr.Cap, pol.Holiday.YearTotal = t, t
		if pol.Holiday.Source.Title == "" {
			pol.Holiday.Source = hr.Source
		}
	}
	return pol
}

// merge applies local rule r of org to pol as the meet of the two: every
// limit the stricter of both. A custom category not yet in pol is added.
func merge(pol *nuanxin.Policy, org string, r nuanxin.PolicyRule) {
	src, cites := localSource(org, r)
	cur := pol.Rule(r.Category)
	if cur == nil {
		if r.Custom {
			c := CloneRule(r)
			if cites {
				c.Source = src
			}
			pol.Rules = append(pol.Rules, c)
		}
		// A tightening of a category the pack in force does not have:
		// nothing is allowed there, which is already the strictest.
		return
	}
	if !tighten(cur, r) {
		// Nothing is left (no form or no member category both allow):
		// the category cannot be given at all.
		pol.Rules = slices.DeleteFunc(pol.Rules, func(x nuanxin.PolicyRule) bool { return x.Category == r.Category })
		return
	}
	if cites {
		cur.Source = src
	}
	if r.Category == nuanxin.CareHoliday && r.Cap > 0 {
		if t := minCap(pol.Holiday.YearTotal, r.Cap); t != pol.Holiday.YearTotal {
			pol.Holiday.YearTotal = t
			if cites {
				pol.Holiday.Source = src
			}
		}
		cur.Cap = pol.Holiday.YearTotal
	}
}

// localSource is what a merged rule cites once an org's rule has changed
// it: the rule's own source, or its basis (会员代表大会决议 …) issued by the
// org. With neither, the rule keeps citing the document above.
func localSource(org string, r nuanxin.PolicyRule) (nuanxin.PolicySource, bool) {
	switch {
	case r.Source.Title != "" || r.Source.DocNo != "":
		return r.Source, true
	case strings.TrimSpace(r.Basis) != "":
		return nuanxin.PolicySource{Title: strings.TrimSpace(r.Basis), Issuer: org}, true
	}
	return nuanxin.PolicySource{}, false
}

// tighten narrows cur by r (zero fields of r keep cur's) and reports
// whether the category can still be given.
func tighten(cur *nuanxin.PolicyRule, r nuanxin.PolicyRule) bool {
	// Category caps first, from the caps as they were: a member category's
	// cap is the stricter of what each rule gives that category.
	if len(cur.CategoryCaps) > 0 || len(r.CategoryCaps) > 0 {
		merged := map[nuanxin.Category]nuanxin.Money{}
		for _, k := range capKeys(cur, &r) {
			merged[k] = minCap(capOf(cur, k), capOf(&r, k))
		}
		cur.CategoryCaps = merged
	}
	cur.Cap = minCap(cur.Cap, r.Cap)
	cur.SurgeryCap = minCap(cur.SurgeryCap, r.SurgeryCap)
	if len(r.Forms) > 0 {
		var forms []nuanxin.CareForm
		for _, f := range nuanxin.CareForms {
			if cur.AllowsForm(f) && r.AllowsForm(f) {
				forms = append(forms, f)
			}
		}
		if len(forms) == 0 {
			return false
		}
		cur.Forms = forms
	}
	if len(r.Eligible) > 0 {
		el := slices.Clone(r.Eligible)
		if len(cur.Eligible) > 0 {
			el = slices.DeleteFunc(el, func(c nuanxin.Category) bool { return !slices.Contains(cur.Eligible, c) })
		}
		if len(el) == 0 {
			return false
		}
		cur.Eligible = el
	}
	if len(r.Relations) > 0 {
		parent := relationsOf(cur)
		rel := slices.DeleteFunc(slices.Clone(r.Relations), func(x nuanxin.Relation) bool { return !slices.Contains(parent, x) })
		if len(rel) == 0 {
			return false
		}
		cur.Relations = rel
	}
	if r.Frequency != nuanxin.FreqAny && r.Frequency.AtLeastAsStrict(cur.Frequency) {
		cur.Frequency = r.Frequency
	}
	cur.MinHospitalDays = max(cur.MinHospitalDays, r.MinHospitalDays)
	if r.Note != "" {
		cur.Note = r.Note
	}
	return true
}

// minCap is the stricter of two caps, where 0 means none stated.
func minCap(a, b nuanxin.Money) nuanxin.Money {
	switch {
	case a == 0:
		return b
	case b == 0:
		return a
	}
	return min(a, b)
}

// capOf is r's cap for members of category k (CapFor without surgery).
func capOf(r *nuanxin.PolicyRule, k nuanxin.Category) nuanxin.Money {
	if c, ok := r.CategoryCaps[k]; ok {
		return c
	}
	return r.Cap
}

// surgeryCap is r's cap for a case with surgery (member categories aside).
func surgeryCap(r *nuanxin.PolicyRule) nuanxin.Money {
	if r.SurgeryCap > 0 {
		return r.SurgeryCap
	}
	return r.Cap
}

// capKeys are the member categories either rule caps on its own, in the
// order of nuanxin.Categories (then any unknown ones, sorted) so messages
// come out the same every time.
func capKeys(a, b *nuanxin.PolicyRule) []nuanxin.Category {
	var keys []nuanxin.Category
	for _, k := range nuanxin.Categories {
		if _, ok := a.CategoryCaps[k]; ok {
			keys = append(keys, k)
		} else if _, ok := b.CategoryCaps[k]; ok {
			keys = append(keys, k)
		}
	}
	var extra []nuanxin.Category
	for _, m := range []map[nuanxin.Category]nuanxin.Money{a.CategoryCaps, b.CategoryCaps} {
		for k := range m {
			if !slices.Contains(nuanxin.Categories, k) && !slices.Contains(extra, k) {
				extra = append(extra, k)
			}
		}
	}
	slices.Sort(extra)
	return append(keys, extra...)
}

// directRelations are 直系亲属: the relations a relative rule covers when it
// names none.
var directRelations = []nuanxin.Relation{nuanxin.RelSpouse, nuanxin.RelParent, nuanxin.RelChild}

func relationsOf(r *nuanxin.PolicyRule) []nuanxin.Relation {
	if len(r.Relations) == 0 {
		return directRelations
	}
	return r.Relations
}

// layerError names the org whose stored rules do not fit the ones above.
func layerError(org string, err error) error {
	var e *nuanxin.Error
	if !errors.As(err, &e) {
		return err
	}
	return &nuanxin.Error{Code: nuanxin.EINVALID, Field: e.Field, Key: "policy.loosen.layer", Args: []any{org, e.Error()}}
}

// defaultPolicy is the policy where nothing was adopted or tightened.
func defaultPolicy() *nuanxin.Policy {
	p, _ := Pack(DefaultPack)
	return fromPack(p, "")
}

// missing returns the elements of xs not in of.
func missing[T comparable](xs, of []T) []T {
	var out []T
	for _, x := range xs {
		if !slices.Contains(of, x) {
			out = append(out, x)
		}
	}
	return out
}

func categoryList(cs []nuanxin.Category) string {
	labels := make([]string, len(cs))
	for i, c := range cs {
		labels[i] = c.Label()
	}
	return strings.Join(labels, "、")
}

func relationList(rs []nuanxin.Relation) string {
	labels := make([]string, len(rs))
	for i, r := range rs {
		labels[i] = r.Label()
	}
	return strings.Join(labels, "、")
}
