package connector

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// responseBodyLimit bounds what is read of a successful response: the
// connector answers with a small JSON object or a list of members.
const responseBodyLimit = 4 << 20

// result is the outcome of one attempt.
type result struct {
	body  []byte
	err   error
	retry bool          // the failure is transient
	after time.Duration // the server's Retry-After, or 0
}

// do sends one call to the connector, retrying transient failures. body is
// nil for a call without one; it is re-read from the start at each attempt.
// It returns the body of the successful response.
//
// A POST retried after a network error may have reached the connector
// before the connection broke, in which case the message is posted twice:
// the Bot Connector has no idempotency key, and losing a message is judged
// worse than a rare duplicate.
func (c *Client) do(ctx context.Context, method, target string, body []byte) ([]byte, error) {
	if err := c.checkTarget(target); err != nil {
		return nil, fmt.Errorf("connector: %s %s: %w", method, target, err)
	}
	start := time.Now()
	for attempt := 1; ; attempt++ {
		r := c.attempt(ctx, method, target, body)
		if r.err == nil {
			c.log.DebugContext(ctx, "connector call succeeded", "method", method, "url", target, "attempt", attempt, "elapsed", time.Since(start))
			return r.body, nil
		}
		log := c.log.With("method", method, "url", target, "attempt", attempt)
		wait, why := c.retryWait(ctx, r, attempt)
		if why != "" {
			c.logFailure(ctx, log, r.err, why)
			return nil, r.err
		}
		log.WarnContext(ctx, "connector call failed, retrying", "error", r.err, "wait", wait)
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, fmt.Errorf("connector: %s %s: stopped waiting to retry: %w (last failure: %w)", method, target, ctx.Err(), r.err)
		case <-timer.C:
		}
	}
}

// retryWait decides whether a failed attempt is tried again and after how
// long. why is empty when it is, and otherwise says why not, for the log.
func (c *Client) retryWait(ctx context.Context, r result, attempt int) (wait time.Duration, why string) {
	switch {
	case !r.retry:
		return 0, "not retryable"
	case attempt >= c.maxAttempts:
		return 0, "attempts exhausted"
	case r.after > maxRetryAfter:
		return 0, "Retry-After too long"
	}
	// Never retry sooner than the server asked: it would only earn another
	// 429. The backoff still applies when Retry-After is shorter or absent.
	wait = max(c.backoff(attempt), r.after)
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
		return 0, "context deadline before next attempt"
	}
	return wait, ""
}

func (c *Client) logFailure(ctx context.Context, log *slog.Logger, err error, why string) {
	attrs := []any{"error", err, "reason", why}
	var he *HTTPError
	if errors.As(err, &he) && (he.StatusCode == http.StatusUnauthorized || he.StatusCode == http.StatusForbidden) {
		attrs = append(attrs, "hint", authHint, "authenticated", c.cred != nil)
	}
	log.WarnContext(ctx, "connector call failed", attrs...)
}

// attempt makes one request and classifies its outcome.
func (c *Client) attempt(ctx context.Context, method, target string, body []byte) result {
	if err := ctx.Err(); err != nil {
		return result{err: fmt.Errorf("connector: %s %s: %w", method, target, err)}
	}
	var rd io.Reader = http.NoBody
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return result{err: fmt.Errorf("connector: %s %s: %w", method, target, err)}
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	if c.cred != nil {
		// Asked at every attempt: the credential serves its cache and
		// refreshes a token that expired while we were backing off.
		tok, err := c.cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{c.scope}})
		if err != nil {
			// azidentity already retried whatever was transient.
			return result{err: fmt.Errorf("connector: %s %s: get token for %s: %w", method, target, c.scope, err)}
		}
		req.Header.Set("Authorization", "Bearer "+tok.Token)
	}

	resp, err := c.http.Do(req)
	if err != nil {
		// *url.Error names the method and URL, never the headers.
		return result{err: fmt.Errorf("connector: %w", err), retry: ctx.Err() == nil}
	}
	defer func() {
		// Drain a little so that the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		_ = resp.Body.Close()
	}()

	switch resp.StatusCode {
	case http.StatusOK, http.StatusCreated, http.StatusAccepted:
		data, err := io.ReadAll(io.LimitReader(resp.Body, responseBodyLimit))
		if err != nil {
			// The connector did what was asked; failing the call now would
			// make the caller send it again.
			c.log.WarnContext(ctx, "connector response body unreadable", "method", method, "url", target, "error", err)
			return result{}
		}
		return result{body: data}
	}

	data, _ := io.ReadAll(io.LimitReader(resp.Body, errorBodyLimit+utfSlack))
	he := &HTTPError{
		Method:     method,
		URL:        target,
		StatusCode: resp.StatusCode,
		Body:       truncateBody(data),
	}
	he.RetryAfter, _ = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	return result{err: he, retry: retryableStatus(resp.StatusCode), after: he.RetryAfter}
}

// utfSlack lets truncateBody see that the byte at the limit starts a
// sequence, not that it ends the body.
const utfSlack = 4

// checkTarget refuses a URL that is not http(s) with a host, and refuses to
// send a bearer token in clear text anywhere but to this machine (the
// Playground and tests listen on loopback over plain HTTP).
func (c *Client) checkTarget(target string) error {
	u, err := url.Parse(target)
	if err != nil {
		return err
	}
	if u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return errors.New("URL must be absolute http or https")
	}
	if c.cred != nil && u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return errors.New("refusing to send a bearer token over plain http to a remote host")
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
