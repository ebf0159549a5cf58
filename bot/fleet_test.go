package bot_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anras/parc/bot"
	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
	"github.com/anras/parc/storage/cosmos/cosmostest"
	"github.com/xuri/excelize/v2"
)

const (
	alice = "11111111-1111-4111-8111-111111111111"
	bruno = "22222222-2222-4222-8222-222222222222"
	manon = "33333333-3333-4333-8333-333333333333" // fleet manager
)

func (e *fleetEnv) reservations() []domain.Reservation {
	e.t.Helper()
	res, err := e.st.ReservationsBetween(ctx, "DITEP-STF", fleetNow.AddDate(0, 0, -30), fleetNow.AddDate(0, 2, 0))
	if err != nil {
		e.t.Fatal(err)
	}
	return res
}

func TestFleetSearchReserveListCancel(t *testing.T) {
	e := newFleetEnv(t, fleetOpts{})
	e.addCar("AB-123-CD", "Renault", "Clio")
	e.addCar("EF-456-GH", "Peugeot", "308")
	e.addCar("GH-789-JK", "Renault", "Zoé", func(c *domain.Car) { c.Status, c.StatusNote = domain.CarDamaged, "Pare-brise fissuré" })

	// Friday 27 March 14:00-16:30 Paris (13:00-15:30 UTC).
	free := e.tell(alice, "Alice Martin", "dispo demain 14h-16h30")
	wantText(t, free, "Voitures libres", "vendredi 27 mars, 14h00 – 16h30", "Renault Clio", "AB-123-CD", "Peugeot 308",
		"Non disponibles", "Renault Zoé · GH-789-JK", "Endommagée – Pare-brise fissuré")
	book := actions(free, cards.VerbFleetReserve)
	if len(book) != 2 {
		t.Fatalf("%d Réserver buttons, want 2 (the damaged car has none)", len(book))
	}
	var clio map[string]any
	for _, a := range book {
		if dataOf(a)["plate"] == "AB-123-CD" {
			clio = dataOf(a)
		}
	}
	clio["purpose"] = "Visite à domicile"
	done := e.click(alice, "Alice Martin", cards.VerbFleetReserve, clio)
	wantText(t, done, "Réservation confirmée", "Renault", "AB-123-CD", "vendredi 27 mars, 14h00 – 16h30", "Visite à domicile", "R-")
	res := e.reservations()
	if len(res) != 1 || res[0].UserID != alice || !res[0].Start.Equal(time.Date(2026, 3, 27, 13, 0, 0, 0, time.UTC)) || res[0].Purpose != "Visite à domicile" {
		t.Fatalf("stored reservations = %+v", res)
	}
	ref := res[0].ID
	wantText(t, done, ref)

	// The same time again: the Clio is now apart, booked until 16h30.
	again := e.click(bruno, "Bruno Petit", cards.VerbFleetSearch, map[string]any{"day": "2026-03-27", "from": "15:00", "to": "16:00"})
	wantText(t, again, "AB-123-CD** : réservée jusqu'à 16h30")
	if n := len(actions(again, cards.VerbFleetReserve)); n != 1 {
		t.Fatalf("%d cars offered, want 1", n)
	}

	mine := e.tell(alice, "Alice Martin", "mes réservations")
	wantText(t, mine, "Mes réservations", "Renault Clio · AB-123-CD", "À venir, commence dans 1 j", ref, "Raccourcir", "Annuler la réservation")
	if other := e.tell(bruno, "Bruno Petit", "mes réservations"); !strings.Contains(plainText(other), "aucune réservation") {
		t.Errorf("Bruno sees Alice's reservation:\n%s", plainText(other))
	}

	// Bruno may not cancel it; the store is unchanged.
	refused := e.click(bruno, "Bruno Petit", cards.VerbFleetCancel, map[string]any{"id": ref})
	wantText(t, refused, "Cette réservation n'est pas la vôtre")
	if r := e.reservations(); r[0].Status != domain.ReservationActive {
		t.Fatal("a refused cancellation changed the reservation")
	}
	cancelled := e.tell(alice, "Alice Martin", "annuler réservation "+strings.ToLower(ref))
	wantText(t, cancelled, "Réservation "+ref+" annulée", "aucune réservation")
	if r := e.reservations(); r[0].Status != domain.ReservationCancelled || r[0].CancelledBy != alice {
		t.Fatalf("after cancel: %+v", r[0])
	}
	st, _ := e.st.CarState(ctx, "DITEP-STF", "AB-123-CD")
	if len(st.Schedule.Slots) != 0 {
		t.Fatalf("the cancelled slot is still in the schedule: %+v", st.Schedule.Slots)
	}
}

// Every bad input gets a clear French message and changes nothing.
func TestFleetBadInputsChangeNothing(t *testing.T) {
	e := newFleetEnv(t, fleetOpts{})
	e.addCar("AB-123-CD", "Renault", "Clio")
	e.addCar("EF-456-GH", "Peugeot", "308", func(c *domain.Car) { c.Deadlines.InsuranceExpiry = time.Date(2026, 3, 27, 23, 0, 0, 0, time.UTC) })
	first := e.tell(alice, "Alice Martin", "réserver AB-123-CD lundi 9h-12h réunion de synthèse")
	wantText(t, first, "Réservation confirmée", "lundi 30 mars, 9h00 – 12h00", "réunion de synthèse")
	ref := e.reservations()[0].ID
	stamp := func(s string) string { return s }
	for _, tc := range []struct {
		name, text string
		verb       string
		data       map[string]any
		want       string
	}{
		{name: "unknown plate", text: "réserver ZZ-999-ZZ demain 14h-15h", want: "Je ne connais pas de voiture immatriculée « ZZ-999-ZZ »"},
		{name: "not a plate", text: "réserver demain 14h-15h", want: "Indiquez la plaque puis le créneau"},
		{name: "end before start", text: "réserver AB-123-CD demain 16h-14h", want: "La fin doit être après le début"},
		{name: "not on a half hour (text)", text: "réserver AB-123-CD demain 14h15-15h", want: "à l'heure pile ou à la demie"},
		{name: "not on a half hour (form)", verb: cards.VerbFleetReserve, data: map[string]any{"car": "AB-123-CD", "day": "2026-03-27", "from": "14:10", "to": "15:00"}, want: "à l'heure pile ou à la demie"},
		{name: "in the past", text: "réserver AB-123-CD aujourd'hui 8h-9h", want: "Ce créneau est déjà passé"},
		{name: "too long", text: "réserver AB-123-CD du 27/03 8h au 02/04 9h", want: "Une réservation dure au plus 5 jours"},
		{name: "date that does not exist", text: "réserver AB-123-CD 31/04 8h-9h", want: "La date 31/4/2026 n'existe pas"},
		{name: "time skipped by summer time", text: "réserver AB-123-CD dimanche 2h30-4h", want: "2h30 n'existe pas ce jour-là"},
		{name: "overlap", text: "réserver AB-123-CD lundi 11h-13h", want: "Trop tard"},
		{name: "insurance expired", text: "réserver EF-456-GH lundi 9h-10h", want: "L'assurance de la voiture EF-456-GH aura expiré"},
		{name: "someone else's reservation", verb: cards.VerbFleetCancel, data: map[string]any{"id": ref}, want: "n'est pas la vôtre"},
		{name: "someone else's hand-back", verb: cards.VerbFleetHandbackForm, data: map[string]any{"id": ref}, want: "n'est pas la vôtre"},
		{name: "unknown reference", text: "annuler réservation R-00000000", want: "Je ne trouve pas la réservation « R-00000000 »"},
		{name: "forged interval", verb: cards.VerbFleetReserve, data: map[string]any{"plate": "AB-123-CD", "start": stamp("2026-03-27T13:10:00Z"), "end": "2026-03-27T15:00:00Z"}, want: "à l'heure pile ou à la demie"},
		{name: "garbled date", text: "dispo demain 14h-16h30 s'il vous plaît", want: "Je ne comprends pas « s'il » dans la date"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var card map[string]any
			if tc.text != "" {
				card = e.tell(bruno, "Bruno Petit", tc.text)
			} else {
				card = e.click(bruno, "Bruno Petit", tc.verb, tc.data)
			}
			wantText(t, card, tc.want)
			wantNoText(t, card, "Réservation confirmée", "Oups")
			if card["lang"] != "fr" {
				t.Errorf("card language %v", card["lang"])
			}
			res := e.reservations()
			if len(res) != 1 || res[0].Status != domain.ReservationActive || res[0].ID != ref {
				t.Fatalf("the store changed: %+v", res)
			}
		})
	}
}

// A clash answers with the other free cars and the next free slot of the
// same car, and both buttons work.
func TestFleetClashOffersAlternatives(t *testing.T) {
	e := newFleetEnv(t, fleetOpts{})
	e.addCar("AB-123-CD", "Renault", "Clio")
	e.addCar("EF-456-GH", "Peugeot", "308")
	e.tell(alice, "Alice Martin", "réserver AB-123-CD demain 14h-16h")
	clash := e.tell(bruno, "Bruno Petit", "réserver AB-123-CD demain 15h-16h")
	wantText(t, clash, "Trop tard", "Peugeot 308", "Prochain créneau libre de même durée pour Renault Clio", "Réserver vendredi 27 mars, 16h00 – 17h00")
	btns := actions(clash, cards.VerbFleetReserve)
	if len(btns) != 2 {
		t.Fatalf("%d buttons on the clash card, want 2", len(btns))
	}
	for _, b := range btns {
		if dataOf(b)["plate"] == "AB-123-CD" {
			got := e.click(bruno, "Bruno Petit", cards.VerbFleetReserve, dataOf(b))
			wantText(t, got, "Réservation confirmée", "vendredi 27 mars, 16h00 – 17h00")
		}
	}
}

// fiftyRacers fires 50 overlapping reservations of one car through the
// webhook at once and checks the rule: the accepted ones are disjoint,
// stored exactly, and every other user got the clash answer.
func fiftyRacers(t *testing.T, e *fleetEnv) {
	e.addCar("AB-123-CD", "Renault", "Clio")
	e.addCar("EF-456-GH", "Peugeot", "308")
	// Saturday 28 March 20:00 Paris onwards, across the change to summer
	// time: each user asks for 3 hours starting at one of 8 half hours.
	base := time.Date(2026, 3, 28, 19, 0, 0, 0, time.UTC)
	const n = 50
	type answer struct {
		user string
		iv   domain.Interval
		card map[string]any
		err  error
	}
	answers := make([]answer, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		user := fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
		iv := domain.Interval{Start: base.Add(time.Duration(i%8) * 30 * time.Minute), End: base.Add(time.Duration(i%8)*30*time.Minute + 3*time.Hour)}
		answers[i] = answer{user: user, iv: iv}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			answers[i].card, answers[i].err = e.tryClick(user, fmt.Sprintf("User %d", i), cards.VerbFleetReserve,
				map[string]any{"plate": "AB-123-CD", "start": iv.Start.Format(time.RFC3339), "end": iv.End.Format(time.RFC3339)})
		}()
	}
	close(start)
	wg.Wait()
	var accepted []answer
	for _, a := range answers {
		if a.err != nil {
			t.Fatalf("%s: %v", a.user, a.err)
		}
		text := plainText(a.card)
		switch {
		case strings.Contains(text, "Réservation confirmée"):
			accepted = append(accepted, a)
		case strings.Contains(text, "Trop tard"):
			// The clash answer: the other free car, and the next free
			// slot of the Clio.
			if !strings.Contains(text, "Peugeot 308") || !strings.Contains(text, "Prochain créneau libre") {
				t.Errorf("%s got a clash answer without alternatives:\n%s", a.user, text)
			}
		default:
			t.Errorf("%s got neither a confirmation nor the clash answer:\n%s", a.user, text)
		}
	}
	if len(accepted) == 0 {
		t.Fatal("no reservation was accepted")
	}
	sort.Slice(accepted, func(i, j int) bool { return accepted[i].iv.Start.Before(accepted[j].iv.Start) })
	for i := 1; i < len(accepted); i++ {
		if accepted[i-1].iv.Overlaps(accepted[i].iv) {
			t.Fatalf("accepted reservations overlap: %v and %v", accepted[i-1].iv, accepted[i].iv)
		}
	}
	stored := e.reservations()
	if len(stored) != len(accepted) {
		t.Fatalf("%d reservations stored, %d users were told theirs was confirmed", len(stored), len(accepted))
	}
	owners := map[string]bool{}
	for _, r := range stored {
		owners[r.UserID] = true
	}
	for _, a := range accepted {
		if !owners[a.user] {
			t.Errorf("%s was confirmed but holds no stored reservation", a.user)
		}
	}
	t.Logf("%d of %d overlapping attempts accepted", len(accepted), n)
}

func TestFleetFiftyRacersOnTheEmbeddedStore(t *testing.T) {
	fiftyRacers(t, newFleetEnv(t, fleetOpts{}))
}

func TestFleetFiftyRacersOnCosmos(t *testing.T) {
	em := cosmostest.Start(t)
	fiftyRacers(t, newFleetEnv(t, fleetOpts{store: cosmosStore(t, em)}))
}

func TestFleetEstablishmentFromDirectoryOrChoice(t *testing.T) {
	ests := []domain.Establishment{
		{Code: "ANRAS-SOC", Name: "ANRAS Siège social", StaffGroupIDs: []string{"g-soc"}},
		{Code: "DITEP-STF", Name: "DITEP Saint-François", StaffGroupIDs: []string{"g-ditep"}},
	}
	t.Run("picked once, remembered", func(t *testing.T) {
		e := newFleetEnv(t, fleetOpts{ests: ests})
		e.addCar("AB-123-CD", "Renault", "Clio")
		ask := e.tell(alice, "Alice Martin", "voitures")
		wantText(t, ask, "Dans quel établissement travaillez-vous ?", "DITEP Saint-François (DITEP-STF)")
		got := e.click(alice, "Alice Martin", cards.VerbFleetPickEst, map[string]any{"establishment": "DITEP-STF"})
		wantText(t, got, "C'est noté : DITEP Saint-François")
		if u, _ := e.st.User(ctx, alice); u.Establishment != "DITEP-STF" {
			t.Fatalf("stored establishment %q", u.Establishment)
		}
		list := e.tell(alice, "Alice Martin", "voitures")
		wantText(t, list, "Voitures – DITEP Saint-François", "AB-123-CD", "Libre")
		bad := e.click(alice, "Alice Martin", cards.VerbFleetPickEst, map[string]any{"establishment": "NOPE"})
		wantText(t, bad, "Je ne connais pas l'établissement « NOPE »")
	})
	t.Run("from the directory", func(t *testing.T) {
		e := newFleetEnv(t, fleetOpts{ests: ests, dir: directory{alice: {"g-other", "G-DITEP"}}})
		e.addCar("AB-123-CD", "Renault", "Clio")
		wantText(t, e.tell(alice, "Alice Martin", "voitures"), "Voitures – DITEP Saint-François", "AB-123-CD")
		wantText(t, e.tell(bruno, "Bruno Petit", "voitures"), "Dans quel établissement")
	})
	t.Run("a single establishment never asks", func(t *testing.T) {
		e := newFleetEnv(t, fleetOpts{})
		wantText(t, e.tell(alice, "Alice Martin", "voitures"), "Voitures – DITEP Saint-François", "Aucune voiture")
	})
}

func TestFleetCarListAndDetail(t *testing.T) {
	e := newFleetEnv(t, fleetOpts{})
	e.addCar("AB-123-CD", "Renault", "Clio", func(c *domain.Car) {
		c.Documents = []domain.CarDocument{{Kind: domain.CarDocInsurance, URL: "https://example.org/assurance.pdf"}}
		c.Notes = "Siège bébé dans le coffre"
	})
	e.addCar("EF-456-GH", "Peugeot", "308")
	e.addCar("GH-789-JK", "Renault", "Zoé", func(c *domain.Car) { c.Status = domain.CarInService })
	// A reservation that ended five days ago and one in 55 minutes.
	e.clock.Set(fleetNow.Add(-5*24*time.Hour - 4*time.Hour))
	e.tell(alice, "Alice Martin", "réserver AB-123-CD aujourd'hui 9h-10h")
	e.clock.Set(fleetNow.Add(-5*24*time.Hour + time.Hour))
	r := e.reservations()[0]
	e.click(alice, "Alice Martin", cards.VerbFleetHandback, map[string]any{"id": r.ID, "odometer": "40012"})
	e.clock.Set(fleetNow.Add(-25 * time.Minute))
	e.tell(bruno, "Bruno Petit", "réserver AB-123-CD aujourd'hui 11h-12h")
	e.clock.Set(fleetNow.Add(5 * time.Minute))

	list := e.tell(alice, "Alice Martin", "voitures")
	wantText(t, list, "Modèle", "Plaque", "Statut", "Dernière réservation", "Prochaine réservation",
		"Renault Clio", "il y a 5 j", "dans 55 min", "Libre", "Indisponible")
	detail := e.click(alice, "Alice Martin", cards.VerbFleetCar, map[string]any{"car": "AB-123-CD"})
	wantText(t, detail, "Renault Clio · AB-123-CD", "Kilométrage", "40012 km", "Siège bébé", "Attestation d'assurance",
		"Planning des 7 prochains jours", "jeudi 26 mars", "11h00 – 12h00 (Bruno Petit)", "libre")
	if len(actions(detail, cards.VerbFleetCarStatus)) != 0 {
		t.Error("a staff member sees the fleet manager's buttons")
	}
	if c := e.tell(alice, "Alice Martin", "voiture zz999zz"); !strings.Contains(plainText(c), "Je ne connais pas de voiture") {
		t.Errorf("unknown car: %s", plainText(c))
	}
}

func TestFleetShortenAndHandBack(t *testing.T) {
	e := newFleetEnv(t, fleetOpts{admins: []string{manon}})
	e.addCar("AB-123-CD", "Renault", "Clio")
	e.tell(alice, "Alice Martin", "réserver AB-123-CD aujourd'hui 10h-14h")
	ref := e.reservations()[0].ID
	mine := e.tell(alice, "Alice Martin", "mes réservations")
	short := actions(mine, cards.VerbFleetShorten)
	if len(short) != 1 {
		t.Fatalf("%d shorten buttons", len(short))
	}
	d := dataOf(short[0])
	field := fmt.Sprint(d["field"])
	d["shortenDay"+field], d["shortenTime"+field] = "2026-03-26", "15:00"
	wantText(t, e.click(alice, "Alice Martin", cards.VerbFleetShorten, d), "La nouvelle fin doit être avant la fin actuelle")
	d["shortenTime"+field] = "12:00"
	wantText(t, e.click(alice, "Alice Martin", cards.VerbFleetShorten, d), "raccourcie", "10h00 – 12h00")
	if r := e.reservations()[0]; !r.End.Equal(time.Date(2026, 3, 26, 11, 0, 0, 0, time.UTC)) {
		t.Fatalf("end after shortening: %v", r.End)
	}
	// The freed time can be booked.
	wantText(t, e.tell(bruno, "Bruno Petit", "réserver AB-123-CD aujourd'hui 12h-13h"), "Réservation confirmée")

	e.clock.Set(time.Date(2026, 3, 26, 11, 10, 0, 0, time.UTC))
	form := e.tell(alice, "Alice Martin", "restituer")
	wantText(t, form, "Restitution de Renault Clio", "dernier relevé : 40000 km")
	low := e.click(alice, "Alice Martin", cards.VerbFleetHandback, map[string]any{"id": ref, "odometer": "39000"})
	wantText(t, low, "ne peut pas être inférieur au dernier relevé (40000 km)")
	noAmount := e.click(alice, "Alice Martin", cards.VerbFleetHandback, map[string]any{"id": ref, "odometer": "40087", "expenseKind": "fuel"})
	wantText(t, noAmount, "Indiquez le montant de la dépense")
	if r := e.reservations()[0]; r.Handback != nil {
		t.Fatal("a refused hand-back was stored")
	}
	done := e.click(alice, "Alice Martin", cards.VerbFleetHandback, map[string]any{"id": ref, "odometer": "40087", "fuel": "half",
		"damage": "Rayure portière arrière", "expenseKind": "fuel", "expenseAmount": "42.5"})
	wantText(t, done, "Voiture restituée", "87 km", "Rayure portière arrière", "Carburant : 42,50 € (sans justificatif)")
	car, _ := e.st.Car(ctx, "DITEP-STF", "AB-123-CD")
	if car.Odometer != 40087 || car.Status != domain.CarDamaged || car.StatusNote != "Rayure portière arrière" {
		t.Fatalf("car after hand-back: %+v", car)
	}
	// The receipt arrives as a file in the chat.
	act := e.activity("message-personal-hello")
	act["id"], act["text"] = "file-1", ""
	act["from"] = map[string]any{"id": "29:" + alice, "name": "Alice Martin", "aadObjectId": alice}
	act["attachments"] = []any{map[string]any{"contentType": "application/vnd.microsoft.teams.file.download.info", "name": "ticket-total.jpg",
		"contentUrl": "https://anras-my.sharepoint.com/personal/alice/Documents/ticket-total.jpg",
		"content":    map[string]any{"downloadUrl": "https://anras-my.sharepoint.com/download?x=1", "uniqueId": "1", "fileType": "jpg"}}}
	before := len(e.peer.cards())
	e.post(act, "")
	cs := e.peer.cards()
	if len(cs) == before {
		t.Fatal("no answer to the receipt")
	}
	wantText(t, cs[len(cs)-1], "Justificatif « ticket-total.jpg » joint à votre dépense", "ticket-total.jpg")
	r := e.reservations()[0]
	if len(r.Expenses) != 1 || r.Expenses[0].ReceiptURL != "https://anras-my.sharepoint.com/personal/alice/Documents/ticket-total.jpg" || r.Expenses[0].AmountCents != 4250 {
		t.Fatalf("expenses = %+v", r.Expenses)
	}
	// A second file has nothing to attach to: it is not taken for a receipt.
	act["id"] = "file-2"
	e.post(act, "")
	wantNoText(t, e.lastCard(), "joint à votre dépense")
}

func TestFleetManagerSetsDamagedAndOwnersAreTold(t *testing.T) {
	e := newFleetEnv(t, fleetOpts{admins: []string{manon}})
	e.addCar("AB-123-CD", "Renault", "Clio")
	e.tell(alice, "Alice Martin", "réserver AB-123-CD demain 9h-12h")
	e.tell(manon, "Manon Roux", "aide")
	refused := e.click(alice, "Alice Martin", cards.VerbFleetCarStatus, map[string]any{"car": "AB-123-CD", "newStatus": "damaged"})
	wantText(t, refused, "réservée aux gestionnaires de flotte")
	before := len(e.peer.sent())
	got := e.click(manon, "Manon Roux", cards.VerbFleetCarStatus, map[string]any{"car": "AB-123-CD", "newStatus": "damaged", "statusNote": "Pare-brise fissuré"})
	wantText(t, got, "Renault Clio · AB-123-CD : Endommagée", "Pare-brise fissuré", "Réservations à venir de cette voiture : 1", "Alice Martin", "Personnes prévenues en conversation privée : 1")
	var told map[string]any
	for _, s := range e.peer.sent()[before:] {
		for _, c := range cardsIn(s.Body) {
			told = c
		}
	}
	if told == nil {
		t.Fatal("Alice was not told")
	}
	wantText(t, told, "Votre voiture réservée n'est plus disponible", "Endommagée")
	free := e.tell(bruno, "Bruno Petit", "dispo demain 14h-15h")
	wantText(t, free, "Aucune voiture n'est libre", "Endommagée – Pare-brise fissuré")
	wantText(t, e.tell(bruno, "Bruno Petit", "réserver AB-123-CD demain 14h-15h"), "est endommagée")
}

func TestFleetManagerAddsCarAndMaintenance(t *testing.T) {
	e := newFleetEnv(t, fleetOpts{admins: []string{manon}})
	form := e.tell(manon, "Manon Roux", "ajouter voiture")
	wantText(t, form, "Nouvelle voiture – DITEP Saint-François")
	bad := e.click(manon, "Manon Roux", cards.VerbFleetCarSave, map[string]any{"newPlate": "AB-12", "make": "Renault", "model": "Clio"})
	wantText(t, bad, "n'est pas une plaque d'immatriculation valide")
	got := e.click(manon, "Manon Roux", cards.VerbFleetCarSave, map[string]any{"newPlate": "ab 123 cd", "make": "Renault", "model": "Clio",
		"year": "2021", "odometerKm": "48210", "docInsurance": "https://example.org/a.pdf", "inspectionDue": "2026-04-10"})
	wantText(t, got, "Voiture AB-123-CD ajoutée", "10 avril 2026", "Attestation d'assurance")
	car, err := e.st.Car(ctx, "DITEP-STF", "AB-123-CD")
	if err != nil || car.Odometer != 48210 || !car.Deadlines.InspectionDue.Equal(time.Date(2026, 4, 10, 22, 0, 0, 0, time.UTC)) {
		t.Fatalf("stored car = %+v, %v", car, err)
	}
	// The inspection is valid through 10 April: a booking on the 11th is refused.
	wantText(t, e.tell(alice, "Alice Martin", "réserver AB-123-CD 11/04 9h-10h"), "Le contrôle technique de la voiture AB-123-CD sera dépassé")
	m := e.click(manon, "Manon Roux", cards.VerbFleetMaintAdd, map[string]any{"car": "AB-123-CD", "maintKind": "inspection",
		"maintDate": "2026-03-26", "maintCost": "78,50", "maintOdometer": "48300", "maintSupplier": "Autosur", "nextDue": "2028-03-25"})
	wantText(t, m, "Entretien enregistré", "Contrôle technique, 78,50 €", "Autosur")
	wantText(t, e.tell(alice, "Alice Martin", "réserver AB-123-CD 11/04 9h-10h"), "Réservation confirmée")
	car, _ = e.st.Car(ctx, "DITEP-STF", "AB-123-CD")
	if car.Odometer != 48300 {
		t.Fatalf("odometer after maintenance: %d", car.Odometer)
	}
}

func TestFleetCalendarFeed(t *testing.T) {
	e := newFleetEnv(t, fleetOpts{admins: []string{manon}})
	e.addCar("AB-123-CD", "Renault", "Clio")
	e.tell(alice, "Alice Martin", "réserver AB-123-CD dimanche 1h-4h réunion; bilan, suite")
	cal := e.click(alice, "Alice Martin", cards.VerbFleetCalendar, map[string]any{"car": "AB-123-CD"})
	urls := openURLs(cal)
	if len(urls) != 1 || !strings.HasPrefix(urls[0], "http://parc.test/fleet/calendar/DITEP-STF/AB-123-CD.ics?token=") {
		t.Fatalf("calendar URLs = %v", urls)
	}
	if len(actions(cal, cards.VerbFleetCalendarNew)) != 0 {
		t.Error("a staff member can regenerate the calendar address")
	}
	get := func(u string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, strings.TrimPrefix(u, "http://parc.test"), nil)
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		return rec
	}
	rec := get(urls[0])
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/calendar; charset=utf-8" {
		t.Fatalf("feed: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	body := rec.Body.String()
	ref := e.reservations()[0].ID
	for _, want := range []string{"BEGIN:VCALENDAR\r\n", "VERSION:2.0\r\n", "UID:" + ref + "@parc.ditep-stf\r\n",
		"DTSTART:20260329T000000Z\r\n", "DTEND:20260329T020000Z\r\n", `SUMMARY:Alice Martin – réunion\; bilan\, suite`, "END:VCALENDAR\r\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("feed lacks %q:\n%s", want, body)
		}
	}
	checkICalLines(t, body)
	// A fleet manager makes a new address: the old one stops working.
	again := e.click(manon, "Manon Roux", cards.VerbFleetCalendarNew, map[string]any{"car": "AB-123-CD"})
	wantText(t, again, "l'ancienne ne fonctionne plus")
	if rec := get(urls[0]); rec.Code != http.StatusNotFound {
		t.Fatalf("revoked feed: %d", rec.Code)
	}
	if rec := get(openURLs(again)[0]); rec.Code != http.StatusOK {
		t.Fatalf("new feed: %d", rec.Code)
	}
	if rec := get("/fleet/calendar/DITEP-STF/ZZ-999-ZZ.ics?token=x"); rec.Code != http.StatusNotFound {
		t.Fatalf("unknown car: %d", rec.Code)
	}
}

// checkICalLines checks RFC 5545's framing: CRLF only, at most 75 octets a
// line, continuation lines starting with a space.
func checkICalLines(t *testing.T, body string) {
	t.Helper()
	if strings.Contains(strings.ReplaceAll(body, "\r\n", ""), "\n") || !strings.HasSuffix(body, "\r\n") {
		t.Error("a line does not end with CRLF")
	}
	for _, l := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line of %d octets: %q", len(l), l)
		}
	}
}

func openURLs(card map[string]any) []string {
	var out []string
	eachObject(card, func(x map[string]any) {
		if x["type"] == "Action.OpenUrl" {
			out = append(out, x["url"].(string))
		}
	})
	return out
}

func TestFleetReportCardChartAndSpreadsheet(t *testing.T) {
	e := newFleetEnv(t, fleetOpts{admins: []string{manon}})
	e.addCar("AB-123-CD", "Renault", "Clio")
	e.addCar("EF-456-GH", "Peugeot", "308")
	e.tell(alice, "Alice Martin", "réserver AB-123-CD aujourd'hui 10h-14h")
	e.tell(bruno, "Bruno Petit", "réserver EF-456-GH aujourd'hui 10h-12h")
	wantText(t, e.tell(alice, "Alice Martin", "rapport voitures"), "réservée aux gestionnaires de flotte")
	rep := e.tell(manon, "Manon Roux", "rapport voitures")
	wantText(t, rep, "Rapport des voitures – DITEP Saint-François", "Du 1 mars 2026 au 31 mars 2026", "Renault Clio AB-123-CD", "4,0 h", "Total", "6,0 h")
	var img string
	eachObject(rep, func(x map[string]any) {
		if x["type"] == "Image" {
			img, _ = x["url"].(string)
		}
	})
	get := func(u string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, strings.TrimPrefix(u, "http://parc.test"), nil)
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		return rec
	}
	png := get(img)
	if png.Code != http.StatusOK || png.Header().Get("Content-Type") != "image/png" || !strings.HasPrefix(png.Body.String(), "\x89PNG") {
		t.Fatalf("chart: %d %s", png.Code, png.Header().Get("Content-Type"))
	}
	if rec := get(img + "x"); rec.Code != http.StatusForbidden {
		t.Fatalf("altered chart link: %d", rec.Code)
	}
	urls := openURLs(rep)
	xlsx := get(urls[0])
	if xlsx.Code != http.StatusOK || !strings.HasPrefix(xlsx.Body.String(), "PK") {
		t.Fatalf("xlsx: %d", xlsx.Code)
	}
	checkXLSX(t, xlsx.Body.Bytes())
}

func TestFleetRemindersAreSentOnce(t *testing.T) {
	e := newFleetEnv(t, fleetOpts{})
	e.addCar("AB-123-CD", "Renault", "Clio")
	e.tell(alice, "Alice Martin", "réserver AB-123-CD aujourd'hui 14h-15h")
	var reminders bot.Job
	for _, j := range e.bot.Jobs() {
		if j.Name == "fleet-reminders" {
			reminders = j
		}
	}
	run := func(at time.Time) []map[string]any {
		before := len(e.peer.cards())
		if err := reminders.Run(ctx, at); err != nil {
			t.Fatal(err)
		}
		return e.peer.cards()[before:]
	}
	if got := run(time.Date(2026, 3, 26, 12, 15, 0, 0, time.UTC)); len(got) != 0 {
		t.Fatalf("reminder 45 minutes before: %d cards", len(got))
	}
	got := run(time.Date(2026, 3, 26, 12, 31, 0, 0, time.UTC))
	if len(got) != 1 {
		t.Fatalf("%d reminders 29 minutes before, want 1", len(got))
	}
	wantText(t, got[0], "Votre réservation commence dans 29 min", "Renault", "AB-123-CD")
	if again := run(time.Date(2026, 3, 26, 12, 40, 0, 0, time.UTC)); len(again) != 0 {
		t.Fatal("the start reminder went out twice")
	}
	back := run(time.Date(2026, 3, 26, 14, 20, 0, 0, time.UTC))
	if len(back) != 1 {
		t.Fatalf("%d return reminders, want 1", len(back))
	}
	wantText(t, back[0], "Pensez à restituer la voiture", "il y a 20 min")
	if again := run(time.Date(2026, 3, 26, 15, 20, 0, 0, time.UTC)); len(again) != 0 {
		t.Fatal("the return reminder went out twice")
	}
}

func TestFleetDeadlineRemindersToFleetManagers(t *testing.T) {
	e := newFleetEnv(t, fleetOpts{})
	if err := e.st.GrantRole(ctx, domain.RoleAssignment{UserID: manon, Role: domain.RoleFleetManager, GrantedAt: fleetNow}); err != nil {
		t.Fatal(err)
	}
	e.tell(manon, "Manon Roux", "aide")
	e.addCar("AB-123-CD", "Renault", "Clio", func(c *domain.Car) { c.Deadlines.InsuranceExpiry = fleetNow.AddDate(0, 0, 30) })
	var job bot.Job
	for _, j := range e.bot.Jobs() {
		if j.Name == "fleet-deadlines" {
			job = j
		}
	}
	count := func(at time.Time) []map[string]any {
		before := len(e.peer.cards())
		if err := job.Run(ctx, at); err != nil {
			t.Fatal(err)
		}
		return e.peer.cards()[before:]
	}
	got := count(fleetNow)
	if len(got) != 1 {
		t.Fatalf("%d deadline reminders 30 days before, want 1", len(got))
	}
	wantText(t, got[0], "Échéances des voitures – DITEP Saint-François", "fin d'assurance", "dans 30 j")
	if again := count(fleetNow.Add(time.Hour)); len(again) != 0 {
		t.Fatal("the 30-day reminder went out twice")
	}
	if week := count(fleetNow.AddDate(0, 0, 24)); len(week) != 1 {
		t.Fatalf("%d reminders 6 days before, want 1", len(week))
	}
}

// The availability answer is the same JSON whatever the store: a smoke
// check that cards.FleetFree round-trips through the webhook.
func TestFleetCardsAreValidJSON(t *testing.T) {
	e := newFleetEnv(t, fleetOpts{})
	e.addCar("AB-123-CD", "Renault", "Clio")
	c := e.tell(alice, "Alice Martin", "dispo")
	if _, err := json.Marshal(c); err != nil {
		t.Fatal(err)
	}
	wantText(t, c, "Quelles voitures sont libres ?", "Jour", "Début", "Fin")
}

func checkXLSX(t *testing.T, data []byte) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Voitures")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		if len(r) >= 4 && r[0] == "AB-123-CD" && r[2] == "1" && r[3] == "4" {
			found = true
		}
	}
	if !found {
		t.Errorf("sheet Voitures lacks the Clio's line: %v", rows)
	}
	list, _ := f.GetRows("Réservations")
	if len(list) != 3 || list[1][3] != "2026-03-26 10:00" {
		t.Errorf("sheet Réservations = %v", list)
	}
}
