package cosmos

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/data/azcosmos"
	"github.com/anras/parc/domain"
)

// portKind says where an exported kind lives and how a record of it
// becomes a document.
type portKind struct {
	kind string // domain.Kind*
	c    *container
	// place decodes and validates data and returns the document's
	// partition key and id: a record that breaks its rules is not imported.
	place func(data json.RawMessage) (pk, id string, err error)
	// write, when set, imports a record instead of the plain upsert: for
	// kinds whose documents keep others in step (an open-loan marker).
	write func(ctx context.Context, data json.RawMessage) error
}

// placeBy returns a place function for records of type T.
func placeBy[T interface{ Validate() error }](key func(T) (pk, id string)) func(json.RawMessage) (string, string, error) {
	return func(data json.RawMessage) (string, string, error) {
		var v T
		if err := json.Unmarshal(data, &v); err != nil {
			return "", "", domain.Wrap(err, domain.EINVALID, "err.invalid")
		}
		if err := v.Validate(); err != nil {
			return "", "", err
		}
		pk, id := key(v)
		return pk, id, nil
	}
}

// portKinds lists the exported kinds in the embedded store's order; a new
// repository adds its kinds at the end.
func (s *Store) portKinds() []portKind {
	core := []portKind{
		{kind: domain.KindRole, c: s.users, place: placeBy(func(a domain.RoleAssignment) (string, string) { return a.UserID, roleID(a.Role) })},
		{kind: domain.KindConversation, c: s.conversations, place: placeBy(func(r domain.ConversationRef) (string, string) { return r.ID, conversationID })},
		{kind: domain.KindUser, c: s.users, place: placeBy(func(u domain.User) (string, string) { return u.ID, profileID })},
		{kind: domain.KindEstablishment, c: s.establishments, place: placeBy(func(e domain.Establishment) (string, string) { return e.Code, establishmentID })},
	}
	return slices.Concat(core, s.fleetKinds(), s.equipmentKinds(), s.licenceKinds())
}

// Export calls fn for every durable record, kind by kind, each kind sorted
// by partition key then id (a cross-partition query cannot sort: Go does).
// Records carry data only: never id, pk or the service's system fields.
func (s *Store) Export(ctx context.Context, fn func(domain.Record) error) error {
	type row struct {
		PK   string          `json:"pk"`
		ID   string          `json:"id"`
		Data json.RawMessage `json:"data"`
	}
	for _, k := range s.portKinds() {
		rows, err := queryAll[row](ctx, k.c, "SELECT c.pk, c.id, c.data FROM c WHERE c.kind = @kind",
			azcosmos.QueryParameter{Name: "@kind", Value: k.kind})
		if err != nil {
			return fmt.Errorf("export %s: %w", k.kind, err)
		}
		slices.SortFunc(rows, func(a, b row) int {
			if c := strings.Compare(a.PK, b.PK); c != 0 {
				return c
			}
			return strings.Compare(a.ID, b.ID)
		})
		for _, r := range rows {
			if err := fn(domain.Record{Kind: k.kind, Data: r.Data}); err != nil {
				return fmt.Errorf("export %s: %w", k.kind, err)
			}
		}
	}
	return nil
}

// Import upserts r: importing the same record twice changes nothing.
func (s *Store) Import(ctx context.Context, r domain.Record) error {
	for _, k := range s.portKinds() {
		if k.kind != r.Kind {
			continue
		}
		pk, id, err := k.place(r.Data)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, r.Data); err != nil {
			return domain.Wrap(err, domain.EINVALID, "err.invalid")
		}
		if k.write != nil {
			return k.write(ctx, buf.Bytes())
		}
		_, err = upsertDoc(ctx, k.c, doc[json.RawMessage]{ID: id, PK: pk, Kind: k.kind, Data: buf.Bytes()})
		return err
	}
	return domain.Errorf(domain.EINVALID, "err.import.kind", r.Kind)
}
