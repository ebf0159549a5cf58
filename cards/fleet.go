package cards

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/anras/parc/domain"
)

// Verbs of the pool cars' cards.
const (
	VerbFleetSearchForm   = "fleet.search.form"
	VerbFleetSearch       = "fleet.search"
	VerbFleetReserveForm  = "fleet.reserve.form"
	VerbFleetReserve      = "fleet.reserve"
	VerbFleetMine         = "fleet.mine"
	VerbFleetCancel       = "fleet.cancel"
	VerbFleetShorten      = "fleet.shorten"
	VerbFleetHandbackForm = "fleet.handback.form"
	VerbFleetHandback     = "fleet.handback"
	VerbFleetExpense      = "fleet.expense"
	VerbFleetCars         = "fleet.cars"
	VerbFleetCar          = "fleet.car"
	VerbFleetPickEst      = "fleet.establishment"
	VerbFleetCarForm      = "fleet.car.form"
	VerbFleetCarSave      = "fleet.car.save"
	VerbFleetCarStatus    = "fleet.car.status"
	VerbFleetMaintForm    = "fleet.maintenance.form"
	VerbFleetMaintAdd     = "fleet.maintenance.add"
	VerbFleetReport       = "fleet.report"
	VerbFleetCalendar     = "fleet.calendar"
	VerbFleetCalendarNew  = "fleet.calendar.regenerate"
)

// FleetTime is how the fleet cards show time: the present instant and the
// place whose clock people read (Europe/Paris).
type FleetTime struct {
	Now time.Time
	Loc *time.Location
}

func (w FleetTime) in(t time.Time) time.Time {
	if w.Loc == nil {
		return t.UTC()
	}
	return t.In(w.Loc)
}

// Clock writes a time of day: 14h30, 2:30 pm... from the catalogue.
func FleetClock(l Lang, t time.Time) string { return l.T("fleet.fmt.clock", t.Hour(), t.Minute()) }

// Day writes a date with its weekday: "lundi 30 mars".
func FleetDay(l Lang, t time.Time) string {
	return l.T("fleet.fmt.day", l.T(fmt.Sprintf("fleet.weekday.%d", int(t.Weekday()))), t.Day(), l.T(fmt.Sprintf("fleet.month.%d", int(t.Month()))))
}

// ShortDay writes a date without the weekday: "30 mars 2027".
func FleetShortDay(l Lang, t time.Time) string {
	return l.T("fleet.fmt.date", t.Day(), l.T(fmt.Sprintf("fleet.month.%d", int(t.Month()))), t.Year())
}

// Range writes an interval in w's location: "lundi 30 mars, 9h00 – 12h00",
// or with both days when it spans several.
func FleetRange(l Lang, w FleetTime, iv domain.Interval) string {
	s, e := w.in(iv.Start), w.in(iv.End)
	sy, sm, sd := s.Date()
	ey, em, ed := e.Add(-time.Nanosecond).Date()
	if sy == ey && sm == em && sd == ed {
		return l.T("fleet.fmt.range_day", FleetDay(l, s), FleetClock(l, s), FleetClock(l, e))
	}
	return l.T("fleet.fmt.range", FleetDay(l, s), FleetClock(l, s), FleetDay(l, e), FleetClock(l, e))
}

// Relative writes how far t is from w's present: "à l'instant", "dans 55
// min", "il y a 3 h", "il y a 5 j". Days are calendar days where people
// live, so that the change of time does not make five days four.
func FleetRelative(l Lang, w FleetTime, t time.Time) string {
	d := t.Sub(w.Now)
	future := d > 0
	if !future {
		d = -d
	}
	var n int
	var unit string
	switch {
	case d < time.Minute:
		return l.T("fleet.rel.now")
	case d < time.Hour:
		n, unit = int(d/time.Minute), "min"
	case d < 24*time.Hour:
		n, unit = int(d/time.Hour), "h"
	default:
		loc := w.Loc
		if loc == nil {
			loc = time.UTC
		}
		n, unit = domain.DaysBetween(w.Now, t, loc), "d"
		if n < 0 {
			n = -n
		}
	}
	if future {
		return l.T("fleet.rel.in."+unit, n)
	}
	return l.T("fleet.rel.ago."+unit, n)
}

// Euros writes an amount of cents: "12,50 €" / "€12.50".
func FleetEuros(l Lang, cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return sign + l.T("fleet.fmt.euros", cents/100, cents%100)
}

// Hours writes a number of hours with one decimal: "12,5 h" / "12.5 h".
func FleetHours(l Lang, h float64) string {
	s := strconv.FormatFloat(h, 'f', 1, 64)
	if l == FR {
		s = strings.Replace(s, ".", ",", 1)
	}
	return l.T("fleet.fmt.hours", s)
}

// CarTitle is "Renault Clio · AB-123-CD".
func CarTitle(c domain.Car) string { return c.Name() + " · " + c.Plate }

// statusText names a car's status.
func statusText(l Lang, s domain.CarStatus) string { return l.T("fleet.status." + string(s)) }

// fleetBack is the row of buttons at the foot of most fleet cards.
func fleetBack(l Lang) []Action {
	return []Action{
		Execute{Title: l.T("fleet.menu.search"), Verb: VerbFleetSearchForm, AssociatedInputs: "none"},
		Execute{Title: l.T("fleet.menu.mine"), Verb: VerbFleetMine, AssociatedInputs: "none"},
		Execute{Title: l.T("fleet.menu.cars"), Verb: VerbFleetCars, AssociatedInputs: "none"},
	}
}

// isoDay and hhmm are the values of Input.Date and Input.Time.
func isoDay(t time.Time) string { return t.Format("2006-01-02") }
func hhmm(t time.Time) string   { return t.Format("15:04") }

// stamp is an instant in card data (UTC, RFC 3339).
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
