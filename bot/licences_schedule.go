package bot

import (
	"context"
	"time"

	"github.com/anras/parc/domain"
)

// The monthly run: on the configured day and hour of each month (in the
// bot's time zone), once. The scheduler's lease makes one replica run the
// job; the run lease and the posting claims make a second run post
// nothing twice even so.

// scheduledAt is the instant of month's run: day Day at Hour in loc. An
// hour that does not exist (the spring change) is the first instant
// after it; an hour that happens twice (the autumn change), the second
// (Go's time.Date gives the later offset).
func scheduledAt(year int, month time.Month, cfg LicenceConfig, loc *time.Location) time.Time {
	return time.Date(year, month, cfg.Day, cfg.Hour, 0, 0, 0, loc)
}

// retryFailedAfter: a scheduled run that failed as a whole (no
// directory) is tried again after this.
const retryFailedAfter = time.Hour

// licenceJob runs the month's summary once it is due and no scheduled run
// of the month is done.
func (b *Bot) licenceJob(ctx context.Context, now time.Time) error {
	loc := b.cfg.Location
	local := now.In(loc)
	due := scheduledAt(local.Year(), local.Month(), b.lic.cfg, loc)
	if now.Before(due) {
		return nil
	}
	month := domain.LicenceMonth(now, loc)
	runs, err := b.store.ListLicenceRuns(ctx, 50)
	if err != nil {
		return err
	}
	for _, r := range runs {
		if r.Month != month || r.Trigger != domain.TriggerScheduled {
			continue
		}
		switch {
		case r.Status == domain.RunDone:
			return nil
		case r.Status == domain.RunRunning && now.Sub(r.StartedAt) < b.lic.cfg.RunTimeout+time.Minute:
			return nil
		case r.Status == domain.RunFailed && now.Sub(r.StartedAt) < retryFailedAfter:
			return nil
		}
	}
	if _, _, err := b.licenceDirectory(ctx, nil); err != nil {
		// No Graph and no snapshot: nothing to run. Say it once a month.
		b.lic.mu.Lock()
		first := b.lic.warned != month
		b.lic.warned = month
		b.lic.mu.Unlock()
		if first {
			b.log.Warn("monthly licence summary skipped", "month", month, "reason", reportErrorText(err))
		}
		return nil
	}
	_, err = b.RunLicences(ctx, LicenceRunOptions{Trigger: domain.TriggerScheduled})
	if err != nil {
		if domain.IsConflict(err) {
			return nil // a run from Teams or the CLI is in progress: next tick
		}
		b.recordFailedRun(ctx, now, month, err)
	}
	return err
}

// recordFailedRun stores a scheduled run that could not start, so that
// the history says why and the job waits before trying again.
func (b *Bot) recordFailedRun(ctx context.Context, now time.Time, month string, cause error) {
	r := domain.LicenceRun{ID: domain.NewLicenceRunID(now), Month: month, Trigger: domain.TriggerScheduled, StartedAt: now, FinishedAt: now,
		Status: domain.RunFailed, Error: reportErrorText(cause)}
	if err := b.store.SaveLicenceRun(ctx, r); err != nil {
		b.log.Error("failed licence run not stored", "err", err)
	}
}

// nextLicenceRun is when the job will run next: this month's instant if
// it is to come or not done yet, else next month's.
func (b *Bot) nextLicenceRun(ctx context.Context, now time.Time) time.Time {
	loc := b.cfg.Location
	local := now.In(loc)
	this := scheduledAt(local.Year(), local.Month(), b.lic.cfg, loc)
	if now.Before(this) {
		return this
	}
	month := domain.LicenceMonth(now, loc)
	if runs, err := b.store.ListLicenceRuns(ctx, 50); err == nil {
		for _, r := range runs {
			if r.Month == month && r.Trigger == domain.TriggerScheduled && r.Status == domain.RunDone {
				return scheduledAt(local.Year(), local.Month()+1, b.lic.cfg, loc)
			}
		}
	}
	return now
}
