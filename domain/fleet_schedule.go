package domain

import (
	"slices"
	"time"
)

// Interval is [Start, End) in UTC.
type Interval struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Overlaps reports whether i and o share an instant (touching ends do not).
func (i Interval) Overlaps(o Interval) bool { return i.Start.Before(o.End) && o.Start.Before(i.End) }

// Duration is End - Start.
func (i Interval) Duration() time.Duration { return i.End.Sub(i.Start) }

// Slot is one reservation as the car's schedule keeps it.
type Slot struct {
	ReservationID string    `json:"reservationId"`
	UserID        string    `json:"userId"`
	UserName      string    `json:"userName,omitempty"`
	Start         time.Time `json:"start"`
	End           time.Time `json:"end"`
	// HandedBack is set by the hand-back; an ended slot stays in the
	// schedule until then, so that the reminder finds it.
	HandedBack bool `json:"handedBack,omitempty"`
}

// Interval returns the slot's interval.
func (s Slot) Interval() Interval { return Interval{s.Start, s.End} }

// CarSchedule is the live part of a car's planning: the reservations that
// have not ended yet, and those that ended without a hand-back. It is what
// makes a reservation atomic on every store (the reservation and the
// schedule are written together, guarded by the schedule's version) and
// what keeps availability independent of the history: a schedule only ever
// holds a car's coming weeks.
type CarSchedule struct {
	Plate         string `json:"plate"`
	Establishment string `json:"establishment"`
	Slots         []Slot `json:"slots"` // by start; never overlapping
	// Last is the latest slot pruned (ended and handed back): the car list's
	// "last reservation".
	Last *Slot `json:"last,omitempty"`
}

// unreturnedKeep is how long an ended slot without hand-back stays in the
// schedule (for the reminder and the user's list); then it is pruned.
const unreturnedKeep = 14 * 24 * time.Hour

// Validate checks the schedule's rules: sorted, non-overlapping slots.
func (s CarSchedule) Validate() error {
	if s.Plate == "" || s.Establishment == "" {
		return Errorf(EINVALID, "err.invalid")
	}
	for i, sl := range s.Slots {
		if !sl.End.After(sl.Start) || sl.ReservationID == "" {
			return Errorf(EINVALID, "err.invalid")
		}
		if i > 0 && s.Slots[i-1].End.After(sl.Start) {
			return Errorf(EINVALID, "err.invalid")
		}
	}
	return nil
}

// Clashes returns the slots that overlap iv, ignoring the reservation
// except (to shorten or move a booking).
func (s CarSchedule) Clashes(iv Interval, except string) []Slot {
	var out []Slot
	for _, sl := range s.Slots {
		if sl.ReservationID != except && sl.Interval().Overlaps(iv) {
			out = append(out, sl)
		}
	}
	return out
}

// Insert adds sl; ECONFLICT ("err.fleet.clash") when it overlaps a slot.
func (s *CarSchedule) Insert(sl Slot) error {
	if len(s.Clashes(sl.Interval(), "")) > 0 {
		return Errorf(ECONFLICT, "err.fleet.clash", s.Plate)
	}
	i, _ := slices.BinarySearchFunc(s.Slots, sl.Start, func(a Slot, t time.Time) int { return a.Start.Compare(t) })
	s.Slots = slices.Insert(s.Slots, i, sl)
	return nil
}

// Find returns the index of the reservation's slot, or -1.
func (s CarSchedule) Find(id string) int {
	return slices.IndexFunc(s.Slots, func(sl Slot) bool { return sl.ReservationID == id })
}

// Remove drops the reservation's slot (a cancellation).
func (s *CarSchedule) Remove(id string) {
	if i := s.Find(id); i >= 0 {
		s.Slots = slices.Delete(s.Slots, i, i+1)
	}
}

// Prune drops the slots that ended before now and were handed back (or
// ended long ago), keeping the latest of them as Last.
func (s *CarSchedule) Prune(now time.Time) {
	kept := s.Slots[:0]
	for _, sl := range s.Slots {
		ended := !sl.End.After(now)
		if ended && (sl.HandedBack || now.Sub(sl.End) > unreturnedKeep) {
			if s.Last == nil || sl.End.After(s.Last.End) {
				c := sl
				s.Last = &c
			}
			continue
		}
		kept = append(kept, sl)
	}
	s.Slots = kept
}

// Current returns the slot running at now.
func (s CarSchedule) Current(now time.Time) (Slot, bool) {
	for _, sl := range s.Slots {
		if !sl.Start.After(now) && sl.End.After(now) {
			return sl, true
		}
	}
	return Slot{}, false
}

// Next returns the first slot that starts after now.
func (s CarSchedule) Next(now time.Time) (Slot, bool) {
	for _, sl := range s.Slots {
		if sl.Start.After(now) {
			return sl, true
		}
	}
	return Slot{}, false
}

// LastEnded returns the latest slot that ended at or before now.
func (s CarSchedule) LastEnded(now time.Time) (Slot, bool) {
	var best Slot
	found := false
	if s.Last != nil && !s.Last.End.After(now) {
		best, found = *s.Last, true
	}
	for _, sl := range s.Slots {
		if !sl.End.After(now) && (!found || sl.End.After(best.End)) {
			best, found = sl, true
		}
	}
	return best, found
}

// Between returns the slots that overlap iv, by start.
func (s CarSchedule) Between(iv Interval) []Slot {
	return s.Clashes(iv, "")
}

// NextFree returns the first interval of length d, starting at or after
// from on a half hour, that overlaps no slot.
func (s CarSchedule) NextFree(from time.Time, d time.Duration) Interval {
	start := CeilHalfHour(from)
	for _, sl := range s.Slots {
		if !sl.End.After(start) {
			continue
		}
		if (Interval{start, start.Add(d)}).Overlaps(sl.Interval()) {
			start = CeilHalfHour(sl.End)
		}
	}
	return Interval{start, start.Add(d)}
}

// CeilHalfHour rounds t up to the next :00 or :30 (t itself when it is on
// one). Half hours are the same instants in UTC and in every time zone whose
// offset is a whole number of half hours (Paris included).
func CeilHalfHour(t time.Time) time.Time {
	f := t.Truncate(30 * time.Minute)
	if f.Equal(t) {
		return t
	}
	return f.Add(30 * time.Minute)
}
