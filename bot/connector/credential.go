package connector

import (
	"errors"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// Values of the MicrosoftAppType setting, as Azure Bot resources name them.
const (
	AppTypeSingleTenant    = "SingleTenant"
	AppTypeUserAssignedMSI = "UserAssignedMSI"
	// AppTypeMultiTenant is deprecated: Azure no longer creates multi-tenant
	// bots. It is accepted only for bots registered before that.
	AppTypeMultiTenant = "MultiTenant"
)

// multiTenantAuthority is the tenant that issued tokens to multi-tenant bots.
const multiTenantAuthority = "botframework.com"

// NewCredential returns the credential a bot of the given type uses to call
// the Bot Connector, from the bot's settings (MicrosoftAppType,
// MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppTenantId). appType is
// matched without regard to case.
//
//   - An empty appID returns (nil, nil): authentication off, for the Agents
//     Playground and local runs.
//   - SingleTenant: client secret, token from the bot's own tenant.
//   - UserAssignedMSI: the managed identity whose client id is appID; no
//     secret. Only opts.ClientOptions applies.
//   - MultiTenant (deprecated for new bots): client secret, token from the
//     "botframework.com" tenant; tenantID is ignored.
//
// opts may be nil; tests use it to point the credential at a local token
// endpoint. The token is requested for the scope the Client asks for
// (DefaultScope), not here.
func NewCredential(appType, appID, appPassword, tenantID string, opts *azidentity.ClientSecretCredentialOptions) (azcore.TokenCredential, error) {
	if appID == "" {
		return nil, nil
	}
	if opts == nil {
		opts = &azidentity.ClientSecretCredentialOptions{}
	}
	switch {
	case strings.EqualFold(appType, AppTypeSingleTenant):
		if tenantID == "" {
			return nil, errors.New("connector: MicrosoftAppTenantId is required for a SingleTenant bot: set it to the id of the tenant where the bot is registered")
		}
		if appPassword == "" {
			return nil, errors.New("connector: MicrosoftAppPassword is required for a SingleTenant bot: set it to a client secret of the bot's app registration")
		}
		return clientSecret(tenantID, appID, appPassword, opts)
	case strings.EqualFold(appType, AppTypeUserAssignedMSI):
		cred, err := azidentity.NewManagedIdentityCredential(&azidentity.ManagedIdentityCredentialOptions{
			ClientOptions: opts.ClientOptions,
			ID:            azidentity.ClientID(appID),
		})
		if err != nil {
			return nil, fmt.Errorf("connector: managed identity %s: %w", appID, err)
		}
		return cred, nil
	case strings.EqualFold(appType, AppTypeMultiTenant):
		if appPassword == "" {
			return nil, errors.New("connector: MicrosoftAppPassword is required for a MultiTenant bot: set it to a client secret of the bot's app registration")
		}
		return clientSecret(multiTenantAuthority, appID, appPassword, opts)
	case appType == "":
		return nil, errors.New("connector: MicrosoftAppType is empty: set it to SingleTenant, UserAssignedMSI or (for old bots) MultiTenant")
	default:
		return nil, fmt.Errorf("connector: MicrosoftAppType %q is unknown: use SingleTenant, UserAssignedMSI or (for old bots) MultiTenant", appType)
	}
}

func clientSecret(tenantID, appID, password string, opts *azidentity.ClientSecretCredentialOptions) (azcore.TokenCredential, error) {
	cred, err := azidentity.NewClientSecretCredential(tenantID, appID, password, opts)
	if err != nil {
		// azidentity's errors name the tenant and client, not the secret.
		return nil, fmt.Errorf("connector: client secret credential for app %s in tenant %s: %w", appID, tenantID, err)
	}
	return cred, nil
}
