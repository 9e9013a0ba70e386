package roster

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func readRejected(t *testing.T, header []string, rows []RejectedRow) (*excelize.File, [][]string) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteRejected(&buf, header, rows); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	got, err := f.GetRows("未导入的行")
	if err != nil {
		t.Fatal(err)
	}
	return f, got
}

func TestWriteRejected(t *testing.T) {
	header := []string{"姓名", "身份证号", "入职日期", "电话"}
	f, rows := readRejected(t, header, []RejectedRow{
		{Row: 5, Cells: []string{"李四", "4.30102E+17", "2024/13/01", "13800000000"}, Reasons: []string{"B列（身份证号）：被Excel改成了科学计数法", "C列（入职日期）：日期不正确"}},
		{Row: 9, Cells: []string{"王五", "", "", "", "多出的一格"}, Reasons: []string{"缺少身份证号码"}},
	})
	want := [][]string{
		{"原行号", "姓名", "身份证号", "入职日期", "电话", "", "错误原因"},
		{"5", "李四", "4.30102E+17", "2024/13/01", "13800000000", "", "B列（身份证号）：被Excel改成了科学计数法；C列（入职日期）：日期不正确"},
		{"9", "王五", "", "", "", "多出的一格", "缺少身份证号码"},
	}
	if fmt.Sprintf("%q", rows) != fmt.Sprintf("%q", want) {
		t.Errorf("rows =\n%q\nwant\n%q", rows, want)
	}
	const sheet = "未导入的行"
	for _, cell := range []string{"A2", "C2", "E2", "G2"} {
		if typ, _ := f.GetCellType(sheet, cell); typ != excelize.CellTypeInlineString {
			t.Errorf("%s type = %v, want text", cell, typ)
		}
	}
	cs, _ := f.GetColStyle(sheet, "C")
	if st, _ := f.GetStyle(cs); st.NumFmt != 49 {
		t.Errorf("身份证号 column format = %d, want text (49)", st.NumFmt)
	}
	rs, _ := f.GetCellStyle(sheet, "G2")
	st, _ := f.GetStyle(rs)
	if st.Font == nil || !strings.HasSuffix(strings.ToUpper(st.Font.Color), "FF0000") || st.Alignment == nil || !st.Alignment.WrapText {
		t.Errorf("reason style = %+v %+v", st.Font, st.Alignment)
	}
	if w, _ := f.GetColWidth(sheet, "G"); w < 40 {
		t.Errorf("reason width = %v", w)
	}
	panes, _ := f.GetPanes(sheet)
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes = %+v", panes)
	}
}

// A rejected-rows file rejected again keeps one 原行号 and one 错误原因.
func TestWriteRejectedAgain(t *testing.T) {
	_, rows := readRejected(t, []string{"原行号", "姓名", "错误原因"}, []RejectedRow{
		{Row: 2, Cells: []string{"5", "李四", "旧的原因"}, Reasons: []string{"新的原因"}},
	})
	want := [][]string{{"原行号", "姓名", "错误原因"}, {"2", "李四", "新的原因"}}
	if fmt.Sprintf("%q", rows) != fmt.Sprintf("%q", want) {
		t.Errorf("rows = %q, want %q", rows, want)
	}
}

var rejectedHeader = []string{"姓名", "身份证号码", "性别", "出生日期", "手机号码", "部门", "工号"}

func manyRejected(n int) []RejectedRow {
	rows := make([]RejectedRow, n)
	for i := range rows {
		rows[i] = RejectedRow{Row: i + 2, Cells: []string{"张三", testID(i), "男", "1990-03-07", "13800000000", "财务部", fmt.Sprint(i)},
			Reasons: []string{"B列（身份证号码）：校验位不对"}}
	}
	return rows
}

func BenchmarkWriteRejected100k(b *testing.B) {
	rows := manyRejected(100000)
	for b.Loop() {
		if err := WriteRejected(io.Discard, rejectedHeader, rows); err != nil {
			b.Fatal(err)
		}
	}
}

func TestWriteRejectedMany(t *testing.T) {
	header, rows := rejectedHeader, manyRejected(10000)
	var buf bytes.Buffer
	if err := WriteRejected(&buf, header, rows); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := f.Rows("未导入的行")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for r.Next() {
		n++
	}
	if n != len(rows)+1 {
		t.Errorf("%d rows read back, want %d", n, len(rows)+1)
	}
}
