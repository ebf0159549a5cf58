package bolt

// The fleet feature's buckets and exported kinds.

var fleetBuckets []string

func fleetKinds() []kindSpec { return nil }
