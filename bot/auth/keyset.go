package auth

import (
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"slices"
	"strings"
)

// minKeyBits refuses weak keys even if they were published: Microsoft signs
// with 2048-bit keys.
const minKeyBits = 2048

// signingKey is one usable key of the Bot Framework key set.
type signingKey struct {
	pub *rsa.PublicKey
	// endorsements lists the channels (msteams, webchat, ...) for which
	// Microsoft vouches that this key signs. A token for a channel must be
	// signed by a key endorsed for it, so that a key of a weaker channel
	// cannot be used to impersonate Teams.
	endorsements []string
}

func (k signingKey) endorses(channelID string) bool {
	return channelID != "" && slices.Contains(k.endorsements, channelID)
}

// keySet maps kid to key. A published keySet is never modified: a refresh
// builds a new one, so readers need no lock once they hold it.
type keySet map[string]signingKey

// metadataDoc is the part of the OpenID metadata document that we use.
type metadataDoc struct {
	JWKSURI string `json:"jwks_uri"`
}

// jwksDoc is a JSON Web Key Set with Microsoft's endorsements extension.
type jwksDoc struct {
	Keys []jwk `json:"keys"`
}

type jwk struct {
	Kty          string   `json:"kty"`
	Use          string   `json:"use"`
	Alg          string   `json:"alg"`
	Kid          string   `json:"kid"`
	N            string   `json:"n"`
	E            string   `json:"e"`
	Endorsements []string `json:"endorsements"`
}

// parseMetadata returns the key set address announced by the metadata
// document found at metadataURL. An https document may only point to an
// https key set: a downgrade would let a network attacker substitute keys.
func parseMetadata(body []byte, metadataURL string) (string, error) {
	var doc metadataDoc
	if err := json.Unmarshal(body, &doc); err != nil {
		return "", fmt.Errorf("decode metadata: %w", err)
	}
	if doc.JWKSURI == "" {
		return "", errors.New("metadata has no jwks_uri")
	}
	u, err := url.Parse(doc.JWKSURI)
	if err != nil || !u.IsAbs() || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", fmt.Errorf("metadata jwks_uri %q is not an absolute http(s) URL", doc.JWKSURI)
	}
	if strings.HasPrefix(metadataURL, "https:") && u.Scheme != "https" {
		return "", fmt.Errorf("metadata jwks_uri %q downgrades to %s", doc.JWKSURI, u.Scheme)
	}
	return u.String(), nil
}

// parseJWKS builds a keySet from a JWKS document. Keys that cannot be used
// for RS256 signatures are skipped and reported in skipped, so that one odd
// entry does not cost us the whole set; a set with no usable key is an error.
func parseJWKS(body []byte) (keys keySet, skipped []error, err error) {
	var doc jwksDoc
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, nil, fmt.Errorf("decode key set: %w", err)
	}
	keys = make(keySet, len(doc.Keys))
	for i, k := range doc.Keys {
		key, err := k.signingKey()
		if err != nil {
			skipped = append(skipped, fmt.Errorf("key %d (kid %q): %w", i, k.Kid, err))
			continue
		}
		if _, dup := keys[k.Kid]; dup {
			// Two keys under one kid: we could not tell which one a
			// token means, so trust neither.
			skipped = append(skipped, fmt.Errorf("key %d (kid %q): duplicate kid", i, k.Kid))
			delete(keys, k.Kid)
			continue
		}
		keys[k.Kid] = key
	}
	if len(keys) == 0 {
		return nil, skipped, errors.New("key set has no usable RS256 key")
	}
	return keys, skipped, nil
}

func (k jwk) signingKey() (signingKey, error) {
	switch {
	case k.Kid == "":
		return signingKey{}, errors.New("no kid")
	case k.Kty != "RSA":
		return signingKey{}, fmt.Errorf("kty %q is not RSA", k.Kty)
	case k.Use != "" && k.Use != "sig":
		return signingKey{}, fmt.Errorf("use %q is not sig", k.Use)
	case k.Alg != "" && k.Alg != "RS256":
		return signingKey{}, fmt.Errorf("alg %q is not RS256", k.Alg)
	}
	nb, err := decodeB64URL(k.N)
	if err != nil {
		return signingKey{}, fmt.Errorf("modulus: %w", err)
	}
	eb, err := decodeB64URL(k.E)
	if err != nil {
		return signingKey{}, fmt.Errorf("exponent: %w", err)
	}
	n := new(big.Int).SetBytes(nb)
	if n.BitLen() < minKeyBits {
		return signingKey{}, fmt.Errorf("modulus of %d bits is under %d", n.BitLen(), minKeyBits)
	}
	// The exponent must fit an int and be odd and > 1 (65537 in practice).
	eb = trimLeadingZeros(eb)
	if len(eb) == 0 || len(eb) > 4 {
		return signingKey{}, errors.New("exponent out of range")
	}
	e := 0
	for _, b := range eb {
		e = e<<8 | int(b)
	}
	if e < 3 || e%2 == 0 {
		return signingKey{}, fmt.Errorf("exponent %d is not usable", e)
	}
	return signingKey{
		pub:          &rsa.PublicKey{N: n, E: e},
		endorsements: slices.Clone(k.Endorsements),
	}, nil
}

// decodeB64URL decodes base64url with or without padding: RFC 7518 says
// without, but some publishers pad.
func decodeB64URL(s string) ([]byte, error) {
	if s == "" {
		return nil, errors.New("empty")
	}
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}

func trimLeadingZeros(b []byte) []byte {
	for len(b) > 0 && b[0] == 0 {
		b = b[1:]
	}
	return b
}
