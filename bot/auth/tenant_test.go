package auth

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/anras/parc/bot/auth/authtest"
	"github.com/infracloudio/msbotbuilder-go/schema"
)

const otherTenant = "d4c3b2a1-0000-4000-8000-000000000042"

// withTenant returns teamsActivity with the tenant stated in the
// conversation and in channelData as given ("" leaves it out).
func withTenant(conv, data string) schema.Activity {
	a := teamsActivity()
	a.Conversation.TenantID = conv
	a.ChannelData = map[string]any{}
	if data != "" {
		a.ChannelData["tenant"] = map[string]any{"id": data}
	}
	return a
}

// TestTenantAllowList checks the allow-list with authentication on and off:
// off, it is the only protection left.
func TestTenantAllowList(t *testing.T) {
	allowed := []string{strings.ToUpper(authtest.DefaultTenantID), "  " + "0aa0aa0a-1111-4222-8333-944444444444" + " "}
	odd := teamsActivity()
	odd.ChannelData = map[string]any{"tenant": "not an object"}

	cases := []struct {
		name       string
		activity   schema.Activity
		wantTenant string
		reason     error // nil: accepted; else wrapped under ErrForbidden
	}{
		{"allowed, stated twice", teamsActivity(), authtest.DefaultTenantID, nil},
		{"allowed, in the conversation only", withTenant(authtest.DefaultTenantID, ""), authtest.DefaultTenantID, nil},
		{"allowed, in channelData only", withTenant("", authtest.DefaultTenantID), authtest.DefaultTenantID, nil},
		{"allowed, other case", withTenant(strings.ToUpper(authtest.DefaultTenantID), ""), strings.ToUpper(authtest.DefaultTenantID), nil},
		{"allowed, channelData of another shape", odd, authtest.DefaultTenantID, nil},
		{"not allowed", withTenant(otherTenant, otherTenant), "", errTenantDenied},
		{"no tenant", withTenant("", ""), "", errTenantMissing},
		{"the two statements disagree", withTenant(authtest.DefaultTenantID, otherTenant), "", errTenantConflict},
		{"the two statements disagree, allowed one second", withTenant(otherTenant, authtest.DefaultTenantID), "", errTenantConflict},
	}
	for _, mode := range []struct {
		name string
		app  string
	}{{"authentication on", authtest.DefaultAppID}, {"authentication off", ""}} {
		f := newFixture(t, func(c *Config) { c.AppID, c.AllowedTenants = mode.app, allowed })
		for _, c := range cases {
			t.Run(mode.name+"/"+c.name, func(t *testing.T) {
				id, err := f.authenticate(t, c.activity, f.iss.Header(authtest.Options{}))
				if c.reason != nil {
					if !errors.Is(err, ErrForbidden) || !errors.Is(err, c.reason) || errors.Is(err, ErrUnauthorized) {
						t.Fatalf("err = %v, want ErrForbidden because %v", err, c.reason)
					}
					return
				}
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if id.TenantID() != c.wantTenant || id.IsAuthenticated() != (mode.app != "") {
					t.Fatalf("identity: tenant %q, authenticated %v; want %q, %v",
						id.TenantID(), id.IsAuthenticated(), c.wantTenant, mode.app != "")
				}
			})
		}
	}
}

// TestBadTokenOutranksTenant: an unauthenticated caller from a refused
// tenant gets 401, not 403, so that it learns nothing about the allow-list.
func TestBadTokenOutranksTenant(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.AllowedTenants = []string{authtest.DefaultTenantID} })
	_, err := f.authenticate(t, withTenant(otherTenant, ""), "Bearer abc.def.ghi")
	if !errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrForbidden) {
		t.Fatalf("err = %v, want ErrUnauthorized only", err)
	}
}

// TestNoAllowListAcceptsAnyTenant: with no allow-list, any tenant (or none)
// passes, but the two statements of the tenant must still agree.
func TestNoAllowListAcceptsAnyTenant(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.AppID = "" })
	for _, a := range []schema.Activity{withTenant(otherTenant, ""), withTenant("", "")} {
		if id, err := f.authenticate(t, a, ""); err != nil || id.TenantID() != a.Conversation.TenantID {
			t.Errorf("tenant %q: identity %+v, err %v; want accepted", a.Conversation.TenantID, id, err)
		}
	}
	if _, err := f.authenticate(t, withTenant(otherTenant, authtest.DefaultTenantID), ""); !errors.Is(err, errTenantConflict) {
		t.Errorf("disagreeing tenants: err = %v, want ErrForbidden (conflict)", err)
	}
}

// TestAuthenticationOff: with no app id the Playground's unsigned requests
// pass, with or without a header, and nothing is fetched.
func TestAuthenticationOff(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.AppID = "  " })
	if f.v.Enabled() {
		t.Fatal("Enabled() = true with a blank app id")
	}
	if err := f.v.Warm(t.Context()); err != nil {
		t.Fatalf("Warm with authentication off: %v", err)
	}
	headers := map[string]string{
		"no header":            "",
		"valid header":         f.iss.Header(authtest.Options{}),
		"expired header":       f.iss.Header(authtest.Options{Expiry: start.Add(-24 * time.Hour)}),
		"malformed header":     "Basic x",
		"alg none header":      f.iss.Header(authtest.Options{Alg: "none"}),
		"wrong serviceurl hdr": f.iss.Header(authtest.Options{ServiceURL: "https://attacker.example/"}),
	}
	for name, header := range headers {
		t.Run(name, func(t *testing.T) {
			id, err := f.authenticate(t, teamsActivity(), header)
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if id.IsAuthenticated() || id.Claims() != nil || id.GetClaimValue(ClaimServiceURL) != "" ||
				id.TenantID() != authtest.DefaultTenantID || id.ChannelID() != "msteams" {
				t.Fatalf("identity = %+v, want unauthenticated, no claims, tenant %s", id, authtest.DefaultTenantID)
			}
		})
	}
	if got := f.fetches(); got != [2]int64{0, 0} {
		t.Errorf("fetches = %v with authentication off, want none", got)
	}
}
