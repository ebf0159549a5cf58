package domain_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/anras/parc/domain"
)

// fakeDirectory answers from maps, counting concurrent calls.
type fakeDirectory struct {
	groups map[string][]domain.LicensedAccount
	fail   map[string]error
	delay  time.Duration
	mu     sync.Mutex
	active int
	peak   int
}

func (d *fakeDirectory) SubscribedSkus(context.Context) ([]domain.SubscribedSku, error) {
	return []domain.SubscribedSku{{SkuID: skuO365E3, PartNumber: "ENTERPRISEPACK", Enabled: 5, Consumed: 3}}, nil
}

func (d *fakeDirectory) GroupMembers(ctx context.Context, g string) ([]domain.LicensedAccount, error) {
	d.mu.Lock()
	d.active++
	d.peak = max(d.peak, d.active)
	d.mu.Unlock()
	defer func() { d.mu.Lock(); d.active--; d.mu.Unlock() }()
	select {
	case <-time.After(d.delay):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if err := d.fail[g]; err != nil {
		return nil, err
	}
	if g == "panics" {
		panic("boom")
	}
	return d.groups[g], nil
}

func TestCollectLicences(t *testing.T) {
	a := func(id string) domain.LicensedAccount {
		return domain.LicensedAccount{ID: id, Surname: id, SkuIDs: []string{skuO365E3}}
	}
	dir := &fakeDirectory{delay: 10 * time.Millisecond,
		groups: map[string][]domain.LicensedAccount{
			"g1": {a("u1"), a("u2"), {Surname: "sans identifiant"}},
			"g2": {a("u2"), a("u3")}, // u2 is in both groups of the establishment
		},
		fail: map[string]error{"broken": domain.Errorf(domain.EUNAVAILABLE, "error.unavailable")},
	}
	ests := []domain.Establishment{
		{Code: "DITEP-STF", StaffGroupIDs: []string{"g1", "g2"}},
		{Code: "CEF-LP", StaffGroupIDs: []string{"broken"}},
		{Code: "ANRAS-SOC"},
		{Code: "BUG", StaffGroupIDs: []string{"panics"}},
	}
	for i := range 8 {
		ests = append(ests, domain.Establishment{Code: fmt.Sprintf("E%d", i), StaffGroupIDs: []string{"g2"}})
	}
	got := domain.CollectLicences(context.Background(), dir, ests, 3)
	if got.SkusErr != nil || len(got.Skus) != 1 {
		t.Fatalf("skus = %v, %v", got.Skus, got.SkusErr)
	}
	d := got.Establishments[0]
	if d.Err != nil || d.Found != 4 || d.Processed != 3 || len(d.Accounts) != 3 || d.Duration < 20*time.Millisecond {
		t.Fatalf("DITEP-STF = found %d processed %d accounts %d in %v, %v; want 4, 3, 3", d.Found, d.Processed, len(d.Accounts), d.Duration, d.Err)
	}
	if e := got.Establishments[1]; domain.ErrorCodeOf(e.Err) != domain.EUNAVAILABLE || e.Found != 0 {
		t.Fatalf("broken establishment = %+v", e)
	}
	if e := domain.AsError(got.Establishments[2].Err); e == nil || e.Key != "err.licence.no_groups" {
		t.Fatalf("establishment without group = %v", got.Establishments[2].Err)
	}
	if e := domain.AsError(got.Establishments[3].Err); e == nil || e.Key != "err.licence.internal" {
		t.Fatalf("a panic on one establishment = %v", got.Establishments[3].Err)
	}
	for _, e := range got.Establishments[4:] {
		if e.Err != nil || e.Processed != 2 {
			t.Fatalf("%s = %+v", e.Establishment.Code, e)
		}
	}
	if dir.peak > 3 {
		t.Fatalf("%d groups read at once, concurrency was 3", dir.peak)
	}
}

func TestCollectLicencesTimeout(t *testing.T) {
	dir := &fakeDirectory{delay: time.Second, groups: map[string][]domain.LicensedAccount{"g": nil}}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	got := domain.CollectLicences(ctx, dir, []domain.Establishment{{Code: "A1", StaffGroupIDs: []string{"g"}}, {Code: "B1", StaffGroupIDs: []string{"g"}}}, 1)
	if time.Since(start) > 500*time.Millisecond {
		t.Fatalf("the run outlived its timeout: %v", time.Since(start))
	}
	for _, e := range got.Establishments {
		if err := domain.AsError(e.Err); err == nil || err.Key != "err.licence.timeout" || !errors.Is(e.Err, context.DeadlineExceeded) {
			t.Fatalf("%s: %v, want the timeout", e.Establishment.Code, e.Err)
		}
	}
}
