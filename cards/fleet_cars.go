package cards

import (
	"strconv"
	"time"

	"github.com/anras/parc/domain"
)

// CarRow is one line of the car list (annexe 1's mock-up): the car, whether
// it is reserved now or cannot be booked, its last and next reservations.
type CarRow struct {
	Car         domain.Car
	Reserved    bool
	Unavailable bool
	Last, Next  time.Time // zero: none
}

// FleetCarsCard is the list of an establishment's cars: model, plate,
// status (Libre, Réservé, Indisponible), last and next reservation, a page
// at a time. A row opens the car's detail.
func FleetCarsCard(l Lang, w FleetTime, estName string, rows []CarRow, page int, manager bool) Card {
	title := l.T("fleet.cars.title", Plain(estName, 80))
	c := New(l, Heading(title))
	c.FullWidth = true
	pages := max(1, (len(rows)+fleetPage-1)/fleetPage)
	if page < 0 || page >= pages {
		page = 0
	}
	if len(rows) == 0 {
		c.Body = append(c.Body, Para(l.T("fleet.cars.none")))
	} else {
		cell := func(e Element) TableCell { return TableCell{Items: []Element{e}} }
		text := func(s string) TableCell { return cell(TextBlock{Text: s, Wrap: true, Size: SizeSmall}) }
		t := Table{FirstRowAsHeader: true, ShowGridLines: true, GridStyle: StyleAccent,
			Columns: []TableColumn{{Width: 3}, {Width: 2}, {Width: 2}, {Width: 2}, {Width: 2}},
			Rows: []TableRow{{Style: StyleEmphasis, Cells: []TableCell{
				text(l.T("fleet.cars.model")), text(l.T("fleet.cars.plate")), text(l.T("fleet.cars.status")),
				text(l.T("fleet.cars.last")), text(l.T("fleet.cars.next")),
			}}}}
		for _, r := range rows[page*fleetPage : min(len(rows), (page+1)*fleetPage)] {
			status, color := l.T("fleet.state.free"), ColorGood
			switch {
			case r.Unavailable:
				status, color = l.T("fleet.state.unavailable"), ColorAttention
			case r.Reserved:
				status, color = l.T("fleet.state.reserved"), ColorWarning
			}
			last, next := "–", "–"
			if !r.Last.IsZero() {
				last = FleetRelative(l, w, r.Last)
			}
			if !r.Next.IsZero() {
				next = FleetRelative(l, w, r.Next)
			}
			open := Execute{Verb: VerbFleetCar, Data: Data{"car": r.Car.Plate}, Tooltip: l.T("fleet.car.open")}
			t.Rows = append(t.Rows, TableRow{Cells: []TableCell{
				cell(Container{SelectAction: open, Items: []Element{TextBlock{Text: Plain(r.Car.Name(), 60), Wrap: true, Size: SizeSmall, Color: ColorAccent, Weight: WeightBolder}}}),
				text(r.Car.Plate),
				cell(TextBlock{Text: status, Color: color, Weight: WeightBolder, Size: SizeSmall, Wrap: true}),
				text(last), text(next),
			}})
		}
		c.Body = append(c.Body, t, Subtle(l.T("fleet.cars.hint")))
		if pages > 1 {
			var nav []Action
			if page > 0 {
				nav = append(nav, Execute{Title: l.T("fleet.page.prev"), Verb: VerbFleetCars, Data: Data{"page": page - 1}})
			}
			if page+1 < pages {
				nav = append(nav, Execute{Title: l.T("fleet.page.next"), Verb: VerbFleetCars, Data: Data{"page": page + 1}})
			}
			c.Body = append(c.Body, Subtle(l.T("fleet.page.of", page+1, pages)), ActionSet{Actions: nav})
		}
	}
	c.Actions = []Action{
		Execute{Title: l.T("fleet.menu.search"), Verb: VerbFleetSearchForm},
		Execute{Title: l.T("fleet.menu.mine"), Verb: VerbFleetMine},
	}
	if manager {
		c.Actions = append(c.Actions, Execute{Title: l.T("fleet.menu.add"), Verb: VerbFleetCarForm}, Execute{Title: l.T("fleet.menu.report"), Verb: VerbFleetReport})
	}
	c.Fallback = title
	return c
}

// FleetCarCard is a car's detail: the facts, the notes, the documents a
// driver must be able to show, and the planning of the next 7 days. A fleet
// manager also gets the buttons to edit it, set its status and record
// maintenance.
func FleetCarCard(l Lang, w FleetTime, st domain.CarState, manager bool, notice string) Card {
	car := st.Car
	title := CarTitle(car)
	c := New(l, Heading(Plain(title, 100)))
	if notice != "" {
		c.Body = append(c.Body, Colored(notice, ColorGood))
	}
	status := statusText(l, car.Status)
	if car.StatusNote != "" {
		status += " – " + Plain(car.StatusNote, 200)
	}
	head := []Element{TextBlock{Text: status, Weight: WeightBolder, Color: carStatusColor(car.Status), Wrap: true}}
	if err := car.Reservable(w.Now, w.Now.Add(30*time.Minute)); err != nil && car.Status == domain.CarAvailable {
		if e := domain.AsError(err); e != nil {
			head = append(head, Colored(l.T(e.Key, e.Args...), ColorAttention))
		}
	}
	if car.PhotoURL != "" {
		c.Body = append(c.Body, ColumnSet{Columns: []Column{
			{Width: "auto", Items: []Element{Image{URL: car.PhotoURL, AltText: Plain(car.Name(), 80), Size: "Medium"}}},
			{Width: "stretch", VerticalContentAlignment: "Center", Items: head},
		}})
	} else {
		c.Body = append(c.Body, head...)
	}
	year := ""
	if car.Year > 0 {
		year = strconv.Itoa(car.Year)
	}
	dl := car.Deadlines
	c.Body = append(c.Body, Facts(
		l.T("fleet.fact.make"), Plain(car.Make, 60),
		l.T("fleet.fact.model"), Plain(car.Model, 60),
		l.T("fleet.fact.year"), year,
		l.T("fleet.fact.vin"), car.VIN,
		l.T("fleet.fact.odometer"), l.T("fleet.fmt.km", car.Odometer),
		l.T("fleet.deadline.insurance"), deadlineText(l, w, dl.InsuranceExpiry),
		l.T("fleet.deadline.inspection"), deadlineText(l, w, dl.InspectionDue),
		l.T("fleet.deadline.service"), serviceText(l, w, dl),
	))
	if car.Notes != "" {
		c.Body = append(c.Body, Subheading(l.T("fleet.car.notes")), Para(Plain(car.Notes, 1000)))
	}
	if len(car.Documents) > 0 {
		var docs []Action
		for _, d := range car.Documents {
			name := d.Title
			if name == "" {
				name = l.T("fleet.doc." + string(d.Kind))
			}
			docs = append(docs, OpenURL{Title: Plain(name, 40), URL: d.URL})
		}
		c.Body = append(c.Body, Subheading(l.T("fleet.car.documents")), ActionSet{Actions: docs})
	}
	c.Body = append(c.Body, Subheading(l.T("fleet.car.planning")))
	c.Body = append(c.Body, planning(l, w, st.Schedule)...)
	if manager {
		c.Body = append(c.Body, ActionSet{Spacing: SpacingLarge, Actions: []Action{
			Execute{Title: l.T("fleet.car.edit"), Verb: VerbFleetCarForm, Data: Data{"car": car.Plate}, AssociatedInputs: "none"},
			statusAction(l, car),
			Execute{Title: l.T("fleet.maintenance.button"), Verb: VerbFleetMaintForm, Data: Data{"car": car.Plate}, AssociatedInputs: "none"},
		}})
	}
	c.Actions = []Action{
		Execute{Title: l.T("fleet.reserve.this"), Verb: VerbFleetReserveForm, Style: ActionPositive, Data: Data{"car": car.Plate}, AssociatedInputs: "none"},
		Execute{Title: l.T("fleet.calendar.button"), Verb: VerbFleetCalendar, Data: Data{"car": car.Plate}, AssociatedInputs: "none"},
		Execute{Title: l.T("fleet.menu.cars"), Verb: VerbFleetCars, AssociatedInputs: "none"},
	}
	c.Fallback = title
	return c
}

func carStatusColor(s domain.CarStatus) string {
	if s == domain.CarAvailable {
		return ColorGood
	}
	return ColorAttention
}

func deadlineText(l Lang, w FleetTime, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	s := FleetShortDay(l, lastDay(w, t))
	if !t.After(w.Now) {
		return l.T("fleet.deadline.passed", s)
	}
	return s
}

// lastDay is the day a deadline is written with: deadlines are stored as
// the instant they pass, the end of their last valid day.
func lastDay(w FleetTime, t time.Time) time.Time { return w.in(t.Add(-time.Minute)) }

func serviceText(l Lang, w FleetTime, dl domain.Deadlines) string {
	s := deadlineText(l, w, dl.NextServiceDate)
	if dl.NextServiceKm > 0 {
		km := l.T("fleet.fmt.km", dl.NextServiceKm)
		if s == "" {
			return km
		}
		return l.T("fleet.deadline.or", s, km)
	}
	return s
}

// planningDays is how far the car detail looks ahead.
const planningDays = 7

// planning lists the reservations of the next 7 days, day by day.
func planning(l Lang, w FleetTime, sc domain.CarSchedule) []Element {
	today := w.in(w.Now)
	day0 := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, today.Location())
	var facts []Fact
	for i := range planningDays {
		from := time.Date(day0.Year(), day0.Month(), day0.Day()+i, 0, 0, 0, 0, day0.Location())
		to := time.Date(day0.Year(), day0.Month(), day0.Day()+i+1, 0, 0, 0, 0, day0.Location())
		var parts []string
		for _, s := range sc.Between(domain.Interval{Start: from.UTC(), End: to.UTC()}) {
			a, b := w.in(s.Start), w.in(s.End)
			if a.Before(from) {
				a = from
			}
			if b.After(to) {
				b = to
			}
			who := Plain(s.UserName, 40)
			if who == "" {
				who = l.T("fleet.planning.someone")
			}
			parts = append(parts, l.T("fleet.planning.slot", FleetClock(l, a), FleetClock(l, b), who))
		}
		v := l.T("fleet.planning.free")
		if len(parts) > 8 {
			parts = append(parts[:8], l.T("fleet.and_more", len(parts)-8))
		}
		if len(parts) > 0 {
			v = ""
			for j, p := range parts {
				if j > 0 {
					v += " · "
				}
				v += p
			}
		}
		facts = append(facts, Fact{Title: FleetDay(l, from), Value: v})
	}
	return []Element{FactSet{Facts: facts}}
}

// statusAction reveals the form to set the car's status with a note.
func statusAction(l Lang, car domain.Car) ShowCard {
	choices := make([]Choice, 0, len(domain.CarStatuses))
	for _, s := range domain.CarStatuses {
		choices = append(choices, Choice{Title: statusText(l, s), Value: string(s)})
	}
	inner := New(l,
		ChoiceSetInput{ID: "newStatus", Label: l.T("fleet.status.label"), Choices: choices, Value: string(car.Status), Style: "compact",
			IsRequired: true, ErrorMessage: l.T("fleet.status.error")},
		TextInput{ID: "statusNote", Label: l.T("fleet.status.note"), Placeholder: l.T("fleet.status.note.placeholder"), Value: car.StatusNote, MaxLength: 500, IsMultiline: true},
	)
	inner.Actions = []Action{Execute{Title: l.T("fleet.status.submit"), Verb: VerbFleetCarStatus, Style: ActionPositive, Data: Data{"car": car.Plate}, AssociatedInputs: "auto"}}
	return ShowCard{Title: l.T("fleet.status.button"), Card: inner}
}

// FleetCarFormCard adds a car (car nil) or edits one. When editing, ests
// lists the establishments (code values, the car's own among them) a fleet
// manager may move the car to; with fewer than two there is no choice.
func FleetCarFormCard(l Lang, w FleetTime, estName string, car *domain.Car, ests []Choice, notice string) Card {
	var v domain.Car
	title := l.T("fleet.carform.new", Plain(estName, 80))
	data := Data{}
	if car != nil {
		v = *car
		title = l.T("fleet.carform.edit", CarTitle(v))
		data["car"] = v.Plate
	}
	c := New(l, Heading(title))
	if notice != "" {
		c.Body = append(c.Body, Colored(notice, ColorWarning))
	}
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return isoDay(lastDay(w, t))
	}
	num := func(n int) *float64 {
		if n == 0 {
			return nil
		}
		f := float64(n)
		return &f
	}
	doc := func(k domain.CarDocumentKind) string { d, _ := v.Document(k); return d.URL }
	if car == nil {
		c.Body = append(c.Body, TextInput{ID: "newPlate", Label: l.T("fleet.fact.plate"), Placeholder: "AB-123-CD", IsRequired: true, ErrorMessage: l.T("fleet.carform.plate.error"), MaxLength: 16})
	}
	c.Body = append(c.Body,
		ColumnSet{Columns: []Column{
			{Width: "stretch", Items: []Element{TextInput{ID: "make", Label: l.T("fleet.fact.make"), Placeholder: "Renault", Value: v.Make, IsRequired: true, ErrorMessage: l.T("fleet.carform.make.error"), MaxLength: 60}}},
			{Width: "stretch", Items: []Element{TextInput{ID: "model", Label: l.T("fleet.fact.model"), Placeholder: "Clio", Value: v.Model, IsRequired: true, ErrorMessage: l.T("fleet.carform.model.error"), MaxLength: 60}}},
		}},
		ColumnSet{Columns: []Column{
			{Width: "stretch", Items: []Element{NumberInput{ID: "year", Label: l.T("fleet.fact.year"), Value: num(v.Year)}}},
			{Width: "stretch", Items: []Element{NumberInput{ID: "odometerKm", Label: l.T("fleet.fact.odometer"), Value: num(v.Odometer)}}},
		}},
		TextInput{ID: "vin", Label: l.T("fleet.fact.vin"), Value: v.VIN, MaxLength: 17},
		TextInput{ID: "photo", Label: l.T("fleet.carform.photo"), Value: v.PhotoURL, Style: "url", Placeholder: "https://", MaxLength: 2048},
		TextInput{ID: "docRegistration", Label: l.T("fleet.doc.registration"), Value: doc(domain.CarDocRegistration), Style: "url", Placeholder: "https://", MaxLength: 2048},
		TextInput{ID: "docInsurance", Label: l.T("fleet.doc.insurance"), Value: doc(domain.CarDocInsurance), Style: "url", Placeholder: "https://", MaxLength: 2048},
		ColumnSet{Columns: []Column{
			{Width: "stretch", Items: []Element{DateInput{ID: "insuranceExpiry", Label: l.T("fleet.deadline.insurance"), Value: day(v.Deadlines.InsuranceExpiry)}}},
			{Width: "stretch", Items: []Element{DateInput{ID: "inspectionDue", Label: l.T("fleet.deadline.inspection"), Value: day(v.Deadlines.InspectionDue)}}},
		}},
		ColumnSet{Columns: []Column{
			{Width: "stretch", Items: []Element{DateInput{ID: "serviceDate", Label: l.T("fleet.deadline.service"), Value: day(v.Deadlines.NextServiceDate)}}},
			{Width: "stretch", Items: []Element{NumberInput{ID: "serviceKm", Label: l.T("fleet.deadline.service_km"), Value: num(v.Deadlines.NextServiceKm)}}},
		}},
		TextInput{ID: "notes", Label: l.T("fleet.car.notes"), Value: v.Notes, IsMultiline: true, MaxLength: 2000},
	)
	if car != nil && len(ests) > 1 {
		c.Body = append(c.Body,
			ChoiceSetInput{ID: "establishment", Label: l.T("fleet.carform.establishment"), Choices: ests, Value: v.Establishment, Style: "compact",
				IsRequired: true, ErrorMessage: l.T("fleet.carform.est_error")},
			Subtle(l.T("fleet.carform.move_hint")))
	}
	c.Body = append(c.Body,
		ActionSet{Actions: []Action{Execute{Title: l.T("fleet.carform.save"), Verb: VerbFleetCarSave, Style: ActionPositive, Data: data, AssociatedInputs: "auto"}}},
	)
	c.Actions = []Action{Execute{Title: l.T("fleet.menu.cars"), Verb: VerbFleetCars, AssociatedInputs: "none"}}
	c.Fallback = title
	return c
}

// FleetCarMovedCard confirms that a car changed establishment: where it is
// now, that its history stayed behind, that its calendar address changed.
func FleetCarMovedCard(l Lang, car domain.Car, from, to domain.Establishment) Card {
	title := l.T("fleet.moved.title")
	c := New(l, Heading(title),
		Colored(l.T("fleet.moved.body", Plain(CarTitle(car), 120), Plain(to.Name, 80), to.Code), ColorGood),
		Para(l.T("fleet.moved.history", Plain(from.Name, 80))),
		Subtle(l.T("fleet.moved.calendar")))
	c.Actions = []Action{Execute{Title: l.T("fleet.menu.cars"), Verb: VerbFleetCars}}
	c.Fallback = title
	return c
}

// FleetStatusChangedCard confirms a new status and lists the coming
// reservations of the car, whose owners were told.
func FleetStatusChangedCard(l Lang, w FleetTime, car domain.Car, affected []domain.Reservation, notified int) Card {
	title := l.T("fleet.status.changed", CarTitle(car), statusText(l, car.Status))
	c := New(l, Heading(Plain(title, 200)))
	if car.StatusNote != "" {
		c.Body = append(c.Body, Para(Plain(car.StatusNote, 500)))
	}
	if len(affected) > 0 && car.Status != domain.CarAvailable {
		c.Body = append(c.Body, Subheading(l.T("fleet.status.affected", len(affected))))
		lines := make([]string, 0, len(affected))
		for _, r := range affected[:min(len(affected), 15)] {
			lines = append(lines, "- "+l.T("fleet.status.affected_line", FleetRange(l, w, r.Interval()), Plain(r.UserName, 60), r.ID))
		}
		if len(affected) > 15 {
			lines = append(lines, l.T("fleet.and_more", len(affected)-15))
		}
		c.Body = append(c.Body, TextBlock{Text: joinLines(lines), Wrap: true}, Subtle(l.T("fleet.status.notified", notified)))
	}
	c.Actions = []Action{Execute{Title: l.T("fleet.car.open"), Verb: VerbFleetCar, Data: Data{"car": car.Plate}}, Execute{Title: l.T("fleet.menu.cars"), Verb: VerbFleetCars}}
	c.Fallback = title
	return c
}

// FleetCarUnavailableCard tells an owner that their car cannot be used.
func FleetCarUnavailableCard(l Lang, w FleetTime, car domain.Car, r domain.Reservation) Card {
	title := l.T("fleet.notify.unavailable.title")
	h := Heading(title)
	h.Color = ColorWarning
	body := l.T("fleet.notify.unavailable.body", CarTitle(car), FleetRange(l, w, r.Interval()), statusText(l, car.Status))
	c := New(l, h, Para(body))
	if car.StatusNote != "" {
		c.Body = append(c.Body, Subtle(Plain(car.StatusNote, 300)))
	}
	c.Body = append(c.Body, Para(l.T("fleet.notify.unavailable.hint")))
	c.Actions = []Action{
		Execute{Title: l.T("fleet.search.other"), Verb: VerbFleetSearch, Data: Data{"start": stamp(r.Start), "end": stamp(r.End)}},
		Execute{Title: l.T("fleet.cancel.button"), Verb: VerbFleetCancel, Style: ActionDestructive, Data: Data{"id": r.ID}},
	}
	c.Fallback = title
	return c
}

// FleetPickEstablishmentCard asks the user which establishment they work
// in (when the directory cannot tell); Parc remembers the answer.
func FleetPickEstablishmentCard(l Lang, ests []Choice, current, notice string) Card {
	title := l.T("fleet.est.title")
	c := New(l, Heading(title), Para(l.T("fleet.est.body")))
	if notice != "" {
		c.Body = append(c.Body, Colored(notice, ColorGood))
	}
	c.Body = append(c.Body, ChoiceSetInput{ID: "establishment", Label: l.T("fleet.est.label"), Choices: ests, Value: current, Style: "expanded",
		IsRequired: true, ErrorMessage: l.T("fleet.est.error")})
	c.Actions = []Action{Execute{Title: l.T("fleet.est.submit"), Verb: VerbFleetPickEst, Style: ActionPositive, AssociatedInputs: "auto"}}
	c.Fallback = title
	return c
}
