package domain

import (
	"context"
	"time"
)

// The monthly licence summary replaces a Power Automate flow: for each
// establishment, every member of its staff groups with their Microsoft 365
// licences and what they cost, posted to the establishment's correspondents
// channel, then a run report to the IT department's channel.
//
// What is data here: the catalogue of products (SKU id and part number to
// commercial name and service plans, from Microsoft's CSV), the prices
// (editable by admins), the IT channel binding (LicenceSettings), the runs
// and, per run and establishment, the directory's answer (LicenceReport),
// kept for the history and for the next run's "changes since".

// Record kinds of the licence feature.
const (
	KindLicenceProduct    = "licence_product"
	KindLicencePrice      = "licence_price"
	KindLicenceSettings   = "licence_settings"
	KindLicenceRun        = "licence_run"
	KindLicencePosting    = "licence_posting"
	KindLicenceReport     = "licence_report"
	KindLicenceReportPart = "licence_report_part"
	KindLicenceSnapshot   = "licence_snapshot"
)

// LicenceStore holds the licence catalogue, prices and runs.
//
// Error contract: LicenceRun, LicenceReport and LicenceSnapshot return
// ENOTFOUND when absent; PreviousLicenceReport returns ENOTFOUND when the
// establishment has no report before that run. DeleteLicencePrice returns
// ENOTFOUND for a SKU without a price. Lists come back sorted: products by
// SKU id, prices by SKU id, runs newest first.
type LicenceStore interface {
	// PutLicenceProducts creates or replaces catalogue entries by SKU id.
	PutLicenceProducts(ctx context.Context, ps []LicenceProduct) error
	LicenceProducts(ctx context.Context) ([]LicenceProduct, error)

	// SetLicencePrice creates or replaces the price of a SKU.
	SetLicencePrice(ctx context.Context, p LicencePrice) error
	DeleteLicencePrice(ctx context.Context, skuID string) error
	LicencePrices(ctx context.Context) ([]LicencePrice, error)

	// LicenceSettings returns the feature's settings (the zero value when
	// never set). UpdateLicenceSettings applies fn atomically.
	LicenceSettings(ctx context.Context) (LicenceSettings, error)
	UpdateLicenceSettings(ctx context.Context, fn func(*LicenceSettings) error) (LicenceSettings, error)

	// SaveLicenceRun creates or replaces a run by id.
	SaveLicenceRun(ctx context.Context, r LicenceRun) error
	LicenceRun(ctx context.Context, id string) (LicenceRun, error)
	// ListLicenceRuns returns at most limit runs (0: all), newest first.
	ListLicenceRuns(ctx context.Context, limit int) ([]LicenceRun, error)

	// ClaimLicencePosting records that p.RunID posts the summary of
	// p.Code for p.Month and reports whether it may: false when another
	// run already claimed that month and establishment. It is atomic: of
	// concurrent claims exactly one wins. With force, the claim replaces
	// any other. ReleaseLicencePosting removes the claim if runID holds
	// it (a post that failed, so that the next run tries again).
	ClaimLicencePosting(ctx context.Context, p LicencePosting, force bool) (bool, error)
	ReleaseLicencePosting(ctx context.Context, month, code, runID string) error
	LicencePostings(ctx context.Context, month string) ([]LicencePosting, error)

	// SaveLicenceReport stores what the directory said for one
	// establishment in one run, whatever its size (a backend may store it
	// in parts); LicenceReport reads it back whole.
	SaveLicenceReport(ctx context.Context, r LicenceReport) error
	LicenceReport(ctx context.Context, runID, code string) (LicenceReport, error)
	// PreviousLicenceReport is the establishment's latest report of a run
	// before runID (run ids sort by time).
	PreviousLicenceReport(ctx context.Context, code, runID string) (LicenceReport, error)

	// SaveLicenceSnapshot replaces the stored directory snapshot (the
	// demo's tenant, or a copy taken from Graph to try things offline).
	SaveLicenceSnapshot(ctx context.Context, s LicenceSnapshot) error
	LicenceSnapshot(ctx context.Context) (LicenceSnapshot, error)
}

// LicenceDirectory is what the summary asks the directory (Microsoft
// Graph in production, a stored snapshot in the demo).
//
// SubscribedSkus lists the tenant's subscriptions (one Graph call).
// GroupMembers returns every user of the group, directly or through nested
// groups, with their licences (pages of 999, no call per user); it
// returns ENOTFOUND for an unknown group and EUNAVAILABLE when the
// directory cannot be reached.
type LicenceDirectory interface {
	SubscribedSkus(ctx context.Context) ([]SubscribedSku, error)
	GroupMembers(ctx context.Context, groupID string) ([]LicensedAccount, error)
}

// SubscribedSku is one of the tenant's subscriptions: seats bought
// (prepaidUnits.enabled) and assigned (consumedUnits).
type SubscribedSku struct {
	SkuID      string `json:"skuId"`
	PartNumber string `json:"skuPartNumber"`
	Enabled    int    `json:"enabled"`
	Consumed   int    `json:"consumed"`
	// AppliesTo is "User" or "Company".
	AppliesTo string `json:"appliesTo,omitempty"`
}

// Unassigned is the number of seats bought but not assigned.
func (s SubscribedSku) Unassigned() int { return max(s.Enabled-s.Consumed, 0) }

// LicensedAccount is a user account with its licences, as the directory
// lists a group's members.
type LicensedAccount struct {
	ID          string   `json:"id"`
	DisplayName string   `json:"displayName,omitempty"`
	GivenName   string   `json:"givenName,omitempty"`
	Surname     string   `json:"surname,omitempty"`
	Mail        string   `json:"mail,omitempty"`
	UPN         string   `json:"upn,omitempty"`
	JobTitle    string   `json:"jobTitle,omitempty"`
	Enabled     bool     `json:"enabled"`
	SkuIDs      []string `json:"skuIds,omitempty"`
}

// Email is the account's mail, else its user principal name.
func (a LicensedAccount) Email() string {
	if a.Mail != "" {
		return a.Mail
	}
	return a.UPN
}

// LicenceSnapshot is a directory frozen in time: subscriptions and each
// group's members. The demo serves it instead of Graph.
type LicenceSnapshot struct {
	TakenAt time.Time                    `json:"takenAt"`
	Skus    []SubscribedSku              `json:"skus"`
	Groups  map[string][]LicensedAccount `json:"groups"`
}

// Validate checks the snapshot's rules.
func (s LicenceSnapshot) Validate() error {
	for _, sku := range s.Skus {
		if !isGUID(sku.SkuID) {
			return Errorf(EINVALID, "err.licence.sku", sku.SkuID)
		}
	}
	return nil
}

// SnapshotDirectory serves a LicenceSnapshot as a LicenceDirectory.
type SnapshotDirectory struct{ Snapshot LicenceSnapshot }

// SubscribedSkus returns the snapshot's subscriptions.
func (d SnapshotDirectory) SubscribedSkus(ctx context.Context) ([]SubscribedSku, error) {
	return append([]SubscribedSku(nil), d.Snapshot.Skus...), ctx.Err()
}

// GroupMembers returns the snapshot's members of groupID; ENOTFOUND for a
// group it does not have.
func (d SnapshotDirectory) GroupMembers(ctx context.Context, groupID string) ([]LicensedAccount, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for id, members := range d.Snapshot.Groups {
		if equalFoldASCII(id, groupID) {
			return append([]LicensedAccount(nil), members...), nil
		}
	}
	return nil, Errorf(ENOTFOUND, "err.licence.group_unknown", groupID)
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
