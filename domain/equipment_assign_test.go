package domain

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// The "assigned" status and its person: who may be assigned what, and
// what a refused change leaves (nothing).

var (
	alicePerson = PersonRef{ID: "u-alice", Name: "Alice Martin", Email: "alice.martin@anras.fr"}
	brunoPerson = PersonRef{ID: "u-bruno", Name: "Bruno Petit"}
)

// terminalIn returns DITEP-STF-P012 with the given status (lent through
// a loan, assigned to Alice).
func terminalIn(status TerminalStatus) Terminal {
	t := NewTerminal(TerminalID{Org: "DITEP", Site: "STF", Type: "P", Number: 12})
	t.Make, t.Model, t.Version = "Dell", "Latitude E5540", 3
	t.Status = status
	switch status {
	case StatusLent:
		t.OpenLoan, t.Borrower, t.DueDate = "DITEP-STF-P012-L1", &PersonRef{ID: "u-emilie", Name: "Émilie Lefèvre"}, "2026-12-15"
	case StatusAssigned:
		a := alicePerson
		t.AssignedTo = &a
	}
	return t
}

func statusPtr(s TerminalStatus) *TerminalStatus { return &s }
func personPtr(p PersonRef) *PersonRef           { return &p }
func strPtr(s string) *string                    { return &s }

func TestTerminalAssignmentRules(t *testing.T) {
	cases := []struct {
		name     string
		from     TerminalStatus
		u        TerminalUpdate
		status   TerminalStatus // after, when allowed
		assignee string         // after: the assigned person's name
		code     ErrorCode      // when refused
		key      string
	}{
		{name: "in stock to assigned, with the person", from: StatusInStock, u: TerminalUpdate{Status: statusPtr(StatusAssigned), AssignedTo: personPtr(alicePerson)}, status: StatusAssigned, assignee: "Alice Martin"},
		{name: "in repair to assigned", from: StatusInRepair, u: TerminalUpdate{Status: statusPtr(StatusAssigned), AssignedTo: personPtr(brunoPerson)}, status: StatusAssigned, assignee: "Bruno Petit"},
		{name: "assigned to someone else", from: StatusAssigned, u: TerminalUpdate{AssignedTo: personPtr(brunoPerson)}, status: StatusAssigned, assignee: "Bruno Petit"},
		{name: "assigned, status repeated, person kept", from: StatusAssigned, u: TerminalUpdate{Status: statusPtr(StatusAssigned)}, status: StatusAssigned, assignee: "Alice Martin"},
		{name: "assigned, notes edited, person kept", from: StatusAssigned, u: TerminalUpdate{Notes: strPtr("Écran 24 pouces")}, status: StatusAssigned, assignee: "Alice Martin"},
		{name: "back in stock clears the person", from: StatusAssigned, u: TerminalUpdate{Status: statusPtr(StatusInStock)}, status: StatusInStock},
		{name: "in repair clears the person", from: StatusAssigned, u: TerminalUpdate{Status: statusPtr(StatusInRepair)}, status: StatusInRepair},
		{name: "retired clears the person", from: StatusAssigned, u: TerminalUpdate{Status: statusPtr(StatusRetired)}, status: StatusRetired},
		{name: "retired back to stock", from: StatusRetired, u: TerminalUpdate{Status: statusPtr(StatusInStock)}, status: StatusInStock},

		{name: "assigned to nobody", from: StatusInStock, u: TerminalUpdate{Status: statusPtr(StatusAssigned)}, code: EINVALID, key: "err.terminal.assigned_to"},
		{name: "assigned to a person without id", from: StatusInStock, u: TerminalUpdate{Status: statusPtr(StatusAssigned), AssignedTo: &PersonRef{Name: "Alice Martin"}}, code: EINVALID, key: "err.terminal.assigned_to"},
		{name: "assigned to a person without name", from: StatusInStock, u: TerminalUpdate{Status: statusPtr(StatusAssigned), AssignedTo: &PersonRef{ID: "u-alice", Name: "  "}}, code: EINVALID, key: "err.terminal.assigned_to"},
		{name: "assigned to an overlong name", from: StatusInStock, u: TerminalUpdate{Status: statusPtr(StatusAssigned), AssignedTo: &PersonRef{ID: "u-x", Name: strings.Repeat("é", 257)}}, code: EINVALID, key: "err.terminal.field_long"},
		{name: "a person for a terminal in stock", from: StatusInStock, u: TerminalUpdate{AssignedTo: personPtr(alicePerson)}, code: EINVALID, key: "err.terminal.assignee_status"},
		{name: "a person with another status", from: StatusAssigned, u: TerminalUpdate{Status: statusPtr(StatusInRepair), AssignedTo: personPtr(brunoPerson)}, code: EINVALID, key: "err.terminal.assignee_status"},
		{name: "lent to assigned", from: StatusLent, u: TerminalUpdate{Status: statusPtr(StatusAssigned), AssignedTo: personPtr(alicePerson)}, code: ECONFLICT, key: "err.terminal.lent_use_return"},
		{name: "lent, a person alone", from: StatusLent, u: TerminalUpdate{AssignedTo: personPtr(alicePerson)}, code: ECONFLICT, key: "err.terminal.lent_use_return"},
		{name: "lent to in stock", from: StatusLent, u: TerminalUpdate{Status: statusPtr(StatusInStock)}, code: ECONFLICT, key: "err.terminal.lent_use_return"},
		{name: "lent to retired", from: StatusLent, u: TerminalUpdate{Status: statusPtr(StatusRetired)}, code: ECONFLICT, key: "err.terminal.lent_use_return"},
		{name: "retired to assigned", from: StatusRetired, u: TerminalUpdate{Status: statusPtr(StatusAssigned), AssignedTo: personPtr(alicePerson)}, code: ECONFLICT, key: "err.terminal.retired_assign"},
		{name: "in stock to lent by hand", from: StatusInStock, u: TerminalUpdate{Status: statusPtr(StatusLent)}, code: EINVALID, key: "err.terminal.lent_use_loan"},
		{name: "an unknown status", from: StatusInStock, u: TerminalUpdate{Status: statusPtr("lost")}, code: EINVALID, key: "err.terminal.status"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			term := terminalIn(c.from)
			before := terminalIn(c.from)
			// Every update also edits a fact: a refusal must not keep it.
			c.u.Make = strPtr("Lenovo")
			err := c.u.Apply(&term)
			if c.key != "" {
				if e := AsError(err); e == nil || e.Code != c.code || e.Key != c.key {
					t.Fatalf("Apply = %v, want %s %s", err, c.code, c.key)
				}
				if !reflect.DeepEqual(term, before) {
					t.Fatalf("a refused update changed the terminal:\n%+v\nwas\n%+v", term, before)
				}
				return
			}
			if err != nil {
				t.Fatalf("Apply = %v", err)
			}
			if err := term.Validate(); err != nil {
				t.Fatalf("the result is invalid: %v", err)
			}
			got := ""
			if term.AssignedTo != nil {
				got = term.AssignedTo.Name
			}
			if term.Status != c.status || got != c.assignee || term.Make != "Lenovo" {
				t.Fatalf("after: status %s, assigned to %q, make %q; want %s, %q, Lenovo", term.Status, got, term.Make, c.status, c.assignee)
			}
		})
	}
}

func TestAssignedTerminalIsValidOnlyWithItsPerson(t *testing.T) {
	ok := terminalIn(StatusAssigned)
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		mod  func(*Terminal)
		key  string
	}{
		{"assigned to nobody", func(t *Terminal) { t.AssignedTo = nil }, "err.terminal.assigned_to"},
		{"assigned to an empty person", func(t *Terminal) { t.AssignedTo = &PersonRef{} }, "err.terminal.assigned_to"},
		{"a person on a terminal in stock", func(t *Terminal) { t.Status = StatusInStock }, "err.terminal.assignee_status"},
	}
	for _, c := range cases {
		term := terminalIn(StatusAssigned)
		c.mod(&term)
		if e := AsError(term.Validate()); e == nil || e.Key != c.key {
			t.Errorf("%s: %v, want %s", c.name, term.Validate(), c.key)
		}
	}
}

// The history of an assignment says who had it before and after; a
// change of hands between two people of the same name still shows.
func TestAssignmentHistory(t *testing.T) {
	stock := terminalIn(StatusInStock)
	assigned := stock
	if err := (TerminalUpdate{Status: statusPtr(StatusAssigned), AssignedTo: personPtr(alicePerson)}).Apply(&assigned); err != nil {
		t.Fatal(err)
	}
	want := []FieldChange{{Field: "status", From: "in_stock", To: "assigned"}, {Field: "assigned_to", To: "Alice Martin"}}
	if got := Diff(stock, assigned); !slices.Equal(got, want) {
		t.Fatalf("Diff on assigning = %+v, want %+v", got, want)
	}
	back := assigned
	if err := (TerminalUpdate{Status: statusPtr(StatusInStock)}).Apply(&back); err != nil {
		t.Fatal(err)
	}
	want = []FieldChange{{Field: "status", From: "assigned", To: "in_stock"}, {Field: "assigned_to", From: "Alice Martin"}}
	if got := Diff(assigned, back); !slices.Equal(got, want) {
		t.Fatalf("Diff on taking it back = %+v, want %+v", got, want)
	}
	namesake := assigned
	other := PersonRef{ID: "u-alice-2", Name: "Alice Martin", Email: "alice.martin2@anras.fr"}
	if err := (TerminalUpdate{AssignedTo: &other}).Apply(&namesake); err != nil {
		t.Fatal(err)
	}
	want = []FieldChange{{Field: "assigned_to", From: "Alice Martin (alice.martin@anras.fr)", To: "Alice Martin (alice.martin2@anras.fr)"}}
	if got := Diff(assigned, namesake); !slices.Equal(got, want) {
		t.Fatalf("Diff between namesakes = %+v, want %+v", got, want)
	}
}

// An assigned terminal is found by its user's name, accents and case
// ignored; once back in stock, it is not.
func TestAssignedTerminalIsFoundByItsUser(t *testing.T) {
	term := terminalIn(StatusAssigned)
	s := term.Summary()
	if s.Holder != "Alice Martin" || s.HolderID != "u-alice" {
		t.Fatalf("summary holder = %q (%s)", s.Holder, s.HolderID)
	}
	m := TerminalFilter{Text: "alice MARTIN"}.Prepare()
	if !m.Match(s) {
		t.Fatalf("%q does not match %q", "alice MARTIN", s.SearchText())
	}
	if err := (TerminalUpdate{Status: statusPtr(StatusInStock)}).Apply(&term); err != nil {
		t.Fatal(err)
	}
	if m.Match(term.Summary()) {
		t.Fatal("a terminal back in stock is still found by its former user")
	}
}

// The inventory knows no user: importing a sheet never touches the
// status or the person, and a blank cell erases nothing.
func TestImportKeepsTheAssignment(t *testing.T) {
	term := terminalIn(StatusAssigned)
	term.OS = "Windows 10 Pro"
	facts := TerminalFacts{ID: term.ID, Make: "Dell", Model: "Latitude E5550", OS: ""}
	if !facts.ApplyTo(&term) {
		t.Fatal("the new model was not applied")
	}
	if term.Status != StatusAssigned || term.AssignedTo == nil || *term.AssignedTo != alicePerson || term.OS != "Windows 10 Pro" {
		t.Fatalf("after the import: %+v", term)
	}
}
