package cards

// licenceTexts: the licence feature's words, French then English.
var licenceTexts = map[string]Text{}
