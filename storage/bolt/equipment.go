package bolt

// The equipment feature's buckets and exported kinds.

var equipmentBuckets []string

func equipmentKinds() []kindSpec { return nil }
