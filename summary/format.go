package summary

import (
	"strconv"
	"strings"

	"github.com/nuanxin/nuanxin"
)

// sentence renders a catalog message whose "%s" are filled, in order, by
// runs (figures with their links), so a sentence keeps its links while
// its wording stays in the catalog.
func sentence(key string, figs ...nuanxin.Run) []nuanxin.Run {
	parts := strings.Split(nuanxin.T(key), "%s")
	out := make([]nuanxin.Run, 0, 2*len(parts))
	for i, p := range parts {
		if p = strings.ReplaceAll(p, "%%", "%"); p != "" {
			out = append(out, nuanxin.Plain(p))
		}
		if i < len(figs) && i < len(parts)-1 {
			out = append(out, figs[i])
		}
	}
	return out
}

// yuan writes an amount the way a 总结 does: 2.56万元 from ten thousand
// yuan up (rounded to the hundred yuan), below that to the yuan, with
// 角分 only when there are any: 3,200元, 86.50元.
func yuan(m nuanxin.Money) string {
	if m >= 1000000 { // 1万元 in fen
		wan := (int64(m) + 50*100) / (100 * 100) // in hundreds of yuan, rounded half up
		s := nuanxin.Money(wan / 100 * 100).Grouped()
		s = strings.TrimSuffix(s, ".00")
		if frac := wan % 100; frac != 0 {
			f := strconv.FormatInt(100+frac, 10)[1:]
			s += "." + strings.TrimRight(f, "0")
		}
		return nuanxin.T("summary.wan_yuan", s)
	}
	g := m.Grouped()
	g = strings.TrimSuffix(g, ".00")
	return nuanxin.T("summary.yuan", g)
}

// pct writes n/d as 35.2%.
func pct(n, d int) string {
	if d == 0 {
		return "0%"
	}
	return strconv.FormatFloat(float64(n)*100/float64(d), 'f', 1, 64) + "%"
}

func pctMoney(n, d nuanxin.Money) string {
	if d == 0 {
		return "0%"
	}
	return strconv.FormatFloat(float64(n)*100/float64(d), 'f', 1, 64) + "%"
}

func persons(n int) string     { return nuanxin.T("summary.persons", n) }
func personTimes(n int) string { return nuanxin.T("summary.person_times", n) }

// joinCN joins with 、.
func joinCN(items []string) string { return strings.Join(items, "、") }

func itoa(n int) string { return strconv.Itoa(n) }
