package cosmos

import (
	"context"
	"slices"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/data/azcosmos"
	"github.com/anras/parc/domain"
)

// A user is the document "profile" of the user's own partition (pk = the
// Entra object id) in the users container, beside their role assignments.

const (
	kindUser  = "user"
	profileID = "profile"
)

// User is a point read: the cheapest operation Cosmos has.
func (s *Store) User(ctx context.Context, id string) (domain.User, error) {
	d, _, err := readDoc[domain.User](ctx, s.users, id, profileID)
	if err != nil {
		return domain.User{}, err
	}
	return d.Data, nil
}

// UpdateUser is a read-modify-write guarded by the profile's ETag,
// retried when another turn of the same user wrote first.
func (s *Store) UpdateUser(ctx context.Context, id string, fn func(*domain.User) error) (domain.User, error) {
	if id == "" {
		return domain.User{}, domain.Errorf(domain.EINVALID, "err.user.id_required")
	}
	d, err := update(ctx, s.users, id, profileID, kindUser, func(d *doc[domain.User], found bool) error {
		if !found {
			d.Data = domain.User{ID: id}
		}
		if err := fn(&d.Data); err != nil {
			return err
		}
		d.Data.ID = id
		return d.Data.Validate()
	})
	return d.Data, err
}

// ListUsers is a cross-partition filter on kind, sorted in Go by name (then
// id, so that the order is total).
func (s *Store) ListUsers(ctx context.Context) ([]domain.User, error) {
	out, err := queryAll[domain.User](ctx, s.users,
		"SELECT VALUE c.data FROM c WHERE c.kind = @kind", azcosmos.QueryParameter{Name: "@kind", Value: kindUser})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b domain.User) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}
