package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/anras/parc/domain"
	bbolt "go.etcd.io/bbolt"
)

// Roles: key "<userID>/<role>", with "%" and "/" of the user id escaped so
// that the prefix "<userID>/" of one user never matches another's keys (a
// user "a/b" would otherwise hold roles of "a"). Entra object ids contain
// neither, so the keys of existing stores are unchanged.

var userKeyEscaper = strings.NewReplacer("%", "%25", "/", "%2F")

func roleKey(userID string, r domain.Role) string { return rolePrefix(userID) + string(r) }

func rolePrefix(userID string) string { return userKeyEscaper.Replace(userID) + "/" }

// GrantRole stores the assignment unless the user already holds the role.
func (s *Store) GrantRole(ctx context.Context, a domain.RoleAssignment) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return s.update(ctx, func(tx *bbolt.Tx) error {
		if tx.Bucket([]byte(bucketRoles)).Get([]byte(roleKey(a.UserID, a.Role))) != nil {
			return nil
		}
		return put(tx, bucketRoles, roleKey(a.UserID, a.Role), a)
	})
}

// RevokeRole removes the assignment; ENOTFOUND when the user lacks the role.
func (s *Store) RevokeRole(ctx context.Context, userID string, r domain.Role) error {
	return s.update(ctx, func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte(bucketRoles))
		if b.Get([]byte(roleKey(userID, r))) == nil {
			return domain.Errorf(domain.ENOTFOUND, "err.role.not_held")
		}
		return b.Delete([]byte(roleKey(userID, r)))
	})
}

// UserRoles lists the roles assigned to userID.
func (s *Store) UserRoles(ctx context.Context, userID string) ([]domain.Role, error) {
	var roles []domain.Role
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		prefix := []byte(rolePrefix(userID))
		c := tx.Bucket([]byte(bucketRoles)).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			roles = append(roles, domain.Role(k[len(prefix):]))
		}
		return nil
	})
	return roles, err
}

// ListRoleAssignments lists every assignment, by user then role (sorted
// here: escaped keys do not sort like the ids).
func (s *Store) ListRoleAssignments(ctx context.Context) ([]domain.RoleAssignment, error) {
	var out []domain.RoleAssignment
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		return tx.Bucket([]byte(bucketRoles)).ForEach(func(k, v []byte) error {
			var a domain.RoleAssignment
			if err := json.Unmarshal(v, &a); err != nil {
				return err
			}
			out = append(out, a)
			return nil
		})
	})
	slices.SortFunc(out, func(a, b domain.RoleAssignment) int {
		if c := strings.Compare(a.UserID, b.UserID); c != 0 {
			return c
		}
		return strings.Compare(string(a.Role), string(b.Role))
	})
	return out, err
}

// Conversations: key = conversation id.

// SaveConversation stores or replaces a conversation reference.
func (s *Store) SaveConversation(ctx context.Context, ref domain.ConversationRef) error {
	if err := ref.Validate(); err != nil {
		return err
	}
	return s.update(ctx, func(tx *bbolt.Tx) error { return put(tx, bucketConversations, ref.ID, ref) })
}

// Conversation returns the reference stored for id.
func (s *Store) Conversation(ctx context.Context, id string) (domain.ConversationRef, error) {
	var ref domain.ConversationRef
	err := s.view(ctx, func(tx *bbolt.Tx) error { return get(tx, bucketConversations, id, &ref) })
	return ref, err
}

// Users: key = Entra object id.

// User returns the user with Entra object id id.
func (s *Store) User(ctx context.Context, id string) (domain.User, error) {
	var u domain.User
	err := s.view(ctx, func(tx *bbolt.Tx) error { return get(tx, bucketUsers, id, &u) })
	return u, err
}

// UpdateUser applies fn to the stored user (or a new one) in one transaction.
func (s *Store) UpdateUser(ctx context.Context, id string, fn func(*domain.User) error) (domain.User, error) {
	var out domain.User
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		u := domain.User{ID: id}
		if err := get(tx, bucketUsers, id, &u); err != nil && !domain.IsNotFound(err) {
			return err
		}
		if err := fn(&u); err != nil {
			return err
		}
		u.ID = id
		if err := u.Validate(); err != nil {
			return err
		}
		out = u
		return put(tx, bucketUsers, id, u)
	})
	return out, err
}

// ListUsers lists every known user, by name then id.
func (s *Store) ListUsers(ctx context.Context) ([]domain.User, error) {
	var out []domain.User
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		return tx.Bucket([]byte(bucketUsers)).ForEach(func(k, v []byte) error {
			var u domain.User
			if err := json.Unmarshal(v, &u); err != nil {
				return err
			}
			out = append(out, u)
			return nil
		})
	})
	slices.SortFunc(out, func(a, b domain.User) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, err
}

// Activity ids live in the transient file. An entry records when an id was
// first seen.

type activityEntry struct {
	At time.Time `json:"at"`
}

// pruneBatch bounds the old ids forgotten by one call, keeping calls short.
const pruneBatch = 64

// FirstDelivery records id and reports whether this is its first delivery
// within window.
func (s *Store) FirstDelivery(ctx context.Context, id string, now time.Time, window time.Duration) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	var first bool
	err := s.tdb.Update(func(tx *bbolt.Tx) error {
		acts := tx.Bucket([]byte(bucketActivities))
		times := tx.Bucket([]byte(bucketActivityTimes))
		var e activityEntry
		if raw := acts.Get([]byte(id)); raw != nil {
			if err := json.Unmarshal(raw, &e); err != nil {
				return err
			}
			if now.Sub(e.At) < window {
				return nil
			}
			if err := times.Delete(timeKey(e.At, id)); err != nil {
				return err
			}
		}
		first = true
		if err := put(tx, bucketActivities, id, activityEntry{At: now}); err != nil {
			return err
		}
		if err := times.Put(timeKey(now, id), nil); err != nil {
			return err
		}
		return pruneActivities(acts, times, now.Add(-window))
	})
	return first, err
}

// pruneActivities forgets up to pruneBatch ids seen before cutoff. Keys are
// collected first: deleting under a bbolt cursor makes Next skip entries.
func pruneActivities(acts, times *bbolt.Bucket, cutoff time.Time) error {
	c := times.Cursor()
	limit := timeKey(cutoff, "")
	var old [][]byte
	for k, _ := c.First(); k != nil && bytes.Compare(k, limit) < 0 && len(old) < pruneBatch; k, _ = c.Next() {
		old = append(old, bytes.Clone(k))
	}
	for _, k := range old {
		if err := acts.Delete(k[8:]); err != nil {
			return err
		}
		if err := times.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

func timeKey(t time.Time, id string) []byte {
	k := make([]byte, 8, 8+len(id))
	binary.BigEndian.PutUint64(k, uint64(t.UnixNano()))
	return append(k, id...)
}
