package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/policy"
	"github.com/nuanxin/nuanxin/roster"
)

// 慰问标准: the policy in force for an org (the adopted pack, the merged
// rules, the holiday limits with this year's dates, the local rules on the
// path), and for PermPolicyManage holders the adoption, the local rules and
// the one-step approval setting.

// polCustom is the category choice of the rule form that adds a union's own
// category.
const polCustom = "_custom"

// polYuan is an amount as a standard reads: 1,000元, or 未规定 for none.
func polYuan(m nuanxin.Money) string {
	if m == 0 {
		return nuanxin.T("ui.policy.no_cap")
	}
	return nuanxin.T("ui.policy.yuan", strings.TrimSuffix(m.Grouped(), ".00"))
}

// polCite is a source with its confidence: "V" is the text itself; "S" and
// "M" figures are to be checked against the province's document.
type polCite struct {
	Text       string
	Unverified bool
	Confidence string // the label of S or M
}

func newPolCite(src nuanxin.PolicySource) polCite {
	c := polCite{Text: src.Cite()}
	if src.Issuer != "" && c.Text != "" && !strings.Contains(c.Text, src.Issuer) {
		c.Text = nuanxin.T("ui.policy.cite_issuer", src.Issuer, c.Text)
	}
	if src.Date.Year > 0 {
		c.Text += nuanxin.T("ui.policy.cite_date", src.Date.Chinese())
	}
	switch src.Confidence {
	case "S", "M": // nuanxin.PolicySource.Confidence: one secondary source, unconfirmed
		c.Unverified = true
		c.Confidence = nuanxin.T("ui.policy.confidence." + src.Confidence)
	}
	return c
}

// polRuleView is one line of a rules table.
type polRuleView struct {
	Category  string
	Label     string
	Custom    bool
	Eligible  string
	Cap       string
	Variants  []string // 手术 1,000元, 退休 300元
	Frequency string
	Forms     string
	MinDays   int
	Cite      polCite
	Basis     string
	Note      string
}

func polFormsText(forms []nuanxin.CareForm) string {
	if len(forms) == 0 {
		return nuanxin.T("ui.policy.forms_any")
	}
	labels := make([]string, len(forms))
	for i, f := range forms {
		labels[i] = f.Label()
	}
	return strings.Join(labels, "、")
}

func polCategoriesText(cs []nuanxin.Category) string {
	labels := make([]string, len(cs))
	for i, c := range cs {
		labels[i] = c.Label()
	}
	return strings.Join(labels, "、")
}

// polVariants are the caps that replace the plain one.
func polVariants(r *nuanxin.PolicyRule) []string {
	var out []string
	if r.SurgeryCap > 0 {
		out = append(out, nuanxin.T("ui.policy.variant", nuanxin.T("ui.policy.surgery"), polYuan(r.SurgeryCap)))
	}
	for _, k := range nuanxin.Categories {
		if c, ok := r.CategoryCaps[k]; ok {
			out = append(out, nuanxin.T("ui.policy.variant", k.Label(), polYuan(c)))
		}
	}
	return out
}

func newPolRuleView(r *nuanxin.PolicyRule, label string) polRuleView {
	v := polRuleView{Category: string(r.Category), Label: label, Custom: r.Custom, Cap: polYuan(r.Cap),
		Variants: polVariants(r), Frequency: r.Frequency.Label(), Forms: polFormsText(r.Forms),
		MinDays: r.MinHospitalDays, Cite: newPolCite(r.Source), Basis: r.Basis, Note: r.Note}
	if v.Basis != "" && strings.Contains(v.Cite.Text, v.Basis) {
		v.Basis = "" // the rule already cites its basis
	}
	v.Eligible = nuanxin.T("ui.policy.eligible_all")
	if len(r.Eligible) > 0 {
		v.Eligible = polCategoriesText(r.Eligible)
	}
	if r.ForRelative {
		rels := r.Relations
		if len(rels) == 0 {
			rels = []nuanxin.Relation{nuanxin.RelSpouse, nuanxin.RelParent, nuanxin.RelChild}
		}
		labels := make([]string, len(rels))
		for i, x := range rels {
			labels[i] = x.Label()
		}
		v.Eligible += nuanxin.T("ui.policy.relatives", strings.Join(labels, "、"))
	}
	return v
}

// polHolidayView is the 节日慰问 limits with the holidays' dates.
type polHolidayView struct {
	YearTotal  string
	PerHoliday []option // label, cap
	Cite       polCite
	Years      []polHolidayYear
}

type polHolidayYear struct {
	Year int
	Days []option // label, date
}

func newPolHolidayView(h nuanxin.HolidayLimits, today nuanxin.Date) *polHolidayView {
	v := &polHolidayView{YearTotal: polYuan(h.YearTotal), Cite: newPolCite(h.Source)}
	if h.YearTotal > 0 {
		v.YearTotal = nuanxin.T("ui.policy.holiday_total_is", polYuan(h.YearTotal))
	}
	for _, x := range nuanxin.Holidays {
		if c, ok := h.PerHoliday[x]; ok && c > 0 {
			v.PerHoliday = append(v.PerHoliday, option{x.Label(), polYuan(c)})
		}
	}
	v.Years = polHolidayYears(today)
	return v
}

// polHolidayYears are this year's and next year's seven holidays, computed
// from the lunar calendar (never typed in).
func polHolidayYears(today nuanxin.Date) []polHolidayYear {
	var out []polHolidayYear
	for _, y := range []int{today.Year, today.Year + 1} {
		yv := polHolidayYear{Year: y}
		for _, d := range policy.HolidayDates(y) {
			yv.Days = append(yv.Days, option{d.Holiday.Label(), d.Date.Chinese()})
		}
		out = append(out, yv)
	}
	return out
}

// polLocalView is an org's own rule on the path.
type polLocalView struct {
	ID        int64
	OrgID     int64
	OrgName   string
	Category  string
	Label     string
	Custom    bool
	What      []string
	Basis     string
	CanManage bool
}

// polTightens describes what a local rule sets: each field it gives.
func polTightens(r *nuanxin.PolicyRule) []string {
	var out []string
	if r.Custom {
		out = append(out, nuanxin.T("ui.policy.t.custom"))
	}
	if r.Cap > 0 {
		key := "ui.policy.t.cap"
		if r.Category == nuanxin.CareHoliday {
			key = "ui.policy.t.holiday_total"
		}
		out = append(out, nuanxin.T(key, polYuan(r.Cap)))
	}
	out = append(out, polVariants(r)...)
	if len(r.Forms) > 0 {
		out = append(out, nuanxin.T("ui.policy.t.forms", polFormsText(r.Forms)))
	}
	if r.Frequency != nuanxin.FreqAny {
		out = append(out, nuanxin.T("ui.policy.t.frequency", r.Frequency.Label()))
	}
	if r.MinHospitalDays > 0 {
		out = append(out, nuanxin.T("ui.policy.t.min_days", r.MinHospitalDays))
	}
	if len(r.Eligible) > 0 {
		out = append(out, nuanxin.T("ui.policy.t.eligible", polCategoriesText(r.Eligible)))
	}
	if len(out) == 0 {
		out = append(out, nuanxin.T("ui.policy.t.none"))
	}
	return out
}

// polAdoptionView is who adopted the pack in force.
type polAdoptionView struct {
	OrgName   string
	Basis     string
	AdoptedOn nuanxin.Date
	By        string
}

// polPageData is the 慰问标准 page of one org.
type polPageData struct {
	Org       *nuanxin.Org
	OrgID     string
	Orgs      []option
	Pol       *nuanxin.Policy
	PackCite  polCite
	Adoption  *polAdoptionView
	Own       bool // this org adopted the pack in force
	Rules     []polRuleView
	Holiday   *polHolidayView
	Local     []polLocalView
	OneStep   bool
	CanManage bool
	Packs     []option
	Adopt     *form
	Settings  *form
	Alert     string
	Pack      *polPackData // set on the page of a shipped pack, alone
}

// polPackData is a shipped pack shown in full.
type polPackData struct {
	P       *nuanxin.PolicyPack
	Cite    polCite
	Rules   []polRuleView
	Holiday *polHolidayView
}

// polOrgs are the open and closed orgs where the scope may read care.
func (s *Server) polOrgs(ctx context.Context, sc *nuanxin.Scope, perm nuanxin.Perm) ([]*nuanxin.Org, error) {
	orgs, err := s.orgs.FindOrgs(ctx, sc, nuanxin.OrgFilter{})
	if err != nil {
		return nil, err
	}
	var out []*nuanxin.Org
	for _, o := range orgs {
		if sc.Can(perm, o.Path) {
			out = append(out, o)
		}
	}
	return out, nil
}

// polOrg is the org of the page: ?org=, else the caller's top org.
func (s *Server) polOrg(ctx context.Context, sc *nuanxin.Scope, raw string, orgs []*nuanxin.Org) (*nuanxin.Org, error) {
	if raw != "" {
		id := formInt(raw)
		if id <= 0 {
			return nil, nuanxin.NotFound("what.org")
		}
		for _, o := range orgs {
			if o.ID == id {
				return o, nil
			}
		}
		return nil, nuanxin.NotFound("what.org")
	}
	for _, g := range sc.Grants {
		if g.Role.Has(nuanxin.PermCareRead) {
			for _, o := range orgs {
				if o.ID == g.OrgID {
					return o, nil
				}
			}
		}
	}
	if len(orgs) > 0 {
		return orgs[0], nil
	}
	return nil, nuanxin.NotFound("what.org")
}

func (s *Server) handlePolicy(w http.ResponseWriter, r *http.Request) {
	s.policyPage(w, r, http.StatusOK, r.URL.Query().Get("org"), nil)
}

// policyPage renders the page of org raw; d carries a form that came back
// with an error.
func (s *Server) policyPage(w http.ResponseWriter, r *http.Request, status int, raw string, d *polPageData) {
	sc, ctx := scopeOf(r), r.Context()
	orgs, err := s.polOrgs(ctx, sc, nuanxin.PermCareRead)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	org, err := s.polOrg(ctx, sc, raw, orgs)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	today := s.today()
	pol, err := s.policy.EffectivePolicy(ctx, sc, org.ID, today)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if d == nil {
		d = &polPageData{}
	}
	d.Org, d.OrgID, d.Orgs, d.Pol = org, strconv.FormatInt(org.ID, 10), orgOptions(orgs), pol
	d.PackCite = newPolCite(pol.Pack.Source)
	d.CanManage = sc.Can(nuanxin.PermPolicyManage, org.Path)
	// The adoption in force is the deepest one on the org's path.
	adoptions, err := s.policy.FindAdoptions(ctx, sc)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	path := nuanxin.PathIDs(org.Path)
	for _, a := range adoptions {
		if slices.Contains(path, a.OrgID) && a.PackCode == pol.Pack.Code {
			d.Adoption = &polAdoptionView{OrgName: a.OrgName, Basis: a.Basis, AdoptedOn: a.AdoptedOn, By: a.CreatedBy}
			d.Own = a.OrgID == org.ID
		}
	}
	if d.Adoption == nil && pol.AdoptedBy != "" {
		// Adopted above the caller's scope: FindAdoptions does not reach
		// it, the policy names the org only.
		d.Adoption = &polAdoptionView{OrgName: pol.AdoptedBy}
	}
	for i := range pol.Rules {
		rule := &pol.Rules[i]
		d.Rules = append(d.Rules, newPolRuleView(rule, pol.CategoryLabel(rule.Category)))
	}
	d.Holiday = newPolHolidayView(pol.Holiday, today)
	byID := map[int64]*nuanxin.Org{}
	for _, o := range orgs {
		byID[o.ID] = o
	}
	for _, l := range pol.Local {
		// Only the stored rules (with an id) can be changed; the engine's
		// display copies have none.
		if l.ID == 0 {
			continue
		}
		lv := polLocalView{ID: l.ID, OrgID: l.OrgID, OrgName: l.OrgName, Category: string(l.Rule.Category),
			Label: pol.CategoryLabel(l.Rule.Category), Custom: l.Rule.Custom, What: polTightens(&l.Rule), Basis: l.Rule.Basis}
		if l.Rule.Label != "" {
			lv.Label = l.Rule.Label
		}
		if o, ok := byID[l.OrgID]; ok {
			lv.CanManage = sc.Can(nuanxin.PermPolicyManage, o.Path)
		}
		d.Local = append(d.Local, lv)
	}
	cs, err := s.care.CareSettings(ctx, sc, org.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.OneStep = cs.OneStep
	if d.CanManage {
		for _, p := range s.policy.PolicyPacks() {
			label := p.Name
			if p.DocNo != "" {
				label += "（" + p.DocNo + "）"
			}
			d.Packs = append(d.Packs, option{p.Code, label})
		}
		if d.Adopt == nil {
			d.Adopt = newForm(url.Values{"pack": {pol.Pack.Code}, "adopted_on": {today.String()}})
			if d.Adoption == nil {
				d.Adopt.V.Set("pack", "")
			}
		}
		if d.Settings == nil {
			d.Settings = newForm(nil)
		}
	}
	s.page(w, r, status, "policy", nuanxin.T("ui.policy.title"), "policy", d)
}

func (s *Server) handlePolicyPack(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	var pack *nuanxin.PolicyPack
	for _, p := range s.policy.PolicyPacks() {
		if p.Code == code {
			pack = p
		}
	}
	if pack == nil {
		s.fail(w, r, nuanxin.NotFound("what.policy"))
		return
	}
	d := &polPackData{P: pack, Cite: newPolCite(pack.Source)}
	for i := range pack.Rules {
		rule := &pack.Rules[i]
		label := rule.Label
		if label == "" {
			label = rule.Category.Label()
		}
		d.Rules = append(d.Rules, newPolRuleView(rule, label))
	}
	d.Holiday = newPolHolidayView(nuanxin.HolidayLimits{YearTotal: pack.HolidayYearTotal, PerHoliday: pack.HolidayCaps,
		Source: pack.HolidaySource}, s.today())
	s.page(w, r, http.StatusOK, "policy", pack.Name, "policy", &polPageData{Pack: d})
}

// polOrgForm is the org of a management form, as the store will check it.
func polOrgForm(r *http.Request) int64 { return formInt(r.PostFormValue("org_id")) }

func polBack(orgID int64) string { return fmt.Sprintf("/policy?org=%d", orgID) }

// handlePolicyAdopt adopts a pack for the org's subtree.
func (s *Server) handlePolicyAdopt(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	orgID := polOrgForm(r)
	f := newForm(r.PostForm)
	var fe nuanxin.FieldErrors
	on := payDate(&fe, "adopted_on", f.Get("adopted_on"))
	code := strings.TrimSpace(f.Get("pack"))
	basis := strings.TrimSpace(f.Get("basis"))
	if code == "" {
		fe.Add("pack", "ui.policy.pack_required")
	}
	if len([]rune(basis)) > 200 {
		fe.Add("basis", "err.too_long", 200)
	}
	err := fe.Err()
	if err == nil {
		err = s.policy.AdoptPack(r.Context(), scopeOf(r), orgID, code, basis, on)
	}
	if err == nil {
		s.setFlash(w, "ui.flash.policy.adopted")
		redirect(w, r, polBack(orgID))
		return
	}
	if !isFormErr(err) || orgID <= 0 {
		s.fail(w, r, err)
		return
	}
	f.setErr(mapFields(err, map[string]string{"pack_code": "pack", "": "pack"}))
	if len(f.E) > 0 {
		f.Summary = userMessage(err)
	}
	s.policyPage(w, r, statusOf(nuanxin.ErrorCode(err), false), strconv.FormatInt(orgID, 10), &polPageData{Adopt: f})
}

// handlePolicyUnadopt removes the org's own adoption: the pack above (or
// the national one) applies again.
func (s *Server) handlePolicyUnadopt(w http.ResponseWriter, r *http.Request) {
	orgID := polOrgForm(r)
	err := s.policy.RemoveAdoption(r.Context(), scopeOf(r), orgID)
	if err == nil {
		s.setFlash(w, "ui.flash.policy.unadopted")
		redirect(w, r, polBack(orgID))
		return
	}
	s.polAlert(w, r, orgID, err)
}

// polAlert shows a refused change at the top of the org's page (a change
// that would leave a lower org's rule looser than what applies to it).
func (s *Server) polAlert(w http.ResponseWriter, r *http.Request, orgID int64, err error) {
	if !isFormErr(err) || orgID <= 0 {
		s.fail(w, r, err)
		return
	}
	s.policyPage(w, r, statusOf(nuanxin.ErrorCode(err), false), strconv.FormatInt(orgID, 10), &polPageData{Alert: userMessage(err)})
}

// handlePolicySettings sets the one-step approval of the org's subtree.
func (s *Server) handlePolicySettings(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	orgID := polOrgForm(r)
	err := s.care.SetCareSettings(r.Context(), scopeOf(r), nuanxin.CareSettings{OrgID: orgID, OneStep: r.PostForm.Get("one_step") == "1"})
	if err == nil {
		s.setFlash(w, "ui.flash.policy.settings")
		redirect(w, r, polBack(orgID)+"#settings")
		return
	}
	s.polAlert(w, r, orgID, err)
}

// handlePolicyRuleDelete removes an org's own rule.
func (s *Server) handlePolicyRuleDelete(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	orgID := polOrgForm(r)
	err = s.policy.DeleteLocalRule(r.Context(), scopeOf(r), id)
	if err == nil {
		s.setFlash(w, "ui.flash.policy.rule_deleted")
		redirect(w, r, polBack(orgID)+"#local")
		return
	}
	s.polAlert(w, r, orgID, err)
}

// The local rule form.

// polCapField is one member category's own cap on the form.
type polCapField struct {
	Name, Label, Value, Err string
}

// polRuleFormData is the form of an org's own rule for one category.
type polRuleFormData struct {
	Form        *form
	Org         *nuanxin.Org
	Category    string // the category chosen, or polCustom
	Categories  []option
	Custom      bool
	Current     *polRuleView // the rule in force now
	Own         bool         // the org has its own rule for the category
	Forms       []polCheck
	Frequencies []option
	Caps        []polCapField
	IsIllness   bool
}

type polCheck struct {
	Value, Label string
	Checked      bool
}

var polRuleFields = []string{"category", "code", "label", "basis", "cap", "surgery_cap", "category_caps", "forms",
	"frequency", "min_hospital_days"}

func (s *Server) handlePolicyRuleForm(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := newForm(url.Values{"org_id": {q.Get("org")}, "category": {q.Get("category")}})
	s.policyRuleForm(w, r, http.StatusOK, f, true)
}

// policyRuleForm renders the form; fill prefills it from the org's own
// rule of the category (a first visit, not a form coming back).
func (s *Server) policyRuleForm(w http.ResponseWriter, r *http.Request, status int, f *form, fill bool) {
	sc, ctx := scopeOf(r), r.Context()
	orgs, err := s.polOrgs(ctx, sc, nuanxin.PermPolicyManage)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	org, err := s.polOrg(ctx, sc, f.Get("org_id"), orgs)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f.V.Set("org_id", strconv.FormatInt(org.ID, 10))
	pol, err := s.policy.EffectivePolicy(ctx, sc, org.ID, s.today())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &polRuleFormData{Form: f, Org: org, Frequencies: polFrequencyOptions()}
	for i := range pol.Rules {
		d.Categories = append(d.Categories, option{string(pol.Rules[i].Category), pol.CategoryLabel(pol.Rules[i].Category)})
	}
	d.Categories = append(d.Categories, option{polCustom, nuanxin.T("ui.policy.custom_new")})
	cat := f.Get("category")
	if cat == "" && len(pol.Rules) > 0 {
		cat = string(pol.Rules[0].Category)
	}
	if !validOpt(cat, d.Categories) {
		// an own category of this org whose code was typed on the form
		cat = polCustom
	}
	d.Category, d.Custom = cat, cat == polCustom
	f.V.Set("category", cat)
	if !d.Custom {
		rule := pol.Rule(nuanxin.CareCategory(cat))
		cur := newPolRuleView(rule, pol.CategoryLabel(rule.Category))
		d.Current = &cur
		d.IsIllness = rule.Category == nuanxin.CareIllness
		d.Custom = rule.Custom
		for _, l := range pol.Local {
			if l.OrgID == org.ID && l.Rule.Category == rule.Category {
				d.Own = true
				if fill {
					polFillForm(f, &l.Rule)
				}
			}
		}
	}
	chosen := f.V["forms"]
	for _, x := range nuanxin.CareForms {
		d.Forms = append(d.Forms, polCheck{string(x), x.Label(), slices.Contains(chosen, string(x))})
	}
	for _, k := range nuanxin.Categories {
		name := "cap_" + string(k)
		d.Caps = append(d.Caps, polCapField{Name: name, Label: k.Label(), Value: f.Get(name), Err: f.Err(name)})
	}
	title := nuanxin.T("ui.policy.rule_title", org.Name)
	s.page(w, r, status, "policy_rule", title, "policy", d)
}

func polFrequencyOptions() []option {
	o := []option{{"", nuanxin.T("ui.policy.freq_keep")}}
	for _, x := range nuanxin.Frequencies {
		if x != nuanxin.FreqAny {
			o = append(o, option{string(x), x.Label()})
		}
	}
	return o
}

// polYuanInput is an amount in yuan for an input: 300, 1200.5.
func polYuanInput(m nuanxin.Money) string {
	if m == 0 {
		return ""
	}
	return strings.TrimSuffix(m.String(), ".00")
}

// polFillForm puts a stored own rule on the form.
func polFillForm(f *form, r *nuanxin.PolicyRule) {
	f.V.Set("cap", polYuanInput(r.Cap))
	f.V.Set("surgery_cap", polYuanInput(r.SurgeryCap))
	for k, c := range r.CategoryCaps {
		f.V.Set("cap_"+string(k), polYuanInput(c))
	}
	for _, x := range r.Forms {
		f.V.Add("forms", string(x))
	}
	f.V.Set("frequency", string(r.Frequency))
	if r.MinHospitalDays > 0 {
		f.V.Set("min_hospital_days", strconv.Itoa(r.MinHospitalDays))
	}
	f.V.Set("basis", r.Basis)
	if r.Custom {
		f.V.Set("code", string(r.Category))
		f.V.Set("label", r.Label)
		if r.ForRelative {
			f.V.Set("for_relative", "1")
		}
	}
}

// polRuleFromForm reads the rule; parse errors come back per field.
func polRuleFromForm(v url.Values) (nuanxin.PolicyRule, nuanxin.FieldErrors) {
	var fe nuanxin.FieldErrors
	get := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	amount := func(field, raw string) nuanxin.Money {
		if raw == "" {
			return 0
		}
		m, err := roster.ParseAmount(raw)
		if err != nil || m <= 0 {
			fe.Add(field, "ui.policy.bad_amount")
			return 0
		}
		return m
	}
	var r nuanxin.PolicyRule
	cat := get("category")
	if cat == polCustom || cat == "" {
		r.Category = nuanxin.CareCategory(strings.ToLower(get("code")))
		r.Custom, r.Label = true, get("label")
		if v.Get("for_relative") == "1" {
			r.ForRelative = true
			r.Relations = []nuanxin.Relation{nuanxin.RelSpouse, nuanxin.RelParent, nuanxin.RelChild}
		}
		if r.Category == "" {
			fe.Add("code", "policy.rule.code")
		}
		if len([]rune(r.Label)) > 20 {
			fe.Add("label", "err.too_long", 20)
		}
	} else {
		r.Category = nuanxin.CareCategory(cat)
		// An own category keeps being one when its rule is edited.
		if v.Get("custom") == "1" {
			r.Custom, r.Label = true, get("label")
			if v.Get("for_relative") == "1" {
				r.ForRelative = true
				r.Relations = []nuanxin.Relation{nuanxin.RelSpouse, nuanxin.RelParent, nuanxin.RelChild}
			}
		}
	}
	r.Cap = amount("cap", get("cap"))
	r.SurgeryCap = amount("surgery_cap", get("surgery_cap"))
	for _, k := range nuanxin.Categories {
		if c := amount("cap_"+string(k), get("cap_"+string(k))); c > 0 {
			if r.CategoryCaps == nil {
				r.CategoryCaps = map[nuanxin.Category]nuanxin.Money{}
			}
			r.CategoryCaps[k] = c
		}
	}
	for _, x := range nuanxin.CareForms {
		if slices.Contains(v["forms"], string(x)) {
			r.Forms = append(r.Forms, x)
		}
	}
	r.Frequency = nuanxin.Frequency(get("frequency"))
	if !slices.Contains(nuanxin.Frequencies, r.Frequency) {
		fe.Add("frequency", "ui.policy.bad_frequency")
		r.Frequency = nuanxin.FreqAny
	}
	if d := get("min_hospital_days"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 0 || n > 365 {
			fe.Add("min_hospital_days", "ui.policy.bad_days")
		} else {
			r.MinHospitalDays = n
		}
	}
	r.Basis = get("basis")
	if len([]rune(r.Basis)) > 200 {
		fe.Add("basis", "err.too_long", 200)
	}
	return r, fe
}

// handlePolicyRuleSave saves the org's own rule (SaveLocalRule checks it
// tightens and never loosens).
func (s *Server) handlePolicyRuleSave(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	f := newForm(r.PostForm)
	orgID := polOrgForm(r)
	rule, fe := polRuleFromForm(r.PostForm)
	err := fe.Err()
	if err == nil {
		_, err = s.policy.SaveLocalRule(r.Context(), scopeOf(r), orgID, rule)
	}
	if err == nil {
		s.setFlash(w, "ui.flash.policy.rule_saved")
		redirect(w, r, polBack(orgID)+"#local")
		return
	}
	if !isFormErr(err) || orgID <= 0 {
		s.fail(w, r, err)
		return
	}
	names := map[string]string{"": "category"}
	if rule.Custom {
		names["category"] = "code"
	}
	f.setErr(mapFields(err, names))
	s.policyRuleForm(w, r, statusOf(nuanxin.ErrorCode(err), false), f, false)
}
