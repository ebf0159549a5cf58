package cards

// fleetTexts: the fleet feature's words, French then English.
var fleetTexts = map[string]Text{}
