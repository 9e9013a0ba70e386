package report

import (
	"html/template"
	"io"
	"regexp"
	"strings"

	"github.com/nuanxin/nuanxin"
)

// WriteSignOffHTML writes the sheet as a standalone A4 page to print from
// the browser: the banner and the column header repeat on every printed
// page, a row is never split across pages, and nothing is fetched from
// outside (the fonts are the system's).
func WriteSignOffHTML(w io.Writer, s *SignOffSheet) error {
	return signOffTmpl.Execute(w, s)
}

// printCSS is shared by the 签收表 and the 公示. Sizes are in print units:
// 10.5pt is 五号, the size of body text in Chinese office documents.
func printCSS() template.CSS {
	// The page number comes from the catalog: "第 %d 页 共 %d 页" becomes
	// "第 " counter(page) " 页 共 " counter(pages) " 页".
	parts := strings.SplitN(nuanxin.T("report.page"), "%d", 3)
	page := ""
	if len(parts) == 3 {
		page = cssString(parts[0]) + " counter(page) " + cssString(parts[1]) + " counter(pages) " + cssString(parts[2])
	}
	return template.CSS(`
@page { size: A4 portrait; margin: 15mm 15mm 18mm; @bottom-center { content: ` + page + `; font-size: 9pt; } }
html { font-family: "LXGW WenKai", "霞鹜文楷", "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", "宋体", "Songti SC", serif; color: #000; }
body { margin: 0; font-size: 10.5pt; line-height: 1.45; }
.page { width: 180mm; margin: 0 auto; }
@media screen {
  body { background: #e8e8e8; padding: 10mm 0; }
  .page { background: #fff; padding: 15mm; box-shadow: 0 1px 6px rgba(0,0,0,.25); min-height: 267mm; }
}
@media print { body { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
table.sheet { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.sheet thead { display: table-header-group; }
table.sheet tr { break-inside: avoid; page-break-inside: avoid; }
table.sheet td, table.sheet .cols th { border: 0.75pt solid #000; padding: 1mm 1.5mm; vertical-align: middle; overflow-wrap: anywhere; line-break: strict; }
table.sheet .cols th { font-weight: bold; text-align: center; background: #f2f2f2; padding: 1.5mm 1mm; }
table.sheet .banner th { border: none; padding: 0 0 2.5mm; font-weight: normal; text-align: center; }
.org { font-size: 14pt; letter-spacing: 0.1em; }
.title { font-size: 18pt; font-weight: bold; margin: 1mm 0 3mm; letter-spacing: 0.05em; }
.meta { display: flex; justify-content: space-between; gap: 4mm; font-size: 10pt; text-align: left; }
.meta span { white-space: nowrap; }
td.c, th.c { text-align: center; }
.nw { white-space: nowrap; }
td.r { text-align: right; }
tr.total td { font-weight: bold; padding: 2mm 2mm; }
tr.total { break-before: avoid; page-break-before: avoid; }
.footer { break-before: avoid; page-break-before: avoid; break-inside: avoid; display: flex; justify-content: space-between; margin-top: 8mm; font-size: 10.5pt; }
.blank { display: inline-block; min-width: 22mm; border-bottom: 0.75pt solid #000; text-align: center; }
`)
}

// cssString quotes s as a CSS string.
func cssString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\A `, "<", `\3C `).Replace(s) + `"`
}

// amountRun is a number with its unit, or a date, which a line must not
// split (1,000.00元, 2026年11月12日): browsers break CJK text anywhere.
var amountRun = regexp.MustCompile(`\d{4}年\d{1,2}月\d{1,2}日|[¥￥]?\d[\d,.]{0,15}[元万人%号]?`)

// keepAmounts escapes s and wraps its amounts in non-breaking spans.
func keepAmounts(s string) template.HTML {
	var b strings.Builder
	last := 0
	for _, m := range amountRun.FindAllStringIndex(s, -1) {
		b.WriteString(template.HTMLEscapeString(s[last:m[0]]))
		b.WriteString(`<span class="nw">` + template.HTMLEscapeString(s[m[0]:m[1]]) + `</span>`)
		last = m[1]
	}
	b.WriteString(template.HTMLEscapeString(s[last:]))
	return template.HTML(b.String())
}

var tmplFuncs = template.FuncMap{
	"keep":    keepAmounts,
	"t":       nuanxin.T,
	"css":     printCSS,
	"date":    dateText,
	"total":   totalLine,
	"grouped": nuanxin.Money.Grouped,
	// label is "审批编号：…", with a line to write on when the value is
	// not known yet.
	"label": func(key, value string) template.HTML {
		if strings.TrimSpace(value) == "" {
			return template.HTML(template.HTMLEscapeString(nuanxin.T("report.colon", nuanxin.T(key), "")) + `<span class="blank"></span>`)
		}
		return template.HTML(template.HTMLEscapeString(nuanxin.T("report.colon", nuanxin.T(key), value)))
	},
}

var signOffTmpl = template.Must(template.New("signoff").Funcs(tmplFuncs).Parse(`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.OrgName}} {{.Title}}</title>
<style>{{css}}
col.no { width: 11mm; } col.name { width: 24mm; } col.dept { width: 26mm; } col.reason { width: 33mm; }
col.item { width: 32mm; } col.sign { width: 32mm; } col.date { width: 22mm; }
td.sign { height: 10mm; }
td.date { font-size: 9.5pt; }
</style>
</head>
<body>
<main class="page signoff">
<table class="sheet">
<colgroup><col class="no"><col class="name"><col class="dept"><col class="reason"><col class="item"><col class="sign"><col class="date"></colgroup>
<thead>
<tr class="banner"><th colspan="7">
<div class="org">{{.OrgName}}</div>
<div class="title">{{.Title}}</div>
<div class="meta"><span>{{label "report.signoff.ref" .Ref}}</span><span>{{label "report.signoff.paid_on" (date .PaidOn)}}</span><span>{{label "report.signoff.method" .Method}}</span><span>{{label "report.signoff.head" .Head}}</span></div>
</th></tr>
<tr class="cols"><th>{{t "report.col.no"}}</th><th>{{t "report.col.name"}}</th><th>{{t "report.col.department"}}</th><th>{{t "report.col.reason"}}</th><th>{{t "report.col.item"}}</th><th>{{t "report.col.signature"}}</th><th>{{t "report.col.date"}}</th></tr>
</thead>
<tbody>
{{- range .Rows}}
<tr><td class="c">{{.No}}</td><td class="c">{{.Name}}</td><td>{{.Department}}</td><td>{{keep .Reason}}</td><td>{{keep .Item}}</td><td class="sign"></td><td class="c date">{{if not .SignedOn.IsZero}}{{.SignedOn}}{{end}}</td></tr>
{{- end}}
<tr class="total"><td colspan="7">{{total (len .Rows) .Total}}</td></tr>
</tbody>
</table>
<div class="footer">
<span>{{t "report.signoff.clerk"}}：<span class="blank"></span></span>
<span>{{t "report.signoff.reviewer"}}：<span class="blank"></span></span>
<span>{{t "report.signoff.approver"}}：<span class="blank"></span></span>
<span>{{t "report.signoff.payer"}}：<span class="blank">{{.Payer}}</span></span>
</div>
</main>
</body>
</html>
`))
