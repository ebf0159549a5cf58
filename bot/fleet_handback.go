package bot

import (
	"strings"
	"time"

	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
	"github.com/infracloudio/msbotbuilder-go/schema"
)

// fleetHandbackText is "restituer": the hand-back form of the user's
// reservation that started last and has not been handed back.
func (b *Bot) fleetHandbackText(t *Turn, _ string) (cards.Card, error) {
	return b.withEstablishment(t, func(est domain.Establishment) (cards.Card, error) {
		items, err := b.myItems(t, est)
		if err != nil {
			return cards.Card{}, err
		}
		var pick *domain.Reservation
		for i := range items {
			r := &items[i].Reservation
			if !r.Start.After(t.Now) && r.Handback == nil && (pick == nil || r.Start.After(pick.Start)) {
				pick = r
			}
		}
		if pick == nil {
			return cards.Card{}, domain.Errorf(domain.EINVALID, "err.fleet.handback.none")
		}
		return b.fleetHandbackForm(t, pick.ID, "")
	})
}

// fleetHandbackForm shows the hand-back form of a reservation.
func (b *Bot) fleetHandbackForm(t *Turn, id, notice string) (cards.Card, error) {
	id = domain.NormalizeReservationID(id)
	return b.withEstablishment(t, func(est domain.Establishment) (cards.Card, error) {
		r, err := b.store.Reservation(t.Ctx, est.Code, id)
		if err != nil {
			return cards.Card{}, err
		}
		if err := r.CanChange(t.Principal); err != nil {
			return cards.Card{}, err
		}
		car, err := b.store.Car(t.Ctx, est.Code, r.Plate)
		if err != nil {
			return cards.Card{}, err
		}
		if r.Handback != nil {
			return cards.FleetHandedBackCard(t.Lang, t.fleetTime(), r, car, ""), nil
		}
		return cards.FleetHandbackFormCard(t.Lang, t.fleetTime(), r, car, notice), nil
	})
}

// expenseOf reads the expense inputs; ok is false when none was given.
func expenseOf(t *Turn, in Input) (domain.Expense, bool, error) {
	kind := in.Str("expenseKind")
	cents, err := formCents(in, "expenseAmount")
	if err != nil {
		return domain.Expense{}, false, err
	}
	if kind == "" && cents == 0 {
		return domain.Expense{}, false, nil
	}
	if kind == "" {
		kind = "other"
	}
	if cents == 0 {
		return domain.Expense{}, false, domain.Errorf(domain.EINVALID, "err.fleet.expense.no_amount")
	}
	e := domain.Expense{Kind: domain.ExpenseKind(kind), AmountCents: cents, ReceiptURL: in.Str("receiptUrl"), At: t.Now}
	return e, true, e.Validate()
}

// fleetHandback records the hand-back: odometer, fuel, damage (which sets
// the car to damaged and tells the fleet managers) and an expense.
func (b *Bot) fleetHandback(t *Turn, in Input) (cards.Card, error) {
	id := domain.NormalizeReservationID(in.Str("id"))
	again := func(err error) (cards.Card, error) {
		notice, err := refusal(t, err)
		if err != nil {
			return cards.Card{}, err
		}
		return b.fleetHandbackForm(t, id, notice)
	}
	odo, err := formInt(in, "odometer")
	if err != nil {
		return again(err)
	}
	if in.Str("odometer") == "" {
		return again(domain.Errorf(domain.EINVALID, "err.fleet.odometer.range"))
	}
	exp, hasExp, err := expenseOf(t, in)
	if err != nil {
		return again(err)
	}
	return b.withEstablishment(t, func(est domain.Establishment) (cards.Card, error) {
		var car domain.Car
		r, err := b.store.UpdateReservation(t.Ctx, est.Code, id, func(c domain.ReservationChange) error {
			if err := c.Reservation.CanChange(t.Principal); err != nil {
				return err
			}
			h := domain.Handback{By: t.Principal.UserID, Odometer: odo, Fuel: domain.FuelLevel(in.Str("fuel")), Damage: in.Str("damage")}
			if err := c.Reservation.HandBack(c.Car, h, t.Now); err != nil {
				return err
			}
			if hasExp {
				if err := c.Reservation.AddExpense(exp); err != nil {
					return err
				}
			}
			if i := c.Schedule.Find(id); i >= 0 {
				c.Schedule.Slots[i].HandedBack = true
			}
			c.Schedule.Prune(t.Now)
			car = *c.Car
			return nil
		})
		if err != nil {
			if domain.ErrorCodeOf(err) == domain.EINVALID {
				return again(err)
			}
			return cards.Card{}, err
		}
		t.Log.Info("car handed back", "reservation", id, "plate", r.Plate, "km", r.Handback.Km())
		if r.Handback.Damage != "" {
			if managers, err := b.fleetManagers(t.Ctx); err == nil {
				b.notifyAll(t.Ctx, managers, func(l cards.Lang) cards.Card {
					return cards.FleetStatusChangedCard(l, t.fleetTime(), car, nil, 0)
				})
			}
		}
		return cards.FleetHandedBackCard(t.Lang, t.fleetTime(), r, car, ""), nil
	})
}

// fleetExpense adds an expense to a reservation (after the hand-back too).
func (b *Bot) fleetExpense(t *Turn, in Input) (cards.Card, error) {
	id := domain.NormalizeReservationID(in.Str("id"))
	exp, ok, err := expenseOf(t, in)
	if err != nil {
		return cards.Card{}, err
	}
	if !ok {
		return cards.Card{}, domain.Errorf(domain.EINVALID, "err.fleet.expense.no_amount")
	}
	return b.withEstablishment(t, func(est domain.Establishment) (cards.Card, error) {
		var car domain.Car
		r, err := b.store.UpdateReservation(t.Ctx, est.Code, id, func(c domain.ReservationChange) error {
			if err := c.Reservation.CanChange(t.Principal); err != nil {
				return err
			}
			car = *c.Car
			return c.Reservation.AddExpense(exp)
		})
		if err != nil {
			return cards.Card{}, err
		}
		return cards.FleetHandedBackCard(t.Lang, t.fleetTime(), r, car, t.T("fleet.expense.added")), nil
	})
}

// Teams sends a file shared in a personal chat as an attachment of this
// type, whose content holds a downloadUrl; contentUrl is the file in the
// sender's OneDrive.
const teamsFileType = "application/vnd.microsoft.teams.file.download.info"

// receiptOf returns the name and link of the first file or picture of the
// activity.
func receiptOf(a schema.Activity) (name, link string, ok bool) {
	for _, att := range a.Attachments {
		ct := strings.ToLower(att.ContentType)
		if ct != teamsFileType && !strings.HasPrefix(ct, "image/") && ct != "application/pdf" {
			continue
		}
		name, link = att.Name, att.ContentURL
		if m, ok := att.Content.(map[string]any); ok {
			if u, _ := m["downloadUrl"].(string); u != "" && !domain.IsWebLink(link) {
				link = u
			}
		}
		if name == "" {
			name = "justificatif"
		}
		return name, link, true
	}
	return "", "", false
}

// pendingReceipt finds the user's latest expense without a receipt, in
// their reservations of the last 35 days.
func (b *Bot) pendingReceipt(t *Turn) (est domain.Establishment, id string, ok bool) {
	if t.Principal.UserID == "" {
		return est, "", false
	}
	est, ask, err := b.fleetEstablishment(t)
	if err != nil || ask != nil {
		return est, "", false
	}
	res, err := b.store.ReservationsBetween(t.Ctx, est.Code, t.Now.Add(-35*24*time.Hour), t.Now.Add(24*time.Hour))
	if err != nil {
		t.Log.Warn("pending receipts unavailable", "err", err)
		return est, "", false
	}
	var best *domain.Reservation
	for i := range res {
		r := &res[i]
		if r.UserID != t.Principal.UserID {
			continue
		}
		for _, e := range r.Expenses {
			if e.ReceiptURL == "" && (best == nil || r.Start.After(best.Start)) {
				best = r
			}
		}
	}
	if best == nil {
		return est, "", false
	}
	return est, best.ID, true
}

// fleetAcceptsReceipt: a file or picture sent while the user has an
// expense without a receipt is that receipt.
func (b *Bot) fleetAcceptsReceipt(t *Turn) bool {
	if _, _, ok := receiptOf(t.Activity); !ok {
		return false
	}
	_, _, ok := b.pendingReceipt(t)
	return ok
}

// fleetReceipt attaches the file to the latest expense without a receipt.
func (b *Bot) fleetReceipt(t *Turn) (cards.Card, error) {
	name, link, _ := receiptOf(t.Activity)
	est, id, ok := b.pendingReceipt(t)
	if !ok {
		return cards.Card{}, domain.Errorf(domain.EINVALID, "err.fleet.receipt.none")
	}
	if !domain.IsWebLink(link) {
		return cards.Card{}, domain.Errorf(domain.EINVALID, "err.fleet.receipt.link")
	}
	var car domain.Car
	r, err := b.store.UpdateReservation(t.Ctx, est.Code, id, func(c domain.ReservationChange) error {
		car = *c.Car
		for i := len(c.Reservation.Expenses) - 1; i >= 0; i-- {
			if c.Reservation.Expenses[i].ReceiptURL == "" {
				c.Reservation.Expenses[i].ReceiptURL, c.Reservation.Expenses[i].ReceiptName = link, cards.Plain(name, 120)
				return nil
			}
		}
		return domain.Errorf(domain.EINVALID, "err.fleet.receipt.none")
	})
	if err != nil {
		return cards.Card{}, err
	}
	t.Log.Info("receipt attached", "reservation", id)
	return cards.FleetReceiptCard(t.Lang, t.fleetTime(), r, car, name), nil
}
