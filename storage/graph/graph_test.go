package graph_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/anras/parc/domain"
	"github.com/anras/parc/storage/graph"
	"github.com/anras/parc/storage/graph/graphtest"
)

var ctx = context.Background()

const (
	groupA = "5b0c7c44-1f0e-4f7e-9a53-1d2a3c4b5e61"
	groupB = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
)

func smallTenant() domain.LicenceSnapshot {
	t := domain.LicenceSnapshot{Skus: []domain.SubscribedSku{
		{SkuID: graphtest.SkuO365E3.SkuID, PartNumber: "ENTERPRISEPACK", Enabled: 40, Consumed: 35},
		{SkuID: graphtest.SkuFlowFree.SkuID, PartNumber: "FLOW_FREE", Enabled: 10000, Consumed: 12, AppliesTo: "User"},
	}, Groups: map[string][]domain.LicensedAccount{}}
	for i, name := range []string{"Dupont", "Martin", "Durand", "Petit", "Bernard", "Leroy", "O'Brien"} {
		a := domain.LicensedAccount{ID: graphtest.UserID(0, i), GivenName: "Prénom", Surname: name, DisplayName: "Prénom " + name,
			Mail: strings.ToLower(strings.ReplaceAll(name, "'", "")) + "@anras.fr", UPN: strings.ToLower(strings.ReplaceAll(name, "'", "")) + "@anras.fr",
			JobTitle: "Éducateur spécialisé (H/F)", Enabled: i != 2}
		if i%2 == 0 {
			a.SkuIDs = []string{graphtest.SkuO365E3.SkuID}
		}
		if i == 4 {
			a.SkuIDs = append(a.SkuIDs, graphtest.SkuFlowFree.SkuID)
			a.Mail = "" // only a UPN
		}
		t.Groups[groupA] = append(t.Groups[groupA], a)
	}
	t.Groups[groupB] = t.Groups[groupA][5:]
	return t
}

func newClient(t *testing.T, srv *graphtest.Server, tweak func(*graph.Config)) *graph.Client {
	t.Helper()
	cfg := graph.Config{Endpoint: srv.URL, Credential: graphtest.StaticToken{}, BaseDelay: 10 * time.Millisecond}
	if tweak != nil {
		tweak(&cfg)
	}
	c, err := graph.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestGroupMembersFollowsNextLink(t *testing.T) {
	srv := graphtest.Start(t, smallTenant())
	srv.PageSize = 3 // 7 members: three pages
	c := newClient(t, srv, nil)
	got, err := c.GroupMembers(ctx, groupA)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 7 || srv.Requests("members") != 3 {
		t.Fatalf("%d members in %d requests, want 7 in 3", len(got), srv.Requests("members"))
	}
	want := smallTenant().Groups[groupA]
	for i, a := range got {
		w := want[i]
		if a.ID != w.ID || a.Surname != w.Surname || a.GivenName != w.GivenName || a.JobTitle != w.JobTitle ||
			a.Enabled != w.Enabled || !slices.Equal(a.SkuIDs, w.SkuIDs) || a.UPN != w.UPN || a.Mail != w.Mail {
			t.Errorf("member %d = %+v\nwant %+v", i, a, w)
		}
	}
	if got[4].Email() != "bernard@anras.fr" {
		t.Errorf("a member without mail shows %q", got[4].Email())
	}
	// With the default page size, one request per group.
	srv2 := graphtest.Start(t, smallTenant())
	if _, err := newClient(t, srv2, nil).GroupMembers(ctx, groupA); err != nil || srv2.Requests("members") != 1 {
		t.Fatalf("default page size: %d requests, %v", srv2.Requests("members"), err)
	}
}

func TestSubscribedSkus(t *testing.T) {
	srv := graphtest.Start(t, smallTenant())
	got, err := newClient(t, srv, nil).SubscribedSkus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []domain.SubscribedSku{
		{SkuID: graphtest.SkuO365E3.SkuID, PartNumber: "ENTERPRISEPACK", Enabled: 40, Consumed: 35, AppliesTo: "User"},
		{SkuID: graphtest.SkuFlowFree.SkuID, PartNumber: "FLOW_FREE", Enabled: 10000, Consumed: 12, AppliesTo: "User"},
	}
	if !slices.Equal(got, want) || got[0].Unassigned() != 5 {
		t.Fatalf("skus = %+v", got)
	}
}

func TestThrottlingHonoursRetryAfter(t *testing.T) {
	srv := graphtest.Start(t, smallTenant())
	srv.Throttle("/transitiveMembers", 1, "1")
	c := newClient(t, srv, nil)
	start := time.Now()
	got, err := c.GroupMembers(ctx, groupA)
	if err != nil || len(got) != 7 {
		t.Fatalf("after a 429: %d members, %v", len(got), err)
	}
	if waited := time.Since(start); waited < time.Second {
		t.Fatalf("retried after %v, Retry-After said 1 s", waited)
	}
	if sent, retried := c.Requests(); sent != 2 || retried != 1 {
		t.Fatalf("sent %d, retried %d; want 2 and 1", sent, retried)
	}
}

func TestRetryStopsAtTheDeadline(t *testing.T) {
	srv := graphtest.Start(t, smallTenant())
	srv.Throttle("/transitiveMembers", 100, "30")
	c := newClient(t, srv, nil)
	cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	start := time.Now()
	_, err := c.GroupMembers(cctx, groupA)
	if domain.ErrorCodeOf(err) != domain.EUNAVAILABLE {
		t.Fatalf("throttled past the deadline: %v, want EUNAVAILABLE", err)
	}
	if time.Since(start) > time.Second {
		t.Fatalf("waited %v for a Retry-After that outlives the deadline", time.Since(start))
	}
}

func TestServerErrors(t *testing.T) {
	for _, tc := range []struct {
		status   int
		requests int64
	}{
		{http.StatusInternalServerError, 1}, // not retried: Graph's 500 is a bug, not a pause
		{http.StatusServiceUnavailable, 3},  // retried up to MaxAttempts
		{http.StatusGatewayTimeout, 3},
	} {
		srv := graphtest.Start(t, smallTenant())
		srv.FailGroup(groupA, tc.status)
		c := newClient(t, srv, func(c *graph.Config) { c.MaxAttempts = 3 })
		_, err := c.GroupMembers(ctx, groupA)
		if domain.ErrorCodeOf(err) != domain.EUNAVAILABLE || !strings.Contains(err.Error(), fmt.Sprintf("HTTP %d", tc.status)) {
			t.Errorf("HTTP %d: %v, want EUNAVAILABLE", tc.status, err)
		}
		if got := srv.Requests("members"); got != tc.requests {
			t.Errorf("HTTP %d: %d requests, want %d", tc.status, got, tc.requests)
		}
		// The other group still answers.
		if got, err := c.GroupMembers(ctx, groupB); err != nil || len(got) != 2 {
			t.Errorf("HTTP %d on A broke B: %d, %v", tc.status, len(got), err)
		}
	}
}

func TestUnknownGroupAndUser(t *testing.T) {
	srv := graphtest.Start(t, smallTenant())
	c := newClient(t, srv, nil)
	_, err := c.GroupMembers(ctx, "0badc0de-0000-4000-8000-000000000000")
	if e := domain.AsError(err); e == nil || e.Code != domain.ENOTFOUND || e.Key != "err.licence.group_unknown" {
		t.Fatalf("unknown group: %v", err)
	}
	if _, err := c.GroupMembers(ctx, "not a group"); !domain.IsNotFound(err) {
		t.Fatalf("malformed group id: %v", err)
	}
	if _, err := c.Person(ctx, "0badc0de-0000-4000-8000-000000000000"); !domain.IsNotFound(err) {
		t.Fatalf("unknown person: %v", err)
	}
	if _, err := c.GroupsOf(ctx, "0badc0de-0000-4000-8000-000000000000"); !domain.IsNotFound(err) {
		t.Fatalf("groups of an unknown person: %v", err)
	}
}

func TestPeople(t *testing.T) {
	srv := graphtest.Start(t, smallTenant())
	srv.Departments = map[string]string{graphtest.UserID(0, 1): "Internat"}
	c := newClient(t, srv, nil)
	p, err := c.Person(ctx, graphtest.UserID(0, 1))
	if err != nil || p.Surname != "Martin" || p.DisplayName != "Prénom Martin" || p.Email != "martin@anras.fr" || p.Department != "Internat" || !p.AccountEnabled {
		t.Fatalf("Person = %+v, %v", p, err)
	}
	if p, _ := c.Person(ctx, graphtest.UserID(0, 4)); p.Email != "bernard@anras.fr" {
		t.Fatalf("a person without mail has e-mail %q (want the UPN)", p.Email)
	}
	for _, tc := range []struct {
		q     string
		limit int
		want  []string
	}{
		{"mar", 10, []string{"Martin"}},
		{"PRÉNOM", 3, []string{"Dupont", "Martin", "Durand"}},
		{"o'b", 10, []string{"O'Brien"}}, // a quote is escaped, not an injection
		{"zzz", 10, nil},
		{"  ", 10, nil},
	} {
		got, err := c.SearchPeople(ctx, tc.q, tc.limit)
		if err != nil {
			t.Fatalf("SearchPeople(%q): %v", tc.q, err)
		}
		var names []string
		for _, p := range got {
			names = append(names, p.Surname)
		}
		slices.Sort(names)
		want := slices.Clone(tc.want)
		slices.Sort(want)
		if !slices.Equal(names, want) {
			t.Errorf("SearchPeople(%q, %d) = %v, want %v", tc.q, tc.limit, names, tc.want)
		}
	}
	groups, err := c.GroupsOf(ctx, graphtest.UserID(0, 6))
	slices.Sort(groups)
	if err != nil || !slices.Equal(groups, []string{groupA, groupB}) {
		t.Fatalf("GroupsOf = %v, %v", groups, err)
	}
}

type failingCredential struct{}

func (failingCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{}, errors.New("AADSTS7000215: Invalid client secret provided")
}

func TestAuthenticationFailures(t *testing.T) {
	srv := graphtest.Start(t, smallTenant())
	if _, err := newClient(t, srv, func(c *graph.Config) { c.Credential = graphtest.StaticToken{Value: "wrong"} }).SubscribedSkus(ctx); domain.ErrorCodeOf(err) != domain.EUNAVAILABLE || !strings.Contains(err.Error(), "User.Read.All") {
		t.Fatalf("token refused: %v, want EUNAVAILABLE naming the permissions", err)
	}
	if _, err := newClient(t, srv, func(c *graph.Config) { c.Credential = failingCredential{} }).SubscribedSkus(ctx); domain.ErrorCodeOf(err) != domain.EUNAVAILABLE || !strings.Contains(err.Error(), "AADSTS7000215") {
		t.Fatalf("no token: %v", err)
	}
	if srv.Requests("") != 1 {
		t.Fatalf("%d requests reached Graph; without a token none should", srv.Requests(""))
	}
}

func TestNewChecksTheEndpoint(t *testing.T) {
	for _, tc := range []struct {
		endpoint string
		ok       bool
	}{
		{"", true}, {"https://graph.microsoft.us/v1.0", true}, {"http://127.0.0.1:8080/v1.0", true},
		{"http://graph.example.org/v1.0", false}, {"graph.microsoft.com", false}, {"ftp://x/v1.0", false},
	} {
		_, err := graph.New(graph.Config{Endpoint: tc.endpoint, Credential: graphtest.StaticToken{}})
		if (err == nil) != tc.ok {
			t.Errorf("New(%q) = %v, want ok=%v", tc.endpoint, err, tc.ok)
		}
	}
	if _, err := graph.New(graph.Config{}); err == nil {
		t.Error("New without a credential succeeded")
	}
}
