package cosmos

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/data/azcosmos"
	"github.com/anras/parc/domain"
)

// The fleet feature's container: "fleet", pk = the establishment code.
//
// Documents: "car:<plate>" (kind car), "schedule:<plate>" (kind
// car_schedule: the car's coming reservations), "reservation:<id>" and
// "maintenance:<id>", and "moved:<plate>" (kind car_moved, not exported:
// the tombstone of a car that moved away). Reserving is one transaction in
// the establishment's partition: read the schedule and the car, refuse an
// overlap, then create the reservation and replace the schedule in one
// batch guarded by the schedule's ETag. Two overlapping reservations both
// read the same schedule version, so only one batch can commit; the other
// runs again on the new schedule and finds the clash. Cancelling, shortening and handing back
// replace the reservation, the schedule (and the car) the same way. Moving
// a car to another establishment spans two partitions: fleet_move.go.
//
// Queries: the fleet of an establishment is one single-partition query on
// kind (cars and schedules, never the history); the reports filter the
// partition on data.start or data.date; FindCar is a cross-partition plain
// filter on data.plate (an admin's or a typed plate's rare lookup).

const (
	containerFleet = "fleet"

	kindCar         = domain.KindCar
	kindSchedule    = domain.KindSchedule
	kindReservation = domain.KindReservation
	kindMaintenance = domain.KindMaintenance
)

func fleetSpecs() []containerSpec {
	return []containerSpec{{name: containerFleet, indexed: []string{"/kind/?", "/data/plate/?", "/data/start/?", "/data/date/?"}}}
}

func (s *Store) fleet() *container { return s.containers[containerFleet] }

func (s *Store) fleetKinds() []portKind {
	c := s.fleet()
	return []portKind{
		{kind: kindCar, c: c, place: placeBy(func(v domain.Car) (string, string) { return v.Establishment, carID(v.Plate) })},
		{kind: kindSchedule, c: c, place: placeBy(func(v domain.CarSchedule) (string, string) { return v.Establishment, scheduleID(v.Plate) })},
		{kind: kindReservation, c: c, place: placeBy(func(v domain.Reservation) (string, string) { return v.Establishment, reservationID(v.ID) })},
		{kind: kindMaintenance, c: c, place: placeBy(func(v domain.MaintenanceRecord) (string, string) { return v.Establishment, maintenanceID(v.ID) })},
	}
}

// Document ids, from validated plates and references only.
func carID(plate string) string      { return "car:" + plate }
func scheduleID(plate string) string { return "schedule:" + plate }
func reservationID(id string) string { return "reservation:" + id }
func maintenanceID(id string) string { return "maintenance:" + id }
func queryTime(t time.Time) string {
	return t.UTC().Truncate(time.Second).Format("2006-01-02T15:04:05Z")
}
func fleetKindParam(k string) azcosmos.QueryParameter {
	return azcosmos.QueryParameter{Name: "@kind", Value: k}
}

// CreateCar creates the car and its empty schedule in one batch, after
// checking that no establishment has the plate.
func (s *Store) CreateCar(ctx context.Context, car domain.Car) error {
	if err := car.Validate(); err != nil {
		return err
	}
	if _, err := s.FindCar(ctx, car.Plate); err == nil {
		return domain.Errorf(domain.ECONFLICT, "err.fleet.car.exists", car.Plate)
	} else if !domain.IsNotFound(err) {
		return err
	}
	b := s.fleet().newBatch(car.Establishment)
	batchCreate(b, doc[domain.Car]{ID: carID(car.Plate), PK: car.Establishment, Kind: kindCar, Data: car})
	batchCreate(b, doc[domain.CarSchedule]{ID: scheduleID(car.Plate), PK: car.Establishment, Kind: kindSchedule,
		Data: domain.CarSchedule{Plate: car.Plate, Establishment: car.Establishment, Slots: []domain.Slot{}}})
	_, err := b.execute(ctx)
	if statusOf(err) == http.StatusConflict {
		return domain.Errorf(domain.ECONFLICT, "err.fleet.car.exists", car.Plate)
	}
	return err
}

// Car is a point read.
func (s *Store) Car(ctx context.Context, est, plate string) (domain.Car, error) {
	d, _, err := readDoc[domain.Car](ctx, s.fleet(), est, carID(plate))
	if domain.IsNotFound(err) {
		return domain.Car{}, domain.Errorf(domain.ENOTFOUND, "err.fleet.car.unknown", plate)
	}
	return d.Data, err
}

// FindCar is a cross-partition plain filter on the plate.
func (s *Store) FindCar(ctx context.Context, plate string) (domain.Car, error) {
	docs, err := queryAll[doc[domain.Car]](ctx, s.fleet(), "SELECT * FROM c WHERE c.kind = @kind AND c.data.plate = @plate",
		fleetKindParam(kindCar), azcosmos.QueryParameter{Name: "@plate", Value: plate})
	if err != nil {
		return domain.Car{}, err
	}
	if len(docs) == 0 {
		return domain.Car{}, domain.Errorf(domain.ENOTFOUND, "err.fleet.car.unknown", plate)
	}
	return docs[0].Data, nil
}

// UpdateCar is a read-modify-write guarded by the car's ETag.
func (s *Store) UpdateCar(ctx context.Context, est, plate string, fn func(*domain.Car) error) (domain.Car, error) {
	d, err := update(ctx, s.fleet(), est, carID(plate), kindCar, func(d *doc[domain.Car], found bool) error {
		if !found {
			return domain.Errorf(domain.ENOTFOUND, "err.fleet.car.unknown", plate)
		}
		if err := fn(&d.Data); err != nil {
			return err
		}
		d.Data.Plate, d.Data.Establishment = plate, est
		return d.Data.Validate()
	})
	return d.Data, err
}

// kindedDoc is a document whose data is decoded once its kind is known.
type kindedDoc struct {
	ID   string          `json:"id"`
	Kind string          `json:"kind"`
	Data json.RawMessage `json:"data"`
}

// Fleet reads the establishment's cars and schedules in one
// single-partition query.
func (s *Store) Fleet(ctx context.Context, est string) ([]domain.CarState, error) {
	docs, err := queryPartition[kindedDoc](ctx, s.fleet(), est,
		"SELECT c.id, c.kind, c.data FROM c WHERE c.kind = @car OR c.kind = @schedule",
		azcosmos.QueryParameter{Name: "@car", Value: kindCar}, azcosmos.QueryParameter{Name: "@schedule", Value: kindSchedule})
	if err != nil {
		return nil, err
	}
	cars := map[string]*domain.CarState{}
	schedules := map[string]domain.CarSchedule{}
	for _, d := range docs {
		switch d.Kind {
		case kindCar:
			var c domain.Car
			if err := json.Unmarshal(d.Data, &c); err != nil {
				return nil, fmt.Errorf("cosmos: decode %s: %w", d.ID, err)
			}
			cars[c.Plate] = &domain.CarState{Car: c}
		case kindSchedule:
			var sc domain.CarSchedule
			if err := json.Unmarshal(d.Data, &sc); err != nil {
				return nil, fmt.Errorf("cosmos: decode %s: %w", d.ID, err)
			}
			schedules[sc.Plate] = sc
		}
	}
	out := make([]domain.CarState, 0, len(cars))
	for plate, st := range cars {
		if sc, ok := schedules[plate]; ok {
			st.Schedule = sc
		} else {
			st.Schedule = domain.CarSchedule{Plate: plate, Establishment: est}
		}
		out = append(out, *st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Car.Plate < out[j].Car.Plate })
	return out, nil
}

// CarState reads the car and its schedule.
func (s *Store) CarState(ctx context.Context, est, plate string) (domain.CarState, error) {
	car, err := s.Car(ctx, est, plate)
	if err != nil {
		return domain.CarState{}, err
	}
	d, _, err := readDoc[domain.CarSchedule](ctx, s.fleet(), est, scheduleID(plate))
	if domain.IsNotFound(err) {
		return domain.CarState{Car: car, Schedule: domain.CarSchedule{Plate: plate, Establishment: est}}, nil
	}
	return domain.CarState{Car: car, Schedule: d.Data}, err
}

// Reserve is one transaction in the establishment's partition. A car that
// a move has copied here but not finished moving is refused
// ("err.fleet.car.moving"); Reserve first settles such a move when it has
// in fact ended (see settleMove), so that a move interrupted by a crash
// never blocks the car for good.
func (s *Store) Reserve(ctx context.Context, r domain.Reservation, now time.Time) (domain.Reservation, error) {
	if err := r.Validate(); err != nil {
		return r, err
	}
	out, err := s.reserve(ctx, r, now)
	if !isMoving(err) {
		return out, err
	}
	if _, serr := s.settleMove(ctx, r.Establishment, r.Plate, now, ""); serr != nil {
		s.log.Warn("fleet: cannot settle a car's move", "establishment", r.Establishment, "plate", r.Plate, "err", serr)
		return out, err
	}
	return s.reserve(ctx, r, now)
}

func (s *Store) reserve(ctx context.Context, r domain.Reservation, now time.Time) (domain.Reservation, error) {
	err := s.fleet().transact(ctx, r.Establishment, func(ctx context.Context, t *tx) error {
		// The schedule first: the batch is guarded by it, not by the car,
		// and a move deletes both in one batch. Read in this order, a car
		// found present cannot have left before the batch commits.
		sc, scFound, err := txRead[domain.CarSchedule](ctx, t, scheduleID(r.Plate))
		if err != nil {
			return err
		}
		car, found, err := txRead[domain.Car](ctx, t, carID(r.Plate))
		if err != nil {
			return err
		}
		if !found {
			return domain.Errorf(domain.ENOTFOUND, "err.fleet.car.unknown", r.Plate)
		}
		if err := car.Data.Reservable(r.Start, r.End); err != nil {
			return err
		}
		if !scFound {
			// A car without a schedule (an old import): nothing guards
			// the car against a move but the car itself, so the batch
			// rewrites it, guarded by its ETag.
			sc.Data = domain.CarSchedule{Plate: r.Plate, Establishment: r.Establishment}
			car.Kind = kindCar
			txPut(t, car)
		}
		if sc.Move != nil {
			return domain.Errorf(domain.ECONFLICT, "err.fleet.car.moving", r.Plate)
		}
		sc.Data.Prune(now)
		if err := sc.Data.Insert(r.Slot()); err != nil {
			return err
		}
		sc.Kind = kindSchedule
		txPut(t, doc[domain.Reservation]{ID: reservationID(r.ID), Kind: kindReservation, Data: r})
		txPut(t, sc)
		return nil
	})
	return r, err
}

// Reservation is a point read.
func (s *Store) Reservation(ctx context.Context, est, id string) (domain.Reservation, error) {
	if !domain.ValidReservationID(id) {
		return domain.Reservation{}, domain.Errorf(domain.ENOTFOUND, "err.fleet.reservation.unknown", id)
	}
	d, _, err := readDoc[domain.Reservation](ctx, s.fleet(), est, reservationID(id))
	if domain.IsNotFound(err) {
		return domain.Reservation{}, domain.Errorf(domain.ENOTFOUND, "err.fleet.reservation.unknown", id)
	}
	return d.Data, err
}

// UpdateReservation changes the reservation, its schedule and its car in
// one transaction.
func (s *Store) UpdateReservation(ctx context.Context, est, id string, fn func(domain.ReservationChange) error) (domain.Reservation, error) {
	if !domain.ValidReservationID(id) {
		return domain.Reservation{}, domain.Errorf(domain.ENOTFOUND, "err.fleet.reservation.unknown", id)
	}
	var out domain.Reservation
	err := s.fleet().transact(ctx, est, func(ctx context.Context, t *tx) error {
		rd, found, err := txRead[domain.Reservation](ctx, t, reservationID(id))
		if err != nil {
			return err
		}
		if !found {
			return domain.Errorf(domain.ENOTFOUND, "err.fleet.reservation.unknown", id)
		}
		// The schedule before the car, as in Reserve: a car that moved
		// away since is never written back a schedule here.
		sc, scFound, err := txRead[domain.CarSchedule](ctx, t, scheduleID(rd.Data.Plate))
		if err != nil {
			return err
		}
		car, found, err := txRead[domain.Car](ctx, t, carID(rd.Data.Plate))
		if err != nil {
			return err
		}
		if !found {
			return domain.Errorf(domain.ENOTFOUND, "err.fleet.car.unknown", rd.Data.Plate)
		}
		before, _ := json.Marshal(car.Data)
		if !scFound {
			sc.Data = domain.CarSchedule{Plate: rd.Data.Plate, Establishment: est}
		}
		r := rd.Data
		if err := fn(domain.ReservationChange{Reservation: &r, Car: &car.Data, Schedule: &sc.Data}); err != nil {
			return err
		}
		r.ID, r.Establishment = id, est
		if err := r.Validate(); err != nil {
			return err
		}
		if err := sc.Data.Validate(); err != nil {
			return err
		}
		// Without a schedule, only the car guards against a move (see
		// Reserve): it is rewritten even unchanged.
		if after, _ := json.Marshal(car.Data); !scFound || !bytes.Equal(before, after) {
			if err := car.Data.Validate(); err != nil {
				return err
			}
			car.Kind = kindCar
			txPut(t, car)
		}
		rd.Data, rd.Kind, sc.Kind = r, kindReservation, kindSchedule
		txPut(t, rd)
		txPut(t, sc)
		out = r
		return nil
	})
	return out, err
}

// ReservationsBetween filters the partition on data.start, sorted in Go.
func (s *Store) ReservationsBetween(ctx context.Context, est string, from, to time.Time) ([]domain.Reservation, error) {
	docs, err := queryPartition[doc[domain.Reservation]](ctx, s.fleet(), est,
		"SELECT * FROM c WHERE c.kind = @kind AND c.data.start >= @from AND c.data.start < @to",
		fleetKindParam(kindReservation), azcosmos.QueryParameter{Name: "@from", Value: queryTime(from)},
		azcosmos.QueryParameter{Name: "@to", Value: queryTime(to.Add(time.Second))})
	if err != nil {
		return nil, err
	}
	out := make([]domain.Reservation, 0, len(docs))
	for _, d := range docs {
		if r := d.Data; !r.Start.Before(from) && r.Start.Before(to) {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Start.Equal(out[j].Start) {
			return out[i].Start.Before(out[j].Start)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// AddMaintenance creates the record after checking the car.
func (s *Store) AddMaintenance(ctx context.Context, m domain.MaintenanceRecord) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if _, err := s.Car(ctx, m.Establishment, m.Plate); err != nil {
		return err
	}
	_, err := createDoc(ctx, s.fleet(), doc[domain.MaintenanceRecord]{ID: maintenanceID(m.ID), PK: m.Establishment, Kind: kindMaintenance, Data: m})
	return err
}

// ListMaintenance filters the partition on data.date, sorted in Go.
func (s *Store) ListMaintenance(ctx context.Context, est string, from, to time.Time) ([]domain.MaintenanceRecord, error) {
	docs, err := queryPartition[doc[domain.MaintenanceRecord]](ctx, s.fleet(), est,
		"SELECT * FROM c WHERE c.kind = @kind AND c.data.date >= @from AND c.data.date < @to",
		fleetKindParam(kindMaintenance), azcosmos.QueryParameter{Name: "@from", Value: queryTime(from)},
		azcosmos.QueryParameter{Name: "@to", Value: queryTime(to.Add(time.Second))})
	if err != nil {
		return nil, err
	}
	out := make([]domain.MaintenanceRecord, 0, len(docs))
	for _, d := range docs {
		if m := d.Data; !m.Date.Before(from) && m.Date.Before(to) {
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Date.Equal(out[j].Date) {
			return out[i].Date.Before(out[j].Date)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}
