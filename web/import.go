package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/roster"
)

// Roster import: upload → inspect (sheet, header, column mapping) → dry run
// → report → commit, each phase a background job (jobs.go).

const (
	reportErrorRows   = 200 // rejected-row reasons shown on the page
	reportUpdateRows  = 100
	reportCreatedRows = 50
)

func encodingOptions() []option {
	return []option{{"", nuanxin.T("ui.import.enc.auto")}, {"utf-8", "UTF-8"}, {"gb18030", nuanxin.T("ui.import.enc.gbk")}}
}

// importFlow is what tells one kind of import from another: the roster
// import and the care import share the job flow and the pages, and differ
// in these. The exported fields are for the templates.
type importFlow struct {
	Kind string // importJob.Kind
	Care bool   // the care import: its own wording and report on the pages
	Keys string // the prefix of its pages' message keys
	Home string // the upload page
	Base string // the job pages, before the job ID

	nav         string
	logMsg      string // a failed phase's log line
	checkAtOnce bool   // the dry run starts on upload
	orgs        func(*Server, context.Context, *nuanxin.Scope) ([]*nuanxin.Org, error)
	org         func(*Server, context.Context, *nuanxin.Scope, int64) (*nuanxin.Org, error)
	inspect     func(string, roster.ImportOptions) (*roster.Inspection, error)
	fileErr     func(error) error
	fields      func() []option
	runner      func(s *Server, sc *nuanxin.Scope, j *importJob, commit bool) runFunc
}

// runFunc is one phase of an import job.
type runFunc = func(context.Context, roster.ImportOptions, func(nuanxin.ImportProgress)) (*nuanxin.ImportReport, error)

// rosterImport is the roster import's flow.
var rosterImport = &importFlow{
	Keys: "ui.import.", Home: "/members/import", Base: "/imports/",
	nav: "members", logMsg: "import failed",
	orgs: (*Server).writableOrgs,
	org: func(s *Server, ctx context.Context, sc *nuanxin.Scope, id int64) (*nuanxin.Org, error) {
		return s.openOrg(ctx, sc, id, nuanxin.PermMemberWrite, "member.org.closed")
	},
	inspect: roster.Inspect,
	fileErr: fileErr,
	fields:  fieldOptions,
	runner: func(s *Server, sc *nuanxin.Scope, j *importJob, commit bool) runFunc {
		return s.runner(sc, j, !commit)
	},
}

// importFormData is the upload page.
type importFormData struct {
	K         *importFlow
	Form      *form
	Orgs      []option
	Encodings []option
	Jobs      []*jobView
	MaxMB     int
	MaxBytes  int64
}

func (s *Server) uploadForm(w http.ResponseWriter, r *http.Request, status int, f *form, k *importFlow) {
	sc := scopeOf(r)
	orgs, err := k.orgs(s, r.Context(), sc)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if f.Get("org_id") == "" && len(orgs) > 0 {
		f.V.Set("org_id", strconv.FormatInt(orgs[0].ID, 10))
	}
	d := &importFormData{K: k, Form: f, Orgs: orgOptions(orgs), Encodings: encodingOptions(),
		Jobs: jobsOfKind(s.jobs.list(sc.UserID, s.now()), k.Kind), MaxMB: int(max(1, s.maxUpload>>20)), MaxBytes: s.maxUpload}
	s.page(w, r, status, "import", nuanxin.T(k.Keys+"title"), k.nav, d)
}

func (s *Server) handleImportForm(w http.ResponseWriter, r *http.Request) {
	s.uploadForm(w, r, http.StatusOK, newForm(url.Values{"org_id": {r.URL.Query().Get("org")}}), rosterImport)
}

// upload is what the upload form sent.
type upload struct {
	fields url.Values
	name   string // the file's name as uploaded
	dir    string // the job directory holding it
	path   string
	size   int64
	head   []byte
}

// tooLarge refuses an upload over the limit (413), in the limit's words.
func (s *Server) tooLarge() error {
	return nuanxin.Invalid("file", "ui.import.too_large", max(1, s.maxUpload>>20))
}

func isTooLarge(err error) bool {
	var e *nuanxin.Error
	return errors.As(err, &e) && e.Key == "ui.import.too_large"
}

// readUpload streams the multipart form: small fields into memory, the
// file straight to a fresh directory under the upload dir, at most
// maxUpload bytes. On error nothing is left on disk.
func (s *Server) readUpload(r *http.Request) (*upload, error) {
	mr, err := multipartOf(r)
	if err != nil {
		return &upload{fields: url.Values{}}, nuanxin.Invalid("file", "ui.import.no_file")
	}
	up := &upload{fields: url.Values{}}
	// on error the fields come back for the form, the file is gone
	fail := func(err error) (*upload, error) {
		if up.dir != "" {
			_ = os.RemoveAll(up.dir)
		}
		up.dir, up.path = "", ""
		return up, err
	}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return fail(s.tooLarge())
			}
			return fail(nuanxin.Invalid("file", "ui.import.upload_failed"))
		}
		name := p.FormName()
		if name != "file" {
			v, err := io.ReadAll(io.LimitReader(p, 4096))
			if err != nil || len(up.fields) > 20 {
				return fail(nuanxin.Invalid("file", "ui.import.upload_failed"))
			}
			up.fields.Add(name, string(v))
			continue
		}
		if p.FileName() == "" || up.dir != "" {
			continue
		}
		if up.dir, err = s.jobs.newDir(); err != nil {
			return fail(err)
		}
		up.name = cleanFileName(p.FileName())
		up.path = filepath.Join(up.dir, up.name)
		out, err := os.OpenFile(up.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return fail(err)
		}
		n, err := io.Copy(out, io.LimitReader(p, s.maxUpload+1))
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		up.size = n
		var mbe *http.MaxBytesError
		switch {
		case n > s.maxUpload, errors.As(err, &mbe):
			return fail(s.tooLarge())
		case err != nil:
			return fail(nuanxin.Invalid("file", "ui.import.upload_failed"))
		}
	}
	if up.dir == "" {
		return fail(nuanxin.Invalid("file", "ui.import.no_file"))
	}
	if f, err := os.Open(up.path); err == nil {
		up.head = make([]byte, 4)
		n, _ := io.ReadFull(f, up.head)
		up.head = up.head[:n]
		f.Close()
	}
	return up, nil
}

// cleanFileName keeps the uploaded name for display and for the roster
// reader's messages, made safe as one path element.
func cleanFileName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r == '/' || r == 0 || unicode.IsControl(r) {
			return -1
		}
		return r
	}, strings.TrimSpace(name))
	if !utf8.ValidString(name) {
		name = strings.ToValidUTF8(name, "")
	}
	if name == "" || name == "." || name == ".." {
		name = "roster"
	}
	if r := []rune(name); len(r) > 80 {
		ext := filepath.Ext(name)
		if len([]rune(ext)) > 10 {
			ext = ""
		}
		name = string(r[:80-len([]rune(ext))]) + ext
	}
	return name
}

// handleImportUpload saves the file, inspects it and opens a job.
func (s *Server) handleImportUpload(w http.ResponseWriter, r *http.Request) {
	s.importUpload(w, r, rosterImport)
}

// importUpload saves the file, inspects it and opens a job of kind k.
func (s *Server) importUpload(w http.ResponseWriter, r *http.Request, k *importFlow) {
	sc, ctx := scopeOf(r), r.Context()
	extendDeadlines(w, s)
	s.jobs.sweep(s.now())
	up, err := s.readUpload(r)
	f := newForm(up.fields)
	var org *nuanxin.Org
	if err == nil {
		org, err = k.org(s, ctx, sc, formInt(f.Get("org_id")))
	}
	var insp *roster.Inspection
	opt := roster.ImportOptions{Sheet: -1, Encoding: f.Get("encoding")}
	if !validOpt(opt.Encoding, encodingOptions()) {
		opt.Encoding = ""
	}
	if err == nil {
		if insp, err = k.inspect(up.path, opt); err != nil {
			err = k.fileErr(err)
		}
	}
	if err != nil {
		if up.dir != "" {
			_ = os.RemoveAll(up.dir)
		}
		if !isFormErr(err) {
			s.fail(w, r, err)
			return
		}
		f.E = nuanxin.AsFieldErrors(err)
		if f.Err("org_id") == "" {
			f.Summary = userMessage(err) // the file's problem, at the top of the form
		}
		status := http.StatusUnprocessableEntity
		if isTooLarge(err) {
			status = http.StatusRequestEntityTooLarge
		}
		s.uploadForm(w, r, status, f, k)
		return
	}
	opt.Sheet = insp.Sheet
	j := &importJob{ID: newToken(), Kind: k.Kind, Owner: sc.UserID, OrgID: org.ID, OrgName: org.Name, FileName: up.name,
		Path: up.path, Dir: up.dir, Size: up.size, Created: s.now(), opt: opt, insp: insp, state: jobPending}
	if !bytes.HasPrefix(up.head, []byte("PK")) {
		j.csv = true
	}
	s.jobs.add(j)
	if k.checkAtOnce && insp.Header != nil {
		if err := s.startImport(r, j, false, k); err != nil && !errors.Is(err, errJobBusy) {
			s.fail(w, r, err)
			return
		}
	}
	redirect(w, r, k.Base+j.ID)
}

// fileErr makes every roster reading failure a message on the form: the
// reader's own messages are Chinese and say what to do.
func fileErr(err error) error { return readErr(err, "ui.import.unreadable") }

// readErr keeps a reader's own message, else says the file is unreadable
// in the words of key.
func readErr(err error, key string) error {
	if nuanxin.ErrorCode(err) == nuanxin.EINVALID {
		return err
	}
	return nuanxin.Invalid("file", key)
}

// openOrg is the target org: in the caller's scope to write with perm
// (else not found, as the store answers), and open (else closedKey).
func (s *Server) openOrg(ctx context.Context, sc *nuanxin.Scope, id int64, perm nuanxin.Perm, closedKey string) (*nuanxin.Org, error) {
	if id <= 0 {
		return nil, nuanxin.Invalid("org_id", "member.org.required")
	}
	o, err := s.orgs.FindOrgByID(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	if !sc.Can(perm, o.Path) {
		return nil, nuanxin.NotFound("what.org")
	}
	if o.Closed {
		return nil, nuanxin.Invalid("org_id", closedKey)
	}
	return o, nil
}

// loadJob finds the caller's job of kind k; anyone else's, or another
// kind's, does not exist.
func (s *Server) loadJob(r *http.Request, k *importFlow) (*importJob, error) {
	j := s.jobs.get(r.PathValue("id"), scopeOf(r).UserID, s.now())
	if j == nil || j.Kind != k.Kind {
		return nil, nuanxin.Errorf(nuanxin.ENOTFOUND, "ui.import.no_job")
	}
	return j, nil
}

// importColumn is one line of the column mapping table.
type importColumn struct {
	Index  int
	Letter string
	Title  string
	Field  string // the field read from the column, "" for none
	Note   string // why the column is not read
	Warn   bool   // not recognised: highlighted
}

type importSample struct {
	Num   int
	Cells []string
}

// progressView is the progress block of a running phase.
type progressView struct {
	Phase      string
	Rows, Rate string // grouped by thousands
	Total      int
	Done       int
	Percent    int
	ETA        string
	Elapsed    string
}

// changeView is one changed field of an updated row.
type changeView struct{ Field, Old, New string }

type updateView struct {
	Row            int
	Name, IDMasked string
	Changes        []changeView
}

// reportView is the report block of a dry run or a commit.
type reportView struct {
	R          *nuanxin.ImportReport
	Final      bool
	Errors     []nuanxin.RowError
	ErrorCount int
	Warnings   []nuanxin.RowError
	Updates    []updateView
	Created    []nuanxin.ImportRowResult
}

// importJobData is the job page.
type importJobData struct {
	K         *importFlow
	J         *jobView
	Sheets    []option
	Sheet     string
	CSV       bool
	Encodings []option
	Columns   []importColumn
	Samples   []importSample
	Fields    []option
	HeaderErr string
	Progress  *progressView
	Report    *reportView
	Warned    int    // care: rows stored with a warning (a rule they broke)
	Error     string // the failed phase's message, or a refused setting
	Refresh   bool   // the progress partial: the phase is over
}

func fieldOptions() []option {
	o := []option{{"", nuanxin.T("ui.import.ignore")}}
	for _, f := range roster.MemberFields {
		o = append(o, option{string(f), f.Title()})
	}
	return o
}

func (s *Server) jobData(j *importJob, k *importFlow) *importJobData {
	v := j.view()
	d := &importJobData{K: k, J: v, Encodings: encodingOptions(), Fields: k.fields(), CSV: j.csv}
	if v.Insp != nil {
		for _, sh := range v.Insp.Sheets {
			label := sh.Name
			if sh.Hidden {
				label += nuanxin.T("ui.import.hidden_sheet")
			}
			d.Sheets = append(d.Sheets, option{strconv.Itoa(sh.Index), label})
		}
		d.Sheet = strconv.Itoa(v.Insp.Sheet)
		if h := v.Insp.Header; h != nil {
			d.Columns, d.Samples = mappingTable(h, v.Insp.Sample, v.Insp.Date1904)
		} else if v.Insp.HeaderErr != nil {
			d.HeaderErr = userMessage(v.Insp.HeaderErr)
		}
	}
	if v.Err != nil {
		d.Error = userMessage(v.Err)
	}
	if v.State.Running() {
		d.Progress = s.progress(v)
	}
	if rep := v.Report(); rep != nil && !v.State.Running() {
		d.Report = newReportView(rep, v.Final != nil)
		if k.Care {
			rows := map[int]bool{}
			for _, e := range rep.Errors {
				if e.Warning {
					rows[e.Row] = true
				}
			}
			d.Warned = len(rows)
		}
	}
	return d
}

// mappingTable lists the header's columns with what becomes of each, and
// the sample rows cut to those columns.
func mappingTable(h *roster.Header, sample []roster.Row, date1904 bool) ([]importColumn, []importSample) {
	notes := map[int]importColumn{}
	for _, c := range h.Unknown {
		notes[c.Index] = importColumn{Note: nuanxin.T("ui.import.col.unknown"), Warn: true}
	}
	for _, c := range h.Ignored {
		notes[c.Index] = importColumn{Note: nuanxin.T("ui.import.col.ignored")}
	}
	for _, c := range h.Duplicate {
		note := nuanxin.T("ui.import.col.duplicate", c.Field.Title())
		if first, ok := h.Column(c.Field); ok {
			note = nuanxin.T("ui.import.col.duplicate_of", first.Letter, c.Field.Title())
		}
		notes[c.Index] = importColumn{Note: note, Warn: true}
	}
	cols := make([]importColumn, len(h.Columns))
	for i, c := range h.Columns {
		n := notes[c.Index]
		cols[i] = importColumn{Index: c.Index, Letter: c.Letter, Title: c.Title, Field: string(c.Field), Note: n.Note, Warn: n.Warn}
	}
	samples := make([]importSample, len(sample))
	for i, r := range sample {
		cells := make([]string, len(cols))
		for k, c := range cols {
			cells[k] = r.Cell(c.Index).Text(date1904) // dates as the officer sees them in Excel
		}
		samples[i] = importSample{Num: r.Num, Cells: cells}
	}
	return cols, samples
}

func newReportView(rep *nuanxin.ImportReport, final bool) *reportView {
	rv := &reportView{R: rep, Final: final}
	for _, e := range rep.Errors {
		if e.Warning {
			if len(rv.Warnings) < reportErrorRows {
				rv.Warnings = append(rv.Warnings, e)
			}
			continue
		}
		rv.ErrorCount++
		if len(rv.Errors) < reportErrorRows {
			rv.Errors = append(rv.Errors, e)
		}
	}
	for _, p := range rep.Preview {
		switch p.Outcome {
		case nuanxin.OutcomeUpdated:
			if len(rv.Updates) < reportUpdateRows {
				u := updateView{Row: p.Row, Name: p.Name, IDMasked: p.IDMasked}
				for _, c := range p.Changes {
					u.Changes = append(u.Changes, changeView{fieldTitle(c.Field), c.Old, c.New})
				}
				rv.Updates = append(rv.Updates, u)
			}
		case nuanxin.OutcomeCreated:
			if len(rv.Created) < reportCreatedRows {
				rv.Created = append(rv.Created, p)
			}
		}
	}
	return rv
}

// fieldTitle names a changed field as the roster's header does ("org" is 所属工会).
func fieldTitle(f string) string {
	if k := "roster.field." + f; nuanxin.HasMessage(k) {
		return roster.Field(f).Title()
	}
	if k := "ui.field." + f; nuanxin.HasMessage(k) {
		return nuanxin.T(k)
	}
	return f
}

// progress computes rate and, when the total is known, the time left.
func (s *Server) progress(v *jobView) *progressView {
	p := &progressView{Rows: thousands(v.Rows), Rate: "0", Total: v.Total, Done: min(v.Rows, v.Total)}
	switch {
	case v.State == jobImporting && v.Stage == "write":
		p.Phase = nuanxin.T("ui.import.phase.write")
	case v.State == jobImporting:
		p.Phase = nuanxin.T("ui.import.phase.commit")
	default:
		p.Phase = nuanxin.T("ui.import.phase.check")
	}
	el := s.now().Sub(v.Started)
	p.Elapsed = chineseDuration(el)
	if sec := el.Seconds(); sec >= 0.5 && v.Rows > 0 {
		rate := float64(v.Rows) / sec
		p.Rate = thousands(int(rate + 0.5))
		if v.Total > 0 && v.Rows < v.Total {
			p.ETA = nuanxin.T("ui.dur.about", chineseDuration(time.Duration(float64(v.Total-v.Rows)/rate*float64(time.Second))))
		}
	}
	if v.Total > 0 {
		p.Percent = min(100, v.Rows*100/v.Total)
	}
	return p
}

// thousands groups digits as 45,210.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// chineseDuration is a duration to the second: 2 分 10 秒.
func chineseDuration(d time.Duration) string {
	sec := int(d.Round(time.Second) / time.Second)
	switch {
	case sec < 60:
		return nuanxin.T("ui.dur.s", max(sec, 1))
	case sec < 3600:
		return nuanxin.T("ui.dur.ms", sec/60, sec%60)
	}
	return nuanxin.T("ui.dur.hm", sec/3600, sec%3600/60)
}

func (s *Server) jobPage(w http.ResponseWriter, r *http.Request, status int, d *importJobData) {
	s.page(w, r, status, "import_job", nuanxin.T(d.K.Keys+"job_title", d.J.FileName), d.K.nav, d)
}

func (s *Server) handleImportJob(w http.ResponseWriter, r *http.Request) {
	s.importJobPage(w, r, rosterImport)
}

func (s *Server) importJobPage(w http.ResponseWriter, r *http.Request, k *importFlow) {
	j, err := s.loadJob(r, k)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.jobPage(w, r, http.StatusOK, s.jobData(j, k))
}

// handleImportProgress is the progress block htmx polls; once the phase is
// over it asks htmx to reload the page, which then shows the report.
func (s *Server) handleImportProgress(w http.ResponseWriter, r *http.Request) {
	s.importProgress(w, r, rosterImport)
}

func (s *Server) importProgress(w http.ResponseWriter, r *http.Request, k *importFlow) {
	j, err := s.loadJob(r, k)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := s.jobData(j, k)
	if d.Progress == nil {
		d.Refresh = true
		w.Header().Set("HX-Refresh", "true")
	}
	s.fragment(w, r, http.StatusOK, "import_job", "progress", d)
}

// handleImportOptions applies the sheet, encoding and column mapping the
// officer chose, and inspects the file again.
func (s *Server) handleImportOptions(w http.ResponseWriter, r *http.Request) {
	s.importOptions(w, r, rosterImport)
}

func (s *Server) importOptions(w http.ResponseWriter, r *http.Request, k *importFlow) {
	j, err := s.loadJob(r, k)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.applyOptions(j, r, k); err != nil {
		s.optionsFailed(w, r, j, k, err)
		return
	}
	s.setFlash(w, "ui.flash.import_options")
	redirect(w, r, k.Base+j.ID)
}

func (s *Server) optionsFailed(w http.ResponseWriter, r *http.Request, j *importJob, k *importFlow, err error) {
	if errors.Is(err, errJobBusy) {
		redirect(w, r, k.Base+j.ID)
		return
	}
	d := s.jobData(j, k)
	d.Error = userMessage(err)
	s.jobPage(w, r, statusOf(nuanxin.ErrorCode(err), false), d)
}

// applyOptions reads the settings form and, when it changes anything,
// inspects the file again with the new sheet, encoding and mapping.
func (s *Server) applyOptions(j *importJob, r *http.Request, k *importFlow) error {
	_ = r.ParseForm()
	v := j.view()
	opt := v.Opt
	if sh, err := strconv.Atoi(r.PostForm.Get("sheet")); err == nil && sh >= 0 {
		opt.Sheet = sh
	}
	if enc, sent := r.PostForm["encoding"]; sent && validOpt(enc[0], encodingOptions()) {
		opt.Encoding = enc[0]
	}
	// The mapping applies to the columns of the sheet it was made on; only
	// the choices that differ from what the page showed become overrides.
	mapping := map[int]roster.Field{}
	if v.Insp != nil && opt.Sheet == v.Insp.Sheet && r.PostForm.Get("mapped_sheet") == strconv.Itoa(v.Insp.Sheet) {
		for c, f := range v.Opt.Mapping {
			mapping[c] = f
		}
		if h := v.Insp.Header; h != nil {
			fields := k.fields()
			for _, c := range h.Columns {
				key := "col_" + strconv.Itoa(c.Index)
				if _, sent := r.PostForm[key]; !sent {
					continue
				}
				choice := roster.Field(r.PostForm.Get(key))
				if validOpt(string(choice), fields) && choice != c.Field {
					mapping[c.Index] = choice
				}
			}
		}
	}
	opt.Mapping = nil
	if len(mapping) > 0 {
		opt.Mapping = mapping
	}
	if sameOptions(opt, v.Opt) {
		return nil
	}
	insp, err := k.inspect(j.Path, opt)
	if err != nil {
		return k.fileErr(err)
	}
	opt.Sheet = insp.Sheet
	return j.setOptions(opt, insp)
}

func sameOptions(a, b roster.ImportOptions) bool {
	if a.Sheet != b.Sheet || a.Encoding != b.Encoding || len(a.Mapping) != len(b.Mapping) {
		return false
	}
	for k, f := range a.Mapping {
		if g, ok := b.Mapping[k]; !ok || g != f {
			return false
		}
	}
	return true
}

// runner is one phase of an import for the job's owner.
func (s *Server) runner(sc *nuanxin.Scope, j *importJob, dry bool) runFunc {
	return func(ctx context.Context, opt roster.ImportOptions, progress func(nuanxin.ImportProgress)) (*nuanxin.ImportReport, error) {
		mo := nuanxin.MemberImportOptions{OrgID: j.OrgID, DryRun: dry, Progress: progress}
		if v := j.view(); !dry && v.Dry != nil {
			mo.Expected = v.Dry.Total // sizes the ETA, and lets a large first import build indexes once
		}
		return roster.ImportMembers(ctx, s.members, sc, j.Path, opt, mo)
	}
}

// startImport runs a phase of j for the caller in the background.
func (s *Server) startImport(r *http.Request, j *importJob, commit bool, k *importFlow) error {
	logErr := func(err error) { s.log.Error(k.logMsg, "job", j.ID, "err", err) }
	return s.jobs.start(r.Context(), j, commit, k.runner(s, scopeOf(r), j, commit), s.now, logErr)
}

func (s *Server) startPhase(w http.ResponseWriter, r *http.Request, commit bool, k *importFlow) {
	j, err := s.loadJob(r, k)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !commit && r.PostFormValue("mapped_sheet") != "" {
		// 预检 pressed on the settings form: its choices apply first.
		if err := s.applyOptions(j, r, k); err != nil {
			s.optionsFailed(w, r, j, k, err)
			return
		}
	}
	if v := j.view(); !commit && (v.Insp == nil || v.Insp.Header == nil) {
		redirect(w, r, k.Base+j.ID) // nothing to check until a header is found
		return
	}
	if err := s.startImport(r, j, commit, k); err != nil && !errors.Is(err, errJobBusy) {
		s.fail(w, r, err)
		return
	}
	// A second click while the phase runs (or after the commit) just shows the job.
	redirect(w, r, k.Base+j.ID)
}

func (s *Server) handleImportCheck(w http.ResponseWriter, r *http.Request) {
	s.startPhase(w, r, false, rosterImport)
}

func (s *Server) handleImportCommit(w http.ResponseWriter, r *http.Request) {
	s.startPhase(w, r, true, rosterImport)
}

// rejectedOf is the job of kind k whose rejected rows are asked for, with
// its view and report; when there are none to give it answers and ok is
// false.
func (s *Server) rejectedOf(w http.ResponseWriter, r *http.Request, k *importFlow) (j *importJob, v *jobView, rep *nuanxin.ImportReport, ok bool) {
	j, err := s.loadJob(r, k)
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, nil, false
	}
	v = j.view()
	rep = v.Report()
	if rep == nil || rep.Rejected == 0 || v.State.Running() {
		s.fail(w, r, nuanxin.Errorf(nuanxin.ENOTFOUND, "ui.import.no_rejected"))
		return nil, nil, nil, false
	}
	if _, err := os.Stat(j.Path); err != nil {
		s.fail(w, r, nuanxin.Errorf(nuanxin.ENOTFOUND, "ui.import.file_gone"))
		return nil, nil, nil, false
	}
	return j, v, rep, true
}

// handleImportRejected downloads the rejected rows with their reasons, cut
// from the uploaded file, to fix and import again.
func (s *Server) handleImportRejected(w http.ResponseWriter, r *http.Request) {
	j, v, rep, ok := s.rejectedOf(w, r, rosterImport)
	if !ok {
		return
	}
	extendDeadlines(w, s)
	base := strings.TrimSuffix(v.FileName, filepath.Ext(v.FileName))
	w.Header().Set("Content-Type", xlsxType)
	attachment(w, nuanxin.T("ui.import.rejected_file", base)+".xlsx", "rejected.xlsx")
	if err := roster.WriteRejectedRows(w, j.Path, v.Opt, rep); err != nil {
		s.log.Error("rejected rows failed", "job", j.ID, "err", err)
		panic(http.ErrAbortHandler)
	}
}

// handleImportTemplate downloads the empty roster template.
func (s *Server) handleImportTemplate(w http.ResponseWriter, r *http.Request) {
	s.sendTemplate(w, r, roster.WriteTemplate, "template", "ui.import.template_file", "template.xlsx")
}

// sendTemplate downloads an empty template that write makes, named by the
// message key fileKey (fallback for old clients).
func (s *Server) sendTemplate(w http.ResponseWriter, r *http.Request, write func(io.Writer) error, what, fileKey, fallback string) {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		s.fail(w, r, fmt.Errorf("%s: %w", what, err))
		return
	}
	w.Header().Set("Content-Type", xlsxType)
	attachment(w, nuanxin.T(fileKey)+".xlsx", fallback)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = buf.WriteTo(w)
}
