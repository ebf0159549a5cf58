package authtest

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

type served struct {
	Keys []struct {
		Kid          string   `json:"kid"`
		Endorsements []string `json:"endorsements"`
	} `json:"keys"`
}

func get(t *testing.T, url string, into any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if into != nil && resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(body, into); err != nil {
			t.Fatalf("decode %s: %v", url, err)
		}
	}
	return resp.StatusCode
}

func kids(t *testing.T, i *Issuer) map[string][]string {
	t.Helper()
	var doc served
	get(t, i.KeysURL(), &doc)
	out := map[string][]string{}
	for _, k := range doc.Keys {
		out[k.Kid] = k.Endorsements
	}
	return out
}

func TestIssuerServesAndRotates(t *testing.T) {
	i := NewIssuer(t)
	var meta struct {
		JWKSURI string `json:"jwks_uri"`
		Issuer  string `json:"issuer"`
	}
	get(t, i.MetadataURL(), &meta)
	if meta.JWKSURI != i.KeysURL() || meta.Issuer != BotFrameworkIssuer {
		t.Fatalf("metadata = %+v, want jwks_uri %s", meta, i.KeysURL())
	}
	first := i.Kid()
	if got := kids(t, i); !slices.Equal(got[first], []string{"msteams"}) || len(got) != 1 {
		t.Fatalf("key set = %v, want only %s endorsed for msteams", got, first)
	}
	rolled := i.Rollover()
	webchat := i.AddKey("webchat")
	if got := kids(t, i); len(got) != 3 || got[first] == nil || !slices.Equal(got[webchat], []string{"webchat"}) || i.Kid() != rolled {
		t.Fatalf("after Rollover and AddKey: %v, signing %s; want 3 keys, signing %s", got, i.Kid(), rolled)
	}
	rotated := i.Rotate()
	if got := kids(t, i); len(got) != 1 || got[rotated] == nil || i.Kid() != rotated {
		t.Fatalf("after Rotate: %v, want only %s", got, rotated)
	}
	if i.MetadataFetches() != 1 || i.KeyFetches() != 3 {
		t.Fatalf("fetches = %d, %d; want 1, 3", i.MetadataFetches(), i.KeyFetches())
	}
	i.SetFailing(true)
	if code := get(t, i.KeysURL(), nil); code != http.StatusServiceUnavailable || i.KeyFetches() != 4 {
		t.Fatalf("failing: status %d, fetches %d; want 503, 4", code, i.KeyFetches())
	}
}

func TestSignedTokenShapes(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	i := NewIssuer(nil, WithClock(func() time.Time { return now }))
	defer i.Close()
	decode := func(tok string) (header, claims map[string]any, sig string) {
		parts := strings.Split(tok, ".")
		if len(parts) != 3 {
			t.Fatalf("token %q has %d parts", tok, len(parts))
		}
		for n, into := range []*map[string]any{&header, &claims} {
			b, err := base64.RawURLEncoding.DecodeString(parts[n])
			if err != nil || json.Unmarshal(b, into) != nil {
				t.Fatalf("part %d of %q does not decode", n, tok)
			}
		}
		return header, claims, parts[2]
	}

	h, c, sig := decode(i.Token(Options{}))
	if h["alg"] != "RS256" || h["kid"] != i.Kid() || sig == "" ||
		c["aud"] != DefaultAppID || c["iss"] != BotFrameworkIssuer || c["serviceurl"] != DefaultServiceURL ||
		c["exp"] != float64(now.Add(DefaultLifetime).Unix()) || c["nbf"] != float64(now.Add(-time.Minute).Unix()) {
		t.Fatalf("default token: header %v, claims %v", h, c)
	}
	h, c, sig = decode(i.Token(Options{Alg: "none", Kid: "ghost", NoExpiry: true, Claims: map[string]any{"nbf": nil, "tid": "x"}}))
	if h["alg"] != "none" || h["kid"] != "ghost" || sig != "" || c["exp"] != nil || c["nbf"] != nil || c["tid"] != "x" {
		t.Fatalf("none token: header %v, claims %v, sig %q", h, c, sig)
	}
	h, _, _ = decode(i.Token(Options{Alg: "HS256", NoKid: true}))
	if h["alg"] != "HS256" || h["kid"] != nil {
		t.Fatalf("HS256 token header %v", h)
	}
	if !strings.HasPrefix(string(i.PublicKeyPEM("")), "-----BEGIN PUBLIC KEY-----") || i.PublicKeyPEM("ghost") != nil {
		t.Fatal("PublicKeyPEM: want a PEM for the signing key and nil for an unknown kid")
	}
	if _, err := i.SignedToken(Options{Alg: "ES256"}); err == nil {
		t.Fatal("SignedToken with an unsupported alg: want an error")
	}
	if !strings.HasPrefix(i.Header(Options{}), "Bearer eyJ") {
		t.Fatal("Header must be \"Bearer <token>\"")
	}
}
