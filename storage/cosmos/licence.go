package cosmos

// The licence feature's containers and exported kinds.

func licenceSpecs() []containerSpec { return nil }

func (s *Store) licenceKinds() []portKind { return nil }
