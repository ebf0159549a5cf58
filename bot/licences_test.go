package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anras/parc/bot"
	"github.com/anras/parc/bot/auth"
	"github.com/anras/parc/bot/connector"
	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
	"github.com/xuri/excelize/v2"
)

// The licence summary, end to end inside the bot: channels bound with
// "lier", a run against a directory, the posts the local connector
// receives, the detail pages, the downloads, the monthly job.

const (
	skuO365E3 = "6fd2c87f-b296-42f0-b197-1e91e994b900"
	skuM365E3 = "05e9a617-0261-4cee-bb44-138d3ef5d965"
	skuFlow   = "f30db892-07e9-47e9-837c-80727f46fd3d"
	skuAddon  = "11111111-2222-4333-8444-555555555555"

	groupDitep = "5b0c7c44-1f0e-4f7e-9a53-1d2a3c4b5e61"
	groupSiege = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
	groupCef   = "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"

	channelDitep = "19:ditep@thread.tacv2"
	channelSiege = "19:siege@thread.tacv2"
	channelIT    = "19:informatique@thread.tacv2"
)

// flakyDirectory serves a snapshot, failing the groups in fail.
type flakyDirectory struct {
	domain.SnapshotDirectory
	fail map[string]error
}

func (d flakyDirectory) GroupMembers(ctx context.Context, g string) ([]domain.LicensedAccount, error) {
	if err := d.fail[g]; err != nil {
		return nil, err
	}
	return d.SnapshotDirectory.GroupMembers(ctx, g)
}

func handTenant() domain.LicenceSnapshot {
	acc := func(id, sn, gn string, enabled bool, skus ...string) domain.LicensedAccount {
		return domain.LicensedAccount{ID: id, Surname: sn, GivenName: gn, DisplayName: gn + " " + sn, Mail: strings.ToLower(string([]rune(gn)[:1])+"."+sn) + "@anras.fr",
			JobTitle: "Éducateur spécialisé (H/F)", Enabled: enabled, SkuIDs: skus}
	}
	return domain.LicenceSnapshot{
		Skus: []domain.SubscribedSku{
			{SkuID: skuO365E3, PartNumber: "ENTERPRISEPACK", Enabled: 10, Consumed: 4},
			{SkuID: skuM365E3, PartNumber: "SPE_E3", Enabled: 1, Consumed: 1},
			{SkuID: skuFlow, PartNumber: "FLOW_FREE", Enabled: 10000, Consumed: 1},
			{SkuID: skuAddon, PartNumber: "CONTOSO_ADDON", Enabled: 5, Consumed: 1},
		},
		Groups: map[string][]domain.LicensedAccount{
			groupDitep: {
				acc("u1", "Dupont", "Marie", true, skuO365E3),
				acc("u2", "Martin", "Paul", true, skuO365E3, skuM365E3),
				acc("u3", "Durand", "Léa", false, skuO365E3),
				acc("u4", "Petit", "Jean", true),
				acc("u5", "Bernard", "Éric", true, skuFlow, skuAddon),
				{DisplayName: "Entrée sans identifiant"}, // found, not processed
			},
			groupCef: {acc("u9", "Roux", "Inès", true, skuO365E3)},
		},
	}
}

type licHarness struct {
	*harness
	dir *flakyDirectory
}

func newLicenceHarness(t *testing.T, cfg bot.LicenceConfig) *licHarness {
	t.Helper()
	st := testStore(t)
	log := testLogger()
	clock := domain.NewManualClock(time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC))
	if cfg.PostInterval == 0 {
		cfg.PostInterval = -1
	}
	if cfg.PostRetryDelay == 0 {
		cfg.PostRetryDelay = time.Millisecond
	}
	dir := &flakyDirectory{SnapshotDirectory: domain.SnapshotDirectory{Snapshot: handTenant()}, fail: map[string]error{
		groupSiege: domain.Wrap(io.ErrUnexpectedEOF, domain.EUNAVAILABLE, "error.unavailable"),
	}}
	bcfg := bot.Config{Admins: []string{adminID}, Locale: "fr", PublicURL: "https://parc.example.org", LinkKey: bytes.Repeat([]byte("k"), 32), Licences: cfg}
	b := bot.New(bcfg, bot.Deps{Store: st, Auth: auth.New(auth.Config{Logger: log}), Connector: connector.New(connector.Config{Logger: log}),
		Clock: clock, Logger: log, LicenceDirectory: dir})
	h := &harness{t: t, bot: b, h: b.Handler(), store: st, peer: newPeer(t), clock: clock, cfg: bcfg}
	lh := &licHarness{harness: h, dir: dir}
	lh.seed()
	return lh
}

// seed stores the establishments, the catalogue and the prices of the
// worked example.
func (h *licHarness) seed() {
	h.t.Helper()
	for _, e := range []domain.Establishment{
		{Code: "ANRAS-SOC", Name: "ANRAS Siège social", StaffGroupIDs: []string{groupSiege}},
		{Code: "CEF-LP", Name: "CEF La Poujade", StaffGroupIDs: []string{groupCef}},
		{Code: "DITEP-STF", Name: "DITEP Saint-François", StaffGroupIDs: []string{groupDitep}},
	} {
		if err := h.store.CreateEstablishment(ctx, e); err != nil {
			h.t.Fatal(err)
		}
	}
	products := []domain.LicenceProduct{
		{SkuID: skuO365E3, PartNumber: "ENTERPRISEPACK", Name: "Office 365 E3", ServicePlans: []domain.ServicePlan{{Name: "EXCHANGE_S_ENTERPRISE"}, {Name: "TEAMS1"}}},
		{SkuID: skuM365E3, PartNumber: "SPE_E3", Name: "Microsoft 365 E3", ServicePlans: []domain.ServicePlan{{Name: "EXCHANGE_S_ENTERPRISE"}, {Name: "TEAMS1"}, {Name: "INTUNE_A"}}},
		{SkuID: skuFlow, PartNumber: "FLOW_FREE", Name: "Microsoft Power Automate Free"},
	}
	if err := h.store.PutLicenceProducts(ctx, products); err != nil {
		h.t.Fatal(err)
	}
	for sku, p := range map[string]domain.Money{skuO365E3: 630, skuM365E3: 3000, skuFlow: 0} {
		if err := h.store.SetLicencePrice(ctx, domain.LicencePrice{SkuID: sku, Price: p}); err != nil {
			h.t.Fatal(err)
		}
	}
}

// inChannel sends text from user in a team channel, @mentioning Parc.
func (h *licHarness) inChannel(user, channel, text string) map[string]any {
	h.t.Helper()
	act := h.activity("message-channel-general-mention-ui")
	act["id"] = "c-" + text + time.Now().Format("150405.000000000")
	act["text"] = "<at>Parc</at> " + text
	act["from"] = map[string]any{"id": "29:" + user, "name": "Alice Martin", "aadObjectId": user}
	act["conversation"].(map[string]any)["id"] = channel + ";messageid=17000"
	act["channelData"].(map[string]any)["channel"] = map[string]any{"id": channel}
	before := len(h.peer.cards())
	h.post(act, "")
	cs := h.peer.cards()
	if len(cs) == before {
		h.t.Fatalf("no answer to %q in %s", text, channel)
	}
	return cs[len(cs)-1]
}

// clickInChannel presses an Action.Execute button of a card posted in a
// channel (the thread of the post).
func (h *licHarness) clickInChannel(user, channel, verb string, data map[string]any) map[string]any {
	h.t.Helper()
	act := h.activity("invoke-adaptiveCard-action-channel-with-input")
	act["id"] = "ci-" + verb + time.Now().Format("150405.000000000")
	act["from"] = map[string]any{"id": "29:" + user, "aadObjectId": user}
	act["conversation"].(map[string]any)["id"] = channel + ";messageid=18000"
	if cd, ok := act["channelData"].(map[string]any); ok {
		cd["channel"] = map[string]any{"id": channel}
	}
	act["value"] = map[string]any{"action": map[string]any{"type": "Action.Execute", "verb": verb, "data": data}}
	rec := h.post(act, "")
	var resp struct {
		Value map[string]any `json:"value"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || resp.Value == nil {
		h.t.Fatalf("invoke %s: %d %s", verb, rec.Code, rec.Body)
	}
	return resp.Value
}

// bind binds the example's channels as an admin would.
func (h *licHarness) bind() {
	h.t.Helper()
	for _, b := range []struct{ channel, text string }{{channelDitep, "lier ditep-stf"}, {channelSiege, "lier ANRAS-SOC"}, {channelIT, "lier rapport"}} {
		if got := cardText(h.inChannel(adminID, b.channel, b.text)); !strings.Contains(got, "Canal lié") {
			h.t.Fatalf("%q answered %s", b.text, got)
		}
	}
}

// posts returns the cards posted as new channel threads since index from,
// by channel id.
func (h *licHarness) posts(from int) map[string][]map[string]any {
	out := map[string][]map[string]any{}
	for _, s := range h.peer.sent()[from:] {
		if s.Method != http.MethodPost || !strings.HasSuffix(s.Path, "/v3/conversations") {
			continue
		}
		ch, _ := s.Body["channelData"].(map[string]any)["channel"].(map[string]any)["id"].(string)
		out[ch] = append(out[ch], cardsIn(s.Body)...)
	}
	return out
}

func TestBindingChannels(t *testing.T) {
	h := newLicenceHarness(t, bot.LicenceConfig{Disabled: true})
	if got := cardText(h.inChannel(staffID, channelDitep, "lier DITEP-STF")); !strings.Contains(got, "réservée aux administrateurs") {
		t.Fatalf("a staff member bound a channel: %s", got)
	}
	if got := cardText(h.inChannel(adminID, channelDitep, "lier NOPE")); !strings.Contains(got, "Je ne connais pas l'établissement « NOPE »") {
		t.Fatalf("unknown code: %s", got)
	}
	if got := cardText(h.inChannel(adminID, channelDitep, "lier")); !strings.Contains(got, "Précisez le code de l'établissement") {
		t.Fatalf("no code: %s", got)
	}
	h.say(adminID, "Alice", "lier DITEP-STF")
	if got := cardText(h.lastCard()); !strings.Contains(got, "pas dans une conversation privée") {
		t.Fatalf("bind in a personal chat: %s", got)
	}
	h.bind()
	e, _ := h.store.Establishment(ctx, "DITEP-STF")
	if e.ChannelID != channelDitep || e.UpdatedBy != adminID {
		t.Fatalf("DITEP-STF = %+v", e)
	}
	ref, err := h.store.Conversation(ctx, channelDitep)
	if err != nil || ref.Kind != domain.ConversationChannel || ref.ServiceURL != h.peer.URL() {
		t.Fatalf("the channel's reference = %+v, %v", ref, err)
	}
	if st, _ := h.store.LicenceSettings(ctx); st.ITChannelID != channelIT {
		t.Fatalf("IT channel = %+v", st)
	}
}

func TestLicenceRunPostsSummariesAndReport(t *testing.T) {
	h := newLicenceHarness(t, bot.LicenceConfig{Disabled: true})
	h.bind()
	before := len(h.peer.sent())
	res, err := h.bot.RunLicences(ctx, bot.LicenceRunOptions{Trigger: domain.TriggerCLI})
	if err != nil {
		t.Fatal(err)
	}
	posts := h.posts(before)
	if len(posts[channelDitep]) != 1 || len(posts[channelIT]) != 1 || len(posts[channelSiege]) != 0 || len(posts) != 2 {
		t.Fatalf("posts by channel: %v", keys(posts))
	}
	summary := cardText(posts[channelDitep][0])
	for _, want := range []string{
		"Synthèse des licences : DITEP Saint-François", "novembre 2026 · 5 comptes",
		"48,90 € (hors licences sans tarif)", // 6,30 + 36,30 + 6,30, CONTOSO_ADDON has no price
		"Office 365 E3", "18,90 €", "Microsoft 365 E3", "30,00 €",
		"1 compte(s) désactivé(s) détiennent encore des licences payantes : DURAND Léa",
		"1 compte(s) cumulent des offres qui se recouvrent : MARTIN Paul (Microsoft 365 E3 + Office 365 E3)",
		"CONTOSO_ADDON (N/A)", "1 compte(s) sans aucune licence : PETIT Jean",
		"Première synthèse", "Voir le détail", "Tableau Excel",
	} {
		if !strings.Contains(summary, want) {
			t.Errorf("the summary lacks %q:\n%s", want, summary)
		}
	}
	report := cardText(posts[channelIT][0])
	for _, want := range []string{
		"rapport d'exécution", "1 établissement(s) sur 3 en ERREUR",
		"ANRAS Siège social", "ERREUR", "unexpected EOF", // the failing group, with its reason
		"CEF La Poujade", "1/1", "Aucun canal lié",
		"DITEP Saint-François", "5/6", "Publiée",
		"Total", "6/7", "55,20 €", // 48,90 + 6,30
		"Licences achetées non attribuées", "Office 365 E3",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("the report lacks %q:\n%s", want, report)
		}
	}
	stored, err := h.store.LicenceRun(ctx, res.Run.ID)
	if err != nil || stored.Status != domain.RunDone || stored.ReportPost == "" || len(stored.Establishments) != 3 {
		t.Fatalf("stored run = %+v, %v", stored, err)
	}
	if rep, err := h.store.LicenceReport(ctx, res.Run.ID, "DITEP-STF"); err != nil || len(rep.Accounts) != 5 {
		t.Fatalf("stored report: %d accounts, %v", len(rep.Accounts), err)
	}
}

func keys(m map[string][]map[string]any) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"×"+string(rune('0'+len(v))))
	}
	return out
}

func TestLicenceRunPostsOnceAMonthUnlessForced(t *testing.T) {
	h := newLicenceHarness(t, bot.LicenceConfig{Disabled: true})
	h.bind()
	if _, err := h.bot.RunLicences(ctx, bot.LicenceRunOptions{Trigger: domain.TriggerCLI}); err != nil {
		t.Fatal(err)
	}
	// A month later than the first run's previous one: change since then.
	h.dir.Snapshot.Groups[groupDitep] = h.dir.Snapshot.Groups[groupDitep][:4]
	h.clock.Advance(time.Hour)
	before := len(h.peer.sent())
	res, err := h.bot.RunLicences(ctx, bot.LicenceRunOptions{Trigger: domain.TriggerCLI})
	if err != nil {
		t.Fatal(err)
	}
	posts := h.posts(before)
	if len(posts[channelDitep]) != 0 || len(posts[channelIT]) != 1 {
		t.Fatalf("second run of the month posted %v", keys(posts))
	}
	if !strings.Contains(cardText(posts[channelIT][0]), "Déjà publiée ce mois-ci") {
		t.Fatalf("the report does not say it was already posted:\n%s", cardText(posts[channelIT][0]))
	}
	if res.Run.Establishments[2].Skipped != domain.SkipAlreadyPosted {
		t.Fatalf("DITEP-STF = %+v", res.Run.Establishments[2])
	}
	// The second run compared with the first all the same.
	if c := res.Summaries[1].Changes; c == nil || len(c.AccountsRemoved) != 1 || c.AccountsRemoved[0] != "BERNARD Éric" || c.Difference() != 0 {
		t.Fatalf("changes of the second run = %+v", c)
	}
	h.clock.Advance(time.Hour)
	before = len(h.peer.sent())
	if _, err := h.bot.RunLicences(ctx, bot.LicenceRunOptions{Trigger: domain.TriggerCLI, Force: true, Establishment: "ditep-stf"}); err != nil {
		t.Fatal(err)
	}
	posts = h.posts(before)
	if len(posts[channelDitep]) != 1 {
		t.Fatalf("a forced run posted %v", keys(posts))
	}
	summary := cardText(posts[channelDitep][0])
	for _, want := range []string{"Aucun changement depuis le 28/11/2026", "Comptes\n4 (3 actifs, 1 désactivés)"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the forced summary lacks %q:\n%s", want, summary)
		}
	}
	// Another run holds the run lease: refused at once.
	if ok, _ := h.store.AcquireLease(ctx, "licence-run", "other-replica", h.clock.Now(), time.Hour); !ok {
		t.Fatal("lease")
	}
	if _, err := h.bot.RunLicences(ctx, bot.LicenceRunOptions{Trigger: domain.TriggerCLI}); !domain.IsConflict(err) {
		t.Fatalf("a run while another runs: %v, want ECONFLICT", err)
	}
	// A dry run needs no lease and posts and stores nothing.
	runs, _ := h.store.ListLicenceRuns(ctx, 0)
	before = len(h.peer.sent())
	res, err = h.bot.RunLicences(ctx, bot.LicenceRunOptions{Trigger: domain.TriggerCLI, DryRun: true})
	if err != nil || len(res.Summaries) != 2 || len(h.peer.sent()) != before {
		t.Fatalf("dry run: %d summaries, %v, %d requests", len(res.Summaries), err, len(h.peer.sent())-before)
	}
	if after, _ := h.store.ListLicenceRuns(ctx, 0); len(after) != len(runs) {
		t.Fatalf("a dry run stored a run")
	}
}

func TestLicenceDetailAndDownloads(t *testing.T) {
	h := newLicenceHarness(t, bot.LicenceConfig{Disabled: true})
	h.bind()
	res, err := h.bot.RunLicences(ctx, bot.LicenceRunOptions{Trigger: domain.TriggerCLI})
	if err != nil {
		t.Fatal(err)
	}
	data := map[string]any{"run": res.Run.ID, "establishment": "DITEP-STF", "page": 0}
	// Anyone reading the establishment's channel pages through the detail.
	detail := cardText(h.clickInChannel(staffID, channelDitep, cards.VerbLicenceDetail, data))
	for _, want := range []string{"Détail des comptes : DITEP Saint-François", "Comptes 1 à 5 sur 5", "BERNARD", "Éric", "é.bernard@anras.fr",
		"Microsoft Power Automate Free", "N/A", "DURAND", "désactivé", "36,30 €", "Retour à la synthèse"} {
		if !strings.Contains(detail, want) {
			t.Errorf("the detail lacks %q:\n%s", want, detail)
		}
	}
	back := cardText(h.clickInChannel(staffID, channelDitep, cards.VerbLicenceSummary, data))
	if !strings.Contains(back, "48,90 €") {
		t.Errorf("back to the summary:\n%s", back)
	}
	// Not from another channel, nor from a personal chat, unless admin.
	if got := cardText(h.clickInChannel(staffID, channelSiege, cards.VerbLicenceDetail, data)); !strings.Contains(got, "se consulte dans le canal de l'établissement") {
		t.Errorf("detail from another channel:\n%s", got)
	}
	h.say(staffID, "Bea", "aide")
	if got := cardText(h.invoke(staffID, cards.VerbLicenceDetail, data)); !strings.Contains(got, "se consulte dans le canal") {
		t.Errorf("detail from a personal chat:\n%s", got)
	}
	h.say(adminID, "Alice", "aide")
	if got := cardText(h.invoke(adminID, cards.VerbLicenceDetail, data)); !strings.Contains(got, "Comptes 1 à 5 sur 5") {
		t.Errorf("an admin's detail:\n%s", got)
	}

	// The downloads of the posted card.
	var xlsx, csvURL string
	walk(h.posts(0)[channelDitep][0], func(m map[string]any) {
		if m["type"] == "Action.OpenUrl" {
			if strings.Contains(m["url"].(string), "format=xlsx") {
				xlsx = m["url"].(string)
			} else {
				csvURL = m["url"].(string)
			}
		}
	})
	if !strings.HasPrefix(xlsx, "https://parc.example.org/licences/export?") || csvURL == "" {
		t.Fatalf("links %q %q", xlsx, csvURL)
	}
	body := h.get(xlsx, http.StatusOK)
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Comptes")
	if len(rows) != 6 || strings.Join(rows[0], "|") != "NOM|PRÉNOM|EMAIL|POSTE|ÉTABLISSEMENT|LICENCES|TARIF HT|TOTAL HT|ÉTAT" {
		t.Fatalf("xlsx rows = %q", rows)
	}
	if r := rows[5]; r[0] != "PETIT" || r[4] != "DITEP Saint-François" || r[8] != "Actif" {
		t.Fatalf("last row = %q", r)
	}
	totals, _ := f.GetRows("Totaux")
	if last := totals[len(totals)-1]; last[1] != "Total" || !strings.Contains(last[5], "48.9") {
		t.Fatalf("totals = %q", totals)
	}
	csvBody := string(h.get(csvURL, http.StatusOK))
	if !strings.HasPrefix(csvBody, "\ufeffNOM;PRÉNOM;") || !strings.Contains(csvBody, "MARTIN;Paul;p.martin@anras.fr;Éducateur spécialisé (H/F);DITEP Saint-François;Microsoft 365 E3 + Office 365 E3;30,00 € + 6,30 €;36,30;Actif") {
		t.Fatalf("csv:\n%s", csvBody)
	}
	// A link altered, or past its expiry, is refused.
	h.get(strings.Replace(xlsx, "DITEP-STF", "ANRAS-SOC", 1), http.StatusForbidden)
	h.clock.Advance(36 * 24 * time.Hour)
	h.get(xlsx, http.StatusForbidden)
}

// get fetches a link from the bot's HTTP handler.
func (h *licHarness) get(link string, want int) []byte {
	h.t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		h.t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, u.RequestURI(), nil))
	if rec.Code != want {
		h.t.Fatalf("GET %s: %d %s, want %d", u.Path, rec.Code, rec.Body.String(), want)
	}
	return rec.Body.Bytes()
}

func walk(v any, fn func(map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		fn(x)
		for _, c := range x {
			walk(c, fn)
		}
	case []any:
		for _, c := range x {
			walk(c, fn)
		}
	}
}

// TestLicencePostFailuresAreRetriedAndReported: Teams refuses the posts in
// one channel; the others are posted, the report says why, and the next
// run posts the failed one.
func TestLicencePostFailuresAreRetriedAndReported(t *testing.T) {
	h := newLicenceHarness(t, bot.LicenceConfig{Disabled: true, PostAttempts: 2})
	// The siège's group answers this time; its channel refuses posts.
	delete(h.dir.fail, groupSiege)
	h.dir.Snapshot.Groups[groupSiege] = h.dir.Snapshot.Groups[groupCef]
	var mu sync.Mutex
	refused := 0
	refuse := false
	peer := h.peer
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		mu.Lock()
		bad := refuse && strings.Contains(string(raw), channelSiege)
		if bad {
			refused++
		}
		mu.Unlock()
		if bad {
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `{"error":{"code":"BotNotInConversationRoster","message":"The bot is not part of the conversation roster."}}`)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(raw))
		peer.srv.Config.Handler.ServeHTTP(w, r)
	}))
	defer failing.Close()
	// Every activity (and so every stored reference) points at the
	// failing connector in front of the peer.
	h.peer.srv.URL = failing.URL
	h.bind()
	mu.Lock()
	refuse = true
	mu.Unlock()
	res, err := h.bot.RunLicences(ctx, bot.LicenceRunOptions{Trigger: domain.TriggerCLI})
	if err != nil {
		t.Fatal(err)
	}
	siege := res.Run.Establishments[0]
	if siege.PostError == "" || !strings.Contains(siege.PostError, "403") || refused != 2 {
		t.Fatalf("siège = %+v after %d refusals, want a post error after 2 tries", siege, refused)
	}
	if res.Run.Establishments[2].Posted == "" || res.Run.ReportPost == "" {
		t.Fatalf("the others were not posted: %+v", res.Run)
	}
	mu.Lock()
	refuse = false
	mu.Unlock()
	h.clock.Advance(time.Hour)
	res, err = h.bot.RunLicences(ctx, bot.LicenceRunOptions{Trigger: domain.TriggerCLI})
	if err != nil || res.Run.Establishments[0].Posted == "" || res.Run.Establishments[2].Skipped != domain.SkipAlreadyPosted {
		t.Fatalf("next run: %+v, %v", res.Run.Establishments, err)
	}
}
