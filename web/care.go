package web

// 慰问 case pages: the list with its workflow buttons, the case form with
// the live policy check, batch entry, the case page and the 待办 page. The
// payment batches, the import and the policy pages are elsewhere
// (care_pay.go, care_import.go, policy.go).

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/policy"
	"github.com/nuanxin/nuanxin/roster"
)

const carePerPage = 20

// customCategoryRE is what the store accepts as a union's own category code.
var customCategoryRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

func validCareCategory(c string) bool {
	return nuanxin.CareCategory(c).Builtin() || customCategoryRE.MatchString(c)
}

func validCareStatus(s string) bool {
	for _, st := range nuanxin.CareStatuses {
		if string(st) == s {
			return true
		}
	}
	return false
}

// careStatusClass colours a status tag: what waits for someone is orange,
// what is done green, a draft blue, a cancelled case grey.
func careStatusClass(st nuanxin.CareStatus) string {
	switch st {
	case nuanxin.CareDraft:
		return "tag-blue"
	case nuanxin.CareSubmitted, nuanxin.CareReviewed, nuanxin.CareApproved:
		return "tag-orange"
	case nuanxin.CarePaid, nuanxin.CareSigned:
		return "tag-green"
	}
	return "tag-grey"
}

// careStatusOf maps a care error to the status of the page that shows it:
// policy refusals and bad input are 422, the rest as everywhere.
func careStatusOf(err error) int { return statusOf(errorCode(err), false) }

// careFormErr reports whether err is shown on the page that caused it
// rather than as an error page: bad input, a policy refusal, a conflict,
// and a step the role or the separation of duties does not allow.
func careFormErr(err error) bool {
	switch errorCode(err) {
	case nuanxin.EINVALID, nuanxin.ECONFLICT, nuanxin.EFORBIDDEN, codePolicy:
		return true
	}
	return false
}

func asPolicyError(err error) *nuanxin.PolicyError {
	var pe *nuanxin.PolicyError
	if errors.As(err, &pe) {
		return pe
	}
	return nil
}

// careOrg is the org whose policy a form shows before a member is chosen:
// the first grant that may record cases, else the first that may read them.
func careOrg(sc *nuanxin.Scope) int64 {
	for _, p := range []nuanxin.Perm{nuanxin.PermCareWrite, nuanxin.PermCareRead} {
		for _, g := range sc.Grants {
			if g.Role.Has(p) {
				return g.OrgID
			}
		}
	}
	return 0
}

// ---------------------------------------------------------------------------
// The list.

// parseCareFilter reads the filter bar (and the API's query string, which
// uses the same names). Bad values are reported as field errors.
func parseCareFilter(q url.Values) (nuanxin.CareFilter, int, nuanxin.FieldErrors) {
	var f nuanxin.CareFilter
	var fe nuanxin.FieldErrors
	f.Query = strings.TrimSpace(q.Get("q"))
	if utf8.RuneCountInString(f.Query) > 60 {
		fe.Add("q", "err.too_long", 60)
		f.Query = ""
	}
	for _, k := range []struct {
		name string
		dst  *int64
	}{{"org", &f.OrgID}, {"member_id", &f.MemberID}, {"batch_id", &f.BatchID}} {
		if v := q.Get(k.name); v != "" {
			if *k.dst = formInt(v); *k.dst <= 0 {
				fe.Add(k.name, "err.bad_id", v)
				*k.dst = 0
			}
		}
	}
	if v := q.Get("status"); v != "" {
		if validCareStatus(v) {
			f.Status = nuanxin.CareStatus(v)
		} else {
			fe.Add("status", "ui.care.filter.bad_status")
		}
	}
	if v := q.Get("category"); v != "" {
		if validCareCategory(v) {
			f.Category = nuanxin.CareCategory(v)
		} else {
			fe.Add("category", "care.category.invalid")
		}
	}
	// The figures of the 统计 and the 工作总结 link here with their own
	// terms: paid cases only (paid=1), a form, a campaign.
	if q.Get("paid") == "1" {
		f.Statuses = []nuanxin.CareStatus{nuanxin.CarePaid, nuanxin.CareSigned}
	}
	if v := q.Get("form"); v != "" {
		if nuanxin.CareForm(v).Valid() {
			f.Form = nuanxin.CareForm(v)
		} else {
			fe.Add("form", "err.bad_request")
		}
	}
	if v := q.Get("campaign"); v != "" {
		if f.CampaignID = formInt(v); f.CampaignID <= 0 {
			fe.Add("campaign", "err.bad_id", v)
			f.CampaignID = 0
		}
	}
	for _, d := range []struct {
		name string
		dst  *nuanxin.Date
	}{{"from", &f.From}, {"to", &f.To}} {
		v, err := nuanxin.ParseDate(strings.TrimSpace(q.Get(d.name)))
		if err != nil {
			fe = append(fe, fieldErr(d.name, err))
			continue
		}
		*d.dst = v
	}
	page := 1
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100000 {
			fe.Add("page", "ui.filter.bad_page")
		} else {
			page = n
		}
	}
	return f, page, fe
}

// careRow is a case of a table with the label of its category (a union's
// own category is named by the policy that defines it).
type careRow struct {
	C        *nuanxin.CareCase
	Category string
	Checked  bool
}

// careTab is one status tab of the list.
type careTab struct {
	Label  string
	Count  int
	Href   string
	Active bool
}

// careCan is what the caller may do somewhere in scope (which buttons show).
type careCan struct {
	Write, Review, Approve, Pay bool
}

func careCanOf(sc *nuanxin.Scope) careCan {
	return careCan{Write: sc.CanAny(nuanxin.PermCareWrite), Review: sc.CanAny(nuanxin.PermCareReview),
		Approve: sc.CanAny(nuanxin.PermCareApprove), Pay: sc.CanAny(nuanxin.PermCarePay)}
}

// Bulk reports whether any workflow button shows, so the check boxes do.
func (c careCan) Bulk() bool { return c.Write || c.Review || c.Approve || c.Pay }

type careListData struct {
	Q          url.Values
	List       *nuanxin.CareList
	Rows       []careRow
	Pager      *pager
	Tabs       []careTab
	Status     string
	Tree       []*treeNode
	OrgName    string
	AllHref    string
	Categories []option
	Can        careCan
	Back       string // this list, for the workflow form to come back to
	Err        string // a refused workflow step
	OOB        bool
	// Chips are the terms a figure's link brought (paid only, a form, a
	// campaign), each with the list without it.
	Chips []option
}

// bulkFrom are the statuses a step of the bulk bar applies to (审批 from
// 待审核 too: an org may approve in one step).
var bulkFrom = map[nuanxin.CareAction][]nuanxin.CareStatus{
	nuanxin.ActSubmit:  {nuanxin.CareDraft},
	nuanxin.ActReview:  {nuanxin.CareSubmitted},
	nuanxin.ActApprove: {nuanxin.CareSubmitted, nuanxin.CareReviewed},
	nuanxin.ActReject:  {nuanxin.CareSubmitted, nuanxin.CareReviewed, nuanxin.CareApproved},
	nuanxin.ActCancel:  {nuanxin.CareDraft, nuanxin.CareSubmitted, nuanxin.CareReviewed, nuanxin.CareApproved},
	nuanxin.ActPay:     {nuanxin.CareApproved},
}

// Offers reports whether the bulk bar shows the button of act: the caller
// may take the step somewhere, and the status tab shown holds cases it
// applies to (no 提交 on the 待发放 tab, no buttons on 已签收).
func (d *careListData) Offers(act nuanxin.CareAction) bool {
	var can bool
	switch act {
	case nuanxin.ActSubmit, nuanxin.ActCancel:
		can = d.Can.Write
	case nuanxin.ActReview:
		can = d.Can.Review
	case nuanxin.ActApprove:
		can = d.Can.Approve
	case nuanxin.ActReject:
		can = d.Can.Review || d.Can.Approve
	case nuanxin.ActPay:
		can = d.Can.Pay
	}
	if !can || d.Status == "" {
		return can
	}
	for _, st := range bulkFrom[act] {
		if string(st) == d.Status {
			return true
		}
	}
	return false
}

// Bulk reports whether the list has a bulk bar, and so check boxes.
func (d *careListData) Bulk() bool {
	for act := range bulkFrom {
		if d.Offers(act) {
			return true
		}
	}
	return false
}

func builtinCategoryOptions() []option {
	var o []option
	for _, c := range nuanxin.CareCategories {
		o = append(o, option{string(c), c.Label()})
	}
	return o
}

// listQuery is q without paging and empty values, as links carry it.
func listQuery(q url.Values, drop ...string) url.Values {
	v := url.Values{}
	for k, vs := range q {
		if len(vs) == 0 || vs[0] == "" || k == "page" {
			continue
		}
		skip := false
		for _, d := range drop {
			skip = skip || d == k
		}
		if !skip {
			v[k] = vs[:1]
		}
	}
	return v
}

func withQuery(base string, v url.Values) string {
	if len(v) == 0 {
		return base
	}
	return base + "?" + v.Encode()
}

func (s *Server) handleCareList(w http.ResponseWriter, r *http.Request) {
	s.careListPage(w, r, r.URL.Query(), http.StatusOK, "", nil)
}

// careListPage renders the list for q; errMsg and checked come back after
// a refused workflow step, so the officer sees why with the same rows ticked.
func (s *Server) careListPage(w http.ResponseWriter, r *http.Request, q url.Values, status int, errMsg string, checked map[int64]bool) {
	sc, ctx := scopeOf(r), r.Context()
	f, page, _ := parseCareFilter(q) // the filter bar ignores what it cannot read
	f.Limit, f.Offset = carePerPage, (page-1)*carePerPage
	list, err := s.care.FindCareCases(ctx, sc, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &careListData{Q: q, List: list, Can: careCanOf(sc), Err: errMsg, Status: string(f.Status),
		Categories: builtinCategoryOptions()}
	if f.Category != "" && !f.Category.Builtin() {
		d.Categories = append(d.Categories, option{string(f.Category), string(f.Category)})
	}
	labels := s.categoryLabels(ctx, sc, list.Cases)
	for _, c := range list.Cases {
		d.Rows = append(d.Rows, careRow{C: c, Category: labels(c), Checked: checked[c.ID]})
	}
	chip := func(key, label string) {
		d.Chips = append(d.Chips, option{Value: withQuery("/care", listQuery(q, key)), Label: label})
	}
	if len(f.Statuses) > 0 {
		chip("paid", nuanxin.T("ui.care.filter.paid_only"))
	}
	if f.Form != "" {
		chip("form", nuanxin.T("ui.care.filter.form", f.Form.Label()))
	}
	if f.CampaignID != 0 {
		name := strconv.FormatInt(f.CampaignID, 10)
		if c, err := s.campaigns.FindCampaign(ctx, sc, f.CampaignID); err == nil {
			name = c.Name
		}
		chip("campaign", nuanxin.T("ui.care.filter.campaign", name))
	}
	d.Pager = newPager("/care", q, page, carePerPage, list.Total, false, "ui.unit.entries")
	back := listQuery(q)
	if page > 1 {
		back.Set("page", strconv.Itoa(page))
	}
	d.Back = withQuery("/care", back)
	// The tabs count each status under the rest of the filter: eight small
	// COUNT queries on the indexed case table.
	base := listQuery(q, "status")
	for _, st := range append([]nuanxin.CareStatus{""}, nuanxin.CareStatuses...) {
		tf := f
		tf.Status, tf.Limit, tf.Offset = st, 1, 0
		n := list.Total
		if st != f.Status {
			l, err := s.care.FindCareCases(ctx, sc, tf)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			n = l.Total
		}
		v := url.Values{}
		for k, vs := range base {
			v[k] = vs
		}
		label := nuanxin.T("ui.all")
		if st != "" {
			v.Set("status", string(st))
			label = st.Label()
		}
		d.Tabs = append(d.Tabs, careTab{Label: label, Count: n, Href: withQuery("/care", v), Active: st == f.Status})
	}
	if isHTMX(r) && r.Header.Get("HX-Target") == "care-table" {
		d.OOB = true
		s.fragment(w, r, status, "care_list", "care_table", d)
		return
	}
	orgs, err := s.orgs.FindOrgs(ctx, sc, nuanxin.OrgFilter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Tree = buildTree(orgs, f.OrgID, func(o *nuanxin.Org) string {
		v := listQuery(q, "org")
		v.Set("org", strconv.FormatInt(o.ID, 10))
		return withQuery("/care", v)
	})
	d.AllHref = withQuery("/care", listQuery(q, "org"))
	for _, n := range d.Tree {
		if n.Active {
			d.OrgName = n.Org.Name
		}
	}
	s.page(w, r, status, "care_list", nuanxin.T("ui.care.title"), "care", d)
}

// categoryLabels names the categories of cases: built-ins by the catalog,
// a union's own by the policy of the case's org (one look-up per org).
func (s *Server) categoryLabels(ctx context.Context, sc *nuanxin.Scope, cases []*nuanxin.CareCase) func(*nuanxin.CareCase) string {
	pols := map[int64]*nuanxin.Policy{}
	for _, c := range cases {
		if c.Category.Builtin() || pols[c.OrgID] != nil {
			continue
		}
		if pol, err := s.policy.EffectivePolicy(ctx, sc, c.OrgID, c.EventDate); err == nil {
			pols[c.OrgID] = pol
		}
	}
	return func(c *nuanxin.CareCase) string {
		label := c.Category.Label()
		if pol := pols[c.OrgID]; pol != nil {
			label = pol.CategoryLabel(c.Category)
		}
		if c.Holiday != "" {
			label += nuanxin.T("ui.care.holiday_of", c.HolidayYear, c.Holiday.Label())
		}
		return label
	}
}

// parseIDs reads the ticked case ids.
func parseIDs(vs []string) ([]int64, error) {
	var ids []int64
	for _, v := range vs {
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || n <= 0 {
			return nil, nuanxin.Invalid("ids", "err.bad_id", v)
		}
		ids = append(ids, n)
	}
	return ids, nil
}

// listActions are the workflow steps the list offers on ticked cases.
var listActions = map[nuanxin.CareAction]bool{nuanxin.ActSubmit: true, nuanxin.ActReview: true,
	nuanxin.ActApprove: true, nuanxin.ActReject: true, nuanxin.ActCancel: true, nuanxin.ActPay: true}

// backToList accepts only the care list as the place to return to.
func backToList(p string) string {
	p = localPath(p)
	if p != "/care" && !strings.HasPrefix(p, "/care?") {
		return "/care"
	}
	return p
}

// handleCareListAction runs one workflow step on the ticked cases of the
// list, all or none. 发放 goes on to the payment form with the ids.
func (s *Server) handleCareListAction(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	back := backToList(r.PostForm.Get("back"))
	act := nuanxin.CareAction(r.PostForm.Get("action"))
	ids, err := parseIDs(r.PostForm["ids"])
	if err == nil && !listActions[act] {
		err = nuanxin.Invalid("action", "err.bad_request")
	}
	if err == nil && len(ids) == 0 {
		err = nuanxin.Invalid("ids", "care.step.none")
	}
	if err == nil && act == nuanxin.ActPay {
		v := url.Values{}
		for _, id := range ids {
			v.Add("ids", strconv.FormatInt(id, 10))
		}
		redirect(w, r, "/care/batches/new?"+v.Encode())
		return
	}
	if err == nil {
		reason := r.PostForm.Get("reason")
		if act == nuanxin.ActCancel {
			reason = r.PostForm.Get("cancel_reason")
		}
		err = s.care.TransitionCare(r.Context(), scopeOf(r), ids, act, reason)
	}
	if err == nil {
		s.setFlash(w, "ui.flash.care.case."+string(act))
		redirect(w, r, back)
		return
	}
	if !careFormErr(err) {
		s.fail(w, r, err)
		return
	}
	u, _ := url.Parse(back)
	checked := map[int64]bool{}
	for _, id := range ids {
		checked[id] = true
	}
	msg := userMessage(err)
	if act.Label() != "" && listActions[act] {
		msg = nuanxin.T("ui.care.bulk_failed", act.Label(), msg)
	}
	s.careListPage(w, r, u.Query(), careStatusOf(err), msg, checked)
}

// ---------------------------------------------------------------------------
// The case form.

// careCategory is one choice of the category select, with what the form
// must ask for it.
type careCategory struct {
	Value, Label             string
	Holiday, Illness, ForRel bool
	Custom                   bool
}

type careFormData struct {
	Form      *form
	IsNew     bool
	PolicyOrg int64             // whose policy to show while no member is chosen (0: the caller's)
	C         *nuanxin.CareCase // the stored case (edit)
	Action    string
	Self      string // where the form re-renders itself (member or category changed)
	Cancel    string
	Member    *nuanxin.Member
	Relatives []option
	Cats      []careCategory
	Cat       *careCategory // the chosen one
	RuleHint  string
	PolicyFor string // 适用标准：安徽省（2018）
	Forms     []option
	Holidays  []option
	// The policy check: Checked once it ran; Decisions its findings;
	// CheckErr what must be filled in before it can run.
	Checked    bool
	Refused    bool // the save was refused for them: shown at the top
	Decisions  []nuanxin.Decision
	CheckErr   []string
	NeedAccept bool // warnings only: the officer must tick accept_warnings
}

// errItem is a line of the error summary: the field's name and the message.
type errItem struct{ Label, Msg string }

// ErrItems are the field errors for the summary at the top, each named as
// the care form names its field (ui.field.category is the 人员类别).
func (d *careFormData) ErrItems() []errItem {
	var out []errItem
	for _, e := range d.Form.E {
		label := ""
		if k := "ui.care.f." + e.Field; e.Field != "" && nuanxin.HasMessage(k) {
			label = nuanxin.T(k)
		}
		out = append(out, errItem{label, e.Error()})
	}
	return out
}

// Blocked reports whether any decision blocks the case.
func (d *careFormData) Blocked() bool { return len(nuanxin.Blocks(d.Decisions)) > 0 }

func holidayOptions() []option {
	var o []option
	for _, h := range nuanxin.Holidays {
		o = append(o, option{string(h), h.Label()})
	}
	return o
}

var careFormFields = []string{"member_id", "category", "event_date", "holiday", "holiday_year", "hospital",
	"hospital_days", "surgery", "relative_id", "form", "amount", "goods", "reason", "notes", "accept_warnings", "do"}

// careFromForm reads the form into c; what cannot be read comes back as
// field errors (the store checks the rest).
func careFromForm(v url.Values, c *nuanxin.CareCase) nuanxin.FieldErrors {
	var fe nuanxin.FieldErrors
	get := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	c.MemberID = formInt(get("member_id"))
	c.Category = nuanxin.CareCategory(get("category"))
	if d, err := nuanxin.ParseDate(get("event_date")); err != nil {
		fe = append(fe, fieldErr("event_date", err))
	} else {
		c.EventDate = d
	}
	c.Holiday = nuanxin.Holiday(get("holiday"))
	for _, n := range []struct {
		field string
		dst   *int
		key   string
	}{{"holiday_year", &c.HolidayYear, "ui.care.bad_year"}, {"hospital_days", &c.HospitalDays, "care.hospital.days"}} {
		if s := get(n.field); s != "" {
			x, err := strconv.Atoi(s)
			if err != nil {
				fe.Add(n.field, n.key)
				continue
			}
			*n.dst = x
		}
	}
	c.Hospital = get("hospital")
	c.Surgery = get("surgery") == "1"
	c.RelativeID = formInt(get("relative_id"))
	c.Form = nuanxin.CareForm(get("form"))
	if s := get("amount"); s != "" {
		m, err := roster.ParseAmount(s)
		if err != nil {
			fe = append(fe, fieldErr("amount", err))
		} else {
			c.Amount = m
		}
	}
	c.Goods, c.Reason, c.Notes = get("goods"), get("reason"), v.Get("notes")
	return fe
}

// careValues fills the form from a stored case (edit page).
func careValues(c *nuanxin.CareCase) url.Values {
	v := url.Values{
		"member_id": {strconv.FormatInt(c.MemberID, 10)}, "category": {string(c.Category)},
		"event_date": {c.EventDate.String()}, "holiday": {string(c.Holiday)}, "hospital": {c.Hospital},
		"form": {string(c.Form)}, "amount": {c.Amount.String()}, "goods": {c.Goods}, "reason": {c.Reason},
		"notes": {c.Notes}, "version": {strconv.Itoa(c.Version)},
	}
	if c.HolidayYear != 0 {
		v.Set("holiday_year", strconv.Itoa(c.HolidayYear))
	}
	if c.HospitalDays != 0 {
		v.Set("hospital_days", strconv.Itoa(c.HospitalDays))
	}
	if c.Surgery {
		v.Set("surgery", "1")
	}
	if c.RelativeID != 0 {
		v.Set("relative_id", strconv.FormatInt(c.RelativeID, 10))
	}
	return v
}

// yuan is an amount as a standard states it: 600, 1,500.50.
func yuan(m nuanxin.Money) string { return strings.TrimSuffix(m.Grouped(), ".00") }

// ruleHint states a rule in one line beside the category: cap, frequency,
// forms and source.
func ruleHint(pol *nuanxin.Policy, r *nuanxin.PolicyRule) string {
	var parts []string
	if r.Category == nuanxin.CareHoliday {
		if pol.Holiday.YearTotal > 0 {
			parts = append(parts, nuanxin.T("ui.care.hint.holiday_total", yuan(pol.Holiday.YearTotal)))
		}
		var hs []string
		for _, h := range nuanxin.Holidays {
			if c, ok := pol.Holiday.PerHoliday[h]; ok {
				hs = append(hs, h.Label()+yuan(c))
			}
		}
		if len(hs) > 0 {
			parts = append(parts, nuanxin.T("ui.care.hint.holiday_caps", strings.Join(hs, "、")))
		}
	} else if r.Cap > 0 {
		parts = append(parts, nuanxin.T("ui.care.hint.cap", yuan(r.Cap)))
	}
	if r.SurgeryCap > 0 {
		parts = append(parts, nuanxin.T("ui.care.hint.surgery_cap", yuan(r.SurgeryCap)))
	}
	var cats []nuanxin.Category
	for k := range r.CategoryCaps {
		cats = append(cats, k)
	}
	sort.Slice(cats, func(i, j int) bool { return cats[i] < cats[j] })
	for _, k := range cats {
		parts = append(parts, nuanxin.T("ui.care.hint.category_cap", k.Label(), yuan(r.CategoryCaps[k])))
	}
	if len(parts) == 0 && r.Category != nuanxin.CareHoliday && r.Category != nuanxin.CareOther && r.Category != nuanxin.CareHardship {
		parts = append(parts, nuanxin.T("ui.care.hint.no_cap"))
	}
	if r.Frequency != nuanxin.FreqAny {
		parts = append(parts, r.Frequency.Label())
	}
	if r.MinHospitalDays > 0 {
		parts = append(parts, nuanxin.T("ui.care.hint.days", r.MinHospitalDays))
	}
	var forms []string
	for _, f := range nuanxin.CareForms {
		if r.AllowsForm(f) {
			forms = append(forms, f.Label())
		}
	}
	parts = append(parts, nuanxin.T("ui.care.hint.forms", strings.Join(forms, "、")))
	if r.Note != "" {
		parts = append(parts, r.Note)
	}
	out := strings.Join(parts, "；")
	if cite := r.Source.Cite(); cite != "" {
		out += nuanxin.T("ui.care.hint.source", cite)
	}
	return out
}

// fillCareForm loads what the form shows around the typed values: the
// member, their relatives, the categories of their org's policy and the
// hint of the chosen rule. defaults fills in the holiday when a 节日慰问 is
// chosen without one (a fresh render, never a save).
func (s *Server) fillCareForm(ctx context.Context, sc *nuanxin.Scope, d *careFormData, defaults bool) error {
	f := d.Form
	orgID := d.PolicyOrg
	if orgID == 0 {
		orgID = careOrg(sc)
	}
	if id := formInt(f.Get("member_id")); id > 0 {
		m, err := s.members.FindMemberByID(ctx, sc, id)
		switch {
		case err == nil && sc.Can(nuanxin.PermCareWrite, m.OrgPath):
			d.Member, orgID = m, m.OrgID
			rels, err := s.members.FindRelatives(ctx, sc, m.ID)
			if err != nil {
				return err
			}
			for _, rel := range rels {
				d.Relatives = append(d.Relatives, option{strconv.FormatInt(rel.ID, 10), rel.Relation.Label() + " " + rel.Name})
			}
		case err == nil, nuanxin.ErrorCode(err) == nuanxin.ENOTFOUND:
			f.V.Set("member_id", "")
		default:
			return err
		}
	}
	on := s.today()
	if ev, err := nuanxin.ParseDate(strings.TrimSpace(f.Get("event_date"))); err == nil && !ev.IsZero() {
		on = ev
	}
	var pol *nuanxin.Policy
	if orgID != 0 {
		p, err := s.policy.EffectivePolicy(ctx, sc, orgID, on)
		if err != nil && nuanxin.ErrorCode(err) == nuanxin.EINTERNAL {
			return err
		}
		pol = p
	}
	cat := nuanxin.CareCategory(f.Get("category"))
	add := func(c nuanxin.CareCategory, label string, r *nuanxin.PolicyRule) {
		o := careCategory{Value: string(c), Label: label, Holiday: c == nuanxin.CareHoliday,
			Illness: c == nuanxin.CareIllness, ForRel: c.ForRelative(), Custom: !c.Builtin()}
		if r != nil {
			o.ForRel = o.ForRel || r.ForRelative
		}
		d.Cats = append(d.Cats, o)
	}
	if pol != nil {
		if pol.Pack != nil {
			d.PolicyFor = pol.Pack.Name
			if pol.AdoptedBy != "" {
				d.PolicyFor = nuanxin.T("ui.care.policy_adopted", pol.Pack.Name, pol.AdoptedBy)
			}
		}
		for _, c := range nuanxin.CareCategories {
			if r := pol.Rule(c); r != nil {
				add(c, pol.CategoryLabel(c), r)
			}
		}
		for i := range pol.Rules {
			if r := &pol.Rules[i]; !r.Category.Builtin() {
				add(r.Category, pol.CategoryLabel(r.Category), r)
			}
		}
		if r := pol.Rule(cat); r != nil {
			d.RuleHint = ruleHint(pol, r)
		}
	} else {
		for _, c := range nuanxin.CareCategories {
			add(c, c.Label(), nil)
		}
	}
	for i := range d.Cats {
		if d.Cats[i].Value == string(cat) {
			d.Cat = &d.Cats[i]
		}
	}
	if d.Cat == nil && cat != "" {
		// a category the policy no longer has: keep it visible, the check names it
		add(cat, cat.Label(), nil)
		d.Cat = &d.Cats[len(d.Cats)-1]
	}
	if defaults && cat == nuanxin.CareHoliday && f.Get("holiday") == "" {
		if h, y := policy.NearestHoliday(on); h != "" {
			f.V.Set("holiday", string(h))
			if f.Get("holiday_year") == "" {
				f.V.Set("holiday_year", strconv.Itoa(y))
			}
		}
	}
	var rule *nuanxin.PolicyRule
	if pol != nil {
		rule = pol.Rule(cat)
	}
	for _, fm := range nuanxin.CareForms {
		label := fm.Label()
		if rule != nil && !rule.AllowsForm(fm) {
			label = nuanxin.T("ui.care.form_not_allowed", label)
		}
		d.Forms = append(d.Forms, option{string(fm), label})
	}
	d.Holidays = holidayOptions()
	return nil
}

func (s *Server) careFormPage(w http.ResponseWriter, r *http.Request, status int, d *careFormData, defaults bool) {
	sc, ctx := scopeOf(r), r.Context()
	if err := s.fillCareForm(ctx, sc, d, defaults); err != nil {
		s.fail(w, r, err)
		return
	}
	if isHTMX(r) && r.Header.Get("HX-Target") == "care-form-body" {
		s.fragment(w, r, status, "care_form", "care_form_body", d)
		return
	}
	title := nuanxin.T("ui.care.new")
	if !d.IsNew {
		title = nuanxin.T("ui.care.edit_title", d.C.MemberName)
	}
	s.page(w, r, status, "care_form", title, "care", d)
}

// formFromQuery is the form re-rendered by htmx (a member picked, the
// category changed): the typed values come as the query; pick is the
// member chosen from the search.
func formFromQuery(q url.Values) *form {
	v := url.Values{}
	for _, k := range append(careFormFields, "_once", "version") {
		if x := q.Get(k); x != "" {
			v.Set(k, x)
		}
	}
	if p := q.Get("pick"); p != "" {
		v.Set("member_id", p)
		v.Del("relative_id")
	}
	f := newForm(v)
	f.Once = v.Get("_once")
	return f
}

func (s *Server) handleCareNew(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := formFromQuery(q)
	if f.Once == "" {
		f.Once = newToken()
		f.V.Set("_once", f.Once)
	}
	if f.Get("event_date") == "" && !isHTMX(r) {
		f.V.Set("event_date", s.today().String())
	}
	if f.Get("category") != "" && !validCareCategory(f.Get("category")) {
		f.V.Del("category")
	}
	s.careFormPage(w, r, http.StatusOK, &careFormData{Form: f, IsNew: true, Action: "/care", Self: "/care/new", Cancel: "/care"}, true)
}

// setErr puts a save error on the form: field errors beside their fields,
// a policy refusal's decisions at the top, the rest as the summary.
func (d *careFormData) setErr(err error) {
	f := d.Form
	if pe := asPolicyError(err); pe != nil {
		d.Checked, d.Refused, d.Decisions = true, true, pe.Decisions
		if pe.Blocked() {
			f.Summary = nuanxin.T("ui.care.blocked")
		} else {
			d.NeedAccept = true
			f.Summary = nuanxin.T("ui.care.warned")
		}
		return
	}
	if nuanxin.ErrorCode(err) == nuanxin.ENOTFOUND {
		// the member is not one the officer may record cases for
		f.E = nuanxin.FieldErrors{nuanxin.Invalid("member_id", "ui.care.member_not_found")}
		f.Summary = nuanxin.T("ui.form.fix_errors", 1)
		return
	}
	f.setErr(err)
}

func (s *Server) handleCareCreate(w http.ResponseWriter, r *http.Request) {
	sc, ctx := scopeOf(r), r.Context()
	_ = r.ParseForm()
	f := newForm(r.PostForm)
	f.Once = r.PostForm.Get("_once")
	d := &careFormData{Form: f, IsNew: true, Action: "/care", Self: "/care/new", Cancel: "/care"}
	c := &nuanxin.CareCase{}
	err := s.checkCareForm(ctx, sc, c, careFromForm(r.PostForm, c))
	if err == nil {
		opt := nuanxin.CareCreate{Submit: f.Get("do") == "submit", AcceptWarnings: f.Get("accept_warnings") == "1"}
		err = s.onceDo(w, r, func() (string, error) {
			if err := s.care.CreateCareCases(ctx, sc, []*nuanxin.CareCase{c}, opt); err != nil {
				return "", err
			}
			if opt.Submit {
				s.setFlash(w, "ui.flash.care.case.created_submitted")
			} else {
				s.setFlash(w, "ui.flash.care.case.created")
			}
			return fmt.Sprintf("/care/%d", c.ID), nil
		})
	}
	if err == nil {
		return
	}
	if !careFormErr(err) && nuanxin.ErrorCode(err) != nuanxin.ENOTFOUND {
		s.fail(w, r, err)
		return
	}
	d.setErr(err)
	s.careFormPage(w, r, careStatusOf(err), d, false)
}

// checkCareForm reports parse errors together with what the store says of
// the rest of the form, so every field is reported at once.
func (s *Server) checkCareForm(ctx context.Context, sc *nuanxin.Scope, c *nuanxin.CareCase, parse nuanxin.FieldErrors) error {
	if len(parse) == 0 {
		return nil
	}
	probe := *c
	fe := parse
	if _, err := s.care.CheckCare(ctx, sc, &probe); err != nil {
		for _, e := range nuanxin.AsFieldErrors(err) {
			if parse.For(e.Field) == "" && !(e.Field == "amount" && parse.For("amount") != "") {
				fe = append(fe, e)
			}
		}
	}
	return fe
}

// handleCareCheck runs the policy on the form as typed (htmx: the
// decisions box only).
func (s *Server) handleCareCheck(w http.ResponseWriter, r *http.Request) {
	sc, ctx := scopeOf(r), r.Context()
	_ = r.ParseForm()
	f := newForm(r.PostForm)
	f.Once = r.PostForm.Get("_once")
	d := &careFormData{Form: f, IsNew: true, Action: "/care", Self: "/care/new", Cancel: "/care", Checked: true}
	c := &nuanxin.CareCase{}
	parse := careFromForm(r.PostForm, c)
	var ds []nuanxin.Decision
	err := parse.Err()
	if err == nil {
		ds, err = s.care.CheckCare(ctx, sc, c)
	}
	switch {
	case err == nil:
		d.Decisions = ds
	case careFormErr(err) || nuanxin.ErrorCode(err) == nuanxin.ENOTFOUND:
		fe := nuanxin.AsFieldErrors(err)
		if nuanxin.ErrorCode(err) == nuanxin.ENOTFOUND {
			d.CheckErr = append(d.CheckErr, nuanxin.T("ui.care.member_not_found"))
		}
		for _, e := range fe {
			label := ""
			if nuanxin.HasMessage("ui.care.f." + e.Field) {
				label = nuanxin.T("ui.care.f."+e.Field) + "："
			}
			d.CheckErr = append(d.CheckErr, label+e.Error())
		}
		if len(fe) == 0 && nuanxin.ErrorCode(err) != nuanxin.ENOTFOUND {
			d.CheckErr = append(d.CheckErr, userMessage(err))
		}
	default:
		s.fail(w, r, err)
		return
	}
	if isHTMX(r) {
		s.fragment(w, r, http.StatusOK, "care_form", "care_decisions", d)
		return
	}
	s.careFormPage(w, r, http.StatusOK, d, false)
}

// memberPick is one member of the picker's search results.
type memberPick struct {
	M *nuanxin.Member
}

// handleCareMembers answers the member picker: members the officer may
// record cases for, by name, pinyin or 工号.
func (s *Server) handleCareMembers(w http.ResponseWriter, r *http.Request) {
	sc := scopeOf(r)
	q := strings.TrimSpace(r.URL.Query().Get("member_q"))
	var picks []memberPick
	more := false
	if q != "" && utf8.RuneCountInString(q) <= 60 {
		list, err := s.members.FindMembers(r.Context(), sc, nuanxin.MemberFilter{Query: q, Limit: 30, Today: s.today()})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, m := range list.Members {
			if !sc.Can(nuanxin.PermCareWrite, m.OrgPath) {
				continue
			}
			if len(picks) == 10 {
				more = true
				break
			}
			picks = append(picks, memberPick{M: m})
		}
	}
	s.fragment(w, r, http.StatusOK, "care_form", "care_member_results", map[string]any{"Q": q, "Picks": picks, "More": more})
}

// loadCase reads the case of the path.
func (s *Server) loadCase(r *http.Request) (*nuanxin.CareCase, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.care.FindCareCase(r.Context(), scopeOf(r), id)
}

// loadDraft reads a case the caller may edit: a draft in their write scope.
func (s *Server) loadDraft(r *http.Request) (*nuanxin.CareCase, error) {
	c, err := s.loadCase(r)
	if err != nil {
		return nil, err
	}
	if !scopeOf(r).Can(nuanxin.PermCareWrite, c.OrgPath) {
		return nil, nuanxin.NotFound("what.care_case")
	}
	if c.Status != nuanxin.CareDraft {
		return nil, nuanxin.Errorf(nuanxin.EINVALID, "care.not_editable", c.MemberName, c.Status.Label())
	}
	return c, nil
}

func editPaths(c *nuanxin.CareCase) (action, self, cancel string) {
	return fmt.Sprintf("/care/%d/edit", c.ID), fmt.Sprintf("/care/edit/%d", c.ID), fmt.Sprintf("/care/%d", c.ID)
}

// handleCareEdit shows the form of a draft. (The form is at /care/edit/{id}:
// a GET /care/{id}/edit would clash with /care/batches/{id} on the mux.)
func (s *Server) handleCareEdit(w http.ResponseWriter, r *http.Request) {
	c, err := s.loadDraft(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := newForm(careValues(c))
	if isHTMX(r) {
		f = formFromQuery(r.URL.Query())
	}
	action, self, cancel := editPaths(c)
	s.careFormPage(w, r, http.StatusOK, &careFormData{Form: f, C: c, Action: action, Self: self, Cancel: cancel}, isHTMX(r))
}

func (s *Server) handleCareUpdate(w http.ResponseWriter, r *http.Request) {
	sc, ctx := scopeOf(r), r.Context()
	old, err := s.loadDraft(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_ = r.ParseForm()
	f := newForm(r.PostForm)
	action, self, cancel := editPaths(old)
	d := &careFormData{Form: f, C: old, Action: action, Self: self, Cancel: cancel}
	c := &nuanxin.CareCase{ID: old.ID}
	parse := careFromForm(r.PostForm, c)
	if v, err := strconv.Atoi(f.Get("version")); err == nil {
		c.Version = v
	} else {
		parse.Add("version", "err.bad_request")
	}
	err = s.checkCareForm(ctx, sc, c, parse)
	if err == nil {
		err = s.care.UpdateCareCase(ctx, sc, c, f.Get("accept_warnings") == "1")
	}
	submit := f.Get("do") == "submit"
	if err == nil && submit {
		err = s.care.TransitionCare(ctx, sc, []int64{c.ID}, nuanxin.ActSubmit, "")
		if err != nil {
			// saved, but not submitted: the form shows the stored version
			f.V.Set("version", strconv.Itoa(c.Version))
		}
	}
	if err == nil {
		if submit {
			s.setFlash(w, "ui.flash.care.case.saved_submitted")
		} else {
			s.setFlash(w, "ui.flash.care.case.saved")
		}
		redirect(w, r, fmt.Sprintf("/care/%d", c.ID))
		return
	}
	if !careFormErr(err) && nuanxin.ErrorCode(err) != nuanxin.ENOTFOUND {
		s.fail(w, r, err)
		return
	}
	d.setErr(err)
	if nuanxin.ErrorCode(err) == nuanxin.ECONFLICT {
		d.Form.Summary = userMessage(err)
	}
	s.careFormPage(w, r, careStatusOf(err), d, false)
}

// ---------------------------------------------------------------------------
// The case page.

// flowStep is one box of the step indicator 经办 → 审核 → 审批 → 发放 → 签收.
type flowStep struct {
	Label string
	State string // done, current, todo
}

// careActs are the workflow buttons the caller may use on a case; Notes
// say why a step they would otherwise take is not offered.
type careActs struct {
	Submit, Review, Approve, Reject, Cancel, Pay, Edit, Visit, Attach bool
	Notes                                                             []string
}

// Any reports whether any workflow button shows.
func (a careActs) Any() bool {
	return a.Submit || a.Review || a.Approve || a.Reject || a.Cancel || a.Pay || a.Edit
}

func actsFor(sc *nuanxin.Scope, c *nuanxin.CareCase, oneStep bool) careActs {
	var a careActs
	can := func(p nuanxin.Perm) bool { return sc.Can(p, c.OrgPath) }
	ownCase := sc.MemberID != 0 && sc.MemberID == c.MemberID
	own := c.DraftedBy == sc.UserID
	st := c.Status
	a.Submit = st == nuanxin.CareDraft && can(nuanxin.PermCareWrite)
	a.Edit = a.Submit
	a.Cancel = !st.Paid() && st != nuanxin.CareCancelled && can(nuanxin.PermCareWrite)
	a.Visit = st != nuanxin.CareCancelled && can(nuanxin.PermCareWrite)
	a.Attach = can(nuanxin.PermCareWrite)
	a.Pay = st == nuanxin.CareApproved && can(nuanxin.PermCarePay) && !ownCase
	decide := func(perm nuanxin.Perm, sameReviewer bool) bool {
		if !can(perm) {
			return false
		}
		switch {
		case ownCase:
			a.Notes = append(a.Notes, nuanxin.T("care.step.own_case", c.MemberName))
		case own:
			a.Notes = append(a.Notes, nuanxin.T("care.step.own_draft", c.MemberName))
		case sameReviewer:
			a.Notes = append(a.Notes, nuanxin.T("care.step.same_reviewer", c.MemberName))
		default:
			return true
		}
		return false
	}
	switch {
	case st == nuanxin.CareSubmitted && !oneStep:
		a.Review = decide(nuanxin.PermCareReview, false)
		a.Reject = can(nuanxin.PermCareReview) && !ownCase
	case st == nuanxin.CareSubmitted && oneStep, st == nuanxin.CareReviewed:
		a.Approve = decide(nuanxin.PermCareApprove, c.ReviewedBy != 0 && c.ReviewedBy == sc.UserID)
		a.Reject = can(nuanxin.PermCareApprove) && !ownCase
	case st == nuanxin.CareApproved:
		a.Reject = can(nuanxin.PermCareApprove) && !ownCase
	}
	return a
}

// VisitDue reports whether the case is one the 五必访 list watches for a
// visit (住院, 生育, 结婚), so its page asks for one.
func (d *careDetailData) VisitDue() bool {
	switch d.C.Category {
	case nuanxin.CareIllness, nuanxin.CareBirth, nuanxin.CareWedding:
		return d.C.VisitedOn.IsZero() && d.C.Status != nuanxin.CareCancelled
	}
	return false
}

// careFlow is the step indicator of a case: one-step orgs skip 审核.
func careFlow(st nuanxin.CareStatus, oneStep bool) []flowStep {
	labels := []string{"ui.care.flow.draft", "ui.care.flow.review", "ui.care.flow.approve", "ui.care.flow.pay", "ui.care.flow.sign"}
	at := map[nuanxin.CareStatus]int{nuanxin.CareDraft: 0, nuanxin.CareSubmitted: 1, nuanxin.CareReviewed: 2,
		nuanxin.CareApproved: 3, nuanxin.CarePaid: 4, nuanxin.CareSigned: 5}
	cur, ok := at[st]
	if !ok {
		cur = -1 // cancelled: nothing current
	}
	if oneStep {
		labels = append(labels[:1], labels[2:]...)
		if cur >= 2 {
			cur--
		}
	}
	out := make([]flowStep, len(labels))
	for i, k := range labels {
		state := "todo"
		switch {
		case cur < 0:
		case i < cur:
			state = "done"
		case i == cur:
			state = "current"
		}
		out[i] = flowStep{Label: nuanxin.T(k), State: state}
	}
	return out
}

type careDetailData struct {
	C           *nuanxin.CareCase
	Category    string
	Steps       []*nuanxin.CareStep
	Flow        []flowStep
	OneStep     bool
	Attachments []*nuanxin.Attachment
	Acts        careActs
	Err         string // a refused step
	Trans       *form  // the reason of a refused reject or cancel
	Visit       *form
	Upload      *form
	MaxBytes    int // of an attachment, for the browser to refuse a larger one
}

func (s *Server) careDetailPage(w http.ResponseWriter, r *http.Request, status int, c *nuanxin.CareCase, d *careDetailData) {
	sc, ctx := scopeOf(r), r.Context()
	d.C = c
	d.Category = s.categoryLabels(ctx, sc, []*nuanxin.CareCase{c})(c)
	var err error
	if d.Steps, err = s.care.FindCareSteps(ctx, sc, c.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Attachments, err = s.care.FindAttachments(ctx, sc, "case", c.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if cs, err := s.care.CareSettings(ctx, sc, c.OrgID); err == nil {
		d.OneStep = cs.OneStep
	} else if nuanxin.ErrorCode(err) == nuanxin.EINTERNAL {
		s.fail(w, r, err)
		return
	}
	d.Flow = careFlow(c.Status, d.OneStep)
	d.MaxBytes = nuanxin.MaxAttachment
	d.Acts = actsFor(sc, c, d.OneStep)
	if d.Trans == nil {
		d.Trans = newForm(nil)
	}
	if d.Visit == nil {
		v := url.Values{"visited_on": {s.today().String()}}
		if !c.VisitedOn.IsZero() {
			v = url.Values{"visited_on": {c.VisitedOn.String()}, "visited_by": {c.VisitedBy}, "visit_notes": {c.VisitNotes}}
		}
		d.Visit = newForm(v)
	}
	if d.Upload == nil {
		d.Upload = newForm(url.Values{"kind": {"photo"}})
	}
	s.page(w, r, status, "care_detail", nuanxin.T("ui.care.detail_title", c.Subject()), "care", d)
}

func (s *Server) handleCareDetail(w http.ResponseWriter, r *http.Request) {
	c, err := s.loadCase(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.careDetailPage(w, r, http.StatusOK, c, &careDetailData{})
}

// handleCareTransition takes one workflow step on the case of the page.
func (s *Server) handleCareTransition(w http.ResponseWriter, r *http.Request) {
	c, err := s.loadCase(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_ = r.ParseForm()
	act := nuanxin.CareAction(r.PostForm.Get("action"))
	reason := r.PostForm.Get("reason")
	if act == nuanxin.ActPay {
		redirect(w, r, fmt.Sprintf("/care/batches/new?ids=%d", c.ID))
		return
	}
	if !listActions[act] {
		err = nuanxin.Invalid("action", "err.bad_request")
	} else {
		err = s.care.TransitionCare(r.Context(), scopeOf(r), []int64{c.ID}, act, reason)
	}
	if err == nil {
		s.setFlash(w, "ui.flash.care.case."+string(act))
		redirect(w, r, fmt.Sprintf("/care/%d", c.ID))
		return
	}
	if !careFormErr(err) {
		s.fail(w, r, err)
		return
	}
	status := careStatusOf(err)
	d := &careDetailData{Err: userMessage(err), Trans: newForm(url.Values{"reason": {reason}, "action": {string(act)}})}
	d.Trans.E = nuanxin.AsFieldErrors(err)
	s.careDetailPage(w, r, status, c, d)
}

// handleCareVisit records the 走访 of a case.
func (s *Server) handleCareVisit(w http.ResponseWriter, r *http.Request) {
	c, err := s.loadCase(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_ = r.ParseForm()
	f := newForm(r.PostForm)
	on, perr := nuanxin.ParseDate(strings.TrimSpace(f.Get("visited_on")))
	if perr != nil {
		err = nuanxin.FieldErrors{fieldErr("visited_on", perr)}
	} else {
		err = s.care.RecordVisit(r.Context(), scopeOf(r), c.ID, on, f.Get("visited_by"), f.Get("visit_notes"))
	}
	if err == nil {
		s.setFlash(w, "ui.flash.care.case.visit")
		redirect(w, r, fmt.Sprintf("/care/%d#visit", c.ID))
		return
	}
	if !careFormErr(err) {
		s.fail(w, r, err)
		return
	}
	f.setErr(err)
	s.careDetailPage(w, r, careStatusOf(err), c, &careDetailData{Visit: f})
}

// handleCareAttach stores an uploaded photo or scan on the case. The file
// streams from the multipart reader (the CSRF token was its first part).
func (s *Server) handleCareAttach(w http.ResponseWriter, r *http.Request) {
	c, err := s.loadCase(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sc := scopeOf(r)
	if !sc.Can(nuanxin.PermCareWrite, c.OrgPath) {
		s.fail(w, r, nuanxin.NotFound("what.care_case"))
		return
	}
	f := newForm(url.Values{"kind": {"photo"}})
	a := &nuanxin.Attachment{Owner: "case", OwnerID: c.ID, Kind: "photo"}
	err = nuanxin.Invalid("file", "care.attachment.empty")
	if mr, merr := multipartOf(r); merr == nil {
		for {
			p, perr := mr.NextPart()
			if perr != nil {
				break
			}
			if p.FormName() == "kind" {
				b, _ := io.ReadAll(io.LimitReader(p, 32))
				a.Kind = strings.TrimSpace(string(b))
				f.V.Set("kind", a.Kind)
				continue
			}
			if p.FormName() == "file" && p.FileName() != "" {
				a.Name = p.FileName()
				err = s.care.AddAttachment(r.Context(), sc, a, p)
				break
			}
		}
	}
	if err == nil {
		s.setFlash(w, "ui.flash.care.case.attached")
		redirect(w, r, fmt.Sprintf("/care/%d#attachments", c.ID))
		return
	}
	if !careFormErr(err) {
		s.fail(w, r, err)
		return
	}
	f.setErr(err)
	s.careDetailPage(w, r, careStatusOf(err), c, &careDetailData{Upload: f})
}

// handleAttachment serves the bytes of a photo or scan inline, as stored.
func (s *Server) handleAttachment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, data, err := s.care.OpenAttachment(r.Context(), scopeOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": a.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	// the file is shown by the browser's own viewer: nothing of it may run
	csp := "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"
	if a.ContentType == "application/pdf" {
		csp += "; object-src 'self'"
	}
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Frame-Options", "SAMEORIGIN")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(data)
	}
}

// ---------------------------------------------------------------------------
// Batch entry: one category, date and amount for many members.

// bulkLine is one line of the member list of a batch entry.
type bulkLine struct {
	N       int
	Text    string
	M       *nuanxin.Member
	Err     string
	Choices []*nuanxin.Member // an ambiguous name: who it could be
	Ds      []nuanxin.Decision
}

// Blocked reports whether the line's check found a block.
func (l *bulkLine) Blocked() bool { return len(nuanxin.Blocks(l.Ds)) > 0 }

type careBulkData struct {
	careFormData
	Orgs    []option
	Lines   []*bulkLine
	Preview bool
	Bad     int // lines that cannot be saved
	Warned  int
}

// maxBulkLines bounds one batch entry (the store takes at most 1000).
const maxBulkLines = 500

// bulkSplit turns the textarea into its non-empty lines (a comma or 、
// separates names too: officers paste "张三、李四").
func bulkSplit(text string) []string {
	var out []string
	for _, line := range strings.FieldsFunc(text, func(r rune) bool {
		return r == '\n' || r == '\r' || r == ',' || r == '，' || r == '、' || r == ';' || r == '；'
	}) {
		if t := strings.TrimSpace(line); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// resolveLines finds each line's member under root among those the officer
// may record cases for: by exact name, 工号 or 会员证号.
func (s *Server) resolveLines(ctx context.Context, sc *nuanxin.Scope, root int64, texts []string) ([]*bulkLine, error) {
	lines := make([]*bulkLine, len(texts))
	seen := map[int64]int{}
	for i, t := range texts {
		l := &bulkLine{N: i + 1, Text: t}
		lines[i] = l
		list, err := s.members.FindMembers(ctx, sc, nuanxin.MemberFilter{OrgID: root, Query: t, Limit: 50, Today: s.today()})
		if err != nil {
			if nuanxin.ErrorCode(err) == nuanxin.EINTERNAL {
				return nil, err
			}
			l.Err = userMessage(err)
			continue
		}
		var hits []*nuanxin.Member
		for _, m := range list.Members {
			if (m.Name == t || (m.EmployeeNo != "" && m.EmployeeNo == t) || (m.CardNo != "" && m.CardNo == t)) &&
				sc.Can(nuanxin.PermCareWrite, m.OrgPath) {
				hits = append(hits, m)
			}
		}
		switch {
		case len(hits) == 0:
			l.Err = nuanxin.T("ui.care.bulk.unknown", t)
		case len(hits) > 1:
			l.Err = nuanxin.T("ui.care.bulk.ambiguous", len(hits), t)
			l.Choices = hits
		default:
			l.M = hits[0]
			if n, dup := seen[l.M.ID]; dup {
				l.Err = nuanxin.T("ui.care.bulk.duplicate", n)
				l.M = nil
			} else {
				seen[l.M.ID] = l.N
			}
		}
	}
	return lines, nil
}

func (s *Server) careBulkPage(w http.ResponseWriter, r *http.Request, status int, d *careBulkData, defaults bool) {
	sc, ctx := scopeOf(r), r.Context()
	orgs, err := s.orgs.FindOrgs(ctx, sc, nuanxin.OrgFilter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var writable []*nuanxin.Org
	for _, o := range orgs {
		if sc.Can(nuanxin.PermCareWrite, o.Path) {
			writable = append(writable, o)
		}
	}
	d.Orgs = orgOptions(writable)
	f := d.Form
	if f.Get("org_id") == "" && len(writable) > 0 {
		f.V.Set("org_id", strconv.FormatInt(writable[0].ID, 10))
	}
	// the categories are those of the chosen org's policy
	d.PolicyOrg = formInt(f.Get("org_id"))
	if err := s.fillCareForm(ctx, sc, &d.careFormData, defaults); err != nil {
		s.fail(w, r, err)
		return
	}
	if isHTMX(r) && r.Header.Get("HX-Target") == "care-bulk-body" {
		s.fragment(w, r, status, "care_bulk", "care_bulk_body", d)
		return
	}
	s.page(w, r, status, "care_bulk", nuanxin.T("ui.care.bulk.title"), "care", d)
}

var bulkFields = []string{"org_id", "names", "category", "event_date", "holiday", "holiday_year", "form", "amount",
	"goods", "reason", "notes", "accept_warnings", "submit", "_once"}

func (s *Server) handleCareBulkForm(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := url.Values{}
	for _, k := range bulkFields {
		if x := q.Get(k); x != "" {
			v.Set(k, x)
		}
	}
	f := newForm(v)
	f.Once = v.Get("_once")
	if f.Once == "" {
		f.Once = newToken()
		f.V.Set("_once", f.Once)
	}
	if f.Get("event_date") == "" && !isHTMX(r) {
		f.V.Set("event_date", s.today().String())
	}
	if f.Get("category") != "" && !validCareCategory(f.Get("category")) {
		f.V.Del("category")
	}
	s.careBulkPage(w, r, http.StatusOK, &careBulkData{careFormData: careFormData{Form: f, IsNew: true, Action: "/care/batch", Self: "/care/batch", Cancel: "/care"}}, true)
}

// handleCareBulkSave previews or saves a batch entry. Saving is all or none:
// any line that names nobody, or anybody twice, stops it; so does a case
// the policy refuses (the error names its line).
func (s *Server) handleCareBulkSave(w http.ResponseWriter, r *http.Request) {
	sc, ctx := scopeOf(r), r.Context()
	_ = r.ParseForm()
	f := newForm(r.PostForm)
	f.Once = r.PostForm.Get("_once")
	d := &careBulkData{careFormData: careFormData{Form: f, IsNew: true, Action: "/care/batch", Self: "/care/batch", Cancel: "/care"}}
	save := f.Get("do") == "save"
	texts := bulkSplit(f.Get("names"))
	f.V.Set("names", strings.Join(texts, "\n"))
	// the common part of every case, read and checked once
	tmpl := &nuanxin.CareCase{}
	fe := careFromForm(r.PostForm, tmpl)
	tmpl.MemberID, tmpl.RelativeID = 0, 0
	root := formInt(f.Get("org_id"))
	if root <= 0 {
		fe.Add("org_id", "ui.care.bulk.org_required")
	}
	switch {
	case len(texts) == 0:
		fe.Add("names", "ui.care.bulk.names_required")
	case len(texts) > maxBulkLines:
		fe.Add("names", "ui.care.bulk.too_many", maxBulkLines)
	}
	fail := func(err error) {
		if !careFormErr(err) && nuanxin.ErrorCode(err) != nuanxin.ENOTFOUND {
			s.fail(w, r, err)
			return
		}
		if pe := asPolicyError(err); pe != nil {
			d.Checked, d.Decisions = true, pe.Decisions
			d.NeedAccept = !pe.Blocked()
			name := pe.Name
			if pe.Row > 0 && pe.Row <= len(d.Lines) && d.Lines[pe.Row-1].M != nil {
				name = d.Lines[pe.Row-1].M.Name
			}
			key := "ui.care.bulk.line_blocked"
			if !pe.Blocked() {
				key = "ui.care.bulk.line_warned"
			}
			f.Summary = nuanxin.T(key, max(pe.Row, 1), name)
		} else {
			f.setErr(mapFields(err, map[string]string{"member_id": "names"}))
		}
		s.careBulkPage(w, r, careStatusOf(err), d, false)
	}
	if len(fe) > 0 {
		fail(fe)
		return
	}
	if rule := s.bulkRule(ctx, sc, root, tmpl); rule != nil && rule.ForRelative {
		fail(nuanxin.Invalid("category", "ui.care.bulk.for_relative"))
		return
	}
	lines, err := s.resolveLines(ctx, sc, root, texts)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Lines = lines
	for _, l := range lines {
		if l.Err != "" {
			d.Bad++
		}
	}
	if !save || d.Bad > 0 {
		// the preview: each member's case run through the policy
		d.Preview = true
		for _, l := range lines {
			if l.M == nil {
				continue
			}
			c := *tmpl
			c.MemberID = l.M.ID
			ds, err := s.care.CheckCare(ctx, sc, &c)
			switch {
			case err == nil:
				l.Ds = ds
				if l.Blocked() {
					d.Bad++
				} else if len(ds) > 0 {
					d.Warned++
				}
			case careFormErr(err):
				if fe := nuanxin.AsFieldErrors(err); len(fe) > 0 && fe[0].Field != "" && fe[0].Field != "member_id" {
					// the common part is wrong: say so once, not per line
					fail(err)
					return
				}
				l.Err = userMessage(err)
				d.Bad++
			default:
				s.fail(w, r, err)
				return
			}
		}
		status := http.StatusOK
		if save {
			status = http.StatusUnprocessableEntity
			f.Summary = nuanxin.T("ui.care.bulk.fix_lines", d.Bad)
		}
		s.careBulkPage(w, r, status, d, false)
		return
	}
	// the common part checked once with the first member, so a missing
	// amount shows beside the amount rather than as "第1条：…"
	probe := *tmpl
	probe.MemberID = lines[0].M.ID
	if _, err := s.care.CheckCare(ctx, sc, &probe); err != nil {
		d.Preview = true
		fail(err)
		return
	}
	cases := make([]*nuanxin.CareCase, len(lines))
	for i, l := range lines {
		c := *tmpl
		c.MemberID = l.M.ID
		cases[i] = &c
	}
	opt := nuanxin.CareCreate{Submit: f.Get("submit") == "1", AcceptWarnings: f.Get("accept_warnings") == "1"}
	err = s.onceDo(w, r, func() (string, error) {
		if err := s.care.CreateCareCases(ctx, sc, cases, opt); err != nil {
			return "", err
		}
		s.setFlash(w, "ui.flash.care.case.bulk_created")
		v := url.Values{"status": {string(nuanxin.CareDraft)}}
		if opt.Submit {
			v.Set("status", string(nuanxin.CareSubmitted))
		}
		return "/care?" + v.Encode(), nil
	})
	if err != nil {
		d.Preview = true
		fail(err)
	}
}

// bulkRule is the policy rule of the batch's category at its org, or nil.
func (s *Server) bulkRule(ctx context.Context, sc *nuanxin.Scope, org int64, c *nuanxin.CareCase) *nuanxin.PolicyRule {
	pol, err := s.policy.EffectivePolicy(ctx, sc, org, c.EventDate)
	if err != nil {
		return nil
	}
	return pol.Rule(c.Category)
}

// ---------------------------------------------------------------------------
// 待办 and the 五必访 list.

type visitGroup struct {
	Kind   nuanxin.MustVisitKind
	Label  string
	Count  int
	Capped bool // counted up to nuanxin.MaxMustVisitCount only
	Items  []*nuanxin.MustVisit
}

// More is how many of the kind are not listed.
func (g visitGroup) More() int { return g.Count - len(g.Items) }

type careTodoData struct {
	T      *nuanxin.CareTodo
	Counts []countItem
	Groups []visitGroup
	Total  int // people on the must-visit list
}

// navBadges puts what waits for the caller beside 慰问 in the menu.
func (d *careTodoData) navBadges() map[string]int { return careBadges(d.T) }

func careBadges(t *nuanxin.CareTodo) map[string]int {
	if t == nil {
		return nil
	}
	return map[string]int{"care": t.ToReview + t.ToApprove + t.ToPay}
}

// todoCounts are the 待办 figures, each linking to the list it counts.
func todoCounts(sc *nuanxin.Scope, t *nuanxin.CareTodo) []countItem {
	var out []countItem
	add := func(perm nuanxin.Perm, key string, n int, st nuanxin.CareStatus, class string) {
		if sc.CanAny(perm) {
			out = append(out, countItem{Label: nuanxin.T(key), Count: n, Href: "/care?status=" + string(st), Class: class})
		}
	}
	add(nuanxin.PermCareWrite, "ui.care.todo.to_submit", t.ToSubmit, nuanxin.CareDraft, "")
	add(nuanxin.PermCareReview, "ui.care.todo.to_review", t.ToReview, nuanxin.CareSubmitted, "stat-warn")
	add(nuanxin.PermCareApprove, "ui.care.todo.to_approve", t.ToApprove, nuanxin.CareReviewed, "stat-warn")
	add(nuanxin.PermCarePay, "ui.care.todo.to_pay", t.ToPay, nuanxin.CareApproved, "stat-warn")
	add(nuanxin.PermCarePay, "ui.care.todo.to_sign", t.ToSign, nuanxin.CarePaid, "")
	return out
}

// DaysText says how long ago the event was, or how soon a birthday comes.
func (d *careTodoData) DaysText(v *nuanxin.MustVisit) string {
	switch {
	case v.Days < 0:
		return nuanxin.T("ui.care.todo.days_until", -v.Days)
	case v.Days == 0:
		return nuanxin.T("ui.care.todo.today")
	}
	return nuanxin.T("ui.care.todo.days_since", v.Days)
}

// Act is where to act on a line: the case's visit form, or a new case.
func (d *careTodoData) Act(v *nuanxin.MustVisit) option {
	if v.CaseID != 0 {
		return option{fmt.Sprintf("/care/%d#visit", v.CaseID), nuanxin.T("ui.care.todo.record_visit")}
	}
	cat := nuanxin.CareBirthday
	if v.Kind == nuanxin.VisitDeath {
		cat = nuanxin.CareDeath
	}
	return option{withQuery("/care/new", url.Values{"member_id": {strconv.FormatInt(v.MemberID, 10)}, "category": {string(cat)}}),
		nuanxin.T("ui.care.todo.new_case")}
}

var visitKinds = []nuanxin.MustVisitKind{nuanxin.VisitHospital, nuanxin.VisitDeath, nuanxin.VisitBirth,
	nuanxin.VisitWedding, nuanxin.VisitBirthday}

func (s *Server) handleCareTodo(w http.ResponseWriter, r *http.Request) {
	sc := scopeOf(r)
	t, err := s.care.CareTodo(r.Context(), sc, 0, s.today())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &careTodoData{T: t, Counts: todoCounts(sc, t)}
	for _, k := range visitKinds {
		g := visitGroup{Kind: k, Label: k.Label(), Count: t.MustVisitCounts[k], Capped: t.MustVisitCapped[k]}
		for _, v := range t.MustVisit {
			if v.Kind == k {
				g.Items = append(g.Items, v)
			}
		}
		g.Count = max(g.Count, len(g.Items))
		d.Total += g.Count
		d.Groups = append(d.Groups, g)
	}
	s.page(w, r, http.StatusOK, "care_todo", nuanxin.T("ui.care.todo.title"), "care", d)
}

// ---------------------------------------------------------------------------
// The care parts of other pages: the member page and the 工作台.

// memberCare is the 慰问记录 section of a member's page.
type memberCare struct {
	Rows     []careRow
	Total    int
	CanWrite bool
	More     string // link to the full list when it is longer
}

const memberCareShown = 20

// memberCareOf reads a member's cases for their page; nil when the caller
// may not see cases there.
func (s *Server) memberCareOf(ctx context.Context, sc *nuanxin.Scope, m *nuanxin.Member) (*memberCare, error) {
	if !sc.Can(nuanxin.PermCareRead, m.OrgPath) {
		return nil, nil
	}
	list, err := s.care.FindCareCases(ctx, sc, nuanxin.CareFilter{MemberID: m.ID, Limit: memberCareShown})
	if err != nil {
		return nil, err
	}
	mc := &memberCare{Total: list.Total, CanWrite: sc.Can(nuanxin.PermCareWrite, m.OrgPath)}
	labels := s.categoryLabels(ctx, sc, list.Cases)
	for _, c := range list.Cases {
		mc.Rows = append(mc.Rows, careRow{C: c, Category: labels(c)})
	}
	if list.Total > len(list.Cases) {
		mc.More = "/care?member_id=" + strconv.FormatInt(m.ID, 10)
	}
	return mc, nil
}

// homeCare is the 待办 card of the 工作台.
type homeCare struct {
	Counts       []countItem
	Visits       int
	VisitsCapped bool // some kind counted up to nuanxin.MaxMustVisitCount only
	T            *nuanxin.CareTodo
}

// homeCareOf reads the 待办 figures for the 工作台; nil without the care
// permission. A failure leaves the card out rather than the whole page.
func (s *Server) homeCareOf(r *http.Request) *homeCare {
	sc := scopeOf(r)
	if !sc.CanAny(nuanxin.PermCareRead) {
		return nil
	}
	t, err := s.care.CareTodo(r.Context(), sc, 0, s.today())
	if err != nil {
		s.logIfInternal(r, err)
		return nil
	}
	h := &homeCare{Counts: todoCounts(sc, t), T: t}
	for k, n := range t.MustVisitCounts {
		h.Visits += n
		h.VisitsCapped = h.VisitsCapped || t.MustVisitCapped[k]
	}
	return h
}

// navBadges puts what waits for the caller beside 慰问 in the menu.
func (d *homeData) navBadges() map[string]int {
	if d.Care == nil {
		return nil
	}
	return careBadges(d.Care.T)
}
