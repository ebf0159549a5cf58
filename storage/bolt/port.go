package bolt

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/anras/parc/domain"
	bbolt "go.etcd.io/bbolt"
)

// kindSpec says where a kind of record lives and what its key is.
type kindSpec struct {
	kind, bucket string
	key          func(data json.RawMessage) (string, error)
	// put, when set, writes an imported record instead of a plain Put:
	// for kinds whose records keep derived entries (an index) in step.
	put func(tx *bbolt.Tx, key string, data []byte) error
}

// decodeKey decodes data into a T, validates it and returns its key.
// decodeKey returns a key function that decodes data into a T, validates it
// and returns its key: a record that breaks its rules is not imported.
func decodeKey[T interface{ Validate() error }](key func(T) string) func(json.RawMessage) (string, error) {
	return func(data json.RawMessage) (string, error) {
		var v T
		if err := json.Unmarshal(data, &v); err != nil {
			return "", domain.Wrap(err, domain.EINVALID, "err.invalid")
		}
		if err := v.Validate(); err != nil {
			return "", err
		}
		return key(v), nil
	}
}

// kinds lists the exported kinds, in export order.
func kinds() []kindSpec {
	var specs []kindSpec
	add := func(kind, bucket string, key func(json.RawMessage) (string, error)) {
		specs = append(specs, kindSpec{kind: kind, bucket: bucket, key: key})
	}
	add(domain.KindRole, bucketRoles, decodeKey(func(a domain.RoleAssignment) string { return roleKey(a.UserID, a.Role) }))
	add(domain.KindConversation, bucketConversations, decodeKey(func(r domain.ConversationRef) string { return r.ID }))
	add(domain.KindUser, bucketUsers, decodeKey(func(u domain.User) string { return u.ID }))
	add(domain.KindEstablishment, bucketEstablishments, decodeKey(func(e domain.Establishment) string { return e.Code }))
	return slices.Concat(specs, fleetKinds(), equipmentKinds(), licenceKinds())
}

// Export calls fn for every durable record, kind by kind.
func (s *Store) Export(ctx context.Context, fn func(domain.Record) error) error {
	return s.view(ctx, func(tx *bbolt.Tx) error {
		for _, spec := range kinds() {
			err := tx.Bucket([]byte(spec.bucket)).ForEach(func(_, v []byte) error {
				return fn(domain.Record{Kind: spec.kind, Data: json.RawMessage(append([]byte(nil), v...))})
			})
			if err != nil {
				return fmt.Errorf("export %s: %w", spec.kind, err)
			}
		}
		return nil
	})
}

// Import writes r, replacing the record with the same key.
func (s *Store) Import(ctx context.Context, r domain.Record) error {
	for _, spec := range kinds() {
		if spec.kind != r.Kind {
			continue
		}
		key, err := spec.key(r.Data)
		if err != nil {
			return err
		}
		return s.update(ctx, func(tx *bbolt.Tx) error {
			if spec.put != nil {
				return spec.put(tx, key, compactJSON(r.Data))
			}
			return tx.Bucket([]byte(spec.bucket)).Put([]byte(key), compactJSON(r.Data))
		})
	}
	return domain.Errorf(domain.EINVALID, "err.import.kind", r.Kind)
}

func compactJSON(b json.RawMessage) []byte {
	var buf bytes.Buffer
	if json.Compact(&buf, b) != nil {
		return b
	}
	return buf.Bytes()
}
