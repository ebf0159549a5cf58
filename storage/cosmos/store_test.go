package cosmos

import (
	"testing"

	"github.com/anras/parc/domain"
	"github.com/anras/parc/storage/cosmos/cosmostest"
	"github.com/anras/parc/storage/storagetest"
)

// TestContract runs the contract every backend passes against the corrected
// emulator, one database per store.
func TestContract(t *testing.T) {
	e := cosmostest.Start(t)
	storagetest.Run(t, func(t *testing.T) domain.Store { return openTest(t, e) })
}
