package nuanxin

import (
	"strings"
	"unicode"
)

// creditAlphabet is the character set of the 统一社会信用代码 (GB 32100-2015):
// digits and the capitals without I, O, Z, S and V. A character's value is
// its index.
const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// creditValue maps an ASCII byte to its value in creditAlphabet, -1 if none.
var creditValue = func() (v [256]int8) {
	for i := range v {
		v[i] = -1
	}
	for i := 0; i < len(creditAlphabet); i++ {
		v[creditAlphabet[i]] = int8(i)
	}
	return v
}()

// NormalizeCreditCode returns a 统一社会信用代码 as stored: spaces and
// invisible characters removed, full-width forms mapped to ASCII, letters
// upper-cased. It does not validate.
func NormalizeCreditCode(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		if unicode.IsSpace(r) || isInvisible(r) || r == '-' {
			continue
		}
		if r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ValidateCreditCode checks a 统一社会信用代码 (GB 32100-2015): 18 characters
// of the code's alphabet whose last one is the MOD 31 check character of the
// first 17. Input is normalised first (NormalizeCreditCode). The field is
// optional on an org, so callers skip it when empty; an empty code is not
// valid. The error is an *Error with Code EINVALID, Field "credit_code".
func ValidateCreditCode(s string) error {
	c := NormalizeCreditCode(s)
	if len(c) != 18 || creditValue[c[17]] < 0 {
		return creditInvalid()
	}
	if check := CreditCheckChar(c[:17]); check == 0 || check != c[17] {
		return creditInvalid()
	}
	return nil
}

// CreditCheckChar returns the check character of the first 17 characters of
// a 统一社会信用代码, or 0 when first17 is not 17 characters of its alphabet.
// Tests and the demo generator use it to make valid codes.
func CreditCheckChar(first17 string) byte {
	if len(first17) != 17 {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := creditValue[first17[i]]
		if v < 0 {
			return 0
		}
		sum += int(v) * creditWeights[i]
	}
	return creditAlphabet[(31-sum%31)%31]
}

func creditInvalid() *Error { return Invalid("credit_code", "org.credit_code.invalid") }
