package domain

import (
	"sort"
	"time"
)

// CarUsage is one car's line of a fleet report.
type CarUsage struct {
	Plate            string
	CarName          string
	Reservations     int
	Hours            float64
	Km               int
	MaintenanceCents int64
	ExpenseCents     int64
}

// MonthUsage is one month of a fleet report (the chart).
type MonthUsage struct {
	Month        time.Time // the first day of the month, in the report's location
	Reservations int
	Hours        float64
}

// FleetReport is the usage and costs of an establishment's cars over a
// period: per car, per month, the totals and the coming deadlines.
type FleetReport struct {
	Establishment string
	Period        Interval
	Cars          []CarUsage
	Months        []MonthUsage
	Total         CarUsage
	Deadlines     []Deadline
}

// MonthPeriod returns [first day of from's month, first day of the month
// after to's month) in loc, in UTC.
func MonthPeriod(from, to time.Time, loc *time.Location) Interval {
	f, t := from.In(loc), to.In(loc)
	return Interval{
		Start: time.Date(f.Year(), f.Month(), 1, 0, 0, 0, 0, loc).UTC(),
		End:   time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, loc).UTC(),
	}
}

// BuildFleetReport adds up the reservations (those that start in the
// period and were not cancelled) and the maintenance records of the cars.
// Months are calendar months in loc; a reservation counts in the month it
// starts.
func BuildFleetReport(est string, period Interval, cars []Car, res []Reservation, maint []MaintenanceRecord, now time.Time, loc *time.Location) FleetReport {
	rep := FleetReport{Establishment: est, Period: period}
	idx := map[string]int{}
	for _, c := range cars {
		idx[c.Plate] = len(rep.Cars)
		rep.Cars = append(rep.Cars, CarUsage{Plate: c.Plate, CarName: c.Name()})
	}
	line := func(plate string) *CarUsage {
		i, ok := idx[plate]
		if !ok {
			i = len(rep.Cars)
			idx[plate] = i
			rep.Cars = append(rep.Cars, CarUsage{Plate: plate, CarName: plate})
		}
		return &rep.Cars[i]
	}
	months := map[time.Time]*MonthUsage{}
	for m := period.Start.In(loc); m.Before(period.End); m = time.Date(m.Year(), m.Month()+1, 1, 0, 0, 0, 0, loc) {
		first := time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, loc)
		months[first] = &MonthUsage{Month: first}
	}
	for _, r := range res {
		if r.Status != ReservationActive || r.Start.Before(period.Start) || !r.Start.Before(period.End) {
			continue
		}
		u := line(r.Plate)
		h := r.Duration().Hours()
		u.Reservations++
		u.Hours += h
		u.ExpenseCents += r.ExpensesCents()
		if r.Handback != nil {
			u.Km += r.Handback.Km()
		}
		s := r.Start.In(loc)
		first := time.Date(s.Year(), s.Month(), 1, 0, 0, 0, 0, loc)
		if mu := months[first]; mu != nil {
			mu.Reservations++
			mu.Hours += h
		}
	}
	for _, m := range maint {
		if m.Date.Before(period.Start) || !m.Date.Before(period.End) {
			continue
		}
		line(m.Plate).MaintenanceCents += m.CostCents
	}
	for _, u := range rep.Cars {
		rep.Total.Reservations += u.Reservations
		rep.Total.Hours += u.Hours
		rep.Total.Km += u.Km
		rep.Total.MaintenanceCents += u.MaintenanceCents
		rep.Total.ExpenseCents += u.ExpenseCents
	}
	for _, mu := range months {
		rep.Months = append(rep.Months, *mu)
	}
	sort.Slice(rep.Months, func(i, j int) bool { return rep.Months[i].Month.Before(rep.Months[j].Month) })
	rep.Deadlines = UpcomingDeadlines(cars, now, 60*24*time.Hour)
	return rep
}

// Duration is the reservation's length.
func (r Reservation) Duration() time.Duration { return r.End.Sub(r.Start) }
