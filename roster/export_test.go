package roster

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nuanxin/nuanxin"
	"github.com/xuri/excelize/v2"
)

// testID is a checksum-valid fictitious 身份证号 for sequence n.
func testID(n int) string {
	first := fmt.Sprintf("43010219%02d%02d%02d%03d", 60+n%40, 1+n%12, 1+n%28, n%1000)
	return first + string(nuanxin.IDCheckDigit(first))
}

var (
	genNames = []string{"张三", "李四", "王小明", "赵敏", "阿卜杜拉·艾则孜", "欧阳娜娜"}
	genDepts = []string{"生产技术部", "财务部", "综合办公室", "第一车间", "销售部 & 市场部"}
)

// genMember fills m as the store would for an export row.
func genMember(m *nuanxin.Member, i int) {
	id := testID(i)
	*m = nuanxin.Member{
		ID: int64(i + 1), OrgID: int64(i%7 + 1), OrgName: fmt.Sprintf("某某公司第%d分工会", i%7+1),
		Name: genNames[i%len(genNames)], IDNumber: id, IDMasked: nuanxin.MaskIDNumber(id),
		Sex:       []nuanxin.Sex{nuanxin.Female, nuanxin.Male}[i%1000%2], // as the ID's 17th digit says
		BirthDate: nuanxin.NewDate(1960+i%40, time.Month(1+i%12), 1+i%28),
		Phone:     fmt.Sprintf("139%08d", i%100000000), Ethnicity: nuanxin.Ethnicities[i%56],
		Political: nuanxin.PoliticalStatuses[i%13], Education: nuanxin.Educations[i%10],
		Category: nuanxin.Categories[i%5], Department: genDepts[i%len(genDepts)], Post: "技术员",
		EmployeeNo: fmt.Sprintf("%06d", i), HireDate: nuanxin.NewDate(1985+i%30, 7, 1),
		Status: nuanxin.MemberStatuses[i%5], CardNo: fmt.Sprintf("0012%08d", i),
	}
	if i%3 == 0 {
		m.JoinDate = nuanxin.NewDate(1990+i%30, 5, 4)
	}
	if i%10 == 0 {
		m.Notes = "困难职工，2023年已帮扶"
	}
}

// genSource yields n generated members, reusing one Member like a cursor
// scanning into the same struct.
func genSource(n int) MemberSource {
	var m nuanxin.Member
	i := 0
	return func() (*nuanxin.Member, error) {
		if i == n {
			return nil, io.EOF
		}
		genMember(&m, i)
		i++
		return &m, nil
	}
}

func BenchmarkExportXLSX1M(b *testing.B) {
	const n = 1000000
	for b.Loop() {
		cw := &countWriter{}
		rows, err := ExportXLSX(cw, MemberFields, genSource(n), ExportOptions{})
		if err != nil || rows != n {
			b.Fatal(rows, err)
		}
		b.ReportMetric(float64(cw.n)/(1<<20), "MB")
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkExportCSV1M(b *testing.B) {
	const n = 1000000
	for b.Loop() {
		cw := &countWriter{}
		rows, err := ExportCSV(cw, MemberFields, genSource(n), ExportOptions{})
		if err != nil || rows != n {
			b.Fatal(rows, err)
		}
		b.ReportMetric(float64(cw.n)/(1<<20), "MB")
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// sliceSource yields the given members.
func sliceSource(ms ...*nuanxin.Member) MemberSource {
	i := 0
	return func() (*nuanxin.Member, error) {
		if i == len(ms) {
			return nil, io.EOF
		}
		i++
		return ms[i-1], nil
	}
}

func exportedBook(t *testing.T, cols []Field, opt ExportOptions, ms ...*nuanxin.Member) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	n, err := ExportXLSX(&buf, cols, sliceSource(ms...), opt)
	if err != nil || n != len(ms) {
		t.Fatalf("ExportXLSX = %d, %v; want %d", n, err, len(ms))
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func testMember() *nuanxin.Member {
	id := ExampleIDNumber()
	return &nuanxin.Member{
		OrgID: 3, OrgName: "机关分工会", Name: "张三", IDNumber: id, IDMasked: nuanxin.MaskIDNumber(id),
		Sex: nuanxin.Male, BirthDate: nuanxin.NewDate(1990, 3, 7), Phone: "13812345678",
		Ethnicity: "汉族", Political: "中共党员", Education: "大学本科", Category: nuanxin.CategoryRetired,
		Department: "财务部", Post: "会计", EmployeeNo: "000123", HireDate: nuanxin.NewDate(2024, 3, 5),
		Status: nuanxin.StatusReserved, CardNo: "0012345678901234567", Notes: " <a&b> \x01 ",
	}
}

func TestExportXLSX(t *testing.T) {
	m := testMember()
	f := exportedBook(t, nil, ExportOptions{Title: "2024年会员花名册"}, m)
	sheet := "会员花名册"
	if got := f.GetSheetList(); len(got) != 1 || got[0] != sheet {
		t.Fatalf("sheets = %v", got)
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("rows = %d, want 2", len(rows))
	}
	for i, fld := range MemberFields {
		if rows[0][i] != fld.Title() {
			t.Errorf("header %d = %q, want %q", i, rows[0][i], fld.Title())
		}
	}
	want := map[Field]string{
		FieldName: "张三", FieldIDNumber: m.IDMasked, FieldSex: "男", FieldBirthDate: "1990-03-07",
		FieldPhone: "138****5678", FieldCategory: "退休", FieldStatus: "保留会籍", FieldEmployeeNo: "000123",
		FieldHireDate: "2024-03-05", FieldJoinDate: "", FieldCardNo: "0012345678901234567", FieldOrg: "机关分工会",
		FieldNotes: " <a&b>  ",
	}
	for fld, v := range want {
		i := fieldIndex(fld)
		got := ""
		if i < len(rows[1]) {
			got = rows[1][i]
		}
		if got != v {
			t.Errorf("%s = %q, want %q", fld, got, v)
		}
	}
	if !strings.Contains(rows[1][1], "********") || strings.Contains(strings.Join(rows[1], ","), m.IDNumber) {
		t.Errorf("ID not masked: %q", rows[1][1])
	}

	// Codes are text cells, dates real dates with the yyyy-mm-dd format.
	for _, fld := range []Field{FieldIDNumber, FieldPhone, FieldEmployeeNo, FieldCardNo} {
		cell := nuanxin.ColumnLetter(fieldIndex(fld)) + "2"
		if typ, _ := f.GetCellType(sheet, cell); typ != excelize.CellTypeInlineString {
			t.Errorf("%s %s type = %v, want inline string", fld, cell, typ)
		}
	}
	dcell := nuanxin.ColumnLetter(fieldIndex(FieldHireDate)) + "2"
	if raw, _ := f.GetCellValue(sheet, dcell, excelize.Options{RawCellValue: true}); raw != "45356" {
		t.Errorf("hire date raw = %q, want serial 45356", raw)
	}
	sid, _ := f.GetCellStyle(sheet, dcell)
	if st, err := f.GetStyle(sid); err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != "yyyy-mm-dd" {
		t.Errorf("hire date style = %+v, %v", st, err)
	}
	if typ, _ := f.GetCellType(sheet, dcell); typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
		t.Errorf("date cell is a string")
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes = %+v, %v", panes, err)
	}
	hid, _ := f.GetCellStyle(sheet, "A1")
	if st, _ := f.GetStyle(hid); st == nil || st.Font == nil || !st.Font.Bold || st.Fill.Pattern != 1 {
		t.Errorf("header style = %+v", st)
	}
	if w, _ := f.GetColWidth(sheet, "B"); w < 20 {
		t.Errorf("身份证号 width = %v", w)
	}
	props, err := f.GetDocProps()
	if err != nil || props.Title != "2024年会员花名册" {
		t.Errorf("doc props = %+v, %v", props, err)
	}
	names := f.GetDefinedName()
	if len(names) != 1 || names[0].Name != "_xlnm._FilterDatabase" || names[0].RefersTo != "'会员花名册'!$A$1:$R$2" {
		t.Errorf("defined names = %+v", names)
	}
}

func TestExportXLSXUnmaskedColumnsOrg(t *testing.T) {
	m := testMember()
	cols := []Field{FieldOrg, FieldIDNumber, FieldPhone, FieldName}
	f := exportedBook(t, cols, ExportOptions{Unmasked: true, SheetName: "导出:2024",
		OrgName: func(id int64) string { return fmt.Sprintf("工会%d", id) }}, m)
	rows, err := f.GetRows("导出_2024")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"工会3", m.IDNumber, "13812345678", "张三"}
	if strings.Join(rows[1], "|") != strings.Join(want, "|") {
		t.Errorf("row = %q, want %q", rows[1], want)
	}
	if _, err := nuanxin.ParseIDNumber(rows[1][1]); err != nil {
		t.Errorf("exported ID does not parse: %v", err)
	}
}

func TestExportXLSXRollover(t *testing.T) {
	const n = 25
	ms := make([]*nuanxin.Member, n)
	for i := range ms {
		ms[i] = new(nuanxin.Member)
		genMember(ms[i], i)
	}
	f := exportedBook(t, nil, ExportOptions{SheetRowLimit: 10}, ms...)
	sheets := f.GetSheetList()
	if want := []string{"会员花名册", "会员花名册(2)", "会员花名册(3)"}; strings.Join(sheets, ",") != strings.Join(want, ",") {
		t.Fatalf("sheets = %v, want %v", sheets, want)
	}
	seen := 0
	for k, s := range sheets {
		rows, err := f.GetRows(s)
		if err != nil {
			t.Fatal(err)
		}
		if want := min(10, n-seen+1); len(rows) != want {
			t.Errorf("%s: %d rows, want %d", s, len(rows), want)
		}
		if rows[0][0] != FieldName.Title() {
			t.Errorf("%s: header = %v", s, rows[0])
		}
		for _, r := range rows[1:] {
			if r[0] != ms[seen].Name || r[1] != ms[seen].IDMasked {
				t.Errorf("%s: row %v, want member %d", s, r[:2], seen)
			}
			seen++
		}
		panes, _ := f.GetPanes(s)
		if !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s: panes = %+v", s, panes)
		}
		if visible, _ := f.GetSheetVisible(s); !visible {
			t.Errorf("%s hidden", s)
		}
		_ = k
	}
	if seen != n {
		t.Errorf("read back %d members, want %d", seen, n)
	}
}

func TestExportXLSXErrors(t *testing.T) {
	if _, err := ExportXLSX(io.Discard, []Field{"salary"}, sliceSource(), ExportOptions{}); err == nil {
		t.Error("unknown column accepted")
	}
	boom := fmt.Errorf("cursor failed")
	i := 0
	next := func() (*nuanxin.Member, error) {
		if i++; i > 3 {
			return nil, boom
		}
		return testMember(), nil
	}
	if n, err := ExportXLSX(io.Discard, nil, next, ExportOptions{}); err != boom || n != 3 {
		t.Errorf("ExportXLSX = %d, %v; want 3, cursor error", n, err)
	}
	// A failing writer stops the export instead of formatting every row.
	if _, err := ExportXLSX(failWriter{}, nil, genSource(100000), ExportOptions{}); err == nil {
		t.Error("write error not reported")
	}
	// Empty export: a header-only workbook.
	var buf bytes.Buffer
	if n, err := ExportXLSX(&buf, nil, sliceSource(), ExportOptions{}); err != nil || n != 0 {
		t.Fatal(n, err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if rows, _ := f.GetRows("会员花名册"); len(rows) != 1 {
		t.Errorf("empty export rows = %v", rows)
	}
}

type failWriter struct{}

func (failWriter) Write(p []byte) (int, error) { return 0, fmt.Errorf("disk full") }

func TestExportCSV(t *testing.T) {
	m := testMember()
	m.Department = "=HYPERLINK(\"http://x\")"
	m.Notes = "含逗号,和\"引号\""
	var buf bytes.Buffer
	n, err := ExportCSV(&buf, nil, sliceSource(m, testMember()), ExportOptions{})
	if err != nil || n != 2 {
		t.Fatal(n, err)
	}
	b := buf.Bytes()
	if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("no BOM: % x", b[:3])
	}
	lines := strings.Split(strings.TrimSuffix(string(b[3:]), "\r\n"), "\r\n")
	if len(lines) != 3 || strings.Count(string(b), "\n") != 3 {
		t.Fatalf("lines = %q", lines)
	}
	var titles []string
	for _, f := range MemberFields {
		titles = append(titles, f.Title())
	}
	if lines[0] != strings.Join(titles, ",") {
		t.Errorf("header = %q", lines[0])
	}
	for _, want := range []string{"张三," + m.IDMasked + ",男,1990-03-07,", ",138****5678,退休,\"'=HYPERLINK(\"\"http://x\"\")\",会计,",
		",000123,2024-03-05,,保留会籍,0012345678901234567,机关分工会,\"含逗号,和\"\"引号\"\"\""} {
		if !strings.Contains(lines[1], want) {
			t.Errorf("row %q lacks %q", lines[1], want)
		}
	}
	if strings.Contains(string(b), m.IDNumber) {
		t.Error("plain ID in a masked CSV")
	}
}

func TestCSVSafe(t *testing.T) {
	for in, want := range map[string]string{"": "", "-": "-", "-1": "'-1", "=1+1": "'=1+1", "+86": "'+86",
		"@SUM(A1)": "'@SUM(A1)", "张三": "张三", "0731-****7890": "0731-****7890"} {
		if got := csvSafe(in); got != want {
			t.Errorf("csvSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestLibreOffice converts an export and the template with LibreOffice, the
// nearest thing to Excel and WPS on this machine, and checks the text.
func TestLibreOffice(t *testing.T) {
	const soffice = "/usr/bin/soffice"
	if _, err := os.Stat(soffice); err != nil {
		t.Skip("LibreOffice not installed")
	}
	if testing.Short() {
		t.Skip("slow")
	}
	dir := t.TempDir()
	var export, tmpl, rej bytes.Buffer
	m := testMember()
	m.JoinDate = nuanxin.NewDate(1900, 1, 1)
	if _, err := ExportXLSX(&export, nil, sliceSource(m), ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := WriteTemplate(&tmpl); err != nil {
		t.Fatal(err)
	}
	if err := WriteRejected(&rej, []string{"姓名", "身份证号码"}, []RejectedRow{{Row: 7, Cells: []string{"李四", "43010219900307123"}, Reasons: []string{"B列：身份证号码位数不对", "另一处"}}}); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"export.xlsx": export.Bytes(), "template.xlsx": tmpl.Bytes(), "rejected.xlsx": rej.Bytes()}
	var args []string
	for name, b := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	// 44,34,76: comma, double quote, UTF-8.
	cmd := exec.Command(soffice, append([]string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"),
		"--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", dir}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	got := read("export.csv")
	for _, want := range []string{"姓名,身份证号码,性别,出生日期,", "张三," + m.IDMasked + ",男,1990-03-07,汉族,",
		",138****5678,退休,财务部,会计,000123,2024-03-05,1900-01-01,保留会籍,0012345678901234567,机关分工会,"} {
		if !strings.Contains(got, want) {
			t.Errorf("export.csv lacks %q:\n%s", want, got)
		}
	}
	got = read("template.csv")
	for _, want := range []string{"*姓名,*身份证号码,性别,出生日期,", "张三," + ExampleIDNumber() + ",男,1990-03-07,汉族,中共党员,大学本科,13800000000,在岗,"} {
		if !strings.Contains(got, want) {
			t.Errorf("template.csv lacks %q:\n%s", want, got)
		}
	}
	got = read("rejected.csv")
	for _, want := range []string{"原行号,姓名,身份证号码,错误原因", "7,李四,43010219900307123,B列：身份证号码位数不对；另一处"} {
		if !strings.Contains(got, want) {
			t.Errorf("rejected.csv lacks %q:\n%s", want, got)
		}
	}
}

// BenchmarkExportXLSX1MExcelize writes the same workbook with excelize's
// StreamWriter, the alternative xlsxStream was measured against.
func BenchmarkExportXLSX1MExcelize(b *testing.B) {
	const n = 1000000
	for b.Loop() {
		e, _ := newExporter(nil, ExportOptions{})
		f := excelize.NewFile()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			b.Fatal(err)
		}
		dateFmt := "yyyy-mm-dd"
		ds, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
		ts, _ := f.NewStyle(&excelize.Style{NumFmt: 49})
		row := make([]any, len(e.cols))
		for i, fld := range e.cols {
			row[i] = fld.Title()
		}
		if err := sw.SetRow("A1", row); err != nil {
			b.Fatal(err)
		}
		next := genSource(n)
		for r := 2; ; r++ {
			m, err := next()
			if err == io.EOF {
				break
			}
			for i, fld := range e.cols {
				switch fld {
				case FieldBirthDate, FieldHireDate, FieldJoinDate:
					var d nuanxin.Date
					switch fld {
					case FieldBirthDate:
						d = m.BirthDate
					case FieldHireDate:
						d = m.HireDate
					default:
						d = m.JoinDate
					}
					if s, ok := excelSerial(d); ok {
						row[i] = excelize.Cell{StyleID: ds, Value: s}
					} else {
						row[i] = nil
					}
				case FieldIDNumber, FieldPhone, FieldEmployeeNo, FieldCardNo:
					row[i] = excelize.Cell{StyleID: ts, Value: e.text(fld, m)}
				default:
					row[i] = e.text(fld, m)
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, r)
			if err := sw.SetRow(cell, row); err != nil {
				b.Fatal(err)
			}
		}
		if err := sw.Flush(); err != nil {
			b.Fatal(err)
		}
		cw := &countWriter{}
		if _, err := f.WriteTo(cw); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(cw.n)/(1<<20), "MB")
		f.Close()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
