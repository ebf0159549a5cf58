package storagetest

import "testing"

// runLicences runs the licences feature's contract.
func runLicences(t *testing.T, newStore NewStore) {}
