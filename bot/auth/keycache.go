package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

const (
	// maxDocBytes bounds the metadata and key set documents (a few KB in
	// practice), so that a misbehaving endpoint cannot exhaust memory.
	maxDocBytes = 1 << 20
	// emptyRetryGap spaces fetches while no key set has ever been loaded:
	// short, so that a start-up blip heals quickly, but not zero, so that a
	// flood of requests during an outage does not become a flood of fetches.
	emptyRetryGap = 5 * time.Second
	// maxKidInLog bounds the attacker-chosen kid we copy into logs and errors.
	maxKidInLog = 64
)

// keyCache holds the Bot Framework key set and decides when to fetch it
// again. Every fetch goes through one singleflight key, so at most one
// request to the metadata endpoint is in flight at a time, whatever the
// number of concurrent callers; the reasons for fetching (first load,
// scheduled refresh, unknown kid) each have their own flight too, so that
// callers with the same reason share one decision and one result.
type keyCache struct {
	metadataURL  string
	client       *http.Client
	fetchTimeout time.Duration
	refreshEvery time.Duration
	minGap       time.Duration
	now          func() time.Time
	log          *slog.Logger

	flight singleflight.Group

	mu          sync.RWMutex
	keys        keySet    // nil until the first successful fetch
	fetchedAt   time.Time // last successful fetch
	lastAttempt time.Time // last fetch attempt, successful or not
	lastUnknown time.Time // last fetch caused by an unknown kid
}

func newKeyCache(cfg Config) *keyCache {
	timeout := cfg.HTTPClient.Timeout
	if timeout <= 0 {
		timeout = DefaultHTTPTimeout
	}
	return &keyCache{
		metadataURL:  cfg.MetadataURL,
		client:       cfg.HTTPClient,
		fetchTimeout: timeout,
		refreshEvery: cfg.RefreshInterval,
		minGap:       cfg.MinRefreshGap,
		now:          cfg.Now,
		log:          cfg.Logger,
	}
}

// key returns the signing key named kid, loading or refreshing the key set
// when needed. An unknown kid provokes one refresh (Microsoft may have
// rotated keys), at most once per minGap, so that forged kids cannot make us
// fetch continuously.
func (c *keyCache) key(ctx context.Context, kid string) (signingKey, error) {
	keys, err := c.current(ctx)
	if err != nil {
		return signingKey{}, err
	}
	if k, ok := keys[kid]; ok {
		return k, nil
	}
	if err := c.attempt(ctx, "unknown-kid", func(now time.Time) bool {
		if _, known := c.keys[kid]; known || now.Sub(c.lastUnknown) < c.minGap {
			return false
		}
		c.lastUnknown = now
		c.log.InfoContext(ctx, "bot auth: token signed with an unknown key; refreshing the key set",
			slog.String("kid", clip(kid)))
		return true
	}); err != nil && ctx.Err() != nil {
		return signingKey{}, err
	}
	// Whether we fetched, joined someone else's fetch, or were rate-limited,
	// the set may now hold the key.
	if k, ok := c.loaded()[kid]; ok {
		return k, nil
	}
	return signingKey{}, fmt.Errorf("%w: %q", errUnknownKid, clip(kid))
}

// current returns the key set, fetching it first if there is none yet or if
// it is due for its scheduled refresh. A failed refresh keeps the old set.
func (c *keyCache) current(ctx context.Context) (keySet, error) {
	c.mu.RLock()
	keys, fetchedAt := c.keys, c.fetchedAt
	c.mu.RUnlock()
	now := c.now()
	switch {
	case keys == nil:
		err := c.attempt(ctx, "first-load", func(now time.Time) bool {
			return c.keys == nil && now.Sub(c.lastAttempt) >= emptyRetryGap
		})
		if keys = c.loaded(); keys == nil {
			if err == nil {
				err = errors.New("an earlier fetch failed moments ago")
			}
			return nil, fmt.Errorf("%w: %w", errNoKeys, err)
		}
	case now.Sub(fetchedAt) >= c.refreshEvery:
		err := c.attempt(ctx, "scheduled", func(now time.Time) bool {
			return now.Sub(c.fetchedAt) >= c.refreshEvery && now.Sub(c.lastAttempt) >= c.minGap
		})
		if err != nil && ctx.Err() != nil {
			return nil, err
		}
		keys = c.loaded() // refreshed, or the old set if the refresh failed
	}
	return keys, nil
}

// loaded returns the key set as it is now.
func (c *keyCache) loaded() keySet {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.keys
}

// attempt fetches the key set if due, evaluated under the lock when the
// flight for reason starts, still holds. due may record state (it runs with
// c.mu held). Concurrent callers with the same reason join one flight. The
// caller stops waiting when ctx ends, but the fetch goes on for the others.
func (c *keyCache) attempt(ctx context.Context, reason string, due func(now time.Time) bool) error {
	ch := c.flight.DoChan(reason, func() (any, error) {
		c.mu.Lock()
		ok := due(c.now())
		c.mu.Unlock()
		if !ok {
			return nil, nil
		}
		return nil, c.fetchShared(ctx, reason)
	})
	select {
	case <-ctx.Done():
		return fmt.Errorf("waiting for the key set: %w", ctx.Err())
	case r := <-ch:
		return r.Err
	}
}

// fetchShared runs one fetch, or joins the one in flight.
func (c *keyCache) fetchShared(ctx context.Context, reason string) error {
	_, err, _ := c.flight.Do("fetch", func() (any, error) {
		return nil, c.refresh(ctx, reason)
	})
	return err
}

// refresh fetches the metadata and the key set and publishes the new set.
// It is detached from the caller's cancellation: other callers may be
// waiting for it, and it has its own timeout.
func (c *keyCache) refresh(ctx context.Context, reason string) error {
	c.mu.Lock()
	c.lastAttempt = c.now()
	had := len(c.keys)
	c.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.fetchTimeout)
	defer cancel()
	keys, err := c.fetch(ctx)
	if err != nil {
		if had > 0 {
			c.log.WarnContext(ctx, "bot auth: key set refresh failed; keeping the cached keys",
				slog.String("reason", reason), slog.Int("cached_keys", had), slog.Any("error", err))
		} else {
			c.log.ErrorContext(ctx, "bot auth: cannot load the key set; requests will be refused",
				slog.String("reason", reason), slog.Any("error", err))
		}
		return err
	}
	c.mu.Lock()
	c.keys = keys
	c.fetchedAt = c.now()
	c.mu.Unlock()
	c.log.InfoContext(ctx, "bot auth: key set loaded",
		slog.String("reason", reason), slog.Int("keys", len(keys)))
	return nil
}

// fetch reads the metadata document, then the key set it points to. The
// metadata is read again on every refresh because Microsoft may move the key
// set.
func (c *keyCache) fetch(ctx context.Context) (keySet, error) {
	body, err := c.get(ctx, c.metadataURL)
	if err != nil {
		return nil, fmt.Errorf("metadata: %w", err)
	}
	jwksURL, err := parseMetadata(body, c.metadataURL)
	if err != nil {
		return nil, err
	}
	if body, err = c.get(ctx, jwksURL); err != nil {
		return nil, fmt.Errorf("key set: %w", err)
	}
	keys, skipped, err := parseJWKS(body)
	for _, s := range skipped {
		c.log.WarnContext(ctx, "bot auth: skipping a key of the key set", slog.Any("error", s))
	}
	return keys, err
}

func (c *keyCache) get(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDocBytes))
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxDocBytes+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", url, err)
	}
	if len(body) > maxDocBytes {
		return nil, fmt.Errorf("GET %s: document larger than %d bytes", url, maxDocBytes)
	}
	return body, nil
}

// clip shortens an attacker-chosen string before it goes into a log line.
func clip(s string) string {
	if len(s) > maxKidInLog {
		return s[:maxKidInLog] + "…"
	}
	return s
}
