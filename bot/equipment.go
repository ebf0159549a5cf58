package bot

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
)

// registerEquipment registers the equipment feature's commands, card verbs, menu
// entries, routes and jobs.
func (b *Bot) registerEquipment(r *Router) {
	tech := domain.RoleTechnician
	r.Command(Command{FR: "terminaux", EN: "terminals", Aliases: []string{"parc informatique", "matériel", "materiel", "inventaire"}, Help: "cmd.terminals.desc",
		Run: func(t *Turn, args string) (cards.Card, error) { return b.terminalList(t, terminalQuery{Text: args}) }})
	r.Command(Command{FR: "terminal", EN: "terminal", Help: "cmd.terminal.desc", Run: b.terminalCommand})
	r.Command(Command{FR: "prêt", EN: "loan", Aliases: []string{"pret", "prêter", "preter", "lend", "nouveau prêt", "new loan"}, Help: "cmd.loan.desc", Role: tech,
		Run: func(t *Turn, args string) (cards.Card, error) { return b.loanCommand(t, args) }})
	r.Command(Command{FR: "retour", EN: "return", Help: "cmd.return.desc", Role: tech, Run: b.returnCommand})
	r.Command(Command{FR: "prêts", EN: "loans", Aliases: []string{"prets", "mes prêts", "mes prets", "my loans"}, Help: "cmd.loans.desc",
		Run: func(t *Turn, _ string) (cards.Card, error) { return b.loansCard(t) }})
	r.Command(Command{FR: "types de terminaux", EN: "terminal types", Help: "cmd.types.desc", Role: domain.RoleAdmin,
		Run: func(t *Turn, _ string) (cards.Card, error) { return b.typesCard(t, "") }})
	r.Command(Command{FR: "importer", EN: "import inventory", Aliases: []string{"importer l'inventaire", "import inventaire"}, Help: "cmd.import.desc", Role: tech,
		Run: func(t *Turn, _ string) (cards.Card, error) { return cards.ImportHelp(t.Lang), nil }})

	r.Action(Action{Verb: cards.VerbTerminals, Run: func(t *Turn, in Input) (cards.Card, error) { return b.terminalList(t, queryFrom(in)) }})
	r.Action(Action{Verb: cards.VerbTerminal, Run: func(t *Turn, in Input) (cards.Card, error) { return b.terminalCard(t, in.Str("id"), "") }})
	r.Action(Action{Verb: cards.VerbTerminalNewForm, Role: tech, Run: func(t *Turn, in Input) (cards.Card, error) { return b.terminalForm(t, "", in, "") }})
	r.Action(Action{Verb: cards.VerbTerminalNew, Role: tech, Run: b.registerTerminal})
	r.Action(Action{Verb: cards.VerbTerminalEdit, Role: tech, Run: func(t *Turn, in Input) (cards.Card, error) { return b.terminalForm(t, in.Str("id"), in, "") }})
	r.Action(Action{Verb: cards.VerbTerminalSave, Role: tech, Run: b.saveTerminal})
	r.Action(Action{Verb: cards.VerbTerminalDocAdd, Role: tech, Run: b.addTerminalDocument})
	r.Action(Action{Verb: cards.VerbLoanForm, Role: tech, Run: b.loanFormAction})
	r.Action(Action{Verb: cards.VerbLoanOpen, Role: tech, Run: b.openLoan})
	r.Action(Action{Verb: cards.VerbLoan, Run: func(t *Turn, in Input) (cards.Card, error) { return b.loanCard(t, in.Str("loan"), "", "") }})
	r.Action(Action{Verb: cards.VerbLoanReturnForm, Role: tech, Run: func(t *Turn, in Input) (cards.Card, error) { return b.returnForm(t, in.Str("loan")) }})
	r.Action(Action{Verb: cards.VerbLoanClose, Role: tech, Run: b.closeLoan})
	r.Action(Action{Verb: cards.VerbLoanAck, Run: b.acknowledgeLoan})
	r.Action(Action{Verb: cards.VerbLoanDocAdd, Role: tech, Run: b.addLoanDocument})
	r.Action(Action{Verb: cards.VerbLoans, Run: func(t *Turn, _ Input) (cards.Card, error) { return b.loansCard(t) }})
	r.Action(Action{Verb: cards.VerbImportHelp, Role: tech, Run: func(t *Turn, _ Input) (cards.Card, error) { return cards.ImportHelp(t.Lang), nil }})
	r.Action(Action{Verb: cards.VerbImportApply, Role: tech, Run: b.applyImport})
	r.Action(Action{Verb: cards.VerbTerminalTypes, Role: domain.RoleAdmin, Run: func(t *Turn, _ Input) (cards.Card, error) { return b.typesCard(t, "") }})
	r.Action(Action{Verb: cards.VerbTerminalTypeAdd, Role: domain.RoleAdmin, Run: b.saveType})

	it := "menu.section.it"
	r.Menu(
		MenuEntry{Item: cards.MenuItem{Section: it, Title: "menu.terminals", Verb: cards.VerbTerminals}},
		MenuEntry{Item: cards.MenuItem{Section: it, Title: "menu.loans", Verb: cards.VerbLoans}},
		MenuEntry{Item: cards.MenuItem{Section: it, Title: "menu.loan_new", Verb: cards.VerbLoanForm}, Role: tech},
		MenuEntry{Item: cards.MenuItem{Section: it, Title: "menu.terminal_new", Verb: cards.VerbTerminalNewForm}, Role: tech},
		MenuEntry{Item: cards.MenuItem{Section: it, Title: "menu.import", Verb: cards.VerbImportHelp}, Role: tech},
	)

	b.OnFiles(FileHandler{Role: tech, Run: b.onEquipmentFile})
	b.Route(http.MethodGet, certificatePath, b.serveCertificate)
	b.addJob(Job{Name: "equipment.overdue", Every: time.Hour, Run: untilShutdown(b.remindOverdue)})
	b.addJob(Job{Name: "equipment.warranty", Every: 6 * time.Hour, Run: untilShutdown(b.remindEnds)})
}

// untilShutdown drops the error of a job cut short because Parc is
// stopping: it runs again, from where Once left it, at the next start.
func untilShutdown(run func(context.Context, time.Time) error) func(context.Context, time.Time) error {
	return func(ctx context.Context, now time.Time) error {
		if err := run(ctx, now); err != nil && ctx.Err() == nil {
			return err
		}
		return nil
	}
}

// actor is the user of the turn as records name them.
func actor(t *Turn) domain.PersonRef {
	return domain.PersonRef{ID: t.Principal.UserID, Name: nameOr(t.Principal.Name, t.Principal.UserID)}
}

// today is the day it is in Paris (the bot's time zone).
func (t *Turn) today() domain.Date { return domain.DateOf(t.Now, t.Location()) }

// terminalTypes returns the type table, filling a new store with the
// default table on first use.
func (b *Bot) terminalTypes(ctx context.Context) ([]domain.TerminalType, error) {
	types, err := b.store.TerminalTypes(ctx)
	if err != nil {
		return nil, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	if len(types) > 0 {
		return types, nil
	}
	for _, tt := range domain.DefaultTerminalTypes {
		tt.UpdatedAt = b.clock.Now()
		if err := b.store.SaveTerminalType(ctx, tt); err != nil {
			return nil, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
		}
	}
	return domain.DefaultTerminalTypes, nil
}

func findType(types []domain.TerminalType, code string) (domain.TerminalType, bool) {
	for _, tt := range types {
		if tt.Code == code {
			return tt, true
		}
	}
	return domain.TerminalType{}, false
}

func typeChoices(types []domain.TerminalType, l cards.Lang) []cards.Choice {
	out := make([]cards.Choice, 0, len(types))
	for _, tt := range types {
		out = append(out, cards.Choice{Title: tt.Code + " · " + tt.Name(string(l)), Value: tt.Code})
	}
	return out
}

// terminalEstablishments lists the establishments whose code can number
// terminals (ESTABLISHMENT-SITE), and every establishment's name by code.
func (b *Bot) terminalEstablishments(ctx context.Context) ([]cards.Choice, map[string]string, error) {
	list, err := b.store.ListEstablishments(ctx)
	if err != nil {
		return nil, nil, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	names := map[string]string{}
	var out []cards.Choice
	for _, e := range list {
		names[e.Code] = e.Name
		if _, _, ok := domain.SplitEstablishmentCode(e.Code); ok {
			out = append(out, cards.Choice{Title: e.Name, Value: e.Code})
		}
	}
	return out, names, nil
}

// Formatting of times and days for the cards: days as French users write
// them, times in the bot's time zone.
func (t *Turn) fmtTime(at time.Time) string {
	if at.IsZero() {
		return ""
	}
	return at.In(t.Location()).Format("02/01/2006 15:04")
}

func fmtDate(d domain.Date) string { return d.French() }

// inputList splits a multi-select ChoiceSet's value ("charger,bag").
func inputList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// intInput reads a number sent by a card (a JSON number or a string).
func intInput(in Input, key string) int {
	n, err := strconv.Atoi(in.Str(key))
	if err != nil {
		return 0
	}
	return n
}
