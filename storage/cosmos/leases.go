package cosmos

import (
	"context"
	"net/http"
	"time"

	"github.com/anras/parc/domain"
)

// A lease is the document "lease" of its own partition (pk = its name) in
// the leases container. Taking it is the same pattern as FirstDelivery: an
// atomic create, or a replace guarded by the ETag of the lease read, when
// it has expired or is ours.

const (
	kindLease = "lease"
	leaseID   = "lease"
)

// AcquireLease takes or renews the lease.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, now time.Time, ttl time.Duration) (bool, error) {
	l := domain.Lease{Name: name, Holder: holder, Expires: now.Add(ttl).UTC()}
	if err := l.Validate(); err != nil {
		return false, err
	}
	d := doc[domain.Lease]{ID: leaseID, PK: name, Kind: kindLease, Data: l}
	for attempt := 0; attempt < 3; attempt++ {
		_, err := createDoc(ctx, s.leases, d)
		if err == nil {
			return true, nil
		}
		if statusOf(err) != http.StatusConflict {
			return false, err
		}
		cur, etag, err := readDoc[domain.Lease](ctx, s.leases, name, leaseID)
		if domain.IsNotFound(err) {
			continue // released meanwhile
		}
		if err != nil {
			return false, err
		}
		if cur.Data.Holder != holder && now.Before(cur.Data.Expires) {
			return false, nil
		}
		_, err = replaceDoc(ctx, s.leases, d, etag)
		switch {
		case err == nil:
			return true, nil
		case statusOf(err) == http.StatusPreconditionFailed:
			return false, nil // someone else took or renewed it first
		case domain.IsNotFound(err):
			continue
		default:
			return false, err
		}
	}
	return false, nil
}

// ReleaseLease deletes the lease if holder holds it, guarded by its ETag.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	cur, etag, err := readDoc[domain.Lease](ctx, s.leases, name, leaseID)
	if domain.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if cur.Data.Holder != holder {
		return nil
	}
	err = deleteDoc(ctx, s.leases, name, leaseID, &etag)
	if domain.IsNotFound(err) || statusOf(err) == http.StatusPreconditionFailed {
		return nil
	}
	return err
}
