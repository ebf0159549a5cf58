package authtest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Paths served by an Issuer, the same as login.botframework.com's.
const (
	MetadataPath = "/v1/.well-known/openidconfiguration"
	KeysPath     = "/v1/.well-known/keys"
)

// TB is the part of testing.TB that an Issuer uses. It is an interface of
// its own so that non-test programs (the load test) need not import
// package testing.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// Issuer is a local Bot Framework token service: it serves the OpenID
// metadata document and a key set of RSA keys with endorsements, counts the
// fetches of each, and mints tokens. It is safe for concurrent use.
type Issuer struct {
	t            TB // may be nil
	srv          *httptest.Server
	now          func() time.Time
	bits         int
	endorsements []string

	metadataFetches atomic.Int64
	keyFetches      atomic.Int64
	failing         atomic.Bool

	mu      sync.RWMutex
	keys    []*testKey // in the order served
	signing *testKey
}

type testKey struct {
	kid          string
	priv         *rsa.PrivateKey
	endorsements []string
}

// Option configures an Issuer.
type Option func(*Issuer)

// WithClock makes tokens' default lifetimes follow now (share it with the
// validator's Config.Now). The default is time.Now.
func WithClock(now func() time.Time) Option { return func(i *Issuer) { i.now = now } }

// WithEndorsements sets the channels that new keys of Rotate and Rollover
// (and the first key) are endorsed for. The default is ["msteams"].
func WithEndorsements(channels ...string) Option {
	return func(i *Issuer) { i.endorsements = slices.Clone(channels) }
}

// WithKeyBits sets the RSA key size (default 2048, the Bot Framework's).
// Smaller keys are refused by package auth; use them only to test that.
func WithKeyBits(bits int) Option { return func(i *Issuer) { i.bits = bits } }

// NewIssuer starts an Issuer with one signing key. t may be nil (see the
// package documentation); with a t, the server is closed at cleanup.
func NewIssuer(t TB, opts ...Option) *Issuer {
	if t != nil {
		t.Helper()
	}
	i := &Issuer{t: t, now: time.Now, bits: 2048, endorsements: []string{"msteams"}}
	for _, o := range opts {
		o(i)
	}
	first := i.newKey(i.endorsements)
	i.keys, i.signing = []*testKey{first}, first

	mux := http.NewServeMux()
	mux.HandleFunc("GET "+MetadataPath, i.serveMetadata)
	mux.HandleFunc("GET "+KeysPath, i.serveKeys)
	i.srv = httptest.NewServer(mux)
	if t != nil {
		t.Cleanup(i.srv.Close)
	}
	return i
}

// Close stops the server. Needed only when NewIssuer was given no t.
func (i *Issuer) Close() { i.srv.Close() }

// MetadataURL is the value for auth.Config.MetadataURL.
func (i *Issuer) MetadataURL() string { return i.srv.URL + MetadataPath }

// KeysURL is the key set's address, as announced in the metadata.
func (i *Issuer) KeysURL() string { return i.srv.URL + KeysPath }

// Client returns an HTTP client for the Issuer's server.
func (i *Issuer) Client() *http.Client { return i.srv.Client() }

// MetadataFetches counts the requests for the metadata document, failed
// ones included.
func (i *Issuer) MetadataFetches() int64 { return i.metadataFetches.Load() }

// KeyFetches counts the requests for the key set, failed ones included.
func (i *Issuer) KeyFetches() int64 { return i.keyFetches.Load() }

// SetFailing makes both endpoints answer 503 (true) or serve again (false),
// to test that a validator keeps its cached keys through an outage.
func (i *Issuer) SetFailing(failing bool) { i.failing.Store(failing) }

// Kid returns the kid of the current signing key.
func (i *Issuer) Kid() string {
	i.mu.RLock()
	defer i.mu.RUnlock()
	return i.signing.kid
}

// Rotate replaces the whole key set with one new key, endorsed like the
// first, which signs from now on. Tokens signed before are no longer
// verifiable. It returns the new kid.
func (i *Issuer) Rotate() string {
	k := i.newKey(i.endorsements)
	i.mu.Lock()
	defer i.mu.Unlock()
	i.keys, i.signing = []*testKey{k}, k
	return k.kid
}

// Rollover adds a new key, endorsed like the first, which signs from now on,
// and keeps the old ones published: the way Microsoft changes keys, so that
// tokens already issued stay valid. It returns the new kid.
func (i *Issuer) Rollover() string {
	k := i.newKey(i.endorsements)
	i.mu.Lock()
	defer i.mu.Unlock()
	i.keys, i.signing = append(slices.Clone(i.keys), k), k
	return k.kid
}

// AddKey publishes one more key, endorsed for exactly the given channels
// (none if there are none), without making it the signing key: mint with
// Options.Kid set to the returned kid to use it.
func (i *Issuer) AddKey(endorsements ...string) string {
	k := i.newKey(endorsements)
	i.mu.Lock()
	defer i.mu.Unlock()
	i.keys = append(slices.Clone(i.keys), k)
	return k.kid
}

// PublicKeyPEM returns the PKIX PEM of the key named kid (the signing key if
// kid is ""), the bytes an attacker would use as an HMAC secret in an
// algorithm-confusion attack. It returns nil for an unknown kid.
func (i *Issuer) PublicKeyPEM(kid string) []byte {
	k := i.lookup(kid)
	if k == nil {
		return nil
	}
	der, err := x509.MarshalPKIXPublicKey(&k.priv.PublicKey)
	if err != nil {
		i.fail("marshal public key: %v", err)
		return nil
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// lookup returns the key named kid, the signing key for "", or nil.
func (i *Issuer) lookup(kid string) *testKey {
	i.mu.RLock()
	defer i.mu.RUnlock()
	if kid == "" {
		return i.signing
	}
	for _, k := range i.keys {
		if k.kid == kid {
			return k
		}
	}
	return nil
}

func (i *Issuer) newKey(endorsements []string) *testKey {
	priv, err := rsa.GenerateKey(rand.Reader, i.bits)
	if err != nil {
		i.fail("generate RSA key: %v", err)
	}
	var id [8]byte
	if _, err := rand.Read(id[:]); err != nil {
		i.fail("generate kid: %v", err)
	}
	return &testKey{kid: hex.EncodeToString(id[:]), priv: priv, endorsements: slices.Clone(endorsements)}
}

// fail reports a failure that the caller cannot be handed as an error.
func (i *Issuer) fail(format string, args ...any) {
	if i.t != nil {
		i.t.Helper()
		i.t.Fatalf("authtest: "+format, args...)
		return
	}
	panic(fmt.Sprintf("authtest: "+format, args...))
}

func (i *Issuer) serveMetadata(w http.ResponseWriter, r *http.Request) {
	i.metadataFetches.Add(1)
	if i.failing.Load() {
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	writeJSON(w, map[string]any{
		"issuer":                                BotFrameworkIssuer,
		"jwks_uri":                              "http://" + r.Host + KeysPath,
		"id_token_signing_alg_values_supported": []string{"RS256"},
	})
}

func (i *Issuer) serveKeys(w http.ResponseWriter, _ *http.Request) {
	i.keyFetches.Add(1)
	if i.failing.Load() {
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	i.mu.RLock()
	keys := make([]map[string]any, 0, len(i.keys))
	for _, k := range i.keys {
		pub := k.priv.PublicKey
		keys = append(keys, map[string]any{
			"kty":          "RSA",
			"use":          "sig",
			"kid":          k.kid,
			"n":            base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
			"e":            base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
			"endorsements": k.endorsements,
		})
	}
	i.mu.RUnlock()
	writeJSON(w, map[string]any{"keys": keys})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
