package web

import (
	"bytes"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/roster"
)

// badIDNumber has a wrong check digit.
const badIDNumber = "110101199001011234"

// rosterXLSX builds a roster as officers keep them: a merged title row, the
// header on row 2 (序号 first), then one row per person.
func rosterXLSX(t testing.TB, rows [][]string) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	sh := x.GetSheetName(0)
	set := func(row int, vals []string) {
		for i, v := range vals {
			cell, _ := excelize.CoordinatesToCellName(i+1, row)
			if err := x.SetCellStr(sh, cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	set(1, []string{"发电公司工会会员花名册"})
	if err := x.MergeCell(sh, "A1", "G1"); err != nil {
		t.Fatal(err)
	}
	set(2, []string{"序号", "姓名", "身份证号码", "性别", "手机号码", "部门", "入会时间"})
	for i, r := range rows {
		set(i+3, append([]string{fmt.Sprint(i + 1)}, r...))
	}
	var buf bytes.Buffer
	if _, err := x.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// importRows are n good rows with fresh 身份证号 and names starting with prefix.
func importRows(prefix string, n int) [][]string {
	var rows [][]string
	for i := range n {
		rows = append(rows, []string{fmt.Sprintf("%s%c", prefix, '甲'+rune(i)), idNumber(next()), "", "13800138000", "检修部", "2016-05-01"})
	}
	return rows
}

// waitJob waits for the job's running phase to end.
func (f *fixture) waitJob(id string) *jobView {
	f.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		f.srv.jobs.mu.Lock()
		j := f.srv.jobs.jobs[id]
		f.srv.jobs.mu.Unlock()
		if j == nil {
			f.t.Fatalf("no job %s", id)
		}
		if v := j.view(); !v.State.Running() {
			return v
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("job %s still running", id)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (f *fixture) scopeFor(role string) *nuanxin.Scope {
	f.t.Helper()
	tok, _ := f.session(role)
	_, sc, err := f.db.SessionScope(bg, tok)
	if err != nil {
		f.t.Fatal(err)
	}
	return sc
}

// newJob opens an import job for user on org as an upload would, and with
// dry runs the dry run to its end.
func (f *fixture) newJob(user *nuanxin.User, org *nuanxin.Org, data []byte, dry bool, sc *nuanxin.Scope) *importJob {
	f.t.Helper()
	dir, err := f.srv.jobs.newDir()
	if err != nil {
		f.t.Fatal(err)
	}
	name := fmt.Sprintf("花名册%d.xlsx", next())
	path := dir + "/" + name
	if err := os.WriteFile(path, data, 0o600); err != nil {
		f.t.Fatal(err)
	}
	opt := roster.ImportOptions{Sheet: -1}
	insp, err := roster.Inspect(path, opt)
	if err != nil {
		f.t.Fatal(err)
	}
	opt.Sheet = insp.Sheet
	j := &importJob{ID: newToken(), Owner: user.ID, OrgID: org.ID, OrgName: org.Name, FileName: name, Path: path, Dir: dir,
		Size: int64(len(data)), Created: f.srv.now(), opt: opt, insp: insp, state: jobPending}
	f.srv.jobs.add(j)
	if dry {
		if err := f.srv.jobs.start(bg, j, false, f.srv.runner(sc, j, true), f.srv.now, func(error) {}); err != nil {
			f.t.Fatal(err)
		}
		if v := f.waitJob(j.ID); v.State != jobChecked {
			f.t.Fatalf("dry run: %s %v", v.State, v.Err)
		}
	}
	return j
}

func uploadReq(org *nuanxin.Org, name string, data []byte) req {
	return req{method: "POST", path: "/members/import", form: url.Values{"org_id": {id(org.ID)}, "encoding": {""}},
		file: &upfile{field: "file", name: name, data: data}}
}

// figure reads the number of a report card.
func figure(t *testing.T, body, class string) string {
	t.Helper()
	m := regexp.MustCompile(`figure-` + class + `"><span class="figure-label">[^<]*</span><span class="figure-value">(\d+)<`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no %s figure in the report", class)
	}
	return m[1]
}

func TestImportFlow(t *testing.T) {
	f := newFixture(t)
	s := f.login("clerk")
	rows := importRows("导入", 3)
	rows = append(rows, []string{"错号码", badIDNumber, "", "13800138000", "检修部", "2016-05-01"})
	data := rosterXLSX(t, rows)

	// the upload form lists the orgs the clerk may write to, indented
	body := mustStatus(t, f.do("clerk", req{method: "GET", path: "/members/import", sess: s}), http.StatusOK)
	contains(t, body, `enctype="multipart/form-data"`, `accept=".xlsx,.csv,.xls"`, f.A.Name, "\u3000"+f.A1.Name, "空白单元格不会清空已有信息")
	if strings.Contains(body, f.B.Name) {
		t.Error("upload form offers an org outside the clerk's scope")
	}

	w := f.do("clerk", withSess(uploadReq(f.A, "发电公司花名册.xlsx", data), s))
	mustStatus(t, w, http.StatusSeeOther)
	job := w.Header().Get("Location")
	if !regexp.MustCompile(`^/imports/[0-9a-f]{32}$`).MatchString(job) {
		t.Fatalf("upload went to %q", job)
	}
	jobID := strings.TrimPrefix(job, "/imports/")

	// the mapping: detected fields preselected, 序号 ignored, the sample rows
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: job, sess: s}), http.StatusOK)
	contains(t, body, "发电公司花名册.xlsx", f.A.Name, `id="mapping-table"`,
		`name="col_1"`, `<option value="name" selected>姓名</option>`,
		`<option value="id_number" selected>身份证号码</option>`, `<option value="join_date" selected>入会时间</option>`,
		"表头在第 2 行", "导入甲", "错号码", "预检（不写入数据）")
	if !regexp.MustCompile(`(?s)<td class="col-title">序号</td>.*?<option value="" selected>忽略此列</option>`).MatchString(body) {
		t.Error("序号 is not shown as ignored")
	}

	// dry run
	mustStatus(t, f.do("clerk", req{method: "POST", path: job + "/check", sess: s}), http.StatusSeeOther)
	if v := f.waitJob(jobID); v.State != jobChecked {
		t.Fatalf("after the dry run: %s %v", v.State, v.Err)
	}
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: job, sess: s}), http.StatusOK)
	if figure(t, body, "created") != "3" || figure(t, body, "rejected") != "1" {
		t.Errorf("dry run report: 新增 %s 未导入 %s", figure(t, body, "created"), figure(t, body, "rejected"))
	}
	contains(t, body, `id="errors-table"`, `<td class="num">6</td>`, html.EscapeString("C列（身份证号码）"), "确认导入 3 行", "尚未写入任何数据")
	if f.countMembers("导入甲") != 0 {
		t.Fatal("the dry run wrote a member")
	}

	// the rejected rows, with the reason, as a workbook
	w = f.do("clerk", req{method: "GET", path: job + "/rejected.xlsx", sess: s})
	mustStatus(t, w, http.StatusOK)
	if cd := w.Header().Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, "filename*=UTF-8''"+rfc5987("未导入的行-发电公司花名册.xlsx")) {
		t.Errorf("Content-Disposition %q", cd)
	}
	x, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	xrows, err := x.GetRows(x.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range xrows {
		line := strings.Join(r, "|")
		if strings.Contains(line, badIDNumber) && strings.Contains(line, "身份证") && len(r) > 7 {
			found = true
		}
		if strings.Contains(line, "导入甲") {
			t.Errorf("a good row in the rejected file: %q", line)
		}
	}
	if !found {
		t.Errorf("rejected file lacks the bad row with its reason: %q", xrows)
	}

	// commit
	mustStatus(t, f.do("clerk", req{method: "POST", path: job + "/commit", sess: s}), http.StatusSeeOther)
	if v := f.waitJob(jobID); v.State != jobDone {
		t.Fatalf("after the commit: %s %v", v.State, v.Err)
	}
	for _, r := range rows[:3] {
		if f.countMembers(r[0]) != 1 {
			t.Errorf("member %s not imported", r[0])
		}
	}
	if f.countMembers("错号码") != 0 {
		t.Error("the bad row was imported")
	}
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: job, sess: s}), http.StatusOK)
	contains(t, body, "导入结果", fmt.Sprintf(`href="/members?org=%d"`, f.A.ID), "查看会员名单")
	if strings.Contains(body, `id="commit"`) || strings.Contains(body, `id="options-form"`) {
		t.Error("a finished job still offers to commit or change settings")
	}
	// a second commit does nothing more
	mustStatus(t, f.do("clerk", req{method: "POST", path: job + "/commit", sess: s}), http.StatusSeeOther)
	if f.countMembers("导入甲") != 1 {
		t.Error("second commit imported again")
	}

	// the same file again: nothing to change
	w = f.do("clerk", withSess(uploadReq(f.A, "发电公司花名册.xlsx", data), s))
	job2 := w.Header().Get("Location")
	mustStatus(t, f.do("clerk", req{method: "POST", path: job2 + "/check", sess: s}), http.StatusSeeOther)
	f.waitJob(strings.TrimPrefix(job2, "/imports/"))
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: job2, sess: s}), http.StatusOK)
	if figure(t, body, "unchanged") != "3" || figure(t, body, "created") != "0" {
		t.Errorf("re-import: 无变化 %s 新增 %s", figure(t, body, "unchanged"), figure(t, body, "created"))
	}

	// the upload page lists both jobs
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: "/members/import", sess: s}), http.StatusOK)
	contains(t, body, job, job2, "已完成", "新增 3 · 更新 0 · 无变化 0 · 未导入 1")
	for _, p := range []string{"/members/import", job, job2} {
		page := mustStatus(t, f.do("clerk", req{method: "GET", path: p, sess: s}), http.StatusOK)
		if regexp.MustCompile(`<script>|<script [^>]*>[^<]|<style|style="|\son[a-z]+="`).MatchString(page) {
			t.Errorf("%s: inline script, style or handler (CSP forbids them)", p)
		}
	}

	// another user does not see the job, even with the permission
	body = mustStatus(t, f.do("chair", req{method: "GET", path: job}), http.StatusNotFound)
	if strings.Contains(body, "发电公司花名册") {
		t.Error("404 names the file")
	}
	mustStatus(t, f.do("chair", req{method: "GET", path: job + "/rejected.xlsx"}), http.StatusNotFound)
	mustStatus(t, f.do("admin", req{method: "POST", path: job2 + "/commit"}), http.StatusNotFound)
}

func withSess(rq req, s *session) req { rq.sess = s; return rq }

func TestImportUpdatesAndMapping(t *testing.T) {
	f := newFixture(t)
	s := f.login("clerk")
	full, err := f.db.RevealIDNumber(bg, sys, f.MA.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	// 张三丰 again, with a value in the 部门 column that is really his 岗位
	data := rosterXLSX(t, [][]string{{f.MA.Name, full, "", "", "安监部", ""}})
	w := f.do("clerk", withSess(uploadReq(f.A, "更新.xlsx", data), s))
	job := w.Header().Get("Location")
	j := f.srv.jobs.get(strings.TrimPrefix(job, "/imports/"), f.users["clerk"].U.ID, f.srv.now())
	if j == nil {
		t.Fatal("no job")
	}
	// map 部门 (F) to 岗位 on the page and check: the post changes
	form := url.Values{"mapped_sheet": {"0"}, "sheet": {"0"}, "col_5": {"post"}}
	mustStatus(t, f.do("clerk", req{method: "POST", path: job + "/check", form: form, sess: s}), http.StatusSeeOther)
	f.waitJob(j.ID)
	body := mustStatus(t, f.do("clerk", req{method: "GET", path: job, sess: s}), http.StatusOK)
	contains(t, body, `<select id="map-5" name="col_5">`, `<option value="post" selected>岗位</option>`, `id="updates-table"`, "<b>岗位</b>：<del></del> → <ins>安监部</ins>")
	if figure(t, body, "updated") != "1" {
		t.Errorf("updated %s", figure(t, body, "updated"))
	}
	// a sheet the file does not have: the message on the page
	mustStatus(t, f.do("clerk", req{method: "POST", path: job + "/options", form: url.Values{"sheet": {"5"}}, sess: s}), http.StatusUnprocessableEntity)
}

func TestImportUploadRefused(t *testing.T) {
	f := newFixture(t)
	s := f.login("clerk")
	empty := func() {
		t.Helper()
		entries, _ := os.ReadDir(f.srv.jobs.dir)
		if len(entries) != 0 {
			t.Errorf("upload dir keeps %d entries after a refused upload", len(entries))
		}
	}
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"旧名册.xls", append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 600)...), "另存为"},
		{"空.xlsx", nil, "文件是空的"},
		{"坏.xlsx", []byte("PK\x03\x04 broken zip"), ""},
		{"名单.pdf", []byte("%PDF-1.4 ..."), "PDF"},
	} {
		body := mustStatus(t, f.do("clerk", withSess(uploadReq(f.A, c.name, c.data), s)), http.StatusUnprocessableEntity)
		contains(t, body, `id="import-error"`, `id="import-form"`)
		if c.want != "" {
			contains(t, body, c.want)
		}
		empty()
	}
	// no file at all
	rq := uploadReq(f.A, "", nil)
	body := mustStatus(t, f.do("clerk", withSess(rq, s)), http.StatusUnprocessableEntity)
	contains(t, body, html.EscapeString(nuanxin.T("ui.import.no_file")))
	// too large
	f.srv.maxUpload = 1000
	body = mustStatus(t, f.do("clerk", withSess(uploadReq(f.A, "大.xlsx", make([]byte, 5000)), s)), http.StatusRequestEntityTooLarge)
	contains(t, body, "文件超过 1 MB")
	empty()
	f.srv.maxUpload = maxUpload
	// without the token first, the upload is refused as forged
	rq = uploadReq(f.A, "x.xlsx", rosterXLSX(t, importRows("令牌", 1)))
	rq.noCSRF = true
	mustStatus(t, f.do("clerk", withSess(rq, s)), http.StatusForbidden)
	// an org outside the scope is not there
	mustStatus(t, f.do("clerk", withSess(uploadReq(f.B, "x.xlsx", rosterXLSX(t, importRows("外", 1))), s)), http.StatusNotFound)
	empty()
}

func TestImportProgressPartial(t *testing.T) {
	f := newFixture(t)
	clerk := f.users["clerk"].U
	j := f.newJob(clerk, f.A, rosterXLSX(t, importRows("进度", 2)), false, nil)
	// a running commit shows rows, rate and time left, and keeps polling
	j.mu.Lock()
	j.state, j.total, j.started = jobImporting, 1000, f.srv.now().Add(-10*time.Second)
	j.mu.Unlock()
	j.rows.Store(250)
	j.stage.Store("read")
	w := f.do("clerk", req{method: "GET", path: "/imports/" + j.ID + "/progress", htmx: true})
	body := mustStatus(t, w, http.StatusOK)
	contains(t, body, `hx-trigger="every 1s"`, `hx-swap="outerHTML"`, "已处理 250 行 · 每秒 25 行", "预计剩余 约 30 秒", "25%", `<progress max="1000" value="250">`)
	if w.Header().Get("HX-Refresh") != "" {
		t.Error("refresh while running")
	}
	// a second commit while it runs is not started
	mustStatus(t, f.do("clerk", req{method: "POST", path: "/imports/" + j.ID + "/commit"}), http.StatusSeeOther)
	// finished: htmx reloads the page
	j.mu.Lock()
	j.state = jobFailed
	j.err = nuanxin.Invalid("sheet", "roster.import.no_visible_sheet")
	j.mu.Unlock()
	w = f.do("clerk", req{method: "GET", path: "/imports/" + j.ID + "/progress", htmx: true})
	mustStatus(t, w, http.StatusOK)
	if w.Header().Get("HX-Refresh") != "true" {
		t.Error("no HX-Refresh when the phase is over")
	}
	if strings.Contains(w.Body.String(), "hx-trigger") {
		t.Error("still polling after the end")
	}
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: "/imports/" + j.ID}), http.StatusOK)
	contains(t, body, "处理未完成", "没有可见的工作表")
}

func TestImportTemplate(t *testing.T) {
	f := newFixture(t)
	w := f.do("clerk", req{method: "GET", path: "/members/template.xlsx"})
	mustStatus(t, w, http.StatusOK)
	if ct := w.Header().Get("Content-Type"); ct != xlsxType {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := w.Header().Get("Content-Disposition"); !strings.Contains(cd, rfc5987("会员名册导入模板.xlsx")) {
		t.Errorf("Content-Disposition %q", cd)
	}
	x, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows(x.GetSheetName(0))
	if len(rows) == 0 || !strings.Contains(strings.Join(rows[0], "|"), "身份证号码") {
		t.Errorf("template header %q", rows)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 45210: "45,210", 1234567: "1,234,567"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %s", n, got)
		}
	}
}

func TestRFC5987(t *testing.T) {
	if got := rfc5987("会员 名册-1.xlsx"); got != "%E4%BC%9A%E5%91%98%20%E5%90%8D%E5%86%8C-1.xlsx" {
		t.Errorf("rfc5987: %s", got)
	}
	if got := cleanFileName(`C:\Users\干事\桌面\花名册.xlsx`); got != "花名册.xlsx" {
		t.Errorf("cleanFileName: %q", got)
	}
	if got := cleanFileName("../../etc/passwd"); got != "passwd" {
		t.Errorf("cleanFileName: %q", got)
	}
}

// Jobs and their files last a day; files no job knows go after a day too.
func TestImportJobsExpire(t *testing.T) {
	f := newFixture(t)
	clerk := f.users["clerk"].U
	j := f.newJob(clerk, f.A, rosterXLSX(t, importRows("过期", 1)), false, nil)
	orphan, err := f.srv.jobs.newDir()
	if err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-25 * time.Hour)
	if err := os.Chtimes(orphan, old, old); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, f.do("clerk", req{method: "GET", path: "/imports/" + j.ID}), http.StatusOK)
	now := f.srv.now
	f.srv.now = func() time.Time { return now().Add(jobTTL + time.Minute) }
	defer func() { f.srv.now = now }()
	body := mustStatus(t, f.do("clerk", req{method: "GET", path: "/imports/" + j.ID}), http.StatusNotFound)
	contains(t, body, "已过期")
	if _, err := os.Stat(j.Dir); !os.IsNotExist(err) {
		t.Errorf("expired job's file kept: %v", err)
	}
	// the next upload sweeps the orphan
	mustStatus(t, f.do("clerk", uploadReq(f.A, "新.xlsx", rosterXLSX(t, importRows("清理", 1)))), http.StatusSeeOther)
	if _, err := os.Stat(orphan); !os.IsNotExist(err) {
		t.Errorf("orphan upload kept: %v", err)
	}
}
