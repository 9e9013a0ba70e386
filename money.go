package nuanxin

import (
	"fmt"
	"strings"
)

// Money is an amount in fen (分). Money is never a float.
type Money int64

// Yuan returns the amount as yuan text with two decimals: 1234.50.
func (m Money) String() string {
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	return fmt.Sprintf("%s%d.%02d", sign, int64(m)/100, int64(m)%100)
}

// Grouped renders 1,234.50 for tables.
func (m Money) Grouped() string {
	s := m.String()
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return sign + b.String() + "." + frac
}

// Capital writes the amount in capital numerals as a receipt or a 签收表
// does (大写): 壹仟贰佰元整, 壹拾万零壹拾元整, 壹仟贰佰元零伍分, 负伍拾元整.
//
// It follows 《支付结算办法》附一: 壹拾 keeps its 壹; one 零 stands for a run
// of zeros inside the number; 整 closes an amount that ends at 元. Where the
// rules leave a choice we take the shorter form, which is also what
// roster.ParseAmount reads back: a 角 without 分 is written without 整
// (壹仟贰佰元伍角), and a zero 元位 before a non-zero 角 gets no 零
// (壹仟陆佰捌拾元叁角贰分); a zero 角 before a 分 does (…元零伍分), since
// leaving it out would read as 角.
func (m Money) Capital() string {
	digit := func(d uint64) string { return capitalDigits[d*3 : d*3+3] }
	var b strings.Builder
	fen := uint64(m)
	if m < 0 {
		b.WriteString("负")
		fen = uint64(-(m + 1)) + 1 // -MinInt64 does not fit an int64
	}
	yuan, jiao, f := fen/100, fen/10%10, fen%10

	if yuan > 0 {
		b.WriteString(capitalYuan(yuan))
		b.WriteString("元")
	}
	switch {
	case jiao == 0 && f == 0:
		if yuan == 0 {
			b.WriteString("零元")
		}
		b.WriteString("整")
	case jiao == 0:
		if yuan > 0 {
			b.WriteString("零")
		}
		b.WriteString(digit(f) + "分")
	default:
		b.WriteString(digit(jiao) + "角")
		if f > 0 {
			b.WriteString(digit(f) + "分")
		}
	}
	return b.String()
}

// capitalYuan writes n > 0 whole yuan: 亿 sections recursively (so 10¹²
// is 壹万亿), 万 and the units, with one 零 for a gap between sections.
func capitalYuan(n uint64) string {
	if n >= 1e8 {
		s := capitalYuan(n/1e8) + "亿"
		if rest := n % 1e8; rest > 0 {
			if rest < 1e7 {
				s += "零"
			}
			s += capitalYuan(rest)
		}
		return s
	}
	s := ""
	if hi := n / 1e4; hi > 0 {
		s = capitalSection(hi) + "万"
		if lo := n % 1e4; lo > 0 && lo < 1000 {
			s += "零"
		}
	}
	return s + capitalSection(n%1e4)
}

// capitalSection writes 0 ≤ n < 10000 (0 as ""): 壹仟零伍, 壹拾.
func capitalSection(n uint64) string {
	var b strings.Builder
	zero := false
	for i, p := range []uint64{1000, 100, 10, 1} {
		d := n / p % 10
		if d == 0 {
			zero = zero || n/p > 0 // a gap after a higher digit
			continue
		}
		if zero {
			b.WriteString("零")
			zero = false
		}
		b.WriteString(capitalDigits[d*3 : d*3+3])
		b.WriteString([]string{"仟", "佰", "拾", ""}[i])
	}
	return b.String()
}

// capitalDigits are 零 to 玖, three UTF-8 bytes each.
const capitalDigits = "零壹贰叁肆伍陆柒捌玖"
