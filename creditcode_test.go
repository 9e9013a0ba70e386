package nuanxin

import (
	"strings"
	"testing"
)

func TestValidateCreditCode(t *testing.T) {
	valid := []string{
		"91350100M000100Y43", // the example printed in GB 32100-2015
		"914403001922038216", // 华为技术有限公司
		"9144030071526726XG", // 深圳市腾讯计算机系统有限公司
		"91110000802100433B",
		" 9144 0300 1922 0382 16 ",
		"9144030071526726xg",
		"914403-0019220382-16",
		"９１４４０３００１９２２０３８２１６",
		"\u30009144030071526726XG\u3000",
	}
	for _, s := range valid {
		if err := ValidateCreditCode(s); err != nil {
			t.Errorf("ValidateCreditCode(%q) = %v", s, err)
		}
	}
	// A code made with CreditCheckChar is valid, and so are codes whose
	// check character is 0 (31 - 0 mod 31).
	for _, p := range []string{"11100000000013127", "51110000500000420", "91430100MA4L16JQ9"} {
		c := p + string(CreditCheckChar(p))
		if err := ValidateCreditCode(c); err != nil {
			t.Errorf("ValidateCreditCode(%q) = %v", c, err)
		}
	}
	if got := CreditCheckChar("11100000000013127"); got != 'D' {
		t.Errorf("CreditCheckChar = %q, want D", got)
	}
	invalid := []string{
		"",
		"91350100M000100Y4",   // 17
		"91350100M000100Y433", // 19
		"91350100M000100Y44",  // wrong check
		"914403001922038217",  // wrong check
		"91440300192203821I",  // I is not in the alphabet
		"9144030O1922038216",  // O for 0
		"91440300192203821S",  // S
		"9144030Z1922038216",  // Z
		"91440300V922038216",  // V
		"九一四四〇三〇〇一九二二〇三八二一六", // Chinese numerals
		"914403001922038216\xff",
	}
	for _, s := range invalid {
		err := ValidateCreditCode(s)
		e, ok := err.(*Error)
		if !ok || e.Code != EINVALID || e.Field != "credit_code" || e.Key != "org.credit_code.invalid" {
			t.Errorf("ValidateCreditCode(%q) = %#v, want invalid credit_code", s, err)
		}
	}
	// Every single-character typo is caught.
	const good = "914403001922038216"
	for i := 0; i < 18; i++ {
		for _, c := range creditAlphabet {
			if byte(c) == good[i] {
				continue
			}
			bad := good[:i] + string(c) + good[i+1:]
			if ValidateCreditCode(bad) == nil {
				t.Fatalf("typo %s at %d accepted", bad, i)
			}
		}
	}
}

func TestNormalizeCreditCode(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{" 9144 0300 1922 0382 16 ", "914403001922038216"},
		{"9144030071526726xg", "9144030071526726XG"},
		{"９１４４０３００７１５２６７２６ＸＧ", "9144030071526726XG"},
		{"\u200b91350100M000100Y43\ufeff", "91350100M000100Y43"},
		{"", ""},
	} {
		if got := NormalizeCreditCode(tc.in); got != tc.want {
			t.Errorf("NormalizeCreditCode(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if msg := ErrorMessage(ValidateCreditCode("123")); !strings.Contains(msg, "统一社会信用代码") {
		t.Errorf("message %q", msg)
	}
}
