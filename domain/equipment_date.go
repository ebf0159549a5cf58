package domain

import (
	"strings"
	"time"
)

// Date is a calendar day, "2026-11-28": a purchase, the end of a warranty,
// the day a loan is due. It has no time zone; "today" is the day it is in
// the establishment's time zone (Europe/Paris). The zero Date is "no date".
// Dates compare as strings.
type Date string

const dateLayout = "2006-01-02"

// ParseDate reads YYYY-MM-DD, or DD/MM/YYYY as French users write it;
// EINVALID (err.date) otherwise. An empty string is the zero Date.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	for _, layout := range []string{dateLayout, "02/01/2006", "2/1/2006"} {
		if t, err := time.Parse(layout, s); err == nil && t.Year() >= 1990 && t.Year() <= 2200 {
			return Date(t.Format(dateLayout)), nil
		}
	}
	return "", Errorf(EINVALID, "err.date", clip(s, 20))
}

// DateOf is the day t falls on in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	return Date(t.In(loc).Format(dateLayout))
}

// IsZero reports whether d is "no date".
func (d Date) IsZero() bool { return d == "" }

// Valid reports whether d is a real day (or zero).
func (d Date) Valid() bool {
	if d == "" {
		return true
	}
	_, err := time.Parse(dateLayout, string(d))
	return err == nil
}

// Time is midnight at the start of d in loc.
func (d Date) Time(loc *time.Location) time.Time {
	t, err := time.ParseInLocation(dateLayout, string(d), loc)
	if err != nil {
		return time.Time{}
	}
	return t
}

// AddDays returns the day n days after d (before, for a negative n).
func (d Date) AddDays(n int) Date {
	t, err := time.Parse(dateLayout, string(d))
	if err != nil {
		return d
	}
	return Date(t.AddDate(0, 0, n).Format(dateLayout))
}

// DaysUntil is the number of calendar days from d to e (negative when e is
// before d), whatever the clock changes between them.
func (d Date) DaysUntil(e Date) int {
	a, err1 := time.Parse(dateLayout, string(d))
	b, err2 := time.Parse(dateLayout, string(e))
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(b.Sub(a).Hours() / 24)
}

// French writes d as French users read it, "28/11/2026".
func (d Date) French() string {
	t, err := time.Parse(dateLayout, string(d))
	if err != nil {
		return string(d)
	}
	return t.Format("02/01/2006")
}
