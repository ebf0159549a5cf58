package storagetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/anras/parc/domain"
)

// BenchEquipment measures the searches of the terminal list card over an
// inventory of n terminals (n = 10,000 for the README's figure): a free
// text search, a filter by status and establishment, the whole inventory's
// first page, and a page deep in it. Each reports ops/s, p50 and p99.
func BenchEquipment(b *testing.B, newStore NewBenchStore, n int) {
	ctx := context.Background()
	s := newStore(b)
	b.Cleanup(func() { s.Close() })
	makes := []string{"Lenovo", "Fujitsu", "Dell", "HP", "Microsoft"}
	models := []string{"ThinkPad T480", "Lifebook A555", "Latitude E5540", "EliteBook 840", "Surface Pro 7"}
	ests := []string{"DITEP-STF", "ANRAS-SOC", "CEF-LP", "ITEP-MRT"}
	types := []string{"P", "F", "TP", "T"}
	var facts []domain.TerminalFacts
	for i := range n {
		id := fmt.Sprintf("%s-%s%03d", ests[i%len(ests)], types[(i/len(ests))%len(types)], i/(len(ests)*len(types))+1)
		facts = append(facts, domain.TerminalFacts{ID: id, Owner: "ANRAS", Make: makes[i%len(makes)], Model: models[(i/3)%len(models)],
			Specs: "i5-8250U - 8 Go", CPU: "i5-8250U", RAM: "8 Go", OS: "Windows 11 Pro", Serial: fmt.Sprintf("SN%07d", i)})
	}
	for lo := 0; lo < len(facts); lo += 1000 {
		if _, _, err := s.ImportTerminals(ctx, facts[lo:min(lo+1000, len(facts))], tech, t0); err != nil {
			b.Fatal(err)
		}
	}
	ops := []struct {
		name string
		f    domain.TerminalFilter
		min  int
	}{
		{"Search/Text", domain.TerminalFilter{Text: "lifebook sn00001", Limit: 10}, 1},
		{"Search/EstablishmentAndType", domain.TerminalFilter{Establishment: "DITEP-STF", Types: []string{"P"}, Limit: 10}, 10},
		{"Search/FirstPage", domain.TerminalFilter{Limit: 10}, 10},
		{"Search/DeepPage", domain.TerminalFilter{Offset: n - 20, Limit: 10}, 10},
	}
	for _, o := range ops {
		b.Run(fmt.Sprintf("%s/%d", o.name, n), func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			start := time.Now()
			for range b.N {
				t := time.Now()
				p, err := s.SearchTerminals(ctx, o.f)
				if err != nil {
					b.Fatal(err)
				}
				if len(p.Items) < o.min {
					b.Fatalf("%s found %d terminals", o.name, len(p.Items))
				}
				lat = append(lat, time.Since(t))
			}
			total := time.Since(start)
			b.StopTimer()
			slices.Sort(lat)
			b.ReportMetric(float64(b.N)/total.Seconds(), "ops/s")
			b.ReportMetric(float64(percentile(lat, 50).Microseconds())/1e3, "p50-ms")
			b.ReportMetric(float64(percentile(lat, 99).Microseconds())/1e3, "p99-ms")
		})
	}
}
