package roster

import (
	"fmt"
	"io"
	"strings"

	"github.com/nuanxin/nuanxin"
	"github.com/xuri/excelize/v2"
)

// templateDataRows is how far down the drop-downs and formats reach: a
// unit's roster, with room to spare.
const templateDataRows = 10000

// exampleIDFirst17 is the fictitious person of the example row: born
// 1990-03-07 in 北京市朝阳区, sequence 991 (odd: male, matching 张三).
const exampleIDFirst17 = "11010519900307991"

// ExampleIDNumber is the 身份证号 of the template's example row (张三), a
// valid but fictitious number. The reader may use it to recognise an
// example row the officer forgot to delete.
func ExampleIDNumber() string {
	return exampleIDFirst17 + string(nuanxin.IDCheckDigit(exampleIDFirst17))
}

// templateExample is the example row, by field.
func templateExample() map[Field]any {
	return map[Field]any{
		FieldName:       "张三",
		FieldIDNumber:   ExampleIDNumber(),
		FieldSex:        nuanxin.Male.Label(),
		FieldBirthDate:  nuanxin.NewDate(1990, 3, 7).Time(),
		FieldEthnicity:  "汉族",
		FieldPolitical:  "中共党员",
		FieldEducation:  "大学本科",
		FieldPhone:      "13800000000",
		FieldCategory:   nuanxin.CategoryActive.Label(),
		FieldDepartment: nuanxin.T("roster.template.example.department"),
		FieldPost:       nuanxin.T("roster.template.example.post"),
		FieldEmployeeNo: "000123",
		FieldHireDate:   nuanxin.NewDate(2012, 7, 1).Time(),
		FieldJoinDate:   nuanxin.NewDate(2012, 9, 1).Time(),
		FieldStatus:     nuanxin.StatusMember.Label(),
		FieldCardNo:     "",
		FieldOrg:        "",
		FieldNotes:      nuanxin.T("roster.template.example.notes"),
	}
}

// templateList is a drop-down of the template. Strict lists (性别, 人员类别,
// 会籍状态) refuse other values; the others offer choices but accept free
// text, as the member form does.
type templateList struct {
	field  Field
	items  []string
	strict bool
	prompt string // the error shown when strict
}

func templateLists() []templateList {
	labels := func(n int, f func(int) string) []string {
		s := make([]string, n)
		for i := range s {
			s[i] = f(i)
		}
		return s
	}
	strict := func(f Field) string { return nuanxin.T("roster.template.dv.strict", f.Title()) }
	return []templateList{
		{FieldSex, []string{nuanxin.Male.Label(), nuanxin.Female.Label()}, true, strict(FieldSex)},
		{FieldCategory, labels(len(nuanxin.Categories), func(i int) string { return nuanxin.Categories[i].Label() }), true, strict(FieldCategory)},
		{FieldStatus, labels(len(nuanxin.MemberStatuses), func(i int) string { return nuanxin.MemberStatuses[i].Label() }), true, strict(FieldStatus)},
		{FieldPolitical, nuanxin.PoliticalStatuses, false, ""},
		{FieldEducation, nuanxin.Educations, false, ""},
		{FieldEthnicity, nuanxin.Ethnicities, false, ""},
	}
}

// WriteTemplate writes the member import template: the 会员花名册 sheet
// with the header (required columns marked * in red, with a note), an
// example row, drop-downs fed from the hidden 选项 sheet (the 56 民族 are
// beyond the 255 characters of an inline list), text format on the code
// columns so Excel leaves 身份证号 alone, date format on the date columns;
// and the 填写说明 sheet explaining each column and the import rules.
func WriteTemplate(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := buildTemplate(f); err != nil {
		return err
	}
	_, err := f.WriteTo(w)
	return err
}

func buildTemplate(f *excelize.File) error {
	sheet := nuanxin.T("roster.template.sheet")
	help, opts, st, err := newTemplateBook(f, sheet, "roster.template.title")
	if err != nil {
		return err
	}
	// The options sheet first: the drop-downs refer to it.
	lists := templateLists()
	listRef, err := writeTemplateLists(f, opts, lists, 14)
	if err != nil {
		return err
	}

	example := templateExample()
	for i, fld := range MemberFields {
		col := nuanxin.ColumnLetter(i)
		if err := f.SetColWidth(sheet, col, col, columnWidth(fld)+1); err != nil {
			return err
		}
		switch columnStyle(fld) {
		case styleText:
			err = f.SetColStyle(sheet, col, st.text)
		case styleDate:
			err = f.SetColStyle(sheet, col, st.date)
		}
		if err != nil {
			return err
		}
		note := ""
		if fld.Required() {
			note = nuanxin.T("roster.template.note." + string(fld))
		}
		if err := templateHeaderCell(f, sheet, col, fld, fld.Required(), note, st); err != nil {
			return err
		}
		switch v := example[fld].(type) {
		case string:
			if v != "" {
				err = f.SetCellStr(sheet, col+"2", v)
			}
		default:
			err = f.SetCellValue(sheet, col+"2", v)
		}
		if err != nil {
			return err
		}
	}
	colOf := func(fld Field) string { return nuanxin.ColumnLetter(fieldIndex(fld)) }
	if err := addTemplateDropDowns(f, sheet, lists, colOf, listRef); err != nil {
		return err
	}
	lines := templateHelpLines(MemberFields, Field.Required, templateFieldHelp)
	return finishTemplate(f, sheet, help, opts, st, lines, "roster.template.rule.")
}

// newTemplateBook sets up a template workbook: the first sheet renamed
// sheet, the 填写说明 and 选项 sheets after it, the styles and the title
// (titleKey). The member and the care templates share it.
func newTemplateBook(f *excelize.File, sheet, titleKey string) (help, opts string, st templateStyles, err error) {
	help = nuanxin.T("roster.template.help_sheet")
	opts = nuanxin.T("roster.template.options_sheet")
	if err = f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return
	}
	for _, s := range []string{help, opts} {
		if _, err = f.NewSheet(s); err != nil {
			return
		}
	}
	if st, err = newTemplateStyles(f); err != nil {
		return
	}
	err = f.SetDocProps(&excelize.DocProperties{
		Title:   nuanxin.T(titleKey),
		Creator: nuanxin.T("roster.export.creator"),
	})
	return
}

// writeTemplateLists writes the drop-down lists a column each on the
// options sheet (columns width wide) and returns each list's range.
func writeTemplateLists(f *excelize.File, opts string, lists []templateList, width float64) (map[Field]string, error) {
	listRef := map[Field]string{}
	for i, l := range lists {
		col := nuanxin.ColumnLetter(i)
		if err := f.SetCellStr(opts, col+"1", l.field.Title()); err != nil {
			return nil, err
		}
		for j, item := range l.items {
			if err := f.SetCellStr(opts, fmt.Sprintf("%s%d", col, j+2), item); err != nil {
				return nil, err
			}
		}
		listRef[l.field] = fmt.Sprintf("%s!$%s$2:$%s$%d", quoteSheet(opts), col, col, len(l.items)+1)
	}
	if err := f.SetColWidth(opts, "A", nuanxin.ColumnLetter(len(lists)-1), width); err != nil {
		return nil, err
	}
	return listRef, nil
}

// templateHeaderCell writes the header cell of fld in col: its title,
// marked * in red when required, with the note as a comment if any.
func templateHeaderCell(f *excelize.File, sheet, col string, fld Field, required bool, note string, st templateStyles) error {
	title, style := fld.Title(), st.header
	if required {
		title, style = "*"+title, st.required
	}
	if note != "" {
		if err := f.AddComment(sheet, excelize.Comment{
			Cell: col + "1", Author: nuanxin.T("roster.export.creator"),
			Paragraph: []excelize.RichTextRun{{Text: note}},
		}); err != nil {
			return err
		}
	}
	if err := f.SetCellStr(sheet, col+"1", title); err != nil {
		return err
	}
	return f.SetCellStyle(sheet, col+"1", col+"1", style)
}

// addTemplateDropDowns puts the drop-down of each list on its column (colOf)
// down to templateDataRows; strict lists refuse other values.
func addTemplateDropDowns(f *excelize.File, sheet string, lists []templateList, colOf func(Field) string, listRef map[Field]string) error {
	last := templateDataRows + 1
	for _, l := range lists {
		col := colOf(l.field)
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s2:%s%d", col, col, last)
		dv.SetSqrefDropList(listRef[l.field])
		if l.strict {
			dv.SetError(excelize.DataValidationErrorStyleStop, nuanxin.T("roster.template.dv.title"), l.prompt)
		}
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return err
		}
	}
	return nil
}

// templateHelpLines are the lines of the 填写说明 sheet, one a field.
func templateHelpLines(fields []Field, required func(Field) bool, help func(Field) string) [][3]string {
	lines := make([][3]string, 0, len(fields))
	for _, fld := range fields {
		req := nuanxin.T("roster.template.help.optional")
		if required(fld) {
			req = nuanxin.T("roster.template.help.required_yes")
		}
		lines = append(lines, [3]string{fld.Title(), req, help(fld)})
	}
	return lines
}

// finishTemplate freezes the header of the data sheet, writes the help
// sheet (lines, then the rules), hides the options and opens on the data.
func finishTemplate(f *excelize.File, sheet, help, opts string, st templateStyles, lines [][3]string, rules string) error {
	if err := f.SetPanes(sheet, frozenHeader()); err != nil {
		return err
	}
	if err := f.SetRowHeight(sheet, 1, 20); err != nil {
		return err
	}
	if err := writeHelpSheet(f, help, st, lines, rules); err != nil {
		return err
	}
	if err := f.SetSheetVisible(opts, false); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	return nil
}

func frozenHeader() *excelize.Panes {
	return &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}
}

func fieldIndex(f Field) int {
	for i, k := range MemberFields {
		if k == f {
			return i
		}
	}
	return -1
}

type templateStyles struct {
	header, required, text, date, wrap, bold int
}

func newTemplateStyles(f *excelize.File) (templateStyles, error) {
	var st templateStyles
	font := func(bold bool, color string) *excelize.Font {
		return &excelize.Font{Bold: bold, Family: "宋体", Size: 11, Color: color}
	}
	fill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}
	border := []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1}}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center"}
	dateFmt := "yyyy-mm-dd"
	for _, s := range []struct {
		id    *int
		style *excelize.Style
	}{
		{&st.header, &excelize.Style{Font: font(true, ""), Fill: fill, Border: border, Alignment: center, NumFmt: 49}},
		{&st.required, &excelize.Style{Font: font(true, "FF0000"), Fill: fill, Border: border, Alignment: center, NumFmt: 49}},
		{&st.text, &excelize.Style{NumFmt: 49}},
		{&st.date, &excelize.Style{CustomNumFmt: &dateFmt}},
		{&st.wrap, &excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&st.bold, &excelize.Style{Font: font(true, ""), Fill: fill, Border: border}},
	} {
		id, err := f.NewStyle(s.style)
		if err != nil {
			return st, err
		}
		*s.id = id
	}
	return st, nil
}

// writeHelpSheet writes a 填写说明 sheet: the lines (列名, 是否必填, 填写要求)
// under a header, then the numbered rules whose message keys are rules
// followed by 1, 2, … (the member and the care templates share it).
func writeHelpSheet(f *excelize.File, sheet string, st templateStyles, lines [][3]string, rules string) error {
	set := func(cell string, v string, style int) error {
		if err := f.SetCellStr(sheet, cell, v); err != nil {
			return err
		}
		return f.SetCellStyle(sheet, cell, cell, style)
	}
	for i, h := range []string{"col", "required", "format"} {
		if err := set(nuanxin.ColumnLetter(i)+"1", nuanxin.T("roster.template.help."+h), st.bold); err != nil {
			return err
		}
	}
	r := 2
	for _, l := range lines {
		for i, v := range l {
			if err := set(fmt.Sprintf("%s%d", nuanxin.ColumnLetter(i), r), v, st.wrap); err != nil {
				return err
			}
		}
		r++
	}
	r++
	if err := set(fmt.Sprintf("A%d", r), nuanxin.T("roster.template.help.rules"), st.bold); err != nil {
		return err
	}
	r++
	for i := 1; nuanxin.HasMessage(fmt.Sprintf("%s%d", rules, i)); i++ {
		cell := fmt.Sprintf("A%d", r)
		if err := set(cell, fmt.Sprintf("%d. %s", i, nuanxin.T(fmt.Sprintf("%s%d", rules, i))), st.wrap); err != nil {
			return err
		}
		if err := f.MergeCell(sheet, cell, fmt.Sprintf("C%d", r)); err != nil {
			return err
		}
		r++
	}
	for col, w := range map[string]float64{"A": 16, "B": 10, "C": 80} {
		if err := f.SetColWidth(sheet, col, col, w); err != nil {
			return err
		}
	}
	return f.SetPanes(sheet, frozenHeader())
}

// templateFieldHelp is the 填写要求 of a column; the enumerations are listed
// from the labels themselves so the text never disagrees with them.
func templateFieldHelp(f Field) string {
	join := func(n int, label func(int) string) string {
		s := make([]string, n)
		for i := range s {
			s[i] = label(i)
		}
		return strings.Join(s, nuanxin.T("roster.template.help.sep"))
	}
	switch f {
	case FieldSex:
		return nuanxin.T("roster.template.field.sex", nuanxin.Male.Label(), nuanxin.Female.Label())
	case FieldCategory:
		return nuanxin.T("roster.template.field.category",
			join(len(nuanxin.Categories), func(i int) string { return nuanxin.Categories[i].Label() }),
			nuanxin.CategoryActive.Label())
	case FieldStatus:
		return nuanxin.T("roster.template.field.status",
			join(len(nuanxin.MemberStatuses), func(i int) string { return nuanxin.MemberStatuses[i].Label() }),
			nuanxin.StatusMember.Label())
	case FieldBirthDate, FieldHireDate, FieldJoinDate:
		return nuanxin.T("roster.template.field."+string(f)) + nuanxin.T("roster.template.help.date")
	}
	return nuanxin.T("roster.template.field." + string(f))
}

func init() {
	nuanxin.RegisterMessages(map[string]string{
		"roster.template.sheet":         "会员花名册",
		"roster.template.help_sheet":    "填写说明",
		"roster.template.options_sheet": "选项",
		"roster.template.title":         "会员花名册导入模板",

		"roster.template.example.department": "生产技术部",
		"roster.template.example.post":       "技术员",
		"roster.template.example.notes":      "示例行，导入前请删除",

		"roster.template.note.name":      "必填。请填写真实姓名。",
		"roster.template.note.id_number": "必填。18位居民身份证号码，末位可为X。已有会员按身份证号码匹配，请勿将本列改为数字格式。",

		"roster.template.dv.title":  "输入有误",
		"roster.template.dv.strict": "请从下拉列表中选择%s",

		"roster.template.help.col":          "列名",
		"roster.template.help.required":     "是否必填",
		"roster.template.help.format":       "填写要求",
		"roster.template.help.required_yes": "必填",
		"roster.template.help.optional":     "选填",
		"roster.template.help.sep":          "、",
		"roster.template.help.date":         "。日期可写作 2024-03-05、2024年3月5日 或 2024.3.5",
		"roster.template.help.rules":        "导入规则",

		"roster.template.field.name":        "填写真实姓名，不要夹带空格、数字；少数民族姓名保留中间的间隔号，如 阿卜杜拉·艾则孜",
		"roster.template.field.id_number":   "18位居民身份证号码，末位可为X。本列已设为文本格式，请勿改为数字或科学计数法（如 4.30102E+17），否则号码会被Excel损坏",
		"roster.template.field.sex":         "填写“%s”或“%s”；不填则按身份证号码识别",
		"roster.template.field.birth_date":  "不填则按身份证号码识别",
		"roster.template.field.ethnicity":   "如 汉族、回族，可从下拉列表选择",
		"roster.template.field.political":   "如 中共党员、共青团员、群众，可从下拉列表选择",
		"roster.template.field.education":   "如 大学本科、大学专科、高中，可从下拉列表选择",
		"roster.template.field.phone":       "11位手机号码；也可填写固定电话，如 0731-84561234",
		"roster.template.field.category":    "填写 %s 之一；新会员不填时按“%s”处理",
		"roster.template.field.department":  "所在部门或车间",
		"roster.template.field.post":        "岗位或职务",
		"roster.template.field.employee_no": "本单位工号；未填身份证号码时按工号匹配本单位已有会员",
		"roster.template.field.hire_date":   "参加工作（入职）的日期",
		"roster.template.field.join_date":   "加入工会的日期",
		"roster.template.field.status":      "填写 %s 之一；新会员不填时按“%s”处理",
		"roster.template.field.card_no":     "会员证上的编号",
		"roster.template.field.org":         "填写下级工会的名称或代码；不填则导入到导入时所选的工会",
		"roster.template.field.notes":       "其他需要说明的情况",

		"roster.template.rule.1": "第1行为表头，请勿修改表头文字；带*的列为必填，其余列可以删除，列的顺序可以调整。",
		"roster.template.rule.2": "第2行（张三）为示例，导入前请删除。",
		"roster.template.rule.3": "匹配规则：先按身份证号码匹配已有会员，身份证号码未填写时再按本单位工号匹配；匹配到的会员更新信息，匹配不到的新增为会员。",
		"roster.template.rule.4": "空白单元格不会清空已有信息：只有填写了内容的单元格才会更新。",
		"roster.template.rule.5": "所属工会填写下级工会的名称或代码；不填则导入到导入时所选的工会。",
		"roster.template.rule.6": "身份证号码、手机号码、工号列已设为文本格式；从其他表格粘贴时请使用“选择性粘贴→数值”，以免号码变成科学计数法。",
		"roster.template.rule.7": "导入前系统会先检查全部行并列出问题；有问题的行可以下载，改正后重新导入。",
	})
}
