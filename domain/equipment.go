package domain

// EquipmentStore holds the IT terminals and their loans (filled by the IT
// equipment feature).
type EquipmentStore interface{}
