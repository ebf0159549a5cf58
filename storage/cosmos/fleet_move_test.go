package cosmos

import (
	"context"
	"testing"
	"time"

	"github.com/anras/parc/domain"
	"github.com/anras/parc/storage/cosmos/cosmostest"
	"github.com/anras/parc/storage/storagetest"
)

// A move that stops between its steps (the process dies, the network
// fails) leaves what the steps wrote; these tests build those states with
// the steps themselves and check that the car is never bookable twice,
// never lost, and never blocked for good.

const (
	estA, estB, estC = "DITEP-STF", "ANRAS-SOC", "CEF-LP"
	movePlate        = "AB-123-CD"
)

var moveAt = time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC)

// moveSetup opens a store with three establishments and a car in the first.
func moveSetup(t *testing.T, e *cosmostest.Emulator) (context.Context, *Store) {
	t.Helper()
	ctx, s := context.Background(), openTest(t, e)
	t.Cleanup(func() { s.Close() })
	for _, code := range []string{estA, estB, estC} {
		if err := s.CreateEstablishment(ctx, domain.Establishment{Code: code, Name: "Établissement " + code}); err != nil {
			t.Fatal(err)
		}
	}
	car := storagetest.DemoCar(estA, movePlate, "Clio")
	car.CalendarToken = "old-token"
	if err := s.CreateCar(ctx, car); err != nil {
		t.Fatal(err)
	}
	return ctx, s
}

// partialMove runs the steps of a move from→to up to step (2: the copy is
// made; 3: the original is deleted) and stops there, as a dead process
// would. It returns the move's hold.
func partialMove(t *testing.T, ctx context.Context, s *Store, from, to string, step int) moveHold {
	t.Helper()
	m := domain.CarMove{Plate: movePlate, From: from, To: to, By: "u-manon", At: moveAt}
	origin, err := s.readOrigin(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	hold := moveHold{ID: newMoveID(), From: from, Since: moveAt}
	if err := s.createCopy(ctx, m.Apply(origin.car), hold); err != nil {
		t.Fatal(err)
	}
	if step >= 3 {
		if err := s.deleteOrigin(ctx, m, origin, hold.ID); err != nil {
			t.Fatal(err)
		}
	}
	return hold
}

func reserveAt(ctx context.Context, s *Store, est string, now time.Time) error {
	_, err := s.Reserve(ctx, storagetest.DemoReservation(est, movePlate, "u1", moveAt.Add(24*time.Hour), time.Hour), now)
	return err
}

func wantKey(t *testing.T, what string, err error, code domain.ErrorCode, key string) {
	t.Helper()
	if e := domain.AsError(err); e == nil || e.Code != code || e.Key != key {
		t.Fatalf("%s: %v, want %s %s", what, err, code, key)
	}
}

// wantOnlyIn checks that the car is in est and in no other establishment.
func wantOnlyIn(t *testing.T, ctx context.Context, s *Store, est string) domain.Car {
	t.Helper()
	var car domain.Car
	for _, code := range []string{estA, estB, estC} {
		c, err := s.Car(ctx, code, movePlate)
		switch {
		case code == est && err != nil:
			t.Fatalf("the car is not in %s: %v", est, err)
		case code == est:
			car = c
		case !domain.IsNotFound(err):
			t.Fatalf("the car is also in %s: %v", code, err)
		}
	}
	return car
}

func held(t *testing.T, ctx context.Context, s *Store, est string) *moveHold {
	t.Helper()
	d, _, err := readDoc[domain.CarSchedule](ctx, s.fleet(), est, scheduleID(movePlate))
	if err != nil {
		t.Fatal(err)
	}
	return d.Move
}

func TestMoveCarInterrupted(t *testing.T) {
	e := cosmostest.Start(t)
	grace := moveAt.Add(moveGrace + time.Minute)

	t.Run("died after the copy: the copy refuses bookings, then is dropped", func(t *testing.T) {
		ctx, s := moveSetup(t, e)
		partialMove(t, ctx, s, estA, estB, 2)
		wantKey(t, "booking the copy", reserveAt(ctx, s, estB, moveAt), domain.ECONFLICT, "err.fleet.car.moving")
		_, err := s.MoveCar(ctx, domain.CarMove{Plate: movePlate, From: estA, To: estB, By: "u-manon", At: moveAt.Add(time.Minute)}, nil)
		wantKey(t, "another move while the first may still run", err, domain.ECONFLICT, "err.fleet.car.moving")
		if held(t, ctx, s, estB) == nil {
			t.Fatal("the copy lost its hold")
		}
		// Past the grace period the move is known dead: the copy goes.
		wantKey(t, "booking the copy later", reserveAt(ctx, s, estB, grace), domain.ENOTFOUND, "err.fleet.car.unknown")
		if car := wantOnlyIn(t, ctx, s, estA); car.CalendarToken != "old-token" {
			t.Fatalf("the original changed: %+v", car)
		}
		if err := reserveAt(ctx, s, estA, grace); err != nil {
			t.Fatalf("booking the original: %v", err)
		}
	})

	t.Run("died after deleting the original: the next booking releases the copy", func(t *testing.T) {
		ctx, s := moveSetup(t, e)
		partialMove(t, ctx, s, estA, estB, 3)
		wantOnlyIn(t, ctx, s, estB)
		if err := reserveAt(ctx, s, estB, moveAt); err != nil {
			t.Fatalf("booking the moved car: %v", err)
		}
		if h := held(t, ctx, s, estB); h != nil {
			t.Fatalf("still held: %+v", h)
		}
		wantKey(t, "booking where it was", reserveAt(ctx, s, estA, moveAt), domain.ENOTFOUND, "err.fleet.car.unknown")
	})

	t.Run("a stale copy does not block the next move", func(t *testing.T) {
		ctx, s := moveSetup(t, e)
		partialMove(t, ctx, s, estA, estB, 2)
		car, err := s.MoveCar(ctx, domain.CarMove{Plate: movePlate, From: estA, To: estB, By: "u-manon", At: grace}, nil)
		if err != nil || car.Establishment != estB {
			t.Fatalf("MoveCar = %+v, %v", car, err)
		}
		wantOnlyIn(t, ctx, s, estB)
		if h := held(t, ctx, s, estB); h != nil {
			t.Fatalf("still held: %+v", h)
		}
	})

	t.Run("a car that arrived by an unfinished move can move on", func(t *testing.T) {
		ctx, s := moveSetup(t, e)
		partialMove(t, ctx, s, estA, estB, 3)
		car, err := s.MoveCar(ctx, domain.CarMove{Plate: movePlate, From: estB, To: estC, By: "u-manon", At: moveAt}, nil)
		if err != nil || car.Establishment != estC {
			t.Fatalf("MoveCar = %+v, %v", car, err)
		}
		wantOnlyIn(t, ctx, s, estC)
		if err := reserveAt(ctx, s, estC, moveAt); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("a copy whose original went elsewhere is dropped", func(t *testing.T) {
		ctx, s := moveSetup(t, e)
		partialMove(t, ctx, s, estA, estB, 2)
		if _, err := s.MoveCar(ctx, domain.CarMove{Plate: movePlate, From: estA, To: estC, By: "u-manon", At: moveAt}, nil); err != nil {
			t.Fatal(err)
		}
		wantKey(t, "booking the losing copy", reserveAt(ctx, s, estB, moveAt), domain.ENOTFOUND, "err.fleet.car.unknown")
		wantOnlyIn(t, ctx, s, estC)
	})

	t.Run("a reservation between the copy and the deletion wins", func(t *testing.T) {
		ctx, s := moveSetup(t, e)
		m := domain.CarMove{Plate: movePlate, From: estA, To: estB, By: "u-manon", At: moveAt}
		origin, err := s.readOrigin(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		hold := moveHold{ID: newMoveID(), From: estA, Since: moveAt}
		if err := s.createCopy(ctx, m.Apply(origin.car), hold); err != nil {
			t.Fatal(err)
		}
		if err := reserveAt(ctx, s, estA, moveAt); err != nil {
			t.Fatalf("booking the original while it is copied: %v", err)
		}
		err = s.deleteOrigin(ctx, m, origin, hold.ID)
		wantKey(t, "deleting a booked original", err, domain.ECONFLICT, "err.conflict")
		// What MoveCar does then: settle its own move, say why.
		if moved, err := s.settleMove(ctx, estB, movePlate, moveAt, hold.ID); err != nil || moved {
			t.Fatalf("settleMove = %v, %v; want the copy dropped", moved, err)
		}
		wantKey(t, "the refusal", s.moveRefused(ctx, m, err), domain.ECONFLICT, "err.fleet.move.booked")
		wantOnlyIn(t, ctx, s, estA)
		if st, _ := s.CarState(ctx, estA, movePlate); len(st.Schedule.Slots) != 1 {
			t.Fatalf("the reservation is not in the schedule: %+v", st.Schedule)
		}
	})
}
