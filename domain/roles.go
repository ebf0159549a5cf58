package domain

import (
	"context"
	"slices"
	"time"
)

// Role is what a user may do in Parc. Everyone is staff; the other roles are
// granted by an admin and stored. An admin may do everything.
type Role string

const (
	RoleStaff        Role = "staff"         // any employee: cars, own loans
	RoleTechnician   Role = "technician"    // IT: terminals and loans
	RoleFleetManager Role = "fleet_manager" // cars: fleet, maintenance, any booking
	RoleAdmin        Role = "admin"         // everything, roles, establishments
)

// GrantableRoles are the roles an admin can grant (staff is implicit).
var GrantableRoles = []Role{RoleTechnician, RoleFleetManager, RoleAdmin}

// ParseRole returns the role named s (its identifier), or EINVALID.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if r == RoleStaff || slices.Contains(GrantableRoles, r) {
		return r, nil
	}
	return "", Errorf(EINVALID, "err.role.unknown", s)
}

// RoleAssignment records that an admin granted Role to the user UserID (the
// user's Entra object id, aadObjectId in Teams activities).
type RoleAssignment struct {
	UserID    string    `json:"userId"`
	UserName  string    `json:"userName,omitempty"`
	Role      Role      `json:"role"`
	GrantedBy string    `json:"grantedBy,omitempty"`
	GrantedAt time.Time `json:"grantedAt"`
}

// Validate checks the assignment's rules: a user id and a grantable role.
func (a RoleAssignment) Validate() error {
	if a.UserID == "" {
		return Errorf(EINVALID, "err.role.user_required")
	}
	if !slices.Contains(GrantableRoles, a.Role) {
		return Errorf(EINVALID, "err.role.unknown", string(a.Role))
	}
	return nil
}

// Principal is the user behind a turn, with the roles resolved from the
// store and from the bootstrap admin list.
type Principal struct {
	UserID   string // Entra object id; empty when the channel gives none
	Name     string
	TenantID string
	Roles    []Role
}

// Has reports whether p may act with role r. Everyone is staff; admins hold
// every role.
func (p Principal) Has(r Role) bool {
	if r == RoleStaff || r == "" {
		return true
	}
	return slices.Contains(p.Roles, r) || slices.Contains(p.Roles, RoleAdmin)
}

// Require returns EFORBIDDEN when p lacks role r.
func (p Principal) Require(r Role) error {
	if p.Has(r) {
		return nil
	}
	return Errorf(EFORBIDDEN, "err.forbidden.role", string(r))
}

// RoleRepository stores role assignments.
//
// GrantRole is idempotent (granting a held role keeps the first grant).
// RevokeRole returns ENOTFOUND when the user does not hold the role.
// UserRoles returns no error and an empty list for a user without roles,
// and the roles sorted. ListRoleAssignments returns every assignment by
// user, then role.
type RoleRepository interface {
	GrantRole(ctx context.Context, a RoleAssignment) error
	RevokeRole(ctx context.Context, userID string, role Role) error
	UserRoles(ctx context.Context, userID string) ([]Role, error)
	ListRoleAssignments(ctx context.Context) ([]RoleAssignment, error)
}
