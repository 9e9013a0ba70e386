package nuanxin

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaskIDNumber shows a 身份证号 the way every list and export shows it by
// default: the 6-digit region, eight stars and the last four
// (430102********1234). Anything that is not 18 characters keeps only its
// last four characters visible; "" stays "".
func MaskIDNumber(n string) string {
	n = strings.TrimSpace(n)
	if n == "" {
		return ""
	}
	r := []rune(n)
	if len(r) == 18 {
		return string(r[:6]) + "********" + string(r[14:])
	}
	return maskAllButLast(r, 4)
}

// MaskPhone shows a phone number masked: a mobile as 138****5678, a fixed
// line with its area code and the last four digits of the local number
// (0731-****7890, the extension dropped). A value that is not a valid
// number keeps only its last four characters visible; "" stays "".
func MaskPhone(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	p, err := NormalizePhone(s)
	if err != nil {
		return maskAllButLast([]rune(strings.TrimSpace(s)), 4)
	}
	if p[0] == '1' {
		return p[:3] + "****" + p[7:]
	}
	parts := strings.SplitN(p, "-", 3)
	local := parts[1]
	return parts[0] + "-" + strings.Repeat("*", len(local)-4) + local[len(local)-4:]
}

func maskAllButLast(r []rune, keep int) string {
	if len(r) <= keep {
		return string(r)
	}
	return strings.Repeat("*", len(r)-keep) + string(r[len(r)-keep:])
}

// MaskName masks a name for a published list (公示): 张* for two
// characters, 张*三 for three, and for longer names the first and last
// character with a star for each one between (司**如). A minority or
// foreign name written with a middle dot is masked part by part and keeps
// its dot (阿**拉·艾*孜); a name in Latin letters is masked word by word.
// A one-character name is shown as it is; "" stays "".
func MaskName(s string) string {
	s = normalizeName(s)
	if s == "" {
		return ""
	}
	if strings.ContainsFunc(s, isNameDot) {
		parts := strings.FieldsFunc(s, isNameDot)
		for i, p := range parts {
			parts[i] = maskNamePart(strings.TrimSpace(p))
		}
		return strings.Join(parts, "·")
	}
	if strings.ContainsFunc(s, unicode.IsSpace) {
		words := strings.Fields(s)
		for i, w := range words {
			words[i] = maskNamePart(w)
		}
		return strings.Join(words, " ")
	}
	return maskNamePart(s)
}

func maskNamePart(p string) string {
	switch n := utf8.RuneCountInString(p); n {
	case 0, 1:
		return p
	case 2:
		first, _ := utf8.DecodeRuneInString(p)
		return string(first) + "*"
	default:
		first, _ := utf8.DecodeRuneInString(p)
		last, _ := utf8.DecodeLastRuneInString(p)
		return string(first) + strings.Repeat("*", n-2) + string(last)
	}
}

// isNameDot reports the middle dots used in minority and foreign names,
// including the look-alikes that input methods produce.
func isNameDot(r rune) bool {
	switch r {
	case '·', '•', '・', '･', '‧', '∙', '⋅', '●', '．', '.':
		return true
	}
	return false
}

// IsMaskedIDNumber recognises a 身份证号 as MaskIDNumber shows it
// (430102********1234), so a masked export edited and imported again is
// matched rather than rejected as a bad number.
func IsMaskedIDNumber(s string) bool {
	s = strings.TrimSpace(s)
	stars := strings.Count(s, "*")
	if stars < 4 || len(s) < 10 {
		return false
	}
	head, tail := s[:6], s[len(s)-4:]
	mid := s[6 : len(s)-4]
	return strings.Trim(mid, "*") == "" && isDigits(head) && isDigits(tail[:3]) && (isDigits(tail[3:]) || tail[3] == 'X' || tail[3] == 'x')
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
