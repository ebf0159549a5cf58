package domain

import (
	"crypto/rand"
	"encoding/hex"
	"regexp"
	"strings"
	"time"
)

// LicenceSettings are the licence feature's stored settings: the IT
// department's channel, bound by an admin typing "lier rapport" in it
// (its conversation reference is in the ConversationRepository).
type LicenceSettings struct {
	ITChannelID string    `json:"itChannelId,omitempty"`
	UpdatedAt   time.Time `json:"updatedAt"`
	UpdatedBy   string    `json:"updatedBy,omitempty"`
}

// Validate checks the settings' rules (none beyond the JSON shape).
func (LicenceSettings) Validate() error { return nil }

// How a run was started.
const (
	TriggerScheduled = "scheduled"
	TriggerBot       = "bot"
	TriggerCLI       = "cli"
)

// Run and establishment outcomes.
const (
	RunRunning = "running"
	RunDone    = "done"
	RunFailed  = "failed" // nothing could be done (the directory never answered)
)

// LicenceRun is one run of the summary: when, who asked, and what
// happened to each establishment. Its id sorts by start time.
type LicenceRun struct {
	ID         string    `json:"id"`
	Month      string    `json:"month"` // "2026-11", in the organisation's time zone
	Trigger    string    `json:"trigger"`
	By         string    `json:"by,omitempty"`
	Forced     bool      `json:"forced,omitempty"`
	StartedAt  time.Time `json:"startedAt"`
	FinishedAt time.Time `json:"finishedAt,omitzero"`
	Status     string    `json:"status"`
	Error      string    `json:"error,omitempty"`
	// Establishments lists every establishment of the run, in code order.
	Establishments []RunEstablishment `json:"establishments"`
	// Skus are the tenant's subscriptions at the time of the run, with
	// the seats bought and assigned (the IT report's unassigned seats).
	Skus []RunSku `json:"skus,omitempty"`
	// ReportPost is the IT report's activity id; ReportError why it could
	// not be posted.
	ReportPost  string `json:"reportPost,omitempty"`
	ReportError string `json:"reportError,omitempty"`
}

// RunSku is one subscription in a run's IT report.
type RunSku struct {
	SkuInfo
	Enabled  int `json:"enabled"`
	Consumed int `json:"consumed"`
}

// RunEstablishment is what one run did for one establishment: accounts
// found and processed, time spent, cost, the post, or the error that
// stopped it ("ERREUR" in the report).
type RunEstablishment struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	Found     int    `json:"found"`
	Processed int    `json:"processed"`
	// DurationMS is the time spent reading the directory and computing.
	DurationMS int64 `json:"durationMs"`
	Total      Money `json:"total"`
	// Error is the reason the establishment could not be processed; the
	// report shows ERREUR with it.
	Error string `json:"error,omitempty"`
	// Posted is the summary's activity id in the channel; Skipped says
	// why it was not posted (already posted this month, no channel bound,
	// dry run); PostError why posting failed after the retries.
	Posted    string `json:"posted,omitempty"`
	Skipped   string `json:"skipped,omitempty"`
	PostError string `json:"postError,omitempty"`
}

// Reasons an establishment's summary was not posted.
const (
	SkipNoChannel     = "no_channel"
	SkipAlreadyPosted = "already_posted"
	SkipDryRun        = "dry_run"
)

// Duration returns the time spent on the establishment.
func (e RunEstablishment) Duration() time.Duration {
	return time.Duration(e.DurationMS) * time.Millisecond
}

var runIDRe = regexp.MustCompile(`^\d{8}T\d{6}Z-[0-9a-f]{6}$`)

// NewLicenceRunID returns an id that sorts by start time:
// "20261128T090000Z-3fa2c1".
func NewLicenceRunID(start time.Time) string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return start.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}

// IsLicenceRunID reports whether s is a run id.
func IsLicenceRunID(s string) bool { return runIDRe.MatchString(s) }

var monthRe = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])$`)

// LicenceMonth is the month a run at t belongs to, in loc ("2026-11").
func LicenceMonth(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01") }

// Validate checks the run's rules.
func (r LicenceRun) Validate() error {
	if !IsLicenceRunID(r.ID) {
		return Errorf(EINVALID, "err.licence.run_id", r.ID)
	}
	if !monthRe.MatchString(r.Month) {
		return Errorf(EINVALID, "err.licence.month", r.Month)
	}
	return nil
}

// Totals adds up the run's establishments.
func (r LicenceRun) Totals() (found, processed, failed int, total Money, d time.Duration) {
	for _, e := range r.Establishments {
		found += e.Found
		processed += e.Processed
		total += e.Total
		d += e.Duration()
		if e.Error != "" {
			failed++
		}
	}
	return
}

// LicencePosting records that a run posted (or is posting) the summary of
// an establishment for a month: a month is posted once unless forced.
type LicencePosting struct {
	Month    string    `json:"month"`
	Code     string    `json:"code"`
	RunID    string    `json:"runId"`
	PostedAt time.Time `json:"postedAt"`
}

// Validate checks the posting's rules.
func (p LicencePosting) Validate() error {
	if !monthRe.MatchString(p.Month) {
		return Errorf(EINVALID, "err.licence.month", p.Month)
	}
	if err := (Establishment{Code: p.Code, Name: "x"}).Validate(); err != nil {
		return err
	}
	if !IsLicenceRunID(p.RunID) {
		return Errorf(EINVALID, "err.licence.run_id", p.RunID)
	}
	return nil
}

// LicenceReport is what the directory said about one establishment in one
// run: its accounts with their SKUs, and how each SKU was named and
// priced then (prices change; a past summary must not). Summaries and
// comparisons are computed from it.
type LicenceReport struct {
	RunID       string            `json:"runId"`
	Code        string            `json:"code"`
	Name        string            `json:"name"`
	GeneratedAt time.Time         `json:"generatedAt"`
	Accounts    []LicensedAccount `json:"accounts"`
	Skus        []SkuInfo         `json:"skus"`
	// Parts is set by the stores that keep the accounts in parts.
	Parts int `json:"parts,omitempty"`
}

// Validate checks the report's rules.
func (r LicenceReport) Validate() error {
	if !IsLicenceRunID(r.RunID) {
		return Errorf(EINVALID, "err.licence.run_id", r.RunID)
	}
	return Establishment{Code: r.Code, Name: nonBlank(r.Name, r.Code)}.Validate()
}

// LicenceReportPart is a slice of a report's accounts, for the stores that
// bound a record's size (a Cosmos DB document is at most 2 MB).
type LicenceReportPart struct {
	RunID    string            `json:"runId"`
	Code     string            `json:"code"`
	Index    int               `json:"index"`
	Accounts []LicensedAccount `json:"accounts"`
}

// Validate checks the part's rules.
func (p LicenceReportPart) Validate() error {
	if !IsLicenceRunID(p.RunID) || p.Index < 0 {
		return Errorf(EINVALID, "err.licence.run_id", p.RunID)
	}
	return Establishment{Code: p.Code, Name: p.Code}.Validate()
}

// ReportPartSize is how many accounts a part holds: about 300 KB of JSON.
const ReportPartSize = 1000

// SplitLicenceReport returns the report without its accounts (Parts set)
// and its accounts in parts of at most size.
func SplitLicenceReport(r LicenceReport, size int) (LicenceReport, []LicenceReportPart) {
	var parts []LicenceReportPart
	for i := 0; i < len(r.Accounts); i += size {
		parts = append(parts, LicenceReportPart{RunID: r.RunID, Code: r.Code, Index: len(parts), Accounts: r.Accounts[i:min(i+size, len(r.Accounts))]})
	}
	head := r
	head.Accounts, head.Parts = nil, len(parts)
	return head, parts
}

// JoinLicenceReport puts the parts back into the report; a missing part
// is an error (a report half written).
func JoinLicenceReport(head LicenceReport, parts []LicenceReportPart) (LicenceReport, error) {
	if len(parts) != head.Parts {
		return head, Errorf(EINTERNAL, "err.licence.report_incomplete", head.Code, head.RunID)
	}
	out := head
	out.Accounts = nil
	for i, p := range parts {
		if p.Index != i {
			return head, Errorf(EINTERNAL, "err.licence.report_incomplete", head.Code, head.RunID)
		}
		out.Accounts = append(out.Accounts, p.Accounts...)
	}
	out.Parts = 0
	return out, nil
}

func nonBlank(s, fallback string) string {
	if strings.TrimSpace(s) == "" {
		return fallback
	}
	return s
}
