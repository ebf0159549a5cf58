package bot

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
)

// fleetCarsText is "voitures" (the list) or "voiture AB-123-CD" (a car).
func (b *Bot) fleetCarsText(t *Turn, args string) (cards.Card, error) {
	if strings.TrimSpace(args) != "" {
		return b.fleetCar(t, args, "")
	}
	return b.fleetCars(t, 0)
}

// fleetCars is the list of annexe 1: model, plate, status, last and next
// reservation.
func (b *Bot) fleetCars(t *Turn, page int) (cards.Card, error) {
	return b.withEstablishment(t, func(est domain.Establishment) (cards.Card, error) {
		fleet, err := b.store.Fleet(t.Ctx, est.Code)
		if err != nil {
			return cards.Card{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
		}
		rows := carRows(fleet, t.Now)
		return cards.FleetCarsCard(t.Lang, t.fleetTime(), est.Name, rows, page, t.Principal.Has(domain.RoleFleetManager)), nil
	})
}

// carRows computes each car's line: reserved now, bookable, last and next
// reservation. Retired cars are left out.
func carRows(fleet []domain.CarState, now time.Time) []cards.CarRow {
	rows := make([]cards.CarRow, 0, len(fleet))
	for _, st := range fleet {
		if st.Car.Status == domain.CarRetired {
			continue
		}
		row := cards.CarRow{Car: st.Car}
		_, row.Reserved = st.Schedule.Current(now)
		row.Unavailable = st.Car.Reservable(now, now.Add(30*time.Minute)) != nil
		if s, ok := st.Schedule.LastEnded(now); ok {
			row.Last = s.End
		}
		if s, ok := st.Schedule.Next(now); ok {
			row.Next = s.Start
		}
		rows = append(rows, row)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if a, b := rows[i].Car.Name(), rows[j].Car.Name(); a != b {
			return a < b
		}
		return rows[i].Car.Plate < rows[j].Car.Plate
	})
	return rows
}

// fleetCar is a car's detail.
func (b *Bot) fleetCar(t *Turn, plate, notice string) (cards.Card, error) {
	p, err := domain.NormalizePlate(plate)
	if err != nil {
		return cards.Card{}, err
	}
	return b.withEstablishment(t, func(est domain.Establishment) (cards.Card, error) {
		st, err := b.store.CarState(t.Ctx, est.Code, p)
		if err != nil {
			return cards.Card{}, err
		}
		return cards.FleetCarCard(t.Lang, t.fleetTime(), st, t.Principal.Has(domain.RoleFleetManager), notice), nil
	})
}

// fleetCarForm is the form to add a car (plate "") or edit one; editing,
// it offers every establishment to move the car to.
func (b *Bot) fleetCarForm(t *Turn, plate, notice string) (cards.Card, error) {
	return b.withEstablishment(t, func(est domain.Establishment) (cards.Card, error) {
		if plate == "" {
			return cards.FleetCarFormCard(t.Lang, t.fleetTime(), est.Name, nil, nil, notice), nil
		}
		car, err := b.store.Car(t.Ctx, est.Code, plate)
		if err != nil {
			return cards.Card{}, err
		}
		ests, err := b.store.ListEstablishments(t.Ctx)
		if err != nil {
			return cards.Card{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
		}
		choices := make([]cards.Choice, 0, len(ests))
		for _, e := range ests {
			choices = append(choices, cards.Choice{Title: e.Name + " (" + e.Code + ")", Value: e.Code})
		}
		return cards.FleetCarFormCard(t.Lang, t.fleetTime(), est.Name, &car, choices, notice), nil
	})
}

// formInt reads a number input; 0 when empty.
func formInt(in Input, key string) (int, error) {
	s := strings.ReplaceAll(in.Str(key), " ", "")
	if s == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || f < 0 || f > 1e9 {
		return 0, domain.Errorf(domain.EINVALID, "err.fleet.form.number", in.Str(key))
	}
	return int(f + 0.5), nil
}

// formCents reads an amount in euros ("12,50", "12.5") as cents.
func formCents(in Input, key string) (int64, error) {
	s := strings.ReplaceAll(strings.TrimSuffix(in.Str(key), "€"), " ", "")
	if s == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || f < 0 || f > 1e7 {
		return 0, domain.Errorf(domain.EINVALID, "err.fleet.form.number", in.Str(key))
	}
	return int64(f*100 + 0.5), nil
}

// formDeadline reads a "valid until" day: the deadline is the end of that
// day in Paris.
func formDeadline(t *Turn, in Input, key string) (time.Time, error) {
	if in.Str(key) == "" {
		return time.Time{}, nil
	}
	return domain.LocalMidnight(in.Str(key), t.Location(), true)
}

// applyCarForm copies the form's inputs onto car.
func applyCarForm(t *Turn, in Input, car *domain.Car) error {
	var err error
	car.Make, car.Model, car.VIN = in.Str("make"), in.Str("model"), strings.ToUpper(in.Str("vin"))
	car.PhotoURL, car.Notes = in.Str("photo"), in.Str("notes")
	if car.Year, err = formInt(in, "year"); err != nil {
		return err
	}
	if in.Str("odometerKm") != "" {
		if car.Odometer, err = formInt(in, "odometerKm"); err != nil {
			return err
		}
	}
	if car.Deadlines.InsuranceExpiry, err = formDeadline(t, in, "insuranceExpiry"); err != nil {
		return err
	}
	if car.Deadlines.InspectionDue, err = formDeadline(t, in, "inspectionDue"); err != nil {
		return err
	}
	if car.Deadlines.NextServiceDate, err = formDeadline(t, in, "serviceDate"); err != nil {
		return err
	}
	if car.Deadlines.NextServiceKm, err = formInt(in, "serviceKm"); err != nil {
		return err
	}
	docs := car.Documents[:0:0]
	for _, d := range car.Documents {
		if d.Kind != domain.CarDocRegistration && d.Kind != domain.CarDocInsurance {
			docs = append(docs, d)
		}
	}
	for _, d := range []struct {
		kind domain.CarDocumentKind
		key  string
	}{{domain.CarDocRegistration, "docRegistration"}, {domain.CarDocInsurance, "docInsurance"}} {
		if u := in.Str(d.key); u != "" {
			docs = append(docs, domain.CarDocument{Kind: d.kind, URL: u})
		}
	}
	car.Documents = docs
	car.UpdatedAt, car.UpdatedBy = t.Now, t.Principal.UserID
	return nil
}

// fleetCarSave adds or updates a car from the form.
func (b *Bot) fleetCarSave(t *Turn, in Input) (cards.Card, error) {
	return b.withEstablishment(t, func(est domain.Establishment) (cards.Card, error) {
		again := func(plate string, err error) (cards.Card, error) {
			notice, err := refusal(t, err)
			if err != nil {
				return cards.Card{}, err
			}
			if plate == "" {
				return cards.FleetCarFormCard(t.Lang, t.fleetTime(), est.Name, nil, nil, notice), nil
			}
			return b.fleetCarForm(t, plate, notice)
		}
		if plate := in.Str("car"); plate != "" {
			if to := domain.NormalizeEstablishmentCode(in.Str("establishment")); to != "" && to != est.Code {
				return b.fleetCarMove(t, in, est, plate, to)
			}
			_, err := b.store.UpdateCar(t.Ctx, est.Code, plate, func(c *domain.Car) error { return applyCarForm(t, in, c) })
			if err != nil {
				return again(plate, err)
			}
			return b.fleetCar(t, plate, t.T("fleet.carform.saved"))
		}
		plate, err := domain.NormalizePlate(in.Str("newPlate"))
		if err != nil {
			return again("", err)
		}
		car := domain.Car{Plate: plate, Establishment: est.Code, Status: domain.CarAvailable, StatusSince: t.Now, CreatedAt: t.Now}
		if err := applyCarForm(t, in, &car); err != nil {
			return again("", err)
		}
		if err := b.store.CreateCar(t.Ctx, car); err != nil {
			return again("", err)
		}
		t.Log.Info("car added", "plate", plate, "establishment", est.Code)
		return b.fleetCar(t, plate, t.T("fleet.carform.created", plate))
	})
}

// fleetCarMove saves the edit form of a car whose establishment changed:
// the edits and the move happen together, or not at all. A refusal (a
// booking, the plate already there, a bad input) shows the form again with
// the reason, the car unchanged.
func (b *Bot) fleetCarMove(t *Turn, in Input, from domain.Establishment, plate, to string) (cards.Card, error) {
	if err := t.Principal.Require(domain.RoleFleetManager); err != nil {
		return cards.Card{}, err
	}
	again := func(err error) (cards.Card, error) {
		if e := domain.AsError(err); e != nil && e.Code == domain.ECONFLICT {
			t.Log.Info("move refused", "err", err)
			return b.fleetCarForm(t, plate, t.T(e.Key, e.Args...))
		}
		notice, err := refusal(t, err)
		if err != nil {
			return cards.Card{}, err
		}
		return b.fleetCarForm(t, plate, notice)
	}
	p, err := domain.NormalizePlate(plate)
	if err != nil {
		return cards.Card{}, err
	}
	target, err := b.store.Establishment(t.Ctx, to)
	if err != nil {
		return again(err)
	}
	m := domain.CarMove{Plate: p, From: from.Code, To: target.Code, By: t.Principal.UserID, At: t.Now}
	car, err := b.store.MoveCar(t.Ctx, m, func(c *domain.Car) error { return applyCarForm(t, in, c) })
	if err != nil {
		return again(err)
	}
	t.Log.Info("car moved", "plate", car.Plate, "from", from.Code, "to", target.Code)
	return cards.FleetCarMovedCard(t.Lang, car, from, target), nil
}

// fleetCarStatus sets a car's status with a note. When the car can no
// longer be used, the owners of its coming reservations are told.
func (b *Bot) fleetCarStatus(t *Turn, in Input) (cards.Card, error) {
	status, err := domain.ParseCarStatus(in.Str("newStatus"))
	if err != nil {
		return cards.Card{}, err
	}
	return b.withEstablishment(t, func(est domain.Establishment) (cards.Card, error) {
		car, err := b.store.UpdateCar(t.Ctx, est.Code, in.Str("car"), func(c *domain.Car) error {
			if c.Status != status {
				c.StatusSince = t.Now
			}
			c.Status, c.StatusNote = status, in.Str("statusNote")
			c.UpdatedAt, c.UpdatedBy = t.Now, t.Principal.UserID
			return nil
		})
		if err != nil {
			return cards.Card{}, err
		}
		t.Log.Info("car status set", "plate", car.Plate, "status", string(status))
		st, err := b.store.CarState(t.Ctx, est.Code, car.Plate)
		if err != nil {
			return cards.Card{}, err
		}
		var affected []domain.Reservation
		notified := 0
		for _, s := range st.Schedule.Slots {
			if !s.End.After(t.Now) {
				continue
			}
			r, err := b.store.Reservation(t.Ctx, est.Code, s.ReservationID)
			if err != nil || r.Status != domain.ReservationActive {
				continue
			}
			affected = append(affected, r)
			if status != domain.CarAvailable {
				notified += b.notifyAll(t.Ctx, []string{r.UserID}, func(l cards.Lang) cards.Card {
					return cards.FleetCarUnavailableCard(l, t.fleetTime(), car, r)
				})
			}
		}
		return cards.FleetStatusChangedCard(t.Lang, t.fleetTime(), car, affected, notified), nil
	})
}

// fleetMaintenance is a car's maintenance card.
func (b *Bot) fleetMaintenance(t *Turn, plate, notice string) (cards.Card, error) {
	return b.withEstablishment(t, func(est domain.Establishment) (cards.Card, error) {
		car, err := b.store.Car(t.Ctx, est.Code, plate)
		if err != nil {
			return cards.Card{}, err
		}
		all, err := b.store.ListMaintenance(t.Ctx, est.Code, t.Now.AddDate(-3, 0, 0), t.Now.AddDate(0, 0, 1))
		if err != nil {
			return cards.Card{}, err
		}
		var mine []domain.MaintenanceRecord
		for _, m := range all {
			if m.Plate == car.Plate {
				mine = append(mine, m)
			}
		}
		return cards.FleetMaintenanceCard(t.Lang, t.fleetTime(), car, mine, notice), nil
	})
}

// fleetMaintenanceAdd records maintenance, and the next deadline it sets.
func (b *Bot) fleetMaintenanceAdd(t *Turn, in Input) (cards.Card, error) {
	plate := in.Str("car")
	date, err := domain.LocalMidnight(in.Str("maintDate"), t.Location(), false)
	if err != nil {
		return cards.Card{}, err
	}
	cost, err := formCents(in, "maintCost")
	if err != nil {
		return cards.Card{}, err
	}
	odo, err := formInt(in, "maintOdometer")
	if err != nil {
		return cards.Card{}, err
	}
	next, err := formDeadline(t, in, "nextDue")
	if err != nil {
		return cards.Card{}, err
	}
	return b.withEstablishment(t, func(est domain.Establishment) (cards.Card, error) {
		m := domain.MaintenanceRecord{ID: domain.NewMaintenanceID(), Plate: plate, Establishment: est.Code,
			Kind: domain.MaintenanceKind(in.Str("maintKind")), Date: date, Odometer: odo, CostCents: cost,
			Supplier: in.Str("maintSupplier"), Note: in.Str("maintNote"), By: t.Principal.UserID, CreatedAt: t.Now}
		if err := b.store.AddMaintenance(t.Ctx, m); err != nil {
			return cards.Card{}, err
		}
		if odo > 0 || !next.IsZero() {
			if _, err := b.store.UpdateCar(t.Ctx, est.Code, plate, func(c *domain.Car) error {
				if odo > c.Odometer {
					c.Odometer = odo
				}
				if !next.IsZero() {
					switch m.Kind {
					case "inspection":
						c.Deadlines.InspectionDue = next
					case "insurance":
						c.Deadlines.InsuranceExpiry = next
					case "service":
						c.Deadlines.NextServiceDate = next
					}
				}
				return nil
			}); err != nil {
				return cards.Card{}, err
			}
		}
		t.Log.Info("maintenance recorded", "plate", plate, "kind", string(m.Kind))
		return b.fleetMaintenance(t, plate, t.T("fleet.maint.saved"))
	})
}
