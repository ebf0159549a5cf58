package cards

import (
	"regexp"
	"strings"
)

// Small builders shared by every card.

// Heading is a card's title.
func Heading(text string) TextBlock {
	return TextBlock{Text: text, Size: SizeLarge, Weight: WeightBolder, Wrap: true, Style: "heading"}
}

// Subheading titles a section of a card.
func Subheading(text string) TextBlock {
	return TextBlock{Text: text, Size: SizeMedium, Weight: WeightBolder, Wrap: true, Spacing: SpacingMedium}
}

// Para is a paragraph of wrapped text.
func Para(text string) TextBlock {
	return TextBlock{Text: text, Wrap: true}
}

// Subtle is a paragraph in a lighter colour.
func Subtle(text string) TextBlock {
	return TextBlock{Text: text, Wrap: true, IsSubtle: true, Size: SizeSmall}
}

// Colored is a wrapped paragraph in a colour (Good, Warning, Attention).
func Colored(text, color string) TextBlock {
	return TextBlock{Text: text, Wrap: true, Color: color, Weight: WeightBolder}
}

// Facts builds a FactSet from title/value pairs, skipping empty values.
func Facts(pairs ...string) FactSet {
	fs := FactSet{}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			continue
		}
		fs.Facts = append(fs.Facts, Fact{Title: pairs[i], Value: pairs[i+1]})
	}
	return fs
}

// Button is an Action.Execute with a verb and data.
func Button(title, verb string, data map[string]any) Execute {
	return Execute{Title: title, Verb: verb, Data: data}
}

// Data is a shorthand for action data.
type Data = map[string]any

// New returns a card in language l with the given body.
func New(l Lang, body ...Element) Card {
	return Card{Lang: string(l), Body: body}
}

// Notice is a short card: a title, a message and optional actions. Colour is
// "" (neutral), ColorGood, ColorWarning or ColorAttention.
func Notice(l Lang, title, message, color string, actions ...Action) Card {
	var body []Element
	if title != "" {
		h := Heading(title)
		h.Color = color
		body = append(body, h)
	}
	if message != "" {
		body = append(body, Para(message))
	}
	c := New(l, body...)
	c.Actions = actions
	c.Fallback = strings.TrimSpace(title + " " + message)
	return c
}

var mdLinkRe = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)

// Plain makes user-typed text safe to show inside a card's Markdown: the
// characters that would format it (links, bold, lists) are removed, and it
// is cut at a word boundary to at most max runes.
func Plain(s string, max int) string {
	s = mdLinkRe.ReplaceAllString(s, "$1")
	s = strings.Map(func(r rune) rune {
		switch r {
		case '*', '_', '[', ']', '(', ')', '`', '#', '<', '>', '~', '|':
			return -1
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); max > 0 && len(r) > max {
		cut := string(r[:max])
		if i := strings.LastIndexByte(cut, ' '); i > max/2 {
			cut = cut[:i]
		}
		s = cut + "…"
	}
	return s
}
