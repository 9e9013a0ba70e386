package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/roster"
)

// Roster exports (Excel, CSV) and the printable roster. The store pushes
// members to a callback (ExportMembers) while the roster writers pull them
// (roster.MemberSource); memberStream bridges the two with a goroutine.

const (
	xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	csvType  = "text/csv; charset=utf-8"
	// printCap bounds the printable roster: beyond it, the Excel export.
	printCap = 20000
	// longRequest is the deadline of a large upload or download, beyond the
	// server's ordinary read and write timeouts.
	longRequest = 30 * time.Minute
)

// filterKeys are the query parameters of the member filter that exports and
// the print page carry over from the list.
var filterKeys = []string{"org", "q", "category", "status", "sex", "age", "age_min", "age_max", "month"}

// filterValues keeps only the filter parameters of q that are set.
func filterValues(q url.Values) url.Values {
	v := url.Values{}
	for _, k := range filterKeys {
		if x := strings.TrimSpace(q.Get(k)); x != "" {
			v.Set(k, x)
		}
	}
	return v
}

func (s *Server) streamMembers(ctx context.Context, sc *nuanxin.Scope, f nuanxin.MemberFilter, x nuanxin.MemberExport) *roster.MemberStream {
	return roster.StreamMembers(ctx, func(ctx context.Context, fn func(*nuanxin.Member) error) error {
		_, err := s.members.ExportMembers(ctx, sc, f, x, fn)
		return err
	})
}

// exportName is the file name of a download: 会员名册-发电公司工会-20261124.xlsx.
func (s *Server) exportName(base, org, ext string) string {
	parts := []string{base}
	if org != "" {
		parts = append(parts, org)
	}
	d := s.today()
	parts = append(parts, fmt.Sprintf("%04d%02d%02d", d.Year, int(d.Month), d.Day))
	return strings.Join(parts, "-") + ext
}

// attachment sets Content-Disposition for a download with a Chinese name:
// an ASCII fallback and the RFC 5987 filename* every current browser uses.
func attachment(w http.ResponseWriter, name, fallback string) {
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, fallback, rfc5987(name)))
}

// rfc5987 percent-encodes all but the attr-chars of RFC 5987.
func rfc5987(s string) string {
	const attr = "!#$&+-.^_`|~"
	var b strings.Builder
	for _, c := range []byte(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', strings.IndexByte(attr, c) >= 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// extendDeadlines lets one long upload or download run past the server's
// read and write timeouts (where the server supports it).
func extendDeadlines(w http.ResponseWriter, s *Server) {
	rc := http.NewResponseController(w)
	until := s.now().Add(longRequest)
	_ = rc.SetReadDeadline(until)
	_ = rc.SetWriteDeadline(until)
}

// exportOrgName is the org a filtered export is named after: the filter's
// org, else the caller's own (first grant). It also refuses an org outside
// the caller's reach.
func (s *Server) exportOrgName(r *http.Request, f nuanxin.MemberFilter) (string, error) {
	if f.OrgID == 0 {
		return badgeFor(scopeOf(r)).Org, nil
	}
	o, err := s.orgs.FindOrgByID(r.Context(), scopeOf(r), f.OrgID)
	if err != nil {
		return "", err
	}
	return o.Name, nil
}

func (s *Server) handleExportXLSX(w http.ResponseWriter, r *http.Request) {
	f, _, _ := parseMemberFilter(r.URL.Query())
	s.export(w, r, f, nuanxin.MemberExport{Format: "xlsx"})
}

func (s *Server) handleExportCSV(w http.ResponseWriter, r *http.Request) {
	f, _, _ := parseMemberFilter(r.URL.Query())
	s.export(w, r, f, nuanxin.MemberExport{Format: "csv"})
}

// handleExportUnmasked exports with the full 身份证号 for a stated reason
// (the store checks the permission on the whole selection and audits it).
func (s *Server) handleExportUnmasked(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	f, _, _ := parseMemberFilter(r.PostForm)
	x := nuanxin.MemberExport{Unmasked: true, Reason: strings.TrimSpace(r.PostForm.Get("reason")), Format: r.PostForm.Get("format")}
	var err error
	switch {
	case x.Format != "xlsx" && x.Format != "csv":
		err = nuanxin.Invalid("format", "ui.export.bad_format")
	case x.Reason == "":
		err = nuanxin.Invalid("reason", "member.reveal.reason")
	case len([]rune(x.Reason)) > 200:
		err = nuanxin.Invalid("reason", "err.too_long", 200)
	}
	if err != nil {
		fm := newForm(url.Values{"reason": {x.Reason}, "format": {x.Format}})
		fm.setErr(err)
		s.membersPage(w, r, filterValues(r.PostForm), http.StatusUnprocessableEntity, fm)
		return
	}
	s.export(w, r, f, x)
}

// export streams the members f selects as a workbook or CSV file.
func (s *Server) export(w http.ResponseWriter, r *http.Request, f nuanxin.MemberFilter, x nuanxin.MemberExport) {
	f.Today = s.today()
	orgName, err := s.exportOrgName(r, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	extendDeadlines(w, s)
	st := s.streamMembers(r.Context(), scopeOf(r), f, x)
	defer st.Close()
	if err := st.Ready(); err != nil {
		if isFormErr(err) && x.Unmasked {
			fm := newForm(url.Values{"reason": {x.Reason}, "format": {x.Format}})
			fm.setErr(err)
			s.membersPage(w, r, filterValues(r.PostForm), statusOf(nuanxin.ErrorCode(err), false), fm)
			return
		}
		s.fail(w, r, err)
		return
	}
	base := nuanxin.T("ui.export.file_base")
	if x.Unmasked {
		base = nuanxin.T("ui.export.file_base_full")
	}
	opt := roster.ExportOptions{Unmasked: x.Unmasked, Title: nuanxin.T("ui.print.title", orgName)}
	var write func(io.Writer, []roster.Field, roster.MemberSource, roster.ExportOptions) (int, error)
	if x.Format == "csv" {
		w.Header().Set("Content-Type", csvType)
		attachment(w, s.exportName(base, orgName, ".csv"), "members.csv")
		write = roster.ExportCSV
	} else {
		w.Header().Set("Content-Type", xlsxType)
		attachment(w, s.exportName(base, orgName, ".xlsx"), "members.xlsx")
		write = roster.ExportXLSX
	}
	if _, err := write(w, roster.MemberFields, st.Next, opt); err != nil {
		// The file is half sent: break the connection so the browser
		// reports a failed download instead of saving a broken file.
		if !errors.Is(err, context.Canceled) {
			s.log.Error("export failed", "path", r.URL.Path, "err", err)
		}
		panic(http.ErrAbortHandler)
	}
}

// printData is the printable roster.
type printData struct {
	Title    string
	Date     string
	Filters  []string
	Members  []*nuanxin.Member
	Capped   bool
	Cap      int
	BackHref string
}

var errPrintCap = errors.New("print cap reached")

// handleMembersPrint renders the roster as a page to print (A4 landscape,
// the header repeated on every sheet), outside the app's layout.
func (s *Server) handleMembersPrint(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, _, _ := parseMemberFilter(q)
	f.Today = s.today()
	orgName, err := s.exportOrgName(r, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &printData{Title: nuanxin.T("ui.print.title", orgName), Date: s.today().Chinese(), Cap: printCap,
		Filters: filterSummary(q, f, orgName)}
	back := filterValues(q)
	d.BackHref = "/members"
	if len(back) > 0 {
		d.BackHref += "?" + back.Encode()
	}
	_, err = s.members.ExportMembers(r.Context(), scopeOf(r), f, nuanxin.MemberExport{Format: "print"}, func(m *nuanxin.Member) error {
		if len(d.Members) == printCap {
			d.Capped = true
			return errPrintCap
		}
		d.Members = append(d.Members, m)
		return nil
	})
	if err != nil && !errors.Is(err, errPrintCap) {
		s.fail(w, r, err)
		return
	}
	v := &view{Title: d.Title, D: d, Scope: scopeOf(r), AppVersion: s.version}
	s.execute(w, r, http.StatusOK, "members_print", "print", v)
}

// filterSummary describes the filter in words for the printed roster.
func filterSummary(q url.Values, f nuanxin.MemberFilter, orgName string) []string {
	var out []string
	add := func(label, v string) {
		if v != "" {
			out = append(out, nuanxin.T("ui.print.filter", label, v))
		}
	}
	if f.OrgID != 0 {
		add(nuanxin.T("ui.f.org"), orgName)
	}
	add(nuanxin.T("ui.filter.search"), f.Query)
	if f.Category != "" {
		add(nuanxin.T("ui.f.category"), f.Category.Label())
	}
	if f.Status != "" {
		add(nuanxin.T("ui.f.status"), f.Status.Label())
	}
	if f.Sex != "" {
		add(nuanxin.T("ui.f.sex"), f.Sex.Label())
	}
	for _, b := range ageBands {
		if q.Get("age") == b.Value {
			add(nuanxin.T("ui.f.age_band"), nuanxin.T(b.Key))
		}
	}
	if f.BirthMonth != 0 {
		add(nuanxin.T("ui.f.birth_month"), nuanxin.T("ui.month", f.BirthMonth))
	}
	return out
}
