package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/report"
	"github.com/nuanxin/nuanxin/summary"
)

func init() {
	commands["report summary"] = cmdReportSummary
}

const reportSummaryUsage = "用法：nuanxin report summary --org 组织 --from 2026-01-01 --to 2026-12-31 [--campaign 活动ID] --format docx|html|md -o 文件（md、html 可用 -o - 输出到屏幕）"

// cmdReportSummary writes the 工作总结 of an org subtree and period from
// the records: `nuanxin report summary --org ORG --from YYYY-MM-DD --to
// YYYY-MM-DD --format docx|html|md -o FILE`.
func cmdReportSummary(ctx context.Context, args []string, out, _ io.Writer) error {
	fs := flag.NewFlagSet("report summary", flag.ContinueOnError)
	var d dbFlags
	d.register(fs)
	orgRef := fs.String("org", "", "总结哪个工会组织（含下级；组织 ID 或代码）")
	from := fs.String("from", "", "起始日期，如 2026-01-01")
	to := fs.String("to", "", "截止日期，如 2026-12-31")
	period := fs.String("period", "", "或写统计期间：2026、2026上半年、2026-03")
	campaign := fs.Int64("campaign", 0, "总结一项专项活动（活动 ID；期间取活动起止日期）")
	format := fs.String("format", "", "docx、html 或 md（默认按文件扩展名）")
	file := fs.String("o", "", "输出文件；- 表示标准输出（仅 md、html）")
	theme := fs.String("theme", "", "开头段落的工作主线（默认“服务职工、温暖职工”）")
	baseURL := fs.String("base-url", "", "HTML、md 中数字链接的网址前缀，如 https://nuanxin.example.com")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if err := required("org", *orgRef); err != nil {
		return err
	}
	if err := required("o", *file); err != nil {
		return err
	}
	f := strings.ToLower(*format)
	if f == "" {
		f = strings.TrimPrefix(strings.ToLower(filepath.Ext(*file)), ".")
		if *file == "-" {
			f = "md"
		}
	}
	if f == "htm" {
		f = "html"
	}
	if f != "docx" && f != "html" && f != "md" {
		return usageError("--format 只能是 docx、html 或 md\n" + reportSummaryUsage)
	}
	if f == "docx" && *file == "-" {
		return usageError("docx 不能输出到屏幕，请用 -o 文件.docx")
	}
	var p nuanxin.Period
	switch {
	case *campaign != 0:
	case *period != "":
		var err error
		if p, err = nuanxin.ParsePeriod(*period); err != nil {
			return err
		}
	case *from != "" || *to != "":
		a, err1 := nuanxin.ParseDate(*from)
		b, err2 := nuanxin.ParseDate(*to)
		if err1 != nil || err2 != nil || a.IsZero() || b.IsZero() {
			return usageError("--from 和 --to 要写成 2026-01-01 这样的日期\n" + reportSummaryUsage)
		}
		p = nuanxin.Period{From: a, To: b}
		if !p.Valid() {
			return nuanxin.Invalid("period", "period.invalid", *from+"~"+*to)
		}
	default:
		return usageError("请用 --from/--to、--period 或 --campaign 给出总结的期间\n" + reportSummaryUsage)
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
	g := &summary.Generator{Stats: db, Orgs: db, Campaigns: db}
	sum, err := g.Generate(ctx, sys, summary.Request{OrgID: org.ID, Period: p, CampaignID: *campaign, Theme: *theme})
	if err != nil {
		return err
	}
	write := func(w io.Writer) error {
		switch f {
		case "docx":
			return report.WriteSummaryDOCX(w, sum)
		case "html":
			return report.WriteSummaryHTML(w, sum, report.SummaryHTMLOptions{BaseURL: *baseURL, Links: *baseURL != ""})
		}
		return report.WriteSummaryMarkdown(w, sum, *baseURL)
	}
	if *file == "-" {
		return write(out)
	}
	if err := writeFile(*file, write); err != nil {
		return err
	}
	fmt.Fprintf(out, "已生成 %s：%s\n", sum.Title, *file)
	return nil
}
