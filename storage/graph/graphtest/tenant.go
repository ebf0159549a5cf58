package graphtest

import (
	"fmt"

	"github.com/anras/parc/domain"
)

// SKUs of the generated tenants (real ids of Microsoft's table).
var (
	SkuO365E3   = domain.SubscribedSku{SkuID: "6fd2c87f-b296-42f0-b197-1e91e994b900", PartNumber: "ENTERPRISEPACK"}
	SkuM365E3   = domain.SubscribedSku{SkuID: "05e9a617-0261-4cee-bb44-138d3ef5d965", PartNumber: "SPE_E3"}
	SkuFlowFree = domain.SubscribedSku{SkuID: "f30db892-07e9-47e9-837c-80727f46fd3d", PartNumber: "FLOW_FREE"}
	SkuPBIFree  = domain.SubscribedSku{SkuID: "a403ebcc-fae0-4ca2-8c8c-7a907fd6c235", PartNumber: "POWER_BI_STANDARD"}
	SkuE1       = domain.SubscribedSku{SkuID: "18181a46-0d4e-45cd-891e-60aabd171b4e", PartNumber: "STANDARDPACK"}
	SkuAddon    = domain.SubscribedSku{SkuID: "11111111-2222-4333-8444-555555555555", PartNumber: "CONTOSO_ADDON"}
)

// GroupID is the staff group of the i-th generated establishment.
func GroupID(i int) string { return fmt.Sprintf("%08x-0000-4000-8000-%012x", 0x9000+i, i) }

// UserID is the j-th generated user of establishment i.
func UserID(i, j int) string {
	return fmt.Sprintf("%08x-%04x-4000-8000-%012x", 0x1000000+i, j%0x10000, j)
}

var (
	givenNames = []string{"Marie", "Paul", "Léa", "Jean", "Éric", "Chloé", "Nadia", "Hugo", "Inès", "Karim", "Lucie", "Mathis"}
	surnames   = []string{"Dupont", "Martin", "Durand", "Petit", "Bernard", "Leroy", "Moreau", "Garcia", "Roux", "Fournier", "Girard", "Lambert", "Faure"}
	jobs       = []string{"Éducateur spécialisé (H/F)", "Moniteur éducateur (H/F)", "Psychologue (H/F)", "Secrétaire (H/F)", "Chef de service (H/F)", "Infirmier (H/F)"}
)

// Tenant generates establishments × members accounts, each with 1 to 4
// licences, deterministically (the benchmark's 20 × 500).
func Tenant(establishments, members int) domain.LicenceSnapshot {
	skus := []domain.SubscribedSku{SkuO365E3, SkuM365E3, SkuFlowFree, SkuPBIFree, SkuE1, SkuAddon}
	t := domain.LicenceSnapshot{Groups: map[string][]domain.LicensedAccount{}}
	assigned := map[string]int{}
	for i := range establishments {
		var list []domain.LicensedAccount
		for j := range members {
			n := j%4 + 1
			var lic []string
			for k := range n {
				s := skus[(j+k*2+i)%len(skus)]
				lic = append(lic, s.SkuID)
				assigned[s.SkuID]++
			}
			gn, sn := givenNames[(i+j)%len(givenNames)], surnames[(j*7+i)%len(surnames)]
			list = append(list, domain.LicensedAccount{
				ID: UserID(i, j), GivenName: gn, Surname: fmt.Sprintf("%s%d", sn, j), DisplayName: fmt.Sprintf("%s %s%d", gn, sn, j),
				Mail: fmt.Sprintf("u%d.%d@anras.fr", i, j), UPN: fmt.Sprintf("u%d.%d@anras.fr", i, j), JobTitle: jobs[j%len(jobs)],
				Enabled: j%25 != 0, SkuIDs: lic,
			})
		}
		t.Groups[GroupID(i)] = list
	}
	for _, s := range skus {
		s.Consumed = assigned[s.SkuID]
		s.Enabled = s.Consumed + 10
		t.Skus = append(t.Skus, s)
	}
	return t
}
