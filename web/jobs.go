package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/roster"
)

// Roster import jobs live in this process's memory only. A restart loses
// them (and the officer uploads the file again): that is acceptable because
// a dry run writes nothing and the store's commit is all-or-nothing, so an
// interrupted job has written either every valid row or none. Uploaded
// files of lost jobs are swept by age like the others.

const (
	maxUpload   = 200 << 20      // bytes of one uploaded roster
	jobTTL      = 24 * time.Hour // a job and its file are kept this long
	jobsPerUser = 20             // older jobs of a user are dropped beyond this
)

// jobState is where an import job stands.
type jobState string

const (
	jobPending   jobState = "pending"   // 待预检
	jobChecking  jobState = "checking"  // 预检中
	jobChecked   jobState = "checked"   // 已预检
	jobImporting jobState = "importing" // 导入中
	jobDone      jobState = "done"      // 已完成
	jobFailed    jobState = "failed"    // 失败
)

func (s jobState) Label() string { return nuanxin.T("ui.import.state." + string(s)) }

// Running reports a phase in progress.
func (s jobState) Running() bool { return s == jobChecking || s == jobImporting }

// Tag is the colour of the state's tag.
func (s jobState) Tag() string {
	switch s {
	case jobChecking, jobImporting:
		return "tag-blue"
	case jobChecked:
		return "tag-orange"
	case jobDone:
		return "tag-green"
	case jobFailed:
		return "tag-red"
	}
	return "tag-grey"
}

// importJob is one uploaded roster on its way in: inspected, dry-run,
// committed. The fixed fields are set at upload; the rest is guarded by mu,
// except the progress counters, which the running import stores atomically.
type importJob struct {
	ID       string
	Owner    int64 // user id: only the uploader sees the job
	OrgID    int64
	OrgName  string
	FileName string // as uploaded, for display
	Path     string // the saved file
	Dir      string // the job's directory under the upload dir
	Size     int64
	Created  time.Time
	csv      bool // not a zip: a CSV file, whose encoding may be chosen
	// Kind is what the file holds: "" a roster, jobCare a 慰问登记表
	// (care_import.go). Each kind's pages see only their own jobs.
	Kind string

	mu      sync.Mutex
	opt     roster.ImportOptions
	insp    *roster.Inspection
	state   jobState
	dry     *nuanxin.ImportReport // the last dry run
	final   *nuanxin.ImportReport // the commit
	err     error                 // why the last phase failed
	started time.Time             // start of the running phase
	ended   time.Time
	total   int // rows expected in the running phase (the dry run's Total), 0 = unknown

	rows  atomic.Int64  // rows done in the running phase
	stage atomic.Value  // string: ImportProgress.Phase
	gen   atomic.Uint64 // bumped when a phase starts, so a late report of an old phase is ignored
}

// jobView is a consistent copy of a job for one page render.
type jobView struct {
	ID, FileName, OrgName string
	OrgID                 int64
	Size                  int64
	Created               time.Time
	Opt                   roster.ImportOptions
	Insp                  *roster.Inspection
	State                 jobState
	Dry, Final            *nuanxin.ImportReport
	Err                   error
	Started, Ended        time.Time
	Total                 int
	Rows                  int
	Stage                 string
	Kind                  string
}

func (j *importJob) view() *jobView {
	j.mu.Lock()
	defer j.mu.Unlock()
	v := &jobView{ID: j.ID, Kind: j.Kind, FileName: j.FileName, OrgName: j.OrgName, OrgID: j.OrgID, Size: j.Size, Created: j.Created,
		Opt: j.opt, Insp: j.insp, State: j.state, Dry: j.dry, Final: j.final, Err: j.err,
		Started: j.started, Ended: j.ended, Total: j.total, Rows: int(j.rows.Load())}
	v.Stage, _ = j.stage.Load().(string)
	return v
}

// Report is the report to show: the commit's once there is one, else the dry run's.
func (v *jobView) Report() *nuanxin.ImportReport {
	if v.Final != nil {
		return v.Final
	}
	return v.Dry
}

// SizeText is the file size as people read it.
func (v *jobView) SizeText() string {
	if v.Size < 1<<20 {
		return nuanxin.T("ui.import.size_kb", max(1, (v.Size+1023)>>10))
	}
	return nuanxin.T("ui.import.size_mb", float64(v.Size)/(1<<20))
}

// Committable is the number of rows a commit would write, 0 when a commit
// is not possible now.
func (v *jobView) Committable() int {
	if v.State != jobChecked || v.Dry == nil {
		return 0
	}
	return v.Dry.Created + v.Dry.Updated
}

// jobRegistry holds the jobs of this process, by id.
type jobRegistry struct {
	dir     string
	ttl     time.Duration
	perUser int

	mu   sync.Mutex
	jobs map[string]*importJob
	wg   sync.WaitGroup // running phases
}

func newJobRegistry(dir string, ttl time.Duration, perUser int) *jobRegistry {
	return &jobRegistry{dir: dir, ttl: ttl, perUser: perUser, jobs: map[string]*importJob{}}
}

// get returns the job if it exists, belongs to owner and has not expired.
func (g *jobRegistry) get(id string, owner int64, now time.Time) *importJob {
	g.mu.Lock()
	defer g.mu.Unlock()
	j := g.jobs[id]
	if j == nil || j.Owner != owner || owner == 0 {
		return nil
	}
	if now.Sub(j.Created) > g.ttl && !j.view().State.Running() {
		g.dropLocked(j)
		return nil
	}
	return j
}

// list is owner's jobs that have not expired, newest first.
func (g *jobRegistry) list(owner int64, now time.Time) []*jobView {
	g.mu.Lock()
	var js []*importJob
	for _, j := range g.jobs {
		if j.Owner == owner && now.Sub(j.Created) <= g.ttl {
			js = append(js, j)
		}
	}
	g.mu.Unlock()
	sort.Slice(js, func(a, b int) bool { return js[a].Created.After(js[b].Created) })
	out := make([]*jobView, len(js))
	for i, j := range js {
		out[i] = j.view()
	}
	return out
}

// add registers j, dropping the owner's oldest idle jobs beyond the limit.
func (g *jobRegistry) add(j *importJob) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.jobs[j.ID] = j
	var mine []*importJob
	for _, o := range g.jobs {
		if o.Owner == j.Owner {
			mine = append(mine, o)
		}
	}
	if len(mine) <= g.perUser {
		return
	}
	sort.Slice(mine, func(a, b int) bool { return mine[a].Created.Before(mine[b].Created) })
	for _, o := range mine[:len(mine)-g.perUser] {
		if o != j && !o.view().State.Running() {
			g.dropLocked(o)
		}
	}
}

func (g *jobRegistry) dropLocked(j *importJob) {
	delete(g.jobs, j.ID)
	if j.Dir != "" {
		_ = os.RemoveAll(j.Dir)
	}
}

// sweep drops jobs older than the TTL with their files, and removes files
// in the upload directory that no job knows and that are as old (left by a
// process that stopped). It runs lazily, on each upload.
func (g *jobRegistry) sweep(now time.Time) {
	g.mu.Lock()
	known := map[string]bool{}
	for _, j := range g.jobs {
		if now.Sub(j.Created) > g.ttl && !j.view().State.Running() {
			g.dropLocked(j)
			continue
		}
		known[filepath.Base(j.Dir)] = true
	}
	g.mu.Unlock()
	entries, err := os.ReadDir(g.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if known[e.Name()] {
			continue
		}
		if info, err := e.Info(); err == nil && now.Sub(info.ModTime()) > g.ttl {
			_ = os.RemoveAll(filepath.Join(g.dir, e.Name()))
		}
	}
}

// newDir makes a fresh directory for an upload: upload dir/<random>.
func (g *jobRegistry) newDir() (string, error) {
	if err := os.MkdirAll(g.dir, 0o700); err != nil {
		return "", err
	}
	d := filepath.Join(g.dir, newToken())
	if err := os.Mkdir(d, 0o700); err != nil {
		return "", err
	}
	return d, nil
}

// wait blocks until no phase is running (tests, shutdown).
func (g *jobRegistry) wait() { g.wg.Wait() }

// errJobBusy says a phase is running or the job is not ready for the one asked.
var errJobBusy = nuanxin.Errorf(nuanxin.ECONFLICT, "ui.import.busy")

// start runs one phase of j in the background: a dry run, or the commit.
// The request's context is kept for its values (the client address for the
// audit log) but not its cancellation: the phase outlives the request.
func (g *jobRegistry) start(ctx context.Context, j *importJob, commit bool, run func(ctx context.Context, opt roster.ImportOptions, progress func(nuanxin.ImportProgress)) (*nuanxin.ImportReport, error), now func() time.Time, log func(error)) error {
	j.mu.Lock()
	switch {
	case j.state.Running() || j.state == jobDone:
		j.mu.Unlock()
		return errJobBusy
	case commit && (j.state != jobChecked || j.dry == nil || j.dry.Created+j.dry.Updated == 0):
		j.mu.Unlock()
		return errJobBusy
	}
	gen := j.gen.Add(1)
	j.err, j.final, j.started, j.ended = nil, nil, now(), time.Time{}
	j.rows.Store(0)
	j.stage.Store("")
	if commit {
		j.state, j.total = jobImporting, j.dry.Total
	} else {
		j.state, j.total, j.dry = jobChecking, 0, nil
	}
	opt := j.opt
	j.mu.Unlock()

	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		var rep *nuanxin.ImportReport
		var err error
		func() {
			defer func() {
				if p := recover(); p != nil {
					err = fmt.Errorf("import panicked: %v", p)
				}
			}()
			rep, err = run(context.WithoutCancel(ctx), opt, func(p nuanxin.ImportProgress) {
				if j.gen.Load() == gen {
					j.rows.Store(int64(p.Rows))
					j.stage.Store(p.Phase)
				}
			})
		}()
		if err != nil && nuanxin.ErrorCode(err) == nuanxin.EINTERNAL {
			log(err)
		}
		j.mu.Lock()
		defer j.mu.Unlock()
		j.ended = now()
		switch {
		case err != nil:
			j.state, j.err = jobFailed, err
		case commit:
			j.state, j.final = jobDone, rep
		default:
			j.state, j.dry = jobChecked, rep
		}
	}()
	return nil
}

// setOptions replaces the sheet and mapping after a re-inspection; the old
// dry run no longer applies.
func (j *importJob) setOptions(opt roster.ImportOptions, insp *roster.Inspection) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.state.Running() || j.state == jobDone {
		return errJobBusy
	}
	j.opt, j.insp = opt, insp
	j.state, j.dry, j.err = jobPending, nil, nil
	return nil
}
