package report

import (
	"bufio"
	"io"
	"strings"

	"github.com/nuanxin/nuanxin"
)

// WriteSummaryMarkdown writes the 工作总结 as Markdown (CommonMark): "# "
// the title, "## " the 一、 headings, "### " the （一） ones, paragraphs
// separated by blank lines and the 落款 (name, then date) at the end. With
// a baseURL each figure is a link [32人次](baseURL+href) to the list behind
// it; without one figures are plain text. Characters Markdown would read
// as markup are escaped.
func WriteSummaryMarkdown(w io.Writer, s *nuanxin.Summary, baseURL string) error {
	bw := bufio.NewWriter(w)
	var blocks []string
	if t := strings.TrimSpace(mdText(s.Title)); t != "" {
		blocks = append(blocks, "# "+mdOneLine(mdLines(t)))
	}
	for _, b := range s.Blocks {
		var sb strings.Builder
		for _, r := range b.Runs {
			t := mdText(r.Text)
			if r.Href != "" && baseURL != "" && t != "" {
				if cur := sb.String(); strings.HasSuffix(cur, "!") && !strings.HasSuffix(cur, `\!`) {
					// "![" would make the link an image.
					sb.Reset()
					sb.WriteString(cur[:len(cur)-1] + `\!`)
				}
				sb.WriteString("[" + t + "](" + mdURL(figureURL(baseURL, r.Href)) + ")")
			} else {
				sb.WriteString(t)
			}
		}
		text := mdLines(strings.TrimSpace(sb.String()))
		switch b.Kind {
		case nuanxin.BlockHeading:
			blocks = append(blocks, "## "+mdOneLine(text))
		case nuanxin.BlockSubheading:
			blocks = append(blocks, "### "+mdOneLine(text))
		default:
			if text != "" {
				blocks = append(blocks, text)
			}
		}
	}
	if a := strings.TrimSpace(s.Author); a != "" {
		blocks = append(blocks, mdLines(mdText(a)))
	}
	if d := s.Date.Chinese(); d != "" {
		blocks = append(blocks, d)
	}
	for i, b := range blocks {
		if i > 0 {
			bw.WriteString("\n")
		}
		bw.WriteString(b)
		bw.WriteString("\n")
	}
	return bw.Flush()
}

// mdInline are the characters that start inline markup anywhere in a line.
var mdInline = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`, `<`, `\<`, `~`, `\~`, `|`, `\|`,
)

// mdText escapes the inline markup characters of s (the line starts are
// mdLines' job, once the runs of a block are joined).
func mdText(s string) string {
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(cleanText(s))
	return mdInline.Replace(strings.ReplaceAll(s, "\t", " "))
}

// mdLines escapes what would make a line of a block a heading, quote, list
// or rule, and keeps the block's line breaks as hard breaks (a backslash
// before the newline).
func mdLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = mdLineStart(l)
	}
	return strings.Join(lines, "\\\n")
}

// mdLineStart escapes a block marker at the start of a line: # > - + =
// and "1." / "1)".
func mdLineStart(l string) string {
	trim := strings.TrimLeft(l, " ")
	lead := l[:len(l)-len(trim)]
	if trim == "" {
		return l
	}
	switch trim[0] {
	case '#', '>', '-', '+', '=':
		return lead + `\` + trim
	}
	if n := len(trim) - len(strings.TrimLeft(trim, "0123456789")); n > 0 && n < len(trim) && (trim[n] == '.' || trim[n] == ')') {
		return lead + trim[:n] + `\` + trim[n:]
	}
	return l
}

// mdOneLine joins the lines of a heading, which Markdown keeps on one.
func mdOneLine(s string) string {
	return strings.ReplaceAll(s, "\\\n", " ")
}

// mdURL makes u safe as a link destination: no spaces, parentheses or
// angle brackets.
func mdURL(u string) string {
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E", "\n", "", "\r", "").Replace(cleanText(u))
}
