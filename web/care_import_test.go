package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/roster"
)

// careXLSX is a 慰问登记表 as unions keep them: a title row, then 序号,
// 姓名, 身份证号, 慰问类别, 慰问日期, 金额（元）, 慰问形式, 经办人.
func careXLSX(t testing.TB, rows [][]string) []byte {
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
	set(1, []string{"发电公司工会2025年慰问登记表"})
	set(2, []string{"序号", "姓名", "身份证号", "慰问类别", "慰问日期", "金额（元）", "慰问形式", "经办人"})
	for i, r := range rows {
		set(i+3, append([]string{fmt.Sprint(i + 1)}, r...))
	}
	var buf bytes.Buffer
	if _, err := x.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// careImpRows are a fresh member's 2025 records (one 住院, one 生日) and,
// with bad, a row of nobody.
func (f *fixture) careImpRows(bad bool) [][]string {
	m, idn := f.payMember(f.A.ID, "历史"+string(rune('甲'+next()%10)))
	rows := [][]string{
		{m.Name, idn, "住院慰问", "2025-06-01", "1000", "现金", "刘干事"},
		{m.Name, idn, "生日", fmt.Sprintf("2025-%02d-01", int(m.BirthDate.Month)), "200", "蛋糕券", "刘干事"},
	}
	if bad {
		rows = append(rows, []string{"查无此人", "", "生日", "2025-03-01", "200", "实物", "刘干事"})
	}
	return rows
}

// newCareJob opens a care import job for user on org as an upload would,
// and with dry runs the dry run to its end.
func (f *fixture) newCareJob(user *nuanxin.User, org *nuanxin.Org, data []byte, dry bool, sc *nuanxin.Scope) *importJob {
	f.t.Helper()
	dir, err := f.srv.jobs.newDir()
	if err != nil {
		f.t.Fatal(err)
	}
	name := fmt.Sprintf("慰问登记表%d.xlsx", next())
	path := dir + "/" + name
	if err := os.WriteFile(path, data, 0o600); err != nil {
		f.t.Fatal(err)
	}
	opt := roster.ImportOptions{Sheet: -1}
	insp, err := roster.InspectCare(path, opt)
	if err != nil || insp.Header == nil {
		f.t.Fatalf("inspect: %+v %v", insp, err)
	}
	opt.Sheet = insp.Sheet
	j := &importJob{ID: newToken(), Kind: jobCare, Owner: user.ID, OrgID: org.ID, OrgName: org.Name, FileName: name, Path: path,
		Dir: dir, Size: int64(len(data)), Created: f.srv.now(), opt: opt, insp: insp, state: jobPending}
	f.srv.jobs.add(j)
	if dry {
		run := f.srv.careImpRunnerFor(sc, j, false)
		if err := f.srv.jobs.start(bg, j, false, run, f.srv.now, func(error) {}); err != nil {
			f.t.Fatal(err)
		}
		if v := f.waitJob(j.ID); v.State != jobChecked {
			f.t.Fatalf("dry run: %s %v", v.State, v.Err)
		}
	}
	return j
}

// careJobRow acts on a care import job of the clerk (in) or of another
// user (out), as jobRow does for rosters.
func careJobRow(suffix string, dry, bad bool) func(*fixture, bool) target {
	return func(f *fixture, in bool) target {
		owner, sc := f.UB, sys
		if in {
			owner, sc = f.users["clerk"].U, f.scopeFor("clerk")
		}
		j := f.newCareJob(owner, f.A, careXLSX(f.t, f.careImpRows(bad)), dry, sc)
		method := "GET"
		if suffix == "/options" || suffix == "/check" || suffix == "/commit" {
			method = "POST"
		}
		return target{rq: req{method: method, path: "/care/import/" + j.ID + suffix}, secret: j.FileName}
	}
}

// careImpRowsMatrix are the matrix rows of the care import routes.
func careImpRowsMatrix() []matrixRow {
	job := "404 404 200 404 404 404 303"
	post := "404 404 303 404 404 404 303"
	none := "404 404 404 404 404 404 303"
	return []matrixRow{
		{"GET", "/care/import", plain("GET", "/care/import"), "403 200 200 403 403 403 303", ""},
		{"POST", "/care/import", func(f *fixture, in bool) target {
			org, _, _ := f.pick(in)
			rq := req{method: "POST", path: "/care/import", form: url.Values{"org_id": {id64(org.ID)}},
				file: &upfile{"file", "慰问登记表.xlsx", careXLSX(f.t, f.careImpRows(false))}}
			return target{rq: rq, secret: org.Name}
		}, "403 303 303 403 403 403 303", "403 404 404 403 403 403 303"},
		{"GET", "/care/import/template.xlsx", plain("GET", "/care/import/template.xlsx"), "403 200 200 403 403 403 303", ""},
		{"GET", "/care/import/{id}", careJobRow("", false, false), job, none},
		{"GET", "/care/import/{id}/progress", careJobRow("/progress", false, false), job, none},
		{"POST", "/care/import/{id}/options", careJobRow("/options", false, false), post, none},
		{"POST", "/care/import/{id}/check", careJobRow("/check", false, false), post, none},
		{"POST", "/care/import/{id}/commit", careJobRow("/commit", true, false), post, none},
		{"GET", "/care/import/{id}/rejected.xlsx", careJobRow("/rejected.xlsx", true, true), job, none},
	}
}

func TestCareImportFlow(t *testing.T) {
	f := payFixture(t)
	clerk := f.login("clerk")
	rows := f.careImpRows(true)
	// a 生日 of 1500元 breaks the 300元 cap: imported with a warning
	rows[1][4] = "1500"

	body := mustStatus(t, f.do("clerk", req{method: "GET", path: "/care/import", sess: clerk}), http.StatusOK)
	contains(t, body, `id="care-import-form"`, "/care/import/template.xlsx")
	w := f.do("clerk", req{method: "GET", path: "/care/import/template.xlsx", sess: clerk})
	if mustStatus(t, w, http.StatusOK); w.Header().Get("Content-Type") != xlsxType || !strings.Contains(w.Header().Get("Content-Disposition"), "filename*=UTF-8''") {
		t.Errorf("template headers %v", w.Header())
	}

	w = f.do("clerk", req{method: "POST", path: "/care/import", sess: clerk, form: url.Values{"org_id": {id64(f.A.ID)}},
		file: &upfile{"file", "2025年慰问登记表.xlsx", careXLSX(t, rows)}})
	mustStatus(t, w, http.StatusSeeOther)
	loc := w.Header().Get("Location")
	id := strings.TrimPrefix(loc, "/care/import/")
	if !strings.HasPrefix(loc, "/care/import/") || id == "" {
		t.Fatalf("after upload: %q", loc)
	}
	v := f.waitJob(id) // the dry run started with the upload
	if v.State != jobChecked || v.Dry == nil || v.Dry.Created != 2 || v.Dry.Rejected != 1 {
		t.Fatalf("dry run: %s %+v %v", v.State, v.Dry, v.Err)
	}
	if list, _ := f.db.FindCareCases(bg, sys, nuanxin.CareFilter{}); list.Total != 0 {
		t.Fatalf("the dry run stored %d cases", list.Total)
	}
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: loc, sess: clerk}), http.StatusOK)
	contains(t, body, "预检结果", `id="errors-table"`, "查无此人", `id="warnings-table"`, "300", "确认导入 2 条", "B列（姓名）")
	w = f.do("clerk", req{method: "GET", path: loc + "/rejected.xlsx", sess: clerk})
	if mustStatus(t, w, http.StatusOK); w.Header().Get("Content-Type") != xlsxType {
		t.Errorf("rejected rows: %v", w.Header())
	}
	// a care job is not a roster job, and no one else's
	mustStatus(t, f.do("clerk", req{method: "GET", path: "/imports/" + id, sess: clerk}), http.StatusNotFound)
	mustStatus(t, f.do("chair", req{method: "GET", path: loc}), http.StatusNotFound)
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: "/members/import", sess: clerk}), http.StatusOK)
	if strings.Contains(body, "2025年慰问登记表") {
		t.Error("the roster import lists a care import")
	}
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: "/care/import", sess: clerk}), http.StatusOK)
	contains(t, body, "2025年慰问登记表", "导入 2 · 已有 0 · 未导入 1")

	mustStatus(t, f.do("clerk", req{method: "POST", path: loc + "/commit", sess: clerk}), http.StatusSeeOther)
	v = f.waitJob(id)
	if v.State != jobDone || v.Final == nil || v.Final.Created != 2 {
		t.Fatalf("commit: %s %+v %v", v.State, v.Final, v.Err)
	}
	list, err := f.db.FindCareCases(bg, sys, nuanxin.CareFilter{})
	if err != nil || list.Total != 2 {
		t.Fatalf("stored: %+v %v", list, err)
	}
	for _, c := range list.Cases {
		if c.Status != nuanxin.CarePaid || !c.Historical {
			t.Errorf("imported case %+v", c)
		}
	}
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: loc, sess: clerk}), http.StatusOK)
	contains(t, body, "导入结果", "已导入")

	// the same file again changes nothing
	w = f.do("clerk", req{method: "POST", path: "/care/import", sess: clerk, form: url.Values{"org_id": {id64(f.A.ID)}},
		file: &upfile{"file", "again.xlsx", careXLSX(t, rows)}})
	mustStatus(t, w, http.StatusSeeOther)
	v = f.waitJob(strings.TrimPrefix(w.Header().Get("Location"), "/care/import/"))
	if v.Dry == nil || v.Dry.Created != 0 || v.Dry.Unchanged != 2 || v.Committable() != 0 {
		t.Fatalf("second dry run: %+v", v.Dry)
	}

	// a file without a 慰问 header: the mapping page says why
	w = f.do("clerk", req{method: "POST", path: "/care/import", sess: clerk, form: url.Values{"org_id": {id64(f.A.ID)}},
		file: &upfile{"file", "花名册.xlsx", rosterXLSX(t, importRows("名册", 2))}})
	mustStatus(t, w, http.StatusSeeOther)
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: w.Header().Get("Location"), sess: clerk}), http.StatusOK)
	contains(t, body, `id="header-error"`, "慰问登记表的表头")
	// not a spreadsheet at all
	body = mustStatus(t, f.do("clerk", req{method: "POST", path: "/care/import", sess: clerk, form: url.Values{"org_id": {id64(f.A.ID)}},
		file: &upfile{"file", "x.xlsx", []byte("PK\x03\x04 broken")}}), http.StatusUnprocessableEntity)
	contains(t, body, `id="import-error"`)
}
