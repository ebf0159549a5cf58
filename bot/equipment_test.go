package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/anras/parc/domain"
	"github.com/anras/parc/domain/inventory"
)

// The IT equipment feature, through the webhook and a local connector, as
// a technician, a borrower and a staff member see it.

const (
	eqTech  = "11111111-1111-4111-8111-111111111111"
	eqAlice = "22222222-2222-4222-8222-222222222222"
	eqStaff = "33333333-3333-4333-8333-333333333333"
)

// eqHarness is a bot with the DITEP Saint-François establishment, the 25
// terminals of the seed's inventory extract, a technician, and the members
// the connector lists.
func eqHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t, options{locale: "fr"})
	if err := h.store.CreateEstablishment(ctx, domain.Establishment{Code: "DITEP-STF", Name: "DITEP Saint-François"}); err != nil {
		t.Fatal(err)
	}
	raw, err := inventory.Read("seed.csv", []byte(inventory.SeedExtract))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := inventory.Parse(raw)
	var facts []domain.TerminalFacts
	for _, r := range rows {
		facts = append(facts, r.Facts)
	}
	if _, _, err := h.store.ImportTerminals(ctx, facts, domain.PersonRef{ID: "seed", Name: "Inventaire"}, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := h.store.GrantRole(ctx, domain.RoleAssignment{UserID: eqTech, Role: domain.RoleTechnician, GrantedAt: h.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	h.peer.members = []map[string]any{
		{"id": "29:tech", "name": "Jean-Pierre Lefèvre", "aadObjectId": eqTech, "email": "jp.lefevre@anras.fr"},
		{"id": "29:alice", "name": "Alice Martin", "aadObjectId": eqAlice, "email": "alice.martin@anras.fr", "givenName": "Alice", "surname": "Martin"},
		{"id": "29:staff", "name": "Bruno Petit", "aadObjectId": eqStaff, "userPrincipalName": "bruno.petit@anras.fr"},
	}
	for _, u := range [][2]string{{eqTech, "Jean-Pierre Lefèvre"}, {eqAlice, "Alice Martin"}, {eqStaff, "Bruno Petit"}} {
		sayAs(h, u[0], u[1], "bonjour")
	}
	return h
}

// sayAs sends a message from user in their own personal chat (conv-<id>)
// and returns the card Parc answered with.
func sayAs(h *harness, user, name, text string) map[string]any {
	h.t.Helper()
	act := h.activity("message-personal-hello")
	act["id"] = fmt.Sprintf("m-%s-%d", user, time.Now().UnixNano())
	act["text"] = text
	act["from"] = map[string]any{"id": "29:" + user, "name": name, "aadObjectId": user}
	act["conversation"].(map[string]any)["id"] = "conv-" + user
	before := len(h.peer.sent())
	if rec := h.post(act, ""); rec.Code != http.StatusOK {
		h.t.Fatalf("say %q: HTTP %d", text, rec.Code)
	}
	for _, s := range h.peer.sent()[before:] {
		if strings.Contains(s.Path, "conv-"+user) {
			if cs := cardsIn(s.Body); len(cs) > 0 {
				return cs[0]
			}
		}
	}
	h.t.Fatalf("no answer to %q", text)
	return nil
}

// sentTo returns the texts of the cards sent to user's personal chat since
// the n-th request.
func sentTo(h *harness, user string, since int) []string {
	var out []string
	for _, s := range h.peer.sent()[since:] {
		if strings.Contains(s.Path, "conv-"+user) {
			for _, c := range cardsIn(s.Body) {
				out = append(out, cardText(c))
			}
		}
	}
	return out
}

func mustContain(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s does not show %q:\n%s", what, w, text)
		}
	}
}

func TestTerminalSearchIsPagedInsideTheCard(t *testing.T) {
	h := eqHarness(t)
	card := sayAs(h, eqStaff, "Bruno Petit", "terminaux lifebook")
	mustContain(t, "the search", cardText(card), "9 terminaux trouvés", "page 1 sur 1", "DITEP-STF-P009", "Fujitsu Lifebook A555")
	if strings.Contains(cardText(card), "DITEP-STF-P001") {
		t.Error("a Lenovo matched \"lifebook\"")
	}
	all := invokeAs(h, eqStaff, "terminals.search", map[string]any{"q": "", "establishment": "*", "type": "*", "status": "*", "page": 0})
	mustContain(t, "the whole inventory", cardText(all), "25 terminaux trouvés", "page 1 sur 3", "Suivants")
	last := invokeAs(h, eqStaff, "terminals.search", map[string]any{"q": "", "establishment": "DITEP-STF", "type": "P", "status": "*", "page": 2})
	mustContain(t, "the third page", cardText(last), "page 3 sur 3", "DITEP-STF-P026", "Précédents")
	if strings.Contains(cardText(last), "Suivants") {
		t.Error("the last page offers a next page")
	}
	lent := invokeAs(h, eqStaff, "terminals.search", map[string]any{"status": "lent", "page": 0})
	mustContain(t, "the lent filter", cardText(lent), "Aucun terminal ne correspond")
	// Staff see no button that changes anything.
	if len(findActions(all, "Nouveau prêt")) > 0 {
		t.Error("a staff member is offered to open a loan")
	}
}

func TestTerminalCardAndItsErrors(t *testing.T) {
	h := eqHarness(t)
	card := sayAs(h, eqStaff, "Bruno Petit", "terminal ditep-stf-p016")
	mustContain(t, "P016's card", cardText(card), "DITEP-STF-P016", "En stock", "Fujitsu", "Lifebook A555", "Windows 10 Pro", "i3-5005U", "Historique", "Inventaire : import", "Marque : (vide) → Fujitsu")
	for text, want := range map[string]string{
		"terminal P16":            "« P16 » n'est pas un identifiant de terminal",
		"terminal DITEP-STF-P099": "Je ne connais pas le terminal DITEP-STF-P099.",
	} {
		mustContain(t, text, cardText(sayAs(h, eqStaff, "Bruno Petit", text)), want)
	}
}

func TestStaffCannotLendOrEdit(t *testing.T) {
	h := eqHarness(t)
	mustContain(t, "prêt by staff", cardText(sayAs(h, eqStaff, "Bruno Petit", "prêt DITEP-STF-P009")), "Action réservée", "techniciens")
	for _, verb := range []string{"loan.open", "terminal.save", "terminal.new", "import.apply", "loan.close"} {
		c := invokeAs(h, eqStaff, verb, map[string]any{"terminal": "DITEP-STF-P009", "borrower": eqAlice, "due": "2026-12-05", "id": "DITEP-STF-P009", "make": "X"})
		mustContain(t, verb+" by staff", cardText(c), "Action réservée")
	}
	if loans, _ := h.store.ListLoans(ctx, domain.LoanFilter{}); len(loans) != 0 {
		t.Fatalf("a refused loan was stored: %+v", loans)
	}
	if term, _ := h.store.Terminal(ctx, "DITEP-STF-P009"); term.Make != "Fujitsu" || term.Version != 1 {
		t.Fatalf("a refused edit changed the terminal: %+v", term)
	}
}

// certificateText downloads a certificate through its signed link, as the
// browser Teams opens would, and reads its text back.
func certificateText(t *testing.T, h *harness, link string) (int, string) {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, u.RequestURI(), nil)
	rec := httptest.NewRecorder()
	h.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		return rec.Code, rec.Body.String()
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/pdf" {
		t.Fatalf("certificate content type %q", ct)
	}
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatal("pdftotext is missing: install poppler-utils (apt-get install poppler-utils) to read the certificates back")
	}
	file := filepath.Join(t.TempDir(), "c.pdf")
	if err := os.WriteFile(file, rec.Body.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", file, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v %s", err, out)
	}
	return rec.Code, strings.Join(strings.Fields(string(out)), " ")
}

// openURL returns the link of the Action.OpenUrl titled title.
func openURL(card map[string]any, title string) string {
	var found string
	eachObject(card, func(x map[string]any) {
		if x["type"] == "Action.OpenUrl" && x["title"] == title {
			found, _ = x["url"].(string)
		}
	})
	return found
}

func TestLoanFromFormToReturn(t *testing.T) {
	h := eqHarness(t)
	// The technician asks for the form with a terminal and finds Alice.
	form := sayAs(h, eqTech, "Jean-Pierre Lefèvre", "prêt DITEP-STF-P009")
	mustContain(t, "the loan form", cardText(form), "Nouveau prêt", "DITEP-STF-P009 · Fujitsu Lifebook A555", "Alice Martin (alice.martin@anras.fr)", "Ouvrir le prêt")
	found := invokeAs(h, eqTech, "loan.form", map[string]any{"terminal": "DITEP-STF-P009", "borrowerQuery": "MARTIN", "search": true})
	mustContain(t, "the search", cardText(found), "1 personne trouvée pour « MARTIN »", "Alice Martin")

	due := h.clock.Now().AddDate(0, 0, 14).Format("2006-01-02")
	open := func(data map[string]any) map[string]any {
		base := map[string]any{"terminal": "DITEP-STF-P009", "borrower": eqAlice, "due": due, "accessories": "charger,bag", "condition": "good", "notes": "Pour le séjour à Lourdes"}
		for k, v := range data {
			base[k] = v
		}
		return invokeAs(h, eqTech, "loan.open", base)
	}
	// Wrong inputs change nothing.
	for name, c := range map[string]struct {
		data map[string]any
		want string
	}{
		"due in the past":   {map[string]any{"due": "2026-11-27"}, "La date de retour prévue (27/11/2026) est déjà passée."},
		"unknown borrower":  {map[string]any{"borrower": "44444444-4444-4444-8444-444444444444"}, "Je ne trouve pas cette personne dans l'annuaire"},
		"no borrower":       {map[string]any{"borrower": ""}, "Choisissez l'emprunteur dans l'annuaire."},
		"bad terminal id":   {map[string]any{"terminal": "PC-09"}, "« PC-09 » n'est pas un identifiant de terminal"},
		"unknown accessory": {map[string]any{"accessories": "yacht"}, "Accessoire inconnu : « yacht »."},
		"unknown terminal":  {map[string]any{"terminal": "DITEP-STF-P099"}, "Je ne connais pas le terminal DITEP-STF-P099."},
		"no due date":       {map[string]any{"due": ""}, "Indiquez la date de retour prévue."},
		"not a date":        {map[string]any{"due": "demain"}, "« demain » n'est pas une date"},
	} {
		mustContain(t, name, cardText(open(c.data)), c.want)
	}
	if loans, _ := h.store.ListLoans(ctx, domain.LoanFilter{}); len(loans) != 0 {
		t.Fatalf("refused loans were stored: %d", len(loans))
	}

	before := len(h.peer.sent())
	card := open(nil)
	mustContain(t, "the loan card", cardText(card), "Prêt DITEP-STF-P009-L1 ouvert : DITEP-STF-P009 est prêté à Alice Martin.",
		"Alice Martin a reçu un message pour confirmer la réception.", "Chargeur, Sacoche", "Bon état", "Pour le séjour à Lourdes", "accusé de réception attendu")
	acks := sentTo(h, eqAlice, before)
	if len(acks) != 1 {
		t.Fatalf("Alice got %d cards, want the acknowledgement request", len(acks))
	}
	mustContain(t, "Alice's acknowledgement request", acks[0], "Matériel prêté", "Jean-Pierre Lefèvre vous a prêté ce matériel", "DITEP-STF-P009", "J'ai bien reçu ce matériel")
	term, _ := h.store.Terminal(ctx, "DITEP-STF-P009")
	loan, _ := h.store.Loan(ctx, "DITEP-STF-P009-L1")
	if term.Status != domain.StatusLent || term.Borrower.Name != "Alice Martin" || !loan.Open || loan.AckSent == nil || loan.Borrower.Email != "alice.martin@anras.fr" {
		t.Fatalf("after opening: terminal %+v, loan %+v", term, loan)
	}
	mustContain(t, "lending it twice", cardText(open(nil)), "Le terminal DITEP-STF-P009 est déjà prêté")

	// The certificate, through its signed link.
	link := openURL(card, "Attestation de prêt (PDF)")
	if link == "" {
		t.Fatal("no certificate link on the loan card")
	}
	code, text := certificateText(t, h, link)
	if code != http.StatusOK {
		t.Fatalf("certificate: HTTP %d %s", code, text)
	}
	mustContain(t, "the loan certificate", text, "Attestation de prêt de matériel informatique", "DITEP Saint-François", "Prêt n° DITEP-STF-P009-L1",
		"Alice Martin", "alice.martin@anras.fr", "DITEP-STF-P009", "PC portable", "Fujitsu", "Lifebook A555", "i3-5005U, 8 Go", "Windows 10 Pro",
		"Jean-Pierre Lefèvre", "28/11/2026 10:00", "Chargeur, Sacoche", "Bon état", "Pour le séjour à Lourdes", "Le technicien", "L'emprunteur")
	if code, body := certificateText(t, h, strings.Replace(link, "-L1-loan", "-L2-loan", 1)); code != http.StatusForbidden || !strings.Contains(body, "Ce lien n'est pas valable ou a expiré") {
		t.Fatalf("a forged link: HTTP %d %s", code, body)
	}
	if code, _ := certificateText(t, h, strings.Replace(link, "loan.pdf", "return.pdf", 1)); code != http.StatusForbidden {
		t.Fatalf("a link turned into another file: HTTP %d", code)
	}

	// Only Alice can acknowledge; the technician is told.
	mustContain(t, "someone else acknowledging", cardText(invokeAs(h, eqStaff, "loan.ack", map[string]any{"loan": "DITEP-STF-P009-L1"})), "Seul l'emprunteur")
	h.clock.Advance(12 * time.Minute)
	before = len(h.peer.sent())
	acked := invokeAs(h, eqAlice, "loan.ack", map[string]any{"loan": "DITEP-STF-P009-L1"})
	mustContain(t, "the acknowledged card", cardText(acked), "Réception confirmée le 28/11/2026 10:12, Alice Martin")
	told := sentTo(h, eqTech, before)
	if len(told) != 1 {
		t.Fatalf("the technician got %d cards", len(told))
	}
	mustContain(t, "the technician's notice", told[0], "Alice Martin a confirmé avoir reçu DITEP-STF-P009 le 28/11/2026 10:12")
	if l, _ := h.store.Loan(ctx, "DITEP-STF-P009-L1"); l.Ack == nil || l.Ack.UserID != eqAlice {
		t.Fatalf("acknowledgement not recorded: %+v", l.Ack)
	}
	before = len(h.peer.sent())
	invokeAs(h, eqAlice, "loan.ack", map[string]any{"loan": "DITEP-STF-P009-L1"})
	if n := len(sentTo(h, eqTech, before)); n != 0 {
		t.Fatalf("a second click told the technician again (%d cards)", n)
	}

	// The lists.
	mustContain(t, "the technician's loans", cardText(sayAs(h, eqTech, "Jean-Pierre Lefèvre", "prêts")), "Prêts en cours", "DITEP-STF-P009 · Alice Martin")
	mustContain(t, "Alice's loans", cardText(sayAs(h, eqAlice, "Alice Martin", "mes prêts")), "Mes prêts", "DITEP-STF-P009")
	mustContain(t, "Bruno's loans", cardText(sayAs(h, eqStaff, "Bruno Petit", "prêts")), "Aucun prêt en cours.")
	mustContain(t, "Bruno opening Alice's loan", cardText(invokeAs(h, eqStaff, "loan.show", map[string]any{"loan": "DITEP-STF-P009-L1"})), "Action réservée")

	// The return.
	h.clock.Advance(10 * 24 * time.Hour)
	mustContain(t, "the return form", cardText(sayAs(h, eqTech, "Jean-Pierre Lefèvre", "retour DITEP-STF-P009")), "Retour de DITEP-STF-P009", "Clore le prêt")
	closed := invokeAs(h, eqTech, "loan.close", map[string]any{"loan": "DITEP-STF-P009-L1", "conditionIn": "damaged", "returned": "charger", "notesIn": "Écran fissuré"})
	mustContain(t, "the closed loan", cardText(closed), "Retour enregistré : DITEP-STF-P009 est en réparation.", "Sacoche", "Écran fissuré", "Terminé")
	mustContain(t, "closing twice", cardText(invokeAs(h, eqTech, "loan.close", map[string]any{"loan": "DITEP-STF-P009-L1", "conditionIn": "good"})), "Le prêt DITEP-STF-P009-L1 est déjà clos.")
	code, text = certificateText(t, h, openURL(closed, "Attestation de retour (PDF)"))
	if code != http.StatusOK {
		t.Fatalf("return certificate: HTTP %d %s", code, text)
	}
	mustContain(t, "the return certificate", text, "Attestation de retour de matériel informatique", "Rendu le 08/12/2026 10:12", "Endommagé",
		"Accessoires manquants Sacoche", "Écran fissuré", "a été restitué")
	if term, _ := h.store.Terminal(ctx, "DITEP-STF-P009"); term.Status != domain.StatusInRepair || term.OpenLoan != "" {
		t.Fatalf("terminal after a damaged return: %+v", term)
	}
	mustContain(t, "lending a terminal in repair", cardText(open(nil)), "ne peut pas être prêté")
	// The links expire.
	h.clock.Advance(25 * time.Hour)
	if code, _ := certificateText(t, h, link); code != http.StatusForbidden {
		t.Fatalf("an expired link: HTTP %d", code)
	}
}

// fileServer serves one file over http on 127.0.0.1, as Teams' download
// URL would (over https in production).
func fileServer(t *testing.T, data []byte) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(data) }))
	t.Cleanup(srv.Close)
	return srv.URL + "/download/file"
}

// sendFile sends a Teams file attachment from user in their personal chat.
func sendFile(h *harness, user, name, downloadURL string) map[string]any {
	h.t.Helper()
	act := h.activity("message-personal-hello")
	act["id"] = fmt.Sprintf("f-%s-%d", user, time.Now().UnixNano())
	act["text"] = ""
	act["from"] = map[string]any{"id": "29:" + user, "aadObjectId": user}
	act["conversation"].(map[string]any)["id"] = "conv-" + user
	act["attachments"] = []any{map[string]any{
		"contentType": "application/vnd.microsoft.teams.file.download.info", "name": name,
		"contentUrl": "https://anras-my.sharepoint.com/personal/user/Documents/Microsoft Teams Chat Files/" + name,
		"content":    map[string]any{"downloadUrl": downloadURL, "uniqueId": "1f2e", "fileType": strings.TrimPrefix(filepath.Ext(name), ".")},
	}}
	before := len(h.peer.sent())
	h.post(act, "")
	for _, s := range h.peer.sent()[before:] {
		if cs := cardsIn(s.Body); len(cs) > 0 {
			return cs[0]
		}
	}
	h.t.Fatal("no answer to the file")
	return nil
}

func TestImportByFileInChat(t *testing.T) {
	h := newHarness(t, options{locale: "fr"})
	if err := h.store.CreateEstablishment(ctx, domain.Establishment{Code: "DITEP-STF", Name: "DITEP Saint-François"}); err != nil {
		t.Fatal(err)
	}
	_ = h.store.GrantRole(ctx, domain.RoleAssignment{UserID: eqTech, Role: domain.RoleTechnician, GrantedAt: h.clock.Now()})
	sayAs(h, eqTech, "Jean-Pierre Lefèvre", "bonjour")
	sayAs(h, eqStaff, "Bruno Petit", "bonjour")
	sheet := []byte(inventory.SeedExtract + "DITEP;;HP;EliteBook;i5;Windows 11 Pro;DITEP-STF-X12\n")
	link := fileServer(t, sheet)

	dry := sendFile(h, eqTech, "Inventaire DITEP.csv", link)
	mustContain(t, "the dry run", cardText(dry), "Import de Inventaire DITEP.csv", "Rien n'est encore modifié", "Nouveaux", "25", "Refusés",
		"Ligne 27 (DITEP-STF-X12) : nomenclature absente ou invalide « DITEP-STF-X12 »", "Appliquer")
	if p, _ := h.store.SearchTerminals(ctx, domain.TerminalFilter{}); p.Total != 0 {
		t.Fatalf("the dry run wrote %d terminals", p.Total)
	}
	importID := ""
	for _, a := range findActions(dry, "Appliquer") {
		importID, _ = a["data"].(map[string]any)["import"].(string)
	}
	mustContain(t, "Bruno applying it", cardText(invokeAs(h, eqStaff, "import.apply", map[string]any{"import": importID})), "Action réservée")
	applied := invokeAs(h, eqTech, "import.apply", map[string]any{"import": importID})
	mustContain(t, "the applied import", cardText(applied), "Import appliqué : 25 terminaux créés, 0 modifiés.")
	if p, _ := h.store.SearchTerminals(ctx, domain.TerminalFilter{}); p.Total != 25 {
		t.Fatalf("%d terminals after the import", p.Total)
	}
	mustContain(t, "applying twice", cardText(invokeAs(h, eqTech, "import.apply", map[string]any{"import": importID})), "Cet import a expiré ou a déjà été appliqué")
	again := sendFile(h, eqTech, "Inventaire DITEP.csv", link)
	mustContain(t, "re-sending the same file", cardText(again), "Rien à changer : l'inventaire de Parc est déjà à jour.")
	if len(findActions(again, "Appliquer")) != 0 {
		t.Error("a file that changes nothing offers to apply it")
	}
	// Hostile or wrong files get a French message and change nothing.
	for name, c := range map[string]struct {
		file string
		data []byte
		want string
	}{
		"wrong columns":  {"liste.csv", []byte("Nom;Prénom\nMartin;Alice\n"), "Colonnes introuvables : Marque, Modèle, Nomenclature."},
		"empty rows":     {"vide.csv", append([]byte(inventory.SeedExtract), []byte(strings.Repeat(";;;;;;\n", 50000))...), "Le fichier compte plus de 12000 lignes"},
		"not a workbook": {"faux.xlsx", []byte("bonjour"), "Je ne sais pas lire ce fichier"},
		"unknown type":   {"photo.gif", []byte("GIF89a"), "ni l'un ni l'autre"},
	} {
		mustContain(t, name, cardText(sendFile(h, eqTech, c.file, fileServer(t, c.data))), c.want)
	}
	mustContain(t, "a file from staff", cardText(sendFile(h, eqStaff, "x.csv", link)), "Action réservée")
	if p, _ := h.store.SearchTerminals(ctx, domain.TerminalFilter{}); p.Total != 25 {
		t.Fatalf("refused files changed the inventory: %d terminals", p.Total)
	}
	// A scan is offered to attach to a loan.
	if _, _, err := h.store.OpenLoan(ctx, domain.LoanRequest{TerminalID: "DITEP-STF-P001", Borrower: domain.Borrower{ID: eqStaff, Name: "Bruno Petit"},
		Technician: domain.PersonRef{ID: eqTech, Name: "Jean-Pierre Lefèvre"}, Due: "2026-12-20", ConditionOut: domain.ConditionGood}, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	attach := sendFile(h, eqTech, "attestation-signee.pdf", link)
	mustContain(t, "the attach form", cardText(attach), "Joindre « attestation-signee.pdf » à un prêt", "DITEP-STF-P001-L1 · Bruno Petit")
	var data map[string]any
	for _, a := range findActions(attach, "Joindre") {
		data, _ = a["data"].(map[string]any)
	}
	data["loan"], data["docKind"] = "DITEP-STF-P001-L1", "loan_certificate"
	done := invokeAs(h, eqTech, "loan.document.add", data)
	mustContain(t, "the loan with its scan", cardText(done), "Document « attestation-signee.pdf » ajouté.", "Attestation de prêt signée")
	if l, _ := h.store.Loan(ctx, "DITEP-STF-P001-L1"); len(l.Documents) != 1 || !strings.HasPrefix(l.Documents[0].URL, "https://anras-my.sharepoint.com/") {
		t.Fatalf("documents = %+v", l.Documents)
	}
}

// invokeAs clicks an Action.Execute button in user's own personal chat
// (conv-<id>) and returns the card that replaces the clicked one.
func invokeAs(h *harness, user, verb string, data map[string]any) map[string]any {
	h.t.Helper()
	act := h.activity("invoke-adaptiveCard-action-personal")
	act["id"] = fmt.Sprintf("i-%s-%d", verb, time.Now().UnixNano())
	act["from"] = map[string]any{"id": "29:" + user, "aadObjectId": user}
	act["conversation"].(map[string]any)["id"] = "conv-" + user
	act["value"] = map[string]any{"action": map[string]any{"type": "Action.Execute", "verb": verb, "data": data}}
	rec := h.post(act, "")
	if rec.Code != http.StatusOK {
		h.t.Fatalf("invoke %s: HTTP %d %s", verb, rec.Code, rec.Body)
	}
	var resp struct {
		StatusCode int            `json:"statusCode"`
		Type       string         `json:"type"`
		Value      map[string]any `json:"value"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || resp.Type != "application/vnd.microsoft.card.adaptive" {
		h.t.Fatalf("invoke %s answered %s (%v)", verb, rec.Body, err)
	}
	return resp.Value
}

// findActions returns the Action.Execute objects titled title.
func findActions(card map[string]any, title string) []map[string]any {
	var out []map[string]any
	eachObject(card, func(x map[string]any) {
		if x["type"] == "Action.Execute" && x["title"] == title {
			out = append(out, x)
		}
	})
	return out
}

func runJob(t *testing.T, h *harness, name string) {
	t.Helper()
	for _, j := range h.bot.Jobs() {
		if j.Name == name {
			if err := j.Run(context.Background(), h.clock.Now()); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatalf("no job %s", name)
}

func TestOverdueLoansAreRemindedOnce(t *testing.T) {
	h := eqHarness(t)
	if _, _, err := h.store.OpenLoan(ctx, domain.LoanRequest{TerminalID: "DITEP-STF-P014", Borrower: domain.Borrower{ID: eqAlice, Name: "Alice Martin"},
		Technician: domain.PersonRef{ID: eqTech, Name: "Jean-Pierre Lefèvre"}, Due: "2026-03-28", ConditionOut: domain.ConditionGood}, time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	// 23:30 UTC on 28 March is already the 29th in Paris: the loan due on
	// the 28th is one day late, across the night France moves to summer time.
	h.clock.Set(time.Date(2026, 3, 28, 22, 30, 0, 0, time.UTC))
	before := len(h.peer.sent())
	runJob(t, h, "equipment.overdue")
	if n := len(h.peer.sent()) - before; n != 0 {
		t.Fatalf("a loan due today was reminded (%d messages)", n)
	}
	h.clock.Set(time.Date(2026, 3, 28, 23, 30, 0, 0, time.UTC))
	runJob(t, h, "equipment.overdue")
	borrower, tech := sentTo(h, eqAlice, before), sentTo(h, eqTech, before)
	if len(borrower) != 1 || len(tech) != 1 {
		t.Fatalf("reminders: borrower %d, technician %d; want 1 each", len(borrower), len(tech))
	}
	mustContain(t, "the borrower's reminder", borrower[0], "Matériel à rendre", "DITEP-STF-P014", "retour prévu le 28/03/2026 (1 j de retard)")
	mustContain(t, "the technicians' digest", tech[0], "Prêts en retard", "DITEP-STF-P014 · Alice Martin")
	before = len(h.peer.sent())
	h.clock.Advance(3 * time.Hour)
	runJob(t, h, "equipment.overdue")
	if n := len(h.peer.sent()) - before; n != 0 {
		t.Fatalf("the same reminder was sent again (%d messages)", n)
	}
	h.clock.Advance(7 * 24 * time.Hour)
	runJob(t, h, "equipment.overdue")
	mustContain(t, "a week later", strings.Join(sentTo(h, eqAlice, before), "\n"), "8 j de retard")
}

func TestWarrantyAndContractReminders(t *testing.T) {
	h := eqHarness(t)
	w := domain.Date("2027-01-26") // 59 days after 28 November 2026
	if _, err := h.store.UpdateTerminal(ctx, "DITEP-STF-P020", domain.TerminalUpdate{WarrantyEnd: &w}, domain.PersonRef{ID: eqTech}, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	c := domain.Date("2026-12-10")
	if _, err := h.store.UpdateTerminal(ctx, "DITEP-STF-P021", domain.TerminalUpdate{Contract: &domain.Contract{Supplier: "Inmac", End: c}}, domain.PersonRef{ID: eqTech}, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	before := len(h.peer.sent())
	runJob(t, h, "equipment.warranty")
	runJob(t, h, "equipment.warranty")
	got := sentTo(h, eqTech, before)
	if len(got) != 1 {
		t.Fatalf("the technician got %d digests, want 1", len(got))
	}
	mustContain(t, "the digest", got[0], "Garanties et contrats bientôt échus", "DITEP-STF-P021", "Contrat de maintenance jusqu'au 10/12/2026 (dans 12 j)",
		"DITEP-STF-P020", "Garantie jusqu'au 26/01/2027 (dans 59 j)")
	// 45 days later the warranty is 14 days away: its second reminder.
	h.clock.Advance(45 * 24 * time.Hour)
	before = len(h.peer.sent())
	runJob(t, h, "equipment.warranty")
	got = sentTo(h, eqTech, before)
	if len(got) != 1 || !strings.Contains(got[0], "dans 14 j") || strings.Contains(got[0], "DITEP-STF-P021") {
		t.Fatalf("15-day reminder: %v", got)
	}
}

func TestMemberDirectoryWhenGraphIsOff(t *testing.T) {
	h := eqHarness(t)
	// The form's suggestions are the members, sorted by name, and the
	// search ignores case and accents.
	found := invokeAs(h, eqTech, "loan.form", map[string]any{"borrowerQuery": "lefevre"})
	mustContain(t, "a search without accents", cardText(found), "1 personne trouvée pour « lefevre »", "Jean-Pierre Lefèvre (jp.lefevre@anras.fr)")
	found = invokeAs(h, eqTech, "loan.form", map[string]any{"borrowerQuery": "bruno.petit@"})
	mustContain(t, "a search by e-mail (the UPN)", cardText(found), "Bruno Petit (bruno.petit@anras.fr)")
	none := invokeAs(h, eqTech, "loan.form", map[string]any{"borrowerQuery": "Zoé"})
	mustContain(t, "a search that finds nobody", cardText(none), "Personne ne correspond à « Zoé » dans l'annuaire.")
}

// fakeGraph is a directory as Entra ID answers: people with job titles,
// found by name.
type fakeGraph struct{ people []domain.Person }

func (g fakeGraph) Person(_ context.Context, id string) (domain.Person, error) {
	for _, p := range g.people {
		if p.ID == id {
			return p, nil
		}
	}
	return domain.Person{}, domain.Errorf(domain.ENOTFOUND, "err.user.unknown")
}

func (g fakeGraph) SearchPeople(_ context.Context, q string, limit int) ([]domain.Person, error) {
	var out []domain.Person
	for _, p := range g.people {
		if strings.Contains(domain.FoldText(p.DisplayName+" "+p.Email), domain.FoldText(q)) {
			out = append(out, p)
		}
	}
	return out, nil
}

func (g fakeGraph) GroupsOf(context.Context, string) ([]string, error) { return nil, nil }

// With Entra ID configured, the form carries Teams' people picker and the
// borrower's job title comes from the directory onto the certificate.
func TestLoanWithTheGraphDirectory(t *testing.T) {
	graph := fakeGraph{people: []domain.Person{{ID: "55555555-5555-4555-8555-555555555555", DisplayName: "Farid Benali",
		Email: "farid.benali@anras.fr", JobTitle: "Moniteur éducateur", AccountEnabled: true}}}
	h := newHarness(t, options{locale: "fr", directory: graph})
	if err := h.store.CreateEstablishment(ctx, domain.Establishment{Code: "DITEP-STF", Name: "DITEP Saint-François"}); err != nil {
		t.Fatal(err)
	}
	_, _, _ = h.store.ImportTerminals(ctx, []domain.TerminalFacts{{ID: "DITEP-STF-P068", Make: "Lenovo", Model: "ThinkPad T480"}}, domain.PersonRef{ID: "x"}, h.clock.Now())
	_ = h.store.GrantRole(ctx, domain.RoleAssignment{UserID: eqTech, Role: domain.RoleTechnician, GrantedAt: h.clock.Now()})
	sayAs(h, eqTech, "Jean-Pierre Lefèvre", "bonjour")
	form := invokeAs(h, eqTech, "loan.form", map[string]any{"terminal": "DITEP-STF-P068", "borrowerQuery": "farid"})
	raw, _ := json.Marshal(form)
	if !strings.Contains(string(raw), `"choices.data":{"dataset":"graph.microsoft.com/users","type":"Data.Query"}`) {
		t.Fatalf("no people picker on the form: %s", raw)
	}
	card := invokeAs(h, eqTech, "loan.open", map[string]any{"terminal": "DITEP-STF-P068", "borrower": "55555555-5555-4555-8555-555555555555",
		"due": "2026-12-10", "condition": "new"})
	// Farid never wrote to Parc: the loan opens, the technician is told
	// the acknowledgement could not be asked.
	mustContain(t, "the loan card", cardText(card), "Prêt DITEP-STF-P068-L1 ouvert", "Farid Benali (Moniteur éducateur)",
		"Je n'ai pas pu écrire à Farid Benali pour l'accusé de réception", "non demandé")
	_, text := certificateText(t, h, openURL(card, "Attestation de prêt (PDF)"))
	mustContain(t, "the certificate", text, "Farid Benali", "Moniteur éducateur", "farid.benali@anras.fr", "Neuf")
}

// A reminder for a borrower Parc cannot reach yet waits until it can.
func TestOverdueReminderWaitsForAReachableBorrower(t *testing.T) {
	h := eqHarness(t)
	farid := "66666666-6666-4666-8666-666666666666"
	if _, _, err := h.store.OpenLoan(ctx, domain.LoanRequest{TerminalID: "DITEP-STF-P019", Borrower: domain.Borrower{ID: farid, Name: "Farid Benali"},
		Technician: domain.PersonRef{ID: eqTech, Name: "Jean-Pierre Lefèvre"}, Due: "2026-11-20", ConditionOut: domain.ConditionGood}, time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	runJob(t, h, "equipment.overdue")
	sayAs(h, farid, "Farid Benali", "bonjour")
	before := len(h.peer.sent())
	h.clock.Advance(time.Hour)
	runJob(t, h, "equipment.overdue")
	got := sentTo(h, farid, before)
	if len(got) != 1 || !strings.Contains(got[0], "Matériel à rendre") {
		t.Fatalf("Farid got %v", got)
	}
}
