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
//     validates the result; the plate and the establishment never change.
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
}

// DefaultMaxBooking is the longest reservation when the settings say
// nothing (PARC_FLEET_MAX_DAYS).
const DefaultMaxBooking = 5 * 24 * time.Hour
