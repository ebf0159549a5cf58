package bot_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/anras/parc/bot/auth/authtest"
)

// TestWebhookTokenMatrix sends the same activity with each kind of token:
// only a valid one is processed; the others get 401 (or 403 for a tenant
// outside the allow-list) and leave no trace: no reply, no stored user.
func TestWebhookTokenMatrix(t *testing.T) {
	issuer := authtest.NewIssuer(t)
	const appID = authtest.DefaultAppID
	tenant := "00000000-0000-0000-0000-0000000000001" // the captured activities' tenant
	now := time.Now()
	type tok = authtest.Options
	cases := []struct {
		name    string
		header  func(serviceURL string) string
		channel string
		tenants []string
		want    int
	}{
		{"valid", func(su string) string { return issuer.Header(tok{AppID: appID, ServiceURL: su}) }, "", nil, 200},
		{"expired", func(su string) string {
			return issuer.Header(tok{AppID: appID, ServiceURL: su, Expiry: now.Add(-10 * time.Minute), NotBefore: now.Add(-time.Hour)})
		}, "", nil, 401},
		{"not yet valid", func(su string) string {
			return issuer.Header(tok{AppID: appID, ServiceURL: su, NotBefore: now.Add(10 * time.Minute), Expiry: now.Add(time.Hour)})
		}, "", nil, 401},
		{"wrong issuer", func(su string) string {
			return issuer.Header(tok{AppID: appID, ServiceURL: su, Issuer: "https://sts.windows.net/evil/"})
		}, "", nil, 401},
		{"wrong audience", func(su string) string { return issuer.Header(tok{AppID: "someone-else", ServiceURL: su}) }, "", nil, 401},
		{"alg none", func(su string) string { return issuer.Header(tok{AppID: appID, ServiceURL: su, Alg: "none"}) }, "", nil, 401},
		{"HS256 with the public key", func(su string) string {
			return issuer.Header(tok{AppID: appID, ServiceURL: su, Alg: "HS256", HMACKey: issuer.PublicKeyPEM(issuer.Kid())})
		}, "", nil, 401},
		{"serviceUrl mismatch", func(su string) string {
			return issuer.Header(tok{AppID: appID, ServiceURL: "https://smba.trafficmanager.net/emea/"})
		}, "", nil, 401},
		{"endorsement missing", func(su string) string {
			kid := issuer.AddKey("webchat")
			return issuer.Header(tok{AppID: appID, ServiceURL: su, Kid: kid})
		}, "", nil, 401},
		{"tenant not allowed", func(su string) string { return issuer.Header(tok{AppID: appID, ServiceURL: su}) }, "", []string{"11111111-1111-1111-1111-111111111111"}, 403},
		{"tenant allowed", func(su string) string { return issuer.Header(tok{AppID: appID, ServiceURL: su}) }, "", []string{tenant}, 200},
		{"no header", func(string) string { return "" }, "", nil, 401},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, options{appID: appID, issuer: issuer, allowedTenants: c.tenants})
			act := h.activity("message-personal-hello")
			act["text"] = "aide"
			rec := h.post(act, c.header(h.peer.URL()))
			if rec.Code != c.want {
				t.Fatalf("status %d, want %d", rec.Code, c.want)
			}
			users, _ := h.store.ListUsers(ctx)
			if c.want != 200 {
				if n := len(h.peer.sent()); n != 0 {
					t.Fatalf("a refused activity got %d replies", n)
				}
				if len(users) != 0 {
					t.Fatalf("a refused activity stored a user: %+v", users)
				}
				return
			}
			if n := len(h.peer.cards()); n != 1 || len(users) != 1 {
				t.Fatalf("a valid activity got %d cards and stored %d users, want 1 and 1", n, len(users))
			}
		})
	}
}

// TestWebhookFollowsKeyRotation: a token signed by a key published after
// the bot loaded the key set is accepted after one refetch.
func TestWebhookFollowsKeyRotation(t *testing.T) {
	issuer := authtest.NewIssuer(t)
	h := newHarness(t, options{appID: authtest.DefaultAppID, issuer: issuer})
	act := h.activity("message-personal-hello")
	act["text"] = "aide"
	if rec := h.post(act, issuer.Header(authtest.Options{AppID: authtest.DefaultAppID, ServiceURL: h.peer.URL()})); rec.Code != 200 {
		t.Fatalf("first token: %d", rec.Code)
	}
	before := issuer.KeyFetches()
	issuer.Rotate()
	act["id"] = "after-rotation"
	if rec := h.post(act, issuer.Header(authtest.Options{AppID: authtest.DefaultAppID, ServiceURL: h.peer.URL()})); rec.Code != http.StatusOK {
		t.Fatalf("token from the rotated key set: %d, want 200", rec.Code)
	}
	if got := issuer.KeyFetches() - before; got != 1 {
		t.Fatalf("key set fetched %d times after the rotation, want 1", got)
	}
}
