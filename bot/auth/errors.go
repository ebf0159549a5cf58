package auth

import (
	"errors"
	"fmt"
)

// The two outcomes a caller must tell apart. The webhook maps them with
// errors.Is to 401 and 403 and logs the rest of the message, which explains
// the refusal; the client only ever sees the status.
var (
	// ErrUnauthorized: the request does not prove that it comes from the Bot
	// Framework (no token, a bad token, or keys that cannot be obtained).
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden: the request is authentic (or authentication is off) but
	// its tenant is not allowed to use this bot.
	ErrForbidden = errors.New("forbidden")
)

// Reasons, wrapped under the two sentinels above. They stay unexported: the
// contract is the sentinel; the reason is for logs and for this package's
// tests.
var (
	errNoHeader        = errors.New("no Authorization header")
	errMalformedHeader = errors.New("malformed Authorization header, want \"Bearer <token>\"")
	errAlgorithm       = errors.New("signing algorithm is not RS256")
	errNoKid           = errors.New("token has no kid header")
	errUnknownKid      = errors.New("no signing key with this kid")
	errNotEndorsed     = errors.New("signing key is not endorsed for the activity's channel")
	errServiceURL      = errors.New("serviceurl claim does not match the activity's serviceUrl")
	errNoKeys          = errors.New("no signing keys available")
	errTenantMissing   = errors.New("activity carries no tenant id")
	errTenantDenied    = errors.New("tenant is not on the allow-list")
	errTenantConflict  = errors.New("conversation.tenantId and channelData.tenant.id disagree")
)

func unauthorized(reason error) error {
	return fmt.Errorf("%w: %w", ErrUnauthorized, reason)
}

func forbidden(reason error) error {
	return fmt.Errorf("%w: %w", ErrForbidden, reason)
}
