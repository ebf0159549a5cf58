package auth

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/anras/parc/bot/auth/authtest"
	"github.com/infracloudio/msbotbuilder-go/schema"
)

// start is the fixtures' wall clock: any fixed instant will do.
var start = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// fixture is a validator wired to a local issuer, on a shared fake clock.
type fixture struct {
	clock *authtest.Clock
	iss   *authtest.Issuer
	v     *Validator
	logs  *syncBuffer
}

// newFixture builds a fixture with authentication on (AppID =
// authtest.DefaultAppID); change edits the Config before New.
func newFixture(t testing.TB, change func(*Config)) *fixture {
	t.Helper()
	clock := authtest.NewClock(start)
	iss := authtest.NewIssuer(t, authtest.WithClock(clock.Now))
	logs := &syncBuffer{}
	cfg := Config{
		AppID:       authtest.DefaultAppID,
		MetadataURL: iss.MetadataURL(),
		Now:         clock.Now,
		Logger:      slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if change != nil {
		change(&cfg)
	}
	return &fixture{clock: clock, iss: iss, v: New(cfg), logs: logs}
}

// authenticate runs the validator as the webhook would, and returns the
// identity as the concrete type (nil when refused).
func (f *fixture) authenticate(t testing.TB, a schema.Activity, header string) (*Identity, error) {
	t.Helper()
	got, err := f.v.AuthenticateRequest(context.Background(), a, header, nil, "")
	if err != nil {
		if got != nil {
			t.Fatalf("refusal %v came with an identity %#v", err, got)
		}
		return nil, err
	}
	id, ok := got.(*Identity)
	if !ok || id == nil {
		t.Fatalf("identity is %T %v, want a non-nil *Identity", got, got)
	}
	return id, nil
}

// fetches returns the issuer's (metadata, key set) request counts.
func (f *fixture) fetches() [2]int64 {
	return [2]int64{f.iss.MetadataFetches(), f.iss.KeyFetches()}
}

// teamsActivity is a Teams message activity that matches the issuer's
// default token.
func teamsActivity() schema.Activity {
	return schema.Activity{
		Type:       schema.Message,
		ID:         "1700000000000",
		ChannelID:  "msteams",
		ServiceURL: authtest.DefaultServiceURL,
		Conversation: schema.ConversationAccount{
			ID:       "a:1conversation",
			TenantID: authtest.DefaultTenantID,
		},
		ChannelData: map[string]any{"tenant": map[string]any{"id": authtest.DefaultTenantID}},
	}
}

// syncBuffer collects log output written from many goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
