package auth

import (
	"errors"
	"strings"
	"testing"

	"github.com/anras/parc/bot/auth/authtest"
)

// FuzzAuthenticate feeds arbitrary Authorization headers to a warmed
// validator. Whatever the input, it must not panic and must not accept: no
// seed is a valid token for this validator, and no mutation can forge an
// RS256 signature. Every refusal must be a 401, never a 403 (the tenant is
// allowed) nor another error.
func FuzzAuthenticate(f *testing.F) {
	fx := newFixture(f, func(c *Config) { c.AllowedTenants = []string{authtest.DefaultTenantID} })
	if err := fx.v.Warm(f.Context()); err != nil {
		f.Fatalf("Warm: %v", err)
	}
	valid := fx.iss.Token(authtest.Options{})
	parts := strings.Split(valid, ".")
	for _, seed := range []string{
		"", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer a.b.c", "Bearer ..", "bearer e30.e30.",
		"Bearer " + parts[0] + "." + parts[1] + ".", // signature stripped
		"Bearer " + parts[0] + "." + parts[1] + "." + parts[2][:len(parts[2])-2] + "AA",
		fx.iss.Header(authtest.Options{AppID: "another-bot"}),
		fx.iss.Header(authtest.Options{Expiry: start.Add(-ClockSkew * 2)}),
		fx.iss.Header(authtest.Options{Alg: "none"}),
		fx.iss.Header(authtest.Options{Alg: "HS256"}),
		fx.iss.Header(authtest.Options{Alg: "RS512"}),
		fx.iss.Header(authtest.Options{Kid: "unknown"}),
		fx.iss.Header(authtest.Options{ServiceURL: "https://attacker.example/"}),
		fx.iss.Header(authtest.Options{Claims: map[string]any{"exp": "soon", "aud": 7}}),
		"Bearer " + strings.Repeat("A", 100) + "." + strings.Repeat("B", 100) + "." + strings.Repeat("C", 342),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, header string) {
		id, err := fx.v.AuthenticateRequest(t.Context(), teamsActivity(), header, nil, "")
		if err == nil || id != nil {
			t.Fatalf("accepted header %q: identity %#v", header, id)
		}
		if !errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrForbidden) {
			t.Fatalf("header %q: err = %v, want ErrUnauthorized only", header, err)
		}
	})
}
