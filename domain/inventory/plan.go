package inventory

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/anras/parc/domain"
)

// Problem is why a row is refused: a catalogue key and its arguments.
type Problem struct {
	Key  string
	Args []any
}

// Row is a row of the sheet read into a terminal's facts, or refused.
type Row struct {
	Line    int
	ID      string // the Nomenclature as written when it does not parse
	Facts   domain.TerminalFacts
	Problem *Problem
}

// Parse finds the header row, maps its columns and reads every row after
// it into facts, normalised (makes, Windows versions, processor and
// memory). A row without an id, with an id that does not parse, a formula,
// a control character or an overlong cell is refused with its reason; the
// file itself is refused (a domain.Error) when the required columns are
// missing, it has no terminal row, or more than MaxDataRows.
func Parse(raw []RawRow) ([]Row, error) {
	hdr, cols, err := findHeader(raw)
	if err != nil {
		return nil, err
	}
	var out []Row
	seen := map[string]int{}
	for _, r := range raw[hdr+1:] {
		row := parseRow(r, cols)
		if row.Problem == nil {
			if first, dup := seen[row.Facts.ID]; dup {
				row.Problem = &Problem{"import.reason.duplicate", []any{row.Facts.ID, first}}
			} else {
				seen[row.Facts.ID] = r.Line
			}
		}
		out = append(out, row)
		if len(out) > MaxDataRows {
			return nil, domain.Errorf(domain.EINVALID, "err.import.too_many_rows", MaxDataRows)
		}
	}
	if len(out) == 0 {
		return nil, domain.Errorf(domain.EINVALID, "err.import.empty")
	}
	return out, nil
}

// findHeader returns the index of the header row and each column's cell
// index (-1 when absent).
func findHeader(raw []RawRow) (int, [numColumns]int, error) {
	var best [numColumns]int
	bestFound := -1
	for i, r := range raw {
		if i >= headerSearchRows {
			break
		}
		var cols [numColumns]int
		for c := range cols {
			cols[c] = -1
		}
		found := 0
		for ci, cell := range r.Cells {
			if c, ok := headerColumn(cell.Text); ok && cols[c] < 0 {
				cols[c] = ci
				found++
			}
		}
		if found > bestFound {
			best, bestFound = cols, found
		}
		complete := true
		for _, c := range requiredColumns {
			complete = complete && cols[c] >= 0
		}
		if complete {
			return i, cols, nil
		}
	}
	var missing []string
	for _, c := range requiredColumns {
		if bestFound < 0 || best[c] < 0 {
			missing = append(missing, c.Name())
		}
	}
	return 0, best, domain.Errorf(domain.EINVALID, "err.import.columns", strings.Join(missing, ", "))
}

func parseRow(r RawRow, cols [numColumns]int) Row {
	row := Row{Line: r.Line}
	var v [numColumns]string
	for c, ci := range cols {
		if ci < 0 || ci >= len(r.Cells) {
			continue
		}
		cell := r.Cells[ci]
		name := Column(c).Name()
		switch {
		case cell.Formula:
			row.Problem = &Problem{"import.reason.formula", []any{name}}
		case utf8.RuneCountInString(cell.Text) > MaxCellRunes:
			row.Problem = &Problem{"import.reason.long", []any{name, MaxCellRunes}}
		case hasControl(cell.Text) || !utf8.ValidString(cell.Text):
			row.Problem = &Problem{"import.reason.control", []any{name}}
		}
		if row.Problem != nil {
			row.ID = clip(cleanCell(cellText(r, cols[ColID])), 40)
			return row
		}
		v[c] = cleanCell(cell.Text)
	}
	row.ID = clip(v[ColID], 40)
	id, err := domain.ParseTerminalID(strings.ReplaceAll(v[ColID], " ", ""))
	if err != nil {
		row.Problem = &Problem{"import.reason.id", []any{clip(v[ColID], 40)}}
		return row
	}
	row.ID = id.String()
	if site := v[ColSite]; site != "" && !strings.EqualFold(site, id.Site) {
		row.Problem = &Problem{"import.reason.site", []any{clip(site, 40), id.Site}}
		return row
	}
	f := domain.TerminalFacts{ID: id.String(), Owner: strings.ToUpper(v[ColOwner]), Make: NormalizeMake(v[ColMake]),
		Model: v[ColModel], Specs: v[ColSpecs], OS: NormalizeOS(v[ColOS]), Serial: strings.ToUpper(strings.ReplaceAll(v[ColSerial], " ", ""))}
	f.CPU, f.RAM = ParseSpecs(v[ColSpecs])
	row.Facts = f
	return row
}

func cellText(r RawRow, ci int) string {
	if ci < 0 || ci >= len(r.Cells) {
		return ""
	}
	return r.Cells[ci].Text
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// Item is a row of the plan.
type Item struct {
	Line    int
	ID      string
	Facts   domain.TerminalFacts
	Changes []domain.FieldChange // for a changed terminal
	Problem *Problem
}

// Plan is what an import would do.
type Plan struct {
	New, Changed, Unchanged, Invalid []Item
}

// Facts returns the facts to write: the new and changed terminals.
func (p Plan) Facts() []domain.TerminalFacts {
	out := make([]domain.TerminalFacts, 0, len(p.New)+len(p.Changed))
	for _, it := range p.New {
		out = append(out, it.Facts)
	}
	for _, it := range p.Changed {
		out = append(out, it.Facts)
	}
	return out
}

// Lookup is what planning needs from the store.
type Lookup interface {
	Terminal(ctx context.Context, id string) (domain.Terminal, error)
	ListEstablishments(ctx context.Context) ([]domain.Establishment, error)
	TerminalTypes(ctx context.Context) ([]domain.TerminalType, error)
}

// MakePlan compares the rows with the store: a terminal that does not
// exist is new (if its establishment and type do), one whose facts differ
// changed, the others unchanged. Planning the same file again after
// applying it finds nothing new or changed.
func MakePlan(ctx context.Context, store Lookup, rows []Row) (Plan, error) {
	ests, err := store.ListEstablishments(ctx)
	if err != nil {
		return Plan{}, err
	}
	known := map[string]bool{}
	for _, e := range ests {
		known[e.Code] = true
	}
	types, err := store.TerminalTypes(ctx)
	if err != nil {
		return Plan{}, err
	}
	if len(types) == 0 {
		types = domain.DefaultTerminalTypes
	}
	typeOK := map[string]bool{}
	for _, t := range types {
		typeOK[t.Code] = true
	}
	var p Plan
	for _, r := range rows {
		it := Item{Line: r.Line, ID: r.ID, Facts: r.Facts, Problem: r.Problem}
		if it.Problem != nil {
			p.Invalid = append(p.Invalid, it)
			continue
		}
		id, _ := domain.ParseTerminalID(r.Facts.ID)
		cur, err := store.Terminal(ctx, r.Facts.ID)
		switch {
		case domain.IsNotFound(err):
			switch {
			case !known[id.Establishment()]:
				it.Problem = &Problem{"import.reason.establishment", []any{id.Establishment()}}
				p.Invalid = append(p.Invalid, it)
			case !typeOK[id.Type]:
				it.Problem = &Problem{"import.reason.type", []any{id.Type}}
				p.Invalid = append(p.Invalid, it)
			default:
				p.New = append(p.New, it)
			}
		case err != nil:
			return Plan{}, err
		default:
			after := cur
			if r.Facts.ApplyTo(&after) {
				it.Changes = domain.Diff(cur, after)
				p.Changed = append(p.Changed, it)
			} else {
				p.Unchanged = append(p.Unchanged, it)
			}
		}
	}
	return p, nil
}
