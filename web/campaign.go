package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/policy"
	"github.com/nuanxin/nuanxin/report"
	"github.com/nuanxin/nuanxin/roster"
)

// 专项活动: a campaign from its standard and criteria to its roster, its
// approval, distribution per suborg (task list → one payment batch per
// round), the 签收表 of a suborg, and its summary against the budget.

const (
	// campaignRosterShow bounds the roster rows a detail page renders: a
	// roster can hold 100,000 people.
	campaignRosterShow = 200
	// campaignTaskMax bounds one task list (a delivery round).
	campaignTaskMax = 500
	// campaignSheetMax bounds a printed 签收表.
	campaignSheetMax = 10000
	// campaignGoodsRows is how many goods lines a new form offers.
	campaignGoodsRows = 3
	// campaignMemberLines bounds the pasted member list.
	campaignMemberLines = 2000
)

var errStop = errors.New("stop")

func campaignKindOptions() []option {
	var o []option
	for _, k := range nuanxin.CampaignKinds {
		o = append(o, option{string(k), k.Label()})
	}
	return o
}

func campaignStatusTag(st nuanxin.CampaignStatus) string {
	switch st {
	case nuanxin.CampaignApproved:
		return "tag-blue"
	case nuanxin.CampaignClosed:
		return "tag-grey"
	}
	return "tag-orange"
}

// campaignHolidayDate is "2026年9月25日" for a holiday campaign, else "".
func campaignHolidayDate(h nuanxin.Holiday, year int) string {
	if h == "" || year == 0 {
		return ""
	}
	d, err := policy.HolidayDate(h, year)
	if err != nil {
		return ""
	}
	return d.Chinese()
}

// campaignGoodsText is the standard per recipient in words: 500元现金、月饼1盒.
func campaignGoodsText(c *nuanxin.Campaign) string {
	var parts []string
	if c.Cash > 0 {
		parts = append(parts, nuanxin.T("ui.campaign.cash_part", yuan(c.Cash)))
	}
	for _, g := range c.Goods {
		parts = append(parts, nuanxin.T("ui.campaign.goods_part", g.Name, g.Qty, g.Unit, yuan(g.UnitValue)))
	}
	return strings.Join(parts, "、")
}

// campaignCriteriaText states the criteria line by line.
func campaignCriteriaText(c *nuanxin.Campaign) []string {
	cr := c.Criteria
	var out []string
	if len(cr.Categories) > 0 {
		var ls []string
		for _, k := range cr.Categories {
			ls = append(ls, k.Label())
		}
		out = append(out, nuanxin.T("ui.campaign.crit.categories", strings.Join(ls, "、")))
	}
	if len(cr.Departments) > 0 {
		out = append(out, nuanxin.T("ui.campaign.crit.departments", strings.Join(cr.Departments, "、")))
	}
	if cr.ChildStudent {
		out = append(out, nuanxin.T("ui.campaign.crit.child_student"))
	}
	if len(cr.HardshipTiers) > 0 {
		var ls []string
		for _, t := range cr.HardshipTiers {
			ls = append(ls, t.Label())
		}
		out = append(out, nuanxin.T("ui.campaign.crit.hardship", strings.Join(ls, "、")))
	}
	if len(cr.MemberIDs) > 0 {
		out = append(out, nuanxin.T("ui.campaign.crit.members", len(cr.MemberIDs)))
	}
	if cr.IncludeReserved {
		out = append(out, nuanxin.T("ui.campaign.crit.reserved"))
	} else {
		out = append(out, nuanxin.T("ui.campaign.crit.member_only"))
	}
	return out
}

// The list.

type campaignListData struct {
	Rows     []*nuanxin.Campaign
	CanWrite bool
}

func (s *Server) handleCampaigns(w http.ResponseWriter, r *http.Request) {
	sc := scopeOf(r)
	list, err := s.campaigns.FindCampaigns(r.Context(), sc, 0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.page(w, r, http.StatusOK, "campaign_list", nuanxin.T("ui.campaign.title"), "campaigns",
		&campaignListData{Rows: list, CanWrite: sc.CanAny(nuanxin.PermCareWrite)})
}

// loadCampaign reads the campaign of the path. A suborg's officers, who
// do not hold the campaign's own org, find it among the campaigns they
// take part in (full is false then: no summary, no roster of the whole).
func (s *Server) loadCampaign(r *http.Request) (c *nuanxin.Campaign, full bool, err error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, false, err
	}
	sc, ctx := scopeOf(r), r.Context()
	c, err = s.campaigns.FindCampaign(ctx, sc, id)
	if err == nil {
		return c, true, nil
	}
	if nuanxin.ErrorCode(err) != nuanxin.ENOTFOUND {
		return nil, false, err
	}
	list, lerr := s.campaigns.FindCampaigns(ctx, sc, 0)
	if lerr != nil {
		return nil, false, lerr
	}
	for _, x := range list {
		if x.ID == id {
			return x, false, nil
		}
	}
	return nil, false, err
}

// The form.

type campaignGoodsRow struct{ Name, Unit, Qty, Value string }

type campaignAllotRow struct {
	OrgID              int64
	Name               string
	Budget, Quota      string
	BudgetErr, QuotaEr bool
}

type campaignFormData struct {
	Form        *form
	IsNew       bool
	Action      string
	Self        string
	Cancel      string
	OrgName     string
	Orgs        []option
	Kinds       []option
	Holidays    []option
	Heads       []payHeadGroup
	Categories  []option
	Checked     map[string]bool
	Tiers       []option        // 困难职工档案 tiers (hardship.go)
	TierChecked map[string]bool // the tiers ticked
	Goods       []campaignGoodsRow
	Allots      []campaignAllotRow
	HolidayDate string
	MemberIDs   []int64 // the list already on the campaign (edit)
	Unresolved  []string
}

var campaignFields = []string{"org_id", "name", "kind", "holiday", "holiday_year", "from", "to", "budget", "cash",
	"head", "departments", "child_student", "include_reserved", "member_list", "clear_members", "notes", "version", "_once"}

// campaignValues fills the form from a stored campaign (edit page).
func campaignValues(c *nuanxin.Campaign) url.Values {
	v := url.Values{"org_id": {id64s(c.OrgID)}, "name": {c.Name}, "kind": {string(c.Kind)}, "holiday": {string(c.Holiday)},
		"from": {c.From.String()}, "to": {c.To.String()}, "budget": {c.Budget.String()}, "head": {c.Head},
		"departments": {strings.Join(c.Criteria.Departments, "\n")}, "notes": {c.Notes}, "version": {strconv.Itoa(c.Version)}}
	if c.HolidayYear != 0 {
		v.Set("holiday_year", strconv.Itoa(c.HolidayYear))
	}
	if c.Cash > 0 {
		v.Set("cash", c.Cash.String())
	}
	if c.Criteria.ChildStudent {
		v.Set("child_student", "1")
	}
	if c.Criteria.IncludeReserved {
		v.Set("include_reserved", "1")
	}
	for _, k := range c.Criteria.Categories {
		v.Add("category", string(k))
	}
	for _, t := range c.Criteria.HardshipTiers {
		v.Add("hardship_tier", string(t))
	}
	for _, g := range c.Goods {
		v.Add("goods_name", g.Name)
		v.Add("goods_unit", g.Unit)
		v.Add("goods_qty", strconv.Itoa(g.Qty))
		v.Add("goods_value", g.UnitValue.String())
	}
	for _, a := range c.Allotments {
		v.Add("allot_org", id64s(a.OrgID))
		v.Add("allot_budget", a.Budget.String())
		q := ""
		if a.Quota > 0 {
			q = strconv.Itoa(a.Quota)
		}
		v.Add("allot_quota", q)
	}
	for _, m := range c.Criteria.MemberIDs {
		v.Add("member_ids", id64s(m))
	}
	return v
}

func id64s(n int64) string { return strconv.FormatInt(n, 10) }

func at(xs []string, i int) string {
	if i < len(xs) {
		return strings.TrimSpace(xs[i])
	}
	return ""
}

// campaignLines splits a textarea into its non-empty lines, numbered as
// typed.
func campaignLines(text string) []struct {
	N    int
	Text string
} {
	var out []struct {
		N    int
		Text string
	}
	for i, l := range strings.Split(strings.ReplaceAll(text, "\r", ""), "\n") {
		if t := strings.TrimSpace(l); t != "" {
			out = append(out, struct {
				N    int
				Text string
			}{i + 1, t})
		}
	}
	return out
}

// campaignFromForm reads the form into c; what cannot be read comes back
// as field errors (the store checks the rest). Pasted member lines are
// resolved to members under the campaign's org; unresolved lines are
// reported by line number.
func (s *Server) campaignFromForm(ctx context.Context, sc *nuanxin.Scope, v url.Values, c *nuanxin.Campaign, d *campaignFormData) (nuanxin.FieldErrors, error) {
	var fe nuanxin.FieldErrors
	get := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	c.Name, c.Kind, c.Head, c.Notes = get("name"), nuanxin.CampaignKind(get("kind")), get("head"), get("notes")
	c.Holiday = nuanxin.Holiday(get("holiday"))
	// What the store would also say, so that a form with a parse error
	// reports every missing field at once.
	if c.Name == "" {
		fe.Add("name", "campaign.name")
	}
	if c.Kind == "" {
		fe.Add("kind", "campaign.kind")
	}
	if c.Kind == nuanxin.CampaignHoliday && c.Holiday == "" {
		fe.Add("holiday", "care.holiday.required")
	}
	if get("budget") == "" {
		fe.Add("budget", "campaign.budget")
	}
	if y := get("holiday_year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 1900 || n > 2200 {
			fe.Add("holiday_year", "ui.care.bad_year")
		} else {
			c.HolidayYear = n
		}
	}
	for _, f := range []struct {
		name string
		dst  *nuanxin.Date
	}{{"from", &c.From}, {"to", &c.To}} {
		if x := get(f.name); x != "" {
			d, err := nuanxin.ParseDate(x)
			if err != nil {
				fe = append(fe, fieldErr(f.name, err))
			} else {
				*f.dst = d
			}
		}
	}
	if x := get("budget"); x != "" {
		m, err := roster.ParseAmount(x)
		if err != nil {
			fe = append(fe, fieldErr("budget", err))
		} else {
			c.Budget = m
		}
	}
	if x := get("cash"); x != "" {
		m, err := roster.ParseAmount(x)
		if err != nil {
			fe = append(fe, fieldErr("cash", err))
		} else {
			c.Cash = m
		}
	}
	names, units, qtys, vals := v["goods_name"], v["goods_unit"], v["goods_qty"], v["goods_value"]
	c.Goods = nil
	for i := range names {
		g := nuanxin.GoodsItem{Name: at(names, i), Unit: at(units, i)}
		q, val := at(qtys, i), at(vals, i)
		if g.Name == "" && g.Unit == "" && q == "" && val == "" {
			continue
		}
		bad := false
		if q != "" {
			n, err := strconv.Atoi(q)
			if err != nil {
				bad = true
			}
			g.Qty = n
		}
		if val != "" {
			m, err := roster.ParseAmount(val)
			if err != nil {
				bad = true
			}
			g.UnitValue = m
		}
		if bad || g.Name == "" || g.Qty <= 0 {
			fe.Add("goods", "campaign.goods", len(c.Goods)+1)
		}
		c.Goods = append(c.Goods, g)
	}
	c.Criteria = nuanxin.CampaignCriteria{ChildStudent: get("child_student") == "1", IncludeReserved: get("include_reserved") == "1"}
	for _, k := range v["category"] {
		for _, x := range nuanxin.Categories {
			if string(x) == k {
				c.Criteria.Categories = append(c.Criteria.Categories, x)
			}
		}
	}
	for _, t := range nuanxin.HardshipTiers {
		if hasValue(v["hardship_tier"], string(t)) {
			c.Criteria.HardshipTiers = append(c.Criteria.HardshipTiers, t)
		}
	}
	for _, l := range campaignLines(v.Get("departments")) {
		c.Criteria.Departments = append(c.Criteria.Departments, l.Text)
	}
	if get("clear_members") != "1" {
		seen := map[int64]bool{}
		for _, x := range v["member_ids"] {
			if id := formInt(x); id > 0 && !seen[id] {
				seen[id] = true
				c.Criteria.MemberIDs = append(c.Criteria.MemberIDs, id)
			}
		}
	}
	lines := campaignLines(v.Get("member_list"))
	if len(lines) > campaignMemberLines {
		fe.Add("member_list", "ui.campaign.too_many_lines", campaignMemberLines)
		lines = nil
	}
	if len(lines) > 0 && c.OrgID != 0 {
		seen := map[int64]bool{}
		for _, id := range c.Criteria.MemberIDs {
			seen[id] = true
		}
		for _, l := range lines {
			list, err := s.members.FindMembers(ctx, sc, nuanxin.MemberFilter{OrgID: c.OrgID, Query: l.Text, Limit: 5, Today: s.today()})
			if err != nil {
				if nuanxin.ErrorCode(err) == nuanxin.EINTERNAL {
					return nil, err
				}
				d.Unresolved = append(d.Unresolved, nuanxin.T("ui.campaign.line_unknown", l.N, l.Text))
				continue
			}
			_, idErr := nuanxin.ParseIDNumber(l.Text)
			var hit *nuanxin.Member
			n := 0
			for _, m := range list.Members {
				if (m.EmployeeNo != "" && m.EmployeeNo == l.Text) || (m.CardNo != "" && m.CardNo == l.Text) || idErr == nil {
					hit = m
					n++
				}
			}
			switch {
			case n == 0:
				d.Unresolved = append(d.Unresolved, nuanxin.T("ui.campaign.line_unknown", l.N, l.Text))
			case n > 1:
				d.Unresolved = append(d.Unresolved, nuanxin.T("ui.campaign.line_ambiguous", l.N, l.Text, n))
			case !seen[hit.ID]:
				seen[hit.ID] = true
				c.Criteria.MemberIDs = append(c.Criteria.MemberIDs, hit.ID)
			}
		}
		if len(d.Unresolved) > 0 {
			fe.Add("member_list", "ui.campaign.lines_unresolved", len(d.Unresolved))
		}
	}
	c.Allotments = nil
	orgs, budgets, quotas := v["allot_org"], v["allot_budget"], v["allot_quota"]
	for i := range orgs {
		org := formInt(orgs[i])
		b, q := at(budgets, i), at(quotas, i)
		if org <= 0 || (b == "" && q == "") {
			continue
		}
		a := &nuanxin.Allotment{OrgID: org}
		if b != "" {
			m, err := roster.ParseAmount(b)
			if err != nil {
				fe.Add("allotments", "ui.campaign.allot_bad", i+1)
				continue
			}
			a.Budget = m
		}
		if q != "" {
			n, err := strconv.Atoi(q)
			if err != nil || n < 0 {
				fe.Add("allotments", "ui.campaign.allot_bad", i+1)
				continue
			}
			a.Quota = n
		}
		c.Allotments = append(c.Allotments, a)
	}
	return fe, nil
}

// fillCampaignForm adds the choices of the form: writable orgs (new),
// the goods rows, the allotment table of the orgs directly under the
// campaign's org, the holiday's date.
func (s *Server) fillCampaignForm(ctx context.Context, sc *nuanxin.Scope, d *campaignFormData, orgID int64) error {
	f := d.Form
	d.Kinds, d.Holidays, d.Heads, d.Categories = campaignKindOptions(), holidayOptions(), payHeads(), categoryOptions()
	d.Checked = map[string]bool{}
	for _, k := range f.V["category"] {
		d.Checked[k] = true
	}
	d.Tiers, d.TierChecked = hardshipTierOptions(), map[string]bool{}
	for _, t := range f.V["hardship_tier"] {
		d.TierChecked[t] = true
	}
	for _, x := range f.V["member_ids"] {
		if id := formInt(x); id > 0 {
			d.MemberIDs = append(d.MemberIDs, id)
		}
	}
	if d.IsNew {
		orgs, err := s.orgs.FindOrgs(ctx, sc, nuanxin.OrgFilter{})
		if err != nil {
			return err
		}
		var w []*nuanxin.Org
		for _, o := range orgs {
			if sc.Can(nuanxin.PermCareWrite, o.Path) {
				w = append(w, o)
			}
		}
		d.Orgs = orgOptions(w)
		if orgID == 0 && len(w) > 0 {
			orgID = w[0].ID
			f.V.Set("org_id", id64s(orgID))
		}
	}
	names, units, qtys, vals := f.V["goods_name"], f.V["goods_unit"], f.V["goods_qty"], f.V["goods_value"]
	for i := range names {
		row := campaignGoodsRow{at(names, i), at(units, i), at(qtys, i), at(vals, i)}
		if row != (campaignGoodsRow{}) {
			d.Goods = append(d.Goods, row)
		}
	}
	for want := max(campaignGoodsRows, len(d.Goods)+1); len(d.Goods) < want; {
		d.Goods = append(d.Goods, campaignGoodsRow{})
	}
	if k := nuanxin.CampaignKind(f.Get("kind")); k == nuanxin.CampaignHoliday {
		y, _ := strconv.Atoi(f.Get("holiday_year"))
		d.HolidayDate = campaignHolidayDate(nuanxin.Holiday(f.Get("holiday")), y)
	}
	if orgID == 0 {
		return nil
	}
	children, err := s.orgs.FindOrgs(ctx, sc, nuanxin.OrgFilter{RootID: orgID})
	if err != nil {
		if nuanxin.ErrorCode(err) == nuanxin.ENOTFOUND {
			return nil
		}
		return err
	}
	typed := map[int64][2]string{}
	for i, o := range f.V["allot_org"] {
		typed[formInt(o)] = [2]string{at(f.V["allot_budget"], i), at(f.V["allot_quota"], i)}
	}
	for _, o := range children {
		if o.ParentID != orgID || o.Closed {
			continue
		}
		t := typed[o.ID]
		d.Allots = append(d.Allots, campaignAllotRow{OrgID: o.ID, Name: o.Name, Budget: t[0], Quota: t[1]})
	}
	return nil
}

func (s *Server) campaignFormPage(w http.ResponseWriter, r *http.Request, status int, d *campaignFormData, orgID int64) {
	if err := s.fillCampaignForm(r.Context(), scopeOf(r), d, orgID); err != nil {
		s.fail(w, r, err)
		return
	}
	title := nuanxin.T("ui.campaign.new")
	if !d.IsNew {
		title = nuanxin.T("ui.campaign.edit_title", d.Form.Get("name"))
	}
	s.page(w, r, status, "campaign_form", title, "campaigns", d)
}

// campaignFormFromQuery is the form re-rendered by htmx when the org, the
// kind or the holiday changes: everything typed comes back in the query.
func campaignFormFromQuery(q url.Values) *form {
	v := url.Values{}
	for _, k := range campaignFields {
		if x := q.Get(k); x != "" {
			v.Set(k, x)
		}
	}
	for _, k := range []string{"category", "hardship_tier", "goods_name", "goods_unit", "goods_qty", "goods_value", "allot_org",
		"allot_budget", "allot_quota", "member_ids"} {
		if xs, ok := q[k]; ok {
			v[k] = xs
		}
	}
	f := newForm(v)
	f.Once = v.Get("_once")
	return f
}

func (s *Server) handleCampaignNew(w http.ResponseWriter, r *http.Request) {
	f := campaignFormFromQuery(r.URL.Query())
	if f.Once == "" {
		f.Once = newToken()
		f.V.Set("_once", f.Once)
	}
	if f.Get("kind") == "" && !isHTMX(r) {
		f.V.Set("kind", string(nuanxin.CampaignHoliday))
		f.V.Set("holiday_year", strconv.Itoa(s.today().Year))
	}
	d := &campaignFormData{Form: f, IsNew: true, Action: "/campaigns", Self: "/campaigns/new", Cancel: "/campaigns"}
	s.campaignFormPage(w, r, http.StatusOK, d, formInt(f.Get("org_id")))
}

func (s *Server) handleCampaignCreate(w http.ResponseWriter, r *http.Request) {
	sc, ctx := scopeOf(r), r.Context()
	_ = r.ParseForm()
	f := newForm(r.PostForm)
	f.Once = r.PostForm.Get("_once")
	d := &campaignFormData{Form: f, IsNew: true, Action: "/campaigns", Self: "/campaigns/new", Cancel: "/campaigns"}
	c := &nuanxin.Campaign{OrgID: formInt(f.Get("org_id"))}
	parse, err := s.campaignFromForm(ctx, sc, r.PostForm, c, d)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if c.OrgID == 0 {
		parse.Add("org_id", "ui.campaign.org_required")
	}
	err = parse.Err()
	if err == nil {
		err = s.onceDo(w, r, func() (string, error) {
			if err := s.campaigns.CreateCampaign(ctx, sc, c); err != nil {
				return "", err
			}
			s.setFlash(w, "ui.flash.campaign.created")
			return fmt.Sprintf("/campaigns/%d", c.ID), nil
		})
	}
	if err == nil {
		return
	}
	if !isFormErr(err) && nuanxin.ErrorCode(err) != nuanxin.ENOTFOUND {
		s.fail(w, r, err)
		return
	}
	if nuanxin.ErrorCode(err) == nuanxin.ENOTFOUND {
		err = nuanxin.Invalid("org_id", "ui.campaign.org_required")
	}
	s.campaignFormErr(f, parse, err)
	s.campaignFormPage(w, r, statusOf(nuanxin.ErrorCode(err), false), d, c.OrgID)
}

// campaignFormErr reports the parse errors together with the store's.
func (s *Server) campaignFormErr(f *form, parse nuanxin.FieldErrors, err error) {
	all := append(nuanxin.FieldErrors{}, parse...)
	for _, e := range nuanxin.AsFieldErrors(err) {
		dup := false
		for _, p := range parse {
			dup = dup || p.Field == e.Field
		}
		if !dup {
			all = append(all, e)
		}
	}
	if len(all) == 0 {
		f.setErr(err)
		return
	}
	f.E = all
	f.Summary = nuanxin.T("ui.form.fix_errors", len(all))
}

func (s *Server) loadWritableCampaign(r *http.Request) (*nuanxin.Campaign, error) {
	c, full, err := s.loadCampaign(r)
	if err != nil {
		return nil, err
	}
	if !full || !scopeOf(r).Can(nuanxin.PermCareWrite, c.OrgPath) {
		return nil, nuanxin.NotFound("what.campaign")
	}
	return c, nil
}

func (s *Server) handleCampaignEdit(w http.ResponseWriter, r *http.Request) {
	c, err := s.loadWritableCampaign(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := newForm(campaignValues(c))
	if q := r.URL.Query(); isHTMX(r) && q.Get("kind") != "" {
		f = campaignFormFromQuery(q)
	}
	self := fmt.Sprintf("/campaigns/%d/edit", c.ID)
	d := &campaignFormData{Form: f, Action: self, Self: self, Cancel: fmt.Sprintf("/campaigns/%d", c.ID), OrgName: c.OrgName}
	s.campaignFormPage(w, r, http.StatusOK, d, c.OrgID)
}

func (s *Server) handleCampaignUpdate(w http.ResponseWriter, r *http.Request) {
	sc, ctx := scopeOf(r), r.Context()
	old, err := s.loadWritableCampaign(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_ = r.ParseForm()
	f := newForm(r.PostForm)
	self := fmt.Sprintf("/campaigns/%d/edit", old.ID)
	d := &campaignFormData{Form: f, Action: self, Self: self, Cancel: fmt.Sprintf("/campaigns/%d", old.ID), OrgName: old.OrgName}
	c := &nuanxin.Campaign{ID: old.ID, OrgID: old.OrgID}
	c.Version, _ = strconv.Atoi(f.Get("version"))
	parse, err := s.campaignFromForm(ctx, sc, r.PostForm, c, d)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	err = parse.Err()
	if err == nil {
		err = s.campaigns.UpdateCampaign(ctx, sc, c)
	}
	if err == nil {
		s.setFlash(w, "ui.flash.campaign.updated")
		redirect(w, r, fmt.Sprintf("/campaigns/%d", c.ID))
		return
	}
	if !isFormErr(err) && nuanxin.ErrorCode(err) != nuanxin.ECONFLICT {
		s.fail(w, r, err)
		return
	}
	s.campaignFormErr(f, parse, err)
	s.campaignFormPage(w, r, statusOf(nuanxin.ErrorCode(err), false), d, old.OrgID)
}

// The detail page.

type campaignRosterRow struct {
	C   *nuanxin.CareCase
	Tag string
}

type campaignData struct {
	C           *nuanxin.Campaign
	Full        bool
	Sum         *nuanxin.CampaignSummary
	Standard    string
	PerPerson   nuanxin.Money
	Criteria    []string
	Head        string
	HolidayDate string
	CanWrite    bool
	CanApprove  bool
	CanPay      bool
	Report      *nuanxin.RosterReport
	ReportTitle string
	Error       string // an action refused: shown at the top
	Org         int64  // the suborg whose roster is shown
	OrgName     string
	Roster      []campaignRosterRow
	RosterTotal int
	Add         *form
	Remove      *form
	Receive     *form
	GoodsNames  []option
	AllotSum    nuanxin.Money
	Unallotted  nuanxin.Money
	OrgForms    *campaignOrgForms // an organisation form as posted (campaign_org.go)
	OrgsCard    template.HTML     // the 受慰问单位 card (campaign_org.go)
}

// Left is what is left of a budget line.
func (d *campaignData) Left(l nuanxin.CampaignLine) nuanxin.Money { return l.Budget - l.Spent() }

func (s *Server) campaignPage(w http.ResponseWriter, r *http.Request, status int, d *campaignData) {
	sc, ctx := scopeOf(r), r.Context()
	c := d.C
	d.Standard, d.PerPerson, d.Criteria, d.Head = campaignGoodsText(c), c.PerRecipient(), campaignCriteriaText(c), payHeadLabel(c.Head)
	d.HolidayDate = campaignHolidayDate(c.Holiday, c.HolidayYear)
	d.CanWrite = d.Full && sc.Can(nuanxin.PermCareWrite, c.OrgPath) && c.Status != nuanxin.CampaignClosed
	d.CanApprove = d.Full && sc.Can(nuanxin.PermCareApprove, c.OrgPath) && c.Status != nuanxin.CampaignClosed
	d.CanPay = sc.CanAny(nuanxin.PermCarePay) && c.Status == nuanxin.CampaignApproved
	for _, a := range c.Allotments {
		d.AllotSum += a.Budget
	}
	d.Unallotted = c.Budget - d.AllotSum
	for _, g := range c.Goods {
		d.GoodsNames = append(d.GoodsNames, option{g.Name, g.Name})
	}
	if d.Add == nil {
		d.Add = newForm(nil)
	}
	if d.Remove == nil {
		d.Remove = newForm(nil)
	}
	if d.Receive == nil {
		d.Receive = newForm(nil)
	}
	if d.Full {
		sum, err := s.campaigns.CampaignSummary(ctx, sc, c.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Sum = sum
		if d.Org == 0 && len(sum.Lines) > 0 {
			d.Org = sum.Lines[0].OrgID
		}
		for _, l := range sum.Lines {
			if l.OrgID == d.Org {
				d.OrgName, d.RosterTotal = l.OrgName, l.Delivered+l.Pending
			}
		}
		if d.OrgName != "" {
			own := d.Org == c.OrgID
			err := s.campaigns.CampaignRoster(ctx, sc, c.ID, d.Org, func(cc *nuanxin.CareCase) error {
				if own && cc.OrgID != c.OrgID {
					return nil
				}
				if len(d.Roster) == campaignRosterShow {
					return errStop
				}
				d.Roster = append(d.Roster, campaignRosterRow{C: cc, Tag: payStatusTag(cc.Status)})
				return nil
			})
			if err != nil && !errors.Is(err, errStop) {
				s.fail(w, r, err)
				return
			}
		}
		if err := s.renderCampaignOrgs(r, d); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.page(w, r, status, "campaign", c.Name, "campaigns", d)
}

func (s *Server) handleCampaign(w http.ResponseWriter, r *http.Request) {
	c, full, err := s.loadCampaign(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.campaignPage(w, r, http.StatusOK, &campaignData{C: c, Full: full, Org: formInt(r.URL.Query().Get("org"))})
}

// campaignAction runs a POST on a campaign the caller holds in full and
// answers with the detail page: the report of what was done, or why not.
func (s *Server) campaignAction(w http.ResponseWriter, r *http.Request, do func(c *nuanxin.Campaign, d *campaignData) (flash string, err error)) {
	c, full, err := s.loadCampaign(r)
	if err == nil && !full {
		err = nuanxin.NotFound("what.campaign")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_ = r.ParseForm()
	d := &campaignData{C: c, Full: true, Org: formInt(r.PostForm.Get("org")), Add: newForm(nil), Remove: newForm(nil), Receive: newForm(nil)}
	flash, err := do(c, d)
	if err == nil && flash != "" {
		s.setFlash(w, flash)
		back := fmt.Sprintf("/campaigns/%d", c.ID)
		if d.Org != 0 {
			back += "?org=" + id64s(d.Org)
		}
		redirect(w, r, back)
		return
	}
	status := http.StatusOK
	if err != nil {
		code := nuanxin.ErrorCode(err)
		if code == nuanxin.EINTERNAL || code == nuanxin.ENOTFOUND {
			s.fail(w, r, err)
			return
		}
		status = statusOf(code, false)
		if d.Add.Summary == "" && d.Remove.Summary == "" && d.Receive.Summary == "" && d.OrgForms == nil {
			d.Error = userMessage(err)
		}
	}
	// a fresh read: the action may have changed the campaign
	if fresh, err := s.campaigns.FindCampaign(r.Context(), scopeOf(r), c.ID); err == nil {
		d.C = fresh
	}
	s.campaignPage(w, r, status, d)
}

func (s *Server) handleCampaignRoster(w http.ResponseWriter, r *http.Request) {
	s.campaignAction(w, r, func(c *nuanxin.Campaign, d *campaignData) (string, error) {
		rep, err := s.campaigns.GenerateRoster(r.Context(), scopeOf(r), c.ID)
		d.Report, d.ReportTitle = rep, nuanxin.T("ui.campaign.report_generated")
		return "", err
	})
}

func (s *Server) handleCampaignApprove(w http.ResponseWriter, r *http.Request) {
	s.campaignAction(w, r, func(c *nuanxin.Campaign, d *campaignData) (string, error) {
		return "ui.flash.campaign.approved", s.campaigns.ApproveCampaign(r.Context(), scopeOf(r), c.ID)
	})
}

func (s *Server) handleCampaignClose(w http.ResponseWriter, r *http.Request) {
	s.campaignAction(w, r, func(c *nuanxin.Campaign, d *campaignData) (string, error) {
		if !scopeOf(r).Can(nuanxin.PermCareWrite, c.OrgPath) {
			return "", nuanxin.NotFound("what.campaign")
		}
		return "ui.flash.campaign.closed", s.campaigns.CloseCampaign(r.Context(), scopeOf(r), c.ID)
	})
}

func (s *Server) handleCampaignAdd(w http.ResponseWriter, r *http.Request) {
	s.campaignAction(w, r, func(c *nuanxin.Campaign, d *campaignData) (string, error) {
		f := newForm(r.PostForm)
		d.Add = f
		member := formInt(f.Get("pick"))
		if member == 0 {
			member = formInt(f.Get("member_id"))
		}
		var fe nuanxin.FieldErrors
		if member == 0 {
			fe.Add("member_id", "ui.campaign.pick_member")
		}
		if strings.TrimSpace(f.Get("reason")) == "" {
			fe.Add("reason", "campaign.reason")
		}
		if err := fe.Err(); err != nil {
			f.setErr(err)
			return "", err
		}
		rep, err := s.campaigns.AddRecipient(r.Context(), scopeOf(r), c.ID, member, f.Get("reason"))
		if err != nil {
			if nuanxin.ErrorCode(err) == nuanxin.ENOTFOUND {
				err = nuanxin.Invalid("member_id", "campaign.member_outside")
			}
			f.setErr(err)
			return "", err
		}
		d.Report, d.ReportTitle = rep, nuanxin.T("ui.campaign.report_added")
		return "", nil
	})
}

func (s *Server) handleCampaignRemove(w http.ResponseWriter, r *http.Request) {
	s.campaignAction(w, r, func(c *nuanxin.Campaign, d *campaignData) (string, error) {
		cid, err := pathID(r, "cid")
		if err != nil {
			return "", err
		}
		cc, err := s.care.FindCareCase(r.Context(), scopeOf(r), cid)
		if err != nil {
			return "", err
		}
		if cc.CampaignID != c.ID {
			return "", nuanxin.NotFound("what.care_case")
		}
		f := newForm(r.PostForm)
		d.Remove = f
		if err := s.campaigns.RemoveRecipient(r.Context(), scopeOf(r), cid, f.Get("reason")); err != nil {
			f.setErr(err)
			f.Summary = nuanxin.T("ui.campaign.remove_failed", cc.MemberName, userMessage(err))
			return "", err
		}
		return "ui.flash.campaign.removed", nil
	})
}

func (s *Server) handleCampaignReceive(w http.ResponseWriter, r *http.Request) {
	s.campaignAction(w, r, func(c *nuanxin.Campaign, d *campaignData) (string, error) {
		f := newForm(r.PostForm)
		d.Receive = f
		qty, err := strconv.Atoi(strings.TrimSpace(f.Get("qty")))
		if err != nil {
			err = nuanxin.Invalid("qty", "campaign.qty")
		} else {
			err = s.campaigns.ReceiveGoods(r.Context(), scopeOf(r), c.ID, f.Get("name"), qty)
		}
		if err != nil {
			f.setErr(err)
			return "", err
		}
		return "ui.flash.campaign.received", nil
	})
}

// The task list of a suborg: its approved recipients, delivered round by
// round.

type campaignTaskData struct {
	C       *nuanxin.Campaign
	Orgs    []option
	Org     string
	OrgName string
	Rows    []*nuanxin.CareCase
	Total   int
	Form    *form
	Methods []option
	Error   string
}

// campaignOrgs are the suborgs a caller may choose on the task list and
// the 签收表: the summary's lines, or (for a suborg's officers) the orgs
// of their own grants under the campaign.
func (s *Server) campaignOrgs(ctx context.Context, sc *nuanxin.Scope, c *nuanxin.Campaign, full bool, perm nuanxin.Perm) ([]option, error) {
	var out []option
	if full {
		sum, err := s.campaigns.CampaignSummary(ctx, sc, c.ID)
		if err != nil {
			return nil, err
		}
		for _, l := range sum.Lines {
			out = append(out, option{id64s(l.OrgID), l.OrgName})
		}
		return out, nil
	}
	seen := map[int64]bool{}
	for _, g := range sc.Grants {
		if g.Role.Has(perm) && strings.HasPrefix(g.OrgPath, c.OrgPath) && !seen[g.OrgID] {
			seen[g.OrgID] = true
			out = append(out, option{id64s(g.OrgID), g.OrgName})
		}
	}
	return out, nil
}

func (s *Server) campaignTaskPage(w http.ResponseWriter, r *http.Request, status int, c *nuanxin.Campaign, full bool, org int64, d *campaignTaskData) {
	sc, ctx := scopeOf(r), r.Context()
	orgs, err := s.campaignOrgs(ctx, sc, c, full, nuanxin.PermCarePay)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if org == 0 && len(orgs) > 0 {
		org = formInt(orgs[0].Value)
	}
	d.C, d.Orgs, d.Org, d.Methods = c, orgs, id64s(org), payMethodOptions()
	for _, o := range orgs {
		if o.Value == d.Org {
			d.OrgName = o.Label
		}
	}
	if d.Form == nil {
		method := nuanxin.PayGoods
		if c.Cash > 0 {
			method = nuanxin.PayCash
		}
		d.Form = newForm(url.Values{"on": {s.today().String()}, "method": {string(method)}})
	}
	if org != 0 {
		list, err := s.care.FindCareCases(ctx, sc, nuanxin.CareFilter{CampaignID: c.ID, OrgID: org,
			Status: nuanxin.CareApproved, Limit: campaignTaskMax})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Rows, d.Total = list.Cases, list.Total
		sort.SliceStable(d.Rows, func(i, j int) bool {
			if d.Rows[i].OrgPath != d.Rows[j].OrgPath {
				return d.Rows[i].OrgPath < d.Rows[j].OrgPath
			}
			return d.Rows[i].MemberName < d.Rows[j].MemberName
		})
	}
	s.page(w, r, status, "campaign_tasks", nuanxin.T("ui.campaign.tasks_title", c.Name), "campaigns", d)
}

func (s *Server) handleCampaignTasks(w http.ResponseWriter, r *http.Request) {
	c, full, err := s.loadCampaign(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.campaignTaskPage(w, r, http.StatusOK, c, full, formInt(r.URL.Query().Get("org")), &campaignTaskData{})
}

func (s *Server) handleCampaignDeliver(w http.ResponseWriter, r *http.Request) {
	c, full, err := s.loadCampaign(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_ = r.ParseForm()
	f := newForm(r.PostForm)
	org := formInt(f.Get("org"))
	var fe nuanxin.FieldErrors
	in := nuanxin.DeliveryInput{CampaignID: c.ID, Payer: f.Get("payer"), Method: nuanxin.PayMethod(f.Get("method"))}
	in.On = payDate(&fe, "on", f.Get("on"))
	for _, x := range payIDs(r.PostForm["case"]) {
		out := nuanxin.DeliveryOutcome(f.Get("out_" + id64s(x)))
		if out == "" {
			continue
		}
		in.Deliveries = append(in.Deliveries, nuanxin.Delivery{CaseID: x, Outcome: out, Notes: f.Get("note_" + id64s(x))})
	}
	if len(in.Deliveries) == 0 {
		fe.Add("", "ui.campaign.nothing_chosen")
	}
	err = fe.Err()
	var b *nuanxin.CareBatch
	if err == nil {
		b, err = s.campaigns.Deliver(r.Context(), scopeOf(r), in)
	}
	if err == nil {
		if b != nil {
			s.setFlash(w, "ui.flash.campaign.delivered")
			redirect(w, r, fmt.Sprintf("/care/batches/%d", b.ID))
			return
		}
		s.setFlash(w, "ui.flash.campaign.outcomes")
		redirect(w, r, fmt.Sprintf("/campaigns/%d/tasks?org=%d", c.ID, org))
		return
	}
	code := errorCode(err)
	if code == nuanxin.EINTERNAL {
		s.fail(w, r, err)
		return
	}
	if code == nuanxin.ENOTFOUND {
		err = nuanxin.Errorf(nuanxin.EINVALID, "ui.campaign.deliver_outside")
	}
	f.setErr(err)
	d := &campaignTaskData{Form: f, Error: userMessage(err)}
	if fes := nuanxin.AsFieldErrors(err); len(fes) > 0 {
		var msgs []string
		for _, e := range fes {
			msgs = append(msgs, e.Error())
		}
		d.Error = strings.Join(msgs, "；")
	}
	s.campaignTaskPage(w, r, statusOf(errorCode(err), false), c, full, org, d)
}

// The 签收表 of a suborg, printed before distribution and signed on
// delivery.

func (s *Server) campaignSheet(r *http.Request) (*nuanxin.Campaign, *report.SignOffSheet, string, error) {
	sc, ctx := scopeOf(r), r.Context()
	c, full, err := s.loadCampaign(r)
	if err != nil {
		return nil, nil, "", err
	}
	org := formInt(r.URL.Query().Get("org"))
	orgs, err := s.campaignOrgs(ctx, sc, c, full, nuanxin.PermCareRead)
	if err != nil {
		return nil, nil, "", err
	}
	if org == 0 && len(orgs) > 0 {
		org = formInt(orgs[0].Value)
	}
	name := ""
	for _, o := range orgs {
		if formInt(o.Value) == org {
			name = o.Label
		}
	}
	if name == "" {
		return nil, nil, "", nuanxin.NotFound("what.org")
	}
	sheet := &report.SignOffSheet{OrgName: name, Title: nuanxin.T("ui.campaign.sheet_title", c.Name), Head: payHeadLabel(c.Head)}
	add := func(cc *nuanxin.CareCase) error {
		if len(sheet.Rows) == campaignSheetMax {
			return nuanxin.Errorf(nuanxin.EINVALID, "ui.campaign.sheet_too_big", campaignSheetMax)
		}
		if org == c.OrgID && cc.OrgID != c.OrgID {
			return nil
		}
		sheet.Rows = append(sheet.Rows, report.SignOffRow{No: len(sheet.Rows) + 1, Name: cc.Subject(), Department: cc.Department,
			Reason: c.Name, Item: cc.Item(), Amount: cc.Amount, SignedOn: cc.SignedOn})
		sheet.Total += cc.Amount
		return nil
	}
	if full {
		err = s.campaigns.CampaignRoster(ctx, sc, c.ID, org, add)
	} else {
		// A suborg's officers cannot stream the campaign's roster (the
		// store reads the campaign in their scope first): page through
		// their cases of it instead.
		var cases []*nuanxin.CareCase
		for off := 0; off < campaignSheetMax; off += 1000 {
			list, err := s.care.FindCareCases(ctx, sc, nuanxin.CareFilter{CampaignID: c.ID, OrgID: org, Offset: off, Limit: 1000,
				Statuses: []nuanxin.CareStatus{nuanxin.CareDraft, nuanxin.CareApproved, nuanxin.CarePaid, nuanxin.CareSigned}})
			if err != nil {
				return nil, nil, "", err
			}
			cases = append(cases, list.Cases...)
			if len(list.Cases) < 1000 {
				break
			}
		}
		sort.SliceStable(cases, func(i, j int) bool {
			if cases[i].OrgPath != cases[j].OrgPath {
				return cases[i].OrgPath < cases[j].OrgPath
			}
			return cases[i].MemberName < cases[j].MemberName
		})
		for _, cc := range cases {
			if err = add(cc); err != nil {
				break
			}
		}
	}
	if err != nil {
		return nil, nil, "", err
	}
	return c, sheet, id64s(org), nil
}

func (s *Server) handleCampaignSignoff(w http.ResponseWriter, r *http.Request) {
	c, sheet, org, err := s.campaignSheet(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page, done := s.campaignSheetOut(w, r, c, sheet, "cases", sheet.Title+"-"+sheet.OrgName+".pdf")
	if done {
		return
	}
	s.writeCampaignPrintPage(w, page, c, org)
}

// campaignSheetOut writes a campaign 签收表 as PDF (?format=pdf) or
// renders its HTML for the caller's print page, and audits either: the
// names and amounts of real people leave the system. done reports that
// the response has been written.
func (s *Server) campaignSheetOut(w http.ResponseWriter, r *http.Request, c *nuanxin.Campaign, sheet *report.SignOffSheet, rowsKey, pdfName string) (page []byte, done bool) {
	pdf := r.URL.Query().Get("format") == "pdf"
	var buf bytes.Buffer
	format := "html"
	if pdf {
		font, ok := s.payFont(w, r)
		if !ok {
			return nil, true
		}
		if err := report.WriteSignOffPDF(&buf, sheet, font); err != nil {
			s.payPDFFailed(w, r, err)
			return nil, true
		}
		format = "pdf"
	} else if err := report.WriteSignOffHTML(&buf, sheet); err != nil {
		s.fail(w, r, err)
		return nil, true
	}
	after, _ := json.Marshal(map[string]any{"format": format, "title": sheet.Title, "org": sheet.OrgName,
		rowsKey: len(sheet.Rows), "total": sheet.Total.String()})
	if err := s.audit.RecordAudit(r.Context(), scopeOf(r), &nuanxin.AuditEvent{Action: "care.signoff_print",
		Entity: "campaign", EntityID: c.ID, OrgPath: c.OrgPath, After: string(after)}); err != nil {
		s.fail(w, r, err)
		return nil, true
	}
	if pdf {
		writePDF(w, buf.Bytes(), pdfName, "signoff.pdf")
		return nil, true
	}
	return buf.Bytes(), false
}

// writeCampaignPrintPage is writePrintPage of care_pay.go for a
// campaign's sheet: the toolbar goes back to the task list.
func (s *Server) writeCampaignPrintPage(w http.ResponseWriter, page []byte, c *nuanxin.Campaign, org string) {
	var hashes []string
	for _, m := range styleBlock.FindAllSubmatch(page, -1) {
		sum := sha256.Sum256(m[1])
		hashes = append(hashes, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	}
	back := fmt.Sprintf("/campaigns/%d?org=%s", c.ID, org)
	pdf := fmt.Sprintf("/campaigns/%d/signoff?org=%s&format=pdf", c.ID, org)
	esc := template.HTMLEscapeString
	bar := `<div class="pay-printbar" role="toolbar">` +
		`<a class="pay-printbar-btn" href="` + esc(back) + `">‹ ` + esc(nuanxin.T("ui.campaign.print_back")) + `</a>` +
		`<span class="pay-printbar-gap"></span>` +
		`<a class="pay-printbar-btn" href="` + esc(pdf) + `">` + esc(nuanxin.T("ui.pay.print_pdf")) + `</a>` +
		`<button type="button" class="pay-printbar-btn pay-printbar-primary" data-print id="do-print">` + esc(nuanxin.T("ui.print")) + `</button>` +
		`</div>` +
		`<link rel="stylesheet" href="/static/pay.css?v=` + s.staticVersion + `">` +
		`<script src="/static/app.js?v=` + s.staticVersion + `" defer></script>`
	out := bytes.Replace(page, []byte("<body>"), []byte("<body>\n"+bar), 1)
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self' "+strings.Join(hashes, " ")+
		"; script-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	h.Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(out)
}

// The summary as a workbook.

func (s *Server) handleCampaignSummaryXLSX(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sum, err := s.campaigns.CampaignSummary(r.Context(), scopeOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	x, err := campaignSummaryXLSX(sum)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", xlsxType)
	attachment(w, nuanxin.T("ui.campaign.xlsx_name", sum.Campaign.Name, s.today().String()), "campaign-summary.xlsx")
	_, _ = w.Write(x)
}

// campaignSummaryXLSX writes the summary per suborg with its totals, and
// the inventory, as one sheet each.
func campaignSummaryXLSX(sum *nuanxin.CampaignSummary) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sheet := nuanxin.T("ui.campaign.xlsx_sheet")
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:   excelize.Fill{Type: "pattern", Color: []string{"F2F3F5"}, Pattern: 1},
		Border: []excelize.Border{{Type: "bottom", Color: "999999", Style: 1}}})
	if err != nil {
		return nil, err
	}
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return nil, err
	}
	yuanFmt := "#,##0.00"
	money, err := f.NewStyle(&excelize.Style{CustomNumFmt: &yuanFmt})
	if err != nil {
		return nil, err
	}
	moneyBold, err := f.NewStyle(&excelize.Style{CustomNumFmt: &yuanFmt, Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	totalStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	c := sum.Campaign
	set := func(sh string, col, row int, v any, style int) {
		cell, _ := excelize.CoordinatesToCellName(col, row)
		_ = f.SetCellValue(sh, cell, v)
		if style != 0 {
			_ = f.SetCellStyle(sh, cell, cell, style)
		}
	}
	yuanOf := func(m nuanxin.Money) float64 { return float64(m) / 100 } // display only: the figures are exact fen
	set(sheet, 1, 1, nuanxin.T("ui.campaign.xlsx_title", c.Name), title)
	set(sheet, 1, 2, nuanxin.T("ui.campaign.xlsx_sub", c.OrgName, c.From.String(), c.To.String(), c.Budget.Grouped()), 0)
	heads := []string{"org", "budget", "quota", "planned", "delivered", "refused", "unreachable", "pending", "cash", "goods", "spent", "left"}
	for i, h := range heads {
		set(sheet, i+1, 4, nuanxin.T("ui.campaign.col."+h), bold)
	}
	row := 5
	line := func(l nuanxin.CampaignLine, total bool) {
		ms, ts := money, 0
		if total {
			ms, ts = moneyBold, totalStyle
		}
		set(sheet, 1, row, l.OrgName, ts)
		set(sheet, 2, row, yuanOf(l.Budget), ms)
		if l.Quota > 0 {
			set(sheet, 3, row, l.Quota, ts)
		}
		for i, n := range []int{l.Planned, l.Delivered, l.Refused, l.Unreachable, l.Pending} {
			set(sheet, 4+i, row, n, ts)
		}
		set(sheet, 9, row, yuanOf(l.Cash), ms)
		set(sheet, 10, row, yuanOf(l.GoodsValue), ms)
		set(sheet, 11, row, yuanOf(l.Spent()), ms)
		if l.Budget > 0 {
			set(sheet, 12, row, yuanOf(l.Budget-l.Spent()), ms)
		}
		row++
	}
	for _, l := range sum.Lines {
		line(l, false)
	}
	line(sum.Total, true)
	widths := []float64{24, 14, 8, 10, 10, 8, 10, 10, 14, 14, 14, 14}
	for i, wd := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		_ = f.SetColWidth(sheet, col, col, wd)
	}
	if len(sum.Inventory) > 0 {
		inv := nuanxin.T("ui.campaign.xlsx_inventory")
		if _, err := f.NewSheet(inv); err != nil {
			return nil, err
		}
		for i, h := range []string{"goods", "unit", "unit_value", "received", "handed_out", "stock"} {
			set(inv, i+1, 1, nuanxin.T("ui.campaign.col."+h), bold)
		}
		for i, g := range sum.Inventory {
			set(inv, 1, i+2, g.Name, 0)
			set(inv, 2, i+2, g.Unit, 0)
			set(inv, 3, i+2, yuanOf(g.UnitValue), money)
			set(inv, 4, i+2, g.Received, 0)
			set(inv, 5, i+2, g.HandedOut, 0)
			set(inv, 6, i+2, g.Left, 0)
		}
		for i, wd := range []float64{20, 8, 12, 10, 10, 10} {
			col, _ := excelize.ColumnNumberToName(i + 1)
			_ = f.SetColWidth(inv, col, col, wd)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
