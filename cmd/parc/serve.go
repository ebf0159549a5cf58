package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/anras/parc/bot"
	"github.com/anras/parc/bot/auth"
	"github.com/anras/parc/bot/connector"
	"github.com/anras/parc/domain"
	"github.com/anras/parc/storage/bolt"
	"github.com/anras/parc/storage/cosmos"
)

func runServe(ctx context.Context, env *environment, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	demo := fs.Bool("demo", false, "fill an empty store with a realistic establishment first (cars, terminals, licences)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, err := loadSettings(env.getenv)
	if err != nil {
		return err
	}
	log := newLogger(s.LogLevel)
	authOn := s.AppID != ""
	addr, err := bot.ListenAddr(s.ListenHost, s.Port, authOn)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, s)
	if err != nil {
		return err
	}
	defer store.Close()

	validator := auth.New(auth.Config{AppID: s.AppID, MetadataURL: s.OpenIDMetadata, AllowedTenants: s.AllowedTenants, Logger: log})
	cred, err := connector.NewCredential(s.AppType, s.AppID, s.AppPassword, s.AppTenantID, credentialOptions(env.getenv))
	if err != nil {
		return err
	}
	conn := connector.New(connector.Config{Credential: cred, Logger: log})
	if *demo {
		if err := seedDemo(ctx, store, time.Now(), s.Location, log); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
	}
	if s.LinkKeyRandom {
		if s.CosmosEndpoint == "" {
			if key, err := localLinkKey(s.DataDir); err == nil {
				s.LinkKey = key
			} else {
				log.Warn("cannot keep a link key in the data directory", "err", err)
			}
		} else {
			log.Warn("PARC_LINK_SECRET is not set: download and calendar links will stop working when Parc restarts")
		}
	}
	dir, err := openDirectory(ctx, s, env.getenv, log)
	if err != nil {
		return err
	}
	licences, err := loadLicenceConfig(env.getenv)
	if err != nil {
		return err
	}
	licenceDir, _ := dir.(domain.LicenceDirectory)
	clock := domain.SystemClock{}
	b := bot.New(bot.Config{AppID: s.AppID, Admins: s.Admins, Locale: s.Locale, Location: s.Location,
		PublicURL: s.PublicURL(), LinkKey: s.LinkKey, Licences: licences},
		bot.Deps{Store: store, Auth: validator, Connector: conn, Logger: log, Clock: clock, Directory: dir, LicenceDirectory: licenceDir})
	fleetOpts, err := fleetOptions(env.getenv)
	if err != nil {
		return err
	}
	b.SetFleetOptions(fleetOpts)
	sched := bot.NewScheduler(store, clock, log, time.Minute)
	for _, j := range b.Jobs() {
		sched.Add(j)
	}
	go sched.Run(ctx)

	if authOn {
		if err := validator.Warm(ctx); err != nil {
			log.Warn("Bot Framework signing keys not loaded yet; will retry on the first activity", "err", err)
		}
		log.Info("authentication on", "app_id", s.AppID, "app_type", s.AppType)
	} else {
		log.Warn("authentication OFF (MicrosoftAppId is empty): for the Agents Playground or the Bot Framework Emulator only; listening on loopback only")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	log.Info("Parc is listening", "addr", ln.Addr().String(), "webhook", "/api/messages", "store", storeName(s), "time_zone", s.Location.String())
	err = bot.Serve(ctx, ln, b.Handler(), log)
	wctx, cancel := context.WithTimeout(context.Background(), backgroundGrace)
	defer cancel()
	if !b.WaitBackground(wctx) {
		log.Warn("stopped while a licence run was still going; the next run will take over once its lease expires")
	}
	return err
}

// backgroundGrace is how long a stopping bot waits for a licence run
// started from Teams (20 establishments take about 20 s with the posts'
// pacing).
const backgroundGrace = 45 * time.Second

// openStore opens the configured store: Cosmos DB when COSMOS_ENDPOINT is
// set, the embedded one otherwise.
func openStore(ctx context.Context, s settings) (domain.Store, error) {
	if s.CosmosEndpoint != "" {
		return openCosmos(ctx, s)
	}
	st, err := bolt.Open(s.DataDir, bolt.Options{})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// cosmosOpenTimeout bounds the start: creating a database and its
// containers takes seconds; a minute means something is wrong.
const cosmosOpenTimeout = time.Minute

// openCosmos connects with COSMOS_KEY, or without it with Entra ID
// (DefaultAzureCredential: the managed identity in Azure, AZURE_CLIENT_ID
// choosing a user-assigned one; az login on a laptop).
func openCosmos(ctx context.Context, s settings) (domain.Store, error) {
	ctx, cancel := context.WithTimeout(ctx, cosmosOpenTimeout)
	defer cancel()
	cfg := cosmos.Config{Endpoint: s.CosmosEndpoint, Database: s.CosmosDatabase, Key: s.CosmosKey, Logger: newLogger(s.LogLevel)}
	if cfg.Key == "" {
		cred, err := azidentity.NewDefaultAzureCredential(nil)
		if err != nil {
			return nil, fmt.Errorf("cosmos: COSMOS_KEY is empty and no Entra ID credential is available: set COSMOS_KEY or run with a managed identity: %w", err)
		}
		cfg.Credential = cred
	}
	return cosmos.Open(ctx, cfg)
}

// storeName says which store the settings select, for the start-up log.
func storeName(s settings) string {
	if s.CosmosEndpoint != "" {
		return "cosmos " + s.CosmosEndpoint + " database " + s.CosmosDatabase
	}
	return "embedded " + s.DataDir
}

// knownAuthorities are the Microsoft Entra hosts that MSAL's instance
// discovery knows (public cloud and national clouds).
var knownAuthorities = []string{"login.microsoftonline.com", "login.microsoftonline.us", "login.chinacloudapi.cn", "login.partner.microsoftonline.cn"}

// credentialOptions turns off MSAL's instance discovery when
// AZURE_AUTHORITY_HOST names another authority (a private cloud, a test
// token service): discovery asks login.microsoftonline.com about it and
// fails where that host cannot be reached.
func credentialOptions(getenv func(string) string) *azidentity.ClientSecretCredentialOptions {
	host := strings.TrimSpace(getenv("AZURE_AUTHORITY_HOST"))
	if host == "" {
		return nil
	}
	if u, err := url.Parse(host); err == nil && slices.Contains(knownAuthorities, strings.ToLower(u.Hostname())) {
		return nil
	}
	return &azidentity.ClientSecretCredentialOptions{DisableInstanceDiscovery: true}
}

// localLinkKey reads the link key kept in the data directory, creating it on
// first use, so that on a laptop the links survive a restart without any
// setting.
func localLinkKey(dir string) ([]byte, error) {
	path := filepath.Join(dir, "link-secret")
	if b, err := os.ReadFile(path); err == nil && len(b) >= 32 {
		return b, nil
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	return key, os.WriteFile(path, key, 0o600)
}

// openFromEnv reads the settings and opens the configured store: what every
// administration subcommand starts with. The caller closes the store.
func openFromEnv(ctx context.Context, env *environment) (settings, domain.Store, error) {
	s, err := loadSettings(env.getenv)
	if err != nil {
		return s, nil, err
	}
	store, err := openStore(ctx, s)
	return s, store, err
}
