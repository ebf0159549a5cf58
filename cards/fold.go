package cards

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold lower-cases s, removes accents and collapses white space, so that
// "Réserver", "reserver" and "  RÉSERVER " compare equal. Commands and
// searches use it.
func Fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	out = strings.ReplaceAll(out, "’", "'")
	return strings.Join(strings.Fields(strings.ToLower(out)), " ")
}
