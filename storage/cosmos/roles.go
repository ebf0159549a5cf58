package cosmos

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/data/azcosmos"
	"github.com/anras/parc/domain"
)

// Role assignments live in the users container, in the partition of the
// user who holds them (id "role:<role>"): the roles a turn needs are one
// single-partition query, and a future change that must touch a user and
// their roles together can do it in one batch.

const kindRole = "role"

func roleID(r domain.Role) string { return "role:" + string(r) }

func roleDoc(a domain.RoleAssignment) doc[domain.RoleAssignment] {
	return doc[domain.RoleAssignment]{ID: roleID(a.Role), PK: a.UserID, Kind: kindRole, Data: a}
}

// GrantRole creates the assignment; if the user already holds the role the
// creation fails with 409 and the first grant is kept.
func (s *Store) GrantRole(ctx context.Context, a domain.RoleAssignment) error {
	if err := a.Validate(); err != nil {
		return err
	}
	_, err := createDoc(ctx, s.users, roleDoc(a))
	if statusOf(err) == http.StatusConflict {
		return nil
	}
	return err
}

// RevokeRole deletes the assignment; ENOTFOUND when the user lacks the role.
func (s *Store) RevokeRole(ctx context.Context, userID string, r domain.Role) error {
	err := deleteDoc(ctx, s.users, userID, roleID(r), nil)
	if domain.IsNotFound(err) {
		return domain.Wrap(err, domain.ENOTFOUND, "err.role.not_held")
	}
	return err
}

// UserRoles is a query in the user's partition, sorted like the embedded
// store's (by role name).
func (s *Store) UserRoles(ctx context.Context, userID string) ([]domain.Role, error) {
	roles, err := queryPartition[domain.Role](ctx, s.users, userID,
		"SELECT VALUE c.data.role FROM c WHERE c.kind = @kind", azcosmos.QueryParameter{Name: "@kind", Value: kindRole})
	if err != nil {
		return nil, err
	}
	slices.Sort(roles)
	return roles, nil
}

// ListRoleAssignments is a cross-partition filter on kind (the gateway
// serves it), sorted in Go by user then role: the gateway cannot ORDER BY
// across partitions for azcosmos.
func (s *Store) ListRoleAssignments(ctx context.Context) ([]domain.RoleAssignment, error) {
	out, err := queryAll[domain.RoleAssignment](ctx, s.users,
		"SELECT VALUE c.data FROM c WHERE c.kind = @kind", azcosmos.QueryParameter{Name: "@kind", Value: kindRole})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b domain.RoleAssignment) int {
		if c := strings.Compare(a.UserID, b.UserID); c != 0 {
			return c
		}
		return strings.Compare(string(a.Role), string(b.Role))
	})
	return out, nil
}
