package domain_test

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anras/parc/domain"
)

// SKU ids of Microsoft's table used in the tests.
const (
	skuO365E3   = "6fd2c87f-b296-42f0-b197-1e91e994b900" // ENTERPRISEPACK, Office 365 E3
	skuM365E3   = "05e9a617-0261-4cee-bb44-138d3ef5d965" // SPE_E3, Microsoft 365 E3
	skuFlowFree = "f30db892-07e9-47e9-837c-80727f46fd3d" // FLOW_FREE
	skuPBIFree  = "a403ebcc-fae0-4ca2-8c8c-7a907fd6c235" // POWER_BI_STANDARD, Microsoft Fabric (Free)
	skuTeamsExp = "e0dfc8b9-9531-4ec8-94b4-9fec23b05fc8" // Microsoft_Teams_Exploratory_Dept
	skuEMS      = "efccb6f7-5641-4e0e-bd10-b4976e1bf68e" // EMS
	skuUnknown  = "11111111-2222-4333-8444-555555555555" // not in Microsoft's table
)

var now = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)

func excerpt(t *testing.T) domain.CatalogueImport {
	t.Helper()
	f, err := os.Open("testdata/products-excerpt.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	imp, err := domain.ParseProductCatalogue(f, now)
	if err != nil {
		t.Fatal(err)
	}
	return imp
}

func product(imp domain.CatalogueImport, id string) (domain.LicenceProduct, bool) {
	for _, p := range imp.Products {
		if p.SkuID == id {
			return p, true
		}
	}
	return domain.LicenceProduct{}, false
}

func TestParseProductCatalogueQuirks(t *testing.T) {
	imp := excerpt(t)
	e3, ok := product(imp, skuO365E3)
	if !ok || e3.Name != "Office 365 E3" || e3.PartNumber != "ENTERPRISEPACK" {
		t.Fatalf("Office 365 E3 = %+v, %v", e3, ok)
	}
	// The repeated row and the upper-case, braced GUID add no plan twice.
	var sway int
	for _, p := range e3.ServicePlans {
		if p.Name == "SWAY" {
			sway++
		}
	}
	if sway != 1 {
		t.Fatalf("SWAY appears %d times in Office 365 E3's plans", sway)
	}
	// A part number shared by two products: both are kept, by GUID.
	cat := domain.NewLicenceCatalogue(imp.Products, nil)
	if ids := cat.ByPartNumber("MCOPSTN5"); len(ids) != 2 {
		t.Fatalf("MCOPSTN5 products = %v, want 2", ids)
	}
	// Display names shared by two products: two products.
	var aip int
	for _, p := range imp.Products {
		if p.Name == "Azure Information Protection Plan 1" {
			aip++
		}
	}
	if aip != 2 {
		t.Fatalf("%d products named Azure Information Protection Plan 1, want 2", aip)
	}
	// A part number with spaces is found however it is typed.
	if ids := cat.ByPartNumber("microsoft_365_business_premium_(noteams)"); len(ids) != 1 {
		t.Fatalf("part number with spaces: %v", ids)
	}
	// The broken GUID is reported with its line, not fatal.
	if len(imp.Problems) != 1 || imp.Problems[0].Err.Key != "err.licence.sku" || imp.Problems[0].Line < 170 {
		t.Fatalf("problems = %+v", imp.Problems)
	}
}

// TestParseMicrosoftCatalogue reads the full table Microsoft publishes
// (a copy lives outside the repository).
func TestParseMicrosoftCatalogue(t *testing.T) {
	const path = "../../shared/data/ms-licensing-products.csv"
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("Microsoft's product table is not at %s (it lives outside the repository): %v", path, err)
	}
	defer f.Close()
	imp, err := domain.ParseProductCatalogue(f, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(imp.Products) != 610 || len(imp.Problems) != 0 {
		t.Fatalf("%d products, problems %v; want 610 and none", len(imp.Products), imp.Problems)
	}
	cat := domain.NewLicenceCatalogue(imp.Products, nil)
	for _, tc := range []struct{ sku, name string }{
		{skuO365E3, "Office 365 E3"}, {skuM365E3, "Microsoft 365 E3"}, {skuFlowFree, "Microsoft Power Automate Free"},
	} {
		if got := cat.Resolve(tc.sku, "").Name; got != tc.name {
			t.Errorf("%s is named %q, want %q", tc.sku, got, tc.name)
		}
	}
	if len(cat.Overlap(skuO365E3, skuM365E3)) < 30 {
		t.Errorf("Office 365 E3 and Microsoft 365 E3 share %v", cat.Overlap(skuO365E3, skuM365E3))
	}
}

func TestParseProductCatalogueRefuses(t *testing.T) {
	for name, in := range map[string]string{
		"empty":          "",
		"no product col": "a,b,c\n1,2,3\n",
		"header only":    "Product_Display_Name,String_Id,GUID\n",
		"no valid guid":  "Product_Display_Name,String_Id,GUID\nX,Y,zzz\n",
	} {
		if _, err := domain.ParseProductCatalogue(strings.NewReader(in), now); domain.ErrorCodeOf(err) != domain.EINVALID {
			t.Errorf("%s: %v, want EINVALID", name, err)
		}
	}
}

func TestParseMoney(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want domain.Money
		bad  bool
	}{
		{in: "6.3", want: 630}, {in: "6,30", want: 630}, {in: "6,30 €", want: 630}, {in: "€6.30", want: 630},
		{in: "12", want: 1200}, {in: "0", want: 0}, {in: " 33,75 ", want: 3375}, {in: "1 234,50", want: 123450},
		{in: "12 EUR", want: 1200},
		{in: "", bad: true}, {in: "abc", bad: true}, {in: "-1", bad: true}, {in: "1.234", bad: true}, {in: "1,2,3", bad: true},
		{in: "N/A", bad: true},
	} {
		got, err := domain.ParseMoney(tc.in)
		if tc.bad {
			if domain.ErrorCodeOf(err) != domain.EINVALID {
				t.Errorf("ParseMoney(%q) = %v, %v; want EINVALID", tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseMoney(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	if got := domain.Money(-105).Euros(); got != "-1.05" {
		t.Errorf("Euros = %q", got)
	}
}

func TestParsePriceList(t *testing.T) {
	imp := excerpt(t)
	cat := domain.NewLicenceCatalogue(imp.Products, nil)
	in := "Licence;Tarif HT;Nom\n" +
		"ENTERPRISEPACK;6,30\n" +
		skuM365E3 + ";30;\n" +
		"FLOW_FREE;0;Power Automate (gratuit)\n" +
		"MCOPSTN5;2,00\n" + // two products share it
		"NOPE_SKU;1\n" + // unknown
		"STANDARDPACK;douze\n" + // not a price
		"\n" +
		strings.ToUpper(skuUnknown) + ";4,5;Module Contoso\n"
	rows, problems, err := domain.ParsePriceList(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 6 || len(problems) != 1 || problems[0].Line != 7 || problems[0].Err.Key != "err.licence.price" {
		t.Fatalf("rows %+v, problems %+v", rows, problems)
	}
	prices, problems := domain.ResolvePrices(rows, cat, now, "admin")
	var keys []string
	for _, p := range problems {
		keys = append(keys, p.Err.Key)
	}
	if !slices.Equal(keys, []string{"err.licence.part_number_ambiguous", "err.licence.part_number_unknown"}) {
		t.Fatalf("problems = %v", keys)
	}
	want := map[string]domain.Money{skuO365E3: 630, skuM365E3: 3000, skuFlowFree: 0, skuUnknown: 450}
	if len(prices) != len(want) {
		t.Fatalf("prices = %+v", prices)
	}
	for _, p := range prices {
		if w, ok := want[p.SkuID]; !ok || w != p.Price {
			t.Errorf("price %+v, want %v", p, w)
		}
	}
	// A comma-separated list works too.
	rows, _, err = domain.ParsePriceList(strings.NewReader("sku,price\nENTERPRISEPACK,6.30\n"))
	if err != nil || len(rows) != 1 || rows[0].Price != 630 {
		t.Fatalf("comma list: %+v, %v", rows, err)
	}
	if _, _, err := domain.ParsePriceList(strings.NewReader("sku;price\n")); domain.ErrorCodeOf(err) != domain.EINVALID {
		t.Fatalf("empty list: %v", err)
	}
}

func TestOverlap(t *testing.T) {
	cat := domain.NewLicenceCatalogue(excerpt(t).Products, nil)
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{skuO365E3, skuM365E3, true},     // Microsoft 365 E3 includes Office 365 E3
		{skuM365E3, skuEMS, true},        // and EMS E3
		{skuFlowFree, skuPBIFree, false}, // only Exchange Foundation in common
		{skuO365E3, skuFlowFree, false},
		{skuO365E3, skuUnknown, false}, // plans unknown: no claim
	} {
		if got := len(cat.Overlap(tc.a, tc.b)) > 0; got != tc.want {
			t.Errorf("Overlap(%s, %s) = %v, want %v", tc.a, tc.b, cat.Overlap(tc.a, tc.b), tc.want)
		}
	}
}

func TestResolveUnknownSku(t *testing.T) {
	cat := domain.NewLicenceCatalogue(excerpt(t).Products, []domain.LicencePrice{{SkuID: skuO365E3, Price: 630}})
	// Not in the catalogue: the part number Graph gave, no price (N/A).
	if got := cat.Resolve(skuUnknown, "CONTOSO_ADDON"); got.Name != "CONTOSO_ADDON" || got.Named || got.Priced {
		t.Fatalf("unknown SKU = %+v", got)
	}
	if got := cat.Resolve(skuUnknown, ""); got.Name != skuUnknown {
		t.Fatalf("unknown SKU without part number = %+v", got)
	}
	if got := cat.Resolve(skuO365E3, "ENTERPRISEPACK"); got.Name != "Office 365 E3" || !got.Priced || got.Price != 630 {
		t.Fatalf("E3 = %+v", got)
	}
	if got := cat.Resolve(skuTeamsExp, ""); !got.Named || got.Priced {
		t.Fatalf("named but unpriced = %+v", got)
	}
}

// handExample is the worked example of the README: six accounts of DITEP
// Saint-François, priced Office 365 E3 6,30 €, Microsoft 365 E3 30,00 €,
// the free products 0 €, Teams Exploratory and an add-on not priced.
func handExample(t *testing.T) (domain.LicenceReport, domain.LicenceReport, *domain.LicenceCatalogue) {
	t.Helper()
	cat := domain.NewLicenceCatalogue(excerpt(t).Products, []domain.LicencePrice{
		{SkuID: skuO365E3, Price: 630}, {SkuID: skuM365E3, Price: 3000},
		{SkuID: skuFlowFree, Price: 0}, {SkuID: skuPBIFree, Price: 0},
	})
	skus := []domain.SkuInfo{
		cat.Resolve(skuO365E3, "ENTERPRISEPACK"), cat.Resolve(skuM365E3, "SPE_E3"), cat.Resolve(skuFlowFree, "FLOW_FREE"),
		cat.Resolve(skuPBIFree, "POWER_BI_STANDARD"), cat.Resolve(skuTeamsExp, "Microsoft_Teams_Exploratory_Dept"),
		cat.Resolve(skuUnknown, "CONTOSO_ADDON"),
	}
	acc := func(id, sn, gn string, enabled bool, skus ...string) domain.LicensedAccount {
		return domain.LicensedAccount{ID: id, Surname: sn, GivenName: gn, Mail: strings.ToLower(gn) + "." + strings.ToLower(sn) + "@anras.fr",
			JobTitle: "Éducateur spécialisé (H/F)", Enabled: enabled, SkuIDs: skus}
	}
	cur := domain.LicenceReport{RunID: "20261128T090000Z-000002", Code: "DITEP-STF", Name: "DITEP Saint-François", GeneratedAt: now, Skus: skus,
		Accounts: []domain.LicensedAccount{
			acc("u1", "Dupont", "Marie", true, skuO365E3),
			acc("u2", "Martin", "Paul", true, skuO365E3, skuM365E3),
			acc("u3", "Durand", "Léa", false, skuO365E3),
			acc("u4", "Petit", "Jean", true),
			acc("u5", "Bernard", "Éric", true, skuFlowFree, skuPBIFree, skuUnknown),
			acc("u6", "Leroy", "Chloé", true, skuTeamsExp),
		}}
	prev := domain.LicenceReport{RunID: "20261028T090000Z-000001", Code: "DITEP-STF", Name: "DITEP Saint-François", GeneratedAt: now.AddDate(0, -1, 0), Skus: skus,
		Accounts: []domain.LicensedAccount{
			acc("u1", "Dupont", "Marie", true, skuO365E3),
			acc("u2", "Martin", "Paul", true, skuO365E3),
			acc("u3", "Durand", "Léa", true, skuO365E3),
			acc("u7", "Garcia", "Luc", true, skuO365E3),
			acc("u5", "Bernard", "Éric", true, skuFlowFree),
		}}
	return cur, prev, cat
}

func TestSummarizeHandComputedExample(t *testing.T) {
	cur, prev, cat := handExample(t)
	s := domain.SummarizeLicences(cur, cat, &prev)
	var names []string
	for _, a := range s.Accounts {
		names = append(names, a.Name())
	}
	if want := []string{"BERNARD Éric", "DUPONT Marie", "DURAND Léa", "LEROY Chloé", "MARTIN Paul", "PETIT Jean"}; !slices.Equal(names, want) {
		t.Fatalf("accounts = %v, want %v", names, want)
	}
	costs := map[string]domain.Money{}
	for _, a := range s.Accounts {
		costs[a.Name()] = a.Cost
	}
	for name, want := range map[string]domain.Money{"DUPONT Marie": 630, "MARTIN Paul": 3630, "DURAND Léa": 630, "PETIT Jean": 0, "BERNARD Éric": 0, "LEROY Chloé": 0} {
		if costs[name] != want {
			t.Errorf("%s costs %v, want %v", name, costs[name], want)
		}
	}
	if s.Total != 4890 || !s.Unpriced {
		t.Fatalf("total = %v (unpriced %v), want 48.90 and a licence without price", s.Total.Euros(), s.Unpriced)
	}
	type tot struct {
		name  string
		count int
		total domain.Money
	}
	var totals []tot
	for _, x := range s.Totals {
		totals = append(totals, tot{x.Name, x.Count, x.Total})
	}
	wantTotals := []tot{
		{"Microsoft 365 E3", 1, 3000}, {"Office 365 E3", 3, 1890},
		{"CONTOSO_ADDON", 1, 0}, {"Microsoft Fabric (Free)", 1, 0}, {"Microsoft Power Automate Free", 1, 0}, {"Microsoft Teams Exploratory Dept", 1, 0},
	}
	if !slices.Equal(totals, wantTotals) {
		t.Fatalf("totals = %v\nwant %v", totals, wantTotals)
	}
	name := func(i int) string { return s.Accounts[i].Name() }
	if len(s.DisabledPaid) != 1 || name(s.DisabledPaid[0]) != "DURAND Léa" {
		t.Errorf("disabled with paid licences = %v", s.DisabledPaid)
	}
	if len(s.Unlicensed) != 1 || name(s.Unlicensed[0]) != "PETIT Jean" {
		t.Errorf("without licence = %v", s.Unlicensed)
	}
	if len(s.Overlaps) != 1 || name(s.Overlaps[0].Account) != "MARTIN Paul" {
		t.Errorf("overlaps = %+v", s.Overlaps)
	}
	var unknown []string
	for _, u := range s.UnknownSkus {
		unknown = append(unknown, u.Name)
	}
	if !slices.Equal(unknown, []string{"CONTOSO_ADDON", "Microsoft Teams Exploratory Dept"}) {
		t.Errorf("unknown SKUs = %v", unknown)
	}
	var top []string
	for _, i := range s.Costliest {
		top = append(top, name(i))
	}
	if !slices.Equal(top, []string{"MARTIN Paul", "DUPONT Marie", "DURAND Léa"}) {
		t.Errorf("costliest = %v", top)
	}
	c := s.Changes
	if c == nil {
		t.Fatal("no changes computed")
	}
	if !slices.Equal(c.AccountsAdded, []string{"LEROY Chloé", "PETIT Jean"}) || !slices.Equal(c.AccountsRemoved, []string{"GARCIA Luc"}) {
		t.Errorf("accounts added %v, removed %v", c.AccountsAdded, c.AccountsRemoved)
	}
	wantAdded := []domain.LicenceChange{{"BERNARD Éric", "CONTOSO_ADDON"}, {"BERNARD Éric", "Microsoft Fabric (Free)"}, {"MARTIN Paul", "Microsoft 365 E3"}}
	if !slices.Equal(c.LicencesAdded, wantAdded) || len(c.LicencesRemoved) != 0 {
		t.Errorf("licences added %v, removed %v", c.LicencesAdded, c.LicencesRemoved)
	}
	if c.CostBefore != 2520 || c.CostAfter != 4890 || c.Difference() != 2370 {
		t.Errorf("cost %v -> %v (%v), want 25.20 -> 48.90 (+23.70)", c.CostBefore.Euros(), c.CostAfter.Euros(), c.Difference().Euros())
	}
}

func TestSplitJoinReport(t *testing.T) {
	cur, _, _ := handExample(t)
	for _, size := range []int{1, 4, 6, 1000} {
		head, parts := domain.SplitLicenceReport(cur, size)
		if head.Accounts != nil || head.Parts != len(parts) || len(parts) != (len(cur.Accounts)+size-1)/size {
			t.Fatalf("size %d: head %+v, %d parts", size, head, len(parts))
		}
		back, err := domain.JoinLicenceReport(head, parts)
		if err != nil || len(back.Accounts) != len(cur.Accounts) || back.Accounts[5].ID != "u6" || back.Parts != 0 {
			t.Fatalf("size %d: joined %+v, %v", size, back, err)
		}
		if len(parts) > 1 {
			if _, err := domain.JoinLicenceReport(head, parts[1:]); err == nil {
				t.Fatalf("size %d: a missing part went unnoticed", size)
			}
		}
	}
}

func TestLicenceRunIDAndMonth(t *testing.T) {
	id := domain.NewLicenceRunID(now)
	if !domain.IsLicenceRunID(id) || !strings.HasPrefix(id, "20261128T090000Z-") {
		t.Fatalf("id %q", id)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	// 31 October 23:30 UTC is already November in Paris (UTC+1 after the
	// change of 25 October); 31 March 22:30 UTC is 1 April 00:30 (UTC+2).
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 10, 31, 23, 30, 0, 0, time.UTC), "2026-11"},
		{time.Date(2026, 10, 31, 22, 59, 0, 0, time.UTC), "2026-10"},
		{time.Date(2026, 3, 31, 22, 30, 0, 0, time.UTC), "2026-04"},
		{time.Date(2026, 3, 31, 21, 59, 0, 0, time.UTC), "2026-03"},
	} {
		if got := domain.LicenceMonth(tc.t, paris); got != tc.want {
			t.Errorf("LicenceMonth(%v) = %s, want %s", tc.t, got, tc.want)
		}
	}
}

func FuzzParseProductCatalogue(f *testing.F) {
	raw, err := os.ReadFile("testdata/products-excerpt.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw[:min(len(raw), 2000)])
	f.Add([]byte("Product_Display_Name,String_Id,GUID\n\"a,b\",X,6fd2c87f-b296-42f0-b197-1e91e994b900\n"))
	f.Add([]byte("\xef\xbb\xbfGUID;String_Id\n\"unterminated\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		imp, err := domain.ParseProductCatalogue(bytes.NewReader(in), now)
		if err != nil {
			if domain.ErrorCodeOf(err) != domain.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		for _, p := range imp.Products {
			if err := p.Validate(); err != nil {
				t.Fatalf("product %+v breaks its rules: %v", p, err)
			}
		}
	})
}

func FuzzParsePriceList(f *testing.F) {
	f.Add([]byte("sku;price\nENTERPRISEPACK;6,30\n"))
	f.Add([]byte("6fd2c87f-b296-42f0-b197-1e91e994b900,1.5,Name\n"))
	f.Add([]byte("a;\"b\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		rows, _, err := domain.ParsePriceList(bytes.NewReader(in))
		if err != nil {
			if domain.ErrorCodeOf(err) != domain.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		for _, r := range rows {
			if r.Price < 0 || r.Sku == "" {
				t.Fatalf("row %+v", r)
			}
		}
	})
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"6,30", "6.3 €", "€12", "1 234,50", "-1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := domain.ParseMoney(s)
		if err != nil {
			return
		}
		if m < 0 {
			t.Fatalf("ParseMoney(%q) = %v", s, m)
		}
		// What Euros writes reads back the same.
		if back, err := domain.ParseMoney(m.Euros()); err != nil || back != m {
			t.Fatalf("ParseMoney(%q) = %v; Euros %q reads back %v, %v", s, m, m.Euros(), back, err)
		}
	})
}
