package nuanxin

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// IDNumber is a parsed 居民身份证号码.
type IDNumber struct {
	Number   string // normalised 18 characters, upper-case X
	Region   string // province name from the first two digits, e.g. 湖南省
	Birth    Date
	Sex      Sex
	Upgraded bool // given as a 15-digit number and upgraded to 18
}

// earliestBirth is the earliest birth date a 身份证号 may carry.
var earliestBirth = Date{1900, 1, 1}

// provinces maps the first two digits (GB/T 2260 province level) to the
// province name. 71 is Taiwan; 81, 82 and 83 are the 港澳台居民居住证 codes.
var provinces = [100]string{
	11: "北京市", 12: "天津市", 13: "河北省", 14: "山西省", 15: "内蒙古自治区",
	21: "辽宁省", 22: "吉林省", 23: "黑龙江省",
	31: "上海市", 32: "江苏省", 33: "浙江省", 34: "安徽省", 35: "福建省", 36: "江西省", 37: "山东省",
	41: "河南省", 42: "湖北省", 43: "湖南省", 44: "广东省", 45: "广西壮族自治区", 46: "海南省",
	50: "重庆市", 51: "四川省", 52: "贵州省", 53: "云南省", 54: "西藏自治区",
	61: "陕西省", 62: "甘肃省", 63: "青海省", 64: "宁夏回族自治区", 65: "新疆维吾尔自治区",
	71: "台湾省", 81: "香港特别行政区", 82: "澳门特别行政区", 83: "台湾省",
}

// ParseIDNumber parses a 身份证号 as officers type it or as rosters carry it:
// spaces anywhere (ASCII or full-width), full-width digits and X, lower-case
// x, a leading apostrophe or ="…" that Excel users add to force text. A
// 15-digit first-generation number is upgraded to 18 digits (Upgraded).
//
// Every failure is an *Error with Code EINVALID, Field "id_number" and a key
// of its own, so the officer learns what is wrong and what to do, including
// the two ways Excel destroys the number (scientific notation and the digits
// beyond the 15th turned into zeros).
func ParseIDNumber(s string) (IDNumber, error) {
	return parseIDNumber(s, Today())
}

func parseIDNumber(s string, today Date) (IDNumber, error) {
	n := foldIDNumber(s)
	if n == "" {
		return IDNumber{}, idInvalid("id.empty")
	}
	if isScientific(n) {
		return IDNumber{}, idInvalid("id.excel_scientific")
	}
	count := 0
	for i, r := range n {
		count++
		switch {
		case r >= '0' && r <= '9':
		case r == 'X' && i == len(n)-1:
		default:
			return IDNumber{}, idInvalid("id.bad_char", describeRune(r))
		}
	}
	upgraded := false
	switch count {
	case 18:
	case 15:
		upgraded = true
	default:
		return IDNumber{}, idInvalid("id.length", count)
	}
	if upgraded && n[14] == 'X' {
		return IDNumber{}, idInvalid("id.bad_char", "X")
	}

	code := int(n[0]-'0')*10 + int(n[1]-'0')
	region := provinces[code]
	if region == "" {
		return IDNumber{}, idInvalid("id.region", n[:2])
	}

	var birthDigits string
	var birth Date
	var ok bool
	if upgraded {
		birthDigits = n[6:12]
		birth, ok = parseYMD("19" + birthDigits)
	} else {
		birthDigits = n[6:14]
		birth, ok = parseYMD(birthDigits)
	}
	if !ok {
		return IDNumber{}, idInvalid("id.birth", birthDigits)
	}
	if birth.Before(earliestBirth) {
		return IDNumber{}, idInvalid("id.birth_too_early", birth.Chinese())
	}
	if birth.After(today) {
		return IDNumber{}, idInvalid("id.birth_future", birth.Chinese())
	}

	if upgraded {
		first17 := n[:6] + "19" + n[6:]
		n = first17 + string(IDCheckDigit(first17))
	} else if IDCheckDigit(n[:17]) != n[17] {
		if strings.HasSuffix(n, "000") {
			return IDNumber{}, idInvalid("id.excel_zeroed")
		}
		return IDNumber{}, idInvalid("id.checksum")
	}

	sex := Female
	if (n[16]-'0')%2 == 1 {
		sex = Male
	}
	return IDNumber{Number: n, Region: region, Birth: birth, Sex: sex, Upgraded: upgraded}, nil
}

func idInvalid(key string, args ...any) *Error { return Invalid("id_number", key, args...) }

// idWeights are the ISO 7064 MOD 11-2 weights 2^(17-i) mod 11 of the first
// 17 digits.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// IDCheckDigit returns the ISO 7064 MOD 11-2 check character ('0'–'9' or
// 'X') of the first 17 digits of a 身份证号, or 0 when first17 is not
// exactly 17 ASCII digits.
func IDCheckDigit(first17 string) byte {
	if len(first17) != 17 {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0
		}
		sum += int(c-'0') * idWeights[i]
	}
	return "10X98765432"[sum%11]
}

// foldIDNumber removes every kind of space and invisible character, maps
// full-width forms to ASCII, upper-cases x and strips the wrappers people
// use to keep Excel from turning the number into a float.
func foldIDNumber(s string) string {
	if len(s) == 18 && isPlainID(s) {
		return s // fast path: the roster already holds clean numbers
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII
			r -= 0xFEE0
		}
		if unicode.IsSpace(r) || isInvisible(r) {
			continue
		}
		if r == 'x' {
			r = 'X'
		}
		b.WriteRune(r)
	}
	t := b.String()
	// ="430102…" (CSV formula trick) and "430102…" (quoted), then '430102…
	// (the apostrophe that forces text in Excel and WPS).
	t = strings.TrimPrefix(t, "=")
	if len(t) >= 2 && t[0] == '"' && t[len(t)-1] == '"' {
		t = t[1 : len(t)-1]
	}
	for _, p := range []string{"'", "‘", "’", "`"} {
		if strings.HasPrefix(t, p) {
			t = t[len(p):]
			break
		}
	}
	return t
}

func isPlainID(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && !(c == 'X' && i == len(s)-1) {
			return false
		}
	}
	return true
}

// isInvisible reports zero-width characters and the byte-order mark that
// text copied from web pages and Word documents carries.
func isInvisible(r rune) bool {
	switch r {
	case '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD':
		return true
	}
	return false
}

// isScientific reports Excel's scientific notation of a number: 4.30102E+17,
// 4,30102E+17 (comma locales), 4.30102198503E+17, 4E17.
func isScientific(s string) bool {
	i := strings.IndexAny(s, "Ee")
	if i <= 0 || i == len(s)-1 {
		return false
	}
	mant, exp := s[:i], s[i+1:]
	exp = strings.TrimPrefix(exp, "+")
	if !allDigits(exp) {
		return false
	}
	if j := strings.IndexAny(mant, ".,"); j >= 0 {
		return j > 0 && allDigits(mant[:j]) && allDigits(mant[j+1:])
	}
	return allDigits(mant)
}

func allDigits(s string) bool {
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

// parseYMD parses 8 ASCII digits YYYYMMDD into a real calendar date.
func parseYMD(s string) (Date, bool) {
	if len(s) != 8 || !allDigits(s) {
		return Date{}, false
	}
	atoi := func(t string) int {
		v := 0
		for i := 0; i < len(t); i++ {
			v = v*10 + int(t[i]-'0')
		}
		return v
	}
	y, m, d := atoi(s[:4]), atoi(s[4:6]), atoi(s[6:])
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return Date{}, false
	}
	return NewDate(y, time.Month(m), d), true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// describeRune renders a character for a message: itself when visible,
// U+XXXX otherwise (a control character or an invalid byte).
func describeRune(r rune) string {
	if r == utf8.RuneError {
		return "无法识别的字符"
	}
	if unicode.IsPrint(r) {
		return string(r)
	}
	return fmt.Sprintf("U+%04X", r)
}
