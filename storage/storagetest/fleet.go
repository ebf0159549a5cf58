package storagetest

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/anras/parc/domain"
)

// runFleet runs the fleet feature's contract.
func runFleet(t *testing.T, newStore NewStore) {
	t.Run("FleetCars", func(t *testing.T) { testFleetCars(t, newStore) })
	t.Run("FleetReserve", func(t *testing.T) { testFleetReserve(t, newStore) })
	t.Run("FleetConcurrentReservations", func(t *testing.T) { testFleetConcurrent(t, newStore) })
	t.Run("FleetChangeReservation", func(t *testing.T) { testFleetChange(t, newStore) })
	t.Run("FleetHistoryAndMaintenance", func(t *testing.T) { testFleetHistory(t, newStore) })
	t.Run("FleetExportImport", func(t *testing.T) { testFleetPort(t, newStore) })
	t.Run("FleetMoveCar", func(t *testing.T) { testFleetMove(t, newStore) })
	t.Run("FleetMoveCarRefusals", func(t *testing.T) { testFleetMoveRefusals(t, newStore) })
	t.Run("FleetMoveCarRace", func(t *testing.T) { testFleetMoveRace(t, newStore) })
	t.Run("FleetMoveCarWithoutSchedule", func(t *testing.T) { testFleetMoveCarWithoutSchedule(t, newStore) })
}

// FleetT0 is a Monday morning in Paris, the week before summer time.
var fleetT0 = time.Date(2026, 3, 23, 7, 0, 0, 0, time.UTC)

// DemoCar returns a valid available car of est.
func DemoCar(est, plate, model string) domain.Car {
	return domain.Car{Plate: plate, Establishment: est, Make: "Renault", Model: model, Year: 2022,
		Status: domain.CarAvailable, Odometer: 12000, CreatedAt: fleetT0, UpdatedAt: fleetT0}
}

// DemoReservation returns a valid reservation of plate by user over
// [start, start+d).
func DemoReservation(est, plate, user string, start time.Time, d time.Duration) domain.Reservation {
	return domain.Reservation{ID: domain.NewReservationID(), Plate: plate, Establishment: est, UserID: user, UserName: "User " + user,
		Start: start.UTC(), End: start.Add(d).UTC(), Status: domain.ReservationActive, CreatedAt: fleetT0}
}

func mustCar(t *testing.T, ctx context.Context, s domain.Store, c domain.Car) {
	t.Helper()
	if err := s.CreateCar(ctx, c); err != nil {
		t.Fatalf("CreateCar(%s): %v", c.Plate, err)
	}
}

func wantCode(t *testing.T, what string, err error, code domain.ErrorCode, key string) {
	t.Helper()
	e := domain.AsError(err)
	if domain.ErrorCodeOf(err) != code || (key != "" && (e == nil || e.Key != key)) {
		t.Fatalf("%s: got %v, want %s %s", what, err, code, key)
	}
}

func testFleetCars(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	mustCar(t, ctx, s, DemoCar("DITEP-STF", "AB-123-CD", "Clio"))
	mustCar(t, ctx, s, DemoCar("DITEP-STF", "AA-111-AA", "Zoe"))
	mustCar(t, ctx, s, DemoCar("ANRAS-SOC", "EF-456-GH", "Megane"))

	wantCode(t, "same plate again", s.CreateCar(ctx, DemoCar("DITEP-STF", "AB-123-CD", "Clio")), domain.ECONFLICT, "err.fleet.car.exists")
	wantCode(t, "same plate elsewhere", s.CreateCar(ctx, DemoCar("ANRAS-SOC", "AB-123-CD", "Clio")), domain.ECONFLICT, "err.fleet.car.exists")
	bad := DemoCar("DITEP-STF", "ab123cd", "Clio")
	wantCode(t, "plate not normalized", s.CreateCar(ctx, bad), domain.EINVALID, "err.fleet.plate")

	c, err := s.Car(ctx, "DITEP-STF", "AB-123-CD")
	if err != nil || c.Model != "Clio" {
		t.Fatalf("Car = %+v, %v", c, err)
	}
	_, err = s.Car(ctx, "ANRAS-SOC", "AB-123-CD")
	wantCode(t, "car of another establishment", err, domain.ENOTFOUND, "err.fleet.car.unknown")
	if c, err := s.FindCar(ctx, "EF-456-GH"); err != nil || c.Establishment != "ANRAS-SOC" {
		t.Fatalf("FindCar = %+v, %v", c, err)
	}
	_, err = s.FindCar(ctx, "ZZ-999-ZZ")
	wantCode(t, "FindCar unknown", err, domain.ENOTFOUND, "err.fleet.car.unknown")

	up, err := s.UpdateCar(ctx, "DITEP-STF", "AB-123-CD", func(c *domain.Car) error {
		c.Status, c.StatusNote, c.Plate = domain.CarInService, "Vidange", "XX-000-XX"
		return nil
	})
	if err != nil || up.Status != domain.CarInService || up.Plate != "AB-123-CD" {
		t.Fatalf("UpdateCar = %+v, %v", up, err)
	}
	_, err = s.UpdateCar(ctx, "DITEP-STF", "AB-123-CD", func(c *domain.Car) error { c.Odometer = -1; return nil })
	wantCode(t, "invalid update", err, domain.EINVALID, "")
	if c, _ := s.Car(ctx, "DITEP-STF", "AB-123-CD"); c.Odometer != 12000 {
		t.Fatalf("a refused update changed the odometer to %d", c.Odometer)
	}
	_, err = s.UpdateCar(ctx, "DITEP-STF", "ZZ-999-ZZ", func(*domain.Car) error { return nil })
	wantCode(t, "update unknown", err, domain.ENOTFOUND, "")

	fleet, err := s.Fleet(ctx, "DITEP-STF")
	if err != nil {
		t.Fatal(err)
	}
	var plates []string
	for _, st := range fleet {
		plates = append(plates, st.Car.Plate)
		if st.Schedule.Plate != st.Car.Plate || len(st.Schedule.Slots) != 0 {
			t.Errorf("schedule of %s = %+v", st.Car.Plate, st.Schedule)
		}
	}
	if fmt.Sprint(plates) != "[AA-111-AA AB-123-CD]" {
		t.Fatalf("Fleet(DITEP-STF) = %v", plates)
	}
	if f, _ := s.Fleet(ctx, "NOPE"); len(f) != 0 {
		t.Fatalf("Fleet of an unknown establishment = %v", f)
	}
}

func testFleetReserve(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	est := "DITEP-STF"
	mustCar(t, ctx, s, DemoCar(est, "AB-123-CD", "Clio"))
	now := fleetT0
	// Across the change to summer time: Saturday 28 March 22:00 to Sunday
	// 29 March 10:00 Paris time.
	start := time.Date(2026, 3, 28, 21, 0, 0, 0, time.UTC)
	r1 := DemoReservation(est, "AB-123-CD", "u1", start, 11*time.Hour)
	got, err := s.Reserve(ctx, r1, now)
	if err != nil || got.ID != r1.ID {
		t.Fatalf("Reserve = %+v, %v", got, err)
	}
	back, err := s.Reservation(ctx, est, r1.ID)
	if err != nil || !back.Start.Equal(r1.Start) || !back.End.Equal(r1.End) || back.Start.Location() != time.UTC {
		t.Fatalf("Reservation = %+v, %v", back, err)
	}
	_, err = s.Reservation(ctx, "ANRAS-SOC", r1.ID)
	wantCode(t, "reservation of another establishment", err, domain.ENOTFOUND, "err.fleet.reservation.unknown")

	for _, tc := range []struct {
		name       string
		start      time.Time
		d          time.Duration
		code       domain.ErrorCode
		key        string
		plate, est string
	}{
		{name: "overlap inside", start: start.Add(time.Hour), d: time.Hour, code: domain.ECONFLICT, key: "err.fleet.clash"},
		{name: "overlap around", start: start.Add(-time.Hour), d: 20 * time.Hour, code: domain.ECONFLICT, key: "err.fleet.clash"},
		{name: "overlap end", start: start.Add(10 * time.Hour), d: 2 * time.Hour, code: domain.ECONFLICT, key: "err.fleet.clash"},
		{name: "touching before", start: start.Add(-2 * time.Hour), d: 2 * time.Hour},
		{name: "touching after", start: start.Add(11 * time.Hour), d: 30 * time.Minute},
		{name: "unknown car", start: start.Add(48 * time.Hour), d: time.Hour, code: domain.ENOTFOUND, key: "err.fleet.car.unknown", plate: "ZZ-999-ZZ"},
		{name: "car of another establishment", start: start.Add(48 * time.Hour), d: time.Hour, code: domain.ENOTFOUND, key: "err.fleet.car.unknown", est: "ANRAS-SOC"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plate, e := "AB-123-CD", est
			if tc.plate != "" {
				plate = tc.plate
			}
			if tc.est != "" {
				e = tc.est
			}
			_, err := s.Reserve(ctx, DemoReservation(e, plate, "u2", tc.start, tc.d), now)
			if tc.code == "" {
				if err != nil {
					t.Fatalf("Reserve: %v", err)
				}
				return
			}
			wantCode(t, tc.name, err, tc.code, tc.key)
		})
	}
	st, err := s.CarState(ctx, est, "AB-123-CD")
	if err != nil || len(st.Schedule.Slots) != 3 {
		t.Fatalf("schedule after the table = %+v, %v", st.Schedule, err)
	}
	if err := st.Schedule.Validate(); err != nil {
		t.Fatalf("schedule breaks its rules: %v", err)
	}

	// A car that is not available, or whose insurance has expired, cannot
	// be reserved, and nothing is stored.
	next := start.Add(72 * time.Hour)
	for _, tc := range []struct {
		name string
		set  func(*domain.Car)
		key  string
	}{
		{"damaged", func(c *domain.Car) { c.Status = domain.CarDamaged }, "err.fleet.car.damaged"},
		{"insurance expired", func(c *domain.Car) { c.Deadlines.InsuranceExpiry = next }, "err.fleet.car.insurance_expired"},
		{"inspection overdue", func(c *domain.Car) { c.Deadlines.InspectionDue = fleetT0 }, "err.fleet.car.inspection_overdue"},
	} {
		if _, err := s.UpdateCar(ctx, est, "AB-123-CD", func(c *domain.Car) error {
			c.Status, c.Deadlines = domain.CarAvailable, domain.Deadlines{}
			tc.set(c)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		_, err := s.Reserve(ctx, DemoReservation(est, "AB-123-CD", "u3", next, time.Hour), now)
		wantCode(t, tc.name, err, domain.EINVALID, tc.key)
	}
	st, _ = s.CarState(ctx, est, "AB-123-CD")
	if len(st.Schedule.Slots) != 3 {
		t.Fatalf("a refused reservation changed the schedule: %+v", st.Schedule.Slots)
	}
	res, err := s.ReservationsBetween(ctx, est, start.Add(-24*time.Hour), start.Add(24*time.Hour))
	if err != nil || len(res) != 3 {
		t.Fatalf("ReservationsBetween = %d reservations, %v; want 3", len(res), err)
	}
}

// testFleetConcurrent: many users reserve overlapping intervals of one car
// at once; the accepted ones are disjoint and are exactly the schedule.
func testFleetConcurrent(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	est := "DITEP-STF"
	mustCar(t, ctx, s, DemoCar(est, "AB-123-CD", "Clio"))
	base := time.Date(2026, 10, 24, 22, 0, 0, 0, time.UTC) // across the change to winter time
	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	reqs := make([]domain.Reservation, n)
	for i := range n {
		reqs[i] = DemoReservation(est, "AB-123-CD", fmt.Sprintf("u%d", i), base.Add(time.Duration(i%6)*30*time.Minute), 2*time.Hour)
	}
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.Reserve(ctx, reqs[i], fleetT0)
		}()
	}
	wg.Wait()
	var accepted []domain.Reservation
	for i, err := range errs {
		switch {
		case err == nil:
			accepted = append(accepted, reqs[i])
		case domain.IsConflict(err):
		default:
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	if len(accepted) == 0 {
		t.Fatal("no reservation was accepted")
	}
	sort.Slice(accepted, func(i, j int) bool { return accepted[i].Start.Before(accepted[j].Start) })
	for i := 1; i < len(accepted); i++ {
		if accepted[i-1].Interval().Overlaps(accepted[i].Interval()) {
			t.Fatalf("accepted reservations overlap: %v and %v", accepted[i-1].Interval(), accepted[i].Interval())
		}
	}
	st, _ := s.CarState(ctx, est, "AB-123-CD")
	if len(st.Schedule.Slots) != len(accepted) {
		t.Fatalf("schedule has %d slots, %d reservations were accepted", len(st.Schedule.Slots), len(accepted))
	}
	stored, _ := s.ReservationsBetween(ctx, est, base.Add(-time.Hour), base.Add(24*time.Hour))
	if len(stored) != len(accepted) {
		t.Fatalf("%d reservations stored, %d accepted", len(stored), len(accepted))
	}
}

func testFleetChange(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	est := "DITEP-STF"
	mustCar(t, ctx, s, DemoCar(est, "AB-123-CD", "Clio"))
	start := fleetT0.Add(24 * time.Hour)
	r, err := s.Reserve(ctx, DemoReservation(est, "AB-123-CD", "u1", start, 4*time.Hour), fleetT0)
	if err != nil {
		t.Fatal(err)
	}
	// Shorten: the freed time can be booked by someone else.
	if _, err := s.UpdateReservation(ctx, est, r.ID, func(c domain.ReservationChange) error {
		if err := c.Reservation.Shorten(start.Add(2*time.Hour), fleetT0); err != nil {
			return err
		}
		c.Schedule.Remove(r.ID)
		return c.Schedule.Insert(c.Reservation.Slot())
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Reserve(ctx, DemoReservation(est, "AB-123-CD", "u2", start.Add(2*time.Hour), 2*time.Hour), fleetT0); err != nil {
		t.Fatalf("reserving the freed time: %v", err)
	}
	// A failing change stores nothing.
	_, err = s.UpdateReservation(ctx, est, r.ID, func(c domain.ReservationChange) error {
		c.Car.Odometer = 1
		return c.Reservation.Shorten(start.Add(3*time.Hour), fleetT0)
	})
	wantCode(t, "lengthen by shortening", err, domain.EINVALID, "err.fleet.shorten.not_shorter")
	if c, _ := s.Car(ctx, est, "AB-123-CD"); c.Odometer != 12000 {
		t.Fatalf("a refused change wrote the car: odometer %d", c.Odometer)
	}
	// Hand back after the end: the car's odometer and status change with it.
	after := start.Add(3 * time.Hour)
	got, err := s.UpdateReservation(ctx, est, r.ID, func(c domain.ReservationChange) error {
		if err := c.Reservation.HandBack(c.Car, domain.Handback{By: "u1", Odometer: 12150, Fuel: "half", Damage: "Rétroviseur cassé"}, after); err != nil {
			return err
		}
		if i := c.Schedule.Find(r.ID); i >= 0 {
			c.Schedule.Slots[i].HandedBack = true
		}
		c.Schedule.Prune(after)
		return nil
	})
	if err != nil || got.Handback == nil || got.Handback.Km() != 150 {
		t.Fatalf("hand back = %+v, %v", got.Handback, err)
	}
	car, _ := s.Car(ctx, est, "AB-123-CD")
	if car.Odometer != 12150 || car.Status != domain.CarDamaged || car.StatusNote != "Rétroviseur cassé" {
		t.Fatalf("car after hand-back = %+v", car)
	}
	st, _ := s.CarState(ctx, est, "AB-123-CD")
	if st.Schedule.Last == nil || st.Schedule.Last.ReservationID != r.ID || st.Schedule.Find(r.ID) >= 0 {
		t.Fatalf("schedule after hand-back = %+v", st.Schedule)
	}
	// Cancel the other one; cancelling twice is refused.
	other := st.Schedule.Slots[0].ReservationID
	cancel := func(c domain.ReservationChange) error {
		if err := c.Reservation.Cancel("u2", fleetT0); err != nil {
			return err
		}
		c.Schedule.Remove(other)
		return nil
	}
	if _, err := s.UpdateReservation(ctx, est, other, cancel); err != nil {
		t.Fatal(err)
	}
	_, err = s.UpdateReservation(ctx, est, other, cancel)
	wantCode(t, "cancel twice", err, domain.EINVALID, "err.fleet.reservation.cancelled")
	_, err = s.UpdateReservation(ctx, est, "R-00000000", cancel)
	wantCode(t, "unknown reservation", err, domain.ENOTFOUND, "err.fleet.reservation.unknown")
	if st, _ := s.CarState(ctx, est, "AB-123-CD"); len(st.Schedule.Slots) != 0 {
		t.Fatalf("slots after cancel = %+v", st.Schedule.Slots)
	}
	if rr, _ := s.Reservation(ctx, est, other); rr.Status != domain.ReservationCancelled || rr.CancelledBy != "u2" {
		t.Fatalf("cancelled reservation = %+v", rr)
	}
}

func testFleetHistory(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	est := "DITEP-STF"
	mustCar(t, ctx, s, DemoCar(est, "AB-123-CD", "Clio"))
	mustCar(t, ctx, s, DemoCar("ANRAS-SOC", "EF-456-GH", "Megane"))
	var ids []string
	for day := range 10 {
		start := fleetT0.AddDate(0, 0, day*4)
		r, err := s.Reserve(ctx, DemoReservation(est, "AB-123-CD", "u1", start, 3*time.Hour), start.Add(-time.Hour))
		if err != nil {
			t.Fatalf("day %d: %v", day, err)
		}
		ids = append(ids, r.ID)
		if _, err := s.Reserve(ctx, DemoReservation("ANRAS-SOC", "EF-456-GH", "u1", start, 3*time.Hour), start.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	// The schedule prunes what ended (once handed back, or long ago).
	st, _ := s.CarState(ctx, est, "AB-123-CD")
	if len(st.Schedule.Slots) > 5 {
		t.Errorf("schedule keeps %d slots of past reservations", len(st.Schedule.Slots))
	}
	res, err := s.ReservationsBetween(ctx, est, fleetT0.AddDate(0, 0, 4), fleetT0.AddDate(0, 0, 12))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range res {
		got = append(got, r.ID)
	}
	if fmt.Sprint(got) != fmt.Sprint(ids[1:3]) {
		t.Fatalf("ReservationsBetween = %v, want %v (by start, this establishment only)", got, ids[1:3])
	}
	m := domain.MaintenanceRecord{ID: domain.NewMaintenanceID(), Plate: "AB-123-CD", Establishment: est, Kind: "service",
		Date: time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC), Odometer: 15000, CostCents: 18990, Supplier: "Garage du Centre", CreatedAt: fleetT0}
	if err := s.AddMaintenance(ctx, m); err != nil {
		t.Fatal(err)
	}
	m2 := m
	m2.ID, m2.Date, m2.Kind = domain.NewMaintenanceID(), time.Date(2026, 3, 25, 0, 0, 0, 0, time.UTC), "tyres"
	if err := s.AddMaintenance(ctx, m2); err != nil {
		t.Fatal(err)
	}
	bad := m
	bad.ID, bad.Plate = domain.NewMaintenanceID(), "ZZ-999-ZZ"
	wantCode(t, "maintenance of an unknown car", s.AddMaintenance(ctx, bad), domain.ENOTFOUND, "err.fleet.car.unknown")
	ms, err := s.ListMaintenance(ctx, est, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || len(ms) != 2 || ms[0].ID != m2.ID || ms[1].CostCents != 18990 {
		t.Fatalf("ListMaintenance = %+v, %v", ms, err)
	}
	if ms, _ := s.ListMaintenance(ctx, "ANRAS-SOC", time.Time{}, fleetT0.AddDate(1, 0, 0)); len(ms) != 0 {
		t.Fatalf("another establishment's maintenance = %+v", ms)
	}
}

func testFleetPort(t *testing.T, newStore NewStore) {
	ctx, a := open(t, newStore)
	est := "DITEP-STF"
	car := DemoCar(est, "AB-123-CD", "Clio")
	car.Documents = []domain.CarDocument{{Kind: domain.CarDocInsurance, URL: "https://example.org/assurance.pdf"}}
	mustCar(t, ctx, a, car)
	r, err := a.Reserve(ctx, DemoReservation(est, "AB-123-CD", "u1", fleetT0.Add(48*time.Hour), 2*time.Hour), fleetT0)
	if err != nil {
		t.Fatal(err)
	}
	m := domain.MaintenanceRecord{ID: domain.NewMaintenanceID(), Plate: "AB-123-CD", Establishment: est, Kind: "repair",
		Date: time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC), CostCents: 5000, CreatedAt: fleetT0}
	if err := a.AddMaintenance(ctx, m); err != nil {
		t.Fatal(err)
	}
	var recs []domain.Record
	if err := a.Export(ctx, func(r domain.Record) error { recs = append(recs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, r := range recs {
		kinds[r.Kind]++
	}
	for _, k := range []string{domain.KindCar, domain.KindSchedule, domain.KindReservation, domain.KindMaintenance} {
		if kinds[k] != 1 {
			t.Errorf("export has %d records of kind %s, want 1", kinds[k], k)
		}
	}
	_, b := open(t, newStore)
	for range 2 { // importing twice changes nothing
		for _, rec := range recs {
			if err := b.Import(ctx, rec); err != nil {
				t.Fatalf("import %s: %v", rec.Kind, err)
			}
		}
	}
	st, err := b.CarState(ctx, est, "AB-123-CD")
	if err != nil || len(st.Schedule.Slots) != 1 || st.Schedule.Slots[0].ReservationID != r.ID || len(st.Car.Documents) != 1 {
		t.Fatalf("imported car state = %+v, %v", st, err)
	}
	res, err := b.ReservationsBetween(ctx, est, fleetT0, fleetT0.AddDate(0, 0, 7))
	if err != nil || len(res) != 1 || res[0].ID != r.ID {
		t.Fatalf("imported reservations = %+v, %v", res, err)
	}
	// The imported schedule still guards the car.
	_, err = b.Reserve(ctx, DemoReservation(est, "AB-123-CD", "u2", r.Start, time.Hour), fleetT0)
	wantCode(t, "overlap after import", err, domain.ECONFLICT, "err.fleet.clash")
	if ms, _ := b.ListMaintenance(ctx, est, time.Time{}, fleetT0.AddDate(1, 0, 0)); len(ms) != 1 {
		t.Fatalf("imported maintenance = %+v", ms)
	}
}
