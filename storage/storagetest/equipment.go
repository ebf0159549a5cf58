package storagetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anras/parc/domain"
)

// runEquipment runs the equipment feature's contract.
func runEquipment(t *testing.T, newStore NewStore) {
	t.Run("TerminalTypes", func(t *testing.T) { testTerminalTypes(t, newStore) })
	t.Run("Terminals", func(t *testing.T) { testTerminals(t, newStore) })
	t.Run("RegisterNumbers", func(t *testing.T) { testRegisterNumbers(t, newStore) })
	t.Run("TerminalSearch", func(t *testing.T) { testTerminalSearch(t, newStore) })
	t.Run("TerminalAssignment", func(t *testing.T) { testTerminalAssignment(t, newStore) })
	t.Run("Loans", func(t *testing.T) { testLoans(t, newStore) })
	t.Run("ConcurrentLoans", func(t *testing.T) { testConcurrentLoans(t, newStore) })
	t.Run("ImportTerminals", func(t *testing.T) { testImportTerminals(t, newStore) })
	t.Run("EquipmentExportImport", func(t *testing.T) { testEquipmentPort(t, newStore) })
	t.Run("PendingImports", func(t *testing.T) { testPendingImports(t, newStore) })
}

var (
	tech    = domain.PersonRef{ID: "tech-1", Name: "Jean-Pierre Lefèvre"}
	alice   = domain.Borrower{ID: "u-alice", Name: "Alice Martin", Email: "alice.martin@anras.fr", JobTitle: "Éducatrice spécialisée"}
	bruno   = domain.Borrower{ID: "u-bruno", Name: "Bruno Petit", Email: "bruno.petit@anras.fr"}
	dueDate = domain.Date("2026-04-15")
)

func mustTerminal(t *testing.T, s domain.Store, id, make, model string) domain.Terminal {
	t.Helper()
	tid, err := domain.ParseTerminalID(id)
	if err != nil {
		t.Fatal(err)
	}
	term := domain.NewTerminal(tid)
	term.Make, term.Model, term.Owner = make, model, tid.Org
	got, err := s.CreateTerminal(context.Background(), term, tech, t0)
	if err != nil {
		t.Fatalf("CreateTerminal(%s): %v", id, err)
	}
	return got
}

func errKey(err error) string {
	if e := domain.AsError(err); e != nil {
		return e.Key
	}
	return fmt.Sprint(err)
}

func testTerminalTypes(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	if list, err := s.TerminalTypes(ctx); err != nil || len(list) != 0 {
		t.Fatalf("new store types = %v, %v; want none", list, err)
	}
	for _, tt := range []domain.TerminalType{domain.DefaultTerminalTypes[3], domain.DefaultTerminalTypes[0]} {
		if err := s.SaveTerminalType(ctx, tt); err != nil {
			t.Fatal(err)
		}
	}
	tp := domain.DefaultTerminalTypes[3]
	tp.NameFR, tp.Lendable = "Smartphone", false
	if err := s.SaveTerminalType(ctx, tp); err != nil {
		t.Fatal(err)
	}
	list, err := s.TerminalTypes(ctx)
	if err != nil || len(list) != 2 || list[0].Code != "P" || list[1].Code != "TP" || list[1].NameFR != "Smartphone" || list[1].Lendable {
		t.Fatalf("TerminalTypes = %+v, %v; want P then TP replaced", list, err)
	}
	for _, bad := range []domain.TerminalType{{Code: "p", NameFR: "x"}, {Code: "ABC", NameFR: "x"}, {Code: "Z"}} {
		if err := s.SaveTerminalType(ctx, bad); domain.ErrorCodeOf(err) != domain.EINVALID {
			t.Errorf("SaveTerminalType(%+v) = %v, want EINVALID", bad, err)
		}
	}
}

func testTerminals(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	got := mustTerminal(t, s, "ditep-stf-p068", "Lenovo", "ThinkPad T480")
	if got.ID != "DITEP-STF-P068" || got.Establishment != "DITEP-STF" || got.Status != domain.StatusInStock || got.Version != 1 {
		t.Fatalf("created %+v", got)
	}
	if _, err := s.CreateTerminal(ctx, domain.NewTerminal(domain.TerminalID{Org: "DITEP", Site: "STF", Type: "P", Number: 68}), tech, t0); errKey(err) != "err.terminal.exists" {
		t.Fatalf("creating an id twice: %v, want err.terminal.exists", err)
	}
	if _, err := s.Terminal(ctx, "DITEP-STF-P069"); !domain.IsNotFound(err) || errKey(err) != "err.terminal.unknown" {
		t.Fatalf("unknown terminal: %v", err)
	}
	read, err := s.Terminal(ctx, "DITEP-STF-P068")
	if err != nil || read.Model != "ThinkPad T480" || !read.CreatedAt.Equal(t0) {
		t.Fatalf("Terminal = %+v, %v", read, err)
	}
	// An update records who changed what; one that changes nothing writes nothing.
	serial, notes := "PF0ABCD1", "Écran rayé"
	later := t0.Add(time.Hour)
	up, err := s.UpdateTerminal(ctx, read.ID, domain.TerminalUpdate{Serial: &serial, Notes: &notes}, domain.PersonRef{ID: "tech-2", Name: "Chloé Durand"}, later)
	if err != nil || up.Version != 2 || up.Serial != serial || up.UpdatedBy != "tech-2" {
		t.Fatalf("UpdateTerminal = %+v, %v", up, err)
	}
	if same, err := s.UpdateTerminal(ctx, read.ID, domain.TerminalUpdate{Serial: &serial}, tech, later); err != nil || same.Version != 2 {
		t.Fatalf("no-op update = v%d, %v; want v2 unchanged", same.Version, err)
	}
	lent := domain.StatusLent
	if _, err := s.UpdateTerminal(ctx, read.ID, domain.TerminalUpdate{Status: &lent}, tech, later); domain.ErrorCodeOf(err) != domain.EINVALID {
		t.Fatalf("setting lent by hand: %v, want EINVALID", err)
	}
	assigned := domain.StatusAssigned
	if _, err := s.UpdateTerminal(ctx, read.ID, domain.TerminalUpdate{Status: &assigned}, tech, later); domain.ErrorCodeOf(err) != domain.EINVALID {
		t.Fatalf("assigned to nobody: %v, want EINVALID", err)
	}
	if _, err := s.UpdateTerminal(ctx, "DITEP-STF-P999", domain.TerminalUpdate{Notes: &notes}, tech, later); !domain.IsNotFound(err) {
		t.Fatalf("update of an unknown terminal: %v", err)
	}
	hist, err := s.TerminalHistory(ctx, read.ID, 0)
	if err != nil || len(hist) != 2 {
		t.Fatalf("history = %+v, %v; want 2 entries", hist, err)
	}
	h := hist[0]
	if h.Seq != 2 || h.Action != domain.ChangeUpdated || h.By.Name != "Chloé Durand" || !h.At.Equal(later) {
		t.Fatalf("newest history entry = %+v", h)
	}
	var fields []string
	for _, f := range h.Fields {
		fields = append(fields, f.Field+"="+f.To)
	}
	if !slices.Equal(fields, []string{"serial=PF0ABCD1", "notes=Écran rayé"}) {
		t.Fatalf("history fields = %v", fields)
	}
	if hist[1].Action != domain.ChangeCreated || hist[1].Seq != 1 {
		t.Fatalf("oldest entry = %+v", hist[1])
	}
	if one, _ := s.TerminalHistory(ctx, read.ID, 1); len(one) != 1 || one[0].Seq != 2 {
		t.Fatalf("history limited to 1 = %+v", one)
	}
	if _, err := s.TerminalHistory(ctx, "DITEP-STF-P001", 0); !domain.IsNotFound(err) {
		t.Fatalf("history of an unknown terminal: %v", err)
	}
	// A prefix of an id is not the id: P06 history must not show P068's.
	mustTerminal(t, s, "DITEP-STF-P006", "Lenovo", "X")
	if h6, _ := s.TerminalHistory(ctx, "DITEP-STF-P006", 0); len(h6) != 1 {
		t.Fatalf("P006 history has %d entries, want 1", len(h6))
	}
}

func testRegisterNumbers(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	mustTerminal(t, s, "DITEP-STF-P001", "Lenovo", "A")
	mustTerminal(t, s, "DITEP-STF-P010", "Lenovo", "B") // imported with its number: the series goes on from 10
	next := domain.Terminal{Establishment: "DITEP-STF", Type: "P", Make: "Dell", Model: "Latitude 5440"}
	got, err := s.RegisterTerminal(ctx, next, tech, t0)
	if err != nil || got.ID != "DITEP-STF-P011" || got.Model != "Latitude 5440" {
		t.Fatalf("RegisterTerminal = %+v, %v; want DITEP-STF-P011", got, err)
	}
	if other, err := s.RegisterTerminal(ctx, domain.Terminal{Establishment: "DITEP-STF", Type: "TP"}, tech, t0); err != nil || other.ID != "DITEP-STF-TP001" {
		t.Fatalf("first of another series = %+v, %v", other, err)
	}
	if _, err := s.RegisterTerminal(ctx, domain.Terminal{Establishment: "CEF", Type: "P"}, tech, t0); domain.ErrorCodeOf(err) != domain.EINVALID {
		t.Fatalf("an establishment code without a site: %v, want EINVALID", err)
	}
	// Concurrent registrations never share a number.
	const n = 8
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := s.RegisterTerminal(ctx, domain.Terminal{Establishment: "ANRAS-SOC", Type: "F"}, tech, t0)
			if err != nil {
				t.Error(err)
			}
			ids[i] = got.ID
		}()
	}
	wg.Wait()
	slices.Sort(ids)
	for i, id := range ids {
		if want := fmt.Sprintf("ANRAS-SOC-F%03d", i+1); id != want {
			t.Fatalf("concurrent registrations gave %v, want F001..F%03d", ids, n)
		}
	}
}

func testTerminalSearch(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	for i := 1; i <= 30; i++ {
		mustTerminal(t, s, fmt.Sprintf("DITEP-STF-P%03d", i), "Lenovo", fmt.Sprintf("ThinkPad %d", i))
	}
	mustTerminal(t, s, "DITEP-STF-P1000", "Fujitsu", "Lifebook A555")
	mustTerminal(t, s, "DITEP-STF-T003", "Microsoft", "Surface Pro 7")
	mustTerminal(t, s, "ANRAS-SOC-P012", "Dell", "Latitude E5540")
	serial := "SN-XYZ-42"
	if _, err := s.UpdateTerminal(ctx, "DITEP-STF-P007", domain.TerminalUpdate{Serial: &serial}, tech, t0); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.OpenLoan(ctx, domain.LoanRequest{TerminalID: "DITEP-STF-P002", Borrower: domain.Borrower{ID: "u-e", Name: "Émilie Lefèvre"}, Technician: tech, Due: dueDate, ConditionOut: domain.ConditionGood}, t0); err != nil {
		t.Fatal(err)
	}
	ids := func(p domain.TerminalPage) []string {
		var out []string
		for _, it := range p.Items {
			out = append(out, it.ID)
		}
		return out
	}
	cases := []struct {
		name  string
		f     domain.TerminalFilter
		want  []string
		total int
	}{
		{"first page in id order", domain.TerminalFilter{Limit: 3}, []string{"ANRAS-SOC-P012", "DITEP-STF-P001", "DITEP-STF-P002"}, 33},
		{"third page", domain.TerminalFilter{Establishment: "DITEP-STF", Offset: 29, Limit: 5}, []string{"DITEP-STF-P030", "DITEP-STF-P1000", "DITEP-STF-T003"}, 32},
		{"by type", domain.TerminalFilter{Types: []string{"T"}}, []string{"DITEP-STF-T003"}, 1},
		{"by status", domain.TerminalFilter{Statuses: []domain.TerminalStatus{domain.StatusLent}}, []string{"DITEP-STF-P002"}, 1},
		{"borrower without accents", domain.TerminalFilter{Text: "emilie LEFEVRE"}, []string{"DITEP-STF-P002"}, 1},
		{"serial", domain.TerminalFilter{Text: "xyz-42"}, []string{"DITEP-STF-P007"}, 1},
		{"model words", domain.TerminalFilter{Text: "lifebook a555"}, []string{"DITEP-STF-P1000"}, 1},
		{"id fragment", domain.TerminalFilter{Text: "soc-p01"}, []string{"ANRAS-SOC-P012"}, 1},
		{"establishment and text", domain.TerminalFilter{Establishment: "ANRAS-SOC", Text: "thinkpad"}, nil, 0},
		{"past the end", domain.TerminalFilter{Offset: 100, Limit: 10}, nil, 33},
	}
	for _, c := range cases {
		p, err := s.SearchTerminals(ctx, c.f)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !slices.Equal(ids(p), c.want) || p.Total != c.total {
			t.Errorf("%s: got %v (total %d), want %v (total %d)", c.name, ids(p), p.Total, c.want, c.total)
		}
	}
	p, _ := s.SearchTerminals(ctx, domain.TerminalFilter{Text: "P002"})
	if len(p.Items) != 1 || p.Items[0].Holder != "Émilie Lefèvre" || p.Items[0].Due != dueDate || p.Items[0].Status != domain.StatusLent {
		t.Fatalf("summary of a lent terminal = %+v", p.Items)
	}
	// Warranty and contract ends, for the reminders.
	w1, w2 := domain.Date("2026-05-20"), domain.Date("2026-09-01")
	if _, err := s.UpdateTerminal(ctx, "DITEP-STF-P003", domain.TerminalUpdate{WarrantyEnd: &w1}, tech, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateTerminal(ctx, "DITEP-STF-P004", domain.TerminalUpdate{Contract: &domain.Contract{Supplier: "Inmac", End: w2}}, tech, t0); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.SearchTerminals(ctx, domain.TerminalFilter{EndsBefore: "2026-06-01"}); !slices.Equal(ids(p), []string{"DITEP-STF-P003"}) {
		t.Errorf("ending before June: %v", ids(p))
	}
	if p, _ := s.SearchTerminals(ctx, domain.TerminalFilter{EndsBefore: "2026-12-31", EndsAfter: "2026-06-01"}); !slices.Equal(ids(p), []string{"DITEP-STF-P004"}) {
		t.Errorf("contracts ending in the autumn: %v", ids(p))
	}
}

// testTerminalAssignment: a terminal assigned to a person keeps them with
// its history, is found by their name, and loses them when it leaves the
// status; what the rules refuse changes nothing.
func testTerminalAssignment(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	mustTerminal(t, s, "DITEP-STF-P012", "Dell", "Latitude E5540")
	mustTerminal(t, s, "DITEP-STF-P013", "Dell", "Latitude E5540")
	at := t0.Add(time.Hour)
	assigned, inStock, retired := domain.StatusAssigned, domain.StatusInStock, domain.StatusRetired
	person := domain.PersonRef{ID: alice.ID, Name: alice.Name, Email: alice.Email}
	got, err := s.UpdateTerminal(ctx, "DITEP-STF-P012", domain.TerminalUpdate{Status: &assigned, AssignedTo: &person}, tech, at)
	if err != nil || got.Status != domain.StatusAssigned || got.AssignedTo == nil || *got.AssignedTo != person || got.Version != 2 {
		t.Fatalf("assigning = %+v, %v", got, err)
	}
	if read, _ := s.Terminal(ctx, "DITEP-STF-P012"); read.AssignedTo == nil || *read.AssignedTo != person {
		t.Fatalf("stored assignee = %+v", read.AssignedTo)
	}
	hist, _ := s.TerminalHistory(ctx, "DITEP-STF-P012", 1)
	if len(hist) != 1 || hist[0].By != tech || !hist[0].At.Equal(at) ||
		!slices.Equal(hist[0].Fields, []domain.FieldChange{{Field: "status", From: "in_stock", To: "assigned"}, {Field: "assigned_to", To: "Alice Martin"}}) {
		t.Fatalf("history of the assignment = %+v", hist)
	}
	found := func(text string) []string {
		t.Helper()
		p, err := s.SearchTerminals(ctx, domain.TerminalFilter{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range p.Items {
			out = append(out, it.ID+"/"+it.Holder)
		}
		return out
	}
	if got := found("ALICE martin"); !slices.Equal(got, []string{"DITEP-STF-P012/Alice Martin"}) {
		t.Fatalf("search by the user's name = %v", got)
	}
	if p, _ := s.SearchTerminals(ctx, domain.TerminalFilter{Statuses: []domain.TerminalStatus{domain.StatusAssigned}}); p.Total != 1 || p.Items[0].HolderID != alice.ID {
		t.Fatalf("search by status assigned = %+v", p)
	}

	// Refusals change nothing: nobody to assign to, an assigned terminal
	// lent, a lent or retired terminal assigned.
	unchanged := func(id string, version int) {
		t.Helper()
		if read, _ := s.Terminal(ctx, id); read.Version != version {
			t.Fatalf("%s changed to v%d after a refusal (want v%d): %+v", id, read.Version, version, read)
		}
		if h, _ := s.TerminalHistory(ctx, id, 0); len(h) != version {
			t.Fatalf("%s has %d history entries after a refusal, want %d", id, len(h), version)
		}
	}
	if _, err := s.UpdateTerminal(ctx, "DITEP-STF-P013", domain.TerminalUpdate{Status: &assigned}, tech, at); errKey(err) != "err.terminal.assigned_to" {
		t.Fatalf("assigned to nobody: %v", err)
	}
	unchanged("DITEP-STF-P013", 1)
	if _, _, err := s.OpenLoan(ctx, loanReq("DITEP-STF-P012", bruno), at); errKey(err) != "err.loan.not_lendable" {
		t.Fatalf("lending an assigned terminal: %v, want err.loan.not_lendable", err)
	}
	unchanged("DITEP-STF-P012", 2)
	if _, _, err := s.OpenLoan(ctx, loanReq("DITEP-STF-P013", bruno), at); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateTerminal(ctx, "DITEP-STF-P013", domain.TerminalUpdate{Status: &assigned, AssignedTo: &person}, tech, at); errKey(err) != "err.terminal.lent_use_return" || !domain.IsConflict(err) {
		t.Fatalf("assigning a lent terminal: %v, want ECONFLICT err.terminal.lent_use_return", err)
	}
	unchanged("DITEP-STF-P013", 2)
	mustTerminal(t, s, "DITEP-STF-P014", "Dell", "Latitude E5540")
	if _, err := s.UpdateTerminal(ctx, "DITEP-STF-P014", domain.TerminalUpdate{Status: &retired}, tech, at); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateTerminal(ctx, "DITEP-STF-P014", domain.TerminalUpdate{Status: &assigned, AssignedTo: &person}, tech, at); errKey(err) != "err.terminal.retired_assign" {
		t.Fatalf("assigning a retired terminal: %v, want err.terminal.retired_assign", err)
	}
	unchanged("DITEP-STF-P014", 2)

	// An import changes the facts and keeps the person.
	if _, n, err := s.ImportTerminals(ctx, []domain.TerminalFacts{{ID: "DITEP-STF-P012", Model: "Latitude E5550"}}, tech, at); err != nil || n != 1 {
		t.Fatalf("import = %d changed, %v", n, err)
	}
	if read, _ := s.Terminal(ctx, "DITEP-STF-P012"); read.Model != "Latitude E5550" || read.Status != domain.StatusAssigned || read.AssignedTo == nil || *read.AssignedTo != person {
		t.Fatalf("after the import: %+v", read)
	}
	if got := found("alice"); !slices.Equal(got, []string{"DITEP-STF-P012/Alice Martin"}) {
		t.Fatalf("search by the user's name after the import = %v", got)
	}

	// Back in stock: the person goes, from the record and from the search.
	back, err := s.UpdateTerminal(ctx, "DITEP-STF-P012", domain.TerminalUpdate{Status: &inStock}, tech, at.Add(time.Hour))
	if err != nil || back.Status != domain.StatusInStock || back.AssignedTo != nil {
		t.Fatalf("back in stock = %+v, %v", back, err)
	}
	if got := found("alice"); len(got) != 0 {
		t.Fatalf("a terminal back in stock is found by its former user: %v", got)
	}
	if h, _ := s.TerminalHistory(ctx, "DITEP-STF-P012", 1); len(h) != 1 || !slices.Contains(h[0].Fields, domain.FieldChange{Field: "assigned_to", From: "Alice Martin"}) {
		t.Fatalf("history of the return to stock = %+v", h)
	}
}

func loanReq(id string, b domain.Borrower) domain.LoanRequest {
	return domain.LoanRequest{TerminalID: id, Borrower: b, Technician: tech, Due: dueDate,
		Accessories: []string{"charger", "bag"}, ConditionOut: domain.ConditionGood, Notes: "Prêt pour le séjour"}
}

func testLoans(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	mustTerminal(t, s, "DITEP-STF-P068", "Lenovo", "ThinkPad T480")
	mustTerminal(t, s, "DITEP-STF-P069", "Dell", "Latitude")
	loan, term, err := s.OpenLoan(ctx, loanReq("DITEP-STF-P068", alice), t0)
	if err != nil {
		t.Fatal(err)
	}
	if loan.ID != "DITEP-STF-P068-L1" || !loan.Open || loan.Borrower != alice || loan.Terminal.Model != "ThinkPad T480" || !loan.Opened.Equal(t0) {
		t.Fatalf("loan = %+v", loan)
	}
	if term.Status != domain.StatusLent || term.OpenLoan != loan.ID || term.Borrower.Name != "Alice Martin" || term.Version != 2 {
		t.Fatalf("terminal after OpenLoan = %+v", term)
	}
	if got, _ := s.Terminal(ctx, "DITEP-STF-P068"); got.Status != domain.StatusLent {
		t.Fatalf("stored terminal status %s", got.Status)
	}
	if _, _, err := s.OpenLoan(ctx, loanReq("DITEP-STF-P068", bruno), t0); errKey(err) != "err.loan.already_open" || !domain.IsConflict(err) {
		t.Fatalf("second open loan: %v, want ECONFLICT err.loan.already_open", err)
	}
	if _, _, err := s.OpenLoan(ctx, loanReq("DITEP-STF-P404", bruno), t0); !domain.IsNotFound(err) {
		t.Fatalf("loan of an unknown terminal: %v", err)
	}
	if _, err := s.Loan(ctx, "DITEP-STF-P068-L9"); errKey(err) != "err.loan.unknown" {
		t.Fatalf("unknown loan: %v", err)
	}
	ackAt := t0.Add(2 * time.Hour)
	acked, err := s.UpdateLoan(ctx, loan.ID, func(l *domain.Loan) error {
		l.Ack = &domain.Acknowledgement{At: ackAt, UserID: alice.ID, Name: alice.Name}
		return nil
	})
	if err != nil || acked.Ack == nil || !acked.Ack.At.Equal(ackAt) {
		t.Fatalf("UpdateLoan ack = %+v, %v", acked, err)
	}
	if _, err := s.UpdateLoan(ctx, loan.ID, func(l *domain.Loan) error { l.Open = false; return nil }); domain.ErrorCodeOf(err) != domain.EINVALID {
		t.Fatalf("closing through UpdateLoan: %v, want EINVALID", err)
	}
	if _, _, err := s.OpenLoan(ctx, loanReq("DITEP-STF-P069", alice), t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	loanIDs := func(f domain.LoanFilter) []string {
		list, err := s.ListLoans(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, l := range list {
			out = append(out, l.ID)
		}
		return out
	}
	if got := loanIDs(domain.LoanFilter{OpenOnly: true}); !slices.Equal(got, []string{"DITEP-STF-P069-L1", "DITEP-STF-P068-L1"}) {
		t.Fatalf("open loans, newest first = %v", got)
	}
	// Closing: the terminal goes back in stock, damaged ones in repair.
	ret := domain.LoanReturn{By: domain.PersonRef{ID: "tech-2", Name: "Chloé Durand"}, At: t0.Add(48 * time.Hour), Condition: domain.ConditionGood, Accessories: []string{"charger"}, Notes: "Sacoche perdue"}
	closed, back, err := s.CloseLoan(ctx, loan.ID, ret)
	if err != nil {
		t.Fatal(err)
	}
	if closed.Open || closed.Closed == nil || !closed.Closed.Equal(ret.At) || closed.ClosedBy.Name != "Chloé Durand" || !slices.Equal(closed.MissingAccessories(), []string{"bag"}) || closed.Ack == nil {
		t.Fatalf("closed loan = %+v", closed)
	}
	if back.Status != domain.StatusInStock || back.OpenLoan != "" || back.Borrower != nil {
		t.Fatalf("terminal after return = %+v", back)
	}
	if _, _, err := s.CloseLoan(ctx, loan.ID, ret); errKey(err) != "err.loan.closed" {
		t.Fatalf("closing twice: %v, want err.loan.closed", err)
	}
	// Lent again: a new loan number; returned damaged, then not lendable.
	second, _, err := s.OpenLoan(ctx, loanReq("DITEP-STF-P068", bruno), t0.Add(72*time.Hour))
	if err != nil || second.ID != "DITEP-STF-P068-L2" {
		t.Fatalf("second loan = %+v, %v", second, err)
	}
	ret.Condition = domain.ConditionDamaged
	if _, back, err = s.CloseLoan(ctx, second.ID, ret); err != nil || back.Status != domain.StatusInRepair {
		t.Fatalf("damaged return: %+v, %v", back, err)
	}
	if _, _, err := s.OpenLoan(ctx, loanReq("DITEP-STF-P068", bruno), t0.Add(96*time.Hour)); errKey(err) != "err.loan.not_lendable" {
		t.Fatalf("lending a terminal in repair: %v, want err.loan.not_lendable", err)
	}
	if got := loanIDs(domain.LoanFilter{BorrowerID: alice.ID}); !slices.Equal(got, []string{"DITEP-STF-P069-L1", "DITEP-STF-P068-L1"}) {
		t.Fatalf("Alice's loans = %v", got)
	}
	if got := loanIDs(domain.LoanFilter{TerminalID: "DITEP-STF-P068"}); !slices.Equal(got, []string{"DITEP-STF-P068-L2", "DITEP-STF-P068-L1"}) {
		t.Fatalf("P068's loans = %v", got)
	}
	if got := loanIDs(domain.LoanFilter{OpenOnly: true}); !slices.Equal(got, []string{"DITEP-STF-P069-L1"}) {
		t.Fatalf("open loans after returns = %v", got)
	}
	hist, _ := s.TerminalHistory(ctx, "DITEP-STF-P068", 0)
	var actions []string
	for _, h := range hist {
		actions = append(actions, string(h.Action)+":"+h.LoanID)
	}
	want := []string{"returned:DITEP-STF-P068-L2", "lent:DITEP-STF-P068-L2", "returned:DITEP-STF-P068-L1", "lent:DITEP-STF-P068-L1", "created:"}
	if !slices.Equal(actions, want) {
		t.Fatalf("history = %v, want %v", actions, want)
	}
}

// testConcurrentLoans: many technicians lend the same terminal at once;
// exactly one loan opens, on every backend.
func testConcurrentLoans(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	mustTerminal(t, s, "DITEP-STF-P068", "Lenovo", "ThinkPad T480")
	const n = 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	var won []string
	conflicts := 0
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			b := domain.Borrower{ID: fmt.Sprintf("u-%d", i), Name: fmt.Sprintf("Borrower %d", i)}
			l, _, err := s.OpenLoan(ctx, loanReq("DITEP-STF-P068", b), t0)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won = append(won, l.Borrower.ID)
			case domain.IsConflict(err):
				conflicts++
			default:
				t.Errorf("OpenLoan: %v", err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if len(won) != 1 || conflicts != n-1 {
		t.Fatalf("%d loans opened (%v) and %d conflicts, want exactly 1 and %d", len(won), won, conflicts, n-1)
	}
	open, _ := s.ListLoans(ctx, domain.LoanFilter{OpenOnly: true})
	all, _ := s.ListLoans(ctx, domain.LoanFilter{TerminalID: "DITEP-STF-P068"})
	term, _ := s.Terminal(ctx, "DITEP-STF-P068")
	if len(open) != 1 || len(all) != 1 || term.OpenLoan != open[0].ID || term.Borrower.ID != won[0] || term.LoanCount != 1 {
		t.Fatalf("after the race: open %d, all %d, terminal %+v", len(open), len(all), term)
	}
	// Two technicians close it at once: one return.
	var closes, closedTwice int
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := s.CloseLoan(ctx, open[0].ID, domain.LoanReturn{By: tech, At: t0.Add(time.Hour), Condition: domain.ConditionGood})
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				closes++
			} else if errKey(err) == "err.loan.closed" {
				closedTwice++
			} else {
				t.Errorf("CloseLoan: %v", err)
			}
		}()
	}
	wg.Wait()
	if closes != 1 || closedTwice != 1 {
		t.Fatalf("concurrent closes: %d succeeded, %d refused; want 1 and 1", closes, closedTwice)
	}
	if hist, _ := s.TerminalHistory(ctx, "DITEP-STF-P068", 0); len(hist) != 3 {
		t.Fatalf("history has %d entries after one loan and one return, want 3", len(hist))
	}
}

func testImportTerminals(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	mustTerminal(t, s, "DITEP-STF-P001", "LENOVO", "20FVS 2M30")
	var facts []domain.TerminalFacts
	for i := 1; i <= 45; i++ { // more than one batch on Cosmos
		facts = append(facts, domain.TerminalFacts{ID: fmt.Sprintf("DITEP-STF-P%03d", i), Owner: "DITEP", Make: "Lenovo",
			Model: "20FVS 2M30", Specs: "i5-6300U CPU - 8Go", CPU: "i5-6300U", RAM: "8 Go", OS: "Windows 10 Pro"})
	}
	facts = append(facts, domain.TerminalFacts{ID: "ANRAS-SOC-F003", Make: "HP", Model: "EliteDesk"})
	created, changed, err := s.ImportTerminals(ctx, facts, tech, t0)
	if err != nil || created != 45 || changed != 1 {
		t.Fatalf("ImportTerminals = %d created, %d changed, %v; want 45, 1", created, changed, err)
	}
	again, changedAgain, err := s.ImportTerminals(ctx, facts, tech, t0.Add(time.Hour))
	if err != nil || again != 0 || changedAgain != 0 {
		t.Fatalf("re-import = %d created, %d changed, %v; want nothing", again, changedAgain, err)
	}
	p1, _ := s.Terminal(ctx, "DITEP-STF-P001")
	if p1.Make != "Lenovo" || p1.OS != "Windows 10 Pro" || p1.Version != 2 {
		t.Fatalf("P001 after import = %+v", p1)
	}
	if h, _ := s.TerminalHistory(ctx, "DITEP-STF-P001", 1); len(h) != 1 || h[0].Action != domain.ChangeImported {
		t.Fatalf("import history = %+v", h)
	}
	// Counters follow imported numbers.
	if next, err := s.RegisterTerminal(ctx, domain.Terminal{Establishment: "ANRAS-SOC", Type: "F"}, tech, t0); err != nil || next.ID != "ANRAS-SOC-F004" {
		t.Fatalf("next after import = %+v, %v", next, err)
	}
	if next, err := s.RegisterTerminal(ctx, domain.Terminal{Establishment: "DITEP-STF", Type: "P"}, tech, t0); err != nil || next.ID != "DITEP-STF-P046" {
		t.Fatalf("next after import = %+v, %v", next, err)
	}
	if p, _ := s.SearchTerminals(ctx, domain.TerminalFilter{Establishment: "DITEP-STF"}); p.Total != 46 {
		t.Fatalf("search after import: %d terminals", p.Total)
	}
}

func testEquipmentPort(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	if err := s.SaveTerminalType(ctx, domain.DefaultTerminalTypes[0]); err != nil {
		t.Fatal(err)
	}
	mustTerminal(t, s, "DITEP-STF-P068", "Lenovo", "ThinkPad T480")
	mustTerminal(t, s, "DITEP-STF-P069", "Lenovo", "ThinkPad T490")
	open1, _, err := s.OpenLoan(ctx, loanReq("DITEP-STF-P068", alice), t0)
	if err != nil {
		t.Fatal(err)
	}
	l2, _, _ := s.OpenLoan(ctx, loanReq("DITEP-STF-P069", bruno), t0)
	if _, _, err := s.CloseLoan(ctx, l2.ID, domain.LoanReturn{By: tech, At: t0.Add(time.Hour), Condition: domain.ConditionGood}); err != nil {
		t.Fatal(err)
	}
	var recs []domain.Record
	kinds := map[string]int{}
	if err := s.Export(ctx, func(r domain.Record) error {
		recs = append(recs, r)
		kinds[r.Kind]++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{domain.KindTerminalType: 1, domain.KindTerminal: 2, domain.KindTerminalCounter: 1, domain.KindTerminalChange: 5, domain.KindLoan: 2}
	for k, n := range want {
		if kinds[k] != n {
			t.Errorf("exported %d %s, want %d (all: %v)", kinds[k], k, n, kinds)
		}
	}
	_, s2 := open(t, newStore)
	for _, r := range recs {
		if err := s2.Import(ctx, r); err != nil {
			t.Fatalf("import %s: %v", r.Kind, err)
		}
	}
	if p, _ := s2.SearchTerminals(ctx, domain.TerminalFilter{Text: "alice"}); p.Total != 1 || p.Items[0].ID != "DITEP-STF-P068" {
		t.Fatalf("search in the imported store = %+v", p)
	}
	if _, _, err := s2.OpenLoan(ctx, loanReq("DITEP-STF-P068", bruno), t0); !domain.IsConflict(err) {
		t.Fatalf("imported open loan does not guard its terminal: %v", err)
	}
	if _, _, err := s2.CloseLoan(ctx, open1.ID, domain.LoanReturn{By: tech, At: t0.Add(time.Hour), Condition: domain.ConditionGood}); err != nil {
		t.Fatalf("closing an imported loan: %v", err)
	}
	if l, _, err := s2.OpenLoan(ctx, loanReq("DITEP-STF-P069", alice), t0); err != nil || l.ID != "DITEP-STF-P069-L2" {
		t.Fatalf("lending again after import = %v, %v", l.ID, err)
	}
	if h, _ := s2.TerminalHistory(ctx, "DITEP-STF-P068", 0); len(h) != 3 {
		t.Fatalf("imported history: %d entries", len(h))
	}
	if next, err := s2.RegisterTerminal(ctx, domain.Terminal{Establishment: "DITEP-STF", Type: "P"}, tech, t0); err != nil || next.ID != "DITEP-STF-P070" {
		t.Fatalf("imported counter: %+v, %v", next.ID, err)
	}
	// Re-importing changes nothing.
	for _, r := range recs {
		if r.Kind == domain.KindTerminalType || r.Kind == domain.KindTerminalCounter {
			if err := s2.Import(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
	}
	if types, _ := s2.TerminalTypes(ctx); len(types) != 1 {
		t.Fatalf("types after re-import: %v", types)
	}
	bad := domain.Record{Kind: domain.KindTerminal, Data: []byte(`{"id":"not an id","status":"in_stock"}`)}
	if err := s2.Import(ctx, bad); domain.ErrorCodeOf(err) != domain.EINVALID {
		t.Fatalf("import of a bad terminal: %v, want EINVALID", err)
	}
}

func testPendingImports(t *testing.T, newStore NewStore) {
	ctx, s := open(t, newStore)
	p := domain.PendingImport{ID: "0123456789abcdef", UserID: "tech-1", FileName: "inventaire.xlsx", Content: []byte("PK\x03\x04 data"), Created: t0}
	if err := s.SavePendingImport(ctx, p); err != nil {
		t.Fatal(err)
	}
	got, err := s.PendingImport(ctx, p.ID)
	if err != nil || got.FileName != p.FileName || string(got.Content) != string(p.Content) {
		t.Fatalf("PendingImport = %+v, %v", got, err)
	}
	for _, id := range []string{"nope1234", "../../x", strings.Repeat("a", 100)} {
		if _, err := s.PendingImport(ctx, id); !domain.IsNotFound(err) {
			t.Errorf("PendingImport(%q) = %v, want ENOTFOUND", id, err)
		}
	}
	if err := s.DeletePendingImport(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PendingImport(ctx, p.ID); !domain.IsNotFound(err) {
		t.Fatalf("after delete: %v", err)
	}
	if err := s.SavePendingImport(ctx, domain.PendingImport{ID: "x"}); domain.ErrorCodeOf(err) != domain.EINVALID {
		t.Fatalf("invalid pending import: %v", err)
	}
	var n int
	_ = s.Export(ctx, func(r domain.Record) error { n++; return nil })
	if n != 0 {
		t.Fatalf("pending imports are exported (%d records)", n)
	}
}
