package domain

// LicenceStore holds the licence catalogue, prices and runs (filled by the
// licence summary feature).
type LicenceStore interface{}
