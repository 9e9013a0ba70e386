package nuanxin

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Shanghai is the zone every civil date is taken in.
var Shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil { // no tzdata on the machine: China has had no DST since 1991
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// Date is a civil date (no time, no zone). The zero value is "no date" and
// stores as NULL.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date, normalising overflow like time.Date.
func NewDate(y int, m time.Month, d int) Date {
	return DateOf(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// DateOf returns the calendar date of t as seen in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// Today is the current date in Asia/Shanghai.
func Today() Date { return DateOf(time.Now().In(Shanghai)) }

// ParseDate parses YYYY-MM-DD; "" gives the zero Date.
func ParseDate(s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, Errorf(EINVALID, "err.date_format", s)
	}
	return DateOf(t), nil
}

func (d Date) IsZero() bool { return d.Year == 0 && d.Month == 0 && d.Day == 0 }

func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Chinese renders 2024年3月5日.
func (d Date) Chinese() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d年%d月%d日", d.Year, d.Month, d.Day)
}

func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }
func (d Date) After(o Date) bool  { return d.Compare(o) > 0 }

// Compare returns -1, 0 or 1.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmpInt(d.Year, o.Year)
	case d.Month != o.Month:
		return cmpInt(int(d.Month), int(o.Month))
	}
	return cmpInt(d.Day, o.Day)
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// AddDays returns the date n days later.
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// AgeOn is the age in whole years on day `on` (a 29 Feb birthday ages on 1 Mar).
func (d Date) AgeOn(on Date) int {
	age := on.Year - d.Year
	if on.Month < d.Month || (on.Month == d.Month && on.Day < d.Day) {
		age--
	}
	return age
}

// Value stores a Date as 'YYYY-MM-DD' text, which both SQLite (TEXT) and
// PostgreSQL (DATE) accept.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads TEXT (SQLite) or DATE (PostgreSQL, as time.Time).
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
	case time.Time:
		*d = DateOf(v)
	case string:
		return d.scanString(v)
	case []byte:
		return d.scanString(string(v))
	default:
		return fmt.Errorf("nuanxin.Date: cannot scan %T", src)
	}
	return nil
}

func (d *Date) scanString(s string) error {
	if len(s) > 10 {
		s = s[:10]
	}
	v, err := ParseDate(s)
	if err != nil {
		return fmt.Errorf("nuanxin.Date: bad stored date %q", s)
	}
	*d = v
	return nil
}

func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
