package bot

import (
	"sort"
	"strings"
	"time"

	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
)

// whenOptions reads dates the way the user's language writes them.
func whenOptions(l cards.Lang) domain.WhenOptions {
	return domain.WhenOptions{MonthFirst: l == cards.EN}
}

// inputInterval reads the interval of a card action: the start and end of
// a button (RFC 3339), or the day, times and end day of the form.
func inputInterval(t *Turn, in Input) (domain.Interval, error) {
	if s, e := in.Str("start"), in.Str("end"); s != "" && e != "" {
		start, err1 := time.Parse(time.RFC3339, s)
		end, err2 := time.Parse(time.RFC3339, e)
		if err1 != nil || err2 != nil {
			return domain.Interval{}, domain.Errorf(domain.EINVALID, "err.invalid")
		}
		return domain.Interval{Start: start.UTC(), End: end.UTC()}, nil
	}
	day := in.Str("day")
	start, err := domain.ParseLocal(day, in.Str("from"), t.Location())
	if err != nil {
		return domain.Interval{}, err
	}
	endDay := in.Str("endDay")
	if endDay == "" {
		endDay = day
	}
	end, err := domain.ParseLocal(endDay, in.Str("to"), t.Location())
	if err != nil {
		return domain.Interval{}, err
	}
	if !end.After(start) {
		return domain.Interval{}, domain.Errorf(domain.EINVALID, "err.fleet.end_before_start")
	}
	return domain.Interval{Start: start, End: end}, nil
}

// formOf keeps what the user typed in the form, to show it again.
func formOf(in Input) cards.FleetForm {
	return cards.FleetForm{Day: in.Str("day"), EndDay: in.Str("endDay"), From: in.Str("from"), To: in.Str("to"), Purpose: in.Str("purpose")}
}

// refusal turns an input error into the notice shown above a form; any
// other error is returned for the error card.
func refusal(t *Turn, err error) (string, error) {
	if e := domain.AsError(err); e != nil && (e.Code == domain.EINVALID || e.Code == domain.ENOTFOUND) {
		t.Log.Info("refused input", "err", err)
		return t.T(e.Key, e.Args...), nil
	}
	return "", err
}

func (b *Bot) fleetSearchForm(t *Turn, f cards.FleetForm) (cards.Card, error) {
	return b.withEstablishment(t, func(domain.Establishment) (cards.Card, error) {
		if f.Day == "" {
			next := domain.CeilHalfHour(t.Now.Add(time.Minute)).In(t.Location())
			f.Day, f.From, f.To = next.Format("2006-01-02"), next.Format("15:04"), next.Add(2*time.Hour).Format("15:04")
		}
		return cards.FleetFormCard(t.Lang, t.fleetTime(), f), nil
	})
}

// fleetSearchText is "dispo <when>".
func (b *Bot) fleetSearchText(t *Turn, args string) (cards.Card, error) {
	if strings.TrimSpace(args) == "" {
		return b.fleetSearchForm(t, cards.FleetForm{})
	}
	iv, err := domain.ParseWhen(args, t.Now, t.Location(), whenOptions(t.Lang))
	if err != nil {
		notice, err := refusal(t, err)
		if err != nil {
			return cards.Card{}, err
		}
		return b.fleetSearchForm(t, cards.FleetForm{Notice: notice})
	}
	return b.availability(t, iv, 0, cards.FleetForm{})
}

// fleetSearch is the form's Chercher button and the paging buttons.
func (b *Bot) fleetSearch(t *Turn, in Input) (cards.Card, error) {
	iv, err := inputInterval(t, in)
	if err != nil {
		f := formOf(in)
		if f.Notice, err = refusal(t, err); err != nil {
			return cards.Card{}, err
		}
		return b.fleetSearchForm(t, f)
	}
	return b.availability(t, iv, atoiOr(in.Str("page"), 0), formOf(in))
}

// availability answers which cars of the user's establishment are free
// over iv: one read of the establishment's cars and schedules, whatever
// the history.
func (b *Bot) availability(t *Turn, iv domain.Interval, page int, f cards.FleetForm) (cards.Card, error) {
	return b.withEstablishment(t, func(est domain.Establishment) (cards.Card, error) {
		if err := domain.CheckBooking(iv, t.Now, b.fleet.opts.MaxBooking); err != nil {
			notice, err := refusal(t, err)
			if err != nil {
				return cards.Card{}, err
			}
			loc := t.Location()
			f.Notice, f.Day, f.From, f.To = notice, iv.Start.In(loc).Format("2006-01-02"), iv.Start.In(loc).Format("15:04"), iv.End.In(loc).Format("15:04")
			if iv.End.In(loc).Format("2006-01-02") != f.Day {
				f.EndDay = iv.End.In(loc).Format("2006-01-02")
			}
			return cards.FleetFormCard(t.Lang, t.fleetTime(), f), nil
		}
		fleet, err := b.store.Fleet(t.Ctx, est.Code)
		if err != nil {
			return cards.Card{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
		}
		free, busy := b.classify(t, fleet, iv, "")
		return cards.FleetAvailabilityCard(t.Lang, t.fleetTime(), cards.FleetFree{Interval: iv, Free: free, Busy: busy, Page: page}), nil
	})
}

// classify splits the fleet into the cars free over iv and the others with
// their reason. Retired cars and except are left out.
func (b *Bot) classify(t *Turn, fleet []domain.CarState, iv domain.Interval, except string) ([]domain.Car, []cards.BusyCar) {
	var free []domain.Car
	var busy []cards.BusyCar
	w := t.fleetTime()
	for _, st := range fleet {
		car := st.Car
		if car.Status == domain.CarRetired || car.Plate == except {
			continue
		}
		if err := car.Reservable(iv.Start, iv.End); err != nil {
			reason := t.T("fleet.status." + string(car.Status))
			if e := domain.AsError(err); e != nil && car.Status == domain.CarAvailable {
				reason = t.T(e.Key, e.Args...)
			}
			if car.StatusNote != "" && car.Status != domain.CarAvailable {
				reason += " – " + car.StatusNote
			}
			busy = append(busy, cards.BusyCar{Car: car, Reason: reason})
			continue
		}
		if cl := st.Schedule.Clashes(iv, ""); len(cl) > 0 {
			until := cl[len(cl)-1].End
			at := cards.FleetClock(t.Lang, until.In(w.Loc))
			if until.In(w.Loc).YearDay() != iv.Start.In(w.Loc).YearDay() {
				at = cards.FleetDay(t.Lang, until.In(w.Loc)) + " " + at
			}
			busy = append(busy, cards.BusyCar{Car: car, Reason: t.T("fleet.free.reserved_until", at)})
			continue
		}
		free = append(free, car)
	}
	sort.SliceStable(free, func(i, j int) bool { return free[i].Name() < free[j].Name() })
	return free, busy
}

// fleetReserveText is "réserver <plate> <when> [motif]".
func (b *Bot) fleetReserveText(t *Turn, args string) (cards.Card, error) {
	fields := strings.Fields(args)
	if len(fields) == 0 {
		return b.fleetSearchForm(t, cards.FleetForm{})
	}
	plate, err := domain.NormalizePlate(fields[0])
	if err != nil {
		return cards.Card{}, domain.Errorf(domain.EINVALID, "err.fleet.reserve.usage")
	}
	rest := fields[1:]
	if len(rest) == 0 {
		return b.fleetReserveForm(t, Input{Data: map[string]any{"car": plate}})
	}
	iv, purpose, err := parseWhenPrefix(t, rest)
	if err != nil {
		return cards.Card{}, err
	}
	return b.reserve(t, plate, iv, purpose)
}

// parseWhenPrefix reads the longest prefix of words that is a "when"; the
// words after it are the purpose.
func parseWhenPrefix(t *Turn, words []string) (domain.Interval, string, error) {
	var firstErr error
	for n := len(words); n > 0; n-- {
		iv, err := domain.ParseWhen(strings.Join(words[:n], " "), t.Now, t.Location(), whenOptions(t.Lang))
		if err == nil {
			return iv, strings.Join(words[n:], " "), nil
		}
		if e := domain.AsError(err); firstErr == nil && e != nil && e.Key != "err.fleet.when.syntax" {
			firstErr = err
		}
	}
	if firstErr != nil {
		return domain.Interval{}, "", firstErr
	}
	_, err := domain.ParseWhen(strings.Join(words, " "), t.Now, t.Location(), whenOptions(t.Lang))
	return domain.Interval{}, "", err
}

// fleetReserveForm asks when to book one car.
func (b *Bot) fleetReserveForm(t *Turn, in Input) (cards.Card, error) {
	return b.withEstablishment(t, func(est domain.Establishment) (cards.Card, error) {
		plate, err := domain.NormalizePlate(in.Str("car"))
		if err != nil {
			return cards.Card{}, err
		}
		car, err := b.store.Car(t.Ctx, est.Code, plate)
		if err != nil {
			return cards.Card{}, err
		}
		f := formOf(in)
		f.Car = &car
		if f.Day == "" {
			next := domain.CeilHalfHour(t.Now.Add(time.Minute)).In(t.Location())
			f.Day, f.From, f.To = next.Format("2006-01-02"), next.Format("15:04"), next.Add(2*time.Hour).Format("15:04")
		}
		return cards.FleetFormCard(t.Lang, t.fleetTime(), f), nil
	})
}

// fleetReserve is a Réserver button: on the availability answer (plate,
// start, end) or on the form to book one car (car and the form's inputs).
func (b *Bot) fleetReserve(t *Turn, in Input) (cards.Card, error) {
	plate := in.Str("plate")
	if plate == "" {
		plate = in.Str("car")
	}
	iv, err := inputInterval(t, in)
	if err != nil {
		if in.Str("car") != "" {
			f := formOf(in)
			if f.Notice, err = refusal(t, err); err != nil {
				return cards.Card{}, err
			}
			return b.reserveFormAgain(t, in.Str("car"), f)
		}
		return cards.Card{}, err
	}
	c, err := b.reserve(t, plate, iv, in.Str("purpose"))
	if err != nil && in.Str("car") != "" {
		f := formOf(in)
		if f.Notice, err = refusal(t, err); err != nil {
			return cards.Card{}, err
		}
		return b.reserveFormAgain(t, in.Str("car"), f)
	}
	return c, err
}

func (b *Bot) reserveFormAgain(t *Turn, plate string, f cards.FleetForm) (cards.Card, error) {
	return b.withEstablishment(t, func(est domain.Establishment) (cards.Card, error) {
		car, err := b.store.Car(t.Ctx, est.Code, plate)
		if err != nil {
			return cards.Card{}, err
		}
		f.Car = &car
		return cards.FleetFormCard(t.Lang, t.fleetTime(), f), nil
	})
}

// reserve books plate over iv for the user. A clash (someone else got the
// car first) answers with the other free cars and the car's next free slot.
func (b *Bot) reserve(t *Turn, plate string, iv domain.Interval, purpose string) (cards.Card, error) {
	if t.Principal.UserID == "" {
		return cards.Card{}, domain.Errorf(domain.EFORBIDDEN, "forbidden.no_user")
	}
	p, err := domain.NormalizePlate(plate)
	if err != nil {
		return cards.Card{}, err
	}
	return b.withEstablishment(t, func(est domain.Establishment) (cards.Card, error) {
		if err := domain.CheckBooking(iv, t.Now, b.fleet.opts.MaxBooking); err != nil {
			return cards.Card{}, err
		}
		r := domain.Reservation{ID: domain.NewReservationID(), Plate: p, Establishment: est.Code,
			UserID: t.Principal.UserID, UserName: t.Principal.Name, Start: iv.Start, End: iv.End,
			Purpose: strings.TrimSpace(purpose), Status: domain.ReservationActive, CreatedAt: t.Now}
		got, err := b.store.Reserve(t.Ctx, r, t.Now)
		if domain.IsConflict(err) {
			t.Log.Info("reservation clash", "plate", p)
			return b.clash(t, est, p, iv)
		}
		if err != nil {
			return cards.Card{}, err
		}
		t.Log.Info("car reserved", "plate", p, "reservation", got.ID)
		car, err := b.store.Car(t.Ctx, est.Code, p)
		if err != nil {
			return cards.Card{}, err
		}
		return cards.FleetReservedCard(t.Lang, t.fleetTime(), got, car), nil
	})
}

// clash builds the answer to a lost race.
func (b *Bot) clash(t *Turn, est domain.Establishment, plate string, iv domain.Interval) (cards.Card, error) {
	fleet, err := b.store.Fleet(t.Ctx, est.Code)
	if err != nil {
		return cards.Card{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	var car domain.Car
	var next domain.Interval
	for _, st := range fleet {
		if st.Car.Plate == plate {
			car = st.Car
			next = st.Schedule.NextFree(iv.Start, iv.Duration())
			if car.Reservable(next.Start, next.End) != nil {
				next = domain.Interval{}
			}
		}
	}
	free, _ := b.classify(t, fleet, iv, plate)
	return cards.FleetClashCard(t.Lang, t.fleetTime(), iv, car, free, next), nil
}

// myItems are the user's reservations still in their cars' schedules:
// current, coming, and ended without a hand-back.
func (b *Bot) myItems(t *Turn, est domain.Establishment) ([]cards.MineItem, error) {
	fleet, err := b.store.Fleet(t.Ctx, est.Code)
	if err != nil {
		return nil, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	var items []cards.MineItem
	for _, st := range fleet {
		for _, s := range st.Schedule.Slots {
			if s.UserID != t.Principal.UserID || t.Principal.UserID == "" || (s.HandedBack && !s.End.After(t.Now)) {
				continue
			}
			r, err := b.store.Reservation(t.Ctx, est.Code, s.ReservationID)
			if err != nil {
				if domain.IsNotFound(err) {
					continue
				}
				return nil, err
			}
			if r.Status != domain.ReservationActive || r.Handback != nil && !r.End.After(t.Now) {
				continue
			}
			items = append(items, cards.MineItem{Reservation: r, Car: st.Car})
		}
	}
	sort.Slice(items, func(i, j int) bool { return items[i].Reservation.Start.Before(items[j].Reservation.Start) })
	return items, nil
}

func (b *Bot) fleetMine(t *Turn, notice string) (cards.Card, error) {
	return b.withEstablishment(t, func(est domain.Establishment) (cards.Card, error) {
		items, err := b.myItems(t, est)
		if err != nil {
			return cards.Card{}, err
		}
		return cards.FleetMineCard(t.Lang, t.fleetTime(), items, notice), nil
	})
}

// fleetCancelText is "annuler réservation R-XXXXXXXX".
func (b *Bot) fleetCancelText(t *Turn, args string) (cards.Card, error) {
	id := domain.NormalizeReservationID(args)
	if id == "" {
		return cards.Card{}, domain.Errorf(domain.EINVALID, "err.fleet.reservation.ref")
	}
	return b.fleetCancel(t, id)
}

// fleetCancel cancels a reservation of its owner, or any for a fleet
// manager (the owner is then told).
func (b *Bot) fleetCancel(t *Turn, id string) (cards.Card, error) {
	id = domain.NormalizeReservationID(id)
	return b.withEstablishment(t, func(est domain.Establishment) (cards.Card, error) {
		if !domain.ValidReservationID(id) {
			return cards.Card{}, domain.Errorf(domain.ENOTFOUND, "err.fleet.reservation.unknown", id)
		}
		var car domain.Car
		r, err := b.store.UpdateReservation(t.Ctx, est.Code, id, func(c domain.ReservationChange) error {
			if err := c.Reservation.CanChange(t.Principal); err != nil {
				return err
			}
			if err := c.Reservation.Cancel(t.Principal.UserID, t.Now); err != nil {
				return err
			}
			c.Schedule.Remove(id)
			c.Schedule.Prune(t.Now)
			car = *c.Car
			return nil
		})
		if err != nil {
			return cards.Card{}, err
		}
		t.Log.Info("reservation cancelled", "reservation", id)
		if r.UserID != t.Principal.UserID {
			b.notifyAll(t.Ctx, []string{r.UserID}, func(l cards.Lang) cards.Card {
				return cards.FleetCancelledCard(l, t.fleetTime(), r, car)
			})
		}
		return b.fleetMine(t, t.T("fleet.cancelled.notice", id))
	})
}

// fleetShorten moves a reservation's end earlier.
func (b *Bot) fleetShorten(t *Turn, in Input) (cards.Card, error) {
	id := domain.NormalizeReservationID(in.Str("id"))
	field := in.Str("field")
	end, err := domain.ParseLocal(in.Str("shortenDay"+field), in.Str("shortenTime"+field), t.Location())
	if err != nil {
		return cards.Card{}, err
	}
	return b.withEstablishment(t, func(est domain.Establishment) (cards.Card, error) {
		r, err := b.store.UpdateReservation(t.Ctx, est.Code, id, func(c domain.ReservationChange) error {
			if err := c.Reservation.CanChange(t.Principal); err != nil {
				return err
			}
			if err := c.Reservation.Shorten(end, t.Now); err != nil {
				return err
			}
			c.Schedule.Remove(id)
			return c.Schedule.Insert(c.Reservation.Slot())
		})
		if err != nil {
			return cards.Card{}, err
		}
		return b.fleetMine(t, t.T("fleet.shortened", id, cards.FleetRange(t.Lang, t.fleetTime(), r.Interval())))
	})
}
