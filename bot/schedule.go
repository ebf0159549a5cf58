package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/anras/parc/domain"
)

// Job is work that runs on a schedule: reminders, the monthly licence
// summary. Run must be idempotent (a job may run again after a replica
// takes over): jobs remember what they already did with Once.
type Job struct {
	Name  string
	Every time.Duration
	Run   func(ctx context.Context, now time.Time) error
}

// Scheduler runs jobs on the replica that holds the "scheduler" lease, so
// that with several replicas of the bot each job runs on one of them.
type Scheduler struct {
	store  domain.Store
	clock  domain.Clock
	log    *slog.Logger
	holder string
	tick   time.Duration
	ttl    time.Duration

	mu      sync.Mutex
	jobs    []Job
	lastRun map[string]time.Time
}

// SchedulerLease is the name of the lease that elects the replica running
// the jobs.
const SchedulerLease = "scheduler"

// NewScheduler returns a scheduler that checks its jobs every tick (one
// minute by default) and holds its lease for three ticks.
func NewScheduler(store domain.Store, clock domain.Clock, log *slog.Logger, tick time.Duration) *Scheduler {
	if tick <= 0 {
		tick = time.Minute
	}
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return &Scheduler{
		store: store, clock: clock, log: log, tick: tick, ttl: 3 * tick,
		holder:  fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b[:])),
		lastRun: map[string]time.Time{},
	}
}

// Add registers a job; call before Run.
func (s *Scheduler) Add(j Job) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jobs = append(s.jobs, j)
}

// Holder names this replica in the lease.
func (s *Scheduler) Holder() string { return s.holder }

// Run checks the jobs every tick until ctx is done, then releases the lease.
func (s *Scheduler) Run(ctx context.Context) {
	t := time.NewTicker(s.tick)
	defer t.Stop()
	for {
		s.Tick(ctx)
		select {
		case <-ctx.Done():
			rctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			_ = s.store.ReleaseLease(rctx, SchedulerLease, s.holder)
			cancel()
			return
		case <-t.C:
		}
	}
}

// Tick takes or renews the lease and, when it holds it, runs the jobs that
// are due. It reports how many jobs ran. A failing job is logged and tried
// again at its next period; it never stops the others.
func (s *Scheduler) Tick(ctx context.Context) int {
	now := s.clock.Now()
	held, err := s.store.AcquireLease(ctx, SchedulerLease, s.holder, now, s.ttl)
	if err != nil {
		s.log.Warn("scheduler lease unavailable", "err", err)
		return 0
	}
	if !held {
		return 0
	}
	s.mu.Lock()
	jobs := append([]Job(nil), s.jobs...)
	s.mu.Unlock()
	ran := 0
	for _, j := range jobs {
		s.mu.Lock()
		last, ok := s.lastRun[j.Name]
		s.mu.Unlock()
		if ok && now.Sub(last) < j.Every {
			continue
		}
		s.mu.Lock()
		s.lastRun[j.Name] = now
		s.mu.Unlock()
		start := time.Now()
		if err := j.Run(ctx, now); err != nil {
			s.log.Error("scheduled job failed", "job", j.Name, "err", err)
		} else {
			s.log.Debug("scheduled job done", "job", j.Name, "ms", time.Since(start).Milliseconds())
		}
		ran++
	}
	return ran
}

// Once reports whether key is new within window and records it: jobs use it
// so that a reminder is sent once even if two replicas or two runs meet it.
func Once(ctx context.Context, store domain.Store, key string, now time.Time, window time.Duration) (bool, error) {
	return store.FirstDelivery(ctx, "once|"+key, now, window)
}

// onceEach keeps the items whose key (see Once) is new within window,
// recording them: a digest reminder lists only what was not reminded yet.
func onceEach[T any](ctx context.Context, store domain.Store, items []T, now time.Time, window time.Duration, key func(T) string) ([]T, error) {
	var fresh []T
	for _, it := range items {
		first, err := Once(ctx, store, key(it), now, window)
		if err != nil {
			return nil, err
		}
		if first {
			fresh = append(fresh, it)
		}
	}
	return fresh, nil
}
