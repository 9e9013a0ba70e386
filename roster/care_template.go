package roster

import (
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

// careTemplateLists are the drop-downs of the care template.
func careTemplateLists() []templateList {
	return []templateList{
		{FieldCareCategory, labelList(nuanxin.CareCategories), false, ""},
		{FieldCareHoliday, labelList(nuanxin.Holidays), true, nuanxin.T("roster.care.template.dv.holiday")},
		{FieldCareForm, labelList(nuanxin.CareForms), true, nuanxin.T("roster.care.template.dv.form")},
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
	help, opts, st, err := newTemplateBook(f, sheet, "roster.care.template.title")
	if err != nil {
		return err
	}
	moneyFmt := "#,##0.00"
	money, err := f.NewStyle(&excelize.Style{CustomNumFmt: &moneyFmt})
	if err != nil {
		return err
	}
	lists := careTemplateLists()
	listRef, err := writeTemplateLists(f, opts, lists, 22)
	if err != nil {
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
		note := ""
		if key, ok := careTemplateNotes[fld]; ok {
			note = nuanxin.T(key)
		}
		if err := templateHeaderCell(f, sheet, col, fld, CareFieldRequired(fld), note, st); err != nil {
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
	if err := addTemplateDropDowns(f, sheet, lists, func(fld Field) string { return colOf[fld] }, listRef); err != nil {
		return err
	}
	lines := templateHelpLines(CareFields, CareFieldRequired, careTemplateFieldHelp)
	return finishTemplate(f, sheet, help, opts, st, lines, "roster.care.template.rule.")
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
