package storagetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/anras/parc/domain"
)

// BenchCars is the fleet size of the benchmarks: a big establishment.
const BenchCars = 200

// SeedFleetHistory creates BenchCars cars in est and history past
// reservations, spread evenly over the cars and over the years before now,
// each handed back (as they are once a driver brought the car back). It
// goes through Reserve (or the store's bulk ReserveMany, which applies the
// same checks in big transactions), so that the store keeps what it keeps
// in production: the reservations, the index of starts, the schedules.
func SeedFleetHistory(tb testing.TB, s domain.Store, est string, history int, now time.Time) {
	tb.Helper()
	ctx := context.Background()
	for i := range BenchCars {
		c := DemoCar(est, BenchPlate(i), fmt.Sprintf("Clio %d", i))
		if err := s.CreateCar(ctx, c); err != nil {
			tb.Fatal(err)
		}
	}
	perCar := (history + BenchCars - 1) / BenchCars
	bulk, _ := s.(interface {
		ReserveMany(ctx context.Context, rs []domain.Reservation, now time.Time) error
	})
	var batch []domain.Reservation
	flush := func() {
		if len(batch) > 0 {
			if err := bulk.ReserveMany(ctx, batch, now); err != nil {
				tb.Fatalf("seed %d reservations: %v", len(batch), err)
			}
			batch = batch[:0]
		}
	}
	// Two-hour bookings, one every 18 hours per car, going back in time,
	// all handed back.
	for k := range perCar {
		for i := range BenchCars {
			if k*BenchCars+i >= history {
				break
			}
			start := now.Truncate(30 * time.Minute).Add(-time.Duration(k+1) * 18 * time.Hour)
			r := DemoReservation(est, BenchPlate(i), fmt.Sprintf("user-%03d", (i+k)%500), start, 2*time.Hour)
			r.Handback = &domain.Handback{At: r.End, By: r.UserID, OdometerStart: 12000, Odometer: 12000}
			if bulk != nil {
				if batch = append(batch, r); len(batch) == 20_000 {
					flush()
				}
				continue
			}
			if _, err := s.Reserve(ctx, r, start); err != nil {
				tb.Fatalf("seed reservation %d of car %d: %v", k, i, err)
			}
		}
	}
	if bulk != nil {
		flush()
	}
}

// BenchPlate is the plate of the i-th benchmark car.
func BenchPlate(i int) string { return fmt.Sprintf("AB-%03d-CD", i) }

// FreeCars is the availability answer: the cars of est that can be booked
// over iv, as the bot computes it.
func FreeCars(ctx context.Context, s domain.Store, est string, iv domain.Interval) ([]domain.Car, error) {
	fleet, err := s.Fleet(ctx, est)
	if err != nil {
		return nil, err
	}
	var free []domain.Car
	for _, st := range fleet {
		if st.Car.Reservable(iv.Start, iv.End) == nil && len(st.Schedule.Clashes(iv, "")) == 0 {
			free = append(free, st.Car)
		}
	}
	return free, nil
}

// BenchAvailability measures FreeCars for a two-hour window tomorrow, one
// call at a time, and reports p50 and p99 in microseconds.
func BenchAvailability(b *testing.B, s domain.Store, est string, now time.Time) {
	ctx := context.Background()
	tomorrow := now.Truncate(30 * time.Minute).Add(24 * time.Hour)
	iv := domain.Interval{Start: tomorrow, End: tomorrow.Add(2 * time.Hour)}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		t := time.Now()
		free, err := FreeCars(ctx, s, est, iv)
		lat = append(lat, time.Since(t))
		if err != nil {
			b.Fatal(err)
		}
		if len(free) != BenchCars {
			b.Fatalf("%d free cars, want %d", len(free), BenchCars)
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(micros(percentile(lat, 50)), "p50-µs")
	b.ReportMetric(micros(percentile(lat, 99)), "p99-µs")
}
