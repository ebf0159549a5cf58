package bot

import (
	"slices"
	"strings"

	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
)

// terminalPageSize is how many terminals a list card shows: with the
// filters, a page stays far under Teams' 28 KB whatever the inventory.
const terminalPageSize = 10

// terminalQuery is the state of the search card.
type terminalQuery struct {
	Text, Establishment, Type, Status string
	Page                              int
}

// queryFrom reads the search card's inputs ("*" is "any").
func queryFrom(in Input) terminalQuery {
	any := func(s string) string {
		if s == "*" {
			return ""
		}
		return s
	}
	return terminalQuery{Text: in.Str("q"), Establishment: any(in.Str("establishment")), Type: any(in.Str("type")),
		Status: any(in.Str("status")), Page: max(intInput(in, "page"), 0)}
}

// terminalList is the search card: anyone may search and view.
func (b *Bot) terminalList(t *Turn, q terminalQuery) (cards.Card, error) {
	if len([]rune(q.Text)) > 100 {
		q.Text = string([]rune(q.Text)[:100])
	}
	types, err := b.terminalTypes(t.Ctx)
	if err != nil {
		return cards.Card{}, err
	}
	ests, _, err := b.terminalEstablishments(t.Ctx)
	if err != nil {
		return cards.Card{}, err
	}
	f := domain.TerminalFilter{Establishment: q.Establishment, Text: q.Text, Offset: q.Page * terminalPageSize, Limit: terminalPageSize}
	if q.Type != "" {
		f.Types = []string{q.Type}
	}
	if q.Status != "" {
		st, err := domain.ParseTerminalStatus(q.Status)
		if err != nil {
			return cards.Card{}, err
		}
		f.Statuses = []domain.TerminalStatus{st}
	}
	page, err := b.store.SearchTerminals(t.Ctx, f)
	if err != nil {
		return cards.Card{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	if len(page.Items) == 0 && page.Total > 0 && q.Page > 0 {
		// A page past the end (the inventory shrank): show the last one.
		q.Page = (page.Total - 1) / terminalPageSize
		return b.terminalList(t, q)
	}
	today := t.today()
	v := cards.TerminalListView{Query: q.Text, Establishment: q.Establishment, Type: q.Type, Status: q.Status,
		Establishments: ests, Types: typeChoices(types, t.Lang), Total: page.Total, Page: q.Page, PageSize: terminalPageSize,
		CanEdit: t.Principal.Has(domain.RoleTechnician)}
	for _, s := range page.Items {
		row := cards.TerminalRow{ID: s.ID, Make: s.Make, Model: s.Model, Status: string(s.Status), Holder: s.Holder}
		if tt, ok := findType(types, s.Type); ok {
			row.TypeName = tt.Name(string(t.Lang))
		}
		if s.Due != "" && s.Status == domain.StatusLent {
			row.Due, row.Overdue = fmtDate(s.Due), s.Due < today
		}
		v.Rows = append(v.Rows, row)
	}
	return cards.TerminalList(t.Lang, v), nil
}

// terminalCommand: "terminal DITEP-STF-P068" shows its card; without an
// id, the search.
func (b *Bot) terminalCommand(t *Turn, args string) (cards.Card, error) {
	if strings.TrimSpace(args) == "" {
		return b.terminalList(t, terminalQuery{})
	}
	return b.terminalCard(t, args, "")
}

// terminalCard is a terminal's detail card.
func (b *Bot) terminalCard(t *Turn, rawID, notice string) (cards.Card, error) {
	id, err := domain.ParseTerminalID(rawID)
	if err != nil {
		return cards.Card{}, err
	}
	term, err := b.store.Terminal(t.Ctx, id.String())
	if err != nil {
		return cards.Card{}, err
	}
	types, err := b.terminalTypes(t.Ctx)
	if err != nil {
		return cards.Card{}, err
	}
	_, names, err := b.terminalEstablishments(t.Ctx)
	if err != nil {
		return cards.Card{}, err
	}
	loans, err := b.store.ListLoans(t.Ctx, domain.LoanFilter{TerminalID: term.ID})
	if err != nil {
		return cards.Card{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	history, err := b.store.TerminalHistory(t.Ctx, term.ID, 8)
	if err != nil {
		return cards.Card{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	tt, _ := findType(types, term.Type)
	v := cards.TerminalDetailView{
		ID: term.ID, TypeName: tt.Name(string(t.Lang)), Establishment: nameOr(names[term.Establishment], term.Establishment),
		Owner: term.Owner, Make: term.Make, Model: term.Model, Specs: term.Specs, CPU: term.CPU, RAM: term.RAM, Storage: term.Storage,
		OS: term.OS, Serial: term.Serial, Status: string(term.Status), PurchaseDate: fmtDate(term.PurchaseDate),
		Price: domain.FormatPrice(term.PriceCents), WarrantyEnd: fmtDate(term.WarrantyEnd), Notes: term.Notes,
		CanEdit: t.Principal.Has(domain.RoleTechnician), CanLend: term.Lendable(tt), Notice: notice,
	}
	if term.AssignedTo != nil {
		v.AssignedTo = term.AssignedTo.Name
	}
	if c := term.Contract; c != nil {
		v.Contract = strings.TrimSpace(strings.Join([]string{c.Supplier, c.Reference, fmtDate(c.End)}, " "))
	}
	for _, d := range term.Documents {
		v.Documents = append(v.Documents, b.documentLink(t, d))
	}
	today := t.today()
	for _, l := range loans {
		line := b.loanLine(t, l, today)
		if l.Open {
			v.CurrentLoan = &line
		} else if len(v.Loans) < 5 {
			v.Loans = append(v.Loans, line)
		}
	}
	for _, h := range history {
		v.History = append(v.History, cards.HistoryLine{When: t.fmtTime(h.At), Who: h.By.Name, Action: string(h.Action), Fields: fieldLines(t.Lang, h.Fields)})
	}
	return cards.TerminalDetail(t.Lang, v), nil
}

func (b *Bot) documentLink(t *Turn, d domain.Document) cards.DocumentLink {
	added := d.AddedBy.Name
	if !d.AddedAt.IsZero() {
		added = strings.TrimSuffix(domain.DateOf(d.AddedAt, t.Location()).French()+", "+d.AddedBy.Name, ", ")
	}
	return cards.DocumentLink{Kind: string(d.Kind), Name: d.Name, URL: d.URL, Added: added}
}

// fieldLines writes a change's fields for the history: "Statut : En stock
// → Prêté".
func fieldLines(l cards.Lang, fields []domain.FieldChange) []string {
	var out []string
	for i, f := range fields {
		if i == 6 {
			out = append(out, "…")
			break
		}
		show := func(v string) string {
			switch {
			case v == "":
				return l.T("history.empty")
			case f.Field == "status":
				return l.T("status." + v)
			case strings.HasSuffix(f.Field, "_date") || f.Field == "warranty_end":
				return domain.Date(v).French()
			}
			return cards.Plain(v, 40)
		}
		if f.Field == "document" {
			out = append(out, l.T("field.document")+" : "+cards.Plain(f.To, 40))
			continue
		}
		out = append(out, l.T("history.field", l.T("field."+f.Field), show(f.From), show(f.To)))
	}
	return out
}

// terminalForm is the form that registers (id "") or edits a terminal.
func (b *Bot) terminalForm(t *Turn, rawID string, in Input, warning string) (cards.Card, error) {
	types, err := b.terminalTypes(t.Ctx)
	if err != nil {
		return cards.Card{}, err
	}
	ests, _, err := b.terminalEstablishments(t.Ctx)
	if err != nil {
		return cards.Card{}, err
	}
	if rawID == "" {
		if len(ests) == 0 {
			return cards.Notice(t.Lang, t.T("terminal.new.title"), t.T("terminal.no_establishment"), cards.ColorWarning,
				cards.Execute{Title: t.T("menu.open"), Verb: cards.VerbMenu}), nil
		}
		v := cards.TerminalFormView{Establishments: ests, Types: typeChoices(types, t.Lang), Establishment: in.Str("establishment"),
			Type: nonEmpty(in.Str("type"), "P"), Warning: warning}
		if v.Establishment == "" {
			v.Establishment = ests[0].Value
			if est := t.User.Establishment; est != "" && slices.ContainsFunc(ests, func(c cards.Choice) bool { return c.Value == est }) {
				v.Establishment = est
			}
		}
		fillFormFromInput(&v, in)
		return cards.TerminalForm(t.Lang, v), nil
	}
	id, err := domain.ParseTerminalID(rawID)
	if err != nil {
		return cards.Card{}, err
	}
	term, err := b.store.Terminal(t.Ctx, id.String())
	if err != nil {
		return cards.Card{}, err
	}
	v := cards.TerminalFormView{ID: term.ID, Owner: term.Owner, Make: term.Make, Model: term.Model, Specs: term.Specs, CPU: term.CPU,
		RAM: term.RAM, Storage: term.Storage, OS: term.OS, Serial: term.Serial, Notes: term.Notes, Status: string(term.Status),
		PurchaseDate: string(term.PurchaseDate), WarrantyEnd: string(term.WarrantyEnd), Warning: warning, PeoplePicker: b.dir != nil}
	if term.PriceCents > 0 {
		v.Price = strings.TrimSuffix(domain.FormatPrice(term.PriceCents), " €")
	}
	if c := term.Contract; c != nil {
		v.Supplier, v.ContractRef, v.ContractEnd = c.Supplier, c.Reference, string(c.End)
	}
	if term.AssignedTo != nil {
		v.Assignee = term.AssignedTo.ID
	}
	if _, search := in.Data["search"]; warning != "" || search {
		// Sent back with a reason, or with the people a search found:
		// as the user left it.
		fillFormFromInput(&v, in)
	}
	if term.Status != domain.StatusLent {
		b.offerAssignees(t, &v)
	}
	return cards.TerminalForm(t.Lang, v), nil
}

// offerAssignees fills the form's person picker. The directory being
// unreachable does not stop the rest of the form: it says so instead.
func (b *Bot) offerAssignees(t *Turn, v *cards.TerminalFormView) {
	found, err := b.findPeople(t, v.AssigneeQuery, v.Assignee, "terminal.form.suggestions")
	if err != nil {
		t.Log.Warn("directory search failed", "err", err)
		v.PeopleNotice = errorText(t, err)
		return
	}
	v.People, v.Assignee, v.PeopleNotice = found.Choices, found.Chosen, found.Notice
}

// fillFormFromInput keeps what the user typed when the form comes back
// with a warning or with the people a search found.
func fillFormFromInput(v *cards.TerminalFormView, in Input) {
	set := func(dst *string, key string) {
		if _, ok := in.Data[key]; ok {
			*dst = in.Str(key)
		}
	}
	set(&v.Owner, "owner")
	set(&v.Make, "make")
	set(&v.Model, "model")
	set(&v.CPU, "cpu")
	set(&v.RAM, "ram")
	set(&v.Storage, "storage")
	set(&v.OS, "os")
	set(&v.Serial, "serial")
	set(&v.Notes, "notes")
	set(&v.PurchaseDate, "purchaseDate")
	set(&v.Price, "price")
	set(&v.WarrantyEnd, "warrantyEnd")
	set(&v.Supplier, "supplier")
	set(&v.ContractRef, "contractRef")
	set(&v.ContractEnd, "contractEnd")
	set(&v.Status, "status")
	set(&v.AssigneeQuery, "assigneeQuery")
	set(&v.Assignee, "assignee")
}

// updateFromInput reads the terminal form into an update.
func updateFromInput(in Input) (domain.TerminalUpdate, error) {
	var u domain.TerminalUpdate
	str := func(key string) *string {
		if _, ok := in.Data[key]; !ok {
			return nil
		}
		v := in.Str(key)
		return &v
	}
	u.Owner, u.Make, u.Model, u.CPU, u.RAM = str("owner"), str("make"), str("model"), str("cpu"), str("ram")
	u.Storage, u.OS, u.Serial, u.Notes = str("storage"), str("os"), str("serial"), str("notes")
	date := func(key string) (*domain.Date, error) {
		if _, ok := in.Data[key]; !ok {
			return nil, nil
		}
		d, err := domain.ParseDate(in.Str(key))
		return &d, err
	}
	var err error
	if u.PurchaseDate, err = date("purchaseDate"); err != nil {
		return u, err
	}
	if u.WarrantyEnd, err = date("warrantyEnd"); err != nil {
		return u, err
	}
	if _, ok := in.Data["price"]; ok {
		p, err := domain.ParsePrice(in.Str("price"))
		if err != nil {
			return u, err
		}
		u.PriceCents = &p
	}
	if _, ok := in.Data["supplier"]; ok {
		end, err := domain.ParseDate(in.Str("contractEnd"))
		if err != nil {
			return u, err
		}
		u.Contract = &domain.Contract{Supplier: in.Str("supplier"), Reference: in.Str("contractRef"), End: end}
	}
	if s := in.Str("status"); s != "" {
		st, err := domain.ParseTerminalStatus(s)
		if err != nil {
			return u, err
		}
		u.Status = &st
	}
	return u, nil
}

// registerTerminal creates a terminal with the next free number of its
// establishment and type.
func (b *Bot) registerTerminal(t *Turn, in Input) (cards.Card, error) {
	types, err := b.terminalTypes(t.Ctx)
	if err != nil {
		return cards.Card{}, err
	}
	code := strings.ToUpper(in.Str("type"))
	if _, ok := findType(types, code); !ok {
		return cards.Card{}, domain.Errorf(domain.EINVALID, "err.terminal.type_unknown", cards.Plain(code, 10))
	}
	est := domain.NormalizeEstablishmentCode(in.Str("establishment"))
	if _, err := b.store.Establishment(t.Ctx, est); err != nil {
		return cards.Card{}, err
	}
	u, err := updateFromInput(in)
	if err != nil {
		return b.terminalForm(t, "", in, errorText(t, err))
	}
	// A new terminal is in stock (the form has no status): assigning it
	// to someone is an edit, with the person from the directory.
	term := domain.Terminal{Establishment: est, Type: code, Status: domain.StatusInStock}
	u.Status = nil
	if err := u.Apply(&term); err != nil {
		return cards.Card{}, err
	}
	created, err := b.store.RegisterTerminal(t.Ctx, term, actor(t), t.Now)
	if err != nil {
		return cards.Card{}, err
	}
	t.Log.Info("terminal registered", "terminal", created.ID)
	return b.terminalCard(t, created.ID, t.T("terminal.created", created.ID))
}

// saveTerminal applies the edit form. A refused edit sends the form back,
// as filled in, with the reason on top; nothing is changed.
func (b *Bot) saveTerminal(t *Turn, in Input) (cards.Card, error) {
	c, err := b.trySaveTerminal(t, in)
	switch domain.ErrorCodeOf(err) {
	case domain.EINVALID, domain.ECONFLICT:
		if _, idErr := domain.ParseTerminalID(in.Str("id")); idErr == nil {
			t.Log.Info("terminal edit refused", "terminal", in.Str("id"), "err", err)
			return b.terminalForm(t, in.Str("id"), in, errorText(t, err))
		}
	}
	return c, err
}

func (b *Bot) trySaveTerminal(t *Turn, in Input) (cards.Card, error) {
	id, err := domain.ParseTerminalID(in.Str("id"))
	if err != nil {
		return cards.Card{}, err
	}
	u, err := updateFromInput(in)
	if err != nil {
		return cards.Card{}, err
	}
	before, err := b.store.Terminal(t.Ctx, id.String())
	if err != nil {
		return cards.Card{}, err
	}
	if u.Status != nil && *u.Status == before.Status {
		u.Status = nil
	}
	if u.AssignedTo, err = b.assigneeFromInput(t, in, before, u.Status); err != nil {
		return cards.Card{}, err
	}
	after, err := b.store.UpdateTerminal(t.Ctx, id.String(), u, actor(t), t.Now)
	if err != nil {
		return cards.Card{}, err
	}
	notice := t.T("terminal.saved", after.ID)
	if after.Version == before.Version {
		notice = t.T("terminal.unchanged")
	} else if a := after.AssignedTo; a != nil && (before.AssignedTo == nil || before.AssignedTo.ID != a.ID) {
		t.Log.Info("terminal assigned", "terminal", after.ID, "assignee", a.ID)
	}
	return b.terminalCard(t, after.ID, notice)
}

// assigneeFromInput reads the person the form assigns the terminal to:
// nil when the form keeps the current one (or none); the person found in
// the directory when it picks someone else for an "assigned" terminal.
// Picking someone for a terminal that will not be "assigned" is refused
// (the domain would refuse it too, after a needless directory call).
func (b *Bot) assigneeFromInput(t *Turn, in Input, before domain.Terminal, status *domain.TerminalStatus) (*domain.PersonRef, error) {
	id := in.Str("assignee")
	if id == "" || (before.AssignedTo != nil && strings.EqualFold(id, before.AssignedTo.ID)) {
		return nil, nil
	}
	after := before.Status
	if status != nil {
		after = *status
	}
	switch {
	case before.Status == domain.StatusLent:
		return nil, domain.Errorf(domain.ECONFLICT, "err.terminal.lent_use_return", before.ID)
	case after != domain.StatusAssigned:
		return nil, domain.Errorf(domain.EINVALID, "err.terminal.assignee_status")
	}
	p, err := b.resolvePerson(t, id, "err.terminal.assignee_unknown")
	if err != nil {
		return nil, err
	}
	return &domain.PersonRef{ID: p.ID, Name: p.DisplayName, Email: p.Email}, nil
}

// documentFromInput reads the document form.
func documentFromInput(t *Turn, in Input) (domain.Document, error) {
	kind := domain.DocumentKind(in.Str("docKind"))
	if kind == "" {
		kind = domain.DocOther
	}
	d := domain.Document{Kind: kind, Name: in.Str("docName"), URL: in.Str("docUrl"), AddedBy: actor(t), AddedAt: t.Now.UTC()}
	return d, d.Validate()
}

func (b *Bot) addTerminalDocument(t *Turn, in Input) (cards.Card, error) {
	d, err := documentFromInput(t, in)
	if err != nil {
		return cards.Card{}, err
	}
	id, err := domain.ParseTerminalID(in.Str("id"))
	if err != nil {
		return cards.Card{}, err
	}
	if _, err := b.store.UpdateTerminal(t.Ctx, id.String(), domain.TerminalUpdate{AddDocument: &d}, actor(t), t.Now); err != nil {
		return cards.Card{}, err
	}
	return b.terminalCard(t, id.String(), t.T("document.added", cards.Plain(d.Name, 60)))
}

// typesCard is the admins' card of the type table.
func (b *Bot) typesCard(t *Turn, notice string) (cards.Card, error) {
	types, err := b.terminalTypes(t.Ctx)
	if err != nil {
		return cards.Card{}, err
	}
	var lines []cards.TypeLine
	for _, tt := range types {
		lines = append(lines, cards.TypeLine{Code: tt.Code, NameFR: tt.NameFR, NameEN: tt.NameEN, Lendable: tt.Lendable})
	}
	return cards.TerminalTypes(t.Lang, lines, notice), nil
}

func (b *Bot) saveType(t *Turn, in Input) (cards.Card, error) {
	tt := domain.TerminalType{Code: strings.ToUpper(in.Str("code")), NameFR: in.Str("nameFr"), NameEN: in.Str("nameEn"),
		Lendable: in.Str("lendable") == "true", UpdatedAt: t.Now.UTC(), UpdatedBy: t.Principal.UserID}
	if _, err := b.terminalTypes(t.Ctx); err != nil {
		return cards.Card{}, err
	}
	if err := b.store.SaveTerminalType(t.Ctx, tt); err != nil {
		return cards.Card{}, err
	}
	return b.typesCard(t, t.T("types.saved", tt.Code))
}
