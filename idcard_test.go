package nuanxin

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

var idToday = Date{2025, 6, 15}

// checksumOK recomputes the check digit straight from ISO 7064 MOD 11-2,
// independently of IDCheckDigit: sum of d_i * 2^(17-i) mod 11, then the
// check c satisfies (sum + c) mod 11 == 1.
func checksumOK(n string) bool {
	if len(n) != 18 {
		return false
	}
	sum, w := 0, 1
	for i := 17; i >= 0; i-- {
		v := int(n[i] - '0')
		if i == 17 && n[i] == 'X' {
			v = 10
		}
		sum += v * w
		w = w * 2 % 11
	}
	return sum%11 == 1
}

func TestIDCheckDigit(t *testing.T) {
	// Hand-verified samples.
	for _, tc := range []struct {
		first17 string
		want    byte
	}{
		{"11010519491231002", 'X'}, // the sample printed in GB 11643
		{"43010219850101123", 'X'},
		{"44030419960229004", '7'},
		{"11010119000101001", '4'},
		{"65010219701015003", '9'},
		{"81000019800101002", '2'},
	} {
		if got := IDCheckDigit(tc.first17); got != tc.want {
			t.Errorf("IDCheckDigit(%s) = %q, want %q", tc.first17, got, tc.want)
		}
		if !checksumOK(tc.first17 + string(tc.want)) {
			t.Errorf("%s%c fails the reference checksum", tc.first17, tc.want)
		}
	}
	// Every prefix agrees with the reference formula.
	for i := range 2000 {
		p := []byte("43010219850101000")
		for j, k := 14, i; j < 17; j, k = j+1, k/10 {
			p[j] = byte('0' + k%10)
		}
		p[6] = byte('1' + i%2)
		n := string(p) + string(IDCheckDigit(string(p)))
		if !checksumOK(n) {
			t.Fatalf("IDCheckDigit(%s) gives %s, reference checksum fails", p, n)
		}
	}
	for _, bad := range []string{"", "1234", "4301021985010112", "430102198501011234", "4301021985010112a", "４30102198501011２"} {
		if got := IDCheckDigit(bad); got != 0 {
			t.Errorf("IDCheckDigit(%q) = %q, want 0", bad, got)
		}
	}
}

func TestParseIDNumberValid(t *testing.T) {
	computed := "43010219900307512" + string(IDCheckDigit("43010219900307512"))
	for _, tc := range []struct {
		name, in string
		want     IDNumber
	}{
		{"famous sample", "11010519491231002X",
			IDNumber{Number: "11010519491231002X", Region: "北京市", Birth: Date{1949, 12, 31}, Sex: Female}},
		{"computed check digit", computed,
			IDNumber{Number: computed, Region: "湖南省", Birth: Date{1990, 3, 7}, Sex: Female}},
		{"lower-case x", "11010519491231002x",
			IDNumber{Number: "11010519491231002X", Region: "北京市", Birth: Date{1949, 12, 31}, Sex: Female}},
		{"full-width digits and Ｘ", "１１０１０５１９４９１２３１００２Ｘ",
			IDNumber{Number: "11010519491231002X", Region: "北京市", Birth: Date{1949, 12, 31}, Sex: Female}},
		{"full-width ｘ", "11010519491231002ｘ",
			IDNumber{Number: "11010519491231002X", Region: "北京市", Birth: Date{1949, 12, 31}, Sex: Female}},
		{"spaces around and inside", "  430102 19850101 123X\t",
			IDNumber{Number: "43010219850101123X", Region: "湖南省", Birth: Date{1985, 1, 1}, Sex: Male}},
		{"ideographic spaces", "\u3000430102\u300019850101123X\u3000",
			IDNumber{Number: "43010219850101123X", Region: "湖南省", Birth: Date{1985, 1, 1}, Sex: Male}},
		{"nbsp and zero-width", "\u00a0430102\u200b19850101123X\ufeff",
			IDNumber{Number: "43010219850101123X", Region: "湖南省", Birth: Date{1985, 1, 1}, Sex: Male}},
		{"leading apostrophe", "'43010219850101123X",
			IDNumber{Number: "43010219850101123X", Region: "湖南省", Birth: Date{1985, 1, 1}, Sex: Male}},
		{"csv formula", `="43010219850101123X"`,
			IDNumber{Number: "43010219850101123X", Region: "湖南省", Birth: Date{1985, 1, 1}, Sex: Male}},
		{"leap day", "440304199602290047",
			IDNumber{Number: "440304199602290047", Region: "广东省", Birth: Date{1996, 2, 29}, Sex: Female}},
		{"born 1900-01-01", "110101190001010014",
			IDNumber{Number: "110101190001010014", Region: "北京市", Birth: Date{1900, 1, 1}, Sex: Male}},
		{"born today", "110105202506150013",
			IDNumber{Number: "110105202506150013", Region: "北京市", Birth: idToday, Sex: Male}},
		{"Xinjiang", "650102197010150039",
			IDNumber{Number: "650102197010150039", Region: "新疆维吾尔自治区", Birth: Date{1970, 10, 15}, Sex: Male}},
		{"Hong Kong residence permit", "810000198001010022",
			IDNumber{Number: "810000198001010022", Region: "香港特别行政区", Birth: Date{1980, 1, 1}, Sex: Female}},
		{"15-digit upgraded", "110105491231002",
			IDNumber{Number: "11010519491231002X", Region: "北京市", Birth: Date{1949, 12, 31}, Sex: Female, Upgraded: true}},
		{"15-digit full-width with spaces", " ４３０１０２ ８５０１０１ １２３ ",
			IDNumber{Number: "43010219850101123X", Region: "湖南省", Birth: Date{1985, 1, 1}, Sex: Male, Upgraded: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseIDNumber(tc.in, idToday)
			if err != nil {
				t.Fatalf("parse %q: %v", tc.in, err)
			}
			if got != tc.want {
				t.Fatalf("parse %q = %+v, want %+v", tc.in, got, tc.want)
			}
			if !checksumOK(got.Number) {
				t.Errorf("%s fails the reference checksum", got.Number)
			}
		})
	}
}

// MOD 11-2 catches every single-digit typo and every swap of two adjacent
// different digits.
func TestParseIDNumberCatchesEverySingleDigitTypo(t *testing.T) {
	valid := "43010219850101123X"
	caught := 0
	for i := 0; i < 17; i++ {
		for d := byte('0'); d <= '9'; d++ {
			if d == valid[i] {
				continue
			}
			typo := valid[:i] + string(d) + valid[i+1:]
			_, err := parseIDNumber(typo, idToday)
			if err == nil {
				t.Fatalf("typo %s at %d accepted", typo, i)
			}
			caught++
		}
	}
	if caught != 17*9 {
		t.Fatalf("caught %d typos", caught)
	}
	// Two adjacent digits swapped.
	swapped := "43010219850110123X"
	if _, err := parseIDNumber(swapped, idToday); errKey(err) != "id.checksum" {
		t.Fatalf("swap: got %v", err)
	}
}

func errKey(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}

func TestParseIDNumberErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in, key string
		args          []any
	}{
		{"empty", "", "id.empty", nil},
		{"only spaces", " \u3000 ", "id.empty", nil},
		{"17 digits", "43010219850101123", "id.length", []any{17}},
		{"19 digits", "430102198501011234X", "id.length", []any{19}},
		{"16 digits", "4301021985010112", "id.length", []any{16}},
		{"letter inside", "4301021985O101123X", "id.bad_char", []any{"O"}},
		{"X in the middle", "430102X9850101123X", "id.bad_char", []any{"X"}},
		{"X on a 15-digit number", "43010285010112X", "id.bad_char", []any{"X"}},
		{"dashes", "430102-19850101-123X", "id.bad_char", []any{"-"}},
		{"float from a spreadsheet", "430102850101123.0", "id.bad_char", []any{"."}},
		{"Chinese text", "身份证43010219850101123X", "id.bad_char", []any{"身"}},
		{"control character", "4301021985\x01\x0201123X", "id.bad_char", []any{"U+0001"}},
		{"invalid utf-8", "43010219850101123\xff", "id.bad_char", []any{"无法识别的字符"}},
		{"bad checksum", "430102198501011234", "id.checksum", nil},
		{"bad checksum X", "430102198501011230", "id.checksum", nil},
		{"region 00", "000102198501011230", "id.region", []any{"00"}},
		{"region 99", "990102198501011230", "id.region", []any{"99"}},
		{"region 16", "160102198501011230", "id.region", []any{"16"}},
		{"region 84", "840102198501011230", "id.region", []any{"84"}},
		{"month 13", "430102198513011230", "id.birth", []any{"19851301"}},
		{"day 32", "430102198501321230", "id.birth", []any{"19850132"}},
		{"29 Feb of a common year", "430102199502291230", "id.birth", []any{"19950229"}},
		{"29 Feb 1900 (not leap)", "430102190002291230", "id.birth", []any{"19000229"}},
		{"31 April", "430102198504311230", "id.birth", []any{"19850431"}},
		{"15-digit bad date", "430102850230123", "id.birth", []any{"850230"}},
		{"future birth", "430102202601011230", "id.birth_future", []any{"2026年1月1日"}},
		{"tomorrow", "110105202506160016", "id.birth_future", []any{"2025年6月16日"}},
		{"before 1900", "430102189912311230", "id.birth_too_early", []any{"1899年12月31日"}},
		{"excel scientific", "4.30102E+17", "id.excel_scientific", nil},
		{"excel scientific long", "4.30102198503E+17", "id.excel_scientific", nil},
		{"excel scientific lower", "4.30102e+17", "id.excel_scientific", nil},
		{"excel scientific comma", "4,30102E+17", "id.excel_scientific", nil},
		{"excel scientific full-width", "４．３０１０２Ｅ＋１７", "id.excel_scientific", nil},
		{"excel scientific 15-digit", "4.30102E+14", "id.excel_scientific", nil},
		{"excel zeroed", "430102198501011000", "id.excel_zeroed", nil},
		{"excel zeroed 4", "430102198501010000", "id.excel_zeroed", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseIDNumber(tc.in, idToday)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("parse %q: err = %v, want *Error", tc.in, err)
			}
			// member.go type-asserts, so the error must be an *Error itself.
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error is %T, not *Error", err)
			}
			if e.Code != EINVALID || e.Field != "id_number" || e.Key != tc.key {
				t.Fatalf("parse %q: got %s/%s/%s (%s), want invalid/id_number/%s", tc.in, e.Code, e.Field, e.Key, e.Error(), tc.key)
			}
			if len(e.Args) != len(tc.args) {
				t.Fatalf("args = %v, want %v", e.Args, tc.args)
			}
			for i := range tc.args {
				if e.Args[i] != tc.args[i] {
					t.Fatalf("args = %v, want %v", e.Args, tc.args)
				}
			}
			msg := e.Error()
			if !HasMessage(tc.key) || strings.Contains(msg, "%!") || !utf8.ValidString(msg) {
				t.Fatalf("bad message for %s: %q", tc.key, msg)
			}
		})
	}
}

// A valid number that happens to end in 0000 is not mistaken for Excel
// damage: only a failing checksum is.
func TestParseIDNumberValidEndingInZeros(t *testing.T) {
	for _, n := range []string{"430102198501030000", "430102198501110000"} {
		got, err := parseIDNumber(n, idToday)
		if err != nil || got.Number != n || got.Sex != Female {
			t.Errorf("parse %s: %+v, %v", n, got, err)
		}
	}
}

func TestParseIDNumberMessages(t *testing.T) {
	_, err := parseIDNumber("43010219850101123", idToday)
	if msg := ErrorMessage(err); !strings.Contains(msg, "17位") || !strings.Contains(msg, "18位") {
		t.Errorf("length message %q does not say how many characters were given", msg)
	}
	_, err = parseIDNumber("430102198501011234", idToday)
	if msg := ErrorMessage(err); !strings.Contains(msg, "输错") {
		t.Errorf("checksum message %q does not say it is mistyped", msg)
	}
	for _, in := range []string{"4.30102E+17", "430102198501011000"} {
		_, err = parseIDNumber(in, idToday)
		msg := ErrorMessage(err)
		if !strings.Contains(msg, "文本") || !strings.Contains(msg, "丢失") || !strings.Contains(msg, "重新录入") {
			t.Errorf("excel message %q must say the digits were lost, set the column to 文本 and re-enter", msg)
		}
	}
}

func TestParseIDNumberUsesToday(t *testing.T) {
	if _, err := ParseIDNumber("11010519491231002X"); err != nil {
		t.Fatal(err)
	}
	next := Today().AddDays(1)
	p := "110105" + strings.ReplaceAll(next.String(), "-", "") + "001"
	_, err := ParseIDNumber(p + string(IDCheckDigit(p)))
	if errKey(err) != "id.birth_future" {
		t.Fatalf("tomorrow's birth: %v", err)
	}
}

func TestMemberNormalizeUsesIDNumber(t *testing.T) {
	m := &Member{Name: " 张 三 ", IDNumber: " 110105491231002 ", Phone: "+86 138-1234-5678"}
	m.Normalize()
	if m.IDNumber != "11010519491231002X" || m.BirthDate != (Date{1949, 12, 31}) || m.Sex != Female {
		t.Fatalf("normalize: %+v", m)
	}
	if m.Phone != "13812345678" || m.Name != "张三" {
		t.Fatalf("normalize: phone %q name %q", m.Phone, m.Name)
	}
	if err := m.Validate(true, idToday); err != nil {
		t.Fatalf("validate: %v", err)
	}
	m.IDNumber = "4.30102E+17"
	fe := AsFieldErrors(m.Validate(true, idToday))
	if len(fe) != 1 || fe[0].Key != "id.excel_scientific" || fe[0].Field != "id_number" {
		t.Fatalf("validate excel: %v", fe)
	}
}

func FuzzParseIDNumber(f *testing.F) {
	for _, s := range []string{
		"11010519491231002X", "11010519491231002x", "110105491231002", "430102850101123",
		"１１０１０５１９４９１２３１００２Ｘ", " 430102 19850101 123X ", "\u3000430102198501011230",
		"4.30102E+17", "4.30102198503E+17", "430102198501011000", "430102199502291230",
		"990102198501011230", "430102202601011230", `="43010219850101123X"`, "'43010219850101123X",
		"", "X", "e", "1e1", ".E+", "4,E+1", "\xff\xfe", "43010219850101123\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseIDNumber(s)
		if err != nil {
			e, ok := err.(*Error)
			if !ok || e.Code != EINVALID || e.Field != "id_number" || !HasMessage(e.Key) {
				t.Fatalf("ParseIDNumber(%q): bad error %#v", s, err)
			}
			return
		}
		if len(id.Number) != 18 || !checksumOK(id.Number) {
			t.Fatalf("ParseIDNumber(%q) = %q: not 18 chars with a valid checksum", s, id.Number)
		}
		if id.Region == "" || id.Birth.Before(earliestBirth) || id.Birth.After(Today()) {
			t.Fatalf("ParseIDNumber(%q) = %+v", s, id)
		}
		again, err := ParseIDNumber(id.Number)
		if err != nil {
			t.Fatalf("re-parse %q: %v", id.Number, err)
		}
		again.Upgraded = id.Upgraded
		if again != id {
			t.Fatalf("re-parse %q = %+v, want %+v", id.Number, again, id)
		}
		if m := MaskIDNumber(id.Number); utf8.RuneCountInString(m) != 18 || m[6:14] != "********" {
			t.Fatalf("mask %q = %q", id.Number, m)
		}
	})
}

func BenchmarkParseIDNumber(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseIDNumber("43010219850101123X"); err != nil {
			b.Fatal(err)
		}
	}
}
