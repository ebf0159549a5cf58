package domain

import (
	"context"
	"time"
)

// LeaseRepository hands out named, expiring leases. With several replicas
// of the bot, the one holding the scheduler's lease runs the scheduled jobs
// (reminders, the monthly licence summary); the others wait.
//
// AcquireLease takes the lease name for holder until now+ttl when it is
// free, expired, or already held by holder (a renewal), and reports whether
// holder holds it afterwards. It is atomic: of concurrent callers at most
// one holds a lease at a time. ReleaseLease gives it up early; releasing a
// lease held by someone else does nothing.
type LeaseRepository interface {
	AcquireLease(ctx context.Context, name, holder string, now time.Time, ttl time.Duration) (bool, error)
	ReleaseLease(ctx context.Context, name, holder string) error
}

// Lease is a stored lease.
type Lease struct {
	Name    string    `json:"name"`
	Holder  string    `json:"holder"`
	Expires time.Time `json:"expires"`
}

// Validate checks the lease's rules.
func (l Lease) Validate() error {
	if l.Name == "" || l.Holder == "" {
		return Errorf(EINVALID, "err.invalid")
	}
	return nil
}
