package storagetest

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anras/parc/domain"
)

// runLicences runs the licences feature's contract.
func runLicences(t *testing.T, newStore NewStore) {
	t.Run("LicenceCatalogue", func(t *testing.T) { testLicenceCatalogue(t, newStore) })
	t.Run("LicenceSettings", func(t *testing.T) { testLicenceSettings(t, newStore) })
	t.Run("LicenceRuns", func(t *testing.T) { testLicenceRuns(t, newStore) })
	t.Run("LicencePostings", func(t *testing.T) { testLicencePostings(t, newStore) })
	t.Run("LicenceReports", func(t *testing.T) { testLicenceReports(t, newStore) })
	t.Run("LicenceExportImport", func(t *testing.T) { testLicencePort(t, newStore) })
}

const (
	skuE3   = "6fd2c87f-b296-42f0-b197-1e91e994b900"
	skuM365 = "05e9a617-0261-4cee-bb44-138d3ef5d965"
	skuFlow = "f30db892-07e9-47e9-837c-80727f46fd3d"
)

func licenceProducts() []domain.LicenceProduct {
	return []domain.LicenceProduct{
		{SkuID: skuM365, PartNumber: "SPE_E3", Name: "Microsoft 365 E3", ServicePlans: []domain.ServicePlan{{ID: "efb87545-963c-4e0d-99df-69c6916d9eb0", Name: "EXCHANGE_S_ENTERPRISE"}}, UpdatedAt: t0},
		{SkuID: skuE3, PartNumber: "ENTERPRISEPACK", Name: "Office 365 E3", ServicePlans: []domain.ServicePlan{{ID: "efb87545-963c-4e0d-99df-69c6916d9eb0", Name: "EXCHANGE_S_ENTERPRISE", FriendlyName: "EXCHANGE ONLINE (PLAN 2)"}}, UpdatedAt: t0},
		{SkuID: skuFlow, PartNumber: "FLOW_FREE", UpdatedAt: t0},
	}
}

func testLicenceCatalogue(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	if ps, err := s.LicenceProducts(ctx); err != nil || len(ps) != 0 {
		t.Fatalf("new store has products %v, %v", ps, err)
	}
	if err := s.PutLicenceProducts(ctx, licenceProducts()); err != nil {
		t.Fatal(err)
	}
	// A second import replaces by SKU id.
	renamed := licenceProducts()[2]
	renamed.Name = "Microsoft Power Automate Free"
	if err := s.PutLicenceProducts(ctx, []domain.LicenceProduct{renamed}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutLicenceProducts(ctx, []domain.LicenceProduct{{SkuID: "not-a-guid", PartNumber: "X"}}); domain.ErrorCodeOf(err) != domain.EINVALID {
		t.Fatalf("invalid product: %v, want EINVALID", err)
	}
	ps, err := s.LicenceProducts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 3 || ps[0].SkuID != skuM365 || ps[1].SkuID != skuE3 || ps[2].Name != "Microsoft Power Automate Free" {
		t.Fatalf("products = %+v", ps)
	}
	if !reflect.DeepEqual(ps[1].ServicePlans, licenceProducts()[1].ServicePlans) || !ps[1].UpdatedAt.Equal(t0) {
		t.Fatalf("Office 365 E3 read back as %+v", ps[1])
	}
	// More than a batch of products.
	var many []domain.LicenceProduct
	for i := range 230 {
		many = append(many, domain.LicenceProduct{SkuID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), PartNumber: fmt.Sprintf("P%d", i), UpdatedAt: t0})
	}
	if err := s.PutLicenceProducts(ctx, many); err != nil {
		t.Fatal(err)
	}
	if ps, _ := s.LicenceProducts(ctx); len(ps) != 233 || !slices.IsSortedFunc(ps, func(a, b domain.LicenceProduct) int { return strings.Compare(a.SkuID, b.SkuID) }) {
		t.Fatalf("%d products after the big import (sorted: %v)", len(ps), slices.IsSortedFunc(ps, func(a, b domain.LicenceProduct) int { return strings.Compare(a.SkuID, b.SkuID) }))
	}

	// Prices.
	if err := s.SetLicencePrice(ctx, domain.LicencePrice{SkuID: skuE3, Price: 630, UpdatedAt: t0, UpdatedBy: "u1"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetLicencePrice(ctx, domain.LicencePrice{SkuID: skuFlow, Price: 0, UpdatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetLicencePrice(ctx, domain.LicencePrice{SkuID: skuE3, Price: 650, Name: "O365 E3 (asso)", UpdatedAt: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []domain.LicencePrice{{SkuID: "ENTERPRISEPACK", Price: 1}, {SkuID: skuE3, Price: -1}} {
		if err := s.SetLicencePrice(ctx, bad); domain.ErrorCodeOf(err) != domain.EINVALID {
			t.Fatalf("invalid price %+v: %v, want EINVALID", bad, err)
		}
	}
	prices, err := s.LicencePrices(ctx)
	if err != nil || len(prices) != 2 || prices[0].SkuID != skuE3 || prices[0].Price != 650 || prices[0].Name != "O365 E3 (asso)" || prices[1].Price != 0 {
		t.Fatalf("prices = %+v, %v", prices, err)
	}
	if err := s.DeleteLicencePrice(ctx, skuFlow); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteLicencePrice(ctx, skuFlow); !domain.IsNotFound(err) {
		t.Fatalf("deleting twice: %v, want ENOTFOUND", err)
	}
	if prices, _ := s.LicencePrices(ctx); len(prices) != 1 {
		t.Fatalf("prices after delete = %+v", prices)
	}
}

func testLicenceSettings(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	if st, err := s.LicenceSettings(ctx); err != nil || st.ITChannelID != "" {
		t.Fatalf("new store settings = %+v, %v", st, err)
	}
	var wg sync.WaitGroup
	for i := range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.UpdateLicenceSettings(ctx, func(st *domain.LicenceSettings) error {
				st.ITChannelID = fmt.Sprintf("19:it%d@thread.tacv2", i)
				st.UpdatedAt = t0
				return nil
			}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	st, err := s.LicenceSettings(ctx)
	if err != nil || !strings.HasPrefix(st.ITChannelID, "19:it") || !st.UpdatedAt.Equal(t0) {
		t.Fatalf("settings = %+v, %v", st, err)
	}
}

func runAt(start time.Time, code string) domain.LicenceRun {
	return domain.LicenceRun{ID: domain.NewLicenceRunID(start), Month: start.Format("2006-01"), Trigger: domain.TriggerScheduled,
		StartedAt: start, Status: domain.RunDone,
		Establishments: []domain.RunEstablishment{{Code: code, Name: code, Found: 3, Processed: 3, DurationMS: 120, Total: 1890}},
		Skus:           []domain.RunSku{{SkuInfo: domain.SkuInfo{SkuID: skuE3, Name: "Office 365 E3", Named: true, Priced: true, Price: 630}, Enabled: 10, Consumed: 3}}}
}

func testLicenceRuns(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	var ids []string
	for _, d := range []int{2, 0, 1} { // saved out of order
		r := runAt(t0.AddDate(0, d, 0), "DITEP-STF")
		ids = append(ids, r.ID)
		if err := s.SaveLicenceRun(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	runs, err := s.ListLicenceRuns(ctx, 0)
	if err != nil || len(runs) != 3 || runs[0].ID != ids[0] || runs[1].ID != ids[2] || runs[2].ID != ids[1] {
		t.Fatalf("runs = %v, %v (ids %v)", runIDs(runs), err, ids)
	}
	if runs, _ := s.ListLicenceRuns(ctx, 2); len(runs) != 2 || runs[0].ID != ids[0] {
		t.Fatalf("two latest runs = %v", runIDs(runs))
	}
	// Replace: a running run becomes done.
	r := runs[0]
	r.Status, r.FinishedAt, r.ReportPost = domain.RunDone, t0.Add(time.Minute), "act-1"
	if err := s.SaveLicenceRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	got, err := s.LicenceRun(ctx, r.ID)
	if err != nil || got.ReportPost != "act-1" || !got.FinishedAt.Equal(r.FinishedAt) || !reflect.DeepEqual(got.Establishments, r.Establishments) || !reflect.DeepEqual(got.Skus, r.Skus) {
		t.Fatalf("run read back as %+v, %v", got, err)
	}
	if _, err := s.LicenceRun(ctx, domain.NewLicenceRunID(t0)); !domain.IsNotFound(err) {
		t.Fatalf("unknown run: %v, want ENOTFOUND", err)
	}
	if _, err := s.LicenceRun(ctx, "../x"); !domain.IsNotFound(err) {
		t.Fatalf("odd run id: %v, want ENOTFOUND", err)
	}
	if err := s.SaveLicenceRun(ctx, domain.LicenceRun{ID: "x", Month: "2026-11"}); domain.ErrorCodeOf(err) != domain.EINVALID {
		t.Fatalf("invalid run: %v, want EINVALID", err)
	}
}

func runIDs(runs []domain.LicenceRun) []string {
	var out []string
	for _, r := range runs {
		out = append(out, r.ID)
	}
	return out
}

func testLicencePostings(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	a, b := domain.NewLicenceRunID(t0), domain.NewLicenceRunID(t0.Add(time.Hour))
	p := domain.LicencePosting{Month: "2026-03", Code: "DITEP-STF", RunID: a, PostedAt: t0}
	claim := func(p domain.LicencePosting, force bool) bool {
		t.Helper()
		ok, err := s.ClaimLicencePosting(ctx, p, force)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !claim(p, false) {
		t.Fatal("first claim refused")
	}
	if !claim(p, false) {
		t.Fatal("the same run's claim again refused")
	}
	pb := p
	pb.RunID = b
	if claim(pb, false) {
		t.Fatal("a second run posts the same month again")
	}
	other := p
	other.Month = "2026-04"
	if !claim(other, false) {
		t.Fatal("another month is independent")
	}
	if err := s.ReleaseLicencePosting(ctx, p.Month, p.Code, b); err != nil { // not b's: no effect
		t.Fatal(err)
	}
	if claim(pb, false) {
		t.Fatal("b's release removed a's claim")
	}
	if !claim(pb, true) {
		t.Fatal("a forced claim refused")
	}
	list, err := s.LicencePostings(ctx, "2026-03")
	if err != nil || len(list) != 1 || list[0].RunID != b {
		t.Fatalf("postings = %+v, %v", list, err)
	}
	if err := s.ReleaseLicencePosting(ctx, p.Month, p.Code, b); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.LicencePostings(ctx, "2026-03"); len(list) != 0 {
		t.Fatalf("after release: %+v", list)
	}
	if _, err := s.ClaimLicencePosting(ctx, domain.LicencePosting{Month: "2026-13", Code: "X1", RunID: a}, false); domain.ErrorCodeOf(err) != domain.EINVALID {
		t.Fatalf("invalid posting: %v", err)
	}
	// Two replicas (or the scheduler and an admin) race: one posts.
	winners := wins(t, 8, func(i int) (bool, error) {
		return s.ClaimLicencePosting(ctx, domain.LicencePosting{Month: "2026-05", Code: "CEF-LP", RunID: domain.NewLicenceRunID(t0.Add(time.Duration(i) * time.Second))}, false)
	})
	if winners != 1 {
		t.Fatalf("%d runs claimed the same posting, want 1", winners)
	}
}

func bigReport(runID, code string, n int) domain.LicenceReport {
	r := domain.LicenceReport{RunID: runID, Code: code, Name: "Établissement " + code, GeneratedAt: t0,
		Skus: []domain.SkuInfo{{SkuID: skuE3, PartNumber: "ENTERPRISEPACK", Name: "Office 365 E3", Named: true, Priced: true, Price: 630}}}
	for i := range n {
		r.Accounts = append(r.Accounts, domain.LicensedAccount{ID: fmt.Sprintf("%08d-0000-4000-8000-000000000000", i), GivenName: "Prénom", Surname: fmt.Sprintf("Nom%05d", i),
			Mail: fmt.Sprintf("u%d@anras.fr", i), JobTitle: "Éducateur (H/F)", Enabled: i%7 != 0, SkuIDs: []string{skuE3}})
	}
	return r
}

func testLicenceReports(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	r1, r2, r3 := domain.NewLicenceRunID(t0), domain.NewLicenceRunID(t0.AddDate(0, 1, 0)), domain.NewLicenceRunID(t0.AddDate(0, 2, 0))
	big := bigReport(r2, "DITEP-STF", 2*domain.ReportPartSize+500)
	if err := s.SaveLicenceReport(ctx, big); err != nil {
		t.Fatal(err)
	}
	got, err := s.LicenceReport(ctx, r2, "DITEP-STF")
	if err != nil || !reflect.DeepEqual(got, big) {
		t.Fatalf("a report of %d accounts read back with %d (%v)", len(big.Accounts), len(got.Accounts), err)
	}
	// Saved again smaller: no stale part survives.
	small := bigReport(r2, "DITEP-STF", domain.ReportPartSize+1)
	if err := s.SaveLicenceReport(ctx, small); err != nil {
		t.Fatal(err)
	}
	if got, err := s.LicenceReport(ctx, r2, "DITEP-STF"); err != nil || !reflect.DeepEqual(got, small) {
		t.Fatalf("re-saved report read back with %d accounts (%v), want %d", len(got.Accounts), err, len(small.Accounts))
	}
	empty := bigReport(r1, "DITEP-STF", 0)
	for _, r := range []domain.LicenceReport{empty, bigReport(r3, "DITEP-STF", 3), bigReport(r1, "DITEP", 2), bigReport(r3, "DITEP", 2)} {
		if err := s.SaveLicenceReport(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := s.LicenceReport(ctx, r1, "DITEP-STF"); err != nil || len(got.Accounts) != 0 || got.Name != empty.Name {
		t.Fatalf("empty report = %+v, %v", got, err)
	}
	for _, tc := range []struct {
		code, before, want string
	}{
		{"DITEP-STF", r3, r2}, {"DITEP-STF", r2, r1}, {"DITEP-STF", r1, ""},
		{"DITEP", r3, r1}, {"DITEP", r1, ""}, {"CEF-LP", r3, ""},
		{"DITEP-STF", domain.NewLicenceRunID(t0.AddDate(1, 0, 0)), r3},
	} {
		got, err := s.PreviousLicenceReport(ctx, tc.code, tc.before)
		if tc.want == "" {
			if !domain.IsNotFound(err) {
				t.Errorf("previous of %s before %s = %s, %v; want ENOTFOUND", tc.code, tc.before, got.RunID, err)
			}
			continue
		}
		if err != nil || got.RunID != tc.want || got.Code != tc.code {
			t.Errorf("previous of %s before %s = %s/%s, %v; want %s", tc.code, tc.before, got.Code, got.RunID, err, tc.want)
		}
	}
	if got, _ := s.PreviousLicenceReport(ctx, "DITEP-STF", r3); len(got.Accounts) != len(small.Accounts) {
		t.Errorf("the previous report has %d accounts, want %d", len(got.Accounts), len(small.Accounts))
	}
	if _, err := s.LicenceReport(ctx, r2, "CEF-LP"); !domain.IsNotFound(err) {
		t.Errorf("unknown report: %v, want ENOTFOUND", err)
	}
	if err := s.SaveLicenceReport(ctx, domain.LicenceReport{RunID: "x", Code: "DITEP-STF"}); domain.ErrorCodeOf(err) != domain.EINVALID {
		t.Errorf("invalid report: %v, want EINVALID", err)
	}

	// The snapshot.
	if _, err := s.LicenceSnapshot(ctx); !domain.IsNotFound(err) {
		t.Fatalf("no snapshot yet: %v, want ENOTFOUND", err)
	}
	snap := domain.LicenceSnapshot{TakenAt: t0, Skus: []domain.SubscribedSku{{SkuID: skuE3, PartNumber: "ENTERPRISEPACK", Enabled: 40, Consumed: 35, AppliesTo: "User"}},
		Groups: map[string][]domain.LicensedAccount{"g-staff": small.Accounts[:3]}}
	if err := s.SaveLicenceSnapshot(ctx, snap); err != nil {
		t.Fatal(err)
	}
	if got, err := s.LicenceSnapshot(ctx); err != nil || !reflect.DeepEqual(got, snap) {
		t.Fatalf("snapshot = %+v, %v", got, err)
	}
}

// testLicencePort: every licence record goes through export and import,
// and the importing store reads them back the same.
func testLicencePort(t *testing.T, newStore NewStore) {
	ctx, src := open(t, newStore)
	_, dst := open(t, newStore)
	run := runAt(t0, "DITEP-STF")
	report := bigReport(run.ID, "DITEP-STF", domain.ReportPartSize+10)
	for _, err := range []error{
		src.PutLicenceProducts(ctx, licenceProducts()),
		src.SetLicencePrice(ctx, domain.LicencePrice{SkuID: skuE3, Price: 630, UpdatedAt: t0}),
		func() error {
			_, err := src.UpdateLicenceSettings(ctx, func(s *domain.LicenceSettings) error { s.ITChannelID = "19:it@thread.tacv2"; return nil })
			return err
		}(),
		src.SaveLicenceRun(ctx, run),
		func() error {
			_, err := src.ClaimLicencePosting(ctx, domain.LicencePosting{Month: run.Month, Code: "DITEP-STF", RunID: run.ID, PostedAt: t0}, false)
			return err
		}(),
		src.SaveLicenceReport(ctx, report),
		src.SaveLicenceSnapshot(ctx, domain.LicenceSnapshot{TakenAt: t0, Groups: map[string][]domain.LicensedAccount{"g": report.Accounts[:1]}}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	counts := map[string]int{}
	var records []domain.Record
	if err := src.Export(ctx, func(r domain.Record) error {
		counts[r.Kind]++
		records = append(records, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{domain.KindLicenceProduct: 3, domain.KindLicencePrice: 1, domain.KindLicenceSettings: 1, domain.KindLicenceRun: 1,
		domain.KindLicencePosting: 1, domain.KindLicenceReport: 1, domain.KindLicenceReportPart: 2, domain.KindLicenceSnapshot: 1}
	for k, n := range want {
		if counts[k] != n {
			t.Errorf("export has %d %s, want %d", counts[k], k, n)
		}
	}
	for _, r := range records {
		if err := dst.Import(ctx, r); err != nil {
			t.Fatalf("import %s: %v", r.Kind, err)
		}
	}
	if got, err := dst.LicenceReport(ctx, run.ID, "DITEP-STF"); err != nil || !reflect.DeepEqual(got, report) {
		t.Fatalf("imported report has %d accounts (%v), want %d", len(got.Accounts), err, len(report.Accounts))
	}
	if got, err := dst.LicenceRun(ctx, run.ID); err != nil || !reflect.DeepEqual(got, run) {
		t.Fatalf("imported run = %+v, %v", got, err)
	}
	if ok, err := dst.ClaimLicencePosting(ctx, domain.LicencePosting{Month: run.Month, Code: "DITEP-STF", RunID: domain.NewLicenceRunID(t0.Add(time.Hour))}, false); err != nil || ok {
		t.Fatalf("the imported posting does not hold: %v, %v", ok, err)
	}
	if st, _ := dst.LicenceSettings(ctx); st.ITChannelID != "19:it@thread.tacv2" {
		t.Fatalf("imported settings = %+v", st)
	}
	if ps, _ := dst.LicencePrices(ctx); len(ps) != 1 || ps[0].Price != 630 {
		t.Fatalf("imported prices = %+v", ps)
	}
	if ps, _ := dst.LicenceProducts(ctx); len(ps) != 3 {
		t.Fatalf("imported products = %+v", ps)
	}
	if _, err := dst.LicenceSnapshot(ctx); err != nil {
		t.Fatalf("imported snapshot: %v", err)
	}
}
