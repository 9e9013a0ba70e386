package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nuanxin/nuanxin"
)

func mustStatus(t *testing.T, w *httptest.ResponseRecorder, want int) string {
	t.Helper()
	if w.Code != want {
		t.Fatalf("status %d, want %d\n%s", w.Code, want, snippet(w.Body.String()))
	}
	return w.Body.String()
}

func contains(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("body lacks %q", w)
		}
	}
}

func (f *fixture) countMembers(q string) int {
	f.t.Helper()
	l, err := f.db.FindMembers(bg, sys, nuanxin.MemberFilter{Query: q, Limit: 1})
	if err != nil {
		f.t.Fatal(err)
	}
	return l.Total
}

func TestMemberFormInvalidKeepsInput(t *testing.T) {
	f := newFixture(t)
	form := url.Values{"_once": {newToken()}, "org_id": {id(f.A.ID)}, "name": {"张无忌"},
		"id_number": {"110101199001011234"}, "phone": {"2345"}, "department": {"设备部"},
		"category": {"active"}, "status": {"member"}, "hire_date": {"2099-01-01"}, "join_date": {"2015-3-1"}}
	body := mustStatus(t, f.do("clerk", req{method: "POST", path: "/members", form: form}), http.StatusUnprocessableEntity)
	contains(t, body,
		`value="张无忌"`, `value="2345"`, `value="设备部"`, `value="110101199001011234"`, `value="2015-3-1"`,
		html.EscapeString(nuanxin.T("err.date_format", "2015-3-1")), // the bad date named
		html.EscapeString(nuanxin.T("member.date.future")),
		`<b>手机</b>`, `<b>身份证号</b>`, `<b>参加工作日期</b>`, `<b>入会日期</b>`, // the summary names the fields
		`id="e-phone"`, `id="e-id_number"`, `id="e-hire_date"`, // inline errors beside the fields
	)
	if !regexp.MustCompile(`id="e-phone">[^<]*号码不正确`).MatchString(body) {
		t.Errorf("no Chinese phone message beside the phone field")
	}
	if f.countMembers("张无忌") != 0 {
		t.Errorf("an invalid member was stored")
	}
}

func TestInjectionIsInert(t *testing.T) {
	f := newFixture(t)
	// a script as a name is refused (names have no symbols), and echoed inertly
	form := newMemberForm(f.A)
	form.Set("name", "<script>alert(1)</script>")
	body := mustStatus(t, f.do("clerk", req{method: "POST", path: "/members", form: form}), http.StatusUnprocessableEntity)
	contains(t, body, html.EscapeString(nuanxin.T("member.name.bad_chars")), "&lt;script&gt;alert(1)&lt;/script&gt;")
	if strings.Contains(body, "<script>alert(1)") {
		t.Fatal("script echoed raw")
	}
	// notes with HTML and SQL are stored as typed and shown as text
	notes := `<b>x</b>' OR 1=1 --`
	form = newMemberForm(f.A)
	form.Set("name", "韩梅梅")
	form.Set("notes", notes)
	w := f.do("clerk", req{method: "POST", path: "/members", form: form})
	mustStatus(t, w, http.StatusSeeOther)
	loc := w.Header().Get("Location")
	mid, _ := strconv.ParseInt(strings.TrimPrefix(loc, "/members/"), 10, 64)
	m, err := f.db.FindMemberByID(bg, sys, mid)
	if err != nil || m.Notes != notes {
		t.Fatalf("stored notes %q (%v), want %q", m.Notes, err, notes)
	}
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: loc}), http.StatusOK)
	contains(t, body, "&lt;b&gt;x&lt;/b&gt;&#39; OR 1=1 --")
	if strings.Contains(body, "<b>x</b>") {
		t.Error("notes rendered as HTML")
	}
	// and the search box takes the SQL without harm
	mustStatus(t, f.do("clerk", req{method: "GET", path: "/members?q=" + url.QueryEscape(`' OR 1=1 --`)}), http.StatusOK)
	apiBody := mustStatus(t, f.do("clerk", req{method: "GET", path: "/api/v1/members/" + id(mid)}), http.StatusOK)
	var got struct{ Notes string }
	if err := json.Unmarshal([]byte(apiBody), &got); err != nil || got.Notes != notes {
		t.Errorf("API notes %q %v", got.Notes, err)
	}
}

func TestCSRF(t *testing.T) {
	f := newFixture(t)
	before := f.countMembers("")
	// a form without the token
	w := f.do("clerk", req{method: "POST", path: "/members", form: newMemberForm(f.A), noCSRF: true})
	body := mustStatus(t, w, http.StatusForbidden)
	contains(t, body, html.EscapeString(nuanxin.T("ui.err.csrf")))
	// a wrong token
	form := newMemberForm(f.A)
	form.Set("csrf_token", "forged")
	s := f.login("clerk")
	r := httptest.NewRequest("POST", "/members", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.AddCookie(&http.Cookie{Name: SessionCookie, Value: s.token})
	w = httptest.NewRecorder()
	f.srv.ServeHTTP(w, r)
	mustStatus(t, w, http.StatusForbidden)
	// a cross-site browser request is refused before anything else
	r = httptest.NewRequest("POST", "/members", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	r.AddCookie(&http.Cookie{Name: SessionCookie, Value: s.token})
	w = httptest.NewRecorder()
	f.srv.ServeHTTP(w, r)
	mustStatus(t, w, http.StatusForbidden)
	// the htmx header carries the token too
	form = newMemberForm(f.A)
	mustStatus(t, f.do("clerk", req{method: "POST", path: "/members", form: form, noCSRF: true, sess: s,
		header: map[string]string{"X-CSRF-Token": s.csrf}}), http.StatusSeeOther)
	// the API with the session cookie needs the header; with a Bearer token it does not
	js := fmt.Sprintf(`{"org_id":%d,"name":"接口甲","id_number":"%s"}`, f.A.ID, idNumber(next()))
	mustStatus(t, f.do("clerk", req{method: "POST", path: "/api/v1/members", json: js, sess: s}), http.StatusForbidden)
	mustStatus(t, f.do("clerk", req{method: "POST", path: "/api/v1/members", json: js, sess: s,
		header: map[string]string{"X-CSRF-Token": s.csrf}}), http.StatusCreated)
	if got := f.countMembers(""); got != before+2 {
		t.Errorf("members %d, want %d", got, before+2)
	}
}

func TestDoubleSubmitCreatesOne(t *testing.T) {
	f := newFixture(t)
	s := f.login("clerk")
	form := newMemberForm(f.A)
	form.Set("name", "司马光")
	before := f.countMembers("司马光")
	w1 := f.do("clerk", req{method: "POST", path: "/members", form: form, sess: s})
	w2 := f.do("clerk", req{method: "POST", path: "/members", form: form, sess: s})
	mustStatus(t, w1, http.StatusSeeOther)
	mustStatus(t, w2, http.StatusSeeOther)
	if l1, l2 := w1.Header().Get("Location"), w2.Header().Get("Location"); l1 != l2 || !strings.HasPrefix(l1, "/members/") {
		t.Errorf("second submit went to %q, first to %q", l2, l1)
	}
	if got := f.countMembers("司马光"); got != before+1 {
		t.Fatalf("%d members created, want 1", got-before)
	}
	// at the same moment: still one
	form = newMemberForm(f.A)
	form.Set("name", "欧阳修")
	var wg sync.WaitGroup
	locs := make([]string, 4)
	for i := range locs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			locs[i] = f.do("clerk", req{method: "POST", path: "/members", form: form, sess: s}).Header().Get("Location")
		}()
	}
	wg.Wait()
	if got := f.countMembers("欧阳修"); got != 1 {
		t.Fatalf("concurrent double submit created %d members", got)
	}
	for _, l := range locs[1:] {
		if l != locs[0] {
			t.Errorf("locations differ: %q", locs)
		}
	}
	// a failed submit does not use the token up: fixing the form and sending
	// it again with the same token creates the member
	form = newMemberForm(f.A)
	form.Set("name", "王安石")
	form.Set("phone", "123")
	mustStatus(t, f.do("clerk", req{method: "POST", path: "/members", form: form, sess: s}), http.StatusUnprocessableEntity)
	form.Set("phone", "13800001111")
	mustStatus(t, f.do("clerk", req{method: "POST", path: "/members", form: form, sess: s}), http.StatusSeeOther)
	if f.countMembers("王安石") != 1 {
		t.Error("corrected form did not create the member")
	}
	// another browser session with the same token is a new submission
	o := newOnceStore(0, 1, 1)
	if _, dup := o.begin(bg, "s1", "t", f.srv.now()); dup {
		t.Error("first use reported as duplicate")
	}
}

func TestStaleEditIsAConflict(t *testing.T) {
	f := newFixture(t)
	m := f.member(f.A.ID, "曾国藩")
	stale := memberEditForm(m)
	stale.Set("department", "我的修改")
	// someone else saves first
	other := *m
	other.Department = "别人的修改"
	other.IDNumber = ""
	if err := f.db.UpdateMember(bg, sys, &other); err != nil {
		t.Fatal(err)
	}
	body := mustStatus(t, f.do("clerk", req{method: "POST", path: "/members/" + id(m.ID) + "/edit", form: stale}), http.StatusConflict)
	contains(t, body, html.EscapeString(nuanxin.T("err.stale")), `value="我的修改"`)
	got, _ := f.db.FindMemberByID(bg, sys, m.ID)
	if got.Department != "别人的修改" {
		t.Errorf("stale edit overwrote: %q", got.Department)
	}
	// the API says the same
	js := fmt.Sprintf(`{"version":%d,"department":"接口"}`, m.Version)
	mustStatus(t, f.do("clerk", req{method: "PUT", path: "/api/v1/members/" + id(m.ID), json: js}), http.StatusConflict)
	mustStatus(t, f.do("clerk", req{method: "PUT", path: "/api/v1/members/" + id(m.ID), json: `{"department":"接口"}`}), http.StatusBadRequest)
}

func TestReceiveReleasedMember(t *testing.T) {
	f := newFixture(t)
	m := f.member(f.B.ID, "转会员")
	full, err := f.db.RevealIDNumber(bg, sys, m.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.RecordEvent(bg, sys, m.ID, nuanxin.MemberEventInput{Kind: nuanxin.EventTransferOut, Date: nuanxin.Today()}); err != nil {
		t.Fatal(err)
	}
	s := f.login("clerk")
	form := newMemberForm(f.A)
	form.Set("id_number", full)
	body := mustStatus(t, f.do("clerk", req{method: "POST", path: "/members", form: form, sess: s}), http.StatusConflict)
	contains(t, body, `action="/members/receive"`, html.EscapeString(nuanxin.T("member.id.receivable")))
	if strings.Contains(body, "转会员") {
		t.Error("the conflict names the other org's member")
	}
	w := f.do("clerk", req{method: "POST", path: "/members/receive", sess: s,
		form: url.Values{"_once": {form.Get("_once")}, "id_number": {full}, "org_id": {id(f.A.ID)}}})
	mustStatus(t, w, http.StatusSeeOther)
	if loc := w.Header().Get("Location"); loc != "/members/"+id(m.ID) {
		t.Errorf("received to %q", loc)
	}
	got, _ := f.db.FindMemberByID(bg, sys, m.ID)
	if got.OrgID != f.A.ID || got.Status != nuanxin.StatusMember {
		t.Errorf("after receive: org %d status %s", got.OrgID, got.Status)
	}
}

func TestRevealIsAudited(t *testing.T) {
	f := newFixture(t)
	full, _ := f.db.RevealIDNumber(bg, sys, f.MA.ID, "fixture")
	path := "/members/" + id(f.MA.ID) + "/reveal"
	// no reason: the form says so
	body := mustStatus(t, f.do("clerk", req{method: "POST", path: path, htmx: true, form: url.Values{"reason": {" "}}}), http.StatusUnprocessableEntity)
	contains(t, body, html.EscapeString(nuanxin.T("member.reveal.reason")))
	if strings.Contains(body, full) {
		t.Fatal("number shown without a reason")
	}
	body = mustStatus(t, f.do("clerk", req{method: "POST", path: path, htmx: true, form: url.Values{"reason": {"办理医疗互助"}}}), http.StatusOK)
	contains(t, body, full, `id="id-reveal"`)
	if strings.Contains(body, "<html") {
		t.Error("htmx reveal returned a whole page")
	}
	events, _, err := f.db.FindAuditEvents(bg, sys, nuanxin.AuditFilter{Action: "member.reveal", EntityID: f.MA.ID})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range events {
		if e.Username == "clerk1" && strings.Contains(e.After, "办理医疗互助") {
			found = true
		}
	}
	if !found {
		t.Errorf("no audit entry for the reveal: %+v", events)
	}
	// the page never shows the plain number otherwise
	if strings.Contains(mustStatus(t, f.do("clerk", req{method: "GET", path: "/members/" + id(f.MA.ID)}), http.StatusOK), full) {
		t.Error("detail page shows the plain number")
	}
}

func TestRelativeFormInvalid(t *testing.T) {
	f := newFixture(t)
	path := "/members/" + id(f.MA.ID) + "/relatives"
	body := mustStatus(t, f.do("clerk", req{method: "POST", path: path, form: url.Values{"_once": {newToken()},
		"relation": {"cousin"}, "name": {""}, "id_number": {"123"}, "school": {"实验小学"}}}), http.StatusUnprocessableEntity)
	contains(t, body, html.EscapeString(nuanxin.T("relative.relation.invalid")), html.EscapeString(nuanxin.T("member.name.required")), `value="实验小学"`)
}

func TestLogin(t *testing.T) {
	f := newFixture(t)
	post := func(user, pw, ip string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"username": {user}, "password": {pw}, "next": {"/members"}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.RemoteAddr = ip + ":5555"
		w := httptest.NewRecorder()
		f.srv.ServeHTTP(w, r)
		return w
	}
	body := mustStatus(t, post("loginuser", "wrong-password1", "192.0.2.1"), http.StatusUnauthorized)
	contains(t, body, "用户名或密码不正确", `value="loginuser"`)
	body = mustStatus(t, post("nobody", "wrong-password1", "192.0.2.1"), http.StatusUnauthorized)
	contains(t, body, "用户名或密码不正确")

	w := mustStatusW(t, post("loginuser", testPassword, "192.0.2.2"), http.StatusSeeOther)
	if w.Header().Get("Location") != "/members" {
		t.Errorf("after login to %q", w.Header().Get("Location"))
	}
	c := w.Result().Cookies()
	if len(c) != 1 || c[0].Name != SessionCookie || !c[0].HttpOnly || c[0].SameSite != http.SameSiteLaxMode || c[0].Path != "/" || c[0].Secure {
		t.Errorf("session cookie %+v", c)
	}
	// an open redirect is not followed
	r := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"username": {"loginuser"}, "password": {testPassword}, "next": {"//evil.example/"}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w = httptest.NewRecorder()
	f.srv.ServeHTTP(w, r)
	if loc := w.Header().Get("Location"); loc != "/" {
		t.Errorf("next=//evil went to %q", loc)
	}
	// must change the password first
	u := &nuanxin.User{Username: "newbie", Name: "新人", HomeOrgID: f.A.ID, MustChangePassword: true}
	if err := f.db.CreateUser(bg, sys, u, testPassword); err != nil {
		t.Fatal(err)
	}
	if w := post("newbie", testPassword, "192.0.2.3"); w.Header().Get("Location") != "/account/password" {
		t.Errorf("must-change user went to %q", w.Header().Get("Location"))
	}
	// lockout after repeated failures, with the service's message
	for range nuanxin.MaxFailedLogins {
		post("user_a", "wrong-password1", "192.0.2.4")
	}
	body = mustStatus(t, post("user_a", testPassword, "192.0.2.4"), http.StatusTooManyRequests)
	contains(t, body, "账号已锁定")

	// per-address throttling with the production settings
	srv := New(Config{Orgs: f.db, Members: f.db, Users: f.db, Audit: f.db, Care: f.db, Policy: f.db, Campaigns: f.db, Hardship: f.db, Stats: f.db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	f.srv = srv
	codes := map[int]int{}
	for range 12 {
		codes[post("nobody", "x", "198.51.100.7").Code]++
	}
	if codes[http.StatusTooManyRequests] != 2 || codes[http.StatusUnauthorized] != 10 {
		t.Errorf("throttle: %v", codes)
	}
	body = post("nobody", "x", "198.51.100.7").Body.String()
	contains(t, body, "登录尝试过于频繁")
	mustStatus(t, post("nobody", "x", "198.51.100.8"), http.StatusUnauthorized) // another address is not slowed
}

func mustStatusW(t *testing.T, w *httptest.ResponseRecorder, want int) *httptest.ResponseRecorder {
	t.Helper()
	mustStatus(t, w, want)
	return w
}

func TestThrottleBounded(t *testing.T) {
	th := newThrottle(2, 60e9, 100)
	now := nowFixed()
	for i := range 1000 {
		th.allow(fmt.Sprint("ip", i), now)
	}
	if len(th.buckets) > 100 {
		t.Errorf("throttle map holds %d entries", len(th.buckets))
	}
	if !th.allow("a", now) || !th.allow("a", now) || th.allow("a", now) {
		t.Error("burst of 2 not enforced")
	}
	if !th.allow("a", now.Add(31e9)) {
		t.Error("token not refilled after half a minute")
	}
}

func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/login", "/members", "/static/app.css", "/api/v1/members", "/no/such/page"} {
		w := f.do("clerk", req{method: "GET", path: path})
		h := w.Header()
		csp := h.Get("Content-Security-Policy")
		for _, d := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "frame-ancestors 'none'", "form-action 'self'"} {
			if !strings.Contains(csp, d) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, d)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows inline code", path)
		}
		for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY"} {
			if h.Get(k) != v {
				t.Errorf("%s: %s = %q", path, k, h.Get(k))
			}
		}
		if h.Get("Permissions-Policy") == "" {
			t.Errorf("%s: no Permissions-Policy", path)
		}
		if !strings.HasPrefix(path, "/static/") && h.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q", path, h.Get("Cache-Control"))
		}
	}
	w := f.do("anon", req{method: "GET", path: "/static/app.css?v=" + f.srv.staticVersion})
	if !strings.Contains(w.Header().Get("Cache-Control"), "immutable") {
		t.Errorf("versioned static: %q", w.Header().Get("Cache-Control"))
	}
	if w := f.do("anon", req{method: "GET", path: "/static/nope.js"}); w.Code != http.StatusNotFound {
		t.Errorf("missing static: %d", w.Code)
	}
	// the pages reference only local assets, with the version
	body := f.do("clerk", req{method: "GET", path: "/members"}).Body.String()
	for _, m := range regexp.MustCompile(`(?:src|href)="([^"]+)"`).FindAllStringSubmatch(body, -1) {
		if strings.Contains(m[1], "//") {
			t.Errorf("external reference %q", m[1])
		}
	}
	contains(t, body, "/static/htmx.min.js?v="+f.srv.staticVersion, "/static/app.css?v=")
	if regexp.MustCompile(`<script>|<script [^>]*>[^<]|<style|style="|\son[a-z]+="`).MatchString(body) {
		t.Error("inline script, style or handler in a page (CSP forbids them)")
	}
}

func TestMemberListHTMX(t *testing.T) {
	f := newFixture(t)
	f.member(f.A.ID, "张三")
	full := mustStatus(t, f.do("clerk", req{method: "GET", path: "/members?q=zs&category=active"}), http.StatusOK)
	contains(t, full, "<html", `id="member-filter"`, `value="zs"`, "张三", `hx-push-url="true"`, `hx-trigger="input changed delay:300ms`)
	part := mustStatus(t, f.do("clerk", req{method: "GET", path: "/members?q=zs", htmx: true, header: map[string]string{"HX-Target": "member-table"}}), http.StatusOK)
	if !strings.HasPrefix(strings.TrimSpace(part), `<div id="member-table"`) || strings.Contains(part, "<html") {
		t.Errorf("htmx answer is not the table alone: %.200s", part)
	}
	contains(t, part, "张三", "共 ")
	// history restore asks for the whole page
	page := f.do("clerk", req{method: "GET", path: "/members?q=zs", htmx: true, header: map[string]string{"HX-Target": "member-table", "HX-History-Restore-Request": "true"}}).Body.String()
	contains(t, page, "<html")
	// out-of-scope members never appear (the search itself is echoed in
	// the toolbar's export links; a listed member is a link in the table)
	if strings.Contains(mustStatus(t, f.do("clerk", req{method: "GET", path: "/members?q=" + url.QueryEscape("欧阳秀英"), htmx: true,
		header: map[string]string{"HX-Target": "member-table"}}), http.StatusOK), ">欧阳秀英<") {
		t.Error("member of org B listed for a clerk of A")
	}
	// bad filter values are ignored by the page and refused by the API
	mustStatus(t, f.do("clerk", req{method: "GET", path: "/members?age=old&month=13&page=x"}), http.StatusOK)
	mustStatus(t, f.do("clerk", req{method: "GET", path: "/api/v1/members?month=13"}), http.StatusBadRequest)
}

func TestAPI(t *testing.T) {
	f := newFixture(t)
	full, _ := f.db.RevealIDNumber(bg, sys, f.MA.ID, "fixture")
	body := mustStatus(t, f.do("clerk", req{method: "GET", path: "/api/v1/members/" + id(f.MA.ID)}), http.StatusOK)
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatal(err)
	}
	if _, ok := m["id_number"]; ok || strings.Contains(body, full) {
		t.Errorf("API member carries the plain 身份证号: %s", body)
	}
	if m["id_masked"] == "" || m["phone"] != "139****5678" {
		t.Errorf("API member masks: %s", body)
	}
	list := mustStatus(t, f.do("clerk", req{method: "GET", path: "/api/v1/members?per_page=200&q=" + url.QueryEscape("张三丰")}), http.StatusOK)
	var l struct {
		Items       []map[string]any `json:"items"`
		Total       int              `json:"total"`
		TotalCapped bool             `json:"total_capped"`
	}
	if err := json.Unmarshal([]byte(list), &l); err != nil || l.Total != 1 || len(l.Items) != 1 || strings.Contains(list, full) {
		t.Errorf("list: %s", list)
	}
	mustStatus(t, f.do("clerk", req{method: "GET", path: "/api/v1/members?per_page=201"}), http.StatusBadRequest)

	// invalid input: 400 with the Chinese message and the fields
	js := fmt.Sprintf(`{"org_id":%d,"name":"","id_number":"123","phone":"1"}`, f.A.ID)
	body = mustStatus(t, f.do("clerk", req{method: "POST", path: "/api/v1/members", json: js}), http.StatusBadRequest)
	var e struct {
		Error apiError `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatal(err)
	}
	if e.Error.Code != "invalid" || e.Error.Fields["name"] == "" || e.Error.Fields["id_number"] == "" || e.Error.Fields["phone"] == "" || e.Error.Message == "" {
		t.Errorf("error body %s", body)
	}
	for _, bad := range []string{`{"name":1}`, `{"nme":"x"}`, `not json`, ``} {
		body := mustStatus(t, f.do("clerk", req{method: "POST", path: "/api/v1/members", json: bad + " ", header: map[string]string{}}), http.StatusBadRequest)
		if !strings.Contains(body, `"code":"invalid"`) {
			t.Errorf("%q: %s", bad, body)
		}
	}
	// anonymous and bad tokens: 401 JSON
	body = mustStatus(t, f.do("anon", req{method: "GET", path: "/api/v1/orgs"}), http.StatusUnauthorized)
	contains(t, body, `"code":"unauthorized"`)
	r := httptest.NewRequest("GET", "/api/v1/orgs", nil)
	r.Header.Set("Authorization", "Bearer nope")
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, r)
	mustStatus(t, w, http.StatusUnauthorized)
	// out of scope: 404 without the record
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: "/api/v1/members/" + id(f.MB.ID)}), http.StatusNotFound)
	if strings.Contains(body, f.MB.Name) {
		t.Error("404 names the member")
	}
	// orgs
	body = mustStatus(t, f.do("admin", req{method: "POST", path: "/api/v1/orgs", json: fmt.Sprintf(`{"parent_id":%d,"name":"新工会小组","kind":"工会小组"}`, f.A.ID)}), http.StatusCreated)
	var o nuanxin.Org
	_ = json.Unmarshal([]byte(body), &o)
	body = mustStatus(t, f.do("admin", req{method: "PATCH", path: "/api/v1/orgs/" + id(o.ID), json: `{"name":"改名小组","parent_id":` + id(f.A1.ID) + `}`}), http.StatusOK)
	contains(t, body, "改名小组", fmt.Sprintf(`"parent_id":%d`, f.A1.ID))
	mustStatus(t, f.do("admin", req{method: "PATCH", path: "/api/v1/orgs/" + id(o.ID), json: `{"kind":"nonsense"}`}), http.StatusBadRequest)
	rels := mustStatus(t, f.do("reviewer", req{method: "GET", path: "/api/v1/members/" + id(f.MA.ID) + "/relatives"}), http.StatusOK)
	contains(t, rels, `"items":[]`)
}

// TestCatalog checks that every ui.* key used by a template or by the Go
// code of this package has a Chinese text, so no key leaks onto a page.
func TestCatalog(t *testing.T) {
	keyRE := regexp.MustCompile(`"(ui\.[a-z0-9_.]+[a-z0-9_])"`)
	seen := 0
	check := func(name string, b []byte) {
		for _, m := range keyRE.FindAllSubmatch(b, -1) {
			k := string(m[1])
			if strings.HasSuffix(k, ".") || k == "ui.field" || k == "ui.flash" {
				continue
			}
			seen++
			if !nuanxin.HasMessage(k) {
				t.Errorf("%s: no message for %s", name, k)
			}
		}
	}
	_ = fs.WalkDir(assets, "templates", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(assets, p)
			check(p, b)
		}
		return nil
	})
	files, _ := filepath.Glob("*.go")
	for _, p := range files {
		if strings.HasSuffix(p, "_test.go") || p == "messages_zh.go" {
			continue
		}
		b, _ := os.ReadFile(p)
		check(p, b)
	}
	if seen < 200 {
		t.Errorf("only %d keys found: the scan is broken", seen)
	}
	for _, e := range nuanxin.Categories {
		if !nuanxin.HasMessage("category." + string(e)) {
			t.Errorf("no label for %s", e)
		}
	}
	for _, a := range auditActions {
		if !nuanxin.HasMessage("audit.action." + a) {
			t.Errorf("no label for audit action %s", a)
		}
	}
}

// TestPagesRender renders every page a chair and an admin reach, so a
// template error shows up here rather than in front of an officer.
func TestPagesRender(t *testing.T) {
	f := newFixture(t)
	r := f.relative(f.MA, "张小宝")
	for _, path := range []string{"/", "/me", "/members", "/members/new", "/members/new?org=" + id(f.A.ID),
		"/members/" + id(f.MA.ID), "/members/" + id(f.MA.ID) + "/edit", "/members/" + id(f.MA.ID) + "/relatives/new",
		fmt.Sprintf("/members/%d/relatives/%d/edit", f.MA.ID, r.ID), "/orgs", "/orgs/" + id(f.A.ID),
		"/users", "/users/new", "/users/" + id(f.UA.ID), "/audit", "/audit?action=member.create&from=2020-01-01&to=2099-01-01&entity=member",
		"/account/password", "/members/import", "/members/print"} {
		body := mustStatus(t, f.do("admin", req{method: "GET", path: path}), http.StatusOK)
		if strings.Contains(body, "ui.") && regexp.MustCompile(`>ui\.[a-z]`).MatchString(body) {
			t.Errorf("%s: a catalog key leaks", path)
		}
		if strings.Contains(body, "%!") {
			t.Errorf("%s: a format verb went wrong", path)
		}
	}
	body := mustStatus(t, f.do("member", req{method: "GET", path: "/me"}), http.StatusOK)
	contains(t, body, f.MA.Name, "张小宝")
	// menus show only what the role may use
	body = mustStatus(t, f.do("reviewer", req{method: "GET", path: "/"}), http.StatusOK)
	for _, hidden := range []string{`href="/users"`, `href="/audit"`, `href="/members/new"`} {
		if strings.Contains(body, hidden) {
			t.Errorf("reviewer sees %s", hidden)
		}
	}
	contains(t, body, `href="/members"`, `href="/orgs"`)
	mustStatus(t, f.do("admin", req{method: "GET", path: "/audit?from=2020-13-01"}), http.StatusUnprocessableEntity)
}

func nowFixed() time.Time { return time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC) }

// failingMembers is a store whose member search breaks, as a lost database
// connection would.
type failingMembers struct {
	nuanxin.MemberService
}

func (failingMembers) FindMembers(context.Context, *nuanxin.Scope, nuanxin.MemberFilter) (*nuanxin.MemberList, error) {
	return nil, errors.New("pq: connection refused at 10.0.0.5 (secret detail)")
}

func TestInternalErrorsAreGeneric(t *testing.T) {
	f := newFixture(t)
	var logged strings.Builder
	f.srv = New(Config{Orgs: f.db, Members: failingMembers{f.db}, Users: f.db, Audit: f.db, Care: f.db, Policy: f.db, Campaigns: f.db, Hardship: f.db, Stats: f.db,
		Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	body := mustStatus(t, f.do("clerk", req{method: "GET", path: "/members"}), http.StatusInternalServerError)
	contains(t, body, html.EscapeString(nuanxin.T("err.internal")), "系统出错了")
	if strings.Contains(body, "secret detail") || strings.Contains(body, "connection refused") {
		t.Error("internal error shown to the user")
	}
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: "/api/v1/members"}), http.StatusInternalServerError)
	if strings.Contains(body, "secret detail") || !strings.Contains(body, `"code":"internal"`) {
		t.Errorf("API internal error: %s", body)
	}
	if !strings.Contains(logged.String(), "secret detail") {
		t.Error("internal error not logged")
	}
}

func TestMethodNotAllowedAndNotFound(t *testing.T) {
	f := newFixture(t)
	body := mustStatus(t, f.do("clerk", req{method: "GET", path: "/logout"}), http.StatusMethodNotAllowed)
	contains(t, body, html.EscapeString(nuanxin.T("ui.err.method")), "<html")
	body = mustStatus(t, f.do("clerk", req{method: "DELETE", path: "/api/v1/members"}), http.StatusMethodNotAllowed)
	contains(t, body, `"code":"method_not_allowed"`)
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: "/no/such/page"}), http.StatusNotFound)
	contains(t, body, "页面不存在", `class="sidebar"`) // inside the layout for a logged-in user
	mustStatus(t, f.do("clerk", req{method: "GET", path: "/members/abc"}), http.StatusNotFound)
	mustStatus(t, f.do("clerk", req{method: "GET", path: "/api/v1/nothing"}), http.StatusNotFound)
}

func TestAuditDiff(t *testing.T) {
	got := diffJSON(`{"name":"张三","phone":"13912345678","category":"active","version":1}`,
		`{"name":"张三","phone":"13987654321","category":"retired","version":2}`)
	want := []change{{"人员类别", "在岗", "退休"}, {"手机", "139****5678", "139****4321"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("diff %v, want %v", got, want)
	}
	if got := diffJSON("not json", ""); len(got) != 1 || got[0].Before != "not json" {
		t.Errorf("raw fallback %v", got)
	}
}

// A 会员 self-service login is tied to the member by 身份证号, within the
// admin's scope only.
func TestUserLinkedToMember(t *testing.T) {
	f := newFixture(t)
	idn := idNumber(next())
	m := &nuanxin.Member{OrgID: f.A.ID, Name: "李自助", IDNumber: idn, Category: nuanxin.CategoryActive}
	if err := f.db.CreateMember(bg, sys, m); err != nil {
		t.Fatal(err)
	}
	post := func(username, idNumber string) *httptest.ResponseRecorder {
		return f.do("admin", req{method: "POST", path: "/users", form: url.Values{"_once": {newToken()},
			"username": {username}, "name": {"李自助"}, "home_org_id": {id(f.A.ID)}, "member_id_number": {idNumber},
			"password": {testPassword}, "password2": {testPassword}}})
	}
	mustStatus(t, post("li.self", idn), http.StatusSeeOther)
	u, err := f.db.FindUserByName(bg, sys, "li.self")
	if err != nil || u.MemberID != m.ID {
		t.Fatalf("linked member: %+v %v", u, err)
	}
	// a member of B (outside the admin of A) is not found, and nothing is created
	idB := idNumber(next())
	if err := f.db.CreateMember(bg, sys, &nuanxin.Member{OrgID: f.B.ID, Name: "王外单位", IDNumber: idB, Category: nuanxin.CategoryActive}); err != nil {
		t.Fatal(err)
	}
	body := mustStatus(t, post("other.self", idB), http.StatusUnprocessableEntity)
	contains(t, body, html.EscapeString(nuanxin.T("member.id.unknown")), `value="other.self"`)
	body = mustStatus(t, post("bad.self", "12345"), http.StatusUnprocessableEntity)
	contains(t, body, `id="e-member_id_number"`)
	if _, err := f.db.FindUserByName(bg, sys, "other.self"); nuanxin.ErrorCode(err) != nuanxin.ENOTFOUND {
		t.Fatalf("user created with an unknown member: %v", err)
	}
}
