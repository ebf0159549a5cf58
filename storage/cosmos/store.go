package cosmos

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/data/azcosmos"
	"github.com/anras/parc/domain"
)

// Config says which account and database to use and how. Endpoint and
// Database are required, and one of Key and Credential.
type Config struct {
	Endpoint string // https://ACCOUNT.documents.azure.com:443/
	Database string
	// Key is the account key. When empty, Credential is used (in Azure,
	// azidentity's DefaultAzureCredential: the managed identity).
	Key        string
	Credential azcore.TokenCredential
	Logger     *slog.Logger // default: discard
	// Retry tunes the SDK's retries. The zero value keeps azcore's
	// defaults; tests drop 500 from StatusCodes so that an emulator bug
	// shows at once instead of being retried and hidden.
	Retry policy.RetryOptions
	// PageSize bounds the items of one query page (0: the service's
	// default). Tests make it small to prove that every page is read.
	PageSize int32
	// DialTimeout bounds the first TCP connection made by Open (default 5 s),
	// so that a wrong endpoint fails fast with its own message.
	DialTimeout time.Duration
}

// Store implements domain.Store on Azure Cosmos DB (NoSQL API).
type Store struct {
	client *azcosmos.Client
	db     *azcosmos.DatabaseClient
	log    *slog.Logger
	meter  *meter
	closed atomic.Bool

	users, conversations, activities *container
	establishments, leases           *container
	// containers holds every container by name; features look theirs up.
	containers map[string]*container
}

var _ domain.Store = (*Store)(nil)

// Open connects to the account, creates the database and the containers
// that are missing (idempotently: several instances may start at once) and
// checks that the store answers. Every error is one line that says what to
// fix: the endpoint, the key or the identity's rights.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Logger == nil {
		cfg.Logger = discard()
	}
	if cfg.Database == "" {
		return nil, errors.New("cosmos: the database name is empty")
	}
	u, err := checkEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	if err := dial(ctx, u, cfg.DialTimeout); err != nil {
		return nil, err
	}
	m := &meter{log: cfg.Logger}
	client, err := newClient(cfg, m)
	if err != nil {
		return nil, err
	}
	s := &Store{client: client, log: cfg.Logger, meter: m}
	if s.db, err = client.NewDatabase(cfg.Database); err != nil {
		return nil, fmt.Errorf("cosmos: %w", err)
	}
	if err := s.ensureSchema(ctx, cfg); err != nil {
		return nil, s.explain(cfg, err)
	}
	if err := s.Ping(ctx); err != nil {
		return nil, s.explain(cfg, err)
	}
	cfg.Logger.Info("cosmos store ready", "endpoint", cfg.Endpoint, "database", cfg.Database, "auth", authKind(cfg))
	return s, nil
}

// newClient builds the SDK's client with the key or the token credential,
// the retry options and the meter on every try.
func newClient(cfg Config, m *meter) (*azcosmos.Client, error) {
	opts := &azcosmos.ClientOptions{}
	opts.Retry = cfg.Retry
	opts.PerRetryPolicies = []policy.Policy{m}
	if cfg.Key == "" {
		if cfg.Credential == nil {
			return nil, errors.New("cosmos: neither a key nor a credential was given")
		}
		client, err := azcosmos.NewClient(cfg.Endpoint, cfg.Credential, opts)
		if err != nil {
			return nil, fmt.Errorf("cosmos: client for %s: %w", cfg.Endpoint, err)
		}
		return client, nil
	}
	cred, err := azcosmos.NewKeyCredential(cfg.Key)
	if err != nil {
		return nil, fmt.Errorf("cosmos: COSMOS_KEY is not an account key (base64): %w", err)
	}
	client, err := azcosmos.NewClientWithKey(cfg.Endpoint, cred, opts)
	if err != nil {
		return nil, fmt.Errorf("cosmos: client for %s: %w", cfg.Endpoint, err)
	}
	return client, nil
}

func authKind(cfg Config) string {
	if cfg.Key != "" {
		return "key"
	}
	return "entra-id"
}

// checkEndpoint refuses what cannot be an account endpoint before any
// network call.
func checkEndpoint(endpoint string) (*url.URL, error) {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("cosmos: COSMOS_ENDPOINT=%q is not an account URL such as https://ACCOUNT.documents.azure.com:443/", endpoint)
	}
	return u, nil
}

// dial opens and closes one TCP connection: a wrong host or port then fails
// in seconds with the network's own words, where the SDK would retry for a
// minute (a DNS failure up to 120 times).
func dial(ctx context.Context, u *url.URL, timeout time.Duration) error {
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"https": "443", "http": "80"}[u.Scheme]
	}
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(u.Hostname(), port))
	if err != nil {
		return fmt.Errorf("cosmos: cannot reach COSMOS_ENDPOINT %s: %w", u.Redacted(), err)
	}
	return conn.Close()
}

// explain turns a failure at start-up into one line that names the setting
// to fix.
func (s *Store) explain(cfg Config, err error) error {
	status := statusOf(err)
	if status == 0 {
		// The SDK reports the first failure of a new client (reading the
		// account) as text; the meter saw its status.
		status = int(s.meter.lastStatus.Load())
	}
	switch status {
	case http.StatusUnauthorized:
		if cfg.Key != "" {
			return fmt.Errorf("cosmos: %s refused COSMOS_KEY (HTTP 401): copy the account's primary key again", cfg.Endpoint)
		}
		return fmt.Errorf("cosmos: %s refused the Entra ID token (HTTP 401): check the managed identity (AZURE_CLIENT_ID) or set COSMOS_KEY", cfg.Endpoint)
	case http.StatusForbidden:
		return fmt.Errorf("cosmos: %s forbids this identity (HTTP 403): grant it the Cosmos DB Built-in Data Contributor role, or allow this network: %s", cfg.Endpoint, oneLine(err))
	}
	return fmt.Errorf("cosmos: %s database %q: %s", cfg.Endpoint, cfg.Database, oneLine(err))
}

// oneLine keeps the first line of an error: azcore's errors print the
// whole HTTP response.
func oneLine(err error) string {
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = strings.TrimSpace(msg[:i])
	}
	return msg
}

// Ping reads the database's properties: a real round trip that checks the
// endpoint, the credential and the database, for one metadata read.
func (s *Store) Ping(ctx context.Context) error {
	if s.closed.Load() {
		return errors.New("cosmos: store closed")
	}
	if _, err := s.db.Read(ctx, nil); err != nil {
		return fail("ping", s.db.ID(), err)
	}
	return nil
}

// Close marks the store closed and logs its totals. The SDK's client holds
// no resource that needs releasing beyond idle HTTP connections.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	st := s.Stats()
	s.log.Info("cosmos store closed", "requests", st.Requests, "throttled", st.Throttled, "request_charge", st.RequestCharge)
	return nil
}

// Stats returns the requests, throttled requests (429) and request units
// since Open.
func (s *Store) Stats() Stats { return s.meter.stats() }
