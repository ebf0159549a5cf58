package cards

import (
	"slices"
	"strconv"
	"time"

	"github.com/anras/parc/domain"
)

// reportMaxRows bounds the establishments listed in the IT report card
// (the CLI and the XLSX list them all); reportMaxSeats the subscriptions.
const (
	reportMaxRows  = 25
	reportMaxSeats = 10
)

// TriggerText says how a run was started.
func TriggerText(l Lang, r domain.LicenceRun) string {
	switch r.Trigger {
	case domain.TriggerBot:
		return l.T("licence.trigger.bot", dataText(nonEmptyStr(r.By, "?"), 40))
	case domain.TriggerCLI:
		return l.T("licence.trigger.cli")
	}
	return l.T("licence.trigger.scheduled")
}

// PostText is the "Publication" column of the report for e.
func PostText(l Lang, e domain.RunEstablishment) string {
	switch {
	case e.Error != "":
		return e.Error
	case e.PostError != "":
		return l.T("licence.post.failed", e.PostError)
	case e.Skipped != "":
		return l.T("licence.post." + e.Skipped)
	case e.Posted != "":
		return l.T("licence.post.done")
	}
	return ""
}

// LicenceReportCard is the run report for the IT department: per
// establishment, accounts processed / found and time spent, or ERREUR with
// the reason; the totals; the seats bought and not assigned.
func LicenceReportCard(l Lang, r domain.LicenceRun, loc *time.Location, dry bool) Card {
	found, processed, failed, total, spent := r.Totals()
	c := New(l,
		Heading(l.T("licence.report.title")),
		Subtle(l.T("licence.report.subtitle", MonthLabel(l, r.Month), r.ID, TriggerText(l, r))),
	)
	if !r.FinishedAt.IsZero() {
		c.Body = append(c.Body, Subtle(l.T("licence.report.times", When(l, r.StartedAt, loc), When(l, r.FinishedAt, loc))))
	}
	switch {
	case r.Status == domain.RunRunning:
		c.Body = append(c.Body, Para(l.T("licence.report.running", len(r.Establishments))))
	case failed > 0:
		c.Body = append(c.Body, Colored(l.T("licence.report.failed", failed, len(r.Establishments)), ColorAttention))
	default:
		c.Body = append(c.Body, Colored(l.T("licence.report.ok", len(r.Establishments)), ColorGood))
	}
	if r.Error != "" {
		c.Body = append(c.Body, Colored(r.Error, ColorAttention))
	}
	if dry {
		c.Body = append(c.Body, Subtle(l.T("licence.report.dry")))
	}
	rows := []TableRow{{Style: StyleEmphasis, Cells: []TableCell{
		boldCell(l.T("licence.report.col.est")), boldCell(l.T("licence.report.col.accounts")), boldCell(l.T("licence.report.col.time")),
		boldCell(l.T("licence.report.col.cost")), boldCell(l.T("licence.report.col.post")),
	}}}
	for i, e := range r.Establishments {
		if i == reportMaxRows {
			rows = append(rows, TableRow{Cells: []TableCell{textCell(l.T("licence.report.more", len(r.Establishments)-i, r.ID)), textCell(""), textCell(""), textCell(""), textCell("")}})
			break
		}
		if e.Error != "" {
			rows = append(rows, TableRow{Style: StyleAttention, Cells: []TableCell{
				textCell(dataText(e.Name, 60)), boldCell(l.T("licence.report.error")), boldCell(l.T("licence.report.error")), textCell(""), textCell(dataText(e.Error, 200)),
			}})
			continue
		}
		post := PostText(l, e)
		row := TableRow{Cells: []TableCell{
			textCell(dataText(e.Name, 60)), textCell(l.T("licence.report.counts", e.Processed, e.Found)), textCell(Duration(e.Duration())),
			textCell(Euros(l, e.Total)), textCell(dataText(post, 80)),
		}}
		if e.PostError != "" || e.Processed < e.Found {
			row.Style = StyleWarning
		}
		rows = append(rows, row)
	}
	rows = append(rows, TableRow{Style: StyleEmphasis, Cells: []TableCell{
		boldCell(l.T("licence.total")), boldCell(l.T("licence.report.counts", processed, found)), boldCell(Duration(spent)), boldCell(Euros(l, total)), textCell(""),
	}})
	c.Body = append(c.Body, Table{FirstRowAsHeader: true, Columns: []TableColumn{{Width: 4}, {Width: 2}, {Width: 2}, {Width: 2}, {Width: 3}}, Rows: rows})
	if r.ReportError != "" {
		c.Body = append(c.Body, Colored(l.T("licence.report.post_error", dataText(r.ReportError, 200)), ColorWarning))
	}
	c.Body = append(c.Body, seats(l, r.Skus)...)
	c.Actions = []Action{
		Execute{Title: l.T("licence.report.refresh"), Verb: VerbLicenceRunShow, Data: Data{"run": r.ID}},
		Execute{Title: l.T("licence.report.history"), Verb: VerbLicenceRuns},
	}
	if dry {
		c.Actions = c.Actions[1:]
	}
	c.FullWidth = true
	c.Fallback = l.T("licence.report.title")
	return c
}

// seats lists the subscriptions with seats bought and not assigned,
// costliest first.
func seats(l Lang, skus []domain.RunSku) []Element {
	var free []domain.RunSku
	var cost domain.Money
	for _, s := range skus {
		if n := s.Enabled - s.Consumed; n > 0 {
			free = append(free, s)
			if s.Priced {
				cost += domain.Money(n) * s.Price
			}
		}
	}
	out := []Element{Subheading(l.T("licence.report.seats"))}
	if len(free) == 0 {
		return append(out, Subtle(l.T("licence.report.seats.none")))
	}
	slices.SortStableFunc(free, func(a, b domain.RunSku) int {
		ca, cb := domain.Money(a.Enabled-a.Consumed)*a.Price, domain.Money(b.Enabled-b.Consumed)*b.Price
		if ca != cb {
			if ca > cb {
				return -1
			}
			return 1
		}
		return (b.Enabled - b.Consumed) - (a.Enabled - a.Consumed)
	})
	rows := []TableRow{{Style: StyleEmphasis, Cells: []TableCell{
		boldCell(l.T("licence.summary.col.licence")), boldCell(l.T("licence.report.seats.col.bought")),
		boldCell(l.T("licence.report.seats.col.used")), boldCell(l.T("licence.report.seats.col.free")), boldCell(l.T("licence.summary.col.unit")),
	}}}
	for i, s := range free {
		if i == reportMaxSeats {
			rows = append(rows, TableRow{Cells: []TableCell{textCell(l.T("licence.more", len(free)-i)), textCell(""), textCell(""), textCell(""), textCell("")}})
			break
		}
		rows = append(rows, TableRow{Cells: []TableCell{
			textCell(dataText(s.Name, 60)), textCell(strconv.Itoa(s.Enabled)), textCell(strconv.Itoa(s.Consumed)),
			textCell(strconv.Itoa(s.Enabled - s.Consumed)), textCell(PriceOf(l, s.SkuInfo)),
		}})
	}
	return append(out,
		Table{FirstRowAsHeader: true, Columns: []TableColumn{{Width: 4}, {Width: 1}, {Width: 1}, {Width: 1}, {Width: 2}}, Rows: rows},
		Para(l.T("licence.report.seats.cost", Euros(l, cost))))
}

func nonEmptyStr(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
