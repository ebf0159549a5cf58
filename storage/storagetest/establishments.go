package storagetest

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/anras/parc/domain"
)

func testEstablishments(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	if list, err := s.ListEstablishments(ctx); err != nil || len(list) != 0 {
		t.Fatalf("new store lists %v, %v", list, err)
	}
	ditep := domain.Establishment{Code: "DITEP-STF", Name: "DITEP Saint-François", StaffGroupIDs: []string{"g-staff"}, CorrespondentGroupID: "g-it", UpdatedAt: t0}
	for _, e := range []domain.Establishment{ditep, {Code: "ANRAS-SOC", Name: "ANRAS Siège social", UpdatedAt: t0}, {Code: "CEF-LP", Name: "CEF La Poujade", UpdatedAt: t0}} {
		if err := s.CreateEstablishment(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateEstablishment(ctx, ditep); !domain.IsConflict(err) {
		t.Fatalf("creating a code twice: %v, want ECONFLICT", err)
	}
	for _, bad := range []domain.Establishment{{Code: "ditep stf", Name: "x"}, {Code: "X", Name: "x"}, {Code: "OK-CODE"}} {
		if err := s.CreateEstablishment(ctx, bad); domain.ErrorCodeOf(err) != domain.EINVALID {
			t.Fatalf("invalid %+v: %v, want EINVALID", bad, err)
		}
	}
	got, err := s.Establishment(ctx, "DITEP-STF")
	if err != nil || got.Name != ditep.Name || !slices.Equal(got.StaffGroupIDs, ditep.StaffGroupIDs) || !got.UpdatedAt.Equal(t0) {
		t.Fatalf("Establishment = %+v, %v", got, err)
	}
	if _, err := s.Establishment(ctx, "NOPE"); !domain.IsNotFound(err) {
		t.Fatalf("unknown code: %v, want ENOTFOUND", err)
	}
	list, _ := s.ListEstablishments(ctx)
	var codes []string
	for _, e := range list {
		codes = append(codes, e.Code)
	}
	if !slices.Equal(codes, []string{"ANRAS-SOC", "CEF-LP", "DITEP-STF"}) {
		t.Fatalf("ListEstablishments order = %v", codes)
	}
	// Concurrent updates are all applied; a failing one changes nothing.
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.UpdateEstablishment(ctx, "CEF-LP", func(e *domain.Establishment) error {
				e.StaffGroupIDs = append(e.StaffGroupIDs, string(rune('a'+i)))
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if e, _ := s.Establishment(ctx, "CEF-LP"); len(e.StaffGroupIDs) != 10 {
		t.Fatalf("after 10 concurrent updates: %v (lost updates)", e.StaffGroupIDs)
	}
	boom := errors.New("boom")
	if _, err := s.UpdateEstablishment(ctx, "CEF-LP", func(e *domain.Establishment) error { e.Name = "changed"; return boom }); !errors.Is(err, boom) {
		t.Fatalf("failing update: %v", err)
	}
	if _, err := s.UpdateEstablishment(ctx, "CEF-LP", func(e *domain.Establishment) error { e.Name = ""; return nil }); domain.ErrorCodeOf(err) != domain.EINVALID {
		t.Fatalf("update breaking a rule: %v, want EINVALID", err)
	}
	if e, _ := s.Establishment(ctx, "CEF-LP"); e.Name != "CEF La Poujade" {
		t.Fatalf("a refused update changed the name to %q", e.Name)
	}
	if _, err := s.UpdateEstablishment(ctx, "NOPE", func(*domain.Establishment) error { return nil }); !domain.IsNotFound(err) {
		t.Fatalf("update of an unknown code: %v, want ENOTFOUND", err)
	}
	if err := s.DeleteEstablishment(ctx, "CEF-LP"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteEstablishment(ctx, "CEF-LP"); !domain.IsNotFound(err) {
		t.Fatalf("delete twice: %v, want ENOTFOUND", err)
	}
	var n int
	if err := s.Export(ctx, func(r domain.Record) error {
		if r.Kind == domain.KindEstablishment {
			n++
		}
		return nil
	}); err != nil || n != 2 {
		t.Fatalf("export has %d establishments (%v), want 2", n, err)
	}
}

func testLeases(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	const ttl = time.Minute
	if ok, err := s.AcquireLease(ctx, "scheduler", "a", t0, ttl); err != nil || !ok {
		t.Fatalf("free lease: %v, %v", ok, err)
	}
	if ok, _ := s.AcquireLease(ctx, "scheduler", "b", t0.Add(30*time.Second), ttl); ok {
		t.Fatal("b took a lease a holds")
	}
	if ok, _ := s.AcquireLease(ctx, "scheduler", "a", t0.Add(50*time.Second), ttl); !ok {
		t.Fatal("a could not renew its lease")
	}
	if ok, _ := s.AcquireLease(ctx, "scheduler", "b", t0.Add(100*time.Second), ttl); ok {
		t.Fatal("b took the lease before the renewal expired")
	}
	if ok, _ := s.AcquireLease(ctx, "other", "b", t0, ttl); !ok {
		t.Fatal("leases with other names are independent")
	}
	if ok, _ := s.AcquireLease(ctx, "scheduler", "b", t0.Add(111*time.Second), ttl); !ok {
		t.Fatal("b could not take an expired lease")
	}
	if err := s.ReleaseLease(ctx, "scheduler", "a"); err != nil { // not a's any more: no effect
		t.Fatal(err)
	}
	if ok, _ := s.AcquireLease(ctx, "scheduler", "a", t0.Add(112*time.Second), ttl); ok {
		t.Fatal("a's release removed b's lease")
	}
	if err := s.ReleaseLease(ctx, "scheduler", "b"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.AcquireLease(ctx, "scheduler", "a", t0.Add(113*time.Second), ttl); !ok {
		t.Fatal("a could not take a released lease")
	}
	// Of many replicas racing for a free lease, exactly one gets it.
	winners := wins(t, 20, func(i int) (bool, error) {
		return s.AcquireLease(ctx, "race", string(rune('A'+i)), t0, ttl)
	})
	if winners != 1 {
		t.Fatalf("%d replicas hold the lease at once, want 1", winners)
	}
}
