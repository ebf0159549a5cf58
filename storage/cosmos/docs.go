package cosmos

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/data/azcosmos"
	"github.com/anras/parc/domain"
)

// container is one Cosmos container as the helpers below use it.
type container struct {
	name     string
	client   *azcosmos.ContainerClient
	pageSize int32
}

// doc is the envelope of every stored document. The domain's JSON lives
// untouched under data, so that Export hands it out as it came in (the
// service adds its system fields _rid, _self, _etag, _ts at the top level,
// never inside data) and a domain field can never clash with id, pk or ttl.
type doc[T any] struct {
	ID   string `json:"id"`   // unique within the partition; built from validated values only
	PK   string `json:"pk"`   // the partition key: the natural key of the aggregate
	Kind string `json:"kind"` // what data is ("user", "role"...): queries filter on it
	Data T      `json:"data"`
	TTL  int    `json:"ttl,omitempty"` // seconds; only in containers with a default TTL
	// Move is set on the schedule of a car copied into a new partition by a
	// move that has not finished (fleet_move.go); outside data, so that
	// Export never carries it.
	Move *moveHold `json:"move,omitempty"`
}

func (c *container) pk(pk string) azcosmos.PartitionKey { return azcosmos.NewPartitionKeyString(pk) }

// readDoc reads one document; ENOTFOUND when it is absent.
func readDoc[T any](ctx context.Context, c *container, pk, id string) (doc[T], azcore.ETag, error) {
	var d doc[T]
	resp, err := c.client.ReadItem(ctx, c.pk(pk), id, nil)
	if err != nil {
		return d, "", fail("read "+id, c.name, err)
	}
	if err := json.Unmarshal(resp.Value, &d); err != nil {
		return d, "", fmt.Errorf("cosmos: decode %s/%s: %w", c.name, id, err)
	}
	return d, resp.ETag, nil
}

func encode[T any](c *container, d doc[T]) ([]byte, error) {
	b, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("cosmos: encode %s/%s: %w", c.name, d.ID, err)
	}
	return b, nil
}

// createDoc writes a new document; ECONFLICT (status 409) when one with
// the same id exists in the partition.
func createDoc[T any](ctx context.Context, c *container, d doc[T]) (azcore.ETag, error) {
	b, err := encode(c, d)
	if err != nil {
		return "", err
	}
	resp, err := c.client.CreateItem(ctx, c.pk(d.PK), b, nil)
	if err != nil {
		return "", fail("create "+d.ID, c.name, err)
	}
	return resp.ETag, nil
}

// replaceDoc overwrites a document only if it still has the ETag ifMatch;
// ECONFLICT (412) when someone wrote it since, ENOTFOUND when it is gone.
func replaceDoc[T any](ctx context.Context, c *container, d doc[T], ifMatch azcore.ETag) (azcore.ETag, error) {
	b, err := encode(c, d)
	if err != nil {
		return "", err
	}
	resp, err := c.client.ReplaceItem(ctx, c.pk(d.PK), d.ID, b, &azcosmos.ItemOptions{IfMatchEtag: &ifMatch})
	if err != nil {
		return "", fail("replace "+d.ID, c.name, err)
	}
	return resp.ETag, nil
}

// upsertDoc writes a document whatever was there: for records whose last
// writer wins by design (a conversation reference, an import).
func upsertDoc[T any](ctx context.Context, c *container, d doc[T]) (azcore.ETag, error) {
	b, err := encode(c, d)
	if err != nil {
		return "", err
	}
	resp, err := c.client.UpsertItem(ctx, c.pk(d.PK), b, nil)
	if err != nil {
		return "", fail("upsert "+d.ID, c.name, err)
	}
	return resp.ETag, nil
}

// deleteDoc deletes a document, only if it still has the ETag ifMatch when
// that is not nil; ENOTFOUND when it is absent.
func deleteDoc(ctx context.Context, c *container, pk, id string, ifMatch *azcore.ETag) error {
	_, err := c.client.DeleteItem(ctx, c.pk(pk), id, &azcosmos.ItemOptions{IfMatchEtag: ifMatch})
	return fail("delete "+id, c.name, err)
}

// queryPartition runs a query inside one partition: the cheapest query, and
// the only kind that may sort, limit or aggregate (azcosmos v1 has no
// client-side query engine; across partitions the gateway refuses those).
func queryPartition[T any](ctx context.Context, c *container, pk, sql string, params ...azcosmos.QueryParameter) ([]T, error) {
	return query[T](ctx, c, c.pk(pk), sql, params)
}

// queryAll runs a query across every partition. The gateway serves only
// plain filters and projections that way: no ORDER BY, TOP, OFFSET,
// DISTINCT, GROUP BY or aggregate; sort and limit in Go.
func queryAll[T any](ctx context.Context, c *container, sql string, params ...azcosmos.QueryParameter) ([]T, error) {
	return query[T](ctx, c, azcosmos.NewPartitionKey(), sql, params)
}

func query[T any](ctx context.Context, c *container, pk azcosmos.PartitionKey, sql string, params []azcosmos.QueryParameter) ([]T, error) {
	pager := c.client.NewQueryItemsPager(sql, pk, &azcosmos.QueryOptions{QueryParameters: params, PageSizeHint: c.pageSize})
	var out []T
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, fail("query", c.name, err)
		}
		for _, raw := range page.Items {
			var v T
			if err := json.Unmarshal(raw, &v); err != nil {
				return nil, fmt.Errorf("cosmos: decode a %s query result: %w", c.name, err)
			}
			out = append(out, v)
		}
	}
	return out, nil
}

// maxAttempts bounds the optimistic retries of update and transact. Each
// lost race means another writer succeeded, so the loop always progresses;
// the bound only stops a pathological pile-up, reported as ECONFLICT.
const maxAttempts = 25

// backoff waits a little before the next optimistic attempt, with jitter so
// that the writers who lost together do not collide again.
func backoff(ctx context.Context, attempt int) error {
	limit := time.Duration(min(1<<attempt, 64)) * time.Millisecond
	t := time.NewTimer(rand.N(limit) + time.Millisecond)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// retryable reports whether an optimistic write lost a race (412: the
// document changed since it was read; 409: it was created meanwhile).
func retryable(err error) bool {
	s := statusOf(err)
	return s == http.StatusPreconditionFailed || s == http.StatusConflict
}

// update reads the document (pk, id), lets fn change it, and writes it back
// guarded by its ETag, retrying from the read when another writer got there
// first. A missing document is passed to fn as a zero doc with found false
// and created if fn returns nil; fn returns ENOTFOUND itself when the
// document must exist. fn may run several times: it must only change d.
// An error from fn stops everything and is returned as is.
func update[T any](ctx context.Context, c *container, pk, id, kind string, fn func(d *doc[T], found bool) error) (doc[T], error) {
	for attempt := 0; ; attempt++ {
		cur, etag, err := readDoc[T](ctx, c, pk, id)
		found := err == nil
		if err != nil && !domain.IsNotFound(err) {
			return doc[T]{}, err
		}
		if !found {
			cur = doc[T]{ID: id, PK: pk, Kind: kind}
		}
		if err := fn(&cur, found); err != nil {
			return doc[T]{}, err
		}
		cur.ID, cur.PK, cur.Kind = id, pk, kind
		if found {
			_, err = replaceDoc(ctx, c, cur, etag)
		} else {
			_, err = createDoc(ctx, c, cur)
		}
		if err == nil {
			return cur, nil
		}
		if !retryable(err) && !(found && domain.IsNotFound(err)) {
			return doc[T]{}, err
		}
		if attempt+1 >= maxAttempts {
			return doc[T]{}, domain.Wrap(fmt.Errorf("cosmos: %s/%s: gave up after %d concurrent writes: %w", c.name, id, maxAttempts, err), domain.ECONFLICT, "err.conflict")
		}
		if err := backoff(ctx, attempt); err != nil {
			return doc[T]{}, err
		}
	}
}
