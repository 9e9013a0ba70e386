package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/nuanxin/nuanxin"
)

type orgsData struct {
	Tree      []*treeNode
	Total     int
	CanManage bool
}

func (s *Server) handleOrgs(w http.ResponseWriter, r *http.Request) {
	sc := scopeOf(r)
	orgs, err := s.orgs.FindOrgs(r.Context(), sc, nuanxin.OrgFilter{IncludeClosed: true, WithCounts: true})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &orgsData{Tree: buildTree(orgs, 0, nil), CanManage: sc.CanAny(nuanxin.PermOrgManage)}
	for _, n := range d.Tree {
		if n.Level == 0 {
			d.Total += n.Total
		}
	}
	s.page(w, r, http.StatusOK, "orgs", nuanxin.T("ui.nav.orgs"), "orgs", d)
}

// orgData is the page of one node with its management forms.
type orgData struct {
	O        *nuanxin.Org
	Subtree  []*treeNode
	Total    int
	Edit     *form
	Child    *form
	Move     *form
	Close    *form
	Message  string
	Kinds    []option
	Parents  []option
	ParentID string
}

func (s *Server) loadManagedOrg(r *http.Request) (*nuanxin.Org, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	o, err := s.orgs.FindOrgByID(r.Context(), scopeOf(r), id)
	if err != nil {
		return nil, err
	}
	if !scopeOf(r).Can(nuanxin.PermOrgManage, o.Path) {
		// as the store answers: outside the manage scope the node is not there.
		return nil, nuanxin.NotFound("what.org")
	}
	return o, nil
}

func orgValues(o *nuanxin.Org) url.Values {
	return url.Values{"name": {o.Name}, "kind": {string(o.Kind)}, "code": {o.Code}, "credit_code": {o.CreditCode}}
}

// orgPage renders the node page; forms passed in d keep their input and errors.
func (s *Server) orgPage(w http.ResponseWriter, r *http.Request, status int, o *nuanxin.Org, d *orgData) {
	sc, ctx := scopeOf(r), r.Context()
	d.O, d.Kinds = o, kindOptions()
	sub, err := s.orgs.FindOrgs(ctx, sc, nuanxin.OrgFilter{RootID: o.ID, IncludeClosed: true, WithCounts: true})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Subtree = buildTree(sub, o.ID, nil)
	for _, n := range d.Subtree {
		if n.Org.ID == o.ID {
			d.Total = n.Total
		}
	}
	all, err := s.orgs.FindOrgs(ctx, sc, nuanxin.OrgFilter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var parents []*nuanxin.Org
	for _, p := range all {
		if !strings.HasPrefix(p.Path, o.Path) && sc.Can(nuanxin.PermOrgManage, p.Path) {
			parents = append(parents, p)
		}
	}
	d.Parents = orgOptions(parents)
	d.ParentID = strconv.FormatInt(o.ParentID, 10)
	if d.Edit == nil {
		d.Edit = newForm(orgValues(o))
	}
	if d.Child == nil {
		kind := ""
		if k := o.Kind.Rank() + 1; k > 0 && k < len(nuanxin.OrgKinds) {
			kind = string(nuanxin.OrgKinds[k])
		}
		d.Child = newForm(url.Values{"kind": {kind}})
		d.Child.Once = newToken()
	}
	if d.Move == nil {
		d.Move = newForm(url.Values{"parent_id": {d.ParentID}})
	}
	if d.Close == nil {
		d.Close = newForm(url.Values{"closed_on": {s.today().String()}})
	}
	s.page(w, r, status, "org", o.Name, "orgs", d)
}

func (s *Server) handleOrg(w http.ResponseWriter, r *http.Request) {
	o, err := s.loadManagedOrg(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.orgPage(w, r, http.StatusOK, o, &orgData{})
}

// orgFormErr re-renders the node page with the error on the form that failed.
func (s *Server) orgFormErr(w http.ResponseWriter, r *http.Request, o *nuanxin.Org, err error, set func(*orgData, *form)) {
	if !isFormErr(err) {
		s.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	f.Once = r.PostForm.Get("_once")
	f.setErr(err)
	d := &orgData{}
	set(d, f)
	s.orgPage(w, r, statusOf(nuanxin.ErrorCode(err), false), o, d)
}

func (s *Server) handleOrgCreate(w http.ResponseWriter, r *http.Request) {
	sc := scopeOf(r)
	_ = r.ParseForm()
	parentID := formInt(r.PostForm.Get("parent_id"))
	var parent *nuanxin.Org
	if parentID != 0 {
		p, err := s.orgs.FindOrgByID(r.Context(), sc, parentID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !sc.Can(nuanxin.PermOrgManage, p.Path) {
			s.fail(w, r, nuanxin.NotFound("what.org"))
			return
		}
		parent = p
	}
	get := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	o := &nuanxin.Org{ParentID: parentID, Name: get("name"), Kind: nuanxin.OrgKind(get("kind")),
		Code: get("code"), CreditCode: get("credit_code")}
	err := s.onceDo(w, r, func() (string, error) {
		if err := s.orgs.CreateOrg(r.Context(), sc, o); err != nil {
			return "", err
		}
		s.setFlash(w, "ui.flash.org_created")
		return fmt.Sprintf("/orgs/%d", o.ID), nil
	})
	if err == nil {
		return
	}
	if parent == nil {
		s.fail(w, r, err)
		return
	}
	s.orgFormErr(w, r, parent, err, func(d *orgData, f *form) { d.Child = f })
}

func (s *Server) handleOrgUpdate(w http.ResponseWriter, r *http.Request) {
	o, err := s.loadManagedOrg(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_ = r.ParseForm()
	get := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	name, code, credit := get("name"), get("code"), get("credit_code")
	kind := nuanxin.OrgKind(get("kind"))
	u := nuanxin.OrgUpdate{Name: &name, Code: &code, CreditCode: &credit}
	if kind != o.Kind {
		u.Kind = &kind
	}
	if _, err = s.orgs.UpdateOrg(r.Context(), scopeOf(r), o.ID, u); err != nil {
		s.orgFormErr(w, r, o, err, func(d *orgData, f *form) { d.Edit = f })
		return
	}
	s.setFlash(w, "ui.flash.org_saved")
	redirect(w, r, fmt.Sprintf("/orgs/%d", o.ID))
}

func (s *Server) handleOrgMove(w http.ResponseWriter, r *http.Request) {
	o, err := s.loadManagedOrg(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	parentID := formInt(r.PostFormValue("parent_id"))
	if parentID == 0 {
		err = nuanxin.Invalid("parent_id", "org.parent.required")
	} else {
		_, err = s.orgs.MoveOrg(r.Context(), scopeOf(r), o.ID, parentID)
	}
	if err != nil {
		if nuanxin.ErrorCode(err) == nuanxin.ENOTFOUND && parentID != 0 {
			// the new parent is out of reach: a form error, not a missing page.
			err = nuanxin.Invalid("parent_id", "ui.org.parent_unknown")
		}
		s.orgFormErr(w, r, o, mapFields(err, map[string]string{"parent": "parent_id", "": "parent_id"}),
			func(d *orgData, f *form) { d.Move = f })
		return
	}
	s.setFlash(w, "ui.flash.org_moved")
	redirect(w, r, fmt.Sprintf("/orgs/%d", o.ID))
}

func (s *Server) handleOrgClose(w http.ResponseWriter, r *http.Request) {
	o, err := s.loadManagedOrg(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	on, err := nuanxin.ParseDate(strings.TrimSpace(r.PostFormValue("closed_on")))
	if err != nil {
		err = fieldErr("closed_on", err)
	} else {
		if on.IsZero() {
			on = s.today()
		}
		err = s.orgs.CloseOrg(r.Context(), scopeOf(r), o.ID, on)
	}
	if err != nil {
		s.orgFormErr(w, r, o, err, func(d *orgData, f *form) { d.Close = f })
		return
	}
	s.setFlash(w, "ui.flash.org_closed")
	redirect(w, r, fmt.Sprintf("/orgs/%d", o.ID))
}

func (s *Server) handleOrgReopen(w http.ResponseWriter, r *http.Request) {
	o, err := s.loadManagedOrg(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.orgs.ReopenOrg(r.Context(), scopeOf(r), o.ID); err != nil {
		if !isFormErr(err) {
			s.fail(w, r, err)
			return
		}
		s.orgPage(w, r, statusOf(nuanxin.ErrorCode(err), false), o, &orgData{Message: userMessage(err)})
		return
	}
	s.setFlash(w, "ui.flash.org_reopened")
	redirect(w, r, fmt.Sprintf("/orgs/%d", o.ID))
}

func (s *Server) handleOrgDelete(w http.ResponseWriter, r *http.Request) {
	o, err := s.loadManagedOrg(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.orgs.DeleteOrg(r.Context(), scopeOf(r), o.ID); err != nil {
		if !isFormErr(err) {
			s.fail(w, r, err)
			return
		}
		s.orgPage(w, r, statusOf(nuanxin.ErrorCode(err), false), o, &orgData{Message: userMessage(err)})
		return
	}
	s.setFlash(w, "ui.flash.org_deleted")
	redirect(w, r, "/orgs")
}
