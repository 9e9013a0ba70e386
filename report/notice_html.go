package report

import (
	"html/template"
	"io"

	"github.com/nuanxin/nuanxin"
)

// WriteNoticeHTML writes the 公示 as a standalone A4 page: title, the
// standard wording with the period and the objection deadline, the table
// (its header repeating on every printed page), the total, and the union
// and the date at the bottom right as on a stamped notice.
func WriteNoticeHTML(w io.Writer, n *Notice) error {
	return noticeTmpl.Execute(w, n)
}

// noticeBody is "现将…予以公示，公示期为…至…。如有异议，请于…前向工会反映。"
func noticeBody(n *Notice) string {
	return nuanxin.T("report.notice.body", n.Subject, dateText(n.From), dateText(n.To), dateText(n.ObjectionsUntil))
}

var noticeTmpl = template.Must(template.New("notice").Funcs(tmplFuncs).Funcs(template.FuncMap{
	"body": noticeBody,
}).Parse(`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>{{css}}
.notice .title { text-align: center; margin: 0 0 5mm; }
.notice p { text-indent: 2em; margin: 0 0 2mm; font-size: 12pt; line-height: 1.7; }
.notice table.sheet { margin-top: 4mm; }
col.no { width: 12mm; } col.name { width: 22mm; } col.dept { width: 42mm; } col.cat { width: 26mm; }
col.item { width: 48mm; } col.amount { width: 30mm; }
table.sheet td { height: 7mm; }
.signature { break-inside: avoid; break-before: avoid; margin: 10mm 8mm 0 auto; width: max-content; text-align: center; font-size: 12pt; line-height: 1.8; }
</style>
</head>
<body>
<main class="page notice">
<div class="title">{{.Title}}</div>
<p>{{keep (body .)}}</p>
{{- if .Contact}}
<p>{{t "report.notice.contact" .Contact}}</p>
{{- end}}
<table class="sheet">
<colgroup><col class="no"><col class="name"><col class="dept"><col class="cat"><col class="item"><col class="amount"></colgroup>
<thead>
<tr class="cols"><th>{{t "report.col.no"}}</th><th>{{t "report.col.name"}}</th><th>{{t "report.col.department"}}</th><th>{{t "report.col.category"}}</th><th>{{t "report.col.content"}}</th><th>{{t "report.col.amount"}}</th></tr>
</thead>
<tbody>
{{- range .Rows}}
<tr><td class="c">{{.No}}</td><td class="c">{{.Name}}</td><td>{{.Department}}</td><td class="c">{{.Category}}</td><td class="c">{{keep .Item}}</td><td class="r">{{grouped .Amount}}</td></tr>
{{- end}}
<tr class="total"><td colspan="6">{{total (len .Rows) .Total}}</td></tr>
</tbody>
</table>
<div class="signature">
<div>{{.OrgName}}</div>
<div>{{date .Issued}}</div>
</div>
</main>
</body>
</html>
`))
