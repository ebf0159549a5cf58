// Package bolt is Parc's embedded store: one bbolt file under PARC_DATA_DIR,
// no server, no cloud account. It is the default backend on a laptop.
//
// Every record is stored as JSON in a bucket named after its kind. A write
// that reads first (grant a role, update a user, a reservation that must not
// overlap) happens inside one bbolt read-write transaction, and bbolt runs
// those one at a time: read-modify-write is atomic without version checks.
package bolt

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/anras/parc/domain"
	bbolt "go.etcd.io/bbolt"
	bberrors "go.etcd.io/bbolt/errors"
)

// FileName is the store's file inside the data directory.
const FileName = "parc.db"

// TransientFileName holds the ids of recently processed activities. It is
// written without fsync: it only remembers the last ten minutes so that a
// redelivered activity is not handled twice, and losing its last writes in
// a power cut costs at worst one answer given twice. Every activity writes
// to it, so sparing the fsync is what keeps a turn under a millisecond.
const TransientFileName = "parc-transient.db"

// Store implements domain.Store on two bbolt files: the records, written
// durably, and the transient activity ids.
type Store struct {
	db    *bbolt.DB
	tdb   *bbolt.DB
	clock domain.Clock
}

var _ domain.Store = (*Store)(nil)

// Options tune the store. The zero value is right for production.
type Options struct {
	Clock domain.Clock // default domain.SystemClock
	// NoSync skips fsync on commit: only for tests and benchmarks that do
	// not care about surviving a power cut.
	NoSync bool
}

// Open opens (creating if needed) the store in dir. Only one process may
// hold it: a second Open waits one second, then fails with a clear message.
func Open(dir string, opts Options) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second, NoSync: opts.NoSync})
	if err != nil {
		if errors.Is(err, bberrors.ErrTimeout) {
			return nil, fmt.Errorf("open %s: another Parc process is using this data directory", path)
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	tpath := filepath.Join(dir, TransientFileName)
	tdb, err := bbolt.Open(tpath, 0o600, &bbolt.Options{Timeout: time.Second, NoSync: true, NoFreelistSync: true})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", tpath, err)
	}
	s := &Store{db: db, tdb: tdb, clock: opts.Clock}
	if s.clock == nil {
		s.clock = domain.SystemClock{}
	}
	for _, f := range []struct {
		db      *bbolt.DB
		path    string
		buckets []string
	}{{db, path, allBuckets}, {tdb, tpath, transientBuckets}} {
		if err := createBuckets(f.db, f.buckets); err != nil {
			s.Close()
			return nil, fmt.Errorf("prepare %s: %w", f.path, err)
		}
	}
	return s, nil
}

func createBuckets(db *bbolt.DB, names []string) error {
	return db.Update(func(tx *bbolt.Tx) error {
		for _, b := range names {
			if _, err := tx.CreateBucketIfNotExists([]byte(b)); err != nil {
				return err
			}
		}
		return nil
	})
}

// Close closes both files.
func (s *Store) Close() error { return errors.Join(s.db.Close(), s.tdb.Close()) }

// Ping checks that the file can be read.
func (s *Store) Ping(ctx context.Context) error {
	return s.db.View(func(tx *bbolt.Tx) error {
		if tx.Bucket([]byte(bucketUsers)) == nil {
			return errors.New("bolt: buckets missing")
		}
		return nil
	})
}

// DB exposes the bbolt handle to the backend's own tools (export, stats).
func (s *Store) DB() *bbolt.DB { return s.db }

// Buckets, one per kind of record.
const (
	bucketRoles          = "roles"
	bucketConversations  = "conversations"
	bucketUsers          = "users"
	bucketEstablishments = "establishments"
	bucketLeases         = "leases"
	bucketActivities     = "activities"
	bucketActivityTimes  = "activity_times" // index: time||id -> nil, to forget old ids
)

var (
	allBuckets       = slices.Concat([]string{bucketRoles, bucketConversations, bucketUsers, bucketEstablishments, bucketLeases}, fleetBuckets, equipmentBuckets, licenceBuckets)
	transientBuckets = []string{bucketActivities, bucketActivityTimes}
)

// get decodes the record at key in bucket into v; ENOTFOUND when absent.
func get(tx *bbolt.Tx, bucket, key string, v any) error {
	b := tx.Bucket([]byte(bucket)).Get([]byte(key))
	if b == nil {
		return domain.Errorf(domain.ENOTFOUND, "err.not_found")
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("bolt: decode %s/%s: %w", bucket, key, err)
	}
	return nil
}

// getOr is get with the caller's own not-found error (naming the unknown
// terminal, loan...).
func getOr(tx *bbolt.Tx, bucket, key string, v any, notFound error) error {
	if err := get(tx, bucket, key, v); domain.IsNotFound(err) {
		return notFound
	} else {
		return err
	}
}

// put encodes v as JSON at key in bucket.
func put(tx *bbolt.Tx, bucket, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("bolt: encode %s/%s: %w", bucket, key, err)
	}
	return tx.Bucket([]byte(bucket)).Put([]byte(key), b)
}

// view and update run fn in a transaction unless ctx is already done.
func (s *Store) view(ctx context.Context, fn func(tx *bbolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.View(fn)
}

func (s *Store) update(ctx context.Context, fn func(tx *bbolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.Update(fn)
}
