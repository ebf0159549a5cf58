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
	// PublicURL is where users' browsers reach the bot (signed links):
	// https://PARC_PUBLIC_HOST, or http://127.0.0.1:PORT on a laptop.
	PublicURL string
	// LinkKey signs those links (PARC_LINK_SECRET).
	LinkKey []byte
	// Licences tunes the monthly licence summary (schedule, pacing).
	Licences LicenceConfig
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
	if c.PublicURL == "" {
		c.PublicURL = "http://127.0.0.1:3978"
	}
}

// Deps are the bot's collaborators, built by cmd/parc.
type Deps struct {
	Store     domain.Store
	Auth      *auth.Validator
	Connector *connector.Client
	Clock     domain.Clock
	Logger    *slog.Logger
	// Directory finds the organisation's people (Graph when configured).
	// When nil, the bot falls back to the members the Bot Connector lists.
	Directory domain.Directory
	// LicenceDirectory answers the licence summary (Graph when
	// configured); when nil, a stored snapshot (the demo's) if any.
	LicenceDirectory domain.LicenceDirectory
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
	links  *Links
	dir    domain.Directory
	jobs   []Job
	lic    *licenceFeature

	// seen remembers what was last written for each conversation and user,
	// so that an everyday message does not rewrite unchanged records.
	seenMu sync.Mutex
	seen   map[string]seenEntry

	extraRoutes []route
	onFiles     []FileHandler

	fleet fleetState // the pool cars feature's settings
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
	b.links = NewLinks(cfg.PublicURL, cfg.LinkKey)
	b.dir = d.Directory
	b.lic = newLicenceFeature(cfg.Licences, d.LicenceDirectory)
	b.registerCore(b.router)
	b.registerPages()
	b.registerFleet(b.router)
	b.registerEquipment(b.router)
	b.registerLicences(b.router)
	return b
}

// Links returns the signer of the links the bot serves.
func (b *Bot) Links() *Links { return b.links }

// Jobs returns the scheduled jobs the features registered; cmd/parc hands
// them to the Scheduler.
func (b *Bot) Jobs() []Job { return b.jobs }

// addJob registers a scheduled job (features call it while registering).
func (b *Bot) addJob(j Job) { b.jobs = append(b.jobs, j) }

// Notifier returns the bot's proactive messenger (reminders, channel posts).
func (b *Bot) Notifier() *Notifier { return b.notify }

// OnFiles adds a handler for messages that carry files and no text; the
// first whose Accept takes the message (or that has no Accept) runs it.
func (b *Bot) OnFiles(h FileHandler) { b.onFiles = append(b.onFiles, h) }
