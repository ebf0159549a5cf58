// Package cards models Adaptive Cards 1.5 (the version Teams renders) as Go
// types, builds every card Parc sends, and holds the text catalogue in French
// and English.
//
// The model is typed on purpose: an element's JSON "type" comes from its Go
// type, so a card cannot name an element Teams does not know. Every builder
// has a golden JSON file under testdata/, checked in the test suite by the
// official adaptivecards renderer and by a check for unknown properties.
package cards
