package domain

import (
	"net/url"
	"regexp"
	"strings"
	"time"
)

// CarStatus is what a fleet manager says about a car. "Reserved" is not a
// status: it is computed from the reservations.
type CarStatus string

const (
	CarAvailable   CarStatus = "available"
	CarDamaged     CarStatus = "damaged"
	CarInService   CarStatus = "in_service" // at the garage, in maintenance
	CarUnavailable CarStatus = "unavailable"
	CarRetired     CarStatus = "retired" // left the fleet; kept for history
)

// CarStatuses lists the statuses a fleet manager can set, in menu order.
var CarStatuses = []CarStatus{CarAvailable, CarDamaged, CarInService, CarUnavailable, CarRetired}

// ParseCarStatus returns the status named s, or EINVALID.
func ParseCarStatus(s string) (CarStatus, error) {
	for _, st := range CarStatuses {
		if string(st) == s {
			return st, nil
		}
	}
	return "", Errorf(EINVALID, "err.fleet.status.unknown", s)
}

// CarDocumentKind is what a car document is.
type CarDocumentKind string

const (
	CarDocRegistration CarDocumentKind = "registration" // certificat d'immatriculation (carte grise)
	CarDocInsurance    CarDocumentKind = "insurance"    // attestation d'assurance
	CarDocOther        CarDocumentKind = "other"
)

// CarDocument is a link a driver must be able to open (the registration
// and the insurance certificate a police officer may ask for).
type CarDocument struct {
	Kind  CarDocumentKind `json:"kind"`
	Title string          `json:"title,omitempty"`
	URL   string          `json:"url"`
}

// Deadlines are the dates (and mileage) by which a car needs attention. A
// zero date means none is known. A car whose insurance has expired or whose
// technical inspection is overdue cannot be reserved.
type Deadlines struct {
	InsuranceExpiry time.Time `json:"insuranceExpiry,omitzero"`
	InspectionDue   time.Time `json:"inspectionDue,omitzero"`
	NextServiceDate time.Time `json:"nextServiceDate,omitzero"`
	NextServiceKm   int       `json:"nextServiceKm,omitempty"`
}

// Car is a pool car of an establishment. The plate is its key, written the
// French way (AB-123-CD); it never changes. The establishment changes only
// by a move (CarMove), which a fleet manager or an admin makes when the car
// has no live reservation.
type Car struct {
	Plate         string        `json:"plate"`
	Establishment string        `json:"establishment"`
	Make          string        `json:"make"`
	Model         string        `json:"model"`
	Year          int           `json:"year,omitempty"`
	VIN           string        `json:"vin,omitempty"`
	Status        CarStatus     `json:"status"`
	StatusNote    string        `json:"statusNote,omitempty"`
	StatusSince   time.Time     `json:"statusSince,omitzero"`
	Odometer      int           `json:"odometer"` // km, the last reading
	PhotoURL      string        `json:"photoUrl,omitempty"`
	Notes         string        `json:"notes,omitempty"`
	Documents     []CarDocument `json:"documents,omitempty"`
	Deadlines     Deadlines     `json:"deadlines"`
	// CalendarToken is the secret of the car's calendar feed URL; a fleet
	// manager regenerates it to revoke the old URL.
	CalendarToken string    `json:"calendarToken,omitempty"`
	CreatedAt     time.Time `json:"createdAt"`
	UpdatedAt     time.Time `json:"updatedAt"`
	UpdatedBy     string    `json:"updatedBy,omitempty"`
}

var (
	sivPlateRe = regexp.MustCompile(`^[A-Z]{2}[0-9]{3}[A-Z]{2}$`)
	fniPlateRe = regexp.MustCompile(`^[0-9]{1,4}-[A-Z]{1,3}-[0-9]{2,3}$`)
	vinRe      = regexp.MustCompile(`^[A-HJ-NPR-Z0-9]{17}$`)
)

// NormalizePlate writes a plate as Parc stores it: upper case, with the
// dashes of the French format (ab 123 cd, AB123CD → AB-123-CD). An older
// plate (1234 AB 56, the format before 2009) keeps its groups, joined by
// dashes. It returns
// EINVALID ("err.fleet.plate") for anything else.
func NormalizePlate(s string) (string, error) {
	up := strings.ToUpper(strings.TrimSpace(s))
	compact := strings.NewReplacer("-", "", " ", "", ".", "").Replace(up)
	if sivPlateRe.MatchString(compact) {
		return compact[:2] + "-" + compact[2:5] + "-" + compact[5:], nil
	}
	groups := strings.FieldsFunc(up, func(r rune) bool { return r == '-' || r == ' ' || r == '.' })
	joined := strings.Join(groups, "-")
	if fniPlateRe.MatchString(joined) {
		return joined, nil
	}
	return "", Errorf(EINVALID, "err.fleet.plate", strings.TrimSpace(s))
}

// LooksLikePlate reports whether s can be read as a plate.
func LooksLikePlate(s string) bool {
	_, err := NormalizePlate(s)
	return err == nil && strings.ContainsAny(s, "0123456789")
}

// Validate checks the car's rules.
func (c Car) Validate() error {
	if p, err := NormalizePlate(c.Plate); err != nil || p != c.Plate {
		return Errorf(EINVALID, "err.fleet.plate", c.Plate)
	}
	if c.Establishment == "" {
		return Errorf(EINVALID, "err.fleet.car.establishment")
	}
	if strings.TrimSpace(c.Make) == "" || strings.TrimSpace(c.Model) == "" || len(c.Make) > 60 || len(c.Model) > 60 {
		return Errorf(EINVALID, "err.fleet.car.model")
	}
	if c.Year != 0 && (c.Year < 1950 || c.Year > 2100) {
		return Errorf(EINVALID, "err.fleet.car.year", c.Year)
	}
	if c.VIN != "" && !vinRe.MatchString(c.VIN) {
		return Errorf(EINVALID, "err.fleet.car.vin", c.VIN)
	}
	if _, err := ParseCarStatus(string(c.Status)); err != nil {
		return err
	}
	if c.Odometer < 0 || c.Odometer > 2_000_000 {
		return Errorf(EINVALID, "err.fleet.odometer.range")
	}
	if len(c.StatusNote) > 500 || len(c.Notes) > 2000 {
		return Errorf(EINVALID, "err.fleet.note.long")
	}
	if c.PhotoURL != "" && !IsWebLink(c.PhotoURL) {
		return Errorf(EINVALID, "err.fleet.link", c.PhotoURL)
	}
	if len(c.Documents) > 10 {
		return Errorf(EINVALID, "err.fleet.documents.many")
	}
	for _, d := range c.Documents {
		if !IsWebLink(d.URL) {
			return Errorf(EINVALID, "err.fleet.link", d.URL)
		}
	}
	if c.Deadlines.NextServiceKm < 0 {
		return Errorf(EINVALID, "err.fleet.odometer.range")
	}
	return nil
}

// IsWebLink reports whether s is an absolute http(s) link.
func IsWebLink(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && len(s) <= 2048
}

// Name is how people call the car: "Renault Clio".
func (c Car) Name() string { return strings.TrimSpace(c.Make + " " + c.Model) }

// Reservable returns nil when the car may be booked for [start, end):
// available, insured and inspected over the whole interval. Otherwise an
// EINVALID error whose key says why, for the card.
func (c Car) Reservable(start, end time.Time) error {
	switch c.Status {
	case CarAvailable:
	case CarRetired:
		return Errorf(EINVALID, "err.fleet.car.retired", c.Plate)
	case CarDamaged:
		return Errorf(EINVALID, "err.fleet.car.damaged", c.Plate)
	case CarInService:
		return Errorf(EINVALID, "err.fleet.car.in_service", c.Plate)
	default:
		return Errorf(EINVALID, "err.fleet.car.unavailable", c.Plate)
	}
	if d := c.Deadlines.InsuranceExpiry; !d.IsZero() && !end.Before(d) {
		return Errorf(EINVALID, "err.fleet.car.insurance_expired", c.Plate)
	}
	if d := c.Deadlines.InspectionDue; !d.IsZero() && !end.Before(d) {
		return Errorf(EINVALID, "err.fleet.car.inspection_overdue", c.Plate)
	}
	return nil
}

// Document returns the car's first document of kind k.
func (c Car) Document(k CarDocumentKind) (CarDocument, bool) {
	for _, d := range c.Documents {
		if d.Kind == k {
			return d, true
		}
	}
	return CarDocument{}, false
}
