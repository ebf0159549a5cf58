package domain

import (
	"context"
	"time"
)

// Record kinds of the IT equipment feature.
const (
	KindTerminalType    = "terminal_type"
	KindTerminal        = "terminal"
	KindTerminalCounter = "terminal_counter"
	KindTerminalChange  = "terminal_change"
	KindLoan            = "loan"
)

// EquipmentStore holds the IT terminals, their history and their loans.
//
// Errors: Terminal, UpdateTerminal and TerminalHistory return ENOTFOUND
// (err.terminal.unknown) for an unknown id; Loan, UpdateLoan and CloseLoan
// ENOTFOUND (err.loan.unknown) for an unknown loan. Every write validates
// what it stores (EINVALID) and changes nothing when it fails.
//
// Atomicity: every write that changes a terminal appends its history entry
// (TerminalChange, Seq = the new Version) in the same transaction. OpenLoan
// checks the terminal, creates the loan and sets the terminal to lent in
// one transaction: of two concurrent OpenLoan on one terminal exactly one
// succeeds, the other gets ECONFLICT (err.loan.already_open). CloseLoan
// closes the loan and puts the terminal back in one transaction; closing a
// closed loan is ECONFLICT (err.loan.closed).
type EquipmentStore interface {
	// TerminalTypes lists the type table by code (empty in a new store:
	// the bot fills it with DefaultTerminalTypes on first use).
	TerminalTypes(ctx context.Context) ([]TerminalType, error)
	// SaveTerminalType creates or replaces a type.
	SaveTerminalType(ctx context.Context, tt TerminalType) error

	// CreateTerminal stores a new terminal with the id it has (ECONFLICT
	// err.terminal.exists if taken) and raises its series' counter to its
	// number. RegisterTerminal gives t (ID empty; Establishment and Type
	// set) the next free number of its series and stores it. Both set
	// Version 1 and record a "created" change.
	CreateTerminal(ctx context.Context, t Terminal, by PersonRef, at time.Time) (Terminal, error)
	RegisterTerminal(ctx context.Context, t Terminal, by PersonRef, at time.Time) (Terminal, error)
	Terminal(ctx context.Context, id string) (Terminal, error)
	// UpdateTerminal applies u to the terminal as stored, in the write's
	// transaction, with TerminalUpdate.Apply's rules (a lent terminal
	// keeps its status: ECONFLICT; "assigned" goes with its person:
	// EINVALID); an update that changes nothing writes nothing (no
	// version, no history).
	UpdateTerminal(ctx context.Context, id string, u TerminalUpdate, by PersonRef, at time.Time) (Terminal, error)
	// SearchTerminals returns the terminals matching f in id order (by
	// establishment, type and number), from f.Offset, at most f.Limit,
	// and how many match in all.
	SearchTerminals(ctx context.Context, f TerminalFilter) (TerminalPage, error)
	// TerminalHistory returns the terminal's changes, newest first, at
	// most limit (0: all).
	TerminalHistory(ctx context.Context, id string, limit int) ([]TerminalChange, error)
	// ImportTerminals creates the terminals that do not exist and applies
	// the facts of those that do, recording an "imported" change for each
	// terminal that changed; it reports how many were created and changed.
	// Importing the same facts twice changes nothing. Each terminal is
	// written atomically with its history; a failure stops the import
	// and leaves the terminals already written (re-run it: it resumes).
	ImportTerminals(ctx context.Context, facts []TerminalFacts, by PersonRef, at time.Time) (created, changed int, err error)

	OpenLoan(ctx context.Context, r LoanRequest, at time.Time) (Loan, Terminal, error)
	Loan(ctx context.Context, id string) (Loan, error)
	// UpdateLoan applies fn to an open or closed loan (acknowledgement,
	// documents); fn may not open or close it.
	UpdateLoan(ctx context.Context, id string, fn func(*Loan) error) (Loan, error)
	CloseLoan(ctx context.Context, id string, r LoanReturn) (Loan, Terminal, error)
	// ListLoans returns the loans matching f, the newest first.
	ListLoans(ctx context.Context, f LoanFilter) ([]Loan, error)

	// Pending imports: a spreadsheet sent in Teams waits here between its
	// dry run and the click on "Appliquer". They are not exported.
	SavePendingImport(ctx context.Context, p PendingImport) error
	PendingImport(ctx context.Context, id string) (PendingImport, error)
	DeletePendingImport(ctx context.Context, id string) error
}

// LoanFilter selects loans; empty fields select everything.
type LoanFilter struct {
	OpenOnly      bool
	BorrowerID    string
	TerminalID    string
	Establishment string
}

// Match reports whether l matches the filter.
func (f LoanFilter) Match(l Loan) bool {
	return (!f.OpenOnly || l.Open) && (f.BorrowerID == "" || l.Borrower.ID == f.BorrowerID) &&
		(f.TerminalID == "" || l.TerminalID == f.TerminalID) && (f.Establishment == "" || l.Establishment == f.Establishment)
}

// TerminalCounter is the last number given in a series ("DITEP-STF-P"):
// the next terminal registered in it gets a higher one.
type TerminalCounter struct {
	Series string `json:"series"`
	Last   int    `json:"last"`
}

// Validate checks the counter's rules.
func (c TerminalCounter) Validate() error {
	id, err := ParseTerminalID(c.Series + "001")
	if err != nil || id.Series() != c.Series || c.Last < 0 || c.Last > MaxTerminalNum {
		return Errorf(EINVALID, "err.invalid")
	}
	return nil
}

// PendingImport is a spreadsheet waiting for its import to be applied.
type PendingImport struct {
	ID       string    `json:"id"`
	UserID   string    `json:"userId"`
	FileName string    `json:"fileName"`
	Content  []byte    `json:"content"`
	Created  time.Time `json:"created"`
}

// MaxImportFileBytes bounds a spreadsheet's size (a 10,000-row inventory
// is about 400 KB as xlsx).
const MaxImportFileBytes = 1 << 20

// Validate checks the pending import's rules.
func (p PendingImport) Validate() error {
	if !ValidPendingImportID(p.ID) || p.UserID == "" || len(p.Content) == 0 || len(p.Content) > MaxImportFileBytes {
		return Errorf(EINVALID, "err.import.pending")
	}
	return nil
}

// ValidPendingImportID reports whether id can name a pending import: 8 to
// 40 lower-case letters and digits.
func ValidPendingImportID(id string) bool {
	if len(id) < 8 || len(id) > 40 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// TerminalFacts are the facts an inventory spreadsheet gives about a
// terminal; an import sets them and nothing else (status, loans and
// documents are Parc's own).
type TerminalFacts struct {
	ID     string `json:"id"`
	Owner  string `json:"owner,omitempty"`
	Make   string `json:"make,omitempty"`
	Model  string `json:"model,omitempty"`
	Specs  string `json:"specs,omitempty"`
	CPU    string `json:"cpu,omitempty"`
	RAM    string `json:"ram,omitempty"`
	OS     string `json:"os,omitempty"`
	Serial string `json:"serial,omitempty"` // empty: left as it is
}

// ApplyTo sets the facts on t and reports whether anything changed. An
// empty fact leaves the terminal's value alone: a sheet's blank cell means
// "not known here", never "erase it".
func (f TerminalFacts) ApplyTo(t *Terminal) bool {
	changed := false
	set := func(dst *string, v string) {
		if v != "" && *dst != v {
			*dst, changed = v, true
		}
	}
	set(&t.Owner, f.Owner)
	set(&t.Make, f.Make)
	set(&t.Model, f.Model)
	set(&t.Specs, f.Specs)
	set(&t.CPU, f.CPU)
	set(&t.RAM, f.RAM)
	set(&t.OS, f.OS)
	set(&t.Serial, f.Serial)
	return changed
}

// NewChange is the history entry of a change from before to after (after
// carrying its new Version).
func NewChange(before, after Terminal, action ChangeAction, by PersonRef, at time.Time, loanID string) TerminalChange {
	return TerminalChange{TerminalID: after.ID, Establishment: after.Establishment, Seq: after.Version, At: at.UTC(),
		By: by, Action: action, LoanID: loanID, Fields: Diff(before, after)}
}
