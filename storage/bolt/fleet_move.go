package bolt

import (
	"context"

	"github.com/anras/parc/domain"
	bbolt "go.etcd.io/bbolt"
)

// MoveCar moves a car to another establishment in one transaction: the
// checks (the target exists, the car has nothing live in its schedule, the
// plate is free there), the deletion of the car and its schedule under the
// old key and their creation under the new one commit together. bbolt runs
// one writer at a time, so a reservation either commits before (and the
// move finds it in the schedule) or after (and finds no car).
// Reservations and maintenance records keep their establishment: they are
// the old establishment's history.
func (s *Store) MoveCar(ctx context.Context, m domain.CarMove, fn func(*domain.Car) error) (domain.Car, error) {
	if err := m.Validate(); err != nil {
		return domain.Car{}, err
	}
	var out domain.Car
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		if tx.Bucket([]byte(bucketEstablishments)).Get([]byte(m.To)) == nil {
			return domain.Errorf(domain.ENOTFOUND, "err.establishment.unknown", m.To)
		}
		car, err := getCar(tx, m.From, m.Plate)
		if err != nil {
			return err
		}
		sc, err := getSchedule(tx, m.From, m.Plate)
		if err != nil {
			return err
		}
		if err := sc.Movable(m.At); err != nil {
			return err
		}
		to := carKey(m.To, m.Plate)
		if tx.Bucket([]byte(bucketCars)).Get([]byte(to)) != nil {
			return domain.Errorf(domain.ECONFLICT, "err.fleet.move.exists", m.Plate, m.To)
		}
		if fn != nil {
			if err := fn(&car); err != nil {
				return err
			}
		}
		car.Plate = m.Plate
		car = m.Apply(car)
		if err := car.Validate(); err != nil {
			return err
		}
		from := []byte(carKey(m.From, m.Plate))
		if err := tx.Bucket([]byte(bucketCars)).Delete(from); err != nil {
			return err
		}
		if err := tx.Bucket([]byte(bucketSchedules)).Delete(from); err != nil {
			return err
		}
		if err := put(tx, bucketCars, to, car); err != nil {
			return err
		}
		out = car
		return put(tx, bucketSchedules, to, domain.CarSchedule{Plate: m.Plate, Establishment: m.To, Slots: []domain.Slot{}})
	})
	return out, err
}
