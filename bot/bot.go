package bot

import (
	"log/slog"
	"sync"
	"time"

	"github.com/anras/parc/bot/auth"
	"github.com/anras/parc/bot/connector"
	"github.com/anras/parc/domain"
	"github.com/gin-gonic/gin"
)

// Config is the bot's behaviour, read from the environment by cmd/parc.
type Config struct {
	// AppID is the bot's Microsoft App ID; empty turns authentication off
	// (Agents Playground, Bot Framework Emulator).
	AppID string
	// Admins are Entra object ids that are admins whatever the store says
	// (PARC_ADMINS): they bootstrap the first role assignments.
	Admins []string
	// Locale forces a language for users who did not choose one: "fr",
	// "en", or "auto" (default: follow the Teams locale, French otherwise).
	Locale string
	// Location is where times are shown (PARC_TIMEZONE, Europe/Paris).
	Location *time.Location
	// DedupWindow is how long an activity id is remembered (10 minutes).
	DedupWindow time.Duration
	// MaxBodyBytes bounds an incoming request body (256 KiB).
	MaxBodyBytes int64
}

func (c *Config) setDefaults() {
	if c.Location == nil {
		c.Location = time.UTC
		if loc, err := time.LoadLocation("Europe/Paris"); err == nil {
			c.Location = loc
		}
	}
	if c.DedupWindow == 0 {
		c.DedupWindow = 10 * time.Minute
	}
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = 256 << 10
	}
	if c.Locale == "" {
		c.Locale = "auto"
	}
}

// Deps are the bot's collaborators, built by cmd/parc.
type Deps struct {
	Store     domain.Store
	Auth      *auth.Validator
	Connector *connector.Client
	Clock     domain.Clock
	Logger    *slog.Logger
}

// Bot handles Teams activities. Build it with New; it is safe for
// concurrent use.
type Bot struct {
	cfg    Config
	store  domain.Store
	auth   *auth.Validator
	conn   *connector.Client
	clock  domain.Clock
	log    *slog.Logger
	router *Router
	notify *Notifier

	// seen remembers what was last written for each conversation and user,
	// so that an everyday message does not rewrite unchanged records.
	seenMu sync.Mutex
	seen   map[string]seenEntry

	extraRoutes []route
	onFiles     *FileHandler
}

type route struct {
	method, path string
	handler      gin.HandlerFunc
}

// Route adds an HTTP route next to the webhook (calendar feeds, signed
// downloads). Call it before Handler.
func (b *Bot) Route(method, path string, h gin.HandlerFunc) {
	b.extraRoutes = append(b.extraRoutes, route{method, path, h})
}

type seenEntry struct {
	ref       domain.ConversationRef
	user      domain.User
	writtenAt time.Time
}

// New returns a bot with every feature's commands and card verbs registered.
func New(cfg Config, d Deps) *Bot {
	cfg.setDefaults()
	if d.Clock == nil {
		d.Clock = domain.SystemClock{}
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	b := &Bot{
		cfg: cfg, store: d.Store, auth: d.Auth, conn: d.Connector, clock: d.Clock, log: d.Logger,
		router: NewRouter(), seen: map[string]seenEntry{},
	}
	b.notify = &Notifier{store: d.Store, conn: d.Connector, log: d.Logger, clock: d.Clock}
	b.registerCore(b.router)
	return b
}

// Notifier returns the bot's proactive messenger (reminders, channel posts).
func (b *Bot) Notifier() *Notifier { return b.notify }

// OnFiles sets the handler for messages that carry files and no text.
func (b *Bot) OnFiles(h FileHandler) { b.onFiles = &h }
