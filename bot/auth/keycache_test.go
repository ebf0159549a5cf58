package auth

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/anras/parc/bot/auth/authtest"
)

func TestMetadataNotRefetchedPerRequest(t *testing.T) {
	f := newFixture(t, nil) // no Warm: the first request loads the keys
	for i := range 100 {
		if _, err := f.authenticate(t, teamsActivity(), f.iss.Header(authtest.Options{})); err != nil {
			t.Fatalf("validation %d refused: %v", i, err)
		}
		f.clock.Advance(time.Minute) // 100 minutes: well inside the refresh interval
	}
	if got := f.fetches(); got != [2]int64{1, 1} {
		t.Fatalf("fetches = %v over 100 validations, want [1 1]", got)
	}
}

func TestScheduledRefresh(t *testing.T) {
	f := newFixture(t, nil)
	if err := f.v.Warm(t.Context()); err != nil {
		t.Fatalf("Warm: %v", err)
	}
	validate := func(want [2]int64) {
		t.Helper()
		if _, err := f.authenticate(t, teamsActivity(), f.iss.Header(authtest.Options{})); err != nil {
			t.Fatalf("refused: %v", err)
		}
		if got := f.fetches(); got != want {
			t.Fatalf("fetches = %v, want %v", got, want)
		}
	}
	f.clock.Advance(DefaultRefreshInterval - time.Second)
	validate([2]int64{1, 1}) // not yet due
	f.clock.Advance(time.Second)
	validate([2]int64{2, 2}) // due: refreshed once
	validate([2]int64{2, 2}) // and not again
}

// TestRefreshFailureKeepsCachedKeys: when the key set cannot be refreshed,
// the cached keys keep serving, the failure is logged, and retries are
// spaced by MinRefreshGap.
func TestRefreshFailureKeepsCachedKeys(t *testing.T) {
	f := newFixture(t, nil)
	if err := f.v.Warm(t.Context()); err != nil {
		t.Fatalf("Warm: %v", err)
	}
	validate := func(wantMetadataFetches int64) {
		t.Helper()
		if _, err := f.authenticate(t, teamsActivity(), f.iss.Header(authtest.Options{})); err != nil {
			t.Fatalf("refused while the cache holds the key: %v", err)
		}
		if got := f.iss.MetadataFetches(); got != wantMetadataFetches {
			t.Fatalf("metadata fetches = %d, want %d", got, wantMetadataFetches)
		}
	}
	f.iss.SetFailing(true)
	f.clock.Advance(DefaultRefreshInterval + time.Hour)
	validate(2) // one failed attempt
	if logs := f.logs.String(); !strings.Contains(logs, "keeping the cached keys") || !strings.Contains(logs, "503") {
		t.Fatalf("the failed refresh was not logged with its cause:\n%s", logs)
	}
	validate(2) // no retry within the gap
	f.clock.Advance(DefaultMinRefreshGap)
	validate(3) // one retry, failed again
	f.iss.SetFailing(false)
	f.clock.Advance(DefaultMinRefreshGap)
	validate(4) // recovered
	f.clock.Advance(DefaultMinRefreshGap)
	validate(4) // fresh again: no more fetches
	if got := f.iss.KeyFetches(); got != 2 {
		t.Fatalf("key set fetches = %d, want 2 (Warm, recovery)", got)
	}
}

// TestFirstLoadFailure: with no cached keys, requests are refused while the
// key set cannot be loaded, fetches are spaced, and the first request after
// the outage loads the keys.
func TestFirstLoadFailure(t *testing.T) {
	f := newFixture(t, nil)
	f.iss.SetFailing(true)
	if err := f.v.Warm(t.Context()); err == nil || !strings.Contains(err.Error(), f.iss.MetadataURL()) {
		t.Fatalf("Warm during the outage: err = %v, want an error naming the metadata URL", err)
	}
	refuse := func(wantMetadataFetches int64) {
		t.Helper()
		_, err := f.authenticate(t, teamsActivity(), f.iss.Header(authtest.Options{}))
		if !errors.Is(err, ErrUnauthorized) || !errors.Is(err, errNoKeys) {
			t.Fatalf("err = %v, want ErrUnauthorized (no keys)", err)
		}
		if got := f.iss.MetadataFetches(); got != wantMetadataFetches {
			t.Fatalf("metadata fetches = %d, want %d", got, wantMetadataFetches)
		}
	}
	refuse(1) // Warm's attempt is recent: the request does not fetch
	f.clock.Advance(emptyRetryGap)
	refuse(2)
	refuse(2)
	f.iss.SetFailing(false)
	f.clock.Advance(emptyRetryGap)
	if _, err := f.authenticate(t, teamsActivity(), f.iss.Header(authtest.Options{})); err != nil {
		t.Fatalf("refused after the outage: %v", err)
	}
	if got := f.fetches(); got != [2]int64{3, 1} {
		t.Fatalf("fetches = %v, want [3 1]", got)
	}
	if !strings.Contains(f.logs.String(), "cannot load the key set") {
		t.Errorf("the outage was not logged:\n%s", f.logs)
	}
}

// TestBadDocuments: a metadata document or key set that cannot be used
// leaves the validator without keys (or with its cached ones) and says why.
func TestBadDocuments(t *testing.T) {
	cases := []struct {
		name     string
		metadata string
		keys     string
		want     string
	}{
		{"metadata not JSON", "<html>", "", "decode metadata"},
		{"metadata without jwks_uri", `{"issuer":"x"}`, "", "no jwks_uri"},
		{"relative jwks_uri", `{"jwks_uri":"/keys"}`, "", "not an absolute"},
		{"key set not JSON", `{"jwks_uri":"KEYS"}`, "nope", "decode key set"},
		{"key set without keys", `{"jwks_uri":"KEYS"}`, `{"keys":[]}`, "no usable RS256 key"},
		{"key set of EC keys", `{"jwks_uri":"KEYS"}`, `{"keys":[{"kty":"EC","kid":"a"}]}`, "no usable RS256 key"},
		{"huge key set", `{"jwks_uri":"KEYS"}`, `{"keys":[` + strings.Repeat(" ", maxDocBytes) + `]}`, "larger than"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var srv *httptest.Server
			srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/keys" {
					_, _ = w.Write([]byte(c.keys))
					return
				}
				_, _ = w.Write([]byte(strings.ReplaceAll(c.metadata, "KEYS", srv.URL+"/keys")))
			}))
			defer srv.Close()
			v := New(Config{AppID: authtest.DefaultAppID, MetadataURL: srv.URL + "/meta"})
			err := v.Warm(context.Background())
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Warm: err = %v, want it to mention %q", err, c.want)
			}
		})
	}
}

// TestCallerContextEndsWait: a caller whose context ends stops waiting for
// a slow fetch, with an error wrapping ErrUnauthorized.
func TestCallerContextEndsWait(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
		http.Error(w, "late", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	defer close(release)
	v := New(Config{AppID: authtest.DefaultAppID, MetadataURL: srv.URL})
	iss := authtest.NewIssuer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := v.AuthenticateRequest(ctx, teamsActivity(), iss.Header(authtest.Options{}), nil, "")
	if !errors.Is(err, ErrUnauthorized) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want ErrUnauthorized wrapping the deadline", err)
	}
}
