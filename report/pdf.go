package report

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"github.com/nuanxin/nuanxin"
	"github.com/signintech/gopdf"
)

// FontEnv names a TrueType font for the PDFs, overriding the search.
const FontEnv = "NUANXIN_PDF_FONT"

// fontDirs are searched for a CJK font when the known paths miss.
var fontDirs = []string{"/usr/share/fonts", "/usr/local/share/fonts"}

// knownFonts are where Debian/Ubuntu's fonts-lxgw-wenkai puts 霞鹜文楷
// (the directory was renamed between releases).
var knownFonts = []string{
	"/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf",
	"/usr/share/fonts/truetype/lxgw/LXGWWenKai-Regular.ttf",
}

// FindCJKFont returns a Chinese TrueType font gopdf can embed: $NUANXIN_PDF_FONT
// when set (an unusable one is an error, not silently replaced), then 霞鹜文楷
// where Debian installs it, then any WenKai .ttf, then a Noto Sans/Serif SC
// with TrueType outlines. Noto CJK's usual .ttc and CFF .otf files do not
// work with gopdf and are skipped.
func FindCJKFont() (string, error) {
	if p := strings.TrimSpace(os.Getenv(FontEnv)); p != "" {
		if err := checkTrueType(p); err != nil {
			return "", errors.New(nuanxin.T("report.font.env_bad", p, err.Error()))
		}
		return p, nil
	}
	for _, p := range knownFonts {
		if checkTrueType(p) == nil {
			return p, nil
		}
	}
	var wenkai, noto []string
	for _, dir := range fontDirs {
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil // an unreadable directory is not our problem
			}
			name := strings.ToLower(d.Name())
			ext := filepath.Ext(name)
			flat := strings.NewReplacer(" ", "", "-", "", "_", "").Replace(name)
			switch {
			case ext == ".ttf" && strings.Contains(flat, "wenkai"):
				wenkai = append(wenkai, p)
			case (ext == ".ttf" || ext == ".otf") && (strings.Contains(flat, "notosanssc") || strings.Contains(flat, "notoserifsc")):
				noto = append(noto, p)
			}
			return nil
		})
	}
	for _, list := range [][]string{wenkai, noto} {
		sort.SliceStable(list, func(i, j int) bool { return fontRank(list[i]) < fontRank(list[j]) })
		for _, p := range list {
			if checkTrueType(p) == nil {
				return p, nil
			}
		}
	}
	return "", errors.New(nuanxin.T("report.font.missing"))
}

// fontRank prefers the regular, proportional face: Regular before Light
// and Bold, WenKai before WenKai Mono (whose Latin is too wide for tables).
func fontRank(p string) int {
	n := strings.ToLower(filepath.Base(p))
	r := 0
	if strings.Contains(n, "mono") {
		r += 10
	}
	if !strings.Contains(n, "regular") {
		r += 1
	}
	if strings.Contains(n, "bold") || strings.Contains(n, "light") || strings.Contains(n, "italic") {
		r += 2
	}
	return r
}

// checkTrueType reads the font's table directory: gopdf embeds only
// TrueType outlines (a glyf table) mapped by a cmap, so a collection
// (ttcf) or a CFF font (OTTO) is refused before gopdf fails on it.
func checkTrueType(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return errors.New(nuanxin.T("report.font.unreadable", err))
	}
	defer f.Close()
	head := make([]byte, 12)
	if _, err := io.ReadFull(f, head); err != nil {
		return errors.New(nuanxin.T("report.font.not_ttf"))
	}
	tag := string(head[:4])
	if tag != "\x00\x01\x00\x00" && tag != "true" {
		return errors.New(nuanxin.T("report.font.not_ttf"))
	}
	n := int(binary.BigEndian.Uint16(head[4:6]))
	dir := make([]byte, 16*n)
	if _, err := io.ReadFull(f, dir); err != nil {
		return errors.New(nuanxin.T("report.font.not_ttf"))
	}
	var glyf, cmap bool
	for i := 0; i < n; i++ {
		switch string(dir[16*i : 16*i+4]) {
		case "glyf":
			glyf = true
		case "cmap":
			cmap = true
		}
	}
	if !glyf || !cmap {
		return errors.New(nuanxin.T("report.font.not_ttf"))
	}
	return nil
}

// Page geometry in millimetres: A4 with the 15 mm margins of the HTML
// sheets, a little more at the bottom for the page number.
const (
	pageW        = 210.0
	pageH        = 297.0
	marginX      = 15.0
	marginTop    = 15.0
	marginBottom = 18.0
	contentW     = pageW - 2*marginX
	cellPadX     = 1.5
	cellPadY     = 1.2
	ptToMM       = 25.4 / 72
	lineFactor   = 1.4 // line height as a multiple of the font size
)

type align int

const (
	alignLeft align = iota
	alignCenter
	alignRight
)

// pdfWriter wraps gopdf with what the sheets need: measured, wrapped CJK
// text and ruled cells.
type pdfWriter struct {
	gp      *gopdf.GoPdf
	bold    bool // a bold face was loaded beside the regular one
	curBold bool
	curSize float64
	adv     map[rune]float64 // advance at 1 pt, in mm: measured once per rune
	advBold map[rune]float64
}

const (
	fontFamily = "cjk"
	fontBold   = "cjk-bold"
)

func newPDF(fontPath, title string) (*pdfWriter, error) {
	if err := checkTrueType(fontPath); err != nil {
		return nil, errors.New(nuanxin.T("report.font.bad", fontPath, err.Error()))
	}
	p := &pdfWriter{gp: &gopdf.GoPdf{}, adv: map[rune]float64{}, advBold: map[rune]float64{}}
	p.gp.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitMM})
	// A character the font lacks (a rare name character) shows as □ rather
	// than gopdf's default blank, so the sheet visibly needs a hand fix.
	opt := gopdf.TtfOption{OnGlyphNotFoundSubstitute: func(rune) rune { return '□' }}
	if err := p.gp.AddTTFFontWithOption(fontFamily, fontPath, opt); err != nil {
		return nil, errors.New(nuanxin.T("report.font.bad", fontPath, err.Error()))
	}
	// 霞鹜文楷 ships a Bold beside the Regular: titles and headers use it
	// when present, else the regular face.
	if dir, base := filepath.Split(fontPath); strings.Contains(base, "Regular") {
		boldPath := filepath.Join(dir, strings.Replace(base, "Regular", "Bold", 1))
		if checkTrueType(boldPath) == nil {
			p.bold = p.gp.AddTTFFontWithOption(fontBold, boldPath, opt) == nil
		}
	}
	p.gp.SetInfo(gopdf.PdfInfo{Title: title, Creator: nuanxin.T("report.pdf.creator"), Producer: "gopdf"})
	p.gp.SetLineWidth(0.2)
	// An explicit text colour: gopdf otherwise paints text with the last
	// fill colour, the grey of the header cells.
	p.gp.SetTextColor(0, 0, 0)
	if err := p.setFont(false, 10.5); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *pdfWriter) setFont(bold bool, size float64) error {
	bold = bold && p.bold
	if bold == p.curBold && size == p.curSize {
		return nil
	}
	family := fontFamily
	if bold {
		family = fontBold
	}
	if err := p.gp.SetFont(family, "", size); err != nil {
		return err
	}
	p.curBold, p.curSize = bold, size
	return nil
}

// width is the width of s in mm at size pt.
func (p *pdfWriter) width(s string, bold bool, size float64) float64 {
	bold = bold && p.bold
	cache := p.adv
	if bold {
		cache = p.advBold
	}
	w := 0.0
	for _, r := range s {
		a, ok := cache[r]
		if !ok {
			prevBold, prevSize := p.curBold, p.curSize
			p.setFont(bold, 100)
			m, err := p.gp.MeasureTextWidth(string(r))
			if err != nil {
				m = 100 * ptToMM // a full em: too wide is safer than overflowing
			}
			a = m / 100
			cache[r] = a
			p.setFont(prevBold, prevSize)
		}
		w += a
	}
	return w * size
}

func lineHeight(size float64) float64 { return size * lineFactor * ptToMM }

// Characters a line must not start with (closing punctuation) or end with
// (opening punctuation): 避头尾.
const (
	noLineStart = "，。、；：！？）》」』”’〕】,.;:!?)]%"
	noLineEnd   = "（《「『“‘〔【([¥￥"
)

// tokens splits s into pieces a line may break between: each Han
// character, a run of Latin letters and digits (1,200.00 stays whole), with
// punctuation glued to its neighbour.
func tokens(s string) []string {
	var out []string
	glue := false // the last token was opening punctuation: append to it
	for _, r := range s {
		switch {
		case r == '\n':
			out = append(out, "\n")
			glue = false
			continue
		case strings.ContainsRune(noLineStart, r) && len(out) > 0 && out[len(out)-1] != "\n":
			out[len(out)-1] += string(r)
		case (isWordRune(r) || strings.ContainsRune(numberUnits, r)) && len(out) > 0 && (glue || endsWithWordRune(out[len(out)-1])):
			out[len(out)-1] += string(r)
		case glue:
			out[len(out)-1] += string(r)
		default:
			out = append(out, string(r))
		}
		glue = strings.ContainsRune(noLineEnd, r)
	}
	return out
}

// numberUnits stay with the number before them: 500.00元, 3人, 12日.
const numberUnits = "元角分万亿人次个件天岁号年月日"

func isWordRune(r rune) bool {
	return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(".,-/:%#@&_+*", r))
}

func endsWithWordRune(s string) bool {
	r := []rune(s)
	return len(r) > 0 && isWordRune(r[len(r)-1])
}

// wrap breaks s into lines no wider than w mm. A token wider than a whole
// line (a long ID or URL) is cut by character.
func (p *pdfWriter) wrap(s string, w float64, bold bool, size float64) []string {
	var lines []string
	var line strings.Builder
	lw := 0.0
	flush := func() {
		lines = append(lines, strings.TrimRight(line.String(), " "))
		line.Reset()
		lw = 0
	}
	// Tabs and stray control characters from pasted text would print as □.
	s = strings.Map(func(r rune) rune {
		if r != '\n' && unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.ReplaceAll(s, "\r\n", "\n"))
	for _, t := range tokens(s) {
		if t == "\n" {
			flush()
			continue
		}
		tw := p.width(t, bold, size)
		if lw+tw <= w+0.01 {
			line.WriteString(t)
			lw += tw
			continue
		}
		if lw > 0 {
			flush()
			if t == " " {
				continue
			}
		}
		if tw <= w+0.01 {
			line.WriteString(t)
			lw = tw
			continue
		}
		for _, r := range t {
			rw := p.width(string(r), bold, size)
			if lw+rw > w+0.01 && lw > 0 {
				flush()
			}
			line.WriteRune(r)
			lw += rw
		}
	}
	if line.Len() > 0 || len(lines) == 0 {
		flush()
	}
	return lines
}

// text draws one line with its top at y, aligned in [x, x+w].
func (p *pdfWriter) text(x, y, w float64, s string, bold bool, size float64, a align) error {
	if s == "" {
		return nil
	}
	if err := p.setFont(bold, size); err != nil {
		return err
	}
	switch a {
	case alignCenter:
		x += (w - p.width(s, bold, size)) / 2
	case alignRight:
		x += w - p.width(s, bold, size)
	}
	// Text takes the baseline: centre the em box in the line box, with the
	// baseline at 0.88 em as in CJK fonts (ascender 880/1000).
	lh := lineHeight(size)
	base := y + (lh-size*ptToMM)/2 + 0.88*size*ptToMM
	p.gp.SetXY(x, base)
	return p.gp.Text(s)
}

// lines draws wrapped lines from y and returns the y below them.
func (p *pdfWriter) lines(x, y, w float64, ls []string, bold bool, size float64, a align) (float64, error) {
	for _, l := range ls {
		if err := p.text(x, y, w, l, bold, size, a); err != nil {
			return y, err
		}
		y += lineHeight(size)
	}
	return y, nil
}

// column of a ruled table.
type column struct {
	title string
	width float64 // mm; the widths add up to contentW
	align align
}

// table is what the paginator lays out: a banner on top of every page
// (the union, the title), the column header, the rows, and a trailer
// (total, signatures) that must end up on the last page together. banner
// and trailer draw from y (or only measure, when draw is false) and return
// the y below what they drew.
type table struct {
	cols     []column
	rows     [][]string
	size     float64 // body text, pt
	minRowH  float64 // mm: room to sign
	banner   func(p *pdfWriter, page int, y float64, draw bool) (float64, error)
	trailer  func(p *pdfWriter, y float64, draw bool) (float64, error)
	footnote func(page, pages int) string
}

// cellLines wraps every cell of a row and returns the row height.
func (t *table) cellLines(p *pdfWriter, row []string, bold bool) ([][]string, float64) {
	out := make([][]string, len(t.cols))
	h := t.minRowH
	for i, c := range t.cols {
		if i < len(row) && row[i] != "" {
			out[i] = p.wrap(row[i], c.width-2*cellPadX, bold, t.size)
		}
		if ch := float64(len(out[i]))*lineHeight(t.size) + 2*cellPadY; ch > h {
			h = ch
		}
	}
	return out, h
}

// drawRow rules the cells of a row at y and fills them, text centred
// vertically. The header row is bold, shaded and centred throughout.
func (t *table) drawRow(p *pdfWriter, y, h float64, cells [][]string, header bool) error {
	x := marginX
	for i, c := range t.cols {
		a := c.align
		if header {
			a = alignCenter
			p.gp.SetFillColor(238, 238, 238)
			p.gp.RectFromUpperLeftWithStyle(x, y, c.width, h, "FD")
		} else {
			p.gp.RectFromUpperLeft(x, y, c.width, h)
		}
		th := float64(len(cells[i])) * lineHeight(t.size)
		if _, err := p.lines(x+cellPadX, y+(h-th)/2, c.width-2*cellPadX, cells[i], header, t.size, a); err != nil {
			return err
		}
		x += c.width
	}
	return nil
}

// render paginates and draws the table: a first pass measures every row
// and cuts pages (so "共 N 页" is known), a second draws.
func (t *table) render(p *pdfWriter) error {
	header := make([]string, len(t.cols))
	for i, c := range t.cols {
		header[i] = c.title
	}
	headCells, headH := t.cellLines(p, header, true)
	headH += 1
	cells := make([][][]string, len(t.rows))
	heights := make([]float64, len(t.rows))
	for i, r := range t.rows {
		cells[i], heights[i] = t.cellLines(p, r, false)
	}
	trailerH, err := t.trailer(p, 0, false)
	if err != nil {
		return err
	}
	bottom := pageH - marginBottom
	bannerH := func(page int) float64 {
		h, _ := t.banner(p, page, 0, false)
		return h
	}

	// pages[i] is the first row of page i; the rows run to the next start.
	pages := []int{0}
	y := marginTop + bannerH(1) + headH
	for i, h := range heights {
		if y+h > bottom && i > pages[len(pages)-1] {
			pages = append(pages, i)
			y = marginTop + bannerH(len(pages)) + headH
		}
		y += h
	}
	if y+trailerH > bottom {
		// The trailer does not fit under the last row: take the last row
		// along so the total never stands alone on a page.
		last := len(heights) - 1
		if last > pages[len(pages)-1] {
			pages = append(pages, last)
		} else {
			pages = append(pages, len(heights))
		}
	}

	for pi, start := range pages {
		end := len(t.rows)
		if pi+1 < len(pages) {
			end = pages[pi+1]
		}
		p.gp.AddPage()
		y, err := t.banner(p, pi+1, marginTop, true)
		if err != nil {
			return err
		}
		if start < end || len(t.rows) == 0 {
			if err := t.drawRow(p, y, headH, headCells, true); err != nil {
				return err
			}
			y += headH
		}
		for i := start; i < end; i++ {
			if err := t.drawRow(p, y, heights[i], cells[i], false); err != nil {
				return err
			}
			y += heights[i]
		}
		if pi == len(pages)-1 {
			if _, err := t.trailer(p, y, true); err != nil {
				return err
			}
		}
		if err := p.text(marginX, pageH-marginBottom+6, contentW, t.footnote(pi+1, len(pages)), false, 9, alignCenter); err != nil {
			return err
		}
	}
	return nil
}

// write compiles the PDF into w.
func (p *pdfWriter) write(w io.Writer) error {
	if _, err := p.gp.WriteTo(w); err != nil {
		return fmt.Errorf("report: pdf: %w", err)
	}
	return nil
}

func pageNumber(page, pages int) string { return nuanxin.T("report.page", page, pages) }

// field is "label：value" in a header or footer line; blank > 0 leaves an
// underline at least that wide to write on, with value (if any) on it.
type field struct {
	label, value string
	blank        float64
}

func (p *pdfWriter) fieldWidth(f field, size float64) float64 {
	return p.width(f.label, false, size) + max(f.blank, p.width(f.value, false, size))
}

// spread sets fields on one line from margin to margin with equal gaps, as
// 审批编号 … 发放日期 … are set on a paper form; when they do not fit, half
// of them go to the next line. It returns the y below.
func (p *pdfWriter) spread(y float64, fs []field, size float64, draw bool) (float64, error) {
	if len(fs) == 0 {
		return y, nil
	}
	const minGap = 5.0
	total := 0.0
	for _, f := range fs {
		total += p.fieldWidth(f, size)
	}
	if len(fs) > 1 && total+minGap*float64(len(fs)-1) > contentW {
		half := (len(fs) + 1) / 2
		y, err := p.spread(y, fs[:half], size, draw)
		if err != nil {
			return y, err
		}
		return p.spread(y, fs[half:], size, draw)
	}
	if draw {
		gap := 0.0
		if len(fs) > 1 {
			gap = (contentW - total) / float64(len(fs)-1)
		}
		x := marginX
		for _, f := range fs {
			lw := p.width(f.label, false, size)
			if err := p.text(x, y, lw, f.label, false, size, alignLeft); err != nil {
				return y, err
			}
			vw := max(f.blank, p.width(f.value, false, size))
			a := alignLeft
			if f.blank > 0 {
				a = alignCenter
				base := y + lineHeight(size)*0.5 + size*ptToMM*0.5 + 0.6
				p.gp.Line(x+lw, base, x+lw+vw, base)
			}
			if err := p.text(x+lw, y, vw, f.value, false, size, a); err != nil {
				return y, err
			}
			x += lw + vw + gap
		}
	}
	return y + lineHeight(size), nil
}
