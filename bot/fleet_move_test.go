package bot_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
	"github.com/anras/parc/storage/cosmos/cosmostest"
)

// A fleet manager moves a car to another establishment from the car's edit
// form: tested through the webhook, on both stores.

// moveEnv has two establishments: Manon (admin) and Alice work at the
// DITEP, Bruno at the head office.
func moveEnv(t *testing.T, st domain.Store) *fleetEnv {
	ests := []domain.Establishment{
		{Code: "ANRAS-SOC", Name: "ANRAS Siège social", StaffGroupIDs: []string{"g-soc"}},
		{Code: "DITEP-STF", Name: "DITEP Saint-François", StaffGroupIDs: []string{"g-ditep"}},
	}
	dir := directory{manon: {"g-ditep"}, alice: {"g-ditep"}, bruno: {"g-soc"}}
	return newFleetEnv(t, fleetOpts{store: st, ests: ests, admins: []string{manon}, dir: dir})
}

// editForm opens the car's edit form as user and returns what Teams sends
// back on Enregistrer: the button's data and every input's value as the
// form shows it, with the notes changed and the establishment set to est.
func (e *fleetEnv) editForm(user, plate, est string) map[string]any {
	e.t.Helper()
	form := e.click(user, "Manon Roux", cards.VerbFleetCarForm, map[string]any{"car": plate})
	save := actions(form, cards.VerbFleetCarSave)
	if len(save) != 1 {
		e.t.Fatalf("the edit form of %s has %d save buttons", plate, len(save))
	}
	data := dataOf(save[0])
	eachObject(form, func(x map[string]any) {
		if typ, _ := x["type"].(string); strings.HasPrefix(typ, "Input.") {
			if v, ok := x["value"]; ok {
				data[x["id"].(string)] = fmt.Sprint(v)
			}
		}
	})
	data["notes"], data["establishment"] = "Clés à l'accueil", est
	return data
}

// choiceSet returns the card's Input.ChoiceSet with that id.
func choiceSet(card map[string]any, id string) map[string]any {
	var found map[string]any
	eachObject(card, func(x map[string]any) {
		if x["type"] == "Input.ChoiceSet" && x["id"] == id {
			found = x
		}
	})
	return found
}

func TestFleetMoveCarOnTheEmbeddedStore(t *testing.T) { fleetMoveCar(t, moveEnv(t, boltStore(t))) }

func TestFleetMoveCarOnCosmos(t *testing.T) {
	fleetMoveCar(t, moveEnv(t, cosmosStore(t, cosmostest.Start(t))))
}

func fleetMoveCar(t *testing.T, e *fleetEnv) {
	e.addCar("AB-123-CD", "Renault", "Clio", func(c *domain.Car) {
		c.Documents = []domain.CarDocument{{Kind: domain.CarDocInsurance, URL: "https://example.org/assurance.pdf"}}
		c.Deadlines.InspectionDue = time.Date(2027, 4, 10, 22, 0, 0, 0, time.UTC)
	})
	// A past reservation, handed back, stays in the DITEP's history.
	e.clock.Set(fleetNow.Add(-5*24*time.Hour - 4*time.Hour))
	wantText(t, e.tell(alice, "Alice Martin", "réserver AB-123-CD aujourd'hui 9h-10h"), "Réservation confirmée")
	e.clock.Set(fleetNow.Add(-5*24*time.Hour + time.Hour))
	past := e.reservations()[0]
	e.click(alice, "Alice Martin", cards.VerbFleetHandback, map[string]any{"id": past.ID, "odometer": "40012"})
	e.clock.Set(fleetNow)
	feed := openURLs(e.click(alice, "Alice Martin", cards.VerbFleetCalendar, map[string]any{"car": "AB-123-CD"}))[0]

	form := e.click(manon, "Manon Roux", cards.VerbFleetCarForm, map[string]any{"car": "AB-123-CD"})
	choice := choiceSet(form, "establishment")
	if choice == nil || choice["value"] != "DITEP-STF" {
		t.Fatalf("the edit form has no establishment choice set to the car's: %v", choice)
	}
	if b, _ := json.Marshal(choice["choices"]); !strings.Contains(string(b), "ANRAS Siège social (ANRAS-SOC)") || !strings.Contains(string(b), "DITEP Saint-François (DITEP-STF)") {
		t.Fatalf("choices = %s", b)
	}
	wantText(t, form, "Changer d'établissement déplace la voiture")
	if choiceSet(e.click(manon, "Manon Roux", cards.VerbFleetCarForm, map[string]any{}), "establishment") != nil {
		t.Error("the new car form offers to move a car")
	}

	moved := e.click(manon, "Manon Roux", cards.VerbFleetCarSave, e.editForm(manon, "AB-123-CD", "ANRAS-SOC"))
	wantText(t, moved, "Voiture déplacée", "Renault Clio · AB-123-CD est maintenant rattachée à ANRAS Siège social (ANRAS-SOC)",
		"restent dans l'historique de DITEP Saint-François", "l'ancienne ne fonctionne plus")

	// The store: the car in the head office with its facts and the form's
	// edit, its history left at the DITEP.
	if _, err := e.st.Car(ctx, "DITEP-STF", "AB-123-CD"); !domain.IsNotFound(err) {
		t.Fatalf("the car is still at the DITEP: %v", err)
	}
	car := e.car("ANRAS-SOC", "AB-123-CD")
	if car.Odometer != 40012 || car.Notes != "Clés à l'accueil" || len(car.Documents) != 1 || car.UpdatedBy != manon ||
		!car.Deadlines.InspectionDue.Equal(time.Date(2027, 4, 10, 22, 0, 0, 0, time.UTC)) || strings.Contains(feed, car.CalendarToken) {
		t.Fatalf("moved car = %+v", car)
	}
	if r := e.reservations(); len(r) != 1 || r[0].ID != past.ID || r[0].Handback == nil {
		t.Fatalf("the DITEP's history = %+v", r)
	}

	// The old calendar address no longer answers.
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, strings.TrimPrefix(feed, "http://parc.test"), nil))
	if rec.Code != http.StatusNotFound {
		t.Fatalf("the old feed answers %d", rec.Code)
	}

	// The DITEP no longer lists it; the head office does, and books it.
	wantNoText(t, e.tell(alice, "Alice Martin", "voitures"), "AB-123-CD")
	wantText(t, e.tell(alice, "Alice Martin", "réserver AB-123-CD demain 9h-10h"), "Je ne connais pas de voiture immatriculée « AB-123-CD »")
	wantText(t, e.tell(bruno, "Bruno Petit", "voitures"), "Voitures – ANRAS Siège social", "AB-123-CD")
	wantText(t, e.tell(bruno, "Bruno Petit", "réserver AB-123-CD demain 9h-10h"), "Réservation confirmée")
}

func (e *fleetEnv) car(est, plate string) domain.Car {
	e.t.Helper()
	c, err := e.st.Car(ctx, est, plate)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// Every refused move says why in French, shows the form again, and
// changes nothing: not the establishment, not the form's other edits.
func TestFleetMoveCarRefusals(t *testing.T) {
	e := moveEnv(t, boltStore(t))
	e.addCar("AB-123-CD", "Renault", "Clio")
	e.addCar("EF-456-GH", "Peugeot", "308")
	e.addCar("GH-789-JK", "Renault", "Zoé")
	e.addCar("JK-012-LM", "Citroën", "Berlingo")
	wantText(t, e.tell(alice, "Alice Martin", "réserver EF-456-GH demain 9h-12h"), "Réservation confirmée")
	// A reservation that ended an hour ago and was not handed back.
	e.clock.Set(fleetNow.Add(-3 * time.Hour))
	wantText(t, e.tell(alice, "Alice Martin", "réserver GH-789-JK aujourd'hui 7h-9h"), "Réservation confirmée")
	e.clock.Set(fleetNow)
	unreturned := ""
	for _, r := range e.reservations() {
		if r.Plate == "GH-789-JK" {
			unreturned = r.ID
		}
	}
	// An import left a car with the same plate at the head office.
	dup, _ := json.Marshal(domain.Car{Plate: "JK-012-LM", Establishment: "ANRAS-SOC", Make: "Renault", Model: "Kangoo", Status: domain.CarAvailable, CreatedAt: fleetNow, UpdatedAt: fleetNow})
	if err := e.st.Import(ctx, domain.Record{Kind: domain.KindCar, Data: dup}); err != nil {
		t.Fatal(err)
	}
	snapshot := func() string {
		var b strings.Builder
		if err := e.st.Export(ctx, func(r domain.Record) error {
			switch r.Kind {
			case domain.KindCar, domain.KindSchedule, domain.KindReservation, domain.KindMaintenance:
				b.WriteString(r.Kind + string(r.Data) + "\n")
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	before := snapshot()

	for _, tc := range []struct {
		name, user, plate string
		edit              func(map[string]any)
		want              string
	}{
		{name: "coming reservation", user: manon, plate: "EF-456-GH",
			want: "La voiture EF-456-GH a des réservations en cours ou à venir : elle ne peut pas changer d'établissement. Annulez-les"},
		{name: "not handed back", user: manon, plate: "GH-789-JK",
			want: "La voiture GH-789-JK n'a pas encore été restituée (réservation " + unreturned + ")"},
		{name: "plate already there", user: manon, plate: "JK-012-LM",
			want: "Une voiture immatriculée JK-012-LM est déjà enregistrée dans l'établissement ANRAS-SOC"},
		{name: "unknown establishment", user: manon, plate: "AB-123-CD", edit: func(d map[string]any) { d["establishment"] = "NOPE" },
			want: "Je ne connais pas l'établissement « NOPE »"},
		{name: "a bad edit with the move", user: manon, plate: "AB-123-CD", edit: func(d map[string]any) { d["vin"] = "123" },
			want: "Le numéro de série (VIN) « 123 » doit compter 17"},
		{name: "staff", user: alice, plate: "AB-123-CD", want: "réservée aux gestionnaires de flotte"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := e.editForm(manon, tc.plate, "ANRAS-SOC")
			if tc.edit != nil {
				tc.edit(data)
			}
			got := e.click(tc.user, "Someone", cards.VerbFleetCarSave, data)
			wantText(t, got, tc.want)
			wantNoText(t, got, "Voiture déplacée", "Oups")
			if tc.user == manon {
				if c := choiceSet(got, "establishment"); c == nil || c["value"] != "DITEP-STF" {
					t.Errorf("the form shown again does not keep the car where it is: %v", c)
				}
			}
			if snapshot() != before {
				t.Fatal("a refused move changed the store")
			}
		})
	}

	// The same establishment is a plain edit.
	same := e.click(manon, "Manon Roux", cards.VerbFleetCarSave, e.editForm(manon, "AB-123-CD", "DITEP-STF"))
	wantText(t, same, "Modifications enregistrées")
	if c := e.car("DITEP-STF", "AB-123-CD"); c.Notes != "Clés à l'accueil" {
		t.Fatalf("edit without a move: %+v", c)
	}
}
