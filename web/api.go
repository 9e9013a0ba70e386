package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/nuanxin/nuanxin"
)

// serveAPI authenticates an API call (Bearer token, or the browser session
// with the CSRF header for changes) and applies the route's permission.
func (s *Server) serveAPI(rt route, w http.ResponseWriter, r *http.Request) {
	var scope *nuanxin.Scope
	if h := r.Header.Get("Authorization"); h != "" {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || strings.TrimSpace(tok) == "" {
			s.apiFail(w, r, nuanxin.Errorf(nuanxin.EUNAUTHORIZED, "err.unauthorized"))
			return
		}
		sc, err := s.users.TokenScope(r.Context(), strings.TrimSpace(tok))
		if err != nil || sc == nil {
			if err != nil && nuanxin.ErrorCode(err) == nuanxin.EINTERNAL {
				s.apiFail(w, r, err)
				return
			}
			s.apiFail(w, r, nuanxin.Errorf(nuanxin.EUNAUTHORIZED, "err.unauthorized"))
			return
		}
		scope = sc
		r = withAuth(r, sc, nil, "")
	} else {
		sc, sess, key, err := s.sessionAuth(w, r)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		if sc == nil {
			s.apiFail(w, r, nuanxin.Errorf(nuanxin.EUNAUTHORIZED, "err.unauthorized"))
			return
		}
		if unsafeMethod(r.Method) && !csrfHeaderOK(r, sess) {
			s.apiFail(w, r, nuanxin.Errorf(nuanxin.EFORBIDDEN, "ui.err.csrf"))
			return
		}
		scope = sc
		r = withAuth(r, sc, sess, key)
	}
	if err := permCheck(rt, scope); err != nil {
		s.apiFail(w, r, err)
		return
	}
	rt.handler(w, r)
}

// permCheck is the coarse check of the route table: without the permission
// anywhere, a list is forbidden and a record does not exist.
func permCheck(rt route, sc *nuanxin.Scope) error {
	if rt.Perm == "" || sc.CanAny(rt.Perm) {
		return nil
	}
	if rt.onRecord() {
		return nuanxin.Errorf(nuanxin.ENOTFOUND, "ui.err.no_such_page")
	}
	return nuanxin.Errorf(nuanxin.EFORBIDDEN, "err.forbidden")
}

func csrfHeaderOK(r *http.Request, sess *nuanxin.Session) bool {
	if sess == nil || sess.CSRFToken == "" {
		return false
	}
	tok := r.Header.Get("X-CSRF-Token")
	return tok != "" && tok == sess.CSRFToken
}

// decodeJSON reads a JSON body strictly: unknown fields and wrong types are
// invalid input naming the field.
func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return nuanxin.Invalid(te.Field, "ui.api.bad_type", te.Field)
		}
		if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			f = strings.Trim(f, `"`)
			return nuanxin.Invalid(f, "ui.api.unknown_field", f)
		}
		if errors.Is(err, io.EOF) {
			return nuanxin.Errorf(nuanxin.EINVALID, "ui.api.empty_body")
		}
		return nuanxin.Errorf(nuanxin.EINVALID, "err.bad_request")
	}
	if dec.More() {
		return nuanxin.Errorf(nuanxin.EINVALID, "err.bad_request")
	}
	return nil
}

// Orgs.

func (s *Server) apiOrgs(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := nuanxin.OrgFilter{Query: strings.TrimSpace(q.Get("q")), IncludeClosed: q.Get("include_closed") == "true" || q.Get("include_closed") == "1"}
	if v := q.Get("root"); v != "" {
		if f.RootID = formInt(v); f.RootID <= 0 {
			s.apiFail(w, r, nuanxin.Invalid("root", "err.bad_id", v))
			return
		}
	}
	orgs, err := s.orgs.FindOrgs(r.Context(), scopeOf(r), f)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	if orgs == nil {
		orgs = []*nuanxin.Org{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": orgs, "total": len(orgs)})
}

func (s *Server) apiOrg(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	o, err := s.orgs.FindOrgByID(r.Context(), scopeOf(r), id)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, o)
}

type orgInput struct {
	ParentID   *int64  `json:"parent_id"`
	Name       *string `json:"name"`
	Kind       *string `json:"kind"`
	Code       *string `json:"code"`
	CreditCode *string `json:"credit_code"`
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return strings.TrimSpace(*p)
}

func (s *Server) apiOrgCreate(w http.ResponseWriter, r *http.Request) {
	var in orgInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiFail(w, r, err)
		return
	}
	o := &nuanxin.Org{Name: str(in.Name), Code: str(in.Code), CreditCode: str(in.CreditCode)}
	if in.ParentID != nil {
		o.ParentID = *in.ParentID
	}
	if in.Kind != nil {
		k, ok := nuanxin.ParseOrgKind(*in.Kind)
		if !ok {
			s.apiFail(w, r, nuanxin.Invalid("kind", "org.kind.invalid"))
			return
		}
		o.Kind = k
	}
	if err := s.orgs.CreateOrg(r.Context(), scopeOf(r), o); err != nil {
		s.apiFail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/orgs/"+strconv.FormatInt(o.ID, 10))
	writeJSON(w, http.StatusCreated, o)
}

func (s *Server) apiOrgUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	var in orgInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiFail(w, r, err)
		return
	}
	ctx, sc := r.Context(), scopeOf(r)
	o, err := s.orgs.FindOrgByID(ctx, sc, id)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	u := nuanxin.OrgUpdate{}
	if in.Name != nil {
		v := str(in.Name)
		u.Name = &v
	}
	if in.Code != nil {
		v := str(in.Code)
		u.Code = &v
	}
	if in.CreditCode != nil {
		v := str(in.CreditCode)
		u.CreditCode = &v
	}
	if in.Kind != nil {
		k, ok := nuanxin.ParseOrgKind(*in.Kind)
		if !ok {
			s.apiFail(w, r, nuanxin.Invalid("kind", "org.kind.invalid"))
			return
		}
		u.Kind = &k
	}
	if u.Name != nil || u.Code != nil || u.CreditCode != nil || u.Kind != nil {
		if o, err = s.orgs.UpdateOrg(ctx, sc, id, u); err != nil {
			s.apiFail(w, r, err)
			return
		}
	}
	if in.ParentID != nil && *in.ParentID != o.ParentID {
		if o, err = s.orgs.MoveOrg(ctx, sc, id, *in.ParentID); err != nil {
			s.apiFail(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, o)
}

// Members.

// apiMemberOut is a member as the API shows it: never the plain 身份证号,
// and the phone masked.
func apiMemberOut(m *nuanxin.Member) *nuanxin.Member {
	c := *m
	if c.IDMasked == "" && c.IDNumber != "" {
		c.IDMasked = nuanxin.MaskIDNumber(c.IDNumber)
	}
	c.IDNumber = ""
	c.Phone = nuanxin.MaskPhone(m.Phone)
	return &c
}

func apiRelativeOut(rel *nuanxin.Relative) *nuanxin.Relative {
	c := *rel
	if c.IDMasked == "" && c.IDNumber != "" {
		c.IDMasked = nuanxin.MaskIDNumber(c.IDNumber)
	}
	c.IDNumber = ""
	c.Phone = nuanxin.MaskPhone(rel.Phone)
	return &c
}

func (s *Server) apiMembers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, page, fe := parseMemberFilter(q)
	perPage := membersPerPage
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			fe.Add("per_page", "ui.api.per_page")
		} else {
			perPage = n
		}
	}
	if err := fe.Err(); err != nil {
		s.apiFail(w, r, err)
		return
	}
	f.Limit, f.Offset, f.Today = perPage, (page-1)*perPage, s.today()
	list, err := s.members.FindMembers(r.Context(), scopeOf(r), f)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	items := make([]*nuanxin.Member, 0, len(list.Members))
	for _, m := range list.Members {
		items = append(items, apiMemberOut(m))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": list.Total,
		"total_capped": list.TotalCapped, "page": page, "per_page": perPage})
}

func (s *Server) apiMember(w http.ResponseWriter, r *http.Request) {
	m, err := s.loadMember(r)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, apiMemberOut(m))
}

// memberInput is the JSON body of POST and PUT; absent fields are unchanged.
type memberInput struct {
	OrgID      *int64  `json:"org_id"`
	Name       *string `json:"name"`
	IDNumber   *string `json:"id_number"`
	Sex        *string `json:"sex"`
	BirthDate  *string `json:"birth_date"`
	Phone      *string `json:"phone"`
	Ethnicity  *string `json:"ethnicity"`
	Political  *string `json:"political"`
	Education  *string `json:"education"`
	Category   *string `json:"category"`
	Department *string `json:"department"`
	Post       *string `json:"post"`
	EmployeeNo *string `json:"employee_no"`
	HireDate   *string `json:"hire_date"`
	JoinDate   *string `json:"join_date"`
	Status     *string `json:"status"`
	CardNo     *string `json:"card_no"`
	Notes      *string `json:"notes"`
	Version    *int    `json:"version"`
}

func (in *memberInput) apply(m *nuanxin.Member) nuanxin.FieldErrors {
	var fe nuanxin.FieldErrors
	set := func(dst *string, p *string) {
		if p != nil {
			*dst = strings.TrimSpace(*p)
		}
	}
	set(&m.Name, in.Name)
	set(&m.IDNumber, in.IDNumber)
	set(&m.Phone, in.Phone)
	set(&m.Ethnicity, in.Ethnicity)
	set(&m.Political, in.Political)
	set(&m.Education, in.Education)
	set(&m.Department, in.Department)
	set(&m.Post, in.Post)
	set(&m.EmployeeNo, in.EmployeeNo)
	set(&m.CardNo, in.CardNo)
	set(&m.Notes, in.Notes)
	if in.Sex != nil {
		m.Sex = nuanxin.Sex(strings.TrimSpace(*in.Sex))
	}
	if in.Category != nil {
		m.Category = nuanxin.Category(strings.TrimSpace(*in.Category))
	}
	for _, d := range []struct {
		field string
		src   *string
		dst   *nuanxin.Date
	}{{"birth_date", in.BirthDate, &m.BirthDate}, {"hire_date", in.HireDate, &m.HireDate}, {"join_date", in.JoinDate, &m.JoinDate}} {
		if d.src == nil {
			continue
		}
		v, err := nuanxin.ParseDate(strings.TrimSpace(*d.src))
		if err != nil {
			fe = append(fe, fieldErr(d.field, err))
			continue
		}
		*d.dst = v
	}
	return fe
}

func (s *Server) apiMemberCreate(w http.ResponseWriter, r *http.Request) {
	var in memberInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiFail(w, r, err)
		return
	}
	m := &nuanxin.Member{}
	if in.OrgID != nil {
		m.OrgID = *in.OrgID
	}
	if in.Status != nil {
		m.Status = nuanxin.MemberStatus(strings.TrimSpace(*in.Status))
	}
	if err := s.checkMember(m, true, in.apply(m)); err != nil {
		s.apiFail(w, r, err)
		return
	}
	if err := s.members.CreateMember(r.Context(), scopeOf(r), m); err != nil {
		s.apiFail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/members/"+strconv.FormatInt(m.ID, 10))
	writeJSON(w, http.StatusCreated, apiMemberOut(m))
}

func (s *Server) apiMemberUpdate(w http.ResponseWriter, r *http.Request) {
	m, err := s.loadMember(r)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	var in memberInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiFail(w, r, err)
		return
	}
	var fe nuanxin.FieldErrors
	if in.Version == nil {
		fe.Add("version", "ui.api.version_required")
	}
	if in.OrgID != nil && *in.OrgID != m.OrgID {
		fe.Add("org_id", "ui.api.org_readonly")
	}
	if in.Status != nil && nuanxin.MemberStatus(*in.Status) != m.Status {
		fe.Add("status", "ui.api.status_readonly")
	}
	upd := *m
	upd.IDNumber = ""
	fe = append(fe, in.apply(&upd)...)
	if in.Version != nil {
		upd.Version = *in.Version
	}
	if err := s.checkMember(&upd, false, fe); err != nil {
		s.apiFail(w, r, err)
		return
	}
	if err := s.members.UpdateMember(r.Context(), scopeOf(r), &upd); err != nil {
		s.apiFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, apiMemberOut(&upd))
}

func (s *Server) apiRelatives(w http.ResponseWriter, r *http.Request) {
	m, err := s.loadMember(r)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	rels, err := s.members.FindRelatives(r.Context(), scopeOf(r), m.ID)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	items := make([]*nuanxin.Relative, 0, len(rels))
	for _, rel := range rels {
		items = append(items, apiRelativeOut(rel))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": len(items)})
}
