package roster

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/nuanxin/nuanxin"
	"github.com/xuri/excelize/v2"
)

func TestWriteTemplate(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTemplate(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sheet, help, opts = "会员花名册", "填写说明", "选项"
	if got := f.GetSheetList(); strings.Join(got, ",") != sheet+","+help+","+opts {
		t.Fatalf("sheets = %v", got)
	}
	if f.GetActiveSheetIndex() != 0 {
		t.Errorf("active sheet = %d", f.GetActiveSheetIndex())
	}
	for s, want := range map[string]bool{sheet: true, help: true, opts: false} {
		if v, _ := f.GetSheetVisible(s); v != want {
			t.Errorf("%s visible = %v, want %v", s, v, want)
		}
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("rows = %d, want header and example", len(rows))
	}
	for i, fld := range MemberFields {
		want := fld.Title()
		if fld.Required() {
			want = "*" + want
		}
		if rows[0][i] != want {
			t.Errorf("header %d = %q, want %q", i, rows[0][i], want)
		}
	}
	ex := rows[1]
	if ex[0] != "张三" || ex[2] != "男" || ex[3] != "1990-03-07" || ex[7] != "13800000000" || ex[11] != "000123" {
		t.Errorf("example row = %q", ex)
	}
	id, err := nuanxin.ParseIDNumber(ex[1])
	if err != nil || id.Number != ExampleIDNumber() || id.Sex != nuanxin.Male || id.Birth != nuanxin.NewDate(1990, 3, 7) {
		t.Errorf("example ID %q: %+v, %v", ex[1], id, err)
	}
	if typ, _ := f.GetCellType(sheet, "B2"); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
		t.Errorf("example ID cell type = %v", typ)
	}
	if raw, _ := f.GetCellValue(sheet, "D2", excelize.Options{RawCellValue: true}); raw != "32939" {
		t.Errorf("example birth date raw = %q, want 32939", raw)
	}
	numFmt := func(style int) string {
		st, err := f.GetStyle(style)
		if err != nil {
			t.Fatal(err)
		}
		if st.CustomNumFmt != nil {
			return *st.CustomNumFmt
		}
		return fmt.Sprint(st.NumFmt)
	}
	for fld, want := range map[Field]string{FieldIDNumber: "49", FieldPhone: "49", FieldEmployeeNo: "49", FieldCardNo: "49",
		FieldBirthDate: "yyyy-mm-dd", FieldHireDate: "yyyy-mm-dd", FieldJoinDate: "yyyy-mm-dd"} {
		col := nuanxin.ColumnLetter(fieldIndex(fld))
		cs, err := f.GetColStyle(sheet, col)
		if err != nil {
			t.Fatal(err)
		}
		if got := numFmt(cs); got != want {
			t.Errorf("%s column format = %q, want %q", fld, got, want)
		}
		s2, _ := f.GetCellStyle(sheet, col+"2")
		if got := numFmt(s2); got != want {
			t.Errorf("%s example cell format = %q, want %q", fld, got, want)
		}
	}
	hs, _ := f.GetCellStyle(sheet, "A1")
	if st, _ := f.GetStyle(hs); st.Font == nil || !st.Font.Bold || !strings.EqualFold(st.Font.Color, "FF0000") {
		t.Errorf("required header style = %+v", st.Font)
	}
	comments, err := f.GetComments(sheet)
	if err != nil || len(comments) != 2 || comments[0].Cell != "A1" || comments[1].Cell != "B1" {
		t.Errorf("comments = %+v, %v", comments, err)
	}
	panes, _ := f.GetPanes(sheet)
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes = %+v", panes)
	}

	// Every drop-down refers to a range of the hidden sheet holding exactly
	// the labels; the strict ones refuse other values.
	dvs, err := f.GetDataValidations(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(dvs) != len(templateLists()) {
		t.Errorf("%d validations, want %d", len(dvs), len(templateLists()))
	}
	bySqref := map[string]*excelize.DataValidation{}
	for _, dv := range dvs {
		bySqref[dv.Sqref] = dv
	}
	for _, l := range templateLists() {
		col := nuanxin.ColumnLetter(fieldIndex(l.field))
		dv := bySqref[fmt.Sprintf("%s2:%s10001", col, col)]
		if dv == nil {
			t.Errorf("%s: no validation on %s2:%s10001", l.field, col, col)
			continue
		}
		if dv.Type != "list" || dv.ShowErrorMessage != l.strict {
			t.Errorf("%s: type %q, strict %v", l.field, dv.Type, dv.ShowErrorMessage)
		}
		ref := strings.TrimPrefix(dv.Formula1, "'选项'!")
		var first, last int
		var c1, c2 string
		if _, err := fmt.Sscanf(strings.ReplaceAll(ref, "$", " "), " %1s %d: %1s %d", &c1, &first, &c2, &last); err != nil || c1 != c2 {
			t.Errorf("%s: formula %q: %v", l.field, dv.Formula1, err)
			continue
		}
		var got []string
		for r := first; r <= last; r++ {
			v, _ := f.GetCellValue(opts, fmt.Sprintf("%s%d", c1, r))
			got = append(got, v)
		}
		if strings.Join(got, ",") != strings.Join(l.items, ",") {
			t.Errorf("%s: list %v, want %v", l.field, got, l.items)
		}
	}
	if len(nuanxin.Ethnicities) != 56 {
		t.Errorf("民族 list has %d items", len(nuanxin.Ethnicities))
	}

	hrows, err := f.GetRows(help)
	if err != nil {
		t.Fatal(err)
	}
	text := fmt.Sprint(hrows)
	for _, want := range []string{"列名", "身份证号码 必填", "2024年3月5日", "2024.3.5", "在岗、歇岗、退休、劳务派遣、农民工",
		"先按身份证号码匹配", "空白单元格不会清空已有信息", "不填则导入到导入时所选的工会"} {
		if !strings.Contains(text, want) {
			t.Errorf("填写说明 lacks %q", want)
		}
	}
	for _, fld := range MemberFields {
		if strings.Contains(text, "roster.") {
			t.Fatalf("填写说明 shows a message key: %s", text)
		}
		_ = fld
	}
}

func TestTemplateExampleRowIsRejected(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTemplate(&buf); err != nil {
		t.Fatal(err)
	}
	b, err := OpenReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "模板.xlsx", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	mr, err := OpenMembers(b, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := mr.Next()
	if err != nil {
		t.Fatal(err)
	}
	if !r.Rejected() || !strings.Contains(fmt.Sprint(r.Errors), "示例行") {
		t.Fatalf("example row errors = %+v", r.Errors)
	}
}
