package domain

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// LicenceSummary is an establishment's licence summary: every account
// with its licences and cost, the totals per licence and overall, and what
// an IT manager acts on (the findings).
type LicenceSummary struct {
	RunID       string
	Code, Name  string
	GeneratedAt time.Time
	// Accounts sorted by surname, given name, e-mail.
	Accounts []AccountLine
	// Totals per licence, costliest first (then by name).
	Totals []SkuTotal
	Total  Money
	// Unpriced is true when some licence has no price: Total is then a
	// lower bound.
	Unpriced bool

	// Findings, as indexes into Accounts.
	DisabledPaid []int     // disabled accounts that still hold paid licences
	Unlicensed   []int     // accounts without any licence
	Overlaps     []Overlap // accounts holding overlapping products
	// UnknownSkus are the licences without a commercial name or a price.
	UnknownSkus []SkuTotal
	// Costliest are the costliest accounts (at most MaxCostliest).
	Costliest []int

	// Changes since the previous run; nil when there is none.
	Changes *LicenceChanges
}

// MaxCostliest is how many of the costliest accounts a summary names.
const MaxCostliest = 5

// AccountLine is one account of a summary: the old flow's NOM, PRÉNOM,
// EMAIL, POSTE, LICENCES, TARIF HT.
type AccountLine struct {
	ID        string
	Surname   string
	GivenName string
	Display   string
	Email     string
	JobTitle  string
	Enabled   bool
	Licences  []SkuInfo // by name
	Cost      Money
	// Unpriced is true when a licence has no price ("N/A").
	Unpriced bool
}

// Name is how the account is named in a list: "SURNAME Given name", or
// the display name, or the e-mail.
func (a AccountLine) Name() string {
	s := strings.TrimSpace(strings.ToUpper(a.Surname) + " " + a.GivenName)
	if s == "" {
		s = a.Display
	}
	if s == "" {
		s = a.Email
	}
	return s
}

// SkuTotal is one licence's count and cost in a summary.
type SkuTotal struct {
	SkuInfo
	Count int
	Total Money
}

// Overlap is an account holding two products that include the same
// service plans.
type Overlap struct {
	Account int
	A, B    SkuInfo
	Shared  []string // service plan names
}

// LicenceChanges is what changed since the previous run.
type LicenceChanges struct {
	PreviousRunID   string
	PreviousAt      time.Time
	AccountsAdded   []string // names
	AccountsRemoved []string
	LicencesAdded   []LicenceChange
	LicencesRemoved []LicenceChange
	CostBefore      Money
	CostAfter       Money
}

// LicenceChange is one licence given to or taken from an account.
type LicenceChange struct {
	Account string // name
	Licence string // name
}

// Difference is the cost difference since the previous run.
func (c LicenceChanges) Difference() Money { return c.CostAfter - c.CostBefore }

// Empty reports whether nothing changed.
func (c LicenceChanges) Empty() bool {
	return len(c.AccountsAdded)+len(c.AccountsRemoved)+len(c.LicencesAdded)+len(c.LicencesRemoved) == 0 && c.CostBefore == c.CostAfter
}

// skuTable indexes a report's SKUs.
func skuTable(r LicenceReport) map[string]SkuInfo {
	m := make(map[string]SkuInfo, len(r.Skus))
	for _, s := range r.Skus {
		m[s.SkuID] = s
	}
	return m
}

func skuOf(table map[string]SkuInfo, id string) SkuInfo {
	if s, ok := table[id]; ok {
		return s
	}
	return SkuInfo{SkuID: id, Name: id}
}

// SummarizeLicences computes the summary of a report. cat gives the
// service plans for overlaps (nil: no overlap check); prev, when not nil,
// is the establishment's previous report, for the changes.
func SummarizeLicences(r LicenceReport, cat *LicenceCatalogue, prev *LicenceReport) LicenceSummary {
	s := LicenceSummary{RunID: r.RunID, Code: r.Code, Name: r.Name, GeneratedAt: r.GeneratedAt}
	table := skuTable(r)
	totals := map[string]*SkuTotal{}
	for _, a := range r.Accounts {
		line := accountLine(a, table)
		for _, l := range line.Licences {
			t := totals[l.SkuID]
			if t == nil {
				t = &SkuTotal{SkuInfo: l}
				totals[l.SkuID] = t
			}
			t.Count++
			t.Total += l.Price
		}
		s.Total += line.Cost
		s.Unpriced = s.Unpriced || line.Unpriced
		s.Accounts = append(s.Accounts, line)
	}
	slices.SortStableFunc(s.Accounts, compareAccounts)
	for _, t := range totals {
		s.Totals = append(s.Totals, *t)
		if !t.Named || !t.Priced {
			s.UnknownSkus = append(s.UnknownSkus, *t)
		}
	}
	byCost := func(a, b SkuTotal) int {
		if c := cmp.Compare(b.Total, a.Total); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	}
	slices.SortFunc(s.Totals, byCost)
	slices.SortFunc(s.UnknownSkus, byCost)
	for i, a := range s.Accounts {
		if !a.Enabled && a.Cost > 0 {
			s.DisabledPaid = append(s.DisabledPaid, i)
		}
		if len(a.Licences) == 0 {
			s.Unlicensed = append(s.Unlicensed, i)
		}
		if cat != nil {
			s.Overlaps = append(s.Overlaps, overlapsOf(i, a, cat)...)
		}
	}
	s.Costliest = costliest(s.Accounts, MaxCostliest)
	if prev != nil {
		c := compareReports(*prev, r, s.Total)
		s.Changes = &c
	}
	return s
}

func accountLine(a LicensedAccount, table map[string]SkuInfo) AccountLine {
	line := AccountLine{ID: a.ID, Surname: strings.TrimSpace(a.Surname), GivenName: strings.TrimSpace(a.GivenName),
		Display: strings.TrimSpace(a.DisplayName), Email: a.Email(), JobTitle: strings.TrimSpace(a.JobTitle), Enabled: a.Enabled}
	seen := map[string]bool{}
	for _, id := range a.SkuIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		info := skuOf(table, id)
		line.Licences = append(line.Licences, info)
		line.Cost += info.Price
		line.Unpriced = line.Unpriced || !info.Priced
	}
	slices.SortFunc(line.Licences, func(x, y SkuInfo) int {
		return cmp.Or(strings.Compare(x.Name, y.Name), strings.Compare(x.SkuID, y.SkuID))
	})
	return line
}

func compareAccounts(a, b AccountLine) int {
	return cmp.Or(
		strings.Compare(foldKey(a.Surname), foldKey(b.Surname)),
		strings.Compare(foldKey(a.GivenName), foldKey(b.GivenName)),
		strings.Compare(foldKey(a.Display), foldKey(b.Display)),
		strings.Compare(strings.ToLower(a.Email), strings.ToLower(b.Email)),
		strings.Compare(a.ID, b.ID),
	)
}

// foldKey sorts names as a French reader expects: case and the common
// accents ignored (É with E), empty names last.
func foldKey(s string) string {
	if s == "" {
		return "\uffff"
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case 'à', 'â', 'ä', 'À', 'Â', 'Ä':
			return 'a'
		case 'é', 'è', 'ê', 'ë', 'É', 'È', 'Ê', 'Ë':
			return 'e'
		case 'î', 'ï', 'Î', 'Ï':
			return 'i'
		case 'ô', 'ö', 'Ô', 'Ö':
			return 'o'
		case 'ù', 'û', 'ü', 'Ù', 'Û', 'Ü':
			return 'u'
		case 'ç', 'Ç':
			return 'c'
		}
		return r
	}, strings.ToLower(s))
}

func overlapsOf(i int, a AccountLine, cat *LicenceCatalogue) []Overlap {
	var out []Overlap
	for x := 0; x < len(a.Licences); x++ {
		for y := x + 1; y < len(a.Licences); y++ {
			if shared := cat.Overlap(a.Licences[x].SkuID, a.Licences[y].SkuID); len(shared) > 0 {
				out = append(out, Overlap{Account: i, A: a.Licences[x], B: a.Licences[y], Shared: shared})
			}
		}
	}
	return out
}

// costliest returns the indexes of the n costliest accounts with a cost.
func costliest(accounts []AccountLine, n int) []int {
	idx := make([]int, 0, len(accounts))
	for i, a := range accounts {
		if a.Cost > 0 {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(x, y int) int { return cmp.Compare(accounts[y].Cost, accounts[x].Cost) })
	if len(idx) > n {
		idx = idx[:n]
	}
	return idx
}

// compareReports lists what changed between two runs of an establishment.
func compareReports(prev, cur LicenceReport, costAfter Money) LicenceChanges {
	c := LicenceChanges{PreviousRunID: prev.RunID, PreviousAt: prev.GeneratedAt, CostAfter: costAfter}
	prevTable, curTable := skuTable(prev), skuTable(cur)
	before := map[string]LicensedAccount{}
	for _, a := range prev.Accounts {
		before[a.ID] = a
		c.CostBefore += accountLine(a, prevTable).Cost
	}
	now := map[string]bool{}
	for _, a := range cur.Accounts {
		now[a.ID] = true
		name := accountLine(a, curTable).Name()
		old, existed := before[a.ID]
		if !existed {
			c.AccountsAdded = append(c.AccountsAdded, name)
			continue
		}
		had := map[string]bool{}
		for _, id := range old.SkuIDs {
			had[id] = true
		}
		has := map[string]bool{}
		for _, id := range a.SkuIDs {
			has[id] = true
			if !had[id] {
				c.LicencesAdded = append(c.LicencesAdded, LicenceChange{Account: name, Licence: skuOf(curTable, id).Name})
			}
		}
		for id := range had {
			if !has[id] {
				c.LicencesRemoved = append(c.LicencesRemoved, LicenceChange{Account: name, Licence: skuOf(prevTable, id).Name})
			}
		}
	}
	for _, a := range prev.Accounts {
		if !now[a.ID] {
			c.AccountsRemoved = append(c.AccountsRemoved, accountLine(a, prevTable).Name())
		}
	}
	slices.Sort(c.AccountsAdded)
	slices.Sort(c.AccountsRemoved)
	byAccount := func(x, y LicenceChange) int {
		return cmp.Or(strings.Compare(x.Account, y.Account), strings.Compare(x.Licence, y.Licence))
	}
	slices.SortFunc(c.LicencesAdded, byAccount)
	slices.SortFunc(c.LicencesRemoved, byAccount)
	return c
}
