package auth

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anras/parc/bot/auth/authtest"
	"github.com/golang-jwt/jwt/v5"
	"github.com/infracloudio/msbotbuilder-go/schema"
)

// TestTokenMatrix runs every token rule against one warmed validator. The
// keys that some cases need are published before warming, so that no case
// provokes a refresh and the cases cannot influence each other.
func TestTokenMatrix(t *testing.T) {
	f := newFixture(t, nil)
	webchatKid := f.iss.AddKey("webchat")
	bareKid := f.iss.AddKey()
	if err := f.v.Warm(t.Context()); err != nil {
		t.Fatalf("Warm: %v", err)
	}
	now := start
	stranger := authtest.NewIssuer(t, authtest.WithClock(f.clock.Now))

	type tc struct {
		name     string
		header   func() string
		activity func(*schema.Activity) // optional change to teamsActivity
		reason   error                  // nil: accepted; else wrapped under ErrUnauthorized
	}
	tok := func(o authtest.Options) func() string {
		return func() string { return f.iss.Header(o) }
	}
	cases := []tc{
		{name: "valid", header: tok(authtest.Options{})},
		{name: "scheme in lower case", header: func() string { return "bearer " + f.iss.Token(authtest.Options{}) }},
		{name: "valid with appid and azp", header: tok(authtest.Options{Claims: map[string]any{"appid": "channel-app", "azp": "channel-app"}})},

		{name: "expired beyond skew", header: tok(authtest.Options{Expiry: now.Add(-ClockSkew - time.Minute), NotBefore: now.Add(-time.Hour)}), reason: jwt.ErrTokenExpired},
		{name: "expired within skew", header: tok(authtest.Options{Expiry: now.Add(-ClockSkew + time.Minute), NotBefore: now.Add(-time.Hour)})},
		{name: "not yet valid beyond skew", header: tok(authtest.Options{NotBefore: now.Add(ClockSkew + time.Minute)}), reason: jwt.ErrTokenNotValidYet},
		{name: "not yet valid within skew", header: tok(authtest.Options{NotBefore: now.Add(ClockSkew - time.Minute)})},
		{name: "no nbf", header: tok(authtest.Options{NoNotBefore: true})},
		{name: "no exp", header: tok(authtest.Options{NoExpiry: true}), reason: jwt.ErrTokenRequiredClaimMissing},

		{name: "wrong issuer", header: tok(authtest.Options{Issuer: "https://sts.windows.net/" + authtest.DefaultTenantID + "/"}), reason: jwt.ErrTokenInvalidIssuer},
		{name: "issuer with trailing slash", header: tok(authtest.Options{Issuer: Issuer + "/"}), reason: jwt.ErrTokenInvalidIssuer},
		{name: "no issuer", header: tok(authtest.Options{Claims: map[string]any{"iss": nil}}), reason: jwt.ErrTokenRequiredClaimMissing},
		{name: "wrong audience", header: tok(authtest.Options{AppID: "another-bot"}), reason: jwt.ErrTokenInvalidAudience},
		{name: "audience list holding the app id", header: tok(authtest.Options{Claims: map[string]any{"aud": []string{"x", authtest.DefaultAppID}}})},

		{name: "alg none", header: tok(authtest.Options{Alg: "none"}), reason: jwt.ErrTokenSignatureInvalid},
		{name: "HS256 keyed with the public key", header: tok(authtest.Options{Alg: "HS256"}), reason: jwt.ErrTokenSignatureInvalid},
		{name: "RS512 by a published key", header: tok(authtest.Options{Alg: "RS512"}), reason: jwt.ErrTokenSignatureInvalid},
		{name: "RS384 by a published key", header: tok(authtest.Options{Alg: "RS384"}), reason: jwt.ErrTokenSignatureInvalid},
		{name: "signed by a foreign key under a published kid", header: func() string {
			return stranger.Header(authtest.Options{Kid: f.iss.Kid()})
		}, reason: jwt.ErrTokenSignatureInvalid},
		{name: "payload swapped after signing", header: func() string {
			signed := strings.Split(f.iss.Token(authtest.Options{}), ".")
			forged := strings.Split(f.iss.Token(authtest.Options{Expiry: now.Add(30 * 24 * time.Hour)}), ".")
			return "Bearer " + signed[0] + "." + forged[1] + "." + signed[2]
		}, reason: jwt.ErrTokenSignatureInvalid},
		{name: "no kid", header: tok(authtest.Options{NoKid: true}), reason: errNoKid},

		{name: "serviceUrl mismatch", header: tok(authtest.Options{ServiceURL: "https://attacker.example/emea/"}), reason: errServiceURL},
		{name: "serviceUrl differs in case", header: tok(authtest.Options{ServiceURL: "https://smba.trafficmanager.net/EMEA/"}), reason: errServiceURL},
		{name: "serviceUrl differs by a path", header: tok(authtest.Options{ServiceURL: authtest.DefaultServiceURL + "x/"}), reason: errServiceURL},
		{name: "serviceUrl claim missing", header: tok(authtest.Options{NoServiceURL: true}), reason: errServiceURL},
		{name: "serviceUrl claim not a string", header: tok(authtest.Options{Claims: map[string]any{"serviceurl": 42}}), reason: errServiceURL},
		{name: "serviceUrl without trailing slash in the claim", header: tok(authtest.Options{ServiceURL: strings.TrimSuffix(authtest.DefaultServiceURL, "/")})},
		{name: "serviceUrl without trailing slash in the activity", header: tok(authtest.Options{}),
			activity: func(a *schema.Activity) { a.ServiceURL = strings.TrimSuffix(a.ServiceURL, "/") }},
		{name: "activity without serviceUrl", header: tok(authtest.Options{}),
			activity: func(a *schema.Activity) { a.ServiceURL = "" }, reason: errServiceURL},

		{name: "key endorsed only for webchat", header: tok(authtest.Options{Kid: webchatKid}), reason: errNotEndorsed},
		{name: "key with no endorsements", header: tok(authtest.Options{Kid: bareKid}), reason: errNotEndorsed},
		{name: "msteams key on a webchat activity", header: tok(authtest.Options{}),
			activity: func(a *schema.Activity) { a.ChannelID = "webchat" }, reason: errNotEndorsed},
		{name: "webchat key on a webchat activity", header: tok(authtest.Options{Kid: webchatKid}),
			activity: func(a *schema.Activity) { a.ChannelID = "webchat" }},
		{name: "activity without channelId", header: tok(authtest.Options{}),
			activity: func(a *schema.Activity) { a.ChannelID = "" }, reason: errNotEndorsed},

		{name: "no header", header: func() string { return "" }, reason: errNoHeader},
		{name: "blank header", header: func() string { return "   " }, reason: errNoHeader},
		{name: "token without scheme", header: func() string { return f.iss.Token(authtest.Options{}) }, reason: errMalformedHeader},
		{name: "Basic scheme", header: func() string { return "Basic dXNlcjpwYXNz" }, reason: errMalformedHeader},
		{name: "scheme only", header: func() string { return "Bearer" }, reason: errMalformedHeader},
		{name: "two parts", header: func() string { return "Bearer abc.def" }, reason: errMalformedHeader},
		{name: "characters outside base64url", header: func() string { return "Bearer a+b.c/d.e=" }, reason: errMalformedHeader},
		{name: "three parts of garbage", header: func() string { return "Bearer abc.def.ghi" }, reason: jwt.ErrTokenMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := teamsActivity()
			if c.activity != nil {
				c.activity(&a)
			}
			header := c.header()
			id, err := f.authenticate(t, a, header)
			if c.reason == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				// aud may be a list, which GetClaimValue reads as "".
				if aud := id.GetClaimValue(ClaimAudience); aud != "" && aud != authtest.DefaultAppID {
					t.Fatalf("aud claim = %q, want %q", aud, authtest.DefaultAppID)
				}
				if !id.IsAuthenticated() ||
					strings.TrimSuffix(id.ServiceURL(), "/") != strings.TrimSuffix(a.ServiceURL, "/") ||
					id.TenantID() != authtest.DefaultTenantID || id.ChannelID() != a.ChannelID {
					t.Fatalf("identity = %+v, want authenticated for %s, tenant %s", id, a.ServiceURL, authtest.DefaultTenantID)
				}
				return
			}
			if !errors.Is(err, ErrUnauthorized) || !errors.Is(err, c.reason) || errors.Is(err, ErrForbidden) {
				t.Fatalf("err = %v, want ErrUnauthorized because %v", err, c.reason)
			}
			if _, token, _ := strings.Cut(header, " "); len(token) > 20 && strings.Contains(err.Error(), token) {
				t.Fatalf("the error message contains the token: %v", err)
			}
		})
	}
	if got := f.fetches(); got != [2]int64{1, 1} {
		t.Errorf("fetches (metadata, keys) = %v over the matrix, want one of each (Warm)", got)
	}
	// Every token starts with "eyJ" (base64 of `{"`); no log line may hold one.
	if logs := f.logs.String(); strings.Contains(logs, "eyJ") {
		t.Errorf("logs contain a token:\n%s", logs)
	}
}

func TestUnknownKidRefetchesOnceAndAcceptsRotatedKey(t *testing.T) {
	f := newFixture(t, nil)
	if err := f.v.Warm(t.Context()); err != nil {
		t.Fatalf("Warm: %v", err)
	}
	before := f.iss.Header(authtest.Options{}) // signed by the key about to be retired
	f.iss.Rotate()

	if _, err := f.authenticate(t, teamsActivity(), f.iss.Header(authtest.Options{})); err != nil {
		t.Fatalf("token signed by the rotated key refused: %v", err)
	}
	if got := f.fetches(); got != [2]int64{2, 2} {
		t.Fatalf("fetches = %v after the first token of the new key, want exactly one refresh: [2 2]", got)
	}
	for range 5 {
		if _, err := f.authenticate(t, teamsActivity(), f.iss.Header(authtest.Options{})); err != nil {
			t.Fatalf("second token of the new key refused: %v", err)
		}
	}
	_, err := f.authenticate(t, teamsActivity(), before)
	if !errors.Is(err, ErrUnauthorized) || !errors.Is(err, errUnknownKid) {
		t.Fatalf("token of the retired key: err = %v, want ErrUnauthorized (unknown kid)", err)
	}
	if got := f.fetches(); got != [2]int64{2, 2} {
		t.Fatalf("fetches = %v, want no more after the refresh: [2 2]", got)
	}
}

func TestUnknownKidRefreshIsRateLimited(t *testing.T) {
	f := newFixture(t, nil)
	if err := f.v.Warm(t.Context()); err != nil {
		t.Fatalf("Warm: %v", err)
	}
	refuse := func(kid string, want [2]int64) {
		t.Helper()
		_, err := f.authenticate(t, teamsActivity(), f.iss.Header(authtest.Options{Kid: kid}))
		if !errors.Is(err, ErrUnauthorized) || !errors.Is(err, errUnknownKid) {
			t.Fatalf("kid %q: err = %v, want ErrUnauthorized (unknown kid)", kid, err)
		}
		if got := f.fetches(); got != want {
			t.Fatalf("kid %q: fetches = %v, want %v", kid, got, want)
		}
	}
	refuse("forged-1", [2]int64{2, 2}) // one refetch: Microsoft may have rotated
	refuse("forged-2", [2]int64{2, 2}) // within the window: no refetch
	f.clock.Advance(DefaultMinRefreshGap - time.Second)
	refuse("forged-3", [2]int64{2, 2}) // still within the window
	f.clock.Advance(2 * time.Second)
	refuse("forged-4", [2]int64{3, 3}) // window over: one more refetch
	if _, err := f.authenticate(t, teamsActivity(), f.iss.Header(authtest.Options{})); err != nil {
		t.Fatalf("valid token refused after forged kids: %v", err)
	}
	if !strings.Contains(f.logs.String(), "forged-1") || strings.Contains(f.logs.String(), "forged-2") {
		t.Errorf("want one log line for the refresh that forged-1 caused, none for forged-2:\n%s", f.logs)
	}
}

// TestConcurrentValidationDuringRotation has 50 goroutines validate fresh
// tokens while the issuer changes its keys five times, in both ways: a
// rollover (new signing key, old ones still published, as Microsoft does)
// and a hard rotation (old keys withdrawn). Each new key must cost exactly
// one fetch however many goroutines meet it at once. With a rollover every
// token is accepted; with a hard rotation a token may be refused only
// because its key was withdrawn.
//
// The clock only moves while no worker is between minting and validating:
// a token minted before the move and validated after it could spend the
// unknown-kid refresh that the new key needs. That is the accepted cost of
// the rate limit (a key published less than a minute after our last fetch
// waits up to a minute; Microsoft publishes keys days before using them),
// not something this test measures.
func TestConcurrentValidationDuringRotation(t *testing.T) {
	const workers, rotations = 50, 5
	for _, mode := range []struct {
		name     string
		rotate   func(*authtest.Issuer) string
		withdraw bool
	}{
		{"rollover", (*authtest.Issuer).Rollover, false},
		{"hard rotation", (*authtest.Issuer).Rotate, true},
	} {
		t.Run(mode.name, func(t *testing.T) {
			f := newFixture(t, nil)
			if err := f.v.Warm(t.Context()); err != nil {
				t.Fatalf("Warm: %v", err)
			}
			var (
				gate        sync.RWMutex // held by workers around mint+validate
				stop        = make(chan struct{})
				failures    = make(chan error, workers)
				wg          sync.WaitGroup
				accepted    atomic.Int64
				withdrawals atomic.Int64
			)
			for range workers {
				wg.Go(func() {
					for {
						select {
						case <-stop:
							return
						default:
						}
						gate.RLock()
						token := f.iss.Token(authtest.Options{})
						_, err := f.v.AuthenticateRequest(t.Context(), teamsActivity(), "Bearer "+token, nil, "")
						kid := kidOf(t, token)
						gate.RUnlock()
						switch {
						case err == nil:
							accepted.Add(1)
						case mode.withdraw && errors.Is(err, errUnknownKid) && kid != f.iss.Kid():
							withdrawals.Add(1) // minted just before its key was withdrawn
						default:
							failures <- fmt.Errorf("kid %s: %w", kid, err)
							return
						}
					}
				})
			}
			for r := 1; r <= rotations; r++ {
				// Past the unknown-kid window, so that the new key may be fetched.
				gate.Lock()
				f.clock.Advance(DefaultMinRefreshGap + time.Second)
				gate.Unlock()
				mode.rotate(f.iss) // while the workers run
				before := accepted.Load()
				deadline := time.Now().Add(30 * time.Second)
				for (f.iss.KeyFetches() < int64(1+r) || accepted.Load() < before+workers) &&
					time.Now().Before(deadline) && len(failures) == 0 {
					time.Sleep(time.Millisecond)
				}
			}
			close(stop)
			wg.Wait()
			close(failures)
			for err := range failures {
				t.Errorf("validation failed during rotation: %v", err)
			}
			if got, want := f.fetches(), [2]int64{1 + rotations, 1 + rotations}; got != want {
				t.Errorf("fetches = %v, want %v: one per new key", got, want)
			}
			t.Logf("%d accepted, %d refused for a withdrawn key, by %d workers across %d rotations",
				accepted.Load(), withdrawals.Load(), workers, rotations)
		})
	}
}

// kidOf reads the kid header of a token minted by an Issuer.
func kidOf(t testing.TB, token string) string {
	tok, _, err := jwt.NewParser().ParseUnverified(token, jwt.MapClaims{})
	if err != nil {
		t.Errorf("parse minted token: %v", err)
		return ""
	}
	kid, _ := tok.Header["kid"].(string)
	return kid
}
