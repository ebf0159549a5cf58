package bot_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/anras/parc/domain"
)

// Assigning a terminal to someone for their job: the technician picks the
// person from the directory in the edit form, as a loan's borrower.

// inputOf returns the input whose id is id on a card, or nil.
func inputOf(card map[string]any, id string) map[string]any {
	var found map[string]any
	eachObject(card, func(x map[string]any) {
		if t, _ := x["type"].(string); strings.HasPrefix(t, "Input.") && x["id"] == id {
			found = x
		}
	})
	return found
}

func TestTechnicianAssignsATerminalFromTheDirectory(t *testing.T) {
	h := eqHarness(t)
	const id = "DITEP-STF-P012"
	// The edit form offers the status « Affecté » and the people known.
	form := invokeAs(h, eqTech, "terminal.edit.form", map[string]any{"id": id})
	mustContain(t, "the edit form", cardText(form), "Modifier DITEP-STF-P012", "Affecté", "Affecté à : nom ou e-mail", "Chercher",
		"Alice Martin (alice.martin@anras.fr)", "Bruno Petit (bruno.petit@anras.fr)")
	// A search finds Alice without her accents or case, and keeps what
	// the technician chose in the form.
	found := invokeAs(h, eqTech, "terminal.edit.form", map[string]any{"id": id, "search": true, "assigneeQuery": "MARTIN",
		"status": "assigned", "notes": "Poste de l'accueil"})
	mustContain(t, "the search", cardText(found), "1 personne trouvée pour « MARTIN »", "Alice Martin (alice.martin@anras.fr)", "Poste de l'accueil")
	if in := inputOf(found, "assignee"); in == nil || in["value"] != eqAlice {
		t.Fatalf("the person found is not chosen: %v", in)
	}
	if in := inputOf(found, "status"); in == nil || in["value"] != "assigned" {
		t.Fatalf("the status chosen was lost: %v", in)
	}

	card := invokeAs(h, eqTech, "terminal.save", map[string]any{"id": id, "status": "assigned", "assignee": eqAlice, "assigneeQuery": "MARTIN", "notes": "Poste de l'accueil"})
	mustContain(t, "the saved card", cardText(card), "Terminal DITEP-STF-P012 enregistré.", "Affecté à Alice Martin",
		"Jean-Pierre Lefèvre : modification", "Statut : En stock → Affecté", "Affecté à : (vide) → Alice Martin")
	term, _ := h.store.Terminal(ctx, id)
	if term.Status != domain.StatusAssigned || term.AssignedTo == nil ||
		*term.AssignedTo != (domain.PersonRef{ID: eqAlice, Name: "Alice Martin", Email: "alice.martin@anras.fr"}) || term.Notes != "Poste de l'accueil" {
		t.Fatalf("stored: status %s, assigned to %+v, notes %q", term.Status, term.AssignedTo, term.Notes)
	}
	hist, _ := h.store.TerminalHistory(ctx, id, 1)
	if len(hist) != 1 || hist[0].By.ID != eqTech || !hist[0].At.Equal(h.clock.Now()) {
		t.Fatalf("history = %+v", hist)
	}

	// Anyone finds it by the user's name and sees who has it.
	list := sayAs(h, eqStaff, "Bruno Petit", "terminaux alice")
	mustContain(t, "the search by user", cardText(list), "1 terminal trouvé", id, "Affecté à Alice Martin")
	detail := sayAs(h, eqStaff, "Bruno Petit", "terminal "+id)
	mustContain(t, "the card staff see", cardText(detail), "Affecté à Alice Martin")
	if len(findActions(detail, "Modifier")) != 0 {
		t.Error("a staff member is offered to edit the terminal")
	}
	// Staff cannot assign it, even by sending the form's data.
	mustContain(t, "staff assigning", cardText(invokeAs(h, eqStaff, "terminal.save", map[string]any{"id": id, "status": "assigned", "assignee": eqStaff})), "Action réservée")
	mustContain(t, "staff opening the form", cardText(invokeAs(h, eqStaff, "terminal.edit.form", map[string]any{"id": id})), "Action réservée")
	if after, _ := h.store.Terminal(ctx, id); after.Version != term.Version || after.AssignedTo.ID != eqAlice {
		t.Fatalf("a refused assignment changed the terminal: %+v", after)
	}

	// Editing it again keeps Alice (the form sends her back); choosing
	// another status takes the terminal back from her.
	again := invokeAs(h, eqTech, "terminal.edit.form", map[string]any{"id": id})
	if in := inputOf(again, "assignee"); in == nil || in["value"] != eqAlice {
		t.Fatalf("the edit form does not show who has the terminal: %v", in)
	}
	kept := invokeAs(h, eqTech, "terminal.save", map[string]any{"id": id, "status": "assigned", "assignee": eqAlice, "notes": "Poste de l'accueil"})
	mustContain(t, "saving unchanged", cardText(kept), "Rien n'a changé.", "Affecté à Alice Martin")
	back := invokeAs(h, eqTech, "terminal.save", map[string]any{"id": id, "status": "in_stock", "assignee": eqAlice})
	mustContain(t, "back in stock", cardText(back), "Terminal DITEP-STF-P012 enregistré.", "En stock", "Statut : Affecté → En stock", "Affecté à : Alice Martin → (vide)")
	if strings.Contains(cardText(back), "Affecté à Alice Martin") {
		t.Error("the card still says the terminal is assigned")
	}
	if term, _ := h.store.Terminal(ctx, id); term.Status != domain.StatusInStock || term.AssignedTo != nil {
		t.Fatalf("back in stock: status %s, assigned to %+v", term.Status, term.AssignedTo)
	}
	mustContain(t, "the search after", cardText(sayAs(h, eqStaff, "Bruno Petit", "terminaux alice")), "Aucun terminal ne correspond")
}

// Every refused assignment sends the form back with the reason, in French,
// and changes nothing.
func TestRefusedAssignmentsChangeNothing(t *testing.T) {
	h := eqHarness(t)
	tech := domain.PersonRef{ID: eqTech, Name: "Jean-Pierre Lefèvre"}
	if _, _, err := h.store.OpenLoan(ctx, domain.LoanRequest{TerminalID: "DITEP-STF-P009", Borrower: domain.Borrower{ID: eqStaff, Name: "Bruno Petit"},
		Technician: tech, Due: "2026-12-20", ConditionOut: domain.ConditionGood}, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	retired := domain.StatusRetired
	if _, err := h.store.UpdateTerminal(ctx, "DITEP-STF-P014", domain.TerminalUpdate{Status: &retired}, tech, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, id string
		data     map[string]any
		want     string
	}{
		{"nobody chosen", "DITEP-STF-P013", map[string]any{"status": "assigned"}, "Choisissez dans l'annuaire la personne à qui le terminal est affecté."},
		{"someone the directory does not know", "DITEP-STF-P013", map[string]any{"status": "assigned", "assignee": "44444444-4444-4444-8444-444444444444"},
			"Je ne trouve pas cette personne dans l'annuaire"},
		{"a person with another status", "DITEP-STF-P013", map[string]any{"status": "in_repair", "assignee": eqAlice},
			"Vous avez choisi une personne, mais le statut n'est pas « Affecté »"},
		{"a lent terminal", "DITEP-STF-P009", map[string]any{"status": "assigned", "assignee": eqAlice},
			"Le terminal DITEP-STF-P009 est prêté : enregistrez d'abord son retour."},
		{"a lent terminal, the person alone", "DITEP-STF-P009", map[string]any{"assignee": eqAlice},
			"Le terminal DITEP-STF-P009 est prêté : enregistrez d'abord son retour."},
		{"a retired terminal", "DITEP-STF-P014", map[string]any{"status": "assigned", "assignee": eqAlice},
			"Le terminal DITEP-STF-P014 est réformé : il ne peut pas être affecté."},
		{"lent by hand", "DITEP-STF-P013", map[string]any{"status": "lent"}, "Pour prêter un terminal, ouvrez un prêt."},
	}
	for _, c := range cases {
		before, _ := h.store.Terminal(ctx, c.id)
		data := map[string]any{"id": c.id, "notes": "ne doit pas rester"}
		for k, v := range c.data {
			data[k] = v
		}
		card := invokeAs(h, eqTech, "terminal.save", data)
		mustContain(t, c.name, cardText(card), c.want)
		if before.Status != domain.StatusLent {
			// The form comes back as it was filled in.
			mustContain(t, c.name+" (the form)", cardText(card), "Modifier "+c.id, "ne doit pas rester")
		}
		after, _ := h.store.Terminal(ctx, c.id)
		if after.Version != before.Version || after.Notes != before.Notes || after.Status != before.Status || after.AssignedTo != nil {
			t.Errorf("%s changed the terminal: %+v", c.name, after)
		}
	}
	// The edit form of a lent terminal offers no status nor person.
	form := invokeAs(h, eqTech, "terminal.edit.form", map[string]any{"id": "DITEP-STF-P009"})
	mustContain(t, "a lent terminal's form", cardText(form), "son statut changera au retour du prêt")
	if inputOf(form, "status") != nil || inputOf(form, "assignee") != nil {
		t.Error("a lent terminal's form offers to change its status or person")
	}
}

// An admin may assign too; with Entra ID the form carries Teams' people
// picker, and the person is read from the directory.
func TestAdminAssignsWithTheGraphDirectory(t *testing.T) {
	const admin = "77777777-7777-4777-8777-777777777777"
	farid := domain.Person{ID: "55555555-5555-4555-8555-555555555555", DisplayName: "Farid Benali", Email: "farid.benali@anras.fr",
		JobTitle: "Moniteur éducateur", AccountEnabled: true}
	h := newHarness(t, options{locale: "fr", directory: fakeGraph{people: []domain.Person{farid}}})
	if err := h.store.CreateEstablishment(ctx, domain.Establishment{Code: "DITEP-STF", Name: "DITEP Saint-François"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := h.store.ImportTerminals(ctx, []domain.TerminalFacts{{ID: "DITEP-STF-P068", Make: "Lenovo", Model: "ThinkPad T480"}}, domain.PersonRef{ID: "x"}, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := h.store.GrantRole(ctx, domain.RoleAssignment{UserID: admin, Role: domain.RoleAdmin, GrantedAt: h.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	sayAs(h, admin, "Chloé Durand", "bonjour")
	form := invokeAs(h, admin, "terminal.edit.form", map[string]any{"id": "DITEP-STF-P068", "search": true, "assigneeQuery": "benali", "status": "assigned"})
	raw, _ := json.Marshal(inputOf(form, "assignee"))
	if !strings.Contains(string(raw), `"choices.data":{"dataset":"graph.microsoft.com/users","type":"Data.Query"}`) || !strings.Contains(string(raw), farid.ID) {
		t.Fatalf("no people picker with Farid on the form: %s", raw)
	}
	card := invokeAs(h, admin, "terminal.save", map[string]any{"id": "DITEP-STF-P068", "status": "assigned", "assignee": farid.ID})
	mustContain(t, "the saved card", cardText(card), "Affecté à Farid Benali", "Chloé Durand : modification")
	if term, _ := h.store.Terminal(ctx, "DITEP-STF-P068"); term.AssignedTo == nil || term.AssignedTo.Email != "farid.benali@anras.fr" {
		t.Fatalf("stored assignee = %+v", term.AssignedTo)
	}
}
