package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/report/reporttest"
)

const (
	hrefIllness = "/care?paid=1&category=illness&from=2026-01-01&to=2026-12-31"
	hrefAmount  = "/care?paid=1&category=illness&from=2026-01-01&to=2026-12-31&sum=amount"
	hrefHard    = "/hardship?status=active&year=2026"
	hrefMutual  = "/mutual?year=2026"
	hrefCheckup = "/events?kind=checkup&year=2026"
)

// sampleSummary is a 工作总结 as the generator writes it, long enough for
// two pages, with the figures of a real one.
func sampleSummary() *nuanxin.Summary {
	F, P := nuanxin.Fig, nuanxin.Plain
	h1 := func(s string) nuanxin.SummaryBlock {
		return nuanxin.SummaryBlock{Kind: nuanxin.BlockHeading, Runs: []nuanxin.Run{P(s)}}
	}
	h2 := func(s string) nuanxin.SummaryBlock {
		return nuanxin.SummaryBlock{Kind: nuanxin.BlockSubheading, Runs: []nuanxin.Run{P(s)}}
	}
	return &nuanxin.Summary{
		Title:  "示范机械厂工会2026年工作总结",
		Author: "示范机械厂工会委员会",
		Date:   nuanxin.NewDate(2026, 11, 24),
		Blocks: []nuanxin.SummaryBlock{
			nuanxin.Para(P("2026年，厂工会在上级工会和厂党委的坚强领导下，坚持以职工为中心的工作导向，围绕企业生产经营中心任务，认真履行维护、建设、参与、教育四项基本职能，扎实做好职工关心关怀各项工作。现将全年工作总结如下。")),
			h1("一、主要工作及成效"),
			h2("（一）慰问工作"),
			nuanxin.Para(P("全年慰问住院职工"), F("32人次", hrefIllness), P("，发放慰问金"), F("2.56万元", hrefAmount),
				P("。元旦春节期间走访慰问困难职工"), F("18户", hrefHard), P("，送去慰问品和慰问金，把党和政府的温暖及时送到职工心坎上。")),
			h2("（二）医疗互助"),
			nuanxin.Para(P("组织"), F("486名", hrefMutual), P("职工参加职工医疗互助，覆盖率达到"), F("96.4%", hrefMutual),
				P("；组织"), F("500人", hrefCheckup), P("参加年度健康体检，建立职工健康档案，对体检中发现的问题及时跟踪提醒。")),
			h2("（三）文体活动"),
			nuanxin.Para(P("按月举办集体生日会，组织职工篮球赛、趣味运动会、读书分享会等活动，丰富职工业余文化生活，增强了队伍的凝聚力和向心力。")),
			h1("二、存在的问题和不足"),
			nuanxin.Para(P("一是帮扶工作的精准度还需进一步提高，困难职工档案动态管理不够及时；二是基层分工会工作开展不平衡，部分班组活动形式较为单一；三是工会干部业务能力有待加强。")),
			h1("三、下一步工作打算"),
			nuanxin.Para(P("2027年，厂工会将继续深化“我为职工办实事”实践活动，健全困难职工帮扶长效机制，完善医疗互助和健康管理服务，推动职工关心关怀工作制度化、规范化、常态化，为企业高质量发展凝聚职工力量。")),
			nuanxin.Para(P("一是加强组织建设。进一步健全基层分工会和工会小组，选优配强工会干部，开展业务培训，提高工会干部服务职工的能力和水平。")),
			nuanxin.Para(P("二是做实帮扶救助。完善困难职工档案动态管理，落实元旦春节送温暖、金秋助学等常态化帮扶措施，做到应帮尽帮。")),
			nuanxin.Para(P("三是丰富文体生活。持续开展集体生日会和职工喜闻乐见的文体活动，建设职工书屋和健身场所，营造健康向上的企业文化氛围。")),
		},
	}
}

func writeDOCX(t *testing.T, s *nuanxin.Summary) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteSummaryDOCX(&buf, s); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// docxParts unzips a .docx and checks that every XML part is well formed.
func docxParts(t *testing.T, docx []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	parts := map[string]string{}
	for i, f := range zr.File {
		if i == 0 && f.Name != "[Content_Types].xml" {
			t.Errorf("first part is %s", f.Name)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = string(b)
		d := xml.NewDecoder(bytes.NewReader(b))
		for {
			if _, err := d.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s is not well-formed XML: %v", f.Name, err)
			}
		}
	}
	return parts
}

// docxParagraphs is the text of each w:p of document.xml.
func docxParagraphs(t *testing.T, doc string) []string {
	t.Helper()
	const w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	d := xml.NewDecoder(strings.NewReader(doc))
	var paras []string
	var cur strings.Builder
	inText := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if e.Name.Space == w && e.Name.Local == "t" {
				inText = true
			}
		case xml.EndElement:
			switch {
			case e.Name.Space == w && e.Name.Local == "t":
				inText = false
			case e.Name.Space == w && e.Name.Local == "p":
				paras = append(paras, cur.String())
				cur.Reset()
			}
		case xml.CharData:
			if inText {
				cur.Write(e)
			}
		}
	}
	return paras
}

func TestWriteSummaryDOCX(t *testing.T) {
	s := sampleSummary()
	docx := writeDOCX(t, s)
	saveSample(t, "summary.docx", docx)
	parts := docxParts(t, docx)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/settings.xml",
		"word/footer1.xml", "word/fontTable.xml", "word/_rels/document.xml.rels", "docProps/core.xml", "docProps/app.xml"} {
		if _, ok := parts[name]; !ok {
			t.Errorf("no %s", name)
		}
	}
	doc, styles, footer := parts["word/document.xml"], parts["word/styles.xml"], parts["word/footer1.xml"]

	paras := docxParagraphs(t, doc)
	want := []string{
		s.Title,
		"一、主要工作及成效", "（一）慰问工作",
		// the figures stay inside their sentence
		"全年慰问住院职工32人次，发放慰问金2.56万元。元旦春节期间走访慰问困难职工18户，",
		"组织486名职工参加职工医疗互助，覆盖率达到96.4%；组织500人参加年度健康体检",
		"二、存在的问题和不足", "三、下一步工作打算",
		"示范机械厂工会委员会", "2026年11月24日",
	}
	for _, w := range want {
		found := false
		for _, p := range paras {
			if strings.Contains(p, w) {
				found = true
			}
		}
		if !found {
			t.Errorf("no paragraph contains %q", w)
		}
	}
	if n := len(paras); n < 4 || paras[n-2] != s.Author || paras[n-1] != "2026年11月24日" || paras[n-3] != "" {
		t.Errorf("落款: the document should end with a blank line, the union and the date: %q", paras[max(0, n-3):])
	}
	if strings.Contains(doc, "hyperlink") || strings.Contains(doc, "/care?") {
		t.Error("a printed 公文 has no links")
	}

	for _, w := range []string{
		`<w:pgSz w:w="11906" w:h="16838"/>`,
		`<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"`,
		`<w:footerReference w:type="default" r:id="rId4"/>`,
		`<w:pStyle w:val="Title"/>`, `<w:pStyle w:val="Heading1"/>`, `<w:pStyle w:val="Heading2"/>`,
		`<w:pStyle w:val="BodyText"/>`, `<w:pStyle w:val="Signature"/>`,
	} {
		if !strings.Contains(doc, w) {
			t.Errorf("document.xml lacks %s", w)
		}
	}
	for _, w := range []string{
		`w:firstLine="640" w:firstLineChars="200"`,
		`w:line="579" w:lineRule="exact"`,
		`w:eastAsia="仿宋_GB2312"`, `w:eastAsia="方正小标宋简体"`, `w:eastAsia="黑体"`, `w:eastAsia="楷体_GB2312"`,
		`<w:sz w:val="44"/>`, `<w:sz w:val="32"/>`, `<w:sz w:val="28"/>`,
		`w:styleId="Title"`, `w:styleId="Heading1"`, `w:styleId="Heading2"`, `w:styleId="BodyText"`, `w:styleId="Signature"`, `w:styleId="Normal"`,
	} {
		if !strings.Contains(styles, w) {
			t.Errorf("styles.xml lacks %s", w)
		}
	}
	if !strings.Contains(footer, `<w:instrText xml:space="preserve"> PAGE </w:instrText>`) || !strings.Contains(footer, "— ") || !strings.Contains(footer, " —") {
		t.Errorf("footer: %s", footer)
	}
	if !strings.Contains(parts["docProps/core.xml"], "<dc:title>"+s.Title+"</dc:title>") || !strings.Contains(parts["docProps/app.xml"], s.Title) {
		t.Error("the title is not in docProps")
	}

	// The same summary makes the same bytes.
	if !bytes.Equal(docx, writeDOCX(t, sampleSummary())) {
		t.Error("output is not deterministic")
	}
}

func TestSummaryInvalidXMLChars(t *testing.T) {
	s := &nuanxin.Summary{
		Title:  "A&B <工会> 总结\x01",
		Author: "工会\x00委员会",
		Blocks: []nuanxin.SummaryBlock{
			nuanxin.Para(nuanxin.Plain("慰问 <b>&amp; \"职工\" 'x' \x01\x1f\ufffe结束\t制表\n换行"), nuanxin.Fig("3<人>", "/care?a=1&b=<2>")),
			{Kind: nuanxin.BlockHeading, Runs: []nuanxin.Run{nuanxin.Plain("二、\x0b问题")}},
		},
	}
	parts := docxParts(t, writeDOCX(t, s))
	for name, body := range parts {
		if strings.ContainsAny(body, "\x00\x01\x0b\x1f\ufffe") {
			t.Errorf("%s keeps a character XML 1.0 forbids", name)
		}
	}
	paras := docxParagraphs(t, parts["word/document.xml"])
	if paras[0] != "A&B <工会> 总结" {
		t.Errorf("title = %q", paras[0])
	}
	if want := `慰问 <b>&amp; "职工" 'x' 结束制表换行3<人>`; paras[1] != want {
		t.Errorf("paragraph = %q, want %q", paras[1], want)
	}
	if !strings.Contains(parts["word/document.xml"], "<w:tab/>") || !strings.Contains(parts["word/document.xml"], "<w:br/>") {
		t.Error("tab and line break are lost")
	}
	if !strings.Contains(parts["docProps/core.xml"], "<dc:title>A&amp;B &lt;工会&gt; 总结</dc:title>") {
		t.Errorf("core.xml: %s", parts["docProps/core.xml"])
	}

	var h bytes.Buffer
	if err := WriteSummaryHTML(&h, s, SummaryHTMLOptions{Links: true}); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(h.String(), "\x00\x01\x0b\x1f\ufffe") || strings.Contains(h.String(), "<b>") || strings.Contains(h.String(), "<人>") {
		t.Errorf("HTML is not clean:\n%s", h.String())
	}
	var m bytes.Buffer
	if err := WriteSummaryMarkdown(&m, s, "http://x"); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(m.String(), "\x00\x01\x0b\x1f\ufffe") {
		t.Errorf("Markdown is not clean: %q", m.String())
	}
}

func TestSignatureIndents(t *testing.T) {
	for _, c := range []struct {
		author, date string
		a, d         float64
	}{
		// 10 characters over a date of 7 (3 Chinese + 8 digits):
		// name 右空二字, the date under it moved two characters right.
		{"示范机械厂工会委员会", "2026年11月24日", 2, 3},
		{"长沙市芙蓉区示范机械厂工会委员会", "2026年11月24日", 2, 9},
		// a short name: the date 右空二字, the name starts two characters
		// to the left of the date
		{"厂工会", "2026年1月4日", 7, 2},
		{"", "2026年1月4日", 0, 2},
		{"厂工会", "", 2, 0},
	} {
		a, d := signatureIndents(c.author, c.date)
		if a != c.a || d != c.d {
			t.Errorf("%q %q: %v %v, want %v %v", c.author, c.date, a, d, c.a, c.d)
		}
	}
}

func TestSummaryDOCXInLibreOffice(t *testing.T) {
	reporttest.NeedTool(t, "soffice", "pdftotext", "pdfinfo")
	if testing.Short() {
		t.Skip("LibreOffice takes seconds")
	}
	s := sampleSummary()
	pdf := reporttest.SofficePDF(t, writeDOCX(t, s))
	saveSample(t, "summary-docx.pdf", pdf)

	pages := pdfText(t, pdf)
	all := squeeze(strings.Join(pages, "\n"))
	for _, w := range []string{
		s.Title, "一、主要工作及成效", "（一）慰问工作", "（二）医疗互助", "二、存在的问题和不足", "三、下一步工作打算",
		"32人次", "2.56万元", "18户", "486名", "96.4%", "500人",
		"示范机械厂工会委员会", "2026年11月24日",
	} {
		if !strings.Contains(all, w) {
			t.Errorf("the PDF lacks %q", w)
		}
	}
	for i, p := range pages {
		if page := "—" + string(rune('1'+i)) + "—"; !strings.Contains(squeeze(p), page) {
			t.Errorf("page %d has no page number %q:\n%s", i+1, page, p)
		}
	}

	dir := t.TempDir()
	f := filepath.Join(dir, "s.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	info, err := exec.Command("pdfinfo", f).Output()
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`Page size:\s+([\d.]+) x ([\d.]+) pts`).FindStringSubmatch(string(info))
	if m == nil || !strings.HasPrefix(m[1], "595") || !strings.HasPrefix(m[2], "841") && !strings.HasPrefix(m[2], "842") {
		t.Errorf("not A4:\n%s", info)
	}
	if len(pages) != 2 {
		t.Errorf("%d pages, want 2 (22 lines a page)", len(pages))
	}
}

func TestWriteSummaryHTML(t *testing.T) {
	s := sampleSummary()
	s.Blocks = append(s.Blocks, nuanxin.Para(nuanxin.Plain("x<script>alert(1)</script> & a<b"), nuanxin.Fig("坏链接", "javascript:alert(1)")))
	var buf bytes.Buffer
	if err := WriteSummaryHTML(&buf, s, SummaryHTMLOptions{BaseURL: "https://nx.example.cn/", Links: true}); err != nil {
		t.Fatal(err)
	}
	h := buf.String()
	saveSample(t, "summary.html", buf.Bytes())
	for _, w := range []string{
		"<!DOCTYPE html>", `lang="zh-CN"`, "<title>" + s.Title + "</title>", "<h1>" + s.Title + "</h1>",
		"<h2>一、主要工作及成效</h2>", "<h3>（一）慰问工作</h3>",
		`<p>全年慰问住院职工<a class="fig" href="https://nx.example.cn/care?paid=1&amp;category=illness&amp;from=2026-01-01&amp;to=2026-12-31">32人次</a>，发放慰问金<a class="fig" href="https://nx.example.cn/care?paid=1&amp;category=illness&amp;from=2026-01-01&amp;to=2026-12-31&amp;sum=amount">2.56万元</a>。`,
		`<a class="fig" href="https://nx.example.cn/mutual?year=2026">486名</a>`,
		`x&lt;script&gt;alert(1)&lt;/script&gt; &amp; a&lt;b`,
		`<div class="sig-org">示范机械厂工会委员会</div><div class="sig-date">2026年11月24日</div>`,
		// 公文 page and fonts
		"size: A4 portrait", "margin: 37mm 26mm 35mm 28mm", `content: "— " counter(page) " —"`,
		`"FZXiaoBiaoSong-B05S", "方正小标宋简体"`, `"FangSong", "仿宋_GB2312"`, `"SimHei", "黑体"`, `"KaiTi", "楷体_GB2312"`,
		"text-indent: 2em", "font-size: 22pt", "font-size: 16pt", "line-height: 28.95pt",
		"@media print {\n  a.fig { color: inherit; text-decoration: none; }",
	} {
		if !strings.Contains(h, w) {
			t.Errorf("HTML lacks %q", w)
		}
	}
	if strings.Contains(h, "<script") {
		t.Error("HTML has a script")
	}
	for _, bad := range []string{"<link", "src=", "@import", "url(", "@font-face", " style="} {
		if strings.Contains(h, bad) {
			t.Errorf("HTML contains %q: it must load nothing and keep to its one <style>", bad)
		}
	}
	if n := strings.Count(h, "<style>"); n != 1 || !strings.Contains(h, "<style>"+summaryCSS+"</style>") {
		t.Errorf("the CSS must be the constant summaryCSS in one <style> (its hash is allowed by the CSP), found %d", n)
	}

	// Without links the figures are plain text.
	buf.Reset()
	if err := WriteSummaryHTML(&buf, sampleSummary(), SummaryHTMLOptions{BaseURL: "https://nx.example.cn"}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "<a ") || !strings.Contains(buf.String(), "<p>全年慰问住院职工32人次，发放慰问金2.56万元。") {
		t.Errorf("figures without links:\n%s", buf.String())
	}
	// Relative links when there is no base.
	buf.Reset()
	if err := WriteSummaryHTML(&buf, sampleSummary(), SummaryHTMLOptions{Links: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `<a class="fig" href="/mutual?year=2026">486名</a>`) {
		t.Errorf("relative link missing")
	}
	// A href that is not a path of the app cannot become a script.
	buf.Reset()
	bad := &nuanxin.Summary{Title: "t", Blocks: []nuanxin.SummaryBlock{nuanxin.Para(nuanxin.Fig("坏链接", "javascript:alert(1)"))}}
	if err := WriteSummaryHTML(&buf, bad, SummaryHTMLOptions{Links: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "javascript:") {
		t.Errorf("javascript: URL kept:\n%s", buf.String())
	}
}

func TestWriteSummaryMarkdown(t *testing.T) {
	s := &nuanxin.Summary{
		Title:  "示范机械厂工会2026年工作总结",
		Author: "示范机械厂工会委员会",
		Date:   nuanxin.NewDate(2026, 11, 24),
		Blocks: []nuanxin.SummaryBlock{
			nuanxin.Para(nuanxin.Plain("2026年，厂工会扎实做好各项工作。")),
			{Kind: nuanxin.BlockHeading, Runs: []nuanxin.Run{nuanxin.Plain("一、主要工作及成效")}},
			{Kind: nuanxin.BlockSubheading, Runs: []nuanxin.Run{nuanxin.Plain("（一）慰问工作")}},
			nuanxin.Para(nuanxin.Plain("全年慰问住院职工"), nuanxin.Fig("32人次", hrefIllness), nuanxin.Plain("，发放慰问金"), nuanxin.Fig("2.56万元", hrefAmount), nuanxin.Plain("。")),
			nuanxin.Para(nuanxin.Plain("1. 开展*送温暖*活动_[试点]_ <b> `x` \\ 完成率100%！")),
			nuanxin.Para(nuanxin.Plain("# 不是标题\n- 不是列表")),
		},
	}
	var buf bytes.Buffer
	if err := WriteSummaryMarkdown(&buf, s, "https://nx.example.cn/"); err != nil {
		t.Fatal(err)
	}
	want := "# 示范机械厂工会2026年工作总结\n" +
		"\n" +
		"2026年，厂工会扎实做好各项工作。\n" +
		"\n" +
		"## 一、主要工作及成效\n" +
		"\n" +
		"### （一）慰问工作\n" +
		"\n" +
		"全年慰问住院职工[32人次](https://nx.example.cn/care?paid=1&category=illness&from=2026-01-01&to=2026-12-31)，发放慰问金[2.56万元](https://nx.example.cn/care?paid=1&category=illness&from=2026-01-01&to=2026-12-31&sum=amount)。\n" +
		"\n" +
		"1\\. 开展\\*送温暖\\*活动\\_\\[试点\\]\\_ \\<b> \\`x\\` \\\\ 完成率100%！\n" +
		"\n" +
		"\\# 不是标题\\\n\\- 不是列表\n" +
		"\n" +
		"示范机械厂工会委员会\n" +
		"\n" +
		"2026年11月24日\n"
	if got := buf.String(); got != want {
		t.Errorf("Markdown:\n%s\nwant:\n%s", got, want)
	}

	buf.Reset()
	if err := WriteSummaryMarkdown(&buf, s, ""); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "\n全年慰问住院职工32人次，发放慰问金2.56万元。\n") || strings.Contains(buf.String(), "](") {
		t.Errorf("without a base URL the figures are plain text:\n%s", buf.String())
	}
}

func TestSummaryHTMLInChromium(t *testing.T) {
	dir := os.Getenv("NUANXIN_REPORT_SAMPLES")
	if dir == "" {
		t.Skip("NUANXIN_REPORT_SAMPLES not set")
	}
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("no chromium")
	}
	var buf bytes.Buffer
	if err := WriteSummaryHTML(&buf, sampleSummary(), SummaryHTMLOptions{BaseURL: "https://nx.example.cn", Links: true}); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, "summary.html")
	if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"--screenshot=" + filepath.Join(dir, "summary-html.png"), "--window-size=1000,1400"},
		{"--print-to-pdf=" + filepath.Join(dir, "summary-html.pdf"), "--no-pdf-header-footer"},
	} {
		cmd := exec.Command(bin, append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + t.TempDir()}, append(args, "file://"+page)...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				t.Fatal(err)
			}
			t.Logf("chromium: %v\n%s", err, out)
		}
	}
}

func TestTitleLinesBreakAfterTheUnion(t *testing.T) {
	for in, want := range map[string]string{
		"发电公司工会2026年工作总结":              "发电公司工会2026年工作总结",
		"华夏能源集团有限公司工会委员会2026年工作总结":     "华夏能源集团有限公司工会委员会\n2026年工作总结",
		"华夏能源集团有限公司工会委员会2026年夏送清凉活动总结": "华夏能源集团有限公司工会委员会\n2026年夏送清凉活动总结",
	} {
		if got := titleLines(in); got != want {
			t.Errorf("titleLines(%q) = %q, want %q", in, got, want)
		}
	}
}
