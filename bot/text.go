package bot

import (
	"html"
	"regexp"
	"strings"

	"github.com/anras/parc/cards"
)

var (
	mentionRe = regexp.MustCompile(`(?is)<at[^>]*>.*?</at>`)
	tagRe     = regexp.MustCompile(`(?s)<[^>]{0,200}>`)
)

// cleanText returns what the user typed, without the @mentions Teams puts
// in the text ("<at>Parc</at> aide"), HTML tags and entities, and with white
// space collapsed.
func cleanText(s string) string {
	s = mentionRe.ReplaceAllString(s, " ")
	s = tagRe.ReplaceAllString(s, " ")
	s = html.UnescapeString(s)
	s = strings.ReplaceAll(s, "\u00a0", " ")
	return strings.Join(strings.Fields(s), " ")
}

// splitCommand matches the start of text against phrases (already folded)
// and returns the longest phrase that matches on a word boundary and the
// rest of the original text (case and accents kept, for plates and names).
func splitCommand(text string, phrases []string) (phrase, rest string, ok bool) {
	folded := cards.Fold(text)
	best := -1
	for i, p := range phrases {
		if folded == p || strings.HasPrefix(folded, p+" ") {
			if best < 0 || len(p) > len(phrases[best]) {
				best = i
			}
		}
	}
	if best < 0 {
		return "", "", false
	}
	phrase = phrases[best]
	n := len(strings.Fields(phrase))
	fields := strings.Fields(text)
	if n > len(fields) {
		n = len(fields)
	}
	return phrase, strings.Join(fields[n:], " "), true
}
