package roster

import (
	"context"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/nuanxin/nuanxin"
)

// The 慰问登记表: years of 慰问 kept in Excel (姓名, 身份证号, 类别, 日期,
// 金额, 形式, 经办人, 备注), read into nuanxin.CareRows with the same Book,
// header detection and cell parsers as a roster.

// The columns of a 慰问登记表 beyond the member's own (FieldName,
// FieldIDNumber, FieldNotes). Their values carry a "care_" prefix so they
// never collide with a member field of the same meaning (人员类别 is
// "category"); CareKey drops it.
const (
	FieldCareCategory Field = "care_category" // 慰问类别 / 事由 / 项目
	FieldCareHoliday  Field = "care_holiday"  // 节日
	FieldCareDate     Field = "care_date"     // 慰问日期 / 发放日期
	FieldCareAmount   Field = "care_amount"   // 金额（元）/ 慰问金
	FieldCareForm     Field = "care_form"     // 慰问形式 / 发放形式
	FieldCareGoods    Field = "care_goods"    // 物品 / 慰问品
	FieldCareHandler  Field = "care_handler"  // 经办人 / 经手人
)

// CareFields is the column order of the care template.
var CareFields = []Field{FieldName, FieldIDNumber, FieldCareCategory, FieldCareHoliday, FieldCareDate,
	FieldCareAmount, FieldCareForm, FieldCareGoods, FieldCareHandler, FieldNotes}

// careRequired are the columns a 慰问登记表 must have and every row must fill.
var careRequired = []Field{FieldName, FieldCareCategory, FieldCareDate, FieldCareAmount}

// CareKey is the name of a care field in nuanxin.CareRow.Columns and in
// RowError.Field: "name", "id_number", "category", "holiday", "date",
// "amount", "form", "goods", "handler", "notes". The store uses the same
// keys to point its own errors at the reader's columns.
func CareKey(f Field) string { return strings.TrimPrefix(string(f), "care_") }

// CareFieldRequired reports whether every row of a 慰问登记表 must fill f.
func CareFieldRequired(f Field) bool {
	for _, r := range careRequired {
		if r == f {
			return true
		}
	}
	return false
}

func knownCareField(f Field) bool {
	for _, c := range CareFields {
		if c == f {
			return true
		}
	}
	return false
}

// careHeader finds the header of a 慰问登记表: the roster's aliases for 姓名,
// 身份证号, 备注 and 序号, the care columns' own, and the member columns a
// 登记表 often repeats (部门, 性别 …) and signature columns, which are known
// and not read: the store finds the member by 身份证号 or 姓名.
var careHeader = &headerKind{
	aliases: func() map[string]Field {
		m := map[string]Field{}
		for k, f := range headerAliases {
			switch f {
			case FieldName, FieldIDNumber, FieldNotes, fieldIgnore:
				m[k] = f
			default:
				m[k] = fieldIgnore
			}
		}
		add := func(f Field, names ...string) {
			for _, n := range names {
				m[normalizeHeader(n)] = f
			}
		}
		add(FieldName, "受慰问人", "受慰问人姓名", "慰问对象", "被慰问人", "被慰问人姓名", "领取人", "领取人姓名", "对象姓名")
		add(FieldCareCategory, "类别", "慰问类别", "慰问事由", "慰问项目", "慰问类型", "慰问种类", "事由", "项目", "类型",
			"种类", "慰问原因", "原因", "类别/事由", "慰问内容")
		add(FieldCareHoliday, "节日", "节日名称", "节庆")
		add(FieldCareDate, "日期", "慰问日期", "发放日期", "时间", "慰问时间", "发放时间", "领取日期", "领取时间", "慰问日期/发放日期")
		add(FieldCareAmount, "金额", "慰问金额", "金额（元）", "慰问金", "慰问金（元）", "发放金额", "金额/元", "慰问标准", "标准",
			"价值", "物品价值", "折合金额", "慰问金额（元）", "amount")
		add(FieldCareForm, "形式", "慰问形式", "发放形式", "方式", "慰问方式", "发放方式", "发放类型")
		add(FieldCareGoods, "物品", "慰问品", "慰问物品", "物品名称", "慰问品名称", "实物", "实物名称", "礼品")
		add(FieldCareHandler, "经办人", "经手人", "经办", "经办人员", "发放人", "慰问人")
		add(fieldIgnore, "签字", "签名", "签收", "本人签字", "领取人签字", "领取人签名", "签收人", "签字确认", "领款人签字",
			"单位", "工作单位")
		return m
	}(),
	known: knownCareField,
	enough: func(fields map[Field]bool) bool {
		return len(fields) >= 3 && fields[FieldName] && (fields[FieldCareAmount] || fields[FieldCareCategory])
	},
	notFound: "roster.care.header_not_found",
}

// DetectCareHeader finds the header of a 慰问登记表 among the first
// HeaderScanRows non-empty rows, as DetectHeader does for a roster: the
// row with the most recognised columns, 姓名 and 金额 or 类别 among them.
// overrides (column index → care field, "" to ignore) win over the aliases.
func DetectCareHeader(rows []Row, overrides map[int]Field) (*Header, error) {
	return careHeader.detect(rows, overrides)
}

// CareReader turns the data rows of a 慰问登记表 into nuanxin.CareRows; it
// is a nuanxin.CareRowSource. It parses each cell and checks what a row
// must have (姓名, 类别, 日期, 金额 > 0, a valid 身份证号 if any); matching
// the member, custom categories and the policy are the store's.
//
// CareRow.Columns maps CareKey names to column labels ("C列（身份证号）"),
// one map shared by every row: treat it as read-only.
type CareReader struct {
	rows     *Rows
	h        *Header
	date1904 bool
	cols     []careCol
	ignored  []bool // by column: 序号, 签字 and the like, which alone do not make a row
	nameCol  int
	nameHead string // the 姓名 title, to spot the header repeated on each printed page
	labels   map[string]string
	raw      Row
	err      error
}

type careCol struct {
	index int
	field Field
}

// ReadCare reads the care rows of rows below header h (rows at or above
// h.Row are skipped). date1904 is Book.Date1904(). A header without 姓名,
// 类别, 日期 or 金额 fails on the first Next.
func ReadCare(rows *Rows, h *Header, date1904 bool) *CareReader {
	c := &CareReader{rows: rows, h: h, date1904: date1904, nameCol: -1, labels: map[string]string{}}
	for _, col := range h.Columns {
		if col.Field == "" || !knownCareField(col.Field) {
			continue
		}
		c.cols = append(c.cols, careCol{index: col.Index, field: col.Field})
		c.labels[CareKey(col.Field)] = col.Label()
		if col.Field == FieldName {
			c.nameCol, c.nameHead = col.Index, strings.TrimSpace(col.Title)
		}
	}
	for _, col := range h.Ignored {
		for len(c.ignored) <= col.Index {
			c.ignored = append(c.ignored, false)
		}
		c.ignored[col.Index] = true
	}
	var missing []string
	for _, f := range careRequired {
		if !h.Has(f) {
			missing = append(missing, f.Title())
		}
	}
	if len(missing) > 0 {
		c.err = nuanxin.Errorf(nuanxin.EINVALID, "roster.care.missing_columns", strings.Join(missing, "、"))
	}
	return c
}

// OpenCare finds the header of a sheet (overrides as in DetectCareHeader)
// and returns a reader of its care rows. Close the reader; the Book stays
// the caller's.
func OpenCare(b *Book, sheet int, overrides map[int]Field) (*CareReader, error) {
	rows, h, err := openWith(b, sheet, overrides, DetectCareHeader)
	if err != nil {
		return nil, err
	}
	return ReadCare(rows, h, b.Date1904()), nil
}

// Header is the header the reader maps columns by.
func (c *CareReader) Header() *Header { return c.h }

// Raw is the sheet row behind the CareRow Next returned last; its Cells
// are reused by the next call.
func (c *CareReader) Raw() Row { return c.raw }

// Close stops reading.
func (c *CareReader) Close() error { return c.rows.Close() }

// Next returns the next data row, or io.EOF after the last. Blank rows,
// rows holding only a 序号, the header repeated on each printed page and
// footers (合计 with its sums, 制表人：…, 经办人：…) are skipped silently.
func (c *CareReader) Next() (*nuanxin.CareRow, error) {
	if c.err != nil {
		return nil, c.err
	}
	r, ok, err := nextData(c.rows, c.h, c.skip)
	switch {
	case err != nil:
		c.err = err
		return nil, err
	case !ok:
		c.err = io.EOF
		return nil, io.EOF
	}
	c.raw = r
	return c.convert(r), nil
}

// skip reports a row with nothing to import. Unlike a roster's, the total
// row of a 登记表 is full of figures (合计 12人次 … 6,000.00), so it is
// known by its first cell, not by holding little.
func (c *CareReader) skip(r Row) bool {
	filled, first, nameEmpty, footer := 0, "", true, false
	for i, cell := range r.Cells {
		if cell.Value == "" || isBlank(cell.Value) {
			continue
		}
		t := NormalizeText(cell.Value)
		if first == "" {
			first = t
		}
		if i < len(c.ignored) && c.ignored[i] {
			continue
		}
		if i == c.nameCol {
			if strings.TrimSpace(cell.Value) == c.nameHead {
				return true // the header again
			}
			nameEmpty = false
		}
		filled++
		footer = footer || isFooter(t)
	}
	switch {
	case filled == 0, isTotal(first):
		return true
	case filled > 3: // a footer is a line or two of text, not a filled row
		return false
	}
	// 制表人：张三 … 审核：李四 under the table: footer text and no 姓名.
	return nameEmpty && footer
}

// isTotal recognises the first cell of a total row: 合计, 总计, 本页小计 …
func isTotal(t string) bool {
	t = strings.ReplaceAll(t, " ", "")
	for _, p := range []string{"合计", "总计", "小计", "共计", "累计", "本页合计", "本页小计", "总合计"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

func (c *CareReader) convert(r Row) *nuanxin.CareRow {
	cr := &nuanxin.CareRow{Row: r.Num, Columns: c.labels}
	// add reports on the column of field f (none when the file lacks it).
	add := func(f Field, warning bool, reason string) {
		k := CareKey(f)
		cr.Errors = append(cr.Errors, nuanxin.RowError{Row: r.Num, Column: c.labels[k], Field: k, Reason: reason, Warning: warning})
	}
	var holidayText string
	hasDate, hasAmount := false, false
	for i := range c.cols {
		col := &c.cols[i]
		cell := r.Cell(col.index)
		text := NormalizeText(cell.Value)
		if text == "" {
			continue
		}
		if cell.Kind == CellError {
			add(col.field, false, nuanxin.T("roster.care.cell_error", text))
			continue
		}
		var err error
		switch col.field {
		case FieldName:
			cr.Name = text
		case FieldIDNumber:
			if nuanxin.IsMaskedIDNumber(text) {
				cr.IDNumber = text // a masked export: the store matches it by name
				break
			}
			var id nuanxin.IDNumber
			if id, err = parseIDCell(cell); err == nil {
				cr.IDNumber = id.Number
				if id.Number == exampleID {
					add(col.field, false, nuanxin.T("roster.members.example_row"))
				}
			}
		case FieldCareCategory:
			cr.CategoryText = cleanText(cell.Value)
			cr.Category, cr.Holiday, _ = ParseCareCategory(text)
		case FieldCareHoliday:
			holidayText = text
		case FieldCareDate:
			var partial bool
			if cr.Date, partial, err = ParseDateCell(cell, c.date1904); err == nil {
				hasDate = true
				if partial {
					add(col.field, true, nuanxin.T("roster.members.partial_date", text, cr.Date.Chinese()))
				}
			}
		case FieldCareAmount:
			if cr.Amount, err = parseAmountCell(cell); err == nil {
				hasAmount = true
				if cr.Amount == 0 {
					add(col.field, false, nuanxin.T("roster.care.amount_zero"))
				}
			}
		case FieldCareForm:
			cr.Form, err = ParseCareForm(text)
		case FieldCareGoods:
			cr.Goods = cleanText(cell.Value)
		case FieldCareHandler:
			cr.Handler = cleanText(cell.Value)
		case FieldNotes:
			cr.Notes = cleanText(cell.Value)
		}
		if err != nil {
			add(col.field, false, nuanxin.ErrorMessage(err))
		}
	}

	if cr.Name == "" && !hasErrorIn(cr, FieldName) {
		add(FieldName, false, nuanxin.T("member.name.required"))
	}
	// The 节日 column names the holiday of a 节日慰问 (and makes an empty
	// 类别 one); beside another category (春节送温暖 is 困难慰问) it is only
	// when it happened, which the date already says.
	if holidayText != "" {
		h, ok := ParseHoliday(holidayText)
		switch {
		case cr.CategoryText == "" && ok:
			cr.Category, cr.Holiday = nuanxin.CareHoliday, h
		case cr.Category != nuanxin.CareHoliday:
		case !ok:
			// 元宵 is not one of the seven: a rule the record broke, which
			// is the store's to weigh, not a reason to lose the record.
			add(FieldCareHoliday, true, nuanxin.T("roster.care.holiday_invalid", holidayText, labels(nuanxin.Holidays)))
		case cr.Holiday == "":
			cr.Holiday = h
		case cr.Holiday != h:
			add(FieldCareHoliday, false, nuanxin.T("roster.care.holiday_mismatch", holidayText, cr.CategoryText))
		}
	}
	if cr.CategoryText == "" && cr.Category == "" && !hasErrorIn(cr, FieldCareCategory) {
		add(FieldCareCategory, false, nuanxin.T("roster.care.category_required"))
	}
	if !hasDate && !hasErrorIn(cr, FieldCareDate) {
		add(FieldCareDate, false, nuanxin.T("roster.care.date_required"))
	}
	if !hasAmount && !hasErrorIn(cr, FieldCareAmount) {
		add(FieldCareAmount, false, nuanxin.T("roster.care.amount_required"))
	}
	if cr.Form == "" && !hasErrorIn(cr, FieldCareForm) {
		// Old 登记表 often have no 形式 column: what the category is
		// normally given as (慰问金 for illness, death and hardship, 实物
		// otherwise) or, when the row names goods, 实物; said as a warning
		// so the officer can check it.
		cr.Form = nuanxin.FormGoods
		if cr.Goods == "" && cashCategory(cr.Category) {
			cr.Form = nuanxin.FormCash
		}
		add(FieldCareForm, true, nuanxin.T("roster.care.form_inferred", cr.Form.Label()))
	}
	return cr
}

// hasErrorIn reports whether the row already has an error in field f.
func hasErrorIn(cr *nuanxin.CareRow, f Field) bool {
	for _, e := range cr.Errors {
		if e.Field == CareKey(f) && !e.Warning {
			return true
		}
	}
	return false
}

// cashCategory reports the categories given as 慰问金 when a record does
// not say (cash is allowed for them; it is not for gifts).
func cashCategory(c nuanxin.CareCategory) bool {
	switch c {
	case nuanxin.CareIllness, nuanxin.CareDeath, nuanxin.CareRelativeDeath, nuanxin.CareHardship:
		return true
	}
	return false
}

// parseAmountCell reads an amount cell: text as ParseAmount reads it, and
// a number cell also when it is a formula's binary-floating result
// (=B2*0.1 caches 120.00000000000001, =0.1*3 0.30000000000000004) or in
// scientific notation, rounded to the fen it is within a hair of.
func parseAmountCell(c Cell) (nuanxin.Money, error) {
	m, err := ParseAmount(c.Value)
	if err == nil || c.Kind != CellNumber && c.Kind != CellDate {
		return m, err
	}
	f, perr := strconv.ParseFloat(strings.TrimSpace(c.Value), 64)
	if perr != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return m, err
	}
	fen := math.Round(f * 100)
	if math.Abs(f*100-fen) > 1e-4 {
		return m, err // really a third decimal
	}
	if fen >= maxYuan*100 {
		return 0, cellErr("amount", "roster.amount.too_large", c.Value)
	}
	return nuanxin.Money(fen), nil
}

// ---------------------------------------------------------------------------
// 类别, 节日 and 形式 as officers write them.

// careCategoryNames are the 类别 texts of the built-in categories, after
// careCategoryKey. A union's own category (家属住院) is none of them and
// is left to the store, which knows the union's policy.
var careCategoryNames = func() map[string]nuanxin.CareCategory {
	m := map[string]nuanxin.CareCategory{}
	add := func(c nuanxin.CareCategory, names ...string) {
		for _, n := range names {
			m[n] = c
		}
		m[string(c)] = c
		m[c.Label()] = c
	}
	add(nuanxin.CareBirthday, "生日", "生日慰问", "职工生日", "会员生日", "过生日", "生日蛋糕", "生日福利")
	add(nuanxin.CareWedding, "结婚", "新婚", "婚庆", "职工结婚", "会员结婚", "结婚贺礼", "新婚贺礼")
	add(nuanxin.CareBirth, "生育", "生小孩", "添丁", "生孩子", "生子", "分娩", "职工生育", "女职工生育", "添丁之喜", "喜得贵子")
	add(nuanxin.CareIllness, "住院", "生病", "生病住院", "慰问病人", "病困", "患病", "疾病", "病重", "住院治疗", "看望病人",
		"探望病人", "因病住院", "职工住院", "会员住院", "大病", "病人", "探视病人", "患病住院", "病号", "伤病")
	add(nuanxin.CareRetirement, "退休", "职工退休", "会员退休", "光荣退休", "退休职工")
	add(nuanxin.CareDeath, "去世", "会员去世", "丧葬", "本人去世", "职工去世", "死亡", "病故", "逝世", "亡故", "因病去世", "职工病故")
	add(nuanxin.CareRelativeDeath, "直系亲属去世", "亲属去世", "父亲去世", "母亲去世", "配偶去世", "子女去世", "父母去世",
		"家属去世", "丈夫去世", "妻子去世", "儿子去世", "女儿去世", "直系亲属丧葬", "直系亲属死亡", "亲属丧葬")
	add(nuanxin.CareHoliday, "节日", "节日慰问", "春节", "中秋", "端午", "元旦", "清明", "劳动节", "五一", "国庆",
		"节日福利", "两节", "双节", "过节")
	add(nuanxin.CareHardship, "困难", "送温暖", "困难慰问", "帮扶", "困难职工", "困难帮扶", "困难补助", "困难救助",
		"生活困难", "困难职工慰问", "冬送温暖", "困难职工帮扶", "特困", "特困职工", "救助")
	add(nuanxin.CareOther, "其他", "其它")
	return m
}()

// holidayNames are the names a text may give a holiday by.
var holidayNames = []struct {
	name string
	h    nuanxin.Holiday
}{
	{"元旦", nuanxin.HolidayNewYear}, {"春节", nuanxin.HolidaySpring}, {"新春", nuanxin.HolidaySpring},
	{"过年", nuanxin.HolidaySpring}, {"清明", nuanxin.HolidayQingming}, {"劳动节", nuanxin.HolidayLabour},
	{"五一", nuanxin.HolidayLabour}, {"端午", nuanxin.HolidayDragonBoat}, {"中秋", nuanxin.HolidayMidAutumn},
	{"国庆", nuanxin.HolidayNational},
}

// holidayFiller is what a holiday text may hold besides holiday names:
// 2025年春节慰问, 中秋、国庆双节福利, 元旦春节两节慰问品.
var holidayFiller = []string{"节日", "慰问金", "慰问品", "慰问", "福利", "礼品", "物资", "发放", "期间", "假期",
	"双节", "两节", "节", "、", "和", "及", "暨", "/", "+", "-"}

// careCategoryKey is the text of a 类别 cell ready to look up: spaces
// and brackets (住院（手术）) gone, a leading year (2025年春节) dropped.
func careCategoryKey(s string) string {
	t := compactLower(s)
	if u := stripBrackets(t); u != "" {
		t = u
	}
	if len(t) > 4 && allASCIIDigits(t[:4]) {
		t = t[4:]
		for _, p := range []string{"年度", "年"} {
			if strings.HasPrefix(t, p) {
				t = t[len(p):]
				break
			}
		}
	}
	return strings.Trim(t, "-_:、")
}

// ParseCareCategory reads a 慰问类别 as officers write it: 生日慰问, 新婚,
// 添丁, 生病住院, 慰问病人, 退休, 丧葬, 父亲去世, 送温暖, 春节慰问, 2025年春节,
// 中秋国庆双节 …, or a category code. h is the holiday a 节日慰问 names,
// when it names exactly one. ok is false for any other text, which may be
// a category of the union's own: the caller keeps the text.
func ParseCareCategory(s string) (c nuanxin.CareCategory, h nuanxin.Holiday, ok bool) {
	t := careCategoryKey(s)
	if t == "" {
		return "", "", false
	}
	if c, ok := careCategoryNames[t]; ok {
		if c == nuanxin.CareHoliday {
			h, _ = holidayIn(t)
		}
		return c, h, true
	}
	if h, n := holidayIn(t); n > 0 {
		rest := t
		for _, hn := range holidayNames {
			rest = strings.ReplaceAll(rest, hn.name, "")
		}
		for _, f := range holidayFiller {
			rest = strings.ReplaceAll(rest, f, "")
		}
		if rest == "" {
			return nuanxin.CareHoliday, h, true
		}
		// 春节送温暖, 中秋困难职工慰问: given at a holiday, but of
		// another category.
		if c, ok := careCategoryNames[rest]; ok && c != nuanxin.CareHoliday {
			return c, "", true
		}
	}
	// 生日慰问金, 慰问病人, 困难补助金: the words around the category.
	for _, suf := range []string{"慰问金", "慰问品", "慰问", "补助金", "补助", "福利"} {
		if u, cut := strings.CutSuffix(t, suf); cut && u != "" {
			if c, ok := careCategoryNames[u]; ok && c != nuanxin.CareHoliday {
				return c, "", true
			}
		}
	}
	if u, cut := strings.CutPrefix(t, "慰问"); cut {
		if c, ok := careCategoryNames[u]; ok && c != nuanxin.CareHoliday {
			return c, "", true
		}
	}
	return "", "", false
}

// holidayIn returns the holiday t names and how many different ones it
// names (元旦春节 names two: no single holiday).
func holidayIn(t string) (nuanxin.Holiday, int) {
	var found nuanxin.Holiday
	seen := map[nuanxin.Holiday]bool{}
	for _, hn := range holidayNames {
		if strings.Contains(t, hn.name) && !seen[hn.h] {
			seen[hn.h], found = true, hn.h
		}
	}
	if len(seen) != 1 {
		return "", len(seen)
	}
	return found, 1
}

// ParseHoliday reads a 节日 cell: 春节, 中秋节, 2025年端午, 五一 or a code.
// ok is false unless it names exactly one of the seven holidays.
func ParseHoliday(s string) (nuanxin.Holiday, bool) {
	t := careCategoryKey(s)
	for _, h := range nuanxin.Holidays {
		if t == string(h) || t == h.Label() {
			return h, true
		}
	}
	h, n := holidayIn(t)
	return h, n == 1
}

// careForms are the 形式 texts, exact (after compactLower and brackets).
var careForms = func() map[string]nuanxin.CareForm {
	m := map[string]nuanxin.CareForm{}
	add := func(f nuanxin.CareForm, names ...string) {
		for _, n := range names {
			m[n] = f
		}
		m[string(f)] = f
		m[f.Label()] = f
	}
	add(nuanxin.FormCash, "现金", "慰问金", "转账", "银行转账", "现金发放", "发放现金", "钱", "红包", "打卡", "打卡发放")
	add(nuanxin.FormGoods, "实物", "物品", "慰问品", "礼品", "实物发放", "物资", "慰问物品")
	add(nuanxin.FormVoucher, "蛋糕券", "提货券", "券", "蛋糕卷", "提货卷", "兑换券", "指定商品提货券", "电影券")
	add(nuanxin.FormCard, "购物卡", "代金券", "卡", "超市卡", "储值卡", "商场卡", "消费卡", "礼品卡", "充值卡", "代金卷")
	return m
}()

// careFormWords decide a 形式 text the exact list does not know, by the
// words it holds; 代金券 before 券, which it contains.
var careFormWords = []struct {
	word string
	form nuanxin.CareForm
}{
	{"代金券", nuanxin.FormCard}, {"购物卡", nuanxin.FormCard}, {"卡", nuanxin.FormCard},
	{"券", nuanxin.FormVoucher}, {"卷", nuanxin.FormVoucher},
	{"现金", nuanxin.FormCash}, {"转账", nuanxin.FormCash}, {"慰问金", nuanxin.FormCash},
	{"实物", nuanxin.FormGoods}, {"物品", nuanxin.FormGoods}, {"慰问品", nuanxin.FormGoods}, {"礼品", nuanxin.FormGoods},
}

// ParseCareForm reads a 慰问形式: 现金/慰问金/转账 (cash), 实物/物品/慰问品
// (goods), 蛋糕券/提货券 (voucher), 购物卡/代金券 (card), a code, or a text
// holding one of these words (超市购物卡, 现金转账). A text naming two forms
// (现金+实物) is an error: one record is one form.
func ParseCareForm(s string) (nuanxin.CareForm, error) {
	t := compactLower(s)
	if u := stripBrackets(t); u != "" {
		t = u
	}
	if f, ok := careForms[t]; ok {
		return f, nil
	}
	var found nuanxin.CareForm
	rest := t
	for _, w := range careFormWords {
		if !strings.Contains(rest, w.word) {
			continue
		}
		if found != "" && found != w.form {
			found = ""
			break
		}
		found = w.form
		rest = strings.ReplaceAll(rest, w.word, "")
	}
	if found != "" {
		return found, nil
	}
	return "", cellErr(FieldCareForm, "roster.care.form_invalid", NormalizeText(s), labels(nuanxin.CareForms))
}

// ---------------------------------------------------------------------------
// Files.

// CareStream reads the care rows of a file: a nuanxin.CareRowSource for
// the store's ImportCare, with what the file-level notes say. It releases
// the file at the last row; Close it in any case.
type CareStream struct {
	*CareReader
	book  *Book
	sheet int
	notes []string
}

// StreamCare opens a 慰问登记表 (xlsx or CSV), picks the sheet as opt says
// (Sheet -1: the first visible sheet with a 慰问 header), finds the header
// (opt.Mapping overrides it, with care fields) and streams its rows.
//
//	st, err := roster.StreamCare(path, roster.ImportOptions{Sheet: -1})
//	if err != nil { … }  // a Chinese *nuanxin.Error: no header, bad file …
//	defer st.Close()
//	rep, err := db.ImportCare(ctx, scope, st, nuanxin.CareImportOptions{OrgID: id, DryRun: true})
//	rep.Notes = append(st.Notes(), rep.Notes...)
//
// ImportCare does all of this in one call.
func StreamCare(path string, opt ImportOptions) (*CareStream, error) {
	b, err := Open(path, Options{Encoding: opt.Encoding})
	if err != nil {
		return nil, err
	}
	sheet, _, h, herr, err := pickSheetWith(b, opt, DetectCareHeader)
	if err == nil && h == nil {
		err = herr
	}
	if err != nil {
		b.Close()
		return nil, err
	}
	rows, err := b.Rows(sheet)
	if err != nil {
		b.Close()
		return nil, err
	}
	return &CareStream{CareReader: ReadCare(rows, h, b.Date1904()), book: b, sheet: sheet,
		notes: FileNotes(b.Sheets(), sheet, h)}, nil
}

// Next is CareReader.Next, closing the file after the last row.
func (s *CareStream) Next() (*nuanxin.CareRow, error) {
	r, err := s.CareReader.Next()
	if err == io.EOF {
		s.Close()
	}
	return r, err
}

// Sheet is the index of the sheet read.
func (s *CareStream) Sheet() int { return s.sheet }

// Notes say which sheet and header row were read, which sheets were hidden
// and which columns were not imported.
func (s *CareStream) Notes() []string { return append([]string(nil), s.notes...) }

// Close releases the file; it may be called more than once.
func (s *CareStream) Close() error {
	s.CareReader.Close()
	return s.book.Close()
}

// ImportCare reads a 慰问登记表 and enters it through imp (the store): a
// dry run or a commit, as co says. The report's Notes start with the
// file's (sheet, header row, columns not read).
func ImportCare(ctx context.Context, imp nuanxin.CareImporter, s *nuanxin.Scope, path string, opt ImportOptions, co nuanxin.CareImportOptions) (*nuanxin.ImportReport, error) {
	st, err := StreamCare(path, opt)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	rep, err := imp.ImportCare(ctx, s, st, co)
	if err != nil {
		return nil, err
	}
	rep.Notes = append(st.Notes(), rep.Notes...)
	return rep, nil
}

// InspectCare is Inspect for a 慰问登记表: the sheets, the care header found
// on the chosen sheet (or why none) and a few data rows, for the mapping
// form.
func InspectCare(path string, opt ImportOptions) (*Inspection, error) {
	b, err := Open(path, Options{Encoding: opt.Encoding})
	if err != nil {
		return nil, err
	}
	defer b.Close()
	in := &Inspection{Sheets: b.Sheets(), Date1904: b.Date1904()}
	sheet, head, h, herr, err := pickSheetWith(b, opt, DetectCareHeader)
	if err != nil {
		return nil, err
	}
	in.Sheet, in.Header, in.HeaderErr = sheet, h, herr
	if h != nil {
		for _, r := range head {
			if r.Num > h.Row && !r.Empty() && len(in.Sample) < SampleRows {
				in.Sample = append(in.Sample, r)
			}
		}
	}
	return in, nil
}

// WriteCareRejectedRows writes the rejected rows of a care import, cut from
// the original file with their reasons, as WriteRejectedRows does for a
// roster (the same workbook: 原行号, the file's columns, 错误原因).
func WriteCareRejectedRows(w io.Writer, path string, opt ImportOptions, rep *nuanxin.ImportReport) error {
	b, err := Open(path, Options{Encoding: opt.Encoding})
	if err != nil {
		return err
	}
	defer b.Close()
	sheet, _, h, herr, err := pickSheetWith(b, opt, DetectCareHeader)
	if err != nil {
		return err
	}
	if h == nil {
		return herr
	}
	return writeRejectedFrom(w, b, sheet, h, rep)
}
