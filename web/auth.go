package web

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"

	"github.com/nuanxin/nuanxin"
)

type loginData struct {
	Form *form
	Next string
}

func (s *Server) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	// a browser that is logged in already goes on.
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		if _, sc, err := s.users.SessionScope(r.Context(), c.Value); err == nil && sc != nil {
			http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
			return
		}
	}
	f := newForm(nil)
	s.bare(w, r, http.StatusOK, "login", nuanxin.T("ui.login.title"), &loginData{Form: f, Next: r.URL.Query().Get("next")})
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, nuanxin.T("err.bad_request"))
		return
	}
	f := newForm(url.Values{"username": {strings.TrimSpace(r.PostForm.Get("username"))}})
	next := r.PostForm.Get("next")
	data := &loginData{Form: f, Next: next}
	ip := clientIP(r)
	if !s.throttle.allow(ip, s.now()) {
		f.Summary = nuanxin.T("user.login.throttled")
		s.bare(w, r, http.StatusTooManyRequests, "login", nuanxin.T("ui.login.title"), data)
		return
	}
	username, password := f.Get("username"), r.PostForm.Get("password")
	if username == "" || password == "" {
		f.Summary = nuanxin.T("ui.login.missing")
		s.bare(w, r, http.StatusUnprocessableEntity, "login", nuanxin.T("ui.login.title"), data)
		return
	}
	u, err := s.users.Authenticate(r.Context(), username, password, ip)
	if err != nil {
		s.logIfInternal(r, err)
		code := nuanxin.ErrorCode(err)
		f.Summary = userMessage(err)
		if code == nuanxin.EUNAUTHORIZED || code == nuanxin.ENOTFOUND || code == nuanxin.EINVALID {
			// never tell which of the two was wrong unless the service did
			// (locked or disabled accounts).
			var e *nuanxin.Error
			if !asError(err, &e) || (e.Key != "user.login.locked" && e.Key != "user.login.disabled") {
				f.Summary = nuanxin.T("user.login.failed")
			}
		}
		status := statusOf(code, false)
		if code == nuanxin.EINVALID || code == nuanxin.ENOTFOUND {
			status = http.StatusUnauthorized
		}
		s.bare(w, r, status, "login", nuanxin.T("ui.login.title"), data)
		return
	}
	tok, _, err := s.users.CreateSession(r.Context(), u.ID, ip, r.UserAgent())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: tok, Path: "/", HttpOnly: true,
		Secure: s.secureCookies, SameSite: http.SameSiteLaxMode,
		MaxAge: int(nuanxin.SessionLifetime.Seconds()),
	})
	if u.MustChangePassword {
		http.Redirect(w, r, "/account/password", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, localPath(next), http.StatusSeeOther)
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		if err := s.users.DeleteSession(r.Context(), c.Value); err != nil {
			s.logIfInternal(r, err)
		}
	}
	s.clearSessionCookie(w)
	redirect(w, r, "/login")
}

func (s *Server) handlePasswordForm(w http.ResponseWriter, r *http.Request) {
	s.page(w, r, http.StatusOK, "password", nuanxin.T("ui.password.title"), "", newForm(nil))
}

func (s *Server) handlePassword(w http.ResponseWriter, r *http.Request) {
	f := newForm(url.Values{})
	old, nw, again := r.PostFormValue("old_password"), r.PostFormValue("new_password"), r.PostFormValue("new_password2")
	var fe nuanxin.FieldErrors
	if old == "" {
		fe.Add("old_password", "ui.password.old_required")
	}
	if nw == "" {
		fe.Add("new_password", "ui.password.new_required")
	} else if nw != again {
		fe.Add("new_password2", "ui.password.mismatch")
	}
	err := fe.Err()
	if err == nil {
		err = s.users.ChangeOwnPassword(r.Context(), scopeOf(r), old, nw)
		if e := nuanxin.AsFieldErrors(err); len(e) == 0 && nuanxin.ErrorCode(err) == nuanxin.EUNAUTHORIZED {
			// a wrong old password is a field error here, not a logout.
			err = nuanxin.Invalid("old_password", "user.password.wrong")
		}
	}
	if err != nil {
		if code := nuanxin.ErrorCode(err); code != nuanxin.EINVALID {
			s.fail(w, r, err)
			return
		}
		f.setErr(mapFields(err, map[string]string{"password": "new_password", "new": "new_password", "old": "old_password"}))
		s.page(w, r, http.StatusUnprocessableEntity, "password", nuanxin.T("ui.password.title"), "", f)
		return
	}
	s.setFlash(w, "ui.flash.password_changed")
	redirect(w, r, "/")
}

// mapFields renames store field names to the form's.
func mapFields(err error, names map[string]string) error {
	fe := nuanxin.AsFieldErrors(err)
	if len(fe) == 0 {
		return err
	}
	out := make(nuanxin.FieldErrors, len(fe))
	for i, e := range fe {
		c := *e
		if n, ok := names[c.Field]; ok {
			c.Field = n
		}
		out[i] = &c
	}
	return out
}

// newToken is a random hex string for one-time form tokens.
func newToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// onceDo runs create unless this form's one-time token was used already, in
// which case it sends the browser where the first submission led. create
// returns the URL to go to on success.
func (s *Server) onceDo(w http.ResponseWriter, r *http.Request, create func() (string, error)) error {
	sess, tok := sessionKey(r), r.PostFormValue("_once")
	if to, dup := s.once.begin(r.Context(), sess, tok, s.now()); dup {
		redirect(w, r, to)
		return nil
	}
	to, err := create()
	if err != nil {
		s.once.finish(sess, tok, false, "")
		return err
	}
	s.once.finish(sess, tok, true, to)
	redirect(w, r, to)
	return nil
}
