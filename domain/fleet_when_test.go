package domain

import (
	"testing"
	"time"
)

func paris(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestParseWhen(t *testing.T) {
	loc := paris(t)
	// Thursday 26 March 2026, 10:00 in Paris (winter time, UTC+1); summer
	// time starts on Sunday 29 March at 02:00.
	now := time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC)
	z := func(s string) time.Time {
		v, err := time.Parse("2006-01-02 15:04", s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		in         string
		monthFirst bool
		start, end string // UTC
		key        string // the error's catalogue key
	}{
		{in: "demain 14h-16h30", start: "2026-03-27 13:00", end: "2026-03-27 15:30"},
		{in: "Demain  14H - 16H30", start: "2026-03-27 13:00", end: "2026-03-27 15:30"},
		{in: "demain de 14h à 16h30", start: "2026-03-27 13:00", end: "2026-03-27 15:30"},
		{in: "tomorrow 2pm-4:30pm", start: "2026-03-27 13:00", end: "2026-03-27 15:30"},
		{in: "tomorrow from 14:00 to 16:30", start: "2026-03-27 13:00", end: "2026-03-27 15:30"},
		{in: "aujourd'hui 14h-15h", start: "2026-03-26 13:00", end: "2026-03-26 14:00"},
		{in: "aujourd’hui 14h-15h", start: "2026-03-26 13:00", end: "2026-03-26 14:00"},
		{in: "today 14:00-15:00", start: "2026-03-26 13:00", end: "2026-03-26 14:00"},
		{in: "entre 14h et 15h", start: "2026-03-26 13:00", end: "2026-03-26 14:00"},
		{in: "14-16h", start: "2026-03-26 13:00", end: "2026-03-26 15:00"},
		{in: "après-demain 8h-9h", start: "2026-03-28 07:00", end: "2026-03-28 08:00"},
		// Monday is after the change: 9h is UTC+2.
		{in: "lundi 9h-12h", start: "2026-03-30 07:00", end: "2026-03-30 10:00"},
		{in: "monday 9am-12pm", start: "2026-03-30 07:00", end: "2026-03-30 10:00"},
		{in: "lundi prochain 9h-12h", start: "2026-03-30 07:00", end: "2026-03-30 10:00"},
		// Today is Thursday and 9h has passed: next Thursday.
		{in: "jeudi 9h-10h", start: "2026-04-02 07:00", end: "2026-04-02 08:00"},
		{in: "jeudi 15h-16h", start: "2026-03-26 14:00", end: "2026-03-26 15:00"},
		// 12 March has passed this year: next year's.
		{in: "12/03 8h30-17h", start: "2027-03-12 07:30", end: "2027-03-12 16:00"},
		{in: "2027-03-12 08:30-17:00", start: "2027-03-12 07:30", end: "2027-03-12 16:00"},
		{in: "12 mars 2027 8h30-17h", start: "2027-03-12 07:30", end: "2027-03-12 16:00"},
		{in: "03/12 8:30am-5pm", monthFirst: true, start: "2027-03-12 07:30", end: "2027-03-12 16:00"},
		{in: "march 12 2027 8:30am-5pm", start: "2027-03-12 07:30", end: "2027-03-12 16:00"},
		{in: "30/03/2026 9h-10h", start: "2026-03-30 07:00", end: "2026-03-30 08:00"},
		{in: "30/03/26 9h-10h", start: "2026-03-30 07:00", end: "2026-03-30 08:00"},
		// Across the change to summer time: 1h to 4h lasts two hours.
		{in: "dimanche 1h-4h", start: "2026-03-29 00:00", end: "2026-03-29 02:00"},
		{in: "samedi 22h - dimanche 10h", start: "2026-03-28 21:00", end: "2026-03-29 08:00"},
		{in: "du 28/03 22h au 29/03 10h", start: "2026-03-28 21:00", end: "2026-03-29 08:00"},
		{in: "dimanche 2h30-4h", key: "err.fleet.when.dst_gap"},
		{in: "29/03 1h-2h30", key: "err.fleet.when.dst_gap"},
		// Across the change to winter time (25 October): 1h to 4h lasts
		// four hours; 2h30 happens twice and is the first one.
		{in: "25/10 1h-4h", start: "2026-10-24 23:00", end: "2026-10-25 03:00"},
		{in: "25/10 2h30-3h", start: "2026-10-25 00:30", end: "2026-10-25 02:00"},
		{in: "vendredi 22h-minuit", start: "2026-03-27 21:00", end: "2026-03-27 23:00"},
		{in: "demain midi-14h", start: "2026-03-27 11:00", end: "2026-03-27 13:00"},
		{in: "31/02 8h-9h", key: "err.fleet.when.bad_date"},
		{in: "2026-13-01 8h-9h", key: "err.fleet.when.bad_date"},
		{in: "demain 25h-26h", key: "err.fleet.when.bad_time"},
		{in: "demain 14h75-15h", key: "err.fleet.when.bad_time"},
		{in: "demain 13pm-14pm", key: "err.fleet.when.bad_time"},
		{in: "demain 16h-14h", key: "err.fleet.end_before_start"},
		{in: "demain 14h-14h", key: "err.fleet.end_before_start"},
		{in: "demain", key: "err.fleet.when.no_time"},
		{in: "demain 14h", key: "err.fleet.when.no_range"},
		{in: "", key: "err.fleet.when.no_range"},
		{in: "bientôt", key: "err.fleet.when.syntax"},
		{in: "demain 9h-10h-11h", key: "err.fleet.when.syntax"},
		{in: "lundi mardi 9h-10h", key: "err.fleet.when.syntax"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseWhen(tc.in, now, loc, WhenOptions{MonthFirst: tc.monthFirst})
			if tc.key != "" {
				e := AsError(err)
				if e == nil || e.Key != tc.key || e.Code != EINVALID {
					t.Fatalf("ParseWhen(%q) = %v, %v; want %s", tc.in, got, err, tc.key)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseWhen(%q): %v", tc.in, err)
			}
			want := Interval{z(tc.start), z(tc.end)}
			if !got.Start.Equal(want.Start) || !got.End.Equal(want.End) {
				t.Fatalf("ParseWhen(%q) = %s – %s UTC; want %s – %s", tc.in,
					got.Start.Format(time.DateTime), got.End.Format(time.DateTime), want.Start.Format(time.DateTime), want.End.Format(time.DateTime))
			}
			if got.Start.Location() != time.UTC || got.End.Location() != time.UTC {
				t.Fatalf("ParseWhen(%q) is not in UTC", tc.in)
			}
		})
	}
}

func TestCheckBooking(t *testing.T) {
	now := time.Date(2026, 3, 26, 9, 10, 0, 0, time.UTC)
	h := func(hh, mm int) time.Time { return time.Date(2026, 3, 26, hh, mm, 0, 0, time.UTC) }
	for _, tc := range []struct {
		name       string
		start, end time.Time
		key        string
	}{
		{"current half hour", h(9, 0), h(10, 0), ""},
		{"later", h(14, 30), h(16, 0), ""},
		{"not on a half hour", h(14, 15), h(16, 0), "err.fleet.half_hour"},
		{"end not on a half hour", h(14, 0), h(16, 10), "err.fleet.half_hour"},
		{"end before start", h(16, 0), h(14, 0), "err.fleet.end_before_start"},
		{"past", h(8, 30), h(10, 0), "err.fleet.past"},
		{"five days", h(10, 0), h(10, 0).Add(5 * 24 * time.Hour), ""},
		{"too long", h(10, 0), h(10, 30).Add(5 * 24 * time.Hour), "err.fleet.too_long"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckBooking(Interval{tc.start, tc.end}, now, 0)
			if tc.key == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if e := AsError(err); e == nil || e.Key != tc.key {
				t.Fatalf("CheckBooking = %v, want %s", err, tc.key)
			}
		})
	}
}

func FuzzParseWhen(f *testing.F) {
	for _, s := range []string{"demain 14h-16h30", "lundi 9h-12h", "12/03 8h30-17h", "2027-03-12 08:30-17:00",
		"aujourd'hui 14h-15h", "tomorrow 2pm-4:30pm", "samedi 22h - dimanche 10h", "25/10 2h30-3h", "vendredi 22h-minuit",
		"12 mars 2027 8h30-17h", "march 12 9am-5pm", "entre 9 et 11h", "31/02 8h-9h", "dimanche 2h30-4h"} {
		f.Add(s, false)
	}
	loc := paris(f)
	now := time.Date(2026, 10, 22, 15, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string, monthFirst bool) {
		iv, err := ParseWhen(s, now, loc, WhenOptions{MonthFirst: monthFirst})
		if err != nil {
			if e := AsError(err); e == nil || e.Code != EINVALID || e.Key == "" {
				t.Fatalf("ParseWhen(%q) failed without a catalogue error: %v", s, err)
			}
			return
		}
		if !iv.End.After(iv.Start) || iv.Start.Location() != time.UTC || iv.End.Location() != time.UTC {
			t.Fatalf("ParseWhen(%q) = %v", s, iv)
		}
		if iv.Start.Year() < 2000 || iv.End.Year() > 2201 {
			t.Fatalf("ParseWhen(%q) = %v: out of range", s, iv)
		}
	})
}
