package bolt

import (
	"bytes"
	"context"
	"encoding/json"
	"time"

	"github.com/anras/parc/domain"
	bbolt "go.etcd.io/bbolt"
)

// The fleet feature's buckets and exported kinds.
//
// Cars and schedules are keyed "<establishment>|<plate>", so that an
// establishment's fleet is one prefix scan and a car one point read.
// Reservations and maintenance records are keyed by id; the index
// fleet_res_by_start ("<establishment>|<start>|<id>") serves the reports
// without reading the whole history, and is rebuilt from the reservations
// on import (it is never exported). One bbolt transaction covers a
// reservation, its car and its schedule: bbolt runs writers one at a time,
// so two overlapping reservations can never both commit.

const (
	bucketCars         = "fleet_cars"
	bucketSchedules    = "fleet_schedules"
	bucketReservations = "fleet_reservations"
	bucketMaintenance  = "fleet_maintenance"
	bucketResByStart   = "fleet_res_by_start"
)

var fleetBuckets = []string{bucketCars, bucketSchedules, bucketReservations, bucketMaintenance, bucketResByStart}

func fleetKinds() []kindSpec {
	return []kindSpec{
		{kind: domain.KindCar, bucket: bucketCars, key: decodeKey(func(c domain.Car) string { return carKey(c.Establishment, c.Plate) })},
		{kind: domain.KindSchedule, bucket: bucketSchedules, key: decodeKey(func(s domain.CarSchedule) string { return carKey(s.Establishment, s.Plate) })},
		{kind: domain.KindReservation, bucket: bucketReservations, key: decodeKey(func(r domain.Reservation) string { return r.ID }),
			put: func(tx *bbolt.Tx, key string, data []byte) error {
				var r domain.Reservation
				if err := json.Unmarshal(data, &r); err != nil {
					return err
				}
				if err := tx.Bucket([]byte(bucketReservations)).Put([]byte(key), data); err != nil {
					return err
				}
				return indexReservation(tx, r)
			}},
		{kind: domain.KindMaintenance, bucket: bucketMaintenance, key: decodeKey(func(m domain.MaintenanceRecord) string { return m.ID })},
	}
}

func carKey(est, plate string) string { return est + "|" + plate }

const startKeyLayout = "2006-01-02T15:04Z"

func resStartKey(est string, start time.Time, id string) []byte {
	return []byte(est + "|" + start.UTC().Format(startKeyLayout) + "|" + id)
}

func indexReservation(tx *bbolt.Tx, r domain.Reservation) error {
	return tx.Bucket([]byte(bucketResByStart)).Put(resStartKey(r.Establishment, r.Start, r.ID), nil)
}

// CreateCar stores a new car and its empty schedule.
func (s *Store) CreateCar(ctx context.Context, c domain.Car) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.update(ctx, func(tx *bbolt.Tx) error {
		if _, err := findCar(tx, c.Plate); err == nil {
			return domain.Errorf(domain.ECONFLICT, "err.fleet.car.exists", c.Plate)
		}
		key := carKey(c.Establishment, c.Plate)
		if err := put(tx, bucketCars, key, c); err != nil {
			return err
		}
		return put(tx, bucketSchedules, key, domain.CarSchedule{Plate: c.Plate, Establishment: c.Establishment, Slots: []domain.Slot{}})
	})
}

func getCar(tx *bbolt.Tx, est, plate string) (domain.Car, error) {
	var c domain.Car
	if err := get(tx, bucketCars, carKey(est, plate), &c); err != nil {
		if domain.IsNotFound(err) {
			return c, domain.Errorf(domain.ENOTFOUND, "err.fleet.car.unknown", plate)
		}
		return c, err
	}
	return c, nil
}

func getSchedule(tx *bbolt.Tx, est, plate string) (domain.CarSchedule, error) {
	var sc domain.CarSchedule
	err := get(tx, bucketSchedules, carKey(est, plate), &sc)
	if domain.IsNotFound(err) {
		return domain.CarSchedule{Plate: plate, Establishment: est}, nil
	}
	return sc, err
}

// findCar looks for a plate in every establishment (a rare, admin-sized
// scan of the cars).
func findCar(tx *bbolt.Tx, plate string) (domain.Car, error) {
	suffix := []byte("|" + plate)
	var out domain.Car
	found := false
	err := tx.Bucket([]byte(bucketCars)).ForEach(func(k, v []byte) error {
		if found || !bytes.HasSuffix(k, suffix) {
			return nil
		}
		found = true
		return json.Unmarshal(v, &out)
	})
	if err == nil && !found {
		err = domain.Errorf(domain.ENOTFOUND, "err.fleet.car.unknown", plate)
	}
	return out, err
}

// Car returns one car of the establishment.
func (s *Store) Car(ctx context.Context, est, plate string) (domain.Car, error) {
	var c domain.Car
	err := s.view(ctx, func(tx *bbolt.Tx) (err error) { c, err = getCar(tx, est, plate); return })
	return c, err
}

// FindCar returns the car with that plate, whatever its establishment.
func (s *Store) FindCar(ctx context.Context, plate string) (domain.Car, error) {
	var c domain.Car
	err := s.view(ctx, func(tx *bbolt.Tx) (err error) { c, err = findCar(tx, plate); return })
	return c, err
}

// UpdateCar applies fn in one transaction.
func (s *Store) UpdateCar(ctx context.Context, est, plate string, fn func(*domain.Car) error) (domain.Car, error) {
	var out domain.Car
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		c, err := getCar(tx, est, plate)
		if err != nil {
			return err
		}
		if err := fn(&c); err != nil {
			return err
		}
		c.Plate, c.Establishment = plate, est
		if err := c.Validate(); err != nil {
			return err
		}
		out = c
		return put(tx, bucketCars, carKey(est, plate), c)
	})
	return out, err
}

// Fleet scans the establishment's cars and reads each schedule.
func (s *Store) Fleet(ctx context.Context, est string) ([]domain.CarState, error) {
	var out []domain.CarState
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		prefix := []byte(est + "|")
		cur := tx.Bucket([]byte(bucketCars)).Cursor()
		sched := tx.Bucket([]byte(bucketSchedules))
		for k, v := cur.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = cur.Next() {
			var st domain.CarState
			if err := json.Unmarshal(v, &st.Car); err != nil {
				return err
			}
			if raw := sched.Get(k); raw != nil {
				if err := json.Unmarshal(raw, &st.Schedule); err != nil {
					return err
				}
			} else {
				st.Schedule = domain.CarSchedule{Plate: st.Car.Plate, Establishment: est}
			}
			out = append(out, st)
		}
		return nil
	})
	return out, err
}

// CarState reads one car and its schedule.
func (s *Store) CarState(ctx context.Context, est, plate string) (domain.CarState, error) {
	var st domain.CarState
	err := s.view(ctx, func(tx *bbolt.Tx) (err error) {
		if st.Car, err = getCar(tx, est, plate); err != nil {
			return err
		}
		st.Schedule, err = getSchedule(tx, est, plate)
		return err
	})
	return st, err
}

// Reserve checks the car and its schedule and stores the reservation, in
// one transaction.
func (s *Store) Reserve(ctx context.Context, r domain.Reservation, now time.Time) (domain.Reservation, error) {
	if err := r.Validate(); err != nil {
		return r, err
	}
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		if tx.Bucket([]byte(bucketReservations)).Get([]byte(r.ID)) != nil {
			return domain.Errorf(domain.ECONFLICT, "err.conflict")
		}
		car, err := getCar(tx, r.Establishment, r.Plate)
		if err != nil {
			return err
		}
		if err := car.Reservable(r.Start, r.End); err != nil {
			return err
		}
		sc, err := getSchedule(tx, r.Establishment, r.Plate)
		if err != nil {
			return err
		}
		sc.Prune(now)
		if err := sc.Insert(r.Slot()); err != nil {
			return err
		}
		if err := put(tx, bucketReservations, r.ID, r); err != nil {
			return err
		}
		if err := indexReservation(tx, r); err != nil {
			return err
		}
		return put(tx, bucketSchedules, carKey(r.Establishment, r.Plate), sc)
	})
	return r, err
}

func getReservation(tx *bbolt.Tx, est, id string) (domain.Reservation, error) {
	var r domain.Reservation
	err := get(tx, bucketReservations, id, &r)
	if domain.IsNotFound(err) || (err == nil && r.Establishment != est) {
		return domain.Reservation{}, domain.Errorf(domain.ENOTFOUND, "err.fleet.reservation.unknown", id)
	}
	return r, err
}

// Reservation reads one reservation of the establishment.
func (s *Store) Reservation(ctx context.Context, est, id string) (domain.Reservation, error) {
	var r domain.Reservation
	err := s.view(ctx, func(tx *bbolt.Tx) (err error) { r, err = getReservation(tx, est, id); return })
	return r, err
}

// UpdateReservation changes a reservation, its car and its schedule in one
// transaction.
func (s *Store) UpdateReservation(ctx context.Context, est, id string, fn func(domain.ReservationChange) error) (domain.Reservation, error) {
	var out domain.Reservation
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		r, err := getReservation(tx, est, id)
		if err != nil {
			return err
		}
		car, err := getCar(tx, est, r.Plate)
		if err != nil {
			return err
		}
		before, _ := json.Marshal(car)
		sc, err := getSchedule(tx, est, r.Plate)
		if err != nil {
			return err
		}
		if err := fn(domain.ReservationChange{Reservation: &r, Car: &car, Schedule: &sc}); err != nil {
			return err
		}
		r.ID, r.Establishment = id, est
		if err := r.Validate(); err != nil {
			return err
		}
		if err := sc.Validate(); err != nil {
			return err
		}
		if after, _ := json.Marshal(car); !bytes.Equal(before, after) {
			if err := car.Validate(); err != nil {
				return err
			}
			if err := put(tx, bucketCars, carKey(est, car.Plate), car); err != nil {
				return err
			}
		}
		out = r
		if err := put(tx, bucketReservations, id, r); err != nil {
			return err
		}
		return put(tx, bucketSchedules, carKey(est, r.Plate), sc)
	})
	return out, err
}

// ReservationsBetween walks the start index of the establishment.
func (s *Store) ReservationsBetween(ctx context.Context, est string, from, to time.Time) ([]domain.Reservation, error) {
	var out []domain.Reservation
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		cur := tx.Bucket([]byte(bucketResByStart)).Cursor()
		res := tx.Bucket([]byte(bucketReservations))
		lo, hi := resStartKey(est, from, ""), resStartKey(est, to, "")
		for k, _ := cur.Seek(lo); k != nil && bytes.Compare(k, hi) < 0; k, _ = cur.Next() {
			id := k[bytes.LastIndexByte(k, '|')+1:]
			raw := res.Get(id)
			if raw == nil {
				continue
			}
			var r domain.Reservation
			if err := json.Unmarshal(raw, &r); err != nil {
				return err
			}
			// An import may have moved a reservation: the index can hold a
			// stale entry, the record is the truth.
			if r.Establishment != est || r.Start.Before(from) || !r.Start.Before(to) || !bytes.Equal(k, resStartKey(est, r.Start, r.ID)) {
				continue
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// AddMaintenance stores a maintenance record.
func (s *Store) AddMaintenance(ctx context.Context, m domain.MaintenanceRecord) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return s.update(ctx, func(tx *bbolt.Tx) error {
		if _, err := getCar(tx, m.Establishment, m.Plate); err != nil {
			return err
		}
		if tx.Bucket([]byte(bucketMaintenance)).Get([]byte(m.ID)) != nil {
			return domain.Errorf(domain.ECONFLICT, "err.conflict")
		}
		return put(tx, bucketMaintenance, m.ID, m)
	})
}

// ListMaintenance scans the records (a few per car and year).
func (s *Store) ListMaintenance(ctx context.Context, est string, from, to time.Time) ([]domain.MaintenanceRecord, error) {
	var out []domain.MaintenanceRecord
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		return tx.Bucket([]byte(bucketMaintenance)).ForEach(func(_, v []byte) error {
			var m domain.MaintenanceRecord
			if err := json.Unmarshal(v, &m); err != nil {
				return err
			}
			if m.Establishment == est && !m.Date.Before(from) && m.Date.Before(to) {
				out = append(out, m)
			}
			return nil
		})
	})
	sortMaintenance(out)
	return out, err
}

func sortMaintenance(ms []domain.MaintenanceRecord) {
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && (ms[j].Date.Before(ms[j-1].Date) || ms[j].Date.Equal(ms[j-1].Date) && ms[j].ID < ms[j-1].ID); j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
}

// ReserveMany stores reservations in one transaction, each with Reserve's
// checks against the schedule as it stands at now (the car may be booked,
// no overlap with a live reservation). It is the bulk path for loading a
// history (a migration, the benchmarks' 500,000 past reservations); a
// refusal stops it and nothing is stored.
func (s *Store) ReserveMany(ctx context.Context, rs []domain.Reservation, now time.Time) error {
	return s.update(ctx, func(tx *bbolt.Tx) error {
		cars := map[string]domain.Car{}
		schedules := map[string]*domain.CarSchedule{}
		for _, r := range rs {
			if err := r.Validate(); err != nil {
				return err
			}
			key := carKey(r.Establishment, r.Plate)
			car, ok := cars[key]
			if !ok {
				var err error
				if car, err = getCar(tx, r.Establishment, r.Plate); err != nil {
					return err
				}
				cars[key] = car
				sc, err := getSchedule(tx, r.Establishment, r.Plate)
				if err != nil {
					return err
				}
				schedules[key] = &sc
			}
			if err := car.Reservable(r.Start, r.End); err != nil {
				return err
			}
			sc := schedules[key]
			sc.Prune(now)
			if err := sc.Insert(r.Slot()); err != nil {
				return err
			}
			if err := put(tx, bucketReservations, r.ID, r); err != nil {
				return err
			}
			if err := indexReservation(tx, r); err != nil {
				return err
			}
		}
		for key, sc := range schedules {
			if err := put(tx, bucketSchedules, key, sc); err != nil {
				return err
			}
		}
		return nil
	})
}
