package bot

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
)

// LicenceRunOptions say how to run the summary.
type LicenceRunOptions struct {
	Trigger string // domain.TriggerScheduled, TriggerBot, TriggerCLI
	By      string // who asked (a name), for the report
	// DryRun reads and computes everything and posts and stores nothing.
	DryRun bool
	// Force posts again the establishments already posted this month.
	Force bool
	// Establishment limits the run to one code ("" for all).
	Establishment string
	// Directory replaces the bot's (the CLI's Graph client).
	Directory domain.LicenceDirectory
}

// LicenceRunResult is what a run did: the run as stored, and each
// processed establishment's summary, in code order (failed ones have
// none).
type LicenceRunResult struct {
	Run       domain.LicenceRun
	Summaries []domain.LicenceSummary
}

// runLeaseName serialises runs across replicas and triggers: two runs
// at once would race to post the same summaries.
const runLeaseName = "licence-run"

// licenceRun is a run being carried out.
type licenceRun struct {
	b      *Bot
	opts   LicenceRunOptions
	run    domain.LicenceRun
	dir    domain.LicenceDirectory
	ests   []domain.Establishment
	cat    *domain.LicenceCatalogue
	lang   cards.Lang
	leased bool
}

// RunLicences runs the summary now: reads the directory, computes and
// stores each establishment's summary, posts it to the establishment's
// channel (once a month unless forced), then the report to the IT
// department's channel. A failure on one establishment never stops the
// others. The error is for what stops the whole run: another run in
// progress (ECONFLICT), no directory (EUNAVAILABLE), an unknown
// establishment (ENOTFOUND), the store.
func (b *Bot) RunLicences(ctx context.Context, opts LicenceRunOptions) (LicenceRunResult, error) {
	lr, err := b.beginLicenceRun(ctx, opts)
	if err != nil {
		return LicenceRunResult{}, err
	}
	return lr.execute(ctx)
}

// beginLicenceRun checks what a run needs, takes the run lease and
// stores the run as running: what the admin's button waits for before
// the rest goes on in the background.
func (b *Bot) beginLicenceRun(ctx context.Context, opts LicenceRunOptions) (*licenceRun, error) {
	now := b.clock.Now()
	lr := &licenceRun{b: b, opts: opts, lang: b.language("", "")}
	lr.run = domain.LicenceRun{ID: domain.NewLicenceRunID(now), Month: domain.LicenceMonth(now, b.cfg.Location),
		Trigger: opts.Trigger, By: opts.By, Forced: opts.Force, StartedAt: now, Status: domain.RunRunning}
	var err error
	if lr.dir, _, err = b.licenceDirectory(ctx, opts.Directory); err != nil {
		return nil, err
	}
	if opts.Establishment != "" {
		e, err := b.store.Establishment(ctx, domain.NormalizeEstablishmentCode(opts.Establishment))
		if err != nil {
			return nil, err
		}
		lr.ests = []domain.Establishment{e}
	} else if lr.ests, err = b.store.ListEstablishments(ctx); err != nil {
		return nil, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	products, err := b.store.LicenceProducts(ctx)
	if err != nil {
		return nil, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	prices, err := b.store.LicencePrices(ctx)
	if err != nil {
		return nil, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	lr.cat = domain.NewLicenceCatalogue(products, prices)
	for _, e := range lr.ests {
		lr.run.Establishments = append(lr.run.Establishments, domain.RunEstablishment{Code: e.Code, Name: e.Name})
	}
	if opts.DryRun {
		return lr, nil
	}
	held, err := b.store.AcquireLease(ctx, runLeaseName, lr.run.ID, now, b.lic.cfg.RunTimeout+time.Minute)
	if err != nil {
		return nil, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	if !held {
		return nil, domain.Errorf(domain.ECONFLICT, "err.licence.run_busy")
	}
	lr.leased = true
	if err := b.store.SaveLicenceRun(ctx, lr.run); err != nil {
		lr.release()
		return nil, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	return lr, nil
}

// licenceDirectory is the directory a run reads: the one given, else the
// bot's (Graph), else the stored snapshot (the demo); kind names it.
func (b *Bot) licenceDirectory(ctx context.Context, given domain.LicenceDirectory) (domain.LicenceDirectory, string, error) {
	if given != nil {
		return given, "graph", nil
	}
	if b.lic.dir != nil {
		return b.lic.dir, "graph", nil
	}
	snap, err := b.store.LicenceSnapshot(ctx)
	if err == nil {
		return domain.SnapshotDirectory{Snapshot: snap}, "snapshot", nil
	}
	if !domain.IsNotFound(err) {
		return nil, "", domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	return nil, "", domain.Errorf(domain.EUNAVAILABLE, "err.licence.no_directory")
}

func (lr *licenceRun) release() {
	if !lr.leased {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := lr.b.store.ReleaseLease(ctx, runLeaseName, lr.run.ID); err != nil {
		lr.b.log.Warn("licence run lease not released", "run", lr.run.ID, "err", err)
	}
	lr.leased = false
}

// execute reads, computes, stores and posts; it always stores the run's
// outcome, even when ctx ends midway.
func (lr *licenceRun) execute(ctx context.Context) (LicenceRunResult, error) {
	defer lr.release()
	b := lr.b
	log := b.log.With("run", lr.run.ID)
	log.Info("licence run started", "trigger", lr.opts.Trigger, "establishments", len(lr.ests), "dry_run", lr.opts.DryRun, "force", lr.opts.Force)
	rctx, cancel := context.WithTimeout(ctx, b.lic.cfg.RunTimeout)
	defer cancel()

	got := domain.CollectLicences(rctx, lr.dir, lr.ests, b.lic.cfg.Concurrency)
	parts := map[string]string{}
	for _, s := range got.Skus {
		parts[s.SkuID] = s.PartNumber
	}
	for _, s := range got.Skus {
		lr.run.Skus = append(lr.run.Skus, domain.RunSku{SkuInfo: lr.cat.Resolve(s.SkuID, s.PartNumber), Enabled: s.Enabled, Consumed: s.Consumed})
	}
	if got.SkusErr != nil {
		log.Warn("subscribed SKUs unavailable", "err", got.SkusErr)
		lr.run.Error = lr.lang.T("licence.report.skus_error", reportErrorText(got.SkusErr))
	}
	var result LicenceRunResult
	posted := 0
	for i, c := range got.Establishments {
		re := &lr.run.Establishments[i]
		re.DurationMS = c.Duration.Milliseconds()
		if c.Err != nil {
			re.Error = reportErrorText(c.Err)
			log.Warn("establishment not processed", "establishment", re.Code, "err", c.Err)
			continue
		}
		re.Found, re.Processed = c.Found, c.Processed
		summary, err := lr.summarize(rctx, c, parts)
		if err != nil {
			re.Error = reportErrorText(err)
			log.Error("establishment summary failed", "establishment", re.Code, "err", err)
			continue
		}
		re.Total = summary.Total
		result.Summaries = append(result.Summaries, summary)
		if lr.opts.DryRun {
			re.Skipped = domain.SkipDryRun
			continue
		}
		if c.Establishment.ChannelID == "" {
			re.Skipped = domain.SkipNoChannel
			continue
		}
		if posted > 0 && b.lic.cfg.PostInterval > 0 {
			if err := sleepCtx(rctx, b.lic.cfg.PostInterval); err != nil {
				re.PostError = reportErrorText(err)
				continue
			}
		}
		lr.post(rctx, c.Establishment, summary, re)
		if re.Posted != "" {
			posted++
		}
	}
	lr.run.FinishedAt = b.clock.Now()
	lr.run.Status = domain.RunDone
	if !lr.opts.DryRun {
		lr.postReport(rctx)
		sctx, scancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer scancel()
		if err := b.store.SaveLicenceRun(sctx, lr.run); err != nil {
			log.Error("licence run not stored", "err", err)
			return LicenceRunResult{Run: lr.run, Summaries: result.Summaries}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
		}
	}
	found, processed, failed, total, _ := lr.run.Totals()
	log.Info("licence run done", "found", found, "processed", processed, "failed", failed, "total_cents", int64(total), "posted", posted,
		"ms", lr.run.FinishedAt.Sub(lr.run.StartedAt).Milliseconds())
	result.Run = lr.run
	return result, nil
}

// summarize turns one establishment's accounts into its stored report and
// its summary, compared with its previous report.
func (lr *licenceRun) summarize(ctx context.Context, c domain.CollectedEstablishment, parts map[string]string) (domain.LicenceSummary, error) {
	report := domain.LicenceReport{RunID: lr.run.ID, Code: c.Establishment.Code, Name: c.Establishment.Name, GeneratedAt: lr.b.clock.Now(), Accounts: c.Accounts}
	seen := map[string]bool{}
	for _, a := range c.Accounts {
		for _, id := range a.SkuIDs {
			if !seen[id] {
				seen[id] = true
				report.Skus = append(report.Skus, lr.cat.Resolve(id, parts[id]))
			}
		}
	}
	slices.SortFunc(report.Skus, func(a, b domain.SkuInfo) int { return strings.Compare(a.SkuID, b.SkuID) })
	var prev *domain.LicenceReport
	p, err := lr.b.store.PreviousLicenceReport(ctx, report.Code, report.RunID)
	switch {
	case err == nil:
		prev = &p
	case !domain.IsNotFound(err):
		return domain.LicenceSummary{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	if !lr.opts.DryRun {
		if err := lr.b.store.SaveLicenceReport(ctx, report); err != nil {
			return domain.LicenceSummary{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
		}
	}
	return domain.SummarizeLicences(report, lr.cat, prev), nil
}

// post claims the month's post of the establishment and posts its card,
// trying again on failure; a post that fails in the end releases the
// claim, so that the next run tries again.
func (lr *licenceRun) post(ctx context.Context, e domain.Establishment, s domain.LicenceSummary, re *domain.RunEstablishment) {
	b := lr.b
	claim := domain.LicencePosting{Month: lr.run.Month, Code: e.Code, RunID: lr.run.ID, PostedAt: b.clock.Now()}
	ok, err := b.store.ClaimLicencePosting(ctx, claim, lr.opts.Force)
	if err != nil {
		re.PostError = reportErrorText(err)
		return
	}
	if !ok {
		re.Skipped = domain.SkipAlreadyPosted
		return
	}
	card := cards.LicenceSummaryCard(lr.lang, s, lr.run.Month, b.cfg.Location, b.licenceLinks(s, lr.lang, b.lic.cfg.LinkTTL))
	id, err := b.postWithRetry(ctx, e.ChannelID, card)
	if err != nil {
		re.PostError = reportErrorText(err)
		b.log.Warn("licence summary not posted", "run", lr.run.ID, "establishment", e.Code, "err", err)
		rctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = b.store.ReleaseLicencePosting(rctx, claim.Month, claim.Code, claim.RunID)
		return
	}
	re.Posted = nonEmpty(id, "posted")
}

// postReport posts the run report to the IT department's channel.
func (lr *licenceRun) postReport(ctx context.Context) {
	b := lr.b
	st, err := b.store.LicenceSettings(ctx)
	if err != nil {
		lr.run.ReportError = reportErrorText(err)
		return
	}
	if st.ITChannelID == "" {
		lr.run.ReportError = lr.lang.T("licence.post.no_channel")
		return
	}
	card := cards.LicenceReportCard(lr.lang, lr.run, b.cfg.Location, false)
	id, err := b.postWithRetry(ctx, st.ITChannelID, card)
	if err != nil {
		lr.run.ReportError = reportErrorText(err)
		b.log.Warn("licence run report not posted", "run", lr.run.ID, "err", err)
		return
	}
	lr.run.ReportPost = nonEmpty(id, "posted")
}

// postWithRetry posts card in a channel, trying PostAttempts times: after
// a throttled answer it waits what Retry-After said, else PostRetryDelay
// times the attempt. A conversation Parc does not know is not retried.
func (b *Bot) postWithRetry(ctx context.Context, conversationID string, card cards.Card) (string, error) {
	var err error
	for attempt := 1; attempt <= b.lic.cfg.PostAttempts; attempt++ {
		var id string
		if id, err = b.notify.Post(ctx, conversationID, card); err == nil {
			return id, nil
		}
		if domain.IsNotFound(err) || ctx.Err() != nil || attempt == b.lic.cfg.PostAttempts {
			break
		}
		wait := time.Duration(attempt) * b.lic.cfg.PostRetryDelay
		if ra := retryAfterOf(err); ra > 0 {
			wait = ra
		}
		b.log.Warn("channel post failed, trying again", "conversation", conversationID, "attempt", attempt, "wait_ms", wait.Milliseconds(), "err", err)
		if serr := sleepCtx(ctx, wait); serr != nil {
			break
		}
	}
	return "", err
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// reportErrorText is what the report says of an error: the catalogue's French
// message of a domain error the user can act on, else the cause's first
// line (HTTP status, Graph's message) for IT.
func reportErrorText(err error) string {
	if err == nil {
		return ""
	}
	l := cards.FR
	if e := domain.AsError(err); e != nil && cards.Has(e.Key) {
		switch e.Code {
		case domain.ENOTFOUND, domain.EINVALID, domain.ECONFLICT, domain.EFORBIDDEN:
			return l.T(e.Key, e.Args...)
		}
		if e.Err == nil {
			return l.T(e.Key, e.Args...)
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return l.T("err.licence.timeout")
		}
		if e.Code == domain.EUNAVAILABLE {
			return l.T("err.licence.directory", firstLine(e.Err.Error()))
		}
		return l.T("licence.error.cause", l.T(e.Key, e.Args...), firstLine(e.Err.Error()))
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return l.T("err.licence.timeout")
	}
	return firstLine(err.Error())
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > 300 {
		s = string(r[:300]) + "…"
	}
	return s
}
