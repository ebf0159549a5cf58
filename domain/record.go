package domain

import (
	"context"
	"encoding/json"
)

// Record is one stored record in a portable form: its kind ("role",
// "user"...) and its JSON. `parc export` writes records as JSON Lines and
// `parc import` reads them back, so that a pilot on the embedded store can
// move to Cosmos DB and back without losing anything.
type Record struct {
	Kind string          `json:"kind"`
	Data json.RawMessage `json:"data"`
}

// Record kinds.
const (
	KindRole          = "role"
	KindConversation  = "conversation"
	KindUser          = "user"
	KindEstablishment = "establishment"
)

// Porter exports and imports every durable record of a store. Transient
// records (the ids of processed activities) are not exported.
//
// Export calls fn for each record, kind by kind in a fixed order. Import
// writes one record, replacing a record with the same identity: importing
// the same file twice changes nothing. Import returns EINVALID for an
// unknown kind or data that does not decode.
type Porter interface {
	Export(ctx context.Context, fn func(Record) error) error
	Import(ctx context.Context, r Record) error
}
