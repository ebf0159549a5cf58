package cards

import (
	"fmt"
	"strings"
	"time"

	"github.com/anras/parc/domain"
)

// Verbs of the licence feature's cards.
const (
	VerbLicenceDetail       = "licences.detail"
	VerbLicenceSummary      = "licences.summary"
	VerbLicenceRuns         = "licences.runs"
	VerbLicenceRunShow      = "licences.run.show"
	VerbLicenceRunStart     = "licences.run.start"
	VerbLicenceRunPreview   = "licences.run.preview"
	VerbLicencePrices       = "licences.prices"
	VerbLicencePriceSet     = "licences.price.set"
	VerbLicencePriceDelete  = "licences.price.delete"
	VerbEstablishments      = "establishments"
	VerbEstablishmentEdit   = "establishments.edit"
	VerbEstablishmentSave   = "establishments.save"
	VerbEstablishmentAsk    = "establishments.delete.ask"
	VerbEstablishmentDelete = "establishments.delete"
	VerbEstablishmentUnbind = "establishments.unbind"
)

// Euros writes an amount as the reader's language does: "6,30 €",
// "€6.30".
func Euros(l Lang, m domain.Money) string {
	s := m.Euros()
	if l == FR {
		s = strings.Replace(s, ".", ",", 1)
	}
	return l.T("licence.money", s)
}

// SignedEuros writes a difference with its sign: "+23,70 €".
func SignedEuros(l Lang, m domain.Money) string {
	if m > 0 {
		return "+" + Euros(l, m)
	}
	return Euros(l, m)
}

// PriceOf is a licence's price, or N/A when it has none.
func PriceOf(l Lang, s domain.SkuInfo) string {
	if !s.Priced {
		return l.T("licence.na")
	}
	return Euros(l, s.Price)
}

// When writes an instant in loc: "28/11/2026 à 10:00".
func When(l Lang, t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	lt := t.In(loc)
	return l.T("licence.date", lt.Format(l.T("licence.date.layout")), lt.Format("15:04"))
}

// Day writes a date in loc: "28/11/2026".
func Day(l Lang, t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format(l.T("licence.date.layout"))
}

// MonthLabel writes "2026-11" as "novembre 2026".
func MonthLabel(l Lang, month string) string {
	var y, m int
	if _, err := fmt.Sscanf(month, "%d-%d", &y, &m); err != nil || m < 1 || m > 12 {
		return month
	}
	return l.T("licence.month.label", l.T(fmt.Sprintf("licence.month.%02d", m)), y)
}

// Duration writes a time spent as the old report did: "00:02:12".
func Duration(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
}

// listOf joins at most n names (made safe for Markdown), then "… and N
// more".
func listOf(l Lang, names []string, n int) string {
	var parts []string
	for i, s := range names {
		if i == n {
			break
		}
		parts = append(parts, dataText(s, 60))
	}
	out := strings.Join(parts, ", ")
	if len(names) > n {
		out += " " + l.T("licence.more", len(names)-n)
	}
	return out
}

// dataText makes a value from the directory or an admin safe to show in a
// card's Markdown while keeping it as written: links lose their target
// and the characters that would format a line are removed, but
// underscores (part numbers: FLOW_FREE) and parentheses ("(H/F)") stay;
// cut at a word boundary to at most max runes.
func dataText(s string, max int) string {
	s = mdLinkRe.ReplaceAllString(s, "$1")
	s = strings.Map(func(r rune) rune {
		switch r {
		case '*', '[', ']', '`', '#', '<', '>', '~', '|':
			return -1
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); max > 0 && len(r) > max {
		cut := string(r[:max])
		if i := strings.LastIndexByte(cut, ' '); i > max/2 {
			cut = cut[:i]
		}
		s = cut + "…"
	}
	return s
}

// small is a compact wrapped text for tables.
func small(text string) TextBlock { return TextBlock{Text: text, Wrap: true, Size: SizeSmall} }

func cellOf(items ...Element) TableCell { return TableCell{Items: items} }

// textCell is a cell of small text; an empty text gives an empty cell (a
// TextBlock must have text).
func textCell(text string) TableCell {
	if text == "" {
		return TableCell{}
	}
	return cellOf(small(text))
}

func boldCell(text string) TableCell {
	return cellOf(TextBlock{Text: text, Wrap: true, Size: SizeSmall, Weight: WeightBolder})
}
