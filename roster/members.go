package roster

import (
	"io"
	"strings"
	"unicode/utf8"

	"github.com/nuanxin/nuanxin"
)

// MemberReader turns the data rows of a roster sheet into
// nuanxin.MemberRows; it is a nuanxin.MemberRowSource. It parses and checks
// each cell and the row's required fields, but leaves Member.Validate and
// everything that needs the database (matching, transfers) to the store.
//
// Each MemberRow is new, but rows with the same filled columns share one
// Present map: treat it as read-only.
type MemberReader struct {
	rows     *Rows
	h        *Header
	date1904 bool
	cols     []memberCol
	ignored  []bool // by column: 序号 and the like, which alone do not make a row
	hasEmpNo bool
	nameCol  int
	nameHead string // the 姓名 title, to spot the header repeated mid-sheet
	idLabel  string
	raw      Row
	err      error
	present  map[uint32]map[string]bool
	labels   map[string]string // field → column label, shared by every row (MemberRow.Columns)
}

// maxPresentSets bounds the shared Present maps a reader keeps.
const maxPresentSets = 4096

// presentMap returns the Present map of a presence mask. Rows with the same
// filled columns share one map (a million rows would otherwise carry a
// million identical maps): it is read-only, as MemberRow consumers (the
// store, ApplyImport) only read it.
func (m *MemberReader) presentMap(mask uint32) map[string]bool {
	if p, ok := m.present[mask]; ok {
		return p
	}
	p := make(map[string]bool, len(m.cols))
	for _, f := range MemberFields {
		if mask&fieldBit(f) != 0 {
			p[string(f)] = true
		}
	}
	if m.present == nil {
		m.present = map[uint32]map[string]bool{}
	}
	if len(m.present) < maxPresentSets {
		m.present[mask] = p
	}
	return p
}

type memberCol struct {
	index int
	field Field
	bit   uint32 // the field's bit in a presence mask
	free  bool   // read with cleanText, not NormalizeText
	label string // C列（身份证号码）
}

var (
	bitName       = fieldBit(FieldName)
	bitIDNumber   = fieldBit(FieldIDNumber)
	bitEmployeeNo = fieldBit(FieldEmployeeNo)
)

// fieldBit is a field's bit in a presence mask: its place in MemberFields.
func fieldBit(f Field) uint32 {
	for i, m := range MemberFields {
		if m == f {
			return 1 << i
		}
	}
	return 0
}

// ReadMembers reads the member rows of rows below header h (rows at or
// above h.Row are skipped, so rows may start at the top of the sheet).
// date1904 is Book.Date1904(). A file whose header has no 姓名 column, or
// neither 身份证号码 nor 工号, fails on the first Next.
func ReadMembers(rows *Rows, h *Header, date1904 bool) *MemberReader {
	m := &MemberReader{rows: rows, h: h, date1904: date1904, nameCol: -1, labels: map[string]string{}}
	for _, c := range h.Columns {
		if c.Field == "" {
			continue
		}
		m.cols = append(m.cols, memberCol{index: c.Index, field: c.Field, bit: fieldBit(c.Field),
			free: freeText[c.Field], label: c.Label()})
		m.labels[string(c.Field)] = c.Label()
		switch c.Field {
		case FieldEmployeeNo:
			m.hasEmpNo = true
		case FieldName:
			m.nameCol, m.nameHead = c.Index, strings.TrimSpace(c.Title)
		case FieldIDNumber:
			m.idLabel = c.Label()
		}
	}
	for _, c := range h.Ignored {
		for len(m.ignored) <= c.Index {
			m.ignored = append(m.ignored, false)
		}
		m.ignored[c.Index] = true
	}
	switch {
	case !h.Has(FieldName):
		m.err = nuanxin.Errorf(nuanxin.EINVALID, "roster.members.no_name_column")
	case !h.Has(FieldIDNumber) && !h.Has(FieldEmployeeNo):
		m.err = nuanxin.Errorf(nuanxin.EINVALID, "roster.members.no_id_column")
	}
	return m
}

// OpenMembers finds the header of a sheet (overrides as in DetectHeader)
// and returns a reader of its member rows.
func OpenMembers(b *Book, sheet int, overrides map[int]Field) (*MemberReader, error) {
	rows, h, err := openWith(b, sheet, overrides, DetectHeader)
	if err != nil {
		return nil, err
	}
	return ReadMembers(rows, h, b.Date1904()), nil
}

// openWith finds a sheet's header with detect and returns its rows from
// the top, for a reader to walk.
func openWith(b *Book, sheet int, overrides map[int]Field, detect func([]Row, map[int]Field) (*Header, error)) (*Rows, *Header, error) {
	rows, err := b.Rows(sheet)
	if err != nil {
		return nil, nil, err
	}
	head, err := Head(rows, HeaderScanRows)
	rows.Close()
	if err != nil {
		return nil, nil, err
	}
	h, err := detect(head, overrides)
	if err != nil {
		return nil, nil, err
	}
	if rows, err = b.Rows(sheet); err != nil {
		return nil, nil, err
	}
	return rows, h, nil
}

// nextData advances rows to the next data row below the header that skip
// does not drop; false with a nil error means the sheet has ended.
func nextData(rows *Rows, h *Header, skip func(Row) bool) (Row, bool, error) {
	for rows.Next() {
		r := rows.Row()
		if r.Num <= h.Row || skip(r) {
			continue
		}
		return r, true, nil
	}
	return Row{}, false, rows.Err()
}

// Header is the header the reader maps columns by.
func (m *MemberReader) Header() *Header { return m.h }

// Raw is the sheet row behind the MemberRow Next returned last, as stored;
// its Cells are reused by the next call.
func (m *MemberReader) Raw() Row { return m.raw }

// Close stops reading.
func (m *MemberReader) Close() error { return m.rows.Close() }

// Next returns the next data row, or io.EOF after the last. Blank rows,
// rows holding only a 序号, footers (合计…, 制表人：…) and the header
// repeated on every printed page are skipped silently.
func (m *MemberReader) Next() (*nuanxin.MemberRow, error) {
	if m.err != nil {
		return nil, m.err
	}
	r, ok, err := nextData(m.rows, m.h, m.skip)
	switch {
	case err != nil:
		m.err = err
		return nil, err
	case !ok:
		m.err = io.EOF
		return nil, io.EOF
	}
	m.raw = r
	return m.convert(r), nil
}

// skip reports a row with nothing to import.
func (m *MemberReader) skip(r Row) bool {
	filled := 0
	for i, c := range r.Cells {
		if c.Value == "" || i < len(m.ignored) && m.ignored[i] || isBlank(c.Value) {
			continue
		}
		if i == m.nameCol && strings.TrimSpace(c.Value) == m.nameHead {
			return true // the header again, as printed on every page
		}
		filled++
	}
	if filled == 0 {
		return true
	}
	if filled > 3 { // a footer is a line or two of text, not a filled row
		return false
	}
	for i, c := range r.Cells {
		if c.Value == "" || i < len(m.ignored) && m.ignored[i] {
			continue
		}
		if t := NormalizeText(c.Value); t != "" && !isFooter(t) {
			return false
		}
	}
	return true
}

// isBlank reports a value with nothing but spaces and invisible characters.
func isBlank(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			if c > ' ' && c != 0x7F {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isTrimmable(r) && !(r >= 0x80 && r < 0xA0) {
			return false
		}
		i += n
	}
	return true
}

// isFooter recognises the lines under a roster: 合计 120人, 制表人：张三,
// 审核：…, 填表日期：….
func isFooter(t string) bool {
	for _, p := range []string{"合计", "总计", "小计", "共计"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	if !strings.ContainsAny(t, ":：") {
		return false
	}
	for _, p := range []string{"制表", "填表", "填报", "审核", "负责人", "单位负责人", "工会主席", "主席", "经办人",
		"联系人", "联系电话", "注", "备注", "说明"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

func (m *MemberReader) convert(r Row) *nuanxin.MemberRow {
	mr := &nuanxin.MemberRow{Row: r.Num, Columns: m.labels}
	var present uint32
	mem := &mr.Member
	fail := func(c *memberCol, err error) {
		mr.Errors = append(mr.Errors, nuanxin.RowError{Row: r.Num, Column: c.label, Field: string(c.field),
			Reason: nuanxin.ErrorMessage(err)})
	}
	var id nuanxin.IDNumber
	idOK, maskedID := false, false
	var birthCol, sexCol *memberCol
	birthPartial := false
	for i := range m.cols {
		c := &m.cols[i]
		cell := r.Cell(c.index)
		var text string
		if c.free {
			text = cleanText(cell.Value)
		} else {
			text = NormalizeText(cell.Value)
		}
		if text == "" {
			continue
		}
		present |= c.bit
		var err error
		switch c.field {
		case FieldName:
			mem.Name = text
		case FieldIDNumber:
			if nuanxin.IsMaskedIDNumber(text) {
				// A masked export coming back: the store matches it by
				// name within the subtree; it never becomes a number.
				mem.IDMasked, maskedID = text, true
				present &^= c.bit
				continue
			}
			if id, err = parseIDCell(cell); err == nil {
				mem.IDNumber, idOK = id.Number, true
			}
		case FieldSex:
			if mem.Sex, err = ParseSex(text); err == nil {
				sexCol = c
			}
		case FieldBirthDate, FieldHireDate, FieldJoinDate:
			var d nuanxin.Date
			var partial bool
			if d, partial, err = ParseDateCell(cell, m.date1904); err != nil {
				break
			}
			switch c.field {
			case FieldBirthDate:
				mem.BirthDate, birthCol, birthPartial = d, c, partial
			case FieldHireDate:
				mem.HireDate = d
			case FieldJoinDate:
				mem.JoinDate = d
			}
			if partial && c.field != FieldBirthDate {
				mr.Errors = append(mr.Errors, nuanxin.RowError{Row: r.Num, Column: c.label, Field: string(c.field),
					Reason: nuanxin.T("roster.members.partial_date", text, d.Chinese()), Warning: true})
			}
		case FieldPhone:
			if strings.Contains(text, "*") {
				present &^= c.bit // a masked export's phone: keep the stored one
				continue
			}
			mem.Phone, err = ParsePhoneCell(cell)
		case FieldCategory:
			mem.Category, err = ParseCategory(text)
		case FieldStatus:
			mem.Status, err = ParseStatus(text)
		case FieldEthnicity:
			mem.Ethnicity = text
		case FieldPolitical:
			mem.Political = text
		case FieldEducation:
			mem.Education = text
		case FieldDepartment:
			mem.Department = text
		case FieldPost:
			mem.Post = text
		case FieldEmployeeNo:
			mem.EmployeeNo = numberText(cell, text)
		case FieldCardNo:
			mem.CardNo = numberText(cell, text)
		case FieldNotes:
			mem.Notes = text
		case FieldOrg:
			mr.OrgRef = numberText(cell, text)
		}
		if err != nil {
			fail(c, err)
		}
	}

	mr.Present = m.presentMap(present)
	has := func(bit uint32) bool { return present&bit != 0 }
	if !has(bitName) {
		mr.Errors = append(mr.Errors, nuanxin.RowError{Row: r.Num, Column: m.nameLabel(), Field: string(FieldName),
			Reason: nuanxin.T("member.name.required")})
	}
	if !has(bitIDNumber) {
		switch {
		case maskedID, has(bitEmployeeNo):
			// An existing member may be matched by 工号: the store decides.
		case m.hasEmpNo:
			mr.Errors = append(mr.Errors, nuanxin.RowError{Row: r.Num, Column: m.idLabel, Field: string(FieldIDNumber),
				Reason: nuanxin.T("roster.members.id_or_empno")})
		default:
			mr.Errors = append(mr.Errors, nuanxin.RowError{Row: r.Num, Column: m.idLabel, Field: string(FieldIDNumber),
				Reason: nuanxin.T("member.id.required")})
		}
	}
	// The 身份证号 carries the birth date and sex: say plainly when the
	// row's own columns disagree, naming both values.
	if birthCol != nil {
		switch {
		case idOK && birthPartial && sameMonth(mem.BirthDate, id.Birth):
			mem.BirthDate = id.Birth // 1985年3月 and the number says 1985-03-15
		case idOK && mem.BirthDate != id.Birth:
			shown := mem.BirthDate.Chinese()
			if birthPartial {
				shown = strings.TrimSuffix(shown, "1日")
			}
			mr.Errors = append(mr.Errors, nuanxin.RowError{Row: r.Num, Column: birthCol.label, Field: string(FieldBirthDate),
				Reason: nuanxin.T("roster.members.birth_mismatch", shown, id.Birth.Chinese())})
		case birthPartial:
			mr.Errors = append(mr.Errors, nuanxin.RowError{Row: r.Num, Column: birthCol.label, Field: string(FieldBirthDate),
				Reason: nuanxin.T("roster.members.partial_date", NormalizeText(r.Cell(birthCol.index).Value), mem.BirthDate.Chinese()), Warning: true})
		}
	}
	if idOK && mem.IDNumber == exampleID {
		// The template's 张三, left in by mistake.
		mr.Errors = append(mr.Errors, nuanxin.RowError{Row: r.Num, Column: m.idLabel, Field: string(FieldIDNumber),
			Reason: nuanxin.T("roster.members.example_row")})
	}
	if sexCol != nil && idOK && mem.Sex != id.Sex {
		mr.Errors = append(mr.Errors, nuanxin.RowError{Row: r.Num, Column: sexCol.label, Field: string(FieldSex),
			Reason: nuanxin.T("roster.members.sex_mismatch", mem.Sex.Label(), id.Sex.Label())})
	}
	return mr
}

// freeText are the fields read with cleanText (Chinese punctuation kept)
// rather than NormalizeText (full-width forms folded): what officers write
// in Chinese must come back as written — 所属工会 is matched exactly
// against org names such as “一车间（东区）分工会”, and a 备注 “调入，原单位”
// must not turn into “调入,原单位”.
var freeText = map[Field]bool{FieldOrg: true, FieldNotes: true, FieldDepartment: true, FieldPost: true}

func (m *MemberReader) nameLabel() string {
	for _, c := range m.cols {
		if c.field == FieldName {
			return c.label
		}
	}
	return ""
}

func sameMonth(a, b nuanxin.Date) bool { return a.Year == b.Year && a.Month == b.Month }

// numberText is the text of a code kept in a number cell: 工号 1001 may be
// stored as "1001" or, from some writers, "1001.0".
func numberText(c Cell, text string) string {
	if c.Kind == CellNumber {
		if i := strings.IndexByte(text, '.'); i > 0 && strings.Trim(text[i+1:], "0") == "" {
			return text[:i]
		}
		if d, implied, ok := expandScientific(text); ok && implied == 0 {
			return d
		}
	}
	return text
}

// RejectedRows streams a sheet again and calls fn with the header row
// (headerRow) and each row in rowNums (ascending Excel row numbers), in
// sheet order, so the rejected rows can be written out as the officer
// wrote them. fn's Row.Cells are reused after fn returns. Rows that are
// blank are not in the stream and so are never passed.
func RejectedRows(b *Book, sheet int, headerRow int, rowNums []int, fn func(r Row) error) error {
	rows, err := b.Rows(sheet)
	if err != nil {
		return err
	}
	defer rows.Close()
	last := headerRow
	if len(rowNums) > 0 {
		last = max(last, rowNums[len(rowNums)-1])
	}
	i := 0
	for rows.Next() {
		r := rows.Row()
		if r.Num > last {
			break
		}
		for i < len(rowNums) && rowNums[i] < r.Num {
			i++
		}
		if r.Num == headerRow || i < len(rowNums) && rowNums[i] == r.Num {
			if err := fn(r); err != nil {
				return err
			}
		}
	}
	return rows.Err()
}

func init() {
	nuanxin.RegisterMessages(map[string]string{
		"roster.members.no_name_column": "表头中没有“姓名”列：每位会员都要有姓名。请在花名册中加上“姓名”列，或在列对应中指定哪一列是姓名",
		"roster.members.no_id_column":   "表头中没有“身份证号码”列，也没有“工号”列，无法确认是哪位会员。请加上“身份证号码”列（已登记的会员也可以用“工号”列）",
		"roster.members.id_or_empno":    "请填写身份证号码（已登记的会员也可以只填工号）",
		"roster.members.partial_date":   "“%s”只有年月，没有日，已按%s导入，请核对",
		"roster.members.birth_mismatch": "出生日期%s与身份证号码中的出生日期%s不一致，请核对",
		"roster.members.sex_mismatch":   "性别“%s”与身份证号码不符（身份证号码显示为%s），请核对",
		"roster.members.example_row":    "这是导入模板中的示例行，请删除后再导入",
	})
}

var exampleID = ExampleIDNumber()
