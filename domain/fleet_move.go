package domain

import (
	"crypto/rand"
	"encoding/base64"
	"time"
)

// CarMove is a fleet manager's (or an admin's) decision to move a car to
// another establishment: the car leaves From for To, keeping its plate,
// odometer, documents, deadlines, status and notes.
//
// Rules (FleetStore.MoveCar enforces them atomically with the move):
//   - To is another establishment, and it exists.
//   - The car has no current or coming reservation, and no ended one still
//     waiting for its hand-back: its schedule holds nothing live. Moving it
//     under a booked driver would leave the booking on a car that is no
//     longer there; the user cancels the bookings or lets them end (and be
//     handed back) first.
//   - No car with the same plate is registered in To.
//
// The car's past reservations and maintenance records stay in From, as
// that establishment's history (its reports keep them); the car starts
// with an empty schedule in To. Its calendar token is replaced: the feed
// URL names the establishment and the old one stops working, so whoever
// subscribed must subscribe to the new one.
type CarMove struct {
	Plate string
	From  string // the establishment the car is in
	To    string // the establishment it moves to
	By    string // the user who moves it
	At    time.Time
}

// Validate checks the move's own rules (the ones that need no store).
func (m CarMove) Validate() error {
	if p, err := NormalizePlate(m.Plate); err != nil || p != m.Plate {
		return Errorf(EINVALID, "err.fleet.plate", m.Plate)
	}
	if m.From == "" || m.To == "" {
		return Errorf(EINVALID, "err.fleet.car.establishment")
	}
	if m.From == m.To {
		return Errorf(EINVALID, "err.fleet.move.same", m.To)
	}
	if m.At.IsZero() {
		return Errorf(EINVALID, "err.invalid")
	}
	return nil
}

// Movable returns nil when the car whose schedule is s may leave its
// establishment at now: nothing in it is running, coming, or ended without
// a hand-back. Otherwise ECONFLICT, whose key says which.
func (s CarSchedule) Movable(now time.Time) error {
	live := s
	live.Slots = append([]Slot(nil), s.Slots...)
	live.Prune(now)
	for _, sl := range live.Slots {
		if sl.End.After(now) {
			return Errorf(ECONFLICT, "err.fleet.move.booked", s.Plate)
		}
	}
	if len(live.Slots) > 0 {
		return Errorf(ECONFLICT, "err.fleet.move.unreturned", s.Plate, live.Slots[0].ReservationID)
	}
	return nil
}

// Apply returns car as it is once moved: in To, with a new calendar token
// and the move's author and time; nothing else changes.
func (m CarMove) Apply(car Car) Car {
	car.Establishment = m.To
	car.CalendarToken = NewCalendarToken()
	car.UpdatedAt, car.UpdatedBy = m.At, m.By
	return car
}

// NewCalendarToken returns the secret of a car's calendar feed URL: 24
// random bytes, URL-safe.
func NewCalendarToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
