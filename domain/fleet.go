package domain

import (
	"context"
	"time"
)

// Record kinds of the pool cars feature.
const (
	KindCar         = "car"
	KindSchedule    = "car_schedule"
	KindReservation = "reservation"
	KindMaintenance = "maintenance"
)

// CarState is a car with its schedule: everything the availability answer,
// the car list and the car detail need, read together.
type CarState struct {
	Car      Car         `json:"car"`
	Schedule CarSchedule `json:"schedule"`
}

// ReservationChange is what UpdateReservation hands its function: the
// reservation, its car and the car's schedule, changed together or not at
// all (cancel, shorten, hand back).
type ReservationChange struct {
	Reservation *Reservation
	Car         *Car
	Schedule    *CarSchedule
}

// FleetStore holds the pool cars, their schedules, reservations and
// maintenance records. Everything is partitioned by establishment: a
// user's everyday actions read and write one establishment.
//
// Error contract:
//   - CreateCar returns ECONFLICT ("err.fleet.car.exists") when the plate is
//     already registered, in any establishment; it creates the car's empty
//     schedule with it.
//   - Car, UpdateCar, CarState and Reservation return ENOTFOUND
//     ("err.fleet.car.unknown", "err.fleet.reservation.unknown") for an
//     unknown plate or id in that establishment. FindCar looks in every
//     establishment.
//   - UpdateCar applies fn atomically (fn may run several times) and
//     validates the result; the plate and the establishment never change
//     there (MoveCar changes the establishment).
//   - Fleet returns every car of the establishment with its schedule, by
//     plate; its cost depends on the number of cars, never on the
//     reservation history.
//   - Reserve checks, atomically with the write, that the car may be booked
//     (Car.Reservable) and that the interval overlaps no coming reservation
//     of the car (ECONFLICT "err.fleet.clash" otherwise): of two overlapping
//     reservations at most one is ever stored. It prunes the schedule at
//     now and returns the stored reservation.
//   - UpdateReservation applies fn to the reservation, its car and its
//     schedule in one atomic step (fn may run several times) and stores the
//     three (the car only when fn changed it).
//   - ReservationsBetween returns the reservations of the establishment
//     whose start is in [from, to), cancelled ones included, by start.
//   - AddMaintenance stores a record; ListMaintenance returns the
//     establishment's records dated in [from, to), by date.
//   - MoveCar moves the car m.Plate from m.From to m.To (see CarMove),
//     after applying fn to it (a form's other edits, so that a refusal
//     changes nothing; fn may be nil, and may run several times), and
//     returns the car as stored in m.To. It returns EINVALID for a bad move
//     ("err.fleet.move.same" when To is From) or a car that fn leaves
//     invalid; ENOTFOUND for an unknown target ("err.establishment.unknown")
//     or car ("err.fleet.car.unknown"); ECONFLICT when the car has a
//     current or coming reservation ("err.fleet.move.booked") or one
//     waiting for its hand-back ("err.fleet.move.unreturned"), when To
//     already has a car with that plate ("err.fleet.move.exists"), or when
//     a concurrent change won ("err.conflict", "err.fleet.car.moving").
//     Refused, it changes nothing. It is atomic against Reserve: of a move
//     and a reservation of the car racing each other exactly one succeeds,
//     and the car is never left in two establishments nor a reservation on
//     a car that has left. The car's past reservations and maintenance
//     records stay in m.From as its history; the schedule starts empty in
//     m.To; the calendar token is replaced (the old feed URL stops
//     working); odometer, documents, deadlines, status and notes are kept.
type FleetStore interface {
	CreateCar(ctx context.Context, c Car) error
	Car(ctx context.Context, establishment, plate string) (Car, error)
	FindCar(ctx context.Context, plate string) (Car, error)
	UpdateCar(ctx context.Context, establishment, plate string, fn func(*Car) error) (Car, error)
	Fleet(ctx context.Context, establishment string) ([]CarState, error)
	CarState(ctx context.Context, establishment, plate string) (CarState, error)

	Reserve(ctx context.Context, r Reservation, now time.Time) (Reservation, error)
	Reservation(ctx context.Context, establishment, id string) (Reservation, error)
	UpdateReservation(ctx context.Context, establishment, id string, fn func(ReservationChange) error) (Reservation, error)
	ReservationsBetween(ctx context.Context, establishment string, from, to time.Time) ([]Reservation, error)

	AddMaintenance(ctx context.Context, m MaintenanceRecord) error
	ListMaintenance(ctx context.Context, establishment string, from, to time.Time) ([]MaintenanceRecord, error)

	MoveCar(ctx context.Context, m CarMove, fn func(*Car) error) (Car, error)
}

// DefaultMaxBooking is the longest reservation when the settings say
// nothing (PARC_FLEET_MAX_DAYS).
const DefaultMaxBooking = 5 * 24 * time.Hour
