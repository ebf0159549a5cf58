package cosmos

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/data/azcosmos"
	"github.com/anras/parc/domain"
	"github.com/anras/parc/storage/cosmos/cosmostest"
)

// A probe checks one behaviour of the real service that the npm emulator
// gets wrong and e2e/cosmos/launcher.js corrects. It returns nil when the
// emulator behaves like Cosmos DB.
type probe struct {
	correction string
	name       string
	check      func(ctx context.Context, s *Store) error
}

type probeData struct {
	Name string `json:"name"`
	N    int    `json:"n"`
}

func probeDoc(pk, id string) doc[probeData] {
	return doc[probeData]{ID: id, PK: pk, Kind: "probe", Data: probeData{Name: "Zoé " + id}}
}

func probes() []probe {
	return []probe{
		{cosmostest.CorrectionRead, "a missing item is ENOTFOUND", func(ctx context.Context, s *Store) error {
			_, _, err := readDoc[probeData](ctx, s.users, "nobody", "nothing")
			return wantCode(err, domain.ENOTFOUND)
		}},
		{cosmostest.CorrectionRead, "an item read with another partition key is ENOTFOUND", func(ctx context.Context, s *Store) error {
			if _, err := createDoc(ctx, s.users, probeDoc("alice", "x")); err != nil {
				return err
			}
			if _, _, err := readDoc[probeData](ctx, s.users, "alice", "x"); err != nil {
				return fmt.Errorf("read with the right key: %w", err)
			}
			_, _, err := readDoc[probeData](ctx, s.users, "bob", "x")
			return wantCode(err, domain.ENOTFOUND)
		}},
		{cosmostest.CorrectionQuery, "a query scoped to a partition does not see the others", func(ctx context.Context, s *Store) error {
			for _, pk := range []string{"alice", "bob"} {
				if _, err := createDoc(ctx, s.users, probeDoc(pk, "q")); err != nil {
					return err
				}
			}
			got, err := queryPartition[probeData](ctx, s.users, "alice", "SELECT VALUE c.data FROM c WHERE c.kind = 'probe'")
			if err != nil {
				return err
			}
			if len(got) != 1 || got[0].Name != "Zoé q" {
				return fmt.Errorf("query in alice's partition returned %d items: %+v", len(got), got)
			}
			return nil
		}},
		{cosmostest.CorrectionCrossPartition, "cross-partition ORDER BY, TOP and aggregates are refused, single-partition ones served", func(ctx context.Context, s *Store) error {
			if _, err := createDoc(ctx, s.users, probeDoc("alice", "o")); err != nil {
				return err
			}
			served := []string{"SELECT * FROM c ORDER BY c.id", "SELECT TOP 1 * FROM c", "SELECT VALUE COUNT(1) FROM c"}
			for _, q := range served {
				if _, err := queryPartition[json.RawMessage](ctx, s.users, "alice", q); err != nil {
					return fmt.Errorf("single-partition %q: %w", q, err)
				}
			}
			// The npm emulator cannot even parse the last three.
			refused := append(served, "SELECT DISTINCT VALUE c.kind FROM c", "SELECT c.kind, COUNT(1) AS n FROM c GROUP BY c.kind", "SELECT * FROM c OFFSET 0 LIMIT 1")
			for _, q := range refused {
				_, err := queryAll[json.RawMessage](ctx, s.users, q)
				if statusOf(err) != http.StatusBadRequest {
					return fmt.Errorf("cross-partition %q: %v, want 400 as the gateway answers azcosmos", q, err)
				}
			}
			return nil
		}},
		{cosmostest.CorrectionBatch, "a batch runs with the header's partition key and answers per operation", func(ctx context.Context, s *Store) error {
			etag, err := createDoc(ctx, s.users, probeDoc("alice", "b1"))
			if err != nil {
				return err
			}
			if _, err := createDoc(ctx, s.users, probeDoc("alice", "b2")); err != nil {
				return err
			}
			b := s.users.newBatch("alice")
			batchCreate(b, probeDoc("alice", "b3"))
			batchReplace(b, probeDoc("alice", "b1"), etag)
			b.delete("b2", nil)
			var inc azcosmos.PatchOperations // the npm emulator refuses Patch in a batch
			inc.AppendIncrement("/data/n", 5)
			b.b.PatchItem("b3", inc, nil)
			res, err := b.execute(ctx)
			if err != nil {
				return err
			}
			if d, _, err := readDoc[probeData](ctx, s.users, "alice", "b3"); err != nil || d.Data.N != 5 {
				return fmt.Errorf("b3 after create and patch in one batch: %+v, %v", d.Data, err)
			}
			want := []int32{http.StatusCreated, http.StatusOK, http.StatusNoContent, http.StatusOK}
			if len(res) != len(want) {
				return fmt.Errorf("results %+v, want statuses %v", res, want)
			}
			for i, r := range res {
				if r.StatusCode != want[i] {
					return fmt.Errorf("results %+v, want statuses %v", res, want)
				}
			}
			return wantDocs(ctx, s, "alice", map[string]bool{"b1": true, "b2": false, "b3": true})
		}},
		{cosmostest.CorrectionBatch, "a failed batch applies nothing and names the failing operation", func(ctx context.Context, s *Store) error {
			if _, err := createDoc(ctx, s.users, probeDoc("alice", "f1")); err != nil {
				return err
			}
			b := s.users.newBatch("alice")
			batchCreate(b, probeDoc("alice", "f2"))
			b.delete("f1", nil)
			batchReplace(b, probeDoc("alice", "f1"), azcore.ETag("stale")) // f1 is deleted above: 404
			_, err := b.execute(ctx)
			if werr := wantCode(err, domain.ENOTFOUND); werr != nil {
				return werr
			}
			return wantDocs(ctx, s, "alice", map[string]bool{"f1": true, "f2": false})
		}},
		{cosmostest.CorrectionPatchCondition, "a patch condition keeps its case", func(ctx context.Context, s *Store) error {
			if _, err := createDoc(ctx, s.users, probeDoc("alice", "p")); err != nil {
				return err
			}
			patch := func(cond string) error {
				var ops azcosmos.PatchOperations
				ops.SetCondition(cond)
				ops.AppendIncrement("/data/n", 1)
				_, err := s.users.client.PatchItem(ctx, s.users.pk("alice"), "p", ops, nil)
				return err
			}
			if err := patch("FROM c WHERE c.data.name = 'Zoé p'"); err != nil {
				return fmt.Errorf("a true condition: %w", err)
			}
			if err := patch("FROM c WHERE c.data.name = 'Nobody'"); statusOf(err) != http.StatusPreconditionFailed {
				return fmt.Errorf("a false condition: %v, want 412", err)
			}
			d, _, err := readDoc[probeData](ctx, s.users, "alice", "p")
			if err != nil || d.Data.N != 1 {
				return fmt.Errorf("after one true patch n = %d, %v; want 1", d.Data.N, err)
			}
			return nil
		}},
		{cosmostest.CorrectionPartitionKey, "a write under another partition's key is refused", func(ctx context.Context, s *Store) error {
			raw, _ := json.Marshal(probeDoc("alice", "k"))
			if _, err := s.users.client.CreateItem(ctx, s.users.pk("bob"), raw, nil); statusOf(err) != http.StatusBadRequest {
				return fmt.Errorf("create: %v, want 400", err)
			}
			if _, err := s.users.client.UpsertItem(ctx, s.users.pk("bob"), raw, nil); statusOf(err) != http.StatusBadRequest {
				return fmt.Errorf("upsert: %v, want 400", err)
			}
			// bob's own document "k", replaced with a body of alice's partition.
			if _, err := createDoc(ctx, s.users, probeDoc("bob", "k")); err != nil {
				return err
			}
			if _, err := s.users.client.ReplaceItem(ctx, s.users.pk("bob"), "k", raw, nil); statusOf(err) != http.StatusBadRequest {
				return fmt.Errorf("replace: %v, want 400", err)
			}
			return wantDocs(ctx, s, "alice", map[string]bool{"k": false})
		}},
		{cosmostest.CorrectionBatch, "a batch refuses a document of another partition", func(ctx context.Context, s *Store) error {
			raw, _ := json.Marshal(probeDoc("bob", "m"))
			b := s.users.client.NewTransactionalBatch(s.users.pk("alice"))
			b.CreateItem(raw, nil)
			resp, err := s.users.client.ExecuteTransactionalBatch(ctx, b, nil)
			if err != nil {
				return err
			}
			if resp.Success || len(resp.OperationResults) != 1 || resp.OperationResults[0].StatusCode != http.StatusBadRequest {
				return fmt.Errorf("batch success=%v results=%+v, want one 400", resp.Success, resp.OperationResults)
			}
			return wantDocs(ctx, s, "bob", map[string]bool{"m": false})
		}},
	}
}

func wantCode(err error, code domain.ErrorCode) error {
	if got := domain.ErrorCodeOf(err); got != code {
		return fmt.Errorf("error %v has code %q, want %q", err, got, code)
	}
	return nil
}

// wantDocs checks which documents exist in partition pk.
func wantDocs(ctx context.Context, s *Store, pk string, want map[string]bool) error {
	var errs []error
	for id, present := range want {
		_, _, err := readDoc[probeData](ctx, s.users, pk, id)
		if present && err != nil {
			errs = append(errs, fmt.Errorf("%s/%s should exist: %w", pk, id, err))
		}
		if !present && !domain.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("%s/%s should not exist (read: %v)", pk, id, err))
		}
	}
	return errors.Join(errs...)
}

// TestEmulatorCorrections shows each correction at work on the launcher,
// and shows, on the npm package as shipped, the bug it corrects: a probe
// that the raw emulator passes would prove nothing.
func TestEmulatorCorrections(t *testing.T) {
	fixedEmu := cosmostest.Start(t)
	rawEmu := cosmostest.Start(t, cosmostest.Without(cosmostest.Corrections...))
	ctx := context.Background()
	seen := map[string]bool{}
	for _, p := range probes() {
		seen[p.correction] = true
		t.Run(p.name, func(t *testing.T) {
			if err := p.check(ctx, openTest(t, fixedEmu)); err != nil {
				t.Errorf("corrected emulator: %v", err)
			}
			if err := p.check(ctx, openTest(t, rawEmu)); err == nil {
				t.Errorf("the npm emulator without corrections passes this probe too: it does not show the bug that %q corrects", p.correction)
			} else {
				t.Logf("without the %q correction: %v", p.correction, err)
			}
		})
	}
	for _, c := range cosmostest.Corrections {
		if !seen[c] {
			t.Errorf("no probe shows the correction %q", c)
		}
	}
}
