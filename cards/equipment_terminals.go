package cards

import (
	"fmt"
	"strings"
)

// Verbs of the IT equipment cards.
const (
	VerbTerminals       = "terminals.search"
	VerbTerminal        = "terminal.show"
	VerbTerminalNewForm = "terminal.new.form"
	VerbTerminalNew     = "terminal.new"
	VerbTerminalEdit    = "terminal.edit.form"
	VerbTerminalSave    = "terminal.save"
	VerbTerminalDocAdd  = "terminal.document.add"
	VerbLoanForm        = "loan.form"
	VerbLoanOpen        = "loan.open"
	VerbLoan            = "loan.show"
	VerbLoanReturnForm  = "loan.return.form"
	VerbLoanClose       = "loan.close"
	VerbLoanAck         = "loan.ack"
	VerbLoanDocAdd      = "loan.document.add"
	VerbLoans           = "loans.list"
	VerbImportHelp      = "import.help"
	VerbImportApply     = "import.apply"
	VerbTerminalTypes   = "terminal.types"
	VerbTerminalTypeAdd = "terminal.type.save"
)

// TerminalStatuses are the status codes, in the order the filters show
// them (the domain's order).
var TerminalStatuses = []string{"in_stock", "assigned", "lent", "in_repair", "retired"}

// statusColor is the colour of a status on a list.
func statusColor(status string, overdue bool) string {
	switch {
	case overdue:
		return ColorAttention
	case status == "in_stock":
		return ColorGood
	case status == "lent", status == "assigned":
		return ColorAccent
	case status == "in_repair":
		return ColorWarning
	}
	return ""
}

// TerminalRow is a terminal on the list.
type TerminalRow struct {
	ID       string
	TypeName string
	Make     string
	Model    string
	Status   string // status code
	Holder   string
	Due      string // the open loan's due day, as shown
	Overdue  bool
}

// TerminalListView is the search card's state: the filters as set, the
// page of results and how many there are.
type TerminalListView struct {
	Query, Establishment, Type, Status string
	Establishments, Types              []Choice
	Rows                               []TerminalRow
	Total, Page, PageSize              int
	CanEdit                            bool // technicians: register and lend buttons
}

// TerminalList is the search card: filters, a page of terminals (each opens
// its detail card), and the paging buttons, all inside one card so that
// Teams' size limit is never reached whatever the inventory's size.
func TerminalList(l Lang, v TerminalListView) Card {
	c := New(l, Heading(l.T("terminals.title")))
	any := Choice{Title: l.T("terminals.filter.any"), Value: "*"}
	statuses := []Choice{any}
	for _, s := range TerminalStatuses {
		statuses = append(statuses, Choice{Title: l.T("status." + s), Value: s})
	}
	c.Body = append(c.Body,
		TextInput{ID: "q", Label: l.T("terminals.search.label"), Placeholder: l.T("terminals.search.placeholder"), Value: v.Query, MaxLength: 100},
		ColumnSet{Columns: []Column{
			{Width: "stretch", Items: []Element{ChoiceSetInput{ID: "establishment", Label: l.T("terminals.filter.establishment"), Choices: append([]Choice{any}, plainChoices(v.Establishments, 30)...), Value: nonEmptyText(v.Establishment, "*"), Style: "compact"}}},
			{Width: "stretch", Items: []Element{ChoiceSetInput{ID: "type", Label: l.T("terminals.filter.type"), Choices: append([]Choice{any}, plainChoices(v.Types, 30)...), Value: nonEmptyText(v.Type, "*"), Style: "compact"}}},
			{Width: "stretch", Items: []Element{ChoiceSetInput{ID: "status", Label: l.T("terminals.filter.status"), Choices: statuses, Value: nonEmptyText(v.Status, "*"), Style: "compact"}}},
		}},
		ActionSet{Actions: []Action{Execute{Title: l.T("terminals.search.button"), Verb: VerbTerminals, Data: Data{"page": 0}, AssociatedInputs: "auto", Style: ActionPositive}}},
	)
	pages := max(1, (v.Total+v.PageSize-1)/max(v.PageSize, 1))
	switch {
	case v.Total == 0:
		c.Body = append(c.Body, TextBlock{Text: l.T("terminals.none"), Wrap: true, Spacing: SpacingMedium, Separator: true})
	default:
		count := l.T("terminals.count.many", v.Total)
		if v.Total == 1 {
			count = l.T("terminals.count.one")
		}
		c.Body = append(c.Body, TextBlock{Text: count + " · " + l.T("terminals.page", v.Page+1, pages), Wrap: true, IsSubtle: true, Size: SizeSmall, Spacing: SpacingMedium, Separator: true})
	}
	for _, r := range v.Rows {
		c.Body = append(c.Body, terminalRow(l, r))
	}
	var nav []Action
	if v.Page > 0 {
		nav = append(nav, Execute{Title: l.T("terminals.prev"), Verb: VerbTerminals, Data: Data{"page": v.Page - 1}, AssociatedInputs: "auto"})
	}
	if v.Page+1 < pages {
		nav = append(nav, Execute{Title: l.T("terminals.next"), Verb: VerbTerminals, Data: Data{"page": v.Page + 1}, AssociatedInputs: "auto"})
	}
	if len(nav) > 0 {
		c.Body = append(c.Body, ActionSet{Actions: nav, Spacing: SpacingMedium})
	}
	if v.CanEdit {
		c.Actions = append(c.Actions,
			Execute{Title: l.T("menu.loan_new"), Verb: VerbLoanForm, AssociatedInputs: "none"},
			Execute{Title: l.T("menu.terminal_new"), Verb: VerbTerminalNewForm, AssociatedInputs: "none"})
	}
	c.Actions = append(c.Actions, Execute{Title: l.T("menu.open"), Verb: VerbMenu, AssociatedInputs: "none"})
	c.Fallback = l.T("terminals.title")
	return c
}

// plainChoices keeps at most n choices with titles of at most 50 runes.
func plainChoices(c []Choice, n int) []Choice {
	out := make([]Choice, 0, min(len(c), n))
	for _, ch := range capChoices(c, n) {
		out = append(out, Choice{Title: Plain(ch.Title, 50), Value: ch.Value})
	}
	return out
}

func capChoices(c []Choice, n int) []Choice {
	if len(c) > n {
		return c[:n]
	}
	return c
}

// terminalRow is one line of the list: id and model on the left, status and
// holder on the right; the whole line opens the detail card.
func terminalRow(l Lang, r TerminalRow) ColumnSet {
	what := strings.TrimSpace(Plain(r.Make, 30) + " " + Plain(r.Model, 40))
	if r.TypeName != "" {
		what = strings.TrimSpace(Plain(r.TypeName, 30) + " · " + what)
	}
	status := terminalStatusText(l, r.Status, r.Holder)
	if r.Overdue {
		status = l.T("loan.overdue.short")
	}
	right := []Element{TextBlock{Text: status, Color: statusColor(r.Status, r.Overdue), Weight: WeightBolder, Wrap: true, HAlign: "Right"}}
	if who := Plain(r.Holder, 40); who != "" && r.Status != "assigned" {
		line := who
		if r.Due != "" {
			line = l.T("terminals.holder_until", who, r.Due)
		}
		right = append(right, TextBlock{Text: line, IsSubtle: true, Size: SizeSmall, Wrap: true, HAlign: "Right", Spacing: SpacingNone})
	}
	return ColumnSet{Separator: true, Spacing: SpacingSmall,
		SelectAction: Execute{Verb: VerbTerminal, Data: Data{"id": r.ID}, Tooltip: l.T("terminal.open", r.ID), AssociatedInputs: "none"},
		Columns: []Column{
			{Width: "stretch", Items: []Element{
				TextBlock{Text: r.ID, Weight: WeightBolder, Wrap: true, Color: ColorAccent},
				TextBlock{Text: nonEmptyText(what, "—"), IsSubtle: true, Size: SizeSmall, Wrap: true, Spacing: SpacingNone},
			}},
			{Width: "auto", VerticalContentAlignment: "Center", Items: right},
		}}
}

// terminalStatusText names a status; an assigned terminal's names its holder:
// "Affecté à Alice Martin".
func terminalStatusText(l Lang, status, holder string) string {
	if who := Plain(holder, 40); status == "assigned" && who != "" {
		return l.T("terminal.assigned_to", who)
	}
	return l.T("status." + status)
}

func nonEmptyText(s, dflt string) string {
	if strings.TrimSpace(s) == "" {
		return dflt
	}
	return s
}

// DocumentLink is a document on a detail card.
type DocumentLink struct {
	Kind  string // document kind code
	Name  string
	URL   string
	Added string // "28/11/2026, Chloé Durand"
}

// LoanLine is a loan on a terminal's card or on the loans list.
type LoanLine struct {
	ID         string
	TerminalID string
	Terminal   string // make and model
	Borrower   string
	Opened     string
	Due        string
	Closed     string
	Open       bool
	Overdue    bool
	Acked      bool
}

// HistoryLine is a change of a terminal.
type HistoryLine struct {
	When   string
	Who    string
	Action string   // change action code
	Fields []string // "Marque : Lenovo → Dell", already in the card's language
}

// TerminalDetailView is a terminal's card.
type TerminalDetailView struct {
	ID, TypeName, Establishment, Owner    string
	Make, Model, Specs, CPU, RAM, Storage string
	OS, Serial, Status                    string
	AssignedTo                            string // the person's name, status "assigned"
	PurchaseDate, Price, WarrantyEnd      string
	Contract, Notes                       string
	Documents                             []DocumentLink
	CurrentLoan                           *LoanLine
	Loans                                 []LoanLine // past loans, newest first
	History                               []HistoryLine
	CanEdit, CanLend                      bool
	Notice                                string
}

// TerminalDetail is a terminal's card: its facts, its current loan, its
// past loans, its documents and its last changes; technicians get the
// buttons to lend, return, edit and attach a document.
func TerminalDetail(l Lang, v TerminalDetailView) Card {
	c := New(l, Heading(v.ID))
	if v.Notice != "" {
		c.Body = append(c.Body, Colored(v.Notice, ColorGood))
	}
	c.Body = append(c.Body, TextBlock{Text: terminalStatusText(l, v.Status, v.AssignedTo), Color: statusColor(v.Status, v.CurrentLoan != nil && v.CurrentLoan.Overdue), Weight: WeightBolder, Wrap: true})
	c.Body = append(c.Body, Facts(
		l.T("field.type"), Plain(v.TypeName, 40),
		l.T("field.establishment"), Plain(v.Establishment, 80),
		l.T("field.owner"), Plain(v.Owner, 40),
		l.T("field.make"), Plain(v.Make, 60),
		l.T("field.model"), Plain(v.Model, 60),
		l.T("field.specs"), Plain(v.Specs, 120),
		l.T("field.cpu"), Plain(v.CPU, 60),
		l.T("field.ram"), Plain(v.RAM, 30),
		l.T("field.storage"), Plain(v.Storage, 30),
		l.T("field.os"), Plain(v.OS, 60),
		l.T("field.serial"), Plain(v.Serial, 60),
		l.T("field.purchase_date"), v.PurchaseDate,
		l.T("field.price"), v.Price,
		l.T("field.warranty_end"), v.WarrantyEnd,
		l.T("field.contract"), Plain(v.Contract, 120),
	))
	if n := Plain(v.Notes, 400); n != "" {
		c.Body = append(c.Body, Subheading(l.T("field.notes")), Para(n))
	}
	if cur := v.CurrentLoan; cur != nil {
		c.Body = append(c.Body, Subheading(l.T("terminal.current_loan")), loanLine(l, *cur, false))
	}
	if len(v.Loans) > 0 {
		c.Body = append(c.Body, Subheading(l.T("terminal.past_loans")))
		for _, ln := range v.Loans {
			c.Body = append(c.Body, loanLine(l, ln, false))
		}
	}
	if len(v.Documents) > 0 {
		c.Body = append(c.Body, Subheading(l.T("terminal.documents")))
		c.Body = append(c.Body, documentLinks(l, v.Documents)...)
	}
	if len(v.History) > 0 {
		c.Body = append(c.Body, Subheading(l.T("terminal.history")))
		for _, h := range v.History {
			c.Body = append(c.Body, historyLine(l, h))
		}
	}
	if v.CanEdit {
		var acts []Action
		if v.CanLend {
			acts = append(acts, Execute{Title: l.T("terminal.lend"), Verb: VerbLoanForm, Data: Data{"terminal": v.ID}, Style: ActionPositive, AssociatedInputs: "none"})
		}
		if v.CurrentLoan != nil {
			acts = append(acts, Execute{Title: l.T("loan.return"), Verb: VerbLoanReturnForm, Data: Data{"loan": v.CurrentLoan.ID}, Style: ActionPositive, AssociatedInputs: "none"})
		}
		acts = append(acts, Execute{Title: l.T("terminal.edit"), Verb: VerbTerminalEdit, Data: Data{"id": v.ID}, AssociatedInputs: "none"})
		acts = append(acts, ShowCard{Title: l.T("document.add"), Card: documentForm(l, VerbTerminalDocAdd, Data{"id": v.ID})})
		c.Actions = acts
	}
	c.Actions = append(c.Actions, Execute{Title: l.T("terminals.back"), Verb: VerbTerminals, AssociatedInputs: "none"})
	c.Fallback = v.ID
	return c
}

// documentForm is the sub-card to attach a document by its link.
func documentForm(l Lang, verb string, data Data) Card {
	kinds := []Choice{}
	for _, k := range []string{"loan_certificate", "return_certificate", "invoice", "other"} {
		kinds = append(kinds, Choice{Title: l.T("doc.kind." + k), Value: k})
	}
	f := New(l,
		ChoiceSetInput{ID: "docKind", Label: l.T("document.kind"), Choices: kinds, Value: "other", Style: "compact", IsRequired: true, ErrorMessage: l.T("document.kind.error")},
		TextInput{ID: "docName", Label: l.T("document.name"), Placeholder: l.T("document.name.placeholder"), MaxLength: 200, IsRequired: true, ErrorMessage: l.T("document.name.error")},
		TextInput{ID: "docUrl", Label: l.T("document.url"), Placeholder: "https://…", Style: "url", MaxLength: 2048, IsRequired: true, ErrorMessage: l.T("document.url.error")},
		Subtle(l.T("document.hint")),
	)
	f.Actions = []Action{Execute{Title: l.T("document.save"), Verb: verb, Data: data, AssociatedInputs: "auto", Style: ActionPositive}}
	return f
}

func documentLinks(l Lang, docs []DocumentLink) []Element {
	var out []Element
	for _, d := range docs {
		label := l.T("doc.kind." + d.Kind)
		text := fmt.Sprintf("[%s](%s)", Plain(d.Name, 80), d.URL)
		out = append(out, ColumnSet{Spacing: SpacingSmall, Columns: []Column{
			{Width: "stretch", Items: []Element{
				TextBlock{Text: text, Wrap: true},
				TextBlock{Text: label + " · " + Plain(d.Added, 80), IsSubtle: true, Size: SizeSmall, Wrap: true, Spacing: SpacingNone},
			}},
		}})
	}
	return out
}

// loanLine shows a loan; withTerminal adds the terminal (on the loans list).
func loanLine(l Lang, ln LoanLine, withTerminal bool) ColumnSet {
	title := Plain(ln.Borrower, 60)
	if withTerminal {
		title = ln.TerminalID + " · " + title
	}
	var when, state, color string
	switch {
	case ln.Open && ln.Overdue:
		when, state, color = l.T("loan.since_due", ln.Opened, ln.Due), l.T("loan.overdue.short"), ColorAttention
	case ln.Open:
		when, state, color = l.T("loan.since_due", ln.Opened, ln.Due), l.T("loan.state.open"), ColorAccent
	default:
		when, state, color = l.T("loan.from_to", ln.Opened, ln.Closed), l.T("loan.state.closed"), ""
	}
	sub := when
	if withTerminal && ln.Terminal != "" {
		sub = Plain(ln.Terminal, 60) + " · " + when
	}
	right := []Element{TextBlock{Text: state, Color: color, Weight: WeightBolder, HAlign: "Right", Wrap: true}}
	if ln.Open && !ln.Acked {
		right = append(right, TextBlock{Text: l.T("loan.ack.pending"), IsSubtle: true, Size: SizeSmall, HAlign: "Right", Wrap: true, Spacing: SpacingNone})
	}
	return ColumnSet{Separator: true, Spacing: SpacingSmall,
		SelectAction: Execute{Verb: VerbLoan, Data: Data{"loan": ln.ID}, Tooltip: l.T("loan.open_card", ln.ID), AssociatedInputs: "none"},
		Columns: []Column{
			{Width: "stretch", Items: []Element{
				TextBlock{Text: title, Weight: WeightBolder, Wrap: true},
				TextBlock{Text: sub, IsSubtle: true, Size: SizeSmall, Wrap: true, Spacing: SpacingNone},
			}},
			{Width: "auto", VerticalContentAlignment: "Center", Items: right},
		}}
}

func historyLine(l Lang, h HistoryLine) TextBlock {
	text := l.T("history.line", h.When, Plain(h.Who, 60), l.T("change."+h.Action))
	if len(h.Fields) > 0 {
		text += " — " + strings.Join(h.Fields, " ; ")
	}
	return TextBlock{Text: text, Wrap: true, Size: SizeSmall, Spacing: SpacingSmall}
}
