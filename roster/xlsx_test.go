package roster

import (
	"archive/zip"
	"bytes"
	"errors"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nuanxin/nuanxin"
	"github.com/xuri/excelize/v2"
)

// zipParts builds an xlsx (or any zip) from part name → content, in order.
func zipParts(t testing.TB, parts ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(parts); i += 2 {
		w, err := zw.Create(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(parts[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func openBytes(t testing.TB, b []byte, name string) *Book {
	t.Helper()
	book, err := OpenReader(bytes.NewReader(b), int64(len(b)), name, Options{})
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	return book
}

// allRows reads a sheet into copies of its rows.
func allRows(t testing.TB, b *Book, sheet int) []Row {
	t.Helper()
	rows, err := b.Rows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []Row
	for rows.Next() {
		out = append(out, rows.Row().Clone())
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// values renders rows compactly: "3:A=x|C=#5" (# number, @ date, ! error, ? bool).
func values(rows []Row) []string {
	var out []string
	for _, r := range rows {
		var parts []string
		for i, c := range r.Cells {
			if c.Kind == CellEmpty {
				continue
			}
			mark := map[CellKind]string{CellText: "", CellNumber: "#", CellDate: "@", CellError: "!", CellBool: "?"}[c.Kind]
			parts = append(parts, nuanxin.ColumnLetter(i)+"="+mark+c.Value)
		}
		out = append(out, strconv.Itoa(r.Num)+":"+strings.Join(parts, "|"))
	}
	return out
}

// sheetXML reads rows from a worksheet body (the part inside <sheetData>).
func sheetXML(t testing.TB, body string, sst []string, dates []bool) ([]Row, error) {
	t.Helper()
	sr := &sheetReader{sst: newSST(sst), dates: dates, name: "Sheet1"}
	doc := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1"/><sheetData>` +
		body + `</sheetData><mergeCells count="1"><mergeCell ref="A1:C1"/></mergeCells></worksheet>`
	sr.sc.init(strings.NewReader(doc))
	rs := &Rows{src: sr}
	var out []Row
	for rs.Next() {
		out = append(out, rs.Row().Clone())
	}
	return out, rs.Err()
}

func newSST(ss []string) *sharedStrings {
	s := &sharedStrings{offs: []uint32{0}}
	var b strings.Builder
	for _, x := range ss {
		b.WriteString(x)
		s.offs = append(s.offs, uint32(b.Len()))
	}
	s.data = b.String()
	return s
}

func TestSheetScanner(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"shared and numbers", `<row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>45356</v></c><c r="C1"><v>4.30102198503153E+17</v></c></row>`,
			[]string{"1:A=姓名|B=@45356|C=#4.30102198503153E+17"}},
		{"self-closing and gaps", `<row r="2"><c r="A2" s="3"/><c r="C2" t="s"><v>1</v></c></row><row r="5"/><row r="7"><c r="B7" s="2"/></row>`,
			[]string{"2:C=张三"}},
		{"rows and cells without r", `<row><c t="s"><v>0</v></c><c><v>1</v></c></row><row><c/><c t="s"><v>1</v></c></row><row r="10"><c><v>3</v></c></row><row><c r="D11"><v>4</v></c><c><v>5</v></c></row>`,
			[]string{"1:A=姓名|B=#1", "2:B=张三", "10:A=#3", "11:D=#4|E=#5"}},
		{"inline rich and phonetic", `<row r="3"><c r="A3" t="inlineStr"><is><t>王</t></is></c><c r="B3" t="inlineStr"><is><r><rPr><b/><sz val="11"/></rPr><t>李</t></r><r><t xml:space="preserve"> 四 </t></r><rPh sb="0" eb="1"><t>li</t></rPh><phoneticPr fontId="1"/></is></c></row>`,
			[]string{"3:A=王|B=李 四 "}},
		{"entities and escapes", `<row r="4"><c r="A4" t="inlineStr"><is><t>A&amp;B &lt;c&gt; &quot;d&quot; &apos;e&apos; &#20013;&#x56FD; &bogus; _x000D_x_x005F_x0041_</t></is></c><c r="B4" t="str"><f>A4&amp;""</f><v>&amp;_x0041_</v></c></row>`,
			[]string{"4:A=A&B <c> \"d\" 'e' 中国 &bogus; \rx_x0041_|B=&A"}},
		{"formula cached values and types", `<row r="5"><c r="A5"><f>1+1</f><v>2</v></c><c r="B5" t="str"><f t="shared" si="0" ref="B5:B6"/><v>张三</v></c><c r="C5" t="b"><v>1</v></c><c r="D5" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="E5" t="d"><v>2024-03-05T00:00:00</v></c><c r="F5"><f>NOW()</f></c></row>`,
			[]string{"5:A=#2|B=张三|C=?1|D=!#DIV/0!|E=2024-03-05T00:00:00"}},
		{"namespace prefixes and comments", `<!-- c --><x:row r="6" xmlns:x="urn:x"><x:c r="A6" t="s"><x:v>1</x:v></x:c><?pi x?><x:c r="B6" t="inlineStr"><x:is><x:t><![CDATA[<a&b>]]></x:t></x:is></x:c></x:row>`,
			[]string{"6:A=张三|B=<a&b>"}},
		{"single quotes and spaces in tags", `<row r = '8' ><c r='A8'   t = 's' ><v> 1 </v></c ></row >`,
			[]string{"8:A=张三"}},
		{"empty shared string and empty v", `<row r="9"><c r="A9" t="s"><v>2</v></c><c r="B9"><v></v></c></row><row r="10"><c r="A10" t="s"><v>1</v></c></row>`,
			[]string{"10:A=张三"}},
		{"lowercase column letters and big columns", `<row r="12"><c r="aa12"><v>1</v></c><c r="XFD12"><v>2</v></c></row>`,
			[]string{"12:AA=#1|XFD=#2"}},
	}
	sst := []string{"姓名", "张三", ""}
	dates := []bool{false, true, false, false}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := sheetXML(t, tc.body, sst, dates)
			if err != nil {
				t.Fatal(err)
			}
			if got := values(rows); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestSheetScannerBroken(t *testing.T) {
	for _, body := range []string{
		`<row r="1"><c r="A1" t="s"><v>7</v></c></row>`,   // shared index out of range
		`<row r="1"><c r="A1" t="s"><v>x</v></c></row>`,   // not an index
		`<row r="1"><c r="A1" t="s><v>0</v></c></row>`,    // unterminated attribute
		`<row r="1"><c r="A1" t"s"><v>0</v></c></row>`,    // attribute without =
		`<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2`, // cut inside a row
	} {
		_, err := sheetXML(t, body, []string{"x"}, nil)
		var e *nuanxin.Error
		if !errors.As(err, &e) || e.Key != "roster.xlsx.sheet_broken" || e.Code != nuanxin.EINVALID {
			t.Errorf("%s: err = %v, want roster.xlsx.sheet_broken", body, err)
		}
	}
}

// A token longer than the scan window (a 300 KB cell) grows the window.
func TestSheetScannerLongCell(t *testing.T) {
	long := strings.Repeat("长", 100_000) // 300 KB of UTF-8
	rows, err := sheetXML(t, `<row r="1"><c r="A1" t="inlineStr"><is><t>`+long+`</t></is></c><c r="B1"><v>1</v></c></row>`, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Cells[0].Value != long || rows[0].Cells[1].Value != "1" {
		t.Fatalf("long cell not read back")
	}
}

func TestIsDateFormat(t *testing.T) {
	for code, want := range map[string]bool{
		`yyyy"年"m"月"d"日"`:        true,
		`[$-804]yyyy/m/d`:        true,
		`[DBNum1][$-804]yyyy年m月`: true,
		`yyyy-mm-dd hh:mm:ss`:    true,
		`m/d/yy`:                 true,
		`h:mm AM/PM`:             true,
		`General`:                false,
		`0.00_);[Red](0.00)`:     false,
		`#,##0.00"元"`:            false,
		`"year"0`:                false,
		`\d0`:                    false,
		`@`:                      false,
		`0;"day"`:                false,
		`[Red]0.00`:              false,
		`0.00E+00`:               false,
	} {
		if got := IsDateFormat(code); got != want {
			t.Errorf("IsDateFormat(%q) = %v, want %v", code, got, want)
		}
	}
	for id, want := range map[int]bool{0: false, 1: false, 14: true, 22: true, 23: false, 27: true, 36: true, 45: true, 49: false, 50: true, 58: true, 59: false} {
		if got := builtinDateFormat(id); got != want {
			t.Errorf("builtin %d = %v", id, got)
		}
	}
}

const (
	ctXML     = `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`
	relsRoot  = `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`
	sheetHead = `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	sheetTail = `</sheetData></worksheet>`
)

// A workbook by hand: absolute and relative targets, hidden and veryHidden
// sheets, the 1904 date system, custom and built-in date formats, shared
// strings with rich text, phonetic runs and preserved spaces.
func TestXLSXWorkbookParts(t *testing.T) {
	b := zipParts(t,
		"[Content_Types].xml", ctXML,
		"_rels/.rels", relsRoot,
		"xl/workbook.xml", `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr date1904="1"/><sheets>`+
			`<sheet name="花名册" sheetId="1" r:id="rId1"/><sheet name="旧名单" sheetId="2" state="hidden" r:id="rId2"/><sheet name="说明" sheetId="3" state="veryHidden" r:id="rId3"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/a.xml"/>`+
			`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/b.xml"/>`+
			`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="../xl/worksheets/c.xml"/>`+
			`<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/>`+
			`<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="/xl/s.xml"/>`+
			`<Relationship Id="rId6" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="http://x/" TargetMode="External"/></Relationships>`,
		"xl/strings.xml", `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">`+
			`<si><t>姓名</t></si><si><r><rPr><b/></rPr><t>张</t></r><r><t xml:space="preserve">三 </t></r><rPh sb="0" eb="1"><t>zhang</t></rPh><phoneticPr fontId="1"/></si>`+
			`<si><t/></si><si/><si><t>李四</t><rPh sb="0" eb="2"><t>lisi</t></rPh></si></sst>`,
		"xl/s.xml", `<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/><numFmt numFmtId="177" formatCode="0.00_ "/></numFmts>`+
			`<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="176" applyNumberFormat="1"/><xf numFmtId="177"/><xf numFmtId="14"/><xf numFmtId="49"/></cellXfs></styleSheet>`,
		"xl/worksheets/a.xml", sheetHead+`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>4</v></c></row>`+
			`<row r="2"><c r="A2" s="1"><v>43530</v></c><c r="B2" s="2"><v>43530</v></c><c r="C2" s="3"><v>0</v></c><c r="D2" s="4"><v>1</v></c><c r="E2" s="9"><v>1</v></c><c r="F2" t="s"><v>2</v></c><c r="G2" t="s"><v>3</v></c></row>`+sheetTail,
		"xl/worksheets/b.xml", sheetHead+`<row r="4"><c r="B4" t="s"><v>4</v></c></row>`+sheetTail,
		"xl/worksheets/c.xml", sheetHead+sheetTail,
	)
	book := openBytes(t, b, "x.xlsx")
	defer book.Close()
	want := []SheetInfo{{0, "花名册", false}, {1, "旧名单", true}, {2, "说明", true}}
	if got := book.Sheets(); !reflect.DeepEqual(got, want) {
		t.Fatalf("sheets = %v", got)
	}
	if !book.Date1904() {
		t.Error("date1904 not read")
	}
	got := values(allRows(t, book, 0))
	wantRows := []string{"1:A=姓名|B=张三 |C=李四", "2:A=@43530|B=#43530|C=@0|D=#1|E=#1"}
	if !reflect.DeepEqual(got, wantRows) {
		t.Errorf("sheet 0 = %q, want %q", got, wantRows)
	}
	if got := values(allRows(t, book, 1)); !reflect.DeepEqual(got, []string{"4:B=李四"}) {
		t.Errorf("sheet 1 = %q", got)
	}
	if got := allRows(t, book, 2); len(got) != 0 {
		t.Errorf("sheet 2 = %v", got)
	}
	// 43530 is 2019-03-06 in the 1900 system, 1462 days later in the 1904 system.
	d, _, err := ParseDateCell(Cell{Value: "43530", Kind: CellDate}, book.Date1904())
	if err != nil || d != (nuanxin.Date{Year: 2023, Month: 3, Day: 7}) {
		t.Errorf("1904 date = %v, %v", d, err)
	}
	if _, err := book.Rows(3); errKey(err) != "roster.open.no_sheet" {
		t.Errorf("Rows(3) err = %v", err)
	}
}

func errKey(err error) string {
	var e *nuanxin.Error
	if errors.As(err, &e) {
		return e.Key
	}
	if err == nil {
		return ""
	}
	return "not *nuanxin.Error: " + err.Error()
}

func TestOpenRejects(t *testing.T) {
	docx := zipParts(t, "[Content_Types].xml", ctXML, "word/document.xml", "<w:document/>")
	ods := zipParts(t, "mimetype", "application/vnd.oasis.opendocument.spreadsheet", "content.xml", "<x/>")
	noSheets := zipParts(t, "_rels/.rels", relsRoot, "xl/workbook.xml", `<workbook><sheets></sheets></workbook>`)
	broken := zipParts(t, "_rels/.rels", relsRoot, "xl/workbook.xml", `<workbook><sheets><sheet name="a"`)
	for _, tc := range []struct {
		name string
		data []byte
		key  string
	}{
		{"empty", nil, "roster.open.empty"},
		{"xls", append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 600)...), "roster.xls_unsupported"},
		{"encrypted", append(append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 600)...), []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e\x00")...), "roster.open.encrypted"},
		{"truncated zip", []byte("PK\x03\x04garbage"), "roster.xlsx.broken"},
		{"docx", docx, "roster.open.not_xlsx"},
		{"ods", ods, "roster.open.ods"},
		{"no sheets", noSheets, "roster.xlsx.no_sheets"},
		{"broken workbook", broken, "roster.xlsx.broken"},
		{"pdf", []byte("%PDF-1.4\n..."), "roster.open.pdf"},
		{"html xls", []byte("<html><body><table><tr><td>姓名</td></tr></table></body></html>"), "roster.open.html"},
		{"xml 2003", []byte(`<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">`), "roster.open.html"},
		{"binary", []byte("\x00\x01\x02\x03binary"), "roster.open.not_spreadsheet"},
	} {
		_, err := OpenReader(bytes.NewReader(tc.data), int64(len(tc.data)), tc.name, Options{})
		if errKey(err) != tc.key {
			t.Errorf("%s: err = %v (%s), want %s", tc.name, err, errKey(err), tc.key)
		}
		var e *nuanxin.Error
		if errors.As(err, &e) && (e.Code != nuanxin.EINVALID || !strings.ContainsAny(e.Error(), "请")) {
			t.Errorf("%s: %q should be EINVALID and say what to do", tc.name, e.Error())
		}
	}
	if _, err := Open(filepath.Join(t.TempDir(), "missing.xlsx"), Options{}); errKey(err) != "roster.open.failed" {
		t.Errorf("missing file: %v", err)
	}
}

// A workbook written by excelize: shared strings (SetCellValue), inline
// strings and rich text (StreamWriter), date styles, a hidden sheet.
func TestXLSXExcelize(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "会员"))
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	must(err)
	cnDate := `yyyy"年"m"月"d"日"`
	cnStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &cnDate})
	must(err)
	must(f.SetSheetRow("会员", "A1", &[]any{"XX公司工会会员花名册"}))
	must(f.MergeCell("会员", "A1", "F1"))
	must(f.SetSheetRow("会员", "A3", &[]any{"序号", "姓名", "身份证号码", "出生日期", "入会时间", "备注"}))
	must(f.SetSheetRow("会员", "A4", &[]any{1, "张三", "430102198503153024", time.Date(1985, 3, 15, 0, 0, 0, 0, time.UTC), 45356, " A&B <c> \"q\" "}))
	must(f.SetCellStyle("会员", "D4", "D4", dateStyle))
	must(f.SetCellStyle("会员", "E4", "E4", cnStyle))
	must(f.SetCellRichText("会员", "B5", []excelize.RichTextRun{{Text: "李"}, {Text: "四", Font: &excelize.Font{Bold: true}}}))
	must(f.SetCellValue("会员", "C5", 4.30102198503153e17))
	must(f.SetCellBool("会员", "D5", true))
	must(f.SetCellValue("会员", "F5", "line1\nline2"))
	_, err = f.NewSheet("隐藏")
	must(err)
	must(f.SetCellValue("隐藏", "B2", "旧"))
	must(f.SetSheetVisible("隐藏", false))
	_, err = f.NewSheet("流式")
	must(err)
	sw, err := f.NewStreamWriter("流式")
	must(err)
	must(sw.SetRow("A1", []any{"姓名", "电话", 13812345678, 1.5, true}))
	must(sw.SetRow("A3", []any{[]excelize.RichTextRun{{Text: "王"}, {Text: "五"}}, "138 1234 5678"}))
	must(sw.Flush())
	path := filepath.Join(t.TempDir(), "excelize.xlsx")
	must(f.SaveAs(path))

	book, err := Open(path, Options{})
	must(err)
	defer book.Close()
	sheets := book.Sheets()
	if len(sheets) != 3 || sheets[0].Name != "会员" || sheets[1].Name != "隐藏" || !sheets[1].Hidden || sheets[2].Hidden {
		t.Fatalf("sheets = %v", sheets)
	}
	got := values(allRows(t, book, 0))
	want := []string{
		"1:A=XX公司工会会员花名册",
		"3:A=序号|B=姓名|C=身份证号码|D=出生日期|E=入会时间|F=备注",
		"4:A=#1|B=张三|C=430102198503153024|D=@31121|E=@45356|F= A&B <c> \"q\" ",
		"5:B=李四|C=#430102198503153000|D=?1|F=line1\nline2",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := values(allRows(t, book, 1)); !reflect.DeepEqual(got, []string{"2:B=旧"}) {
		t.Errorf("hidden sheet = %q", got)
	}
	got = values(allRows(t, book, 2))
	want = []string{"1:A=姓名|B=电话|C=#13812345678|D=#1.5|E=?1", "3:A=王五|B=138 1234 5678"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stream sheet = %q, want %q", got, want)
	}
}
