package cosmos

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"time"

	"github.com/anras/parc/domain"
)

// An activity id is the document "seen" of its own partition (pk = the
// activity id) in the activities container, which has a default TTL: the
// service forgets old ids by itself. The code never relies on that (the
// emulator has no TTL): an id seen longer ago than the window counts as
// new.

const (
	kindActivity = "activity"
	activityID   = "seen"
)

type activitySeen struct {
	At time.Time `json:"at"`
	// Nonce names the call that wrote the entry: if the SDK retries a
	// creation whose answer was lost, the retry finds its own entry and
	// still reports a first delivery.
	Nonce string `json:"nonce"`
}

// FirstDelivery creates the id's entry; the creation is atomic, so of
// concurrent callers exactly one succeeds. The others read the entry: if it
// is older than the window, they replace it guarded by its ETag, and again
// exactly one wins.
func (s *Store) FirstDelivery(ctx context.Context, id string, now time.Time, window time.Duration) (bool, error) {
	nonce := newNonce()
	d := doc[activitySeen]{ID: activityID, PK: id, Kind: kindActivity, Data: activitySeen{At: now.UTC(), Nonce: nonce},
		TTL: int((window + time.Hour).Seconds())}
	if d.TTL < activityTTL {
		d.TTL = 0 // the container's default keeps it long enough
	}
	for attempt := 0; attempt < 3; attempt++ {
		_, err := createDoc(ctx, s.activities, d)
		if err == nil {
			return true, nil
		}
		if statusOf(err) != http.StatusConflict {
			return false, err
		}
		cur, etag, err := readDoc[activitySeen](ctx, s.activities, id, activityID)
		if domain.IsNotFound(err) {
			continue // expired between the two calls: create again
		}
		if err != nil {
			return false, err
		}
		if cur.Data.Nonce == nonce {
			return true, nil
		}
		if now.Sub(cur.Data.At) < window {
			return false, nil
		}
		_, err = replaceDoc(ctx, s.activities, d, etag)
		switch {
		case err == nil:
			return true, nil
		case statusOf(err) == http.StatusPreconditionFailed:
			// Another delivery replaced it first, unless the SDK retried
			// our own replacement after losing its answer.
			again, _, rerr := readDoc[activitySeen](ctx, s.activities, id, activityID)
			return rerr == nil && again.Data.Nonce == nonce, nil
		case domain.IsNotFound(err):
			continue
		default:
			return false, err
		}
	}
	return false, fmt.Errorf("cosmos: activity %q appeared and expired three times in a row", id)
}

func newNonce() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
