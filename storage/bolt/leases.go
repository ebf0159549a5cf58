package bolt

import (
	"context"
	"time"

	"github.com/anras/parc/domain"
	bbolt "go.etcd.io/bbolt"
)

// AcquireLease takes or renews the lease in one transaction.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, now time.Time, ttl time.Duration) (bool, error) {
	l := domain.Lease{Name: name, Holder: holder, Expires: now.Add(ttl)}
	if err := l.Validate(); err != nil {
		return false, err
	}
	held := false
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		var cur domain.Lease
		err := get(tx, bucketLeases, name, &cur)
		if err != nil && !domain.IsNotFound(err) {
			return err
		}
		if err == nil && cur.Holder != holder && now.Before(cur.Expires) {
			return nil
		}
		held = true
		return put(tx, bucketLeases, name, l)
	})
	return held, err
}

// ReleaseLease gives the lease up if holder holds it.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	return s.update(ctx, func(tx *bbolt.Tx) error {
		var cur domain.Lease
		if err := get(tx, bucketLeases, name, &cur); err != nil || cur.Holder != holder {
			return nil
		}
		return tx.Bucket([]byte(bucketLeases)).Delete([]byte(name))
	})
}
