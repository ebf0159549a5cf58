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

// FleetOptions are the pool cars' settings (PARC_FLEET_* in cmd/parc).
type FleetOptions struct {
	// MaxBooking is the longest reservation (5 days).
	MaxBooking time.Duration
	// StartReminder is how long before a reservation starts the driver is
	// reminded (30 minutes).
	StartReminder time.Duration
	// ReturnReminder is how long after a reservation ended without a
	// hand-back the driver is reminded (15 minutes).
	ReturnReminder time.Duration
}

func (o *FleetOptions) setDefaults() {
	if o.MaxBooking <= 0 {
		o.MaxBooking = domain.DefaultMaxBooking
	}
	if o.StartReminder <= 0 {
		o.StartReminder = 30 * time.Minute
	}
	if o.ReturnReminder <= 0 {
		o.ReturnReminder = 15 * time.Minute
	}
}

type fleetState struct {
	opts FleetOptions
}

// SetFleetOptions changes the pool cars' settings; call before serving.
func (b *Bot) SetFleetOptions(o FleetOptions) {
	o.setDefaults()
	b.fleet.opts = o
}

// registerFleet registers the fleet feature's commands, card verbs, menu
// entries, routes and jobs.
func (b *Bot) registerFleet(r *Router) {
	b.fleet.opts.setDefaults()
	fm := domain.RoleFleetManager

	r.Command(Command{FR: "dispo", EN: "available", Aliases: []string{"disponibilités", "disponibilites", "disponible", "availability", "voitures libres", "free cars"},
		Help: "cmd.fleet.search.desc", Run: b.fleetSearchText})
	r.Command(Command{FR: "réserver", EN: "book", Aliases: []string{"reserve", "réserver une voiture", "book a car"},
		Help: "cmd.fleet.reserve.desc", Run: b.fleetReserveText})
	r.Command(Command{FR: "mes réservations", EN: "my reservations", Aliases: []string{"mes reservations", "my bookings", "mes résas"},
		Help: "cmd.fleet.mine.desc", Run: func(t *Turn, _ string) (cards.Card, error) { return b.fleetMine(t, "") }})
	r.Command(Command{FR: "voitures", EN: "cars", Aliases: []string{"voiture", "car", "parc auto", "liste des voitures"},
		Help: "cmd.fleet.cars.desc", Run: b.fleetCarsText})
	r.Command(Command{FR: "annuler réservation", EN: "cancel reservation", Aliases: []string{"annuler la réservation", "cancel booking"},
		Help: "cmd.fleet.cancel.desc", Run: b.fleetCancelText})
	r.Command(Command{FR: "restituer", EN: "hand back", Aliases: []string{"rendre la voiture", "return the car", "restitution"},
		Help: "cmd.fleet.handback.desc", Run: b.fleetHandbackText})
	r.Command(Command{FR: "mon établissement", EN: "my establishment", Aliases: []string{"mon etablissement"},
		Help: "cmd.fleet.est.desc", Run: func(t *Turn, _ string) (cards.Card, error) { return b.fleetPickCard(t, "") }})
	r.Command(Command{FR: "rapport voitures", EN: "fleet report", Aliases: []string{"rapport flotte", "car report"}, Role: fm,
		Help: "cmd.fleet.report.desc", Run: func(t *Turn, _ string) (cards.Card, error) { return b.fleetReport(t, 1) }})
	r.Command(Command{FR: "ajouter voiture", EN: "add car", Aliases: []string{"ajouter une voiture", "add a car"}, Role: fm,
		Run: func(t *Turn, _ string) (cards.Card, error) { return b.fleetCarForm(t, "", "") }})

	r.Action(Action{Verb: cards.VerbFleetSearchForm, Run: func(t *Turn, in Input) (cards.Card, error) { return b.fleetSearchForm(t, cards.FleetForm{}) }})
	r.Action(Action{Verb: cards.VerbFleetSearch, Run: b.fleetSearch})
	r.Action(Action{Verb: cards.VerbFleetReserveForm, Run: b.fleetReserveForm})
	r.Action(Action{Verb: cards.VerbFleetReserve, Run: b.fleetReserve})
	r.Action(Action{Verb: cards.VerbFleetMine, Run: func(t *Turn, _ Input) (cards.Card, error) { return b.fleetMine(t, "") }})
	r.Action(Action{Verb: cards.VerbFleetCancel, Run: func(t *Turn, in Input) (cards.Card, error) { return b.fleetCancel(t, in.Str("id")) }})
	r.Action(Action{Verb: cards.VerbFleetShorten, Run: b.fleetShorten})
	r.Action(Action{Verb: cards.VerbFleetHandbackForm, Run: func(t *Turn, in Input) (cards.Card, error) { return b.fleetHandbackForm(t, in.Str("id"), "") }})
	r.Action(Action{Verb: cards.VerbFleetHandback, Run: b.fleetHandback})
	r.Action(Action{Verb: cards.VerbFleetExpense, Run: b.fleetExpense})
	r.Action(Action{Verb: cards.VerbFleetCars, Run: func(t *Turn, in Input) (cards.Card, error) { return b.fleetCars(t, atoiOr(in.Str("page"), 0)) }})
	r.Action(Action{Verb: cards.VerbFleetCar, Run: func(t *Turn, in Input) (cards.Card, error) { return b.fleetCar(t, in.Str("car"), "") }})
	r.Action(Action{Verb: cards.VerbFleetPickEst, Run: b.fleetPick})
	r.Action(Action{Verb: cards.VerbFleetCarForm, Role: fm, Run: func(t *Turn, in Input) (cards.Card, error) { return b.fleetCarForm(t, in.Str("car"), "") }})
	r.Action(Action{Verb: cards.VerbFleetCarSave, Role: fm, Run: b.fleetCarSave})
	r.Action(Action{Verb: cards.VerbFleetCarStatus, Role: fm, Run: b.fleetCarStatus})
	r.Action(Action{Verb: cards.VerbFleetMaintForm, Role: fm, Run: func(t *Turn, in Input) (cards.Card, error) { return b.fleetMaintenance(t, in.Str("car"), "") }})
	r.Action(Action{Verb: cards.VerbFleetMaintAdd, Role: fm, Run: b.fleetMaintenanceAdd})
	r.Action(Action{Verb: cards.VerbFleetReport, Role: fm, Run: func(t *Turn, in Input) (cards.Card, error) { return b.fleetReport(t, atoiOr(in.Str("months"), 1)) }})
	r.Action(Action{Verb: cards.VerbFleetCalendar, Run: func(t *Turn, in Input) (cards.Card, error) { return b.fleetCalendar(t, in.Str("car"), false) }})
	r.Action(Action{Verb: cards.VerbFleetCalendarNew, Role: fm, Run: func(t *Turn, in Input) (cards.Card, error) { return b.fleetCalendar(t, in.Str("car"), true) }})

	section := "menu.section.fleet"
	r.Menu(
		MenuEntry{Item: cards.MenuItem{Section: section, Title: "fleet.menu.search", Verb: cards.VerbFleetSearchForm}},
		MenuEntry{Item: cards.MenuItem{Section: section, Title: "fleet.menu.mine", Verb: cards.VerbFleetMine}},
		MenuEntry{Item: cards.MenuItem{Section: section, Title: "fleet.menu.cars", Verb: cards.VerbFleetCars}},
		MenuEntry{Item: cards.MenuItem{Section: section, Title: "fleet.menu.add", Verb: cards.VerbFleetCarForm}, Role: fm},
		MenuEntry{Item: cards.MenuItem{Section: section, Title: "fleet.menu.report", Verb: cards.VerbFleetReport}, Role: fm},
	)

	b.OnFiles(FileHandler{Accept: b.fleetAcceptsReceipt, Run: b.fleetReceipt})
	b.Route(http.MethodGet, calendarRoute, b.serveCalendar)
	b.Route(http.MethodGet, chartRoute, b.serveChart)
	b.Route(http.MethodGet, xlsxRoute, b.serveReportXLSX)
	b.addJob(Job{Name: "fleet-reminders", Every: time.Minute, Run: b.fleetReminders})
	b.addJob(Job{Name: "fleet-deadlines", Every: time.Hour, Run: b.fleetDeadlineReminders})
}

// fleetTime is how the turn's cards show time.
func (t *Turn) fleetTime() cards.FleetTime { return cards.FleetTime{Now: t.Now, Loc: t.Location()} }

func atoiOr(s string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return def
	}
	return n
}

// fleetEstablishment is the establishment whose cars the user sees: the one
// the directory puts them in, else the one they picked, else the only one.
// When it cannot tell, it returns the card that asks.
func (b *Bot) fleetEstablishment(t *Turn) (domain.Establishment, *cards.Card, error) {
	ests, err := b.store.ListEstablishments(t.Ctx)
	if err != nil {
		return domain.Establishment{}, nil, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	switch len(ests) {
	case 0:
		return domain.Establishment{}, nil, domain.Errorf(domain.EINVALID, "err.fleet.no_establishment")
	case 1:
		return ests[0], nil, nil
	}
	byCode := func(code string) (domain.Establishment, bool) {
		for _, e := range ests {
			if e.Code == code {
				return e, true
			}
		}
		return domain.Establishment{}, false
	}
	if inDir := b.directoryEstablishments(t, ests); len(inDir) > 0 {
		// Several: the one the user picked among them, else the first.
		for _, e := range inDir {
			if e.Code == t.User.Establishment {
				return e, nil, nil
			}
		}
		return inDir[0], nil, nil
	}
	if e, ok := byCode(t.User.Establishment); ok {
		return e, nil, nil
	}
	c, err := b.fleetPickCard(t, "")
	return domain.Establishment{}, &c, err
}

// directoryEstablishments are the establishments whose staff groups hold
// the user, when a directory is configured and reachable.
func (b *Bot) directoryEstablishments(t *Turn, ests []domain.Establishment) []domain.Establishment {
	if b.dir == nil || t.Principal.UserID == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(t.Ctx, 3*time.Second)
	defer cancel()
	groups, err := b.dir.GroupsOf(ctx, t.Principal.UserID)
	if err != nil {
		t.Log.Warn("directory groups unavailable; using the establishment the user picked", "err", err)
		return nil
	}
	var out []domain.Establishment
	for _, e := range ests {
		for _, g := range groups {
			if e.HasStaffGroup(g) {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

// withEstablishment runs fn in the user's establishment, or answers with
// the card that asks for it.
func (b *Bot) withEstablishment(t *Turn, fn func(est domain.Establishment) (cards.Card, error)) (cards.Card, error) {
	est, ask, err := b.fleetEstablishment(t)
	if err != nil {
		return cards.Card{}, err
	}
	if ask != nil {
		return *ask, nil
	}
	return fn(est)
}

func (b *Bot) fleetPickCard(t *Turn, notice string) (cards.Card, error) {
	ests, err := b.store.ListEstablishments(t.Ctx)
	if err != nil {
		return cards.Card{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	if len(ests) == 0 {
		return cards.Card{}, domain.Errorf(domain.EINVALID, "err.fleet.no_establishment")
	}
	if inDir := b.directoryEstablishments(t, ests); len(inDir) == 1 {
		return cards.Notice(t.Lang, "", t.T("fleet.est.directory", inDir[0].Name), cards.ColorGood, fleetMenuButtons(t)...), nil
	}
	choices := make([]cards.Choice, 0, len(ests))
	for _, e := range ests {
		choices = append(choices, cards.Choice{Title: e.Name + " (" + e.Code + ")", Value: e.Code})
	}
	return cards.FleetPickEstablishmentCard(t.Lang, choices, t.User.Establishment, notice), nil
}

func fleetMenuButtons(t *Turn) []cards.Action {
	return []cards.Action{
		cards.Execute{Title: t.T("fleet.menu.search"), Verb: cards.VerbFleetSearchForm},
		cards.Execute{Title: t.T("fleet.menu.cars"), Verb: cards.VerbFleetCars},
	}
}

// fleetPick stores the establishment the user picked.
func (b *Bot) fleetPick(t *Turn, in Input) (cards.Card, error) {
	if t.Principal.UserID == "" {
		return cards.Card{}, domain.Errorf(domain.EFORBIDDEN, "forbidden.no_user")
	}
	code := domain.NormalizeEstablishmentCode(in.Str("establishment"))
	est, err := b.store.Establishment(t.Ctx, code)
	if err != nil {
		return cards.Card{}, err
	}
	u, err := b.store.UpdateUser(t.Ctx, t.Principal.UserID, func(u *domain.User) error { u.Establishment = est.Code; return nil })
	if err != nil {
		return cards.Card{}, err
	}
	t.User = u
	return cards.Notice(t.Lang, "", t.T("fleet.est.saved", est.Name), cards.ColorGood, fleetMenuButtons(t)...), nil
}

// fleetManagers are the users who hold the fleet manager role.
func (b *Bot) fleetManagers(ctx context.Context) ([]string, error) {
	as, err := b.store.ListRoleAssignments(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	seen := map[string]bool{}
	for _, a := range as {
		if a.Role == domain.RoleFleetManager && !seen[a.UserID] {
			seen[a.UserID] = true
			out = append(out, a.UserID)
		}
	}
	return out, nil
}

// notifyAll sends a card to each user, each in their own language, and
// counts the users reached. A failure is logged and does not stop the
// others.
func (b *Bot) notifyAll(ctx context.Context, users []string, build func(l cards.Lang) cards.Card) int {
	n := 0
	for _, id := range users {
		u, err := b.store.User(ctx, id)
		if err != nil {
			b.log.Warn("fleet notification: unknown user", "user", id, "err", err)
			continue
		}
		l := b.language(u.Language, "")
		nctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err = b.notify.NotifyUser(nctx, id, build(l))
		cancel()
		if err != nil {
			b.log.Warn("fleet notification not sent", "user", id, "err", err)
			continue
		}
		n++
	}
	return n
}
