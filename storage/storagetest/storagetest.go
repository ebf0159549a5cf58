// Package storagetest is the contract every storage backend must pass: the
// embedded store and Cosmos DB run the same tests, so that a user sees the
// same behaviour whichever store the bot runs on.
//
// A backend's test calls Run with a function that returns a new, empty store.
package storagetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/anras/parc/domain"
)

// NewStore returns a new, empty store; the suite closes it.
type NewStore func(t *testing.T) domain.Store

// Run runs the whole contract against stores made by newStore.
func Run(t *testing.T, newStore NewStore) {
	t.Run("Roles", func(t *testing.T) { testRoles(t, newStore) })
	t.Run("Conversations", func(t *testing.T) { testConversations(t, newStore) })
	t.Run("Users", func(t *testing.T) { testUsers(t, newStore) })
	t.Run("ActivityLog", func(t *testing.T) { testActivityLog(t, newStore) })
	t.Run("ExportImport", func(t *testing.T) { testPort(t, newStore) })
	// Added with the Cosmos DB backend: what an embedded store gets for
	// free and a distributed one must earn.
	t.Run("Ordering", func(t *testing.T) { testOrdering(t, newStore) })
	t.Run("UnusualIDs", func(t *testing.T) { testUnusualIDs(t, newStore) })
	t.Run("ConcurrentGrants", func(t *testing.T) { testConcurrentGrants(t, newStore) })
	t.Run("ActivityLogExpiredRace", func(t *testing.T) { testExpiredRace(t, newStore) })
	t.Run("ExportIsDomainJSON", func(t *testing.T) { testExportIsDomainJSON(t, newStore) })
	t.Run("ImportReplaces", func(t *testing.T) { testImportReplaces(t, newStore) })
	t.Run("PingAfterClose", func(t *testing.T) { testPingAfterClose(t, newStore) })
	t.Run("Establishments", func(t *testing.T) { testEstablishments(t, newStore) })
	t.Run("Leases", func(t *testing.T) { testLeases(t, newStore) })
	runFleet(t, newStore)
	runEquipment(t, newStore)
	runLicences(t, newStore)
}

func open(t *testing.T, newStore NewStore) (context.Context, domain.Store) {
	t.Helper()
	s := newStore(t)
	t.Cleanup(func() { s.Close() })
	if err := s.Ping(context.Background()); err != nil {
		t.Fatalf("Ping on a new store: %v", err)
	}
	return context.Background(), s
}

var t0 = time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC) // the night France moves to summer time

func testRoles(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	if roles, err := s.UserRoles(ctx, "u1"); err != nil || len(roles) != 0 {
		t.Fatalf("UserRoles of a stranger = %v, %v; want none, nil", roles, err)
	}
	a := domain.RoleAssignment{UserID: "u1", UserName: "Alice", Role: domain.RoleTechnician, GrantedBy: "admin", GrantedAt: t0}
	if err := s.GrantRole(ctx, a); err != nil {
		t.Fatal(err)
	}
	// Granting again keeps the first grant.
	again := a
	again.GrantedBy, again.GrantedAt = "other", t0.Add(time.Hour)
	if err := s.GrantRole(ctx, again); err != nil {
		t.Fatalf("second grant: %v", err)
	}
	if err := s.GrantRole(ctx, domain.RoleAssignment{UserID: "u1", Role: domain.RoleFleetManager, GrantedAt: t0}); err != nil {
		t.Fatal(err)
	}
	if err := s.GrantRole(ctx, domain.RoleAssignment{UserID: "u10", Role: domain.RoleAdmin, GrantedAt: t0}); err != nil {
		t.Fatal(err)
	}
	roles, err := s.UserRoles(ctx, "u1")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(roles)
	if want := []domain.Role{domain.RoleFleetManager, domain.RoleTechnician}; !slices.Equal(roles, want) {
		t.Fatalf("UserRoles(u1) = %v, want %v (u10's roles must not leak into u1's)", roles, want)
	}
	all, err := s.ListRoleAssignments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 {
		t.Fatalf("ListRoleAssignments = %d entries, want 3: %+v", len(all), all)
	}
	for _, got := range all {
		if got.UserID == "u1" && got.Role == domain.RoleTechnician {
			if got.GrantedBy != "admin" || !got.GrantedAt.Equal(t0) || got.UserName != "Alice" {
				t.Fatalf("first grant not kept: %+v", got)
			}
		}
	}
	if err := s.GrantRole(ctx, domain.RoleAssignment{UserID: "u2", Role: "pilot"}); domain.ErrorCodeOf(err) != domain.EINVALID {
		t.Fatalf("grant of an unknown role: %v, want EINVALID", err)
	}
	if err := s.RevokeRole(ctx, "u1", domain.RoleTechnician); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeRole(ctx, "u1", domain.RoleTechnician); !domain.IsNotFound(err) {
		t.Fatalf("revoke twice: %v, want ENOTFOUND", err)
	}
	roles, _ = s.UserRoles(ctx, "u1")
	if !slices.Equal(roles, []domain.Role{domain.RoleFleetManager}) {
		t.Fatalf("after revoke: %v", roles)
	}
}

func testConversations(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	if _, err := s.Conversation(ctx, "nope"); !domain.IsNotFound(err) {
		t.Fatalf("unknown conversation: %v, want ENOTFOUND", err)
	}
	ref := domain.ConversationRef{
		ID: "19:abc@thread.tacv2", Kind: domain.ConversationChannel, ServiceURL: "https://smba.trafficmanager.net/fr/",
		TenantID: "t1", ChannelID: "msteams", BotID: "28:bot", BotName: "Parc", TeamID: "19:team", TeamName: "DITEP", UpdatedAt: t0,
	}
	if err := s.SaveConversation(ctx, ref); err != nil {
		t.Fatal(err)
	}
	got, err := s.Conversation(ctx, ref.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.SameTarget(ref) || !got.UpdatedAt.Equal(t0) {
		t.Fatalf("Conversation = %+v, want %+v", got, ref)
	}
	ref.ServiceURL = "https://smba.trafficmanager.net/emea/"
	if err := s.SaveConversation(ctx, ref); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Conversation(ctx, ref.ID); got.ServiceURL != ref.ServiceURL {
		t.Fatalf("SaveConversation did not replace: %+v", got)
	}
	if err := s.SaveConversation(ctx, domain.ConversationRef{ID: "x"}); domain.ErrorCodeOf(err) != domain.EINVALID {
		t.Fatalf("incomplete reference: %v, want EINVALID", err)
	}
}

func testUsers(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	if _, err := s.User(ctx, "u1"); !domain.IsNotFound(err) {
		t.Fatalf("unknown user: %v, want ENOTFOUND", err)
	}
	u, err := s.UpdateUser(ctx, "u1", func(u *domain.User) error {
		if u.ID != "u1" || u.Name != "" {
			return fmt.Errorf("new user passed as %+v", u)
		}
		u.Name, u.Language, u.LastSeen = "Élodie Martin", "fr", t0
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.User(ctx, "u1"); got != u || got.Name != "Élodie Martin" {
		t.Fatalf("User = %+v, want %+v", got, u)
	}
	// A failing update changes nothing.
	boom := errors.New("boom")
	if _, err := s.UpdateUser(ctx, "u1", func(u *domain.User) error { u.Name = "X"; return boom }); !errors.Is(err, boom) {
		t.Fatalf("UpdateUser error = %v, want boom", err)
	}
	if _, err := s.UpdateUser(ctx, "u1", func(u *domain.User) error { u.Language = "de"; return nil }); domain.ErrorCodeOf(err) != domain.EINVALID {
		t.Fatalf("invalid language accepted: %v", err)
	}
	if got, _ := s.User(ctx, "u1"); got.Name != "Élodie Martin" || got.Language != "fr" {
		t.Fatalf("a failed update changed the user: %+v", got)
	}
	// Concurrent updates are applied one after the other, none lost.
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.UpdateUser(ctx, "counter", func(u *domain.User) error { u.Name += "x"; return nil })
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := s.User(ctx, "counter"); len(got.Name) != n {
		t.Fatalf("after %d concurrent updates the name has %d x: lost updates", n, len(got.Name))
	}
	users, err := s.ListUsers(ctx)
	if err != nil || len(users) != 2 {
		t.Fatalf("ListUsers = %d users, %v; want 2", len(users), err)
	}
}

func testActivityLog(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	const window = 10 * time.Minute
	first, err := s.FirstDelivery(ctx, "a1", t0, window)
	if err != nil || !first {
		t.Fatalf("first delivery = %v, %v", first, err)
	}
	if first, _ := s.FirstDelivery(ctx, "a1", t0.Add(9*time.Minute), window); first {
		t.Fatal("redelivery within the window reported as first")
	}
	if first, _ := s.FirstDelivery(ctx, "a2", t0.Add(time.Minute), window); !first {
		t.Fatal("another id reported as a redelivery")
	}
	if first, _ := s.FirstDelivery(ctx, "a1", t0.Add(11*time.Minute), window); !first {
		t.Fatal("an id seen 11 minutes ago is still remembered")
	}
	// Of many concurrent deliveries of one id, exactly one is first.
	const n = 30
	firsts := wins(t, n, func(int) (bool, error) { return s.FirstDelivery(ctx, "race", t0, window) })
	if firsts != 1 {
		t.Fatalf("%d of %d concurrent deliveries were first, want 1", firsts, n)
	}
}

// testPort fills a store, exports it, imports the export into a new store,
// and checks that the second export is the same: nothing is lost.
func testPort(t *testing.T, newStore NewStore) {
	ctx, a := open(t, newStore)
	if err := a.GrantRole(ctx, domain.RoleAssignment{UserID: "u1", UserName: "Zoé", Role: domain.RoleAdmin, GrantedAt: t0}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.UpdateUser(ctx, "u1", func(u *domain.User) error { u.Name, u.Language, u.LastSeen = "Zoé Ånström", "en", t0; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := a.SaveConversation(ctx, domain.ConversationRef{ID: "c1", Kind: domain.ConversationPersonal, ServiceURL: "https://x/", BotID: "28:b", ChannelID: "msteams", UserID: "u1", UpdatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.FirstDelivery(ctx, "transient", t0, time.Minute); err != nil {
		t.Fatal(err)
	}
	first := exportAll(t, a)
	kinds := map[string]int{}
	for _, r := range first {
		kinds[r.Kind]++
	}
	if kinds[domain.KindRole] != 1 || kinds[domain.KindUser] != 1 || kinds[domain.KindConversation] != 1 || len(kinds) != 3 {
		t.Fatalf("export kinds = %v, want one role, one user, one conversation and nothing transient", kinds)
	}
	_, b := open(t, newStore)
	for _, r := range first {
		if err := b.Import(ctx, r); err != nil {
			t.Fatalf("import %s: %v", r.Kind, err)
		}
		if err := b.Import(ctx, r); err != nil { // twice: idempotent
			t.Fatalf("second import %s: %v", r.Kind, err)
		}
	}
	second := exportAll(t, b)
	if !sameRecords(first, second) {
		t.Fatalf("round trip changed the records:\nfirst  %s\nsecond %s", first, second)
	}
	if u, err := b.User(ctx, "u1"); err != nil || u.Name != "Zoé Ånström" || !u.LastSeen.Equal(t0) {
		t.Fatalf("imported user = %+v, %v", u, err)
	}
	if err := b.Import(ctx, domain.Record{Kind: "spaceship", Data: []byte(`{}`)}); domain.ErrorCodeOf(err) != domain.EINVALID {
		t.Fatalf("unknown kind: %v, want EINVALID", err)
	}
	if err := b.Import(ctx, domain.Record{Kind: domain.KindUser, Data: []byte(`{"name":"no id"}`)}); domain.ErrorCodeOf(err) != domain.EINVALID {
		t.Fatalf("user without id: %v, want EINVALID", err)
	}
}

func exportAll(t *testing.T, s domain.Store) []domain.Record {
	t.Helper()
	var out []domain.Record
	if err := s.Export(context.Background(), func(r domain.Record) error { out = append(out, r); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// sameRecords compares two exports as sets of (kind, canonical JSON).
func sameRecords(a, b []domain.Record) bool {
	canon := func(rs []domain.Record) []string {
		var out []string
		for _, r := range rs {
			var v any
			if err := json.Unmarshal(r.Data, &v); err != nil {
				return nil
			}
			c, _ := json.Marshal(v)
			out = append(out, r.Kind+" "+string(c))
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(canon(a), canon(b))
}

// wins runs fn n times at once (fn(i) for i in 0..n-1) and counts the calls
// that returned true: the contract's "of concurrent callers exactly one
// wins" tests. An error fails the test.
func wins(t *testing.T, n int, fn func(i int) (bool, error)) int {
	t.Helper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := fn(i)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				won++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return won
}
