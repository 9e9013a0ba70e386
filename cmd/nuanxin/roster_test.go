package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/bench"
)

// TestMain lets a test run the CLI in a child process (to kill it).
func TestMain(m *testing.M) {
	if args := os.Getenv("NUANXIN_TEST_CLI"); args != "" {
		err := run(context.Background(), strings.Split(args, "\x1f"), os.Stdout, os.Stderr)
		if err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func writeRoster(t *testing.T, path string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := bench.WriteRosterXLSX(f, n); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

func importJSONOf(t *testing.T, out string) importJSON {
	t.Helper()
	var r importJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not one JSON object: %q: %v", out, err)
	}
	return r
}

func TestImportExportCommands(t *testing.T) {
	t.Setenv("NUANXIN_KEY", "")
	dir := t.TempDir()
	db := filepath.Join(dir, "n.db")
	if out, err := cli(t, db, "org", "add", "--name", "发电公司工会", "--kind", "基层工会", "--code", "FD"); err != nil {
		t.Fatalf("org add: %q %v", out, err)
	}
	file := filepath.Join(dir, "花名册.xlsx")
	writeRoster(t, file, 300)

	// Flags after the file, as people type them.
	out, err := cli(t, db, "import", "members", file, "--org", "FD", "--dry-run", "--json")
	if err != nil {
		t.Fatalf("dry run: %q %v", out, err)
	}
	if r := importJSONOf(t, out); r.Created != 300 || r.Rejected != 0 || r.Errors == nil {
		t.Fatalf("dry run = %+v", r)
	}
	out, err = cli(t, db, "import", "members", "--org", "FD", file)
	if err != nil || !strings.Contains(out, "新增300人") {
		t.Fatalf("import: %q %v", out, err)
	}
	out, err = cli(t, db, "import", "members", "--json", "--org", "FD", file)
	if r := importJSONOf(t, out); err != nil || r.Unchanged != 300 || r.Created != 0 {
		t.Fatalf("re-import = %+v %v", r, err)
	}

	// A GB18030 CSV with one good row, one changed row and one damaged 身份证号.
	_, id0, _, _ := bench.Person(0)
	_, id1, _, _ := bench.Person(1)
	newID := "11010519900307993" + string(nuanxin.IDCheckDigit("11010519900307993"))
	csv := "姓名,身份证号码,手机号码,部门\r\n" +
		"新人甲," + newID + ",13800000001,运行部\r\n" +
		bench.PersonName(1) + "," + id1 + ",13912345678,检修部\r\n" +
		"坏号码," + "4.30102E+17" + ",,\r\n" +
		bench.PersonName(0) + "," + strings.ToLower(id0) + ",,\r\n"
	gbk, err := simplifiedchinese.GB18030.NewEncoder().String(csv)
	if err != nil {
		t.Fatal(err)
	}
	csvPath := filepath.Join(dir, "变动.csv")
	os.WriteFile(csvPath, []byte(gbk), 0o600)
	rejected := filepath.Join(dir, "未导入.xlsx")
	out, err = cli(t, db, "import", "members", csvPath, "--org", "FD", "--json", "--rejected", rejected)
	if err != nil {
		t.Fatalf("csv import: %q %v", out, err)
	}
	r := importJSONOf(t, out)
	if r.Created != 1 || r.Updated != 1 || r.Unchanged != 1 || r.Rejected != 1 || len(r.Errors) != 1 || r.Errors[0].Row != 4 ||
		!strings.Contains(r.Errors[0].Column, "身份证号码") || !strings.Contains(r.Errors[0].Reason, "科学计数") {
		t.Fatalf("csv import = %+v", r)
	}
	x, err := excelize.OpenFile(rejected)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := x.GetRows(x.GetSheetName(0))
	if len(rows) != 2 || !strings.Contains(strings.Join(rows[1], "|"), "坏号码") || !strings.Contains(strings.Join(rows[1], "|"), "科学计数") {
		t.Fatalf("rejected workbook = %q", rows)
	}

	exp := filepath.Join(dir, "导出.xlsx")
	out, err = cli(t, db, "export", "members", "--org", "FD", "-o", exp)
	if err != nil || !strings.Contains(out, "已导出 301 人") {
		t.Fatalf("export: %q %v", out, err)
	}
	x, err = excelize.OpenFile(exp)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ = x.GetRows(x.GetSheetName(0))
	if len(rows) != 302 || rows[0][1] != "身份证号码" || strings.Contains(strings.Join(rows[1], ""), id0[6:14]) {
		t.Fatalf("export rows %d, header %q, first %q", len(rows), rows[0], rows[1])
	}
	// The export re-imports as it is: nothing changes.
	out, err = cli(t, db, "import", "members", exp, "--org", "FD", "--json", "--dry-run")
	if r := importJSONOf(t, out); err != nil || r.Unchanged != 301 {
		t.Fatalf("re-import of the export = %+v %v", r, err)
	}
	if _, err = cli(t, db, "export", "members", "--org", "FD", "-o", exp, "--unmasked"); err == nil {
		t.Fatal("unmasked export without a reason")
	}
}

// TestImportKilledMidway kills an import while it writes and checks that
// nothing of it was stored and that the same file then imports whole.
func TestImportKilledMidway(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a child process")
	}
	t.Setenv("NUANXIN_KEY", "")
	dir := t.TempDir()
	db := filepath.Join(dir, "n.db")
	if out, err := cli(t, db, "org", "add", "--name", "发电公司工会", "--kind", "基层工会", "--code", "FD"); err != nil {
		t.Fatalf("org add: %q %v", out, err)
	}
	indexesBefore := 0
	if raw, err := sql.Open("sqlite", db); err == nil {
		raw.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('members', 'member_keys', 'member_events')`).Scan(&indexesBefore)
		raw.Close()
	}
	if indexesBefore < 5 {
		t.Fatalf("%d member indexes before the import", indexesBefore)
	}
	const n = 40000
	file := filepath.Join(dir, "花名册.xlsx")
	writeRoster(t, file, n)

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "NUANXIN_PROGRESS=lines",
		"NUANXIN_TEST_CLI="+strings.Join([]string{"import", "members", file, "--org", "FD", "--db", db}, "\x1f"))
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	killedAt := 0
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 3 && f[0] == "progress" && f[1] == "write" {
			if rows, _ := strconv.Atoi(f[2]); rows >= n/2 {
				cmd.Process.Signal(syscall.SIGKILL)
				killedAt = rows
				break
			}
		}
	}
	cmd.Wait()
	if killedAt == 0 {
		t.Fatal("the import finished before it could be killed")
	}
	time.Sleep(100 * time.Millisecond)

	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	var members, indexes int
	var check string
	raw.QueryRow(`SELECT COUNT(*) FROM members`).Scan(&members)
	raw.QueryRow(`PRAGMA integrity_check`).Scan(&check)
	// A first import of this size drops and rebuilds the member indexes
	// inside its transaction: the kill must bring all of them back.
	raw.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('members', 'member_keys', 'member_events')`).Scan(&indexes)
	raw.Close()
	if members != 0 || check != "ok" || indexes != indexesBefore {
		t.Fatalf("killed at %d rows written: %d members stored, integrity %q, %d indexes (before %d)", killedAt, members, check, indexes, indexesBefore)
	}
	out, err := cli(t, db, "import", "members", file, "--org", "FD", "--json")
	if r := importJSONOf(t, out); err != nil || r.Created != n {
		t.Fatalf("import after the kill = %+v %v", r, err)
	}
	if out, err := cli(t, db, "audit", "verify"); err != nil {
		t.Fatalf("audit verify after the kill: %q %v", out, err)
	}
}
