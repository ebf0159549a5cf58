package bolt

// The licence feature's buckets and exported kinds.

var licenceBuckets []string

func licenceKinds() []kindSpec { return nil }
