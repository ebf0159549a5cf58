package domain

import (
	"sort"
	"strings"
	"time"
)

// MaintenanceKind is what was done to a car.
type MaintenanceKind string

// MaintenanceKinds lists them in menu order.
var MaintenanceKinds = []MaintenanceKind{"service", "repair", "inspection", "tyres", "insurance"}

// MaintenanceRecord is work done on (or paid for) a car: a service, a
// repair, the technical inspection, tyres, the insurance.
type MaintenanceRecord struct {
	ID            string          `json:"id"` // M-XXXXXXXX
	Plate         string          `json:"plate"`
	Establishment string          `json:"establishment"`
	Kind          MaintenanceKind `json:"kind"`
	Date          time.Time       `json:"date"` // the day, at midnight UTC
	Odometer      int             `json:"odometer,omitempty"`
	CostCents     int64           `json:"costCents"`
	Supplier      string          `json:"supplier,omitempty"`
	Note          string          `json:"note,omitempty"`
	By            string          `json:"by,omitempty"`
	CreatedAt     time.Time       `json:"createdAt"`
}

// NewMaintenanceID returns a fresh record id.
func NewMaintenanceID() string { return "M-" + NewReservationID()[2:] }

// Validate checks the record's rules.
func (m MaintenanceRecord) Validate() error {
	if len(m.ID) != 10 || !strings.HasPrefix(m.ID, "M-") || !ValidReservationID("R-"+m.ID[2:]) {
		return Errorf(EINVALID, "err.invalid")
	}
	if m.Plate == "" || m.Establishment == "" {
		return Errorf(EINVALID, "err.invalid")
	}
	if !containsStr(MaintenanceKinds, m.Kind) {
		return Errorf(EINVALID, "err.fleet.maintenance.kind", string(m.Kind))
	}
	if m.Date.IsZero() {
		return Errorf(EINVALID, "err.fleet.when.bad_date", "")
	}
	if m.CostCents < 0 || m.CostCents > 100_000_000 {
		return Errorf(EINVALID, "err.fleet.expense.amount")
	}
	if m.Odometer < 0 || m.Odometer > 2_000_000 {
		return Errorf(EINVALID, "err.fleet.odometer.range")
	}
	if len(m.Supplier) > 120 || len(m.Note) > 500 {
		return Errorf(EINVALID, "err.fleet.note.long")
	}
	return nil
}

// DeadlineKind names a deadline of a car.
type DeadlineKind string

const (
	DeadlineInsurance  DeadlineKind = "insurance"
	DeadlineInspection DeadlineKind = "inspection"
	DeadlineService    DeadlineKind = "service"
	DeadlineServiceKm  DeadlineKind = "service_km"
)

// Deadline is one coming (or passed) deadline of a car.
type Deadline struct {
	Plate   string
	CarName string
	Kind    DeadlineKind
	Date    time.Time // zero for a mileage deadline
	Km      int       // for DeadlineServiceKm: the mileage due
	KmLeft  int
}

// DaysLeft is the number of whole days from now to the deadline (negative
// when passed), counted in loc's calendar days.
func (d Deadline) DaysLeft(now time.Time, loc *time.Location) int {
	return DaysBetween(now, d.Date, loc)
}

// DaysBetween counts calendar days from a to b in loc.
func DaysBetween(a, b time.Time, loc *time.Location) int {
	ay, am, ad := a.In(loc).Date()
	by, bm, bd := b.In(loc).Date()
	da := time.Date(ay, am, ad, 12, 0, 0, 0, time.UTC)
	db := time.Date(by, bm, bd, 12, 0, 0, 0, time.UTC)
	return int(db.Sub(da).Hours() / 24)
}

// serviceKmWarning is how close to the service mileage a car shows up.
const serviceKmWarning = 1000

// UpcomingDeadlines lists the cars' deadlines that fall within horizon of
// now (or have passed), soonest first; a mileage deadline shows when the car
// is within 1,000 km of it.
func UpcomingDeadlines(cars []Car, now time.Time, horizon time.Duration) []Deadline {
	var out []Deadline
	for _, c := range cars {
		if c.Status == CarRetired {
			continue
		}
		add := func(k DeadlineKind, t time.Time) {
			if !t.IsZero() && t.Before(now.Add(horizon)) {
				out = append(out, Deadline{Plate: c.Plate, CarName: c.Name(), Kind: k, Date: t})
			}
		}
		add(DeadlineInsurance, c.Deadlines.InsuranceExpiry)
		add(DeadlineInspection, c.Deadlines.InspectionDue)
		add(DeadlineService, c.Deadlines.NextServiceDate)
		if km := c.Deadlines.NextServiceKm; km > 0 && c.Odometer+serviceKmWarning >= km {
			out = append(out, Deadline{Plate: c.Plate, CarName: c.Name(), Kind: DeadlineServiceKm, Km: km, KmLeft: km - c.Odometer})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Date.IsZero() != b.Date.IsZero() {
			return !a.Date.IsZero()
		}
		if !a.Date.Equal(b.Date) {
			return a.Date.Before(b.Date)
		}
		return a.Plate < b.Plate
	})
	return out
}
