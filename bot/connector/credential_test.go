package connector

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

func TestNewCredentialSettings(t *testing.T) {
	for _, tt := range []struct {
		name                      string
		appType, id, pass, tenant string
		wantNil                   bool
		wantErr                   string // substring; "" for no error
		wantType                  any
	}{
		{name: "no app id turns auth off", appType: "SingleTenant", wantNil: true},
		{name: "no app id, no type", wantNil: true},
		{name: "single tenant", appType: "SingleTenant", id: "app", pass: "pw", tenant: "tenant-1", wantType: &azidentity.ClientSecretCredential{}},
		{name: "type is case-insensitive", appType: "singletenant", id: "app", pass: "pw", tenant: "tenant-1", wantType: &azidentity.ClientSecretCredential{}},
		{name: "single tenant without tenant", appType: "SingleTenant", id: "app", pass: "pw", wantErr: "MicrosoftAppTenantId"},
		{name: "single tenant without password", appType: "SingleTenant", id: "app", tenant: "tenant-1", wantErr: "MicrosoftAppPassword"},
		{name: "managed identity", appType: "UserAssignedMSI", id: "client-id", wantType: &azidentity.ManagedIdentityCredential{}},
		{name: "multi tenant", appType: "MultiTenant", id: "app", pass: "pw", wantType: &azidentity.ClientSecretCredential{}},
		{name: "multi tenant without password", appType: "MultiTenant", id: "app", wantErr: "MicrosoftAppPassword"},
		{name: "empty type", id: "app", pass: "pw", wantErr: "MicrosoftAppType"},
		{name: "unknown type", appType: "Anonymous", id: "app", pass: "pw", wantErr: `"Anonymous" is unknown`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cred, err := NewCredential(tt.appType, tt.id, tt.pass, tt.tenant, nil)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "\n") {
					t.Errorf("error spans several lines: %q", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantNil {
				if cred != nil {
					t.Errorf("cred = %T, want nil", cred)
				}
				return
			}
			if fmt.Sprintf("%T", cred) != fmt.Sprintf("%T", tt.wantType) {
				t.Errorf("cred = %T, want %T", cred, tt.wantType)
			}
		})
	}
}

// fakeEntraID is a local Microsoft Entra ID token endpoint over TLS, enough
// for azidentity's client-credentials flow: the OpenID configuration of a
// tenant and its token endpoint.
type fakeEntraID struct {
	*httptest.Server
	mu     sync.Mutex
	tokens []url.Values // token requests, as posted
	paths  []string
}

func newFakeEntraID(t *testing.T) *fakeEntraID {
	t.Helper()
	f := &fakeEntraID{}
	f.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tenant, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		base := f.URL + "/" + tenant
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodGet && rest == "v2.0/.well-known/openid-configuration":
			_ = json.NewEncoder(w).Encode(map[string]any{
				"issuer":                 base + "/v2.0",
				"authorization_endpoint": base + "/oauth2/v2.0/authorize",
				"token_endpoint":         base + "/oauth2/v2.0/token",
			})
		case r.Method == http.MethodPost && rest == "oauth2/v2.0/token":
			if err := r.ParseForm(); err != nil {
				t.Errorf("token request: %v", err)
			}
			f.mu.Lock()
			f.tokens = append(f.tokens, r.PostForm)
			f.paths = append(f.paths, r.URL.Path)
			n := len(f.tokens)
			f.mu.Unlock()
			_ = json.NewEncoder(w).Encode(map[string]any{
				"token_type":   "Bearer",
				"expires_in":   3600,
				"access_token": fmt.Sprintf("token-%d-for-%s", n, tenant),
			})
		default:
			t.Errorf("fake Entra ID: unexpected %s %s", r.Method, r.URL)
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(f.Close)
	return f
}

// options point azidentity at f and trust its certificate.
func (f *fakeEntraID) options() *azidentity.ClientSecretCredentialOptions {
	return &azidentity.ClientSecretCredentialOptions{
		ClientOptions: azcore.ClientOptions{
			Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: f.URL + "/"},
			Transport: f.Client(),
		},
		DisableInstanceDiscovery: true,
	}
}

func (f *fakeEntraID) requests() ([]url.Values, []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.tokens...), append([]string(nil), f.paths...)
}

// TestCredentialAgainstLocalTokenEndpoint runs the real azidentity
// credential end to end: the token is asked with the Bot Connector scope
// from the right tenant, lands in the Authorization header, and the second
// call is served from azidentity's cache.
func TestCredentialAgainstLocalTokenEndpoint(t *testing.T) {
	for _, tt := range []struct {
		appType, tenant, wantTenant string
	}{
		{"SingleTenant", "11111111-2222-3333-4444-555555555555", "11111111-2222-3333-4444-555555555555"},
		{"MultiTenant", "ignored", "botframework.com"},
	} {
		t.Run(tt.appType, func(t *testing.T) {
			entra := newFakeEntraID(t)
			cred, err := NewCredential(tt.appType, "app-id", "app-secret", tt.tenant, entra.options())
			if err != nil {
				t.Fatal(err)
			}
			bot := newFakeConnector(t, answer(http.StatusOK, `{"id":"1"}`))
			cfg := fastConfig()
			cfg.Credential = cred
			c := New(cfg)

			for range 2 {
				if _, err := c.SendToConversation(t.Context(), bot.URL, "c", hello); err != nil {
					t.Fatal(err)
				}
			}

			forms, paths := entra.requests()
			if len(forms) != 1 {
				t.Fatalf("token endpoint hit %d times, want 1 (the second call from the cache)", len(forms))
			}
			form := forms[0]
			// MSAL adds its OpenID Connect scopes to the one asked for.
			scopes := strings.Fields(form.Get("scope"))
			if !slices.Contains(scopes, DefaultScope) {
				t.Errorf("token request scope = %q, want it to include %s", form.Get("scope"), DefaultScope)
			}
			for _, s := range scopes {
				if s != DefaultScope && !slices.Contains([]string{"openid", "offline_access", "profile"}, s) {
					t.Errorf("token request asks for unexpected scope %q", s)
				}
			}
			for k, want := range map[string]string{
				"grant_type":    "client_credentials",
				"client_id":     "app-id",
				"client_secret": "app-secret",
			} {
				if got := form.Get(k); got != want {
					t.Errorf("token request %s = %q, want %q", k, got, want)
				}
			}
			if want := "/" + tt.wantTenant + "/oauth2/v2.0/token"; paths[0] != want {
				t.Errorf("token requested at %s, want %s", paths[0], want)
			}
			wantAuth := "Bearer token-1-for-" + tt.wantTenant
			for i, r := range bot.requests() {
				if got := r.Header.Get("Authorization"); got != wantAuth {
					t.Errorf("connector request %d: Authorization = %q, want %q", i, got, wantAuth)
				}
			}
		})
	}
}
