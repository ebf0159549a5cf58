package storagetest

import "testing"

// runFleet runs the fleet feature's contract.
func runFleet(t *testing.T, newStore NewStore) {}
