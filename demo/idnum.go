package demo

import (
	"math/rand/v2"
	"time"
	"unsafe"

	"github.com/nuanxin/nuanxin"
)

// Fictitious 身份证号.
//
// A number is the 6-digit 行政区划 where the person was registered, the
// birth date, a 3-digit 顺序码 (odd for men, even for women) and the ISO 7064
// check character. The demo uses only the 顺序码 996, 997, 998 and 999: by
// long-standing practice of the public security organs those four are kept
// for people aged 100 and over, and
// everyone the demo generates is younger, so no real card of that region and
// birth date carries such a number. That is the demo marker: a number whose
// 顺序码 is 996–999 and whose holder is under 100 belongs to nobody.
//
// It also means two numbers per region, birth day and sex. idAlloc hands
// them out and moves to the next region when a pair is used up; a relative
// whose birth day is crowded gets no number (it is optional), a member the
// nearest free day. 121 regions hold about 18.7 million numbers, but births
// crowd into the decades of the members and their families: at about 2.9
// million members a birth day would have to move by more than a year, hence
// MaxMembers.
const (
	demoSeqFirst = 996
	demoSeqPairs = 2 // 996/997 and 998/999
)

// epoch is the first birth date the day table covers.
var epoch = nuanxin.Date{Year: 1920, Month: time.January, Day: 1}

// day is one calendar day with its YYYYMMDD digits.
type day struct {
	date nuanxin.Date
	ymd  [8]byte
}

// days is the table of every day from epoch to today, so that the hot path
// computes with day numbers and never with time.Time.
type days struct {
	t     []day
	today int // index of today
}

func newDays(today nuanxin.Date) *days {
	start := epoch.Time()
	n := int(today.Time().Sub(start).Hours()/24+0.5) + 1
	d := &days{t: make([]day, n), today: n - 1}
	y, m, dd := epoch.Year, epoch.Month, epoch.Day
	for i := range d.t {
		e := &d.t[i]
		e.date = nuanxin.Date{Year: y, Month: m, Day: dd}
		putDigits(e.ymd[0:4], y)
		putDigits(e.ymd[4:6], int(m))
		putDigits(e.ymd[6:8], dd)
		dd++
		if dd > daysIn(y, m) {
			dd, m = 1, m+1
			if m > time.December {
				m, y = time.January, y+1
			}
		}
	}
	return d
}

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// clamp keeps a day index inside the table.
func (d *days) clamp(i int) int { return min(max(i, 0), d.today) }

// spanDays is an upper bound of the number of days in n years, so that a
// birth at least spanDays(n) before a date makes the person n years old on it.
func spanDays(n int) int { return n*365 + (n+3)/4 }

// idAlloc hands out unique demo 身份证号.
type idAlloc struct {
	regions []string
	nDays   int
	used    []uint8  // [(region*nDays + day)*2 + male] → pairs used
	full    []uint16 // [day*2 + male] → regions with both pairs used
}

func newIDAlloc(regions []string, nDays int) *idAlloc {
	return &idAlloc{regions: regions, nDays: nDays,
		used: make([]uint8, len(regions)*nDays*2), full: make([]uint16, nDays*2)}
}

// take reserves a number for a birth day and sex, preferring region and
// trying up to probes regions after it when its pairs are used up. It
// returns the region index and the 顺序码, or ok false.
func (a *idAlloc) take(region, day int, male bool, probes int) (reg, seq int, ok bool) {
	s := 0
	if male {
		s = 1
	}
	if int(a.full[day*2+s]) == len(a.regions) {
		return 0, 0, false
	}
	for range min(probes, len(a.regions)) {
		k := (region*a.nDays+day)*2 + s
		if n := a.used[k]; n < demoSeqPairs {
			a.used[k] = n + 1
			if n+1 == demoSeqPairs {
				a.full[day*2+s]++
			}
			return region, demoSeqFirst + 2*int(n) + s, true
		}
		region++
		if region == len(a.regions) {
			region = 0
		}
	}
	return 0, 0, false
}

// arena hands out string memory in large chunks: the generator writes a few
// short strings per record (names, numbers) and allocating each one would
// cost more than generating it. Bytes handed out are written once, turned
// into a string with str and never written again.
type arena struct{ buf []byte }

const arenaChunk = 256 << 10

func (a *arena) take(n int) []byte {
	if len(a.buf)+n > cap(a.buf) {
		a.buf = make([]byte, 0, max(arenaChunk, n))
	}
	l := len(a.buf)
	a.buf = a.buf[:l+n]
	return a.buf[l : l+n : l+n]
}

// str views b as a string; b must not change afterwards.
func str(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// concat returns a+b from the arena.
func (a *arena) concat(x, y string) string {
	b := a.take(len(x) + len(y))
	copy(b, x)
	copy(b[len(x):], y)
	return str(b)
}

// idNumber writes an 18-character 身份证号.
func (a *arena) idNumber(region string, d *day, seq int) string {
	b := a.take(18)
	copy(b, region)
	copy(b[6:], d.ymd[:])
	putDigits(b[14:17], seq)
	b[17] = nuanxin.IDCheckDigit(str(b[:17]))
	return str(b)
}

// putDigits writes n as len(b) decimal digits, zero-padded.
func putDigits(b []byte, n int) {
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
}

// numLen is the number of decimal digits of n ≥ 0.
func numLen(n int) int {
	l := 1
	for n >= 10 {
		n /= 10
		l++
	}
	return l
}

// picker picks an index with probability proportional to its weight.
type picker struct{ cum []uint32 }

func newPicker(ws []uint32) picker {
	p := picker{cum: make([]uint32, len(ws))}
	var t uint32
	for i, w := range ws {
		t += w
		p.cum[i] = t
	}
	if t == 0 {
		panic("demo: picker without weight")
	}
	return p
}

func (p picker) pick(r *rand.Rand) int {
	x := r.Uint32N(p.cum[len(p.cum)-1])
	lo, hi := 0, len(p.cum)-1
	for lo < hi {
		m := (lo + hi) / 2
		if p.cum[m] > x {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// one picks a uniform element.
func one(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

// chance is true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }
