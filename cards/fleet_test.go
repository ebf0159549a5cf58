package cards

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/anras/parc/domain"
)

func TestRelative(t *testing.T) {
	w := sampleFleetTime() // Thursday 26 March 2026, 10:00 in Paris
	for _, tc := range []struct {
		d      time.Duration
		fr, en string
	}{
		{20 * time.Second, "à l'instant", "just now"},
		{-20 * time.Second, "à l'instant", "just now"},
		{55 * time.Minute, "dans 55 min", "in 55 min"},
		{-55 * time.Minute, "il y a 55 min", "55 min ago"},
		{3*time.Hour + 59*time.Minute, "dans 3 h", "in 3 h"},
		{-23 * time.Hour, "il y a 23 h", "23 h ago"},
		{-5 * 24 * time.Hour, "il y a 5 j", "5 d ago"},
		// Five calendar days after Thursday 10:00 is Tuesday 10:00 summer
		// time: 119 hours, still "in 5 days".
		{5*24*time.Hour - time.Hour, "dans 5 j", "in 5 d"},
		{-(25 * time.Hour), "il y a 1 j", "1 d ago"},
	} {
		at := w.Now.Add(tc.d)
		if got := FleetRelative(FR, w, at); got != strings.ReplaceAll(tc.fr, " ", "\u00a0") && got != tc.fr {
			t.Errorf("FleetRelative(FR, %v) = %q, want %q", tc.d, got, tc.fr)
		}
		if got := FleetRelative(EN, w, at); got != tc.en {
			t.Errorf("FleetRelative(EN, %v) = %q, want %q", tc.d, got, tc.en)
		}
	}
}

func TestRangeAcrossDST(t *testing.T) {
	w := sampleFleetTime()
	for _, tc := range []struct {
		start, end time.Time
		fr, en     string
	}{
		{time.Date(2026, 3, 27, 13, 0, 0, 0, time.UTC), time.Date(2026, 3, 27, 15, 30, 0, 0, time.UTC),
			"vendredi 27 mars, 14h00 – 16h30", "Friday 27 March, 14:00 – 16:30"},
		// Saturday 22:00 winter time to Sunday 10:00 summer time.
		{time.Date(2026, 3, 28, 21, 0, 0, 0, time.UTC), time.Date(2026, 3, 29, 8, 0, 0, 0, time.UTC),
			"du samedi 28 mars 22h00 au dimanche 29 mars 10h00", "from Saturday 28 March 22:00 to Sunday 29 March 10:00"},
		// The night of the change back: 01:00 summer time to 04:00 winter time.
		{time.Date(2026, 10, 24, 23, 0, 0, 0, time.UTC), time.Date(2026, 10, 25, 3, 0, 0, 0, time.UTC),
			"dimanche 25 octobre, 1h00 – 4h00", "Sunday 25 October, 1:00 – 4:00"},
		// Ending at midnight stays on its day.
		{time.Date(2026, 3, 27, 21, 0, 0, 0, time.UTC), time.Date(2026, 3, 27, 23, 0, 0, 0, time.UTC),
			"vendredi 27 mars, 22h00 – 0h00", "Friday 27 March, 22:00 – 0:00"},
	} {
		iv := domain.Interval{Start: tc.start, End: tc.end}
		if got := FleetRange(FR, w, iv); got != tc.fr {
			t.Errorf("FleetRange(FR) = %q, want %q", got, tc.fr)
		}
		if got := FleetRange(EN, w, iv); got != tc.en {
			t.Errorf("FleetRange(EN) = %q, want %q", got, tc.en)
		}
	}
}

func TestEurosAndHours(t *testing.T) {
	for _, tc := range []struct {
		cents  int64
		fr, en string
	}{{0, "0,00 €", "€0.00"}, {4250, "42,50 €", "€42.50"}, {5, "0,05 €", "€0.05"}, {-1999, "-19,99 €", "-€19.99"}} {
		if got := FleetEuros(FR, tc.cents); got != tc.fr {
			t.Errorf("FleetEuros(FR, %d) = %q", tc.cents, got)
		}
		if got := FleetEuros(EN, tc.cents); got != tc.en {
			t.Errorf("FleetEuros(EN, %d) = %q", tc.cents, got)
		}
	}
	if got := FleetHours(FR, 12.5); got != "12,5 h" {
		t.Errorf("FleetHours(FR) = %q", got)
	}
}

// Whatever the size of the fleet, every fleet card stays under Teams'
// limit: the cards page or cut their lists.
func TestFleetCardsStayUnderTheSizeLimit(t *testing.T) {
	w := sampleFleetTime()
	long := strings.Repeat("Très long nom de modèle ", 5)
	var cars []domain.Car
	var rows []CarRow
	var items []MineItem
	var busy []BusyCar
	var res []domain.Reservation
	for i := range 500 {
		c := sampleCar(fmt.Sprintf("AB-%03d-CD", i), "Renault", long)
		c.StatusNote = strings.Repeat("note ", 100)
		cars = append(cars, c)
		rows = append(rows, CarRow{Car: c, Last: w.Now.Add(-time.Hour), Next: w.Now.Add(time.Hour)})
		r := sampleReservation(c, strings.Repeat("Nom ", 20), w.Now.Add(time.Duration(i)*time.Hour), time.Hour)
		r.Purpose = strings.Repeat("motif ", 40)
		items = append(items, MineItem{Reservation: r, Car: c})
		busy = append(busy, BusyCar{Car: c, Reason: c.StatusNote})
		res = append(res, r)
	}
	iv := domain.Interval{Start: w.Now.Add(time.Hour), End: w.Now.Add(3 * time.Hour)}
	rep := domain.BuildFleetReport("DITEP-STF", domain.MonthPeriod(w.Now.AddDate(-1, 0, 0), w.Now, w.Loc), cars, res, nil, w.Now, w.Loc)
	sched := domain.CarSchedule{Plate: cars[0].Plate, Establishment: "DITEP-STF"}
	for i := range 300 {
		s := w.Now.Add(time.Duration(i) * 30 * time.Minute)
		sched.Slots = append(sched.Slots, domain.Slot{ReservationID: fmt.Sprintf("R-%08d", i), UserName: strings.Repeat("Nom ", 20), Start: s, End: s.Add(30 * time.Minute)})
	}
	for _, l := range Languages {
		for name, c := range map[string]Card{
			"availability": FleetAvailabilityCard(l, w, FleetFree{Interval: iv, Free: cars, Busy: busy}),
			"cars":         FleetCarsCard(l, w, "DITEP", rows, 7, true),
			"mine":         FleetMineCard(l, w, items, ""),
			"clash":        FleetClashCard(l, w, iv, cars[0], cars, iv),
			"report":       FleetReportCard(l, w, "DITEP", rep, 12, "https://x/c.png", "https://x/r.xlsx"),
			"status":       FleetStatusChangedCard(l, w, cars[0], res, 500),
			"detail":       FleetCarCard(l, w, domain.CarState{Car: cars[0], Schedule: sched}, true, ""),
			"deadlines":    FleetDeadlineReminderCard(l, w, "DITEP", domain.UpcomingDeadlines(cars, w.Now, 60*24*time.Hour)),
		} {
			if size := c.Size(); size >= MaxPayloadBytes || size == 0 {
				t.Errorf("%s card in %s is %d bytes (limit %d)", name, l, size, MaxPayloadBytes)
			}
		}
	}
}
