package policy

import (
	"testing"

	"github.com/nuanxin/nuanxin"
)

func d(s string) nuanxin.Date {
	v, err := nuanxin.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

// The lunar holidays and 清明 of 2025–2030 as the State Council's holiday
// notices and the published calendars give them.
func TestHolidayDateOfficialCalendar(t *testing.T) {
	want := map[int][4]string{ // 春节, 清明, 端午, 中秋
		2025: {"2025-01-29", "2025-04-04", "2025-05-31", "2025-10-06"},
		2026: {"2026-02-17", "2026-04-05", "2026-06-19", "2026-09-25"},
		2027: {"2027-02-06", "2027-04-05", "2027-06-09", "2027-09-15"},
		2028: {"2028-01-26", "2028-04-04", "2028-05-28", "2028-10-03"},
		2029: {"2029-02-13", "2029-04-04", "2029-06-16", "2029-09-22"},
		2030: {"2030-02-03", "2030-04-05", "2030-06-05", "2030-09-12"},
	}
	hs := []nuanxin.Holiday{nuanxin.HolidaySpring, nuanxin.HolidayQingming, nuanxin.HolidayDragonBoat, nuanxin.HolidayMidAutumn}
	for year, dates := range want {
		for i, h := range hs {
			got, err := HolidayDate(h, year)
			if err != nil {
				t.Fatalf("HolidayDate(%s, %d): %v", h, year, err)
			}
			if got.String() != dates[i] {
				t.Errorf("HolidayDate(%s, %d) = %s, want %s", h, year, got, dates[i])
			}
		}
	}
}

func TestHolidayDateFixed(t *testing.T) {
	for year := 2024; year <= 2031; year++ {
		for h, md := range map[nuanxin.Holiday][2]int{
			nuanxin.HolidayNewYear: {1, 1}, nuanxin.HolidayLabour: {5, 1}, nuanxin.HolidayNational: {10, 1},
		} {
			got, err := HolidayDate(h, year)
			if err != nil || int(got.Month) != md[0] || got.Day != md[1] || got.Year != year {
				t.Errorf("HolidayDate(%s, %d) = %s, %v", h, year, got, err)
			}
		}
	}
}

func TestHolidayDateErrors(t *testing.T) {
	if _, err := HolidayDate("christmas", 2025); nuanxin.ErrorCode(err) != nuanxin.EINVALID {
		t.Errorf("unknown holiday: err = %v", err)
	}
	for _, y := range []int{0, MinHolidayYear - 1, MaxHolidayYear + 1} {
		if _, err := HolidayDate(nuanxin.HolidaySpring, y); nuanxin.ErrorCode(err) != nuanxin.EINVALID {
			t.Errorf("year %d: err = %v", y, err)
		}
	}
	if got := HolidayDates(MaxHolidayYear + 1); got != nil {
		t.Errorf("HolidayDates out of range = %v", got)
	}
	// The edges of the range are computed.
	for _, y := range []int{MinHolidayYear, MaxHolidayYear} {
		if got := HolidayDates(y); len(got) != 7 {
			t.Errorf("HolidayDates(%d) = %v", y, got)
		}
	}
}

func TestHolidayDatesSortedAndComplete(t *testing.T) {
	for year := 2020; year <= 2040; year++ {
		got := HolidayDates(year)
		if len(got) != len(nuanxin.Holidays) {
			t.Fatalf("%d: %d holidays", year, len(got))
		}
		seen := map[nuanxin.Holiday]bool{}
		for i, hd := range got {
			seen[hd.Holiday] = true
			if hd.Date.Year != year {
				t.Errorf("%d: %s falls in %d", year, hd.Holiday, hd.Date.Year)
			}
			if i > 0 && hd.Date.Before(got[i-1].Date) {
				t.Errorf("%d: not sorted at %s", year, hd.Holiday)
			}
			if want, _ := HolidayDate(hd.Holiday, year); want != hd.Date {
				t.Errorf("%d: %s %s != HolidayDate %s", year, hd.Holiday, hd.Date, want)
			}
		}
		if len(seen) != 7 {
			t.Errorf("%d: holidays %v", year, got)
		}
	}
	// 2025: 中秋 (10-06) after 国庆 (10-01).
	got := HolidayDates(2025)
	if got[5].Holiday != nuanxin.HolidayNational || got[6].Holiday != nuanxin.HolidayMidAutumn {
		t.Errorf("2025 order = %v", got)
	}
}

func TestNearestHoliday(t *testing.T) {
	tests := []struct {
		on   string
		want nuanxin.Holiday
		year int
	}{
		{"2025-01-01", nuanxin.HolidayNewYear, 2025},    // on the day
		{"2025-01-02", nuanxin.HolidaySpring, 2025},     // 春节 01-29 is 27 days ahead
		{"2025-09-10", nuanxin.HolidayNational, 2025},   // 国庆 10-01 before 中秋 10-06
		{"2025-10-02", nuanxin.HolidayMidAutumn, 2025},  // 中秋 still to come
		{"2025-12-20", nuanxin.HolidayNewYear, 2026},    // next year's 元旦
		{"2025-07-15", nuanxin.HolidayDragonBoat, 2025}, // nothing within 60 days: the last one (05-31)
		{"2026-08-01", nuanxin.HolidayMidAutumn, 2026},  // 中秋 09-25 is 55 days ahead
		{"2026-07-20", nuanxin.HolidayDragonBoat, 2026}, // 中秋 67 days ahead: the last one (06-19)
		{"2030-04-05", nuanxin.HolidayQingming, 2030},   // 清明 on the day
		{"2030-04-06", nuanxin.HolidayLabour, 2030},     // 劳动节 25 days ahead
		{"2028-01-10", nuanxin.HolidaySpring, 2028},     // 春节 01-26
		{"2029-11-15", nuanxin.HolidayNewYear, 2030},    // 47 days ahead
		{"2029-10-25", nuanxin.HolidayNational, 2029},   // 元旦 68 days ahead: 国庆 (中秋 was 09-22)
		{"2031-10-01", nuanxin.HolidayMidAutumn, 2031},  // 中秋 and 国庆 on one day: nuanxin.Holidays order
		{"2024-02-10", nuanxin.HolidaySpring, 2024},
		{"2024-01-01", nuanxin.HolidayNewYear, 2024},
		{"2027-06-09", nuanxin.HolidayDragonBoat, 2027},
		{"2027-06-10", nuanxin.HolidayDragonBoat, 2027}, // 中秋 09-15 is 97 days ahead
	}
	for _, tt := range tests {
		h, y := NearestHoliday(d(tt.on))
		if h != tt.want || y != tt.year {
			t.Errorf("NearestHoliday(%s) = %s %d, want %s %d", tt.on, h, y, tt.want, tt.year)
		}
	}
	if h, y := NearestHoliday(nuanxin.NewDate(3000, 1, 1)); h != "" || y != 0 {
		t.Errorf("out of range = %s %d", h, y)
	}
}
