package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/anras/parc/domain"
	abs "github.com/microsoft/kiota-abstractions-go"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
)

// DefaultEndpoint is Microsoft Graph's v1.0 endpoint in the public cloud.
const DefaultEndpoint = "https://graph.microsoft.com/v1.0"

// Config says how to reach Graph.
type Config struct {
	// Endpoint is Graph's base URL (GRAPH_ENDPOINT); DefaultEndpoint when
	// empty. Plain http is refused except on a loopback address (tests).
	Endpoint string
	// Credential gets the tokens (azidentity: client secret, certificate
	// or managed identity).
	Credential azcore.TokenCredential
	// Scopes default to the endpoint's host with "/.default".
	Scopes []string
	// Transport sends the requests (http.DefaultTransport's settings when
	// nil). Tests and benchmarks count or slow requests with it.
	Transport http.RoundTripper
	// MaxAttempts bounds the tries of one request (default 5).
	MaxAttempts int
	// BaseDelay is the first backoff when Graph gives no Retry-After
	// (default 500 ms); MaxDelay caps any wait (default 2 minutes).
	BaseDelay, MaxDelay time.Duration
	// RequestTimeout bounds one HTTP exchange (default 60 s).
	RequestTimeout time.Duration
	// PageSize is the $top of member lists (default and maximum 999).
	PageSize int32
	Logger   *slog.Logger
}

// Client is the Graph directory. It implements domain.Directory and
// domain.LicenceDirectory and is safe for concurrent use.
type Client struct {
	sdk      *msgraphsdk.GraphServiceClient
	retry    *retryTransport
	pageSize int32
	log      *slog.Logger
	endpoint string
}

var (
	_ domain.Directory        = (*Client)(nil)
	_ domain.LicenceDirectory = (*Client)(nil)
)

// New returns a client for cfg. It makes no request.
func New(cfg Config) (*Client, error) {
	if cfg.Endpoint == "" {
		cfg.Endpoint = DefaultEndpoint
	}
	cfg.Endpoint = strings.TrimRight(cfg.Endpoint, "/")
	u, err := checkEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	if cfg.Credential == nil {
		return nil, errors.New("graph: no credential")
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = []string{u.Scheme + "://" + u.Host + "/.default"}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.PageSize <= 0 || cfg.PageSize > 999 {
		cfg.PageSize = 999
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 60 * time.Second
	}
	rt := newRetryTransport(cfg)
	hc := &http.Client{Transport: rt, Timeout: cfg.RequestTimeout,
		// Graph answers what it has; a redirect is not followed with the token.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	auth := &tokenAuth{cred: cfg.Credential, scopes: cfg.Scopes, host: u.Host}
	adapter, err := msgraphsdk.NewGraphRequestAdapterWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(auth, nil, nil, hc)
	if err != nil {
		return nil, fmt.Errorf("graph: %w", err)
	}
	adapter.SetBaseUrl(cfg.Endpoint)
	return &Client{sdk: msgraphsdk.NewGraphServiceClient(adapter), retry: rt, pageSize: cfg.PageSize, log: cfg.Logger, endpoint: cfg.Endpoint}, nil
}

// Requests returns how many HTTP requests the client sent (retries
// included) and how many of them were retries.
func (c *Client) Requests() (sent, retried int64) {
	return c.retry.sent.Load(), c.retry.retried.Load()
}

// Endpoint is the Graph base URL the client uses.
func (c *Client) Endpoint() string { return c.endpoint }

func checkEndpoint(endpoint string) (*url.URL, error) {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("graph: GRAPH_ENDPOINT=%q is not a URL such as %s", endpoint, DefaultEndpoint)
	}
	if u.Scheme == "http" && !loopback(u.Hostname()) {
		return nil, fmt.Errorf("graph: GRAPH_ENDPOINT=%q: use https (plain http is only for a test server on 127.0.0.1)", endpoint)
	}
	return u, nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// tokenAuth puts the bearer token on requests to the Graph host only: an
// @odata.nextLink to another host would never receive it.
type tokenAuth struct {
	cred   azcore.TokenCredential
	scopes []string
	host   string
}

func (a *tokenAuth) AuthenticateRequest(ctx context.Context, req *abs.RequestInformation, _ map[string]any) error {
	u, err := req.GetUri()
	if err != nil {
		return err
	}
	if !strings.EqualFold(u.Host, a.host) {
		return fmt.Errorf("graph: refusing to send the token to %s (not %s)", u.Host, a.host)
	}
	tok, err := a.cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: a.scopes})
	if err != nil {
		return domain.Wrap(fmt.Errorf("graph: get a token for %v: %w", a.scopes, err), domain.EUNAVAILABLE, "error.unavailable")
	}
	req.Headers.Add("Authorization", "Bearer "+tok.Token)
	return nil
}

// statusCoder is what the SDK's errors (ODataError, ApiError) tell.
type statusCoder interface{ GetStatusCode() int }

// classify turns a Graph failure into a domain error: 404 is ENOTFOUND
// (notFound is its catalogue key and args), anything else EUNAVAILABLE,
// with the cause kept for the logs.
func classify(err error, op string, notFound string, args ...any) error {
	if err == nil {
		return nil
	}
	if domain.AsError(err) != nil {
		return err
	}
	var sc statusCoder
	status := 0
	if errors.As(err, &sc) {
		status = sc.GetStatusCode()
	}
	cause := fmt.Errorf("graph (%s): %w", op, err)
	if status != 0 {
		cause = fmt.Errorf("HTTP %d from Graph (%s): %w", status, op, err)
	}
	switch {
	case status == http.StatusNotFound && notFound != "":
		return domain.Wrap(cause, domain.ENOTFOUND, notFound, args...)
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return domain.Wrap(fmt.Errorf("%w (grant the application User.Read.All, GroupMember.Read.All and LicenseAssignment.Read.All)", cause), domain.EUNAVAILABLE, "error.unavailable")
	}
	return domain.Wrap(cause, domain.EUNAVAILABLE, "error.unavailable")
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
