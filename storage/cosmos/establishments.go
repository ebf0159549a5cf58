package cosmos

import (
	"context"
	"net/http"
	"sort"

	"github.com/Azure/azure-sdk-for-go/sdk/data/azcosmos"
	"github.com/anras/parc/domain"
)

// An establishment is the document "establishment" of its own partition
// (pk = its code) in the establishments container: everything reads it by
// code; only the admins' list and Export query across partitions, with a
// plain filter on kind, sorted in Go.

const (
	kindEstablishment = "establishment"
	establishmentID   = "establishment"
)

// CreateEstablishment creates; ECONFLICT when the code exists.
func (s *Store) CreateEstablishment(ctx context.Context, e domain.Establishment) error {
	if err := e.Validate(); err != nil {
		return err
	}
	_, err := createDoc(ctx, s.establishments, doc[domain.Establishment]{ID: establishmentID, PK: e.Code, Kind: kindEstablishment, Data: e})
	if statusOf(err) == http.StatusConflict {
		return domain.Errorf(domain.ECONFLICT, "err.establishment.exists", e.Code)
	}
	return err
}

// Establishment is a point read.
func (s *Store) Establishment(ctx context.Context, code string) (domain.Establishment, error) {
	d, _, err := readDoc[domain.Establishment](ctx, s.establishments, code, establishmentID)
	if domain.IsNotFound(err) {
		return domain.Establishment{}, domain.Errorf(domain.ENOTFOUND, "err.establishment.unknown", code)
	}
	return d.Data, err
}

// UpdateEstablishment is a read-modify-write guarded by the ETag.
func (s *Store) UpdateEstablishment(ctx context.Context, code string, fn func(*domain.Establishment) error) (domain.Establishment, error) {
	d, err := update(ctx, s.establishments, code, establishmentID, kindEstablishment, func(d *doc[domain.Establishment], found bool) error {
		if !found {
			return domain.Errorf(domain.ENOTFOUND, "err.establishment.unknown", code)
		}
		if err := fn(&d.Data); err != nil {
			return err
		}
		d.Data.Code = code
		return d.Data.Validate()
	})
	return d.Data, err
}

// DeleteEstablishment deletes; ENOTFOUND when absent.
func (s *Store) DeleteEstablishment(ctx context.Context, code string) error {
	err := deleteDoc(ctx, s.establishments, code, establishmentID, nil)
	if domain.IsNotFound(err) {
		return domain.Errorf(domain.ENOTFOUND, "err.establishment.unknown", code)
	}
	return err
}

// ListEstablishments is a plain cross-partition filter, sorted in Go.
func (s *Store) ListEstablishments(ctx context.Context) ([]domain.Establishment, error) {
	docs, err := queryAll[doc[domain.Establishment]](ctx, s.establishments, "SELECT * FROM c WHERE c.kind = @kind",
		azcosmos.QueryParameter{Name: "@kind", Value: kindEstablishment})
	if err != nil {
		return nil, err
	}
	out := make([]domain.Establishment, 0, len(docs))
	for _, d := range docs {
		out = append(out, d.Data)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}
