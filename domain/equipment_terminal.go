package domain

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// TerminalType is a row of the terminal-type table: the letters of the id
// ("P"), its names, and whether terminals of that type may be lent. The
// table is data: an admin adds a type with `parc terminals types add` or
// from the bot, no code change. DefaultTerminalTypes fill a new store.
type TerminalType struct {
	Code      string    `json:"code"`
	NameFR    string    `json:"nameFr"`
	NameEN    string    `json:"nameEn"`
	Lendable  bool      `json:"lendable"`
	UpdatedAt time.Time `json:"updatedAt"`
	UpdatedBy string    `json:"updatedBy,omitempty"`
}

// Validate checks the type's rules: one or two capital letters and a
// French name.
func (tt TerminalType) Validate() error {
	if len(tt.Code) < 1 || len(tt.Code) > maxTypeLen || strings.Trim(tt.Code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		return Errorf(EINVALID, "err.terminal_type.code", clip(tt.Code, 10))
	}
	if strings.TrimSpace(tt.NameFR) == "" || utf8.RuneCountInString(tt.NameFR) > 60 || utf8.RuneCountInString(tt.NameEN) > 60 {
		return Errorf(EINVALID, "err.terminal_type.name")
	}
	return nil
}

// Name is the type's name in lang ("fr" or "en"), French when English is
// missing.
func (tt TerminalType) Name(lang string) string {
	if lang == "en" && tt.NameEN != "" {
		return tt.NameEN
	}
	return tt.NameFR
}

// DefaultTerminalTypes is the table a new store starts with: the types the
// IT department uses today (section 5.4.1 of the seed: portable and desktop
// PCs, phones, Wi-Fi access points, misc.).
var DefaultTerminalTypes = []TerminalType{
	{Code: "P", NameFR: "PC portable", NameEN: "Laptop", Lendable: true},
	{Code: "F", NameFR: "PC fixe", NameEN: "Desktop PC"},
	{Code: "T", NameFR: "Tablette", NameEN: "Tablet", Lendable: true},
	{Code: "TP", NameFR: "Téléphone portable", NameEN: "Mobile phone", Lendable: true},
	{Code: "TF", NameFR: "Téléphone fixe", NameEN: "Desk phone"},
	{Code: "W", NameFR: "Borne Wi-Fi", NameEN: "Wi-Fi access point"},
	{Code: "D", NameFR: "Divers", NameEN: "Miscellaneous", Lendable: true},
}

// TerminalStatus is where a terminal is in its life.
type TerminalStatus string

const (
	StatusInStock  TerminalStatus = "in_stock"  // at the IT office, ready
	StatusAssigned TerminalStatus = "assigned"  // given to someone for their job
	StatusLent     TerminalStatus = "lent"      // in an open loan
	StatusInRepair TerminalStatus = "in_repair" // at the repairer's
	StatusRetired  TerminalStatus = "retired"   // out of the inventory
)

// TerminalStatuses lists the statuses in the order the cards show them.
var TerminalStatuses = []TerminalStatus{StatusInStock, StatusAssigned, StatusLent, StatusInRepair, StatusRetired}

// ParseTerminalStatus returns the status named s, EINVALID otherwise.
func ParseTerminalStatus(s string) (TerminalStatus, error) {
	st := TerminalStatus(strings.TrimSpace(s))
	if slices.Contains(TerminalStatuses, st) {
		return st, nil
	}
	return "", Errorf(EINVALID, "err.terminal.status", clip(s, 20))
}

// PersonRef names a person as a record keeps them: the Entra object id and
// the name shown at the time.
type PersonRef struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
}

// Contract is a maintenance contract.
type Contract struct {
	Supplier  string `json:"supplier,omitempty"`
	Reference string `json:"reference,omitempty"`
	End       Date   `json:"end,omitempty"`
}

// DocumentKind says what a document is.
type DocumentKind string

const (
	DocInvoice           DocumentKind = "invoice"
	DocLoanCertificate   DocumentKind = "loan_certificate"   // signed scan of the loan certificate
	DocReturnCertificate DocumentKind = "return_certificate" // signed scan of the return certificate
	DocOther             DocumentKind = "other"
)

// DocumentKinds lists the kinds in the order the cards show them.
var DocumentKinds = []DocumentKind{DocLoanCertificate, DocReturnCertificate, DocInvoice, DocOther}

// Document is a link to a file kept elsewhere (SharePoint, OneDrive: a file
// sent in a Teams chat stays in the sender's OneDrive): Parc keeps the
// link, its name and who added it, never the file.
type Document struct {
	Kind    DocumentKind `json:"kind"`
	Name    string       `json:"name"`
	URL     string       `json:"url"`
	AddedBy PersonRef    `json:"addedBy"`
	AddedAt time.Time    `json:"addedAt"`
}

// Validate checks a document: a known kind, a name and an https link.
func (d Document) Validate() error {
	if !slices.Contains(DocumentKinds, d.Kind) {
		return Errorf(EINVALID, "err.document.kind")
	}
	if strings.TrimSpace(d.Name) == "" || utf8.RuneCountInString(d.Name) > 200 {
		return Errorf(EINVALID, "err.document.name")
	}
	if !strings.HasPrefix(d.URL, "https://") || len(d.URL) > 2048 || strings.ContainsAny(d.URL, " \n\r\t\"<>") {
		return Errorf(EINVALID, "err.document.url")
	}
	return nil
}

// Terminal is a piece of IT equipment: a PC, a phone, a Wi-Fi access
// point. Its ID never changes; the establishment, site and type come from
// it. Status "lent" goes with an open loan, and only loans set or clear it
// (OpenLoan and CloseLoan change the terminal and the loan together).
// Status "assigned" goes with the person it is assigned to (AssignedTo,
// from the directory), and AssignedTo with that status only.
// Every change is kept in the terminal's history (TerminalChange).
type Terminal struct {
	ID            string         `json:"id"`
	Establishment string         `json:"establishment"` // "DITEP-STF", from the id
	Site          string         `json:"site"`          // "STF", from the id
	Type          string         `json:"type"`          // "P", from the id
	Owner         string         `json:"owner,omitempty"`
	Make          string         `json:"make,omitempty"`
	Model         string         `json:"model,omitempty"`
	Specs         string         `json:"specs,omitempty"` // the characteristics as the inventory writes them
	CPU           string         `json:"cpu,omitempty"`
	RAM           string         `json:"ram,omitempty"`
	Storage       string         `json:"storage,omitempty"`
	OS            string         `json:"os,omitempty"`
	Serial        string         `json:"serial,omitempty"`
	Status        TerminalStatus `json:"status"`
	AssignedTo    *PersonRef     `json:"assignedTo,omitempty"` // status assigned
	PurchaseDate  Date           `json:"purchaseDate,omitempty"`
	PriceCents    int64          `json:"priceCents,omitempty"` // purchase price excl. VAT, euro cents
	WarrantyEnd   Date           `json:"warrantyEnd,omitempty"`
	Contract      *Contract      `json:"contract,omitempty"`
	Notes         string         `json:"notes,omitempty"`
	Documents     []Document     `json:"documents,omitempty"`
	// The open loan, copied here so that a list shows who holds the
	// terminal and until when without reading the loan.
	OpenLoan  string     `json:"openLoan,omitempty"`
	Borrower  *PersonRef `json:"borrower,omitempty"`
	DueDate   Date       `json:"dueDate,omitempty"`
	LoanCount int        `json:"loanCount,omitempty"` // loans ever opened: the next loan's rank
	Version   int        `json:"version"`             // one more at every change: the history's sequence
	CreatedAt time.Time  `json:"createdAt"`
	UpdatedAt time.Time  `json:"updatedAt"`
	UpdatedBy string     `json:"updatedBy,omitempty"`
}

// Field length bounds: a card must stay readable and under Teams' size
// limit, and an import must not store a megabyte in a model name.
const (
	maxShortField = 80
	maxNotes      = 2000
	maxDocuments  = 50
	maxPersonID   = 100 // an Entra object id is 36
	maxPersonName = 256 // Entra's limit on a display name
)

// Validate checks the terminal's rules.
func (t Terminal) Validate() error {
	id, err := ParseTerminalID(t.ID)
	if err != nil || id.String() != t.ID {
		return Errorf(EINVALID, "err.terminal.id", clip(t.ID, 40))
	}
	if t.Establishment != id.Establishment() || t.Site != id.Site || t.Type != id.Type {
		return Errorf(EINVALID, "err.terminal.id", t.ID)
	}
	if !slices.Contains(TerminalStatuses, t.Status) {
		return Errorf(EINVALID, "err.terminal.status", string(t.Status))
	}
	for _, f := range []string{t.Owner, t.Make, t.Model, t.CPU, t.RAM, t.Storage, t.OS, t.Serial} {
		if utf8.RuneCountInString(f) > maxShortField {
			return Errorf(EINVALID, "err.terminal.field_long", maxShortField)
		}
	}
	if utf8.RuneCountInString(t.Specs) > 2*maxShortField {
		return Errorf(EINVALID, "err.terminal.field_long", 2*maxShortField)
	}
	if utf8.RuneCountInString(t.Notes) > maxNotes {
		return Errorf(EINVALID, "err.terminal.field_long", maxNotes)
	}
	if !t.PurchaseDate.Valid() || !t.WarrantyEnd.Valid() || (t.Contract != nil && !t.Contract.End.Valid()) {
		return Errorf(EINVALID, "err.date", "")
	}
	if t.PriceCents < 0 {
		return Errorf(EINVALID, "err.terminal.price")
	}
	if (t.Status == StatusLent) != (t.OpenLoan != "") {
		return Errorf(EINVALID, "err.terminal.lent_without_loan")
	}
	if t.Status == StatusAssigned {
		if t.AssignedTo == nil {
			return Errorf(EINVALID, "err.terminal.assigned_to")
		}
		if err := t.AssignedTo.validAssignee(); err != nil {
			return err
		}
	} else if t.AssignedTo != nil {
		return Errorf(EINVALID, "err.terminal.assignee_status")
	}
	if len(t.Documents) > maxDocuments {
		return Errorf(EINVALID, "err.document.too_many", maxDocuments)
	}
	for _, d := range t.Documents {
		if err := d.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// NewTerminal returns a terminal in stock with the parts of its id set.
func NewTerminal(id TerminalID) Terminal {
	return Terminal{ID: id.String(), Establishment: id.Establishment(), Site: id.Site, Type: id.Type, Status: StatusInStock}
}

// Lendable reports whether the terminal can go out on a loan now: in stock
// and of a type that may be lent.
func (t Terminal) Lendable(tt TerminalType) bool {
	return t.Status == StatusInStock && t.OpenLoan == "" && tt.Lendable
}

// Holder is who has the terminal: its borrower, or the person it is
// assigned to.
func (t Terminal) Holder() *PersonRef {
	if t.Borrower != nil {
		return t.Borrower
	}
	if t.Status == StatusAssigned {
		return t.AssignedTo
	}
	return nil
}

// TerminalUpdate is an edit of a terminal's facts by a technician: the nil
// fields are left as they are. Status changes here exclude "lent" (loans
// do that). AssignedTo names the person (from the directory) a terminal
// set or left "assigned" is assigned to; it goes with that status only.
type TerminalUpdate struct {
	Owner, Make, Model, Specs, CPU, RAM, Storage, OS, Serial, Notes *string
	Status                                                          *TerminalStatus
	AssignedTo                                                      *PersonRef // with Status assigned
	PurchaseDate, WarrantyEnd                                       *Date
	PriceCents                                                      *int64
	Contract                                                        *Contract
	AddDocument                                                     *Document
}

// Change applies u to a copy of before and says how the terminal's history
// names it: a document added, or an update. changed is false when u leaves
// every field as it was (nothing to write). Both stores call it inside
// their write, so the rule lives here once.
func (u TerminalUpdate) Change(before Terminal) (after Terminal, action ChangeAction, changed bool, err error) {
	after = before
	if err := u.Apply(&after); err != nil {
		return before, "", false, err
	}
	if len(Diff(before, after)) == 0 {
		return before, "", false, nil
	}
	action = ChangeUpdated
	if u.AddDocument != nil {
		action = ChangeDocument
	}
	return after, action, true, nil
}

// Apply changes t, or returns why it cannot and leaves t as it was:
//   - a lent terminal keeps its status and has no assignee until its loan
//     is closed (ECONFLICT err.terminal.lent_use_return);
//   - "lent" is set by opening a loan only (EINVALID err.terminal.lent_use_loan);
//   - a retired terminal cannot be assigned (ECONFLICT err.terminal.retired_assign);
//   - "assigned" needs the person (EINVALID err.terminal.assigned_to), and
//     a person goes with "assigned" only (EINVALID err.terminal.assignee_status).
//
// Leaving "assigned" clears the assignee.
func (u TerminalUpdate) Apply(t *Terminal) error {
	if err := u.checkStatus(*t); err != nil {
		return err
	}
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = strings.TrimSpace(*src)
		}
	}
	set(&t.Owner, u.Owner)
	set(&t.Make, u.Make)
	set(&t.Model, u.Model)
	set(&t.Specs, u.Specs)
	set(&t.CPU, u.CPU)
	set(&t.RAM, u.RAM)
	set(&t.Storage, u.Storage)
	set(&t.OS, u.OS)
	set(&t.Serial, u.Serial)
	set(&t.Notes, u.Notes)
	if u.PurchaseDate != nil {
		t.PurchaseDate = *u.PurchaseDate
	}
	if u.WarrantyEnd != nil {
		t.WarrantyEnd = *u.WarrantyEnd
	}
	if u.PriceCents != nil {
		t.PriceCents = *u.PriceCents
	}
	if u.Contract != nil {
		c := *u.Contract
		if c == (Contract{}) {
			t.Contract = nil
		} else {
			t.Contract = &c
		}
	}
	if u.AddDocument != nil {
		t.Documents = append(t.Documents, *u.AddDocument)
	}
	if u.Status != nil {
		t.Status = *u.Status
	}
	switch {
	case t.Status != StatusAssigned:
		t.AssignedTo = nil
	case u.AssignedTo != nil:
		a := *u.AssignedTo
		a.Name = strings.TrimSpace(a.Name)
		t.AssignedTo = &a
	}
	return nil
}

// checkStatus tells whether u's status and assignee may apply to t.
func (u TerminalUpdate) checkStatus(t Terminal) error {
	changes := u.Status != nil && *u.Status != t.Status
	if t.Status == StatusLent && (changes || u.AssignedTo != nil) {
		return Errorf(ECONFLICT, "err.terminal.lent_use_return", t.ID)
	}
	after := t.Status
	if u.Status != nil {
		after = *u.Status
	}
	if !slices.Contains(TerminalStatuses, after) {
		return Errorf(EINVALID, "err.terminal.status", clip(string(after), 20))
	}
	if after == StatusLent && changes {
		return Errorf(EINVALID, "err.terminal.lent_use_loan")
	}
	if after != StatusAssigned {
		if u.AssignedTo != nil {
			return Errorf(EINVALID, "err.terminal.assignee_status")
		}
		return nil
	}
	if changes && t.Status == StatusRetired {
		return Errorf(ECONFLICT, "err.terminal.retired_assign", t.ID)
	}
	if u.AssignedTo != nil {
		return u.AssignedTo.validAssignee()
	}
	if t.AssignedTo == nil {
		return Errorf(EINVALID, "err.terminal.assigned_to")
	}
	return nil
}

// validAssignee checks a person a terminal is assigned to: someone the
// directory knows (an object id) with a name to show.
func (p PersonRef) validAssignee() error {
	if strings.TrimSpace(p.ID) == "" || strings.TrimSpace(p.Name) == "" {
		return Errorf(EINVALID, "err.terminal.assigned_to")
	}
	if utf8.RuneCountInString(p.ID) > maxPersonID || utf8.RuneCountInString(p.Name) > maxPersonName || utf8.RuneCountInString(p.Email) > maxPersonName {
		return Errorf(EINVALID, "err.terminal.field_long", maxPersonName)
	}
	return nil
}

// FieldChange is one field of a change: its name (a catalogue key suffix,
// "make") and the values before and after, as shown.
type FieldChange struct {
	Field string `json:"field"`
	From  string `json:"from,omitempty"`
	To    string `json:"to,omitempty"`
}

// ChangeAction says what kind of change a history entry records.
type ChangeAction string

const (
	ChangeCreated  ChangeAction = "created"
	ChangeUpdated  ChangeAction = "updated"
	ChangeImported ChangeAction = "imported"
	ChangeLent     ChangeAction = "lent"
	ChangeReturned ChangeAction = "returned"
	ChangeDocument ChangeAction = "document"
)

// TerminalChange is an entry of a terminal's history: who changed what and
// when. Seq is the terminal's Version after the change, so that entries
// are unique and ordered per terminal.
type TerminalChange struct {
	TerminalID    string        `json:"terminalId"`
	Establishment string        `json:"establishment"`
	Seq           int           `json:"seq"`
	At            time.Time     `json:"at"`
	By            PersonRef     `json:"by"`
	Action        ChangeAction  `json:"action"`
	LoanID        string        `json:"loanId,omitempty"`
	Fields        []FieldChange `json:"fields,omitempty"`
}

// Validate checks the entry's rules.
func (c TerminalChange) Validate() error {
	id, err := ParseTerminalID(c.TerminalID)
	if err != nil || id.String() != c.TerminalID || c.Establishment != id.Establishment() || c.Seq < 1 || c.Action == "" {
		return Errorf(EINVALID, "err.invalid")
	}
	return nil
}

// Diff lists the fields that differ between two versions of a terminal,
// in a fixed order, as shown in the history.
func Diff(before, after Terminal) []FieldChange {
	var out []FieldChange
	add := func(field, a, b string) {
		if a != b {
			out = append(out, FieldChange{Field: field, From: a, To: b})
		}
	}
	add("owner", before.Owner, after.Owner)
	add("make", before.Make, after.Make)
	add("model", before.Model, after.Model)
	add("specs", before.Specs, after.Specs)
	add("cpu", before.CPU, after.CPU)
	add("ram", before.RAM, after.RAM)
	add("storage", before.Storage, after.Storage)
	add("os", before.OS, after.OS)
	add("serial", before.Serial, after.Serial)
	add("status", string(before.Status), string(after.Status))
	addRef := func(field string, a, b *PersonRef) {
		if refID(a) != refID(b) && refName(a) == refName(b) {
			// Two people of the same name: the history must still show
			// that the terminal changed hands.
			out = append(out, FieldChange{Field: field, From: refLabel(a), To: refLabel(b)})
			return
		}
		add(field, refName(a), refName(b))
	}
	addRef("assigned_to", before.AssignedTo, after.AssignedTo)
	add("purchase_date", string(before.PurchaseDate), string(after.PurchaseDate))
	add("price", priceString(before.PriceCents), priceString(after.PriceCents))
	add("warranty_end", string(before.WarrantyEnd), string(after.WarrantyEnd))
	add("contract", contractString(before.Contract), contractString(after.Contract))
	add("notes", clip(before.Notes, 60), clip(after.Notes, 60))
	add("borrower", refName(before.Borrower), refName(after.Borrower))
	add("due_date", string(before.DueDate), string(after.DueDate))
	if len(after.Documents) > len(before.Documents) {
		for _, d := range after.Documents[len(before.Documents):] {
			out = append(out, FieldChange{Field: "document", To: d.Name})
		}
	}
	return out
}

func refName(p *PersonRef) string {
	if p == nil {
		return ""
	}
	return p.Name
}

func refID(p *PersonRef) string {
	if p == nil {
		return ""
	}
	return p.ID
}

// refLabel names a person with their e-mail (or id) when the name alone
// is ambiguous.
func refLabel(p *PersonRef) string {
	if p == nil {
		return ""
	}
	if p.Email != "" {
		return p.Name + " (" + p.Email + ")"
	}
	return p.Name + " (" + p.ID + ")"
}

func priceString(cents int64) string {
	if cents == 0 {
		return ""
	}
	return strconv.FormatInt(cents/100, 10) + "," + fmt.Sprintf("%02d", cents%100) + " €"
}

func contractString(c *Contract) string {
	if c == nil {
		return ""
	}
	return strings.TrimSpace(strings.Join([]string{c.Supplier, c.Reference, string(c.End)}, " "))
}

// ParsePrice reads a price in euros as French users write it ("1 234,50",
// "899.99 €") into cents; EINVALID (err.terminal.price) otherwise.
func ParsePrice(s string) (int64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "€"))
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s)
	if s == "" {
		return 0, nil
	}
	if !priceRe.MatchString(s) {
		return 0, Errorf(EINVALID, "err.terminal.price")
	}
	s = strings.Replace(s, ",", ".", 1)
	whole, frac, _ := strings.Cut(s, ".")
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > 10_000_000 {
		return 0, Errorf(EINVALID, "err.terminal.price")
	}
	f := 0
	if frac != "" {
		if len(frac) == 1 {
			frac += "0"
		}
		f, _ = strconv.Atoi(frac)
	}
	return w*100 + int64(f), nil
}

var priceRe = regexp.MustCompile(`^\d{1,8}([.,]\d{1,2})?$`)

// FormatPrice writes cents as "1234,50 €".
func FormatPrice(cents int64) string { return priceString(cents) }
