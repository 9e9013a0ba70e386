package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/roster"
	"github.com/nuanxin/nuanxin/store"
)

// importJSON is the one object `import members --json` and `import care
// --json` print. Its shape is a contract with scripts: do not add or
// rename keys. Errors holds the reasons rows were not imported and the
// warnings of imported rows, whose reason starts with 提示：.
type importJSON struct {
	Created   int                `json:"created"`
	Updated   int                `json:"updated"`
	Unchanged int                `json:"unchanged"`
	Rejected  int                `json:"rejected"`
	Errors    []nuanxin.RowError `json:"errors"`
}

// maxTextErrors is how many row errors the text output lists.
const maxTextErrors = 50

func cmdImportMembers(ctx context.Context, args []string, out, errOut io.Writer) error {
	return runImport(ctx, args, out, errOut, importKind{
		name:  "import members",
		usage: "用法：nuanxin import members --org 组织 文件.xlsx [--dry-run] [--json]",
		run: func(ctx context.Context, db *store.DB, path string, opt roster.ImportOptions, org *nuanxin.Org, dry bool, progress func(nuanxin.ImportProgress)) (*nuanxin.ImportReport, error) {
			return roster.ImportMembers(ctx, db, sys, path, opt, nuanxin.MemberImportOptions{OrgID: org.ID, DryRun: dry, Progress: progress})
		},
		rejected: roster.WriteRejectedRows,
		summary:  (*nuanxin.ImportReport).Summary,
	})
}

// importKind is what differs between the imports of a file (会员花名册,
// 慰问登记表); runImport does the rest the same way for each.
type importKind struct {
	name     string // the command, for flag errors
	usage    string
	run      func(ctx context.Context, db *store.DB, path string, opt roster.ImportOptions, org *nuanxin.Org, dry bool, progress func(nuanxin.ImportProgress)) (*nuanxin.ImportReport, error)
	rejected func(w io.Writer, path string, opt roster.ImportOptions, rep *nuanxin.ImportReport) error
	summary  func(rep *nuanxin.ImportReport) string
}

// runImport parses `import … --org ORG FILE [--dry-run] [--json]
// [--rejected F] [--sheet N] [--encoding E]` (flags before or after the
// file), resolves the org by id or code, runs the import with a progress
// bar and prints the result as text or as importJSON.
func runImport(ctx context.Context, args []string, out, errOut io.Writer, k importKind) error {
	fs := flag.NewFlagSet(k.name, flag.ContinueOnError)
	var d dbFlags
	d.register(fs)
	orgRef := fs.String("org", "", "导入到哪个工会组织（组织 ID 或代码）")
	dry := fs.Bool("dry-run", false, "只预检，不写入任何数据")
	asJSON := fs.Bool("json", false, "以 JSON 输出结果")
	sheet := fs.Int("sheet", 0, "读取第几个工作表（从 1 开始；默认第一个有表头的可见工作表）")
	enc := fs.String("encoding", "", "CSV 文件编码：utf-8 或 gb18030（默认自动识别）")
	rejected := fs.String("rejected", "", "把未导入的行连同原因写到这个 .xlsx 文件")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := required("org", *orgRef); err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError(k.usage)
	}
	path := pos[0]
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("找不到文件 %s", path)
	}
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	org, err := db.FindOrgByRef(ctx, sys, *orgRef)
	if err != nil {
		return err
	}
	opt := roster.ImportOptions{Sheet: *sheet - 1, Encoding: *enc}
	bar := newProgressBar(errOut)
	start := time.Now()
	rep, err := k.run(ctx, db, path, opt, org, *dry, bar.update)
	bar.done()
	if err != nil {
		return err
	}
	// A warning is reported among the errors, marked 提示 so a script (and
	// the officer) can tell it from a reason a row was not imported.
	for i, e := range rep.Errors {
		if p := nuanxin.T("import.warning", ""); e.Warning && !strings.HasPrefix(e.Reason, p) {
			rep.Errors[i].Reason = nuanxin.T("import.warning", e.Reason)
		}
	}
	if *rejected != "" && rep.Rejected > 0 {
		if err := writeFile(*rejected, func(w io.Writer) error { return k.rejected(w, path, opt, rep) }); err != nil {
			return err
		}
	}
	if *asJSON {
		enc := json.NewEncoder(out)
		enc.SetEscapeHTML(false)
		return enc.Encode(importJSON{rep.Created, rep.Updated, rep.Unchanged, rep.Rejected, rep.Errors})
	}
	fmt.Fprintf(out, "%s（%s，用时 %.1f 秒）\n", k.summary(rep), org.Name, time.Since(start).Seconds())
	for _, n := range rep.Notes {
		fmt.Fprintln(out, "  · "+n)
	}
	for i, e := range rep.Errors {
		if i == maxTextErrors {
			fmt.Fprintf(out, "……共 %d 条，完整清单请用 --rejected 文件.xlsx 或 --json\n", len(rep.Errors))
			break
		}
		fmt.Fprintln(out, "  "+e.String())
	}
	if *rejected != "" && rep.Rejected > 0 {
		fmt.Fprintf(out, "未导入的行已写到 %s，改正后可直接再次导入。\n", *rejected)
	}
	return nil
}

func cmdExportMembers(ctx context.Context, args []string, out, _ io.Writer) error {
	fs := flag.NewFlagSet("export members", flag.ContinueOnError)
	var d dbFlags
	d.register(fs)
	orgRef := fs.String("org", "", "导出哪个工会组织（含下级；组织 ID 或代码）")
	file := fs.String("o", "", "输出文件（.xlsx 或 .csv；- 表示标准输出，CSV 格式）")
	format := fs.String("format", "", "xlsx 或 csv（默认按文件扩展名）")
	unmasked := fs.Bool("unmasked", false, "导出完整身份证号码和手机号（需同时写明 --reason）")
	reason := fs.String("reason", "", "导出完整号码的事由（记入审计日志）")
	status := fs.String("status", "", "只导出某种会籍状态：member/reserved/transferred/withdrawn/deceased")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if err := required("org", *orgRef); err != nil {
		return err
	}
	if err := required("o", *file); err != nil {
		return err
	}
	f := *format
	if f == "" {
		f = strings.TrimPrefix(strings.ToLower(filepath.Ext(*file)), ".")
		if *file == "-" {
			f = "csv"
		}
	}
	if f != "xlsx" && f != "csv" {
		return usageError("--format 只能是 xlsx 或 csv")
	}
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	org, err := db.FindOrgByRef(ctx, sys, *orgRef)
	if err != nil {
		return err
	}
	filter := nuanxin.MemberFilter{OrgID: org.ID, Status: nuanxin.MemberStatus(*status)}
	x := nuanxin.MemberExport{Unmasked: *unmasked, Reason: *reason, Format: f}
	var n int
	write := func(w io.Writer) error {
		st := roster.StreamMembers(ctx, func(ctx context.Context, fn func(*nuanxin.Member) error) error {
			_, err := db.ExportMembers(ctx, sys, filter, x, fn)
			return err
		})
		defer st.Close()
		if err := st.Ready(); err != nil {
			return err // refused before any byte is written
		}
		opt := roster.ExportOptions{Unmasked: *unmasked}
		var err error
		if f == "xlsx" {
			n, err = roster.ExportXLSX(w, roster.MemberFields, st.Next, opt)
		} else {
			n, err = roster.ExportCSV(w, roster.MemberFields, st.Next, opt)
		}
		return err
	}
	if *file == "-" {
		return write(out)
	}
	if err := writeFile(*file, write); err != nil {
		return err
	}
	fmt.Fprintf(out, "已导出 %d 人到 %s\n", n, *file)
	return nil
}

// writeFile writes through a temporary file renamed into place, so a
// failed export never leaves a half-written file under the real name.
func writeFile(path string, fn func(w io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".nuanxin-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := fn(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// progressBar draws import progress on a terminal (stderr), nothing
// otherwise; NUANXIN_PROGRESS=lines prints one line per update instead
// (for logs, and for the test that kills an import half-way).
type progressBar struct {
	w     io.Writer
	tty   bool
	lines bool
	start time.Time
	last  time.Time
	drawn bool
}

func newProgressBar(w io.Writer) *progressBar {
	return &progressBar{w: w, tty: isTerminal(w), lines: os.Getenv("NUANXIN_PROGRESS") == "lines", start: time.Now()}
}

func (p *progressBar) update(pr nuanxin.ImportProgress) {
	if p.lines {
		fmt.Fprintf(p.w, "progress %s %d\n", pr.Phase, pr.Rows)
		return
	}
	if !p.tty || time.Since(p.last) < 200*time.Millisecond {
		return
	}
	p.last = time.Now()
	rate := float64(pr.Rows) / time.Since(p.start).Seconds()
	phase := "读取、校验"
	if pr.Phase == "write" {
		phase = "写入"
	}
	line := fmt.Sprintf("\r%s：已处理 %d 行，每秒 %.0f 行", phase, pr.Rows, rate)
	if pr.Total > 0 {
		const width = 24
		done := min(width, pr.Rows*width/pr.Total)
		line = fmt.Sprintf("\r[%s%s] %3d%% ", strings.Repeat("█", done), strings.Repeat("·", width-done), min(100, pr.Rows*100/pr.Total)) + line[1:]
	}
	if pr.Total > 0 && rate > 0 && pr.Rows < pr.Total {
		left := time.Duration(float64(pr.Total-pr.Rows)/rate) * time.Second
		line += fmt.Sprintf("，预计还需 %s", left.Round(time.Second))
	}
	fmt.Fprint(p.w, line+"   ")
	p.drawn = true
}

func (p *progressBar) done() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}
