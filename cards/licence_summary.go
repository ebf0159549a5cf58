package cards

import (
	"strconv"
	"strings"
	"time"

	"github.com/anras/parc/domain"
)

// LicenceLinks are the signed download links of a summary's full table.
type LicenceLinks struct {
	XLSX, CSV string
}

// Bounds that keep the summary card small whatever the establishment's size.
const (
	summaryMaxLicences = 12
	summaryMaxNames    = 5
	summaryMaxChanges  = 5
	// LicenceDetailPageSize is how many accounts a detail page shows: 15
	// rows of six columns with up to four licences each stay under
	// Teams' 28 KB.
	LicenceDetailPageSize = 15
	detailMaxLicences     = 4
)

// LicenceSummaryCard is the post in an establishment's channel: totals,
// what to check, changes since the previous run, the costliest accounts,
// and buttons to page through every account or download the table. Its
// size does not grow with the establishment's.
func LicenceSummaryCard(l Lang, s domain.LicenceSummary, month string, loc *time.Location, links LicenceLinks) Card {
	disabled := 0
	for _, a := range s.Accounts {
		if !a.Enabled {
			disabled++
		}
	}
	cost := Euros(l, s.Total)
	if s.Unpriced {
		cost = l.T("licence.summary.cost.na", cost)
	}
	facts := []string{
		l.T("licence.summary.accounts"), l.T("licence.summary.accounts.v", len(s.Accounts), len(s.Accounts)-disabled, disabled),
		l.T("licence.summary.cost"), cost,
	}
	if c := s.Changes; c != nil {
		facts = append(facts, l.T("licence.summary.change", Day(l, c.PreviousAt, loc)), SignedEuros(l, c.Difference()))
	}
	c := New(l,
		Heading(l.T("licence.summary.title", dataText(s.Name, 80))),
		Subtle(l.T("licence.summary.subtitle", MonthLabel(l, month), len(s.Accounts), When(l, s.GeneratedAt, loc))),
		Facts(facts...),
	)
	if len(s.Accounts) == 0 {
		c.Body = append(c.Body, Para(l.T("licence.summary.empty")))
	}
	if len(s.Totals) > 0 {
		c.Body = append(c.Body, Subheading(l.T("licence.summary.licences")), licenceTotalsTable(l, s.Totals))
	}
	c.Body = append(c.Body, findings(l, s)...)
	c.Body = append(c.Body, changes(l, s.Changes, loc)...)
	if len(s.Costliest) > 0 {
		var pairs []string
		for _, i := range s.Costliest {
			a := s.Accounts[i]
			var names []string
			for _, lic := range a.Licences {
				names = append(names, lic.Name)
			}
			pairs = append(pairs, dataText(a.Name(), 60), Euros(l, a.Cost)+" ("+listOf(l, names, 3)+")")
		}
		c.Body = append(c.Body, Subheading(l.T("licence.costliest")), Facts(pairs...))
	}
	c.Actions = summaryActions(l, s, links)
	c.Fallback = l.T("licence.summary.title", s.Name)
	return c
}

func summaryActions(l Lang, s domain.LicenceSummary, links LicenceLinks) []Action {
	var actions []Action
	if len(s.Accounts) > 0 {
		actions = append(actions, Execute{Title: l.T("licence.detail.open"), Verb: VerbLicenceDetail, Style: ActionPositive,
			Data: Data{"run": s.RunID, "establishment": s.Code, "page": 0}})
	}
	if links.XLSX != "" {
		actions = append(actions, OpenURL{Title: l.T("licence.download.xlsx"), URL: links.XLSX})
	}
	if links.CSV != "" {
		actions = append(actions, OpenURL{Title: l.T("licence.download.csv"), URL: links.CSV})
	}
	return actions
}

func licenceTotalsTable(l Lang, totals []domain.SkuTotal) Element {
	rows := []TableRow{{Style: StyleEmphasis, Cells: []TableCell{
		boldCell(l.T("licence.summary.col.licence")), boldCell(l.T("licence.summary.col.count")),
		boldCell(l.T("licence.summary.col.unit")), boldCell(l.T("licence.summary.col.total")),
	}}}
	for i, t := range totals {
		if i == summaryMaxLicences {
			rows = append(rows, TableRow{Cells: []TableCell{textCell(l.T("licence.more", len(totals)-i)), textCell(""), textCell(""), textCell("")}})
			break
		}
		total := l.T("licence.na")
		if t.Priced {
			total = Euros(l, t.Total)
		}
		rows = append(rows, TableRow{Cells: []TableCell{textCell(dataText(t.Name, 60)), textCell(strconv.Itoa(t.Count)), textCell(PriceOf(l, t.SkuInfo)), textCell(total)}})
	}
	return Table{FirstRowAsHeader: true, Columns: []TableColumn{{Width: 4}, {Width: 1}, {Width: 2}, {Width: 2}}, Rows: rows}
}

func findings(l Lang, s domain.LicenceSummary) []Element {
	names := func(idx []int) []string {
		out := make([]string, 0, len(idx))
		for _, i := range idx {
			out = append(out, s.Accounts[i].Name())
		}
		return out
	}
	var lines []Element
	if n := len(s.DisabledPaid); n > 0 {
		lines = append(lines, Colored(l.T("licence.find.disabled", n, listOf(l, names(s.DisabledPaid), summaryMaxNames)), ColorAttention))
	}
	if n := len(s.Overlaps); n > 0 {
		var items []string
		for _, o := range s.Overlaps {
			items = append(items, l.T("licence.find.overlap", s.Accounts[o.Account].Name(), o.A.Name, o.B.Name))
		}
		lines = append(lines, Colored(l.T("licence.find.overlaps", n, listOf(l, items, summaryMaxNames)), ColorWarning))
	}
	if n := len(s.UnknownSkus); n > 0 {
		var items []string
		for _, u := range s.UnknownSkus {
			items = append(items, u.Name+" ("+PriceOf(l, u.SkuInfo)+")")
		}
		lines = append(lines, Colored(l.T("licence.find.unknown", n, listOf(l, items, summaryMaxNames)), ColorWarning))
	}
	if n := len(s.Unlicensed); n > 0 {
		lines = append(lines, Para(l.T("licence.find.unlicensed", n, listOf(l, names(s.Unlicensed), summaryMaxNames))))
	}
	if len(lines) == 0 {
		lines = append(lines, Subtle(l.T("licence.summary.nothing")))
	}
	return append([]Element{Subheading(l.T("licence.summary.findings"))}, lines...)
}

func changes(l Lang, c *domain.LicenceChanges, loc *time.Location) []Element {
	if c == nil {
		return []Element{Subtle(l.T("licence.changes.first"))}
	}
	since := Day(l, c.PreviousAt, loc)
	if c.Empty() {
		return []Element{Subtle(l.T("licence.changes.none", since))}
	}
	items := func(list []domain.LicenceChange) []string {
		out := make([]string, 0, len(list))
		for _, x := range list {
			out = append(out, l.T("licence.changes.item", x.Account, x.Licence))
		}
		return out
	}
	var lines []string
	if n := len(c.AccountsAdded); n > 0 {
		lines = append(lines, l.T("licence.changes.added", n, listOf(l, c.AccountsAdded, summaryMaxChanges)))
	}
	if n := len(c.AccountsRemoved); n > 0 {
		lines = append(lines, l.T("licence.changes.removed", n, listOf(l, c.AccountsRemoved, summaryMaxChanges)))
	}
	if n := len(c.LicencesAdded); n > 0 {
		lines = append(lines, l.T("licence.changes.lic_added", n, listOf(l, items(c.LicencesAdded), summaryMaxChanges)))
	}
	if n := len(c.LicencesRemoved); n > 0 {
		lines = append(lines, l.T("licence.changes.lic_removed", n, listOf(l, items(c.LicencesRemoved), summaryMaxChanges)))
	}
	lines = append(lines, l.T("licence.changes.cost", Euros(l, c.CostBefore), Euros(l, c.CostAfter), SignedEuros(l, c.Difference())))
	out := []Element{Subheading(l.T("licence.changes.title", since))}
	for _, ln := range lines {
		out = append(out, TextBlock{Text: "- " + ln, Wrap: true, Spacing: SpacingSmall})
	}
	return out
}

// LicenceDetailCard shows one page of the establishment's accounts, the
// old flow's table: NOM, PRÉNOM, EMAIL, POSTE, LICENCES, TARIF HT.
func LicenceDetailCard(l Lang, s domain.LicenceSummary, month string, page int, links LicenceLinks) Card {
	pages := max(1, (len(s.Accounts)+LicenceDetailPageSize-1)/LicenceDetailPageSize)
	page = min(max(page, 0), pages-1)
	from := page * LicenceDetailPageSize
	to := min(from+LicenceDetailPageSize, len(s.Accounts))
	rows := []TableRow{{Style: StyleEmphasis, Cells: []TableCell{
		boldCell(l.T("licence.col.surname")), boldCell(l.T("licence.col.given")), boldCell(l.T("licence.col.email")),
		boldCell(l.T("licence.col.job")), boldCell(l.T("licence.col.licences")), boldCell(l.T("licence.col.price")),
	}}}
	for _, a := range s.Accounts[from:to] {
		rows = append(rows, detailRow(l, a))
	}
	c := New(l,
		Heading(l.T("licence.detail.title", dataText(s.Name, 80))),
		Subtle(l.T("licence.detail.range", min(from+1, to), to, len(s.Accounts), MonthLabel(l, month))),
		Table{FirstRowAsHeader: true, Columns: []TableColumn{{Width: 3}, {Width: 3}, {Width: 5}, {Width: 4}, {Width: 5}, {Width: 2}}, Rows: rows},
	)
	nav := []Action{}
	data := func(p int) Data { return Data{"run": s.RunID, "establishment": s.Code, "page": p} }
	if page > 0 {
		nav = append(nav, Execute{Title: l.T("licence.detail.prev"), Verb: VerbLicenceDetail, Data: data(page - 1)})
	}
	if page < pages-1 {
		nav = append(nav, Execute{Title: l.T("licence.detail.next"), Verb: VerbLicenceDetail, Data: data(page + 1), Style: ActionPositive})
	}
	nav = append(nav, Execute{Title: l.T("licence.detail.back"), Verb: VerbLicenceSummary, Data: Data{"run": s.RunID, "establishment": s.Code}})
	c.Body = append(c.Body, ActionSet{Actions: nav})
	if links.XLSX != "" {
		c.Actions = append(c.Actions, OpenURL{Title: l.T("licence.download.xlsx"), URL: links.XLSX})
	}
	if links.CSV != "" {
		c.Actions = append(c.Actions, OpenURL{Title: l.T("licence.download.csv"), URL: links.CSV})
	}
	c.FullWidth = true
	c.Fallback = l.T("licence.detail.title", s.Name)
	return c
}

func detailRow(l Lang, a domain.AccountLine) TableRow {
	name := dataText(strings.ToUpper(a.Surname), 40)
	if name == "" {
		name = dataText(a.Display, 40)
	}
	nameCell := cellOf(small(name))
	if !a.Enabled {
		nameCell.Items = append(nameCell.Items, TextBlock{Text: l.T("licence.disabled"), Size: SizeSmall, Color: ColorAttention, Spacing: SpacingNone})
	}
	var lic, price []string
	for i, x := range a.Licences {
		if i == detailMaxLicences {
			lic = append(lic, l.T("licence.more", len(a.Licences)-i))
			break
		}
		lic = append(lic, dataText(x.Name, 40))
		price = append(price, PriceOf(l, x))
	}
	if len(a.Licences) > 1 {
		price = append(price, "**"+Euros(l, a.Cost)+"**")
	}
	if len(lic) == 0 {
		lic = append(lic, l.T("licence.none"))
		price = append(price, Euros(l, 0))
	}
	row := TableRow{Cells: []TableCell{
		nameCell, textCell(dataText(a.GivenName, 40)), textCell(dataText(a.Email, 64)), textCell(dataText(a.JobTitle, 48)),
		textCell(strings.Join(lic, "\n\n")), textCell(strings.Join(price, "\n\n")),
	}}
	if !a.Enabled {
		row.Style = StyleAttention
	}
	return row
}
