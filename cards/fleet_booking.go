package cards

import (
	"fmt"
	"strconv"

	"github.com/anras/parc/domain"
)

// FleetForm is the availability form, or the form to reserve one car when
// Car is set. Values are those of the inputs (YYYY-MM-DD, HH:MM).
type FleetForm struct {
	Car                   *domain.Car
	Day, EndDay, From, To string
	Purpose               string
	Notice                string // an error to show above the form
}

// FleetFormCard asks for a day and a time range in 30-minute steps.
func FleetFormCard(l Lang, w FleetTime, f FleetForm) Card {
	title := l.T("fleet.search.title")
	if f.Car != nil {
		title = l.T("fleet.reserve.title", CarTitle(*f.Car))
	}
	c := New(l, Heading(title))
	if f.Notice != "" {
		c.Body = append(c.Body, Colored(f.Notice, ColorWarning))
	}
	today := w.in(w.Now)
	c.Body = append(c.Body,
		DateInput{ID: "day", Label: l.T("fleet.form.day"), Value: f.Day, Min: isoDay(today), IsRequired: true, ErrorMessage: l.T("fleet.form.day.error")},
		ColumnSet{Columns: []Column{
			{Width: "stretch", Items: []Element{TimeInput{ID: "from", Label: l.T("fleet.form.from"), Value: f.From, IsRequired: true, ErrorMessage: l.T("fleet.form.time.error")}}},
			{Width: "stretch", Items: []Element{TimeInput{ID: "to", Label: l.T("fleet.form.to"), Value: f.To, IsRequired: true, ErrorMessage: l.T("fleet.form.time.error")}}},
		}},
		DateInput{ID: "endDay", Label: l.T("fleet.form.end_day"), Value: f.EndDay, Min: isoDay(today)},
		Subtle(l.T("fleet.form.steps")),
	)
	if f.Car != nil {
		c.Body = append(c.Body, TextInput{ID: "purpose", Label: l.T("fleet.form.purpose"), Placeholder: l.T("fleet.form.purpose.placeholder"), Value: f.Purpose, MaxLength: 200})
		c.Body = append(c.Body, ActionSet{Actions: []Action{Execute{Title: l.T("fleet.reserve.button"), Verb: VerbFleetReserve, Style: ActionPositive,
			Data: Data{"car": f.Car.Plate}, AssociatedInputs: "auto"}}})
	} else {
		c.Body = append(c.Body, ActionSet{Actions: []Action{Execute{Title: l.T("fleet.search.button"), Verb: VerbFleetSearch, Style: ActionPositive, AssociatedInputs: "auto"}}},
			Subtle(l.T("fleet.search.hint")))
	}
	c.Actions = append(fleetBack(l)[1:], Execute{Title: l.T("menu.open"), Verb: VerbMenu, AssociatedInputs: "none"})
	c.Fallback = title
	return c
}

// BusyCar is a car that cannot be booked for the asked time, and why (in
// the card's language).
type BusyCar struct {
	Car    domain.Car
	Reason string
}

// FleetFree is the answer to "which cars are free then?".
type FleetFree struct {
	Interval domain.Interval
	Free     []domain.Car
	Busy     []BusyCar
	Page     int // from 0
}

// fleetPage is how many cars a card lists at once: a card must stay under
// Teams' size limit whatever the size of the fleet.
const fleetPage = 12

// FleetAvailabilityCard lists the free cars, each with a Réserver button,
// and the others apart with their reason.
func FleetAvailabilityCard(l Lang, w FleetTime, a FleetFree) Card {
	title := l.T("fleet.free.title")
	c := New(l, Heading(title), Para(FleetRange(l, w, a.Interval)))
	span := Data{"start": stamp(a.Interval.Start), "end": stamp(a.Interval.End)}
	from := a.Page * fleetPage
	if from > len(a.Free) {
		from = 0
	}
	to := min(len(a.Free), from+fleetPage)
	if len(a.Free) == 0 {
		c.Body = append(c.Body, Colored(l.T("fleet.free.none"), ColorWarning))
	} else {
		c.Body = append(c.Body,
			Subheading(l.T("fleet.free.count", len(a.Free))),
			TextInput{ID: "purpose", Label: l.T("fleet.form.purpose"), Placeholder: l.T("fleet.form.purpose.placeholder"), MaxLength: 200})
		for _, car := range a.Free[from:to] {
			data := Data{"plate": car.Plate, "start": span["start"], "end": span["end"]}
			c.Body = append(c.Body, carLine(car, Execute{Title: l.T("fleet.reserve.button"), Verb: VerbFleetReserve, Style: ActionPositive, Data: data, AssociatedInputs: "auto"}))
		}
		if to < len(a.Free) {
			c.Body = append(c.Body, ActionSet{Actions: []Action{Execute{Title: l.T("fleet.more", len(a.Free)-to), Verb: VerbFleetSearch,
				Data: Data{"start": span["start"], "end": span["end"], "page": a.Page + 1}, AssociatedInputs: "none"}}})
		}
	}
	if len(a.Busy) > 0 {
		c.Body = append(c.Body, Subheading(l.T("fleet.free.busy")))
		shown := min(len(a.Busy), fleetPage)
		lines := make([]string, 0, shown+1)
		for _, b := range a.Busy[:shown] {
			lines = append(lines, "- "+l.T("fleet.free.busy_line", Plain(CarTitle(b.Car), 80), Plain(b.Reason, 160)))
		}
		if len(a.Busy) > shown {
			lines = append(lines, l.T("fleet.and_more", len(a.Busy)-shown))
		}
		c.Body = append(c.Body, TextBlock{Text: joinLines(lines), Wrap: true, Size: SizeSmall})
	}
	c.Actions = []Action{
		Execute{Title: l.T("fleet.search.other"), Verb: VerbFleetSearchForm, AssociatedInputs: "none"},
		Execute{Title: l.T("fleet.menu.mine"), Verb: VerbFleetMine, AssociatedInputs: "none"},
	}
	c.Fallback = title
	return c
}

// carLine is a car's name and plate with one button on the right.
func carLine(car domain.Car, button Execute) ColumnSet {
	return ColumnSet{Separator: true, Columns: []Column{
		{Width: "stretch", VerticalContentAlignment: "Center", Items: []Element{
			TextBlock{Text: Plain(car.Name(), 80), Weight: WeightBolder, Wrap: true},
			TextBlock{Text: car.Plate, IsSubtle: true, Spacing: SpacingNone, Size: SizeSmall},
		}},
		{Width: "auto", VerticalContentAlignment: "Center", Items: []Element{ActionSet{Actions: []Action{button}}}},
	}}
}

func joinLines(lines []string) string {
	out := ""
	for i, s := range lines {
		if i > 0 {
			out += "\n"
		}
		out += s
	}
	return out
}

// FleetReservedCard confirms a reservation, with its reference.
func FleetReservedCard(l Lang, w FleetTime, r domain.Reservation, car domain.Car) Card {
	title := l.T("fleet.reserved.title")
	h := Heading(title)
	h.Color = ColorGood
	c := New(l, h, reservationFacts(l, w, r, car))
	if len(car.Documents) > 0 {
		c.Body = append(c.Body, Subtle(l.T("fleet.reserved.documents")))
	}
	c.Actions = []Action{
		Execute{Title: l.T("fleet.menu.mine"), Verb: VerbFleetMine},
		Execute{Title: l.T("fleet.car.open"), Verb: VerbFleetCar, Data: Data{"car": car.Plate}},
		Execute{Title: l.T("fleet.cancel.button"), Verb: VerbFleetCancel, Style: ActionDestructive, Data: Data{"id": r.ID}},
	}
	c.Fallback = title + " " + r.ID
	return c
}

func reservationFacts(l Lang, w FleetTime, r domain.Reservation, car domain.Car) FactSet {
	return Facts(
		l.T("fleet.fact.car"), Plain(car.Name(), 80),
		l.T("fleet.fact.plate"), car.Plate,
		l.T("fleet.fact.when"), FleetRange(l, w, r.Interval()),
		l.T("fleet.fact.purpose"), Plain(r.Purpose, 200),
		l.T("fleet.fact.reference"), r.ID,
	)
}

// FleetClashCard answers a reservation that lost the race: the other free
// cars for that time and the next free slot of the same car.
func FleetClashCard(l Lang, w FleetTime, iv domain.Interval, car domain.Car, others []domain.Car, next domain.Interval) Card {
	title := l.T("fleet.clash.title")
	h := Heading(title)
	h.Color = ColorWarning
	c := New(l, h, Para(l.T("fleet.clash.body", Plain(CarTitle(car), 80), FleetRange(l, w, iv))))
	if len(others) > 0 {
		c.Body = append(c.Body, Subheading(l.T("fleet.clash.others")))
		for _, o := range others[:min(len(others), 6)] {
			c.Body = append(c.Body, carLine(o, Execute{Title: l.T("fleet.reserve.button"), Verb: VerbFleetReserve, Style: ActionPositive,
				Data: Data{"plate": o.Plate, "start": stamp(iv.Start), "end": stamp(iv.End)}}))
		}
	} else {
		c.Body = append(c.Body, Para(l.T("fleet.clash.no_other")))
	}
	if !next.Start.IsZero() {
		c.Body = append(c.Body, Subheading(l.T("fleet.clash.next", Plain(car.Name(), 80))),
			carLine(car, Execute{Title: l.T("fleet.clash.take", FleetRange(l, w, next)), Verb: VerbFleetReserve,
				Data: Data{"plate": car.Plate, "start": stamp(next.Start), "end": stamp(next.End)}}))
	}
	c.Actions = []Action{Execute{Title: l.T("fleet.search.other"), Verb: VerbFleetSearchForm}}
	c.Fallback = title
	return c
}

// MineItem is one of the user's reservations with its car.
type MineItem struct {
	Reservation domain.Reservation
	Car         domain.Car
}

// FleetMineCard lists the user's current and coming reservations (and the
// ended ones still to hand back), each with its buttons.
func FleetMineCard(l Lang, w FleetTime, items []MineItem, notice string) Card {
	title := l.T("fleet.mine.title")
	c := New(l, Heading(title))
	if notice != "" {
		c.Body = append(c.Body, Colored(notice, ColorGood))
	}
	if len(items) == 0 {
		c.Body = append(c.Body, Para(l.T("fleet.mine.none")))
	}
	for i, it := range items[:min(len(items), fleetPage)] {
		r := it.Reservation
		state, ref := "fleet.mine.coming", r.Start
		switch {
		case !r.End.After(w.Now):
			state, ref = "fleet.mine.to_return", r.End
		case !r.Start.After(w.Now):
			state, ref = "fleet.mine.current", r.End
		}
		box := Container{Separator: true, Spacing: SpacingMedium, Items: []Element{
			TextBlock{Text: Plain(CarTitle(it.Car), 80), Weight: WeightBolder, Wrap: true},
			TextBlock{Text: FleetRange(l, w, r.Interval()), Wrap: true, Spacing: SpacingNone},
			TextBlock{Text: l.T(state, FleetRelative(l, w, ref)) + " · " + r.ID, IsSubtle: true, Size: SizeSmall, Wrap: true, Spacing: SpacingNone},
		}}
		if r.Purpose != "" {
			box.Items = append(box.Items, Subtle(Plain(r.Purpose, 200)))
		}
		var acts []Action
		if r.End.After(w.Now) {
			acts = append(acts, shortenAction(l, w, r, i),
				Execute{Title: l.T("fleet.cancel.button"), Verb: VerbFleetCancel, Style: ActionDestructive, Data: Data{"id": r.ID}, AssociatedInputs: "none"})
		}
		if !r.Start.After(w.Now) && r.Handback == nil {
			acts = append(acts, Execute{Title: l.T("fleet.handback.button"), Verb: VerbFleetHandbackForm, Style: ActionPositive, Data: Data{"id": r.ID}, AssociatedInputs: "none"})
		}
		if len(acts) > 0 {
			box.Items = append(box.Items, ActionSet{Actions: acts})
		}
		c.Body = append(c.Body, box)
	}
	if len(items) > fleetPage {
		c.Body = append(c.Body, Subtle(l.T("fleet.and_more", len(items)-fleetPage)))
	}
	c.Actions = []Action{
		Execute{Title: l.T("fleet.menu.search"), Verb: VerbFleetSearchForm, AssociatedInputs: "none"},
		Execute{Title: l.T("fleet.menu.cars"), Verb: VerbFleetCars, AssociatedInputs: "none"},
	}
	c.Fallback = title
	return c
}

// shortenAction reveals a small form: the new end, day and time.
func shortenAction(l Lang, w FleetTime, r domain.Reservation, i int) ShowCard {
	end := w.in(r.End)
	suffix := strconv.Itoa(i)
	inner := New(l,
		DateInput{ID: "shortenDay" + suffix, Label: l.T("fleet.shorten.day"), Value: isoDay(end), IsRequired: true, ErrorMessage: l.T("fleet.form.day.error")},
		TimeInput{ID: "shortenTime" + suffix, Label: l.T("fleet.shorten.time"), Value: hhmm(end), IsRequired: true, ErrorMessage: l.T("fleet.form.time.error")},
	)
	inner.Actions = []Action{Execute{Title: l.T("fleet.shorten.submit"), Verb: VerbFleetShorten, Style: ActionPositive,
		Data: Data{"id": r.ID, "field": suffix}, AssociatedInputs: "auto"}}
	return ShowCard{Title: l.T("fleet.shorten.button"), Card: inner}
}

// FleetCancelledCard confirms a cancellation.
func FleetCancelledCard(l Lang, w FleetTime, r domain.Reservation, car domain.Car) Card {
	title := l.T("fleet.cancelled.title")
	c := New(l, Heading(title), reservationFacts(l, w, r, car))
	c.Actions = fleetBack(l)
	c.Fallback = title
	return c
}

// FleetHandbackFormCard asks for the odometer, the fuel, a damage note and
// an expense.
func FleetHandbackFormCard(l Lang, w FleetTime, r domain.Reservation, car domain.Car, notice string) Card {
	title := l.T("fleet.handback.title", Plain(CarTitle(car), 80))
	c := New(l, Heading(title), Para(FleetRange(l, w, r.Interval())))
	if notice != "" {
		c.Body = append(c.Body, Colored(notice, ColorWarning))
	}
	lowest := float64(car.Odometer)
	fuel := make([]Choice, 0, len(domain.FuelLevels))
	for _, f := range domain.FuelLevels {
		fuel = append(fuel, Choice{Title: l.T("fleet.fuel." + string(f)), Value: string(f)})
	}
	c.Body = append(c.Body,
		NumberInput{ID: "odometer", Label: l.T("fleet.handback.odometer", car.Odometer), Min: &lowest, IsRequired: true, ErrorMessage: l.T("fleet.handback.odometer.error", car.Odometer)},
		ChoiceSetInput{ID: "fuel", Label: l.T("fleet.handback.fuel"), Choices: fuel, Style: "compact", Placeholder: l.T("fleet.handback.fuel.placeholder")},
		TextInput{ID: "damage", Label: l.T("fleet.handback.damage"), Placeholder: l.T("fleet.handback.damage.placeholder"), IsMultiline: true, MaxLength: 500},
		Subheading(l.T("fleet.expense.title")),
	)
	c.Body = append(c.Body, expenseInputs(l)...)
	c.Body = append(c.Body, ActionSet{Actions: []Action{Execute{Title: l.T("fleet.handback.submit"), Verb: VerbFleetHandback, Style: ActionPositive,
		Data: Data{"id": r.ID}, AssociatedInputs: "auto"}}})
	c.Actions = []Action{Execute{Title: l.T("fleet.menu.mine"), Verb: VerbFleetMine, AssociatedInputs: "none"}}
	c.Fallback = title
	return c
}

func expenseInputs(l Lang) []Element {
	kinds := make([]Choice, 0, len(domain.ExpenseKinds))
	for _, k := range domain.ExpenseKinds {
		kinds = append(kinds, Choice{Title: l.T("fleet.expense." + string(k)), Value: string(k)})
	}
	zero := 0.0
	return []Element{
		ColumnSet{Columns: []Column{
			{Width: "stretch", Items: []Element{ChoiceSetInput{ID: "expenseKind", Label: l.T("fleet.expense.kind"), Choices: kinds, Style: "compact", Placeholder: l.T("fleet.expense.kind.placeholder")}}},
			{Width: "stretch", Items: []Element{NumberInput{ID: "expenseAmount", Label: l.T("fleet.expense.amount"), Min: &zero, Placeholder: "0,00"}}},
		}},
		TextInput{ID: "receiptUrl", Label: l.T("fleet.expense.receipt"), Placeholder: "https://", Style: "url", MaxLength: 2048},
		Subtle(l.T("fleet.expense.receipt_hint")),
	}
}

// FleetHandedBackCard thanks the driver, shows the distance and expenses,
// and offers to declare another expense.
func FleetHandedBackCard(l Lang, w FleetTime, r domain.Reservation, car domain.Car, notice string) Card {
	title := l.T("fleet.handed_back.title")
	h := Heading(title)
	h.Color = ColorGood
	c := New(l, h)
	if notice != "" {
		c.Body = append(c.Body, Colored(notice, ColorGood))
	}
	facts := []string{l.T("fleet.fact.car"), Plain(CarTitle(car), 80), l.T("fleet.fact.when"), FleetRange(l, w, r.Interval())}
	if hb := r.Handback; hb != nil {
		facts = append(facts, l.T("fleet.fact.odometer"), l.T("fleet.fmt.km", hb.Odometer), l.T("fleet.fact.km"), l.T("fleet.fmt.km", hb.Km()))
		if hb.Fuel != "" {
			facts = append(facts, l.T("fleet.handback.fuel"), l.T("fleet.fuel."+string(hb.Fuel)))
		}
		if hb.Damage != "" {
			facts = append(facts, l.T("fleet.fact.damage"), Plain(hb.Damage, 300))
		}
	}
	c.Body = append(c.Body, Facts(facts...))
	if hb := r.Handback; hb != nil && hb.Damage != "" {
		c.Body = append(c.Body, Subtle(l.T("fleet.handed_back.damage_note")))
	}
	if len(r.Expenses) > 0 {
		lines := make([]string, 0, len(r.Expenses))
		for _, e := range r.Expenses {
			receipt := l.T("fleet.expense.no_receipt")
			if e.ReceiptURL != "" {
				name := e.ReceiptName
				if name == "" {
					name = l.T("fleet.expense.receipt_link")
				}
				receipt = fmt.Sprintf("[%s](%s)", Plain(name, 60), e.ReceiptURL)
			}
			lines = append(lines, "- "+l.T("fleet.expense.line", l.T("fleet.expense."+string(e.Kind)), FleetEuros(l, e.AmountCents), receipt))
		}
		c.Body = append(c.Body, Subheading(l.T("fleet.expense.list")), TextBlock{Text: joinLines(lines), Wrap: true})
	}
	inner := New(l, expenseInputs(l)...)
	inner.Actions = []Action{Execute{Title: l.T("fleet.expense.submit"), Verb: VerbFleetExpense, Style: ActionPositive, Data: Data{"id": r.ID}, AssociatedInputs: "auto"}}
	c.Actions = []Action{
		ShowCard{Title: l.T("fleet.expense.add"), Card: inner},
		Execute{Title: l.T("fleet.menu.mine"), Verb: VerbFleetMine, AssociatedInputs: "none"},
	}
	c.Fallback = title
	return c
}
