package connector

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/infracloudio/msbotbuilder-go/schema"
)

var hello = schema.Activity{Type: schema.Message, Text: "hello"}

func TestBearerTokenFromCredential(t *testing.T) {
	for _, tt := range []struct{ scope, wantScope string }{
		{"", DefaultScope},
		{"api://other/.default", "api://other/.default"},
	} {
		srv := newFakeConnector(t, answer(http.StatusOK, `{"id":"1"}`))
		cred := &fakeCredential{token: "tok-123"}
		cfg := fastConfig()
		cfg.Credential, cfg.Scope = cred, tt.scope
		c := New(cfg)

		if _, err := c.SendToConversation(t.Context(), srv.URL, "c", hello); err != nil {
			t.Fatal(err)
		}
		if got := srv.requests()[0].Header.Get("Authorization"); got != "Bearer tok-123" {
			t.Errorf("Authorization = %q, want %q", got, "Bearer tok-123")
		}
		if got := cred.calls(); len(got) != 1 || !slices.Equal(got[0], []string{tt.wantScope}) {
			t.Errorf("scopes asked = %v, want [[%s]]", got, tt.wantScope)
		}
	}
}

func TestNoAuthorizationHeaderWithoutCredential(t *testing.T) {
	srv := newFakeConnector(t, answer(http.StatusAccepted, ""))
	c := New(fastConfig())
	if _, err := c.SendToConversation(t.Context(), srv.URL, "c", hello); err != nil {
		t.Fatal(err)
	}
	if v, present := srv.requests()[0].Header["Authorization"]; present {
		t.Errorf("Authorization header present: %q", v)
	}
}

func TestTokenFailureSendsNothing(t *testing.T) {
	srv := newFakeConnector(t, answer(http.StatusOK, `{"id":"1"}`))
	boom := errors.New("AADSTS7000215: invalid client secret")
	cfg := fastConfig()
	cfg.Credential = &fakeCredential{err: boom}
	_, err := New(cfg).SendToConversation(t.Context(), srv.URL, "c", hello)
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want it to wrap the credential's error", err)
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("server got %d requests, want 0", n)
	}
}

func TestRefusesTokenOverPlainHTTPToRemoteHost(t *testing.T) {
	cred := &fakeCredential{token: "secret-token"}
	cfg := fastConfig()
	cfg.Credential = cred
	_, err := New(cfg).SendToConversation(t.Context(), "http://smba.example.com/amer/", "c", hello)
	if err == nil || !strings.Contains(err.Error(), "plain http") {
		t.Errorf("err = %v, want a refusal", err)
	}
	if n := len(cred.calls()); n != 0 {
		t.Errorf("credential asked %d times, want 0", n)
	}
}

func TestRetryOn429HonoursRetryAfter(t *testing.T) {
	srv := newFakeConnector(t, func(n int, _ *http.Request) reply {
		if n == 0 {
			return reply{Status: http.StatusTooManyRequests, Header: map[string]string{"Retry-After": "1"}}
		}
		return reply{Status: http.StatusCreated, Body: `{"id":"after-throttle"}`}
	})
	c := New(fastConfig())
	card := schema.Activity{Type: schema.Message, Attachments: []schema.Attachment{{ContentType: "application/vnd.microsoft.card.adaptive", Content: map[string]any{"type": "AdaptiveCard"}}}}

	start := time.Now()
	id, err := c.SendToConversation(t.Context(), srv.URL, "c", card)
	elapsed := time.Since(start)

	if err != nil || id != "after-throttle" {
		t.Fatalf("got (%q, %v)", id, err)
	}
	if elapsed < 950*time.Millisecond {
		t.Errorf("retried after %v, before the 1 s the server asked for", elapsed)
	}
	reqs := srv.requests()
	if len(reqs) != 2 {
		t.Fatalf("server got %d requests, want 2", len(reqs))
	}
	if !bytes.Equal(reqs[0].Body, reqs[1].Body) || len(reqs[1].Body) == 0 {
		t.Errorf("retry body differs from the first:\n%s\n%s", reqs[0].Body, reqs[1].Body)
	}
}

func TestRetryOnServerErrorsThenSuccess(t *testing.T) {
	for _, status := range []int{500, 502, 503, 504} {
		srv := newFakeConnector(t, func(n int, _ *http.Request) reply {
			if n == 0 {
				return reply{Status: status, Body: `{"error":{"code":"ServiceError"}}`}
			}
			return reply{Status: http.StatusOK, Body: `{"id":"ok"}`}
		})
		cfg := fastConfig()
		cfg.Credential = &fakeCredential{token: "t"}
		id, err := New(cfg).UpdateActivity(t.Context(), srv.URL, "c", "a", hello)
		if err != nil || id != "ok" {
			t.Errorf("%d: got (%q, %v), want (ok, nil)", status, id, err)
			continue
		}
		reqs := srv.requests()
		if len(reqs) != 2 {
			t.Errorf("%d: %d requests, want 2", status, len(reqs))
			continue
		}
		for i, r := range reqs {
			if r.Method != http.MethodPut || r.Header.Get("Authorization") != "Bearer t" || len(r.Body) == 0 {
				t.Errorf("%d: attempt %d = %s auth=%q body=%d bytes", status, i+1, r.Method, r.Header.Get("Authorization"), len(r.Body))
			}
		}
		if !bytes.Equal(reqs[0].Body, reqs[1].Body) {
			t.Errorf("%d: retry body differs", status)
		}
	}
}

func TestGivesUpAfterMaxAttempts(t *testing.T) {
	srv := newFakeConnector(t, answer(http.StatusServiceUnavailable, `{"error":{"message":"busy"}}`))
	cfg := fastConfig()
	cfg.MaxAttempts = 4
	_, err := New(cfg).SendToConversation(t.Context(), srv.URL, "c", hello)

	var he *HTTPError
	if !errors.As(err, &he) {
		t.Fatalf("err = %v, want *HTTPError", err)
	}
	want := HTTPError{Method: http.MethodPost, URL: srv.URL + "/v3/conversations/c/activities", StatusCode: 503, Body: `{"error":{"message":"busy"}}`}
	if *he != want {
		t.Errorf("HTTPError = %+v, want %+v", *he, want)
	}
	if n := len(srv.requests()); n != 4 {
		t.Errorf("server got %d requests, want 4", n)
	}
}

func TestNoRetryOnOtherClientErrors(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 409, 413} {
		srv := newFakeConnector(t, answer(status, `{"error":{"code":"BadArgument"}}`))
		_, err := New(fastConfig()).ReplyToActivity(t.Context(), srv.URL, "c", "m", hello)
		var he *HTTPError
		if !errors.As(err, &he) || he.StatusCode != status {
			t.Errorf("%d: err = %v", status, err)
		}
		if n := len(srv.requests()); n != 1 {
			t.Errorf("%d: server got %d requests, want 1", status, n)
		}
	}
}

func TestUnauthorizedLogsHintAndNoToken(t *testing.T) {
	for _, status := range []int{http.StatusUnauthorized, http.StatusForbidden} {
		srv := newFakeConnector(t, answer(status, `{"message":"Authorization has been denied for this request."}`))
		var logs syncBuffer
		cfg := fastConfig()
		cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		cfg.Credential = &fakeCredential{token: "very-secret-token"}

		_, err := New(cfg).SendToConversation(t.Context(), srv.URL, "c", hello)
		if err == nil {
			t.Fatalf("%d: no error", status)
		}
		if !strings.Contains(logs.String(), authHint) {
			t.Errorf("%d: logs lack the hint:\n%s", status, logs.String())
		}
		for what, s := range map[string]string{"error": err.Error(), "logs": logs.String()} {
			if strings.Contains(s, "very-secret-token") {
				t.Errorf("%d: token leaked into %s: %s", status, what, s)
			}
		}
	}
}

func TestRetryAfterBeyondCapGivesUp(t *testing.T) {
	srv := newFakeConnector(t, func(int, *http.Request) reply {
		return reply{Status: http.StatusTooManyRequests, Header: map[string]string{"Retry-After": "3600"}}
	})
	start := time.Now()
	_, err := New(fastConfig()).SendToConversation(t.Context(), srv.URL, "c", hello)
	var he *HTTPError
	if !errors.As(err, &he) || he.StatusCode != 429 || he.RetryAfter != time.Hour {
		t.Fatalf("err = %v, want a 429 *HTTPError with RetryAfter 1h", err)
	}
	if n := len(srv.requests()); n != 1 {
		t.Errorf("server got %d requests, want 1", n)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v to give up", d)
	}
}

func TestCancelStopsWaitingForRetry(t *testing.T) {
	srv := newFakeConnector(t, func(int, *http.Request) reply {
		return reply{Status: http.StatusTooManyRequests, Header: map[string]string{"Retry-After": "30"}}
	})
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(100*time.Millisecond, cancel)

	start := time.Now()
	_, err := New(fastConfig()).SendToConversation(ctx, srv.URL, "c", hello)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("returned after %v, want soon after the cancellation", d)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	var he *HTTPError
	if !errors.As(err, &he) || he.StatusCode != 429 {
		t.Errorf("err = %v, want it to keep the last 429", err)
	}
	if n := len(srv.requests()); n != 1 {
		t.Errorf("server got %d requests, want 1", n)
	}
}

func TestDeadlineBeforeRetryAfterGivesUpAtOnce(t *testing.T) {
	srv := newFakeConnector(t, func(int, *http.Request) reply {
		return reply{Status: http.StatusTooManyRequests, Header: map[string]string{"Retry-After": "30"}}
	})
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	start := time.Now()
	_, err := New(fastConfig()).SendToConversation(ctx, srv.URL, "c", hello)
	if d := time.Since(start); d > time.Second {
		t.Errorf("waited %v although the deadline comes before Retry-After", d)
	}
	var he *HTTPError
	if !errors.As(err, &he) || he.RetryAfter != 30*time.Second {
		t.Errorf("err = %v, want the 429 with RetryAfter 30s", err)
	}
}

func TestCancelDuringRequestIsNotRetried(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	srv := newFakeConnector(t, func(_ int, r *http.Request) reply {
		cancel()
		<-r.Context().Done() // the client hangs up
		return reply{Status: http.StatusOK}
	})
	_, err := New(fastConfig()).SendToConversation(ctx, srv.URL, "c", hello)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if n := len(srv.requests()); n != 1 {
		t.Errorf("server got %d requests, want 1", n)
	}
}

func TestNetworkErrorIsAnError(t *testing.T) {
	srv := newFakeConnector(t, nil)
	serviceURL := srv.URL
	srv.Close() // nothing listens there any more

	var logs syncBuffer
	cfg := fastConfig()
	cfg.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	_, err := New(cfg).SendToConversation(t.Context(), serviceURL, "c", hello)
	var ue *url.Error
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v, want a *url.Error", err)
	}
	var he *HTTPError
	if errors.As(err, &he) {
		t.Errorf("err = %v is an *HTTPError, want a network error", err)
	}
	if got := strings.Count(logs.String(), "retrying"); got != cfg.MaxAttempts-1 {
		t.Errorf("logged %d retries, want %d:\n%s", got, cfg.MaxAttempts-1, logs.String())
	}
}

func TestHTTPErrorKeepsStartOfBody(t *testing.T) {
	long := strings.Repeat("é", 600) // 1200 bytes; the limit falls inside a rune
	srv := newFakeConnector(t, answer(http.StatusBadRequest, long))
	_, err := New(fastConfig()).SendToConversation(t.Context(), srv.URL, "c", hello)
	var he *HTTPError
	if !errors.As(err, &he) {
		t.Fatalf("err = %v", err)
	}
	if len(he.Body) > errorBodyLimit || he.Body != strings.Repeat("é", 256) {
		t.Errorf("Body = %d bytes %q…, want the first 256 runes", len(he.Body), he.Body[:min(20, len(he.Body))])
	}
	if !strings.Contains(he.Error(), "400 Bad Request") {
		t.Errorf("Error() = %q", he.Error())
	}
}

func TestConcurrentUse(t *testing.T) {
	srv := newFakeConnector(t, func(_ int, r *http.Request) reply {
		// Echo the text as the id so that each caller can check its own.
		var body struct{ Text string }
		_ = decodeJSON(r, &body)
		return reply{Status: http.StatusCreated, Body: fmt.Sprintf(`{"id":%q}`, "id-"+body.Text)}
	})
	cfg := fastConfig()
	cfg.Credential = &fakeCredential{token: "t"}
	c := New(cfg)

	const n = 100
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			text := fmt.Sprint(i)
			id, err := c.SendToConversation(t.Context(), srv.URL, fmt.Sprintf("conv-%d", i), schema.Activity{Type: schema.Message, Text: text})
			if err == nil && id != "id-"+text {
				err = fmt.Errorf("goroutine %d got id %q", i, id)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if got := len(srv.requests()); got != n {
		t.Errorf("server got %d requests, want %d", got, n)
	}
}

func TestBackoffGrowsWithinBounds(t *testing.T) {
	c := New(Config{BaseBackoff: 100 * time.Millisecond, MaxBackoff: time.Second})
	for _, tt := range []struct {
		retry    int
		min, max time.Duration
	}{
		{1, 50 * time.Millisecond, 100 * time.Millisecond},
		{2, 100 * time.Millisecond, 200 * time.Millisecond},
		{3, 200 * time.Millisecond, 400 * time.Millisecond},
		{5, 500 * time.Millisecond, time.Second}, // capped
		{1000, 500 * time.Millisecond, time.Second},
	} {
		for range 50 {
			if d := c.backoff(tt.retry); d < tt.min || d > tt.max {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", tt.retry, d, tt.min, tt.max)
			}
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 28, 19, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"1", time.Second, true},
		{" 120 ", 2 * time.Minute, true},
		{"0", 0, true},
		{"-5", 0, false},
		{"1.5", 0, false},
		{"99999999999999999", 24 * time.Hour, true},
		{"Sat, 28 Nov 2026 19:00:07 GMT", 7 * time.Second, true},
		{"Sat, 28 Nov 2026 18:59:00 GMT", 0, true}, // already past
		{"tomorrow", 0, false},
	} {
		got, ok := parseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("parseRetryAfter(%q) = (%v, %v), want (%v, %v)", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"1", "Sat, 28 Nov 2026 19:00:07 GMT", "-1", "9223372036854775807", ""} {
		f.Add(s)
	}
	now := time.Now()
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := parseRetryAfter(s, now)
		if d < 0 {
			t.Errorf("parseRetryAfter(%q) = %v", s, d)
		}
		if !ok && d != 0 {
			t.Errorf("parseRetryAfter(%q) = (%v, false)", s, d)
		}
	})
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
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
