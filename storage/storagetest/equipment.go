package storagetest

import "testing"

// runEquipment runs the equipment feature's contract.
func runEquipment(t *testing.T, newStore NewStore) {}
