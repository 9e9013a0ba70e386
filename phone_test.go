package nuanxin

import (
	"strings"
	"testing"
)

func TestNormalizePhoneValid(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		// Mobiles.
		{"13812345678", "13812345678"},
		{" 138 1234 5678 ", "13812345678"},
		{"138-1234-5678", "13812345678"},
		{"138—1234—5678", "13812345678"},
		{"138.1234.5678", "13812345678"},
		{"１３８１２３４５６７８", "13812345678"},
		{"１３８\u3000１２３４\u3000５６７８", "13812345678"},
		{"+8613812345678", "13812345678"},
		{"+86 138 1234 5678", "13812345678"},
		{"+86-138-1234-5678", "13812345678"},
		{"(+86)13812345678", "13812345678"},
		{"（＋86）138 1234 5678", "13812345678"},
		{"008613812345678", "13812345678"},
		{"0086 138 1234 5678", "13812345678"},
		{"86 13812345678", "13812345678"},
		{"8613812345678", "13812345678"},
		{"013812345678", "13812345678"},
		{"0138-1234-5678", "13812345678"},
		{"13812345678.0", "13812345678"},
		{"\u200b19912345678\ufeff", "19912345678"},
		{"16612345678", "16612345678"},
		// Fixed lines.
		{"0731-84567890", "0731-84567890"},
		{"0731 84567890", "0731-84567890"},
		{"073184567890", "0731-84567890"},
		{"(0731)84567890", "0731-84567890"},
		{"（0731）8456 7890", "0731-84567890"},
		{"0731-8456-7890", "0731-84567890"},
		{"０７３１－８４５６７８９０", "0731-84567890"},
		{"010-12345678", "010-12345678"},
		{"01012345678", "010-12345678"},
		{"021 6123 4567", "021-61234567"},
		{"02161234567", "021-61234567"},
		{"0755-2345678", "0755-2345678"},
		{"0731-84567890-123", "0731-84567890-123"},
		{"0731-84567890转123", "0731-84567890-123"},
		{"0731-84567890 转 8001", "0731-84567890-8001"},
		{"0731-84567890分机123", "0731-84567890-123"},
		{"0731-84567890 ext. 123", "0731-84567890-123"},
		{"0731-84567890x123", "0731-84567890-123"},
		{"0731-84567890#123", "0731-84567890-123"},
		{"+86 731 84567890", "0731-84567890"},
		{"+86-731-8456-7890", "0731-84567890"},
		{"+86 10 12345678", "010-12345678"},
		{"0086-21-61234567", "021-61234567"},
	} {
		got, err := NormalizePhone(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			continue
		}
		// Normalising the normal form gives it back.
		if again, err := NormalizePhone(got); err != nil || again != got {
			t.Errorf("NormalizePhone(%q) = %q, %v; not idempotent", got, again, err)
		}
	}
}

func TestNormalizePhoneErrors(t *testing.T) {
	for _, tc := range []struct {
		in, key string
		args    []any
	}{
		{"", "phone.empty", nil},
		{"  ", "phone.empty", nil},
		{"1381234567", "phone.mobile_length", []any{10}},
		{"138123456789", "phone.mobile_length", []any{12}},
		{"12812345678", "phone.mobile_prefix", []any{"12"}},
		{"10086123456", "phone.mobile_prefix", []any{"10"}},
		{"13812345678转1", "phone.mobile_extension", nil},
		{"+1 415 555 0100", "phone.foreign", nil},
		{"+852 2123 4567", "phone.foreign", nil},
		{"00852 21234567", "phone.foreign", nil},
		{"138abc45678", "phone.bad_char", []any{"a"}},
		{"138 1234 5678（张三）", "phone.bad_char", []any{"张"}},
		{"84567890", "phone.no_area_code", nil},
		{"8456789", "phone.no_area_code", nil},
		{"0231-84567890", "phone.area_code", []any{"0231"}},
		{"0131-84567890", "phone.area_code", []any{"0131"}},
		{"00731-84567890", "phone.foreign", nil},
		{"031-84567890", "phone.area_code", []any{"031"}},
		{"0731-845678", "phone.local", nil},
		{"0731-845678901", "phone.local", nil},
		{"0731-04567890", "phone.local", nil},
		{"0731", "phone.local", nil},
		{"0731-84567890-1234567", "phone.extension", nil},
		{"0731-84567890转", "phone.extension", nil},
		{"0731-84567890转abc", "phone.extension", nil},
		{"0731-8456-7890-12-34", "phone.local", nil},
		{"4008208820", "phone.invalid", nil},
		{"---", "phone.empty", nil},
		{"+86", "phone.invalid", nil},
		{"138+1234+5678", "phone.bad_char", []any{"+"}},
	} {
		got, err := NormalizePhone(tc.in)
		e, ok := err.(*Error)
		if !ok {
			t.Errorf("NormalizePhone(%q) = %q, %v; want error %s", tc.in, got, err, tc.key)
			continue
		}
		if e.Code != EINVALID || e.Field != "phone" || e.Key != tc.key || got != "" {
			t.Errorf("NormalizePhone(%q) = %q, %s/%s/%s (%s); want invalid/phone/%s", tc.in, got, e.Code, e.Field, e.Key, e, tc.key)
			continue
		}
		if len(e.Args) != len(tc.args) {
			t.Errorf("NormalizePhone(%q) args %v, want %v", tc.in, e.Args, tc.args)
			continue
		}
		for i := range tc.args {
			if e.Args[i] != tc.args[i] {
				t.Errorf("NormalizePhone(%q) args %v, want %v", tc.in, e.Args, tc.args)
			}
		}
		if msg := e.Error(); !HasMessage(e.Key) || strings.Contains(msg, "%!") {
			t.Errorf("bad message for %s: %q", e.Key, msg)
		}
	}
}

func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{
		"13812345678", "+86 138 1234 5678", "0086-138-1234-5678", "86 13812345678", "013812345678",
		"0731-84567890", "(0731)84567890", "010-12345678-123", "0731-84567890转123", "+86 731 84567890",
		"１３８１２３４５６７８", "13812345678.0", "84567890", "+1 415 555 0100", "0731-8456-7890-12",
		"", "-", "+", "转", "x", "#1", "0-0", "+86", "0086", "8612345678901", "\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := NormalizePhone(s)
		if err != nil {
			e, ok := err.(*Error)
			if !ok || e.Code != EINVALID || e.Field != "phone" || !HasMessage(e.Key) || p != "" {
				t.Fatalf("NormalizePhone(%q) = %q, %#v", s, p, err)
			}
			return
		}
		if !validPhoneForm(p) {
			t.Fatalf("NormalizePhone(%q) = %q: not a normal form", s, p)
		}
		again, err := NormalizePhone(p)
		if err != nil || again != p {
			t.Fatalf("NormalizePhone(%q) = %q, %v; want %q", p, again, err, p)
		}
		m := MaskPhone(p)
		if p[0] == '1' {
			if m != p[:3]+"****"+p[7:] {
				t.Fatalf("MaskPhone(%q) = %q", p, m)
			}
		} else if parts := strings.Split(p, "-"); !strings.HasPrefix(m, parts[0]+"-***") || !strings.HasSuffix(m, parts[1][len(parts[1])-4:]) {
			t.Fatalf("MaskPhone(%q) = %q", p, m)
		}
	})
}

// validPhoneForm checks the normal forms independently of the parser.
func validPhoneForm(p string) bool {
	if len(p) == 11 && p[0] == '1' && p[1] >= '3' && allDigits(p) {
		return true
	}
	parts := strings.Split(p, "-")
	if len(parts) < 2 || len(parts) > 3 || !validAreaCode(parts[0]) || !allDigits(parts[0]) {
		return false
	}
	if l := parts[1]; len(l) < 7 || len(l) > 8 || l[0] == '0' || !allDigits(l) {
		return false
	}
	if len(parts) == 3 && (len(parts[2]) > 6 || !allDigits(parts[2])) {
		return false
	}
	return true
}
