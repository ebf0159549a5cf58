package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/anras/parc/domain"
	"github.com/anras/parc/storage/graph"
)

// Microsoft Graph settings. Graph is on when GRAPH_CLIENT_ID is set, or
// GRAPH_MANAGED_IDENTITY=true; its credential is, in that order:
//
//   - GRAPH_CLIENT_SECRET: an application's client secret
//     (GRAPH_TENANT_ID and GRAPH_CLIENT_ID too);
//   - GRAPH_CLIENT_CERTIFICATE: a PEM or PKCS#12 file with the
//     application's certificate and private key
//     (GRAPH_CLIENT_CERTIFICATE_PASSWORD if it is encrypted);
//   - GRAPH_MANAGED_IDENTITY=true: the Azure managed identity
//     (GRAPH_CLIENT_ID then chooses a user-assigned one).
//
// GRAPH_ENDPOINT is Graph's base URL (https://graph.microsoft.com/v1.0);
// AZURE_AUTHORITY_HOST, read by azidentity, the Entra authority of a
// national cloud.
type graphSettings struct {
	Endpoint, TenantID, ClientID   string
	Secret, CertPath, CertPassword string
	ManagedIdentity                bool
}

// loadGraphSettings reads the settings; configured is false when Graph
// is not set up at all.
func loadGraphSettings(getenv func(string) string) (gs graphSettings, configured bool, err error) {
	gs = graphSettings{
		Endpoint: strings.TrimSpace(getenv("GRAPH_ENDPOINT")), TenantID: strings.TrimSpace(getenv("GRAPH_TENANT_ID")),
		ClientID: strings.TrimSpace(getenv("GRAPH_CLIENT_ID")), Secret: getenv("GRAPH_CLIENT_SECRET"),
		CertPath: strings.TrimSpace(getenv("GRAPH_CLIENT_CERTIFICATE")), CertPassword: getenv("GRAPH_CLIENT_CERTIFICATE_PASSWORD"),
	}
	switch mi := strings.ToLower(strings.TrimSpace(getenv("GRAPH_MANAGED_IDENTITY"))); mi {
	case "", "false", "0", "no":
	case "true", "1", "yes":
		gs.ManagedIdentity = true
	default:
		return gs, false, fmt.Errorf("GRAPH_MANAGED_IDENTITY=%q: use true or false", mi)
	}
	if gs.ClientID == "" && !gs.ManagedIdentity {
		if gs.Secret != "" || gs.CertPath != "" || gs.TenantID != "" {
			return gs, false, errors.New("GRAPH_TENANT_ID, GRAPH_CLIENT_SECRET or GRAPH_CLIENT_CERTIFICATE is set but GRAPH_CLIENT_ID is empty: set GRAPH_CLIENT_ID (the application's id) too")
		}
		return gs, false, nil
	}
	if gs.ClientID != "" && !guidRe.MatchString(gs.ClientID) {
		return gs, false, fmt.Errorf("GRAPH_CLIENT_ID=%q is not an application (client) id, a GUID", gs.ClientID)
	}
	if !gs.ManagedIdentity {
		if gs.Secret == "" && gs.CertPath == "" {
			return gs, false, errors.New("GRAPH_CLIENT_ID is set without a credential: set GRAPH_CLIENT_SECRET, GRAPH_CLIENT_CERTIFICATE, or GRAPH_MANAGED_IDENTITY=true")
		}
		if !guidRe.MatchString(gs.TenantID) {
			return gs, false, fmt.Errorf("GRAPH_TENANT_ID=%q: give the directory (tenant) id, a GUID", gs.TenantID)
		}
	}
	return gs, true, nil
}

// graphCredential builds the azidentity credential the settings choose;
// kind names it for the logs.
func graphCredential(gs graphSettings, getenv func(string) string) (azcore.TokenCredential, string, error) {
	switch {
	case gs.ManagedIdentity:
		opts := &azidentity.ManagedIdentityCredentialOptions{}
		if gs.ClientID != "" {
			opts.ID = azidentity.ClientID(gs.ClientID)
		}
		cred, err := azidentity.NewManagedIdentityCredential(opts)
		return cred, "managed-identity", err
	case gs.Secret != "":
		cred, err := azidentity.NewClientSecretCredential(gs.TenantID, gs.ClientID, gs.Secret, credentialOptions(getenv))
		return cred, "client-secret", err
	default:
		data, err := os.ReadFile(gs.CertPath)
		if err != nil {
			return nil, "", fmt.Errorf("GRAPH_CLIENT_CERTIFICATE: %w", err)
		}
		certs, key, err := azidentity.ParseCertificates(data, []byte(gs.CertPassword))
		if err != nil {
			return nil, "", fmt.Errorf("GRAPH_CLIENT_CERTIFICATE=%s: not a PEM or PKCS#12 certificate with its private key (or a wrong GRAPH_CLIENT_CERTIFICATE_PASSWORD): %w", gs.CertPath, err)
		}
		opts := &azidentity.ClientCertificateCredentialOptions{}
		if co := credentialOptions(getenv); co != nil {
			opts.DisableInstanceDiscovery = co.DisableInstanceDiscovery
		}
		cred, err := azidentity.NewClientCertificateCredential(gs.TenantID, gs.ClientID, certs, key, opts)
		return cred, "client-certificate", err
	}
}

// openDirectory returns the organisation's directory: Microsoft Graph when
// it is configured, else nil (the bot then uses the members the Bot
// Connector lists). The client it returns is also the licence summary's
// directory (domain.LicenceDirectory).
func openDirectory(ctx context.Context, s settings, getenv func(string) string, log *slog.Logger) (domain.Directory, error) {
	gs, configured, err := loadGraphSettings(getenv)
	if err != nil || !configured {
		return nil, err
	}
	cred, kind, err := graphCredential(gs, getenv)
	if err != nil {
		return nil, fmt.Errorf("graph credential: %w", err)
	}
	c, err := graph.New(graph.Config{Endpoint: gs.Endpoint, Credential: cred, Logger: log})
	if err != nil {
		return nil, err
	}
	log.Info("directory: Microsoft Graph", "endpoint", c.Endpoint(), "auth", kind)
	return c, nil
}
