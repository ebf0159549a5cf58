package cosmos

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/data/azcosmos"
	"github.com/anras/parc/domain"
)

// The licence feature lives in one container, licences, partitioned by
// what is read together:
//
//   - pk "catalogue": one document "product:<sku id>" per product. A run
//     reads the whole catalogue: one single-partition query. An import
//     writes it in transactional batches of 100.
//   - pk "prices": "price:<sku id>"; pk "settings": "settings"; pk
//     "snapshot": "snapshot" (the demo's directory; a document is at most
//     2 MB, enough for a few thousand accounts).
//   - pk "runs": "run:<run id>". The history is a single-partition query
//     sorted in Go (a dozen runs a year).
//   - pk "posting:<month>": one document per establishment code, created
//     atomically by the run that posts it (409 for the others).
//   - pk = the establishment's code: "report:<run id>" (the report
//     without its accounts) and "part:<run id>:<index>" (1,000 accounts
//     each, about 300 KB). The parts are written first and the report
//     last: a reader never sees a report whose parts are not all there.
//     The previous report is found by a single-partition query on kind.
const (
	containerLicences = "licences"

	kindLicenceProduct    = domain.KindLicenceProduct
	kindLicencePrice      = domain.KindLicencePrice
	kindLicenceSettings   = domain.KindLicenceSettings
	kindLicenceRun        = domain.KindLicenceRun
	kindLicencePosting    = domain.KindLicencePosting
	kindLicenceReport     = domain.KindLicenceReport
	kindLicenceReportPart = domain.KindLicenceReportPart
	kindLicenceSnapshot   = domain.KindLicenceSnapshot

	pkCatalogue = "catalogue"
	pkPrices    = "prices"
	pkSettings  = "settings"
	pkSnapshot  = "snapshot"
	pkRuns      = "runs"
)

func licenceSpecs() []containerSpec {
	return []containerSpec{{name: containerLicences, indexed: []string{"/kind/?"}}}
}

func (s *Store) licences() *container { return s.containers[containerLicences] }

func productID(sku string) string             { return "product:" + sku }
func priceID(sku string) string               { return "price:" + sku }
func runDocID(id string) string               { return "run:" + id }
func postingPK(month string) string           { return "posting:" + month }
func reportDocID(runID string) string         { return "report:" + runID }
func reportPartID(runID string, i int) string { return fmt.Sprintf("part:%s:%06d", runID, i) }

func (s *Store) licenceKinds() []portKind {
	c := s.licences()
	return []portKind{
		{kind: domain.KindLicenceProduct, c: c, place: placeBy(func(p domain.LicenceProduct) (string, string) { return pkCatalogue, productID(p.SkuID) })},
		{kind: domain.KindLicencePrice, c: c, place: placeBy(func(p domain.LicencePrice) (string, string) { return pkPrices, priceID(p.SkuID) })},
		{kind: domain.KindLicenceSettings, c: c, place: placeBy(func(domain.LicenceSettings) (string, string) { return pkSettings, pkSettings })},
		{kind: domain.KindLicenceRun, c: c, place: placeBy(func(r domain.LicenceRun) (string, string) { return pkRuns, runDocID(r.ID) })},
		{kind: domain.KindLicencePosting, c: c, place: placeBy(func(p domain.LicencePosting) (string, string) { return postingPK(p.Month), p.Code })},
		{kind: domain.KindLicenceReport, c: c, place: placeBy(func(r domain.LicenceReport) (string, string) { return r.Code, reportDocID(r.RunID) })},
		{kind: domain.KindLicenceReportPart, c: c, place: placeBy(func(p domain.LicenceReportPart) (string, string) { return p.Code, reportPartID(p.RunID, p.Index) })},
		{kind: domain.KindLicenceSnapshot, c: c, place: placeBy(func(domain.LicenceSnapshot) (string, string) { return pkSnapshot, pkSnapshot })},
	}
}

// kindQuery selects the documents of one kind.
const kindQuery = "SELECT * FROM c WHERE c.kind = @kind"

func kindParam(kind string) azcosmos.QueryParameter {
	return azcosmos.QueryParameter{Name: "@kind", Value: kind}
}

// PutLicenceProducts upserts the products in batches of 100.
func (s *Store) PutLicenceProducts(ctx context.Context, ps []domain.LicenceProduct) error {
	for _, p := range ps {
		if err := p.Validate(); err != nil {
			return err
		}
	}
	for start := 0; start < len(ps); start += maxBatchOps {
		b := s.licences().newBatch(pkCatalogue)
		for _, p := range ps[start:min(start+maxBatchOps, len(ps))] {
			batchUpsert(b, doc[domain.LicenceProduct]{ID: productID(p.SkuID), PK: pkCatalogue, Kind: kindLicenceProduct, Data: p})
		}
		if _, err := b.execute(ctx); err != nil {
			return err
		}
	}
	return nil
}

// LicenceProducts is a single-partition query, sorted in Go.
func (s *Store) LicenceProducts(ctx context.Context) ([]domain.LicenceProduct, error) {
	out, err := dataOf[domain.LicenceProduct](ctx, s.licences(), pkCatalogue, kindLicenceProduct)
	slices.SortFunc(out, func(a, b domain.LicenceProduct) int { return strings.Compare(a.SkuID, b.SkuID) })
	return out, err
}

// SetLicencePrice upserts: the last admin to set a price wins.
func (s *Store) SetLicencePrice(ctx context.Context, p domain.LicencePrice) error {
	if err := p.Validate(); err != nil {
		return err
	}
	_, err := upsertDoc(ctx, s.licences(), doc[domain.LicencePrice]{ID: priceID(p.SkuID), PK: pkPrices, Kind: kindLicencePrice, Data: p})
	return err
}

// DeleteLicencePrice deletes; ENOTFOUND when absent.
func (s *Store) DeleteLicencePrice(ctx context.Context, skuID string) error {
	if !domain.IsSkuID(skuID) {
		return domain.Errorf(domain.ENOTFOUND, "err.licence.price_unknown", skuID)
	}
	err := deleteDoc(ctx, s.licences(), pkPrices, priceID(skuID), nil)
	if domain.IsNotFound(err) {
		return domain.Errorf(domain.ENOTFOUND, "err.licence.price_unknown", skuID)
	}
	return err
}

// LicencePrices is a single-partition query, sorted in Go.
func (s *Store) LicencePrices(ctx context.Context) ([]domain.LicencePrice, error) {
	out, err := dataOf[domain.LicencePrice](ctx, s.licences(), pkPrices, kindLicencePrice)
	slices.SortFunc(out, func(a, b domain.LicencePrice) int { return strings.Compare(a.SkuID, b.SkuID) })
	return out, err
}

// LicenceSettings is a point read; the zero value when never set.
func (s *Store) LicenceSettings(ctx context.Context) (domain.LicenceSettings, error) {
	d, _, err := readDoc[domain.LicenceSettings](ctx, s.licences(), pkSettings, pkSettings)
	if domain.IsNotFound(err) {
		return domain.LicenceSettings{}, nil
	}
	return d.Data, err
}

// UpdateLicenceSettings is a read-modify-write guarded by the ETag.
func (s *Store) UpdateLicenceSettings(ctx context.Context, fn func(*domain.LicenceSettings) error) (domain.LicenceSettings, error) {
	d, err := update(ctx, s.licences(), pkSettings, pkSettings, kindLicenceSettings, func(d *doc[domain.LicenceSettings], _ bool) error {
		if err := fn(&d.Data); err != nil {
			return err
		}
		return d.Data.Validate()
	})
	return d.Data, err
}

// SaveLicenceRun upserts the run.
func (s *Store) SaveLicenceRun(ctx context.Context, r domain.LicenceRun) error {
	if err := r.Validate(); err != nil {
		return err
	}
	_, err := upsertDoc(ctx, s.licences(), doc[domain.LicenceRun]{ID: runDocID(r.ID), PK: pkRuns, Kind: kindLicenceRun, Data: r})
	return err
}

// LicenceRun is a point read.
func (s *Store) LicenceRun(ctx context.Context, id string) (domain.LicenceRun, error) {
	if !domain.IsLicenceRunID(id) {
		return domain.LicenceRun{}, domain.Errorf(domain.ENOTFOUND, "err.licence.run_unknown", id)
	}
	d, _, err := readDoc[domain.LicenceRun](ctx, s.licences(), pkRuns, runDocID(id))
	if domain.IsNotFound(err) {
		return domain.LicenceRun{}, domain.Errorf(domain.ENOTFOUND, "err.licence.run_unknown", id)
	}
	return d.Data, err
}

// ListLicenceRuns is a single-partition query, sorted and cut in Go.
func (s *Store) ListLicenceRuns(ctx context.Context, limit int) ([]domain.LicenceRun, error) {
	out, err := dataOf[domain.LicenceRun](ctx, s.licences(), pkRuns, kindLicenceRun)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b domain.LicenceRun) int { return strings.Compare(b.ID, a.ID) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// ClaimLicencePosting creates the claim (409: another run has it); with
// force, replaces the other run's claim guarded by its ETag.
func (s *Store) ClaimLicencePosting(ctx context.Context, p domain.LicencePosting, force bool) (bool, error) {
	if err := p.Validate(); err != nil {
		return false, err
	}
	c := s.licences()
	d := doc[domain.LicencePosting]{ID: p.Code, PK: postingPK(p.Month), Kind: kindLicencePosting, Data: p}
	for attempt := 0; attempt < maxAttempts; attempt++ {
		_, err := createDoc(ctx, c, d)
		if err == nil {
			return true, nil
		}
		if statusOf(err) != http.StatusConflict {
			return false, err
		}
		cur, etag, err := readDoc[domain.LicencePosting](ctx, c, d.PK, d.ID)
		if domain.IsNotFound(err) {
			continue // released meanwhile
		}
		if err != nil {
			return false, err
		}
		if cur.Data.RunID == p.RunID {
			return true, nil
		}
		if !force {
			return false, nil
		}
		_, err = replaceDoc(ctx, c, d, etag)
		if err == nil {
			return true, nil
		}
		if !retryable(err) && !domain.IsNotFound(err) {
			return false, err
		}
	}
	return false, domain.Errorf(domain.ECONFLICT, "err.conflict")
}

// ReleaseLicencePosting deletes runID's claim, guarded by its ETag.
func (s *Store) ReleaseLicencePosting(ctx context.Context, month, code, runID string) error {
	c := s.licences()
	cur, etag, err := readDoc[domain.LicencePosting](ctx, c, postingPK(month), code)
	if domain.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if cur.Data.RunID != runID {
		return nil
	}
	err = deleteDoc(ctx, c, postingPK(month), code, &etag)
	if domain.IsNotFound(err) || statusOf(err) == http.StatusPreconditionFailed {
		return nil
	}
	return err
}

// LicencePostings is a single-partition query (the month's partition).
func (s *Store) LicencePostings(ctx context.Context, month string) ([]domain.LicencePosting, error) {
	out, err := dataOf[domain.LicencePosting](ctx, s.licences(), postingPK(month), kindLicencePosting)
	slices.SortFunc(out, func(a, b domain.LicencePosting) int { return strings.Compare(a.Code, b.Code) })
	return out, err
}

// SaveLicenceReport writes the parts, then the report, then removes the
// parts a previous save of the same report had beyond the new ones.
func (s *Store) SaveLicenceReport(ctx context.Context, r domain.LicenceReport) error {
	if err := r.Validate(); err != nil {
		return err
	}
	c := s.licences()
	old, _, err := readDoc[domain.LicenceReport](ctx, c, r.Code, reportDocID(r.RunID))
	if err != nil && !domain.IsNotFound(err) {
		return err
	}
	head, parts := domain.SplitLicenceReport(r, domain.ReportPartSize)
	for _, p := range parts {
		if _, err := upsertDoc(ctx, c, doc[domain.LicenceReportPart]{ID: reportPartID(p.RunID, p.Index), PK: r.Code, Kind: kindLicenceReportPart, Data: p}); err != nil {
			return err
		}
	}
	if _, err := upsertDoc(ctx, c, doc[domain.LicenceReport]{ID: reportDocID(r.RunID), PK: r.Code, Kind: kindLicenceReport, Data: head}); err != nil {
		return err
	}
	for i := len(parts); i < old.Data.Parts; i++ {
		if err := deleteDoc(ctx, c, r.Code, reportPartID(r.RunID, i), nil); err != nil && !domain.IsNotFound(err) {
			return err
		}
	}
	return nil
}

// LicenceReport reads the report, then its parts by id.
func (s *Store) LicenceReport(ctx context.Context, runID, code string) (domain.LicenceReport, error) {
	if !domain.IsLicenceRunID(runID) {
		return domain.LicenceReport{}, domain.Errorf(domain.ENOTFOUND, "err.licence.report_unknown", code, runID)
	}
	d, _, err := readDoc[domain.LicenceReport](ctx, s.licences(), code, reportDocID(runID))
	if domain.IsNotFound(err) {
		return domain.LicenceReport{}, domain.Errorf(domain.ENOTFOUND, "err.licence.report_unknown", code, runID)
	}
	if err != nil {
		return domain.LicenceReport{}, err
	}
	return s.joinParts(ctx, d.Data)
}

func (s *Store) joinParts(ctx context.Context, head domain.LicenceReport) (domain.LicenceReport, error) {
	parts := make([]domain.LicenceReportPart, 0, head.Parts)
	for i := range head.Parts {
		p, _, err := readDoc[domain.LicenceReportPart](ctx, s.licences(), head.Code, reportPartID(head.RunID, i))
		if err != nil {
			if domain.IsNotFound(err) {
				return head, domain.Errorf(domain.EINTERNAL, "err.licence.report_incomplete", head.Code, head.RunID)
			}
			return head, err
		}
		parts = append(parts, p.Data)
	}
	return domain.JoinLicenceReport(head, parts)
}

// PreviousLicenceReport lists the establishment's report ids (one
// single-partition query) and reads the latest before runID.
func (s *Store) PreviousLicenceReport(ctx context.Context, code, runID string) (domain.LicenceReport, error) {
	ids, err := queryPartition[string](ctx, s.licences(), code, "SELECT VALUE c.data.runId FROM c WHERE c.kind = @kind", kindParam(kindLicenceReport))
	if err != nil {
		return domain.LicenceReport{}, err
	}
	best := ""
	for _, id := range ids {
		if id < runID && id > best {
			best = id
		}
	}
	if best == "" {
		return domain.LicenceReport{}, domain.Errorf(domain.ENOTFOUND, "err.licence.report_unknown", code, runID)
	}
	return s.LicenceReport(ctx, best, code)
}

// SaveLicenceSnapshot upserts the snapshot.
func (s *Store) SaveLicenceSnapshot(ctx context.Context, snap domain.LicenceSnapshot) error {
	if err := snap.Validate(); err != nil {
		return err
	}
	_, err := upsertDoc(ctx, s.licences(), doc[domain.LicenceSnapshot]{ID: pkSnapshot, PK: pkSnapshot, Kind: kindLicenceSnapshot, Data: snap})
	return err
}

// LicenceSnapshot is a point read; ENOTFOUND when there is none.
func (s *Store) LicenceSnapshot(ctx context.Context) (domain.LicenceSnapshot, error) {
	d, _, err := readDoc[domain.LicenceSnapshot](ctx, s.licences(), pkSnapshot, pkSnapshot)
	if domain.IsNotFound(err) {
		return domain.LicenceSnapshot{}, domain.Errorf(domain.ENOTFOUND, "err.licence.snapshot_none")
	}
	return d.Data, err
}

// dataOf returns the data of the documents of kind in partition pk.
func dataOf[T any](ctx context.Context, c *container, pk, kind string) ([]T, error) {
	docs, err := queryPartition[doc[T]](ctx, c, pk, kindQuery, kindParam(kind))
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(docs))
	for _, d := range docs {
		out = append(out, d.Data)
	}
	return out, nil
}
