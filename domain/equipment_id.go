package domain

import (
	"fmt"
	"strconv"
	"strings"
)

// TerminalID is a terminal's identity, written
// <ESTABLISHMENT>-<SITE>-<TYPE><NNN>: "DITEP-STF-P068" is the portable PC
// number 68 of the DITEP's Saint-François site. The pair
// <ESTABLISHMENT>-<SITE> is the code of the Parc establishment the terminal
// belongs to ("DITEP-STF"), so that an id says where its terminal lives;
// TYPE is one or two letters of the terminal-type table ("P", "TP"), and
// NNN the terminal's number for that establishment, site and type, at
// least three digits.
//
// ParseTerminalID and String are the one place where ids are read and
// written.
type TerminalID struct {
	Org    string // "DITEP": the organisation or establishment part
	Site   string // "STF"
	Type   string // "P"
	Number int    // 68
}

// Bounds of the parts of a terminal id.
const (
	maxOrgLen      = 10
	maxSiteLen     = 6
	maxTypeLen     = 2
	MaxTerminalNum = 9999
)

// ParseTerminalID reads an id as users type it: case and surrounding spaces
// do not matter ("ditep-stf-p068"). It returns EINVALID with the catalogue
// key err.terminal.id for anything else.
func ParseTerminalID(s string) (TerminalID, error) {
	bad := func() (TerminalID, error) {
		return TerminalID{}, Errorf(EINVALID, "err.terminal.id", clip(s, 40))
	}
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) > maxOrgLen+maxSiteLen+maxTypeLen+6 {
		return bad()
	}
	parts := strings.Split(s, "-")
	if len(parts) != 3 {
		return bad()
	}
	org, site, tail := parts[0], parts[1], parts[2]
	if !isCodePart(org, 2, maxOrgLen) || !isCodePart(site, 2, maxSiteLen) {
		return bad()
	}
	i := 0
	for i < len(tail) && tail[i] >= 'A' && tail[i] <= 'Z' {
		i++
	}
	typ, digits := tail[:i], tail[i:]
	if len(typ) < 1 || len(typ) > maxTypeLen || len(digits) < 3 || len(digits) > 4 {
		return bad()
	}
	if len(digits) == 4 && digits[0] == '0' {
		return bad() // one spelling per number: 0068 is 068
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return bad()
		}
	}
	n, _ := strconv.Atoi(digits)
	if n < 1 {
		return bad()
	}
	return TerminalID{Org: org, Site: site, Type: typ, Number: n}, nil
}

// isCodePart reports whether s is min to max upper-case letters or digits,
// starting with a letter.
func isCodePart(s string, min, max int) bool {
	if len(s) < min || len(s) > max || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for _, c := range s {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// String writes the id in its one canonical form.
func (id TerminalID) String() string {
	return fmt.Sprintf("%s-%s-%s%03d", id.Org, id.Site, id.Type, id.Number)
}

// Establishment is the code of the establishment the terminal belongs to.
func (id TerminalID) Establishment() string { return id.Org + "-" + id.Site }

// Series names the numbering series of the id: its establishment and type
// ("DITEP-STF-P"). Numbers are unique within a series.
func (id TerminalID) Series() string { return id.Establishment() + "-" + id.Type }

// SortKey orders ids by establishment, type and number (P999 before P1000).
func (id TerminalID) SortKey() string {
	return fmt.Sprintf("%s-%s-%s%05d", id.Org, id.Site, id.Type, id.Number)
}

// Validate checks the parts' rules.
func (id TerminalID) Validate() error {
	if _, err := ParseTerminalID(id.String()); err != nil || id.Number > MaxTerminalNum {
		return Errorf(EINVALID, "err.terminal.id", id.String())
	}
	return nil
}

// SplitEstablishmentCode returns the two parts of an establishment code
// that can hold terminals ("DITEP-STF" gives "DITEP", "STF"); ok is false
// for a code of another shape, whose establishment cannot number terminals.
func SplitEstablishmentCode(code string) (org, site string, ok bool) {
	org, site, found := strings.Cut(code, "-")
	if !found || !isCodePart(org, 2, maxOrgLen) || !isCodePart(site, 2, maxSiteLen) {
		return "", "", false
	}
	return org, site, true
}

// LoanID is a loan's identity: its terminal's id and the loan's rank among
// that terminal's loans, "DITEP-STF-P068-L3". It tells the establishment
// (a point read finds the loan) and is short enough for a certificate.
type LoanID struct {
	Terminal TerminalID
	Seq      int
}

// String writes the loan id.
func (l LoanID) String() string { return fmt.Sprintf("%s-L%d", l.Terminal, l.Seq) }

// ParseLoanID reads a loan id; EINVALID (err.loan.id) otherwise.
func ParseLoanID(s string) (LoanID, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	i := strings.LastIndex(s, "-L")
	if i < 0 || len(s) > 40 {
		return LoanID{}, Errorf(EINVALID, "err.loan.id", clip(s, 40))
	}
	tid, err := ParseTerminalID(s[:i])
	seq, err2 := strconv.Atoi(s[i+2:])
	if err != nil || err2 != nil || seq < 1 || seq > 99999 || strconv.Itoa(seq) != s[i+2:] {
		return LoanID{}, Errorf(EINVALID, "err.loan.id", clip(s, 40))
	}
	return LoanID{Terminal: tid, Seq: seq}, nil
}

// clip cuts s to at most n runes, for error messages that echo input.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
