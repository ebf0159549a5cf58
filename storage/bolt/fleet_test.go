package bolt_test

import (
	"context"
	"testing"
	"time"

	"github.com/anras/parc/domain"
	"github.com/anras/parc/storage/bolt"
	"github.com/anras/parc/storage/storagetest"
)

// ReserveMany applies Reserve's checks: an overlap refuses the whole batch.
func TestReserveManyIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s, err := bolt.Open(t.TempDir(), bolt.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.CreateCar(ctx, storagetest.DemoCar("DITEP-STF", "AB-123-CD", "Clio")); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC)
	start := now.Add(24 * time.Hour)
	ok := []domain.Reservation{
		storagetest.DemoReservation("DITEP-STF", "AB-123-CD", "u1", start, time.Hour),
		storagetest.DemoReservation("DITEP-STF", "AB-123-CD", "u2", start.Add(time.Hour), time.Hour),
	}
	clash := append(ok, storagetest.DemoReservation("DITEP-STF", "AB-123-CD", "u3", start.Add(30*time.Minute), time.Hour))
	if err := s.ReserveMany(ctx, clash, now); !domain.IsConflict(err) {
		t.Fatalf("ReserveMany with an overlap = %v, want a conflict", err)
	}
	if res, _ := s.ReservationsBetween(ctx, "DITEP-STF", now, now.AddDate(0, 0, 7)); len(res) != 0 {
		t.Fatalf("a refused batch stored %d reservations", len(res))
	}
	if err := s.ReserveMany(ctx, ok, now); err != nil {
		t.Fatal(err)
	}
	st, _ := s.CarState(ctx, "DITEP-STF", "AB-123-CD")
	if res, _ := s.ReservationsBetween(ctx, "DITEP-STF", now, now.AddDate(0, 0, 7)); len(res) != 2 || len(st.Schedule.Slots) != 2 {
		t.Fatalf("stored %d reservations, %d slots", len(res), len(st.Schedule.Slots))
	}
}
