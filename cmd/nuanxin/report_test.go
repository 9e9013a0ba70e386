package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/report/reporttest"
)

// The 工作总结 written by the command carries the figures the store
// computes for the same org and year, in Markdown on stdout and in a
// .docx that LibreOffice opens.
func TestReportSummaryCommand(t *testing.T) {
	t.Setenv("NUANXIN_KEY", "")
	db := filepath.Join(t.TempDir(), "demo.db")
	if out, err := cli(t, db, "demo", "--members", "300"); err != nil {
		t.Fatalf("demo: %q %v", out, err)
	}
	year := nuanxin.Today().Year
	ctx := context.Background()
	d := &dbFlags{dsn: db}
	st, err := d.open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	org, err := st.FindOrgByRef(ctx, sys, "HX")
	if err != nil {
		t.Fatal(err)
	}
	total, err := st.CareTotal(ctx, sys, nuanxin.StatsFilter{OrgID: org.ID, Period: nuanxin.YearPeriod(year)})
	st.Close()
	if err != nil || total.Cases == 0 {
		t.Fatalf("the demo's care total: %+v %v", total, err)
	}
	figures := nuanxin.T("summary.persons", total.Persons) + "、" + nuanxin.T("summary.person_times", total.Cases)

	md, err := cli(t, db, "report", "summary", "--org", "HX", "--from", nuanxin.NewDate(year, 1, 1).String(),
		"--to", nuanxin.NewDate(year, 12, 31).String(), "--format", "md", "-o", "-")
	if err != nil || !strings.HasPrefix(md, "# ") || !strings.Contains(md, "累计慰问会员"+figures) || !strings.Contains(md, "## 二、存在的问题和不足") {
		t.Fatalf("markdown: %v\n%s", err, md)
	}

	docx := filepath.Join(t.TempDir(), "总结.docx")
	out, err := cli(t, db, "report", "summary", "--org", "HX", "--period", nuanxin.YearPeriod(year).String(), "-o", docx)
	if err != nil || !strings.Contains(out, "已生成") {
		t.Fatalf("docx: %q %v", out, err)
	}
	b, err := os.ReadFile(docx)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(reporttest.DocxText(t, b)), "")
	for _, want := range []string{"工作总结", "一、主要工作及成效", "累计慰问会员" + figures, "三、下一步工作打算"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF of the .docx lacks %q:\n%s", want, text)
		}
	}

	// Usage errors are named.
	if _, err := cli(t, db, "report", "summary", "--org", "HX", "--period", "2026", "--format", "docx", "-o", "-"); err == nil {
		t.Error("a .docx to stdout was accepted")
	}
	if _, err := cli(t, db, "report", "summary", "--org", "HX", "--from", "2026-12-31", "--to", "2026-01-01", "-o", "-"); err == nil {
		t.Error("a period ending before it starts was accepted")
	}
}
