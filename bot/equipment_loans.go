package bot

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
)

// certificateTTL is how long a certificate's download link works.
const certificateTTL = 24 * time.Hour

// loanLine is a loan on a list.
func (b *Bot) loanLine(t *Turn, l domain.Loan, today domain.Date) cards.LoanLine {
	ln := cards.LoanLine{ID: l.ID, TerminalID: l.TerminalID, Terminal: strings.TrimSpace(l.Terminal.Make + " " + l.Terminal.Model),
		Borrower: l.Borrower.Name, Opened: domain.DateOf(l.Opened, t.Location()).French(), Due: fmtDate(l.Due),
		Open: l.Open, Overdue: l.Overdue(today), Acked: l.Ack != nil}
	if l.Closed != nil {
		ln.Closed = domain.DateOf(*l.Closed, t.Location()).French()
	}
	return ln
}

// loanView is a loan's card data, with fresh signed links to its
// certificates.
func (b *Bot) loanView(t *Turn, l domain.Loan) cards.LoanView {
	v := cards.LoanView{
		ID: l.ID, TerminalID: l.TerminalID, Terminal: strings.TrimSpace(l.Terminal.Make + " " + l.Terminal.Model), Serial: l.Terminal.Serial,
		Borrower: l.Borrower.Name, BorrowerEmail: l.Borrower.Email, BorrowerJob: l.Borrower.JobTitle, Technician: l.Technician.Name,
		Opened: t.fmtTime(l.Opened), Due: fmtDate(l.Due), Accessories: l.Accessories, ConditionOut: string(l.ConditionOut),
		NotesOut: l.NotesOut, Open: l.Open, Overdue: l.Overdue(t.today()), AckSent: l.AckSent != nil,
		ConditionIn: string(l.ConditionIn), NotesIn: l.NotesIn, CanEdit: t.Principal.Has(domain.RoleTechnician),
	}
	if l.Ack != nil {
		v.Ack = t.fmtTime(l.Ack.At) + ", " + l.Ack.Name
	}
	if l.Closed != nil {
		v.Closed = t.fmtTime(*l.Closed)
		if l.ClosedBy != nil {
			v.ClosedBy = l.ClosedBy.Name
		}
		v.Missing = l.MissingAccessories()
	}
	exp := t.Now.Add(certificateTTL)
	v.LoanCertificate = b.certificateURL(l.ID, "loan", exp)
	if !l.Open {
		v.ReturnCertificate = b.certificateURL(l.ID, "return", exp)
	}
	v.LinkExpiry = t.fmtTime(exp)
	for _, d := range l.Documents {
		v.Documents = append(v.Documents, b.documentLink(t, d))
	}
	return v
}

func (b *Bot) certificateURL(loanID, kind string, exp time.Time) string {
	return b.links.Sign(strings.Replace(certificatePath, ":file", loanID+"-"+kind+".pdf", 1), url.Values{}, exp)
}

// loanCard shows a loan to a technician or to its borrower.
func (b *Bot) loanCard(t *Turn, rawID, notice, warning string) (cards.Card, error) {
	id, err := domain.ParseLoanID(rawID)
	if err != nil {
		return cards.Card{}, err
	}
	l, err := b.store.Loan(t.Ctx, id.String())
	if err != nil {
		return cards.Card{}, err
	}
	if !t.Principal.Has(domain.RoleTechnician) && l.Borrower.ID != t.Principal.UserID {
		return cards.Card{}, domain.Errorf(domain.EFORBIDDEN, "err.forbidden.role", string(domain.RoleTechnician))
	}
	v := b.loanView(t, l)
	v.Notice, v.Warning = notice, warning
	return cards.LoanCard(t.Lang, v), nil
}

// loanCommand: "prêt" opens the form; "prêt DITEP-STF-P068" with the
// terminal chosen; "prêt DITEP-STF-P068-L2" shows that loan.
func (b *Bot) loanCommand(t *Turn, args string) (cards.Card, error) {
	args = strings.TrimSpace(args)
	if args == "" {
		return b.loanForm(t, Input{Data: map[string]any{}})
	}
	if _, err := domain.ParseLoanID(args); err == nil {
		return b.loanCard(t, args, "", "")
	}
	id, err := domain.ParseTerminalID(args)
	if err != nil {
		return cards.Card{}, err
	}
	return b.loanForm(t, Input{Data: map[string]any{"terminal": id.String()}})
}

func (b *Bot) loanFormAction(t *Turn, in Input) (cards.Card, error) { return b.loanForm(t, in) }

// loanForm builds the form, keeping what was typed; with a borrower
// search, the people found by the directory become the choices.
func (b *Bot) loanForm(t *Turn, in Input) (cards.Card, error) {
	types, err := b.terminalTypes(t.Ctx)
	if err != nil {
		return cards.Card{}, err
	}
	var lendable []string
	for _, tt := range types {
		if tt.Lendable {
			lendable = append(lendable, tt.Code)
		}
	}
	v := cards.LoanFormView{Terminal: in.Str("terminal"), Query: in.Str("borrowerQuery"), Borrower: in.Str("borrower"),
		Due: in.Str("due"), MinDue: string(t.today()), Accessories: inputList(in.Str("accessories")), Condition: in.Str("condition"),
		Notes: in.Str("notes"), PeoplePicker: b.dir != nil}
	if w, ok := in.Data[warningKey].(string); ok {
		v.Warning = w
	}
	if v.Due == "" {
		v.Due = string(t.today().AddDays(7))
	}
	if v.Terminal != "" {
		if id, err := domain.ParseTerminalID(v.Terminal); err == nil {
			v.Terminal = id.String()
		}
	}
	if len(lendable) > 0 {
		page, err := b.store.SearchTerminals(t.Ctx, domain.TerminalFilter{Types: lendable, Statuses: []domain.TerminalStatus{domain.StatusInStock}, Limit: 100})
		if err != nil {
			return cards.Card{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
		}
		for _, s := range page.Items {
			v.Terminals = append(v.Terminals, cards.Choice{Title: s.ID + " · " + strings.TrimSpace(s.Make+" "+s.Model), Value: s.ID})
		}
		if v.Terminal != "" && !slices.ContainsFunc(v.Terminals, func(c cards.Choice) bool { return c.Value == v.Terminal }) {
			// Asked for by id: offer it if it can be lent, else say why.
			term, err := b.store.Terminal(t.Ctx, v.Terminal)
			tt, _ := findType(types, term.Type)
			switch {
			case v.Warning != "":
				// The reason a loan was just refused says it already.
			case err != nil:
				v.Warning = errorText(t, err)
			case !tt.Lendable:
				v.Warning = t.T("err.loan.type_not_lendable", tt.Name(string(t.Lang)))
			case !term.Lendable(tt):
				v.Warning = t.T("err.loan.not_lendable", term.ID)
			default:
				v.Terminals = append([]cards.Choice{{Title: term.ID + " · " + strings.TrimSpace(term.Make+" "+term.Model), Value: term.ID}}, v.Terminals...)
			}
		}
	}
	found, err := b.findPeople(t, v.Query, v.Borrower, "loan.form.suggestions")
	if err != nil {
		return cards.Card{}, err
	}
	v.People, v.Borrower, v.Notice = found.Choices, found.Chosen, found.Notice
	return cards.LoanForm(t.Lang, v), nil
}

// openLoan opens the loan, then asks the borrower to acknowledge it in
// their personal chat. A refused loan sends the form back, as filled in,
// with the reason on top.
func (b *Bot) openLoan(t *Turn, in Input) (cards.Card, error) {
	c, err := b.tryOpenLoan(t, in)
	switch domain.ErrorCodeOf(err) {
	case domain.EINVALID, domain.ECONFLICT, domain.ENOTFOUND:
		t.Log.Info("loan refused", "err", err)
		return b.loanForm(t, withWarning(in, errorText(t, err)))
	}
	return c, err
}

// withWarning passes a warning to the form through its input.
func withWarning(in Input, warning string) Input {
	data := make(map[string]any, len(in.Data)+1)
	for k, v := range in.Data {
		data[k] = v
	}
	data[warningKey] = warning
	return Input{Verb: in.Verb, Data: data}
}

// warningKey carries a warning from a refused action to the form it sends
// back; it is never read from a card.
const warningKey = "\x00warning"

func (b *Bot) tryOpenLoan(t *Turn, in Input) (cards.Card, error) {
	if in.Str("terminal") == "" {
		return cards.Card{}, domain.Errorf(domain.EINVALID, "err.loan.terminal_required")
	}
	id, err := domain.ParseTerminalID(in.Str("terminal"))
	if err != nil {
		return cards.Card{}, err
	}
	if in.Str("borrower") == "" {
		return cards.Card{}, domain.Errorf(domain.EINVALID, "err.loan.borrower_required")
	}
	cond := in.Str("condition")
	if cond == "" {
		cond = string(domain.ConditionGood)
	}
	due, err := domain.ParseDate(in.Str("due"))
	if err != nil {
		return cards.Card{}, err
	}
	req := domain.LoanRequest{TerminalID: id.String(), Technician: actor(t), Due: due, Accessories: inputList(in.Str("accessories")),
		ConditionOut: domain.Condition(cond), Notes: in.Str("notes"), Borrower: domain.Borrower{ID: in.Str("borrower"), Name: "?"}}
	if err := req.Validate(t.today()); err != nil {
		return cards.Card{}, err
	}
	person, err := b.resolvePerson(t, in.Str("borrower"), "err.loan.borrower_unknown")
	if err != nil {
		return cards.Card{}, err
	}
	req.Borrower = domain.Borrower{ID: person.ID, Name: person.DisplayName, Email: person.Email, JobTitle: person.JobTitle}
	term, err := b.store.Terminal(t.Ctx, id.String())
	if err != nil {
		return cards.Card{}, err
	}
	types, err := b.terminalTypes(t.Ctx)
	if err != nil {
		return cards.Card{}, err
	}
	if tt, _ := findType(types, term.Type); !tt.Lendable {
		return cards.Card{}, domain.Errorf(domain.ECONFLICT, "err.loan.type_not_lendable", tt.Name(string(t.Lang)))
	}
	loan, _, err := b.store.OpenLoan(t.Ctx, req, t.Now)
	if err != nil {
		return cards.Card{}, err
	}
	t.Log.Info("loan opened", "loan", loan.ID, "borrower", loan.Borrower.ID)
	notice := t.T("loan.opened", loan.ID, loan.TerminalID, loan.Borrower.Name)
	warning := ""
	if err := b.askAcknowledgement(t, loan); err != nil {
		t.Log.Warn("acknowledgement not sent", "loan", loan.ID, "err", err)
		warning = t.T("loan.opened.ack_failed", loan.Borrower.Name)
	} else {
		notice += " " + t.T("loan.opened.ack_sent", loan.Borrower.Name)
	}
	return b.loanCard(t, loan.ID, notice, warning)
}

// askAcknowledgement sends the borrower the card to confirm receipt, in
// their language, and records when it was sent.
func (b *Bot) askAcknowledgement(t *Turn, loan domain.Loan) error {
	lang := cards.FR
	if u, err := b.store.User(t.Ctx, loan.Borrower.ID); err == nil {
		lang = b.language(u.Language, "")
	}
	bt := *t
	bt.Lang = lang
	card := cards.AckRequest(lang, b.loanView(&bt, loan))
	if err := b.notify.NotifyUser(t.Ctx, loan.Borrower.ID, card); err != nil {
		return err
	}
	sent := t.Now.UTC()
	_, err := b.store.UpdateLoan(t.Ctx, loan.ID, func(l *domain.Loan) error { l.AckSent = &sent; return nil })
	return err
}

// acknowledgeLoan records that the borrower received the terminal and
// tells the technician.
func (b *Bot) acknowledgeLoan(t *Turn, in Input) (cards.Card, error) {
	id, err := domain.ParseLoanID(in.Str("loan"))
	if err != nil {
		return cards.Card{}, err
	}
	l, err := b.store.Loan(t.Ctx, id.String())
	if err != nil {
		return cards.Card{}, err
	}
	if t.Principal.UserID == "" || !strings.EqualFold(l.Borrower.ID, t.Principal.UserID) {
		return cards.Card{}, domain.Errorf(domain.EFORBIDDEN, "err.loan.not_borrower")
	}
	first := false
	l, err = b.store.UpdateLoan(t.Ctx, l.ID, func(l *domain.Loan) error {
		if l.Ack == nil {
			first = true
			l.Ack = &domain.Acknowledgement{At: t.Now.UTC(), UserID: t.Principal.UserID, Name: nameOr(t.Principal.Name, l.Borrower.Name)}
		}
		return nil
	})
	if err != nil {
		return cards.Card{}, err
	}
	if first {
		t.Log.Info("loan acknowledged", "loan", l.ID)
		techLang := cards.FR
		if u, err := b.store.User(t.Ctx, l.Technician.ID); err == nil {
			techLang = b.language(u.Language, "")
		}
		notice := cards.AckNotice(techLang, l.Ack.Name, l.TerminalID, l.ID, l.Ack.At.In(t.Location()).Format("02/01/2006 15:04"))
		if err := b.notify.NotifyUser(t.Ctx, l.Technician.ID, notice); err != nil {
			t.Log.Warn("technician not told of the acknowledgement", "loan", l.ID, "err", err)
		}
	}
	return cards.AckRequest(t.Lang, b.loanView(t, l)), nil
}

// returnCommand: "retour DITEP-STF-P068" (a terminal or a loan) opens the
// return form; alone, the open loans.
func (b *Bot) returnCommand(t *Turn, args string) (cards.Card, error) {
	args = strings.TrimSpace(args)
	if args == "" {
		return b.loansCard(t)
	}
	if lid, err := domain.ParseLoanID(args); err == nil {
		return b.returnForm(t, lid.String())
	}
	id, err := domain.ParseTerminalID(args)
	if err != nil {
		return cards.Card{}, err
	}
	term, err := b.store.Terminal(t.Ctx, id.String())
	if err != nil {
		return cards.Card{}, err
	}
	if term.OpenLoan == "" {
		return cards.Card{}, domain.Errorf(domain.ECONFLICT, "err.terminal.not_lent", term.ID)
	}
	return b.returnForm(t, term.OpenLoan)
}

func (b *Bot) returnForm(t *Turn, rawID string) (cards.Card, error) {
	id, err := domain.ParseLoanID(rawID)
	if err != nil {
		return cards.Card{}, err
	}
	l, err := b.store.Loan(t.Ctx, id.String())
	if err != nil {
		return cards.Card{}, err
	}
	if !l.Open {
		return cards.Card{}, domain.Errorf(domain.ECONFLICT, "err.loan.closed", l.ID)
	}
	return cards.ReturnForm(t.Lang, cards.ReturnFormView{Loan: b.loanView(t, l), Accessories: l.Accessories}), nil
}

// closeLoan records the return.
func (b *Bot) closeLoan(t *Turn, in Input) (cards.Card, error) {
	id, err := domain.ParseLoanID(in.Str("loan"))
	if err != nil {
		return cards.Card{}, err
	}
	cond := in.Str("conditionIn")
	if cond == "" {
		cond = string(domain.ConditionGood)
	}
	r := domain.LoanReturn{By: actor(t), At: t.Now, Condition: domain.Condition(cond), Accessories: inputList(in.Str("returned")), Notes: in.Str("notesIn")}
	if err := r.Validate(); err != nil {
		return cards.Card{}, err
	}
	l, term, err := b.store.CloseLoan(t.Ctx, id.String(), r)
	if err != nil {
		return cards.Card{}, err
	}
	t.Log.Info("loan closed", "loan", l.ID, "terminal_status", string(term.Status))
	return b.loanCard(t, l.ID, t.T("loan.closed", term.ID, strings.ToLower(t.T("status."+string(term.Status)))), "")
}

// addLoanDocument attaches a document (a link, or a file sent in chat) to
// a loan.
func (b *Bot) addLoanDocument(t *Turn, in Input) (cards.Card, error) {
	id, err := domain.ParseLoanID(in.Str("loan"))
	if err != nil {
		return cards.Card{}, err
	}
	d, err := documentFromInput(t, in)
	if err != nil {
		return cards.Card{}, err
	}
	if _, err := b.store.UpdateLoan(t.Ctx, id.String(), func(l *domain.Loan) error {
		l.Documents = append(l.Documents, d)
		return nil
	}); err != nil {
		return cards.Card{}, err
	}
	return b.loanCard(t, id.String(), t.T("document.added", cards.Plain(d.Name, 60)), "")
}

// loansMax bounds the loans a card lists.
const loansMax = 25

// loansCard: technicians see every open loan, the overdue first; anybody
// else their own loans.
func (b *Bot) loansCard(t *Turn) (cards.Card, error) {
	today := t.today()
	tech := t.Principal.Has(domain.RoleTechnician)
	f := domain.LoanFilter{OpenOnly: true}
	if !tech {
		if t.Principal.UserID == "" {
			return cards.Forbidden(t.Lang, ""), nil
		}
		f = domain.LoanFilter{BorrowerID: t.Principal.UserID}
	}
	loans, err := b.store.ListLoans(t.Ctx, f)
	if err != nil {
		return cards.Card{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	// The overdue first, the most overdue at the top; then by due date.
	slices.SortStableFunc(loans, func(a, b domain.Loan) int {
		if a.Open != b.Open {
			if a.Open {
				return -1
			}
			return 1
		}
		if a.Open {
			return strings.Compare(string(a.Due), string(b.Due))
		}
		return 0
	})
	v := cards.LoanListView{Mine: !tech, CanEdit: tech}
	for _, l := range loans {
		if l.Overdue(today) {
			v.OverdueNum++
		}
		switch {
		case l.Open && len(v.Open) < loansMax:
			v.Open = append(v.Open, b.loanLine(t, l, today))
		case l.Open:
			v.More++
		case !tech && len(v.Closed) < 10:
			v.Closed = append(v.Closed, b.loanLine(t, l, today))
		}
	}
	return cards.LoanList(t.Lang, v), nil
}

// errorText is the user's message for err (for cards that show a problem
// inline).
func errorText(t *Turn, err error) string {
	if e := domain.AsError(err); e != nil {
		return t.T(e.Key, e.Args...)
	}
	return fmt.Sprint(t.T("error.internal", t.Activity.ID))
}

// clipRunes cuts s to at most n runes (a choice's title is not Markdown:
// nothing to strip).
func clipRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
