package auth

import (
	"encoding/json"
	"maps"
	"strconv"

	bfauth "github.com/infracloudio/msbotbuilder-go/connector/auth"
)

// Claim names of channel-to-bot tokens that the bot reads.
const (
	ClaimAppID      = "appid"      // the calling service's app id (v1 tokens)
	ClaimAuthParty  = "azp"        // the same, in v2 tokens
	ClaimServiceURL = "serviceurl" // where replies to this activity must go
	ClaimAudience   = "aud"
	ClaimIssuer     = "iss"
)

// Identity is what the Validator learnt about a request. It implements
// msbotbuilder-go's ClaimsIdentity, whose own implementation panics on a
// missing or non-string claim.
//
// When authentication is off, Identity carries no claims and
// IsAuthenticated reports false; the tenant was still checked.
type Identity struct {
	claims        map[string]any
	authenticated bool
	tenantID      string
	channelID     string
}

var _ bfauth.ClaimsIdentity = (*Identity)(nil)

// GetClaimValue returns the named claim as a string: strings as they are,
// numbers and booleans formatted, anything else (missing, arrays, objects)
// as "".
func (id *Identity) GetClaimValue(name string) string {
	if id == nil {
		return ""
	}
	switch v := id.claims[name].(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	default:
		return ""
	}
}

// IsAuthenticated reports whether a token was validated. It is false when
// authentication is off.
func (id *Identity) IsAuthenticated() bool { return id != nil && id.authenticated }

// AppID returns the app id of the service that sent the activity (appid, or
// azp in v2 tokens); "" when absent or when authentication is off.
func (id *Identity) AppID() string {
	if v := id.GetClaimValue(ClaimAppID); v != "" {
		return v
	}
	return id.GetClaimValue(ClaimAuthParty)
}

// ServiceURL returns the validated serviceurl claim: the only connector the
// bot may answer this activity through.
func (id *Identity) ServiceURL() string { return id.GetClaimValue(ClaimServiceURL) }

// TenantID returns the activity's tenant, as checked against the allow-list
// ("" when the activity named none and no allow-list is configured).
func (id *Identity) TenantID() string {
	if id == nil {
		return ""
	}
	return id.tenantID
}

// ChannelID returns the activity's channel, for which the signing key was
// endorsed.
func (id *Identity) ChannelID() string {
	if id == nil {
		return ""
	}
	return id.channelID
}

// Claims returns a copy of the validated token claims (nil when
// authentication is off), so that callers cannot alter the identity.
func (id *Identity) Claims() map[string]any {
	if id == nil {
		return nil
	}
	return maps.Clone(id.claims)
}
