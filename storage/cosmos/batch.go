package cosmos

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/data/azcosmos"
	"github.com/anras/parc/domain"
)

// maxBatchOps is the service's limit on the operations of one batch.
const maxBatchOps = 100

// batch is a transactional batch: writes to documents of one partition of
// one container, applied all together or not at all. It is how the next
// features keep two documents in step: a reservation and the car's
// schedule, a loan and its terminal.
type batch struct {
	c   *container
	pk  string
	b   azcosmos.TransactionalBatch
	ops []string // "create id", to name the operation that failed
	err error    // the first staging error, reported by execute
}

func (c *container) newBatch(pk string) *batch {
	return &batch{c: c, pk: pk, b: c.client.NewTransactionalBatch(c.pk(pk))}
}

// stage encodes d for the batch; a document of another partition is a bug
// in the caller, reported before anything is sent.
func stage[T any](b *batch, op string, d doc[T]) []byte {
	if b.err != nil {
		return nil
	}
	if d.PK != b.pk {
		b.err = fmt.Errorf("cosmos: batch in partition %q cannot %s %s of partition %q", b.pk, op, d.ID, d.PK)
		return nil
	}
	raw, err := encode(b.c, d)
	if err != nil {
		b.err = err
		return nil
	}
	b.ops = append(b.ops, op+" "+d.ID)
	return raw
}

// batchCreate adds the creation of d; the batch fails (409) if it exists.
func batchCreate[T any](b *batch, d doc[T]) {
	if raw := stage(b, "create", d); raw != nil {
		b.b.CreateItem(raw, nil)
	}
}

// batchReplace adds the replacement of d, only if it still has the ETag
// ifMatch (else the batch fails with 412).
func batchReplace[T any](b *batch, d doc[T], ifMatch azcore.ETag) {
	if raw := stage(b, "replace", d); raw != nil {
		b.b.ReplaceItem(d.ID, raw, &azcosmos.TransactionalBatchItemOptions{IfMatchETag: &ifMatch})
	}
}

// batchUpsert adds the unconditional write of d.
func batchUpsert[T any](b *batch, d doc[T]) {
	if raw := stage(b, "upsert", d); raw != nil {
		b.b.UpsertItem(raw, nil)
	}
}

// delete adds the deletion of id, only if it still has the ETag ifMatch
// when that is not nil; the batch fails (404) if it is absent.
func (b *batch) delete(id string, ifMatch *azcore.ETag) {
	if b.err != nil {
		return
	}
	b.ops = append(b.ops, "delete "+id)
	b.b.DeleteItem(id, &azcosmos.TransactionalBatchItemOptions{IfMatchETag: ifMatch})
}

// execute sends the batch. On success it returns one result per operation
// (status, ETag). When an operation fails, nothing was applied and the
// error carries that operation's status, with the same domain codes as a
// single write: 409 and 412 are ECONFLICT, 404 is ENOTFOUND.
func (b *batch) execute(ctx context.Context) ([]azcosmos.TransactionalBatchResult, error) {
	if b.err != nil {
		return nil, b.err
	}
	if len(b.ops) == 0 {
		return nil, nil
	}
	if len(b.ops) > maxBatchOps {
		return nil, fmt.Errorf("cosmos: a batch holds at most %d operations, not %d", maxBatchOps, len(b.ops))
	}
	resp, err := b.c.client.ExecuteTransactionalBatch(ctx, b.b, nil)
	if err != nil {
		return nil, fail("batch", b.c.name, err)
	}
	if resp.Success {
		return resp.OperationResults, nil
	}
	for i, r := range resp.OperationResults {
		if r.StatusCode != http.StatusFailedDependency {
			op := "batch"
			if i < len(b.ops) {
				op = fmt.Sprintf("batch op %d (%s)", i, b.ops[i])
			}
			return nil, classify(&opError{op: op, container: b.c.name, status: int(r.StatusCode), err: errBatchFailed})
		}
	}
	return nil, classify(&opError{op: "batch", container: b.c.name, status: http.StatusFailedDependency, err: errBatchFailed})
}

var errBatchFailed = errors.New("the batch was not applied")

// tx is a transaction in one partition, built on a batch: txRead does
// point reads that remember each document's ETag (or its absence), and the
// writes staged after are guarded by what was read. If anything read
// changed before the batch runs, the batch fails and transact runs the
// whole function again on fresh reads: serializable within the partition.
type tx struct {
	c    *container
	pk   string
	seen map[string]*azcore.ETag // id -> ETag when read, nil when read and absent
	b    *batch
}

// txRead reads id in the transaction's partition; found is false when the
// document is absent (its later creation is then guarded by that absence).
func txRead[T any](ctx context.Context, t *tx, id string) (d doc[T], found bool, err error) {
	d, etag, err := readDoc[T](ctx, t.c, t.pk, id)
	switch {
	case err == nil:
		t.seen[id] = &etag
		return d, true, nil
	case domain.IsNotFound(err):
		t.seen[id] = nil
		return doc[T]{ID: id, PK: t.pk}, false, nil
	}
	return d, false, err
}

// txPut writes d: a replacement guarded by the ETag read in this
// transaction, or a creation when d was read absent or not read at all
// (a creation fails if the document exists, which also guards it).
func txPut[T any](t *tx, d doc[T]) {
	d.PK = t.pk
	if etag := t.seen[d.ID]; etag != nil {
		batchReplace(t.b, d, *etag)
		return
	}
	batchCreate(t.b, d)
}

// delete deletes id, guarded by the ETag read in this transaction if any.
func (t *tx) delete(id string) { t.b.delete(id, t.seen[id]) }

// transact runs fn in a transaction on partition pk and commits what it
// staged in one batch, running fn again (up to maxAttempts) when another
// writer changed what it read. fn may run several times: it must only
// read and stage. An error from fn aborts and is returned as is.
func (c *container) transact(ctx context.Context, pk string, fn func(ctx context.Context, t *tx) error) error {
	for attempt := 0; ; attempt++ {
		t := &tx{c: c, pk: pk, seen: map[string]*azcore.ETag{}, b: c.newBatch(pk)}
		if err := fn(ctx, t); err != nil {
			return err
		}
		_, err := t.b.execute(ctx)
		// A 404 after reads means a document read present was deleted
		// since: a race lost like any other.
		if err == nil || !(retryable(err) || (statusOf(err) == http.StatusNotFound && len(t.seen) > 0)) {
			return err
		}
		if attempt+1 >= maxAttempts {
			return domain.Wrap(fmt.Errorf("cosmos: %s/%s: gave up after %d concurrent transactions: %w", c.name, pk, maxAttempts, err), domain.ECONFLICT, "err.conflict")
		}
		if err := backoff(ctx, attempt); err != nil {
			return err
		}
	}
}
