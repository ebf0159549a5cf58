package cards

// equipmentTexts: the equipment feature's words, French then English.
var equipmentTexts = map[string]Text{}
