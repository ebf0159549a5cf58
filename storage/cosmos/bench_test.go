package cosmos

import (
	"context"
	"testing"
	"time"

	"github.com/anras/parc/domain"
	"github.com/anras/parc/storage/cosmos/cosmostest"
	"github.com/anras/parc/storage/storagetest"
)

// BenchmarkStore measures the bot's operations on the corrected emulator.
// The figures are only indicative: the emulator is one Node process over
// loopback that serves one request at a time and scans every document for
// a query; the real service charges request units instead.
func BenchmarkStore(b *testing.B) {
	e := cosmostest.Start(b)
	storagetest.Bench(b, func(b *testing.B) domain.Store {
		cfg := testConfig(b, e)
		cfg.PageSize = 0 // the service's own page size
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		s, err := Open(ctx, cfg)
		if err != nil {
			b.Fatal(err)
		}
		return s
	})
}
