package cosmos

// The fleet feature's containers and exported kinds.

func fleetSpecs() []containerSpec { return nil }

func (s *Store) fleetKinds() []portKind { return nil }
