package domain

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Condition is the state of a terminal when it leaves or comes back.
type Condition string

const (
	ConditionNew     Condition = "new"
	ConditionGood    Condition = "good"
	ConditionWorn    Condition = "worn"
	ConditionDamaged Condition = "damaged"
)

// Conditions lists them in the order the cards show them.
var Conditions = []Condition{ConditionNew, ConditionGood, ConditionWorn, ConditionDamaged}

// ParseCondition returns the condition named s; EINVALID otherwise.
func ParseCondition(s string) (Condition, error) {
	c := Condition(strings.TrimSpace(s))
	if slices.Contains(Conditions, c) {
		return c, nil
	}
	return "", Errorf(EINVALID, "err.loan.condition")
}

// Accessories a loan may include; the cards offer them as check boxes.
var Accessories = []string{"charger", "bag", "mouse", "keyboard", "headset", "dock", "cable"}

// Borrower is the person a terminal is lent to, as the directory knew them
// when the loan was opened (the certificate prints these).
type Borrower struct {
	ID       string `json:"id"` // Entra object id
	Name     string `json:"name"`
	Email    string `json:"email,omitempty"`
	JobTitle string `json:"jobTitle,omitempty"`
}

// Acknowledgement records that the borrower confirmed, in Teams, that they
// received the terminal.
type Acknowledgement struct {
	At     time.Time `json:"at"`
	UserID string    `json:"userId"`
	Name   string    `json:"name"`
}

// Loan lends one terminal to one borrower, from Opened until it is closed.
// A terminal is in at most one open loan; opening a loan sets the terminal
// to "lent" and closing it puts the terminal back in stock (or in repair
// when it came back damaged), always together. A loan is closed once.
// Its certificates (loan, then return) are generated from its data; the
// signed scans are attached as Documents.
type Loan struct {
	ID            string           `json:"id"` // LoanID: "DITEP-STF-P068-L3"
	TerminalID    string           `json:"terminalId"`
	Establishment string           `json:"establishment"`
	Borrower      Borrower         `json:"borrower"`
	Technician    PersonRef        `json:"technician"`
	Opened        time.Time        `json:"opened"`
	Due           Date             `json:"due"`
	Accessories   []string         `json:"accessories,omitempty"`
	ConditionOut  Condition        `json:"conditionOut"`
	NotesOut      string           `json:"notesOut,omitempty"`
	Open          bool             `json:"open"`
	Ack           *Acknowledgement `json:"ack,omitempty"`
	// AckSent is when the acknowledgement card reached the borrower's chat.
	AckSent *time.Time `json:"ackSent,omitempty"`
	// Return, once closed.
	Closed              *time.Time `json:"closed,omitempty"`
	ClosedBy            *PersonRef `json:"closedBy,omitempty"`
	ConditionIn         Condition  `json:"conditionIn,omitempty"`
	AccessoriesReturned []string   `json:"accessoriesReturned,omitempty"`
	NotesIn             string     `json:"notesIn,omitempty"`
	Documents           []Document `json:"documents,omitempty"`
	// The terminal as it was lent, for the certificates.
	Terminal TerminalSnapshot `json:"terminal"`
}

// TerminalSnapshot is what the certificates print about the terminal.
type TerminalSnapshot struct {
	Make    string `json:"make,omitempty"`
	Model   string `json:"model,omitempty"`
	Serial  string `json:"serial,omitempty"`
	Specs   string `json:"specs,omitempty"`
	CPU     string `json:"cpu,omitempty"`
	RAM     string `json:"ram,omitempty"`
	Storage string `json:"storage,omitempty"`
	OS      string `json:"os,omitempty"`
	Type    string `json:"type,omitempty"`
}

// Snapshot returns what a loan keeps of t.
func (t Terminal) Snapshot() TerminalSnapshot {
	return TerminalSnapshot{Make: t.Make, Model: t.Model, Serial: t.Serial, Specs: t.Specs, CPU: t.CPU, RAM: t.RAM, Storage: t.Storage, OS: t.OS, Type: t.Type}
}

// LoanRequest is what a technician fills in to open a loan.
type LoanRequest struct {
	TerminalID   string
	Borrower     Borrower
	Technician   PersonRef
	Due          Date
	Accessories  []string
	ConditionOut Condition
	Notes        string
}

// Validate checks the request against today (in the establishment's time
// zone): a known terminal id, a borrower, a due date that is not past.
func (r LoanRequest) Validate(today Date) error {
	if _, err := ParseTerminalID(r.TerminalID); err != nil {
		return err
	}
	if r.Borrower.ID == "" || strings.TrimSpace(r.Borrower.Name) == "" {
		return Errorf(EINVALID, "err.loan.borrower_required")
	}
	if r.Due.IsZero() {
		return Errorf(EINVALID, "err.loan.due_required")
	}
	if !r.Due.Valid() {
		return Errorf(EINVALID, "err.date", string(r.Due))
	}
	if r.Due < today {
		return Errorf(EINVALID, "err.loan.due_past", r.Due.French())
	}
	if today.DaysUntil(r.Due) > 3*366 {
		return Errorf(EINVALID, "err.loan.due_far")
	}
	if _, err := ParseCondition(string(r.ConditionOut)); err != nil {
		return err
	}
	for _, a := range r.Accessories {
		if !slices.Contains(Accessories, a) {
			return Errorf(EINVALID, "err.loan.accessory", clip(a, 20))
		}
	}
	if utf8.RuneCountInString(r.Notes) > maxNotes {
		return Errorf(EINVALID, "err.terminal.field_long", maxNotes)
	}
	return nil
}

// LoanReturn is what a technician fills in to close a loan.
type LoanReturn struct {
	By          PersonRef
	At          time.Time
	Condition   Condition
	Accessories []string
	Notes       string
}

// Validate checks the return's rules.
func (r LoanReturn) Validate() error {
	if _, err := ParseCondition(string(r.Condition)); err != nil {
		return err
	}
	for _, a := range r.Accessories {
		if !slices.Contains(Accessories, a) {
			return Errorf(EINVALID, "err.loan.accessory", clip(a, 20))
		}
	}
	if utf8.RuneCountInString(r.Notes) > maxNotes {
		return Errorf(EINVALID, "err.terminal.field_long", maxNotes)
	}
	return nil
}

// Validate checks the loan's rules.
func (l Loan) Validate() error {
	lid, err := ParseLoanID(l.ID)
	if err != nil || lid.String() != l.ID || lid.Terminal.String() != l.TerminalID || l.Establishment != lid.Terminal.Establishment() {
		return Errorf(EINVALID, "err.loan.id", clip(l.ID, 40))
	}
	if l.Borrower.ID == "" || l.Borrower.Name == "" {
		return Errorf(EINVALID, "err.loan.borrower_required")
	}
	if !l.Due.Valid() || l.Due.IsZero() {
		return Errorf(EINVALID, "err.loan.due_required")
	}
	if l.Open == (l.Closed != nil) {
		return Errorf(EINVALID, "err.invalid")
	}
	for _, d := range l.Documents {
		if err := d.Validate(); err != nil {
			return err
		}
	}
	if len(l.Documents) > maxDocuments {
		return Errorf(EINVALID, "err.document.too_many", maxDocuments)
	}
	return nil
}

// Overdue reports whether the loan is open past its due day.
func (l Loan) Overdue(today Date) bool { return l.Open && l.Due < today }

// Lend opens a loan of t for r: t must be in stock and not in a loan
// (ECONFLICT err.loan.not_lendable otherwise). It returns the new loan and
// changes t (status lent, borrower, due date, loan count); seq is the
// loan's rank, t.LoanCount+1.
func Lend(t *Terminal, r LoanRequest, at time.Time) (Loan, error) {
	if t.OpenLoan != "" || t.Status == StatusLent {
		return Loan{}, Errorf(ECONFLICT, "err.loan.already_open", t.ID)
	}
	if t.Status != StatusInStock {
		return Loan{}, Errorf(ECONFLICT, "err.loan.not_lendable", t.ID)
	}
	id, _ := ParseTerminalID(t.ID)
	t.LoanCount++
	l := Loan{
		ID: LoanID{Terminal: id, Seq: t.LoanCount}.String(), TerminalID: t.ID, Establishment: t.Establishment,
		Borrower: r.Borrower, Technician: r.Technician, Opened: at.UTC(), Due: r.Due,
		Accessories: slices.Clone(r.Accessories), ConditionOut: r.ConditionOut, NotesOut: strings.TrimSpace(r.Notes),
		Open: true, Terminal: t.Snapshot(),
	}
	t.Status = StatusLent
	t.OpenLoan = l.ID
	t.Borrower = &PersonRef{ID: r.Borrower.ID, Name: r.Borrower.Name, Email: r.Borrower.Email}
	t.DueDate = r.Due
	return l, nil
}

// Return closes l and puts t back: in stock, or in repair when it came
// back damaged. ECONFLICT (err.loan.closed) when l is already closed.
func Return(t *Terminal, l *Loan, r LoanReturn) error {
	if !l.Open {
		return Errorf(ECONFLICT, "err.loan.closed", l.ID)
	}
	at := r.At.UTC()
	by := r.By
	l.Open = false
	l.Closed = &at
	l.ClosedBy = &by
	l.ConditionIn = r.Condition
	l.AccessoriesReturned = slices.Clone(r.Accessories)
	l.NotesIn = strings.TrimSpace(r.Notes)
	if t.OpenLoan == l.ID {
		t.OpenLoan, t.Borrower, t.DueDate = "", nil, ""
		t.Status = StatusInStock
		if r.Condition == ConditionDamaged {
			t.Status = StatusInRepair
		}
	}
	return nil
}

// MissingAccessories lists the accessories lent and not returned.
func (l Loan) MissingAccessories() []string {
	var out []string
	for _, a := range l.Accessories {
		if !slices.Contains(l.AccessoriesReturned, a) {
			out = append(out, a)
		}
	}
	return out
}
