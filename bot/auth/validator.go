package auth

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	bfauth "github.com/infracloudio/msbotbuilder-go/connector/auth"
	"github.com/infracloudio/msbotbuilder-go/schema"
)

// Validator authenticates the activities that the Bot Framework posts to the
// bot, and applies the tenant allow-list. It is safe for concurrent use; one
// Validator serves the whole process, so that its key cache is shared.
type Validator struct {
	tenants tenantPolicy
	keys    *keyCache // nil when authentication is off

	parser *jwt.Parser    // full check: algorithm, signature, claims
	claims *jwt.Validator // the same claim rules, run before any key lookup
}

var _ bfauth.TokenValidator = (*Validator)(nil)

// New returns a Validator for cfg. It does no I/O: call Warm to load the
// keys before the first request.
func New(cfg Config) *Validator {
	cfg = cfg.withDefaults()
	v := &Validator{tenants: newTenantPolicy(cfg.AllowedTenants)}
	appID := strings.TrimSpace(cfg.AppID)
	if appID == "" {
		return v
	}
	v.keys = newKeyCache(cfg)
	rules := []jwt.ParserOption{
		jwt.WithIssuer(Issuer),
		jwt.WithAudience(appID),
		jwt.WithExpirationRequired(),
		jwt.WithLeeway(ClockSkew),
		jwt.WithTimeFunc(cfg.Now),
	}
	v.claims = jwt.NewValidator(rules...)
	v.parser = jwt.NewParser(append(rules, jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg()}))...)
	return v
}

// Enabled reports whether tokens are required (an app id is configured).
func (v *Validator) Enabled() bool { return v.keys != nil }

// Warm loads the key set, so that the first request does not wait for it
// and a wrong BotOpenIdMetadata shows up at start-up. A failure is not
// fatal: requests will try again. It does nothing when authentication is
// off.
func (v *Validator) Warm(ctx context.Context) error {
	if !v.Enabled() {
		return nil
	}
	err := v.keys.attempt(ctx, "warm", func(time.Time) bool { return true })
	if err != nil {
		return fmt.Errorf("load Bot Framework keys from %s: %w", v.keys.metadataURL, err)
	}
	return nil
}

// AuthenticateRequest implements msbotbuilder-go's TokenValidator. It
// returns an *Identity, or an error wrapping ErrUnauthorized or ErrForbidden.
//
// The credentials and channelService arguments are ignored: the Config given
// to New is the single source of the app id, and Parc runs in the public
// cloud only, whose issuer and metadata are fixed.
func (v *Validator) AuthenticateRequest(ctx context.Context, activity schema.Activity, authHeader string, _ bfauth.CredentialProvider, _ string) (bfauth.ClaimsIdentity, error) {
	id := &Identity{channelID: activity.ChannelID}
	if v.Enabled() {
		// Authenticate before looking at the tenant: an unauthenticated
		// caller learns nothing about the allow-list.
		claims, err := v.verify(ctx, activity, authHeader)
		if err != nil {
			return nil, unauthorized(err)
		}
		id.claims, id.authenticated = claims, true
	}
	tenant, err := v.tenants.check(activity)
	if err != nil {
		return nil, forbidden(err)
	}
	id.tenantID = tenant
	return id, nil
}

// verify checks the token of authHeader against activity and returns its
// claims. The cheap checks (claims, serviceurl) come before the key lookup,
// so that a token doomed anyway never makes us fetch the key set.
func (v *Validator) verify(ctx context.Context, activity schema.Activity, authHeader string) (jwt.MapClaims, error) {
	raw, err := bearerToken(authHeader)
	if err != nil {
		return nil, err
	}
	claims := jwt.MapClaims{}
	_, err = v.parser.ParseWithClaims(raw, claims, func(t *jwt.Token) (any, error) {
		// WithValidMethods already refused other algorithms; checking the
		// method itself as well keeps an HMAC or "none" verifier from ever
		// seeing an RSA key, whatever the parser's options become.
		if t.Method != jwt.SigningMethodRS256 {
			return nil, errAlgorithm
		}
		if err := v.claims.Validate(t.Claims); err != nil {
			return nil, err
		}
		if err := matchServiceURL(claims, activity.ServiceURL); err != nil {
			return nil, err
		}
		kid, _ := t.Header["kid"].(string)
		if kid == "" {
			return nil, errNoKid
		}
		key, err := v.keys.key(ctx, kid)
		if err != nil {
			return nil, err
		}
		if !key.endorses(activity.ChannelID) {
			return nil, fmt.Errorf("%w: channel %q, kid %q", errNotEndorsed, clip(activity.ChannelID), clip(kid))
		}
		return key.pub, nil
	})
	if err != nil {
		return nil, err
	}
	return claims, nil
}

// matchServiceURL requires the serviceurl claim to name the activity's
// serviceUrl exactly; only a trailing slash may differ, as Teams writes both
// forms.
func matchServiceURL(claims jwt.MapClaims, serviceURL string) error {
	claim, _ := claims[ClaimServiceURL].(string)
	if claim == "" || serviceURL == "" ||
		strings.TrimSuffix(claim, "/") != strings.TrimSuffix(serviceURL, "/") {
		return errServiceURL
	}
	return nil
}
