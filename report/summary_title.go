package report

import "strings"

// titleLines breaks a long 公文 title where its meaning allows (GB/T
// 9704: 回行时要做到词意完整): after the union's name, before the period
// and the kind of document. A title that fits one line (22 characters of
// 2号 on A4) stays whole.
func titleLines(title string) string {
	r := []rune(title)
	if len(r) <= 22 || strings.Contains(title, "\n") {
		return title
	}
	best := -1
	for _, suffix := range []string{"委员会", "工会", "联合会"} {
		for i := len(r) - len([]rune(suffix)); i > 0; i-- {
			if string(r[i:i+len([]rune(suffix))]) == suffix {
				end := i + len([]rune(suffix))
				// Both lines need some length, and neither may exceed one line.
				if end >= 6 && len(r)-end >= 4 && end <= 22 && len(r)-end <= 22 && end > best {
					best = end
				}
				break
			}
		}
	}
	if best < 0 {
		return title
	}
	return string(r[:best]) + "\n" + string(r[best:])
}
