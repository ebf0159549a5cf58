package domain

import (
	"crypto/rand"
	"regexp"
	"strings"
	"time"
)

// ReservationStatus is where a reservation stands.
type ReservationStatus string

const (
	ReservationActive    ReservationStatus = "active"
	ReservationCancelled ReservationStatus = "cancelled"
)

// FuelLevel is the tank at hand-back, in quarters.
type FuelLevel string

// FuelLevels lists the levels a driver can pick.
var FuelLevels = []FuelLevel{"empty", "quarter", "half", "three_quarters", "full"}

// ExpenseKind is what a driver paid for with a car.
type ExpenseKind string

// ExpenseKinds lists the expenses a driver can declare.
var ExpenseKinds = []ExpenseKind{"fuel", "washing", "toll", "parking", "other"}

// Expense is money a driver spent for the car during a reservation, with
// its receipt: a link, or a file sent in the chat (its name and link).
type Expense struct {
	Kind        ExpenseKind `json:"kind"`
	AmountCents int64       `json:"amountCents"`
	ReceiptName string      `json:"receiptName,omitempty"`
	ReceiptURL  string      `json:"receiptUrl,omitempty"`
	At          time.Time   `json:"at"`
}

// Validate checks an expense: a known kind, an amount between 0.01 and
// 10,000 euros, a receipt link when there is one.
func (e Expense) Validate() error {
	if !containsStr(ExpenseKinds, e.Kind) {
		return Errorf(EINVALID, "err.fleet.expense.kind", string(e.Kind))
	}
	if e.AmountCents <= 0 || e.AmountCents > 1_000_000 {
		return Errorf(EINVALID, "err.fleet.expense.amount")
	}
	if e.ReceiptURL != "" && !IsWebLink(e.ReceiptURL) {
		return Errorf(EINVALID, "err.fleet.link", e.ReceiptURL)
	}
	return nil
}

// Handback is what the driver says when bringing the car back.
type Handback struct {
	At            time.Time `json:"at"`
	By            string    `json:"by"`
	OdometerStart int       `json:"odometerStart"` // the car's reading before
	Odometer      int       `json:"odometer"`
	Fuel          FuelLevel `json:"fuel,omitempty"`
	Damage        string    `json:"damage,omitempty"`
}

// Km is the distance driven.
func (h Handback) Km() int { return max(0, h.Odometer-h.OdometerStart) }

// Reservation is one booking of a car by one user. Times are UTC, on :00 or
// :30. Only its owner or a fleet manager may cancel or shorten it.
type Reservation struct {
	ID            string            `json:"id"` // the reference users see: R-7K3F9QXA
	Plate         string            `json:"plate"`
	Establishment string            `json:"establishment"`
	UserID        string            `json:"userId"`
	UserName      string            `json:"userName,omitempty"`
	Start         time.Time         `json:"start"`
	End           time.Time         `json:"end"`
	Purpose       string            `json:"purpose,omitempty"`
	Status        ReservationStatus `json:"status"`
	CreatedAt     time.Time         `json:"createdAt"`
	CancelledAt   time.Time         `json:"cancelledAt,omitzero"`
	CancelledBy   string            `json:"cancelledBy,omitempty"`
	Handback      *Handback         `json:"handback,omitempty"`
	Expenses      []Expense         `json:"expenses,omitempty"`
}

var reservationIDRe = regexp.MustCompile(`^R-[0-9A-Z]{8}$`)

// referenceAlphabet has no I, L, O or U: a reference read on a phone and
// typed again is not mistaken.
const referenceAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewReservationID returns a fresh reference such as R-7K3F9QXA.
func NewReservationID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = referenceAlphabet[int(b[i])%len(referenceAlphabet)]
	}
	return "R-" + string(b)
}

// NormalizeReservationID upper-cases a reference as typed.
func NormalizeReservationID(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// ValidReservationID reports whether s is a well-formed reference.
func ValidReservationID(s string) bool { return reservationIDRe.MatchString(s) }

// Interval returns the reservation's interval.
func (r Reservation) Interval() Interval { return Interval{r.Start, r.End} }

// Slot returns the schedule entry of the reservation.
func (r Reservation) Slot() Slot {
	return Slot{ReservationID: r.ID, UserID: r.UserID, UserName: r.UserName, Start: r.Start, End: r.End, HandedBack: r.Handback != nil}
}

// Validate checks the stored reservation's rules (the booking rules that
// depend on the time of booking are CheckBooking's).
func (r Reservation) Validate() error {
	if !ValidReservationID(r.ID) {
		return Errorf(EINVALID, "err.fleet.reservation.unknown", r.ID)
	}
	if r.Plate == "" || r.Establishment == "" || r.UserID == "" {
		return Errorf(EINVALID, "err.invalid")
	}
	if err := checkHalfHours(r.Start, r.End); err != nil {
		return err
	}
	if r.Status != ReservationActive && r.Status != ReservationCancelled {
		return Errorf(EINVALID, "err.invalid")
	}
	if len(r.Purpose) > 200 {
		return Errorf(EINVALID, "err.fleet.purpose.long")
	}
	if len(r.Expenses) > 20 {
		return Errorf(EINVALID, "err.fleet.expense.many")
	}
	for _, e := range r.Expenses {
		if err := e.Validate(); err != nil {
			return err
		}
	}
	return nil
}

func checkHalfHours(start, end time.Time) error {
	if !onHalfHour(start) || !onHalfHour(end) {
		return Errorf(EINVALID, "err.fleet.half_hour")
	}
	if !end.After(start) {
		return Errorf(EINVALID, "err.fleet.end_before_start")
	}
	return nil
}

func onHalfHour(t time.Time) bool { return !t.IsZero() && t.Truncate(30*time.Minute).Equal(t) }

// CheckBooking applies the booking rules to [start, end) at now: start and
// end on :00 or :30, end after start, not in the past (the current half
// hour may still be booked), at most max long.
func CheckBooking(iv Interval, now time.Time, max time.Duration) error {
	if err := checkHalfHours(iv.Start, iv.End); err != nil {
		return err
	}
	if iv.Start.Before(now.Truncate(30 * time.Minute)) {
		return Errorf(EINVALID, "err.fleet.past")
	}
	if max <= 0 {
		max = DefaultMaxBooking
	}
	if iv.Duration() > max {
		return Errorf(EINVALID, "err.fleet.too_long", int(max/(24*time.Hour)))
	}
	return nil
}

// CanChange reports whether p may cancel or shorten r: its owner or a fleet
// manager.
func (r Reservation) CanChange(p Principal) error {
	if p.UserID != "" && p.UserID == r.UserID {
		return nil
	}
	if p.Has(RoleFleetManager) {
		return nil
	}
	return Errorf(EFORBIDDEN, "err.fleet.reservation.not_yours")
}

// Cancel cancels r at now: only an active reservation that has not ended.
func (r *Reservation) Cancel(by string, now time.Time) error {
	if r.Status == ReservationCancelled {
		return Errorf(EINVALID, "err.fleet.reservation.cancelled", r.ID)
	}
	if !r.End.After(now) {
		return Errorf(EINVALID, "err.fleet.reservation.ended", r.ID)
	}
	r.Status, r.CancelledAt, r.CancelledBy = ReservationCancelled, now, by
	return nil
}

// Shorten moves r's end earlier: to a half hour after the start, not in
// the past, before the current end.
func (r *Reservation) Shorten(end, now time.Time) error {
	if r.Status == ReservationCancelled {
		return Errorf(EINVALID, "err.fleet.reservation.cancelled", r.ID)
	}
	if !onHalfHour(end) {
		return Errorf(EINVALID, "err.fleet.half_hour")
	}
	if !end.After(r.Start) {
		return Errorf(EINVALID, "err.fleet.end_before_start")
	}
	if !end.Before(r.End) {
		return Errorf(EINVALID, "err.fleet.shorten.not_shorter")
	}
	if end.Before(now.Truncate(30 * time.Minute)) {
		return Errorf(EINVALID, "err.fleet.past")
	}
	r.End = end
	return nil
}

// HandBack records the hand-back on r and its car: the odometer never goes
// below the car's last reading; a damage note sets the car to damaged.
func (r *Reservation) HandBack(car *Car, h Handback, now time.Time) error {
	if r.Status == ReservationCancelled {
		return Errorf(EINVALID, "err.fleet.reservation.cancelled", r.ID)
	}
	if r.Handback != nil {
		return Errorf(EINVALID, "err.fleet.handback.done", r.ID)
	}
	if r.Start.After(now) {
		return Errorf(EINVALID, "err.fleet.handback.not_started", r.ID)
	}
	if h.Odometer < car.Odometer {
		return Errorf(EINVALID, "err.fleet.odometer.below", car.Odometer)
	}
	if h.Odometer > car.Odometer+20_000 {
		return Errorf(EINVALID, "err.fleet.odometer.jump", car.Odometer)
	}
	if h.Fuel != "" && !containsStr(FuelLevels, h.Fuel) {
		return Errorf(EINVALID, "err.fleet.fuel", string(h.Fuel))
	}
	h.Damage = strings.TrimSpace(h.Damage)
	if len(h.Damage) > 500 {
		return Errorf(EINVALID, "err.fleet.note.long")
	}
	h.OdometerStart, h.At = car.Odometer, now
	r.Handback = &h
	car.Odometer = h.Odometer
	if h.Damage != "" && car.Status == CarAvailable {
		car.Status, car.StatusNote, car.StatusSince = CarDamaged, h.Damage, now
	}
	return nil
}

// AddExpense attaches an expense to r.
func (r *Reservation) AddExpense(e Expense) error {
	if r.Status == ReservationCancelled {
		return Errorf(EINVALID, "err.fleet.reservation.cancelled", r.ID)
	}
	if err := e.Validate(); err != nil {
		return err
	}
	if len(r.Expenses) >= 20 {
		return Errorf(EINVALID, "err.fleet.expense.many")
	}
	r.Expenses = append(r.Expenses, e)
	return nil
}

// ExpensesCents is the total of r's expenses.
func (r Reservation) ExpensesCents() int64 {
	var t int64
	for _, e := range r.Expenses {
		t += e.AmountCents
	}
	return t
}

func containsStr[T ~string](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
