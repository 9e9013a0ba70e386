package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/nuanxin/nuanxin"
)

// view is what every page template receives. D holds the page's own data.
type view struct {
	Title      string
	Nav        string // active menu key
	Scope      *nuanxin.Scope
	CSRF       string
	Flash      string
	Menu       []menuItem
	User       userBadge
	AppVersion string
	Badges     map[string]int // counts beside menu items, by key (see navBadger)
	D          any
}

type menuItem struct {
	Key, Href, Label, Icon string
}

type userBadge struct {
	Username, Role, Org string
}

// option is one choice of a <select> or <datalist>.
type option struct {
	Value, Label string
}

// form carries what the person typed and what was wrong with it, so a form
// re-rendered after an error never loses input.
type form struct {
	V       url.Values
	E       nuanxin.FieldErrors
	Summary string // message at the top of the form
	Once    string // one-time token against double submission
}

func newForm(v url.Values) *form {
	if v == nil {
		v = url.Values{}
	}
	return &form{V: v}
}

func (f *form) Get(k string) string {
	if f == nil {
		return ""
	}
	return f.V.Get(k)
}

func (f *form) Err(k string) string {
	if f == nil {
		return ""
	}
	return f.E.For(k)
}

// Other lists the field errors not shown next to a field of the form (e.g. a
// store error on a field the form does not have).
func (f *form) Other(shown ...string) []string {
	var out []string
	for _, e := range f.E {
		found := false
		for _, s := range shown {
			if s == e.Field {
				found = true
			}
		}
		if !found {
			out = append(out, e.Error())
		}
	}
	return out
}

// Items are the field errors for the summary at the top, each with the
// Chinese name of its field.
func (f *form) Items() []struct{ Label, Msg string } {
	var out []struct{ Label, Msg string }
	for _, e := range f.E {
		label := ""
		if e.Field != "" && nuanxin.HasMessage("ui.field."+e.Field) {
			label = nuanxin.T("ui.field." + e.Field)
		}
		out = append(out, struct{ Label, Msg string }{label, e.Error()})
	}
	return out
}

// setErr records err on the form: field errors go next to their fields, the
// rest becomes the summary.
func (f *form) setErr(err error) {
	f.E = nuanxin.AsFieldErrors(err)
	if len(f.E) > 0 {
		f.Summary = nuanxin.T("ui.form.fix_errors", len(f.E))
	} else {
		f.Summary = userMessage(err)
	}
}

func (s *Server) parseTemplates() map[string]*template.Template {
	funcs := template.FuncMap{
		"t":      nuanxin.T,
		"static": func(name string) string { return "/static/" + name + "?v=" + s.staticVersion },
		"inc":    func(i int) int { return i + 1 },
		"dict": func(kv ...any) map[string]any {
			m := make(map[string]any, len(kv)/2)
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1]
			}
			return m
		},
		"add":       func(a, b int) int { return a + b },
		"maskPhone": nuanxin.MaskPhone,
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(nuanxin.Shanghai).Format("2006-01-02 15:04")
		},
		"can": func(sc *nuanxin.Scope, p string) bool { return sc != nil && sc.CanAny(nuanxin.Perm(p)) },
		"canAt": func(sc *nuanxin.Scope, p, path string) bool {
			return sc != nil && sc.Can(nuanxin.Perm(p), path)
		},
		"age": func(m *nuanxin.Member) string {
			if m == nil || m.BirthDate.IsZero() {
				return ""
			}
			return strconv.Itoa(m.AgeOn(s.today()))
		},
		"indent":          func(depth int) string { return strings.Repeat("\u3000", max(depth, 0)) },
		"statusClass":     statusClass,
		"careStatusClass": careStatusClass,
		"memberRows":      func(ms []*nuanxin.Member) template.HTML { return memberRows(ms, s.today()) },
		"json": func(v any) string {
			b, _ := json.Marshal(v)
			return string(b)
		},
		"today":   func() string { return s.today().String() },
		"todayCN": func() string { return s.today().Chinese() },
		"initial": func(name string) string {
			for _, r := range name {
				return strings.ToUpper(string(r))
			}
			return "?"
		},
	}
	layout, err := template.New("").Funcs(funcs).ParseFS(assets, "templates/layout.html")
	if err != nil {
		panic(err)
	}
	names, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		base := strings.TrimSuffix(path.Base(n), ".html")
		if base == "layout" {
			continue
		}
		t := template.Must(template.Must(layout.Clone()).ParseFS(assets, n))
		out[base] = t
	}
	return out
}

// navBadger is page data with counts for the menu (what waits for the
// caller), computed only by the pages that read them anyway.
type navBadger interface{ navBadges() map[string]int }

// menuFor lists only what exists and what the scope may use.
func menuFor(sc *nuanxin.Scope) []menuItem {
	m := []menuItem{{"home", "/", nuanxin.T("ui.nav.home"), "home"}}
	if sc.CanAny(nuanxin.PermMemberRead) {
		m = append(m, menuItem{"members", "/members", nuanxin.T("ui.nav.members"), "members"})
	}
	if sc.CanAny(nuanxin.PermCareRead) {
		m = append(m, menuItem{"care", "/care", nuanxin.T("ui.care.nav.care"), "care"},
			menuItem{"care_batches", "/care/batches", nuanxin.T("ui.care.nav.batches"), "batches"},
			menuItem{"campaigns", "/campaigns", nuanxin.T("ui.campaign.nav"), "campaigns"},
			menuItem{"hardship", "/hardship", nuanxin.T("ui.hardship.nav"), "hardship"},
			menuItem{"policy", "/policy", nuanxin.T("ui.care.nav.policy"), "policy"})
	}
	if sc.CanAny(nuanxin.PermReportRead) {
		m = append(m, menuItem{"stats", "/stats", nuanxin.T("ui.stats.nav"), "stats"})
	}
	if sc.CanAny(nuanxin.PermReportRead) {
		m = append(m, menuItem{"reports", "/reports", nuanxin.T("ui.report.nav"), "reports"})
	}
	if sc.CanAny(nuanxin.PermOrgRead) {
		m = append(m, menuItem{"orgs", "/orgs", nuanxin.T("ui.nav.orgs"), "orgs"})
	}
	if sc.CanAny(nuanxin.PermUserManage) {
		m = append(m, menuItem{"users", "/users", nuanxin.T("ui.nav.users"), "users"})
	}
	if sc.CanAny(nuanxin.PermAuditRead) {
		m = append(m, menuItem{"audit", "/audit", nuanxin.T("ui.nav.audit"), "audit"})
	}
	if sc.MemberID != 0 {
		m = append(m, menuItem{"me", "/me", nuanxin.T("ui.nav.me"), "me"})
	}
	return m
}

func badgeFor(sc *nuanxin.Scope) userBadge {
	b := userBadge{Username: sc.Username}
	if len(sc.Grants) > 0 {
		b.Role = sc.Grants[0].Role.Label()
		b.Org = sc.Grants[0].OrgName
	}
	if sc.System {
		b.Role = nuanxin.T("ui.user.system")
	}
	return b
}

// page renders a full page in the layout (or the bare layout when there is no
// session) with the given status.
func (s *Server) page(w http.ResponseWriter, r *http.Request, status int, name, title, nav string, data any) {
	v := &view{Title: title, Nav: nav, D: data, AppVersion: s.version}
	layout := "bare"
	if sc := scopeOf(r); sc != nil {
		v.Scope = sc
		v.Menu = menuFor(sc)
		if b, ok := data.(navBadger); ok {
			v.Badges = b.navBadges()
		}
		v.User = badgeFor(sc)
		if sess := sessionOf(r); sess != nil {
			v.CSRF = sess.CSRFToken
		}
		layout = "layout"
		v.Flash = s.takeFlash(w, r)
	}
	s.execute(w, r, status, name, layout, v)
}

// bare renders a page outside the layout (login).
func (s *Server) bare(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	s.execute(w, r, status, name, "bare", &view{Title: title, D: data, AppVersion: s.version})
}

// fragment renders one named block of a page's template (htmx swaps).
func (s *Server) fragment(w http.ResponseWriter, r *http.Request, status int, name, block string, data any) {
	v := &view{D: data, Scope: scopeOf(r)}
	if sess := sessionOf(r); sess != nil {
		v.CSRF = sess.CSRFToken
	}
	s.execute(w, r, status, name, block, v)
}

func (s *Server) execute(w http.ResponseWriter, r *http.Request, status int, name, block string, v *view) {
	t, ok := s.tmpl[name]
	if !ok {
		s.log.Error("no such template", "name", name)
		http.Error(w, nuanxin.T("err.internal"), http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, v); err != nil {
		s.log.Error("template failed", "name", name, "block", block, "path", r.URL.Path, "err", err)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintln(w, nuanxin.T("err.internal"))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Add("Vary", "HX-Request")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// errorData is the error page.
type errorData struct {
	Status  int
	Heading string
	Message string
}

// renderError shows a Chinese error page inside the layout when logged in.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if scopeOf(r) == nil {
		// a fresh look-up: the deny handler of CrossOriginProtection and the
		// catch-all run before authentication.
		if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" && s.users != nil {
			if sess, sc, err := s.users.SessionScope(r.Context(), c.Value); err == nil && sc != nil {
				r = withAuth(r, sc, sess, hashToken(c.Value))
			}
		}
	}
	heading := nuanxin.T(fmt.Sprintf("ui.err.h%d", status))
	if !nuanxin.HasMessage(fmt.Sprintf("ui.err.h%d", status)) {
		heading = nuanxin.T("ui.err.h500")
	}
	if isHTMX(r) {
		// htmx swaps 4xx only where configured; send the message as a toast target.
		w.Header().Set("HX-Retarget", "#toast")
		w.Header().Set("HX-Reswap", "innerHTML")
		s.fragment(w, r, status, "error", "toast", &errorData{status, heading, msg})
		return
	}
	s.page(w, r, status, "error", heading, "", &errorData{status, heading, msg})
}

// options builders for the enumerations.
func categoryOptions() []option {
	var o []option
	for _, c := range nuanxin.Categories {
		o = append(o, option{string(c), c.Label()})
	}
	return o
}

func statusOptions() []option {
	var o []option
	for _, c := range nuanxin.MemberStatuses {
		o = append(o, option{string(c), c.Label()})
	}
	return o
}

func sexOptions() []option {
	return []option{{string(nuanxin.Male), nuanxin.Male.Label()}, {string(nuanxin.Female), nuanxin.Female.Label()}}
}

func relationOptions() []option {
	var o []option
	for _, c := range nuanxin.Relations {
		o = append(o, option{string(c), c.Label()})
	}
	return o
}

func kindOptions() []option {
	var o []option
	for _, c := range nuanxin.OrgKinds {
		o = append(o, option{string(c), c.Label()})
	}
	return o
}

func roleOptions() []option {
	var o []option
	for _, c := range nuanxin.Roles {
		o = append(o, option{string(c), c.Label()})
	}
	return o
}

func stringOptions(xs []string) []option {
	o := make([]option, len(xs))
	for i, x := range xs {
		o[i] = option{x, x}
	}
	return o
}

// orgOptions renders the tree as indented choices.
func orgOptions(orgs []*nuanxin.Org) []option {
	o := make([]option, 0, len(orgs))
	for _, g := range orgs {
		label := strings.Repeat("\u3000", max(g.Depth, 0)) + g.Name
		if g.Closed {
			label += nuanxin.T("ui.org.closed_suffix")
		}
		o = append(o, option{strconv.FormatInt(g.ID, 10), label})
	}
	return o
}

// pathID reads a numeric path value; a malformed id is simply not found.
func pathID(r *http.Request, name string) (int64, error) {
	v := r.PathValue(name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, nuanxin.Errorf(nuanxin.ENOTFOUND, "ui.err.no_such_page")
	}
	return id, nil
}

func formInt(v string) int64 {
	id, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	return id
}

func statusClass(st nuanxin.MemberStatus) string {
	switch st {
	case nuanxin.StatusMember:
		return "tag-green"
	case nuanxin.StatusReserved:
		return "tag-orange"
	case nuanxin.StatusDeceased:
		return "tag-grey"
	}
	return "tag-red"
}

// memberRows renders the rows of the member table. It is the one fragment
// rendered on every keystroke of a search, and html/template's reflection
// was 40 % of a search's CPU, so it is written out here; every value goes
// through HTMLEscapeString, as the template would escape it.
func memberRows(ms []*nuanxin.Member, today nuanxin.Date) template.HTML {
	if len(ms) == 0 {
		return template.HTML(`<tr class="empty"><td colspan="9">` + template.HTMLEscapeString(nuanxin.T("ui.members.none")) + `</td></tr>`)
	}
	label := func(k string) string { return template.HTMLEscapeString(nuanxin.T("ui.f." + k)) }
	name, sex, age, org, dept, cat, st, idn, phone := label("name"), label("sex"), label("age"), label("org"),
		label("department"), label("category"), label("status"), label("id_number"), label("phone")
	esc := template.HTMLEscapeString
	var b strings.Builder
	b.Grow(len(ms) * 900)
	for _, m := range ms {
		a := ""
		if !m.BirthDate.IsZero() {
			a = strconv.Itoa(m.AgeOn(today))
		}
		b.WriteString(`<tr>
      <td class="col-name" data-label="` + name + `"><a href="/members/` + strconv.FormatInt(m.ID, 10) + `">` + esc(m.Name) + `</a></td>
      <td data-label="` + sex + `">` + esc(m.Sex.Label()) + `</td>
      <td class="num" data-label="` + age + `">` + a + `</td>
      <td class="col-wrap wide" data-label="` + org + `">` + esc(m.OrgName) + `</td>
      <td class="col-wrap" data-label="` + dept + `">` + esc(m.Department) + `</td>
      <td data-label="` + cat + `">` + esc(m.Category.Label()) + `</td>
      <td data-label="` + st + `"><span class="tag ` + statusClass(m.Status) + `">` + esc(m.Status.Label()) + `</span></td>
      <td class="mono wide" data-label="` + idn + `">` + esc(m.IDMasked) + `</td>
      <td class="mono" data-label="` + phone + `">` + esc(nuanxin.MaskPhone(m.Phone)) + `</td>
    </tr>`)
	}
	return template.HTML(b.String())
}
