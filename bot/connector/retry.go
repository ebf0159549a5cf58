package connector

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxRetryAfter is the longest Retry-After the client waits for. A server
// asking for more is not having a blip: waiting would hold the caller's turn
// or job for minutes, so the client returns the *HTTPError (with RetryAfter
// set) and lets the caller reschedule.
const maxRetryAfter = 60 * time.Second

// retryableStatus reports whether a status is worth another try: throttling
// and the gateway and availability failures of a busy or restarting service.
// Other 4xx are the request's fault and would fail again identically.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests,
		http.StatusInternalServerError,
		http.StatusBadGateway,
		http.StatusServiceUnavailable,
		http.StatusGatewayTimeout:
		return true
	}
	return false
}

// backoff returns the wait before retry number n (1 for the first retry):
// BaseBackoff doubled n-1 times, capped at MaxBackoff, of which a random
// half is dropped ("equal jitter") so that senders throttled together
// spread out instead of retrying in step.
func (c *Client) backoff(n int) time.Duration {
	d := c.baseBackoff
	for i := 1; i < n && d < c.maxBackoff; i++ {
		d *= 2
	}
	d = min(d, c.maxBackoff)
	half := d / 2
	return half + rand.N(d-half+1)
}

// parseRetryAfter reads a Retry-After header, either delay-seconds or an
// HTTP-date (RFC 9110, section 10.2.3). ok is false when the header is
// absent or unreadable; a date in the past gives 0.
func parseRetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		// Anything beyond a day is as good as forever; cap it so the
		// multiplication cannot overflow.
		const day = 24 * 60 * 60
		return time.Duration(min(secs, day)) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}
