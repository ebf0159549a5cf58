package auth

import (
	"log/slog"
	"net/http"
	"time"
)

// Defaults and fixed rules of the Bot Framework channel-to-bot protocol.
const (
	// DefaultMetadataURL is the public cloud's OpenID metadata document for
	// tokens sent by the Bot Framework channels (setting BotOpenIdMetadata).
	DefaultMetadataURL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
	// Issuer is the only iss accepted on channel-to-bot tokens.
	Issuer = "https://api.botframework.com"
	// ClockSkew is the tolerance on exp and nbf: the Bot Framework's clocks
	// and ours are not perfectly in step.
	ClockSkew = 5 * time.Minute
	// DefaultRefreshInterval is how old the cached key set may grow before
	// it is fetched again. Microsoft announces new keys in the set days
	// before signing with them, so a daily refresh is enough.
	DefaultRefreshInterval = 24 * time.Hour
	// DefaultMinRefreshGap bounds the refreshes that a caller can provoke:
	// tokens with an unknown kid, and retries after a failed refresh.
	DefaultMinRefreshGap = time.Minute
	// DefaultHTTPTimeout bounds one fetch of the metadata or the key set.
	DefaultHTTPTimeout = 10 * time.Second
)

// Config configures a Validator. The zero value, apart from AppID, is the
// production setting.
type Config struct {
	// AppID is the bot's Microsoft app id (MicrosoftAppId), the audience the
	// tokens must carry. Empty turns authentication off.
	AppID string
	// MetadataURL is the OpenID metadata document (setting
	// BotOpenIdMetadata). Empty means DefaultMetadataURL. Tests point it at
	// an authtest.Issuer.
	MetadataURL string
	// AllowedTenants lists the Microsoft Entra tenant ids that may use the
	// bot (compared without regard to case). Empty allows every tenant.
	AllowedTenants []string
	// HTTPClient fetches the metadata and the key set. Nil means a client
	// with a DefaultHTTPTimeout timeout.
	HTTPClient *http.Client
	// Now is the clock for token lifetimes and cache ages. Nil means
	// time.Now.
	Now func() time.Time
	// RefreshInterval is the age after which the key set is fetched again.
	// Zero means DefaultRefreshInterval.
	RefreshInterval time.Duration
	// MinRefreshGap is the least time between two refreshes triggered by an
	// unknown kid, and between two retries of a failing scheduled refresh.
	// Zero means DefaultMinRefreshGap.
	MinRefreshGap time.Duration
	// Logger receives key-set events (refreshes, failures, unknown kids).
	// Nil discards them.
	Logger *slog.Logger
}

// withDefaults returns cfg with every empty optional field filled in.
func (cfg Config) withDefaults() Config {
	if cfg.MetadataURL == "" {
		cfg.MetadataURL = DefaultMetadataURL
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: DefaultHTTPTimeout}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.RefreshInterval <= 0 {
		cfg.RefreshInterval = DefaultRefreshInterval
	}
	if cfg.MinRefreshGap <= 0 {
		cfg.MinRefreshGap = DefaultMinRefreshGap
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return cfg
}
