package domain

import (
	"testing"
	"time"
)

func TestCarMoveValidate(t *testing.T) {
	at := time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC)
	ok := CarMove{Plate: "AB-123-CD", From: "DITEP-STF", To: "ANRAS-SOC", By: "u1", At: at}
	for _, tc := range []struct {
		name string
		edit func(*CarMove)
		key  string
	}{
		{"valid", func(*CarMove) {}, ""},
		{"same establishment", func(m *CarMove) { m.To = m.From }, "err.fleet.move.same"},
		{"no target", func(m *CarMove) { m.To = "" }, "err.fleet.car.establishment"},
		{"plate as typed", func(m *CarMove) { m.Plate = "ab123cd" }, "err.fleet.plate"},
		{"no time", func(m *CarMove) { m.At = time.Time{} }, "err.invalid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := ok
			tc.edit(&m)
			err := m.Validate()
			if tc.key == "" {
				if err != nil {
					t.Fatalf("Validate = %v", err)
				}
				return
			}
			if e := AsError(err); e == nil || e.Code != EINVALID || e.Key != tc.key {
				t.Fatalf("Validate = %v, want EINVALID %s", err, tc.key)
			}
		})
	}
}

// Movable is checked around the change to summer time (Sunday 29 March
// 2026, 02:00 Paris): a slot is live until its end instant, whatever the
// clocks say.
func TestCarScheduleMovable(t *testing.T) {
	now := time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC) // 01:30 Paris, half an hour before the change
	slot := func(id string, start time.Time, d time.Duration, back bool) Slot {
		return Slot{ReservationID: id, UserID: "u1", Start: start, End: start.Add(d), HandedBack: back}
	}
	for _, tc := range []struct {
		name  string
		slots []Slot
		key   string
	}{
		{"empty", nil, ""},
		{"ended and handed back", []Slot{slot("R-AAAAAAAA", now.Add(-3*time.Hour), time.Hour, true)}, ""},
		{"ended without hand-back long ago (pruned)", []Slot{slot("R-AAAAAAAA", now.Add(-20*24*time.Hour), time.Hour, false)}, ""},
		{"ended at now, handed back", []Slot{slot("R-AAAAAAAA", now.Add(-time.Hour), time.Hour, true)}, ""},
		{"running across the change", []Slot{slot("R-BBBBBBBB", now.Add(-30*time.Minute), 2*time.Hour, false)}, "err.fleet.move.booked"},
		{"coming", []Slot{slot("R-CCCCCCCC", now.Add(24*time.Hour), time.Hour, false)}, "err.fleet.move.booked"},
		{"ended without hand-back", []Slot{slot("R-DDDDDDDD", now.Add(-2*time.Hour), time.Hour, false)}, "err.fleet.move.unreturned"},
		{"unreturned and coming", []Slot{slot("R-DDDDDDDD", now.Add(-2*time.Hour), time.Hour, false), slot("R-CCCCCCCC", now.Add(time.Hour), time.Hour, false)}, "err.fleet.move.booked"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := CarSchedule{Plate: "AB-123-CD", Establishment: "DITEP-STF", Slots: tc.slots}
			before := len(s.Slots)
			err := s.Movable(now)
			if len(s.Slots) != before || (before > 0 && s.Slots[0].ReservationID != tc.slots[0].ReservationID) {
				t.Fatal("Movable changed the schedule it checks")
			}
			if tc.key == "" {
				if err != nil {
					t.Fatalf("Movable = %v", err)
				}
				return
			}
			if e := AsError(err); e == nil || e.Code != ECONFLICT || e.Key != tc.key || e.Args[0] != "AB-123-CD" {
				t.Fatalf("Movable = %v, want ECONFLICT %s", err, tc.key)
			}
		})
	}
}

func TestCarMoveApplyKeepsTheCar(t *testing.T) {
	at := time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC) // during the change to winter time
	car := Car{Plate: "AB-123-CD", Establishment: "DITEP-STF", Make: "Renault", Model: "Clio", Year: 2021, VIN: "VF1RJA00067123456",
		Status: CarDamaged, StatusNote: "Rayure", StatusSince: at.Add(-time.Hour), Odometer: 48210, Notes: "Siège bébé",
		Documents: []CarDocument{{Kind: CarDocInsurance, URL: "https://example.org/a.pdf"}},
		Deadlines: Deadlines{InspectionDue: at.AddDate(1, 0, 0), NextServiceKm: 60000}, CalendarToken: "old", CreatedAt: at.AddDate(-1, 0, 0)}
	m := CarMove{Plate: car.Plate, From: "DITEP-STF", To: "ANRAS-SOC", By: "u-manon", At: at}
	got := m.Apply(car)
	if got.Establishment != "ANRAS-SOC" || got.CalendarToken == "" || got.CalendarToken == "old" || !got.UpdatedAt.Equal(at) || got.UpdatedBy != "u-manon" {
		t.Fatalf("moved car = %+v", got)
	}
	want := car
	want.Establishment, want.CalendarToken, want.UpdatedAt, want.UpdatedBy = got.Establishment, got.CalendarToken, got.UpdatedAt, got.UpdatedBy
	if got.Status != want.Status || got.Odometer != want.Odometer || got.Notes != want.Notes || got.StatusNote != want.StatusNote ||
		len(got.Documents) != 1 || got.Deadlines != want.Deadlines || !got.CreatedAt.Equal(want.CreatedAt) {
		t.Fatalf("the move changed more than the establishment and the token: %+v", got)
	}
	if err := got.Validate(); err != nil {
		t.Fatal(err)
	}
	if a, b := NewCalendarToken(), NewCalendarToken(); a == b || len(a) != 32 {
		t.Fatalf("calendar tokens %q, %q", a, b)
	}
}
