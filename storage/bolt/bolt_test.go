package bolt_test

import (
	"testing"

	"github.com/anras/parc/domain"
	"github.com/anras/parc/storage/bolt"
	"github.com/anras/parc/storage/storagetest"
)

func TestContract(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) domain.Store {
		s, err := bolt.Open(t.TempDir(), bolt.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestSecondOpenFailsClearly(t *testing.T) {
	dir := t.TempDir()
	s, err := bolt.Open(dir, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := bolt.Open(dir, bolt.Options{}); err == nil {
		t.Fatal("a second process could open the same store")
	}
}

// BenchmarkStore measures the bot's operations on the embedded store as
// production opens it (fsync on every commit).
func BenchmarkStore(b *testing.B) {
	storagetest.Bench(b, func(b *testing.B) domain.Store {
		s, err := bolt.Open(b.TempDir(), bolt.Options{})
		if err != nil {
			b.Fatal(err)
		}
		return s
	})
}
