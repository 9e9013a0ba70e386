package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/roster"
)

// 历史慰问记录导入: a 慰问登记表 kept in Excel enters as paid cases. It runs
// on the roster import's job machinery (jobs.go): upload → the dry run
// starts at once → report → commit, each phase in the background with
// progress; the sheet and column mapping can be corrected and checked
// again. The uploaded file stays in the job directory between the phases.

// jobCare is the Kind of a care import job.
const jobCare = "care"

// jobsOfKind keeps the jobs of one kind, for the page of that import.
func jobsOfKind(vs []*jobView, kind string) []*jobView {
	out := vs[:0:0]
	for _, v := range vs {
		if v.Kind == kind {
			out = append(out, v)
		}
	}
	return out
}

// careImpOrgs are the open orgs where the scope may record care.
func (s *Server) careImpOrgs(ctx context.Context, sc *nuanxin.Scope) ([]*nuanxin.Org, error) {
	orgs, err := s.orgs.FindOrgs(ctx, sc, nuanxin.OrgFilter{})
	if err != nil {
		return nil, err
	}
	var out []*nuanxin.Org
	for _, o := range orgs {
		if !o.Closed && sc.Can(nuanxin.PermCareWrite, o.Path) {
			out = append(out, o)
		}
	}
	return out, nil
}

// careImpFormData is the upload page.
type careImpFormData struct {
	Form      *form
	Orgs      []option
	Encodings []option
	Jobs      []*jobView
	MaxMB     int
	MaxBytes  int64
}

func (s *Server) careImpForm(w http.ResponseWriter, r *http.Request, status int, f *form) {
	sc := scopeOf(r)
	orgs, err := s.careImpOrgs(r.Context(), sc)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if f.Get("org_id") == "" && len(orgs) > 0 {
		f.V.Set("org_id", strconv.FormatInt(orgs[0].ID, 10))
	}
	d := &careImpFormData{Form: f, Orgs: orgOptions(orgs), Encodings: encodingOptions(),
		Jobs: jobsOfKind(s.jobs.list(sc.UserID, s.now()), jobCare), MaxMB: int(max(1, s.maxUpload>>20)), MaxBytes: s.maxUpload}
	s.page(w, r, status, "care_import", nuanxin.T("ui.careimport.title"), "care", d)
}

func (s *Server) handleCareImportForm(w http.ResponseWriter, r *http.Request) {
	s.careImpForm(w, r, http.StatusOK, newForm(url.Values{"org_id": {r.URL.Query().Get("org")}}))
}

// handleCareImportTemplate downloads the empty 慰问登记表 template.
func (s *Server) handleCareImportTemplate(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if err := roster.WriteCareTemplate(&buf); err != nil {
		s.fail(w, r, fmt.Errorf("care template: %w", err))
		return
	}
	w.Header().Set("Content-Type", xlsxType)
	attachment(w, nuanxin.T("ui.careimport.template_file")+".xlsx", "care-template.xlsx")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = buf.WriteTo(w)
}

// careImpOrg is the org the records are for: in the caller's care write
// scope (else not found, as the store answers), and open.
func (s *Server) careImpOrg(ctx context.Context, sc *nuanxin.Scope, id int64) (*nuanxin.Org, error) {
	if id <= 0 {
		return nil, nuanxin.Invalid("org_id", "member.org.required")
	}
	o, err := s.orgs.FindOrgByID(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	if !sc.Can(nuanxin.PermCareWrite, o.Path) {
		return nil, nuanxin.NotFound("what.org")
	}
	if o.Closed {
		return nil, nuanxin.Invalid("org_id", "ui.careimport.org_closed")
	}
	return o, nil
}

// handleCareImportUpload keeps the file, finds its header and starts the
// dry run at once: the officer's next look is at the report.
func (s *Server) handleCareImportUpload(w http.ResponseWriter, r *http.Request) {
	sc, ctx := scopeOf(r), r.Context()
	extendDeadlines(w, s)
	s.jobs.sweep(s.now())
	up, err := s.readUpload(r)
	f := newForm(up.fields)
	var org *nuanxin.Org
	if err == nil {
		org, err = s.careImpOrg(ctx, sc, formInt(f.Get("org_id")))
	}
	opt := roster.ImportOptions{Sheet: -1, Encoding: f.Get("encoding")}
	if !validOpt(opt.Encoding, encodingOptions()) {
		opt.Encoding = ""
	}
	var insp *roster.Inspection
	if err == nil {
		if insp, err = roster.InspectCare(up.path, opt); err != nil {
			err = careImpFileErr(err)
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
			f.Summary = userMessage(err)
		}
		status := http.StatusUnprocessableEntity
		if isTooLarge(err) {
			status = http.StatusRequestEntityTooLarge
		}
		s.careImpForm(w, r, status, f)
		return
	}
	opt.Sheet = insp.Sheet
	j := &importJob{ID: newToken(), Kind: jobCare, Owner: sc.UserID, OrgID: org.ID, OrgName: org.Name, FileName: up.name,
		Path: up.path, Dir: up.dir, Size: up.size, Created: s.now(), opt: opt, insp: insp, state: jobPending}
	if !bytes.HasPrefix(up.head, []byte("PK")) {
		j.csv = true
	}
	s.jobs.add(j)
	if insp.Header != nil {
		if err := s.careImpStart(r, j, false); err != nil && !errors.Is(err, errJobBusy) {
			s.fail(w, r, err)
			return
		}
	}
	redirect(w, r, "/care/import/"+j.ID)
}

// careImpFileErr makes every reading failure a message on the form: the
// reader's own messages are Chinese and say what to do.
func careImpFileErr(err error) error {
	if nuanxin.ErrorCode(err) == nuanxin.EINVALID {
		return err
	}
	return nuanxin.Invalid("file", "ui.careimport.unreadable")
}

// loadCareImpJob finds the caller's care import job; any other job does
// not exist here.
func (s *Server) loadCareImpJob(r *http.Request) (*importJob, error) {
	j := s.jobs.get(r.PathValue("id"), scopeOf(r).UserID, s.now())
	if j == nil || j.Kind != jobCare {
		return nil, nuanxin.Errorf(nuanxin.ENOTFOUND, "ui.import.no_job")
	}
	return j, nil
}

// careImpFieldOptions are the choices of the column mapping.
func careImpFieldOptions() []option {
	o := []option{{"", nuanxin.T("ui.import.ignore")}}
	for _, f := range roster.CareFields {
		title := f.Title()
		if roster.CareFieldRequired(f) {
			title += nuanxin.T("ui.careimport.required_mark")
		}
		o = append(o, option{string(f), title})
	}
	return o
}

// careImpJobData is the job page.
type careImpJobData struct {
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
	Warned    int // rows stored with a warning (a rule they broke)
	Error     string
	Refresh   bool
}

func (s *Server) careImpData(j *importJob) *careImpJobData {
	v := j.view()
	d := &careImpJobData{J: v, Encodings: encodingOptions(), Fields: careImpFieldOptions(), CSV: j.csv}
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
		rows := map[int]bool{}
		for _, e := range rep.Errors {
			if e.Warning {
				rows[e.Row] = true
			}
		}
		d.Warned = len(rows)
	}
	return d
}

func (s *Server) careImpPage(w http.ResponseWriter, r *http.Request, status int, d *careImpJobData) {
	s.page(w, r, status, "care_import_job", nuanxin.T("ui.careimport.job_title", d.J.FileName), "care", d)
}

func (s *Server) handleCareImportJob(w http.ResponseWriter, r *http.Request) {
	j, err := s.loadCareImpJob(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.careImpPage(w, r, http.StatusOK, s.careImpData(j))
}

// handleCareImportProgress is the block htmx polls; at the end of the
// phase it asks for a reload, which shows the report.
func (s *Server) handleCareImportProgress(w http.ResponseWriter, r *http.Request) {
	j, err := s.loadCareImpJob(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := s.careImpData(j)
	if d.Progress == nil {
		d.Refresh = true
		w.Header().Set("HX-Refresh", "true")
	}
	s.fragment(w, r, http.StatusOK, "care_import_job", "progress", d)
}

// careImpApply reads the sheet, encoding and column mapping of the
// settings form and, when they change, inspects the file again.
func (s *Server) careImpApply(j *importJob, r *http.Request) error {
	_ = r.ParseForm()
	v := j.view()
	opt := v.Opt
	if sh, err := strconv.Atoi(r.PostForm.Get("sheet")); err == nil && sh >= 0 {
		opt.Sheet = sh
	}
	if enc, sent := r.PostForm["encoding"]; sent && validOpt(enc[0], encodingOptions()) {
		opt.Encoding = enc[0]
	}
	// Only the choices that differ from what the page showed override the
	// header, and only on the sheet they were made for.
	mapping := map[int]roster.Field{}
	if v.Insp != nil && opt.Sheet == v.Insp.Sheet && r.PostForm.Get("mapped_sheet") == strconv.Itoa(v.Insp.Sheet) {
		for k, f := range v.Opt.Mapping {
			mapping[k] = f
		}
		if h := v.Insp.Header; h != nil {
			fields := careImpFieldOptions()
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
	insp, err := roster.InspectCare(j.Path, opt)
	if err != nil {
		return careImpFileErr(err)
	}
	opt.Sheet = insp.Sheet
	return j.setOptions(opt, insp)
}

func (s *Server) handleCareImportOptions(w http.ResponseWriter, r *http.Request) {
	j, err := s.loadCareImpJob(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.careImpApply(j, r); err != nil {
		s.careImpOptionsFailed(w, r, j, err)
		return
	}
	s.setFlash(w, "ui.flash.import_options")
	redirect(w, r, "/care/import/"+j.ID)
}

func (s *Server) careImpOptionsFailed(w http.ResponseWriter, r *http.Request, j *importJob, err error) {
	if errors.Is(err, errJobBusy) {
		redirect(w, r, "/care/import/"+j.ID)
		return
	}
	d := s.careImpData(j)
	d.Error = userMessage(err)
	s.careImpPage(w, r, statusOf(nuanxin.ErrorCode(err), false), d)
}

// careImpRunnerFor is one phase of j for the scope: the dry run, or the
// commit.
func (s *Server) careImpRunnerFor(sc *nuanxin.Scope, j *importJob, commit bool) func(context.Context, roster.ImportOptions, func(nuanxin.ImportProgress)) (*nuanxin.ImportReport, error) {
	return func(ctx context.Context, opt roster.ImportOptions, progress func(nuanxin.ImportProgress)) (*nuanxin.ImportReport, error) {
		return roster.ImportCare(ctx, s.care, sc, j.Path, opt,
			nuanxin.CareImportOptions{OrgID: j.OrgID, DryRun: !commit, Progress: progress})
	}
}

// careImpStart runs a phase of j for the caller in the background.
func (s *Server) careImpStart(r *http.Request, j *importJob, commit bool) error {
	logErr := func(err error) { s.log.Error("care import failed", "job", j.ID, "err", err) }
	return s.jobs.start(r.Context(), j, commit, s.careImpRunnerFor(scopeOf(r), j, commit), s.now, logErr)
}

func (s *Server) careImpPhase(w http.ResponseWriter, r *http.Request, commit bool) {
	j, err := s.loadCareImpJob(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !commit && r.PostFormValue("mapped_sheet") != "" {
		// 重新预检 pressed on the settings form: its choices apply first.
		if err := s.careImpApply(j, r); err != nil {
			s.careImpOptionsFailed(w, r, j, err)
			return
		}
	}
	if v := j.view(); !commit && (v.Insp == nil || v.Insp.Header == nil) {
		redirect(w, r, "/care/import/"+j.ID)
		return
	}
	if err := s.careImpStart(r, j, commit); err != nil && !errors.Is(err, errJobBusy) {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/care/import/"+j.ID)
}

func (s *Server) handleCareImportCheck(w http.ResponseWriter, r *http.Request) {
	s.careImpPhase(w, r, false)
}

func (s *Server) handleCareImportCommit(w http.ResponseWriter, r *http.Request) {
	s.careImpPhase(w, r, true)
}

// handleCareImportRejected downloads the rejected rows with their reasons,
// cut from the uploaded file, to correct and import again.
func (s *Server) handleCareImportRejected(w http.ResponseWriter, r *http.Request) {
	j, err := s.loadCareImpJob(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := j.view()
	rep := v.Report()
	if rep == nil || rep.Rejected == 0 || v.State.Running() {
		s.fail(w, r, nuanxin.Errorf(nuanxin.ENOTFOUND, "ui.import.no_rejected"))
		return
	}
	if _, err := os.Stat(j.Path); err != nil {
		s.fail(w, r, nuanxin.Errorf(nuanxin.ENOTFOUND, "ui.import.file_gone"))
		return
	}
	var buf bytes.Buffer
	if err := roster.WriteCareRejectedRows(&buf, j.Path, v.Opt, rep); err != nil {
		s.fail(w, r, err)
		return
	}
	base := strings.TrimSuffix(v.FileName, filepath.Ext(v.FileName))
	w.Header().Set("Content-Type", xlsxType)
	attachment(w, nuanxin.T("ui.import.rejected_file", base)+".xlsx", "rejected.xlsx")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = buf.WriteTo(w)
}
