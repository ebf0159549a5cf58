package connector

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
)

// DefaultScope is the OAuth scope of the Bot Connector in the public cloud.
// A token for any other audience is refused with 401.
const DefaultScope = "https://api.botframework.com/.default"

const (
	defaultTimeout     = 15 * time.Second
	defaultMaxAttempts = 4
	defaultBaseBackoff = 250 * time.Millisecond
	defaultMaxBackoff  = 10 * time.Second
)

// Config configures a Client. The zero value is usable: it sends without
// authentication (as the Agents Playground wants) with the defaults below.
type Config struct {
	// Credential provides the bearer token of every request. Nil turns
	// authentication off: no Authorization header is sent at all, which is
	// what the Microsoft 365 Agents Playground expects. See NewCredential.
	Credential azcore.TokenCredential

	// Scope is the scope asked of Credential; DefaultScope when empty.
	Scope string

	// HTTPClient sends the requests; when nil, a client with a 15 s timeout,
	// so that a stalled connector cannot hold a turn forever.
	HTTPClient *http.Client

	// MaxAttempts bounds the number of tries of one call, the first
	// included (4 when zero or negative; 1 disables retries).
	MaxAttempts int

	// BaseBackoff is the wait before the first retry, doubled at each
	// further retry up to MaxBackoff, with jitter so that many senders
	// throttled at once do not retry in step (250 ms and 10 s by default).
	//
	// MaxBackoff caps the client's own backoff, not the server's word: a
	// Retry-After of up to 60 s is waited in full (retrying sooner only
	// earns another 429), a longer one ends the call with an *HTTPError
	// whose RetryAfter lets the caller reschedule. No wait outlives the
	// context: when its deadline comes first, the call ends at once.
	BaseBackoff time.Duration
	MaxBackoff  time.Duration

	// Logger receives one line per retry and per failed call; slog.Default
	// when nil. Tokens are never logged.
	Logger *slog.Logger
}

// Client sends to the Bot Connector. It holds no mutable state after New,
// so one Client is safe for concurrent use by any number of goroutines
// (token caching is left to the credential: azidentity caches and refreshes
// its tokens itself).
type Client struct {
	cred        azcore.TokenCredential
	scope       string
	http        *http.Client
	maxAttempts int
	baseBackoff time.Duration
	maxBackoff  time.Duration
	log         *slog.Logger
}

// New returns a Client for cfg, with defaults in place of zero fields.
func New(cfg Config) *Client {
	c := &Client{
		cred:        cfg.Credential,
		scope:       cfg.Scope,
		http:        cfg.HTTPClient,
		maxAttempts: cfg.MaxAttempts,
		baseBackoff: cfg.BaseBackoff,
		maxBackoff:  cfg.MaxBackoff,
		log:         cfg.Logger,
	}
	if c.scope == "" {
		c.scope = DefaultScope
	}
	if c.http == nil {
		c.http = &http.Client{Timeout: defaultTimeout}
	}
	if c.maxAttempts <= 0 {
		c.maxAttempts = defaultMaxAttempts
	}
	if c.baseBackoff <= 0 {
		c.baseBackoff = defaultBaseBackoff
	}
	if c.maxBackoff <= 0 {
		c.maxBackoff = defaultMaxBackoff
	}
	if c.maxBackoff < c.baseBackoff {
		c.maxBackoff = c.baseBackoff
	}
	if c.log == nil {
		c.log = slog.Default()
	}
	return c
}
