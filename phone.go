package nuanxin

import (
	"strings"
	"unicode"
)

// NormalizePhone returns a mainland China phone number in its one stored
// form: a mobile as 11 digits (13812345678), a fixed line as area code, dash,
// local number and an optional extension (0731-84567890, 010-12345678-123).
//
// It accepts what people type: spaces and dashes anywhere, full-width
// digits, +86 / 0086 / 86 in front, (0731) around the area code, 转 / 分机 /
// ext / # before an extension, and an international fixed-line form
// without the trunk 0 (+86 731 8456 7890). Every failure is an *Error with
// Code EINVALID and Field "phone".
func NormalizePhone(s string) (string, error) {
	if isPlainMobile(s) { // as most cells hold it: nothing to fold (an import checks a million)
		return s, nil
	}
	// Excel and pandas turn a phone column into floats: 13812345678.0.
	s = strings.TrimSuffix(strings.TrimSpace(s), ".0")
	t, ext, err := foldPhone(s)
	if err != nil {
		return "", err
	}
	t = strings.Trim(t, "-")
	if t == "" {
		if ext != "" {
			return "", phoneInvalid("phone.invalid")
		}
		return "", phoneInvalid("phone.empty")
	}

	intl := false
	switch {
	case strings.HasPrefix(t, "+86"):
		t, intl = t[3:], true
	case strings.HasPrefix(t, "+"):
		return "", phoneInvalid("phone.foreign")
	case strings.HasPrefix(t, "0086"):
		t, intl = t[4:], true
	case strings.HasPrefix(t, "00"):
		return "", phoneInvalid("phone.foreign")
	}
	t = strings.Trim(t, "-")
	if strings.Contains(t, "+") {
		return "", phoneInvalid("phone.bad_char", "+")
	}
	parts := strings.FieldsFunc(t, func(r rune) bool { return r == '-' })
	digits := strings.Join(parts, "")
	if digits == "" {
		return "", phoneInvalid("phone.invalid")
	}

	// 86 13812345678: the country code without + or 00.
	if !intl && len(digits) == 13 && strings.HasPrefix(digits, "861") {
		digits, intl = digits[2:], true
		parts = []string{digits}
	}
	// 013812345678: a mobile dialled with the trunk 0 from another city
	// (but 0131-84567890 is written as a fixed line with a wrong area code).
	if !intl && len(digits) == 12 && strings.HasPrefix(digits, "01") && digits[2] >= '3' &&
		!(len(parts) == 2 && len(parts[0]) == 4) {
		digits = digits[1:]
		parts = []string{digits}
	}

	// A mobile starts 1[3-9]; after +86, 10 is Beijing's area code without its 0.
	if digits[0] == '1' && !(intl && strings.HasPrefix(digits, "10")) {
		if ext != "" {
			return "", phoneInvalid("phone.mobile_extension")
		}
		if len(digits) != 11 {
			return "", phoneInvalid("phone.mobile_length", len(digits))
		}
		if digits[1] < '3' {
			return "", phoneInvalid("phone.mobile_prefix", digits[:2])
		}
		return digits, nil
	}

	if intl && digits[0] != '0' {
		parts[0] = "0" + parts[0]
		digits = "0" + digits
	}
	if digits[0] != '0' {
		if len(digits) >= 7 && len(digits) <= 8 {
			return "", phoneInvalid("phone.no_area_code")
		}
		return "", phoneInvalid("phone.invalid")
	}
	return normalizeFixedLine(parts, digits, ext)
}

// normalizeFixedLine builds area-local[-ext] from the dash-separated parts
// (when the officer separated them) or from the digits alone.
func normalizeFixedLine(parts []string, digits, ext string) (string, error) {
	var area, local string
	if len(parts) == 1 {
		// No separators: the area code is 3 digits for 010 and 02X, 4 otherwise.
		n := 4
		if strings.HasPrefix(digits, "010") || strings.HasPrefix(digits, "02") {
			n = 3
		}
		if len(digits) <= n {
			return "", phoneInvalid("phone.local")
		}
		area, local = digits[:n], digits[n:]
	} else {
		area = parts[0]
		rest := parts[1:]
		for len(rest) > 0 && len(local) < 7 {
			local += rest[0]
			rest = rest[1:]
		}
		switch {
		case len(rest) == 1 && ext == "":
			ext = rest[0]
		case len(rest) > 0:
			return "", phoneInvalid("phone.local")
		}
	}
	if !validAreaCode(area) {
		return "", phoneInvalid("phone.area_code", area)
	}
	if len(local) < 7 || len(local) > 8 || local[0] == '0' {
		return "", phoneInvalid("phone.local")
	}
	if len(ext) > 6 {
		return "", phoneInvalid("phone.extension")
	}
	out := area + "-" + local
	if ext != "" {
		out += "-" + ext
	}
	return out, nil
}

// validAreaCode: 010 and 020–029 are the 3-digit codes; every other area
// code is 4 digits, 03XX to 09XX.
func validAreaCode(a string) bool {
	switch len(a) {
	case 3:
		return a == "010" || (a[0] == '0' && a[1] == '2')
	case 4:
		return a[0] == '0' && a[1] >= '3' && a[1] <= '9'
	}
	return false
}

// foldPhone maps full-width forms to ASCII, drops spaces, turns every dash
// and bracket into '-', and splits off an extension marked by 转, 分机, ext,
// x or #. It returns the digits with '-' and '+', and the extension digits.
func foldPhone(s string) (t, ext string, err error) {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		switch {
		case r >= '0' && r <= '9', r == '+':
			b.WriteRune(r)
		case unicode.IsSpace(r) || isInvisible(r) || r == '.':
			// 138.1234.5678 is written too; a dot is only a separator here.
		case r == '-' || r == '(' || r == ')' || r == '_' || r == '/' ||
			r == '\u2010' || r == '\u2011' || r == '\u2012' || r == '\u2013' || r == '\u2014' || r == '\u2015' ||
			r == '\u2212' || r == '\u30FC' || r == '【' || r == '】' || r == '〔' || r == '〕':
			b.WriteByte('-')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	t = b.String()
	for _, m := range []string{"转", "分机", "ext", "x", "#"} {
		if i := strings.Index(t, m); i >= 0 {
			t, ext = t[:i], strings.Trim(t[i+len(m):], "-")
			if !allDigits(ext) {
				return "", "", phoneInvalid("phone.extension")
			}
			break
		}
	}
	for _, r := range t {
		if (r < '0' || r > '9') && r != '-' && r != '+' {
			return "", "", phoneInvalid("phone.bad_char", describeRune(r))
		}
	}
	return t, ext, nil
}

func phoneInvalid(key string, args ...any) *Error { return Invalid("phone", key, args...) }

// isPlainMobile reports whether s is already a normalised mobile number:
// 11 ASCII digits, 1[3-9]….
func isPlainMobile(s string) bool {
	if len(s) != 11 || s[0] != '1' || s[1] < '3' {
		return false
	}
	for i := 2; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
