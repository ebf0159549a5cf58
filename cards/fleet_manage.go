package cards

import (
	"fmt"

	"github.com/anras/parc/domain"
)

// FleetMaintenanceCard records maintenance on a car and lists the car's
// recent records.
func FleetMaintenanceCard(l Lang, w FleetTime, car domain.Car, recent []domain.MaintenanceRecord, notice string) Card {
	title := l.T("fleet.maint.title", CarTitle(car))
	c := New(l, Heading(Plain(title, 120)))
	if notice != "" {
		c.Body = append(c.Body, Colored(notice, ColorGood))
	}
	if len(recent) > 0 {
		lines := make([]string, 0, len(recent))
		for _, m := range recent[max(0, len(recent)-8):] {
			line := l.T("fleet.maint.line", FleetShortDay(l, w.in(m.Date)), l.T("fleet.maint."+string(m.Kind)), FleetEuros(l, m.CostCents))
			if m.Supplier != "" {
				line += " · " + Plain(m.Supplier, 60)
			}
			lines = append(lines, "- "+line)
		}
		c.Body = append(c.Body, Subheading(l.T("fleet.maint.recent")), TextBlock{Text: joinLines(lines), Wrap: true, Size: SizeSmall})
	}
	kinds := make([]Choice, 0, len(domain.MaintenanceKinds))
	for _, k := range domain.MaintenanceKinds {
		kinds = append(kinds, Choice{Title: l.T("fleet.maint." + string(k)), Value: string(k)})
	}
	zero := 0.0
	odo := float64(car.Odometer)
	c.Body = append(c.Body,
		Subheading(l.T("fleet.maint.new")),
		ChoiceSetInput{ID: "maintKind", Label: l.T("fleet.maint.kind"), Choices: kinds, Style: "compact", IsRequired: true, ErrorMessage: l.T("fleet.maint.kind.error")},
		ColumnSet{Columns: []Column{
			{Width: "stretch", Items: []Element{DateInput{ID: "maintDate", Label: l.T("fleet.maint.date"), Value: isoDay(w.in(w.Now)), IsRequired: true, ErrorMessage: l.T("fleet.form.day.error")}}},
			{Width: "stretch", Items: []Element{NumberInput{ID: "maintCost", Label: l.T("fleet.maint.cost"), Min: &zero, IsRequired: true, ErrorMessage: l.T("fleet.maint.cost.error")}}},
		}},
		ColumnSet{Columns: []Column{
			{Width: "stretch", Items: []Element{NumberInput{ID: "maintOdometer", Label: l.T("fleet.fact.odometer"), Min: &zero, Value: &odo}}},
			{Width: "stretch", Items: []Element{TextInput{ID: "maintSupplier", Label: l.T("fleet.maint.supplier"), MaxLength: 120}}},
		}},
		TextInput{ID: "maintNote", Label: l.T("fleet.maint.note"), IsMultiline: true, MaxLength: 500},
		DateInput{ID: "nextDue", Label: l.T("fleet.maint.next_due")},
		Subtle(l.T("fleet.maint.next_due.hint")),
		ActionSet{Actions: []Action{Execute{Title: l.T("fleet.maint.submit"), Verb: VerbFleetMaintAdd, Style: ActionPositive, Data: Data{"car": car.Plate}, AssociatedInputs: "auto"}}},
	)
	c.Actions = []Action{Execute{Title: l.T("fleet.car.open"), Verb: VerbFleetCar, Data: Data{"car": car.Plate}, AssociatedInputs: "none"}}
	c.Fallback = title
	return c
}

// FleetReportCard shows an establishment's usage and costs over a period:
// the chart of monthly use (an image the bot serves), a line per car, the
// totals, the coming deadlines and the XLSX download.
func FleetReportCard(l Lang, w FleetTime, estName string, rep domain.FleetReport, months int, chartURL, xlsxURL string) Card {
	title := l.T("fleet.report.title", Plain(estName, 80))
	c := New(l, Heading(title), Para(l.T("fleet.report.period", FleetShortDay(l, w.in(rep.Period.Start)), FleetShortDay(l, w.in(rep.Period.End.AddDate(0, 0, -1))))))
	c.FullWidth = true
	var periods []Action
	for _, m := range []int{1, 3, 12} {
		a := Execute{Title: l.T(fmt.Sprintf("fleet.report.months.%d", m)), Verb: VerbFleetReport, Data: Data{"months": m}}
		if m == months {
			a.Style = ActionPositive
		}
		periods = append(periods, a)
	}
	c.Body = append(c.Body, ActionSet{Actions: periods})
	if chartURL != "" {
		c.Body = append(c.Body, Image{URL: chartURL, AltText: l.T("fleet.report.chart"), Size: "Stretch"})
	}
	cell := func(s string) TableCell {
		return TableCell{Items: []Element{TextBlock{Text: s, Wrap: true, Size: SizeSmall}}}
	}
	t := Table{FirstRowAsHeader: true, ShowGridLines: true, GridStyle: StyleAccent,
		Columns: []TableColumn{{Width: 3}, {Width: 1}, {Width: 1}, {Width: 1}, {Width: 2}, {Width: 2}},
		Rows: []TableRow{{Style: StyleEmphasis, Cells: []TableCell{
			cell(l.T("fleet.fact.car")), cell(l.T("fleet.report.count")), cell(l.T("fleet.report.hours")), cell(l.T("fleet.report.km")),
			cell(l.T("fleet.report.maintenance")), cell(l.T("fleet.report.expenses")),
		}}}}
	row := func(name string, u domain.CarUsage, style string) TableRow {
		return TableRow{Style: style, Cells: []TableCell{cell(name), cell(fmt.Sprint(u.Reservations)), cell(FleetHours(l, u.Hours)),
			cell(fmt.Sprint(u.Km)), cell(FleetEuros(l, u.MaintenanceCents)), cell(FleetEuros(l, u.ExpenseCents))}}
	}
	const maxRows = 25
	for _, u := range rep.Cars[:min(len(rep.Cars), maxRows)] {
		t.Rows = append(t.Rows, row(Plain(u.CarName, 40)+" "+u.Plate, u, ""))
	}
	t.Rows = append(t.Rows, row(l.T("fleet.report.total"), rep.Total, StyleEmphasis))
	c.Body = append(c.Body, t)
	if len(rep.Cars) > maxRows {
		c.Body = append(c.Body, Subtle(l.T("fleet.report.more_in_xlsx", len(rep.Cars)-maxRows)))
	}
	c.Body = append(c.Body, Subheading(l.T("fleet.report.deadlines")))
	if len(rep.Deadlines) == 0 {
		c.Body = append(c.Body, Subtle(l.T("fleet.report.no_deadline")))
	} else {
		lines := make([]string, 0, len(rep.Deadlines))
		for _, d := range rep.Deadlines[:min(len(rep.Deadlines), 12)] {
			lines = append(lines, "- "+DeadlineLine(l, w, d))
		}
		c.Body = append(c.Body, TextBlock{Text: joinLines(lines), Wrap: true, Size: SizeSmall})
	}
	c.Actions = []Action{OpenURL{Title: l.T("fleet.report.download"), URL: xlsxURL}, Execute{Title: l.T("fleet.menu.cars"), Verb: VerbFleetCars}}
	c.Fallback = title
	return c
}

// DeadlineLine writes one deadline: "Clio AB-123-CD: contrôle technique le
// 3 avril 2026 (dans 5 j)".
func DeadlineLine(l Lang, w FleetTime, d domain.Deadline) string {
	name := Plain(d.CarName, 40) + " " + d.Plate
	if d.Kind == domain.DeadlineServiceKm {
		return l.T("fleet.deadline.line_km", name, l.T("fleet.fmt.km", d.Km), l.T("fleet.fmt.km", d.KmLeft))
	}
	return l.T("fleet.deadline.line", name, l.T("fleet.deadline.kind."+string(d.Kind)), FleetShortDay(l, lastDay(w, d.Date)), FleetRelative(l, w, d.Date))
}

// FleetCalendarCard gives the car's calendar feed URL (to subscribe in
// Outlook) and lets a fleet manager make a new one, which revokes the old.
func FleetCalendarCard(l Lang, car domain.Car, url string, manager bool, notice string) Card {
	title := l.T("fleet.calendar.title", CarTitle(car))
	c := New(l, Heading(Plain(title, 120)))
	if notice != "" {
		c.Body = append(c.Body, Colored(notice, ColorGood))
	}
	c.Body = append(c.Body, Para(l.T("fleet.calendar.body")),
		TextBlock{Text: url, Wrap: true, Size: SizeSmall, Color: ColorAccent},
		Subtle(l.T("fleet.calendar.outlook")),
		Subtle(l.T("fleet.calendar.secret")))
	c.Actions = []Action{OpenURL{Title: l.T("fleet.calendar.open"), URL: url}}
	if manager {
		c.Actions = append(c.Actions, Execute{Title: l.T("fleet.calendar.regenerate"), Verb: VerbFleetCalendarNew, Style: ActionDestructive, Data: Data{"car": car.Plate}})
	}
	c.Actions = append(c.Actions, Execute{Title: l.T("fleet.car.open"), Verb: VerbFleetCar, Data: Data{"car": car.Plate}})
	c.Fallback = title
	return c
}

// FleetStartReminderCard reminds a driver that their reservation starts soon.
func FleetStartReminderCard(l Lang, w FleetTime, r domain.Reservation, car domain.Car) Card {
	title := l.T("fleet.remind.start.title", FleetRelative(l, w, r.Start))
	c := New(l, Heading(title), reservationFacts(l, w, r, car))
	if car.Status != domain.CarAvailable {
		c.Body = append(c.Body, Colored(l.T("fleet.notify.unavailable.body", CarTitle(car), FleetRange(l, w, r.Interval()), statusText(l, car.Status)), ColorAttention))
	}
	var docs []Action
	for _, d := range car.Documents[:min(len(car.Documents), 2)] {
		docs = append(docs, OpenURL{Title: l.T("fleet.doc." + string(d.Kind)), URL: d.URL})
	}
	c.Actions = append(docs, Execute{Title: l.T("fleet.cancel.button"), Verb: VerbFleetCancel, Style: ActionDestructive, Data: Data{"id": r.ID}})
	c.Fallback = title
	return c
}

// FleetReturnReminderCard asks a driver whose reservation has ended to hand
// the car back.
func FleetReturnReminderCard(l Lang, w FleetTime, r domain.Reservation, car domain.Car) Card {
	title := l.T("fleet.remind.return.title")
	c := New(l, Heading(title), Para(l.T("fleet.remind.return.body", CarTitle(car), FleetRelative(l, w, r.End))), reservationFacts(l, w, r, car))
	c.Actions = []Action{Execute{Title: l.T("fleet.handback.button"), Verb: VerbFleetHandbackForm, Style: ActionPositive, Data: Data{"id": r.ID}}}
	c.Fallback = title
	return c
}

// FleetDeadlineReminderCard tells the fleet managers that a deadline is
// near (30 and 7 days before) or passed.
func FleetDeadlineReminderCard(l Lang, w FleetTime, estName string, ds []domain.Deadline) Card {
	title := l.T("fleet.remind.deadline.title", Plain(estName, 80))
	lines := make([]string, 0, len(ds))
	for _, d := range ds[:min(len(ds), 20)] {
		lines = append(lines, "- "+DeadlineLine(l, w, d))
	}
	c := New(l, Heading(title), TextBlock{Text: joinLines(lines), Wrap: true})
	if len(ds) > 0 {
		c.Actions = []Action{Execute{Title: l.T("fleet.maintenance.button"), Verb: VerbFleetMaintForm, Data: Data{"car": ds[0].Plate}}}
	}
	c.Fallback = title
	return c
}

// FleetReceiptCard confirms that a file sent in the chat became the
// receipt of an expense.
func FleetReceiptCard(l Lang, w FleetTime, r domain.Reservation, car domain.Car, name string) Card {
	return FleetHandedBackCard(l, w, r, car, l.T("fleet.receipt.attached", Plain(name, 80)))
}
