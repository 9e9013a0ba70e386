package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/store"
	"github.com/nuanxin/nuanxin/store/storetest"
)

var bg = context.Background()

var sys = nuanxin.SystemScope()

// seq makes names and numbers unique within a test binary.
var seq atomic.Int64

func next() int64 { return seq.Add(1) }

// idNumber makes a checksum-valid, clearly fictitious 身份证号 (北京东城,
// born 1980–1999) from n.
func idNumber(n int64) string {
	birth := time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n*37%7000))
	s := fmt.Sprintf("110101%s%03d", birth.Format("20060102"), n%1000)
	return s + string(nuanxin.IDCheckDigit(s))
}

// roles are the matrix columns, anonymous last.
var roles = []string{"admin", "chair", "clerk", "reviewer", "auditor", "member", "anon"}

const testPassword = "Passw0rd-123"

type testUser struct {
	U   *nuanxin.User
	API string // bearer token
}

// fixture is a small union: 集团工会 G with two 基层工会 A and B and a 分工会
// A1 under A; a member in A and one in B; one user per role granted on A.
type fixture struct {
	t     testing.TB
	db    *store.DB
	srv   *Server
	G, A  *nuanxin.Org
	B, A1 *nuanxin.Org
	MA    *nuanxin.Member // in scope
	MB    *nuanxin.Member // out of scope
	UA    *nuanxin.User   // a user with home org A
	UB    *nuanxin.User   // a user with home org B
	Login *nuanxin.User   // a user whose password the tests know
	users map[string]*testUser
	now   func() time.Time
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	return newFixtureOn(t, storetest.Open(t))
}

func newFixtureOn(t testing.TB, db *store.DB) *fixture {
	t.Helper()
	f := &fixture{t: t, db: db, users: map[string]*testUser{}}
	f.G = f.org(0, "华夏集团工会", nuanxin.OrgGroup)
	f.A = f.org(f.G.ID, "发电公司工会", nuanxin.OrgBase)
	f.B = f.org(f.G.ID, "检修公司工会", nuanxin.OrgBase)
	f.A1 = f.org(f.A.ID, "运行部分工会", nuanxin.OrgBranch)
	f.MA = f.member(f.A.ID, "张三丰")
	f.MB = f.member(f.B.ID, "欧阳秀英")
	f.UA = f.user(f.A.ID, "user_a", "甲用户")
	f.UB = f.user(f.B.ID, "user_b", "乙用户")
	f.Login = f.user(f.A.ID, "loginuser", "登录测试")
	for _, r := range roles[:6] {
		u := &nuanxin.User{Username: r + "1", Name: nuanxin.Role(r).Label() + "甲", HomeOrgID: f.A.ID}
		if r == "member" {
			u.MemberID = f.MA.ID
		}
		if err := db.CreateUser(bg, sys, u, testPassword); err != nil {
			t.Fatalf("user %s: %v", r, err)
		}
		if _, err := db.Grant(bg, sys, u.ID, nuanxin.Role(r), f.A.ID); err != nil {
			t.Fatalf("grant %s: %v", r, err)
		}
		tok, err := db.CreateAPIToken(bg, sys, u.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		f.users[r] = &testUser{U: u, API: tok.Token}
	}
	f.srv = New(Config{Orgs: db, Members: db, Users: db, Audit: db, Care: db, Policy: db, Campaigns: db, Hardship: db, Stats: db, Summaries: db, Version: "test",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), WithIP: store.WithIP, UploadDir: t.TempDir()})
	f.srv.throttle = newThrottle(100000, time.Minute, 1000)
	// import jobs run in the background: let them end before the store closes
	t.Cleanup(func() { f.srv.jobs.wait() })
	return f
}

func (f *fixture) org(parent int64, name string, kind nuanxin.OrgKind) *nuanxin.Org {
	f.t.Helper()
	o := &nuanxin.Org{ParentID: parent, Name: name, Kind: kind}
	if err := f.db.CreateOrg(bg, sys, o); err != nil {
		f.t.Fatalf("org %s: %v", name, err)
	}
	return o
}

func (f *fixture) member(org int64, name string) *nuanxin.Member {
	f.t.Helper()
	m := &nuanxin.Member{OrgID: org, Name: name, IDNumber: idNumber(next()), Phone: "13912345678",
		Category: nuanxin.CategoryActive, Department: "运行部", JoinDate: nuanxin.NewDate(2015, 3, 1)}
	if err := f.db.CreateMember(bg, sys, m); err != nil {
		f.t.Fatalf("member %s: %v", name, err)
	}
	return m
}

func (f *fixture) relative(m *nuanxin.Member, name string) *nuanxin.Relative {
	f.t.Helper()
	r := &nuanxin.Relative{MemberID: m.ID, Relation: nuanxin.RelChild, Name: name, BirthDate: nuanxin.NewDate(2012, 5, 1)}
	if err := f.db.CreateRelative(bg, sys, r); err != nil {
		f.t.Fatalf("relative %s: %v", name, err)
	}
	return r
}

func (f *fixture) user(org int64, username, name string) *nuanxin.User {
	f.t.Helper()
	u := &nuanxin.User{Username: username, Name: name, HomeOrgID: org}
	if err := f.db.CreateUser(bg, sys, u, testPassword); err != nil {
		f.t.Fatalf("user %s: %v", username, err)
	}
	return u
}

// session logs role in (a fresh session per call) and returns the cookie
// value and CSRF token; anonymous gets "".
func (f *fixture) session(role string) (string, string) {
	f.t.Helper()
	u, ok := f.users[role]
	if !ok {
		return "", ""
	}
	tok, sess, err := f.db.CreateSession(bg, u.U.ID, "127.0.0.1", "test")
	if err != nil {
		f.t.Fatal(err)
	}
	return tok, sess.CSRFToken
}

// req is one request of a test.
type req struct {
	method, path string
	form         url.Values // sent urlencoded; csrf_token added unless noCSRF
	json         string     // sent as the body of API calls
	noCSRF       bool
	htmx         bool
	header       map[string]string
	sess         *session // reuse this browser session instead of a fresh one
	file         *upfile  // sent as multipart/form-data with form, the CSRF token first
}

// upfile is a file of a multipart request.
type upfile struct {
	field, name string
	data        []byte
}

// session is one logged-in browser.
type session struct{ token, csrf string }

func (f *fixture) login(role string) *session {
	tok, csrf := f.session(role)
	return &session{tok, csrf}
}

// do sends rq as role (page requests with a session cookie, API requests
// with the role's Bearer token).
func (f *fixture) do(role string, rq req) *httptest.ResponseRecorder {
	f.t.Helper()
	api := strings.HasPrefix(rq.path, "/api/")
	var body io.Reader
	tok, csrf := "", ""
	if rq.sess != nil {
		tok, csrf = rq.sess.token, rq.sess.csrf
	} else if !api {
		tok, csrf = f.session(role)
	}
	ctype := ""
	switch {
	case rq.file != nil:
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		if !rq.noCSRF && csrf != "" {
			_ = mw.WriteField("csrf_token", csrf)
		}
		for k, vs := range rq.form {
			for _, v := range vs {
				_ = mw.WriteField(k, v)
			}
		}
		fw, _ := mw.CreateFormFile(rq.file.field, rq.file.name)
		_, _ = fw.Write(rq.file.data)
		_ = mw.Close()
		body, ctype = &buf, mw.FormDataContentType()
	case rq.json != "":
		body = strings.NewReader(rq.json)
	case rq.form != nil || unsafeMethod(rq.method):
		v := url.Values{}
		for k, vs := range rq.form {
			v[k] = vs
		}
		if !rq.noCSRF && csrf != "" {
			v.Set("csrf_token", csrf)
		}
		body = strings.NewReader(v.Encode())
	}
	r := httptest.NewRequest(rq.method, rq.path, body)
	switch {
	case ctype != "":
		r.Header.Set("Content-Type", ctype)
	case rq.json != "":
		r.Header.Set("Content-Type", "application/json")
	case body != nil:
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if tok != "" {
		r.AddCookie(&http.Cookie{Name: SessionCookie, Value: tok})
	}
	if api && role != "anon" && rq.sess == nil {
		r.Header.Set("Authorization", "Bearer "+f.users[role].API)
	}
	if rq.htmx {
		r.Header.Set("HX-Request", "true")
	}
	for k, v := range rq.header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, r)
	return w
}
