package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/nuanxin/nuanxin"
)

const membersPerPage = 20

// ageBands are the filter bar's age choices (inclusive bounds, 0 = open).
var ageBands = []struct {
	Value    string
	Key      string
	Min, Max int
}{
	{"lt35", "ui.age.lt35", 0, 34},
	{"35-44", "ui.age.35_44", 35, 44},
	{"45-54", "ui.age.45_54", 45, 54},
	{"ge55", "ui.age.ge55", 55, 0},
}

func ageOptions() []option {
	var o []option
	for _, b := range ageBands {
		o = append(o, option{b.Value, nuanxin.T(b.Key)})
	}
	return o
}

func monthOptions() []option {
	var o []option
	for m := 1; m <= 12; m++ {
		o = append(o, option{strconv.Itoa(m), nuanxin.T("ui.month", m)})
	}
	return o
}

// parseMemberFilter reads the filter bar (and the API's query string, which
// uses the same names). Bad values are reported as field errors.
func parseMemberFilter(q url.Values) (nuanxin.MemberFilter, int, nuanxin.FieldErrors) {
	var f nuanxin.MemberFilter
	var fe nuanxin.FieldErrors
	f.Query = strings.TrimSpace(q.Get("q"))
	if len([]rune(f.Query)) > 60 {
		fe.Add("q", "err.too_long", 60)
		f.Query = ""
	}
	if v := q.Get("org"); v != "" {
		if f.OrgID = formInt(v); f.OrgID <= 0 {
			fe.Add("org", "err.bad_id", v)
		}
	}
	if v := q.Get("category"); v != "" {
		f.Category = nuanxin.Category(v)
		if !validOpt(v, categoryOptions()) {
			fe.Add("category", "member.category.invalid")
			f.Category = ""
		}
	}
	if v := q.Get("status"); v != "" {
		f.Status = nuanxin.MemberStatus(v)
		if !validOpt(v, statusOptions()) {
			fe.Add("status", "member.status.invalid")
			f.Status = ""
		}
	}
	if v := q.Get("sex"); v != "" {
		f.Sex = nuanxin.Sex(v)
		if !validOpt(v, sexOptions()) {
			fe.Add("sex", "member.sex.invalid")
			f.Sex = ""
		}
	}
	if v := q.Get("age"); v != "" {
		ok := false
		for _, b := range ageBands {
			if b.Value == v {
				f.AgeMin, f.AgeMax, ok = b.Min, b.Max, true
			}
		}
		if !ok {
			fe.Add("age", "ui.filter.bad_age")
		}
	}
	for _, k := range []struct {
		name string
		dst  *int
	}{{"age_min", &f.AgeMin}, {"age_max", &f.AgeMax}} {
		if v := q.Get(k.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 150 {
				fe.Add(k.name, "ui.filter.bad_age")
				continue
			}
			*k.dst = n
		}
	}
	if v := q.Get("month"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 12 {
			fe.Add("month", "ui.filter.bad_month")
		} else {
			f.BirthMonth = n
		}
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

func validOpt(v string, opts []option) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

// treeNode is one line of the org tree beside the member list.
type treeNode struct {
	Org    *nuanxin.Org
	Level  int // depth below the top of the visible tree
	Total  int // members in the subtree
	Active bool
	Href   string
}

// buildTree adds subtree member totals and a display level to orgs listed in
// tree order.
func buildTree(orgs []*nuanxin.Org, active int64, href func(*nuanxin.Org) string) []*treeNode {
	nodes := make([]*treeNode, len(orgs))
	byPath := make(map[string]*treeNode, len(orgs))
	minDepth := 1 << 30
	for i, o := range orgs {
		n := &treeNode{Org: o, Total: o.MemberCount, Active: o.ID == active}
		if href != nil {
			n.Href = href(o)
		}
		nodes[i] = n
		byPath[o.Path] = n
		minDepth = min(minDepth, o.Depth)
	}
	for i := len(nodes) - 1; i >= 0; i-- {
		n := nodes[i]
		n.Level = min(n.Org.Depth-minDepth, 6)
		if p, ok := byPath[nuanxin.ParentPath(n.Org.Path)]; ok {
			p.Total += n.Total
		}
	}
	return nodes
}

type pageLink struct {
	N       int
	Href    string
	Current bool
	Gap     bool
}

type pager struct {
	Page, Pages int
	Total       int
	Capped      bool
	Prev, Next  string
	Links       []pageLink
	Unit        string // ui key: 人 / 条
}

// newPager builds compact paging links on the current query.
func newPager(base string, q url.Values, page, perPage, total int, capped bool, unit string) *pager {
	pages := max(1, (total+perPage-1)/perPage)
	p := &pager{Page: page, Pages: pages, Total: total, Capped: capped, Unit: unit}
	link := func(n int) string {
		v := url.Values{}
		for k, vs := range q {
			if k != "page" && len(vs) > 0 && vs[0] != "" {
				v[k] = vs[:1]
			}
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		if len(v) == 0 {
			return base
		}
		return base + "?" + v.Encode()
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < pages {
		p.Next = link(page + 1)
	}
	last := 0
	for n := 1; n <= pages; n++ {
		if n == 1 || n == pages || (n >= page-2 && n <= page+2) {
			if last != 0 && n > last+1 {
				p.Links = append(p.Links, pageLink{Gap: true})
			}
			p.Links = append(p.Links, pageLink{N: n, Href: link(n), Current: n == page})
			last = n
		}
	}
	return p
}

type membersData struct {
	Q          url.Values
	List       *nuanxin.MemberList
	Pager      *pager
	Tree       []*treeNode
	OrgName    string
	Categories []option
	Statuses   []option
	Sexes      []option
	Ages       []option
	Months     []option
	AllHref    string
	Tools      *rosterTools
}

// rosterTools is the toolbar of the member list: import, export and print,
// carrying the list's current filter. htmx swaps it with the table
// (out of band) so the links always match what the list shows.
type rosterTools struct {
	XLSX, CSV, Print string   // links carrying the filter
	Filters          []option // the filter as hidden fields (unmasked export form)
	Export           *form    // the unmasked export form (reason, format)
	OOB              bool
}

func newRosterTools(q url.Values, exp *form) *rosterTools {
	v := filterValues(q)
	t := &rosterTools{XLSX: "/members/export.xlsx", CSV: "/members/export.csv", Print: "/members/print", Export: exp}
	if len(v) > 0 {
		qs := "?" + v.Encode()
		t.XLSX, t.CSV, t.Print = t.XLSX+qs, t.CSV+qs, t.Print+qs
	}
	for _, k := range filterKeys {
		if x := v.Get(k); x != "" {
			t.Filters = append(t.Filters, option{k, x})
		}
	}
	if t.Export == nil {
		t.Export = newForm(url.Values{"format": {"xlsx"}})
	}
	return t
}

func (s *Server) handleMembers(w http.ResponseWriter, r *http.Request) {
	s.membersPage(w, r, r.URL.Query(), http.StatusOK, nil)
}

// membersPage renders the member list for the filter q; exp is the unmasked
// export form when it comes back with an error.
func (s *Server) membersPage(w http.ResponseWriter, r *http.Request, q url.Values, status int, exp *form) {
	sc, ctx := scopeOf(r), r.Context()
	f, page, _ := parseMemberFilter(q) // the filter bar ignores what it cannot read
	f.Limit, f.Offset, f.Today = membersPerPage, (page-1)*membersPerPage, s.today()
	list, err := s.members.FindMembers(ctx, sc, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &membersData{Q: q, List: list,
		Categories: categoryOptions(), Statuses: statusOptions(), Sexes: sexOptions(),
		Ages: ageOptions(), Months: monthOptions()}
	d.Pager = newPager("/members", q, page, membersPerPage, list.Total, list.TotalCapped, "ui.unit.people")
	d.Tools = newRosterTools(q, exp)
	if isHTMX(r) && r.Header.Get("HX-Target") == "member-table" {
		d.Tools.OOB = true
		s.fragment(w, r, status, "members", "member_table", d)
		return
	}
	orgs, err := s.orgs.FindOrgs(ctx, sc, nuanxin.OrgFilter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Tree = buildTree(orgs, f.OrgID, func(o *nuanxin.Org) string {
		v := url.Values{}
		for k, vs := range q {
			if k != "page" && k != "org" && len(vs) > 0 && vs[0] != "" {
				v[k] = vs[:1]
			}
		}
		v.Set("org", strconv.FormatInt(o.ID, 10))
		return "/members?" + v.Encode()
	})
	v := url.Values{}
	for k, vs := range q {
		if k != "page" && k != "org" && len(vs) > 0 && vs[0] != "" {
			v[k] = vs[:1]
		}
	}
	d.AllHref = "/members"
	if len(v) > 0 {
		d.AllHref += "?" + v.Encode()
	}
	for _, n := range d.Tree {
		if n.Active {
			d.OrgName = n.Org.Name
		}
	}
	s.page(w, r, status, "members", nuanxin.T("ui.nav.members"), "members", d)
}

// memberData is the member detail page.
type memberData struct {
	M          *nuanxin.Member
	Relatives  []*nuanxin.Relative
	Events     []*nuanxin.MemberEvent
	CanWrite   bool
	CanReveal  bool
	Revealed   string
	Reveal     *form
	Event      *form
	EventKinds []option
	ToOrgs     []option
	Care       *memberCare // 慰问记录 (care.go)
	// 困难职工档案 (hardship.go): the card, and the 建档 or 结档 form sent
	// back with its errors.
	Hardship        *memberHardship
	HardshipForm    *form
	HardshipClose   *form
	HardshipCloseID int64
}

// loadMember reads a member in scope, or fails with not found.
func (s *Server) loadMember(r *http.Request) (*nuanxin.Member, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.members.FindMemberByID(r.Context(), scopeOf(r), id)
}

// eventKindsFor lists the lifecycle events an officer records by hand.
func eventKindsFor() []option {
	var o []option
	for _, k := range []nuanxin.EventKind{nuanxin.EventRetire, nuanxin.EventReserve, nuanxin.EventRestore,
		nuanxin.EventTransferOut, nuanxin.EventWithdraw, nuanxin.EventDeath} {
		o = append(o, option{string(k), k.Label()})
	}
	return o
}

// writableOrgs lists open orgs where the scope may keep members.
func (s *Server) writableOrgs(ctx context.Context, sc *nuanxin.Scope) ([]*nuanxin.Org, error) {
	orgs, err := s.orgs.FindOrgs(ctx, sc, nuanxin.OrgFilter{})
	if err != nil {
		return nil, err
	}
	var out []*nuanxin.Org
	for _, o := range orgs {
		if !o.Closed && sc.Can(nuanxin.PermMemberWrite, o.Path) {
			out = append(out, o)
		}
	}
	return out, nil
}

func (s *Server) memberPage(w http.ResponseWriter, r *http.Request, status int, m *nuanxin.Member, d *memberData) {
	sc, ctx := scopeOf(r), r.Context()
	d.M = m
	d.CanWrite = sc.Can(nuanxin.PermMemberWrite, m.OrgPath)
	d.CanReveal = sc.Can(nuanxin.PermRevealID, m.OrgPath)
	var err error
	if d.Relatives, err = s.members.FindRelatives(ctx, sc, m.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Events, err = s.members.FindMemberEvents(ctx, sc, m.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.CanWrite {
		orgs, err := s.writableOrgs(ctx, sc)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, o := range orgOptions(orgs) {
			if o.Value != strconv.FormatInt(m.OrgID, 10) {
				d.ToOrgs = append(d.ToOrgs, o)
			}
		}
		d.EventKinds = eventKindsFor()
		if d.Event == nil {
			d.Event = newForm(url.Values{"date": {s.today().String()}})
			d.Event.Once = newToken()
		}
	}
	if d.Reveal == nil {
		d.Reveal = newForm(nil)
	}
	if d.Care, err = s.memberCareOf(ctx, sc, m); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Hardship, err = s.memberHardshipOf(ctx, sc, m, d.HardshipForm, d.HardshipCloseID, d.HardshipClose); err != nil {
		s.fail(w, r, err)
		return
	}
	s.page(w, r, status, "member", m.Name, "members", d)
}

func (s *Server) handleMember(w http.ResponseWriter, r *http.Request) {
	m, err := s.loadMember(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.memberPage(w, r, http.StatusOK, m, &memberData{})
}

// handleMemberReveal shows the full 身份证号 after the reason is given; the
// service writes the audit event. htmx swaps the number into the page.
func (s *Server) handleMemberReveal(w http.ResponseWriter, r *http.Request) {
	sc := scopeOf(r)
	m, err := s.loadMember(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	f := newForm(url.Values{"reason": {reason}})
	var number string
	if reason == "" {
		err = nuanxin.Invalid("reason", "member.reveal.reason")
	} else if len([]rune(reason)) > 200 {
		err = nuanxin.Invalid("reason", "err.too_long", 200)
	} else {
		number, err = s.members.RevealIDNumber(r.Context(), sc, m.ID, reason)
	}
	status := http.StatusOK
	if err != nil {
		code := nuanxin.ErrorCode(err)
		if code != nuanxin.EINVALID {
			s.fail(w, r, err)
			return
		}
		f.setErr(mapFields(err, map[string]string{"": "reason"}))
		status = http.StatusUnprocessableEntity
	}
	d := &memberData{M: m, Revealed: number, Reveal: f, CanReveal: true}
	if isHTMX(r) {
		s.fragment(w, r, status, "member", "reveal", d)
		return
	}
	s.memberPage(w, r, status, m, d)
}

// handleMemberEvent records a 会籍变动.
func (s *Server) handleMemberEvent(w http.ResponseWriter, r *http.Request) {
	sc := scopeOf(r)
	m, err := s.loadMember(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !sc.Can(nuanxin.PermMemberWrite, m.OrgPath) {
		s.fail(w, r, nuanxin.NotFound("what.member"))
		return
	}
	_ = r.ParseForm()
	f := newForm(r.PostForm)
	f.Once = r.PostForm.Get("_once")
	var fe nuanxin.FieldErrors
	in := nuanxin.MemberEventInput{Kind: nuanxin.EventKind(f.Get("kind")), Notes: strings.TrimSpace(f.Get("notes"))}
	if !validOpt(string(in.Kind), eventKindsFor()) {
		fe.Add("kind", "member.event.invalid")
	}
	if f.Get("date") == "" {
		fe.Add("date", "member.event.date")
	} else if in.Date, err = nuanxin.ParseDate(strings.TrimSpace(f.Get("date"))); err != nil {
		fe = append(fe, fieldErr("date", err))
	} else if in.Date.After(s.today()) {
		fe.Add("date", "member.date.future")
	}
	if v := f.Get("to_org_id"); v != "" {
		in.ToOrgID = formInt(v)
	}
	if len([]rune(in.Notes)) > 500 {
		fe.Add("notes", "err.too_long", 500)
	}
	err = fe.Err()
	if err == nil {
		err = s.onceDo(w, r, func() (string, error) {
			if _, err := s.members.RecordEvent(r.Context(), sc, m.ID, in); err != nil {
				return "", err
			}
			s.setFlash(w, "ui.flash.event_recorded")
			return fmt.Sprintf("/members/%d", m.ID), nil
		})
	}
	if err != nil {
		if !isFormErr(err) {
			s.fail(w, r, err)
			return
		}
		f.setErr(mapFields(err, map[string]string{"to_org": "to_org_id", "org_id": "to_org_id"}))
		s.memberPage(w, r, statusOf(nuanxin.ErrorCode(err), false), m, &memberData{Event: f})
	}
}

// isFormErr reports whether err is shown on the form (bad input, a conflict)
// rather than as an error page.
func isFormErr(err error) bool {
	switch nuanxin.ErrorCode(err) {
	case nuanxin.EINVALID, nuanxin.ECONFLICT:
		return true
	}
	return false
}

// fieldErr puts a parse error on a field.
func fieldErr(field string, err error) *nuanxin.Error {
	var e *nuanxin.Error
	if asError(err, &e) {
		c := *e
		c.Field = field
		c.Code = nuanxin.EINVALID
		return &c
	}
	return nuanxin.Invalid(field, "err.bad_request")
}

// memberFormData is the new/edit member form.
type memberFormData struct {
	Form        *form
	IsNew       bool
	M           *nuanxin.Member
	Orgs        []option
	Sexes       []option
	Categories  []option
	Statuses    []option
	Ethnicities []option
	Politicals  []option
	Educations  []option
	Receivable  bool // the 身份证号 belongs to a released member: offer 接收转入
	Action      string
	Cancel      string
}

var memberFields = []string{"org_id", "name", "id_number", "sex", "birth_date", "phone", "ethnicity",
	"political", "education", "category", "department", "post", "employee_no", "hire_date", "join_date",
	"status", "card_no", "notes"}

func (s *Server) memberForm(w http.ResponseWriter, r *http.Request, status int, d *memberFormData) {
	orgs, err := s.writableOrgs(r.Context(), scopeOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Orgs = orgOptions(orgs)
	d.Sexes, d.Categories, d.Statuses = sexOptions(), categoryOptions(), statusOptions()
	d.Ethnicities = stringOptions(nuanxin.Ethnicities)
	d.Politicals = stringOptions(nuanxin.PoliticalStatuses)
	d.Educations = stringOptions(nuanxin.Educations)
	title := nuanxin.T("ui.member.new")
	if !d.IsNew {
		title = nuanxin.T("ui.member.edit_title", d.M.Name)
	}
	s.page(w, r, status, "member_form", title, "members", d)
}

func (s *Server) handleMemberNew(w http.ResponseWriter, r *http.Request) {
	f := newForm(url.Values{
		"org_id":    {r.URL.Query().Get("org")},
		"category":  {string(nuanxin.CategoryActive)},
		"status":    {string(nuanxin.StatusMember)},
		"join_date": {""},
	})
	f.Once = newToken()
	s.memberForm(w, r, http.StatusOK, &memberFormData{Form: f, IsNew: true, Action: "/members", Cancel: "/members"})
}

// memberFromForm reads the form into m; parse errors come back as field errors.
func memberFromForm(v url.Values, m *nuanxin.Member) nuanxin.FieldErrors {
	var fe nuanxin.FieldErrors
	get := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	if id := get("org_id"); id != "" {
		m.OrgID = formInt(id)
	}
	m.Name = get("name")
	m.IDNumber = get("id_number")
	m.Sex = nuanxin.Sex(get("sex"))
	m.Phone = get("phone")
	m.Ethnicity, m.Political, m.Education = get("ethnicity"), get("political"), get("education")
	m.Category = nuanxin.Category(get("category"))
	m.Department, m.Post, m.EmployeeNo = get("department"), get("post"), get("employee_no")
	if st := get("status"); st != "" {
		m.Status = nuanxin.MemberStatus(st)
	}
	m.CardNo, m.Notes = get("card_no"), v.Get("notes")
	for _, d := range []struct {
		field string
		dst   *nuanxin.Date
	}{{"birth_date", &m.BirthDate}, {"hire_date", &m.HireDate}, {"join_date", &m.JoinDate}} {
		val, err := nuanxin.ParseDate(get(d.field))
		if err != nil {
			fe = append(fe, fieldErr(d.field, err))
			continue
		}
		*d.dst = val
	}
	return fe
}

// checkMember runs the domain validation in the web layer too, so a form
// with a bad date still reports every other field at once.
func (s *Server) checkMember(m *nuanxin.Member, isNew bool, parse nuanxin.FieldErrors) error {
	m.Normalize()
	fe := parse
	if err := m.Validate(isNew, s.today()); err != nil {
		for _, e := range nuanxin.AsFieldErrors(err) {
			if parse.For(e.Field) == "" {
				fe = append(fe, e)
			}
		}
	}
	if isNew && m.OrgID == 0 {
		fe.Add("org_id", "member.org.required")
	}
	return fe.Err()
}

func (s *Server) handleMemberCreate(w http.ResponseWriter, r *http.Request) {
	sc := scopeOf(r)
	_ = r.ParseForm()
	f := newForm(r.PostForm)
	f.Once = r.PostForm.Get("_once")
	m := &nuanxin.Member{}
	err := s.checkMember(m, true, memberFromForm(r.PostForm, m))
	if err == nil {
		err = s.onceDo(w, r, func() (string, error) {
			if err := s.members.CreateMember(r.Context(), sc, m); err != nil {
				return "", err
			}
			s.setFlash(w, "ui.flash.member_created")
			return fmt.Sprintf("/members/%d", m.ID), nil
		})
	}
	if err == nil {
		return
	}
	if !isFormErr(err) {
		s.fail(w, r, err)
		return
	}
	f.setErr(mapFields(err, map[string]string{"org": "org_id"}))
	d := &memberFormData{Form: f, IsNew: true, Action: "/members", Cancel: "/members"}
	var e *nuanxin.Error
	if asError(err, &e) && e.Key == "member.id.receivable" {
		d.Receivable = true
		f.Summary = e.Error()
	}
	s.memberForm(w, r, statusOf(nuanxin.ErrorCode(err), false), d)
}

// handleMemberReceive takes a released member in by 身份证号 (转入).
func (s *Server) handleMemberReceive(w http.ResponseWriter, r *http.Request) {
	sc := scopeOf(r)
	_ = r.ParseForm()
	f := newForm(r.PostForm)
	f.Once = r.PostForm.Get("_once")
	var fe nuanxin.FieldErrors
	idn := strings.TrimSpace(f.Get("id_number"))
	orgID := formInt(f.Get("org_id"))
	on, perr := nuanxin.ParseDate(strings.TrimSpace(f.Get("receive_date")))
	if idn == "" {
		fe.Add("id_number", "member.id.required")
	}
	if orgID == 0 {
		fe.Add("org_id", "member.org.required")
	}
	if perr != nil {
		fe = append(fe, fieldErr("receive_date", perr))
	} else if on.IsZero() {
		on = s.today()
	}
	err := fe.Err()
	if err == nil {
		err = s.onceDo(w, r, func() (string, error) {
			m, err := s.members.ReceiveMember(r.Context(), sc, idn, orgID, on)
			if err != nil {
				return "", err
			}
			s.setFlash(w, "ui.flash.member_received")
			return fmt.Sprintf("/members/%d", m.ID), nil
		})
	}
	if err == nil {
		return
	}
	if !isFormErr(err) {
		s.fail(w, r, err)
		return
	}
	f.setErr(mapFields(err, map[string]string{"org": "org_id", "date": "receive_date"}))
	f.Summary = userMessage(err)
	s.memberForm(w, r, statusOf(nuanxin.ErrorCode(err), false), &memberFormData{Form: f, IsNew: true, Receivable: true, Action: "/members", Cancel: "/members"})
}

// memberValues fills a form from a stored member (edit page).
func memberValues(m *nuanxin.Member) url.Values {
	return url.Values{
		"org_id": {strconv.FormatInt(m.OrgID, 10)}, "name": {m.Name}, "sex": {string(m.Sex)},
		"birth_date": {m.BirthDate.String()}, "phone": {m.Phone}, "ethnicity": {m.Ethnicity},
		"political": {m.Political}, "education": {m.Education}, "category": {string(m.Category)},
		"department": {m.Department}, "post": {m.Post}, "employee_no": {m.EmployeeNo},
		"hire_date": {m.HireDate.String()}, "join_date": {m.JoinDate.String()}, "status": {string(m.Status)},
		"card_no": {m.CardNo}, "notes": {m.Notes}, "version": {strconv.Itoa(m.Version)},
	}
}

// loadWritableMember reads a member and checks the write permission on it.
func (s *Server) loadWritableMember(r *http.Request) (*nuanxin.Member, error) {
	return s.loadMemberFor(r, nuanxin.PermMemberWrite)
}

// loadMemberFor reads the member of the path and checks perm on it: as
// the store answers, outside that scope the member is not there.
func (s *Server) loadMemberFor(r *http.Request, perm nuanxin.Perm) (*nuanxin.Member, error) {
	m, err := s.loadMember(r)
	if err != nil {
		return nil, err
	}
	if !scopeOf(r).Can(perm, m.OrgPath) {
		return nil, nuanxin.NotFound("what.member")
	}
	return m, nil
}

func (s *Server) handleMemberEdit(w http.ResponseWriter, r *http.Request) {
	m, err := s.loadWritableMember(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.memberForm(w, r, http.StatusOK, &memberFormData{Form: newForm(memberValues(m)), M: m,
		Action: fmt.Sprintf("/members/%d/edit", m.ID), Cancel: fmt.Sprintf("/members/%d", m.ID)})
}

func (s *Server) handleMemberUpdate(w http.ResponseWriter, r *http.Request) {
	sc := scopeOf(r)
	m, err := s.loadWritableMember(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_ = r.ParseForm()
	f := newForm(r.PostForm)
	orig := *m
	upd := *m
	upd.IDNumber = ""
	upd.Status = m.Status // status changes go through 会籍变动
	parse := memberFromForm(r.PostForm, &upd)
	upd.Status, upd.OrgID = m.Status, m.OrgID // org changes are transfers (会籍变动)
	if v, err := strconv.Atoi(f.Get("version")); err == nil {
		upd.Version = v
	} else {
		parse.Add("version", "err.bad_request")
	}
	err = s.checkMember(&upd, false, parse)
	if err == nil {
		err = s.members.UpdateMember(r.Context(), sc, &upd)
	}
	if err == nil {
		s.setFlash(w, "ui.flash.member_saved")
		redirect(w, r, fmt.Sprintf("/members/%d", m.ID))
		return
	}
	if !isFormErr(err) {
		s.fail(w, r, err)
		return
	}
	f.setErr(mapFields(err, map[string]string{"org": "org_id"}))
	var e *nuanxin.Error
	if nuanxin.ErrorCode(err) == nuanxin.ECONFLICT && asError(err, &e) && e.Field == "" {
		f.Summary = e.Error()
	}
	s.memberForm(w, r, statusOf(nuanxin.ErrorCode(err), false), &memberFormData{Form: f, M: &orig,
		Action: fmt.Sprintf("/members/%d/edit", m.ID), Cancel: fmt.Sprintf("/members/%d", m.ID)})
}

// Relatives.

type relativeFormData struct {
	Form      *form
	M         *nuanxin.Member
	R         *nuanxin.Relative
	IsNew     bool
	Relations []option
	Sexes     []option
	Action    string
}

func (s *Server) relativeForm(w http.ResponseWriter, r *http.Request, status int, d *relativeFormData) {
	d.Relations, d.Sexes = relationOptions(), sexOptions()
	title := nuanxin.T("ui.relative.new_title", d.M.Name)
	if !d.IsNew {
		title = nuanxin.T("ui.relative.edit_title", d.M.Name)
	}
	s.page(w, r, status, "relative_form", title, "members", d)
}

func relativeFromForm(v url.Values, rel *nuanxin.Relative) nuanxin.FieldErrors {
	var fe nuanxin.FieldErrors
	get := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	rel.Relation = nuanxin.Relation(get("relation"))
	rel.Name = get("name")
	rel.IDNumber = get("id_number")
	rel.Sex = nuanxin.Sex(get("sex"))
	rel.School, rel.Phone, rel.Notes = get("school"), get("phone"), v.Get("notes")
	d, err := nuanxin.ParseDate(get("birth_date"))
	if err != nil {
		fe = append(fe, fieldErr("birth_date", err))
	} else {
		rel.BirthDate = d
	}
	return fe
}

func (s *Server) checkRelative(rel *nuanxin.Relative, parse nuanxin.FieldErrors) error {
	rel.Normalize()
	fe := parse
	if err := rel.Validate(s.today()); err != nil {
		for _, e := range nuanxin.AsFieldErrors(err) {
			if parse.For(e.Field) == "" {
				fe = append(fe, e)
			}
		}
	}
	return fe.Err()
}

// loadRelative finds relative rid of member m.
func (s *Server) loadRelative(r *http.Request, m *nuanxin.Member) (*nuanxin.Relative, error) {
	rid, err := pathID(r, "rid")
	if err != nil {
		return nil, err
	}
	rels, err := s.members.FindRelatives(r.Context(), scopeOf(r), m.ID)
	if err != nil {
		return nil, err
	}
	for _, rel := range rels {
		if rel.ID == rid {
			return rel, nil
		}
	}
	return nil, nuanxin.NotFound("what.relative")
}

func (s *Server) handleRelativeNew(w http.ResponseWriter, r *http.Request) {
	m, err := s.loadWritableMember(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := newForm(nil)
	f.Once = newToken()
	s.relativeForm(w, r, http.StatusOK, &relativeFormData{Form: f, M: m, IsNew: true,
		Action: fmt.Sprintf("/members/%d/relatives", m.ID)})
}

func (s *Server) handleRelativeCreate(w http.ResponseWriter, r *http.Request) {
	m, err := s.loadWritableMember(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_ = r.ParseForm()
	f := newForm(r.PostForm)
	f.Once = r.PostForm.Get("_once")
	rel := &nuanxin.Relative{MemberID: m.ID}
	err = s.checkRelative(rel, relativeFromForm(r.PostForm, rel))
	if err == nil {
		err = s.onceDo(w, r, func() (string, error) {
			if err := s.members.CreateRelative(r.Context(), scopeOf(r), rel); err != nil {
				return "", err
			}
			s.setFlash(w, "ui.flash.relative_saved")
			return fmt.Sprintf("/members/%d#relatives", m.ID), nil
		})
	}
	if err == nil {
		return
	}
	if !isFormErr(err) {
		s.fail(w, r, err)
		return
	}
	f.setErr(err)
	s.relativeForm(w, r, statusOf(nuanxin.ErrorCode(err), false), &relativeFormData{Form: f, M: m, IsNew: true,
		Action: fmt.Sprintf("/members/%d/relatives", m.ID)})
}

func relativeValues(rel *nuanxin.Relative) url.Values {
	return url.Values{"relation": {string(rel.Relation)}, "name": {rel.Name}, "sex": {string(rel.Sex)},
		"birth_date": {rel.BirthDate.String()}, "school": {rel.School}, "phone": {rel.Phone}, "notes": {rel.Notes}}
}

func (s *Server) handleRelativeEdit(w http.ResponseWriter, r *http.Request) {
	m, err := s.loadWritableMember(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rel, err := s.loadRelative(r, m)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.relativeForm(w, r, http.StatusOK, &relativeFormData{Form: newForm(relativeValues(rel)), M: m, R: rel,
		Action: fmt.Sprintf("/members/%d/relatives/%d/edit", m.ID, rel.ID)})
}

func (s *Server) handleRelativeUpdate(w http.ResponseWriter, r *http.Request) {
	m, err := s.loadWritableMember(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rel, err := s.loadRelative(r, m)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_ = r.ParseForm()
	f := newForm(r.PostForm)
	upd := &nuanxin.Relative{ID: rel.ID, MemberID: m.ID}
	err = s.checkRelative(upd, relativeFromForm(r.PostForm, upd))
	if err == nil {
		err = s.members.UpdateRelative(r.Context(), scopeOf(r), upd)
	}
	if err == nil {
		s.setFlash(w, "ui.flash.relative_saved")
		redirect(w, r, fmt.Sprintf("/members/%d#relatives", m.ID))
		return
	}
	if !isFormErr(err) {
		s.fail(w, r, err)
		return
	}
	f.setErr(err)
	s.relativeForm(w, r, statusOf(nuanxin.ErrorCode(err), false), &relativeFormData{Form: f, M: m, R: rel,
		Action: fmt.Sprintf("/members/%d/relatives/%d/edit", m.ID, rel.ID)})
}

func (s *Server) handleRelativeDelete(w http.ResponseWriter, r *http.Request) {
	m, err := s.loadWritableMember(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rid, err := pathID(r, "rid")
	if err == nil {
		err = s.members.DeleteRelative(r.Context(), scopeOf(r), m.ID, rid)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "ui.flash.relative_deleted")
	redirect(w, r, fmt.Sprintf("/members/%d#relatives", m.ID))
}
