package cards

import (
	"fmt"
	"time"

	"github.com/anras/parc/domain"
)

// Sample data of the fleet cards: Thursday 26 March 2026, 10:00 in Paris,
// three days before the change to summer time.

func sampleFleetTime() FleetTime {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return FleetTime{Now: time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC), Loc: loc}
}

func sampleCar(plate, mk, model string) domain.Car {
	w := sampleFleetTime()
	return domain.Car{Plate: plate, Establishment: "DITEP-STF", Make: mk, Model: model, Year: 2021, VIN: "VF1RJA00067123456",
		Status: domain.CarAvailable, Odometer: 48210, CreatedAt: w.Now.AddDate(-1, 0, 0), UpdatedAt: w.Now,
		Documents: []domain.CarDocument{
			{Kind: domain.CarDocRegistration, URL: "https://anras.sharepoint.com/sites/parc/cartes-grises/" + plate + ".pdf"},
			{Kind: domain.CarDocInsurance, URL: "https://anras.sharepoint.com/sites/parc/assurance/" + plate + ".pdf"},
		},
		Deadlines: domain.Deadlines{InsuranceExpiry: time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC), InspectionDue: time.Date(2026, 4, 10, 22, 0, 0, 0, time.UTC),
			NextServiceKm: 50000},
	}
}

func sampleCars() []domain.Car {
	clio := sampleCar("AB-123-CD", "Renault", "Clio")
	p308 := sampleCar("EF-456-GH", "Peugeot", "308")
	zoe := sampleCar("GH-789-JK", "Renault", "Zoé")
	zoe.Status, zoe.StatusNote = domain.CarInService, "Au garage Martin jusqu'à vendredi (embrayage)"
	berlingo := sampleCar("JK-012-LM", "Citroën", "Berlingo")
	return []domain.Car{clio, p308, zoe, berlingo}
}

func sampleReservation(car domain.Car, user string, start time.Time, d time.Duration) domain.Reservation {
	w := sampleFleetTime()
	return domain.Reservation{ID: "R-7K3F9QXA", Plate: car.Plate, Establishment: car.Establishment, UserID: "u-" + user, UserName: user,
		Start: start, End: start.Add(d), Purpose: "Visite à domicile, Saint-Pierre", Status: domain.ReservationActive, CreatedAt: w.Now.Add(-time.Hour)}
}

func sampleSchedule(car domain.Car) domain.CarSchedule {
	w := sampleFleetTime()
	day := time.Date(2026, 3, 26, 0, 0, 0, 0, w.Loc)
	at := func(d, h, m int) time.Time {
		return day.AddDate(0, 0, d).Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute).UTC()
	}
	last := domain.Slot{ReservationID: "R-1111AAAA", UserID: "u1", UserName: "Chloé Durand", Start: at(-5, 9, 0), End: at(-5, 12, 0), HandedBack: true}
	return domain.CarSchedule{Plate: car.Plate, Establishment: car.Establishment, Last: &last, Slots: []domain.Slot{
		{ReservationID: "R-2222BBBB", UserID: "u2", UserName: "Bruno Petit", Start: at(0, 10, 30), End: at(0, 12, 0)},
		{ReservationID: "R-3333CCCC", UserID: "u3", UserName: "Emma Lefèvre", Start: at(2, 22, 0), End: at(3, 10, 0)},
		{ReservationID: "R-4444DDDD", UserID: "u4", UserName: "Farid Benali", Start: at(4, 8, 30), End: at(4, 17, 0)},
	}}
}

func init() {
	w := sampleFleetTime()
	cars := sampleCars()
	clio := cars[0]
	tomorrow := time.Date(2026, 3, 27, 13, 0, 0, 0, time.UTC)
	iv := domain.Interval{Start: tomorrow, End: tomorrow.Add(150 * time.Minute)}
	res := sampleReservation(clio, "Alice Martin", tomorrow, 150*time.Minute)
	many := func(n int) []domain.Car {
		out := make([]domain.Car, n)
		for i := range out {
			out[i] = sampleCar(fmt.Sprintf("AA-%03d-AA", i), "Renault", fmt.Sprintf("Clio %d", i))
		}
		return out
	}
	ests := []Choice{{Title: "ANRAS Siège social (ANRAS-SOC)", Value: "ANRAS-SOC"}, {Title: "DITEP Saint-François (DITEP-STF)", Value: "DITEP-STF"}}
	addGolden(
		golden{Name: "fleet_search_form", Langs: []Lang{FR, EN},
			Build: func(l Lang) Card {
				return FleetFormCard(l, w, FleetForm{Day: "2026-03-27", From: "14:00", To: "16:30"})
			},
			Words: map[Lang][]string{FR: {"Quelles voitures sont libres", "Par pas de 30 minutes"}, EN: {"Which cars are free", "In 30-minute steps"}}},
		golden{Name: "fleet_reserve_form",
			Build: func(l Lang) Card {
				return FleetFormCard(l, w, FleetForm{Car: &clio, Day: "2026-03-29", From: "02:30", To: "04:00",
					Notice: l.T("err.fleet.when.dst_gap", "2h30")})
			},
			Words: map[Lang][]string{FR: {"Réserver Renault Clio", "heure d'été"}, EN: {"Book Renault Clio", "summer time"}}},
		golden{Name: "fleet_availability", Langs: []Lang{FR, EN},
			Build: func(l Lang) Card {
				return FleetAvailabilityCard(l, w, FleetFree{Interval: iv, Free: []domain.Car{cars[3], clio},
					Busy: []BusyCar{{Car: cars[1], Reason: l.T("fleet.free.reserved_until", "17h00")}, {Car: cars[2], Reason: l.T("fleet.status.in_service") + " – " + cars[2].StatusNote}}})
			},
			Words: map[Lang][]string{FR: {"Voitures libres", "vendredi 27 mars", "En entretien"}, EN: {"Free cars", "Friday 27 March", "In service"}}},
		golden{Name: "fleet_availability_none",
			Build: func(l Lang) Card { return FleetAvailabilityCard(l, w, FleetFree{Interval: iv}) },
			Words: map[Lang][]string{FR: {"Aucune voiture n'est libre"}, EN: {"No car is free"}}},
		golden{Name: "fleet_availability_200_cars",
			Build: func(l Lang) Card {
				return FleetAvailabilityCard(l, w, FleetFree{Interval: iv, Free: many(200), Page: 3})
			},
			Words: map[Lang][]string{FR: {"Voir 152 de plus"}, EN: {"Show 152 more"}}},
		golden{Name: "fleet_reserved", Langs: []Lang{FR, EN},
			Build: func(l Lang) Card { return FleetReservedCard(l, w, res, clio) },
			Words: map[Lang][]string{FR: {"Réservation confirmée", "Référence"}, EN: {"Reservation confirmed", "Reference"}}},
		golden{Name: "fleet_clash", Langs: []Lang{FR, EN},
			Build: func(l Lang) Card {
				return FleetClashCard(l, w, iv, clio, []domain.Car{cars[3]}, domain.Interval{Start: iv.End, End: iv.End.Add(iv.Duration())})
			},
			Words: map[Lang][]string{FR: {"Trop tard", "Prochain créneau libre"}, EN: {"Too late", "Next free slot"}}},
		golden{Name: "fleet_mine", Langs: []Lang{FR, EN},
			Build: func(l Lang) Card {
				ended := sampleReservation(cars[1], "Alice Martin", w.Now.Add(-5*time.Hour), 3*time.Hour)
				ended.ID = "R-5555EEEE"
				current := sampleReservation(cars[3], "Alice Martin", w.Now.Add(-time.Hour), 3*time.Hour)
				current.ID, current.Purpose = "R-6666FFFF", ""
				return FleetMineCard(l, w, []MineItem{{ended, cars[1]}, {current, cars[3]}, {res, clio}}, l.T("fleet.cancelled.notice", "R-9999ZZZZ"))
			},
			Words: map[Lang][]string{FR: {"Mes réservations", "à restituer", "Raccourcir"}, EN: {"My reservations", "to hand back", "Shorten"}}},
		golden{Name: "fleet_mine_empty",
			Build: func(l Lang) Card { return FleetMineCard(l, w, nil, "") },
			Words: map[Lang][]string{FR: {"aucune réservation"}, EN: {"no current or coming"}}},
		golden{Name: "fleet_cancelled",
			Build: func(l Lang) Card { return FleetCancelledCard(l, w, res, clio) },
			Words: map[Lang][]string{FR: {"Réservation annulée"}, EN: {"Reservation cancelled"}}},
		golden{Name: "fleet_handback_form", Langs: []Lang{FR, EN},
			Build: func(l Lang) Card {
				return FleetHandbackFormCard(l, w, res, clio, l.T("err.fleet.odometer.below", clio.Odometer))
			},
			Words: map[Lang][]string{FR: {"Restitution de", "Niveau de carburant", "Péage"}, EN: {"Handing back", "Fuel level", "Toll"}}},
		golden{Name: "fleet_handed_back",
			Build: func(l Lang) Card {
				r := res
				r.Handback = &domain.Handback{At: w.Now, By: "u-Alice", OdometerStart: 48210, Odometer: 48342, Fuel: "half", Damage: "Rétroviseur gauche fissuré"}
				r.Expenses = []domain.Expense{{Kind: "fuel", AmountCents: 4250, ReceiptName: "ticket-total.jpg", ReceiptURL: "https://anras-my.sharepoint.com/personal/alice/ticket-total.jpg", At: w.Now},
					{Kind: "parking", AmountCents: 350, At: w.Now}}
				return FleetHandedBackCard(l, w, r, clio, "")
			},
			Words: map[Lang][]string{FR: {"Voiture restituée", "42,50 €", "sans justificatif"}, EN: {"Car handed back", "€42.50", "no receipt"}}},
		golden{Name: "fleet_cars", Langs: []Lang{FR, EN},
			Build: func(l Lang) Card {
				var rows []CarRow
				for i, c := range append(cars, many(12)...) {
					row := CarRow{Car: c, Last: w.Now.Add(-time.Duration(i*29+5) * time.Hour)}
					if i%3 == 0 {
						row.Next = w.Now.Add(55 * time.Minute)
					}
					row.Reserved = i == 1
					row.Unavailable = c.Status != domain.CarAvailable
					rows = append(rows, row)
				}
				return FleetCarsCard(l, w, "DITEP Saint-François", rows, 0, true)
			},
			Words: map[Lang][]string{FR: {"Dernière réservation", "dans 55 min", "Libre", "Page 1 sur 2"}, EN: {"Last reservation", "in 55 min", "Free", "Page 1 of 2"}}},
		golden{Name: "fleet_car_detail", Langs: []Lang{FR, EN},
			Build: func(l Lang) Card {
				c := clio
				c.PhotoURL = "https://anras.sharepoint.com/sites/parc/photos/AB-123-CD.jpg"
				c.Notes = "Siège bébé dans le coffre. Badge de télépéage dans la boîte à gants."
				return FleetCarCard(l, w, domain.CarState{Car: c, Schedule: sampleSchedule(c)}, true, "")
			},
			Words: map[Lang][]string{FR: {"Planning des 7 prochains jours", "Carte grise", "Changer le statut"}, EN: {"Planning of the next 7 days", "Registration", "Change the status"}}},
		golden{Name: "fleet_car_detail_staff",
			Build: func(l Lang) Card {
				c := cars[2]
				c.Deadlines.InspectionDue = w.Now.Add(-24 * time.Hour)
				return FleetCarCard(l, w, domain.CarState{Car: c, Schedule: domain.CarSchedule{Plate: c.Plate, Establishment: c.Establishment}}, false, "")
			},
			Words: map[Lang][]string{FR: {"En entretien", "dépassé"}, EN: {"In service", "passed"}}},
		golden{Name: "fleet_car_form_new",
			Build: func(l Lang) Card { return FleetCarFormCard(l, w, "DITEP Saint-François", nil, ests, "") },
			Words: map[Lang][]string{FR: {"Nouvelle voiture"}, EN: {"New car"}}},
		golden{Name: "fleet_car_form_edit",
			Build: func(l Lang) Card {
				return FleetCarFormCard(l, w, "DITEP Saint-François", &clio, ests, l.T("err.fleet.car.vin", "123"))
			},
			Words: map[Lang][]string{FR: {"Modifier Renault Clio", "numéro de série"}, EN: {"Edit Renault Clio", "VIN \\\"123\\\""}}},
		golden{Name: "fleet_car_form_move_refused",
			Build: func(l Lang) Card {
				return FleetCarFormCard(l, w, "DITEP Saint-François", &clio, ests, l.T("err.fleet.move.booked", clio.Plate))
			},
			Words: map[Lang][]string{FR: {"ne peut pas changer d'établissement", "Changer d'établissement déplace"}, EN: {"cannot change establishment", "Changing the establishment moves"}}},
		golden{Name: "fleet_car_moved", Langs: []Lang{FR, EN},
			Build: func(l Lang) Card {
				moved := clio
				moved.Establishment = "ANRAS-SOC"
				return FleetCarMovedCard(l, moved, domain.Establishment{Code: "DITEP-STF", Name: "DITEP Saint-François"}, domain.Establishment{Code: "ANRAS-SOC", Name: "ANRAS Siège social"})
			},
			Words: map[Lang][]string{FR: {"Voiture déplacée", "est maintenant rattachée à ANRAS Siège social"}, EN: {"Car moved", "now belongs to ANRAS Siège social"}}},
		golden{Name: "fleet_status_changed",
			Build: func(l Lang) Card {
				c := clio
				c.Status, c.StatusNote = domain.CarDamaged, "Pare-brise fissuré, en attente de l'assureur"
				return FleetStatusChangedCard(l, w, c, []domain.Reservation{res}, 1)
			},
			Words: map[Lang][]string{FR: {"Endommagée", "prévenues"}, EN: {"Damaged", "People told"}}},
		golden{Name: "fleet_unavailable_notice",
			Build: func(l Lang) Card {
				c := clio
				c.Status, c.StatusNote = domain.CarDamaged, "Pare-brise fissuré"
				return FleetCarUnavailableCard(l, w, c, res)
			},
			Words: map[Lang][]string{FR: {"n'est plus disponible"}, EN: {"no longer available"}}},
		golden{Name: "fleet_pick_establishment",
			Build: func(l Lang) Card {
				return FleetPickEstablishmentCard(l, []Choice{{Title: "ANRAS Siège social (ANRAS-SOC)", Value: "ANRAS-SOC"}, {Title: "DITEP Saint-François (DITEP-STF)", Value: "DITEP-STF"}}, "", "")
			},
			Words: map[Lang][]string{FR: {"Dans quel établissement"}, EN: {"Which establishment"}}},
		golden{Name: "fleet_maintenance",
			Build: func(l Lang) Card {
				ms := []domain.MaintenanceRecord{{ID: "M-AAAA1111", Plate: clio.Plate, Establishment: clio.Establishment, Kind: "service", Date: time.Date(2026, 1, 14, 23, 0, 0, 0, time.UTC), Odometer: 45000, CostCents: 18990, Supplier: "Garage Martin"}}
				return FleetMaintenanceCard(l, w, clio, ms, l.T("fleet.maint.saved"))
			},
			Words: map[Lang][]string{FR: {"Derniers entretiens", "189,90 €"}, EN: {"Recent maintenance", "€189.90"}}},
		golden{Name: "fleet_report", Langs: []Lang{FR, EN},
			Build: func(l Lang) Card {
				rep := domain.BuildFleetReport("DITEP-STF", domain.MonthPeriod(w.Now.AddDate(0, -2, 0), w.Now, w.Loc), cars,
					[]domain.Reservation{res}, nil, w.Now, w.Loc)
				return FleetReportCard(l, w, "DITEP Saint-François", rep, 3,
					"https://parc.anras.fr/fleet/report/chart.png?est=DITEP-STF&sig=x", "https://parc.anras.fr/fleet/report/report.xlsx?est=DITEP-STF&sig=x")
			},
			Words: map[Lang][]string{FR: {"Rapport des voitures", "contrôle technique"}, EN: {"Car report", "technical inspection"}}},
		golden{Name: "fleet_calendar",
			Build: func(l Lang) Card {
				return FleetCalendarCard(l, clio, "https://parc.anras.fr/fleet/calendar/DITEP-STF/AB-123-CD.ics?token=abc", true, "")
			},
			Words: map[Lang][]string{FR: {"S'abonner à partir du web"}, EN: {"Subscribe from web"}}},
		golden{Name: "fleet_remind_start",
			Build: func(l Lang) Card {
				r := res
				r.Start = w.Now.Add(30 * time.Minute)
				return FleetStartReminderCard(l, w, r, clio)
			},
			Words: map[Lang][]string{FR: {"commence dans 30 min"}, EN: {"starts in 30 min"}}},
		golden{Name: "fleet_remind_return",
			Build: func(l Lang) Card {
				r := res
				r.Start, r.End = w.Now.Add(-5*time.Hour), w.Now.Add(-2*time.Hour)
				return FleetReturnReminderCard(l, w, r, clio)
			},
			Words: map[Lang][]string{FR: {"Pensez à restituer", "il y a 2 h"}, EN: {"Remember to hand", "2 h ago"}}},
		golden{Name: "fleet_remind_deadline",
			Build: func(l Lang) Card {
				return FleetDeadlineReminderCard(l, w, "DITEP Saint-François", domain.UpcomingDeadlines(cars, w.Now, 31*24*time.Hour))
			},
			Words: map[Lang][]string{FR: {"Échéances des voitures"}, EN: {"Car deadlines"}}},
	)
}
