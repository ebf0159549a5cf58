package bolt

import (
	"context"
	"encoding/json"

	"github.com/anras/parc/domain"
	bbolt "go.etcd.io/bbolt"
)

// Establishments: key = code.

func errEstablishmentUnknown(code string) error {
	return domain.Errorf(domain.ENOTFOUND, "err.establishment.unknown", code)
}

// CreateEstablishment stores a new establishment; ECONFLICT if the code exists.
func (s *Store) CreateEstablishment(ctx context.Context, e domain.Establishment) error {
	if err := e.Validate(); err != nil {
		return err
	}
	return s.update(ctx, func(tx *bbolt.Tx) error {
		if tx.Bucket([]byte(bucketEstablishments)).Get([]byte(e.Code)) != nil {
			return domain.Errorf(domain.ECONFLICT, "err.establishment.exists", e.Code)
		}
		return put(tx, bucketEstablishments, e.Code, e)
	})
}

// Establishment returns the establishment with that code.
func (s *Store) Establishment(ctx context.Context, code string) (domain.Establishment, error) {
	var e domain.Establishment
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		return getOr(tx, bucketEstablishments, code, &e, errEstablishmentUnknown(code))
	})
	return e, err
}

// UpdateEstablishment applies fn in one transaction.
func (s *Store) UpdateEstablishment(ctx context.Context, code string, fn func(*domain.Establishment) error) (domain.Establishment, error) {
	var out domain.Establishment
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		var e domain.Establishment
		if err := getOr(tx, bucketEstablishments, code, &e, errEstablishmentUnknown(code)); err != nil {
			return err
		}
		if err := fn(&e); err != nil {
			return err
		}
		e.Code = code
		if err := e.Validate(); err != nil {
			return err
		}
		out = e
		return put(tx, bucketEstablishments, code, e)
	})
	return out, err
}

// DeleteEstablishment removes it; ENOTFOUND if absent.
func (s *Store) DeleteEstablishment(ctx context.Context, code string) error {
	return s.update(ctx, func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte(bucketEstablishments))
		if b.Get([]byte(code)) == nil {
			return errEstablishmentUnknown(code)
		}
		return b.Delete([]byte(code))
	})
}

// ListEstablishments lists them by code (bbolt keeps keys sorted).
func (s *Store) ListEstablishments(ctx context.Context) ([]domain.Establishment, error) {
	var out []domain.Establishment
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		return tx.Bucket([]byte(bucketEstablishments)).ForEach(func(_, v []byte) error {
			var e domain.Establishment
			if err := json.Unmarshal(v, &e); err != nil {
				return err
			}
			out = append(out, e)
			return nil
		})
	})
	return out, err
}
