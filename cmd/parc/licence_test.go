package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anras/parc/domain"
	"github.com/anras/parc/storage/bolt"
	"github.com/anras/parc/storage/graph"
	"github.com/anras/parc/storage/graph/graphtest"
	"github.com/xuri/excelize/v2"
)

// The licence summary through the binary's own code path: `parc licences
// run` reads a local server that answers like Graph (through
// msgraph-sdk-go, with paging and throttling) and posts to a local Bot
// Connector; the report's totals are those of the hand-computed example.

const (
	tSkuO365E3 = "6fd2c87f-b296-42f0-b197-1e91e994b900"
	tSkuM365E3 = "05e9a617-0261-4cee-bb44-138d3ef5d965"
	tSkuFlow   = "f30db892-07e9-47e9-837c-80727f46fd3d"
	tSkuAddon  = "11111111-2222-4333-8444-555555555555"
	tGroupA    = "5b0c7c44-1f0e-4f7e-9a53-1d2a3c4b5e61"
	tGroupB    = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
	tGroupC    = "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"
)

// connectorPeer records the cards posted as new channel threads.
type connectorPeer struct {
	srv   *httptest.Server
	mu    sync.Mutex
	posts map[string][]string // channel id -> JSON of the posted activities
}

func newConnectorPeer(t *testing.T) *connectorPeer {
	p := &connectorPeer{posts: map[string][]string{}}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var body struct {
			ChannelData struct {
				Channel struct {
					ID string `json:"id"`
				} `json:"channel"`
			} `json:"channelData"`
		}
		_ = json.Unmarshal(raw, &body)
		p.mu.Lock()
		p.posts[body.ChannelData.Channel.ID] = append(p.posts[body.ChannelData.Channel.ID], string(raw))
		p.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"thread-1","activityId":"1700000000000"}`)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

// channel returns what was posted in a channel, French no-break spaces
// read as spaces.
func (p *connectorPeer) channel(id string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, s := range p.posts[id] {
		out = append(out, strings.ReplaceAll(s, "\u00a0", " "))
	}
	return out
}

// readable is terminal output with French no-break spaces read as spaces.
func readable(s string) string { return strings.ReplaceAll(s, "\u00a0", " ") }

func handTenantForGraph() domain.LicenceSnapshot {
	acc := func(id, sn, gn string, enabled bool, skus ...string) domain.LicensedAccount {
		mail := strings.ToLower(gn + "." + sn + "@anras.fr")
		return domain.LicensedAccount{ID: id, Surname: sn, GivenName: gn, DisplayName: gn + " " + sn, Mail: mail, UPN: mail, JobTitle: "Éducateur (H/F)", Enabled: enabled, SkuIDs: skus}
	}
	return domain.LicenceSnapshot{
		Skus: []domain.SubscribedSku{
			{SkuID: tSkuO365E3, PartNumber: "ENTERPRISEPACK", Enabled: 10, Consumed: 5},
			{SkuID: tSkuM365E3, PartNumber: "SPE_E3", Enabled: 1, Consumed: 1},
			{SkuID: tSkuFlow, PartNumber: "FLOW_FREE", Enabled: 10000, Consumed: 1},
			{SkuID: tSkuAddon, PartNumber: "CONTOSO_ADDON", Enabled: 5, Consumed: 1},
		},
		Groups: map[string][]domain.LicensedAccount{
			tGroupA: {
				acc("a0000001-0000-4000-8000-000000000001", "Dupont", "Marie", true, tSkuO365E3),
				acc("a0000001-0000-4000-8000-000000000002", "Martin", "Paul", true, tSkuO365E3, tSkuM365E3),
				acc("a0000001-0000-4000-8000-000000000003", "Durand", "Lea", false, tSkuO365E3),
				acc("a0000001-0000-4000-8000-000000000004", "Petit", "Jean", true),
				acc("a0000001-0000-4000-8000-000000000005", "Bernard", "Eric", true, tSkuFlow, tSkuAddon),
			},
			tGroupB: {acc("b0000001-0000-4000-8000-000000000001", "Roux", "Ines", true, tSkuO365E3)},
			tGroupC: {acc("c0000001-0000-4000-8000-000000000001", "Faure", "Hugo", true, tSkuO365E3)},
		},
	}
}

// seedLicenceStore fills the embedded store in dir as an admin would
// have: establishments, catalogue, prices, channels bound.
func seedLicenceStore(t *testing.T, dir, serviceURL string) {
	t.Helper()
	st, err := bolt.Open(dir, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	for _, e := range []domain.Establishment{
		{Code: "DITEP-STF", Name: "DITEP Saint-François", StaffGroupIDs: []string{tGroupA}, ChannelID: "19:ditep@thread.tacv2"},
		{Code: "CEF-LP", Name: "CEF La Poujade", StaffGroupIDs: []string{tGroupB}, ChannelID: "19:cef@thread.tacv2"},
		{Code: "ANRAS-SOC", Name: "ANRAS Siège social", StaffGroupIDs: []string{tGroupC}},
	} {
		if err := st.CreateEstablishment(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	for _, ch := range []string{"19:ditep@thread.tacv2", "19:cef@thread.tacv2", "19:it@thread.tacv2"} {
		if err := st.SaveConversation(ctx, domain.ConversationRef{ID: ch, Kind: domain.ConversationChannel, ServiceURL: serviceURL, ChannelID: "msteams", BotID: "28:bot", TenantID: "t"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.UpdateLicenceSettings(ctx, func(s *domain.LicenceSettings) error { s.ITChannelID = "19:it@thread.tacv2"; return nil }); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("../../domain/testdata/products-excerpt.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	imp, err := domain.ParseProductCatalogue(f, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutLicenceProducts(ctx, imp.Products); err != nil {
		t.Fatal(err)
	}
	for sku, p := range map[string]domain.Money{tSkuO365E3: 630, tSkuM365E3: 3000, tSkuFlow: 0} {
		if err := st.SetLicencePrice(ctx, domain.LicencePrice{SkuID: sku, Price: p}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLicencesRunAgainstGraphAndConnector(t *testing.T) {
	dir := t.TempDir()
	peer := newConnectorPeer(t)
	seedLicenceStore(t, dir, peer.srv.URL+"/_connector")
	srv := graphtest.Start(t, handTenantForGraph())
	srv.PageSize = 2                        // three pages for DITEP-STF
	srv.FailGroup(tGroupB, 500)             // CEF La Poujade: ERREUR
	srv.Throttle("/subscribedSkus", 1, "1") // one 429, retried after 1 s
	client, err := graph.New(graph.Config{Endpoint: srv.URL, Credential: graphtest.StaticToken{}, BaseDelay: 5 * time.Millisecond, MaxAttempts: 2})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "report.xlsx")
	env, stdout, stderr := testEnv(map[string]string{"PARC_DATA_DIR": dir, "PARC_LOCALE": "fr", "PARC_LOG_LEVEL": "error", "PARC_LINK_SECRET": strings.Repeat("s", 32)})
	err = runLicences(context.Background(), env, []string{"run", "--out", out}, client)
	if err == nil || !strings.Contains(err.Error(), "1 of 3 establishments in error") {
		t.Fatalf("run: %v, want one establishment in error\n%s", err, stderr)
	}
	// The summary of DITEP-STF, posted in its channel.
	posts := peer.channel("19:ditep@thread.tacv2")
	if len(posts) != 1 {
		t.Fatalf("%d posts in DITEP-STF's channel", len(posts))
	}
	for _, want := range []string{"Synthèse des licences : DITEP Saint-François", "48,90 € (hors licences sans tarif)", "18,90 €",
		"DURAND Lea", "MARTIN Paul (Microsoft 365 E3 + Office 365 E3)", "CONTOSO_ADDON (N/A)", "PETIT Jean", "licences.detail"} {
		if !strings.Contains(posts[0], want) {
			t.Errorf("DITEP-STF's post lacks %q", want)
		}
	}
	if n := len(peer.channel("19:cef@thread.tacv2")); n != 0 {
		t.Errorf("the failing establishment got %d posts", n)
	}
	// The report to IT: ERREUR with the reason, the others counted.
	report := peer.channel("19:it@thread.tacv2")
	if len(report) != 1 {
		t.Fatalf("%d reports posted", len(report))
	}
	for _, want := range []string{"rapport d'exécution", "CEF La Poujade", "ERREUR", "HTTP 500", "General exception while processing", "5/5", "1/1", "Aucun canal lié", "6/6", "55,20 €", "Publiée"} {
		if !strings.Contains(report[0], want) {
			t.Errorf("the report lacks %q:\n%s", want, report[0])
		}
	}
	// Graph was asked for whole groups, and the throttled call retried.
	if got := srv.Requests("members"); got != 3+1+1 {
		t.Errorf("%d member requests, want 5 (3 pages, 1 failing group, 1 other)", got)
	}
	if sent, retried := client.Requests(); sent != 7 || retried != 1 || srv.Requests("subscribedSkus") != 1 {
		t.Errorf("%d requests (%d retried), want 7 with the throttled subscribedSkus retried once", sent, retried)
	}
	if srv.Requests("licenseDetails") != 0 || srv.Requests("user") != 0 {
		t.Errorf("the run asked Graph user by user")
	}
	// What the terminal shows, and the workbook.
	for _, want := range []string{"NOM", "PRÉNOM", "DUPONT", "marie.dupont@anras.fr", "48,90 €", "ERREUR"} {
		if !strings.Contains(readable(stdout.String()), want) {
			t.Errorf("the terminal output lacks %q:\n%s", want, stdout)
		}
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Comptes")
	if len(rows) != 1+5+1 {
		t.Errorf("the workbook has %d account rows, want 6 (5 + 1)", len(rows)-1)
	}
	rep, _ := f.GetRows("Rapport")
	if len(rep) != 5 || rep[2][1] != "ERREUR" {
		t.Errorf("report sheet = %q", rep)
	}

	// Run again: nothing posted twice, the report says so.
	env, _, _ = testEnv(map[string]string{"PARC_DATA_DIR": dir, "PARC_LOCALE": "fr", "PARC_LOG_LEVEL": "error"})
	_ = runLicences(context.Background(), env, []string{"run"}, client)
	if n := len(peer.channel("19:ditep@thread.tacv2")); n != 1 {
		t.Errorf("a second run of the month posted again (%d posts)", n)
	}
	if r := peer.channel("19:it@thread.tacv2"); len(r) != 2 || !strings.Contains(r[1], "Déjà publiée ce mois-ci") {
		t.Errorf("second report: %d posts", len(r))
	}
	// The history.
	env, stdout, _ = testEnv(map[string]string{"PARC_DATA_DIR": dir})
	if err := runLicences(context.Background(), env, []string{"runs"}, nil); err != nil || strings.Count(stdout.String(), "\ncli") != 0 && strings.Count(stdout.String(), " cli ") != 2 {
		t.Fatalf("runs: %v\n%s", err, stdout)
	}
}

func TestLicencesDemoDryRun(t *testing.T) {
	dir := t.TempDir()
	env, stdout, stderr := testEnv(map[string]string{"PARC_DATA_DIR": dir, "PARC_LOG_LEVEL": "error"})
	if err := run(context.Background(), env, []string{"demo"}); err != nil {
		t.Fatalf("demo: %v\n%s", err, stderr)
	}
	stdout.Reset()
	if err := run(context.Background(), env, []string{"licences", "run", "--dry-run"}); err != nil {
		t.Fatalf("dry run: %v\n%s", err, stderr)
	}
	for _, want := range []string{"Synthèse des licences : DITEP Saint-François", "Synthèse des licences : ANRAS Siège social",
		"141,90 € (hors licences sans tarif)", "110,70 €", "MOREL (désactivé)", "BLANC Laura (Microsoft 365 E3 + Office 365 E3)",
		"ANRAS_ARCHIVAGE_ADDON", "N/A", "16/16", "10/10", "252,60 €", "Aperçu, non publiée", "Licences achetées non attribuées"} {
		if !strings.Contains(readable(stdout.String()), want) {
			t.Errorf("the demo's dry run lacks %q:\n%s", want, stdout)
		}
	}
	// A dry run stores nothing.
	stdout.Reset()
	if err := run(context.Background(), env, []string{"licences", "runs"}); err != nil || strings.Count(stdout.String(), "\n") != 1 {
		t.Fatalf("runs after a dry run: %v\n%s", err, stdout)
	}
}

func TestLicencesCatalogueAndPricesCommands(t *testing.T) {
	dir := t.TempDir()
	env, stdout, stderr := testEnv(map[string]string{"PARC_DATA_DIR": dir})
	ctx := context.Background()
	if err := run(ctx, env, []string{"licences", "import-catalogue", "../../domain/testdata/products-excerpt.csv"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "imported 13 products") || !strings.Contains(readable(stderr.String()), "products-excerpt.csv:") {
		t.Fatalf("import: %s / %s", stdout, stderr)
	}
	prices := filepath.Join(t.TempDir(), "tarifs.csv")
	os.WriteFile(prices, []byte("Licence;Tarif HT\nENTERPRISEPACK;6,30\nSPE_E3;30\nMCOPSTN5;1\n"), 0o600)
	stdout.Reset()
	stderr.Reset()
	if err := run(ctx, env, []string{"licences", "prices", "import", prices}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "set 2 prices (1 lines refused)") || !strings.Contains(stderr.String(), "désigne plusieurs produits") {
		t.Fatalf("prices import: %s / %s", stdout, stderr)
	}
	if err := run(ctx, env, []string{"licences", "prices", "set", "FLOW_FREE", "0", "Power Automate (gratuit)"}); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, env, []string{"licences", "prices", "set", "FLOW_FREE", "gratuit"}); err == nil || !strings.Contains(err.Error(), "Tarif invalide") {
		t.Fatalf("a bad price: %v", err)
	}
	stdout.Reset()
	if err := run(ctx, env, []string{"licences", "prices"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Office 365 E3", "6.30", "Power Automate (gratuit)", "SPE_E3"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("prices list lacks %q:\n%s", want, stdout)
		}
	}
	if err := run(ctx, env, []string{"licences", "prices", "delete", "SPE_E3"}); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, env, []string{"licences", "prices", "delete", "SPE_E3"}); err == nil || !strings.Contains(err.Error(), "Aucun tarif") {
		t.Fatalf("delete twice: %v", err)
	}
}

func TestEstablishmentsCommand(t *testing.T) {
	env, stdout, _ := testEnv(map[string]string{"PARC_DATA_DIR": t.TempDir()})
	ctx := context.Background()
	if err := run(ctx, env, []string{"establishments", "add", "ditep-stf", "DITEP", "Saint-François", "--groups", tGroupA + "," + strings.ToUpper(tGroupB)}); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, env, []string{"establishments", "add", "DITEP-STF", "Autre"}); err == nil || !strings.Contains(err.Error(), "existe déjà") {
		t.Fatalf("add twice: %v", err)
	}
	if err := run(ctx, env, []string{"establishments", "add", "X", "Trop court"}); err == nil || !strings.Contains(err.Error(), "n'est pas valide") {
		t.Fatalf("bad code: %v", err)
	}
	if err := run(ctx, env, []string{"establishments", "add", "CEF-LP", "CEF", "--groups", "pas-un-guid"}); err == nil || !strings.Contains(err.Error(), "n'est pas un identifiant de groupe") {
		t.Fatalf("bad group: %v", err)
	}
	if err := run(ctx, env, []string{"establishments", "edit", "DITEP-STF", "--name", "DITEP Saint-François", "--correspondents", tGroupC}); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	if err := run(ctx, env, []string{"establishments", "list"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"DITEP-STF", "DITEP Saint-François", tGroupA + "," + tGroupB, tGroupC, "lier DITEP-STF"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("list lacks %q:\n%s", want, stdout)
		}
	}
	if err := run(ctx, env, []string{"establishments", "delete", "DITEP-STF"}); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, env, []string{"establishments", "delete", "DITEP-STF"}); err == nil || !strings.Contains(err.Error(), "Je ne connais pas") {
		t.Fatalf("delete twice: %v", err)
	}
}

func TestGraphSettings(t *testing.T) {
	const app, tenant = "6f1c9a52-3b7e-4d0a-9c85-2e4f7b1d8a30", "4f5e6d7c-8b9a-4c0d-9e1f-2a3b4c5d6e7f"
	for _, tc := range []struct {
		name       string
		env        map[string]string
		configured bool
		err        string
		kind       string
	}{
		{"nothing: no Graph", map[string]string{}, false, "", ""},
		{"client secret", map[string]string{"GRAPH_CLIENT_ID": app, "GRAPH_TENANT_ID": tenant, "GRAPH_CLIENT_SECRET": "s"}, true, "", "client-secret"},
		{"managed identity", map[string]string{"GRAPH_MANAGED_IDENTITY": "true"}, true, "", "managed-identity"},
		{"user-assigned managed identity", map[string]string{"GRAPH_MANAGED_IDENTITY": "true", "GRAPH_CLIENT_ID": app}, true, "", "managed-identity"},
		{"secret without client id", map[string]string{"GRAPH_CLIENT_SECRET": "s"}, false, "GRAPH_CLIENT_ID is empty", ""},
		{"client id without credential", map[string]string{"GRAPH_CLIENT_ID": app, "GRAPH_TENANT_ID": tenant}, false, "without a credential", ""},
		{"no tenant", map[string]string{"GRAPH_CLIENT_ID": app, "GRAPH_CLIENT_SECRET": "s"}, false, "GRAPH_TENANT_ID", ""},
		{"bad client id", map[string]string{"GRAPH_CLIENT_ID": "parc", "GRAPH_CLIENT_SECRET": "s", "GRAPH_TENANT_ID": tenant}, false, "GRAPH_CLIENT_ID", ""},
		{"bad managed identity flag", map[string]string{"GRAPH_MANAGED_IDENTITY": "maybe"}, false, "GRAPH_MANAGED_IDENTITY", ""},
		{"missing certificate", map[string]string{"GRAPH_CLIENT_ID": app, "GRAPH_TENANT_ID": tenant, "GRAPH_CLIENT_CERTIFICATE": "/nonexistent.pem"}, true, "GRAPH_CLIENT_CERTIFICATE", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			getenv := func(k string) string { return tc.env[k] }
			gs, configured, err := loadGraphSettings(getenv)
			if err == nil && configured {
				_, kind, cerr := graphCredential(gs, getenv)
				err = cerr
				if cerr == nil && kind != tc.kind {
					t.Errorf("credential kind %q, want %q", kind, tc.kind)
				}
			}
			if configured != tc.configured {
				t.Errorf("configured = %v, want %v", configured, tc.configured)
			}
			if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Errorf("err = %v, want one naming %q", err, tc.err)
			}
		})
	}
	for _, tc := range []struct {
		env map[string]string
		err bool
	}{
		{map[string]string{}, false}, {map[string]string{"PARC_LICENCES_DAY": "28", "PARC_LICENCES_HOUR": "0"}, false},
		{map[string]string{"PARC_LICENCES_DAY": "31"}, true}, {map[string]string{"PARC_LICENCES_HOUR": "24"}, true},
		{map[string]string{"PARC_LICENCES_SCHEDULE": "off"}, false}, {map[string]string{"PARC_LICENCES_SCHEDULE": "weekly"}, true},
	} {
		if _, err := loadLicenceConfig(func(k string) string { return tc.env[k] }); (err != nil) != tc.err {
			t.Errorf("loadLicenceConfig(%v) = %v", tc.env, err)
		}
	}
}
