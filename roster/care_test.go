package roster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/nuanxin/nuanxin"
	"github.com/xuri/excelize/v2"
)

// careLine is a CareRow in one line, for exact comparisons.
func careLine(r *nuanxin.CareRow) string {
	return fmt.Sprintf("%d|%s|%s|%s|%s|%s|%s|%d|%s|%s|%s|%s", r.Row, r.Name, r.IDNumber, r.Category, r.CategoryText,
		r.Holiday, r.Date, int64(r.Amount), r.Form, r.Goods, r.Handler, r.Notes)
}

func readAllCare(t *testing.T, src nuanxin.CareRowSource) []*nuanxin.CareRow {
	t.Helper()
	var out []*nuanxin.CareRow
	for {
		r, err := src.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
}

type careWant struct {
	line string
	errs []string // as errList renders them
}

func checkCare(t *testing.T, got []*nuanxin.CareRow, want []careWant) {
	t.Helper()
	if len(got) != len(want) {
		var lines []string
		for _, r := range got {
			lines = append(lines, careLine(r))
		}
		t.Fatalf("%d rows, want %d:\n%s", len(got), len(want), strings.Join(lines, "\n"))
	}
	for i, w := range want {
		r := got[i]
		if l := careLine(r); l != w.line {
			t.Errorf("row %d:\n got %s\nwant %s", i, l, w.line)
		}
		if e := errList(r.Errors); !reflect.DeepEqual(e, w.errs) && !(len(e) == 0 && len(w.errs) == 0) {
			t.Errorf("row %d errors:\n%q\nwant\n%q", r.Row, e, w.errs)
		}
		for _, e := range r.Errors {
			if e.Row != r.Row {
				t.Errorf("row %d: error on row %d", r.Row, e.Row)
			}
		}
		wantRejected := false
		for _, e := range w.errs {
			wantRejected = wantRejected || !strings.HasPrefix(e, "!")
		}
		if r.Rejected() != wantRejected {
			t.Errorf("row %d: rejected %v", r.Row, r.Rejected())
		}
	}
}

var fxID5 = testIDNumber("430102", "19880707", "512")

// The 登记表 LibreOffice wrote (make-fixtures.sh): the sheet is found
// behind a 说明 sheet, the title, the repeated header, blank rows, the 合计
// row with its SUM and the footer are skipped, and every cell is read as
// the officer meant it.
func TestReadCareLibreOffice(t *testing.T) {
	st, err := StreamCare(filepath.Join("testdata", "care-title.xlsx"), ImportOptions{Sheet: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if st.Sheet() != 1 || st.Header().Row != 3 {
		t.Fatalf("sheet %d, header row %d", st.Sheet(), st.Header().Row)
	}
	wantNotes := []string{msg("roster.import.note_sheet", "慰问登记表", 3), msg("roster.import.note_hidden", "2023年")}
	if !reflect.DeepEqual(st.Notes(), wantNotes) {
		t.Errorf("notes %q", st.Notes())
	}
	if got := fieldsOf(st.Header().Ignored); got != "A: K:" {
		t.Errorf("ignored %s", got)
	}
	rows := readAllCare(t, st)
	const (
		idCol     = "C列（身份证号码）"
		dateCol   = "E列（慰问日期）"
		amountCol = "F列（金额（元））"
		formCol   = "G列（发放形式）"
	)
	checkCare(t, rows, []careWant{
		{line: "4|张三|" + fxID1 + "|birthday|生日慰问||2024-03-15|20000|goods|生日蛋糕|王会计|"},
		// A 身份证号 the sheet holds as a number has lost its last digits.
		{line: "5|李四||wedding|新婚||2024-05-01|50000|cash||王会计|",
			errs: []string{idCol + "|id_number|" + msg("id.excel_scientific")}},
		{line: "6|王五|" + fxID3 + "|illness|住院（手术）||2024-06-03|100000|cash|||手术，住院7天",
			errs: []string{"!" + formCol + "|form|" + msg("roster.care.form_inferred", "慰问金")}},
		{line: "7|赵六|" + fxID4 + "|holiday|春节慰问|spring|2024-02-05|30000|card||王会计|"},
		{line: "9|孙七||holiday|2025年春节|spring|2025-01-20|100000|cash|||"},
		// A union's own category is kept as written for the store.
		{line: "10|周八|" + fxID6 + "||家属住院||2024-07-01|80000|cash|||",
			errs: []string{"!" + dateCol + "|date|" + msg("roster.members.partial_date", "2024-07", "2024年7月1日")}},
		{line: "11|吴九|" + fxID7 + "||||2024-09-17|0|goods|水果一篮||",
			errs: []string{amountCol + "|amount|" + msg("roster.care.amount_zero"),
				"D列（慰问类别）|category|" + msg("roster.care.category_required")}},
		{line: "12|郑十|" + fxID8[:6] + "********" + fxID8[14:] + "|relative_death|父亲去世||2024-10-08|30000|cash|||"},
		{line: "14|陈一|" + fxID8 + "|hardship|困难||2024-12-20|200000|cash||王会计|送温暖"},
		{line: "15|何四|" + fxID9 + "|holiday|中秋|mid_autumn|2024-09-17|20000|voucher|月饼一盒||"},
		{line: "16|冯五|" + fxID10 + "|retirement|退休||2024-01-31|0|goods|||",
			errs: []string{amountCol + "|amount|" + msg("roster.care.cell_error", "#DIV/0!")}},
	})
	if !strings.HasSuffix(rows[10].Errors[0].String(), "第16行 F列（金额（元））：单元格是公式错误“#DIV/0!”，请改正公式或直接填写内容") {
		t.Errorf("message: %s", rows[10].Errors[0])
	}
	wantCols := map[string]string{"name": "B列（姓名）", "id_number": idCol, "category": "D列（慰问类别）", "date": dateCol,
		"amount": amountCol, "form": formCol, "goods": "H列（慰问品）", "handler": "I列（经手人）", "notes": "J列（备注）"}
	if !reflect.DeepEqual(rows[0].Columns, wantCols) {
		t.Errorf("columns %q", rows[0].Columns)
	}
	if _, err := st.Next(); err != io.EOF {
		t.Errorf("after the end: %v", err)
	}
}

// A CSV saved from WPS in GB18030, with a 节日 column.
func TestReadCareCSV(t *testing.T) {
	st, err := StreamCare(filepath.Join("testdata", "care-gb18030.csv"), ImportOptions{Sheet: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows := readAllCare(t, st)
	checkCare(t, rows, []careWant{
		{line: "3|张三|" + fxID1 + "|holiday|节日慰问|dragon_boat|2024-06-10|20000|goods||王会计|"},
		{line: "4|李四||birthday|生日||2024-07-20|15000|voucher||王会计|",
			errs: []string{"B列（身份证号）|id_number|" + msg("id.excel_scientific")}},
		// 节日慰问 without a holiday: the store decides; the form is inferred.
		{line: "5|王五||holiday|节日慰问||2024-02-09|30000|goods|||",
			errs: []string{"!G列（慰问形式）|form|" + msg("roster.care.form_inferred", "实物")}},
		{line: "6|赵六|" + fxID4 + "|other|其他|||10000|goods|||",
			errs: []string{"E列（发放日期）|date|" + msg("roster.date.month", "2024/13/01", 13)}},
		// A 结婚 at 春节 is a 结婚: the holiday is only when it happened.
		{line: "7|周八|" + fxID6 + "|wedding|结婚||2024-02-10|120000|cash|||"},
		{line: "8|孙七|" + fxID5 + "|holiday|节日慰问||2024-02-24|10000|goods|||",
			errs: []string{"!D列（节日）|holiday|" + msg("roster.care.holiday_invalid", "元宵", "元旦、春节、清明、劳动节、端午、中秋、国庆")}},
	})
}

// csvCare reads care rows from CSV text.
func csvCare(t *testing.T, text string, overrides map[int]Field) ([]*nuanxin.CareRow, error) {
	t.Helper()
	b := openBytes(t, []byte(text), "t.csv")
	defer b.Close()
	cr, err := OpenCare(b, 0, overrides)
	if err != nil {
		return nil, err
	}
	defer cr.Close()
	var out []*nuanxin.CareRow
	for {
		r, err := cr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
}

func TestReadCareRows(t *testing.T) {
	t.Run("required", func(t *testing.T) {
		rows, err := csvCare(t, "姓名,类别,日期,金额,形式\n"+
			",生日,2024-01-01,100,实物\n"+
			"张三,,,,\n"+
			"李四,生日,2024-01-01,abc,现金+实物\n", nil)
		if err != nil {
			t.Fatal(err)
		}
		checkCare(t, rows, []careWant{
			{line: "2|||birthday|生日||2024-01-01|10000|goods|||",
				errs: []string{"A列（姓名）|name|" + msg("member.name.required")}},
			{line: "3|张三||||||0|goods|||", errs: []string{
				"B列（类别）|category|" + msg("roster.care.category_required"),
				"C列（日期）|date|" + msg("roster.care.date_required"),
				"D列（金额）|amount|" + msg("roster.care.amount_required"),
				"!E列（形式）|form|" + msg("roster.care.form_inferred", "实物")}},
			{line: "4|李四||birthday|生日||2024-01-01|0||||", errs: []string{
				"D列（金额）|amount|" + msg("roster.amount.invalid", "abc"),
				"E列（形式）|form|" + msg("roster.care.form_invalid", "现金+实物", "实物、慰问金、蛋糕券/指定商品提货券、购物卡/代金券")}},
		})
	})
	t.Run("id", func(t *testing.T) {
		rows, err := csvCare(t, "姓名,身份证号,类别,日期,金额\n"+
			"张三,"+fxID1[:17]+"0,生日,2024-01-01,100\n"+
			"张三,"+ExampleIDNumber()+",生日,2024-01-01,100\n"+
			"张三,,生日,2024-01-01,100\n", nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 || !rows[0].Rejected() || rows[0].Errors[0].Column != "B列（身份证号）" ||
			rows[0].Errors[0].Reason != msg("id.checksum") {
			t.Fatalf("bad number: %+v", rows[0])
		}
		if !rows[1].Rejected() || rows[1].Errors[0].Reason != msg("roster.members.example_row") {
			t.Errorf("example row: %+v", rows[1].Errors)
		}
		if rows[2].IDNumber != "" || len(rows[2].Errors) != 1 || !rows[2].Errors[0].Warning {
			t.Errorf("no number (optional): %+v", rows[2].Errors)
		}
	})
	t.Run("no form column", func(t *testing.T) {
		// Without a 形式 column the warning has no column to point at.
		rows, err := csvCare(t, "姓名,类别,日期,金额,物品\n张三,住院,2024-01-01,300,\n李四,住院,2024-01-01,300,水果\n王五,生日,2024-01-01,100,\n", nil)
		if err != nil {
			t.Fatal(err)
		}
		checkCare(t, rows, []careWant{
			{line: "2|张三||illness|住院||2024-01-01|30000|cash|||", errs: []string{"!|form|" + msg("roster.care.form_inferred", "慰问金")}},
			// Goods named on the row: 实物, whatever the category.
			{line: "3|李四||illness|住院||2024-01-01|30000|goods|水果||", errs: []string{"!|form|" + msg("roster.care.form_inferred", "实物")}},
			{line: "4|王五||birthday|生日||2024-01-01|10000|goods|||", errs: []string{"!|form|" + msg("roster.care.form_inferred", "实物")}},
		})
	})
	t.Run("holiday column", func(t *testing.T) {
		rows, err := csvCare(t, "姓名,类别,节日,日期,金额,形式\n"+
			"张三,,国庆节,2024-10-01,100,实物\n"+
			"李四,节日慰问,中秋,2024-09-17,100,实物\n"+
			"王五,春节慰问,中秋,2024-09-17,100,实物\n"+
			"赵六,中秋国庆双节,国庆,2023-09-29,100,实物\n", nil)
		if err != nil {
			t.Fatal(err)
		}
		checkCare(t, rows, []careWant{
			{line: "2|张三||holiday||national|2024-10-01|10000|goods|||"},
			{line: "3|李四||holiday|节日慰问|mid_autumn|2024-09-17|10000|goods|||"},
			{line: "4|王五||holiday|春节慰问|spring|2024-09-17|10000|goods|||",
				errs: []string{"C列（节日）|holiday|" + msg("roster.care.holiday_mismatch", "中秋", "春节慰问")}},
			{line: "5|赵六||holiday|中秋国庆双节|national|2023-09-29|10000|goods|||"},
		})
	})
	t.Run("skips", func(t *testing.T) {
		rows, err := csvCare(t, "慰问登记表,,,,\n序号,姓名,类别,日期,金额\n"+
			"1,张三,生日,2024-01-01,100\n"+
			"2,,,,\n"+
			"序号,姓名,类别,日期,金额\n"+
			"3,李四,生日,2024-01-02,200\n"+
			",合计,,,300\n"+
			"本页小计,,,,300\n"+
			"制表人：王五,,审核：赵六,,\n"+
			"经办人：王五,,,,\n", nil)
		if err != nil {
			t.Fatal(err)
		}
		var nums []int
		for _, r := range rows {
			nums = append(nums, r.Row)
		}
		if !reflect.DeepEqual(nums, []int{3, 6}) {
			t.Errorf("rows %v", nums)
		}
	})
	t.Run("missing columns", func(t *testing.T) {
		_, err := csvCare(t, "姓名,身份证号,类别,备注\n张三,,生日,\n", nil)
		if err == nil || nuanxin.ErrorMessage(err) != msg("roster.care.missing_columns", "慰问日期、金额（元）") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("mapping", func(t *testing.T) {
		// The officer maps a column the aliases do not know.
		rows, err := csvCare(t, "姓名,类别,日期,发放数额\n张三,生日,2024-01-01,100\n", map[int]Field{3: FieldCareAmount})
		if err != nil || len(rows) != 1 || rows[0].Amount != 10000 || rows[0].Columns["amount"] != "D列（发放数额）" {
			t.Fatalf("%v %+v", err, rows)
		}
	})
}

func TestDetectCareHeader(t *testing.T) {
	h, err := DetectCareHeader(textRows(
		"2024年慰问登记表",
		"单位：元",
		"序号,受慰问人,身份证号码,慰问事由,发放日期,慰问金（元）,慰问方式,慰问物品,经手人,所在部门,签字,说明,爱好",
	), nil)
	if err != nil {
		t.Fatal(err)
	}
	if h.Row != 3 {
		t.Errorf("row %d", h.Row)
	}
	if got := fieldsOf(h.Columns); got != "A: B:name C:id_number D:care_category E:care_date F:care_amount G:care_form H:care_goods I:care_handler J: K: L:notes M:" {
		t.Errorf("columns %s", got)
	}
	if got := fieldsOf(h.Unknown); got != "M:" {
		t.Errorf("unknown %s", got)
	}
	// A roster is not a 登记表, and the message says what is looked for.
	_, err = DetectCareHeader(textRows("姓名,身份证号码,性别,出生日期,人员类别"), nil)
	if err == nil || nuanxin.ErrorMessage(err) != msg("roster.care.header_not_found") {
		t.Errorf("roster as care: %v", err)
	}
	// 类别 in a roster stays unknown to the member header.
	if matchHeader("慰问类别") != "" || matchHeader("金额") != "" {
		t.Error("care columns leak into the roster header")
	}
	for title, want := range map[string]Field{
		"金额（元）": FieldCareAmount, "*金额(元)": FieldCareAmount, "慰问金": FieldCareAmount, "慰问金额": FieldCareAmount,
		"类别": FieldCareCategory, "慰问类别": FieldCareCategory, "慰问项目": FieldCareCategory,
		"日期": FieldCareDate, "慰问日期": FieldCareDate, "时间": FieldCareDate, "形式": FieldCareForm, "发放形式": FieldCareForm,
		"经办人": FieldCareHandler, "经手人": FieldCareHandler, "物品": FieldCareGoods, "慰问品": FieldCareGoods, "节日": FieldCareHoliday,
		"性别": fieldIgnore, "人员类别": fieldIgnore, "生日": fieldIgnore,
	} {
		if got := careHeader.match(title); got != want {
			t.Errorf("care header %q = %q, want %q", title, got, want)
		}
	}
}

func TestParseCareCategory(t *testing.T) {
	type res struct {
		c  nuanxin.CareCategory
		h  nuanxin.Holiday
		ok bool
	}
	for in, want := range map[string]res{
		"生日": {nuanxin.CareBirthday, "", true}, "生日慰问": {nuanxin.CareBirthday, "", true}, "生日慰问金": {nuanxin.CareBirthday, "", true},
		"结婚": {nuanxin.CareWedding, "", true}, "新婚": {nuanxin.CareWedding, "", true},
		"生育": {nuanxin.CareBirth, "", true}, "生小孩": {nuanxin.CareBirth, "", true}, "添丁": {nuanxin.CareBirth, "", true},
		"住院": {nuanxin.CareIllness, "", true}, "生病": {nuanxin.CareIllness, "", true}, "生病住院": {nuanxin.CareIllness, "", true},
		"慰问病人": {nuanxin.CareIllness, "", true}, "病困": {nuanxin.CareIllness, "", true}, "住院慰问": {nuanxin.CareIllness, "", true},
		"住院（手术）": {nuanxin.CareIllness, "", true},
		"退休":     {nuanxin.CareRetirement, "", true},
		"去世":     {nuanxin.CareDeath, "", true}, "会员去世": {nuanxin.CareDeath, "", true}, "丧葬": {nuanxin.CareDeath, "", true},
		"本人去世":   {nuanxin.CareDeath, "", true},
		"直系亲属去世": {nuanxin.CareRelativeDeath, "", true}, "亲属去世": {nuanxin.CareRelativeDeath, "", true},
		"父亲去世": {nuanxin.CareRelativeDeath, "", true}, "母亲去世": {nuanxin.CareRelativeDeath, "", true},
		"配偶去世": {nuanxin.CareRelativeDeath, "", true}, "子女去世": {nuanxin.CareRelativeDeath, "", true},
		"节日": {nuanxin.CareHoliday, "", true}, "节日慰问": {nuanxin.CareHoliday, "", true},
		"春节": {nuanxin.CareHoliday, nuanxin.HolidaySpring, true}, "春节慰问": {nuanxin.CareHoliday, nuanxin.HolidaySpring, true},
		"2025年春节": {nuanxin.CareHoliday, nuanxin.HolidaySpring, true}, "2025 年 春节慰问品": {nuanxin.CareHoliday, nuanxin.HolidaySpring, true},
		"中秋": {nuanxin.CareHoliday, nuanxin.HolidayMidAutumn, true}, "中秋节": {nuanxin.CareHoliday, nuanxin.HolidayMidAutumn, true},
		"端午": {nuanxin.CareHoliday, nuanxin.HolidayDragonBoat, true}, "元旦": {nuanxin.CareHoliday, nuanxin.HolidayNewYear, true},
		"清明": {nuanxin.CareHoliday, nuanxin.HolidayQingming, true}, "劳动节": {nuanxin.CareHoliday, nuanxin.HolidayLabour, true},
		"五一": {nuanxin.CareHoliday, nuanxin.HolidayLabour, true}, "五一劳动节": {nuanxin.CareHoliday, nuanxin.HolidayLabour, true},
		"国庆": {nuanxin.CareHoliday, nuanxin.HolidayNational, true}, "国庆节福利": {nuanxin.CareHoliday, nuanxin.HolidayNational, true},
		"中秋国庆双节": {nuanxin.CareHoliday, "", true}, "元旦、春节慰问": {nuanxin.CareHoliday, "", true},
		"困难": {nuanxin.CareHardship, "", true}, "送温暖": {nuanxin.CareHardship, "", true}, "困难慰问": {nuanxin.CareHardship, "", true},
		"帮扶": {nuanxin.CareHardship, "", true}, "春节送温暖": {nuanxin.CareHardship, "", true},
		"其他":      {nuanxin.CareOther, "", true},
		"illness": {nuanxin.CareIllness, "", true}, "节日慰问 ": {nuanxin.CareHoliday, "", true},
		// A union's own categories and what is not a category at all.
		"家属住院": {"", "", false}, "元宵节": {"", "", false}, "三八妇女节": {"", "", false}, "": {"", "", false}, "2025": {"", "", false},
	} {
		c, h, ok := ParseCareCategory(in)
		if (res{c, h, ok}) != want {
			t.Errorf("ParseCareCategory(%q) = %q %q %v, want %v", in, c, h, ok, want)
		}
	}
}

func TestParseCareForm(t *testing.T) {
	for in, want := range map[string]nuanxin.CareForm{
		"现金": nuanxin.FormCash, "慰问金": nuanxin.FormCash, "转账": nuanxin.FormCash, "银行转账": nuanxin.FormCash, "cash": nuanxin.FormCash,
		"实物": nuanxin.FormGoods, "物品": nuanxin.FormGoods, "慰问品": nuanxin.FormGoods, "实物（米、油）": nuanxin.FormGoods,
		"蛋糕券": nuanxin.FormVoucher, "提货券": nuanxin.FormVoucher, "券": nuanxin.FormVoucher, "月饼券": nuanxin.FormVoucher,
		"蛋糕券/指定商品提货券": nuanxin.FormVoucher,
		"购物卡":         nuanxin.FormCard, "代金券": nuanxin.FormCard, "卡": nuanxin.FormCard, "超市购物卡": nuanxin.FormCard,
		"购物卡/代金券": nuanxin.FormCard,
	} {
		if got, err := ParseCareForm(in); got != want || err != nil {
			t.Errorf("ParseCareForm(%q) = %q %v, want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"现金+实物", "其他", "x"} {
		if got, err := ParseCareForm(in); err == nil {
			t.Errorf("ParseCareForm(%q) = %q", in, got)
		} else if fe := nuanxin.AsFieldErrors(err); len(fe) != 1 || fe[0].Field != string(FieldCareForm) {
			t.Errorf("ParseCareForm(%q) error %#v", in, err)
		}
	}
}

func TestParseHoliday(t *testing.T) {
	for in, want := range map[string]nuanxin.Holiday{
		"春节": nuanxin.HolidaySpring, "2025年春节": nuanxin.HolidaySpring, "中秋节": nuanxin.HolidayMidAutumn,
		"五一": nuanxin.HolidayLabour, "national": nuanxin.HolidayNational, "国庆": nuanxin.HolidayNational,
	} {
		if got, ok := ParseHoliday(in); got != want || !ok {
			t.Errorf("ParseHoliday(%q) = %q %v", in, got, ok)
		}
	}
	for _, in := range []string{"元宵", "中秋国庆", ""} {
		if got, ok := ParseHoliday(in); ok {
			t.Errorf("ParseHoliday(%q) = %q", in, got)
		}
	}
}

func TestParseAmountCell(t *testing.T) {
	for _, c := range []struct {
		cell Cell
		want nuanxin.Money
		err  bool
	}{
		{Cell{"300.00000000000006", CellNumber}, 30000, false}, // Excel's cache of =0.1*3*1000
		{Cell{"120.00000000000001", CellNumber}, 12000, false},
		{Cell{"0.30000000000000004", CellNumber}, 30, false},
		{Cell{"1.2E+3", CellNumber}, 120000, false},
		{Cell{"1200.5", CellNumber}, 120050, false},
		{Cell{"1200.555", CellNumber}, 0, true}, // a real third decimal
		{Cell{"300.00000000000006", CellText}, 0, true},
		{Cell{"壹仟元整", CellText}, 100000, false},
		{Cell{"-5", CellNumber}, 0, true},
	} {
		got, err := parseAmountCell(c.cell)
		if got != c.want || (err != nil) != c.err {
			t.Errorf("parseAmountCell(%v) = %v %v", c.cell, got, err)
		}
	}
}

// The template reads back: its header is a care header, the example row
// is refused as the example, and rows typed under it import.
func TestWriteCareTemplate(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCareTemplate(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sheet, help, opts = "慰问登记表", "填写说明", "选项"
	if got := f.GetSheetList(); strings.Join(got, ",") != sheet+","+help+","+opts {
		t.Fatalf("sheets = %v", got)
	}
	if v, _ := f.GetSheetVisible(opts); v {
		t.Error("options sheet visible")
	}
	rows, _ := f.GetRows(sheet)
	if len(rows) != 2 || strings.Join(rows[0], ",") != "*姓名,身份证号码,*慰问类别,节日,*慰问日期,*金额（元）,慰问形式,物品,经办人,备注" {
		t.Fatalf("rows = %q", rows)
	}
	if ex := strings.Join(rows[1], ","); ex != "张三,"+ExampleIDNumber()+",生病住院,,2024-03-05,500.00,慰问金,,李四,示例行，导入前请删除" {
		t.Errorf("example = %s", ex)
	}
	dvs, err := f.GetDataValidations(sheet)
	if err != nil {
		t.Fatal(err)
	}
	lists := map[string]string{}
	for _, dv := range dvs {
		lists[dv.Sqref] = dv.Formula1
		if dv.Sqref == "C2:C10001" && dv.ShowErrorMessage {
			t.Error("the category list refuses a union's own categories")
		}
	}
	for col, want := range map[string]string{"C": "$A$2:$A$11", "D": "$B$2:$B$8", "G": "$C$2:$C$5"} {
		if got := lists[col+"2:"+col+"10001"]; !strings.Contains(got, want) {
			t.Errorf("drop-down of %s = %q, want %s", col, got, want)
		}
	}
	cats, _ := f.GetCols(opts)
	list := func(col []string) string { return strings.TrimRight(strings.Join(col[1:], "、"), "、") }
	if len(cats) != 3 || list(cats[0]) != labels(nuanxin.CareCategories) || list(cats[1]) != labels(nuanxin.Holidays) ||
		list(cats[2]) != labels(nuanxin.CareForms) {
		t.Errorf("options = %q", cats)
	}
	helpRows, _ := f.GetRows(help)
	if len(helpRows) < len(CareFields)+3 || helpRows[3][0] != "慰问类别" || helpRows[3][1] != "必填" ||
		!strings.Contains(helpRows[3][2], "生日、结婚") {
		t.Errorf("help = %q", helpRows)
	}

	// Filled in as an officer would, with the example row left in.
	for i, v := range []any{"王五", fxID7, "节日慰问", "春节", "2024-02-05", 300, "实物", "大米一袋", "赵会计"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 3)
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "t.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	st, err := StreamCare(path, ImportOptions{Sheet: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	checkCare(t, readAllCare(t, st), []careWant{
		{line: "2|张三|" + ExampleIDNumber() + "|illness|生病住院||2024-03-05|50000|cash||李四|示例行，导入前请删除",
			errs: []string{"B列（身份证号码）|id_number|" + msg("roster.members.example_row")}},
		{line: "3|王五|" + fxID7 + "|holiday|节日慰问|spring|2024-02-05|30000|goods|大米一袋|赵会计|"},
	})
}

// fakeCareImporter stands in for the store: it rejects the rows the
// reader rejected and creates the others.
type fakeCareImporter struct{ seen []*nuanxin.CareRow }

func (f *fakeCareImporter) ImportCare(_ context.Context, _ *nuanxin.Scope, src nuanxin.CareRowSource, opt nuanxin.CareImportOptions) (*nuanxin.ImportReport, error) {
	rep := &nuanxin.ImportReport{DryRun: opt.DryRun, Errors: []nuanxin.RowError{}}
	for {
		r, err := src.Next()
		if errors.Is(err, io.EOF) {
			return rep, nil
		}
		if err != nil {
			return nil, err
		}
		f.seen = append(f.seen, r)
		rep.Errors = append(rep.Errors, r.Errors...)
		out := nuanxin.OutcomeCreated
		if r.Rejected() {
			out = nuanxin.OutcomeRejected
		}
		rep.Add(nuanxin.ImportRowResult{Row: r.Row, Outcome: out, Name: r.Name})
	}
}

// ImportCare and WriteCareRejectedRows: the rejected rows come back as
// written, with their reasons and without the warnings.
func TestImportCareAndRejected(t *testing.T) {
	path := filepath.Join("testdata", "care-title.xlsx")
	imp := &fakeCareImporter{}
	rep, err := ImportCare(context.Background(), imp, nuanxin.SystemScope(), path, ImportOptions{Sheet: -1}, nuanxin.CareImportOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Created != 8 || rep.Rejected != 3 || !reflect.DeepEqual(rep.RejectedRows, []int{5, 11, 16}) || len(rep.Notes) != 2 {
		t.Fatalf("report %+v", rep)
	}
	var buf bytes.Buffer
	if err := WriteCareRejectedRows(&buf, path, ImportOptions{Sheet: -1}, rep); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows(f.GetSheetName(0))
	if len(rows) != 4 || rows[0][1] != "序号" || rows[0][len(rows[0])-1] != "错误原因" {
		t.Fatalf("rejected rows = %q", rows)
	}
	if rows[1][0] != "5" || rows[1][2] != "李四" || !strings.HasPrefix(rows[1][len(rows[1])-1], "C列（身份证号码）：") {
		t.Errorf("row 5 = %q", rows[1])
	}
	if rows[3][0] != "16" || rows[3][5] != "2024-01-31" || !strings.Contains(rows[3][len(rows[3])-1], "#DIV/0!") {
		t.Errorf("row 16 = %q", rows[3])
	}
	for _, r := range rows {
		if strings.Contains(strings.Join(r, "|"), "已按") {
			t.Errorf("a warning as a reason: %q", r)
		}
	}

	// The file is let go at the last row; Close after is harmless.
	st, err := StreamCare(path, ImportOptions{Sheet: 0})
	if err == nil {
		st.Close()
		t.Fatal("the 说明 sheet has no header")
	} else if nuanxin.ErrorMessage(err) != msg("roster.care.header_not_found") {
		t.Errorf("err = %v", err)
	}
}

func TestInspectCare(t *testing.T) {
	in, err := InspectCare(filepath.Join("testdata", "care-title.xlsx"), ImportOptions{Sheet: -1})
	if err != nil {
		t.Fatal(err)
	}
	if in.Sheet != 1 || in.Header == nil || in.Header.Row != 3 || len(in.Sample) != SampleRows || in.Sample[0].Num != 4 {
		t.Fatalf("inspection %+v", in)
	}
	if _, err := os.Stat(filepath.Join("testdata", "fods", "care-title.fods")); err != nil {
		t.Errorf("the fixture's source is not committed: %v", err)
	}
}

// FuzzReadCare feeds rows of any text under a 登记表 header: the reader
// never panics, every reason is a catalogued message, and a row it does
// not reject has everything the store needs.
func FuzzReadCare(f *testing.F) {
	for _, s := range []string{
		"张三," + fxID1 + ",生日,2024-03-15,200,实物,王会计",
		"李四,4.30103E+17,春节慰问,45356,壹仟元整,,",
		",,,,,,\n合计,,,,300,,",
		"王五,430102********1234,家属住院,2024-07,0.1,购物卡,",
		"赵六,x,中秋国庆,2024/13/01,-5,现金+实物,",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		text := "姓名,身份证号,类别,日期,金额,形式,经办人\n" + body
		b, err := OpenReader(strings.NewReader(text), int64(len(text)), "f.csv", Options{Encoding: "utf-8"})
		if err != nil {
			return
		}
		defer b.Close()
		cr, err := OpenCare(b, 0, nil)
		if err != nil {
			return
		}
		defer cr.Close()
		for {
			r, err := cr.Next()
			if err != nil {
				return
			}
			for _, e := range r.Errors {
				if e.Reason == "" || strings.HasPrefix(e.Reason, "roster.") || strings.HasPrefix(e.Reason, "member.") || e.Row != r.Row {
					t.Fatalf("row %d: error %+v", r.Row, e)
				}
			}
			if !r.Rejected() && (r.Name == "" || r.Date.IsZero() || r.Amount <= 0 || r.Form == "" ||
				r.Category == "" && r.CategoryText == "") {
				t.Fatalf("row %d accepted: %s", r.Row, careLine(r))
			}
		}
	})
}
