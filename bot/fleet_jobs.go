package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
)

// fleetReminders runs every minute: it reminds drivers, in their personal
// chat, before a reservation starts, and after it ended without a
// hand-back. Once makes each reminder go out once, whatever the replicas.
func (b *Bot) fleetReminders(ctx context.Context, now time.Time) error {
	ests, err := b.store.ListEstablishments(ctx)
	if err != nil {
		return err
	}
	w := cards.FleetTime{Now: now, Loc: b.cfg.Location}
	var errs []error
	for _, est := range ests {
		fleet, err := b.store.Fleet(ctx, est.Code)
		if err != nil {
			errs = append(errs, fmt.Errorf("fleet of %s: %w", est.Code, err))
			continue
		}
		for _, st := range fleet {
			for _, s := range st.Schedule.Slots {
				if err := b.remindSlot(ctx, w, est, st.Car, s); err != nil {
					errs = append(errs, err)
				}
			}
		}
	}
	return errors.Join(errs...)
}

func (b *Bot) remindSlot(ctx context.Context, w cards.FleetTime, est domain.Establishment, car domain.Car, s domain.Slot) error {
	now, o := w.Now, b.fleet.opts
	var key string
	var build func(l cards.Lang, r domain.Reservation) cards.Card
	switch {
	case s.Start.After(now) && s.Start.Sub(now) <= o.StartReminder:
		key = "fleet-start|" + s.ReservationID
		build = func(l cards.Lang, r domain.Reservation) cards.Card { return cards.FleetStartReminderCard(l, w, r, car) }
	case !s.HandedBack && !s.End.After(now.Add(-o.ReturnReminder)) && now.Sub(s.End) < 7*24*time.Hour:
		key = "fleet-return|" + s.ReservationID
		build = func(l cards.Lang, r domain.Reservation) cards.Card {
			return cards.FleetReturnReminderCard(l, w, r, car)
		}
	default:
		return nil
	}
	r, err := b.store.Reservation(ctx, est.Code, s.ReservationID)
	if err != nil {
		return err
	}
	if r.Status != domain.ReservationActive || (key[:11] == "fleet-start" && r.CreatedAt.After(r.Start.Add(-o.StartReminder))) {
		return nil // cancelled, or booked at the last minute: nothing to remind
	}
	first, err := Once(ctx, b.store, key, now, 30*24*time.Hour)
	if err != nil || !first {
		return err
	}
	if b.notifyAll(ctx, []string{r.UserID}, func(l cards.Lang) cards.Card { return build(l, r) }) == 0 {
		return fmt.Errorf("reminder %s not sent", key)
	}
	b.log.Info("fleet reminder sent", "kind", key[:12], "reservation", r.ID)
	return nil
}

// deadlineStage is which reminder a deadline is due for: 30 and 7 days
// before, then when it has passed.
func deadlineStage(d domain.Deadline, now time.Time, loc *time.Location) string {
	if d.Kind == domain.DeadlineServiceKm {
		return fmt.Sprintf("km%d", d.Km)
	}
	switch days := d.DaysLeft(now, loc); {
	case days <= 0:
		return "passed"
	case days <= 7:
		return "7"
	case days <= 30:
		return "30"
	}
	return ""
}

// fleetDeadlineReminders runs every hour and tells the fleet managers, in
// personal chat, about the deadlines (insurance, technical inspection,
// service) that come within 30 and 7 days, or have passed; each stage of
// each deadline once.
func (b *Bot) fleetDeadlineReminders(ctx context.Context, now time.Time) error {
	managers, err := b.fleetManagers(ctx)
	if err != nil || len(managers) == 0 {
		return err
	}
	ests, err := b.store.ListEstablishments(ctx)
	if err != nil {
		return err
	}
	loc := b.cfg.Location
	w := cards.FleetTime{Now: now, Loc: loc}
	for _, est := range ests {
		fleet, err := b.store.Fleet(ctx, est.Code)
		if err != nil {
			return err
		}
		cars := make([]domain.Car, 0, len(fleet))
		for _, st := range fleet {
			cars = append(cars, st.Car)
		}
		var due []domain.Deadline
		for _, d := range domain.UpcomingDeadlines(cars, now, 31*24*time.Hour) {
			stage := deadlineStage(d, now, loc)
			if stage == "" {
				continue
			}
			key := fmt.Sprintf("fleet-deadline|%s|%s|%s|%s", d.Plate, d.Kind, d.Date.UTC().Format("20060102"), stage)
			first, err := Once(ctx, b.store, key, now, 400*24*time.Hour)
			if err != nil {
				return err
			}
			if first {
				due = append(due, d)
			}
		}
		if len(due) > 0 {
			n := b.notifyAll(ctx, managers, func(l cards.Lang) cards.Card { return cards.FleetDeadlineReminderCard(l, w, est.Name, due) })
			b.log.Info("fleet deadlines reminded", "establishment", est.Code, "deadlines", len(due), "managers", n)
		}
	}
	return nil
}
