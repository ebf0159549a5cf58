package cosmos

// The equipment feature's containers and exported kinds.

func equipmentSpecs() []containerSpec { return nil }

func (s *Store) equipmentKinds() []portKind { return nil }
