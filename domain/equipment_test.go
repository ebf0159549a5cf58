package domain

import (
	"strings"
	"testing"
	"time"
)

func TestParseTerminalID(t *testing.T) {
	cases := []struct {
		in, want, est string
		ok            bool
	}{
		{"DITEP-STF-P068", "DITEP-STF-P068", "DITEP-STF", true},
		{"  ditep-stf-p068 ", "DITEP-STF-P068", "DITEP-STF", true},
		{"ANRAS-SOC-TP012", "ANRAS-SOC-TP012", "ANRAS-SOC", true},
		{"DITEP-STF-P1000", "DITEP-STF-P1000", "DITEP-STF", true},
		{"DITEP-STF-P0068", "", "", false}, // one spelling per number
		{"DITEP-STF-P68", "", "", false},
		{"DITEP-STF-P000", "", "", false},
		{"DITEP-STF-068", "", "", false},
		{"DITEP-STF-ABC001", "", "", false},
		{"DITEP-P068", "", "", false},
		{"DITEP-STF-X-P068", "", "", false},
		{"DITEP STF P068", "", "", false},
		{"1TEP-STF-P068", "", "", false},
		{"DITEP-STF-P06é", "", "", false},
		{"", "", "", false},
		{"DITEPDITEPDITEP-STF-P001", "", "", false},
	}
	for _, c := range cases {
		id, err := ParseTerminalID(c.in)
		if (err == nil) != c.ok {
			t.Errorf("ParseTerminalID(%q) error = %v, want ok=%v", c.in, err, c.ok)
			continue
		}
		if !c.ok {
			if e := AsError(err); e == nil || e.Code != EINVALID || e.Key != "err.terminal.id" {
				t.Errorf("ParseTerminalID(%q) = %v, want EINVALID err.terminal.id", c.in, err)
			}
			continue
		}
		if id.String() != c.want || id.Establishment() != c.est {
			t.Errorf("ParseTerminalID(%q) = %s (%s), want %s (%s)", c.in, id, id.Establishment(), c.want, c.est)
		}
	}
	a, _ := ParseTerminalID("DITEP-STF-P999")
	b, _ := ParseTerminalID("DITEP-STF-P1000")
	if a.SortKey() >= b.SortKey() {
		t.Errorf("P999 must sort before P1000: %s, %s", a.SortKey(), b.SortKey())
	}
}

func TestParseLoanID(t *testing.T) {
	l, err := ParseLoanID("ditep-stf-p068-l3")
	if err != nil || l.String() != "DITEP-STF-P068-L3" || l.Terminal.Establishment() != "DITEP-STF" {
		t.Fatalf("ParseLoanID = %v, %v", l, err)
	}
	for _, bad := range []string{"DITEP-STF-P068", "DITEP-STF-P068-L0", "DITEP-STF-P068-L03", "DITEP-STF-P068-Lx", "X-L1", "DITEP-STF-P068-L-1"} {
		if _, err := ParseLoanID(bad); ErrorCodeOf(err) != EINVALID {
			t.Errorf("ParseLoanID(%q) = %v, want EINVALID", bad, err)
		}
	}
}

// FuzzParseTerminalID: whatever a user types, parsing never panics, and an
// id that parses writes back to a form that parses to the same id.
func FuzzParseTerminalID(f *testing.F) {
	for _, s := range []string{"DITEP-STF-P068", "anras-soc-tp012", "A-B-C", "DITEP-STF-P1000", "--", "ÉÉ-ÉÉ-É001", "DITEP-STF-P068-L2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseTerminalID(s)
		if err != nil {
			if ErrorCodeOf(err) != EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		again, err := ParseTerminalID(id.String())
		if err != nil || again != id {
			t.Fatalf("%q parsed to %+v, whose form %q parses to %+v, %v", s, id, id.String(), again, err)
		}
		if id.Validate() != nil {
			t.Fatalf("%q parsed to an invalid id %+v", s, id)
		}
		if !strings.EqualFold(strings.TrimSpace(s), id.String()) {
			t.Fatalf("%q parsed to %s: not the same id", s, id)
		}
		if l, err := ParseLoanID(LoanID{Terminal: id, Seq: 7}.String()); err != nil || l.Terminal != id {
			t.Fatalf("loan id of %s does not parse back: %v", id, err)
		}
	})
}

func TestDates(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone data")
	}
	cases := []struct {
		at   time.Time
		want Date
	}{
		// 23:30 UTC on 28 March 2026 is 00:30 on the 29th in Paris (UTC+1).
		{time.Date(2026, 3, 28, 23, 30, 0, 0, time.UTC), "2026-03-29"},
		// 22:30 UTC on 29 March is 00:30 on the 30th (summer time, UTC+2).
		{time.Date(2026, 3, 29, 22, 30, 0, 0, time.UTC), "2026-03-30"},
		{time.Date(2026, 3, 29, 21, 59, 0, 0, time.UTC), "2026-03-29"},
		// Back to winter time on 25 October.
		{time.Date(2026, 10, 24, 22, 30, 0, 0, time.UTC), "2026-10-25"},
		{time.Date(2026, 10, 25, 22, 30, 0, 0, time.UTC), "2026-10-25"},
	}
	for _, c := range cases {
		if got := DateOf(c.at, paris); got != c.want {
			t.Errorf("DateOf(%s) = %s, want %s", c.at, got, c.want)
		}
	}
	if n := Date("2026-03-28").DaysUntil("2026-03-30"); n != 2 {
		t.Errorf("days across the spring change = %d, want 2", n)
	}
	if n := Date("2026-10-24").DaysUntil("2026-10-26"); n != 2 {
		t.Errorf("days across the autumn change = %d, want 2", n)
	}
	if d, err := ParseDate("15/04/2026"); err != nil || d != "2026-04-15" || d.French() != "15/04/2026" {
		t.Errorf("ParseDate French = %s, %v", d, err)
	}
	if _, err := ParseDate("31/02/2026"); ErrorCodeOf(err) != EINVALID {
		t.Errorf("31 February: %v", err)
	}
}

func TestLoanRequestRules(t *testing.T) {
	today := Date("2026-11-28")
	ok := LoanRequest{TerminalID: "DITEP-STF-P068", Borrower: Borrower{ID: "u1", Name: "Alice"}, Due: "2026-12-05", ConditionOut: ConditionGood, Accessories: []string{"charger"}}
	if err := ok.Validate(today); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		mod  func(*LoanRequest)
		key  string
	}{
		{"no borrower", func(r *LoanRequest) { r.Borrower = Borrower{} }, "err.loan.borrower_required"},
		{"due in the past", func(r *LoanRequest) { r.Due = "2026-11-27" }, "err.loan.due_past"},
		{"no due date", func(r *LoanRequest) { r.Due = "" }, "err.loan.due_required"},
		{"bad id", func(r *LoanRequest) { r.TerminalID = "P068" }, "err.terminal.id"},
		{"unknown accessory", func(r *LoanRequest) { r.Accessories = []string{"yacht"} }, "err.loan.accessory"},
		{"bad condition", func(r *LoanRequest) { r.ConditionOut = "shiny" }, "err.loan.condition"},
		{"too far", func(r *LoanRequest) { r.Due = "2031-01-01" }, "err.loan.due_far"},
	}
	for _, c := range cases {
		r := ok
		c.mod(&r)
		err := r.Validate(today)
		if e := AsError(err); e == nil || e.Key != c.key {
			t.Errorf("%s: %v, want %s", c.name, err, c.key)
		}
	}
	r := ok
	r.Due = today // due today is allowed
	if err := r.Validate(today); err != nil {
		t.Errorf("due today: %v", err)
	}
}

func TestParsePrice(t *testing.T) {
	for in, want := range map[string]int64{"899": 89900, "1 234,50": 123450, "899.9 €": 89990, "": 0, "0,05": 5} {
		if got, err := ParsePrice(in); err != nil || got != want {
			t.Errorf("ParsePrice(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"abc", "-5", "1,234", "12.345"} {
		if _, err := ParsePrice(bad); ErrorCodeOf(err) != EINVALID {
			t.Errorf("ParsePrice(%q) = %v, want EINVALID", bad, err)
		}
	}
	if FormatPrice(123450) != "1234,50 €" {
		t.Errorf("FormatPrice = %q", FormatPrice(123450))
	}
}
