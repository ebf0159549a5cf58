// Package storage holds Parc's storage backends: storage/bolt, the embedded
// store used by default on a laptop, and storage/cosmos, the production store.
// Both implement domain.Store and pass the same contract suite,
// storage/storagetest.
package storage
