package auth

import (
	"testing"

	"github.com/anras/parc/bot/auth/authtest"
)

// BenchmarkValidate measures the accepted path with warm keys: header
// parsing, claim checks, one RSA-2048 signature verification and the
// tenant check. It is a figure for capacity planning, not an assertion.
func BenchmarkValidate(b *testing.B) {
	f := newFixture(b, func(c *Config) { c.AllowedTenants = []string{authtest.DefaultTenantID} })
	if err := f.v.Warm(b.Context()); err != nil {
		b.Fatalf("Warm: %v", err)
	}
	header := f.iss.Header(authtest.Options{})
	activity := teamsActivity()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.v.AuthenticateRequest(b.Context(), activity, header, nil, ""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidateParallel is the same under concurrent callers, where the
// key cache's lock would show if it were contended.
func BenchmarkValidateParallel(b *testing.B) {
	f := newFixture(b, nil)
	if err := f.v.Warm(b.Context()); err != nil {
		b.Fatalf("Warm: %v", err)
	}
	header := f.iss.Header(authtest.Options{})
	activity := teamsActivity()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := f.v.AuthenticateRequest(b.Context(), activity, header, nil, ""); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
