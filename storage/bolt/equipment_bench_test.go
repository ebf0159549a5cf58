package bolt_test

import (
	"testing"

	"github.com/anras/parc/domain"
	"github.com/anras/parc/storage/bolt"
	"github.com/anras/parc/storage/storagetest"
)

// BenchmarkTerminalSearch measures the terminal list's searches over
// 10,000 terminals on the embedded store as production opens it.
func BenchmarkTerminalSearch(b *testing.B) {
	storagetest.BenchEquipment(b, func(b *testing.B) domain.Store {
		s, err := bolt.Open(b.TempDir(), bolt.Options{})
		if err != nil {
			b.Fatal(err)
		}
		return s
	}, 10000)
}
