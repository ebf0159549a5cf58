package cosmos

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/anras/parc/domain"
)

// Moving a car to another establishment changes its partition, and a
// transactional batch cannot span two. MoveCar is therefore four steps,
// each one batch or one guarded write, in an order that keeps exactly one
// bookable copy of the car at every instant, and that lets whatever
// happens between two steps (a lost race, a timeout, a crash) be settled
// later from what is stored rather than from what the failing call
// believed:
//
//  1. Read the car and its schedule in the source partition, with their
//     ETags, and check the rules (CarSchedule.Movable: nothing live).
//  2. In the target partition, one batch creates the moved car and its
//     empty schedule (409 if the plate is already there). The schedule's
//     envelope carries a hold {move id, source, since}: Reserve refuses a
//     held car, so the copy cannot take a booking while the original can.
//  3. In the source partition, one batch deletes the car and its
//     schedule, each guarded by the ETag of step 1, and writes the
//     tombstone "moved:<plate>" that names the move. A reservation that
//     came in since step 1 replaced the schedule, so the batch fails and
//     the move drops its copy and reports the reservation; a reservation
//     after the batch finds no car. That batch is where a move and a
//     reservation meet, and its ETag guard lets exactly one of them win.
//     The car's ETag guards an edit made meanwhile the same way (a move
//     never loses it).
//  4. In the target partition, the hold is removed: the car can be booked
//     there.
//
// When something fails:
//   - Step 2: nothing changed. A 409 is a car with that plate in the
//     target (ECONFLICT), or another move's unfinished copy, settled first
//     when it is stale. An ambiguous failure drops the copy in case it was
//     created all the same.
//   - Step 3: whether it was applied is read, not guessed (a timeout does
//     not say): settleMove finds the original still there (not applied:
//     drop the copy, refuse the move) or gone with this move's tombstone
//     (applied: release the hold; the move succeeded).
//   - Step 4, or the process dying between two steps: the copy keeps its
//     hold and cannot be booked. The next reservation attempt on it settles
//     the move (settleMove): the original gone with this move's tombstone,
//     the hold is released; another move's tombstone, this copy lost and
//     is dropped; the original still there after moveGrace (far longer
//     than a move may last, moveDeadline), the move died before step 3 and
//     the copy is dropped. Moving a car that is itself held settles first.
//
// So a car is never bookable in two establishments and never lost: the
// original is deleted only by step 3, once the copy exists, and a copy is
// dropped only when the original is known to be there, or known to have
// gone elsewhere. For the milliseconds between steps 2 and 4 the car shows
// in both establishments' lists, the copy refusing bookings with
// "err.fleet.car.moving" (an export taken then carries both).

const (
	// kindCarMoved is the tombstone a move leaves where the car was: which
	// move deleted it, and where it went. It is not exported.
	kindCarMoved = "car_moved"
	// moveDeadline bounds the steps of a move; moveGrace is how old a hold
	// whose original is still there must be before anyone but its own move
	// drops the copy. The gap between the two is the safety margin.
	moveDeadline = 30 * time.Second
	moveGrace    = 5 * time.Minute
)

// moveHold marks the schedule of a car that a move copied into this
// partition and has not finished moving.
type moveHold struct {
	ID    string    `json:"id"`
	From  string    `json:"from"` // the partition the car comes from
	Since time.Time `json:"since"`
}

// carMoved is the tombstone of a car that left a partition.
type carMoved struct {
	Plate string    `json:"plate"`
	To    string    `json:"to"`
	Move  string    `json:"move"`
	At    time.Time `json:"at"`
}

func movedID(plate string) string { return "moved:" + plate }

func newMoveID() string { return domain.NewCalendarToken()[:16] }

// moveOrigin is what step 1 read.
type moveOrigin struct {
	car              domain.Car
	carTag, schedTag azcore.ETag
}

// MoveCar moves a car to another partition in the four steps above.
func (s *Store) MoveCar(ctx context.Context, m domain.CarMove, fn func(*domain.Car) error) (domain.Car, error) {
	if err := m.Validate(); err != nil {
		return domain.Car{}, err
	}
	if _, err := s.Establishment(ctx, m.To); err != nil {
		return domain.Car{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, moveDeadline)
	defer cancel()
	origin, err := s.readOrigin(ctx, m)
	if err != nil {
		return domain.Car{}, err
	}
	car := origin.car
	if fn != nil {
		if err := fn(&car); err != nil {
			return domain.Car{}, err
		}
	}
	car.Plate = m.Plate
	car = m.Apply(car)
	if err := car.Validate(); err != nil {
		return domain.Car{}, err
	}
	hold := moveHold{ID: newMoveID(), From: m.From, Since: m.At}
	if err := s.createCopy(ctx, car, hold); err != nil {
		return domain.Car{}, err
	}
	if err := s.deleteOrigin(ctx, m, origin, hold.ID); err != nil {
		// This context may be what failed: settle with a fresh one.
		sctx, scancel := context.WithTimeout(context.WithoutCancel(ctx), moveDeadline)
		defer scancel()
		moved, serr := s.settleMove(sctx, m.To, m.Plate, m.At, hold.ID)
		if serr != nil {
			s.log.Error("fleet: a failed move left its copy held; the next booking attempt settles it",
				"plate", m.Plate, "from", m.From, "to", m.To, "err", err, "settle", serr)
			return domain.Car{}, err
		}
		if !moved {
			return domain.Car{}, s.moveRefused(sctx, m, err)
		}
		return car, nil
	}
	if err := s.releaseHold(ctx, m.To, m.Plate, hold.ID); err != nil {
		s.log.Warn("fleet: car moved, its hold stays until the next booking attempt settles it",
			"plate", m.Plate, "to", m.To, "err", err)
	}
	return car, nil
}

// readOrigin is step 1. A car without a schedule (an old import) gets an
// empty one first, so that step 3 can guard it; a car that is itself held
// by an unfinished move is settled first.
func (s *Store) readOrigin(ctx context.Context, m domain.CarMove) (moveOrigin, error) {
	c := s.fleet()
	settled := false
	for range 3 {
		car, carTag, err := readDoc[domain.Car](ctx, c, m.From, carID(m.Plate))
		if domain.IsNotFound(err) {
			return moveOrigin{}, domain.Errorf(domain.ENOTFOUND, "err.fleet.car.unknown", m.Plate)
		}
		if err != nil {
			return moveOrigin{}, err
		}
		sc, schedTag, err := readDoc[domain.CarSchedule](ctx, c, m.From, scheduleID(m.Plate))
		if domain.IsNotFound(err) {
			if err := s.ensureSchedule(ctx, m.From, m.Plate); err != nil {
				return moveOrigin{}, err
			}
			continue
		}
		if err != nil {
			return moveOrigin{}, err
		}
		if sc.Move != nil {
			if settled {
				return moveOrigin{}, domain.Errorf(domain.ECONFLICT, "err.fleet.car.moving", m.Plate)
			}
			if _, err := s.settleMove(ctx, m.From, m.Plate, m.At, ""); err != nil {
				return moveOrigin{}, err
			}
			settled = true
			continue
		}
		if err := sc.Data.Movable(m.At); err != nil {
			return moveOrigin{}, err
		}
		return moveOrigin{car: car.Data, carTag: carTag, schedTag: schedTag}, nil
	}
	return moveOrigin{}, domain.Errorf(domain.ECONFLICT, "err.conflict")
}

// ensureSchedule gives a car without a schedule (an old import) its empty
// one, in a batch that rewrites the car guarded by its ETag: never a
// schedule for a car that has just left.
func (s *Store) ensureSchedule(ctx context.Context, est, plate string) error {
	return s.fleet().transact(ctx, est, func(ctx context.Context, t *tx) error {
		car, found, err := txRead[domain.Car](ctx, t, carID(plate))
		if err != nil {
			return err
		}
		if !found {
			return domain.Errorf(domain.ENOTFOUND, "err.fleet.car.unknown", plate)
		}
		_, found, err = txRead[domain.CarSchedule](ctx, t, scheduleID(plate))
		if err != nil || found {
			return err
		}
		car.Kind = kindCar
		txPut(t, car)
		txPut(t, doc[domain.CarSchedule]{ID: scheduleID(plate), Kind: kindSchedule,
			Data: domain.CarSchedule{Plate: plate, Establishment: est, Slots: []domain.Slot{}}})
		return nil
	})
}

// createCopy is step 2.
func (s *Store) createCopy(ctx context.Context, car domain.Car, hold moveHold) error {
	c, est, plate := s.fleet(), car.Establishment, car.Plate
	for attempt := 0; ; attempt++ {
		b := c.newBatch(est)
		batchCreate(b, doc[domain.Car]{ID: carID(plate), PK: est, Kind: kindCar, Data: car})
		batchCreate(b, doc[domain.CarSchedule]{ID: scheduleID(plate), PK: est, Kind: kindSchedule,
			Data: domain.CarSchedule{Plate: plate, Establishment: est, Slots: []domain.Slot{}}, Move: &hold})
		_, err := b.execute(ctx)
		if err == nil {
			return nil
		}
		if statusOf(err) != http.StatusConflict {
			// Perhaps applied all the same (a timeout): drop it if so.
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), moveDeadline)
			derr := s.dropCopy(dctx, est, plate, hold.ID)
			cancel()
			if derr != nil {
				s.log.Error("fleet: a failed move may have left its copy held; the next booking attempt settles it",
					"plate", plate, "to", est, "err", err, "drop", derr)
			}
			return err
		}
		sc, _, rerr := readDoc[domain.CarSchedule](ctx, c, est, scheduleID(plate))
		if rerr != nil || sc.Move == nil {
			return domain.Errorf(domain.ECONFLICT, "err.fleet.move.exists", plate, est)
		}
		// Another move's copy, unfinished: settle it once (it may be stale).
		if attempt > 0 {
			return domain.Errorf(domain.ECONFLICT, "err.fleet.car.moving", plate)
		}
		if _, err := s.settleMove(ctx, est, plate, hold.Since, ""); err != nil {
			return err
		}
	}
}

// deleteOrigin is step 3.
func (s *Store) deleteOrigin(ctx context.Context, m domain.CarMove, o moveOrigin, moveID string) error {
	b := s.fleet().newBatch(m.From)
	b.delete(carID(m.Plate), &o.carTag)
	b.delete(scheduleID(m.Plate), &o.schedTag)
	batchUpsert(b, doc[carMoved]{ID: movedID(m.Plate), PK: m.From, Kind: kindCarMoved,
		Data: carMoved{Plate: m.Plate, To: m.To, Move: moveID, At: m.At}})
	_, err := b.execute(ctx)
	return err
}

// moveRefused says why step 3 lost: the reservation that came in, or
// another change of the car.
func (s *Store) moveRefused(ctx context.Context, m domain.CarMove, cause error) error {
	if sc, _, err := readDoc[domain.CarSchedule](ctx, s.fleet(), m.From, scheduleID(m.Plate)); err == nil {
		if err := sc.Data.Movable(m.At); err != nil {
			return err
		}
	}
	if domain.IsConflict(cause) || domain.IsNotFound(cause) {
		return domain.Wrap(cause, domain.ECONFLICT, "err.conflict")
	}
	return cause
}

// settleMove ends the unfinished move whose copy is in est, from what is
// stored, and reports whether the car is bookable in est (true when
// nothing is held there). mine is the caller's own move, which is over and
// needs no grace; "" for anyone else. It never drops a copy whose original
// may be gone, nor releases one whose original may still be bookable.
func (s *Store) settleMove(ctx context.Context, est, plate string, now time.Time, mine string) (bool, error) {
	c := s.fleet()
	sc, _, err := readDoc[domain.CarSchedule](ctx, c, est, scheduleID(plate))
	if domain.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	h := sc.Move
	if h == nil {
		return true, nil
	}
	_, _, err = readDoc[domain.Car](ctx, c, h.From, carID(plate))
	switch {
	case err == nil:
		// The original is still there: its move has not reached step 3
		// (in flight), or never will (it lost, or died).
		if h.ID != mine && now.Sub(h.Since) < moveGrace {
			return false, nil
		}
		return false, s.dropCopy(ctx, est, plate, h.ID)
	case !domain.IsNotFound(err):
		return false, err
	}
	tomb, _, err := readDoc[carMoved](ctx, c, h.From, movedID(plate))
	switch {
	case err != nil:
		return false, fmt.Errorf("cosmos: the car %s left %s without a tombstone; its copy in %s stays held: %w", plate, h.From, est, err)
	case tomb.Data.Move == h.ID:
		return true, s.releaseHold(ctx, est, plate, h.ID)
	}
	// Another move took the car from h.From: this copy lost the race.
	return false, s.dropCopy(ctx, est, plate, h.ID)
}

// dropCopy deletes the car and schedule a move created in est, if they are
// still that move's held copy.
func (s *Store) dropCopy(ctx context.Context, est, plate, moveID string) error {
	return s.fleet().transact(ctx, est, func(ctx context.Context, t *tx) error {
		sc, found, err := txRead[domain.CarSchedule](ctx, t, scheduleID(plate))
		if err != nil || !found || sc.Move == nil || sc.Move.ID != moveID {
			return err
		}
		_, found, err = txRead[domain.Car](ctx, t, carID(plate))
		if err != nil {
			return err
		}
		if found {
			t.delete(carID(plate))
		}
		t.delete(scheduleID(plate))
		return nil
	})
}

// releaseHold is step 4: the copy becomes the car, bookable.
func (s *Store) releaseHold(ctx context.Context, est, plate, moveID string) error {
	return s.fleet().transact(ctx, est, func(ctx context.Context, t *tx) error {
		sc, found, err := txRead[domain.CarSchedule](ctx, t, scheduleID(plate))
		if err != nil || !found || sc.Move == nil || sc.Move.ID != moveID {
			return err
		}
		sc.Move = nil
		txPut(t, sc)
		return nil
	})
}

// isMoving reports whether err is the refusal of a held car.
func isMoving(err error) bool {
	e := domain.AsError(err)
	return e != nil && e.Key == "err.fleet.car.moving"
}
