package report

import (
	"html/template"
	"io"
	"strings"

	"github.com/nuanxin/nuanxin"
)

// SummaryHTMLOptions tune the HTML of a 工作总结.
type SummaryHTMLOptions struct {
	// BaseURL is put before each figure's Href ("https://nuanxin.example"
	// or "" for links relative to the server of the page).
	BaseURL string
	// Links makes each figure a link to the list behind it.
	Links bool
}

// WriteSummaryHTML writes the 工作总结 as a standalone A4 page in the look
// of a 公文: 小标宋 title, 仿宋 body at 28.95 pt with a two-character
// indent, 黑体 and 楷体 headings, the 落款 at the bottom right and "— 1 —"
// page numbers when printed. With opt.Links each figure links to the list
// it was counted from, shown on screen by a dotted underline and printed
// as plain text. Nothing is fetched (the fonts are the system's) and there
// is no script; the CSS is one constant <style> element, which the server
// allows by its hash.
func WriteSummaryHTML(w io.Writer, s *nuanxin.Summary, opt SummaryHTMLOptions) error {
	p := summaryPage{Title: cleanText(titleLines(s.Title)), Author: cleanText(strings.TrimSpace(s.Author)), Date: s.Date.Chinese()}
	for _, b := range s.Blocks {
		hb := summaryHTMLBlock{Kind: string(b.Kind)}
		for _, r := range b.Runs {
			hr := summaryHTMLRun{Text: r.Text}
			if opt.Links && r.Href != "" {
				hr.URL = figureURL(opt.BaseURL, r.Href)
			}
			hb.Runs = append(hb.Runs, hr)
		}
		p.Blocks = append(p.Blocks, hb)
	}
	return summaryTmpl.Execute(w, p)
}

type summaryPage struct {
	Title, Author, Date string
	Blocks              []summaryHTMLBlock
}

type summaryHTMLBlock struct {
	Kind string
	Runs []summaryHTMLRun
}

type summaryHTMLRun struct {
	Text string
	URL  string // "" for plain text
}

// figureURL joins the base and a figure's path without doubling the "/".
func figureURL(base, href string) string {
	if base == "" || strings.Contains(href, "://") {
		return href
	}
	if strings.HasPrefix(href, "/") {
		return strings.TrimRight(base, "/") + href
	}
	return base + href
}

// textHTML escapes s, drops what HTML cannot carry and keeps its line
// breaks.
func textHTML(s string) template.HTML {
	s = strings.ReplaceAll(cleanText(s), "\r\n", "\n")
	return template.HTML(strings.ReplaceAll(template.HTMLEscapeString(s), "\n", "<br>"))
}

// summaryCSS is the page's only style. GB/T 9704-2012: A4 with margins of
// 37/26/35/28 mm, a 156 mm 版心, 3号 (16 pt) text on a 28.95 pt pitch (22
// lines a page), the title in 2号 (22 pt), the page number in 4号 宋体
// about 7 mm below the 版心. The font stacks name the Windows fonts of a
// 公文 first, then their macOS and Linux counterparts.
const summaryCSS = `
@page {
  size: A4 portrait; margin: 37mm 26mm 35mm 28mm;
  @bottom-center { content: "— " counter(page) " —"; vertical-align: top; padding-top: 7mm; font-family: "SimSun", "宋体", "Songti SC", "Noto Serif CJK SC", serif; font-size: 14pt; }
}
html { color: #000; background: #fff; }
body { margin: 0; font-family: "FangSong", "仿宋_GB2312", "仿宋", "STFangsong", "Noto Serif CJK SC", serif; font-size: 16pt; line-height: 28.95pt; text-autospace: no-autospace; }
.gw { width: 156mm; margin: 0 auto; }
.gw h1, .gw h2, .gw h3, .gw p { margin: 0; font-weight: normal; overflow-wrap: anywhere; line-break: strict; }
.gw h1 { font-family: "FZXiaoBiaoSong-B05S", "方正小标宋简体", "方正小标宋_GBK", "Noto Serif CJK SC", "SimSun", serif; font-size: 22pt; line-height: 36pt; text-align: center; margin-bottom: 28.95pt; break-after: avoid; }
.gw h2, .gw h3, .gw p { font-size: 16pt; line-height: 28.95pt; text-indent: 2em; text-align: justify; }
.gw h2 { font-family: "SimHei", "黑体", "Heiti SC", "Noto Sans CJK SC", sans-serif; break-after: avoid; }
.gw h3 { font-family: "KaiTi", "楷体_GB2312", "楷体", "STKaiti", "LXGW WenKai", serif; break-after: avoid; }
.sig { display: flex; justify-content: flex-end; margin-top: 28.95pt; break-inside: avoid; break-before: avoid; }
.sig-box { margin-right: 2em; }
.sig-date { padding-left: 2em; }
a.fig { color: inherit; text-decoration: underline dotted #8a8a8a; text-underline-offset: 0.2em; }
a.fig:hover, a.fig:focus { color: #a8071a; text-decoration-color: currentColor; }
@media screen {
  body { background: #e8e8e8; padding: 10mm 0; }
  .gw { background: #fff; padding: 37mm 26mm 35mm 28mm; min-height: 225mm; box-shadow: 0 1px 6px rgba(0,0,0,.25); }
}
@media print {
  a.fig { color: inherit; text-decoration: none; }
}
`

var summaryTmpl = template.Must(template.New("summary").Funcs(template.FuncMap{
	"summaryCSS": func() template.CSS { return template.CSS(summaryCSS) },
	"text":       textHTML,
}).Parse(`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>{{summaryCSS}}</style>
</head>
<body>
<main class="page gw">
{{- if .Title}}
<h1>{{text .Title}}</h1>
{{- end}}
{{- range .Blocks}}
{{if eq .Kind "h1"}}<h2>{{template "runs" .Runs}}</h2>{{else if eq .Kind "h2"}}<h3>{{template "runs" .Runs}}</h3>{{else}}<p>{{template "runs" .Runs}}</p>{{end}}
{{- end}}
{{- if or .Author .Date}}
<div class="sig"><div class="sig-box">
{{- if .Author}}<div class="sig-org">{{.Author}}</div>{{end}}
{{- if .Date}}<div class="sig-date">{{.Date}}</div>{{end -}}
</div></div>
{{- end}}
</main>
</body>
</html>
{{define "runs"}}{{range .}}{{if .URL}}<a class="fig" href="{{.URL}}">{{text .Text}}</a>{{else}}{{text .Text}}{{end}}{{end}}{{end}}`))
