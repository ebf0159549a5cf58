package connector

import (
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// errorBodyLimit bounds the part of an error body kept in an HTTPError: the
// connector's error JSON fits, a proxy's HTML error page does not flood logs.
const errorBodyLimit = 512

// HTTPError is a response from the connector with a status other than 200,
// 201 or 202, after any retries. Callers use StatusCode to decide (403: the
// bot was removed from the team; 404: the conversation or message is gone;
// 429: throttled) and RetryAfter to reschedule work the client gave up on.
// It never contains the request's headers, so never a token.
type HTTPError struct {
	Method     string
	URL        string
	StatusCode int
	// Body is the start of the response body (at most 512 bytes).
	Body string
	// RetryAfter is the delay the server asked for with Retry-After, or 0.
	RetryAfter time.Duration
}

func (e *HTTPError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "connector: %s %s: %d %s", e.Method, e.URL, e.StatusCode, http.StatusText(e.StatusCode))
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	if e.Body != "" {
		b.WriteString(": ")
		b.WriteString(e.Body)
	}
	return b.String()
}

// authHint is logged with a 401 or 403 because the status alone does not
// say which of the usual causes is at hand.
const authHint = "token for the wrong tenant or audience, or a serviceUrl never seen in an authenticated activity"

// truncateBody keeps the first errorBodyLimit bytes of body without cutting
// a UTF-8 sequence in two.
func truncateBody(body []byte) string {
	if len(body) > errorBodyLimit {
		body = body[:errorBodyLimit]
		// Drop the bytes of a sequence cut by the limit (at most 3).
		for i := 1; i < utf8.UTFMax && len(body) > 0; i++ {
			if r, size := utf8.DecodeLastRune(body); r != utf8.RuneError || size != 1 {
				break
			}
			body = body[:len(body)-1]
		}
	}
	return strings.TrimSpace(strings.ToValidUTF8(string(body), "\uFFFD"))
}
