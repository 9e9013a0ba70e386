package roster

import (
	"fmt"
	"io"
	"strings"

	"github.com/nuanxin/nuanxin"
	"github.com/xuri/excelize/v2"
)

// WriteCareTemplate writes the import template of historical 慰问 records:
// the 慰问登记表 sheet with the header (required columns marked * in red,
// with a note), an example row (张三, which the reader refuses if left
// in), drop-downs for 慰问类别 (open: a union's own categories are typed),
// 节日 and 慰问形式 fed from the hidden 选项 sheet, text format on 身份证号
// and date and money formats; and the 填写说明 sheet. It is what the web's
// 下载模板 button and `nuanxin` serve; the reader reads it back as written.
func WriteCareTemplate(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := buildCareTemplate(f); err != nil {
		return err
	}
	_, err := f.WriteTo(w)
	return err
}

// careTemplateList is a drop-down of the care template.
type careTemplateList struct {
	field  Field
	items  []string
	strict bool   // refuse other values
	prompt string // the error shown when strict
}

func careTemplateLists() []careTemplateList {
	return []careTemplateList{
		{FieldCareCategory, labelList(nuanxin.CareCategories), false, ""},
		{FieldCareHoliday, labelList(nuanxin.Holidays), true, "roster.care.template.dv.holiday"},
		{FieldCareForm, labelList(nuanxin.CareForms), true, "roster.care.template.dv.form"},
	}
}

func labelList[T interface{ Label() string }](all []T) []string {
	out := make([]string, len(all))
	for i, v := range all {
		out[i] = v.Label()
	}
	return out
}

// careTemplateNotes are the comments on the header cells.
var careTemplateNotes = map[Field]string{
	FieldName:         "roster.care.template.note.name",
	FieldIDNumber:     "roster.care.template.note.id",
	FieldCareCategory: "roster.care.template.note.cat",
	FieldCareDate:     "roster.care.template.note.date",
	FieldCareAmount:   "roster.care.template.note.amt",
}

var careTemplateWidths = map[Field]float64{
	FieldName: 10, FieldIDNumber: 22, FieldCareCategory: 14, FieldCareHoliday: 8, FieldCareDate: 12,
	FieldCareAmount: 12, FieldCareForm: 22, FieldCareGoods: 18, FieldCareHandler: 10, FieldNotes: 24,
}

func buildCareTemplate(f *excelize.File) error {
	sheet := nuanxin.T("roster.care.template.sheet")
	help := nuanxin.T("roster.template.help_sheet")
	opts := nuanxin.T("roster.template.options_sheet")
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return err
	}
	for _, s := range []string{help, opts} {
		if _, err := f.NewSheet(s); err != nil {
			return err
		}
	}
	st, err := newTemplateStyles(f)
	if err != nil {
		return err
	}
	moneyFmt := "#,##0.00"
	money, err := f.NewStyle(&excelize.Style{CustomNumFmt: &moneyFmt})
	if err != nil {
		return err
	}
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:   nuanxin.T("roster.care.template.title"),
		Creator: nuanxin.T("roster.export.creator"),
	}); err != nil {
		return err
	}

	lists := careTemplateLists()
	listRef := map[Field]string{}
	for i, l := range lists {
		col := nuanxin.ColumnLetter(i)
		if err := f.SetCellStr(opts, col+"1", l.field.Title()); err != nil {
			return err
		}
		for j, item := range l.items {
			if err := f.SetCellStr(opts, fmt.Sprintf("%s%d", col, j+2), item); err != nil {
				return err
			}
		}
		listRef[l.field] = fmt.Sprintf("%s!$%s$2:$%s$%d", quoteSheet(opts), col, col, len(l.items)+1)
	}
	if err := f.SetColWidth(opts, "A", nuanxin.ColumnLetter(len(lists)-1), 22); err != nil {
		return err
	}

	example := map[Field]any{
		FieldName:         "张三",
		FieldIDNumber:     ExampleIDNumber(),
		FieldCareCategory: nuanxin.CareIllness.Label(),
		FieldCareDate:     nuanxin.NewDate(2024, 3, 5).Time(),
		FieldCareAmount:   500,
		FieldCareForm:     nuanxin.FormCash.Label(),
		FieldCareHandler:  nuanxin.T("roster.care.template.handler"),
		FieldNotes:        nuanxin.T("roster.care.template.example"),
	}
	colOf := map[Field]string{}
	for i, fld := range CareFields {
		col := nuanxin.ColumnLetter(i)
		colOf[fld] = col
		if err := f.SetColWidth(sheet, col, col, careTemplateWidths[fld]); err != nil {
			return err
		}
		switch fld {
		case FieldIDNumber:
			err = f.SetColStyle(sheet, col, st.text)
		case FieldCareDate:
			err = f.SetColStyle(sheet, col, st.date)
		case FieldCareAmount:
			err = f.SetColStyle(sheet, col, money)
		}
		if err != nil {
			return err
		}
		title, style := fld.Title(), st.header
		if CareFieldRequired(fld) {
			title, style = "*"+title, st.required
		}
		if key, ok := careTemplateNotes[fld]; ok {
			if err := f.AddComment(sheet, excelize.Comment{
				Cell: col + "1", Author: nuanxin.T("roster.export.creator"),
				Paragraph: []excelize.RichTextRun{{Text: nuanxin.T(key)}},
			}); err != nil {
				return err
			}
		}
		if err := f.SetCellStr(sheet, col+"1", title); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, col+"1", col+"1", style); err != nil {
			return err
		}
		switch v := example[fld].(type) {
		case nil:
		case string:
			err = f.SetCellStr(sheet, col+"2", v)
		default:
			err = f.SetCellValue(sheet, col+"2", v)
		}
		if err != nil {
			return err
		}
	}
	// SetCellValue of a time gives the cell Excel's default date-time
	// format: the column's date format is what the officer should see.
	if err := f.SetCellStyle(sheet, colOf[FieldCareDate]+"2", colOf[FieldCareDate]+"2", st.date); err != nil {
		return err
	}
	last := templateDataRows + 1
	for _, l := range lists {
		col := colOf[l.field]
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s2:%s%d", col, col, last)
		dv.SetSqrefDropList(listRef[l.field])
		if l.strict {
			dv.SetError(excelize.DataValidationErrorStyleStop, nuanxin.T("roster.template.dv.title"), nuanxin.T(l.prompt))
		}
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheet, frozenHeader()); err != nil {
		return err
	}
	if err := f.SetRowHeight(sheet, 1, 20); err != nil {
		return err
	}

	lines := make([][3]string, 0, len(CareFields))
	for _, fld := range CareFields {
		req := nuanxin.T("roster.template.help.optional")
		if CareFieldRequired(fld) {
			req = nuanxin.T("roster.template.help.required_yes")
		}
		lines = append(lines, [3]string{fld.Title(), req, careTemplateFieldHelp(fld)})
	}
	if err := writeHelpSheet(f, help, st, lines, "roster.care.template.rule."); err != nil {
		return err
	}
	if err := f.SetSheetVisible(opts, false); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	return nil
}

// careTemplateFieldHelp is the 填写要求 of a care column, listing the
// enumerations from their labels.
func careTemplateFieldHelp(f Field) string {
	join := func(items []string) string { return strings.Join(items, nuanxin.T("roster.template.help.sep")) }
	k := "roster.care.template.field." + CareKey(f)
	switch f {
	case FieldCareCategory:
		return nuanxin.T(k, join(labelList(nuanxin.CareCategories)))
	case FieldCareHoliday:
		return nuanxin.T(k, join(labelList(nuanxin.Holidays)))
	case FieldCareForm:
		return nuanxin.T(k, join(labelList(nuanxin.CareForms)))
	case FieldCareDate:
		return nuanxin.T(k) + nuanxin.T("roster.template.help.date")
	}
	return nuanxin.T(k)
}
