package bot_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anras/parc/bot"
	"github.com/anras/parc/domain"
)

// TestOneReplicaRunsTheJobs: two schedulers (two replicas) share a store;
// only the lease holder runs the jobs, and the other takes over when the
// holder stops renewing.
func TestOneReplicaRunsTheJobs(t *testing.T) {
	st := testStore(t)
	clock := domain.NewManualClock(time.Date(2026, 10, 25, 0, 0, 0, 0, time.UTC))
	log := testLogger()
	var runsA, runsB atomic.Int64
	a := bot.NewScheduler(st, clock, log, time.Minute)
	b := bot.NewScheduler(st, clock, log, time.Minute)
	a.Add(bot.Job{Name: "reminders", Every: time.Minute, Run: func(context.Context, time.Time) error { runsA.Add(1); return nil }})
	b.Add(bot.Job{Name: "reminders", Every: time.Minute, Run: func(context.Context, time.Time) error { runsB.Add(1); return nil }})
	for range 5 {
		a.Tick(context.Background())
		b.Tick(context.Background())
		clock.Advance(time.Minute)
	}
	if runsA.Load() != 5 || runsB.Load() != 0 {
		t.Fatalf("runs: a=%d b=%d, want 5 and 0", runsA.Load(), runsB.Load())
	}
	// a stops; once its lease expires (three ticks), b takes over.
	for range 4 {
		b.Tick(context.Background())
		clock.Advance(time.Minute)
	}
	if runsB.Load() == 0 || runsA.Load() != 5 {
		t.Fatalf("after a stopped: a=%d b=%d", runsA.Load(), runsB.Load())
	}
}

func TestOnce(t *testing.T) {
	st := testStore(t)
	now := time.Now()
	if ok, _ := bot.Once(context.Background(), st, "reminder|r1", now, 24*time.Hour); !ok {
		t.Fatal("first time not new")
	}
	if ok, _ := bot.Once(context.Background(), st, "reminder|r1", now.Add(time.Hour), 24*time.Hour); ok {
		t.Fatal("second time new")
	}
}
