package bot

import (
	"context"
	"sync"
	"time"

	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
)

// LicenceConfig tunes the monthly licence summary. The zero value is the
// production default: the 1st of each month at 07:00 (the bot's time
// zone), 4 establishments read at once, a 15-minute run timeout, one
// channel post per second with 3 tries.
type LicenceConfig struct {
	// Day (1 to 28) and Hour (0 to 23) of the monthly run, in the bot's
	// time zone (PARC_LICENCES_DAY, PARC_LICENCES_HOUR). Day 0 means the
	// default schedule: the 1st at 07:00.
	Day, Hour int
	// Disabled turns the monthly job off (on-demand runs still work).
	Disabled bool
	// RunTimeout bounds a run's directory reads and posts.
	RunTimeout time.Duration
	// Concurrency is how many establishments are read at once.
	Concurrency int
	// PostInterval is the pause between two channel posts: Teams throttles
	// bots that post in bursts.
	PostInterval time.Duration
	// PostAttempts and PostRetryDelay: a failed post is tried again
	// (waiting what Teams' Retry-After says when it says it).
	PostAttempts   int
	PostRetryDelay time.Duration
	// LinkTTL is how long the download links of a posted summary work.
	LinkTTL time.Duration
}

func (c *LicenceConfig) setDefaults() {
	if c.Day < 1 || c.Day > 28 || c.Hour < 0 || c.Hour > 23 {
		c.Day, c.Hour = 1, 7
	}
	if c.RunTimeout <= 0 {
		c.RunTimeout = 15 * time.Minute
	}
	if c.Concurrency <= 0 {
		c.Concurrency = domain.DefaultCollectConcurrency
	}
	if c.PostInterval < 0 {
		c.PostInterval = 0
	} else if c.PostInterval == 0 {
		c.PostInterval = time.Second
	}
	if c.PostAttempts <= 0 {
		c.PostAttempts = 3
	}
	if c.PostRetryDelay <= 0 {
		c.PostRetryDelay = 5 * time.Second
	}
	if c.LinkTTL <= 0 {
		c.LinkTTL = 35 * 24 * time.Hour
	}
}

// licenceFeature is the licence summary's state in the bot.
type licenceFeature struct {
	cfg LicenceConfig
	dir domain.LicenceDirectory
	// background runs started from Teams, so that tests and shutdown can
	// wait for them.
	runs sync.WaitGroup
	// warned is the month the job last said it has no directory: once a
	// month, not every ten minutes.
	mu     sync.Mutex
	warned string
}

func newLicenceFeature(cfg LicenceConfig, dir domain.LicenceDirectory) *licenceFeature {
	cfg.setDefaults()
	return &licenceFeature{cfg: cfg, dir: dir}
}

// WaitLicenceRuns waits for the runs started from Teams to end.
func (b *Bot) WaitLicenceRuns() { b.lic.runs.Wait() }

// WaitBackground waits for the work the bot started in the background (a
// licence run started from Teams) until ctx is done, and reports whether it
// all ended. The server calls it on shutdown, after the turns in flight.
func (b *Bot) WaitBackground(ctx context.Context) bool {
	done := make(chan struct{})
	go func() { b.WaitLicenceRuns(); close(done) }()
	select {
	case <-done:
		return true
	case <-ctx.Done():
		return false
	}
}

// licenceExportPath serves the summaries' XLSX and CSV (signed links).
const licenceExportPath = "/licences/export"

// registerLicences registers the licences feature's commands, card verbs,
// menu entries, routes and jobs.
func (b *Bot) registerLicences(r *Router) {
	admin := domain.RoleAdmin
	r.Command(Command{FR: "lier", EN: "bind", Help: "cmd.licences.bind.desc", Role: admin, Run: b.bindEstablishment})
	r.Command(Command{FR: "lier rapport", EN: "bind report", Aliases: []string{"lier service informatique", "lier si"}, Role: admin, Run: b.bindITChannel})
	r.Command(Command{FR: "licences", EN: "licences", Aliases: []string{"licenses", "synthèse des licences", "licence summary"}, Help: "cmd.licences.desc", Role: admin,
		Run: func(t *Turn, _ string) (cards.Card, error) { return b.licenceRunsCard(t, "") }})
	r.Command(Command{FR: "tarifs", EN: "prices", Aliases: []string{"tarifs des licences", "licence prices"}, Help: "cmd.licences.prices.desc", Role: admin,
		Run: func(t *Turn, _ string) (cards.Card, error) { return b.pricesCard(t, 0, "") }})
	r.Command(Command{FR: "établissements", EN: "establishments", Help: "cmd.licences.est.desc", Role: admin,
		Run: func(t *Turn, _ string) (cards.Card, error) { return b.establishmentsCard(t, 0, "") }})

	// The summary's own buttons: whoever reads the establishment's channel.
	r.Action(Action{Verb: cards.VerbLicenceDetail, Run: b.licenceDetail})
	r.Action(Action{Verb: cards.VerbLicenceSummary, Run: b.licenceSummaryAgain})

	r.Action(Action{Verb: cards.VerbLicenceRuns, Role: admin, Run: func(t *Turn, _ Input) (cards.Card, error) { return b.licenceRunsCard(t, "") }})
	r.Action(Action{Verb: cards.VerbLicenceRunShow, Role: admin, Run: b.licenceRunShow})
	r.Action(Action{Verb: cards.VerbLicenceRunStart, Role: admin, Run: b.licenceRunStart})
	r.Action(Action{Verb: cards.VerbLicenceRunPreview, Role: admin, Run: b.licenceRunPreview})
	r.Action(Action{Verb: cards.VerbLicencePrices, Role: admin, Run: func(t *Turn, in Input) (cards.Card, error) { return b.pricesCard(t, inputInt(in, "page"), "") }})
	r.Action(Action{Verb: cards.VerbLicencePriceSet, Role: admin, Run: b.setPrice})
	r.Action(Action{Verb: cards.VerbLicencePriceDelete, Role: admin, Run: b.deletePrice})
	r.Action(Action{Verb: cards.VerbEstablishments, Role: admin, Run: func(t *Turn, in Input) (cards.Card, error) {
		return b.establishmentsCard(t, inputInt(in, "page"), "")
	}})
	r.Action(Action{Verb: cards.VerbEstablishmentEdit, Role: admin, Run: b.editEstablishment})
	r.Action(Action{Verb: cards.VerbEstablishmentSave, Role: admin, Run: b.saveEstablishment})
	r.Action(Action{Verb: cards.VerbEstablishmentAsk, Role: admin, Run: b.askDeleteEstablishment})
	r.Action(Action{Verb: cards.VerbEstablishmentDelete, Role: admin, Run: b.deleteEstablishment})
	r.Action(Action{Verb: cards.VerbEstablishmentUnbind, Role: admin, Run: b.unbindEstablishment})

	r.Menu(
		MenuEntry{Item: cards.MenuItem{Section: "menu.section.licences", Title: "menu.licences.runs", Verb: cards.VerbLicenceRuns}, Role: admin},
		MenuEntry{Item: cards.MenuItem{Section: "menu.section.licences", Title: "menu.licences.prices", Verb: cards.VerbLicencePrices}, Role: admin},
		MenuEntry{Item: cards.MenuItem{Section: "menu.section.licences", Title: "menu.licences.est", Verb: cards.VerbEstablishments}, Role: admin},
	)
	b.Route("GET", licenceExportPath, b.serveLicenceExport)
	if !b.lic.cfg.Disabled {
		b.addJob(Job{Name: "licences.monthly", Every: 10 * time.Minute, Run: b.licenceJob})
	}
}

// inputInt reads an integer of a card's data (0 when absent or bad).
func inputInt(in Input, key string) int {
	switch v := in.Data[key].(type) {
	case float64:
		return int(v)
	case string:
		n := 0
		for _, c := range v {
			if c < '0' || c > '9' {
				return 0
			}
			n = n*10 + int(c-'0')
			if n > 1_000_000 {
				return 0
			}
		}
		return n
	}
	return 0
}
