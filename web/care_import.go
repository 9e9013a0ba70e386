package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/roster"
)

// 历史慰问记录导入: a 慰问登记表 kept in Excel enters as paid cases. It runs
// on the roster import's job machinery (jobs.go) and pages (import.go):
// upload → the dry run starts at once → report → commit, each phase in the
// background with progress; the sheet and column mapping can be corrected
// and checked again. The uploaded file stays in the job directory between
// the phases.

// jobCare is the Kind of a care import job.
const jobCare = "care"

// careImport is the care import's flow.
var careImport = &importFlow{
	Kind: jobCare, Care: true, Keys: "ui.careimport.", Home: "/care/import", Base: "/care/import/",
	nav: "care", logMsg: "care import failed", checkAtOnce: true,
	orgs: (*Server).careImpOrgs,
	org: func(s *Server, ctx context.Context, sc *nuanxin.Scope, id int64) (*nuanxin.Org, error) {
		return s.openOrg(ctx, sc, id, nuanxin.PermCareWrite, "ui.careimport.org_closed")
	},
	inspect: roster.InspectCare,
	fileErr: careImpFileErr,
	fields:  careImpFieldOptions,
	runner:  (*Server).careImpRunnerFor,
}

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

func (s *Server) handleCareImportForm(w http.ResponseWriter, r *http.Request) {
	s.uploadForm(w, r, http.StatusOK, newForm(url.Values{"org_id": {r.URL.Query().Get("org")}}), careImport)
}

// handleCareImportTemplate downloads the empty 慰问登记表 template.
func (s *Server) handleCareImportTemplate(w http.ResponseWriter, r *http.Request) {
	s.sendTemplate(w, r, roster.WriteCareTemplate, "care template", "ui.careimport.template_file", "care-template.xlsx")
}

// handleCareImportUpload keeps the file, finds its header and starts the
// dry run at once: the officer's next look is at the report.
func (s *Server) handleCareImportUpload(w http.ResponseWriter, r *http.Request) {
	s.importUpload(w, r, careImport)
}

// careImpFileErr makes every reading failure a message on the form: the
// reader's own messages are Chinese and say what to do.
func careImpFileErr(err error) error { return readErr(err, "ui.careimport.unreadable") }

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

func (s *Server) handleCareImportJob(w http.ResponseWriter, r *http.Request) {
	s.importJobPage(w, r, careImport)
}

// handleCareImportProgress is the block htmx polls; at the end of the
// phase it asks for a reload, which shows the report.
func (s *Server) handleCareImportProgress(w http.ResponseWriter, r *http.Request) {
	s.importProgress(w, r, careImport)
}

func (s *Server) handleCareImportOptions(w http.ResponseWriter, r *http.Request) {
	s.importOptions(w, r, careImport)
}

// careImpRunnerFor is one phase of j for the scope: the dry run, or the
// commit.
func (s *Server) careImpRunnerFor(sc *nuanxin.Scope, j *importJob, commit bool) runFunc {
	return func(ctx context.Context, opt roster.ImportOptions, progress func(nuanxin.ImportProgress)) (*nuanxin.ImportReport, error) {
		return roster.ImportCare(ctx, s.care, sc, j.Path, opt,
			nuanxin.CareImportOptions{OrgID: j.OrgID, DryRun: !commit, Progress: progress})
	}
}

func (s *Server) handleCareImportCheck(w http.ResponseWriter, r *http.Request) {
	s.startPhase(w, r, false, careImport)
}

func (s *Server) handleCareImportCommit(w http.ResponseWriter, r *http.Request) {
	s.startPhase(w, r, true, careImport)
}

// handleCareImportRejected downloads the rejected rows with their reasons,
// cut from the uploaded file, to correct and import again.
func (s *Server) handleCareImportRejected(w http.ResponseWriter, r *http.Request) {
	j, v, rep, ok := s.rejectedOf(w, r, careImport)
	if !ok {
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
