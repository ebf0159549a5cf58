package auth

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
)

// modulus returns a base64url modulus of the given size; parseJWKS does not
// care whether it is a real RSA modulus.
func modulus(bits int) string {
	b := make([]byte, bits/8)
	b[0], b[len(b)-1] = 0x80, 0x01
	return base64.RawURLEncoding.EncodeToString(b)
}

func jwksOf(keys ...map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"keys": keys})
	return b
}

func rsaJWK(kid string, change func(map[string]any)) map[string]any {
	k := map[string]any{"kty": "RSA", "use": "sig", "kid": kid, "n": modulus(2048), "e": "AQAB", "endorsements": []string{"msteams"}}
	if change != nil {
		change(k)
	}
	return k
}

func TestParseJWKS(t *testing.T) {
	cases := []struct {
		name    string
		key     map[string]any
		usable  bool
		skipped string // part of the skip reason
	}{
		{"usable", rsaJWK("k", nil), true, ""},
		{"no use, no alg", rsaJWK("k", func(k map[string]any) { delete(k, "use") }), true, ""},
		{"alg RS256", rsaJWK("k", func(k map[string]any) { k["alg"] = "RS256" }), true, ""},
		{"padded base64", rsaJWK("k", func(k map[string]any) { k["e"] = "AQAB=" }), true, ""},
		{"4096 bits", rsaJWK("k", func(k map[string]any) { k["n"] = modulus(4096) }), true, ""},
		{"alg RS512", rsaJWK("k", func(k map[string]any) { k["alg"] = "RS512" }), false, "alg"},
		{"use enc", rsaJWK("k", func(k map[string]any) { k["use"] = "enc" }), false, "use"},
		{"EC key", rsaJWK("k", func(k map[string]any) { k["kty"] = "EC" }), false, "kty"},
		{"no kid", rsaJWK("", nil), false, "no kid"},
		{"1024 bits", rsaJWK("k", func(k map[string]any) { k["n"] = modulus(1024) }), false, "under 2048"},
		{"no modulus", rsaJWK("k", func(k map[string]any) { delete(k, "n") }), false, "modulus"},
		{"modulus not base64url", rsaJWK("k", func(k map[string]any) { k["n"] = "a+b/" }), false, "modulus"},
		{"exponent 1", rsaJWK("k", func(k map[string]any) { k["e"] = "AQ" }), false, "exponent"},
		{"even exponent", rsaJWK("k", func(k map[string]any) { k["e"] = "AQAA" }), false, "exponent"},
		{"exponent of 5 bytes", rsaJWK("k", func(k map[string]any) { k["e"] = "AQAAAAE" }), false, "exponent"},
		{"exponent zero", rsaJWK("k", func(k map[string]any) { k["e"] = "AA" }), false, "exponent"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// A second, usable key keeps the set valid, so that the case's
			// key is judged alone.
			keys, skipped, err := parseJWKS(jwksOf(c.key, rsaJWK("other", nil)))
			if err != nil {
				t.Fatalf("parseJWKS: %v", err)
			}
			_, got := keys[c.key["kid"].(string)]
			if got != c.usable {
				t.Fatalf("usable = %v, want %v (skipped: %v)", got, c.usable, skipped)
			}
			if c.usable {
				if k := keys["k"]; k.pub.E != 65537 || !k.endorses("msteams") || k.endorses("webchat") {
					t.Fatalf("key = e %d, endorsements %v; want 65537, [msteams]", k.pub.E, k.endorsements)
				}
				return
			}
			if len(skipped) != 1 || !strings.Contains(skipped[0].Error(), c.skipped) {
				t.Fatalf("skipped = %v, want one reason mentioning %q", skipped, c.skipped)
			}
		})
	}
}

func TestParseJWKSDuplicateKidTrustsNeither(t *testing.T) {
	keys, skipped, err := parseJWKS(jwksOf(rsaJWK("dup", nil), rsaJWK("dup", nil), rsaJWK("ok", nil)))
	if err != nil {
		t.Fatalf("parseJWKS: %v", err)
	}
	if _, ok := keys["dup"]; ok || len(keys) != 1 || len(skipped) != 1 {
		t.Fatalf("keys %v, skipped %v; want only \"ok\" and one skip", keys, skipped)
	}
}

func TestParseMetadata(t *testing.T) {
	cases := []struct {
		name, doc, from, want, err string
	}{
		{"https to https", `{"jwks_uri":"https://login.botframework.com/v1/.well-known/keys"}`, DefaultMetadataURL, "https://login.botframework.com/v1/.well-known/keys", ""},
		{"http to http (local tests)", `{"jwks_uri":"http://127.0.0.1:1/keys"}`, "http://127.0.0.1:1/meta", "http://127.0.0.1:1/keys", ""},
		{"https downgraded to http", `{"jwks_uri":"http://login.botframework.com/keys"}`, DefaultMetadataURL, "", "downgrades"},
		{"other scheme", `{"jwks_uri":"file:///etc/passwd"}`, DefaultMetadataURL, "", "not an absolute"},
		{"relative", `{"jwks_uri":"keys"}`, DefaultMetadataURL, "", "not an absolute"},
		{"missing", `{}`, DefaultMetadataURL, "", "no jwks_uri"},
		{"not JSON", `jwks_uri`, DefaultMetadataURL, "", "decode"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := parseMetadata([]byte(c.doc), c.from)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want it to mention %q", err, c.err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("got %q, %v; want %q", got, err, c.want)
			}
		})
	}
}
