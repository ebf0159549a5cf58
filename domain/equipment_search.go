package domain

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// TerminalSummary is a terminal as a list shows it and a search matches it:
// a few short fields, kept by the stores in a compact index so that a
// search over ten thousand terminals reads no full record.
type TerminalSummary struct {
	ID            string         `json:"id"`
	Establishment string         `json:"establishment"`
	Site          string         `json:"site"`
	Type          string         `json:"type"`
	Status        TerminalStatus `json:"status"`
	Make          string         `json:"make,omitempty"`
	Model         string         `json:"model,omitempty"`
	Serial        string         `json:"serial,omitempty"`
	Holder        string         `json:"holder,omitempty"`   // borrower, or the person it is assigned to
	HolderID      string         `json:"holderId,omitempty"` // their Entra object id
	Due           Date           `json:"due,omitempty"`      // of the open loan
	WarrantyEnd   Date           `json:"warrantyEnd,omitempty"`
	ContractEnd   Date           `json:"contractEnd,omitempty"`
	Version       int            `json:"version"`
}

// Summary returns the terminal's list entry.
func (t Terminal) Summary() TerminalSummary {
	s := TerminalSummary{ID: t.ID, Establishment: t.Establishment, Site: t.Site, Type: t.Type, Status: t.Status,
		Make: t.Make, Model: t.Model, Serial: t.Serial, Due: t.DueDate, WarrantyEnd: t.WarrantyEnd, Version: t.Version}
	if h := t.Holder(); h != nil {
		s.Holder, s.HolderID = h.Name, h.ID
	}
	if t.Contract != nil {
		s.ContractEnd = t.Contract.End
	}
	return s
}

// SearchText is what free text is matched against, folded: the id, make,
// model, serial and holder.
func (s TerminalSummary) SearchText() string {
	return FoldText(strings.Join([]string{s.ID, s.Make, s.Model, s.Serial, s.Holder}, " "))
}

// TerminalFilter selects terminals. Empty fields select everything; Text
// is split in words, each of which must appear (case and accents ignored)
// in the id, make, model, serial number or holder's name.
type TerminalFilter struct {
	Establishment string
	Site          string
	Types         []string
	Statuses      []TerminalStatus
	Text          string
	// EndsBefore keeps the terminals whose warranty or contract ends on
	// or before that day (and not before EndsAfter): the reminders' query.
	EndsBefore, EndsAfter Date
	Offset, Limit         int // Limit 0: every match
}

// MaxPageSize bounds a search's page: a card lists at most this many.
const MaxPageSize = 200

// TerminalPage is a page of a search: the matches from Offset and how many
// there are in all.
type TerminalPage struct {
	Items []TerminalSummary
	Total int
}

// Matcher is a filter prepared for matching many summaries fast.
type Matcher struct {
	f     TerminalFilter
	words []string
}

// Prepare folds the filter's text once.
func (f TerminalFilter) Prepare() Matcher {
	return Matcher{f: f, words: strings.Fields(FoldText(f.Text))}
}

// Filter returns the filter the matcher was prepared from.
func (m Matcher) Filter() TerminalFilter { return m.f }

// Words are the folded words of the free text.
func (m Matcher) Words() []string { return m.words }

// MatchFields reports whether the structured fields match; text is
// checked apart (MatchText), so that a backend can test the cheap fields
// first.
func (m Matcher) MatchFields(est, site, typ string, status TerminalStatus, warranty, contract Date) bool {
	f := m.f
	if f.Establishment != "" && est != f.Establishment {
		return false
	}
	if f.Site != "" && site != f.Site {
		return false
	}
	if len(f.Types) > 0 && !slices.Contains(f.Types, typ) {
		return false
	}
	if len(f.Statuses) > 0 && !slices.Contains(f.Statuses, status) {
		return false
	}
	if f.EndsBefore != "" {
		in := func(d Date) bool { return d != "" && d <= f.EndsBefore && (f.EndsAfter == "" || d >= f.EndsAfter) }
		if !in(warranty) && !in(contract) {
			return false
		}
	}
	return true
}

// MatchText reports whether every word appears in folded.
func (m Matcher) MatchText(folded string) bool {
	for _, w := range m.words {
		if !strings.Contains(folded, w) {
			return false
		}
	}
	return true
}

// Match reports whether s matches the whole filter.
func (m Matcher) Match(s TerminalSummary) bool {
	return m.MatchFields(s.Establishment, s.Site, s.Type, s.Status, s.WarrantyEnd, s.ContractEnd) &&
		(len(m.words) == 0 || m.MatchText(s.SearchText()))
}

// Page cuts the matches, already in id order, to the filter's window.
func (m Matcher) Page(all []TerminalSummary) TerminalPage {
	p := TerminalPage{Total: len(all)}
	lo := min(max(m.f.Offset, 0), len(all))
	hi := len(all)
	if m.f.Limit > 0 {
		hi = min(lo+m.f.Limit, len(all))
	}
	p.Items = all[lo:hi]
	return p
}

// SortSummaries orders summaries by establishment, type and number.
func SortSummaries(s []TerminalSummary) {
	slices.SortFunc(s, func(a, b TerminalSummary) int { return strings.Compare(TerminalSortKey(a.ID), TerminalSortKey(b.ID)) })
}

// TerminalSortKey is the sort key of a terminal id (the id itself when it
// does not parse).
func TerminalSortKey(id string) string {
	tid, err := ParseTerminalID(id)
	if err != nil {
		return id
	}
	return tid.SortKey()
}

// FoldText lower-cases s, removes accents and collapses white space, so
// that "Lefèvre" matches "lefevre".
func FoldText(s string) string {
	isASCII := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			isASCII = false
			break
		}
	}
	if !isASCII {
		t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
		if out, _, err := transform.String(t, s); err == nil {
			s = out
		}
	}
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}
