package roster

import (
	"testing"

	"github.com/nuanxin/nuanxin"
)

func TestExcelSerial(t *testing.T) {
	for _, c := range []struct {
		d    nuanxin.Date
		want int
		ok   bool
	}{
		{nuanxin.NewDate(2024, 3, 5), 45356, true},
		{nuanxin.NewDate(1900, 3, 1), 61, true},
		{nuanxin.NewDate(1970, 1, 1), 25569, true},
		{nuanxin.NewDate(1900, 2, 28), 0, false},
		{nuanxin.NewDate(1899, 12, 31), 0, false},
	} {
		got, ok := excelSerial(c.d)
		if got != c.want || ok != c.ok {
			t.Errorf("excelSerial(%v) = %d, %v; want %d, %v", c.d, got, ok, c.want, c.ok)
		}
	}
}

func TestAppendXMLText(t *testing.T) {
	for _, c := range []struct {
		in    string
		limit int
		want  string
	}{
		{"张三", 10, "张三"},
		{`a<b>&"c"`, 100, "a&lt;b&gt;&amp;&quot;c&quot;"},
		{"a\x00b\x1fc\td\ne\rf", 100, "abc\td\ne&#13;f"},
		{"bad\xffutf8\uFFFE\uFFFF（全角）", 100, "badutf8（全角）"},
		{"一二三四五", 3, "一二三"},
		{"a\x01bcd", 3, "abc"},
	} {
		if got := string(appendXMLText(nil, c.in, c.limit)); got != c.want {
			t.Errorf("appendXMLText(%q, %d) = %q, want %q", c.in, c.limit, got, c.want)
		}
	}
}

func TestSheetName(t *testing.T) {
	for _, c := range []struct{ name, suffix, want string }{
		{"会员花名册", "", "会员花名册"},
		{"会员花名册", "(2)", "会员花名册(2)"},
		{"a/b:c*d?[e]\\f", "", "a_b_c_d__e__f"},
		{"'quoted'", "", "quoted"},
		{"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二", "(12)", "一二三四五六七八九十一二三四五六七八九十一二三四五六七(12)"},
	} {
		if got := sheetName(c.name, c.suffix); got != c.want {
			t.Errorf("sheetName(%q, %q) = %q, want %q", c.name, c.suffix, got, c.want)
		}
	}
}

func TestDisplayWidth(t *testing.T) {
	if got := displayWidth("身份证号码X1"); got != 12 {
		t.Errorf("displayWidth = %d", got)
	}
}

func TestDateText(t *testing.T) {
	for _, d := range []nuanxin.Date{{}, nuanxin.NewDate(2024, 3, 5), nuanxin.NewDate(1900, 12, 31), nuanxin.NewDate(987, 1, 1),
		{Year: 2024, Month: 13, Day: 40}, {Year: 12345, Month: 1, Day: 1}} {
		if got, want := dateText(d), d.String(); got != want {
			t.Errorf("dateText(%#v) = %q, want %q", d, got, want)
		}
	}
}
