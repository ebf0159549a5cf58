package bot

import (
	"regexp"
	"slices"
	"sort"

	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
)

// registerCore registers the bot's own commands: help and menu, profile and
// language, and role management.
func (b *Bot) registerCore(r *Router) {
	menu := func(t *Turn, _ string) (cards.Card, error) { return b.menuCard(t), nil }
	r.Command(Command{FR: "aide", EN: "help", Aliases: []string{"menu", "?", "bonjour", "hello", "salut", "hi", "start"}, Help: "cmd.help.desc", Run: menu})
	r.Action(Action{Verb: cards.VerbMenu, Run: func(t *Turn, _ Input) (cards.Card, error) { return b.menuCard(t), nil }})

	r.Command(Command{FR: "profil", EN: "profile", Aliases: []string{"mon profil", "my profile", "whoami", "moi"}, Help: "cmd.profile.desc",
		Run: func(t *Turn, _ string) (cards.Card, error) { return b.profileCard(t), nil }})
	r.Action(Action{Verb: cards.VerbProfile, Run: func(t *Turn, _ Input) (cards.Card, error) { return b.profileCard(t), nil }})
	r.Command(Command{FR: "langue", EN: "language", Help: "cmd.language.desc",
		Run: func(t *Turn, args string) (cards.Card, error) { return b.setLanguage(t, args) }})
	r.Action(Action{Verb: cards.VerbSetLanguage,
		Run: func(t *Turn, in Input) (cards.Card, error) { return b.setLanguage(t, in.Str("language")) }})

	r.Command(Command{FR: "rôles", EN: "roles", Aliases: []string{"role", "rôle"}, Help: "cmd.roles.desc", Role: domain.RoleAdmin,
		Run: func(t *Turn, _ string) (cards.Card, error) { return b.rolesCard(t, "") }})
	r.Action(Action{Verb: cards.VerbRoles, Role: domain.RoleAdmin, Run: func(t *Turn, _ Input) (cards.Card, error) { return b.rolesCard(t, "") }})
	r.Action(Action{Verb: cards.VerbRoleGrant, Role: domain.RoleAdmin, Run: b.grantRole})
	r.Action(Action{Verb: cards.VerbRoleRevoke, Role: domain.RoleAdmin, Run: b.revokeRole})

	r.Menu(
		MenuEntry{Item: cards.MenuItem{Section: "menu.section.me", Title: "menu.profile", Verb: cards.VerbProfile}},
		MenuEntry{Item: cards.MenuItem{Section: "menu.section.admin", Title: "menu.roles", Verb: cards.VerbRoles}, Role: domain.RoleAdmin},
	)
}

func (b *Bot) menuCard(t *Turn) cards.Card {
	items, help := b.router.menuFor(t.Principal, t.Lang)
	// Administration comes last whatever the order features registered in.
	sort.SliceStable(items, func(i, j int) bool {
		return items[i].Section != "menu.section.admin" && items[j].Section == "menu.section.admin"
	})
	return cards.Menu(t.Lang, items, help)
}

func (b *Bot) profileCard(t *Turn) cards.Card {
	roles := make([]string, 0, len(t.Principal.Roles))
	for _, r := range t.Principal.Roles {
		roles = append(roles, string(r))
	}
	slices.Sort(roles)
	return cards.Profile(t.Lang, t.Principal.Name, roles, b.languageSource(t.User.Language))
}

// languageSource says where language() found the turn's language.
func (b *Bot) languageSource(chosen string) cards.LanguageSource {
	if _, ok := cards.ParseLang(chosen); ok {
		return cards.LanguageChosen
	}
	if _, ok := cards.ParseLang(b.cfg.Locale); ok {
		return cards.LanguageDefault
	}
	return cards.LanguageFromTeams
}

// setLanguage stores the user's language choice and answers in it.
func (b *Bot) setLanguage(t *Turn, arg string) (cards.Card, error) {
	l, ok := cards.ParseLang(arg)
	if !ok {
		return cards.Card{}, domain.Errorf(domain.EINVALID, "language.unknown", arg)
	}
	if t.Principal.UserID == "" {
		return cards.Card{}, domain.Errorf(domain.EFORBIDDEN, "forbidden.no_user")
	}
	u, err := b.store.UpdateUser(t.Ctx, t.Principal.UserID, func(u *domain.User) error {
		u.Language = string(l)
		return nil
	})
	if err != nil {
		return cards.Card{}, err
	}
	t.User, t.Lang = u, l
	c := b.profileCard(t)
	c.Body = append(c.Body, cards.Colored(l.T("language.set"), cards.ColorGood))
	return c, nil
}

// rolesCard lists the role assignments and offers to grant one to anybody
// who has talked to Parc.
func (b *Bot) rolesCard(t *Turn, notice string) (cards.Card, error) {
	assignments, err := b.store.ListRoleAssignments(t.Ctx)
	if err != nil {
		return cards.Card{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	users, err := b.store.ListUsers(t.Ctx)
	if err != nil {
		return cards.Card{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	names := map[string]string{}
	var people []cards.Choice
	for _, u := range users {
		name := u.Name
		if name == "" {
			name = u.ID
		}
		names[u.ID] = name
		people = append(people, cards.Choice{Title: name, Value: u.ID})
	}
	var lines []cards.RoleLine
	for _, id := range b.cfg.Admins {
		lines = append(lines, cards.RoleLine{UserID: id, UserName: nameOr(names[id], id), Role: string(domain.RoleAdmin), Bootstrap: true})
	}
	for _, a := range assignments {
		if a.Role == domain.RoleAdmin && slices.Contains(b.cfg.Admins, a.UserID) {
			continue
		}
		lines = append(lines, cards.RoleLine{UserID: a.UserID, UserName: nameOr(names[a.UserID], nameOr(a.UserName, a.UserID)), Role: string(a.Role)})
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].UserName < lines[j].UserName })
	// A card must stay under Teams' size limit whatever the number of users.
	const maxPeople = 200
	if len(people) > maxPeople {
		people = people[:maxPeople]
	}
	return cards.Roles(t.Lang, lines, people, notice), nil
}

func nameOr(name, fallback string) string {
	if name != "" {
		return name
	}
	return fallback
}

// objectIDRe matches an Entra object id (a GUID).
var objectIDRe = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12,13}$`)

func (b *Bot) grantRole(t *Turn, in Input) (cards.Card, error) {
	role, err := domain.ParseRole(in.Str("role"))
	if err != nil || role == domain.RoleStaff {
		return cards.Card{}, domain.Errorf(domain.EINVALID, "err.role.unknown", in.Str("role"))
	}
	uid := in.Str("userId")
	if uid == "" {
		return cards.Card{}, domain.Errorf(domain.EINVALID, "err.role.user_required")
	}
	name := uid
	if u, err := b.store.User(t.Ctx, uid); err == nil {
		name = nameOr(u.Name, uid)
	} else if !domain.IsNotFound(err) {
		return cards.Card{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	} else if !objectIDRe.MatchString(uid) {
		return cards.Card{}, domain.Errorf(domain.ENOTFOUND, "err.user.unknown")
	}
	a := domain.RoleAssignment{UserID: uid, UserName: name, Role: role, GrantedBy: t.Principal.UserID, GrantedAt: t.Now}
	if err := b.store.GrantRole(t.Ctx, a); err != nil {
		return cards.Card{}, err
	}
	t.Log.Info("role granted", "target", uid, "role", string(role))
	return b.rolesCard(t, t.T("roles.granted", name, t.T("role."+string(role))))
}

func (b *Bot) revokeRole(t *Turn, in Input) (cards.Card, error) {
	role, err := domain.ParseRole(in.Str("role"))
	if err != nil {
		return cards.Card{}, err
	}
	uid := in.Str("userId")
	if uid == t.Principal.UserID && role == domain.RoleAdmin {
		return cards.Card{}, domain.Errorf(domain.EINVALID, "err.role.self_revoke")
	}
	if err := b.store.RevokeRole(t.Ctx, uid, role); err != nil {
		return cards.Card{}, err
	}
	name := uid
	if u, err := b.store.User(t.Ctx, uid); err == nil {
		name = nameOr(u.Name, uid)
	}
	t.Log.Info("role revoked", "target", uid, "role", string(role))
	return b.rolesCard(t, t.T("roles.revoked", name, t.T("role."+string(role))))
}
