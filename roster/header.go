package roster

import (
	"strings"

	"github.com/nuanxin/nuanxin"
)

// Column is one titled column of the header row.
type Column struct {
	Index  int    // 0-based
	Letter string // A, B … AA
	Title  string // as written in the file
	Field  Field  // "" = not read: unknown, ignored (序号) or a duplicate
}

// Header is the header row of a roster sheet and what each column holds.
type Header struct {
	Row     int      // row number as Excel shows it
	Columns []Column // every titled (or mapped) column, in file order
	// Unknown columns are neither recognised nor mapped by the officer:
	// their cells are not imported, and the UI should say so.
	Unknown []Column
	// Duplicate columns hold a field an earlier column already has; Field
	// is that field. They are not read.
	Duplicate []Column
	// Ignored columns are known not to hold member data (序号, 编号) or
	// were mapped to "" by the officer.
	Ignored []Column
}

// Has reports whether a column holds field f.
func (h *Header) Has(f Field) bool {
	_, ok := h.Column(f)
	return ok
}

// Column returns the column holding field f.
func (h *Header) Column(f Field) (Column, bool) {
	for _, c := range h.Columns {
		if c.Field == f && f != "" {
			return c, true
		}
	}
	return Column{}, false
}

// Label is how reports name the column: "C列（身份证号码）".
func (c Column) Label() string { return nuanxin.ColumnLabel(c.Letter, c.Title) }

// HeaderScanRows is how far down the header may sit: title rows, a 填报单位
// line and blank rows come first in real rosters.
const HeaderScanRows = 10

// fieldIgnore marks the alias of a column known to carry no member data.
const fieldIgnore Field = "-"

// headerAliases maps a normalised header (see normalizeHeader) to its
// field. Be generous: taking files as they are starts here.
var headerAliases = func() map[string]Field {
	m := map[string]Field{}
	add := func(f Field, names ...string) {
		for _, n := range names {
			m[normalizeHeader(n)] = f
		}
	}
	add(FieldName, "姓名", "职工姓名", "会员姓名", "员工姓名", "名字", "人员姓名", "姓 名", "name")
	add(FieldIDNumber, "身份证号", "身份证号码", "公民身份号码", "身份证", "证件号码", "身份证件号码",
		"公民身份证号码", "公民身份证号", "身份证件号", "证件号", "居民身份证号码", "身份证编号", "idcard", "id_number")
	add(FieldSex, "性别", "sex", "gender")
	add(FieldBirthDate, "出生日期", "出生年月", "出生年月日", "生日", "出生时间", "birthday", "birth_date")
	add(FieldEthnicity, "民族")
	add(FieldPolitical, "政治面貌", "政治身份")
	add(FieldEducation, "学历", "文化程度", "最高学历", "学历层次")
	add(FieldPhone, "手机", "手机号", "手机号码", "联系电话", "电话", "联系方式", "移动电话", "电话号码",
		"联系手机", "手机电话", "phone", "mobile")
	add(FieldCategory, "人员类别", "用工性质", "用工形式", "人员性质", "职工类别", "用工类别", "人员类型", "职工身份")
	add(FieldDepartment, "部门", "所在部门", "所属部门", "单位部门", "科室", "车间", "工作部门", "部门名称",
		"所在科室", "所在车间", "工作单位及部门", "部门/科室")
	add(FieldPost, "岗位", "职务", "工种", "岗位(职务)", "职务(岗位)", "岗位名称", "现任职务", "岗位/职务", "职务/岗位")
	add(FieldEmployeeNo, "工号", "员工编号", "职工编号", "员工号", "人员编号", "职工号", "员工工号")
	add(FieldHireDate, "参加工作时间", "参加工作日期", "入职时间", "入职日期", "工作时间", "参加工作年月", "入职年月")
	add(FieldJoinDate, "入会时间", "入会日期", "入会年月")
	add(FieldStatus, "会籍状态", "会员状态", "状态", "会籍")
	add(FieldCardNo, "会员证号", "会员卡号", "会员证编号", "会员证号码")
	add(FieldNotes, "备注", "说明", "备注说明")
	add(FieldOrg, "所属工会", "工会组织", "所在工会", "分工会", "工会小组", "基层工会", "所在基层工会", "工会名称", "所属分工会")
	add(fieldIgnore, "序号", "编号", "no", "no.", "行号", "序")
	return m
}()

// normalizeHeader makes header variants comparable: whitespace anywhere
// (incl. full-width and line breaks inside the cell) removed, full-width
// forms made half-width, required markers (*, ＊, ※) and parenthesised
// hints ("身份证号码(必填)", "出生日期（格式：2024-01-01）") stripped, ASCII
// lower-cased, a trailing colon dropped.
func normalizeHeader(s string) string {
	s = NormalizeText(s)
	s = strings.Map(func(r rune) rune {
		if r == ' ' {
			return -1
		}
		return r
	}, s)
	if t := stripBrackets(s); t != "" {
		s = t
	}
	s = strings.Trim(s, "*※★:")
	return strings.ToLower(s)
}

// stripBrackets removes (…), […], 【…】 and 〔…〕 with what they hold.
func stripBrackets(s string) string {
	if !strings.ContainsAny(s, "([【〔") {
		return s
	}
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '[', '【', '〔':
			depth++
		case ')', ']', '】', '〕':
			if depth > 0 {
				depth--
			}
		default:
			if depth == 0 {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// headerKind is what a header is detected for (a roster, a 慰问登记表):
// the aliases of its columns, the fields a mapping may name, whether a
// row's recognised fields are enough to be the header, and the message
// when no row is.
type headerKind struct {
	aliases  map[string]Field
	known    func(Field) bool
	enough   func(fields map[Field]bool) bool
	notFound string
}

var memberHeader = &headerKind{
	aliases: headerAliases,
	known:   knownMemberField,
	enough: func(fields map[Field]bool) bool {
		return len(fields) >= 2 && (fields[FieldName] || fields[FieldIDNumber])
	},
	notFound: "roster.header.not_found",
}

// matchHeader returns the member field of a header text, fieldIgnore for
// 序号, or "" when unknown.
func matchHeader(title string) Field { return memberHeader.match(title) }

func (k *headerKind) match(title string) Field {
	n := normalizeHeader(title)
	if n == "" {
		return ""
	}
	if f, ok := k.aliases[n]; ok {
		return f
	}
	// "出生日期:格式2024-01-01": a hint after a colon.
	if i := strings.IndexByte(n, ':'); i > 0 {
		if f, ok := k.aliases[n[:i]]; ok {
			return f
		}
	}
	return ""
}

func knownMemberField(f Field) bool {
	for _, m := range MemberFields {
		if m == f {
			return true
		}
	}
	return false
}

// DetectHeader finds the header among the first HeaderScanRows non-empty
// rows: the row with the most recognised columns, at least two of them and
// 姓名 or 身份证号码 among them. Title rows above it ("XX公司工会会员花名册",
// "填报单位：…") are skipped. overrides maps a column index to a field, or
// to "" to ignore the column, as the officer chose in the UI; they win over
// the aliases. When two columns hold the same field the first is read and
// the second is reported in Duplicate.
func DetectHeader(rows []Row, overrides map[int]Field) (*Header, error) {
	return memberHeader.detect(rows, overrides)
}

func (k *headerKind) detect(rows []Row, overrides map[int]Field) (*Header, error) {
	best, bestScore := -1, 0
	seen := 0
	for i, r := range rows {
		if r.Empty() {
			continue
		}
		if seen++; seen > HeaderScanRows {
			break
		}
		fields := map[Field]bool{}
		for col, c := range r.Cells {
			f, over := overrides[col]
			if !over {
				f = k.match(c.Value)
			} else if NormalizeText(c.Value) == "" {
				continue // a mapping says nothing about a row with no title there
			}
			if f != "" && f != fieldIgnore {
				fields[f] = true
			}
		}
		if k.enough(fields) && len(fields) > bestScore {
			best, bestScore = i, len(fields)
		}
	}
	if best < 0 {
		return nil, nuanxin.Errorf(nuanxin.EINVALID, k.notFound)
	}
	row := rows[best]
	h := &Header{Row: row.Num}
	taken := map[Field]bool{}    // fields the officer mapped somewhere
	assigned := map[Field]bool{} // fields given to a column so far
	// Officer's mappings claim their fields first, so a column the officer
	// chose is never the one reported as a duplicate.
	for col, f := range overrides {
		if f != "" && k.known(f) && col >= 0 {
			taken[f] = true
		}
	}
	ncol := len(row.Cells)
	for col := range overrides {
		ncol = max(ncol, col+1)
	}
	for col := 0; col < ncol; col++ {
		title := strings.TrimSpace(row.Cell(col).Value)
		f, over := overrides[col]
		if !over && NormalizeText(title) == "" {
			continue
		}
		c := Column{Index: col, Letter: nuanxin.ColumnLetter(col), Title: title}
		switch {
		case over && f == "", f == fieldIgnore, !over && k.match(title) == fieldIgnore:
			h.Ignored = append(h.Ignored, c)
		case over && k.known(f):
			if assigned[f] {
				d := c
				d.Field = f
				h.Duplicate = append(h.Duplicate, d)
				break
			}
			assigned[f] = true
			c.Field = f
		case over: // an unknown field name from the form: treat as unmapped
			h.Unknown = append(h.Unknown, c)
		default:
			f = k.match(title)
			switch {
			case f == "":
				h.Unknown = append(h.Unknown, c)
			case taken[f] || assigned[f]:
				d := c
				d.Field = f
				h.Duplicate = append(h.Duplicate, d)
			default:
				assigned[f] = true
				c.Field = f
			}
		}
		h.Columns = append(h.Columns, c)
	}
	return h, nil
}

func init() {
	nuanxin.RegisterMessages(map[string]string{
		"roster.header.not_found": "没有找到表头：前10行中没有一行列名同时包含“姓名”或“身份证号码”以及其他列名（如性别、出生日期、手机号码）。请确认选择了正确的工作表，或手动指定各列的内容",
	})
}
