package roster

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/nuanxin/nuanxin"
)

// NormalizeText cleans a cell as typed: trims every kind of space (NBSP,
// full-width space, zero-width characters, BOM), maps full-width ASCII to
// half-width, turns inner tabs and line breaks into spaces and drops other
// control characters, NUL and invalid bytes.
func NormalizeText(s string) string { return foldText(s, false) }

// cleanText is NormalizeText for free text (names, departments, notes, org
// names): full-width letters and digits are folded, but Chinese
// punctuation (，（）：；) is the writer's and stays, and so does anything
// an org name must match by.
func cleanText(s string) string { return foldText(s, true) }

// foldText trims, turns odd spaces and line breaks into spaces, drops
// control and invisible characters, and folds full-width forms to ASCII:
// all of them, or with keepPunct only letters and digits.
func foldText(s string, keepPunct bool) string {
	if !textNeedsFold(s) { // the common case, ASCII or CJK: no allocation
		if len(s) > 0 && s[0] > ' ' && s[len(s)-1] > ' ' {
			return s
		}
		return strings.TrimSpace(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E && (!keepPunct || r >= 0xFF10 && r <= 0xFF19 || r >= 0xFF21 && r <= 0xFF3A || r >= 0xFF41 && r <= 0xFF5A):
			r -= 0xFEE0
		case r == '\t' || r == '\n' || r == '\r' || r == 0x3000 || r == 0xA0 || r == 0x2028 || r == 0x2029 ||
			r >= 0x2000 && r <= 0x200A || r == 0x202F || r == 0x205F:
			r = ' '
		case r < 0x20 || r >= 0x7F && r < 0xA0 || isZeroWidth(r):
			continue
		case r == utf8.RuneError && isInvalidAt(s, i):
			continue
		}
		b.WriteRune(r)
	}
	return strings.TrimFunc(b.String(), isTrimmable)
}

// textNeedsFold reports whether NormalizeText has more to do than trim
// ASCII spaces: a control character, a space or invisible character that
// is not ASCII, a full-width form, or invalid UTF-8. It decodes UTF-8 by
// hand, as CJK text is what it mostly sees. It may say yes for text that
// needs nothing (“quotes” share a lead byte with the zero-width
// characters); never the reverse.
func textNeedsFold(s string) bool {
	cont := func(i int) bool { return i < len(s) && s[i]&0xC0 == 0x80 }
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c < 0x80:
			if c < 0x20 || c == 0x7F {
				return true
			}
			i++
		case c == 0xC2: // U+0080–U+00BF: C1 controls, NBSP, soft hyphen
			return true
		case c > 0xC2 && c < 0xE0:
			if !cont(i + 1) {
				return true
			}
			i += 2
		case c < 0xF0 && c >= 0xE0:
			if !cont(i+1) || !cont(i+2) {
				return true
			}
			c1 := s[i+1]
			switch {
			case c == 0xE0 && c1 < 0xA0, c == 0xED && c1 >= 0xA0: // overlong, surrogate
				return true
			case c == 0xE2 && c1 <= 0x81: // U+2000–U+207F: spaces, zero-width, separators
				return true
			case c == 0xE3 && c1 == 0x80 && s[i+2] == 0x80: // U+3000 ideographic space
				return true
			case c == 0xEF && (c1 == 0xBB || c1 == 0xBC || c1 == 0xBD): // U+FEFF, full-width forms
				return true
			}
			i += 3
		case c >= 0xF0 && c <= 0xF4:
			if !cont(i+1) || !cont(i+2) || !cont(i+3) || c == 0xF0 && s[i+1] < 0x90 || c == 0xF4 && s[i+1] > 0x8F {
				return true
			}
			i += 4
		default: // a continuation byte without a lead, C0, C1, F5–FF
			return true
		}
	}
	return false
}

func needsFold(r rune) bool {
	return r < 0x20 || r >= 0x7F && r <= 0xA0 || r >= 0xFF01 && r <= 0xFF5E || r == 0x3000 ||
		r >= 0x2000 && r <= 0x200D || r == 0x2028 || r == 0x2029 || r == 0x202F || r == 0x205F || r == 0x2060 ||
		r == 0xFEFF || r == 0xAD
}

func isZeroWidth(r rune) bool {
	switch r {
	case 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0xAD:
		return true
	}
	return false
}

func isTrimmable(r rune) bool { return unicode.IsSpace(r) || isZeroWidth(r) }

func isInvalidAt(s string, i int) bool {
	_, n := utf8.DecodeRuneInString(s[i:])
	return n == 1
}

// cellErr is a message-keyed EINVALID error about one field.
func cellErr(f Field, key string, args ...any) *nuanxin.Error {
	return nuanxin.Invalid(string(f), key, args...)
}

// ---------------------------------------------------------------------------
// Dates.

var (
	minDate = nuanxin.Date{Year: 1900, Month: 1, Day: 1}
	maxDate = nuanxin.Date{Year: 2100, Month: 12, Day: 31}
)

// A plain number (not date-formatted) is taken as a date serial only from
// 4000 (1910-12-13) on: below that it is far likelier a year typed into a
// General cell ("1985") than a date in 1900–1910.
const minPlainSerial = 4000

// maxSerial is 2100-12-31.
const maxSerial = 73415

// ExcelDate converts a date serial as stored ("45356", "45356.5") to a
// date: the 1900 system counts 1900-01-01 as 1 and keeps Lotus's phantom
// 1900-02-29 (serial 60); the 1904 system counts 1904-01-01 as 0. The time
// of day (the fraction) is ignored.
func ExcelDate(serial string, date1904 bool) (nuanxin.Date, error) {
	if len(serial) <= 7 && allASCIIDigits(serial) { // the usual whole-day serial: no float parsing
		n := 0
		for i := 0; i < len(serial); i++ {
			n = n*10 + int(serial[i]-'0')
		}
		return serialDate(float64(n), serial, date1904)
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(serial), 64)
	if err != nil {
		return nuanxin.Date{}, cellErr("", "roster.date.serial", serial)
	}
	return serialDate(f, serial, date1904)
}

func serialDate(f float64, serial string, date1904 bool) (nuanxin.Date, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > 3e6 {
		return nuanxin.Date{}, cellErr("", "roster.date.serial", serial)
	}
	days := int(math.Floor(f))
	var d nuanxin.Date
	switch {
	case date1904:
		d = civilDate(-24107 + days) // 1904-01-01 is day -24107 of the Unix epoch
	case days == 0:
		return nuanxin.Date{}, cellErr("", "roster.date.serial", serial)
	case days == 60:
		return nuanxin.Date{}, cellErr("", "roster.date.fake_leap")
	case days < 60:
		d = civilDate(-25568 + days) // serial 1 is 1900-01-01
	default:
		d = civilDate(-25569 + days) // past the phantom 1900-02-29: 1899-12-30 + days
	}
	if d.Before(minDate) || d.After(maxDate) {
		return nuanxin.Date{}, cellErr("", "roster.date.year_range", d.Chinese(), d.Year)
	}
	return d, nil
}

// ParseDateCell reads a date as rosters hold it: a date-formatted number
// (Excel serial), a plain number that is a serial or 20240305, or text:
// 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, 2024年3月5号, 20240305,
// 2024-3-5 0:00:00, full-width digits. A year and month alone (2024-03,
// 2024.3, 2024年3月, 202403) gives the 1st of the month with partial set,
// so the caller can warn. An empty cell gives the zero Date.
func ParseDateCell(c Cell, date1904 bool) (d nuanxin.Date, partial bool, err error) {
	switch c.Kind {
	case CellDate:
		d, err = ExcelDate(c.Value, date1904)
		return d, false, err
	case CellNumber:
		v := strings.TrimSpace(c.Value)
		if n, perr := strconv.ParseFloat(v, 64); perr == nil && n >= minPlainSerial && n <= maxSerial {
			d, err = serialDate(n, v, date1904)
			return d, false, err
		}
		if i := strings.IndexByte(v, '.'); i > 0 && strings.Trim(v[i+1:], "0") == "" {
			v = v[:i] // 20240305.0
		}
		return parseDateText(v)
	}
	return parseDateText(c.Value)
}

func parseDateText(raw string) (nuanxin.Date, bool, error) {
	s := NormalizeText(raw)
	if s == "" {
		return nuanxin.Date{}, false, nil
	}
	t := s
	// A time after the date: "2024-3-5 0:00:00", "2024-03-05T08:00:00Z".
	if i := strings.IndexAny(t, " T"); i > 0 && strings.ContainsAny(t[i:], ":") {
		t = t[:i]
	}
	t = strings.ReplaceAll(t, " ", "")
	var parts []string
	switch {
	case allASCIIDigits(t):
		switch len(t) {
		case 8:
			parts = []string{t[:4], t[4:6], t[6:]}
		case 6:
			parts = []string{t[:4], t[4:]}
		case 4:
			return nuanxin.Date{}, false, cellErr("", "roster.date.year_only", s)
		default:
			return nuanxin.Date{}, false, cellErr("", "roster.date.invalid", s)
		}
	case strings.ContainsRune(t, '年'):
		y, rest, _ := strings.Cut(t, "年")
		m, rest, hasM := strings.Cut(rest, "月")
		if !hasM {
			return nuanxin.Date{}, false, cellErr("", "roster.date.invalid", s)
		}
		parts = []string{y, m}
		rest = strings.TrimSuffix(strings.TrimSuffix(rest, "日"), "号")
		if rest != "" {
			parts = append(parts, rest)
		}
	default:
		parts = strings.FieldsFunc(t, func(r rune) bool { return r == '-' || r == '/' || r == '.' || r == '_' })
		if strings.Trim(t, "-/._0123456789") != "" {
			return nuanxin.Date{}, false, cellErr("", "roster.date.invalid", s)
		}
	}
	if len(parts) < 2 || len(parts) > 3 {
		return nuanxin.Date{}, false, cellErr("", "roster.date.invalid", s)
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		if !allASCIIDigits(p) || len(p) > 4 || i > 0 && len(p) > 2 {
			return nuanxin.Date{}, false, cellErr("", "roster.date.invalid", s)
		}
		nums[i], _ = strconv.Atoi(p)
	}
	if len(parts[0]) != 4 { // 05/03/2024 or 85.3.5: day-first or a two-digit year
		return nuanxin.Date{}, false, cellErr("", "roster.date.invalid", s)
	}
	y, m := nums[0], nums[1]
	if y < 1900 || y > 2100 {
		return nuanxin.Date{}, false, cellErr("", "roster.date.year_range", s, y)
	}
	if m < 1 || m > 12 {
		return nuanxin.Date{}, false, cellErr("", "roster.date.month", s, m)
	}
	if len(nums) == 2 {
		return nuanxin.NewDate(y, time.Month(m), 1), true, nil
	}
	d := nums[2]
	if d < 1 || d > daysInMonth(y, m) {
		return nuanxin.Date{}, false, cellErr("", "roster.date.day", s, y, m, d)
	}
	return nuanxin.NewDate(y, time.Month(m), d), false, nil
}

// civilDate is the date z days after 1970-01-01 (Hinnant's days-to-civil
// algorithm): integer arithmetic, a million times faster to call than
// building a time.Time.
func civilDate(z int) nuanxin.Date {
	z += 719468
	era := z / 146097
	if z < 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if mp >= 10 {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return nuanxin.Date{Year: y, Month: time.Month(m), Day: d}
}

func daysInMonth(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func allASCIIDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ---------------------------------------------------------------------------
// Enumerations.

// compactLower is the text with every space removed and ASCII lower-cased,
// for matching enumerations.
func compactLower(s string) string {
	s = NormalizeText(s)
	if strings.IndexByte(s, ' ') >= 0 {
		s = strings.ReplaceAll(s, " ", "")
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

var sexes = map[string]nuanxin.Sex{
	"男": nuanxin.Male, "男性": nuanxin.Male, "男士": nuanxin.Male, "m": nuanxin.Male, "male": nuanxin.Male,
	"女": nuanxin.Female, "女性": nuanxin.Female, "女士": nuanxin.Female, "f": nuanxin.Female, "female": nuanxin.Female,
	// GB/T 2261.1 codes, which systems export as numbers.
	"1": nuanxin.Male, "2": nuanxin.Female,
}

// ParseSex reads 男/女, 男性/女性, M/F, male/female and the national codes 1/2.
func ParseSex(s string) (nuanxin.Sex, error) {
	if v, ok := sexes[compactLower(s)]; ok {
		return v, nil
	}
	return "", cellErr(FieldSex, "roster.sex.invalid", NormalizeText(s))
}

var categories = map[string]nuanxin.Category{
	"在岗": nuanxin.CategoryActive, "在职": nuanxin.CategoryActive, "在编": nuanxin.CategoryActive,
	"正式工": nuanxin.CategoryActive, "合同工": nuanxin.CategoryActive, "合同制": nuanxin.CategoryActive,
	"职工": nuanxin.CategoryActive, "在岗职工": nuanxin.CategoryActive, "在职职工": nuanxin.CategoryActive,
	"在职人员": nuanxin.CategoryActive, "在岗人员": nuanxin.CategoryActive, "正式职工": nuanxin.CategoryActive,
	"合同制职工": nuanxin.CategoryActive, "劳动合同制": nuanxin.CategoryActive, "正式员工": nuanxin.CategoryActive,
	"歇岗": nuanxin.CategoryLaidOff, "待岗": nuanxin.CategoryLaidOff, "下岗": nuanxin.CategoryLaidOff,
	"内退": nuanxin.CategoryLaidOff, "内部退养": nuanxin.CategoryLaidOff, "歇岗人员": nuanxin.CategoryLaidOff,
	"下岗职工": nuanxin.CategoryLaidOff, "待岗人员": nuanxin.CategoryLaidOff,
	"退休": nuanxin.CategoryRetired, "离退休": nuanxin.CategoryRetired, "退休职工": nuanxin.CategoryRetired,
	"退休人员": nuanxin.CategoryRetired, "离休": nuanxin.CategoryRetired, "已退休": nuanxin.CategoryRetired,
	"劳务派遣": nuanxin.CategoryDispatched, "派遣": nuanxin.CategoryDispatched, "派遣工": nuanxin.CategoryDispatched,
	"劳务派遣工": nuanxin.CategoryDispatched, "派遣员工": nuanxin.CategoryDispatched, "劳务派遣人员": nuanxin.CategoryDispatched,
	"农民工": nuanxin.CategoryMigrant, "外来务工": nuanxin.CategoryMigrant, "外来务工人员": nuanxin.CategoryMigrant,
	"进城务工人员": nuanxin.CategoryMigrant,
}

// ParseCategory reads a 人员类别 as rosters write it (在职, 合同工, 内退,
// 派遣工 …) or its code (active …). The error lists the allowed values.
func ParseCategory(s string) (nuanxin.Category, error) {
	k := compactLower(s)
	if v, ok := categories[k]; ok {
		return v, nil
	}
	for _, c := range nuanxin.Categories {
		if k == string(c) || k == c.Label() {
			return c, nil
		}
	}
	return "", cellErr(FieldCategory, "roster.category.invalid", NormalizeText(s), labels(nuanxin.Categories))
}

var statuses = map[string]nuanxin.MemberStatus{
	"在会": nuanxin.StatusMember, "正常": nuanxin.StatusMember, "会员": nuanxin.StatusMember, "在册": nuanxin.StatusMember,
	"保留会籍": nuanxin.StatusReserved, "保留": nuanxin.StatusReserved,
	"转出": nuanxin.StatusTransferred, "已转出": nuanxin.StatusTransferred,
	"退会": nuanxin.StatusWithdrawn, "已退会": nuanxin.StatusWithdrawn,
	"去世": nuanxin.StatusDeceased, "已故": nuanxin.StatusDeceased, "死亡": nuanxin.StatusDeceased,
	"已去世": nuanxin.StatusDeceased, "病故": nuanxin.StatusDeceased, "亡故": nuanxin.StatusDeceased,
}

// ParseStatus reads a 会籍状态 (在会/正常, 保留会籍, 转出, 退会, 去世/已故 …)
// or its code.
func ParseStatus(s string) (nuanxin.MemberStatus, error) {
	k := compactLower(s)
	if v, ok := statuses[k]; ok {
		return v, nil
	}
	for _, st := range nuanxin.MemberStatuses {
		if k == string(st) || k == st.Label() {
			return st, nil
		}
	}
	return "", cellErr(FieldStatus, "roster.status.invalid", NormalizeText(s), labels(nuanxin.MemberStatuses))
}

func labels[T interface{ Label() string }](all []T) string {
	out := make([]string, len(all))
	for i, v := range all {
		out[i] = v.Label()
	}
	return strings.Join(out, "、")
}

// ---------------------------------------------------------------------------
// 身份证号 and phone.

// ParseIDCell returns the 18-character 身份证号 of a cell. The parsing and
// the messages are nuanxin.ParseIDNumber's, including the two ways Excel
// destroys a number (scientific notation, digits past the 15th zeroed). A
// numeric cell of 16+ digits that fails the checksum was damaged the same
// way even when its tail is not zeros: it is rejected, never "fixed".
func ParseIDCell(c Cell) (string, error) {
	id, err := parseIDCell(c)
	return id.Number, err
}

func parseIDCell(c Cell) (nuanxin.IDNumber, error) {
	s := NormalizeText(c.Value)
	id, err := nuanxin.ParseIDNumber(s)
	if c.Kind != CellNumber {
		return id, err
	}
	if err == nil {
		// An 18-digit number is past a float's precision: a program that
		// went through one writes a multiple of 64 (the spacing of floats
		// there), and one time in eleven the wrong number passes the
		// checksum. Such a cell cannot be trusted; one written from an
		// integer can, unless it too is a multiple of 64 (one in 64).
		if len(s) == 18 && allASCIIDigits(s) {
			if n, _ := strconv.Atoi(s[12:]); n%64 == 0 {
				return nuanxin.IDNumber{}, cellErr(FieldIDNumber, "roster.id.numeric")
			}
		}
		return id, nil
	}
	if e, ok := err.(*nuanxin.Error); ok && e.Key == "id.checksum" {
		digits := strings.TrimSuffix(s, ".0")
		if allASCIIDigits(digits) && len(digits) >= 16 {
			if strings.HasSuffix(digits, "0") {
				return id, cellErr(FieldIDNumber, "id.excel_zeroed")
			}
			return id, cellErr(FieldIDNumber, "roster.id.numeric")
		}
	}
	return id, err
}

// ParsePhoneCell returns a cell's phone number in its stored form
// (nuanxin.NormalizePhone). A phone kept as a number works, including the
// scientific form 1.3812345678E+10, which still holds all 11 digits and is
// expanded exactly from its digits (never through a float). Scientific
// text that has lost digits (1.38123E+10, from a CSV) is refused.
func ParsePhoneCell(c Cell) (string, error) {
	s := NormalizeText(c.Value)
	if len(s) == 11 && s[0] == '1' && s[1] >= '3' && allASCIIDigits(s) {
		return s, nil // a plain mobile number, as NormalizePhone would return it
	}
	if digits, implied, ok := expandScientific(s); ok {
		if implied > 0 && c.Kind != CellNumber {
			return "", cellErr(FieldPhone, "roster.phone.scientific", s)
		}
		s = digits
	} else if c.Kind == CellNumber && strings.ContainsAny(s, "Ee") {
		return "", nuanxin.Invalid(string(FieldPhone), "phone.invalid") // 1.5E-3: no phone number
	}
	return nuanxin.NormalizePhone(s)
}

// expandScientific writes a number in scientific notation ("1.3812345678E+10")
// as the integer it is. implied counts the zeros the notation added (digits
// it does not hold). ok is false when s is not scientific or not an integer.
func expandScientific(s string) (digits string, implied int, ok bool) {
	i := strings.IndexByte(s, 'E')
	if i < 0 {
		i = strings.IndexByte(s, 'e')
	}
	if i <= 0 {
		return "", 0, false
	}
	mant, exp := s[:i], strings.TrimPrefix(s[i+1:], "+")
	e, err := strconv.Atoi(exp)
	if err != nil || e < 0 || e > 30 || !allASCIIDigits(exp) {
		return "", 0, false
	}
	ip, fp, _ := strings.Cut(mant, ".")
	if !allASCIIDigits(ip) || fp != "" && !allASCIIDigits(fp) {
		return "", 0, false
	}
	fp = strings.TrimRight(fp, "0")
	if len(fp) > e {
		return "", 0, false // not an integer
	}
	implied = e - len(fp)
	digits = strings.TrimLeft(ip+fp+strings.Repeat("0", implied), "0")
	return digits, implied, digits != ""
}

// ---------------------------------------------------------------------------
// Money.

// maxYuan bounds amounts far above any care payment, and far below int64 fen.
const maxYuan = 1_000_000_000_000

// ParseAmount reads an amount in yuan as officers write it: 1200,
// 1,200.50, 1200元, ￥1,200, ¥1200.5, 1200.00元, 1.2万, 1.2万元 and the
// Chinese capital form 壹仟贰佰元整 (also 伍角, 壹万零伍拾元伍角陆分). The
// result is in fen. Digits are parsed, never a float; a third decimal
// (below 1 fen) and a negative amount are errors, not rounded.
func ParseAmount(s string) (nuanxin.Money, error) {
	t := strings.ReplaceAll(NormalizeText(s), " ", "")
	if t == "" {
		return 0, cellErr("amount", "roster.amount.empty")
	}
	seen := NormalizeText(s)
	for _, p := range []string{"人民币", "RMB", "rmb", "CNY", "cny", "￥", "¥"} {
		t = strings.TrimPrefix(t, p)
	}
	if strings.HasPrefix(t, "-") || strings.HasPrefix(t, "−") || strings.HasPrefix(t, "(") && strings.HasSuffix(t, ")") {
		return 0, cellErr("amount", "roster.amount.negative", seen)
	}
	if strings.ContainsAny(t, chineseNumerals) {
		return parseChineseAmount(t, seen)
	}
	for _, suf := range []string{"元整", "元正", "圆整", "元", "圆", "块"} {
		if strings.HasSuffix(t, suf) {
			t = strings.TrimSuffix(t, suf)
			break
		}
	}
	scale := 0 // powers of ten the written number is multiplied by
	if strings.HasSuffix(t, "万") {
		t, scale = strings.TrimSuffix(t, "万"), 4
	}
	ip, fp, hasPoint := strings.Cut(t, ".")
	ip = strings.ReplaceAll(ip, ",", "")
	if ip == "" && hasPoint && fp != "" {
		ip = "0" // .5
	}
	if !allASCIIDigits(ip) || hasPoint && fp != "" && !allASCIIDigits(fp) {
		return 0, cellErr("amount", "roster.amount.invalid", seen)
	}
	// Yuan to fen is two more places; 万 adds four.
	if len(strings.TrimRight(fp, "0")) > 2+scale {
		return 0, cellErr("amount", "roster.amount.decimals", seen)
	}
	ip = strings.TrimLeft(ip, "0")
	if len(ip)+scale > 12 {
		return 0, cellErr("amount", "roster.amount.too_large", seen)
	}
	fp = (fp + strings.Repeat("0", 2+scale))[:2+scale]
	fen, _ := strconv.ParseInt("0"+ip+fp, 10, 64)
	if fen >= maxYuan*100 {
		return 0, cellErr("amount", "roster.amount.too_large", seen)
	}
	return nuanxin.Money(fen), nil
}

const chineseNumerals = "零〇壹贰叁肆伍陆柒捌玖一二两三四五六七八九拾佰仟十百千"

var chineseDigits = map[rune]int64{
	'零': 0, '〇': 0, '壹': 1, '一': 1, '贰': 2, '二': 2, '两': 2, '叁': 3, '三': 3, '肆': 4, '四': 4,
	'伍': 5, '五': 5, '陆': 6, '六': 6, '柒': 7, '七': 7, '捌': 8, '八': 8, '玖': 9, '九': 9,
}

var chineseUnits = map[rune]int64{'拾': 10, '十': 10, '佰': 100, '百': 100, '仟': 1000, '千': 1000}

// parseChineseAmount reads 壹万零伍拾元伍角陆分整.
func parseChineseAmount(t, seen string) (nuanxin.Money, error) {
	bad := func() (nuanxin.Money, error) { return 0, cellErr("amount", "roster.amount.invalid", seen) }
	t = strings.TrimRight(t, "整正")
	rs := []rune(t)
	var yi, wan, section int64 // parts above 亿, between 万 and 亿, below 万
	num := int64(-1)           // the digit waiting for its unit
	lastUnit := int64(10000)   // units in a section must fall: 仟 > 佰 > 拾
	i := 0
	afterZero := false
intPart:
	for ; i < len(rs); i++ {
		r := rs[i]
		if d, ok := chineseDigits[r]; ok {
			if num > 0 || num == 0 && d == 0 && !afterZero {
				return bad() // 壹贰: two digits without a unit between them
			}
			afterZero = d == 0
			num = d
			continue
		}
		afterZero = false
		if u, ok := chineseUnits[r]; ok {
			if u >= lastUnit {
				return bad()
			}
			n := num
			if n < 0 {
				n = 1 // 拾元 is ten yuan
			}
			if n == 0 {
				return bad()
			}
			section += n * u
			num, lastUnit = -1, u
			continue
		}
		switch r {
		case '万':
			v := section + max(num, 0)
			if v == 0 || wan != 0 {
				return bad()
			}
			wan, section, num, lastUnit = v, 0, -1, 10000
		case '亿':
			v := wan*10000 + section + max(num, 0)
			if v == 0 || yi != 0 {
				return bad()
			}
			yi, wan, section, num, lastUnit = v, 0, 0, -1, 10000
		case '元', '圆':
			i++
			break intPart
		case '角', '分':
			if yi == 0 && wan == 0 && section == 0 && num >= 0 {
				i, num = i-1, -1 // 伍角: no yuan at all; the digit is the 角's
				break intPart
			}
			return bad()
		default:
			return bad()
		}
	}
	yuan := yi*100_000_000 + wan*10000 + section + max(num, 0)
	if yuan >= maxYuan {
		return 0, cellErr("amount", "roster.amount.too_large", seen)
	}
	fen := yuan * 100
	// Below the yuan: [零][d角][零][d分].
	rest := rs[i:]
	if len(rest) > 0 && (rest[0] == '零' || rest[0] == '〇') {
		rest = rest[1:]
	}
	jiao, fenSeen := false, false
	for len(rest) > 0 {
		d, ok := chineseDigits[rest[0]]
		if !ok || len(rest) < 2 {
			return bad()
		}
		switch {
		case rest[1] == '角' && !jiao && !fenSeen:
			fen += d * 10
			jiao = true
		case rest[1] == '分' && !fenSeen:
			fen += d
			fenSeen = true
		default:
			return bad()
		}
		rest = rest[2:]
		if len(rest) > 0 && (rest[0] == '零' || rest[0] == '〇') && !fenSeen {
			rest = rest[1:]
		}
	}
	if fen == 0 && !strings.ContainsAny(t, "零〇") {
		return bad()
	}
	return nuanxin.Money(fen), nil
}

func init() {
	nuanxin.RegisterMessages(map[string]string{
		"roster.date.invalid":     "“%s”不是可以识别的日期，请填写如 2024-03-05、2024/3/5 或 2024年3月5日",
		"roster.date.year_only":   "“%s”只有年份，请填写完整日期，如 2024-03-05",
		"roster.date.year_range":  "日期“%s”的年份%d不在1900年至2100年之间，请核对",
		"roster.date.month":       "日期“%s”中的月份%d不存在，请核对",
		"roster.date.day":         "日期“%s”不存在：%d年%d月没有%d日，请核对",
		"roster.date.serial":      "单元格中的数字“%s”不是有效的日期，请改为日期，如 2024-03-05",
		"roster.date.fake_leap":   "单元格显示为1900年2月29日，这一天并不存在（表格软件的历史遗留问题），请改为正确的日期",
		"roster.sex.invalid":      "性别“%s”无法识别，请填写“男”或“女”",
		"roster.category.invalid": "人员类别“%s”无法识别，请填写以下之一：%s",
		"roster.status.invalid":   "会籍状态“%s”无法识别，请填写以下之一：%s",
		"roster.id.numeric":       "身份证号码被表格当作数字存储，超过15位的数字已经不准确，无法恢复。请把该列单元格格式设为“文本”，再重新录入完整的18位号码",
		"roster.phone.scientific": "电话号码“%s”变成了科学计数法，后面的数字已经丢失。请把该列单元格格式设为“文本”，再重新录入完整的号码",
		"roster.amount.empty":     "请填写金额",
		"roster.amount.invalid":   "金额“%s”无法识别，请填写数字，如 1200 或 1200.50（也可写“壹仟贰佰元整”）",
		"roster.amount.decimals":  "金额“%s”的小数超过两位：金额只能精确到分，请核对",
		"roster.amount.negative":  "金额“%s”不能为负数，请核对",
		"roster.amount.too_large": "金额“%s”过大，请核对",
	})
}
