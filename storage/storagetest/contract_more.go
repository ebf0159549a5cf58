package storagetest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anras/parc/domain"
)

// testOrdering: lists come back in a defined order whatever the backend
// (a cross-partition query cannot sort; the backend must): users by name
// then id, role assignments by user then role, more than a page of each.
func testOrdering(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	const n = 25
	var wantUsers []string
	for i := range n {
		id := fmt.Sprintf("u%02d", (i*7)%n)          // written out of order
		name := fmt.Sprintf("Name %02d", (i*11)%n/2) // pairs of equal names
		if _, err := s.UpdateUser(ctx, id, func(u *domain.User) error { u.Name = name; return nil }); err != nil {
			t.Fatal(err)
		}
		wantUsers = append(wantUsers, name+"|"+id)
		for _, r := range []domain.Role{domain.RoleTechnician, domain.RoleAdmin} {
			if err := s.GrantRole(ctx, domain.RoleAssignment{UserID: id, Role: r, GrantedAt: t0}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// A user id that sorts after u01 as a string but whose "u01" prefix
	// must not mix with u01's entries.
	if err := s.GrantRole(ctx, domain.RoleAssignment{UserID: "u01-x", Role: domain.RoleFleetManager, GrantedAt: t0}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(wantUsers)
	users, err := s.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var gotUsers []string
	for _, u := range users {
		gotUsers = append(gotUsers, u.Name+"|"+u.ID)
	}
	if !slices.Equal(gotUsers, wantUsers) {
		t.Fatalf("ListUsers order:\ngot  %v\nwant %v", gotUsers, wantUsers)
	}
	all, err := s.ListRoleAssignments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2*n+1 {
		t.Fatalf("ListRoleAssignments = %d, want %d", len(all), 2*n+1)
	}
	sorted := slices.IsSortedFunc(all, func(a, b domain.RoleAssignment) int {
		if c := strings.Compare(a.UserID, b.UserID); c != 0 {
			return c
		}
		return strings.Compare(string(a.Role), string(b.Role))
	})
	if !sorted {
		t.Fatalf("ListRoleAssignments is not sorted by user then role: %+v", all)
	}
	roles, _ := s.UserRoles(ctx, "u01")
	if !slices.Equal(roles, []domain.Role{domain.RoleAdmin, domain.RoleTechnician}) {
		t.Fatalf("UserRoles(u01) = %v, want [admin technician] sorted", roles)
	}
}

// testUnusualIDs: ids are the channel's to choose, not ours. Slashes,
// question marks, hashes, percent signs, quotes, spaces and non-Latin
// letters must round-trip and must not leak into a neighbour's records
// (Cosmos DB forbids / \\ ? # in document ids; a key-prefix scan
// mistakes "a/b" for a role of "a").
func testUnusualIDs(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	ids := []string{"a", "a/technician", "a/b", `q?x#y%25 "z" \\ w`, "a:1Gx_-/+==", "李雷"}
	for _, id := range ids {
		if _, err := s.UpdateUser(ctx, id, func(u *domain.User) error { u.Name = "name of " + id; return nil }); err != nil {
			t.Fatalf("UpdateUser(%q): %v", id, err)
		}
		if err := s.SaveConversation(ctx, domain.ConversationRef{ID: id, ServiceURL: "https://x/", BotID: "28:b", ChannelID: "msteams"}); err != nil {
			t.Fatalf("SaveConversation(%q): %v", id, err)
		}
		if first, err := s.FirstDelivery(ctx, id, t0, time.Minute); err != nil || !first {
			t.Fatalf("FirstDelivery(%q) = %v, %v", id, first, err)
		}
	}
	if err := s.GrantRole(ctx, domain.RoleAssignment{UserID: "a/b", Role: domain.RoleTechnician, GrantedAt: t0}); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if u, err := s.User(ctx, id); err != nil || u.Name != "name of "+id || u.ID != id {
			t.Fatalf("User(%q) = %+v, %v", id, u, err)
		}
		if c, err := s.Conversation(ctx, id); err != nil || c.ID != id {
			t.Fatalf("Conversation(%q) = %+v, %v", id, c, err)
		}
		if first, _ := s.FirstDelivery(ctx, id, t0.Add(time.Second), time.Minute); first {
			t.Fatalf("FirstDelivery(%q) again reported first", id)
		}
	}
	if roles, _ := s.UserRoles(ctx, "a"); len(roles) != 0 {
		t.Fatalf("UserRoles(a) = %v: a/b's role leaked into a's", roles)
	}
	if roles, _ := s.UserRoles(ctx, "a/b"); !slices.Equal(roles, []domain.Role{domain.RoleTechnician}) {
		t.Fatalf("UserRoles(a/b) = %v", roles)
	}
	if err := s.RevokeRole(ctx, "a", domain.Role("b/technician")); !domain.IsNotFound(err) {
		t.Fatalf("revoking a role a does not hold: %v, want ENOTFOUND", err)
	}
}

// testConcurrentGrants: of concurrent grants of one role, one is kept.
func testConcurrentGrants(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	const n = 10
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := domain.RoleAssignment{UserID: "u1", Role: domain.RoleAdmin, GrantedBy: fmt.Sprint("admin", i), GrantedAt: t0}
			if err := s.GrantRole(ctx, a); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	all, err := s.ListRoleAssignments(ctx)
	if err != nil || len(all) != 1 || !strings.HasPrefix(all[0].GrantedBy, "admin") {
		t.Fatalf("after %d concurrent grants: %+v, %v; want one", n, all, err)
	}
}

// testExpiredRace: an id whose entry is older than the window is first
// again, once, whatever the number of concurrent deliveries (the backend
// must replace the old entry atomically, not delete and create).
func testExpiredRace(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	const window = 10 * time.Minute
	if first, err := s.FirstDelivery(ctx, "old", t0, window); err != nil || !first {
		t.Fatalf("first delivery = %v, %v", first, err)
	}
	later := t0.Add(time.Hour)
	const n = 20
	firsts := wins(t, n, func(int) (bool, error) { return s.FirstDelivery(ctx, "old", later, window) })
	if firsts != 1 {
		t.Fatalf("%d of %d concurrent redeliveries of an expired id were first, want 1", firsts, n)
	}
	if first, _ := s.FirstDelivery(ctx, "old", later.Add(time.Minute), window); first {
		t.Fatal("the renewed entry was not kept")
	}
}

// testExportIsDomainJSON: an exported record is the domain type's JSON and
// nothing else: no backend field (id, pk, _etag, _ts...) leaks into a file
// that another backend will import.
func testExportIsDomainJSON(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	if err := s.GrantRole(ctx, domain.RoleAssignment{UserID: "u1", Role: domain.RoleAdmin, GrantedAt: t0}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateUser(ctx, "u1", func(u *domain.User) error { u.Name, u.LastSeen = "Zoé", t0; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveConversation(ctx, domain.ConversationRef{ID: "c1", ServiceURL: "https://x/", BotID: "28:b", UpdatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, r := range exportAll(t, s) {
		if len(order) == 0 || order[len(order)-1] != r.Kind {
			order = append(order, r.Kind)
		}
		var typed any
		switch r.Kind {
		case domain.KindRole:
			typed = &domain.RoleAssignment{}
		case domain.KindUser:
			typed = &domain.User{}
		case domain.KindConversation:
			typed = &domain.ConversationRef{}
		default:
			t.Fatalf("unexpected kind %q", r.Kind)
		}
		if err := json.Unmarshal(r.Data, typed); err != nil {
			t.Fatal(err)
		}
		again, _ := json.Marshal(typed)
		if canon(t, again) != canon(t, r.Data) {
			t.Fatalf("exported %s carries more than the domain JSON:\n%s\nwant\n%s", r.Kind, r.Data, again)
		}
	}
	if want := []string{domain.KindRole, domain.KindConversation, domain.KindUser}; !slices.Equal(order, want) {
		t.Fatalf("export order %v, want %v", order, want)
	}
}

func canon(t *testing.T, b []byte) string {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	c, _ := json.Marshal(v)
	return string(c)
}

// testImportReplaces: Import overwrites the record with the same identity
// (GrantRole would keep the first), and refuses records that break rules.
func testImportReplaces(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	if err := s.GrantRole(ctx, domain.RoleAssignment{UserID: "u1", Role: domain.RoleAdmin, GrantedBy: "first", GrantedAt: t0}); err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(domain.RoleAssignment{UserID: "u1", Role: domain.RoleAdmin, GrantedBy: "imported", GrantedAt: t0})
	if err := s.Import(ctx, domain.Record{Kind: domain.KindRole, Data: data}); err != nil {
		t.Fatal(err)
	}
	all, _ := s.ListRoleAssignments(ctx)
	if len(all) != 1 || all[0].GrantedBy != "imported" {
		t.Fatalf("after import: %+v, want the imported assignment only", all)
	}
	for _, r := range []domain.Record{
		{Kind: domain.KindRole, Data: []byte(`{"userId":"u1","role":"pilot"}`)},
		{Kind: domain.KindConversation, Data: []byte(`{"id":"c1"}`)},
		{Kind: domain.KindUser, Data: []byte(`{"id":"u1","language":"de"}`)},
		{Kind: domain.KindUser, Data: []byte(`not json`)},
	} {
		if err := s.Import(ctx, r); domain.ErrorCodeOf(err) != domain.EINVALID {
			t.Fatalf("import %s %s: %v, want EINVALID", r.Kind, r.Data, err)
		}
	}
	if _, err := s.Conversation(ctx, "c1"); !domain.IsNotFound(err) {
		t.Fatalf("an invalid record was written: %v", err)
	}
}

// testPingAfterClose: /readyz must not report a closed store as ready.
func testPingAfterClose(t *testing.T, newStore NewStore) {
	s := newStore(t)
	if err := s.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(context.Background()); err == nil {
		t.Fatal("Ping after Close succeeded")
	}
}
