package auth

import (
	"encoding/json"
	"testing"

	bfauth "github.com/infracloudio/msbotbuilder-go/connector/auth"
)

func TestIdentityClaimValues(t *testing.T) {
	id := &Identity{
		authenticated: true,
		tenantID:      "t",
		channelID:     "msteams",
		claims: map[string]any{
			"serviceurl": "https://smba.trafficmanager.net/emea/",
			"azp":        "channel-app",
			"exp":        float64(1795870800),
			"num":        json.Number("12"),
			"flag":       true,
			"aud":        []any{"a", "b"},
			"obj":        map[string]any{"x": 1},
			"null":       nil,
		},
	}
	var ci bfauth.ClaimsIdentity = id
	for name, want := range map[string]string{
		"serviceurl": "https://smba.trafficmanager.net/emea/",
		"exp":        "1795870800",
		"num":        "12",
		"flag":       "true",
		"aud":        "",
		"obj":        "",
		"null":       "",
		"missing":    "",
	} {
		if got := ci.GetClaimValue(name); got != want {
			t.Errorf("GetClaimValue(%q) = %q, want %q", name, got, want)
		}
	}
	if id.AppID() != "channel-app" || id.ServiceURL() != "https://smba.trafficmanager.net/emea/" || !ci.IsAuthenticated() {
		t.Errorf("AppID %q, ServiceURL %q, authenticated %v", id.AppID(), id.ServiceURL(), ci.IsAuthenticated())
	}
	id.claims["appid"] = "v1-app"
	if id.AppID() != "v1-app" {
		t.Errorf("AppID() = %q, want appid to win over azp", id.AppID())
	}
	copied := id.Claims()
	copied["serviceurl"] = "https://attacker.example/"
	if id.ServiceURL() == "https://attacker.example/" {
		t.Error("Claims() let the caller change the identity")
	}
}

func TestNilIdentityIsSafe(t *testing.T) {
	var id *Identity
	if id.GetClaimValue("x") != "" || id.IsAuthenticated() || id.AppID() != "" || id.TenantID() != "" ||
		id.ChannelID() != "" || id.Claims() != nil {
		t.Error("a nil *Identity must read as empty and unauthenticated")
	}
}
