package policy

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/6tail/lunar-go/calendar"

	"github.com/nuanxin/nuanxin"
)

// The years HolidayDate answers for. lunar-go computes far beyond them, but
// a 节日慰问 outside this range is a typing error, not a real case.
const (
	MinHolidayYear = 1950
	MaxHolidayYear = 2100
)

// HolidayDay is a holiday on its date in one year. (It is not called
// HolidayDate because the function of that name returns the date alone.)
type HolidayDay struct {
	Holiday nuanxin.Holiday
	Date    nuanxin.Date
}

// HolidayDate returns the date of holiday h in year: 元旦, 劳动节 and 国庆
// are fixed; 春节 (正月初一), 端午 (五月初五) and 中秋 (八月十五) are lunar
// dates and 清明 is the solar term, all computed by lunar-go (Beijing time),
// never typed into a table that would run out.
func HolidayDate(h nuanxin.Holiday, year int) (nuanxin.Date, error) {
	i := holidayIndex(h)
	if i < 0 {
		return nuanxin.Date{}, nuanxin.Invalid("holiday", "policy.holiday.unknown", string(h))
	}
	days, err := holidaysOf(year)
	if err != nil {
		return nuanxin.Date{}, err
	}
	return days[i], nil
}

// HolidayDates returns the seven holidays of year sorted by date (中秋 can
// fall after 国庆, and on the same day in 2031), or nil for a year outside
// MinHolidayYear..MaxHolidayYear.
func HolidayDates(year int) []HolidayDay {
	days, err := holidaysOf(year)
	if err != nil {
		return nil
	}
	out := make([]HolidayDay, len(nuanxin.Holidays))
	for i, h := range nuanxin.Holidays {
		out[i] = HolidayDay{Holiday: h, Date: days[i]}
	}
	slices.SortStableFunc(out, func(a, b HolidayDay) int { return a.Date.Compare(b.Date) })
	return out
}

// nearestWindow is how far ahead NearestHoliday looks: a campaign for 中秋
// is prepared some weeks before, so the coming holiday is the likely one.
const nearestWindow = 60

// NearestHoliday suggests the holiday a 节日慰问 made on day d is for: the
// next holiday on or after d within 60 days, else the most recent one. It
// returns the holiday and its year (元旦 2026 for 2025-12-20). For a date
// outside the supported years it returns ("", 0).
func NearestHoliday(d nuanxin.Date) (nuanxin.Holiday, int) {
	var next, prev *HolidayDay
	for y := d.Year - 1; y <= d.Year+1; y++ {
		for _, hd := range HolidayDates(y) {
			switch {
			case !hd.Date.Before(d):
				if next == nil || hd.Date.Before(next.Date) {
					next = &hd
				}
			case prev == nil || hd.Date.After(prev.Date):
				prev = &hd
			}
		}
	}
	if next != nil && daysBetween(d, next.Date) <= nearestWindow {
		return next.Holiday, next.Date.Year
	}
	if prev != nil {
		return prev.Holiday, prev.Date.Year
	}
	if next != nil {
		return next.Holiday, next.Date.Year
	}
	return "", 0
}

func holidayIndex(h nuanxin.Holiday) int {
	for i, x := range nuanxin.Holidays {
		if x == h {
			return i
		}
	}
	return -1
}

// daysBetween is b − a in days.
func daysBetween(a, b nuanxin.Date) int {
	return int(b.Time().Sub(a.Time()).Hours() / 24)
}

// holidayCache keeps each year's dates: the engine asks for them on every
// check and the astronomy behind them costs far more than the check.
var holidayCache sync.Map // int → [7]nuanxin.Date

func holidaysOf(year int) ([7]nuanxin.Date, error) {
	if year < MinHolidayYear || year > MaxHolidayYear {
		return [7]nuanxin.Date{}, nuanxin.Invalid("holiday_year", "policy.holiday.year", year, MinHolidayYear, MaxHolidayYear)
	}
	if v, ok := holidayCache.Load(year); ok {
		return v.([7]nuanxin.Date), nil
	}
	days, err := computeHolidays(year)
	if err != nil {
		return days, err
	}
	holidayCache.Store(year, days)
	return days, nil
}

// computeHolidays asks lunar-go. lunar-go panics on impossible input; the
// year range above rules that out, but a panic still must not take a
// request down, so it becomes an internal error.
func computeHolidays(year int) (days [7]nuanxin.Date, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("policy: lunar-go failed for %d: %v", year, r)
		}
	}()
	lunarDay := func(m, d int) nuanxin.Date { return solarDate(calendar.NewLunarFromYmd(year, m, d).GetSolar()) }
	spring := calendar.NewLunarFromYmd(year, 1, 1)
	// The jieqi table of lunar year `year` runs from the 大雪 before its
	// 冬至 to the 惊蛰 after, so its 清明 is the one of solar year `year`.
	qm, ok := spring.GetJieQiTable()["清明"]
	if !ok {
		return days, fmt.Errorf("policy: lunar-go has no 清明 for %d", year)
	}
	qingming := solarDate(qm)
	if qingming.Year != year {
		return days, fmt.Errorf("policy: lunar-go gave 清明 %s for %d", qingming, year)
	}
	days = [7]nuanxin.Date{
		nuanxin.NewDate(year, 1, 1),
		solarDate(spring.GetSolar()),
		qingming,
		nuanxin.NewDate(year, 5, 1),
		lunarDay(5, 5),
		lunarDay(8, 15),
		nuanxin.NewDate(year, 10, 1),
	}
	return days, nil
}

func solarDate(s *calendar.Solar) nuanxin.Date {
	return nuanxin.NewDate(s.GetYear(), time.Month(s.GetMonth()), s.GetDay())
}
