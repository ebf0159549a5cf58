package cards

import (
	"fmt"
	"strings"
	"testing"
)

// The IT equipment cards, with the data of the DITEP Saint-François
// inventory (section 4.4.3 of the seed).

func sampleTerminalRows(n int) []TerminalRow {
	models := []struct{ mk, model string }{{"Lenovo", "20FVS 2M30"}, {"Fujitsu", "Lifebook A555"}, {"Dell", "Latitude E5540"}, {"Microsoft", "Surface Pro 7"}}
	var rows []TerminalRow
	for i := 0; i < n; i++ {
		m := models[i%len(models)]
		r := TerminalRow{ID: fmt.Sprintf("DITEP-STF-P%03d", i+1), TypeName: "PC portable", Make: m.mk, Model: m.model, Status: "in_stock"}
		switch i % 5 {
		case 1:
			r.Status, r.Holder, r.Due = "lent", "Émilie Lefèvre", "15/12/2026"
		case 2:
			r.Status, r.Holder = "assigned", "Alice Martin"
		case 3:
			r.Status, r.Holder, r.Due, r.Overdue = "lent", "Bruno Petit", "20/11/2026", true
		case 4:
			r.Status = "in_repair"
		}
		rows = append(rows, r)
	}
	return rows
}

func sampleListView(l Lang) TerminalListView {
	return TerminalListView{
		Query: "lenovo", Status: "",
		Establishments: []Choice{{Title: "DITEP Saint-François", Value: "DITEP-STF"}, {Title: "ANRAS Siège social", Value: "ANRAS-SOC"}},
		Types:          []Choice{{Title: "PC portable", Value: "P"}, {Title: "Tablette", Value: "T"}},
		Rows:           sampleTerminalRows(10), Total: 25, Page: 1, PageSize: 10, CanEdit: true,
	}
}

func sampleLoanView() LoanView {
	return LoanView{
		ID: "DITEP-STF-P068-L3", TerminalID: "DITEP-STF-P068", Terminal: "Lenovo 20FVS 2M30", Serial: "PF0ABCD1",
		Borrower: "Émilie Lefèvre", BorrowerEmail: "emilie.lefevre@anras.fr", BorrowerJob: "Éducatrice spécialisée",
		Technician: "Jean-Pierre Lefèvre", Opened: "28/11/2026 10:00", Due: "15/12/2026",
		Accessories: []string{"charger", "bag"}, ConditionOut: "good", NotesOut: "Rayure sur le capot", Open: true, AckSent: true,
		LoanCertificate: "https://parc.example.org/certificates/DITEP-STF-P068-L3/loan.pdf?exp=1&sig=x", LinkExpiry: "29/11/2026 10:00",
		Documents: []DocumentLink{{Kind: "loan_certificate", Name: "attestation-signee.pdf", URL: "https://anras.sharepoint.com/personal/jp/Documents/attestation-signee.pdf", Added: "28/11/2026, Jean-Pierre Lefèvre"}},
		CanEdit:   true,
	}
}

func init() {
	addGolden(
		golden{
			Name:  "terminals_list",
			Build: func(l Lang) Card { return TerminalList(l, sampleListView(l)) },
			Langs: Languages,
			Words: map[Lang][]string{FR: {"25 terminaux trouvés", "page 2 sur 3", "Prêté", "En retard", "jusqu'au", "Affecté à Alice Martin"}, EN: {"25 terminals found", "page 2 of 3", "Lent", "Overdue", "until", "Assigned to Alice Martin"}},
		},
		golden{
			Name: "terminals_list_none",
			Build: func(l Lang) Card {
				v := sampleListView(l)
				v.Rows, v.Total, v.Page, v.CanEdit, v.Query = nil, 0, 0, false, "imprimante"
				return TerminalList(l, v)
			},
			Words: map[Lang][]string{FR: {"Aucun terminal ne correspond"}, EN: {"No terminal matches"}},
		},
		golden{
			Name: "terminal_detail",
			Build: func(l Lang) Card {
				cur := LoanLine{ID: "DITEP-STF-P068-L3", Borrower: "Émilie Lefèvre", Opened: "28/11/2026", Due: "15/12/2026", Open: true}
				return TerminalDetail(l, TerminalDetailView{
					ID: "DITEP-STF-P068", TypeName: "PC portable", Establishment: "DITEP Saint-François", Owner: "DITEP",
					Make: "Lenovo", Model: "20FVS 2M30", Specs: "i5-6300U CPU - 8Go", CPU: "i5-6300U", RAM: "8 Go", OS: "Windows 10 Pro",
					Serial: "PF0ABCD1", Status: "lent", PurchaseDate: "12/03/2019", Price: "899,00 €", WarrantyEnd: "12/03/2027",
					Contract: "Inmac C-2024-118 12/03/2027", Notes: "Batterie changée en 2025.",
					Documents:   []DocumentLink{{Kind: "invoice", Name: "Facture Inmac 2019-044", URL: "https://anras.sharepoint.com/sites/it/facture-2019-044.pdf", Added: "12/03/2019, Chloé Durand"}},
					CurrentLoan: &cur,
					Loans:       []LoanLine{{ID: "DITEP-STF-P068-L2", Borrower: "Bruno Petit", Opened: "02/09/2026", Closed: "30/09/2026", Acked: true}},
					History: []HistoryLine{
						{When: "28/11/2026 10:00", Who: "Jean-Pierre Lefèvre", Action: "lent", Fields: []string{"Statut : En stock → Prêté"}},
						{When: "12/03/2019 09:00", Who: "Chloé Durand", Action: "created"},
					},
					CanEdit: true,
				})
			},
			Words: map[Lang][]string{FR: {"Prêt en cours", "Enregistrer le retour", "Historique", "Fin de garantie"}, EN: {"Current loan", "Record the return", "History", "Warranty end"}},
		},
		golden{
			Name: "terminal_detail_assigned",
			Build: func(l Lang) Card {
				return TerminalDetail(l, TerminalDetailView{
					ID: "DITEP-STF-P012", TypeName: "PC portable", Establishment: "DITEP Saint-François", Owner: "DITEP",
					Make: "Dell", Model: "Latitude E5540", Serial: "7XK2L42", Status: "assigned", AssignedTo: "Alice Martin",
					History: []HistoryLine{
						{When: "28/11/2026 10:00", Who: "Jean-Pierre Lefèvre", Action: "updated", Fields: []string{
							l.T("history.field", l.T("field.status"), l.T("status.in_stock"), l.T("status.assigned")),
							l.T("history.field", l.T("field.assigned_to"), l.T("history.empty"), "Alice Martin"),
						}},
					},
					CanEdit: true, CanLend: false,
				})
			},
			Langs: Languages,
			Words: map[Lang][]string{FR: {"Affecté à Alice Martin", "Statut : En stock → Affecté", "Affecté à : (vide) → Alice Martin"}, EN: {"Assigned to Alice Martin", "Status: In stock → Assigned", "Assigned to: (empty) → Alice Martin"}},
		},
		golden{
			Name: "loan_form",
			Build: func(l Lang) Card {
				return LoanForm(l, LoanFormView{
					Terminals: []Choice{{Title: "DITEP-STF-P001 · Lenovo 20FVS 2M30", Value: "DITEP-STF-P001"}, {Title: "DITEP-STF-P009 · Fujitsu Lifebook A555", Value: "DITEP-STF-P009"}},
					Terminal:  "DITEP-STF-P009", Query: "lef",
					People: []Choice{{Title: "Émilie Lefèvre (emilie.lefevre@anras.fr)", Value: "3f2a5c1e-0000-4000-8000-000000000001"}},
					Due:    "2026-12-05", MinDue: "2026-11-28", Accessories: []string{"charger"}, Condition: "good",
					Notice: l.T("directory.found.one", "lef"),
				})
			},
			Langs: Languages,
			Words: map[Lang][]string{FR: {"Nouveau prêt", "1 personne trouvée", "Ouvrir le prêt", "Chargeur"}, EN: {"New loan", "1 person found", "Open the loan", "Charger"}},
		},
		golden{
			Name: "loan_form_people_picker",
			Build: func(l Lang) Card {
				return LoanForm(l, LoanFormView{
					Terminals:    []Choice{{Title: "DITEP-STF-P001 · Lenovo 20FVS 2M30", Value: "DITEP-STF-P001"}},
					People:       []Choice{{Title: "Jean-Pierre Lefèvre", Value: "3f2a5c1e-0000-4000-8000-000000000002"}},
					PeoplePicker: true, Due: "2026-12-05", MinDue: "2026-11-28",
				})
			},
			Words: map[Lang][]string{FR: {"Emprunteur"}, EN: {"Borrower"}},
		},
		golden{
			Name:  "loan_form_no_terminal",
			Build: func(l Lang) Card { return LoanForm(l, LoanFormView{}) },
			Words: map[Lang][]string{FR: {"Aucun terminal n'est disponible"}, EN: {"No terminal can be lent"}},
		},
		golden{
			Name: "loan_opened",
			Build: func(l Lang) Card {
				v := sampleLoanView()
				v.Notice = l.T("loan.opened", v.ID, v.TerminalID, v.Borrower) + " " + l.T("loan.opened.ack_sent", v.Borrower)
				return LoanCard(l, v)
			},
			Langs: Languages,
			Words: map[Lang][]string{FR: {"Prêt DITEP-STF-P068-L3 ouvert", "Attestation de prêt (PDF)", "accusé de réception attendu"}, EN: {"Loan DITEP-STF-P068-L3 opened", "Loan certificate (PDF)", "acknowledgement awaited"}},
		},
		golden{
			Name: "loan_closed",
			Build: func(l Lang) Card {
				v := sampleLoanView()
				v.Open, v.Ack = false, "28/11/2026 10:12, Émilie Lefèvre"
				v.Closed, v.ClosedBy, v.ConditionIn, v.NotesIn, v.Missing = "10/12/2026 16:30", "Chloé Durand", "damaged", "Écran fissuré", []string{"bag"}
				v.ReturnCertificate = "https://parc.example.org/certificates/DITEP-STF-P068-L3/return.pdf?exp=1&sig=y"
				return LoanCard(l, v)
			},
			Words: map[Lang][]string{FR: {"Terminé", "Accessoires manquants", "Attestation de retour (PDF)"}, EN: {"Closed", "Missing accessories", "Return certificate (PDF)"}},
		},
		golden{
			Name: "loan_return_form",
			Build: func(l Lang) Card {
				return ReturnForm(l, ReturnFormView{Loan: sampleLoanView(), Accessories: []string{"charger", "bag"}})
			},
			Words: map[Lang][]string{FR: {"Retour de DITEP-STF-P068", "Clore le prêt"}, EN: {"Return of DITEP-STF-P068", "Close the loan"}},
		},
		golden{
			Name: "loans_list",
			Build: func(l Lang) Card {
				return LoanList(l, LoanListView{CanEdit: true, OverdueNum: 1, Open: []LoanLine{
					{ID: "DITEP-STF-P014-L1", TerminalID: "DITEP-STF-P014", Terminal: "Dell Latitude E5540", Borrower: "Bruno Petit", Opened: "02/11/2026", Due: "20/11/2026", Open: true, Overdue: true, Acked: true},
					{ID: "DITEP-STF-P068-L3", TerminalID: "DITEP-STF-P068", Terminal: "Lenovo 20FVS 2M30", Borrower: "Émilie Lefèvre", Opened: "28/11/2026", Due: "15/12/2026", Open: true},
				}})
			},
			Words: map[Lang][]string{FR: {"Prêts en cours", "1 prêt(s) en retard"}, EN: {"Open loans", "1 overdue loan(s)"}},
		},
		golden{
			Name:  "loan_ack_request",
			Build: func(l Lang) Card { return AckRequest(l, sampleLoanView()) },
			Langs: Languages,
			Words: map[Lang][]string{FR: {"J'ai bien reçu ce matériel", "vous a prêté"}, EN: {"I received this equipment", "lent you"}},
		},
		golden{
			Name: "loan_ack_notice",
			Build: func(l Lang) Card {
				return AckNotice(l, "Émilie Lefèvre", "DITEP-STF-P068", "DITEP-STF-P068-L3", "28/11/2026 10:12")
			},
			Words: map[Lang][]string{FR: {"Réception confirmée", "a confirmé avoir reçu"}, EN: {"Receipt confirmed", "confirmed receiving"}},
		},
		golden{
			Name: "terminal_new_form",
			Build: func(l Lang) Card {
				return TerminalForm(l, TerminalFormView{Establishments: []Choice{{Title: "DITEP Saint-François", Value: "DITEP-STF"}},
					Types: []Choice{{Title: "PC portable", Value: "P"}}, Establishment: "DITEP-STF", Type: "P"})
			},
			Words: map[Lang][]string{FR: {"Enregistrer un terminal", "numéro libre suivant"}, EN: {"Register a terminal", "next free number"}},
		},
		golden{
			Name: "terminal_edit_form",
			Build: func(l Lang) Card {
				return TerminalForm(l, TerminalFormView{ID: "DITEP-STF-P068", Make: "Lenovo", Model: "20FVS 2M30", OS: "Windows 10 Pro", Status: "in_stock", Price: "899,00", WarrantyEnd: "2027-03-12"})
			},
			Words: map[Lang][]string{FR: {"Modifier DITEP-STF-P068", "Enregistrer les modifications", "Affecté à : nom ou e-mail"}, EN: {"Edit DITEP-STF-P068", "Save changes", "Assigned to: name or e-mail"}},
		},
		golden{
			Name: "terminal_edit_form_assign",
			Build: func(l Lang) Card {
				return TerminalForm(l, TerminalFormView{ID: "DITEP-STF-P012", Make: "Dell", Model: "Latitude E5540", Status: "assigned",
					AssigneeQuery: "martin", Assignee: "3f2a5c1e-0000-4000-8000-000000000003",
					People:       []Choice{{Title: "Alice Martin (alice.martin@anras.fr)", Value: "3f2a5c1e-0000-4000-8000-000000000003"}},
					PeopleNotice: l.T("directory.found.one", "martin"), PeoplePicker: true,
					Warning: l.T("err.terminal.assigned_to")})
			},
			Langs: Languages,
			Words: map[Lang][]string{FR: {"Affecté", "1 personne trouvée pour « martin »", "Choisissez dans l'annuaire"}, EN: {"Assigned", "1 person found for", "Choose from the directory"}},
		},
		golden{
			Name: "terminal_edit_form_lent",
			Build: func(l Lang) Card {
				return TerminalForm(l, TerminalFormView{ID: "DITEP-STF-P068", Make: "Lenovo", Model: "20FVS 2M30", Status: "lent"})
			},
			Words: map[Lang][]string{FR: {"son statut changera au retour du prêt"}, EN: {"its status changes when the loan is returned"}},
		},
		golden{
			Name: "import_dry_run",
			Build: func(l Lang) Card {
				v := ImportReportView{FileName: "Inventaire DITEP.xlsx", ImportID: "8f14e45fceea167a5a36dedd4bea2543"}
				for i := 1; i <= 25; i++ {
					v.New = append(v.New, ImportLine{Line: i + 1, ID: fmt.Sprintf("DITEP-STF-P%03d", i)})
				}
				v.Changed = []ImportLine{{Line: 17, ID: "DITEP-STF-P016", Detail: "Système : « Window 10 Pro » → « Windows 10 Pro »"}}
				v.Invalid = []ImportLine{{Line: 30, ID: "DITEP-STF-X", Detail: "nomenclature absente ou invalide « DITEP-STF-X »"}}
				return ImportReport(l, v)
			},
			Langs: Languages,
			Words: map[Lang][]string{FR: {"Rien n'est encore modifié", "Appliquer", "… et 10 autres lignes"}, EN: {"Nothing is changed yet", "Apply", "… and 10 more rows"}},
		},
		golden{
			Name: "import_applied",
			Build: func(l Lang) Card {
				return ImportReport(l, ImportReportView{FileName: "inventaire.csv", Applied: true, Created: 25, Updated: 0,
					New: []ImportLine{{Line: 2, ID: "DITEP-STF-P001"}}})
			},
			Words: map[Lang][]string{FR: {"Import appliqué"}, EN: {"Import applied"}},
		},
		golden{
			Name:  "import_help",
			Build: ImportHelp,
			Words: map[Lang][]string{FR: {"Envoyez-moi le fichier"}, EN: {"Send me the inventory"}},
		},
		golden{
			Name: "attach_form",
			Build: func(l Lang) Card {
				return AttachForm(l, AttachFormView{FileName: "attestation-signee.pdf", URL: "https://anras-my.sharepoint.com/personal/jp/Documents/attestation-signee.pdf",
					Loans: []Choice{{Title: "DITEP-STF-P068-L3 · Émilie Lefèvre", Value: "DITEP-STF-P068-L3"}}})
			},
			Words: map[Lang][]string{FR: {"Joindre", "votre OneDrive"}, EN: {"Attach", "your OneDrive"}},
		},
		golden{
			Name: "terminal_types",
			Build: func(l Lang) Card {
				return TerminalTypes(l, []TypeLine{{Code: "P", NameFR: "PC portable", NameEN: "Laptop", Lendable: true}, {Code: "W", NameFR: "Borne Wi-Fi", NameEN: "Wi-Fi access point"}}, "")
			},
			Words: map[Lang][]string{FR: {"Types de terminaux", "Se prête"}, EN: {"Terminal types", "Can be lent"}},
		},
		golden{
			Name: "reminder_overdue",
			Build: func(l Lang) Card {
				return Reminder(l, "remind.overdue.title", "remind.overdue.intro", []ReminderLine{
					{ID: "DITEP-STF-P014-L1", Verb: VerbLoan, Title: "DITEP-STF-P014 · Bruno Petit", Detail: l.T("remind.line.overdue", "Dell Latitude E5540", "20/11/2026", 8)},
				}, 0)
			},
			Words: map[Lang][]string{FR: {"Prêts en retard", "j de retard"}, EN: {"Overdue loans", "days late"}},
		},
	)
}

// TestTerminalListStaysSmall: a page of the longest rows stays far under
// Teams' limit, whatever the inventory's size (the card never holds more
// than a page).
func TestTerminalListStaysSmall(t *testing.T) {
	v := sampleListView(FR)
	v.Rows = nil
	for i := 0; i < 10; i++ {
		v.Rows = append(v.Rows, TerminalRow{ID: fmt.Sprintf("ABCDEFGHIJ-ABCDEF-TP%04d", 9990+i), TypeName: strings.Repeat("T", 60),
			Make: strings.Repeat("M", 80), Model: strings.Repeat("é", 80), Status: "lent", Holder: strings.Repeat("Ü", 80), Due: "31/12/2026"})
	}
	for i := 0; i < 100; i++ {
		v.Establishments = append(v.Establishments, Choice{Title: strings.Repeat("É", 120), Value: fmt.Sprintf("E%02d-X", i)})
		v.Types = append(v.Types, Choice{Title: strings.Repeat("T", 60), Value: "T"})
	}
	v.Total = 10000
	if size := TerminalList(FR, v).Size(); size > MaxPayloadBytes*3/4 { // room for the activity around it
		t.Fatalf("worst-case list card is %d bytes", size)
	}
}
