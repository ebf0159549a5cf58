package cosmos

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/anras/parc/domain"
	"github.com/anras/parc/storage/cosmos/cosmostest"
)

type counter struct {
	N       int      `json:"n"`
	Holders []string `json:"holders"`
}

// TestBatchIsAtomicUnderContention: 30 goroutines read a shared counter,
// then each sends one batch that creates its own slot, deletes its own
// ticket and replaces the counter guarded by the ETag it read. Exactly the
// winners' batches exist in full; the losers left no slot and kept their
// ticket; the counter counts the winners.
func TestBatchIsAtomicUnderContention(t *testing.T) {
	s := openTest(t, cosmostest.Start(t))
	ctx := context.Background()
	const n, pk = 30, "fleet-ditep"
	if _, err := createDoc(ctx, s.users, doc[counter]{ID: "counter", PK: pk, Kind: "counter"}); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if _, err := createDoc(ctx, s.users, doc[counter]{ID: fmt.Sprintf("ticket-%d", i), PK: pk, Kind: "ticket"}); err != nil {
			t.Fatal(err)
		}
	}
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		winners = map[int]bool{}
		start   = make(chan struct{})
	)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cur, etag, err := readDoc[counter](ctx, s.users, pk, "counter")
			if err != nil {
				t.Error(err)
				return
			}
			<-start // everyone has read the same version
			me := fmt.Sprintf("slot-%d", i)
			cur.Data.N++
			cur.Data.Holders = append(cur.Data.Holders, me)
			b := s.users.newBatch(pk)
			batchCreate(b, doc[counter]{ID: me, PK: pk, Kind: "slot"})
			b.delete(fmt.Sprintf("ticket-%d", i), nil)
			batchReplace(b, cur, etag) // last: the first two must be rolled back when it fails
			_, err = b.execute(ctx)
			switch {
			case err == nil:
				mu.Lock()
				winners[i] = true
				mu.Unlock()
			case !domain.IsConflict(err):
				t.Errorf("batch %d: %v, want success or ECONFLICT", i, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if len(winners) == 0 {
		t.Fatal("no batch won")
	}
	final, _, err := readDoc[counter](ctx, s.users, pk, "counter")
	if err != nil {
		t.Fatal(err)
	}
	if final.Data.N != len(winners) {
		t.Fatalf("counter = %d, winners = %d", final.Data.N, len(winners))
	}
	for i := range n {
		_, _, slotErr := readDoc[counter](ctx, s.users, pk, fmt.Sprintf("slot-%d", i))
		_, _, ticketErr := readDoc[counter](ctx, s.users, pk, fmt.Sprintf("ticket-%d", i))
		if winners[i] && (slotErr != nil || !domain.IsNotFound(ticketErr)) {
			t.Errorf("winner %d: slot %v, ticket %v; want slot present and ticket gone", i, slotErr, ticketErr)
		}
		if !winners[i] && (!domain.IsNotFound(slotErr) || ticketErr != nil) {
			t.Errorf("loser %d left a half-written batch: slot %v, ticket %v", i, slotErr, ticketErr)
		}
	}
	t.Logf("%d of %d concurrent batches won", len(winners), n)
}

// TestTransactSerializes: 30 concurrent transactions each read the counter
// and a slot, then write both; transact replays the losers on fresh reads,
// so all 30 land and the counter says 30.
func TestTransactSerializes(t *testing.T) {
	s := openTest(t, cosmostest.Start(t))
	ctx := context.Background()
	const n, pk = 30, "it-ditep"
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.users.transact(ctx, pk, func(ctx context.Context, tx *tx) error {
				c, _, err := txRead[counter](ctx, tx, "counter")
				if err != nil {
					return err
				}
				slot := fmt.Sprintf("slot-%d", i)
				if _, found, err := txRead[counter](ctx, tx, slot); err != nil || found {
					return fmt.Errorf("slot %s: found=%v err=%v", slot, found, err)
				}
				c.Kind = "counter"
				c.Data.N++
				txPut(tx, c)
				txPut(tx, doc[counter]{ID: slot, Kind: "slot", Data: counter{N: c.Data.N}})
				return nil
			})
			if err != nil {
				t.Errorf("transaction %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	final, _, err := readDoc[counter](ctx, s.users, pk, "counter")
	if err != nil || final.Data.N != n {
		t.Fatalf("counter = %d, %v; want %d", final.Data.N, err, n)
	}
	// Each slot recorded the counter value its transaction wrote: a
	// serial order means they are exactly 1..n.
	seen := map[int]bool{}
	for i := range n {
		d, _, err := readDoc[counter](ctx, s.users, pk, fmt.Sprintf("slot-%d", i))
		if err != nil {
			t.Fatal(err)
		}
		if seen[d.Data.N] {
			t.Fatalf("two transactions both wrote counter value %d: not serializable", d.Data.N)
		}
		seen[d.Data.N] = true
	}
}

// TestTransactAbortsOnError: an error from the function sends nothing.
func TestTransactAbortsOnError(t *testing.T) {
	s := openTest(t, cosmostest.Start(t))
	ctx := context.Background()
	err := s.users.transact(ctx, "p", func(ctx context.Context, tx *tx) error {
		txPut(tx, doc[counter]{ID: "a", Kind: "x"})
		return domain.Errorf(domain.ECONFLICT, "err.conflict")
	})
	if !domain.IsConflict(err) {
		t.Fatalf("transact = %v, want the function's ECONFLICT", err)
	}
	if _, _, err := readDoc[counter](ctx, s.users, "p", "a"); !domain.IsNotFound(err) {
		t.Fatalf("an aborted transaction wrote: %v", err)
	}
}

// TestTransactDeleteGuarded: a delete of a document read in the
// transaction is guarded by its ETag: when someone changes the document
// between the read and the commit, the transaction runs again and sees the
// change.
func TestTransactDeleteGuarded(t *testing.T) {
	s := openTest(t, cosmostest.Start(t))
	ctx := context.Background()
	const pk = "it-ditep"
	if _, err := createDoc(ctx, s.users, doc[counter]{ID: "ticket", PK: pk, Kind: "ticket"}); err != nil {
		t.Fatal(err)
	}
	runs := 0
	err := s.users.transact(ctx, pk, func(ctx context.Context, tx *tx) error {
		runs++
		d, found, err := txRead[counter](ctx, tx, "ticket")
		if err != nil || !found {
			return fmt.Errorf("ticket: found=%v err=%v", found, err)
		}
		if runs == 1 { // another writer changes the ticket under our feet
			d.Data.N = 42
			if _, err := upsertDoc(ctx, s.users, d); err != nil {
				return err
			}
		}
		tx.delete("ticket")
		b := tx.b
		batchUpsert(b, doc[counter]{ID: "log", PK: pk, Kind: "log", Data: counter{N: d.Data.N}})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if runs != 2 {
		t.Fatalf("the transaction ran %d times, want 2 (the first commit must fail on the changed ETag)", runs)
	}
	if _, _, err := readDoc[counter](ctx, s.users, pk, "ticket"); !domain.IsNotFound(err) {
		t.Fatalf("ticket still there: %v", err)
	}
	if d, _, err := readDoc[counter](ctx, s.users, pk, "log"); err != nil || d.Data.N != 42 {
		t.Fatalf("log = %+v, %v; want the value seen by the second run", d.Data, err)
	}
}
