package bolt_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/anras/parc/storage/bolt"
	"github.com/anras/parc/storage/storagetest"
)

// BenchmarkFleetAvailability: which of 200 cars are free for two hours
// tomorrow, with 50,000 and 500,000 past reservations. The history is
// seeded without fsync, then the store is opened as production opens it.
// The cost must not grow with the history: the availability reads the
// cars and their schedules, never the past reservations.
func BenchmarkFleetAvailability(b *testing.B) {
	now := time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC)
	for _, history := range []int{50_000, 500_000} {
		b.Run(fmt.Sprintf("cars=%d/history=%d", storagetest.BenchCars, history), func(b *testing.B) {
			dir := b.TempDir()
			seed, err := bolt.Open(dir, bolt.Options{NoSync: true})
			if err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			storagetest.SeedFleetHistory(b, seed, "DITEP-STF", history, now)
			b.Logf("seeded %d reservations in %s", history, time.Since(start).Round(time.Millisecond))
			seed.Close()
			s, err := bolt.Open(dir, bolt.Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			storagetest.BenchAvailability(b, s, "DITEP-STF", now)
		})
	}
}
