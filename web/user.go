package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/nuanxin/nuanxin"
)

type userRow struct {
	U      *nuanxin.User
	Locked bool
}

type usersData struct {
	Users []userRow
}

func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request) {
	users, err := s.users.FindUsers(r.Context(), scopeOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.now()
	d := &usersData{}
	for _, u := range users {
		d.Users = append(d.Users, userRow{U: u, Locked: u.LockedUntil.After(now)})
	}
	s.page(w, r, http.StatusOK, "users", nuanxin.T("ui.nav.users"), "users", d)
}

type userFormData struct {
	Form *form
	Orgs []option
}

// managedOrgs lists the open orgs where the scope manages users.
func (s *Server) managedOrgs(r *http.Request) ([]option, error) {
	sc := scopeOf(r)
	orgs, err := s.orgs.FindOrgs(r.Context(), sc, nuanxin.OrgFilter{})
	if err != nil {
		return nil, err
	}
	var out []*nuanxin.Org
	for _, o := range orgs {
		if sc.Can(nuanxin.PermUserManage, o.Path) {
			out = append(out, o)
		}
	}
	return orgOptions(out), nil
}

func (s *Server) userForm(w http.ResponseWriter, r *http.Request, status int, f *form) {
	orgs, err := s.managedOrgs(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.page(w, r, status, "user_form", nuanxin.T("ui.user.new"), "users", &userFormData{Form: f, Orgs: orgs})
}

func (s *Server) handleUserNew(w http.ResponseWriter, r *http.Request) {
	f := newForm(url.Values{"must_change": {"1"}})
	f.Once = newToken()
	s.userForm(w, r, http.StatusOK, f)
}

func (s *Server) handleUserCreate(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	v := url.Values{}
	for _, k := range []string{"username", "name", "home_org_id", "must_change", "member_id_number"} {
		v.Set(k, strings.TrimSpace(r.PostForm.Get(k)))
	}
	f := newForm(v) // passwords are never echoed back
	f.Once = r.PostForm.Get("_once")
	u := &nuanxin.User{Username: v.Get("username"), Name: v.Get("name"),
		HomeOrgID: formInt(v.Get("home_org_id")), MustChangePassword: v.Get("must_change") != ""}
	pw, pw2 := r.PostForm.Get("password"), r.PostForm.Get("password2")
	var fe nuanxin.FieldErrors
	if u.HomeOrgID == 0 {
		fe.Add("home_org_id", "user.home_org.required")
	}
	// A 会员 self-service login is tied to the member by 身份证号, which the
	// officer has at hand; the lookup runs in the officer's own scope.
	if idn := v.Get("member_id_number"); idn != "" {
		if _, perr := nuanxin.ParseIDNumber(idn); perr != nil {
			fe = append(fe, fieldErr("member_id_number", perr))
		} else if l, ferr := s.members.FindMembers(r.Context(), scopeOf(r), nuanxin.MemberFilter{Query: idn, Limit: 1}); ferr != nil {
			s.fail(w, r, ferr)
			return
		} else if len(l.Members) == 0 {
			fe.Add("member_id_number", "member.id.unknown")
		} else {
			u.MemberID = l.Members[0].ID
		}
	}
	if pw == "" {
		fe.Add("password", "ui.password.new_required")
	} else if pw != pw2 {
		fe.Add("password2", "ui.password.mismatch")
	}
	err := fe.Err()
	if err == nil {
		err = s.onceDo(w, r, func() (string, error) {
			if err := s.users.CreateUser(r.Context(), scopeOf(r), u, pw); err != nil {
				return "", err
			}
			s.setFlash(w, "ui.flash.user_created")
			return fmt.Sprintf("/users/%d", u.ID), nil
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
		err = nuanxin.Invalid("home_org_id", "user.home_org.required")
	}
	f.setErr(mapFields(err, map[string]string{"home_org": "home_org_id", "org_id": "home_org_id"}))
	s.userForm(w, r, statusOf(nuanxin.ErrorCode(err), false), f)
}

type userData struct {
	U        *nuanxin.User
	Locked   bool
	Grant    *form
	Password *form
	Token    *form
	NewToken *nuanxin.APIToken
	Message  string
	Roles    []option
	Orgs     []option
}

func (s *Server) loadUser(r *http.Request) (*nuanxin.User, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.users.FindUserByID(r.Context(), scopeOf(r), id)
}

func (s *Server) userPage(w http.ResponseWriter, r *http.Request, status int, u *nuanxin.User, d *userData) {
	orgs, err := s.managedOrgs(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.U, d.Orgs, d.Roles = u, orgs, roleOptions()
	d.Locked = u.LockedUntil.After(s.now())
	if d.Grant == nil {
		d.Grant = newForm(url.Values{"role": {string(nuanxin.RoleClerk)}, "org_id": {fmt.Sprint(u.HomeOrgID)}})
		d.Grant.Once = newToken()
	}
	if d.Password == nil {
		d.Password = newForm(nil)
	}
	if d.Token == nil {
		d.Token = newForm(nil)
		d.Token.Once = newToken()
	}
	s.page(w, r, status, "user", u.Name, "users", d)
}

func (s *Server) handleUser(w http.ResponseWriter, r *http.Request) {
	u, err := s.loadUser(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.userPage(w, r, http.StatusOK, u, &userData{})
}

// userAction runs a state change on the user of the path, then returns to
// the user page with a flash, or shows the error on it.
func (s *Server) userAction(w http.ResponseWriter, r *http.Request, flash string, act func(*nuanxin.User) error) {
	u, err := s.loadUser(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := act(u); err != nil {
		if !isFormErr(err) {
			s.fail(w, r, err)
			return
		}
		s.userPage(w, r, statusOf(nuanxin.ErrorCode(err), false), u, &userData{Message: userMessage(err)})
		return
	}
	s.setFlash(w, flash)
	redirect(w, r, fmt.Sprintf("/users/%d", u.ID))
}

func (s *Server) handleUserGrant(w http.ResponseWriter, r *http.Request) {
	u, err := s.loadUser(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_ = r.ParseForm()
	f := newForm(r.PostForm)
	f.Once = r.PostForm.Get("_once")
	role, ok := nuanxin.ParseRole(f.Get("role"))
	orgID := formInt(f.Get("org_id"))
	var fe nuanxin.FieldErrors
	if !ok {
		fe.Add("role", "user.grant.role")
	}
	if orgID == 0 {
		fe.Add("org_id", "member.org.required")
	}
	err = fe.Err()
	if err == nil {
		err = s.onceDo(w, r, func() (string, error) {
			if _, err := s.users.Grant(r.Context(), scopeOf(r), u.ID, role, orgID); err != nil {
				return "", err
			}
			s.setFlash(w, "ui.flash.granted")
			return fmt.Sprintf("/users/%d", u.ID), nil
		})
	}
	if err == nil {
		return
	}
	if nuanxin.ErrorCode(err) == nuanxin.ENOTFOUND {
		err = nuanxin.Invalid("org_id", "ui.org.parent_unknown")
	}
	if !isFormErr(err) {
		s.fail(w, r, err)
		return
	}
	f.setErr(mapFields(err, map[string]string{"org": "org_id"}))
	s.userPage(w, r, statusOf(nuanxin.ErrorCode(err), false), u, &userData{Grant: f})
}

func (s *Server) handleUserRevoke(w http.ResponseWriter, r *http.Request) {
	s.userAction(w, r, "ui.flash.revoked", func(u *nuanxin.User) error {
		gid, err := pathID(r, "gid")
		if err != nil {
			return err
		}
		return s.users.Revoke(r.Context(), scopeOf(r), u.ID, gid)
	})
}

func (s *Server) handleUserPassword(w http.ResponseWriter, r *http.Request) {
	u, err := s.loadUser(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pw, pw2 := r.PostFormValue("password"), r.PostFormValue("password2")
	if pw == "" {
		err = nuanxin.Invalid("password", "ui.password.new_required")
	} else if pw != pw2 {
		err = nuanxin.Invalid("password2", "ui.password.mismatch")
	} else {
		err = s.users.SetPassword(r.Context(), scopeOf(r), u.ID, pw)
	}
	if err != nil {
		if !isFormErr(err) {
			s.fail(w, r, err)
			return
		}
		f := newForm(nil)
		f.setErr(mapFields(err, map[string]string{"": "password", "new_password": "password"}))
		s.userPage(w, r, statusOf(nuanxin.ErrorCode(err), false), u, &userData{Password: f})
		return
	}
	s.setFlash(w, "ui.flash.password_reset")
	redirect(w, r, fmt.Sprintf("/users/%d", u.ID))
}

func (s *Server) handleUserDisable(w http.ResponseWriter, r *http.Request) {
	s.userAction(w, r, "ui.flash.user_disabled", func(u *nuanxin.User) error {
		return s.users.SetUserDisabled(r.Context(), scopeOf(r), u.ID, true)
	})
}

func (s *Server) handleUserEnable(w http.ResponseWriter, r *http.Request) {
	s.userAction(w, r, "ui.flash.user_enabled", func(u *nuanxin.User) error {
		return s.users.SetUserDisabled(r.Context(), scopeOf(r), u.ID, false)
	})
}

func (s *Server) handleUserUnlock(w http.ResponseWriter, r *http.Request) {
	s.userAction(w, r, "ui.flash.user_unlocked", func(u *nuanxin.User) error {
		return s.users.UnlockUser(r.Context(), scopeOf(r), u.ID)
	})
}

// handleUserToken creates an API token and shows it once, on this response.
// A re-sent form goes back to the user page without a second token.
func (s *Server) handleUserToken(w http.ResponseWriter, r *http.Request) {
	u, err := s.loadUser(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_ = r.ParseForm()
	f := newForm(url.Values{"token_name": {strings.TrimSpace(r.PostForm.Get("token_name"))}})
	f.Once = r.PostForm.Get("_once")
	sess := sessionKey(r)
	if to, dup := s.once.begin(r.Context(), sess, f.Once, s.now()); dup {
		redirect(w, r, to)
		return
	}
	name := f.Get("token_name")
	var tok *nuanxin.APIToken
	if name == "" {
		err = nuanxin.Invalid("token_name", "user.token.name")
	} else if len([]rune(name)) > 60 {
		err = nuanxin.Invalid("token_name", "err.too_long", 60)
	} else {
		tok, err = s.users.CreateAPIToken(r.Context(), scopeOf(r), u.ID, name)
	}
	if err != nil {
		s.once.finish(sess, f.Once, false, "")
		if !isFormErr(err) {
			s.fail(w, r, err)
			return
		}
		f.setErr(mapFields(err, map[string]string{"name": "token_name", "": "token_name"}))
		s.userPage(w, r, statusOf(nuanxin.ErrorCode(err), false), u, &userData{Token: f})
		return
	}
	s.once.finish(sess, f.Once, true, fmt.Sprintf("/users/%d", u.ID))
	s.userPage(w, r, http.StatusOK, u, &userData{NewToken: tok})
}
