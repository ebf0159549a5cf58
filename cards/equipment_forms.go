package cards

import "strconv"

// TerminalFormView is the form that registers a terminal (ID empty) or
// edits one.
type TerminalFormView struct {
	ID                                  string // empty: a new terminal
	Establishments, Types               []Choice
	Establishment, Type                 string
	Owner, Make, Model, Specs, CPU, RAM string
	Storage, OS, Serial, Notes          string
	Status                              string
	PurchaseDate, Price, WarrantyEnd    string // YYYY-MM-DD, "899,00"
	Supplier, ContractRef, ContractEnd  string
	Warning                             string
	// Who an "assigned" terminal is assigned to: found in the directory
	// like a loan's borrower (an edited terminal only).
	AssigneeQuery string
	People        []Choice
	Assignee      string // the chosen person's id
	PeopleNotice  string // the search's result
	PeoplePicker  bool   // Teams' people picker (the directory is Entra ID)
}

// TerminalForm asks for a terminal's facts. A new terminal gets the next
// free number of its establishment and type, in stock; an edited one keeps
// its id, and its status can change except to or from "lent" (loans do
// that). "Assigned" goes with a person picked from the directory.
func TerminalForm(l Lang, v TerminalFormView) Card {
	title := l.T("terminal.new.title")
	if v.ID != "" {
		title = l.T("terminal.edit.title", v.ID)
	}
	c := New(l, Heading(title))
	if v.Warning != "" {
		c.Body = append(c.Body, Colored(v.Warning, ColorWarning))
	}
	if v.ID == "" {
		c.Body = append(c.Body,
			ChoiceSetInput{ID: "establishment", Label: l.T("field.establishment"), Choices: capChoices(v.Establishments, 60), Value: v.Establishment,
				Style: "compact", IsRequired: true, ErrorMessage: l.T("terminal.form.establishment.error")},
			ChoiceSetInput{ID: "type", Label: l.T("field.type"), Choices: capChoices(v.Types, 40), Value: v.Type,
				Style: "compact", IsRequired: true, ErrorMessage: l.T("terminal.form.type.error")},
			Subtle(l.T("terminal.form.number_hint")),
		)
	} else if v.Status != "lent" {
		var st []Choice
		for _, s := range TerminalStatuses {
			if s != "lent" {
				st = append(st, Choice{Title: l.T("status." + s), Value: s})
			}
		}
		c.Body = append(c.Body, ChoiceSetInput{ID: "status", Label: l.T("field.status"), Choices: st, Value: v.Status, Style: "compact"})
		c.Body = append(c.Body, personPicker(l, PersonPicker{QueryID: "assigneeQuery", ChoiceID: "assignee",
			SearchLabel: l.T("terminal.form.assignee.search"), ChoiceLabel: l.T("field.assigned_to"), Verb: VerbTerminalEdit,
			Data: Data{"id": v.ID, "search": true}, Query: v.AssigneeQuery, People: v.People, Chosen: v.Assignee,
			Notice: v.PeopleNotice, Graph: v.PeoplePicker})...)
		c.Body = append(c.Body, Subtle(l.T("terminal.form.assignee.hint")))
	} else {
		c.Body = append(c.Body, Subtle(l.T("terminal.form.lent_hint")))
	}
	text := func(id, label, value string, max int) TextInput {
		return TextInput{ID: id, Label: label, Value: value, MaxLength: max}
	}
	c.Body = append(c.Body,
		ColumnSet{Columns: []Column{
			{Width: "stretch", Items: []Element{text("make", l.T("field.make"), v.Make, 80)}},
			{Width: "stretch", Items: []Element{text("model", l.T("field.model"), v.Model, 80)}},
		}},
		ColumnSet{Columns: []Column{
			{Width: "stretch", Items: []Element{text("cpu", l.T("field.cpu"), v.CPU, 80)}},
			{Width: "stretch", Items: []Element{text("ram", l.T("field.ram"), v.RAM, 80)}},
			{Width: "stretch", Items: []Element{text("storage", l.T("field.storage"), v.Storage, 80)}},
		}},
		ColumnSet{Columns: []Column{
			{Width: "stretch", Items: []Element{text("os", l.T("field.os"), v.OS, 80)}},
			{Width: "stretch", Items: []Element{text("serial", l.T("field.serial"), v.Serial, 80)}},
			{Width: "stretch", Items: []Element{text("owner", l.T("field.owner"), v.Owner, 80)}},
		}},
		ColumnSet{Columns: []Column{
			{Width: "stretch", Items: []Element{DateInput{ID: "purchaseDate", Label: l.T("field.purchase_date"), Value: v.PurchaseDate}}},
			{Width: "stretch", Items: []Element{TextInput{ID: "price", Label: l.T("field.price"), Value: v.Price, Placeholder: "899,00", MaxLength: 20}}},
			{Width: "stretch", Items: []Element{DateInput{ID: "warrantyEnd", Label: l.T("field.warranty_end"), Value: v.WarrantyEnd}}},
		}},
		ColumnSet{Columns: []Column{
			{Width: "stretch", Items: []Element{text("supplier", l.T("field.contract_supplier"), v.Supplier, 80)}},
			{Width: "stretch", Items: []Element{text("contractRef", l.T("field.contract_ref"), v.ContractRef, 80)}},
			{Width: "stretch", Items: []Element{DateInput{ID: "contractEnd", Label: l.T("field.contract_end"), Value: v.ContractEnd}}},
		}},
		TextInput{ID: "notes", Label: l.T("field.notes"), Value: v.Notes, IsMultiline: true, MaxLength: 2000},
	)
	if v.ID == "" {
		c.Actions = []Action{Execute{Title: l.T("terminal.form.create"), Verb: VerbTerminalNew, AssociatedInputs: "auto", Style: ActionPositive}}
	} else {
		c.Actions = []Action{
			Execute{Title: l.T("terminal.form.save"), Verb: VerbTerminalSave, Data: Data{"id": v.ID}, AssociatedInputs: "auto", Style: ActionPositive},
			Execute{Title: l.T("return.cancel"), Verb: VerbTerminal, Data: Data{"id": v.ID}, AssociatedInputs: "none"},
		}
	}
	c.Actions = append(c.Actions, Execute{Title: l.T("menu.open"), Verb: VerbMenu, AssociatedInputs: "none"})
	c.Fallback = title
	return c
}

// ImportLine is a row of the dry-run report.
type ImportLine struct {
	Line   int
	ID     string
	Detail string // what changes, or why the row is refused
}

// ImportReportView is the dry run (or the result) of an inventory import.
type ImportReportView struct {
	FileName                string
	New, Changed, Unchanged []ImportLine
	Invalid                 []ImportLine
	ImportID                string // set on a dry run that can be applied
	Applied                 bool
	Created, Updated        int // once applied
}

// importListMax bounds the lines listed per section: the counts are exact,
// the card stays small whatever the file's size.
const importListMax = 15

// ImportReport shows what an import would change (or changed): the new,
// changed, unchanged and refused rows with their line numbers; a dry run
// that changes something has the Appliquer button.
func ImportReport(l Lang, v ImportReportView) Card {
	title := l.T("import.title", Plain(v.FileName, 60))
	c := New(l, Heading(title))
	if v.Applied {
		c.Body = append(c.Body, Colored(l.T("import.applied", v.Created, v.Updated), ColorGood))
	} else {
		c.Body = append(c.Body, Para(l.T("import.dry_run")))
	}
	c.Body = append(c.Body, Facts(
		l.T("import.new"), strconv.Itoa(len(v.New)),
		l.T("import.changed"), strconv.Itoa(len(v.Changed)),
		l.T("import.unchanged"), strconv.Itoa(len(v.Unchanged)),
		l.T("import.invalid"), strconv.Itoa(len(v.Invalid)),
	))
	section := func(key string, lines []ImportLine, color string) {
		if len(lines) == 0 {
			return
		}
		c.Body = append(c.Body, Subheading(l.T(key)))
		for i, ln := range lines {
			if i == importListMax {
				c.Body = append(c.Body, Subtle(l.T("import.more", len(lines)-importListMax)))
				break
			}
			text := l.T("import.line", ln.Line, nonEmptyText(Plain(ln.ID, 30), "—"))
			if ln.Detail != "" {
				text += " : " + Plain(ln.Detail, 160)
			}
			c.Body = append(c.Body, TextBlock{Text: text, Wrap: true, Size: SizeSmall, Color: color, Spacing: SpacingSmall})
		}
	}
	section("import.invalid", v.Invalid, ColorAttention)
	section("import.new", v.New, "")
	section("import.changed", v.Changed, "")
	switch {
	case v.Applied:
	case v.ImportID != "" && len(v.New)+len(v.Changed) > 0:
		c.Actions = append(c.Actions, Execute{Title: l.T("import.apply"), Verb: VerbImportApply, Data: Data{"import": v.ImportID}, Style: ActionPositive})
	case len(v.New)+len(v.Changed) == 0:
		c.Body = append(c.Body, Subtle(l.T("import.nothing")))
	}
	c.Actions = append(c.Actions, Execute{Title: l.T("menu.terminals"), Verb: VerbTerminals})
	c.Fallback = title
	return c
}

// ImportHelp tells a technician how to import the inventory.
func ImportHelp(l Lang) Card {
	c := New(l, Heading(l.T("import.help.title")), Para(l.T("import.help.body")), Para(l.T("import.help.columns")), Subtle(l.T("import.help.cli")))
	c.Actions = []Action{Execute{Title: l.T("menu.open"), Verb: VerbMenu}}
	c.Fallback = l.T("import.help.title")
	return c
}

// AttachFormView offers to attach a file sent in chat to a loan.
type AttachFormView struct {
	FileName, URL string
	Loans         []Choice
}

// AttachForm asks which loan a document sent in chat belongs to.
func AttachForm(l Lang, v AttachFormView) Card {
	c := New(l, Heading(l.T("attach.title", Plain(v.FileName, 60))))
	if len(v.Loans) == 0 {
		c.Body = append(c.Body, Para(l.T("attach.no_loan")))
		c.Actions = []Action{Execute{Title: l.T("menu.open"), Verb: VerbMenu}}
		return c
	}
	kinds := []Choice{}
	for _, k := range []string{"loan_certificate", "return_certificate", "other"} {
		kinds = append(kinds, Choice{Title: l.T("doc.kind." + k), Value: k})
	}
	c.Body = append(c.Body,
		Para(l.T("attach.body")),
		ChoiceSetInput{ID: "loan", Label: l.T("attach.loan"), Choices: capChoices(v.Loans, 50), Style: "filtered", IsRequired: true, ErrorMessage: l.T("attach.loan.error")},
		ChoiceSetInput{ID: "docKind", Label: l.T("document.kind"), Choices: kinds, Value: "loan_certificate", Style: "compact", IsRequired: true, ErrorMessage: l.T("document.kind.error")},
	)
	c.Actions = []Action{
		Execute{Title: l.T("attach.submit"), Verb: VerbLoanDocAdd, Data: Data{"docName": v.FileName, "docUrl": v.URL}, AssociatedInputs: "auto", Style: ActionPositive},
		Execute{Title: l.T("menu.open"), Verb: VerbMenu, AssociatedInputs: "none"},
	}
	c.Fallback = l.T("attach.title", Plain(v.FileName, 60))
	return c
}

// TypeLine is a row of the terminal-type table.
type TypeLine struct {
	Code, NameFR, NameEN string
	Lendable             bool
}

// TerminalTypes is the admins' card of the terminal-type table, with a
// form to add or rename a type.
func TerminalTypes(l Lang, types []TypeLine, notice string) Card {
	c := New(l, Heading(l.T("types.title")))
	if notice != "" {
		c.Body = append(c.Body, Colored(notice, ColorGood))
	}
	rows := []TableRow{{Style: StyleEmphasis, Cells: []TableCell{
		{Items: []Element{Para(l.T("types.code"))}}, {Items: []Element{Para(l.T("types.name_fr"))}},
		{Items: []Element{Para(l.T("types.name_en"))}}, {Items: []Element{Para(l.T("types.lendable"))}},
	}}}
	for _, t := range capTypes(types, 60) {
		lend := l.T("types.no")
		if t.Lendable {
			lend = l.T("types.yes")
		}
		rows = append(rows, TableRow{Cells: []TableCell{
			{Items: []Element{Para(t.Code)}}, {Items: []Element{Para(Plain(t.NameFR, 60))}},
			{Items: []Element{Para(nonEmptyText(Plain(t.NameEN, 60), "—"))}}, {Items: []Element{Para(lend)}},
		}})
	}
	c.Body = append(c.Body, Table{Columns: []TableColumn{{Width: 1}, {Width: 3}, {Width: 3}, {Width: 1}}, Rows: rows, FirstRowAsHeader: true, ShowGridLines: true})
	c.Body = append(c.Body, Subheading(l.T("types.add")),
		ColumnSet{Columns: []Column{
			{Width: "stretch", Items: []Element{TextInput{ID: "code", Label: l.T("types.code"), MaxLength: 2, Regex: "^[A-Za-z]{1,2}$", IsRequired: true, ErrorMessage: l.T("types.code.error")}}},
			{Width: "stretch", Items: []Element{TextInput{ID: "nameFr", Label: l.T("types.name_fr"), MaxLength: 60, IsRequired: true, ErrorMessage: l.T("types.name.error")}}},
			{Width: "stretch", Items: []Element{TextInput{ID: "nameEn", Label: l.T("types.name_en"), MaxLength: 60}}},
		}},
		ToggleInput{ID: "lendable", Title: l.T("types.lendable"), Value: "true", ValueOn: "true", ValueOff: "false"},
	)
	c.Actions = []Action{
		Execute{Title: l.T("types.save"), Verb: VerbTerminalTypeAdd, AssociatedInputs: "auto", Style: ActionPositive},
		Execute{Title: l.T("menu.open"), Verb: VerbMenu, AssociatedInputs: "none"},
	}
	c.Fallback = l.T("types.title")
	return c
}

func capTypes(t []TypeLine, n int) []TypeLine {
	if len(t) > n {
		return t[:n]
	}
	return t
}

// ReminderLine is a terminal or a loan a reminder is about. Detail is
// shown as it is: the caller made its data safe (Plain).
type ReminderLine struct {
	ID     string // terminal id or loan id
	Verb   string // the card to open
	Title  string
	Detail string
}

// Reminder is a digest card for the technicians (overdue loans, warranties
// and contracts ending) or a borrower (their overdue loan).
func Reminder(l Lang, titleKey, introKey string, lines []ReminderLine, more int) Card {
	c := New(l, Heading(l.T(titleKey)), Para(l.T(introKey)))
	for _, ln := range lines {
		data := Data{"id": ln.ID}
		if ln.Verb == VerbLoan {
			data = Data{"loan": ln.ID}
		}
		c.Body = append(c.Body, ColumnSet{Separator: true, Spacing: SpacingSmall,
			SelectAction: Execute{Verb: ln.Verb, Data: data},
			Columns: []Column{{Width: "stretch", Items: []Element{
				TextBlock{Text: Plain(ln.Title, 100), Weight: WeightBolder, Wrap: true},
				TextBlock{Text: ln.Detail, IsSubtle: true, Size: SizeSmall, Wrap: true, Spacing: SpacingNone},
			}}}})
	}
	if more > 0 {
		c.Body = append(c.Body, Subtle(l.T("loans.more", more)))
	}
	c.Actions = []Action{Execute{Title: l.T("menu.loans"), Verb: VerbLoans}}
	c.Fallback = l.T(titleKey)
	return c
}
