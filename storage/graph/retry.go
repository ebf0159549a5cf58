package graph

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// retryTransport retries what Graph asks to retry: 429 (throttled), 503
// and 504, and requests that never got an answer. It waits what
// Retry-After says, else an exponential backoff with jitter, never past
// the request's deadline (the run's timeout): a wait that would end after
// it gives up at once with the last answer.
type retryTransport struct {
	base        http.RoundTripper
	maxAttempts int
	baseDelay   time.Duration
	maxDelay    time.Duration
	log         *slog.Logger
	sleep       func(ctx context.Context, d time.Duration) error

	sent, retried atomic.Int64
}

func newRetryTransport(cfg Config) *retryTransport {
	rt := &retryTransport{base: cfg.Transport, maxAttempts: cfg.MaxAttempts, baseDelay: cfg.BaseDelay, maxDelay: cfg.MaxDelay, log: cfg.Logger, sleep: sleepCtx}
	if rt.base == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		// The summary reads several groups at once: keep their connections.
		t.MaxIdleConnsPerHost = 32
		rt.base = t
	}
	if rt.maxAttempts <= 0 {
		rt.maxAttempts = 5
	}
	if rt.baseDelay <= 0 {
		rt.baseDelay = 500 * time.Millisecond
	}
	if rt.maxDelay <= 0 {
		rt.maxDelay = 2 * time.Minute
	}
	return rt
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func retryableStatus(code int) bool {
	return code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable || code == http.StatusGatewayTimeout
}

// RoundTrip sends req, retrying as described above.
func (rt *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	for attempt := 1; ; attempt++ {
		if attempt > 1 {
			if req.Body != nil && req.GetBody == nil {
				return nil, fmt.Errorf("graph: cannot resend a request whose body cannot be read again")
			}
			if req.GetBody != nil {
				body, err := req.GetBody()
				if err != nil {
					return nil, err
				}
				req = req.Clone(ctx)
				req.Body = body
			}
			rt.retried.Add(1)
		}
		rt.sent.Add(1)
		resp, err := rt.base.RoundTrip(req)
		if ctx.Err() != nil {
			if resp != nil {
				resp.Body.Close()
			}
			return nil, ctx.Err()
		}
		if err == nil && !retryableStatus(resp.StatusCode) {
			return resp, nil
		}
		if attempt >= rt.maxAttempts {
			return resp, err
		}
		wait := rt.backoff(attempt)
		if err == nil {
			if ra, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
				wait = ra
			}
		}
		if wait > rt.maxDelay {
			wait = rt.maxDelay
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			// Waiting would outlive the run: give the answer we have.
			return resp, err
		}
		status := 0
		if resp != nil {
			status = resp.StatusCode
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
		}
		rt.log.Warn("graph request retried", "path", req.URL.Path, "status", status, "err", err, "attempt", attempt, "wait_ms", wait.Milliseconds())
		if err := rt.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// backoff is 1, 2, 4... times baseDelay, with up to 50% jitter.
func (rt *retryTransport) backoff(attempt int) time.Duration {
	d := rt.baseDelay << min(attempt-1, 10)
	return d + rand.N(d/2+1)
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
