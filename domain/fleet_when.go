package domain

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The "when" of `dispo <when>` and `réserver <plate> <when>`, in French or
// English:
//
//	demain 14h-16h30          tomorrow 2pm-4:30pm
//	lundi 9h-12h              monday 9am-12pm
//	12/03 8h30-17h            (English: 03/12 is March 12)
//	2027-03-12 08:30-17:00    12 mars 14h-16h, march 12 2pm-4pm
//	aujourd'hui 14h-15h       today 14:00-15:00
//	lundi 9h - mercredi 17h   du 12/03 8h au 14/03 17h
//	demain de 14h à 16h       entre 9h et 11h (today)
//
// A weekday is the next such day whose start is not past (today included);
// a date without a year is the next such date. Times are wall-clock times
// in the given location (Europe/Paris): a time that does not exist that day
// (02:30 on the last Sunday of March) is refused; one that happens twice
// (02:30 on the last Sunday of October) is the first, summer-time one.

// WhenOptions tunes ParseWhen.
type WhenOptions struct {
	// MonthFirst reads 03/12 as March 12 (English); French reads 12 March.
	MonthFirst bool
}

type whenTok struct {
	kind      byte // 'd' day, 't' time, '-' separator
	day       dayRef
	hour, min int
	midnight  bool // "minuit": the end of the day
	text      string
}

type dayRef struct {
	rel     int          // days from today, when weekday < 0 and month == 0
	weekday time.Weekday // when isWeekday
	isWD    bool
	y, m, d int // an explicit date (y may be 0: the next such date)
}

var (
	isoDateRe   = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})`)
	slashDateRe = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?`)
	timeRe      = regexp.MustCompile(`^(\d{1,2})(?:(?:h|:)(\d{2})?|\s?(am|pm)|(?::(\d{2}))\s?(am|pm))`)
	colonTimeRe = regexp.MustCompile(`^(\d{1,2}):(\d{2})\s?(am|pm)?`)
	dayMonthRe  = regexp.MustCompile(`^(\d{1,2})(?:er|st|nd|rd|th)?\s+([a-z]+)(?:\s+(\d{4}))?`)
	monthDayRe  = regexp.MustCompile(`^([a-z]+)\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?`)
	bareHourRe  = regexp.MustCompile(`^(\d{1,2})(?:$|[ \-,])`)
	wordRe      = regexp.MustCompile(`^[a-z']+`)
)

var months = map[string]int{
	"janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
	"septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
	"janv": 1, "fevr": 2, "fev": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
	"september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
}

var weekdays = map[string]time.Weekday{
	"lundi": time.Monday, "mardi": time.Tuesday, "mercredi": time.Wednesday, "jeudi": time.Thursday,
	"vendredi": time.Friday, "samedi": time.Saturday, "dimanche": time.Sunday,
	"monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday, "thursday": time.Thursday,
	"friday": time.Friday, "saturday": time.Saturday, "sunday": time.Sunday,
	"mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday, "thu": time.Thursday, "fri": time.Friday,
	"sat": time.Saturday, "sun": time.Sunday,
}

var relDays = map[string]int{
	"aujourd'hui": 0, "aujourdhui": 0, "auj": 0, "today": 0, "demain": 1, "tomorrow": 1,
	"apres-demain": 2, "apres demain": 2, "day after tomorrow": 2,
}

var whenSeps = map[string]bool{"a": true, "au": true, "to": true, "until": true, "till": true, "jusqu'a": true,
	"jusqu'au": true, "et": true, "and": true}

var whenFillers = map[string]bool{"de": true, "du": true, "le": true, "la": true, "from": true, "on": true,
	"at": true, "entre": true, "between": true, "prochain": true, "next": true, "this": true, "ce": true,
	"the": true, "des": true, "depuis": true}

// foldWhen lower-cases s, removes French accents and unifies dashes and
// apostrophes.
func foldWhen(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer(
		"é", "e", "è", "e", "ê", "e", "ë", "e", "à", "a", "â", "a", "ä", "a", "î", "i", "ï", "i",
		"ô", "o", "ö", "o", "ù", "u", "û", "u", "ü", "u", "ç", "c", "’", "'", "–", "-", "—", "-",
		"→", "-", "->", "-", "\u00a0", " ",
	).Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

// tokenizeWhen splits a folded "when" into days, times and separators.
func tokenizeWhen(s string, o WhenOptions) ([]whenTok, error) {
	var toks []whenTok
	for i := 0; i < len(s); {
		rest := s[i:]
		if rest[0] == ' ' || rest[0] == ',' {
			i++
			continue
		}
		if m := isoDateRe.FindStringSubmatch(rest); m != nil {
			toks = append(toks, whenTok{kind: 'd', day: dayRef{y: atoi(m[1]), m: atoi(m[2]), d: atoi(m[3])}, text: m[0]})
			i += len(m[0])
			continue
		}
		if m := slashDateRe.FindStringSubmatch(rest); m != nil {
			a, b := atoi(m[1]), atoi(m[2])
			d, mo := a, b
			if o.MonthFirst {
				d, mo = b, a
			}
			y := 0
			if m[3] != "" {
				y = atoi(m[3])
				if y < 100 {
					y += 2000
				}
			}
			toks = append(toks, whenTok{kind: 'd', day: dayRef{y: y, m: mo, d: d}, text: m[0]})
			i += len(m[0])
			continue
		}
		if m := dayMonthRe.FindStringSubmatch(rest); m != nil && months[m[2]] > 0 {
			toks = append(toks, whenTok{kind: 'd', day: dayRef{y: atoi(m[3]), m: months[m[2]], d: atoi(m[1])}, text: m[0]})
			i += len(m[0])
			continue
		}
		if m := colonTimeRe.FindStringSubmatch(rest); m != nil {
			t, err := clockTime(m[1], m[2], m[3], m[0])
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
			i += len(m[0])
			continue
		}
		if m := timeRe.FindStringSubmatch(rest); m != nil {
			ampm := m[3] + m[5]
			mins := m[2] + m[4]
			t, err := clockTime(m[1], mins, ampm, m[0])
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
			i += len(m[0])
			continue
		}
		if m := bareHourRe.FindStringSubmatch(rest); m != nil {
			t, err := clockTime(m[1], "", "", m[1])
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
			i += len(m[1])
			continue
		}
		if rest[0] == '-' {
			toks = append(toks, whenTok{kind: '-', text: "-"})
			i++
			continue
		}
		if m := monthDayRe.FindStringSubmatch(rest); m != nil && months[m[1]] > 0 {
			toks = append(toks, whenTok{kind: 'd', day: dayRef{y: atoi(m[3]), m: months[m[1]], d: atoi(m[2])}, text: m[0]})
			i += len(m[0])
			continue
		}
		matched := false
		for phrase, n := range relDays {
			if strings.HasPrefix(rest, phrase) && (len(rest) == len(phrase) || !isLetter(rest[len(phrase)])) {
				toks = append(toks, whenTok{kind: 'd', day: dayRef{rel: n}, text: phrase})
				i += len(phrase)
				matched = true
				break
			}
		}
		if matched {
			continue
		}
		w := wordRe.FindString(rest)
		if w == "" {
			return nil, Errorf(EINVALID, "err.fleet.when.syntax", rest)
		}
		i += len(w)
		switch {
		case weekdays[w] != 0 || w == "dimanche" || w == "sunday" || w == "sun":
			toks = append(toks, whenTok{kind: 'd', day: dayRef{isWD: true, weekday: weekdays[w]}, text: w})
		case w == "midi" || w == "noon":
			toks = append(toks, whenTok{kind: 't', hour: 12, text: w})
		case w == "minuit" || w == "midnight":
			toks = append(toks, whenTok{kind: 't', midnight: true, text: w})
		case whenSeps[w]:
			toks = append(toks, whenTok{kind: '-', text: w})
		case whenFillers[w]:
		default:
			return nil, Errorf(EINVALID, "err.fleet.when.syntax", w)
		}
	}
	return toks, nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c == '\'' }

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func clockTime(h, m, ampm, text string) (whenTok, error) {
	hour, min := atoi(h), atoi(m)
	if len(h) > 2 || (m != "" && len(m) != 2) {
		return whenTok{}, Errorf(EINVALID, "err.fleet.when.bad_time", text)
	}
	switch ampm {
	case "am", "pm":
		if hour < 1 || hour > 12 {
			return whenTok{}, Errorf(EINVALID, "err.fleet.when.bad_time", text)
		}
		hour %= 12
		if ampm == "pm" {
			hour += 12
		}
	}
	if hour > 24 || min > 59 || (hour == 24 && min != 0) {
		return whenTok{}, Errorf(EINVALID, "err.fleet.when.bad_time", text)
	}
	if hour == 24 {
		return whenTok{kind: 't', midnight: true, text: text}, nil
	}
	return whenTok{kind: 't', hour: hour, min: min, text: text}, nil
}

// ParseWhen reads a "when" at now in loc and returns the interval in UTC.
// Errors are EINVALID with a key that says what is wrong (a syntax it does
// not know, a date or a time that does not exist, a time that the change to
// summer time skips, no time range, an end before the start). The booking
// rules (half hours, not past, not too long) are CheckBooking's.
func ParseWhen(s string, now time.Time, loc *time.Location, o WhenOptions) (Interval, error) {
	if len(s) > 100 {
		return Interval{}, Errorf(EINVALID, "err.fleet.when.syntax", s[:20]+"…")
	}
	toks, err := tokenizeWhen(foldWhen(s), o)
	if err != nil {
		return Interval{}, err
	}
	// Shape: [day] time sep [day] time.
	var left, right []whenTok
	sep := -1
	for i, t := range toks {
		if t.kind == '-' {
			if sep >= 0 {
				return Interval{}, Errorf(EINVALID, "err.fleet.when.syntax", t.text)
			}
			sep = i
		}
	}
	if sep < 0 {
		if len(toks) > 0 && !hasTime(toks) {
			return Interval{}, Errorf(EINVALID, "err.fleet.when.no_time")
		}
		return Interval{}, Errorf(EINVALID, "err.fleet.when.no_range")
	}
	left, right = toks[:sep], toks[sep+1:]
	// "demain de 14h à 16h": the day may come first on the left only.
	ld, lt, err := splitSide(left)
	if err != nil {
		return Interval{}, err
	}
	rd, rt, err := splitSide(right)
	if err != nil {
		return Interval{}, err
	}
	if lt == nil || rt == nil {
		return Interval{}, Errorf(EINVALID, "err.fleet.when.no_range")
	}
	if lt.midnight {
		lt = &whenTok{kind: 't', hour: 0, text: lt.text}
	}
	local := now.In(loc)
	today := civil(local)
	startDay, err := resolveDay(ld, today, today, lt, now, loc)
	if err != nil {
		return Interval{}, err
	}
	start, err := wallTime(startDay, lt.hour, lt.min, loc, lt.text)
	if err != nil {
		return Interval{}, err
	}
	endDay := startDay
	if rd != nil {
		if endDay, err = resolveDay(rd, today, startDay, nil, now, loc); err != nil {
			return Interval{}, err
		}
	}
	var end time.Time
	if rt.midnight {
		end, err = wallTime(endDay.addDays(1), 0, 0, loc, rt.text)
	} else {
		end, err = wallTime(endDay, rt.hour, rt.min, loc, rt.text)
	}
	if err != nil {
		return Interval{}, err
	}
	if !end.After(start) {
		return Interval{}, Errorf(EINVALID, "err.fleet.end_before_start")
	}
	return Interval{Start: start.UTC(), End: end.UTC()}, nil
}

func hasTime(toks []whenTok) bool {
	for _, t := range toks {
		if t.kind == 't' {
			return true
		}
	}
	return false
}

// splitSide reads "[day] time" (or "time day") of one side of the range.
func splitSide(toks []whenTok) (*dayRef, *whenTok, error) {
	var d *dayRef
	var t *whenTok
	for i := range toks {
		switch toks[i].kind {
		case 'd':
			if d != nil {
				return nil, nil, Errorf(EINVALID, "err.fleet.when.syntax", toks[i].text)
			}
			d = &toks[i].day
		case 't':
			if t != nil {
				return nil, nil, Errorf(EINVALID, "err.fleet.when.syntax", toks[i].text)
			}
			t = &toks[i]
		}
	}
	return d, t, nil
}

// date is a calendar day.
type date struct{ y, m, d int }

func civil(t time.Time) date {
	y, m, d := t.Date()
	return date{y, int(m), d}
}

func (d date) addDays(n int) date {
	return civil(time.Date(d.y, time.Month(d.m), d.d+n, 12, 0, 0, 0, time.UTC))
}

func (d date) weekday() time.Weekday {
	return time.Date(d.y, time.Month(d.m), d.d, 12, 0, 0, 0, time.UTC).Weekday()
}

func (d date) before(o date) bool {
	return d.y < o.y || d.y == o.y && (d.m < o.m || d.m == o.m && d.d < o.d)
}

func validDate(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 || y < 2000 || y > 2200 {
		return false
	}
	t := time.Date(y, time.Month(m), d, 12, 0, 0, 0, time.UTC)
	return t.Day() == d && int(t.Month()) == m
}

// resolveDay turns a day reference into a date. from is the first
// acceptable day (today, or the start's day for the end of a range); for a
// weekday or a date without year on the start side, a day whose start time
// has passed moves on by a week or a year.
func resolveDay(r *dayRef, today, from date, start *whenTok, now time.Time, loc *time.Location) (date, error) {
	if r == nil {
		return from, nil
	}
	past := func(d date) bool {
		if start == nil {
			return d.before(from)
		}
		t, err := wallTime(d, start.hour, start.min, loc, "")
		return err == nil && t.Before(now.Truncate(30*time.Minute))
	}
	switch {
	case r.isWD:
		d := from
		for d.weekday() != r.weekday {
			d = d.addDays(1)
		}
		if past(d) {
			d = d.addDays(7)
		}
		return d, nil
	case r.m != 0:
		y := r.y
		if y == 0 {
			y = from.y
			if validDate(y, r.m, r.d) && past(date{y, r.m, r.d}) && (date{y, r.m, r.d}).before(today) {
				y++
			}
		}
		if !validDate(y, r.m, r.d) {
			return date{}, Errorf(EINVALID, "err.fleet.when.bad_date", strconv.Itoa(r.d)+"/"+strconv.Itoa(r.m)+"/"+strconv.Itoa(y))
		}
		return date{y, r.m, r.d}, nil
	default:
		return today.addDays(r.rel), nil
	}
}

// wallTime is the instant of d at h:m in loc; EINVALID when that wall time
// does not exist (skipped by the change to summer time).
func wallTime(d date, h, m int, loc *time.Location, text string) (time.Time, error) {
	t := time.Date(d.y, time.Month(d.m), d.d, h, m, 0, 0, loc)
	if t.Hour() != h || t.Minute() != m || t.Day() != d.d {
		return time.Time{}, Errorf(EINVALID, "err.fleet.when.dst_gap", strings.TrimSpace(text))
	}
	// Of two instants with this wall time (the change back to winter
	// time), keep the first: Go may return either.
	if e := t.Add(-time.Hour); e.Hour() == h && e.Minute() == m && e.Day() == d.d {
		t = e
	}
	return t, nil
}

// ParseLocal reads a day (YYYY-MM-DD) and a time (HH:MM, as the card's date
// and time inputs send them) in loc. A time the change to summer time
// skips is refused like in ParseWhen.
func ParseLocal(day, clock string, loc *time.Location) (time.Time, error) {
	d, err := time.Parse("2006-01-02", strings.TrimSpace(day))
	if err != nil {
		return time.Time{}, Errorf(EINVALID, "err.fleet.form.date", strings.TrimSpace(day))
	}
	c, err := time.Parse("15:04", strings.TrimSpace(clock))
	if err != nil {
		// Some clients send seconds.
		if c, err = time.Parse("15:04:05", strings.TrimSpace(clock)); err != nil {
			return time.Time{}, Errorf(EINVALID, "err.fleet.form.time", strings.TrimSpace(clock))
		}
	}
	t, err := wallTime(date{d.Year(), int(d.Month()), d.Day()}, c.Hour(), c.Minute(), loc, clock)
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}

// LocalMidnight is the start of day (YYYY-MM-DD) in loc, in UTC; with
// next, the start of the day after (the instant a "valid until" day ends).
func LocalMidnight(day string, loc *time.Location, next bool) (time.Time, error) {
	d, err := time.Parse("2006-01-02", strings.TrimSpace(day))
	if err != nil {
		return time.Time{}, Errorf(EINVALID, "err.fleet.form.date", strings.TrimSpace(day))
	}
	if next {
		d = d.AddDate(0, 0, 1)
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc).UTC(), nil
}
