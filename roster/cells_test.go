package roster

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nuanxin/nuanxin"
)

func date(y, m, d int) nuanxin.Date { return nuanxin.Date{Year: y, Month: time.Month(m), Day: d} }

// testIDNumber builds a valid 身份证号 from region, birth date and sequence.
func testIDNumber(region, birth, seq string) string {
	first := region + birth + seq
	return first + string(nuanxin.IDCheckDigit(first))
}

// idEndingX is a valid number whose check character is X.
func idEndingX() string {
	for seq := 100; seq < 1000; seq++ {
		if id := testIDNumber("430102", "19850315", strconv.Itoa(seq)); id[17] == 'X' {
			return id
		}
	}
	panic("no X")
}

// idMultipleOf64 is a valid number that a float could hold exactly.
func idMultipleOf64() string {
	for seq := 100; seq < 1000; seq++ {
		id := testIDNumber("430102", "19850315", strconv.Itoa(seq))
		if n, _ := strconv.Atoi(id[12:]); id[17] != 'X' && n%64 == 0 {
			return id
		}
	}
	panic("no such number")
}

func TestNormalizeText(t *testing.T) {
	for in, want := range map[string]string{
		"  张三  ":                   "张三",
		"\u3000张三\u3000":           "张三",
		"\u00A0x\u00A0":            "x",
		"\uFEFF张三":                 "张三",
		"张\u200B三\u200D":           "张三",
		"ＡＢＣ１２３＠ｘ":                 "ABC123@x",
		"a\x00b\x01c":              "abc",
		"a\tb\nc\r\nd":             "a b c  d",
		"生产部（一车间）":                 "生产部(一车间)",
		"张　三":                      "张 三",
		"“引号”—…":                   "“引号”—…",
		"阿卜杜拉·艾则孜":                 "阿卜杜拉·艾则孜",
		"a\xffb":                   "ab",
		"\xe4\xb8":                 "",
		"x\u0085y\u00ADz":          "xyz",
		"\u2003em\u2003":           "em",
		"𠮷野家":                      "𠮷野家",
		"":                         "",
		"   ":                      "",
		"plain ascii":              "plain ascii",
		"\u2028line\u2029":         "line",
		"Ｘ":                        "X",
		"430102 19850315 302X":     "430102 19850315 302X",
		"\ufeff\u200b\u3000\u00a0": "",
	} {
		if got := NormalizeText(in); got != want {
			t.Errorf("NormalizeText(%q) = %q, want %q", in, got, want)
		}
	}
	for _, s := range []string{"张三", "plain", "生产部第1车间", "13812345678"} {
		if n := testing.AllocsPerRun(100, func() { NormalizeText(s) }); n != 0 {
			t.Errorf("NormalizeText(%q) allocates %v times", s, n)
		}
	}
}

// textNeedsFold must never miss a string NormalizeText changes.
func TestCleanText(t *testing.T) {
	for in, want := range map[string]string{
		"调入，原单位（XX厂）：好！":  "调入，原单位（XX厂）：好！",
		"３号楼Ａ座":           "3号楼A座",
		"\u3000张三\u200B ": "张三",
		"a\tb\x00c":       "a bc",
		"ＸＸ公司":            "XX公司",
	} {
		if got := cleanText(in); got != want {
			t.Errorf("cleanText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTextNeedsFoldAgrees(t *testing.T) {
	for r := rune(0); r < 0x110000; r++ {
		if r >= 0xD800 && r < 0xE000 {
			continue
		}
		s := "a" + string(r) + "b"
		if !textNeedsFold(s) && NormalizeText(s) != s {
			t.Fatalf("U+%04X: fast path would skip a change (%q → %q)", r, s, NormalizeText(s))
		}
	}
}

func TestCivilDate(t *testing.T) {
	for z := -30000; z < 80000; z++ {
		want := nuanxin.DateOf(time.Unix(int64(z)*86400, 0).UTC())
		if got := civilDate(z); got != want {
			t.Fatalf("civilDate(%d) = %v, want %v", z, got, want)
		}
	}
}

func TestParseDateCell(t *testing.T) {
	type tc struct {
		cell    Cell
		d1904   bool
		want    nuanxin.Date
		partial bool
		key     string // error key
		shows   string // the message must show this
	}
	dc := func(v string) Cell { return Cell{Value: v, Kind: CellDate} }
	nc := func(v string) Cell { return Cell{Value: v, Kind: CellNumber} }
	tx := func(v string) Cell { return Cell{Value: v, Kind: CellText} }
	for _, c := range []tc{
		{cell: dc("45356"), want: date(2024, 3, 5)},
		{cell: dc("45356.75"), want: date(2024, 3, 5)},
		{cell: dc("1"), want: date(1900, 1, 1)},
		{cell: dc("59"), want: date(1900, 2, 28)},
		{cell: dc("60"), key: "roster.date.fake_leap"},
		{cell: dc("61"), want: date(1900, 3, 1)},
		{cell: dc("31121"), want: date(1985, 3, 15)},
		{cell: dc("73415"), want: date(2100, 12, 31)},
		{cell: dc("73416"), key: "roster.date.year_range", shows: "2101"},
		{cell: dc("0"), key: "roster.date.serial"},
		{cell: dc("-3"), key: "roster.date.serial"},
		{cell: dc("abc"), key: "roster.date.serial", shows: "abc"},
		{cell: dc("0"), d1904: true, want: date(1904, 1, 1)},
		{cell: dc("43894"), d1904: true, want: date(2024, 3, 5)},
		{cell: nc("45356"), want: date(2024, 3, 5)},
		{cell: nc("4.5356E4"), want: date(2024, 3, 5)},
		{cell: nc("20240305"), want: date(2024, 3, 5)},
		{cell: nc("20240305.0"), want: date(2024, 3, 5)},
		{cell: nc("202403"), want: date(2024, 3, 1), partial: true},
		{cell: nc("1985"), key: "roster.date.year_only", shows: "1985"},
		{cell: nc("3.5"), key: "roster.date.invalid"},
		{cell: tx("2024-03-05"), want: date(2024, 3, 5)},
		{cell: tx("2024/3/5"), want: date(2024, 3, 5)},
		{cell: tx("2024.3.5"), want: date(2024, 3, 5)},
		{cell: tx("2024年3月5日"), want: date(2024, 3, 5)},
		{cell: tx("2024年3月5号"), want: date(2024, 3, 5)},
		{cell: tx("2024年03月05日"), want: date(2024, 3, 5)},
		{cell: tx("2024 年 3 月 5 日"), want: date(2024, 3, 5)},
		{cell: tx("20240305"), want: date(2024, 3, 5)},
		{cell: tx("2024-3-5 0:00:00"), want: date(2024, 3, 5)},
		{cell: tx("2024/03/05 08:30"), want: date(2024, 3, 5)},
		{cell: tx("2024-03-05T08:00:00Z"), want: date(2024, 3, 5)},
		{cell: tx("２０２４年３月５日"), want: date(2024, 3, 5)},
		{cell: tx("２０２４－０３－０５"), want: date(2024, 3, 5)},
		{cell: tx(" 2024-03-05\u00a0"), want: date(2024, 3, 5)},
		{cell: tx("2024-02-29"), want: date(2024, 2, 29)},
		{cell: tx("2024-03"), want: date(2024, 3, 1), partial: true},
		{cell: tx("2024.3"), want: date(2024, 3, 1), partial: true},
		{cell: tx("2024年3月"), want: date(2024, 3, 1), partial: true},
		{cell: tx("1985.03"), want: date(1985, 3, 1), partial: true},
		{cell: tx("202403"), want: date(2024, 3, 1), partial: true},
		{cell: tx(""), want: nuanxin.Date{}},
		{cell: tx("2024-02-30"), key: "roster.date.day", shows: "2024年2月没有30日"},
		{cell: tx("2023-02-29"), key: "roster.date.day", shows: "2023-02-29"},
		{cell: tx("2024-04-31"), key: "roster.date.day"},
		{cell: tx("2024-13-01"), key: "roster.date.month", shows: "13"},
		{cell: tx("2024-00"), key: "roster.date.month"},
		{cell: tx("1899-12-31"), key: "roster.date.year_range", shows: "1899"},
		{cell: tx("2101-01-01"), key: "roster.date.year_range", shows: "2101"},
		{cell: tx("05/03/2024"), key: "roster.date.invalid", shows: "05/03/2024"},
		{cell: tx("85.3.5"), key: "roster.date.invalid"},
		{cell: tx("abc"), key: "roster.date.invalid", shows: "abc"},
		{cell: tx("2024"), key: "roster.date.year_only"},
		{cell: tx("2024-03-05-01"), key: "roster.date.invalid"},
		{cell: tx("2024年"), key: "roster.date.invalid"},
		{cell: tx("2024-003-05"), key: "roster.date.invalid"},
		{cell: tx("1234567"), key: "roster.date.invalid"},
	} {
		d, partial, err := ParseDateCell(c.cell, c.d1904)
		name := c.cell.Value
		if c.key != "" {
			if errKey(err) != c.key {
				t.Errorf("%q: err = %v (%s), want %s", name, err, errKey(err), c.key)
			} else if !strings.Contains(err.Error(), c.shows) {
				t.Errorf("%q: message %q should show %q", name, err.Error(), c.shows)
			}
			continue
		}
		if err != nil || d != c.want || partial != c.partial {
			t.Errorf("%q: got %v partial=%v err=%v, want %v partial=%v", name, d, partial, err, c.want, c.partial)
		}
	}
}

func TestParseSex(t *testing.T) {
	for in, want := range map[string]nuanxin.Sex{"男": nuanxin.Male, "女": nuanxin.Female, "M": nuanxin.Male, "F": nuanxin.Female,
		"m": nuanxin.Male, "f": nuanxin.Female, "male": nuanxin.Male, "Female": nuanxin.Female, "男性": nuanxin.Male,
		"女性": nuanxin.Female, " 男 ": nuanxin.Male, "Ｍ": nuanxin.Male, "1": nuanxin.Male, "2": nuanxin.Female} {
		if got, err := ParseSex(in); err != nil || got != want {
			t.Errorf("ParseSex(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "男女", "x", "未知", "0"} {
		if _, err := ParseSex(in); errKey(err) != "roster.sex.invalid" {
			t.Errorf("ParseSex(%q) err = %v", in, err)
		}
	}
	if _, err := ParseSex("公"); !strings.Contains(err.Error(), "“公”") || !strings.Contains(err.Error(), "男") {
		t.Errorf("message %q", err)
	}
}

func TestParseCategory(t *testing.T) {
	for in, want := range map[string]nuanxin.Category{
		"在岗": nuanxin.CategoryActive, "在职": nuanxin.CategoryActive, "在编": nuanxin.CategoryActive, "正式工": nuanxin.CategoryActive,
		"合同工": nuanxin.CategoryActive, "合同制": nuanxin.CategoryActive, "职工": nuanxin.CategoryActive, "active": nuanxin.CategoryActive,
		"歇岗": nuanxin.CategoryLaidOff, "待岗": nuanxin.CategoryLaidOff, "下岗": nuanxin.CategoryLaidOff, "内退": nuanxin.CategoryLaidOff,
		"laid_off": nuanxin.CategoryLaidOff, "退休": nuanxin.CategoryRetired, "离退休": nuanxin.CategoryRetired,
		"退休职工": nuanxin.CategoryRetired, "RETIRED": nuanxin.CategoryRetired, "劳务派遣": nuanxin.CategoryDispatched,
		"派遣": nuanxin.CategoryDispatched, "派遣工": nuanxin.CategoryDispatched, "dispatched": nuanxin.CategoryDispatched,
		"农民工": nuanxin.CategoryMigrant, "外来务工": nuanxin.CategoryMigrant, "migrant": nuanxin.CategoryMigrant,
		" 在 岗 ": nuanxin.CategoryActive,
	} {
		if got, err := ParseCategory(in); err != nil || got != want {
			t.Errorf("ParseCategory(%q) = %q, %v", in, got, err)
		}
	}
	_, err := ParseCategory("实习生")
	if errKey(err) != "roster.category.invalid" || !strings.Contains(err.Error(), "实习生") ||
		!strings.Contains(err.Error(), "在岗、歇岗、退休、劳务派遣、农民工") {
		t.Errorf("ParseCategory(实习生) err = %v", err)
	}
}

func TestParseStatus(t *testing.T) {
	for in, want := range map[string]nuanxin.MemberStatus{
		"在会": nuanxin.StatusMember, "正常": nuanxin.StatusMember, "会员": nuanxin.StatusMember, "member": nuanxin.StatusMember,
		"保留会籍": nuanxin.StatusReserved, "保留": nuanxin.StatusReserved, "转出": nuanxin.StatusTransferred,
		"已转出": nuanxin.StatusTransferred, "退会": nuanxin.StatusWithdrawn, "已退会": nuanxin.StatusWithdrawn,
		"去世": nuanxin.StatusDeceased, "已故": nuanxin.StatusDeceased, "死亡": nuanxin.StatusDeceased, "deceased": nuanxin.StatusDeceased,
	} {
		if got, err := ParseStatus(in); err != nil || got != want {
			t.Errorf("ParseStatus(%q) = %q, %v", in, got, err)
		}
	}
	_, err := ParseStatus("开除")
	if errKey(err) != "roster.status.invalid" || !strings.Contains(err.Error(), "在会、保留会籍、转出、退会、去世") {
		t.Errorf("ParseStatus(开除) err = %v", err)
	}
}

func TestParseIDCell(t *testing.T) {
	good := testIDNumber("430102", "19850315", "302")
	x := idEndingX()
	spaced := func(s string) string { return s[:6] + " " + s[6:14] + "\u3000" + s[14:] }
	fullWidth := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			b.WriteRune(r + 0xFEE0)
		}
		return b.String()
	}
	for _, c := range []struct {
		cell Cell
		want string
		key  string
	}{
		{Cell{good, CellText}, good, ""},
		{Cell{strings.ToLower(x), CellText}, x, ""},
		{Cell{spaced(good), CellText}, good, ""},
		{Cell{fullWidth(x[:17]) + "ｘ", CellText}, x, ""},
		{Cell{"'" + good, CellText}, good, ""},
		{Cell{" " + good + "\u00a0", CellText}, good, ""},
		{Cell{good, CellNumber}, good, ""}, // an exact integer written by a program
		{Cell{idMultipleOf64(), CellNumber}, "", "roster.id.numeric"},
		{Cell{idMultipleOf64(), CellText}, idMultipleOf64(), ""},
		{Cell{"430102850315302", CellNumber}, testIDNumber("430102", "19850315", "302"), ""},
		{Cell{"4.30102198503153E+17", CellNumber}, "", "id.excel_scientific"},
		{Cell{"4.3010219850315302E+17", CellNumber}, "", "id.excel_scientific"},
		{Cell{"4.30102E+17", CellText}, "", "id.excel_scientific"},
		{Cell{"430102198503153000", CellNumber}, "", "id.excel_zeroed"},
		{Cell{"430102198503153000", CellText}, "", "id.excel_zeroed"},
		{Cell{"430102198503153024", CellNumber}, "", "roster.id.numeric"},
		{Cell{"430102198503153010", CellNumber}, "", "id.excel_zeroed"},
		{Cell{good[:17] + "1", CellText}, "", "id.checksum"},
		{Cell{good[:16], CellText}, "", "id.length"},
		{Cell{"", CellText}, "", "id.empty"},
	} {
		got, err := ParseIDCell(c.cell)
		if errKey(err) != c.key || got != c.want {
			t.Errorf("ParseIDCell(%q, kind %d) = %q, %v (%s); want %q, %s", c.cell.Value, c.cell.Kind, got, err, errKey(err), c.want, c.key)
		}
		var e *nuanxin.Error
		if err != nil && (!errorsAs(err, &e) || e.Code != nuanxin.EINVALID || e.Field != "id_number") {
			t.Errorf("%q: %#v should be EINVALID on id_number", c.cell.Value, err)
		}
	}
}

func TestParsePhoneCell(t *testing.T) {
	for _, c := range []struct {
		cell Cell
		want string
		key  string
	}{
		{Cell{"13812345678", CellNumber}, "13812345678", ""},
		{Cell{"1.3812345678E+10", CellNumber}, "13812345678", ""},
		{Cell{"1.3812345678E10", CellNumber}, "13812345678", ""},
		{Cell{"1.3812345678E+10", CellText}, "13812345678", ""},
		{Cell{"13812345678.0", CellNumber}, "13812345678", ""},
		{Cell{"1.38123E+10", CellText}, "", "roster.phone.scientific"},
		{Cell{"1.38123E+10", CellNumber}, "13812300000", ""}, // the number the cell holds
		{Cell{"138 1234 5678", CellText}, "13812345678", ""},
		{Cell{"+86 138-1234-5678", CellText}, "13812345678", ""},
		{Cell{"+8613812345678", CellText}, "13812345678", ""},
		{Cell{"１３８１２３４５６７８", CellText}, "13812345678", ""},
		{Cell{"0731-84567890", CellText}, "0731-84567890", ""},
		{Cell{"(0731)84567890转123", CellText}, "0731-84567890-123", ""},
		{Cell{"1381234567", CellNumber}, "", "phone.mobile_length"},
		{Cell{"1.3812345678E+9", CellNumber}, "", "phone.invalid"},
		{Cell{"1.5E-3", CellNumber}, "", "phone.invalid"},
		{Cell{"12812345678", CellText}, "", "phone.mobile_prefix"},
	} {
		got, err := ParsePhoneCell(c.cell)
		if errKey(err) != c.key || got != c.want {
			t.Errorf("ParsePhoneCell(%q) = %q, %v; want %q, %s", c.cell.Value, got, err, c.want, c.key)
		}
	}
}

func TestParseAmount(t *testing.T) {
	for in, want := range map[string]nuanxin.Money{
		"1200":          120000,
		"1,200.50":      120050,
		"1200元":         120000,
		"￥1,200":        120000,
		"¥1200.5":       120050,
		"1200.00元":      120000,
		"1200.5元整":      120050,
		"人民币1200元":      120000,
		"RMB 1,200":     120000,
		"１２００":          120000,
		"0.01":          1,
		".5":            50,
		"0":             0,
		"1.2万":          1200000,
		"1.2万元":         1200000,
		"3万":            3000000,
		"1.23456万":      1234560,
		"壹仟贰佰元整":        120000,
		"壹仟贰佰元":         120000,
		"壹仟贰佰":          120000,
		"伍佰元正":          50000,
		"壹万零伍拾元伍角陆分":    1005056,
		"壹佰元零伍分":        10005,
		"伍角":            50,
		"陆分":            6,
		"拾元":            1000,
		"壹拾万元整":         10000000,
		"贰仟零壹拾元":        201000,
		"叁亿元整":          30000000000,
		"壹亿贰仟万元":        12000000000,
		"两千三百元":         230000,
		"人民币壹仟贰佰元整":     120000,
		"零元整":           0,
		"1200.500":      120050,
		"999999999999":  99999999999900,
		"00012.30":      1230,
		"1,234,567.89元": 123456789,
	} {
		got, err := ParseAmount(in)
		if err != nil || got != want {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for in, key := range map[string]string{
		"":              "roster.amount.empty",
		"1200.505":      "roster.amount.decimals",
		"0.001":         "roster.amount.decimals",
		"1.2345678万":    "roster.amount.decimals",
		"-1200":         "roster.amount.negative",
		"(1200)":        "roster.amount.negative",
		"−5":            "roster.amount.negative",
		"abc":           "roster.amount.invalid",
		"12a":           "roster.amount.invalid",
		".":             "roster.amount.invalid",
		"1.2.3":         "roster.amount.invalid",
		"壹贰元":           "roster.amount.invalid",
		"佰仟元":           "roster.amount.invalid",
		"壹佰伍角":          "roster.amount.invalid",
		"伍角伍角":          "roster.amount.invalid",
		"元":             "roster.amount.invalid",
		"1e3":           "roster.amount.invalid",
		"1000000000000": "roster.amount.too_large",
		"2万亿":           "roster.amount.invalid",
	} {
		_, err := ParseAmount(in)
		if errKey(err) != key {
			t.Errorf("ParseAmount(%q) err = %v (%s), want %s", in, err, errKey(err), key)
		}
	}
	if _, err := ParseAmount("1200.505"); !strings.Contains(err.Error(), "1200.505") {
		t.Errorf("message %q should show the amount", err)
	}
}

// chineseAmount writes fen in capital numerals as a bank form does:
// 壹万零伍拾元伍角陆分, 壹仟贰佰元整.
func chineseAmount(fen int64) string {
	digits := []rune("零壹贰叁肆伍陆柒捌玖")
	units := []rune("仟佰拾")
	section := func(n int64) string { // 0 < n < 10000
		var b strings.Builder
		zero := false
		for i, p := range []int64{1000, 100, 10, 1} {
			d := n / p % 10
			if d == 0 {
				zero = b.Len() > 0
				continue
			}
			if zero {
				b.WriteRune('零')
				zero = false
			}
			b.WriteRune(digits[d])
			if i < 3 {
				b.WriteRune(units[i])
			}
		}
		return b.String()
	}
	yuan, jiao, f := fen/100, fen/10%10, fen%10
	var b strings.Builder
	if yuan > 0 {
		parts := []struct {
			v    int64
			unit string
		}{{yuan / 100_000_000, "亿"}, {yuan / 10000 % 10000, "万"}, {yuan % 10000, ""}}
		started, gap := false, false
		for _, p := range parts {
			if p.v == 0 {
				gap = started
				continue
			}
			if started && (gap || p.v < 1000) {
				b.WriteRune('零')
			}
			b.WriteString(section(p.v) + p.unit)
			started, gap = true, false
		}
		b.WriteRune('元')
	}
	switch {
	case jiao == 0 && f == 0:
		if yuan == 0 {
			return "零元整"
		}
		b.WriteRune('整')
	case jiao == 0:
		if yuan > 0 {
			b.WriteRune('零')
		}
		b.WriteString(string(digits[f]) + "分")
	default:
		b.WriteString(string(digits[jiao]) + "角")
		if f > 0 {
			b.WriteString(string(digits[f]) + "分")
		}
	}
	return b.String()
}

func TestChineseAmountRoundTrip(t *testing.T) {
	for _, fen := range []int64{0, 1, 10, 50, 56, 100, 1000, 10000, 120000, 1005056, 10005, 100000000, 1000000100, 30000000000,
		12000000000, 1234567890123, 9999999999999, 100010001, 1010101010} {
		s := chineseAmount(fen)
		got, err := ParseAmount(s)
		if err != nil || int64(got) != fen {
			t.Errorf("%d → %q → %d, %v", fen, s, got, err)
		}
	}
	if s := chineseAmount(120000); s != "壹仟贰佰元整" {
		t.Errorf("chineseAmount(120000) = %q", s)
	}
}

func errorsAs(err error, target **nuanxin.Error) bool {
	e, ok := err.(*nuanxin.Error)
	if ok {
		*target = e
	}
	return ok
}
