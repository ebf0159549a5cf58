package cosmos

import (
	"context"
	"testing"
	"time"

	"github.com/anras/parc/domain"
	"github.com/anras/parc/storage/cosmos/cosmostest"
	"github.com/anras/parc/storage/storagetest"
)

// BenchmarkTerminalSearch measures the terminal list's searches on the
// corrected emulator over 2,000 terminals (loading 10,000 into the
// emulator, one request at a time, takes minutes). Indicative only, like
// BenchmarkStore: the real service answers a single-partition query from
// its index, the emulator scans every document.
func BenchmarkTerminalSearch(b *testing.B) {
	e := cosmostest.Start(b)
	storagetest.BenchEquipment(b, func(b *testing.B) domain.Store {
		cfg := testConfig(b, e)
		cfg.PageSize = 0
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		s, err := Open(ctx, cfg)
		if err != nil {
			b.Fatal(err)
		}
		return s
	}, 2000)
}
