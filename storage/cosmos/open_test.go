package cosmos

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/anras/parc/domain"
	"github.com/anras/parc/storage/cosmos/cosmostest"
)

// wantOneLine checks that err is one line that contains every word.
func wantOneLine(t *testing.T, err error, words ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one naming %v", words)
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") {
		t.Fatalf("error is not one line:\n%s", msg)
	}
	for _, w := range words {
		if !strings.Contains(msg, w) {
			t.Fatalf("error %q does not say %q", msg, w)
		}
	}
}

func TestOpenFailsClearly(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	key := "a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5"

	t.Run("closed port", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		endpoint := "http://" + ln.Addr().String() + "/"
		ln.Close()
		start := time.Now()
		_, err = Open(ctx, Config{Endpoint: endpoint, Key: key, Database: "parc"})
		wantOneLine(t, err, "cannot reach COSMOS_ENDPOINT", "refused")
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("took %v to report a closed port", d)
		}
	})
	t.Run("key refused", func(t *testing.T) {
		// The emulator ignores keys; this server answers like Cosmos DB
		// does to a wrong key.
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("x-ms-request-charge", "0")
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"code":"Unauthorized","message":"The input authorization token can't serve the request. The wrong key is being used."}`))
		}))
		defer srv.Close()
		_, err := Open(ctx, Config{Endpoint: srv.URL + "/", Key: key, Database: "parc", Retry: testRetry()})
		wantOneLine(t, err, "refused COSMOS_KEY", "401")
	})
	t.Run("key not base64", func(t *testing.T) {
		e := cosmostest.Start(t)
		_, err := Open(ctx, Config{Endpoint: e.Endpoint, Key: "not a key!", Database: "parc"})
		wantOneLine(t, err, "COSMOS_KEY is not an account key")
	})
	t.Run("not a URL", func(t *testing.T) {
		_, err := Open(ctx, Config{Endpoint: "cosmos.example.org", Key: key, Database: "parc"})
		wantOneLine(t, err, "COSMOS_ENDPOINT", "not an account URL")
	})
}

// TestOpenIsIdempotent: a second instance opening the same database finds
// everything in place and sees the first one's data.
func TestOpenIsIdempotent(t *testing.T) {
	e := cosmostest.Start(t)
	cfg := testConfig(t, e)
	ctx := context.Background()
	a, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SaveConversation(ctx, domain.ConversationRef{ID: "c1", ServiceURL: "https://x/", BotID: "28:b"}); err != nil {
		t.Fatal(err)
	}
	b, err := Open(ctx, cfg)
	if err != nil {
		t.Fatalf("second Open: %v", err)
	}
	if _, err := b.Conversation(ctx, "c1"); err != nil {
		t.Fatalf("second instance: %v", err)
	}
	props, err := b.activities.client.Read(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ttl := props.ContainerProperties.DefaultTimeToLive; ttl == nil || *ttl != activityTTL {
		t.Fatalf("activities default TTL = %v, want %d", ttl, activityTTL)
	}
}

// TestThrottlingIsRetriedAndCounted: two 429s are retried by the SDK and
// counted; a service that stays unavailable is EUNAVAILABLE for the bot.
func TestThrottlingIsRetriedAndCounted(t *testing.T) {
	e := cosmostest.Start(t)
	s := openTest(t, e)
	ctx := context.Background()
	if _, err := s.UpdateUser(ctx, "u1", func(u *domain.User) error { u.Name = "Zoé"; return nil }); err != nil {
		t.Fatal(err)
	}
	e.InjectFaults(t, http.StatusTooManyRequests, 2, "/docs")
	if u, err := s.User(ctx, "u1"); err != nil || u.Name != "Zoé" {
		t.Fatalf("User after two 429s = %+v, %v; want the SDK to retry", u, err)
	}
	if st := s.Stats(); st.Throttled != 2 || st.Requests == 0 || st.RequestCharge == 0 {
		t.Fatalf("Stats = %+v, want 2 throttled requests and some charge", st)
	}
	e.InjectFaults(t, http.StatusServiceUnavailable, 100, "/docs")
	_, err := s.User(ctx, "u1")
	if domain.ErrorCodeOf(err) != domain.EUNAVAILABLE {
		t.Fatalf("User while the service is unavailable: %v, want EUNAVAILABLE", err)
	}
	wantOneLine(t, err, "503")
	e.InjectFaults(t, 0, 0, "")
}

func TestPingAfterClose(t *testing.T) {
	s := openTest(t, cosmostest.Start(t))
	ctx := context.Background()
	if err := s.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := s.Ping(ctx); err == nil {
		t.Fatal("Ping on a closed store succeeded: /readyz would lie")
	}
}

// TestRequestChargeIsLogged: every request's charge is in the debug log.
func TestRequestChargeIsLogged(t *testing.T) {
	e := cosmostest.Start(t)
	var buf cosmostest.LockedBuffer
	cfg := testConfig(t, e)
	cfg.Logger = slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.User(context.Background(), "nobody"); !domain.IsNotFound(err) {
		t.Fatalf("User(nobody) = %v", err)
	}
	var found bool
	for _, line := range strings.Split(buf.String(), "\n") {
		if strings.Contains(line, `"msg":"cosmos request"`) && strings.Contains(line, `"status":404`) && strings.Contains(line, `"request_charge":1`) {
			found = true
		}
	}
	if !found {
		t.Fatalf("no debug line with the request charge of the 404 read:\n%s", buf.String())
	}
}
