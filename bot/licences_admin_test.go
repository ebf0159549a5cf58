package bot_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anras/parc/bot"
	"github.com/anras/parc/bot/connector"
	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
)

func TestLicenceMenuIsForAdmins(t *testing.T) {
	h := newLicenceHarness(t, bot.LicenceConfig{Disabled: true})
	h.say(adminID, "Alice", "aide")
	b := buttons(h.lastCard())
	for _, title := range []string{"Synthèse des licences", "Tarifs des licences", "Établissements"} {
		if _, ok := b[title]; !ok {
			t.Errorf("the admin's menu lacks %q: %v", title, b)
		}
	}
	h.say(staffID, "Bea", "aide")
	if _, ok := buttons(h.lastCard())["Synthèse des licences"]; ok {
		t.Error("a staff member's menu offers the licence summary")
	}
	h.say(staffID, "Bea", "tarifs")
	if !strings.Contains(cardText(h.lastCard()), "réservée aux administrateurs") {
		t.Errorf("a staff member opened the prices: %s", cardText(h.lastCard()))
	}
	if got := cardText(h.invoke(staffID, cards.VerbLicenceRunStart, map[string]any{"force": "true"})); !strings.Contains(got, "réservée aux administrateurs") {
		t.Errorf("a staff member started a run: %s", got)
	}
}

func TestPricesCard(t *testing.T) {
	h := newLicenceHarness(t, bot.LicenceConfig{Disabled: true})
	if _, err := h.bot.RunLicences(ctx, bot.LicenceRunOptions{Trigger: domain.TriggerCLI}); err != nil {
		t.Fatal(err)
	}
	h.say(adminID, "Alice", "tarifs")
	got := cardText(h.lastCard())
	if !strings.Contains(got, "Sans tarif lors de la dernière exécution : CONTOSO_ADDON") || !strings.Contains(got, "Catalogue Microsoft : 3 produits") || !strings.Contains(got, "**Office 365 E3** · 6,30 €") {
		t.Fatalf("prices card:\n%s", got)
	}
	for _, tc := range []struct {
		sku, price, want string
	}{
		{"SPE_E3", "32,40", "Tarif de Microsoft 365 E3 : 32,40 €."},
		{skuAddon, "4", "Tarif de CONTOSO_ADDON : 4,00 €."}, // named after the last run's part number
		{"NOPE", "1", "Le nom technique « NOPE » n'est pas dans le catalogue"},
		{"ENTERPRISEPACK", "six euros", "Tarif invalide : « six euros »"},
	} {
		card := h.invoke(adminID, cards.VerbLicencePriceSet, map[string]any{"sku": tc.sku, "price": tc.price, "name": ""})
		if got := cardText(card); !strings.Contains(got, tc.want) {
			t.Errorf("set %s %s: want %q in\n%s", tc.sku, tc.price, tc.want, got)
		}
	}
	prices, _ := h.store.LicencePrices(ctx)
	if len(prices) != 4 {
		t.Fatalf("prices = %+v", prices)
	}
	if got := cardText(h.invoke(adminID, cards.VerbLicencePriceDelete, map[string]any{"skuId": skuAddon})); !strings.Contains(got, "Tarif de CONTOSO_ADDON retiré") {
		t.Errorf("delete: %s", got)
	}
	if got := cardText(h.invoke(adminID, cards.VerbLicencePriceDelete, map[string]any{"skuId": skuAddon})); !strings.Contains(got, "Aucun tarif n'est enregistré") {
		t.Errorf("delete twice: %s", got)
	}
}

func TestEstablishmentsCard(t *testing.T) {
	h := newLicenceHarness(t, bot.LicenceConfig{Disabled: true})
	h.say(adminID, "Alice", "établissements")
	if got := cardText(h.lastCard()); !strings.Contains(got, "**DITEP-STF** · DITEP Saint-François") || !strings.Contains(got, "lier DITEP-STF") {
		t.Fatalf("establishments card:\n%s", got)
	}
	add := map[string]any{"est_code": "cep-garona", "est_name": "CEP Garona", "est_groups": groupCef + ",\n" + strings.ToUpper(groupDitep), "est_correspondents": ""}
	if got := cardText(h.invoke(adminID, cards.VerbEstablishmentSave, add)); !strings.Contains(got, "Établissement CEP-GARONA enregistré") {
		t.Fatalf("add: %s", got)
	}
	e, err := h.store.Establishment(ctx, "CEP-GARONA")
	if err != nil || e.Name != "CEP Garona" || len(e.StaffGroupIDs) != 2 || e.StaffGroupIDs[1] != groupDitep || e.UpdatedBy != adminID {
		t.Fatalf("added = %+v, %v", e, err)
	}
	if got := cardText(h.invoke(adminID, cards.VerbEstablishmentSave, add)); !strings.Contains(got, "existe déjà") {
		t.Errorf("add twice: %s", got)
	}
	bad := map[string]any{"est_code": "X Y", "est_name": "n", "est_groups": "", "est_correspondents": ""}
	if got := cardText(h.invoke(adminID, cards.VerbEstablishmentSave, bad)); !strings.Contains(got, "n'est pas valide") {
		t.Errorf("bad code: %s", got)
	}
	if got := cardText(h.invoke(adminID, cards.VerbEstablishmentSave, map[string]any{"establishment": "CEP-GARONA", "est_name": "CEP Garona", "est_groups": "pas-un-guid"})); !strings.Contains(got, "« pas-un-guid » n'est pas un identifiant de groupe") {
		t.Errorf("bad group: %s", got)
	}
	edit := cardText(h.invoke(adminID, cards.VerbEstablishmentEdit, map[string]any{"establishment": "CEP-GARONA"}))
	if !strings.Contains(edit, "Modifier CEP-GARONA") {
		t.Fatalf("edit: %s", edit)
	}
	upd := map[string]any{"establishment": "CEP-GARONA", "est_name": "CEP Garona (Toulouse)", "est_groups": groupCef, "est_correspondents": groupSiege}
	if got := cardText(h.invoke(adminID, cards.VerbEstablishmentSave, upd)); !strings.Contains(got, "Établissement CEP-GARONA enregistré") {
		t.Fatalf("update: %s", got)
	}
	if e, _ := h.store.Establishment(ctx, "CEP-GARONA"); e.Name != "CEP Garona (Toulouse)" || len(e.StaffGroupIDs) != 1 || e.CorrespondentGroupID != groupSiege {
		t.Fatalf("updated = %+v", e)
	}
	if got := cardText(h.invoke(adminID, cards.VerbEstablishmentAsk, map[string]any{"establishment": "CEP-GARONA"})); !strings.Contains(got, "Supprimer l'établissement CEP-GARONA") {
		t.Fatalf("ask: %s", got)
	}
	if got := cardText(h.invoke(adminID, cards.VerbEstablishmentDelete, map[string]any{"establishment": "CEP-GARONA"})); !strings.Contains(got, "Établissement CEP-GARONA supprimé") {
		t.Fatalf("delete: %s", got)
	}
	if _, err := h.store.Establishment(ctx, "CEP-GARONA"); !domain.IsNotFound(err) {
		t.Fatalf("still there: %v", err)
	}
	h.bind()
	if got := cardText(h.invoke(adminID, cards.VerbEstablishmentUnbind, map[string]any{"establishment": "DITEP-STF"})); !strings.Contains(got, "Le canal de DITEP-STF est délié") {
		t.Fatalf("unbind: %s", got)
	}
	if e, _ := h.store.Establishment(ctx, "DITEP-STF"); e.ChannelID != "" {
		t.Fatalf("still bound: %+v", e)
	}
}

func TestRunFromTeams(t *testing.T) {
	h := newLicenceHarness(t, bot.LicenceConfig{Disabled: true})
	h.bind()
	h.say(adminID, "Alice", "licences")
	got := cardText(h.lastCard())
	// November's run is due (none yet): the next one is now.
	for _, want := range []string{"Synthèse mensuelle des licences", "le 1 de chaque mois à 07:00", "Prochaine exécution\n28/11/2026 à 10:00", "Microsoft Graph", "Aucune exécution"} {
		if !strings.Contains(got, want) {
			t.Errorf("runs card lacks %q:\n%s", want, got)
		}
	}
	preview := cardText(h.invoke(adminID, cards.VerbLicenceRunPreview, nil))
	if !strings.Contains(preview, "Aperçu : rien n'a été publié") || !strings.Contains(preview, "Aperçu, non publiée") || !strings.Contains(preview, "ERREUR") {
		t.Fatalf("preview:\n%s", preview)
	}
	before := len(h.peer.sent())
	started := cardText(h.invoke(adminID, cards.VerbLicenceRunStart, map[string]any{"force": "false"}))
	if !strings.Contains(started, "lancée") {
		t.Fatalf("start: %s", started)
	}
	h.bot.WaitLicenceRuns()
	posts := h.posts(before)
	if len(posts[channelDitep]) != 1 || len(posts[channelIT]) != 1 {
		t.Fatalf("posts after a run from Teams: %v", keys(posts))
	}
	runs, _ := h.store.ListLicenceRuns(ctx, 0)
	if len(runs) != 1 || runs[0].Trigger != domain.TriggerBot || runs[0].By != "Alice" || runs[0].Status != domain.RunDone {
		t.Fatalf("runs = %+v", runs)
	}
	if got := cardText(h.invoke(adminID, cards.VerbLicenceRunShow, map[string]any{"run": runs[0].ID})); !strings.Contains(got, "depuis Teams par Alice") {
		t.Fatalf("show: %s", got)
	}
	if got := cardText(h.invoke(adminID, cards.VerbLicenceRunShow, map[string]any{"run": "nope"})); !strings.Contains(got, "Je ne trouve pas l'exécution") {
		t.Fatalf("show unknown: %s", got)
	}
}

// TestMonthlyJobAcrossDST: the job runs once a month, at the configured
// hour in Paris, through the changes of time.
func TestMonthlyJobAcrossDST(t *testing.T) {
	for _, tc := range []struct {
		name      string
		day, hour int
		notYet    time.Time // just before the run
		due       time.Time // the run
		nextMonth time.Time // next month's run
	}{
		// 25 October 2026, 02:00 happens twice in Paris: the second one
		// (01:00 UTC) counts.
		{"autumn", 25, 2, time.Date(2026, 10, 25, 0, 59, 0, 0, time.UTC), time.Date(2026, 10, 25, 1, 0, 0, 0, time.UTC), time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)},
		// 28 March 2027, 02:00 does not exist in Paris: 03:00 CEST (01:00 UTC).
		{"spring", 28, 2, time.Date(2027, 3, 28, 0, 59, 0, 0, time.UTC), time.Date(2027, 3, 28, 1, 0, 0, 0, time.UTC), time.Date(2027, 4, 28, 0, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newLicenceHarness(t, bot.LicenceConfig{Day: tc.day, Hour: tc.hour})
			h.bind()
			h.clock.Set(tc.notYet)
			sched := bot.NewScheduler(h.store, h.clock, slog.New(slog.DiscardHandler), time.Minute)
			for _, j := range h.bot.Jobs() {
				sched.Add(j)
			}
			count := func() int {
				runs, _ := h.store.ListLicenceRuns(context.Background(), 0)
				return len(runs)
			}
			tick := func(at time.Time) {
				h.clock.Set(at)
				sched.Tick(context.Background())
			}
			tick(tc.notYet)
			if count() != 0 {
				t.Fatalf("ran before %v", tc.due)
			}
			// The job looks every 10 minutes.
			tick(tc.due.Add(10 * time.Minute))
			if count() != 1 {
				t.Fatalf("%d runs after %v, want 1", count(), tc.due)
			}
			for _, later := range []time.Duration{11 * time.Minute, time.Hour + 30*time.Minute, 5 * 24 * time.Hour} {
				tick(tc.due.Add(later))
			}
			if count() != 1 {
				t.Fatalf("%d runs in the month, want 1", count())
			}
			tick(tc.nextMonth.Add(-time.Minute))
			if count() != 1 {
				t.Fatalf("next month's run came early")
			}
			tick(tc.nextMonth.Add(10 * time.Minute))
			if count() != 2 {
				t.Fatalf("%d runs after next month's instant, want 2", count())
			}
			runs, _ := h.store.ListLicenceRuns(context.Background(), 0)
			if runs[0].Trigger != domain.TriggerScheduled || runs[0].Month != tc.nextMonth.In(paris(t)).Format("2006-01") {
				t.Fatalf("latest run = %+v", runs[0])
			}
		})
	}
}

func paris(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestMonthlyJobWithoutDirectory: with neither Graph nor a snapshot the
// job has nothing to read; it stores no run and fails nothing, and a run
// asked for says why.
func TestMonthlyJobWithoutDirectory(t *testing.T) {
	h := newHarness(t, options{admins: []string{adminID}, locale: "fr"})
	for _, j := range h.bot.Jobs() {
		if j.Name != "licences.monthly" {
			continue
		}
		if err := j.Run(context.Background(), time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)); err != nil {
			t.Fatalf("job: %v", err)
		}
	}
	if runs, _ := h.store.ListLicenceRuns(context.Background(), 0); len(runs) != 0 {
		t.Fatalf("runs stored: %+v", runs)
	}
	_, err := h.bot.RunLicences(context.Background(), bot.LicenceRunOptions{Trigger: domain.TriggerCLI})
	if e := domain.AsError(err); e == nil || e.Key != "err.licence.no_directory" {
		t.Fatalf("run without directory: %v", err)
	}
}

// TestTwoReplicasRunTheMonthOnce: two bots share a store, each with its
// scheduler; the month's summary runs and posts once.
func TestTwoReplicasRunTheMonthOnce(t *testing.T) {
	h := newLicenceHarness(t, bot.LicenceConfig{Day: 1, Hour: 7})
	h.bind()
	other := bot.New(h.cfg, bot.Deps{Store: h.store, Clock: h.clock, Logger: slog.New(slog.DiscardHandler), LicenceDirectory: h.dir,
		Connector: connector.New(connector.Config{Logger: slog.New(slog.DiscardHandler)})})
	var scheds []*bot.Scheduler
	for _, b := range []*bot.Bot{h.bot, other} {
		s := bot.NewScheduler(h.store, h.clock, slog.New(slog.DiscardHandler), time.Minute)
		for _, j := range b.Jobs() {
			s.Add(j)
		}
		scheds = append(scheds, s)
	}
	before := len(h.peer.sent())
	for i := range 6 {
		h.clock.Set(time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC).Add(time.Duration(i) * 11 * time.Minute))
		var wg sync.WaitGroup
		for _, s := range scheds {
			wg.Add(1)
			go func() { defer wg.Done(); s.Tick(context.Background()) }()
		}
		wg.Wait()
	}
	runs, _ := h.store.ListLicenceRuns(context.Background(), 0)
	if len(runs) != 1 {
		t.Fatalf("%d runs, want 1", len(runs))
	}
	if posts := h.posts(before); len(posts[channelDitep]) != 1 || len(posts[channelIT]) != 1 {
		t.Fatalf("posts: %v", keys(posts))
	}
}
