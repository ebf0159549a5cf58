package main

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/anras/parc/domain"
)

// runRoles administers role assignments from a terminal, on the same store
// the bot uses (stop the bot first when it uses the embedded store).
func runRoles(ctx context.Context, env *environment, args []string) error {
	s, err := loadSettings(env.getenv)
	if err != nil {
		return err
	}
	if len(args) == 0 {
		return errors.New("usage: parc roles list | grant USER-ID ROLE | revoke USER-ID ROLE (roles: technician, fleet_manager, admin)")
	}
	store, err := openStore(ctx, s)
	if err != nil {
		return err
	}
	defer store.Close()
	switch args[0] {
	case "list":
		list, err := store.ListRoleAssignments(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "USER\tNAME\tROLE\tGRANTED BY\tGRANTED AT")
		for _, id := range s.Admins {
			fmt.Fprintf(w, "%s\t\t%s\tPARC_ADMINS\t\n", id, domain.RoleAdmin)
		}
		for _, a := range list {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", a.UserID, a.UserName, a.Role, a.GrantedBy, a.GrantedAt.Format(time.RFC3339))
		}
		return w.Flush()
	case "grant", "revoke":
		if len(args) != 3 {
			return fmt.Errorf("usage: parc roles %s USER-ID ROLE", args[0])
		}
		if !guidRe.MatchString(args[1]) {
			return fmt.Errorf("%q is not an Entra object id (a GUID)", args[1])
		}
		role, err := domain.ParseRole(args[2])
		if err != nil || role == domain.RoleStaff {
			return fmt.Errorf("unknown role %q: use technician, fleet_manager or admin", args[2])
		}
		if args[0] == "revoke" {
			if err := store.RevokeRole(ctx, args[1], role); err != nil {
				if domain.IsNotFound(err) {
					return fmt.Errorf("%s does not hold the role %s", args[1], role)
				}
				return err
			}
			fmt.Fprintf(env.stdout, "revoked %s from %s\n", role, args[1])
			return nil
		}
		name := ""
		if u, err := store.User(ctx, args[1]); err == nil {
			name = u.Name
		}
		a := domain.RoleAssignment{UserID: args[1], UserName: name, Role: role, GrantedBy: "cli", GrantedAt: time.Now().UTC()}
		if err := store.GrantRole(ctx, a); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "granted %s to %s\n", role, args[1])
		return nil
	}
	return fmt.Errorf("unknown roles action %q: use list, grant or revoke", args[0])
}
