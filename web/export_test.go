package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/roster"
)

func xlsxRows(t *testing.T, b []byte) [][]string {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows(x.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestExportXLSXMasked(t *testing.T) {
	f := newFixture(t)
	full, _ := f.db.RevealIDNumber(bg, sys, f.MA.ID, "fixture")
	f.member(f.A1.ID, "李运行")
	w := f.do("clerk", req{method: "GET", path: "/members/export.xlsx?org=" + id(f.A.ID)})
	mustStatus(t, w, http.StatusOK)
	if ct := w.Header().Get("Content-Type"); ct != xlsxType {
		t.Errorf("Content-Type %q", ct)
	}
	cd := w.Header().Get("Content-Disposition")
	want := "会员名册-" + f.A.Name + "-" + strings.ReplaceAll(f.srv.today().String(), "-", "") + ".xlsx"
	if !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename*=UTF-8''"+rfc5987(want)) {
		t.Errorf("Content-Disposition %q, want the name %s", cd, want)
	}
	rows := xlsxRows(t, w.Body.Bytes())
	var header []string
	for _, fl := range roster.MemberFields {
		header = append(header, fl.Title())
	}
	if len(rows) == 0 || strings.Join(rows[0], "|") != strings.Join(header, "|") {
		t.Fatalf("header %q, want %q", rows[0], header)
	}
	all := ""
	for _, r := range rows[1:] {
		all += strings.Join(r, "|") + "\n"
	}
	if !strings.Contains(all, f.MA.IDMasked) || !strings.Contains(all, "李运行") || !strings.Contains(all, "139****5678") {
		t.Errorf("export lacks the masked member rows:\n%s", all)
	}
	if strings.Contains(all, full) || strings.Contains(all, "13912345678") {
		t.Error("masked export carries the plain number")
	}
	if strings.Contains(all, f.MB.Name) {
		t.Error("export carries a member outside the filter")
	}
	// the filter of the list applies
	w = f.do("clerk", req{method: "GET", path: "/members/export.xlsx?q=" + url.QueryEscape("李运行")})
	if rows := xlsxRows(t, mustStatusW(t, w, http.StatusOK).Body.Bytes()); len(rows) != 2 || rows[1][0] != "李运行" {
		t.Errorf("filtered export rows %q", rows)
	}
	// outside the clerk's subtree: not found, no file
	w = f.do("clerk", req{method: "GET", path: "/members/export.xlsx?org=" + id(f.B.ID)})
	body := mustStatus(t, w, http.StatusNotFound)
	if w.Header().Get("Content-Disposition") != "" || strings.Contains(body, f.MB.Name) {
		t.Error("out-of-scope export answered with data")
	}
	// audited
	events, _, err := f.db.FindAuditEvents(bg, sys, nuanxin.AuditFilter{Action: "member.export"})
	if err != nil || len(events) < 2 {
		t.Fatalf("export audit events: %d %v", len(events), err)
	}
}

func TestExportCSV(t *testing.T) {
	f := newFixture(t)
	w := f.do("chair", req{method: "GET", path: "/members/export.csv"})
	mustStatus(t, w, http.StatusOK)
	if ct := w.Header().Get("Content-Type"); ct != csvType {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := w.Header().Get("Content-Disposition"); !strings.Contains(cd, ".csv") {
		t.Errorf("Content-Disposition %q", cd)
	}
	b := w.Body.Bytes()
	if !bytes.HasPrefix(b, []byte("\uFEFF")) {
		t.Error("no BOM")
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF")))).ReadAll()
	if err != nil || len(recs) != 2 || recs[0][1] != "身份证号码" || recs[1][1] != f.MA.IDMasked {
		t.Errorf("csv %q %v", recs, err)
	}
}

func TestExportUnmasked(t *testing.T) {
	f := newFixture(t)
	full, _ := f.db.RevealIDNumber(bg, sys, f.MA.ID, "fixture")
	// no reason: the list again, with the message in the export form
	form := url.Values{"org": {id(f.A.ID)}, "format": {"xlsx"}, "reason": {"  "}}
	w := f.do("clerk", req{method: "POST", path: "/members/export", form: form})
	body := mustStatus(t, w, http.StatusUnprocessableEntity)
	contains(t, body, `id="member-table"`, `id="export-reason-error"`, html.EscapeString(nuanxin.T("member.reveal.reason")),
		`<details class="pop dropdown" id="export-menu" open>`, `name="org" value="`+id(f.A.ID)+`"`)
	if w.Header().Get("Content-Disposition") != "" || strings.Contains(body, full) {
		t.Fatal("export without a reason")
	}
	// with the reason: the full number, audited with the reason
	form.Set("reason", "报送市总工会会员实名统计")
	w = f.do("clerk", req{method: "POST", path: "/members/export", form: form})
	mustStatus(t, w, http.StatusOK)
	if cd := w.Header().Get("Content-Disposition"); !strings.Contains(cd, rfc5987("会员名册（含完整身份证号）-")) {
		t.Errorf("Content-Disposition %q", cd)
	}
	found := false
	for _, r := range xlsxRows(t, w.Body.Bytes()) {
		if len(r) > 1 && r[1] == full {
			found = true
		}
	}
	if !found {
		t.Error("unmasked export lacks the full number")
	}
	events, _, err := f.db.FindAuditEvents(bg, sys, nuanxin.AuditFilter{Action: "member.export"})
	if err != nil {
		t.Fatal(err)
	}
	audited := false
	for _, e := range events {
		if e.Username == "clerk1" && strings.Contains(e.After, "报送市总工会会员实名统计") && strings.Contains(e.After, `"unmasked":true`) {
			audited = true
		}
	}
	if !audited {
		t.Errorf("no audit entry for the unmasked export: %+v", events)
	}
	// a bad format is refused on the form
	form.Set("format", "pdf")
	mustStatus(t, f.do("clerk", req{method: "POST", path: "/members/export", form: form}), http.StatusUnprocessableEntity)
	// the reviewer may not, and the export menu does not offer it
	mustStatus(t, f.do("reviewer", req{method: "POST", path: "/members/export", form: form}), http.StatusForbidden)
	body = mustStatus(t, f.do("reviewer", req{method: "GET", path: "/members"}), http.StatusOK)
	for _, hidden := range []string{`id="export-menu"`, `id="import-roster"`, `id="print-roster"`} {
		if strings.Contains(body, hidden) {
			t.Errorf("reviewer sees %s", hidden)
		}
	}
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: "/members?category=active&q=zs"}), http.StatusOK)
	contains(t, body, `id="export-full"`, `href="/members/export.xlsx?category=active&amp;q=zs"`, `href="/members/print?category=active&amp;q=zs"`, `href="/members/import"`)
	// the htmx list answer carries the toolbar out of band, with the new filter
	part := mustStatus(t, f.do("clerk", req{method: "GET", path: "/members?status=member", htmx: true, header: map[string]string{"HX-Target": "member-table"}}), http.StatusOK)
	contains(t, part, `id="roster-tools" hx-swap-oob="true"`, `href="/members/export.csv?status=member"`)
}

func TestPrintRoster(t *testing.T) {
	f := newFixture(t)
	full, _ := f.db.RevealIDNumber(bg, sys, f.MA.ID, "fixture")
	f.member(f.A1.ID, "王运行")
	body := mustStatus(t, f.do("clerk", req{method: "GET", path: "/members/print?org=" + id(f.A.ID) + "&category=active"}), http.StatusOK)
	contains(t, body, "<title>"+f.A.Name+"会员花名册", `<h1 class="print-title">`+f.A.Name+`会员花名册</h1>`, "<thead>", "打印日期：",
		"人员类别“在岗”", f.MA.IDMasked, "139****5678", "共 2 人", "王运行", "/static/print.css", `data-print`)
	if regexp.MustCompile(`<script>|<script [^>]*>[^<]|<style|style="|\son[a-z]+="`).MatchString(body) {
		t.Error("inline script, style or handler on the print page (CSP forbids them)")
	}
	if strings.Contains(body, full) || strings.Contains(body, `class="sidebar"`) {
		t.Error("print page shows the plain number or the app chrome")
	}
	if strings.Contains(body, f.MB.Name) {
		t.Error("print page lists a member outside the scope")
	}
	mustStatus(t, f.do("clerk", req{method: "GET", path: "/members/print?org=" + id(f.B.ID)}), http.StatusNotFound)
	body = mustStatus(t, f.do("clerk", req{method: "GET", path: "/members/print?q=" + url.QueryEscape("没有这个人")}), http.StatusOK)
	contains(t, body, "共 0 人", "没有符合条件的会员")
}

// stuckMembers is a store whose export pushes members until its context ends.
type stuckMembers struct {
	nuanxin.MemberService
	started chan struct{}
}

func (s stuckMembers) ExportMembers(ctx context.Context, _ *nuanxin.Scope, _ nuanxin.MemberFilter, _ nuanxin.MemberExport, fn func(*nuanxin.Member) error) (int, error) {
	close(s.started)
	for n := 0; ; n++ {
		if err := fn(&nuanxin.Member{Name: "某", IDMasked: "110***********1234", Category: nuanxin.CategoryActive, Status: nuanxin.StatusMember}); err != nil {
			return n, err
		}
	}
}

// A stopped export stops the store's side too: no goroutine is left behind.
func TestExportStreamStops(t *testing.T) {
	f := newFixture(t)
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(bg)
	sm := stuckMembers{f.db, make(chan struct{})}
	srv := &Server{members: sm}
	st := srv.streamMembers(ctx, sys, nuanxin.MemberFilter{}, nuanxin.MemberExport{Format: "xlsx"})
	<-sm.started
	if err := st.Ready(); err != nil {
		t.Fatal(err)
	}
	for range 100 {
		if _, err := st.Next(); err != nil {
			t.Fatal(err)
		}
	}
	cancel() // the client went away
	var err error
	for err == nil {
		_, err = st.Next()
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("after the client left: %v", err)
	}
	st.Close()
	// and a writer that fails stops the producer through close
	sm = stuckMembers{f.db, make(chan struct{})}
	srv.members = sm
	st = srv.streamMembers(bg, sys, nuanxin.MemberFilter{}, nuanxin.MemberExport{})
	if _, err := roster.ExportCSV(failAfter{n: 4096}, nil, st.Next, roster.ExportOptions{}); err == nil {
		t.Error("export to a failing writer succeeded")
	}
	st.Close()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines left behind", n-before)
	}
}

type failAfter struct{ n int }

func (w failAfter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		return 0, errors.New("client gone")
	}
	return len(p), nil
}
