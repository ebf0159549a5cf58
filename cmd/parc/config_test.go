package main

import (
	"strings"
	"testing"
)

func TestLoadSettings(t *testing.T) {
	const app = "6f1c9a52-3b7e-4d0a-9c85-2e4f7b1d8a30"
	cases := []struct {
		name string
		env  map[string]string
		err  string // a word the one-line error must contain; "" = valid
	}{
		{"nothing set: Playground mode", map[string]string{}, ""},
		{"single tenant", map[string]string{"MicrosoftAppId": app, "MicrosoftAppPassword": "s", "MicrosoftAppTenantId": "t"}, ""},
		{"type defaults to single tenant and needs the tenant", map[string]string{"MicrosoftAppId": app, "MicrosoftAppPassword": "s"}, "MicrosoftAppTenantId"},
		{"password without app id", map[string]string{"MicrosoftAppPassword": "s"}, "MicrosoftAppId is empty"},
		{"managed identity with a password", map[string]string{"MicrosoftAppId": app, "MicrosoftAppType": "UserAssignedMSI", "MicrosoftAppPassword": "s"}, "remove MicrosoftAppPassword"},
		{"managed identity", map[string]string{"MicrosoftAppId": app, "MicrosoftAppType": "UserAssignedMSI"}, ""},
		{"unknown type", map[string]string{"MicrosoftAppId": app, "MicrosoftAppType": "Anything"}, "MicrosoftAppType"},
		{"bad port", map[string]string{"PORT": "http"}, "PORT"},
		{"port out of range", map[string]string{"PORT": "99999"}, "PORT"},
		{"bad time zone", map[string]string{"PARC_TIMEZONE": "Mars/Olympus"}, "PARC_TIMEZONE"},
		{"bad locale", map[string]string{"PARC_LOCALE": "de"}, "PARC_LOCALE"},
		{"bad admin id", map[string]string{"PARC_ADMINS": "alice@example.org"}, "PARC_ADMINS"},
		{"admins list", map[string]string{"PARC_ADMINS": "AAAAAAAA-0000-0000-0000-000000000001, bbbbbbbb-0000-0000-0000-000000000002"}, ""},
		{"bad log level", map[string]string{"PARC_LOG_LEVEL": "loud"}, "PARC_LOG_LEVEL"},
		{"cosmos with a key", map[string]string{"COSMOS_ENDPOINT": "https://parc.documents.azure.com:443/", "COSMOS_KEY": "a2V5"}, ""},
		{"cosmos with the managed identity", map[string]string{"COSMOS_ENDPOINT": "https://parc.documents.azure.com:443/"}, ""},
		{"cosmos emulator over http", map[string]string{"COSMOS_ENDPOINT": "http://127.0.0.1:8081/"}, ""},
		{"cosmos over http to a remote host", map[string]string{"COSMOS_ENDPOINT": "http://parc.documents.azure.com/"}, "use https"},
		{"cosmos endpoint not a URL", map[string]string{"COSMOS_ENDPOINT": "parc.documents.azure.com"}, "COSMOS_ENDPOINT"},
		{"cosmos key without endpoint", map[string]string{"COSMOS_KEY": "a2V5"}, "COSMOS_ENDPOINT is empty"},
		{"cosmos database without endpoint", map[string]string{"COSMOS_DATABASE": "parc"}, "COSMOS_ENDPOINT is empty"},
		{"cosmos database name", map[string]string{"COSMOS_ENDPOINT": "https://parc.documents.azure.com/", "COSMOS_DATABASE": "a/b"}, "COSMOS_DATABASE"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := loadSettings(func(k string) string { return c.env[k] })
			if c.err == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.err) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %v, want one line naming %s (settings %+v)", err, c.err, s)
			}
		})
	}
	s, _ := loadSettings(func(k string) string {
		return map[string]string{"PARC_ADMINS": "AAAAAAAA-0000-0000-0000-000000000001;bbbbbbbb-0000-0000-0000-000000000002"}[k]
	})
	if len(s.Admins) != 2 || s.Admins[0] != "aaaaaaaa-0000-0000-0000-000000000001" || s.Port != 3978 || s.Location.String() != "Europe/Paris" || s.DataDir != "data" {
		t.Fatalf("defaults and admins: %+v", s)
	}
	if s.CosmosEndpoint != "" {
		t.Fatalf("the embedded store is the default, got Cosmos %q", s.CosmosEndpoint)
	}
	s, _ = loadSettings(func(k string) string {
		return map[string]string{"COSMOS_ENDPOINT": "https://parc.documents.azure.com:443/"}[k]
	})
	if s.CosmosDatabase != "parc" {
		t.Fatalf("COSMOS_DATABASE default = %q, want parc", s.CosmosDatabase)
	}
}

func TestCredentialOptionsForNationalAndPrivateClouds(t *testing.T) {
	for host, disabled := range map[string]bool{
		"":                                   false,
		"https://login.microsoftonline.com/": false,
		"https://login.microsoftonline.us/":  false,
		"https://login.chinacloudapi.cn/":    false,
		"https://127.0.0.1:8443/":            true,
		"https://adfs.example.org/":          true,
	} {
		o := credentialOptions(func(k string) string {
			if k == "AZURE_AUTHORITY_HOST" {
				return host
			}
			return ""
		})
		if got := o != nil && o.DisableInstanceDiscovery; got != disabled {
			t.Errorf("AZURE_AUTHORITY_HOST=%q: instance discovery disabled = %v, want %v", host, got, disabled)
		}
	}
}
