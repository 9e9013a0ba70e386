package roster

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/nuanxin/nuanxin"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// The fixtures come from testdata/make-fixtures.sh: xlsx written by
// LibreOffice, text files by iconv. Their 身份证号 are built there.
var (
	fxID1  = testIDNumber("430102", "19850315", "301")
	fxID2  = testIDNumber("430103", "19900720", "402")
	fxID3  = "43010419781102339X"
	fxID4  = testIDNumber("430102", "19920101", "022")
	fxID6  = testIDNumber("430105", "19800101", "131")
	fxID7  = testIDNumber("430111", "19750618", "215")
	fxID8  = testIDNumber("110101", "19830505", "123")
	fxID9  = testIDNumber("320106", "19870909", "248")
	fxID10 = testIDNumber("430102", "19550101", "121")
	fxID11 = testIDNumber("430102", "19580808", "222")
)

func openFixture(t testing.TB, name string) *Book {
	t.Helper()
	b, err := Open(filepath.Join("testdata", name), Options{})
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func TestFixtureIDs(t *testing.T) {
	if _, err := nuanxin.ParseIDNumber(fxID3); err != nil {
		t.Fatalf("fxID3: %v", err)
	}
}

// The LibreOffice roster, cell by cell as stored: title rows with merged
// cells, the header on row 3 with a line break in a cell, rich text,
// formulas (cached values), dates as serials, 身份证号 as numbers in
// LibreOffice's notation (E+017), blank and 序号-only rows, footers.
func TestReadLibreOfficeTitle(t *testing.T) {
	b := openFixture(t, "roster-title.xlsx")
	if got := b.Sheets(); !reflect.DeepEqual(got, []SheetInfo{{0, "会员花名册", false}}) {
		t.Fatalf("sheets = %v", got)
	}
	want := []string{
		"1:A=XX公司工会会员花名册",
		"2:A=填报单位：XX公司工会（盖章）|H=填报日期：2024年3月5日",
		"3:A=序号|B=姓 名|C=*身份证号码(必填)|D=性别|E=出生日期（格式：2024-01-01）|F=民族|G=政治面貌|H=联系电话|I=所在部门|J=岗位(职务)|K=用工性质|L=入会\n时间|M=爱好|N=备注",
		"4:A=#1|B=张三|C=" + fxID1 + "|D=男|E=@31121|F=汉族|G=中共党员|H=#13812345678|I=生产部|J=操作工|K=合同工|L=@40360|M=篮球",
		"5:A=#2|B=李四|C=#4.30103199007204E+017|D=女|E=@33074|F=汉族|G=群众|H=138 1234 5679|I=设备部|J=技术员|K=在职|L=2012年5月",
		"6:A=#3|B=王五|C=43010419781102339x|D=M|E=1978年11月2日|F=土家族|G=群众|H=+86 139 0000 1111|I=质量部|J=质检员|K=劳务派遣|L=2015.3.1",
		"8:A=#4",
		"9:A=#5|B=赵六|C=４３０１０２ 19920101 ０２２１|D=F|E=1992/1/1|F=回族|G=共青团员|H=#13700000001|I=财务部|J=会计|K=正式工|L=20150301|N=调入，原单位XX厂",
		"10:A=#6|B=孙七|C=#4.30102198807075E+017|D=女|E=1988-07-07 0:00:00|F=汉族|G=群众|H=#15912345678|I=人力资源部|J=主管|K=退休|L=@39668",
		"11:A=#7|B=周八|C=" + fxID6 + "|D=女|E=@29221|F=汉族|G=群众|H=12345|I=销售部|J=销售代表|K=实习生|L=2024-02-30",
		"12:A=#8|B=吴九|D=男|F=汉族|I=销售部",
		"13:A=#9|B=郑十|C=" + fxID7 + "|D=男性|E=1975-06|F=汉族|G=群众|H=13800001111|I=物流部|J=司机|K=在岗|L=@36526",
		"15:A=合计：9人",
		"16:A=制表人：张三|E=审核人：李四",
	}
	if got := values(allRows(t, b, 0)); !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

func TestReadLibreOfficeSheets(t *testing.T) {
	b := openFixture(t, "roster-sheets.xlsx")
	want := []SheetInfo{{0, "说明", false}, {1, "旧名单", true}, {2, "在职会员", false}, {3, "退休会员", false}}
	if got := b.Sheets(); !reflect.DeepEqual(got, want) {
		t.Fatalf("sheets = %v", got)
	}
	if b.Date1904() {
		t.Error("date1904")
	}
	rows := values(allRows(t, b, 2))
	wantRows := []string{
		"1:A=XX集团工会在职会员名册",
		"3:A=说明：本表由各分工会填报，请勿修改表头",
		"5:A=注：带*为必填项",
		"7:A=填报单位：一分厂工会|D=单位：人",
		"8:A=工号|B=会员姓名|C=手机号码|D=所属部门|E=＊公民身份号码|F=性别|G=出生年月|H=参加工作时间|I=会籍状态|J=所属工会|K=会员证号|L=编号",
		"9:A=#1001|B=陈一|C=#13611112222|D=机关|E=" + fxID8 + "|F=男|G=@30441|H=@38534|I=在会|J=机关分工会|K=HY001|L=#1",
		"10:A=#1002|B=林二|C=#13622223333|D=一车间|F=女|I=保留会籍|J=一车间分工会|L=#2",
		"11:B=黄三|D=一车间|F=男|I=已故|J=一车间分工会|L=#3",
		"12:A=#1004|B=何四|C=1.3633334444E+10|D=二车间|E=" + fxID9 + "|F=女|G=@32029|H=2010年9月1号|I=正常|J=二车间分工会|K=HY004|L=#4",
	}
	if !reflect.DeepEqual(rows, wantRows) {
		t.Errorf("在职会员:\n%q\nwant\n%q", rows, wantRows)
	}
	if got := values(allRows(t, b, 1)); !reflect.DeepEqual(got, []string{"1:A=姓名|B=身份证号", "2:A=老会员|B=" + testIDNumber("440305", "19950505", "335")}) {
		t.Errorf("hidden sheet: %q", got)
	}
	if got := values(allRows(t, b, 3)); len(got) != 3 || got[2] != "3:A=卫六|B="+fxID11+"|C=女|D=@21405|E=离退休|F=(0731)8456 7891转12" {
		t.Errorf("退休会员: %q", got)
	}
}

func TestReadCSVFixtures(t *testing.T) {
	for _, tc := range []struct {
		file  string
		sheet string
		want  []string
	}{
		{"roster-gb18030.csv", "roster-gb18030", []string{
			"1:A=XX公司工会会员花名册",
			"2:A=序号|B=姓名|C=身份证号码|D=性别|E=出生日期|F=手机号码|G=人员类别",
			"3:A=1|B=张三|C=" + fxID1 + "|D=男|E=1985-03-15|F=13812345678|G=在岗",
			"4:A=2|B=李四|C=4.30103E+17|D=女|E=1990/7/20|F=138-1234-5679|G=在职",
			"5:A=3|B=王五|C=43010419781102339x|D=M|E=1978年11月2日|F=+86 13900001111|G=派遣工",
			"7:A=4|B=孙七|C=430102198807075000|D=F|E=19880707|F=1.38E+10|G=农民工",
			"8:A=5|B=郑,十|C=" + fxID7 + "|D=男|E=1975.6.18|F=13800001111|G=内退",
		}},
		{"roster-bom.csv", "roster-bom", []string{
			"1:A=*姓名|B=*身份证号码|C=性别|D=出生日期|E=备注",
			"2:A=张三|B=" + fxID1 + "|C=男|D=1985-03-15|E=第一行\n第二行",
			"4:A=李四|B=" + fxID2 + "|C=女|D=1990-07-20|E=含逗号,的备注",
			"6:A=王五|B=" + fxID3 + "|C=男|D=1978-11-02",
		}},
		{"roster-semicolon.csv", "roster-semicolon", []string{
			"1:A=姓名|B=身份证号码|C=手机号码|D=备注",
			"2:A=张三|B=" + fxID1 + "|C=13812345678|D=慰问金1,200元",
			"3:A=李四|B=" + fxID2 + "|C=13812345679|D=分号;在引号里",
		}},
		{"roster-utf16.txt", "roster-utf16", []string{
			"1:A=姓名|B=身份证号码|C=性别",
			"2:A=张三|B=" + fxID1 + "|C=男",
			"3:A=李四|B=" + fxID2 + "|C=女",
		}},
	} {
		b := openFixture(t, tc.file)
		if s := b.Sheets(); len(s) != 1 || s[0].Name != tc.sheet {
			t.Errorf("%s: sheets %v", tc.file, s)
		}
		if got := values(allRows(t, b, 0)); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n%q\nwant\n%q", tc.file, got, tc.want)
		}
	}
}

func TestCSVEncodingOverride(t *testing.T) {
	raw, err := os.ReadFile("testdata/roster-gb18030.csv")
	if err != nil {
		t.Fatal(err)
	}
	// Told it is UTF-8, the GB18030 file reads as replacement characters,
	// not as an error: the officer sees garbage and picks the encoding.
	b, err := OpenReader(bytes.NewReader(raw), int64(len(raw)), "x.csv", Options{Encoding: "UTF-8"})
	if err != nil {
		t.Fatal(err)
	}
	if rows := allRows(t, b, 0); len(rows) != 7 || rows[1].Cells[1].Value == "姓名" {
		t.Errorf("UTF-8 override: %q", values(rows))
	}
	for _, enc := range []string{"gbk", "GB18030", "gb2312"} {
		b, err := OpenReader(bytes.NewReader(raw), int64(len(raw)), "x.csv", Options{Encoding: enc})
		if err != nil {
			t.Fatal(err)
		}
		if rows := allRows(t, b, 0); rows[1].Cells[1].Value != "姓名" {
			t.Errorf("%s: %q", enc, values(rows))
		}
	}
	if _, err := OpenReader(bytes.NewReader(raw), int64(len(raw)), "x.csv", Options{Encoding: "big5"}); errKey(err) != "roster.csv.encoding" {
		t.Errorf("big5: %v", err)
	}
}

func TestCSVDetection(t *testing.T) {
	gb := func(s string) string {
		b, _ := simplifiedchinese.GB18030.NewEncoder().String(s)
		return b
	}
	for _, tc := range []struct {
		name, data string
		want       []string
	}{
		{"crlf and no final newline", "姓名,电话\r\n张三,138\r\n李四,139", []string{"1:A=姓名|B=电话", "2:A=张三|B=138", "3:A=李四|B=139"}},
		{"tabs", "姓名\t电话\n张三\t1,2\n", []string{"1:A=姓名|B=电话", "2:A=张三|B=1,2"}},
		{"quoted commas do not count", "\"a,b,c,d\";x\n1;2\n", []string{"1:A=a,b,c,d|B=x", "2:A=1|B=2"}},
		{"sep line", "sep=;\n姓名;电话\n张三;138\n", []string{"2:A=姓名|B=电话", "3:A=张三|B=138"}},
		{"lazy quotes", "姓名,备注\n张三,他说\"好\"\n", []string{"1:A=姓名|B=备注", "2:A=张三|B=他说\"好\""}},
		{"ragged rows", "a,b,c\n1\n1,2,3,4\n", []string{"1:A=a|B=b|C=c", "2:A=1", "3:A=1|B=2|C=3|D=4"}},
		{"gb18030 late", "a,b\n" + string(bytes.Repeat([]byte("x,y\n"), 100)) + gb("张三,李四\n"), nil},
		{"utf-8 late", "a,b\n" + string(bytes.Repeat([]byte("x,y\n"), 100)) + "张三,李四\n", nil},
	} {
		b := openBytes(t, []byte(tc.data), tc.name+".csv")
		rows := allRows(t, b, 0)
		if tc.want == nil {
			last := rows[len(rows)-1]
			if last.Num != 102 || last.Cells[0].Value != "张三" || last.Cells[1].Value != "李四" {
				t.Errorf("%s: last row %q", tc.name, values(rows[len(rows)-1:]))
			}
			continue
		}
		if got := values(rows); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestRowsCloseEarly(t *testing.T) {
	b := openFixture(t, "roster-title.xlsx")
	rows, err := b.Rows(0)
	if err != nil {
		t.Fatal(err)
	}
	rows.Next()
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if rows.Next() {
		t.Error("Next after Close")
	}
	// A sheet left open is closed with the book.
	left, _ := b.Rows(0)
	left.Next()
	b.Close()
	if _, err := b.Rows(0); err == nil {
		t.Error("Rows after Close")
	}
}

func TestHead(t *testing.T) {
	b := openFixture(t, "roster-title.xlsx")
	rows, _ := b.Rows(0)
	defer rows.Close()
	head, err := Head(rows, 3)
	if err != nil || len(head) != 3 || head[2].Num != 3 || head[0].Cells[0].Value != "XX公司工会会员花名册" {
		t.Fatalf("Head = %v, %v", head, err)
	}
	rows.Next() // the copies must survive the iterator moving on
	if head[2].Cells[1].Value != "姓 名" {
		t.Errorf("head rows were reused: %q", head[2].Cells[1].Value)
	}
}

func TestCellText(t *testing.T) {
	for _, c := range []struct {
		cell  Cell
		d1904 bool
		want  string
	}{
		{Cell{"31121", CellDate}, false, "1985-03-15"},
		{Cell{"0", CellDate}, true, "1904-01-01"},
		{Cell{"0.5", CellDate}, false, "0.5"}, // a time: no date to show
		{Cell{"1", CellBool}, false, "TRUE"},
		{Cell{"0", CellBool}, false, "FALSE"},
		{Cell{"4.30103199007204E+017", CellNumber}, false, "4.30103199007204E+017"},
		{Cell{"张三", CellText}, false, "张三"},
		{Cell{"#N/A", CellError}, false, "#N/A"},
	} {
		if got := c.cell.Text(c.d1904); got != c.want {
			t.Errorf("%+v.Text = %q, want %q", c.cell, got, c.want)
		}
	}
}
