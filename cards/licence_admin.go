package cards

import (
	"strings"
	"time"

	"github.com/anras/parc/domain"
)

// LicenceRunsView is what the admins' summary card shows.
type LicenceRunsView struct {
	Day, Hour int
	Next      time.Time
	// Directory is "graph", "snapshot" or "" (none configured).
	Directory string
	// ITChannel names the IT department's bound channel ("" when unbound).
	ITChannel string
	Runs      []domain.LicenceRun // newest first
	Notice    string
}

// runsShown bounds the history on the card.
const runsShown = 10

// LicenceRunsCard is the admins' card: the schedule, the directory, the
// IT channel, the latest runs, and the buttons to run now (posting, or a
// preview that posts nothing).
func LicenceRunsCard(l Lang, v LicenceRunsView, loc *time.Location) Card {
	dir := l.T("licence.dir.none")
	switch v.Directory {
	case "graph":
		dir = l.T("licence.dir.graph")
	case "snapshot":
		dir = l.T("licence.dir.snapshot")
	}
	it := l.T("licence.runs.unbound")
	if v.ITChannel != "" {
		it = l.T("licence.runs.bound", dataText(v.ITChannel, 60))
	}
	c := New(l, Heading(l.T("licence.runs.title")))
	if v.Notice != "" {
		c.Body = append(c.Body, Colored(v.Notice, ColorGood))
	}
	c.Body = append(c.Body, Facts(
		l.T("licence.runs.schedule"), l.T("licence.runs.schedule.v", v.Day, v.Hour),
		l.T("licence.runs.next"), When(l, v.Next, loc),
		l.T("licence.runs.directory"), dir,
		l.T("licence.runs.it_channel"), it,
	), Subheading(l.T("licence.runs.history")))
	if len(v.Runs) == 0 {
		c.Body = append(c.Body, Subtle(l.T("licence.runs.none")))
	}
	for i, r := range v.Runs {
		if i == runsShown {
			break
		}
		_, _, failed, _, _ := r.Totals()
		line := l.T("licence.runs.line", When(l, r.StartedAt, loc), TriggerText(l, r), len(r.Establishments), failed)
		if r.Status == domain.RunRunning {
			line = l.T("licence.runs.line.running", When(l, r.StartedAt, loc), TriggerText(l, r))
		}
		c.Body = append(c.Body, ColumnSet{Separator: true, Columns: []Column{
			{Width: "stretch", VerticalContentAlignment: "Center", Items: []Element{small(line)}},
			{Width: "auto", Items: []Element{ActionSet{Actions: []Action{Execute{Title: l.T("licence.runs.show"), Verb: VerbLicenceRunShow, Data: Data{"run": r.ID}}}}}},
		}})
	}
	form := New(l, ToggleInput{ID: "force", Title: l.T("licence.runs.force"), ValueOn: "true", ValueOff: "false", Value: "false"})
	form.Actions = []Action{
		Execute{Title: l.T("licence.runs.go"), Verb: VerbLicenceRunStart, Style: ActionPositive, AssociatedInputs: "auto"},
		Execute{Title: l.T("licence.runs.preview"), Verb: VerbLicenceRunPreview, AssociatedInputs: "none"},
	}
	c.Actions = []Action{
		ShowCard{Title: l.T("licence.runs.start"), Card: form},
		Execute{Title: l.T("menu.licences.prices"), Verb: VerbLicencePrices},
		Execute{Title: l.T("menu.open"), Verb: VerbMenu},
	}
	c.Fallback = l.T("licence.runs.title")
	return c
}

// PriceLine is one priced licence on the prices card.
type PriceLine struct {
	SkuID, Name, PartNumber string
	Price                   domain.Money
}

// LicencePricesView is what the prices card shows.
type LicencePricesView struct {
	Products int // in the catalogue
	Prices   []PriceLine
	Page     int
	// Unpriced are the licences of the last run without a price.
	Unpriced []string
	Notice   string
}

// PricesPageSize is how many prices a page of the card lists.
const PricesPageSize = 20

// LicencePricesCard lists the prices, page by page, each with a button to
// remove it, and a form to add or change one.
func LicencePricesCard(l Lang, v LicencePricesView) Card {
	c := New(l, Heading(l.T("licence.prices.title")))
	if v.Notice != "" {
		c.Body = append(c.Body, Colored(v.Notice, ColorGood))
	}
	if v.Products > 0 {
		c.Body = append(c.Body, Subtle(l.T("licence.prices.catalogue", v.Products)))
	} else {
		c.Body = append(c.Body, Colored(l.T("licence.prices.no_catalogue"), ColorWarning))
	}
	if len(v.Unpriced) > 0 {
		c.Body = append(c.Body, Colored(l.T("licence.prices.unpriced", listOf(l, v.Unpriced, 8)), ColorWarning))
	}
	pages := max(1, (len(v.Prices)+PricesPageSize-1)/PricesPageSize)
	page := min(max(v.Page, 0), pages-1)
	from, to := page*PricesPageSize, min((page+1)*PricesPageSize, len(v.Prices))
	if len(v.Prices) == 0 {
		c.Body = append(c.Body, Subtle(l.T("licence.prices.none")))
	} else {
		c.Body = append(c.Body, Subtle(l.T("licence.prices.range", from+1, to, len(v.Prices))))
	}
	for _, p := range v.Prices[from:to] {
		label := "**" + dataText(p.Name, 60) + "** · " + Euros(l, p.Price)
		if p.PartNumber != "" && p.PartNumber != p.Name {
			label += "\n\n" + dataText(p.PartNumber, 60)
		}
		c.Body = append(c.Body, ColumnSet{Separator: true, Columns: []Column{
			{Width: "stretch", VerticalContentAlignment: "Center", Items: []Element{small(label)}},
			{Width: "auto", Items: []Element{ActionSet{Actions: []Action{Execute{Title: l.T("licence.prices.delete"), Verb: VerbLicencePriceDelete,
				Style: ActionDestructive, Data: Data{"skuId": p.SkuID, "page": page}, AssociatedInputs: "none"}}}}},
		}})
	}
	if pages > 1 {
		var nav []Action
		if page > 0 {
			nav = append(nav, Execute{Title: l.T("licence.detail.prev"), Verb: VerbLicencePrices, Data: Data{"page": page - 1}, AssociatedInputs: "none"})
		}
		if page < pages-1 {
			nav = append(nav, Execute{Title: l.T("licence.detail.next"), Verb: VerbLicencePrices, Data: Data{"page": page + 1}, AssociatedInputs: "none"})
		}
		c.Body = append(c.Body, ActionSet{Actions: nav})
	}
	c.Body = append(c.Body,
		Subheading(l.T("licence.prices.form")),
		TextInput{ID: "sku", Label: l.T("licence.prices.sku"), MaxLength: 80, IsRequired: true, ErrorMessage: l.T("licence.prices.sku.error")},
		TextInput{ID: "price", Label: l.T("licence.prices.price"), MaxLength: 16, IsRequired: true, ErrorMessage: l.T("licence.prices.price.error")},
		TextInput{ID: "name", Label: l.T("licence.prices.name"), MaxLength: 120},
		ActionSet{Actions: []Action{Execute{Title: l.T("licence.prices.save"), Verb: VerbLicencePriceSet, Style: ActionPositive, AssociatedInputs: "auto"}}},
	)
	c.Actions = []Action{
		Execute{Title: l.T("menu.licences.runs"), Verb: VerbLicenceRuns, AssociatedInputs: "none"},
		Execute{Title: l.T("menu.open"), Verb: VerbMenu, AssociatedInputs: "none"},
	}
	c.Fallback = l.T("licence.prices.title")
	return c
}

// EstablishmentsPageSize is how many establishments a page of the card lists.
const EstablishmentsPageSize = 15

// EstablishmentsCard lists the establishments with their groups and
// channel, each with edit and delete buttons, and a form to add one.
func EstablishmentsCard(l Lang, ests []domain.Establishment, page int, notice string) Card {
	c := New(l, Heading(l.T("licence.est.title")))
	if notice != "" {
		c.Body = append(c.Body, Colored(notice, ColorGood))
	}
	pages := max(1, (len(ests)+EstablishmentsPageSize-1)/EstablishmentsPageSize)
	page = min(max(page, 0), pages-1)
	from, to := page*EstablishmentsPageSize, min((page+1)*EstablishmentsPageSize, len(ests))
	if len(ests) == 0 {
		c.Body = append(c.Body, Subtle(l.T("licence.est.none")))
	} else if pages > 1 {
		c.Body = append(c.Body, Subtle(l.T("licence.est.range", from+1, to, len(ests))))
	}
	for _, e := range ests[from:to] {
		channel := l.T("licence.est.channel.bound")
		if e.ChannelID == "" {
			channel = l.T("licence.est.channel.none", e.Code)
		}
		c.Body = append(c.Body, ColumnSet{Separator: true, Columns: []Column{
			{Width: "stretch", VerticalContentAlignment: "Center", Items: []Element{
				small(l.T("licence.est.line", e.Code, dataText(e.Name, 80))),
				TextBlock{Text: l.T("licence.est.facts", len(e.StaffGroupIDs), channel), Wrap: true, Size: SizeSmall, IsSubtle: true, Spacing: SpacingNone},
			}},
			{Width: "auto", Items: []Element{ActionSet{Actions: []Action{
				Execute{Title: l.T("licence.est.edit"), Verb: VerbEstablishmentEdit, Data: Data{"establishment": e.Code}, AssociatedInputs: "none"},
				Execute{Title: l.T("licence.est.delete"), Verb: VerbEstablishmentAsk, Style: ActionDestructive, Data: Data{"establishment": e.Code}, AssociatedInputs: "none"},
			}}}},
		}})
	}
	if pages > 1 {
		var nav []Action
		if page > 0 {
			nav = append(nav, Execute{Title: l.T("licence.detail.prev"), Verb: VerbEstablishments, Data: Data{"page": page - 1}, AssociatedInputs: "none"})
		}
		if page < pages-1 {
			nav = append(nav, Execute{Title: l.T("licence.detail.next"), Verb: VerbEstablishments, Data: Data{"page": page + 1}, AssociatedInputs: "none"})
		}
		c.Body = append(c.Body, ActionSet{Actions: nav})
	}
	form := New(l, establishmentInputs(l, domain.Establishment{}, true)...)
	form.Actions = []Action{Execute{Title: l.T("licence.est.save"), Verb: VerbEstablishmentSave, Style: ActionPositive, AssociatedInputs: "auto"}}
	c.Actions = []Action{
		ShowCard{Title: l.T("licence.est.add"), Card: form},
		Execute{Title: l.T("menu.open"), Verb: VerbMenu, AssociatedInputs: "none"},
	}
	c.Fallback = l.T("licence.est.title")
	return c
}

// establishmentInputs are the form's fields; the code is asked for only
// when adding (it never changes).
func establishmentInputs(l Lang, e domain.Establishment, withCode bool) []Element {
	var out []Element
	if withCode {
		out = append(out, TextInput{ID: "est_code", Label: l.T("licence.est.code"), MaxLength: 20, IsRequired: true,
			Regex: `^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$`, ErrorMessage: l.T("licence.est.code.error")})
	}
	return append(out,
		TextInput{ID: "est_name", Label: l.T("licence.est.name"), Value: e.Name, MaxLength: 120, IsRequired: true, ErrorMessage: l.T("licence.est.name.error")},
		TextInput{ID: "est_groups", Label: l.T("licence.est.groups"), Value: strings.Join(e.StaffGroupIDs, ", "), IsMultiline: true, MaxLength: 2000},
		TextInput{ID: "est_correspondents", Label: l.T("licence.est.correspondents"), Value: e.CorrespondentGroupID, MaxLength: 40},
	)
}

// EstablishmentEditCard edits one establishment.
func EstablishmentEditCard(l Lang, e domain.Establishment) Card {
	c := New(l, Heading(l.T("licence.est.edit.title", e.Code)))
	c.Body = append(c.Body, establishmentInputs(l, e, false)...)
	c.Body = append(c.Body, ActionSet{Actions: []Action{
		Execute{Title: l.T("licence.est.save"), Verb: VerbEstablishmentSave, Style: ActionPositive, AssociatedInputs: "auto", Data: Data{"establishment": e.Code}},
	}})
	if e.ChannelID != "" {
		c.Actions = append(c.Actions, Execute{Title: l.T("licence.est.unbind"), Verb: VerbEstablishmentUnbind, Data: Data{"establishment": e.Code}, AssociatedInputs: "none"})
	}
	c.Actions = append(c.Actions, Execute{Title: l.T("licence.est.back"), Verb: VerbEstablishments, AssociatedInputs: "none"})
	c.Fallback = l.T("licence.est.edit.title", e.Code)
	return c
}

// EstablishmentDeleteCard asks to confirm a deletion.
func EstablishmentDeleteCard(l Lang, e domain.Establishment) Card {
	return Notice(l, l.T("licence.est.delete"), l.T("licence.est.confirm", e.Code, dataText(e.Name, 80)), ColorWarning,
		Execute{Title: l.T("licence.est.confirm.yes"), Verb: VerbEstablishmentDelete, Style: ActionDestructive, Data: Data{"establishment": e.Code}},
		Execute{Title: l.T("licence.est.confirm.no"), Verb: VerbEstablishments})
}

// ChannelBound confirms a channel binding.
func ChannelBound(l Lang, message string) Card {
	return Notice(l, l.T("licence.bind.title"), message, ColorGood)
}
