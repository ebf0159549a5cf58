package domain

import (
	"context"
	"sync"
	"time"
)

// Collected is what the directory said for one run: the subscriptions
// and, per establishment, its accounts or the error that stopped it.
type Collected struct {
	Skus    []SubscribedSku
	SkusErr error
	// Establishments, in the order they were given.
	Establishments []CollectedEstablishment
}

// CollectedEstablishment is one establishment's answer.
type CollectedEstablishment struct {
	Establishment Establishment
	// Accounts are the valid accounts of every staff group, once each.
	Accounts []LicensedAccount
	// Found counts every entry the directory listed, Processed the valid
	// ones (an entry without id is found and not processed).
	Found, Processed int
	Duration         time.Duration
	Err              error
}

// DefaultCollectConcurrency is how many establishments are read at once:
// Graph throttles a tenant's application beyond a few concurrent requests
// per second of this kind, and 4 keeps a run of 20 establishments to a few
// round trips.
const DefaultCollectConcurrency = 4

// CollectLicences reads the subscriptions and every establishment's staff
// groups from dir, at most concurrency establishments at a time. It never
// fails as a whole: an establishment that cannot be read carries its
// error and the others go on; so does the list of subscriptions. ctx
// bounds the run (its timeout).
func CollectLicences(ctx context.Context, dir LicenceDirectory, ests []Establishment, concurrency int) Collected {
	if concurrency <= 0 {
		concurrency = DefaultCollectConcurrency
	}
	out := Collected{Establishments: make([]CollectedEstablishment, len(ests))}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		out.Skus, out.SkusErr = dir.SubscribedSkus(ctx)
	}()
	sem := make(chan struct{}, concurrency)
	for i, e := range ests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				out.Establishments[i] = CollectedEstablishment{Establishment: e, Err: Wrap(ctx.Err(), EUNAVAILABLE, "err.licence.timeout")}
				return
			}
			defer func() { <-sem }()
			out.Establishments[i] = collectOne(ctx, dir, e)
		}()
	}
	wg.Wait()
	return out
}

func collectOne(ctx context.Context, dir LicenceDirectory, e Establishment) (c CollectedEstablishment) {
	start := time.Now()
	c.Establishment = e
	defer func() {
		c.Duration = time.Since(start)
		if r := recover(); r != nil { // a bug on one establishment spares the others
			c.Err = Errorf(EINTERNAL, "err.licence.internal", r)
		}
	}()
	if len(e.StaffGroupIDs) == 0 {
		c.Err = Errorf(EINVALID, "err.licence.no_groups", e.Code)
		return c
	}
	seen := map[string]bool{}
	for _, g := range e.StaffGroupIDs {
		members, err := dir.GroupMembers(ctx, g)
		if err != nil {
			if ctx.Err() != nil {
				err = Wrap(err, EUNAVAILABLE, "err.licence.timeout")
			}
			c.Err = err
			c.Accounts, c.Found, c.Processed = nil, 0, 0
			return c
		}
		for _, m := range members {
			if m.ID != "" && seen[m.ID] {
				continue // in two of the establishment's groups
			}
			c.Found++
			if m.ID == "" {
				continue
			}
			seen[m.ID] = true
			c.Accounts = append(c.Accounts, m)
			c.Processed++
		}
	}
	return c
}
