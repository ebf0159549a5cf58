package main

import (
	_ "embed"
	"fmt"
	"strings"
	"time"

	"github.com/anras/parc/domain"
)

// demoProductsCSV is an excerpt of Microsoft's product table: the
// products the demo tenant holds, with their service plans.
//
//go:embed demo_products.csv
var demoProductsCSV string

// SKUs of the demo tenant.
const (
	demoO365E3   = "6fd2c87f-b296-42f0-b197-1e91e994b900" // ENTERPRISEPACK
	demoM365E3   = "05e9a617-0261-4cee-bb44-138d3ef5d965" // SPE_E3
	demoF3       = "4b585984-651b-448a-9e53-3b10f069cf7f" // DESKLESSPACK
	demoExchange = "4b9405b0-7788-4568-add1-99614e613b69" // EXCHANGESTANDARD
	demoFlow     = "f30db892-07e9-47e9-837c-80727f46fd3d" // FLOW_FREE
	demoPBIFree  = "a403ebcc-fae0-4ca2-8c8c-7a907fd6c235" // POWER_BI_STANDARD
	demoPBIPro   = "f8a1db68-be16-40ed-86d5-cb42ce701560" // POWER_BI_PRO
	demoTeamsExp = "e0dfc8b9-9531-4ec8-94b4-9fec23b05fc8" // Microsoft_Teams_Exploratory_Dept
	demoAddon    = "7a3c9e51-4d2b-4f60-9c8e-1b2a3c4d5e6f" // not in Microsoft's table
)

// demoPrices: what a non-profit pays per user and month, excl. VAT.
// Teams Exploratory has no price: the summary shows N/A for it.
var demoPrices = []domain.LicencePrice{
	{SkuID: demoO365E3, Price: 630}, {SkuID: demoM365E3, Price: 3000}, {SkuID: demoF3, Price: 200},
	{SkuID: demoExchange, Price: 350}, {SkuID: demoFlow, Price: 0}, {SkuID: demoPBIFree, Price: 0}, {SkuID: demoPBIPro, Price: 940},
}

// demoPerson is one account of the demo tenant.
type demoPerson struct {
	given, surname, job string
	enabled             bool
	skus                []string
}

// The demo tenant: realistic names and jobs, and one of each finding (a
// disabled account with a paid licence, overlapping suites, an account
// without licence, a licence without price or name).
var (
	demoDitep = []demoPerson{
		{"Sophie", "Lambert", "Directrice (H/F)", true, []string{demoM365E3}},
		{"Julien", "Faure", "Chef de service éducatif (H/F)", true, []string{demoO365E3, demoPBIPro}},
		{"Camille", "Girard", "Éducatrice spécialisée (H/F)", true, []string{demoO365E3}},
		{"Nicolas", "Roux", "Éducateur spécialisé (H/F)", true, []string{demoO365E3}},
		{"Inès", "Haddad", "Monitrice éducatrice (H/F)", true, []string{demoF3}},
		{"Thomas", "Mercier", "Moniteur éducateur (H/F)", true, []string{demoF3}},
		{"Laura", "Blanc", "Psychologue (H/F)", true, []string{demoO365E3, demoM365E3}},
		{"Karim", "Benali", "Enseignant spécialisé (H/F)", true, []string{demoO365E3, demoTeamsExp}},
		{"Élodie", "Fontaine", "Infirmière (H/F)", true, []string{demoO365E3}},
		{"Mathieu", "Chevalier", "Surveillant de nuit (H/F)", true, []string{demoExchange}},
		{"Nadia", "Perrin", "Secrétaire (H/F)", true, []string{demoO365E3, demoFlow}},
		{"Hugo", "Morel", "Maître de maison (H/F)", false, []string{demoO365E3}},
		{"Lucie", "Garnier", "Orthophoniste (H/F)", true, []string{demoO365E3}},
		{"Antoine", "Rousseau", "Agent d'entretien (H/F)", true, nil},
		{"Manon", "Clément", "Assistante sociale (H/F)", true, []string{demoO365E3, demoPBIFree}},
		{"Yanis", "Bonnet", "Éducateur sportif (H/F)", true, []string{demoF3, demoAddon}},
	}
	demoSiege = []demoPerson{
		{"Michel", "Arnaud", "Directeur général (H/F)", true, []string{demoM365E3, demoPBIPro}},
		{"Claire", "Dumas", "Directrice générale adjointe (H/F)", true, []string{demoO365E3}},
		{"Pierre", "Lefebvre", "Directeur financier (H/F)", true, []string{demoPBIFree, demoFlow}},
		{"Anne", "Renard", "Juriste (H/F)", true, []string{demoO365E3}},
		{"Olivier", "Marchand", "Responsable paie (H/F)", true, []string{demoO365E3}},
		{"Sandrine", "Colin", "Comptable (H/F)", true, []string{demoO365E3}},
		{"Marc", "Vidal", "Technicien informatique (H/F)", true, []string{demoM365E3, demoFlow}},
		{"Isabelle", "Noël", "Formatrice (H/F)", true, []string{demoO365E3}},
		{"David", "Leclerc", "Chargé de communication (H/F)", false, []string{demoExchange}},
		{"Émilie", "Giraud", "Assistante de direction (H/F)", true, []string{demoO365E3}},
	}
)

func demoAccounts(prefix int, people []demoPerson) []domain.LicensedAccount {
	var out []domain.LicensedAccount
	for i, p := range people {
		mail := fmt.Sprintf("%s.%s@anras.fr", asciiLower(p.given), asciiLower(p.surname))
		out = append(out, domain.LicensedAccount{
			ID: fmt.Sprintf("%08x-7a1b-4c2d-8e3f-%012x", prefix, i+1), GivenName: p.given, Surname: p.surname,
			DisplayName: p.given + " " + strings.ToUpper(p.surname), Mail: mail, UPN: mail, JobTitle: p.job, Enabled: p.enabled, SkuIDs: p.skus,
		})
	}
	return out
}

// asciiLower writes a name as an e-mail address does: lower case,
// without accents or spaces.
func asciiLower(s string) string {
	r := strings.NewReplacer("é", "e", "è", "e", "ê", "e", "ë", "e", "É", "e", "à", "a", "â", "a", "î", "i", "ï", "i", "ô", "o", "ç", "c", "ù", "u", "û", "u", " ", "-", "'", "")
	return r.Replace(strings.ToLower(s))
}

// demoSnapshot is the demo tenant as Graph would list it: the two demo
// establishments' staff groups, and the subscriptions with a few seats
// not assigned.
func demoSnapshot(now time.Time) domain.LicenceSnapshot {
	snap := domain.LicenceSnapshot{TakenAt: now.UTC(), Groups: map[string][]domain.LicensedAccount{
		demoEstablishments[0].StaffGroupIDs[0]: demoAccounts(0xd17e9, demoDitep),
		demoEstablishments[1].StaffGroupIDs[0]: demoAccounts(0x5e1e9, demoSiege),
	}}
	used := map[string]int{}
	for _, members := range snap.Groups {
		for _, a := range members {
			for _, s := range a.SkuIDs {
				used[s]++
			}
		}
	}
	parts := map[string]string{demoO365E3: "ENTERPRISEPACK", demoM365E3: "SPE_E3", demoF3: "DESKLESSPACK", demoExchange: "EXCHANGESTANDARD",
		demoFlow: "FLOW_FREE", demoPBIFree: "POWER_BI_STANDARD", demoPBIPro: "POWER_BI_PRO", demoTeamsExp: "Microsoft_Teams_Exploratory_Dept", demoAddon: "ANRAS_ARCHIVAGE_ADDON"}
	spare := map[string]int{demoO365E3: 6, demoM365E3: 1, demoF3: 3, demoFlow: 10000, demoPBIFree: 1000000}
	for _, id := range []string{demoO365E3, demoM365E3, demoF3, demoExchange, demoFlow, demoPBIFree, demoPBIPro, demoTeamsExp, demoAddon} {
		snap.Skus = append(snap.Skus, domain.SubscribedSku{SkuID: id, PartNumber: parts[id], Enabled: used[id] + spare[id], Consumed: used[id], AppliesTo: "User"})
	}
	return snap
}
