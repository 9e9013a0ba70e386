package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/roster"
)

// cliChild runs one command line in a child process (TestMain's harness),
// so stdout holds only what the command printed there: --json must be
// one object with nothing around it, whatever goes to stderr.
func cliChild(t *testing.T, db string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "NUANXIN_TEST_CLI="+strings.Join(append(args, "--db", db), "\x1f"))
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	return out.String(), errb.String(), err
}

// someMembers reads n members (name and 身份证号) of an org from an
// unmasked export, through the roster reader.
func someMembers(t *testing.T, db, org string, n int) []nuanxin.Member {
	t.Helper()
	exp := filepath.Join(t.TempDir(), "members.xlsx")
	if out, err := cli(t, db, "export", "members", "--org", org, "-o", exp, "--unmasked", "--reason", "测试慰问导入"); err != nil {
		t.Fatalf("export: %q %v", out, err)
	}
	b, err := roster.Open(exp, roster.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	mr, err := roster.OpenMembers(b, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer mr.Close()
	var out []nuanxin.Member
	for len(out) < n {
		r, err := mr.Next()
		if err != nil {
			t.Fatalf("%d members read: %v", len(out), err)
		}
		if r.Member.IDNumber != "" && r.Member.Status == nuanxin.StatusMember {
			out = append(out, r.Member)
		}
	}
	return out
}

// writeCareRegister writes a 慰问登记表 with excelize as an officer keeps
// one: a title row, the header on row 2, one row per 慰问.
func writeCareRegister(t *testing.T, path string, rows [][]any) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	set := func(row int, vals []any) {
		for i, v := range vals {
			cell, _ := excelize.CoordinatesToCellName(i+1, row)
			if err := f.SetCellValue(sheet, cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	set(1, []any{"检修公司工会2024年慰问登记表"})
	f.MergeCell(sheet, "A1", "I1")
	set(2, []any{"序号", "姓名", "身份证号码", "慰问类别", "慰问日期", "金额（元）", "慰问形式", "经办人", "备注"})
	for i, r := range rows {
		set(i+3, append([]any{i + 1}, r...))
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// importJSONExact decodes the --json output and checks its shape: exactly
// the keys of importJSON, errors an array of {row, column, reason}.
func importJSONExact(t *testing.T, out string) importJSON {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	var raw map[string]json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		t.Fatalf("not a JSON object: %q: %v", out, err)
	}
	if rest, _ := io.ReadAll(dec.Buffered()); strings.TrimSpace(string(rest)) != "" || !strings.HasSuffix(out, "}\n") {
		t.Fatalf("more than one JSON object on stdout: %q", out)
	}
	var keys []string
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if strings.Join(keys, ",") != "created,errors,rejected,unchanged,updated" {
		t.Fatalf("keys %v", keys)
	}
	var errs []map[string]any
	if err := json.Unmarshal(raw["errors"], &errs); err != nil || errs == nil {
		t.Fatalf("errors is not an array: %s", raw["errors"])
	}
	for _, e := range errs {
		var ks []string
		for k := range e {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		if strings.Join(ks, ",") != "column,reason,row" {
			t.Fatalf("error keys %v", ks)
		}
		if _, ok := e["row"].(float64); !ok {
			t.Fatalf("row is not a number: %v", e)
		}
	}
	return importJSONOf(t, out)
}

func countCases(t *testing.T, db string) int {
	t.Helper()
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM care_cases`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportCareCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	t.Setenv("NUANXIN_KEY", "")
	dir := t.TempDir()
	db := filepath.Join(dir, "n.db")
	// The demo adopts the 安徽 pack (住院 capped at 1000元) at the group.
	if out, err := cli(t, db, "demo", "--members", "300"); err != nil {
		t.Fatalf("demo: %q %v", out, err)
	}
	ms := someMembers(t, db, "HX-JX", 4)
	damaged, _ := strconv.ParseInt(ms[3].IDNumber[:17]+"0", 10, 64)
	file := filepath.Join(dir, "慰问登记表.xlsx")
	writeCareRegister(t, file, [][]any{
		{ms[0].Name, ms[0].IDNumber, "结婚", "2024-05-01", 500, "实物", "王会计", ""},
		{ms[1].Name, ms[1].IDNumber, "生病住院", "2024-06-03", 800, "慰问金", "王会计", ""},
		{ms[2].Name, ms[2].IDNumber, "住院", "2024-07-10", 1500, "慰问金", "王会计", "手术"}, // over the cap
		{ms[0].Name, ms[0].IDNumber, "春节慰问", "2024-02-05", 300, "实物", "王会计", ""},
		{ms[3].Name, float64(damaged), "退休", "2024-03-01", 1000, "慰问金", "王会计", ""}, // 身份证号 kept as a number
	})
	before := countCases(t, db)

	check := func(r importJSON, created, unchanged int) {
		t.Helper()
		if r.Created != created || r.Unchanged != unchanged || r.Updated != 0 || r.Rejected != 1 {
			t.Fatalf("counts %+v", r)
		}
		var rejected, warned []nuanxin.RowError
		for _, e := range r.Errors {
			if strings.HasPrefix(e.Reason, "提示：") {
				warned = append(warned, e)
			} else {
				rejected = append(rejected, e)
			}
		}
		if len(rejected) != 1 || rejected[0].Row != 7 || rejected[0].Column != "C列（身份证号码）" || rejected[0].Reason == "" {
			t.Errorf("rejections %+v", rejected)
		}
		// The cap is a warning on the row that broke it: the record is true.
		capWarned := false
		for _, e := range warned {
			capWarned = capWarned || e.Row == 5 && strings.Contains(e.Reason, "不符合慰问标准")
		}
		if unchanged == 0 && !capWarned {
			t.Errorf("no cap warning on row 5: %+v", warned)
		}
	}

	// Flags after the file, as people type them; stdout is the JSON alone.
	out, stderr, err := cliChild(t, db, "import", "care", file, "--org", "HX-JX", "--dry-run", "--json")
	if err != nil {
		t.Fatalf("dry run: %q %q %v", out, stderr, err)
	}
	check(importJSONExact(t, out), 4, 0)
	if n := countCases(t, db); n != before {
		t.Fatalf("the dry run stored %d cases", n-before)
	}

	rejected := filepath.Join(dir, "未导入.xlsx")
	out, stderr, err = cliChild(t, db, "import", "care", "--org", "HX-JX", "--json", "--rejected", rejected, file)
	if err != nil {
		t.Fatalf("import: %q %q %v", out, stderr, err)
	}
	check(importJSONExact(t, out), 4, 0)
	if n := countCases(t, db); n != before+4 {
		t.Fatalf("%d cases stored, want 4", n-before)
	}
	x, err := excelize.OpenFile(rejected)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := x.GetRows(x.GetSheetName(0))
	x.Close()
	if len(rows) != 2 || rows[1][0] != "7" || rows[1][2] != ms[3].Name || !strings.HasPrefix(rows[1][len(rows[1])-1], "C列（身份证号码）：") {
		t.Fatalf("rejected workbook = %q", rows)
	}

	// Again: nothing new.
	out, stderr, err = cliChild(t, db, "import", "care", "--json", "--org", "HX-JX", file)
	if err != nil {
		t.Fatalf("re-import: %q %q %v", out, stderr, err)
	}
	check(importJSONExact(t, out), 0, 4)
	if n := countCases(t, db); n != before+4 {
		t.Fatalf("the re-import stored %d more cases", n-before-4)
	}

	// The text output, with the org by its id.
	org, err := cli(t, db, "org", "list")
	if err != nil {
		t.Fatal(err)
	}
	id := ""
	for _, l := range strings.Split(org, "\n") {
		if strings.HasSuffix(l, "代码 HX-JX") {
			id = strings.Fields(l)[0]
		}
	}
	out, err = cli(t, db, "import", "care", "--org", id, "--dry-run", file)
	if err != nil || !strings.Contains(out, "预检共5行：将新增0条慰问记录，已有（无变化）4条，不能导入1行") ||
		!strings.Contains(out, "第7行 C列（身份证号码）：") || !strings.Contains(out, "读取工作表") {
		t.Fatalf("text output: %q %v", out, err)
	}

	// Usage errors, as for members.
	if _, err := cli(t, db, "import", "care", file); err == nil || !strings.Contains(err.Error(), "--org") {
		t.Errorf("no --org: %v", err)
	}
	if _, err := cli(t, db, "import", "care", "--org", "HX-JX"); err == nil || !strings.Contains(err.Error(), "import care") {
		t.Errorf("no file: %v", err)
	}
	// A roster is not a 登记表: the message says what is missing.
	roster := filepath.Join(dir, "花名册.xlsx")
	writeRoster(t, roster, 3)
	if _, err := cli(t, db, "import", "care", "--org", "HX-JX", roster); err == nil || !strings.Contains(nuanxinMessage(err), "慰问登记表的表头") {
		t.Errorf("roster as care: %v", err)
	}
}
