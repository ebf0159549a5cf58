package authtest

import (
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Defaults of a minted token: together they make a token that an
// auth.Validator configured with DefaultAppID accepts for an activity with
// DefaultServiceURL on channel "msteams".
const (
	BotFrameworkIssuer = "https://api.botframework.com"
	DefaultAppID       = "6f1c9a52-3b7e-4d0a-9c85-2e4f7b1d8a30"
	DefaultServiceURL  = "https://smba.trafficmanager.net/emea/"
	DefaultTenantID    = "3e8a1f47-92c6-4b5d-a0e1-7c2d9f6b4e18"
	// DefaultLifetime is the validity of a token minted without Expiry.
	DefaultLifetime = time.Hour
)

// Options describes a token to mint. The zero value is a valid token.
type Options struct {
	AppID      string    // aud; "" means DefaultAppID
	ServiceURL string    // serviceurl claim; "" means DefaultServiceURL
	Issuer     string    // iss; "" means BotFrameworkIssuer
	Expiry     time.Time // exp; zero means now + DefaultLifetime
	NotBefore  time.Time // nbf; zero means now - 1 minute

	NoExpiry     bool // omit exp
	NoNotBefore  bool // omit nbf
	NoServiceURL bool // omit serviceurl
	NoKid        bool // omit the kid header

	// Alg is the signing algorithm: "" or "RS256" (the valid one), "RS384",
	// "RS512" (signed with the RSA key), "HS256" (signed with HMACKey),
	// "none" (unsigned).
	Alg string
	// Kid names the key: one of the Issuer's keys signs with that key; any
	// other value is put in the header while the signing key signs, to make
	// tokens with an unknown kid. "" means the signing key.
	Kid string
	// HMACKey is the HS256 secret; nil means the signing key's public PEM
	// (the algorithm-confusion attack).
	HMACKey []byte
	// Claims are added last and override the ones above; a nil value
	// removes a claim.
	Claims map[string]any
}

// Token mints a token, failing the test (or panicking without one) if it
// cannot.
func (i *Issuer) Token(o Options) string {
	if i.t != nil {
		i.t.Helper()
	}
	tok, err := i.SignedToken(o)
	if err != nil {
		i.fail("%v", err)
	}
	return tok
}

// Header returns "Bearer " and the token, the Authorization header value.
func (i *Issuer) Header(o Options) string {
	if i.t != nil {
		i.t.Helper()
	}
	return "Bearer " + i.Token(o)
}

// SignedToken mints a token as o describes.
func (i *Issuer) SignedToken(o Options) (string, error) {
	claims := i.claims(o)
	kid := o.Kid
	key := i.lookup(kid)
	if key == nil { // a kid the key set does not hold: sign anyway
		key = i.lookup("")
	}
	if kid == "" {
		kid = key.kid
	}

	var (
		method  jwt.SigningMethod
		signKey any
	)
	switch o.Alg {
	case "", "RS256":
		method, signKey = jwt.SigningMethodRS256, key.priv
	case "RS384":
		method, signKey = jwt.SigningMethodRS384, key.priv
	case "RS512":
		method, signKey = jwt.SigningMethodRS512, key.priv
	case "HS256":
		secret := o.HMACKey
		if secret == nil {
			if secret = i.PublicKeyPEM(key.kid); secret == nil {
				return "", errors.New("authtest: no public key to use as HMAC secret")
			}
		}
		method, signKey = jwt.SigningMethodHS256, secret
	case "none":
		method, signKey = jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType
	default:
		return "", fmt.Errorf("authtest: unsupported alg %q", o.Alg)
	}
	tok := jwt.NewWithClaims(method, claims)
	if !o.NoKid {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(signKey)
	if err != nil {
		return "", fmt.Errorf("authtest: sign %s token: %w", method.Alg(), err)
	}
	return s, nil
}

// claims builds the token's claims from o and the Issuer's clock.
func (i *Issuer) claims(o Options) jwt.MapClaims {
	now := i.now()
	c := jwt.MapClaims{
		"iss":        or(o.Issuer, BotFrameworkIssuer),
		"aud":        or(o.AppID, DefaultAppID),
		"serviceurl": or(o.ServiceURL, DefaultServiceURL),
		"exp":        jwt.NewNumericDate(orTime(o.Expiry, now.Add(DefaultLifetime))),
		"nbf":        jwt.NewNumericDate(orTime(o.NotBefore, now.Add(-time.Minute))),
	}
	if o.NoExpiry {
		delete(c, "exp")
	}
	if o.NoNotBefore {
		delete(c, "nbf")
	}
	if o.NoServiceURL {
		delete(c, "serviceurl")
	}
	maps.Copy(c, o.Claims)
	maps.DeleteFunc(c, func(_ string, v any) bool { return v == nil })
	return c
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func orTime(t, def time.Time) time.Time {
	if t.IsZero() {
		return def
	}
	return t
}
