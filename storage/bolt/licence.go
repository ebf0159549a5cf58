package bolt

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/anras/parc/domain"
	bbolt "go.etcd.io/bbolt"
)

// The licence feature's buckets and exported kinds. Keys:
//
//   - licence_products, licence_prices: the SKU id;
//   - licence_settings, licence_snapshot: one record, "settings" / "snapshot";
//   - licence_runs: the run id (sorts by start time);
//   - licence_postings: "<month>/<code>";
//   - licence_reports: "<code>/<run id>", the report without its accounts;
//   - licence_report_parts: "<code>/<run id>/<index, 6 digits>".
//
// Reports are kept in parts as in Cosmos DB, so that both stores export
// the same records.
const (
	bucketLicenceProducts    = "licence_products"
	bucketLicencePrices      = "licence_prices"
	bucketLicenceSettings    = "licence_settings"
	bucketLicenceRuns        = "licence_runs"
	bucketLicencePostings    = "licence_postings"
	bucketLicenceReports     = "licence_reports"
	bucketLicenceReportParts = "licence_report_parts"
	bucketLicenceSnapshot    = "licence_snapshot"

	licenceSettingsKey = "settings"
	licenceSnapshotKey = "snapshot"
)

var licenceBuckets = []string{bucketLicenceProducts, bucketLicencePrices, bucketLicenceSettings, bucketLicenceRuns,
	bucketLicencePostings, bucketLicenceReports, bucketLicenceReportParts, bucketLicenceSnapshot}

func licenceKinds() []kindSpec {
	return []kindSpec{
		{kind: domain.KindLicenceProduct, bucket: bucketLicenceProducts, key: decodeKey(func(p domain.LicenceProduct) string { return p.SkuID })},
		{kind: domain.KindLicencePrice, bucket: bucketLicencePrices, key: decodeKey(func(p domain.LicencePrice) string { return p.SkuID })},
		{kind: domain.KindLicenceSettings, bucket: bucketLicenceSettings, key: decodeKey(func(domain.LicenceSettings) string { return licenceSettingsKey })},
		{kind: domain.KindLicenceRun, bucket: bucketLicenceRuns, key: decodeKey(func(r domain.LicenceRun) string { return r.ID })},
		{kind: domain.KindLicencePosting, bucket: bucketLicencePostings, key: decodeKey(func(p domain.LicencePosting) string { return postingKey(p.Month, p.Code) })},
		{kind: domain.KindLicenceReport, bucket: bucketLicenceReports, key: decodeKey(func(r domain.LicenceReport) string { return reportKey(r.Code, r.RunID) })},
		{kind: domain.KindLicenceReportPart, bucket: bucketLicenceReportParts, key: decodeKey(func(p domain.LicenceReportPart) string { return partKey(p.Code, p.RunID, p.Index) })},
		{kind: domain.KindLicenceSnapshot, bucket: bucketLicenceSnapshot, key: decodeKey(func(domain.LicenceSnapshot) string { return licenceSnapshotKey })},
	}
}

func postingKey(month, code string) string { return month + "/" + code }
func reportKey(code, runID string) string  { return code + "/" + runID }
func partKey(code, runID string, i int) string {
	return fmt.Sprintf("%s/%s/%06d", code, runID, i)
}

// PutLicenceProducts writes the products in one transaction.
func (s *Store) PutLicenceProducts(ctx context.Context, ps []domain.LicenceProduct) error {
	for _, p := range ps {
		if err := p.Validate(); err != nil {
			return err
		}
	}
	return s.update(ctx, func(tx *bbolt.Tx) error {
		for _, p := range ps {
			if err := put(tx, bucketLicenceProducts, p.SkuID, p); err != nil {
				return err
			}
		}
		return nil
	})
}

// LicenceProducts lists the catalogue by SKU id.
func (s *Store) LicenceProducts(ctx context.Context) ([]domain.LicenceProduct, error) {
	return listAll[domain.LicenceProduct](ctx, s, bucketLicenceProducts, nil)
}

// SetLicencePrice writes a price.
func (s *Store) SetLicencePrice(ctx context.Context, p domain.LicencePrice) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return s.update(ctx, func(tx *bbolt.Tx) error { return put(tx, bucketLicencePrices, p.SkuID, p) })
}

// DeleteLicencePrice removes a price; ENOTFOUND when absent.
func (s *Store) DeleteLicencePrice(ctx context.Context, skuID string) error {
	return s.update(ctx, func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte(bucketLicencePrices))
		if b.Get([]byte(skuID)) == nil {
			return domain.Errorf(domain.ENOTFOUND, "err.licence.price_unknown", skuID)
		}
		return b.Delete([]byte(skuID))
	})
}

// LicencePrices lists the prices by SKU id.
func (s *Store) LicencePrices(ctx context.Context) ([]domain.LicencePrice, error) {
	return listAll[domain.LicencePrice](ctx, s, bucketLicencePrices, nil)
}

// LicenceSettings returns the settings, the zero value when never set.
func (s *Store) LicenceSettings(ctx context.Context) (domain.LicenceSettings, error) {
	var out domain.LicenceSettings
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		if err := get(tx, bucketLicenceSettings, licenceSettingsKey, &out); err != nil && !domain.IsNotFound(err) {
			return err
		}
		return nil
	})
	return out, err
}

// UpdateLicenceSettings applies fn in one transaction.
func (s *Store) UpdateLicenceSettings(ctx context.Context, fn func(*domain.LicenceSettings) error) (domain.LicenceSettings, error) {
	var out domain.LicenceSettings
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		var cur domain.LicenceSettings
		if err := get(tx, bucketLicenceSettings, licenceSettingsKey, &cur); err != nil && !domain.IsNotFound(err) {
			return err
		}
		if err := fn(&cur); err != nil {
			return err
		}
		if err := cur.Validate(); err != nil {
			return err
		}
		out = cur
		return put(tx, bucketLicenceSettings, licenceSettingsKey, cur)
	})
	return out, err
}

// SaveLicenceRun creates or replaces a run.
func (s *Store) SaveLicenceRun(ctx context.Context, r domain.LicenceRun) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return s.update(ctx, func(tx *bbolt.Tx) error { return put(tx, bucketLicenceRuns, r.ID, r) })
}

// LicenceRun reads a run; ENOTFOUND when absent.
func (s *Store) LicenceRun(ctx context.Context, id string) (domain.LicenceRun, error) {
	var r domain.LicenceRun
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		if err := get(tx, bucketLicenceRuns, id, &r); err != nil {
			if domain.IsNotFound(err) {
				return domain.Errorf(domain.ENOTFOUND, "err.licence.run_unknown", id)
			}
			return err
		}
		return nil
	})
	return r, err
}

// ListLicenceRuns walks the runs backwards: ids sort by start time.
func (s *Store) ListLicenceRuns(ctx context.Context, limit int) ([]domain.LicenceRun, error) {
	var out []domain.LicenceRun
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		c := tx.Bucket([]byte(bucketLicenceRuns)).Cursor()
		for k, v := c.Last(); k != nil && (limit <= 0 || len(out) < limit); k, v = c.Prev() {
			var r domain.LicenceRun
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// ClaimLicencePosting creates the claim unless another run holds it.
func (s *Store) ClaimLicencePosting(ctx context.Context, p domain.LicencePosting, force bool) (bool, error) {
	if err := p.Validate(); err != nil {
		return false, err
	}
	claimed := false
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		var cur domain.LicencePosting
		err := get(tx, bucketLicencePostings, postingKey(p.Month, p.Code), &cur)
		if err != nil && !domain.IsNotFound(err) {
			return err
		}
		if err == nil && cur.RunID != p.RunID && !force {
			return nil
		}
		claimed = true
		return put(tx, bucketLicencePostings, postingKey(p.Month, p.Code), p)
	})
	return claimed, err
}

// ReleaseLicencePosting removes runID's claim.
func (s *Store) ReleaseLicencePosting(ctx context.Context, month, code, runID string) error {
	return s.update(ctx, func(tx *bbolt.Tx) error {
		var cur domain.LicencePosting
		if err := get(tx, bucketLicencePostings, postingKey(month, code), &cur); err != nil || cur.RunID != runID {
			return nil
		}
		return tx.Bucket([]byte(bucketLicencePostings)).Delete([]byte(postingKey(month, code)))
	})
}

// LicencePostings lists a month's claims by establishment code.
func (s *Store) LicencePostings(ctx context.Context, month string) ([]domain.LicencePosting, error) {
	return listAll[domain.LicencePosting](ctx, s, bucketLicencePostings, []byte(month+"/"))
}

// SaveLicenceReport writes the report and its parts in one transaction,
// replacing a report of the same run and establishment.
func (s *Store) SaveLicenceReport(ctx context.Context, r domain.LicenceReport) error {
	if err := r.Validate(); err != nil {
		return err
	}
	head, parts := domain.SplitLicenceReport(r, domain.ReportPartSize)
	return s.update(ctx, func(tx *bbolt.Tx) error {
		pb := tx.Bucket([]byte(bucketLicenceReportParts))
		prefix := []byte(reportKey(r.Code, r.RunID) + "/")
		var stale [][]byte
		c := pb.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			stale = append(stale, append([]byte(nil), k...))
		}
		for _, k := range stale {
			if err := pb.Delete(k); err != nil {
				return err
			}
		}
		for _, p := range parts {
			if err := put(tx, bucketLicenceReportParts, partKey(p.Code, p.RunID, p.Index), p); err != nil {
				return err
			}
		}
		return put(tx, bucketLicenceReports, reportKey(r.Code, r.RunID), head)
	})
}

// LicenceReport reads a report and its parts.
func (s *Store) LicenceReport(ctx context.Context, runID, code string) (domain.LicenceReport, error) {
	var out domain.LicenceReport
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		var head domain.LicenceReport
		if err := get(tx, bucketLicenceReports, reportKey(code, runID), &head); err != nil {
			if domain.IsNotFound(err) {
				return domain.Errorf(domain.ENOTFOUND, "err.licence.report_unknown", code, runID)
			}
			return err
		}
		var err error
		out, err = s.joinParts(tx, head)
		return err
	})
	return out, err
}

func (s *Store) joinParts(tx *bbolt.Tx, head domain.LicenceReport) (domain.LicenceReport, error) {
	var parts []domain.LicenceReportPart
	prefix := []byte(reportKey(head.Code, head.RunID) + "/")
	c := tx.Bucket([]byte(bucketLicenceReportParts)).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var p domain.LicenceReportPart
		if err := json.Unmarshal(v, &p); err != nil {
			return head, err
		}
		parts = append(parts, p)
	}
	return domain.JoinLicenceReport(head, parts)
}

// PreviousLicenceReport seeks the establishment's report before runID.
func (s *Store) PreviousLicenceReport(ctx context.Context, code, runID string) (domain.LicenceReport, error) {
	var out domain.LicenceReport
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		c := tx.Bucket([]byte(bucketLicenceReports)).Cursor()
		prefix := []byte(code + "/")
		var k, v []byte
		if at, _ := c.Seek([]byte(reportKey(code, runID))); at == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
		if k == nil || !bytes.HasPrefix(k, prefix) || string(k) >= reportKey(code, runID) {
			return domain.Errorf(domain.ENOTFOUND, "err.licence.report_unknown", code, runID)
		}
		var head domain.LicenceReport
		if err := json.Unmarshal(v, &head); err != nil {
			return err
		}
		var err error
		out, err = s.joinParts(tx, head)
		return err
	})
	return out, err
}

// SaveLicenceSnapshot replaces the snapshot.
func (s *Store) SaveLicenceSnapshot(ctx context.Context, snap domain.LicenceSnapshot) error {
	if err := snap.Validate(); err != nil {
		return err
	}
	return s.update(ctx, func(tx *bbolt.Tx) error { return put(tx, bucketLicenceSnapshot, licenceSnapshotKey, snap) })
}

// LicenceSnapshot reads the snapshot; ENOTFOUND when there is none.
func (s *Store) LicenceSnapshot(ctx context.Context) (domain.LicenceSnapshot, error) {
	var snap domain.LicenceSnapshot
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		if err := get(tx, bucketLicenceSnapshot, licenceSnapshotKey, &snap); err != nil {
			if domain.IsNotFound(err) {
				return domain.Errorf(domain.ENOTFOUND, "err.licence.snapshot_none")
			}
			return err
		}
		return nil
	})
	return snap, err
}

// listAll decodes every record of bucket whose key starts with prefix.
func listAll[T any](ctx context.Context, s *Store, bucket string, prefix []byte) ([]T, error) {
	var out []T
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		c := tx.Bucket([]byte(bucket)).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var x T
			if err := json.Unmarshal(v, &x); err != nil {
				return fmt.Errorf("bolt: decode %s/%s: %w", bucket, k, err)
			}
			out = append(out, x)
		}
		return nil
	})
	return out, err
}
