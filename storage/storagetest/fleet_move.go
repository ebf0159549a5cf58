package storagetest

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/anras/parc/domain"
)

// The contract of FleetStore.MoveCar: a car changes establishment with its
// facts, leaving its history behind; a refusal changes nothing; a move and
// a reservation racing each other never both win.

const (
	moveFrom = "DITEP-STF"
	moveTo   = "ANRAS-SOC"
	moveElse = "CEF-LP"
)

// moveEstablishments creates the three establishments of the move tests.
func moveEstablishments(t *testing.T, ctx context.Context, s domain.Store) {
	t.Helper()
	for _, e := range []domain.Establishment{{Code: moveFrom, Name: "DITEP Saint-François"}, {Code: moveTo, Name: "ANRAS Siège social"}, {Code: moveElse, Name: "CEF La Poujade"}} {
		if err := s.CreateEstablishment(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
}

func mustReserve(t *testing.T, ctx context.Context, s domain.Store, r domain.Reservation, now time.Time) domain.Reservation {
	t.Helper()
	got, err := s.Reserve(ctx, r, now)
	if err != nil {
		t.Fatalf("Reserve %s %v: %v", r.Plate, r.Interval(), err)
	}
	return got
}

func carJSON(c domain.Car) string { b, _ := json.Marshal(c); return string(b) }

func testFleetMove(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	moveEstablishments(t, ctx, s)
	car := DemoCar(moveFrom, "AB-123-CD", "Clio")
	car.VIN, car.StatusNote, car.Notes, car.CalendarToken = "VF1RJA00067123456", "Révisée", "Siège bébé dans le coffre", "old-token"
	car.Documents = []domain.CarDocument{{Kind: domain.CarDocInsurance, URL: "https://example.org/assurance.pdf"}}
	car.Deadlines = domain.Deadlines{InsuranceExpiry: fleetT0.AddDate(1, 0, 0), InspectionDue: fleetT0.AddDate(0, 6, 0), NextServiceKm: 30000}
	mustCar(t, ctx, s, car)

	// History in the first establishment: a reservation handed back, and
	// a maintenance record.
	past := mustReserve(t, ctx, s, DemoReservation(moveFrom, car.Plate, "u1", fleetT0.Add(time.Hour), 2*time.Hour), fleetT0)
	back := fleetT0.Add(4 * time.Hour)
	if _, err := s.UpdateReservation(ctx, moveFrom, past.ID, func(c domain.ReservationChange) error {
		if err := c.Reservation.HandBack(c.Car, domain.Handback{By: "u1", Odometer: 12250}, back); err != nil {
			return err
		}
		c.Schedule.Slots[c.Schedule.Find(past.ID)].HandedBack = true
		c.Schedule.Prune(back)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	maint := domain.MaintenanceRecord{ID: domain.NewMaintenanceID(), Plate: car.Plate, Establishment: moveFrom, Kind: "service",
		Date: time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC), CostCents: 18990, CreatedAt: fleetT0}
	if err := s.AddMaintenance(ctx, maint); err != nil {
		t.Fatal(err)
	}
	before, err := s.Car(ctx, moveFrom, car.Plate)
	if err != nil {
		t.Fatal(err)
	}

	// The move, with an edit of the same form.
	now := fleetT0.Add(5 * time.Hour)
	m := domain.CarMove{Plate: car.Plate, From: moveFrom, To: moveTo, By: "u-manon", At: now}
	moved, err := s.MoveCar(ctx, m, func(c *domain.Car) error { c.Notes = "Siège bébé retiré"; return nil })
	if err != nil {
		t.Fatalf("MoveCar: %v", err)
	}
	if moved.Establishment != moveTo || moved.CalendarToken == "" || moved.CalendarToken == before.CalendarToken ||
		moved.UpdatedBy != "u-manon" || !moved.UpdatedAt.Equal(now) || moved.Notes != "Siège bébé retiré" {
		t.Fatalf("moved car = %+v", moved)
	}
	want := before
	want.Establishment, want.CalendarToken, want.UpdatedAt, want.UpdatedBy, want.Notes = moveTo, moved.CalendarToken, now, "u-manon", "Siège bébé retiré"
	if carJSON(moved) != carJSON(want) {
		t.Fatalf("the move changed more than the establishment, the token and the edit:\n got %s\nwant %s", carJSON(moved), carJSON(want))
	}
	if moved.Odometer != 12250 || moved.StatusNote != "Révisée" || len(moved.Documents) != 1 || moved.Deadlines != car.Deadlines {
		t.Fatalf("moved car lost its facts: %+v", moved)
	}

	// The car is in the new establishment only, with an empty schedule.
	_, err = s.Car(ctx, moveFrom, car.Plate)
	wantCode(t, "the car in its old establishment", err, domain.ENOTFOUND, "err.fleet.car.unknown")
	if got, err := s.Car(ctx, moveTo, car.Plate); err != nil || carJSON(got) != carJSON(moved) {
		t.Fatalf("Car in the new establishment = %+v, %v", got, err)
	}
	if got, err := s.FindCar(ctx, car.Plate); err != nil || got.Establishment != moveTo {
		t.Fatalf("FindCar = %+v, %v", got, err)
	}
	if f, _ := s.Fleet(ctx, moveFrom); len(f) != 0 {
		t.Fatalf("the old establishment still lists %+v", f)
	}
	f, err := s.Fleet(ctx, moveTo)
	if err != nil || len(f) != 1 || f[0].Car.Plate != car.Plate || len(f[0].Schedule.Slots) != 0 || f[0].Schedule.Last != nil || f[0].Schedule.Establishment != moveTo {
		t.Fatalf("Fleet of the new establishment = %+v, %v", f, err)
	}

	// The history stays where it was.
	res, err := s.ReservationsBetween(ctx, moveFrom, fleetT0, fleetT0.AddDate(0, 0, 1))
	if err != nil || len(res) != 1 || res[0].ID != past.ID || res[0].Handback == nil {
		t.Fatalf("the old establishment's reservations = %+v, %v", res, err)
	}
	if res, _ := s.ReservationsBetween(ctx, moveTo, fleetT0, fleetT0.AddDate(0, 0, 1)); len(res) != 0 {
		t.Fatalf("the history followed the car: %+v", res)
	}
	if ms, _ := s.ListMaintenance(ctx, moveFrom, time.Time{}, fleetT0.AddDate(1, 0, 0)); len(ms) != 1 || ms[0].ID != maint.ID {
		t.Fatalf("the old establishment's maintenance = %+v", ms)
	}
	if ms, _ := s.ListMaintenance(ctx, moveTo, time.Time{}, fleetT0.AddDate(1, 0, 0)); len(ms) != 0 {
		t.Fatalf("the maintenance followed the car: %+v", ms)
	}

	// It is booked where it is now, and no longer where it was.
	next := fleetT0.Add(24 * time.Hour)
	_, err = s.Reserve(ctx, DemoReservation(moveFrom, car.Plate, "u2", next, time.Hour), now)
	wantCode(t, "reserving in the old establishment", err, domain.ENOTFOUND, "err.fleet.car.unknown")
	booked := mustReserve(t, ctx, s, DemoReservation(moveTo, car.Plate, "u2", next, time.Hour), now)

	// Export and import carry the moved car and the history left behind.
	recs := exportAll(t, s)
	kinds := map[string]int{}
	for _, r := range recs {
		kinds[r.Kind]++
	}
	if kinds[domain.KindCar] != 1 || kinds[domain.KindSchedule] != 1 || kinds[domain.KindReservation] != 2 || kinds[domain.KindMaintenance] != 1 {
		t.Fatalf("export after the move: %v", kinds)
	}
	_, b := open(t, newStore)
	for _, r := range recs {
		if err := b.Import(ctx, r); err != nil {
			t.Fatalf("import %s: %v", r.Kind, err)
		}
	}
	if !sameRecords(recs, exportAll(t, b)) {
		t.Fatal("export, import, export is not the identity after a move")
	}
	if _, err := b.Car(ctx, moveFrom, car.Plate); !domain.IsNotFound(err) {
		t.Fatalf("the imported store has the car in its old establishment: %v", err)
	}
	st, err := b.CarState(ctx, moveTo, car.Plate)
	if err != nil || carJSON(st.Car) != carJSON(moved) || len(st.Schedule.Slots) != 1 || st.Schedule.Slots[0].ReservationID != booked.ID {
		t.Fatalf("imported car state = %+v, %v", st, err)
	}
	if res, _ := b.ReservationsBetween(ctx, moveFrom, fleetT0, fleetT0.AddDate(0, 0, 1)); len(res) != 1 || res[0].ID != past.ID {
		t.Fatalf("imported history = %+v", res)
	}
	_, err = b.Reserve(ctx, DemoReservation(moveTo, car.Plate, "u3", next, time.Hour), now)
	wantCode(t, "overlap after import", err, domain.ECONFLICT, "err.fleet.clash")

	// Once its booking is cancelled, the car can come back.
	m2 := domain.CarMove{Plate: car.Plate, From: moveTo, To: moveFrom, By: "u-manon", At: now.Add(time.Hour)}
	_, err = s.MoveCar(ctx, m2, nil)
	wantCode(t, "moving a booked car back", err, domain.ECONFLICT, "err.fleet.move.booked")
	if _, err := s.UpdateReservation(ctx, moveTo, booked.ID, func(c domain.ReservationChange) error {
		if err := c.Reservation.Cancel("u2", now); err != nil {
			return err
		}
		c.Schedule.Remove(booked.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	home, err := s.MoveCar(ctx, m2, nil)
	if err != nil || home.Establishment != moveFrom || home.CalendarToken == moved.CalendarToken {
		t.Fatalf("moving back = %+v, %v", home, err)
	}
	if got, err := s.FindCar(ctx, car.Plate); err != nil || got.Establishment != moveFrom {
		t.Fatalf("FindCar after moving back = %+v, %v", got, err)
	}
	mustReserve(t, ctx, s, DemoReservation(moveFrom, car.Plate, "u4", next.Add(2*time.Hour), time.Hour), now)
}

// testFleetMoveRefusals: every refused move says why and changes nothing.
func testFleetMoveRefusals(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	moveEstablishments(t, ctx, s)
	now := fleetT0.Add(48 * time.Hour)
	for _, p := range []string{"AB-123-CD", "EF-456-GH", "GH-789-JK", "JK-012-LM", "LM-345-NP"} {
		mustCar(t, ctx, s, DemoCar(moveFrom, p, "Clio"))
	}
	mustReserve(t, ctx, s, DemoReservation(moveFrom, "EF-456-GH", "u1", now.Add(24*time.Hour), 2*time.Hour), fleetT0) // coming
	mustReserve(t, ctx, s, DemoReservation(moveFrom, "GH-789-JK", "u1", now.Add(-time.Hour), 2*time.Hour), fleetT0)   // running
	unreturned := mustReserve(t, ctx, s, DemoReservation(moveFrom, "JK-012-LM", "u1", now.Add(-5*time.Hour), 2*time.Hour), fleetT0)
	// An import can leave a plate in two establishments: the move must not
	// overwrite the other car.
	importCarAlone(t, ctx, s, DemoCar(moveTo, "LM-345-NP", "Kangoo"))
	snapshot := exportAll(t, s)

	move := func(plate, from, to string) domain.CarMove {
		return domain.CarMove{Plate: plate, From: from, To: to, By: "u-manon", At: now}
	}
	for _, tc := range []struct {
		name string
		m    domain.CarMove
		fn   func(*domain.Car) error
		code domain.ErrorCode
		key  string
	}{
		{name: "same establishment", m: move("AB-123-CD", moveFrom, moveFrom), code: domain.EINVALID, key: "err.fleet.move.same"},
		{name: "unknown establishment", m: move("AB-123-CD", moveFrom, "NOPE"), code: domain.ENOTFOUND, key: "err.establishment.unknown"},
		{name: "unknown car", m: move("ZZ-999-ZZ", moveFrom, moveTo), code: domain.ENOTFOUND, key: "err.fleet.car.unknown"},
		{name: "car of another establishment", m: move("AB-123-CD", moveElse, moveTo), code: domain.ENOTFOUND, key: "err.fleet.car.unknown"},
		{name: "coming reservation", m: move("EF-456-GH", moveFrom, moveTo), code: domain.ECONFLICT, key: "err.fleet.move.booked"},
		{name: "running reservation", m: move("GH-789-JK", moveFrom, moveTo), code: domain.ECONFLICT, key: "err.fleet.move.booked"},
		{name: "not handed back", m: move("JK-012-LM", moveFrom, moveTo), code: domain.ECONFLICT, key: "err.fleet.move.unreturned"},
		{name: "plate already there", m: move("LM-345-NP", moveFrom, moveTo), code: domain.ECONFLICT, key: "err.fleet.move.exists"},
		{name: "invalid edit", m: move("AB-123-CD", moveFrom, moveTo), fn: func(c *domain.Car) error { c.VIN = "123"; return nil }, code: domain.EINVALID, key: "err.fleet.car.vin"},
		{name: "refused edit", m: move("AB-123-CD", moveFrom, moveTo), fn: func(*domain.Car) error { return domain.Errorf(domain.EINVALID, "err.fleet.form.number", "x") },
			code: domain.EINVALID, key: "err.fleet.form.number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.MoveCar(ctx, tc.m, tc.fn)
			wantCode(t, tc.name, err, tc.code, tc.key)
			if !sameRecords(snapshot, exportAll(t, s)) {
				t.Fatal("a refused move changed the store")
			}
		})
	}
	// The refusals changed nothing a user does next.
	if e := domain.AsError(mustMoveErr(t, ctx, s, move("JK-012-LM", moveFrom, moveTo))); len(e.Args) != 2 || e.Args[1] != unreturned.ID {
		t.Fatalf("the refusal names %v, want the reservation %s", e.Args, unreturned.ID)
	}
	mustReserve(t, ctx, s, DemoReservation(moveFrom, "AB-123-CD", "u2", now.Add(time.Hour), time.Hour), now)
	if c, err := s.Car(ctx, moveTo, "LM-345-NP"); err != nil || c.Model != "Kangoo" {
		t.Fatalf("the car already in the target = %+v, %v", c, err)
	}
}

// importCarAlone imports a car without its schedule, as an old export
// may hold it.
func importCarAlone(t *testing.T, ctx context.Context, s domain.Store, c domain.Car) {
	t.Helper()
	raw, _ := json.Marshal(c)
	if err := s.Import(ctx, domain.Record{Kind: domain.KindCar, Data: raw}); err != nil {
		t.Fatal(err)
	}
}

// testFleetMoveCarWithoutSchedule: a car imported without its schedule
// moves like any other.
func testFleetMoveCarWithoutSchedule(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	moveEstablishments(t, ctx, s)
	importCarAlone(t, ctx, s, DemoCar(moveFrom, "AB-123-CD", "Clio"))
	moved, err := s.MoveCar(ctx, domain.CarMove{Plate: "AB-123-CD", From: moveFrom, To: moveTo, By: "u-manon", At: fleetT0}, nil)
	if err != nil || moved.Establishment != moveTo {
		t.Fatalf("MoveCar = %+v, %v", moved, err)
	}
	if f, _ := s.Fleet(ctx, moveFrom); len(f) != 0 {
		t.Fatalf("the old establishment still lists %+v", f)
	}
	kinds := map[string]int{}
	for _, r := range exportAll(t, s) {
		kinds[r.Kind]++
	}
	if kinds[domain.KindCar] != 1 || kinds[domain.KindSchedule] != 1 {
		t.Fatalf("export after moving a car without schedule: %v", kinds)
	}
	mustReserve(t, ctx, s, DemoReservation(moveTo, "AB-123-CD", "u1", fleetT0.Add(time.Hour), time.Hour), fleetT0)
}

func mustMoveErr(t *testing.T, ctx context.Context, s domain.Store, m domain.CarMove) error {
	t.Helper()
	_, err := s.MoveCar(ctx, m, nil)
	if err == nil {
		t.Fatalf("MoveCar(%+v) succeeded", m)
	}
	return err
}

// testFleetMoveRace: a move and reservations of the same car, at once.
// Exactly one of the move and the reservation in the old establishment
// wins; the car is in one establishment, and every stored reservation is
// on a car of its own establishment. Then two moves of one car to two
// establishments: one wins.
func testFleetMoveRace(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	moveEstablishments(t, ctx, s)
	now := fleetT0
	slot := fleetT0.Add(24 * time.Hour)
	const rounds = 12
	for i := range rounds {
		plate := fmt.Sprintf("RC-%03d-AA", i)
		if i%3 == 2 {
			importCarAlone(t, ctx, s, DemoCar(moveFrom, plate, "Clio"))
		} else {
			mustCar(t, ctx, s, DemoCar(moveFrom, plate, "Clio"))
		}
		var moveErr, at, to error
		// The reservations start a little later from round to round, so
		// that they meet the move at each of its steps.
		lag := time.Duration(i) * 400 * time.Microsecond
		race(
			func() {
				_, moveErr = s.MoveCar(ctx, domain.CarMove{Plate: plate, From: moveFrom, To: moveTo, By: "u-manon", At: now}, nil)
			},
			func() {
				time.Sleep(lag)
				_, at = s.Reserve(ctx, DemoReservation(moveFrom, plate, "u1", slot, time.Hour), now)
			},
			func() {
				time.Sleep(2 * lag)
				_, to = s.Reserve(ctx, DemoReservation(moveTo, plate, "u2", slot, time.Hour), now)
			},
		)
		_, carFrom := s.Car(ctx, moveFrom, plate)
		_, carTo := s.Car(ctx, moveTo, plate)
		found, findErr := s.FindCar(ctx, plate)
		storedFrom := reservationsOf(t, ctx, s, moveFrom, plate)
		stTo := reservationsOf(t, ctx, s, moveTo, plate)

		if (moveErr == nil) == (at == nil) {
			t.Fatalf("round %d: move %v, reservation in the old establishment %v: exactly one must win; car in from %v, to %v; stored from %+v to %+v", i, moveErr, at, carFrom, carTo, storedFrom, stTo)
		}
		t.Logf("round %d: move %v; reservation in %s %v, in %s %v", i, moveErr, moveFrom, at, moveTo, to)
		if moveErr == nil {
			if carFrom == nil || carTo != nil || findErr != nil || found.Establishment != moveTo {
				t.Fatalf("round %d: moved, but the car is in %s (%v) and %s (%v); FindCar %s", i, moveFrom, carFrom, moveTo, carTo, found.Establishment)
			}
			if len(storedFrom) != 0 {
				t.Fatalf("round %d: a reservation was stored on a car that left: %+v", i, storedFrom)
			}
			wantScheduleHolds(t, ctx, s, moveTo, plate, stTo, to == nil)
			// The car is bookable where it went (nothing left it held).
			mustReserve(t, ctx, s, DemoReservation(moveTo, plate, "u3", slot.Add(2*time.Hour), time.Hour), now)
			continue
		}
		if !domain.IsConflict(moveErr) {
			t.Fatalf("round %d: the move lost with %v, want ECONFLICT", i, moveErr)
		}
		if carFrom != nil || !domain.IsNotFound(carTo) || findErr != nil || found.Establishment != moveFrom {
			t.Fatalf("round %d: not moved, but the car is in %s (%v) and %s (%v)", i, moveFrom, carFrom, moveTo, carTo)
		}
		if to == nil || len(stTo) != 0 {
			t.Fatalf("round %d: a reservation in %s of a car that never arrived: %v, %+v", i, moveTo, to, stTo)
		}
		wantScheduleHolds(t, ctx, s, moveFrom, plate, storedFrom, true)
	}

	// Two moves of one car, to two establishments, at once.
	for i := range rounds / 2 {
		plate := fmt.Sprintf("RD-%03d-AA", i)
		mustCar(t, ctx, s, DemoCar(moveFrom, plate, "Clio"))
		errs := make([]error, 2)
		moveOne := func(j int, to string) func() {
			return func() {
				_, errs[j] = s.MoveCar(ctx, domain.CarMove{Plate: plate, From: moveFrom, To: to, By: "u-manon", At: now}, nil)
			}
		}
		race(moveOne(0, moveTo), moveOne(1, moveElse))
		var at []string
		for _, est := range []string{moveFrom, moveTo, moveElse} {
			if _, err := s.Car(ctx, est, plate); err == nil {
				at = append(at, est)
			}
		}
		won := 0
		for j, err := range errs {
			switch {
			case err == nil:
				won++
				if want := []string{moveTo, moveElse}[j]; len(at) != 1 || at[0] != want {
					t.Fatalf("round %d: the move to %s won, the car is in %v", i, want, at)
				}
			case !domain.IsConflict(err) && !domain.IsNotFound(err):
				t.Fatalf("round %d: a losing move answered %v, want ECONFLICT or ENOTFOUND (the car left)", i, err)
			}
		}
		if won != 1 || len(at) != 1 {
			t.Fatalf("round %d: %d moves won (%v); the car is in %v", i, won, errs, at)
		}
		mustReserve(t, ctx, s, DemoReservation(at[0], plate, "u1", slot, time.Hour), now)
	}
}

// race runs fns at once, each in its goroutine, and waits for them all.
func race(fns ...func()) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, f := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			f()
		}()
	}
	close(start)
	wg.Wait()
}

func reservationsOf(t *testing.T, ctx context.Context, s domain.Store, est, plate string) []domain.Reservation {
	t.Helper()
	all, err := s.ReservationsBetween(ctx, est, fleetT0, fleetT0.AddDate(0, 0, 7))
	if err != nil {
		t.Fatal(err)
	}
	var out []domain.Reservation
	for _, r := range all {
		if r.Plate == plate {
			out = append(out, r)
		}
	}
	return out
}

// wantScheduleHolds checks that the car's schedule in est lists exactly
// the stored reservations, and that there is one when won says so.
func wantScheduleHolds(t *testing.T, ctx context.Context, s domain.Store, est, plate string, stored []domain.Reservation, won bool) {
	t.Helper()
	st, err := s.CarState(ctx, est, plate)
	if err != nil {
		t.Fatal(err)
	}
	if won != (len(stored) == 1) || len(st.Schedule.Slots) != len(stored) {
		t.Fatalf("%s %s: %d reservations stored (won: %v), schedule %+v", est, plate, len(stored), won, st.Schedule.Slots)
	}
	for i, r := range stored {
		if st.Schedule.Slots[i].ReservationID != r.ID {
			t.Fatalf("%s %s: schedule %+v, stored %+v", est, plate, st.Schedule.Slots, stored)
		}
	}
}
