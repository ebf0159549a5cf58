package bot_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/anras/parc/domain"
)

const (
	adminID = "aaaaaaaa-0000-0000-0000-000000000001"
	staffID = "bbbbbbbb-0000-0000-0000-000000000002"
)

func TestCommandsIgnoreCaseAccentsAndMentions(t *testing.T) {
	h := newHarness(t, options{locale: "fr"})
	for _, text := range []string{"aide", "AIDE", "  Aide  ", "<at>Parc</at> aide", "help", "menu", "<p>aide</p>", "Bonjour"} {
		h.say(staffID, "Bea", text)
		if got := cardText(h.lastCard()); !strings.Contains(got, "Que voulez-vous faire ?") {
			t.Errorf("%q did not show the menu:\n%s", text, got)
		}
	}
	for _, text := range []string{"ROLES", "rôles", "Rôles", "roles"} {
		h.say(staffID, "Bea", text)
		if got := cardText(h.lastCard()); !strings.Contains(got, "réservée aux administrateurs") {
			t.Errorf("%q: staff not refused politely:\n%s", text, got)
		}
	}
}

func TestUnknownTextGetsHelpWithMenu(t *testing.T) {
	h := newHarness(t, options{locale: "fr"})
	h.say(staffID, "Bea", "je veux un **café** [ici](http://x)")
	got := cardText(h.lastCard())
	for _, w := range []string{"Je n'ai pas compris « je veux un café ici ».", "Voici ce que je sais faire", "Mon profil", "aide"} {
		if !strings.Contains(got, w) {
			t.Errorf("unknown answer lacks %q:\n%s", w, got)
		}
	}
	if strings.Contains(got, "Gérer les rôles") {
		t.Error("a staff member's menu shows the admin button")
	}
}

func TestMenuButtonReplacesTheCard(t *testing.T) {
	h := newHarness(t, options{locale: "fr", admins: []string{adminID}})
	card := h.invoke(adminID, "menu", nil)
	b := buttons(card)
	if b["Mon profil"] != "profile" || b["Gérer les rôles"] != "roles" {
		t.Fatalf("admin menu buttons = %v", b)
	}
	if prof := cardText(h.invoke(adminID, "profile", nil)); !strings.Contains(prof, "Administrateur") {
		t.Fatalf("admin profile lacks the role:\n%s", prof)
	}
}

func TestLanguageChoiceIsRemembered(t *testing.T) {
	h := newHarness(t, options{})
	act := h.activity("message-personal-hello")
	act["locale"] = "fr-FR"
	act["text"] = "langue en"
	h.post(act, "")
	if got := cardText(h.lastCard()); !strings.Contains(got, "Noted, I will speak English with you.") {
		t.Fatalf("after `langue en`:\n%s", got)
	}
	act["id"], act["text"] = "second", "aide"
	h.post(act, "")
	if got := cardText(h.lastCard()); !strings.Contains(got, "What would you like to do?") {
		t.Fatalf("a French Teams user who chose English got:\n%s", got)
	}
	act["id"], act["text"] = "third", "language klingon"
	h.post(act, "")
	if got := cardText(h.lastCard()); !strings.Contains(got, `I do not know the language "klingon"`) {
		t.Fatalf("unknown language:\n%s", got)
	}
	u, _ := h.store.User(ctx, act["from"].(map[string]any)["aadObjectId"].(string))
	if u.Language != "en" {
		t.Fatalf("stored language %q, want en", u.Language)
	}
}

func TestLocaleDecidesWhenNothingIsForced(t *testing.T) {
	h := newHarness(t, options{})
	act := h.activity("message-personal-hello")
	act["text"], act["locale"] = "aide", "fr-FR"
	h.post(act, "")
	if got := cardText(h.lastCard()); !strings.Contains(got, "Que voulez-vous faire ?") {
		t.Fatalf("fr-FR got:\n%s", got)
	}
	act["id"], act["locale"] = "en", "en-GB"
	h.post(act, "")
	if got := cardText(h.lastCard()); !strings.Contains(got, "What would you like to do?") {
		t.Fatalf("en-GB got:\n%s", got)
	}
}

func TestAdminGrantsAndRevokesRoles(t *testing.T) {
	h := newHarness(t, options{locale: "fr", admins: []string{adminID}})
	h.say(staffID, "Béatrice Dupont", "aide") // Béatrice has talked to Parc
	card := h.invoke(adminID, "roles", nil)
	if got := cardText(card); !strings.Contains(got, "Béatrice Dupont") || !strings.Contains(got, "Attribuer un rôle") {
		t.Fatalf("roles card:\n%s", got)
	}
	card = h.invoke(adminID, "roles.grant", map[string]any{"userId": staffID, "role": "technician"})
	if got := cardText(card); !strings.Contains(got, "Rôle « Technicien » attribué à Béatrice Dupont.") {
		t.Fatalf("after grant:\n%s", got)
	}
	roles, _ := h.store.UserRoles(ctx, staffID)
	if !slices.Equal(roles, []domain.Role{domain.RoleTechnician}) {
		t.Fatalf("stored roles = %v", roles)
	}
	// The new technician sees their role; a bad grant changes nothing.
	if got := cardText(h.invoke(staffID, "profile", nil)); !strings.Contains(got, "Technicien") {
		t.Fatalf("technician profile:\n%s", got)
	}
	for _, bad := range []map[string]any{
		{"userId": staffID, "role": "pilot"},
		{"userId": "", "role": "admin"},
		{"userId": "not-a-guid-nor-known", "role": "admin"},
	} {
		got := cardText(h.invoke(adminID, "roles.grant", bad))
		if strings.Contains(got, "attribué") {
			t.Fatalf("bad grant %v accepted:\n%s", bad, got)
		}
	}
	if all, _ := h.store.ListRoleAssignments(ctx); len(all) != 1 {
		t.Fatalf("bad grants changed the store: %+v", all)
	}
	// A staff member cannot grant anything, even by forging the button.
	if got := cardText(h.invoke(staffID, "roles.grant", map[string]any{"userId": staffID, "role": "admin"})); !strings.Contains(got, "réservée aux administrateurs") {
		t.Fatalf("forged grant by a technician:\n%s", got)
	}
	if roles, _ := h.store.UserRoles(ctx, staffID); slices.Contains(roles, domain.RoleAdmin) {
		t.Fatal("a technician made themself admin")
	}
	card = h.invoke(adminID, "roles.revoke", map[string]any{"userId": staffID, "role": "technician"})
	if got := cardText(card); !strings.Contains(got, "retiré à Béatrice Dupont") {
		t.Fatalf("after revoke:\n%s", got)
	}
	if got := cardText(h.invoke(adminID, "roles.revoke", map[string]any{"userId": staffID, "role": "technician"})); !strings.Contains(got, "n'a pas ce rôle") {
		t.Fatalf("revoking twice:\n%s", got)
	}
}

func TestAdminCannotRevokeThemself(t *testing.T) {
	h := newHarness(t, options{locale: "fr"})
	if err := h.store.GrantRole(ctx, domain.RoleAssignment{UserID: adminID, Role: domain.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	got := cardText(h.invoke(adminID, "roles.revoke", map[string]any{"userId": adminID, "role": "admin"}))
	if !strings.Contains(got, "propre rôle d'administrateur") {
		t.Fatalf("self-revoke:\n%s", got)
	}
	if roles, _ := h.store.UserRoles(ctx, adminID); len(roles) != 1 {
		t.Fatal("the admin lost their role")
	}
}

func TestAnonymousUserIsRefusedRoleActions(t *testing.T) {
	h := newHarness(t, options{locale: "fr"})
	act := h.activity("message-personal-hello")
	act["text"] = "rôles"
	act["from"] = map[string]any{"id": "user-without-aad"}
	h.post(act, "")
	if got := cardText(h.lastCard()); !strings.Contains(got, "Teams ne m'a pas dit qui vous êtes") {
		t.Fatalf("anonymous:\n%s", got)
	}
}

// The profile must not tell a user that Teams chose their language when the
// setting PARC_LOCALE did (the Playground and many clients say en-US).
func TestProfileSaysWhereTheLanguageComesFrom(t *testing.T) {
	for _, tc := range []struct {
		locale, teams, want string
	}{
		{"fr", "en-US", "Français (langue par défaut de Parc)"},
		{"en", "fr-FR", "English (Parc's default language)"},
		{"auto", "fr-FR", "Français (selon Teams)"},
		{"", "en-US", "English (from Teams)"},
	} {
		h := newHarness(t, options{locale: tc.locale})
		act := h.activity("message-personal-hello")
		act["locale"], act["text"] = tc.teams, "profil"
		h.post(act, "")
		if got := cardText(h.lastCard()); !strings.Contains(got, tc.want) {
			t.Errorf("PARC_LOCALE=%q, Teams %s: profile lacks %q:\n%s", tc.locale, tc.teams, tc.want, got)
		}
	}
	h := newHarness(t, options{locale: "fr"})
	h.say(staffID, "Bea", "langue en")
	if got := cardText(h.lastCard()); !strings.Contains(got, "English") || strings.Contains(got, "(") {
		t.Errorf("a chosen language is shown without a source:\n%s", got)
	}
}

// A group chat is not a team: its welcome explains @mentions without saying
// "team".
func TestGroupChatWelcome(t *testing.T) {
	h := newHarness(t, options{locale: "fr"})
	act := h.activity("installationUpdate-personal")
	act["conversation"] = map[string]any{"id": "19:group@thread.v2", "conversationType": "groupChat", "isGroup": true,
		"tenantId": "00000000-0000-0000-0000-0000000000001"}
	h.post(act, "")
	got := cardText(h.lastCard())
	if !strings.Contains(got, "mentionnez-moi (@Parc)") || strings.Contains(got, "équipe") {
		t.Errorf("group chat welcome:\n%s", got)
	}
	act = h.activity("installationUpdate-channel-general")
	h.post(act, "")
	if got := cardText(h.lastCard()); !strings.Contains(got, "installé dans cette équipe") {
		t.Errorf("team welcome:\n%s", got)
	}
}
