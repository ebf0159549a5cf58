package domain

// FleetStore holds the pool cars and their reservations (filled by the pool
// cars feature).
type FleetStore interface{}
