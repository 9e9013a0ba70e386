// Package web is the HTTP face of 暖心: server-rendered Chinese pages (html/template
// and htmx, every asset embedded) and a JSON API under /api/v1, both calling the
// root service interfaces with the caller's *nuanxin.Scope.
//
// Layout: server.go (wiring, middleware), routes.go (the one route table),
// error.go (error code → HTTP status), render.go (templates), one file per
// capability (auth.go, home.go, org.go, member.go, user.go, audit.go, api.go,
// import.go and jobs.go for roster imports, export.go for exports and the
// printable roster).
package web

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/nuanxin/nuanxin"
)

//go:embed templates static
var assets embed.FS

// Config wires the services into the web server.
type Config struct {
	Orgs    nuanxin.OrgService
	Members nuanxin.MemberService
	Users   nuanxin.UserService
	Audit   nuanxin.AuditService
	Care    nuanxin.CareService
	Policy  nuanxin.PolicyService
	// Campaigns runs 专项活动 (campaign.go).
	Campaigns nuanxin.CampaignService
	// Hardship keeps the 困难职工档案 (hardship.go).
	Hardship nuanxin.HardshipService
	// Stats computes the figures of the 工作台 and the statistics page
	// (home.go, stats.go).
	Stats nuanxin.StatsService
	// Summaries keeps the saved 工作总结 (summary.go).
	Summaries nuanxin.SummaryService
	// PDFFont is the TTF font of 签收表 and 公示 PDFs; "" looks for LXGW
	// WenKai where Debian installs it (report.FindCJKFont).
	PDFFont string

	Version       string
	SecureCookies bool // set the Secure flag on cookies (serve over HTTPS)
	Logger        *slog.Logger
	Now           func() time.Time
	// WithIP, when set, attaches the client address to each request's
	// context so the store records it in audit entries (cmd passes
	// store.WithIP; web does not import the store).
	WithIP func(ctx context.Context, ip string) context.Context
	// UploadDir keeps uploaded rosters while their import job lives (a
	// day at most); default filepath.Join(os.TempDir(), "nuanxin-uploads").
	// It is created (0700) on the first upload.
	UploadDir string
}

// Server is the web application. It is an http.Handler.
type Server struct {
	orgs      nuanxin.OrgService
	members   nuanxin.MemberService
	users     nuanxin.UserService
	audit     nuanxin.AuditService
	care      nuanxin.CareService
	policy    nuanxin.PolicyService
	campaigns nuanxin.CampaignService
	hardship  nuanxin.HardshipService
	stats     nuanxin.StatsService
	summaries nuanxin.SummaryService
	pdfFont   string

	version       string
	secureCookies bool
	log           *slog.Logger
	now           func() time.Time
	withIP        func(context.Context, string) context.Context

	tmpl          map[string]*template.Template
	static        fs.FS
	staticVersion string
	throttle      *throttle
	once          *onceStore
	jobs          *jobRegistry
	maxUpload     int64 // bytes of an uploaded roster
	mux           *http.ServeMux
	handler       http.Handler
}

// SessionCookie is the name of the session cookie.
const SessionCookie = "nuanxin_session"

const flashCookie = "nuanxin_flash"

// New builds the server: templates are parsed and routes registered here, so
// a broken template fails at start-up, not on first use.
func New(cfg Config) *Server {
	s := &Server{
		orgs:          cfg.Orgs,
		members:       cfg.Members,
		users:         cfg.Users,
		audit:         cfg.Audit,
		care:          cfg.Care,
		policy:        cfg.Policy,
		campaigns:     cfg.Campaigns,
		hardship:      cfg.Hardship,
		stats:         cfg.Stats,
		summaries:     cfg.Summaries,
		pdfFont:       cfg.PDFFont,
		version:       cfg.Version,
		secureCookies: cfg.SecureCookies,
		log:           cfg.Logger,
		now:           cfg.Now,
		withIP:        cfg.WithIP,
		throttle:      newThrottle(10, time.Minute, 10000),
		once:          newOnceStore(time.Hour, 200, 10000),
	}
	dir := cfg.UploadDir
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "nuanxin-uploads")
	}
	s.jobs = newJobRegistry(dir, jobTTL, jobsPerUser)
	s.maxUpload = maxUpload
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.version == "" {
		s.version = "dev"
	}
	static, err := fs.Sub(assets, "static")
	if err != nil {
		panic(err)
	}
	s.static = static
	s.staticVersion = hashFS(static)
	s.tmpl = s.parseTemplates()

	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.Handle(rt.Method+" "+rt.Pattern, s.wrap(rt))
	}
	mux.Handle("/", s.wrap(route{Access: accessOptional, handler: s.handleNotFound}))

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusForbidden, nuanxin.T("ui.err.cross_origin"))
	}))
	s.mux = mux
	s.handler = s.secure(cop.Handler(mux))
	return s
}

// Handler returns the root handler (the server itself).
func (s *Server) Handler() http.Handler { return s }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// today is the civil date in Asia/Shanghai by the configured clock.
func (s *Server) today() nuanxin.Date { return nuanxin.DateOf(s.now().In(nuanxin.Shanghai)) }

// secure adds the security headers every response carries and bounds bodies.
func (s *Server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.bodyLimit(r))
		if s.withIP != nil {
			r = r.WithContext(s.withIP(r.Context(), clientIP(r)))
		}
		next.ServeHTTP(w, r)
	})
}

// bodyLimit bounds a request body: 1 MB for forms and JSON, more for the
// roster upload (whose handler enforces the exact limit with a message).
func (s *Server) bodyLimit(r *http.Request) int64 {
	if r.Method == http.MethodPost && (r.URL.Path == "/members/import" || r.URL.Path == "/care/import") {
		return s.maxUpload + 1<<20
	}
	if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/care/batches/") && strings.HasSuffix(r.URL.Path, "/scan") {
		return nuanxin.MaxAttachment + 1<<20 // the signed sheet's scan (care_pay.go)
	}
	if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/care/") && strings.HasSuffix(r.URL.Path, "/attachments") {
		return nuanxin.MaxAttachment + 1<<20 // a photo of a visit; the store gives the message beyond the limit
	}
	return 1 << 20
}

// Context values.
type ctxKey int

const (
	ctxScope ctxKey = iota
	ctxSession
	ctxSessionKey
	ctxMultipart
)

func scopeOf(r *http.Request) *nuanxin.Scope {
	s, _ := r.Context().Value(ctxScope).(*nuanxin.Scope)
	return s
}

func sessionOf(r *http.Request) *nuanxin.Session {
	s, _ := r.Context().Value(ctxSession).(*nuanxin.Session)
	return s
}

// sessionKey identifies the browser session without keeping its token: the
// hex SHA-256 of the cookie value.
func sessionKey(r *http.Request) string {
	k, _ := r.Context().Value(ctxSessionKey).(string)
	return k
}

func withAuth(r *http.Request, scope *nuanxin.Scope, sess *nuanxin.Session, key string) *http.Request {
	ctx := context.WithValue(r.Context(), ctxScope, scope)
	if sess != nil {
		ctx = context.WithValue(ctx, ctxSession, sess)
		ctx = context.WithValue(ctx, ctxSessionKey, key)
	}
	return r.WithContext(ctx)
}

func hashToken(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

// clientIP is the peer address. 暖心 does not trust X-Forwarded-For: a proxy in
// front should be configured to pass the real peer (e.g. PROXY protocol).
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func isHTMX(r *http.Request) bool {
	return r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-History-Restore-Request") != "true"
}

// redirect answers a POST with 303, or with HX-Redirect for htmx requests so
// the browser loads the whole page.
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	if isHTMX(r) {
		w.Header().Set("HX-Redirect", to)
		w.WriteHeader(http.StatusOK)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// setFlash leaves a one-line message (a ui.flash.* catalog key) for the next page.
func (s *Server) setFlash(w http.ResponseWriter, key string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: key, Path: "/", MaxAge: 60,
		HttpOnly: true, Secure: s.secureCookies, SameSite: http.SameSiteLaxMode})
}

// takeFlash reads and clears the flash; only ui.flash.* keys are honoured.
func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secureCookies, SameSite: http.SameSiteLaxMode})
	if !strings.HasPrefix(c.Value, "ui.flash.") || !nuanxin.HasMessage(c.Value) {
		return ""
	}
	return nuanxin.T(c.Value)
}

// localPath accepts only same-site paths for ?next= (no //host, no scheme).
func localPath(p string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return p
}

func hashFS(fsys fs.FS) string {
	h := sha256.New()
	_ = fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		h.Write([]byte(path))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}
