package connector

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// received is one request as the fake connector saw it.
type received struct {
	Method     string
	RequestURI string // exactly as sent on the wire, escapes included
	Path       string // as decoded by the server
	Header     http.Header
	Body       []byte
}

// reply is what the fake connector answers.
type reply struct {
	Status int
	Header map[string]string
	Body   string
}

// fakeConnector is an httptest server that records every request and
// answers with respond(n) for the n-th request (0-based).
type fakeConnector struct {
	*httptest.Server
	mu      sync.Mutex
	reqs    []received
	respond func(n int, r *http.Request) reply
}

func newFakeConnector(t *testing.T, respond func(n int, r *http.Request) reply) *fakeConnector {
	t.Helper()
	f := &fakeConnector{respond: respond}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("fake connector: read body: %v", err)
		}
		f.mu.Lock()
		n := len(f.reqs)
		f.reqs = append(f.reqs, received{
			Method:     r.Method,
			RequestURI: r.RequestURI,
			Path:       r.URL.Path,
			Header:     r.Header.Clone(),
			Body:       body,
		})
		f.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body)) // for respond
		rep := reply{Status: http.StatusOK}
		if f.respond != nil {
			rep = f.respond(n, r)
		}
		for k, v := range rep.Header {
			w.Header().Set(k, v)
		}
		if rep.Body != "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(rep.Status)
		_, _ = io.WriteString(w, rep.Body)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeConnector) requests() []received {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.reqs)
}

// answer always gives the same reply.
func answer(status int, body string) func(int, *http.Request) reply {
	return func(int, *http.Request) reply { return reply{Status: status, Body: body} }
}

// fakeCredential hands out a fixed token and records the scopes asked.
type fakeCredential struct {
	token string
	err   error

	mu     sync.Mutex
	scopes [][]string
}

func (c *fakeCredential) GetToken(_ context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	c.mu.Lock()
	c.scopes = append(c.scopes, slices.Clone(opts.Scopes))
	c.mu.Unlock()
	if c.err != nil {
		return azcore.AccessToken{}, c.err
	}
	return azcore.AccessToken{Token: c.token, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func (c *fakeCredential) calls() [][]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.scopes)
}

var _ azcore.TokenCredential = (*fakeCredential)(nil)

// quietLogger keeps test output readable.
func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// fastConfig retries quickly so that retry tests take milliseconds.
func fastConfig() Config {
	return Config{
		MaxAttempts: 3,
		BaseBackoff: time.Millisecond,
		MaxBackoff:  5 * time.Millisecond,
		Logger:      quietLogger(),
	}
}

// compactJSON returns s compacted, failing the test if s is not JSON.
func compactJSON(t *testing.T, s string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// decodeJSON decodes the body of r into v.
func decodeJSON(r *http.Request, v any) error { return json.NewDecoder(r.Body).Decode(v) }
