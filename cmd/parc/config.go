package main

import (
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// settings are read from the environment, with the Bot Framework's usual
// names for the bot's identity.
type settings struct {
	AppType, AppID, AppPassword, AppTenantID string
	OpenIDMetadata                           string
	Port                                     int
	ListenHost                               string
	DataDir                                  string
	Location                                 *time.Location
	Admins                                   []string
	AllowedTenants                           []string
	Locale                                   string
	LogLevel                                 slog.Level
	// PublicHost is the bot's public host name (PARC_PUBLIC_HOST), used in
	// the links it signs; empty on a laptop.
	PublicHost string
	// LinkKey signs those links: PARC_LINK_SECRET, else derived from the
	// app password, else random for this process (links then die with it).
	LinkKey       []byte
	LinkKeyRandom bool
	// Cosmos DB: COSMOS_ENDPOINT set switches the bot from the embedded
	// store to Cosmos DB; the key is optional (empty: Entra ID through
	// DefaultAzureCredential, the managed identity in Azure).
	CosmosEndpoint, CosmosDatabase, CosmosKey string
}

var guidRe = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12,13}$`)

// loadSettings reads and checks the settings; the error is one line that
// names the setting to fix.
func loadSettings(getenv func(string) string) (settings, error) {
	s := settings{
		AppType: strings.TrimSpace(getenv("MicrosoftAppType")), AppID: strings.TrimSpace(getenv("MicrosoftAppId")),
		AppPassword: getenv("MicrosoftAppPassword"), AppTenantID: strings.TrimSpace(getenv("MicrosoftAppTenantId")),
		OpenIDMetadata: strings.TrimSpace(getenv("BotOpenIdMetadata")),
		ListenHost:     strings.TrimSpace(getenv("PARC_LISTEN_HOST")),
		DataDir:        strings.TrimSpace(getenv("PARC_DATA_DIR")),
		Locale:         strings.ToLower(strings.TrimSpace(getenv("PARC_LOCALE"))),
	}
	if s.DataDir == "" {
		s.DataDir = "data"
	}
	if s.AppID == "" {
		if s.AppPassword != "" || s.AppTenantID != "" || s.AppType != "" {
			return s, errors.New("MicrosoftAppPassword, MicrosoftAppTenantId or MicrosoftAppType is set but MicrosoftAppId is empty: set MicrosoftAppId too, or none of them to run without authentication (Agents Playground)")
		}
	} else {
		if s.AppType == "" {
			s.AppType = "SingleTenant"
		}
		switch s.AppType {
		case "SingleTenant":
			if s.AppPassword == "" || s.AppTenantID == "" {
				return s, errors.New("MicrosoftAppType=SingleTenant needs MicrosoftAppPassword and MicrosoftAppTenantId")
			}
		case "MultiTenant":
			if s.AppPassword == "" {
				return s, errors.New("MicrosoftAppType=MultiTenant needs MicrosoftAppPassword")
			}
		case "UserAssignedMSI":
			if s.AppPassword != "" {
				return s, errors.New("MicrosoftAppType=UserAssignedMSI uses the managed identity: remove MicrosoftAppPassword")
			}
		default:
			return s, fmt.Errorf("MicrosoftAppType=%q: use SingleTenant, MultiTenant or UserAssignedMSI", s.AppType)
		}
	}
	port := strings.TrimSpace(getenv("PORT"))
	if port == "" {
		port = "3978"
	}
	p, err := strconv.Atoi(port)
	if err != nil || p <= 0 || p > 65535 {
		return s, fmt.Errorf("PORT=%q is not a TCP port number", port)
	}
	s.Port = p
	tz := strings.TrimSpace(getenv("PARC_TIMEZONE"))
	if tz == "" {
		tz = "Europe/Paris"
	}
	if s.Location, err = time.LoadLocation(tz); err != nil {
		return s, fmt.Errorf("PARC_TIMEZONE=%q is not a time zone (for example Europe/Paris)", tz)
	}
	switch s.Locale {
	case "", "auto", "fr", "en":
	default:
		return s, fmt.Errorf("PARC_LOCALE=%q: use auto, fr or en", s.Locale)
	}
	for _, id := range splitList(getenv("PARC_ADMINS")) {
		if !guidRe.MatchString(id) {
			return s, fmt.Errorf("PARC_ADMINS: %q is not an Entra object id (a GUID)", id)
		}
		s.Admins = append(s.Admins, strings.ToLower(id))
	}
	s.AllowedTenants = splitList(getenv("PARC_ALLOWED_TENANTS"))
	s.PublicHost = strings.TrimSpace(getenv("PARC_PUBLIC_HOST"))
	if strings.ContainsAny(s.PublicHost, "/:") {
		return s, fmt.Errorf("PARC_PUBLIC_HOST=%q: give the bare host name (parc.example.org), without scheme, port or path", s.PublicHost)
	}
	switch secret := getenv("PARC_LINK_SECRET"); {
	case secret != "" && len(secret) < 32:
		return s, errors.New("PARC_LINK_SECRET must be at least 32 characters")
	case secret != "":
		s.LinkKey = []byte(secret)
	case s.AppPassword != "":
		h := sha256.Sum256([]byte("parc links\x00" + s.AppPassword))
		s.LinkKey = h[:]
	default:
		s.LinkKey = make([]byte, 32)
		_, _ = rand.Read(s.LinkKey)
		s.LinkKeyRandom = true
	}
	if err := loadCosmos(&s, getenv); err != nil {
		return s, err
	}
	if lvl := strings.TrimSpace(getenv("PARC_LOG_LEVEL")); lvl != "" {
		if err := s.LogLevel.UnmarshalText([]byte(lvl)); err != nil {
			return s, fmt.Errorf("PARC_LOG_LEVEL=%q: use debug, info, warn or error", lvl)
		}
	}
	return s, nil
}

// loadCosmos reads the Cosmos DB settings. Plain http is accepted only for
// an emulator on this machine: a key must not cross a network in clear.
func loadCosmos(s *settings, getenv func(string) string) error {
	s.CosmosEndpoint = strings.TrimSpace(getenv("COSMOS_ENDPOINT"))
	s.CosmosDatabase = strings.TrimSpace(getenv("COSMOS_DATABASE"))
	s.CosmosKey = strings.TrimSpace(getenv("COSMOS_KEY"))
	if s.CosmosEndpoint == "" {
		if s.CosmosKey != "" || s.CosmosDatabase != "" {
			return errors.New("COSMOS_KEY or COSMOS_DATABASE is set but COSMOS_ENDPOINT is empty: set COSMOS_ENDPOINT to use Cosmos DB, or none of them for the embedded store")
		}
		return nil
	}
	u, err := url.Parse(s.CosmosEndpoint)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("COSMOS_ENDPOINT=%q is not an account URL such as https://ACCOUNT.documents.azure.com:443/", s.CosmosEndpoint)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return fmt.Errorf("COSMOS_ENDPOINT=%q: use https (plain http is only for an emulator on 127.0.0.1)", s.CosmosEndpoint)
	}
	if s.CosmosDatabase == "" {
		s.CosmosDatabase = "parc"
	}
	if len(s.CosmosDatabase) > 255 || strings.ContainsAny(s.CosmosDatabase, `/\?#`) || strings.HasSuffix(s.CosmosDatabase, " ") {
		return fmt.Errorf("COSMOS_DATABASE=%q: a Cosmos DB database name has at most 255 characters and no / \\ ? #", s.CosmosDatabase)
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// PublicURL is where browsers reach the bot.
func (s settings) PublicURL() string {
	if s.PublicHost != "" {
		return "https://" + s.PublicHost
	}
	host := s.ListenHost
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(s.Port))
}

func splitList(v string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		out = append(out, strings.TrimSpace(f))
	}
	return out
}

func newLogger(level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}
