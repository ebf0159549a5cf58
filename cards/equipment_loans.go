package cards

import (
	"strings"
)

// Accessories are the accessory codes a loan may include, in the order
// the forms show them (the domain's list).
var Accessories = []string{"charger", "bag", "mouse", "keyboard", "headset", "dock", "cable"}

// Conditions are the condition codes, in the order the forms show them.
var Conditions = []string{"new", "good", "worn", "damaged"}

// DataQueryUsers is Teams' people picker: a ChoiceSet whose choices come
// from the organisation's directory as the user types.
var DataQueryUsers = &ChoicesData{Type: "Data.Query", Dataset: "graph.microsoft.com/users"}

// LoanFormView is the state of the form that opens a loan.
type LoanFormView struct {
	Terminals    []Choice // lendable terminals
	Terminal     string   // the chosen one
	Query        string   // the borrower search typed
	People       []Choice // people to choose from (search results or suggestions)
	Borrower     string   // the chosen person's id
	PeoplePicker bool     // Teams' people picker (when the directory is Entra ID)
	Due, MinDue  string   // YYYY-MM-DD
	Accessories  []string
	Condition    string
	Notes        string
	Notice       string // the result of a search
	Warning      string
}

// LoanForm is the technicians' form to open a loan: the terminal (only
// those that can be lent), the borrower from the directory (never free
// text: a search resolves names and e-mails to people), the due date, the
// accessories, the condition and notes.
func LoanForm(l Lang, v LoanFormView) Card {
	c := New(l, Heading(l.T("loan.form.title")))
	if v.Warning != "" {
		c.Body = append(c.Body, Colored(v.Warning, ColorWarning))
	}
	if len(v.Terminals) == 0 {
		c.Body = append(c.Body, Para(l.T("loan.form.no_terminal")))
		c.Actions = []Action{Execute{Title: l.T("menu.terminals"), Verb: VerbTerminals, AssociatedInputs: "none"}, Execute{Title: l.T("menu.open"), Verb: VerbMenu, AssociatedInputs: "none"}}
		return c
	}
	c.Body = append(c.Body,
		// No input is marked required: Teams would then refuse the
		// borrower search ("Chercher") until the form is complete. Parc
		// checks them and sends the form back with what is missing.
		ChoiceSetInput{ID: "terminal", Label: l.T("loan.form.terminal"), Choices: capChoices(v.Terminals, 100), Value: v.Terminal, Style: "filtered"},
	)
	c.Body = append(c.Body, personPicker(l, PersonPicker{QueryID: "borrowerQuery", ChoiceID: "borrower",
		SearchLabel: l.T("loan.form.search"), ChoiceLabel: l.T("loan.form.borrower"), Verb: VerbLoanForm, Data: Data{"search": true},
		Query: v.Query, People: v.People, Chosen: v.Borrower, Notice: v.Notice, Graph: v.PeoplePicker})...)
	acc := make([]Choice, 0, len(Accessories))
	for _, a := range Accessories {
		acc = append(acc, Choice{Title: l.T("accessory." + a), Value: a})
	}
	c.Body = append(c.Body,
		DateInput{ID: "due", Label: l.T("loan.form.due"), Value: v.Due, Min: v.MinDue},
		ChoiceSetInput{ID: "accessories", Label: l.T("loan.form.accessories"), Choices: acc, Value: strings.Join(v.Accessories, ","), IsMultiSelect: true, Style: "expanded"},
		ChoiceSetInput{ID: "condition", Label: l.T("loan.form.condition"), Choices: conditionChoices(l), Value: nonEmptyText(v.Condition, "good"), Style: "compact"},
		TextInput{ID: "notes", Label: l.T("loan.form.notes"), Value: v.Notes, IsMultiline: true, MaxLength: 1000},
	)
	c.Actions = []Action{
		Execute{Title: l.T("loan.form.submit"), Verb: VerbLoanOpen, AssociatedInputs: "auto", Style: ActionPositive},
		Execute{Title: l.T("menu.open"), Verb: VerbMenu, AssociatedInputs: "none"},
	}
	c.Fallback = l.T("loan.form.title")
	return c
}

func conditionChoices(l Lang) []Choice {
	var ch []Choice
	for _, k := range Conditions {
		ch = append(ch, Choice{Title: l.T("condition." + k), Value: k})
	}
	return ch
}

func conditionInput(l Lang, id, label, value string) ChoiceSetInput {
	return ChoiceSetInput{ID: id, Label: label, Choices: conditionChoices(l), Value: value, Style: "compact", IsRequired: true, ErrorMessage: l.T("loan.form.condition.error")}
}

// LoanView is a loan's card.
type LoanView struct {
	ID, TerminalID, Terminal             string // Terminal: make, model
	Serial                               string
	Borrower, BorrowerEmail, BorrowerJob string
	Technician                           string
	Opened, Due                          string
	Accessories                          []string // codes
	ConditionOut, NotesOut               string
	Open, Overdue                        bool
	Ack                                  string // "28/11/2026 10:05, Alice Martin"; "" when not yet
	AckSent                              bool
	Closed, ClosedBy                     string
	ConditionIn, NotesIn                 string
	Missing                              []string // accessories not returned
	LoanCertificate, ReturnCertificate   string   // signed download links
	LinkExpiry                           string
	Documents                            []DocumentLink
	CanEdit                              bool
	Notice, Warning                      string
}

// LoanCard shows a loan: who, what, when, the acknowledgement, the return,
// the certificates to download and the documents attached.
func LoanCard(l Lang, v LoanView) Card {
	c := New(l, Heading(l.T("loan.title", v.ID)))
	if v.Notice != "" {
		c.Body = append(c.Body, Colored(v.Notice, ColorGood))
	}
	if v.Warning != "" {
		c.Body = append(c.Body, Colored(v.Warning, ColorWarning))
	}
	state, color := l.T("loan.state.closed"), ""
	switch {
	case v.Open && v.Overdue:
		state, color = l.T("loan.overdue", v.Due), ColorAttention
	case v.Open:
		state, color = l.T("loan.state.open"), ColorAccent
	}
	c.Body = append(c.Body, TextBlock{Text: state, Color: color, Weight: WeightBolder, Wrap: true})
	borrower := Plain(v.Borrower, 80)
	if v.BorrowerJob != "" {
		borrower += " (" + Plain(v.BorrowerJob, 60) + ")"
	}
	ack := l.T("loan.ack.pending")
	if v.Ack != "" {
		ack = l.T("loan.ack.done", Plain(v.Ack, 120))
	} else if !v.AckSent && v.Open {
		ack = l.T("loan.ack.not_sent")
	}
	c.Body = append(c.Body, Facts(
		l.T("field.terminal"), v.TerminalID+" · "+Plain(v.Terminal, 80),
		l.T("field.serial"), Plain(v.Serial, 60),
		l.T("field.borrower"), borrower,
		l.T("field.email"), Plain(v.BorrowerEmail, 80),
		l.T("field.technician"), Plain(v.Technician, 80),
		l.T("field.opened"), v.Opened,
		l.T("field.due_date"), v.Due,
		l.T("field.accessories"), accessoryList(l, v.Accessories),
		l.T("field.condition_out"), conditionName(l, v.ConditionOut),
		l.T("field.notes_out"), Plain(v.NotesOut, 300),
		l.T("field.ack"), ack,
		l.T("field.closed"), v.Closed,
		l.T("field.closed_by"), Plain(v.ClosedBy, 80),
		l.T("field.condition_in"), conditionName(l, v.ConditionIn),
		l.T("field.missing"), accessoryList(l, v.Missing),
		l.T("field.notes_in"), Plain(v.NotesIn, 300),
	))
	c.Body = append(c.Body, Subheading(l.T("loan.certificates")))
	var links []Action
	if v.LoanCertificate != "" {
		links = append(links, OpenURL{Title: l.T("loan.certificate.loan"), URL: v.LoanCertificate})
	}
	if v.ReturnCertificate != "" {
		links = append(links, OpenURL{Title: l.T("loan.certificate.return"), URL: v.ReturnCertificate})
	}
	if len(links) > 0 {
		c.Body = append(c.Body, ActionSet{Actions: links})
		if v.LinkExpiry != "" {
			c.Body = append(c.Body, Subtle(l.T("loan.certificate.expiry", v.LinkExpiry)))
		}
	}
	if len(v.Documents) > 0 {
		c.Body = append(c.Body, Subheading(l.T("terminal.documents")))
		c.Body = append(c.Body, documentLinks(l, v.Documents)...)
	}
	if v.CanEdit {
		if v.Open {
			c.Actions = append(c.Actions, Execute{Title: l.T("loan.return"), Verb: VerbLoanReturnForm, Data: Data{"loan": v.ID}, Style: ActionPositive, AssociatedInputs: "none"})
		}
		c.Actions = append(c.Actions, ShowCard{Title: l.T("document.add"), Card: documentForm(l, VerbLoanDocAdd, Data{"loan": v.ID})})
		c.Actions = append(c.Actions, Execute{Title: l.T("terminal.open", v.TerminalID), Verb: VerbTerminal, Data: Data{"id": v.TerminalID}, AssociatedInputs: "none"})
	}
	c.Actions = append(c.Actions, Execute{Title: l.T("menu.loans"), Verb: VerbLoans, AssociatedInputs: "none"})
	c.Fallback = l.T("loan.title", v.ID)
	return c
}

func accessoryList(l Lang, codes []string) string {
	names := make([]string, 0, len(codes))
	for _, a := range codes {
		names = append(names, l.T("accessory."+a))
	}
	return strings.Join(names, ", ")
}

func conditionName(l Lang, code string) string {
	if code == "" {
		return ""
	}
	return l.T("condition." + code)
}

// ReturnFormView is the state of the form that closes a loan.
type ReturnFormView struct {
	Loan        LoanView
	Condition   string
	Accessories []string // checked: those lent
	Notes       string
}

// ReturnForm asks for the condition at return, the accessories returned
// and notes.
func ReturnForm(l Lang, v ReturnFormView) Card {
	c := New(l, Heading(l.T("return.title", v.Loan.TerminalID)))
	c.Body = append(c.Body, Facts(
		l.T("field.borrower"), Plain(v.Loan.Borrower, 80),
		l.T("field.opened"), v.Loan.Opened,
		l.T("field.due_date"), v.Loan.Due,
		l.T("field.condition_out"), conditionName(l, v.Loan.ConditionOut),
	))
	c.Body = append(c.Body, conditionInput(l, "conditionIn", l.T("return.condition"), nonEmptyText(v.Condition, "good")))
	if len(v.Loan.Accessories) > 0 {
		var acc []Choice
		for _, a := range v.Loan.Accessories {
			acc = append(acc, Choice{Title: l.T("accessory." + a), Value: a})
		}
		c.Body = append(c.Body, ChoiceSetInput{ID: "returned", Label: l.T("return.accessories"), Choices: acc,
			Value: strings.Join(v.Accessories, ","), IsMultiSelect: true, Style: "expanded"})
	}
	c.Body = append(c.Body,
		TextInput{ID: "notesIn", Label: l.T("return.notes"), Value: v.Notes, IsMultiline: true, MaxLength: 1000},
		Subtle(l.T("return.hint")),
	)
	c.Actions = []Action{
		Execute{Title: l.T("return.submit"), Verb: VerbLoanClose, Data: Data{"loan": v.Loan.ID}, AssociatedInputs: "auto", Style: ActionPositive},
		Execute{Title: l.T("return.cancel"), Verb: VerbLoan, Data: Data{"loan": v.Loan.ID}, AssociatedInputs: "none"},
	}
	c.Fallback = l.T("return.title", v.Loan.TerminalID)
	return c
}

// LoanListView is the loans card.
type LoanListView struct {
	Mine       bool // a user's own loans (not a technician's view)
	Open       []LoanLine
	Closed     []LoanLine // recent, mine only
	More       int        // open loans not shown
	CanEdit    bool
	OverdueNum int
}

// LoanList lists open loans, the overdue ones first: every open loan for
// technicians, their own for everybody else.
func LoanList(l Lang, v LoanListView) Card {
	title := l.T("loans.title")
	if v.Mine {
		title = l.T("loans.mine")
	}
	c := New(l, Heading(title))
	if !v.Mine {
		if v.OverdueNum > 0 {
			c.Body = append(c.Body, Colored(l.T("loans.overdue_count", v.OverdueNum), ColorAttention))
		}
	}
	if len(v.Open) == 0 {
		c.Body = append(c.Body, Para(l.T("loans.none")))
	}
	for _, ln := range v.Open {
		c.Body = append(c.Body, loanLine(l, ln, true))
	}
	if v.More > 0 {
		c.Body = append(c.Body, Subtle(l.T("loans.more", v.More)))
	}
	if len(v.Closed) > 0 {
		c.Body = append(c.Body, Subheading(l.T("loans.closed")))
		for _, ln := range v.Closed {
			c.Body = append(c.Body, loanLine(l, ln, true))
		}
	}
	if v.CanEdit {
		c.Actions = append(c.Actions, Execute{Title: l.T("menu.loan_new"), Verb: VerbLoanForm, Style: ActionPositive})
	}
	c.Actions = append(c.Actions, Execute{Title: l.T("menu.open"), Verb: VerbMenu})
	c.Fallback = title
	return c
}

// AckRequest is the card the borrower gets in personal chat: the loan's
// details and the button that records the acknowledgement.
func AckRequest(l Lang, v LoanView) Card {
	c := New(l, Heading(l.T("ack.title")),
		Para(l.T("ack.body", Plain(v.Technician, 80))),
		Facts(
			l.T("field.terminal"), v.TerminalID+" · "+Plain(v.Terminal, 80),
			l.T("field.serial"), Plain(v.Serial, 60),
			l.T("field.opened"), v.Opened,
			l.T("field.due_date"), v.Due,
			l.T("field.accessories"), accessoryList(l, v.Accessories),
			l.T("field.condition_out"), conditionName(l, v.ConditionOut),
		))
	if v.Ack != "" {
		c.Body = append(c.Body, Colored(l.T("ack.done", Plain(v.Ack, 120)), ColorGood))
	} else {
		c.Actions = []Action{Execute{Title: l.T("ack.button"), Verb: VerbLoanAck, Data: Data{"loan": v.ID}, Style: ActionPositive}}
	}
	c.Fallback = l.T("ack.title")
	return c
}

// AckNotice tells the technician that the borrower acknowledged.
func AckNotice(l Lang, borrower, terminalID, loanID, at string) Card {
	c := Notice(l, l.T("ack.notice.title"), l.T("ack.notice.body", Plain(borrower, 80), terminalID, at), ColorGood,
		Execute{Title: l.T("loan.open_card", loanID), Verb: VerbLoan, Data: Data{"loan": loanID}})
	return c
}
