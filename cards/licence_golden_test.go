package cards

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/anras/parc/domain"
)

// Sample data of the licence cards: the worked example of the README
// (DITEP Saint-François, six accounts) and large establishments for the
// size limits.

const (
	gSkuO365E3 = "6fd2c87f-b296-42f0-b197-1e91e994b900"
	gSkuM365E3 = "05e9a617-0261-4cee-bb44-138d3ef5d965"
	gSkuFlow   = "f30db892-07e9-47e9-837c-80727f46fd3d"
	gSkuAddon  = "11111111-2222-4333-8444-555555555555"
)

var (
	gParis, _ = time.LoadLocation("Europe/Paris")
	gNow      = time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC) // 07:00 in Paris
)

func sampleCatalogue() *domain.LicenceCatalogue {
	plans := func(names ...string) []domain.ServicePlan {
		var out []domain.ServicePlan
		for _, n := range names {
			out = append(out, domain.ServicePlan{Name: n})
		}
		return out
	}
	return domain.NewLicenceCatalogue([]domain.LicenceProduct{
		{SkuID: gSkuO365E3, PartNumber: "ENTERPRISEPACK", Name: "Office 365 E3", ServicePlans: plans("EXCHANGE_S_ENTERPRISE", "SHAREPOINTENTERPRISE", "TEAMS1")},
		{SkuID: gSkuM365E3, PartNumber: "SPE_E3", Name: "Microsoft 365 E3", ServicePlans: plans("EXCHANGE_S_ENTERPRISE", "SHAREPOINTENTERPRISE", "TEAMS1", "INTUNE_A")},
		{SkuID: gSkuFlow, PartNumber: "FLOW_FREE", Name: "Microsoft Power Automate Free", ServicePlans: plans("FLOW_P2_VIRAL", "EXCHANGE_S_FOUNDATION")},
	}, []domain.LicencePrice{{SkuID: gSkuO365E3, Price: 630}, {SkuID: gSkuM365E3, Price: 3000}, {SkuID: gSkuFlow, Price: 0}})
}

func sampleReports() (cur, prev domain.LicenceReport) {
	cat := sampleCatalogue()
	skus := []domain.SkuInfo{cat.Resolve(gSkuO365E3, "ENTERPRISEPACK"), cat.Resolve(gSkuM365E3, "SPE_E3"), cat.Resolve(gSkuFlow, "FLOW_FREE"), cat.Resolve(gSkuAddon, "CONTOSO_ADDON")}
	acc := func(id, sn, gn, job string, enabled bool, skus ...string) domain.LicensedAccount {
		return domain.LicensedAccount{ID: id, Surname: sn, GivenName: gn, Mail: strings.ToLower(gn[:1]) + "." + strings.ToLower(sn) + "@anras.fr", JobTitle: job, Enabled: enabled, SkuIDs: skus}
	}
	cur = domain.LicenceReport{RunID: "20261201T060000Z-0a1b2c", Code: "DITEP-STF", Name: "DITEP Saint-François", GeneratedAt: gNow, Skus: skus,
		Accounts: []domain.LicensedAccount{
			acc("u1", "Dupont", "Marie", "Directrice (H/F)", true, gSkuO365E3),
			acc("u2", "Martin", "Paul", "Chef de service (H/F)", true, gSkuO365E3, gSkuM365E3),
			acc("u3", "Durand", "Léa", "Éducatrice spécialisée (H/F)", false, gSkuO365E3),
			acc("u4", "Petit", "Jean", "Surveillant de nuit (H/F)", true),
			acc("u5", "Bernard", "Éric", "Psychologue (H/F)", true, gSkuFlow, gSkuAddon),
		}}
	prev = domain.LicenceReport{RunID: "20261101T060000Z-9f8e7d", Code: "DITEP-STF", Name: "DITEP Saint-François", GeneratedAt: gNow.AddDate(0, -1, 0), Skus: skus,
		Accounts: []domain.LicensedAccount{
			acc("u1", "Dupont", "Marie", "Directrice (H/F)", true, gSkuO365E3),
			acc("u2", "Martin", "Paul", "Chef de service (H/F)", true, gSkuO365E3),
			acc("u3", "Durand", "Léa", "Éducatrice spécialisée (H/F)", true, gSkuO365E3),
			acc("u7", "Garcia", "Luc", "Comptable (H/F)", true, gSkuO365E3),
		}}
	return cur, prev
}

func sampleSummary() domain.LicenceSummary {
	cur, prev := sampleReports()
	return domain.SummarizeLicences(cur, sampleCatalogue(), &prev)
}

var sampleLinks = LicenceLinks{
	XLSX: "https://parc.example.org/licences/export?code=DITEP-STF&exp=1767225600&format=xlsx&run=20261201T060000Z-0a1b2c&sig=x",
	CSV:  "https://parc.example.org/licences/export?code=DITEP-STF&exp=1767225600&format=csv&run=20261201T060000Z-0a1b2c&sig=y",
}

// worstSummary is an establishment of n accounts whose every field is as
// long as the card allows, each with six licences.
func worstSummary(n int) domain.LicenceSummary {
	r := domain.LicenceReport{RunID: "20261201T060000Z-0a1b2c", Code: "CEP-SJC", Name: strings.Repeat("Centre éducatif et professionnel ", 4), GeneratedAt: gNow}
	var skus []string
	for i := range 30 {
		id := fmt.Sprintf("%08d-0000-4000-8000-000000000000", i)
		skus = append(skus, id)
		r.Skus = append(r.Skus, domain.SkuInfo{SkuID: id, Name: fmt.Sprintf("Microsoft 365 Enterprise Mobility + Security E5 (édition %d)", i), Named: true, Priced: i%3 > 0, Price: domain.Money(1234567 + i)})
	}
	for i := range n {
		r.Accounts = append(r.Accounts, domain.LicensedAccount{ID: fmt.Sprintf("u%06d", i),
			Surname: strings.Repeat("Écrivain-Delacroix ", 4) + fmt.Sprint(i), GivenName: strings.Repeat("Marie-Françoise ", 4),
			Mail: strings.Repeat("marie-francoise.ecrivain-delacroix", 3) + "@anras.fr", JobTitle: strings.Repeat("Éducatrice spécialisée coordinatrice ", 3),
			Enabled: i%2 == 0, SkuIDs: skus[i%24 : i%24+6]})
	}
	prev := r
	prev.RunID, prev.GeneratedAt, prev.Accounts = "20261101T060000Z-9f8e7d", gNow.AddDate(0, -1, 0), nil
	for i := range n {
		prev.Accounts = append(prev.Accounts, domain.LicensedAccount{ID: fmt.Sprintf("p%06d", i), Surname: strings.Repeat("Ancien ", 8), SkuIDs: skus[:3]})
	}
	return domain.SummarizeLicences(r, sampleCatalogue(), &prev)
}

func sampleRun(n int) domain.LicenceRun {
	r := domain.LicenceRun{ID: "20261201T060000Z-0a1b2c", Month: "2026-12", Trigger: domain.TriggerScheduled, StartedAt: gNow, FinishedAt: gNow.Add(2*time.Second + 400*time.Millisecond), Status: domain.RunDone,
		Skus: []domain.RunSku{
			{SkuInfo: domain.SkuInfo{SkuID: gSkuO365E3, Name: "Office 365 E3", Named: true, Priced: true, Price: 630}, Enabled: 560, Consumed: 541},
			{SkuInfo: domain.SkuInfo{SkuID: gSkuAddon, Name: "CONTOSO_ADDON"}, Enabled: 10, Consumed: 4},
			{SkuInfo: domain.SkuInfo{SkuID: gSkuFlow, Name: "Microsoft Power Automate Free", Named: true, Priced: true}, Enabled: 10000, Consumed: 10000},
		}}
	if n == 0 {
		r.Establishments = []domain.RunEstablishment{
			{Code: "ANRAS-SOC", Name: "ANRAS Siège social", Found: 35, Processed: 35, DurationMS: 412, Total: 22050, Posted: "1:act"},
			{Code: "CEF-LP", Name: "CEF La Poujade", Error: "Le groupe 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d est introuvable dans l'annuaire."},
			{Code: "DITEP-STF", Name: "DITEP Saint-François", Found: 101, Processed: 100, DurationMS: 655, Total: 63000, Skipped: domain.SkipAlreadyPosted},
			{Code: "HUMALLIANCE", Name: "ANRAS Humalliance", Found: 12, Processed: 12, DurationMS: 150, Total: 7560, Skipped: domain.SkipNoChannel},
			{Code: "CEP-GARONA", Name: "CEP Garona", Found: 32, Processed: 32, DurationMS: 390, Total: 20160, PostError: "connector: 403 Forbidden"},
		}
		r.ReportError = ""
		return r
	}
	for i := range n {
		r.Establishments = append(r.Establishments, domain.RunEstablishment{Code: fmt.Sprintf("E%03d", i), Name: strings.Repeat("Établissement très long ", 3) + fmt.Sprint(i),
			Found: 500, Processed: 500, DurationMS: 500, Total: 315000, PostError: strings.Repeat("connector: 429 Too Many Requests ", 5)})
	}
	for i := range 40 {
		r.Skus = append(r.Skus, domain.RunSku{SkuInfo: domain.SkuInfo{SkuID: fmt.Sprint(i), Name: strings.Repeat("Produit ", 8)}, Enabled: 100, Consumed: i})
	}
	return r
}

func sampleEstablishments() []domain.Establishment {
	return []domain.Establishment{
		{Code: "ANRAS-SOC", Name: "ANRAS Siège social", StaffGroupIDs: []string{"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"}, ChannelID: "19:abc@thread.tacv2"},
		{Code: "DITEP-STF", Name: "DITEP Saint-François", StaffGroupIDs: []string{"5b0c7c44-1f0e-4f7e-9a53-1d2a3c4b5e61", "6c1d8d55-2a1f-4b8f-8b64-2e3b4d5c6f72"}, CorrespondentGroupID: "7e2d9a10-3c4b-4d5e-8f60-718293a4b5c6"},
	}
}

func init() {
	both := []Lang{FR, EN}
	addGolden(
		golden{Name: "licence_summary", Langs: both, Build: func(l Lang) Card {
			return LicenceSummaryCard(l, sampleSummary(), "2026-12", gParis, sampleLinks)
		}, Words: map[Lang][]string{FR: {"Synthèse des licences", "À vérifier", "désactivé(s)", "décembre 2026"}, EN: {"Licence summary", "To check", "disabled account", "December 2026"}}},
		golden{Name: "licence_summary_first", Build: func(l Lang) Card {
			cur, _ := sampleReports()
			cur.Accounts = cur.Accounts[:2]
			cur.Accounts[1].SkuIDs = cur.Accounts[1].SkuIDs[:1]
			return LicenceSummaryCard(l, domain.SummarizeLicences(cur, sampleCatalogue(), nil), "2026-12", gParis, sampleLinks)
		}, Words: map[Lang][]string{FR: {"Première synthèse", "Rien à signaler"}, EN: {"first summary", "Nothing to report"}}},
		golden{Name: "licence_summary_huge", Build: func(l Lang) Card {
			return LicenceSummaryCard(l, worstSummary(3000), "2026-12", gParis, sampleLinks)
		}, Words: map[Lang][]string{FR: {"Comptes ajoutés", "autres"}, EN: {"Accounts added", "more"}}},
		golden{Name: "licence_detail", Langs: both, Build: func(l Lang) Card {
			return LicenceDetailCard(l, sampleSummary(), "2026-12", 0, sampleLinks)
		}, Words: map[Lang][]string{FR: {"Détail des comptes", "PRÉNOM", "Retour à la synthèse"}, EN: {"Account detail", "FIRST NAME", "Back to the summary"}}},
		golden{Name: "licence_detail_worst", Build: func(l Lang) Card {
			return LicenceDetailCard(l, worstSummary(100), "2026-12", 3, sampleLinks)
		}, Words: map[Lang][]string{FR: {"Précédents", "Suivants"}, EN: {"Previous", "Next"}}},
		golden{Name: "licence_report", Langs: both, Build: func(l Lang) Card { return LicenceReportCard(l, sampleRun(0), gParis, false) },
			Words: map[Lang][]string{FR: {"rapport d'exécution", "ERREUR", "Déjà publiée ce mois-ci"}, EN: {"run report", "ERROR", "Already posted this month"}}},
		golden{Name: "licence_report_many", Build: func(l Lang) Card { return LicenceReportCard(l, sampleRun(120), gParis, true) },
			Words: map[Lang][]string{FR: {"autres établissements", "Aperçu"}, EN: {"more establishments", "Preview"}}},
		golden{Name: "licence_runs", Langs: both, Build: func(l Lang) Card {
			running := sampleRun(0)
			running.ID, running.Status, running.Trigger, running.By = "20261203T100000Z-1c2d3e", domain.RunRunning, domain.TriggerBot, "Alice Martin"
			return LicenceRunsCard(l, LicenceRunsView{Day: 1, Hour: 7, Next: time.Date(2027, 1, 1, 6, 0, 0, 0, time.UTC), Directory: "graph",
				Runs: []domain.LicenceRun{running, sampleRun(0)}}, gParis)
		}, Words: map[Lang][]string{FR: {"Planification", "Aperçu sans publier", "lier rapport"}, EN: {"Schedule", "Preview without posting", "bind report"}}},
		golden{Name: "licence_prices", Build: func(l Lang) Card {
			var lines []PriceLine
			for i := range 45 {
				lines = append(lines, PriceLine{SkuID: fmt.Sprintf("%08d-0000-4000-8000-000000000000", i), Name: fmt.Sprintf("Produit %d", i), PartNumber: fmt.Sprintf("PRODUCT_%d", i), Price: domain.Money(100 * i)})
			}
			return LicencePricesCard(l, LicencePricesView{Products: 610, Prices: lines, Page: 1, Unpriced: []string{"CONTOSO_ADDON"}, Notice: l.T("licence.prices.saved", "Office 365 E3", Euros(l, 630))})
		}, Words: map[Lang][]string{FR: {"Tarifs des licences", "Enregistrer le tarif"}, EN: {"Licence prices", "Save the price"}}},
		golden{Name: "licence_establishments", Build: func(l Lang) Card {
			return EstablishmentsCard(l, sampleEstablishments(), 0, l.T("licence.est.saved", "DITEP-STF"))
		}, Words: map[Lang][]string{FR: {"Ajouter un établissement", "groupe(s) du personnel"}, EN: {"Add an establishment", "staff group(s)"}}},
		golden{Name: "licence_establishment_edit", Build: func(l Lang) Card { return EstablishmentEditCard(l, sampleEstablishments()[0]) },
			Words: map[Lang][]string{FR: {"Modifier ANRAS-SOC", "Délier le canal"}, EN: {"Edit ANRAS-SOC", "Unbind the channel"}}},
		golden{Name: "licence_establishment_delete", Build: func(l Lang) Card { return EstablishmentDeleteCard(l, sampleEstablishments()[1]) },
			Words: map[Lang][]string{FR: {"Oui, supprimer"}, EN: {"Yes, delete"}}},
		golden{Name: "licence_bound", Build: func(l Lang) Card {
			return ChannelBound(l, l.T("licence.bind.done", "DITEP Saint-François", "DITEP-STF"))
		}, Words: map[Lang][]string{FR: {"Canal lié"}, EN: {"Channel bound"}}},
	)
}

// TestLicenceCardsStaySmall: whatever the establishment's size and the
// length of its data, the summary, every detail page and the report stay
// under Teams' limit.
func TestLicenceCardsStaySmall(t *testing.T) {
	big := worstSummary(2000)
	for _, l := range Languages {
		if size := LicenceSummaryCard(l, big, "2026-12", gParis, sampleLinks).Size(); size >= MaxPayloadBytes {
			t.Errorf("%s summary of 2000 accounts: %d bytes", l, size)
		}
		pages := (len(big.Accounts) + LicenceDetailPageSize - 1) / LicenceDetailPageSize
		for p := 0; p < pages; p++ {
			if size := LicenceDetailCard(l, big, "2026-12", p, sampleLinks).Size(); size >= MaxPayloadBytes {
				t.Fatalf("%s detail page %d: %d bytes", l, p, size)
			}
		}
		if size := LicenceReportCard(l, sampleRun(500), gParis, false).Size(); size >= MaxPayloadBytes {
			t.Errorf("%s report of 500 establishments: %d bytes", l, size)
		}
	}
}

// TestLicenceDetailPagesCoverEveryAccount: paging shows each account once.
func TestLicenceDetailPagesCoverEveryAccount(t *testing.T) {
	r := domain.LicenceReport{RunID: "20261201T060000Z-0a1b2c", Code: "DITEP-STF", Name: "DITEP", GeneratedAt: gNow}
	for i := range 47 {
		r.Accounts = append(r.Accounts, domain.LicensedAccount{ID: fmt.Sprint(i), Surname: fmt.Sprintf("Nom%02d", i), Enabled: true})
	}
	s := domain.SummarizeLicences(r, nil, nil)
	seen := map[string]int{}
	for p := 0; p < 4; p++ {
		c := LicenceDetailCard(FR, s, "2026-12", p, LicenceLinks{})
		rows := c.Body[2].(Table).Rows[1:]
		for _, r := range rows {
			seen[r.Cells[0].Items[0].(TextBlock).Text]++
		}
		buttons := map[string]bool{}
		for _, a := range c.Body[3].(ActionSet).Actions {
			buttons[a.(Execute).Title] = true
		}
		if buttons[FR.T("licence.detail.prev")] != (p > 0) || buttons[FR.T("licence.detail.next")] != (p < 3) {
			t.Errorf("page %d buttons %v", p, buttons)
		}
	}
	if len(seen) != 47 {
		t.Fatalf("the pages show %d accounts, want 47", len(seen))
	}
	for name, n := range seen {
		if n != 1 {
			t.Errorf("%s shown %d times", name, n)
		}
	}
	// A page past the end shows the last page.
	if c := LicenceDetailCard(FR, s, "2026-12", 99, LicenceLinks{}); len(c.Body[2].(Table).Rows) != 1+2 {
		t.Errorf("page 99 shows %d rows, want the last page's 2", len(c.Body[2].(Table).Rows)-1)
	}
}

func TestEuros(t *testing.T) {
	for _, tc := range []struct {
		l    Lang
		m    domain.Money
		want string
	}{{FR, 630, "6,30 €"}, {EN, 630, "€6.30"}, {FR, 0, "0,00 €"}, {FR, 123456, "1234,56 €"}} {
		if got := Euros(tc.l, tc.m); got != tc.want {
			t.Errorf("Euros(%s, %d) = %q, want %q", tc.l, tc.m, got, tc.want)
		}
	}
	if got := SignedEuros(FR, 2370); got != "+23,70 €" {
		t.Errorf("SignedEuros = %q", got)
	}
	// Winter and summer time: the same UTC hour reads differently in Paris.
	if got := When(FR, time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC), gParis); got != "29/03/2026 à 01:30" {
		t.Errorf("before the change: %q", got)
	}
	if got := When(FR, time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC), gParis); got != "29/03/2026 à 03:30" {
		t.Errorf("after the change: %q", got)
	}
	if got := MonthLabel(EN, "2026-08"); got != "August 2026" {
		t.Errorf("MonthLabel = %q", got)
	}
	if got := Duration(2*time.Minute + 12800*time.Millisecond); got != "00:02:13" {
		t.Errorf("Duration = %q", got)
	}
}
