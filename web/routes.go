package web

import (
	"context"
	"crypto/subtle"
	"io"
	"io/fs"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"

	"github.com/nuanxin/nuanxin"
)

// access says who may reach a route.
type access int

const (
	accessPublic   access = iota // anyone: login, static assets
	accessOptional               // anyone; the scope is loaded when there is a session (404 page)
	accessPage                   // a logged-in browser; anonymous → 303 /login
	accessAPI                    // Bearer token or session; anonymous → 401 JSON
)

// route is one entry of the route table. The table is the single source: New
// registers it on the mux and the permission test walks it, so a route without
// a test row fails the test.
type route struct {
	Method  string
	Pattern string
	Access  access
	// Perm must be held somewhere in the caller's scope: without it a list
	// answers 403 and a record 404 (it does not exist for this caller). With
	// it, the store decides on the record itself (out of scope → 404).
	Perm    nuanxin.Perm
	handler http.HandlerFunc
}

func (rt route) onRecord() bool { return strings.Contains(rt.Pattern, "{id}") }

func (s *Server) routes() []route {
	return []route{
		{"GET", "/static/{file...}", accessPublic, "", s.handleStatic},
		{"GET", "/login", accessPublic, "", s.handleLoginForm},
		{"POST", "/login", accessPublic, "", s.handleLogin},
		{"POST", "/logout", accessPage, "", s.handleLogout},
		{"GET", "/account/password", accessPage, "", s.handlePasswordForm},
		{"POST", "/account/password", accessPage, "", s.handlePassword},

		{"GET", "/{$}", accessPage, "", s.handleHome},
		{"GET", "/me", accessPage, "", s.handleMe},

		{"GET", "/members", accessPage, nuanxin.PermMemberRead, s.handleMembers},
		{"GET", "/members/new", accessPage, nuanxin.PermMemberWrite, s.handleMemberNew},
		{"POST", "/members", accessPage, nuanxin.PermMemberWrite, s.handleMemberCreate},
		{"POST", "/members/receive", accessPage, nuanxin.PermMemberWrite, s.handleMemberReceive},
		{"GET", "/members/import", accessPage, nuanxin.PermMemberWrite, s.handleImportForm},
		{"POST", "/members/import", accessPage, nuanxin.PermMemberWrite, s.handleImportUpload},
		{"GET", "/members/template.xlsx", accessPage, nuanxin.PermMemberWrite, s.handleImportTemplate},
		{"GET", "/members/export.xlsx", accessPage, nuanxin.PermExport, s.handleExportXLSX},
		{"GET", "/members/export.csv", accessPage, nuanxin.PermExport, s.handleExportCSV},
		{"POST", "/members/export", accessPage, nuanxin.PermRevealID, s.handleExportUnmasked},
		{"GET", "/members/print", accessPage, nuanxin.PermExport, s.handleMembersPrint},
		{"GET", "/members/{id}", accessPage, nuanxin.PermMemberRead, s.handleMember},
		{"GET", "/members/{id}/edit", accessPage, nuanxin.PermMemberWrite, s.handleMemberEdit},
		{"POST", "/members/{id}/edit", accessPage, nuanxin.PermMemberWrite, s.handleMemberUpdate},
		{"POST", "/members/{id}/reveal", accessPage, nuanxin.PermRevealID, s.handleMemberReveal},
		{"POST", "/members/{id}/events", accessPage, nuanxin.PermMemberWrite, s.handleMemberEvent},
		{"GET", "/members/{id}/relatives/new", accessPage, nuanxin.PermMemberWrite, s.handleRelativeNew},
		{"POST", "/members/{id}/relatives", accessPage, nuanxin.PermMemberWrite, s.handleRelativeCreate},
		{"GET", "/members/{id}/relatives/{rid}/edit", accessPage, nuanxin.PermMemberWrite, s.handleRelativeEdit},
		{"POST", "/members/{id}/relatives/{rid}/edit", accessPage, nuanxin.PermMemberWrite, s.handleRelativeUpdate},
		{"POST", "/members/{id}/relatives/{rid}/delete", accessPage, nuanxin.PermMemberWrite, s.handleRelativeDelete},
		// 困难职工档案 (hardship.go).
		{"POST", "/members/{id}/hardship", accessPage, nuanxin.PermCareWrite, s.handleHardshipRegister},
		{"POST", "/members/{id}/hardship/{hid}/close", accessPage, nuanxin.PermCareWrite, s.handleHardshipClose},
		{"GET", "/hardship", accessPage, nuanxin.PermCareRead, s.handleHardshipList},

		{"GET", "/imports/{id}", accessPage, nuanxin.PermMemberWrite, s.handleImportJob},
		{"GET", "/imports/{id}/progress", accessPage, nuanxin.PermMemberWrite, s.handleImportProgress},
		{"POST", "/imports/{id}/options", accessPage, nuanxin.PermMemberWrite, s.handleImportOptions},
		{"POST", "/imports/{id}/check", accessPage, nuanxin.PermMemberWrite, s.handleImportCheck},
		{"POST", "/imports/{id}/commit", accessPage, nuanxin.PermMemberWrite, s.handleImportCommit},
		{"GET", "/imports/{id}/rejected.xlsx", accessPage, nuanxin.PermMemberWrite, s.handleImportRejected},

		// 发放 batches, 签收表 and 公示 (care_pay.go).
		{"GET", "/care/batches", accessPage, nuanxin.PermCareRead, s.handlePayBatches},
		{"GET", "/care/batches/new", accessPage, nuanxin.PermCarePay, s.handlePayNew},
		{"POST", "/care/batches", accessPage, nuanxin.PermCarePay, s.handlePayCreate},
		{"GET", "/care/batches/{id}", accessPage, nuanxin.PermCareRead, s.handlePayBatch},
		{"POST", "/care/batches/{id}/sign", accessPage, nuanxin.PermCarePay, s.handlePaySign},
		{"POST", "/care/batches/{id}/scan", accessPage, nuanxin.PermCarePay, s.handlePayScan},
		{"POST", "/care/batches/{id}/notice", accessPage, nuanxin.PermCarePay, s.handlePayNotice},
		{"GET", "/care/batches/{id}/signoff", accessPage, nuanxin.PermCareRead, s.handlePaySignoff},
		{"GET", "/care/batches/{id}/signoff.pdf", accessPage, nuanxin.PermCareRead, s.handlePaySignoffPDF},
		{"GET", "/care/batches/{id}/notice", accessPage, nuanxin.PermCareRead, s.handlePayNoticePrint},
		{"GET", "/care/batches/{id}/notice.pdf", accessPage, nuanxin.PermCareRead, s.handlePayNoticePDF},
		// 慰问标准 (policy.go).
		{"GET", "/policy", accessPage, nuanxin.PermCareRead, s.handlePolicy},
		{"GET", "/policy/packs/{code}", accessPage, nuanxin.PermCareRead, s.handlePolicyPack},
		{"POST", "/policy/adopt", accessPage, nuanxin.PermPolicyManage, s.handlePolicyAdopt},
		{"POST", "/policy/adoption/remove", accessPage, nuanxin.PermPolicyManage, s.handlePolicyUnadopt},
		{"GET", "/policy/rules/new", accessPage, nuanxin.PermPolicyManage, s.handlePolicyRuleForm},
		{"POST", "/policy/rules", accessPage, nuanxin.PermPolicyManage, s.handlePolicyRuleSave},
		{"POST", "/policy/rules/{id}/delete", accessPage, nuanxin.PermPolicyManage, s.handlePolicyRuleDelete},
		{"POST", "/policy/settings", accessPage, nuanxin.PermPolicyManage, s.handlePolicySettings},
		// 历史慰问记录导入 (care_import.go), on the import jobs of jobs.go.
		{"GET", "/care/import", accessPage, nuanxin.PermCareWrite, s.handleCareImportForm},
		{"POST", "/care/import", accessPage, nuanxin.PermCareWrite, s.handleCareImportUpload},
		{"GET", "/care/import/template.xlsx", accessPage, nuanxin.PermCareWrite, s.handleCareImportTemplate},
		{"GET", "/care/import/{id}", accessPage, nuanxin.PermCareWrite, s.handleCareImportJob},
		{"GET", "/care/import/{id}/progress", accessPage, nuanxin.PermCareWrite, s.handleCareImportProgress},
		{"POST", "/care/import/{id}/options", accessPage, nuanxin.PermCareWrite, s.handleCareImportOptions},
		{"POST", "/care/import/{id}/check", accessPage, nuanxin.PermCareWrite, s.handleCareImportCheck},
		{"POST", "/care/import/{id}/commit", accessPage, nuanxin.PermCareWrite, s.handleCareImportCommit},
		{"GET", "/care/import/{id}/rejected.xlsx", accessPage, nuanxin.PermCareWrite, s.handleCareImportRejected},

		// 工作总结 (summary.go).
		{"GET", "/reports", accessPage, nuanxin.PermReportRead, s.handleReports},
		{"POST", "/reports", accessPage, nuanxin.PermReportWrite, s.handleReportCreate},
		{"GET", "/reports/{id}", accessPage, nuanxin.PermReportRead, s.handleReport},
		{"POST", "/reports/{id}", accessPage, nuanxin.PermReportWrite, s.handleReportSave},
		{"POST", "/reports/{id}/delete", accessPage, nuanxin.PermReportWrite, s.handleReportDelete},
		{"GET", "/reports/{id}/summary.docx", accessPage, nuanxin.PermReportRead, s.handleReportDocx},
		{"GET", "/reports/{id}/summary.md", accessPage, nuanxin.PermReportRead, s.handleReportMarkdown},
		{"GET", "/reports/{id}/print", accessPage, nuanxin.PermReportRead, s.handleReportPrint},

		{"GET", "/orgs", accessPage, nuanxin.PermOrgRead, s.handleOrgs},
		{"POST", "/orgs", accessPage, nuanxin.PermOrgManage, s.handleOrgCreate},
		{"GET", "/orgs/{id}", accessPage, nuanxin.PermOrgManage, s.handleOrg},
		{"POST", "/orgs/{id}/edit", accessPage, nuanxin.PermOrgManage, s.handleOrgUpdate},
		{"POST", "/orgs/{id}/move", accessPage, nuanxin.PermOrgManage, s.handleOrgMove},
		{"POST", "/orgs/{id}/close", accessPage, nuanxin.PermOrgManage, s.handleOrgClose},
		{"POST", "/orgs/{id}/reopen", accessPage, nuanxin.PermOrgManage, s.handleOrgReopen},
		{"POST", "/orgs/{id}/delete", accessPage, nuanxin.PermOrgManage, s.handleOrgDelete},

		{"GET", "/users", accessPage, nuanxin.PermUserManage, s.handleUsers},
		{"GET", "/users/new", accessPage, nuanxin.PermUserManage, s.handleUserNew},
		{"POST", "/users", accessPage, nuanxin.PermUserManage, s.handleUserCreate},
		{"GET", "/users/{id}", accessPage, nuanxin.PermUserManage, s.handleUser},
		{"POST", "/users/{id}/grants", accessPage, nuanxin.PermUserManage, s.handleUserGrant},
		{"POST", "/users/{id}/grants/{gid}/revoke", accessPage, nuanxin.PermUserManage, s.handleUserRevoke},
		{"POST", "/users/{id}/password", accessPage, nuanxin.PermUserManage, s.handleUserPassword},
		{"POST", "/users/{id}/disable", accessPage, nuanxin.PermUserManage, s.handleUserDisable},
		{"POST", "/users/{id}/enable", accessPage, nuanxin.PermUserManage, s.handleUserEnable},
		{"POST", "/users/{id}/unlock", accessPage, nuanxin.PermUserManage, s.handleUserUnlock},
		{"POST", "/users/{id}/tokens", accessPage, nuanxin.PermUserManage, s.handleUserToken},

		{"GET", "/audit", accessPage, nuanxin.PermAuditRead, s.handleAudit},

		// 统计 (stats.go).
		{"GET", "/stats", accessPage, nuanxin.PermReportRead, s.handleStats},
		{"GET", "/stats/export.xlsx", accessPage, nuanxin.PermReportRead, s.handleStatsXLSX},

		// 慰问 cases (care.go, api_care.go). A case's own pages are /care/{id}/…
		// for POSTs; its edit form is /care/edit/{id}, since GET /care/{id}/edit
		// would clash with GET /care/batches/{id} on the mux.
		{"GET", "/care", accessPage, nuanxin.PermCareRead, s.handleCareList},
		{"POST", "/care/transition", accessPage, nuanxin.PermCareRead, s.handleCareListAction},
		{"GET", "/care/new", accessPage, nuanxin.PermCareWrite, s.handleCareNew},
		{"POST", "/care", accessPage, nuanxin.PermCareWrite, s.handleCareCreate},
		{"POST", "/care/check", accessPage, nuanxin.PermCareWrite, s.handleCareCheck},
		{"GET", "/care/members", accessPage, nuanxin.PermCareWrite, s.handleCareMembers},
		{"GET", "/care/batch", accessPage, nuanxin.PermCareWrite, s.handleCareBulkForm},
		{"POST", "/care/batch", accessPage, nuanxin.PermCareWrite, s.handleCareBulkSave},
		{"GET", "/care/todo", accessPage, nuanxin.PermCareRead, s.handleCareTodo},
		// 专项活动 (campaign.go).
		{"GET", "/campaigns", accessPage, nuanxin.PermCareRead, s.handleCampaigns},
		{"GET", "/campaigns/new", accessPage, nuanxin.PermCareWrite, s.handleCampaignNew},
		{"POST", "/campaigns", accessPage, nuanxin.PermCareWrite, s.handleCampaignCreate},
		{"GET", "/campaigns/{id}", accessPage, nuanxin.PermCareRead, s.handleCampaign},
		{"GET", "/campaigns/{id}/edit", accessPage, nuanxin.PermCareWrite, s.handleCampaignEdit},
		{"POST", "/campaigns/{id}/edit", accessPage, nuanxin.PermCareWrite, s.handleCampaignUpdate},
		{"POST", "/campaigns/{id}/roster", accessPage, nuanxin.PermCareWrite, s.handleCampaignRoster},
		{"POST", "/campaigns/{id}/approve", accessPage, nuanxin.PermCareApprove, s.handleCampaignApprove},
		{"POST", "/campaigns/{id}/close", accessPage, nuanxin.PermCareWrite, s.handleCampaignClose},
		{"POST", "/campaigns/{id}/recipients", accessPage, nuanxin.PermCareWrite, s.handleCampaignAdd},
		{"POST", "/campaigns/{id}/recipients/{cid}/remove", accessPage, nuanxin.PermCareWrite, s.handleCampaignRemove},
		{"POST", "/campaigns/{id}/receive", accessPage, nuanxin.PermCareWrite, s.handleCampaignReceive},
		{"GET", "/campaigns/{id}/tasks", accessPage, nuanxin.PermCarePay, s.handleCampaignTasks},
		{"POST", "/campaigns/{id}/deliver", accessPage, nuanxin.PermCarePay, s.handleCampaignDeliver},
		{"GET", "/campaigns/{id}/signoff", accessPage, nuanxin.PermCareRead, s.handleCampaignSignoff},
		{"GET", "/campaigns/{id}/summary.xlsx", accessPage, nuanxin.PermCareRead, s.handleCampaignSummaryXLSX},
		{"POST", "/campaigns/{id}/orgs", accessPage, nuanxin.PermCareWrite, s.handleCampaignOrgsAdd},
		{"POST", "/campaigns/{id}/orgs/deliver", accessPage, nuanxin.PermCarePay, s.handleCampaignOrgsDeliver},
		{"GET", "/campaigns/{id}/orgs/signoff", accessPage, nuanxin.PermCareRead, s.handleCampaignOrgsSignoff},
		{"GET", "/campaigns/{id}/notice", accessPage, nuanxin.PermCareRead, s.handleCampaignNotice},
		{"GET", "/care/{id}", accessPage, nuanxin.PermCareRead, s.handleCareDetail},
		{"GET", "/care/edit/{id}", accessPage, nuanxin.PermCareWrite, s.handleCareEdit},
		{"POST", "/care/{id}/edit", accessPage, nuanxin.PermCareWrite, s.handleCareUpdate},
		{"POST", "/care/{id}/transition", accessPage, nuanxin.PermCareRead, s.handleCareTransition},
		{"POST", "/care/{id}/visit", accessPage, nuanxin.PermCareWrite, s.handleCareVisit},
		{"POST", "/care/{id}/attachments", accessPage, nuanxin.PermCareWrite, s.handleCareAttach},
		{"GET", "/attachments/{id}", accessPage, nuanxin.PermCareRead, s.handleAttachment},
		{"GET", "/api/v1/care", accessAPI, nuanxin.PermCareRead, s.apiCareList},
		{"POST", "/api/v1/care", accessAPI, nuanxin.PermCareWrite, s.apiCareCreate},
		{"POST", "/api/v1/care/check", accessAPI, nuanxin.PermCareWrite, s.apiCareCheck},
		{"GET", "/api/v1/care/todo", accessAPI, nuanxin.PermCareRead, s.apiCareTodo},
		{"GET", "/api/v1/care/{id}", accessAPI, nuanxin.PermCareRead, s.apiCare},
		{"POST", "/api/v1/care/{id}/transition", accessAPI, nuanxin.PermCareRead, s.apiCareTransition},

		{"GET", "/api/v1/orgs", accessAPI, nuanxin.PermOrgRead, s.apiOrgs},
		{"POST", "/api/v1/orgs", accessAPI, nuanxin.PermOrgManage, s.apiOrgCreate},
		{"GET", "/api/v1/orgs/{id}", accessAPI, nuanxin.PermOrgRead, s.apiOrg},
		{"PATCH", "/api/v1/orgs/{id}", accessAPI, nuanxin.PermOrgManage, s.apiOrgUpdate},
		{"GET", "/api/v1/members", accessAPI, nuanxin.PermMemberRead, s.apiMembers},
		{"POST", "/api/v1/members", accessAPI, nuanxin.PermMemberWrite, s.apiMemberCreate},
		{"GET", "/api/v1/members/{id}", accessAPI, nuanxin.PermMemberRead, s.apiMember},
		{"PUT", "/api/v1/members/{id}", accessAPI, nuanxin.PermMemberWrite, s.apiMemberUpdate},
		{"GET", "/api/v1/members/{id}/relatives", accessAPI, nuanxin.PermMemberRead, s.apiRelatives},
	}
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// wrap applies authentication, the CSRF token check and the coarse permission
// check of the route table before the handler runs.
func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt.Access == accessPublic {
			rt.handler(w, r)
			return
		}
		if rt.Access == accessAPI {
			s.serveAPI(rt, w, r)
			return
		}
		scope, sess, key, err := s.sessionAuth(w, r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if scope == nil {
			if rt.Access == accessOptional {
				rt.handler(w, r)
				return
			}
			s.toLogin(w, r)
			return
		}
		r = withAuth(r, scope, sess, key)
		if rt.Access == accessOptional {
			rt.handler(w, r)
			return
		}
		if unsafeMethod(r.Method) {
			ok := false
			if isMultipart(r) && r.Header.Get("X-CSRF-Token") == "" {
				r, ok = multipartCSRF(r, sess)
			} else {
				ok = csrfOK(r, sess)
			}
			if !ok {
				s.renderError(w, r, http.StatusForbidden, nuanxin.T("ui.err.csrf"))
				return
			}
		}
		if err := permCheck(rt, scope); err != nil {
			s.fail(w, r, err)
			return
		}
		rt.handler(w, r)
	})
}

// sessionAuth resolves the session cookie. A missing, expired or unknown
// session is anonymous (and the stale cookie is cleared); only a failing
// store is an error.
func (s *Server) sessionAuth(w http.ResponseWriter, r *http.Request) (*nuanxin.Scope, *nuanxin.Session, string, error) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil, "", nil
	}
	sess, scope, err := s.users.SessionScope(r.Context(), c.Value)
	if err != nil || scope == nil || sess == nil {
		switch nuanxin.ErrorCode(err) {
		case nuanxin.EINTERNAL:
			if err != nil {
				return nil, nil, "", err
			}
		}
		s.clearSessionCookie(w)
		return nil, nil, "", nil
	}
	return scope, sess, hashToken(c.Value), nil
}

// csrfOK checks the per-session token from the form field or the htmx header.
func csrfOK(r *http.Request, sess *nuanxin.Session) bool {
	if sess == nil || sess.CSRFToken == "" {
		return false
	}
	tok := r.Header.Get("X-CSRF-Token")
	if tok == "" {
		tok = r.PostFormValue("csrf_token")
	}
	return tok != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(sess.CSRFToken)) == 1
}

func isMultipart(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "multipart/form-data"
}

// multipartCSRF checks the token of an upload form without reading the
// upload: the token must be the form's first field (the templates put it
// first, browsers send fields in document order). The multipart reader,
// positioned after the token, goes to the handler through the context, so
// the file streams to disk once instead of being parsed up front.
func multipartCSRF(r *http.Request, sess *nuanxin.Session) (*http.Request, bool) {
	if sess == nil || sess.CSRFToken == "" {
		return r, false
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return r, false
	}
	p, err := mr.NextPart()
	if err != nil || p.FormName() != "csrf_token" {
		return r, false
	}
	tok, err := io.ReadAll(io.LimitReader(p, 256))
	if err != nil || len(tok) == 0 || subtle.ConstantTimeCompare(tok, []byte(sess.CSRFToken)) != 1 {
		return r, false
	}
	return r.WithContext(context.WithValue(r.Context(), ctxMultipart, mr)), true
}

// multipartOf is the multipart reader of an upload, after the CSRF token.
func multipartOf(r *http.Request) (*multipart.Reader, error) {
	if mr, ok := r.Context().Value(ctxMultipart).(*multipart.Reader); ok {
		return mr, nil
	}
	return r.MultipartReader()
}

// toLogin sends an anonymous browser to the login page, remembering where it
// was going for GET requests.
func (s *Server) toLogin(w http.ResponseWriter, r *http.Request) {
	to := "/login"
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		to += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	redirect(w, r, to)
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secureCookies, SameSite: http.SameSiteLaxMode})
}

func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	if strings.Contains(name, "..") {
		s.handleNotFound(w, r)
		return
	}
	if r.URL.Query().Get("v") != "" {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=3600")
	}
	st, err := fs.Stat(s.static, name)
	if err != nil || st.IsDir() {
		http.NotFound(w, r)
		return
	}
	http.ServeFileFS(w, r, s.static, name)
}

// handleNotFound answers what no route matched: 405 when the path exists for
// another method (the catch-all hides the mux's own 405), else 404.
func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		if m == r.Method || s.mux == nil {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/" {
			if strings.HasPrefix(r.URL.Path, "/api/") {
				writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"error": apiError{Code: "method_not_allowed", Message: nuanxin.T("ui.err.method")}})
				return
			}
			s.renderError(w, r, http.StatusMethodNotAllowed, nuanxin.T("ui.err.method"))
			return
		}
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		s.apiFail(w, r, nuanxin.Errorf(nuanxin.ENOTFOUND, "ui.err.no_such_page"))
		return
	}
	s.renderError(w, r, http.StatusNotFound, nuanxin.T("ui.err.no_such_page"))
}
