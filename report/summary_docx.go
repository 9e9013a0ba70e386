// Hand-written OOXML: the pure-Go docx libraries (gomutex/godocx, fumiama/go-docx) are untagged
// pre-1.0 code without footer parts or PAGE fields, and a 公文 needs little beyond named styles.

package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/width"

	"github.com/nuanxin/nuanxin"
)

// The page of GB/T 9704-2012 in twips (1/20 pt; 1 mm = 56.7 twips): A4,
// 天头 37 mm, 订口 28 mm, a 156 × 225 mm 版心 of 22 lines of 28 characters
// in 3号 (16 pt), which makes a fixed line pitch of 225 mm / 22 = 28.95 pt.
const (
	docxPageW      = 11906
	docxPageH      = 16838
	docxMarginTop  = 2098 // 37 mm
	docxMarginBot  = 1984 // 35 mm
	docxMarginL    = 1587 // 28 mm
	docxMarginR    = 1474 // 26 mm
	docxHeaderDist = 851  // 15 mm (the header is empty)
	docxFooterDist = 1247 // 22 mm: the page number sits about 7 mm below the 版心
	docxLine       = 579  // 28.95 pt, exact
	docxTitleLine  = 720  // 36 pt, exact, for a title of one or two lines
	docxEm         = 320  // one character of 3号 text: 16 pt
)

// The fonts of a 公文. Word substitutes a missing one by the altName and
// the panose/charset in fontTable.xml (仿宋_GB2312 → 仿宋 on a Windows
// without the GB2312 fonts); LibreOffice by its own table and fontconfig.
const (
	fontTitle   = "方正小标宋简体"
	fontBody    = "仿宋_GB2312"
	fontHeading = "黑体"
	fontSub     = "楷体_GB2312"
	fontSong    = "宋体"
	fontLatin   = "Times New Roman"
)

// WriteSummaryDOCX writes the 工作总结 as a Word document laid out as a
// 公文 after GB/T 9704-2012: A4, the standard margins, the title centred in
// 2号 小标宋, the body in 3号 仿宋 at a fixed 28.95 pt with a two-character
// first-line indent, "一、" headings in 黑体 and "（一）" ones in 楷体, the
// 落款 at the bottom right and "— 1 —" page numbers. Every paragraph uses
// a named style (Title, Heading 1, Heading 2, Body Text, Signature) so the
// officer can restyle the whole document in Word or WPS. Figures are plain
// text: a printed 公文 has no links.
func WriteSummaryDOCX(w io.Writer, s *nuanxin.Summary) error {
	modified := s.UpdatedAt
	if modified.IsZero() {
		modified = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", docxContentTypes},
		{"_rels/.rels", docxRootRels},
		{"docProps/core.xml", docxCore(s)},
		{"docProps/app.xml", docxApp(s)},
		{"word/document.xml", docxDocument(s)},
		{"word/styles.xml", docxStyles},
		{"word/settings.xml", docxSettings},
		{"word/fontTable.xml", docxFontTable},
		{"word/footer1.xml", docxFooter},
		{"word/_rels/document.xml.rels", docxDocumentRels},
	}
	zw := zip.NewWriter(w)
	for _, p := range parts {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: modified})
		if err != nil {
			return err
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return err
		}
	}
	return zw.Close()
}

// xmlValid reports whether r may appear in an XML 1.0 document.
func xmlValid(r rune) bool {
	return r == 0x9 || r == 0xA || r == 0xD ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// cleanText drops the characters XML 1.0 (and HTML) cannot carry: control
// characters pasted from other programs, U+FFFE/U+FFFF. Invalid UTF-8
// becomes U+FFFD.
func cleanText(s string) string {
	return strings.Map(func(r rune) rune {
		if xmlValid(r) {
			return r
		}
		return -1
	}, s)
}

// esc is s cleaned and escaped for XML text or attribute values.
func esc(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(cleanText(s)))
	return b.String()
}

const wNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

const xmlDecl = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

const docxContentTypes = xmlDecl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
	`<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>` +
	`<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
	`</Types>`

const docxRootRels = xmlDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

const docxDocumentRels = xmlDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>` +
	`<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>` +
	`</Relationships>`

func docxCore(s *nuanxin.Summary) string {
	var b strings.Builder
	b.WriteString(xmlDecl)
	b.WriteString(`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	b.WriteString(`<dc:title>` + esc(s.Title) + `</dc:title>`)
	if s.Author != "" {
		b.WriteString(`<dc:creator>` + esc(s.Author) + `</dc:creator>`)
	}
	if s.UpdatedBy != "" {
		b.WriteString(`<cp:lastModifiedBy>` + esc(s.UpdatedBy) + `</cp:lastModifiedBy>`)
	}
	if s.Version > 0 {
		b.WriteString(`<cp:revision>` + strconv.Itoa(s.Version) + `</cp:revision>`)
	}
	if !s.CreatedAt.IsZero() {
		b.WriteString(`<dcterms:created xsi:type="dcterms:W3CDTF">` + s.CreatedAt.UTC().Format(time.RFC3339) + `</dcterms:created>`)
	}
	if !s.UpdatedAt.IsZero() {
		b.WriteString(`<dcterms:modified xsi:type="dcterms:W3CDTF">` + s.UpdatedAt.UTC().Format(time.RFC3339) + `</dcterms:modified>`)
	}
	b.WriteString(`<dc:language>zh-CN</dc:language></cp:coreProperties>`)
	return b.String()
}

func docxApp(s *nuanxin.Summary) string {
	var b strings.Builder
	b.WriteString(xmlDecl)
	b.WriteString(`<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">`)
	b.WriteString(`<Application>nuanxin</Application><DocSecurity>0</DocSecurity>`)
	b.WriteString(`<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Title</vt:lpstr></vt:variant><vt:variant><vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs>`)
	b.WriteString(`<TitlesOfParts><vt:vector size="1" baseType="lpstr"><vt:lpstr>` + esc(s.Title) + `</vt:lpstr></vt:vector></TitlesOfParts>`)
	if s.Author != "" {
		b.WriteString(`<Company>` + esc(s.Author) + `</Company>`)
	}
	b.WriteString(`</Properties>`)
	return b.String()
}

// docxDocument is word/document.xml: the title, the blocks, the 落款.
func docxDocument(s *nuanxin.Summary) string {
	var b strings.Builder
	b.WriteString(xmlDecl)
	b.WriteString(`<w:document ` + wNS + `><w:body>`)
	if strings.TrimSpace(s.Title) != "" {
		docxPara(&b, "Title", "", []nuanxin.Run{{Text: titleLines(s.Title)}})
	}
	author, date := strings.TrimSpace(s.Author), s.Date.Chinese()
	sig := author != "" || date != ""
	for i, blk := range s.Blocks {
		style := "BodyText"
		switch blk.Kind {
		case nuanxin.BlockHeading:
			style = "Heading1"
		case nuanxin.BlockSubheading:
			style = "Heading2"
		}
		extra := ""
		if sig && i == len(s.Blocks)-1 {
			// The last lines of the text stay on the page of the 落款.
			extra = `<w:keepNext/>`
		}
		docxPara(&b, style, extra, blk.Runs)
	}
	if sig {
		// 正文下空一行, then 署名 and 成文日期 right-aligned: the name
		// 右空二字, the date starting two characters right of the name's
		// start, or 右空二字 itself when it is the longer one.
		docxPara(&b, "BodyText", `<w:keepNext/>`, nil)
		aRight, dRight := signatureIndents(author, date)
		if author != "" {
			docxPara(&b, "Signature", `<w:keepNext/>`+docxRightIndent(aRight), []nuanxin.Run{{Text: author}})
		}
		if date != "" {
			docxPara(&b, "Signature", docxRightIndent(dRight), []nuanxin.Run{{Text: date}})
		}
	}
	fmt.Fprintf(&b, `<w:sectPr><w:footerReference w:type="default" r:id="rId4"/>`+
		`<w:pgSz w:w="%d" w:h="%d"/>`+
		`<w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="%d" w:footer="%d" w:gutter="0"/>`+
		`<w:pgNumType w:fmt="decimal"/><w:cols w:space="425"/><w:docGrid w:linePitch="%d"/></w:sectPr>`,
		docxPageW, docxPageH, docxMarginTop, docxMarginR, docxMarginBot, docxMarginL, docxHeaderDist, docxFooterDist, docxLine)
	b.WriteString(`</w:body></w:document>`)
	return b.String()
}

// docxRightIndent is a right indent of em characters of 3号 text.
func docxRightIndent(em float64) string {
	if em <= 0 {
		return ""
	}
	return fmt.Sprintf(`<w:ind w:right="%d" w:rightChars="%d"/>`, int(em*docxEm+0.5), int(em*100+0.5))
}

// signatureIndents returns the right indents, in characters, of the name
// and the date of a 落款 after GB/T 9704-2012 7.3.5.2: the name 右空二字
// and the date starting two characters to the right of the name's first
// character; when the date is the longer one it is 右空二字 and the name
// moves left.
func signatureIndents(author, date string) (aRight, dRight float64) {
	a, d := textWidth(author), textWidth(date)
	switch {
	case author == "":
		return 0, 2
	case date == "":
		return 2, 0
	case a-d >= 2:
		return 2, a - d
	default:
		return d + 4 - a, 2
	}
}

// textWidth is s's width in characters of the body font: 1 for Chinese
// characters and full-width punctuation, ½ for digits and Latin letters.
func textWidth(s string) float64 {
	var n float64
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth, width.EastAsianAmbiguous:
			n++
		default:
			n += 0.5
		}
	}
	return n
}

// docxPara writes a paragraph of the named style; extra goes into its
// w:pPr after the style (keepNext before ind, in schema order).
func docxPara(b *strings.Builder, style, extra string, runs []nuanxin.Run) {
	b.WriteString(`<w:p><w:pPr><w:pStyle w:val="` + style + `"/>` + extra + `</w:pPr>`)
	for _, r := range runs {
		docxRun(b, r.Text)
	}
	b.WriteString(`</w:p>`)
}

// docxRun writes text as a run, its tabs and line breaks as w:tab and w:br.
func docxRun(b *strings.Builder, text string) {
	text = strings.ReplaceAll(cleanText(text), "\r\n", "\n")
	if text == "" {
		return
	}
	b.WriteString(`<w:r>`)
	start := 0
	flush := func(end int) {
		if end > start {
			b.WriteString(`<w:t xml:space="preserve">` + esc(text[start:end]) + `</w:t>`)
		}
	}
	for i, r := range text {
		switch r {
		case '\t':
			flush(i)
			b.WriteString(`<w:tab/>`)
			start = i + 1
		case '\n', '\r', '\v', '\f':
			flush(i)
			b.WriteString(`<w:br/>`)
			start = i + 1
		}
	}
	flush(len(text))
	b.WriteString(`</w:r>`)
}

// rFonts names the font of Chinese text and Times New Roman for digits and
// Latin letters; hint="eastAsia" makes the quotes, dashes and ellipses of
// Chinese text use the Chinese font.
func rFonts(eastAsia, latin string) string {
	return `<w:rFonts w:ascii="` + latin + `" w:eastAsia="` + eastAsia + `" w:hAnsi="` + latin + `" w:cs="` + latin + `" w:hint="eastAsia"/>`
}

func sz(halfPoints int) string {
	return fmt.Sprintf(`<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, halfPoints, halfPoints)
}

var (
	exactLine  = fmt.Sprintf(`<w:spacing w:before="0" w:after="0" w:line="%d" w:lineRule="exact"/>`, docxLine)
	firstLine2 = fmt.Sprintf(`<w:ind w:firstLine="%d" w:firstLineChars="200"/>`, 2*docxEm)
	noIndent   = `<w:ind w:left="0" w:leftChars="0" w:right="0" w:rightChars="0" w:firstLine="0" w:firstLineChars="0"/>`
	lang       = `<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>`
	// No extra space between Chinese characters and digits: "2026年11月"
	// keeps the width the 落款 is laid out for, as in 公文 templates.
	noAutoSpace = `<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>`
)

// docxStyles are the named styles. Normal carries the page's text (3号
// 仿宋, fixed 28.95 pt, no automatic space around digits); Body Text adds the two-character indent and
// justification, the headings their fonts.
var docxStyles = xmlDecl + `<w:styles ` + wNS + `>` +
	`<w:docDefaults><w:rPrDefault><w:rPr>` + rFonts(fontBody, fontLatin) + `<w:kern w:val="2"/>` + sz(32) + lang + `</w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr>` + exactLine + `</w:pPr></w:pPrDefault></w:docDefaults>` +
	// Normal (正文)
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:widowControl/>` + noAutoSpace + exactLine + `<w:jc w:val="both"/></w:pPr>` +
	`<w:rPr>` + rFonts(fontBody, fontLatin) + `<w:kern w:val="2"/>` + sz(32) + lang + `</w:rPr></w:style>` +
	// Body Text (正文文本): a paragraph of the 总结
	`<w:style w:type="paragraph" w:styleId="BodyText"><w:name w:val="Body Text"/><w:basedOn w:val="Normal"/><w:qFormat/>` +
	`<w:pPr>` + exactLine + firstLine2 + `<w:jc w:val="both"/></w:pPr></w:style>` +
	// Title (标题): 2号 小标宋, centred, a blank line below
	fmt.Sprintf(`<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="BodyText"/><w:qFormat/>`+
		`<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="0" w:after="%d" w:line="%d" w:lineRule="exact"/>`+noIndent+`<w:jc w:val="center"/></w:pPr>`+
		`<w:rPr>`+rFonts(fontTitle, fontTitle)+`<w:b w:val="0"/><w:bCs w:val="0"/>`+sz(44)+`</w:rPr></w:style>`, docxLine, docxTitleLine) +
	// Heading 1 (标题 1): 一、… in 黑体
	`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="BodyText"/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:keepLines/>` + exactLine + firstLine2 + `<w:jc w:val="both"/><w:outlineLvl w:val="0"/></w:pPr>` +
	`<w:rPr>` + rFonts(fontHeading, fontLatin) + `<w:b w:val="0"/><w:bCs w:val="0"/>` + sz(32) + `</w:rPr></w:style>` +
	// Heading 2 (标题 2): （一）… in 楷体
	`<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="BodyText"/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:keepLines/>` + exactLine + firstLine2 + `<w:jc w:val="both"/><w:outlineLvl w:val="1"/></w:pPr>` +
	`<w:rPr>` + rFonts(fontSub, fontLatin) + `<w:b w:val="0"/><w:bCs w:val="0"/>` + sz(32) + `</w:rPr></w:style>` +
	// Signature (签名): the 落款
	`<w:style w:type="paragraph" w:styleId="Signature"><w:name w:val="Signature"/><w:basedOn w:val="Normal"/><w:qFormat/>` +
	`<w:pPr>` + exactLine + `<w:jc w:val="right"/></w:pPr></w:style>` +
	// Footer (页脚): 4号 宋体 page number
	`<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>` + noIndent + `<w:jc w:val="center"/></w:pPr>` +
	`<w:rPr>` + rFonts(fontSong, fontSong) + sz(28) + `</w:rPr></w:style>` +
	`<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>` +
	`</w:styles>`

const docxSettings = xmlDecl + `<w:settings ` + wNS + `>` +
	`<w:zoom w:percent="100"/>` +
	`<w:defaultTabStop w:val="420"/>` +
	`<w:characterSpacingControl w:val="compressPunctuation"/>` +
	`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
	`<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>` +
	`<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/>` +
	`</w:settings>`

// docxFontTable tells Word what each font is when it is not installed:
// GB2312 charset (86), serif or sans, and a Windows font to use instead.
const docxFontTable = xmlDecl + `<w:fonts ` + wNS + `>` +
	`<w:font w:name="` + fontBody + `"><w:altName w:val="仿宋"/><w:panose1 w:val="02010609030101010101"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>` +
	`<w:font w:name="` + fontTitle + `"><w:altName w:val="宋体"/><w:panose1 w:val="02000000000000000000"/><w:charset w:val="86"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>` +
	`<w:font w:name="` + fontHeading + `"><w:altName w:val="SimHei"/><w:panose1 w:val="02010609060101010101"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>` +
	`<w:font w:name="` + fontSub + `"><w:altName w:val="楷体"/><w:panose1 w:val="02010609030101010101"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>` +
	`<w:font w:name="` + fontSong + `"><w:altName w:val="SimSun"/><w:panose1 w:val="02010600030101010101"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>` +
	`<w:font w:name="` + fontLatin + `"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>` +
	`</w:fonts>`

// docxFooter is the page number "— 1 —" (a PAGE field between two 一字线).
const docxFooter = xmlDecl + `<w:ftr ` + wNS + `><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>` +
	`<w:r><w:t xml:space="preserve">— </w:t></w:r>` +
	`<w:r><w:fldChar w:fldCharType="begin"/></w:r>` +
	`<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
	`<w:r><w:fldChar w:fldCharType="separate"/></w:r>` +
	`<w:r><w:t>1</w:t></w:r>` +
	`<w:r><w:fldChar w:fldCharType="end"/></w:r>` +
	`<w:r><w:t xml:space="preserve"> —</w:t></w:r>` +
	`</w:p></w:ftr>`
