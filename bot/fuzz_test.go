package bot

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/anras/parc/cards"
)

func FuzzParseActivity(f *testing.F) {
	for _, s := range []string{
		`{"type":"message","text":"aide","serviceUrl":"http://x","conversation":{"id":"c"}}`,
		`{"type":"invoke","name":"adaptiveCard/action","value":{"action":{"verb":"menu"}},"serviceUrl":"http://x","conversation":{"id":"c"}}`,
		`{"type":"message","value":"x"}`, `{"type":null}`, `[]`, `{}`, `{"type":"typing"}`,
		`{"type":"message","timestamp":"not a time","serviceUrl":"http://x","conversation":{"id":"c"}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		act, handled, err := parseActivity(body)
		if err != nil {
			return
		}
		if act.Type == "" {
			t.Fatalf("accepted an activity without a type: %q", body)
		}
		if handled && (act.ServiceURL == "" || act.Conversation.ID == "") {
			t.Fatalf("accepted a handled activity without serviceUrl or conversation: %q", body)
		}
		if in, ok := executeInput(act.Value); ok && in.Verb == "" {
			t.Fatal("an Action.Execute input without a verb")
		}
	})
}

func FuzzCommandParsing(f *testing.F) {
	r := NewRouter()
	r.Command(Command{FR: "mes réservations", EN: "my bookings", Aliases: []string{"réservations"}})
	r.Command(Command{FR: "réserver", EN: "book"})
	r.Command(Command{FR: "aide", EN: "help"})
	for _, s := range []string{"aide", "<at>Parc</at> mes réservations", "Réserver AB-123-CD demain 14h-16h", "mes  réservations   futures", "&nbsp;aide", "réservations", "<at>x", "é\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		text := cleanText(raw)
		if strings.Contains(text, "<at>") || strings.Contains(text, "  ") || text != strings.TrimSpace(text) {
			t.Fatalf("cleanText(%q) = %q keeps a mention or extra spaces", raw, text)
		}
		cmd, rest, ok := r.match(text)
		if !ok {
			return
		}
		if cmd == nil {
			t.Fatal("matched without a command")
		}
		if utf8.ValidString(text) && len(rest) > len(text) {
			t.Fatalf("rest %q longer than the text %q", rest, text)
		}
		// The command words are gone from the rest: matching the rest again
		// with the same phrase never gives a longer match.
		if f := cards.Fold(text); !strings.HasPrefix(f, cards.Fold(cmd.FR)) && !strings.HasPrefix(f, cards.Fold(cmd.EN)) {
			found := false
			for _, a := range cmd.Aliases {
				if strings.HasPrefix(f, cards.Fold(a)) {
					found = true
				}
			}
			if !found {
				t.Fatalf("%q matched %q, which it does not start with", text, cmd.FR)
			}
		}
	})
}

func TestSplitCommand(t *testing.T) {
	r := NewRouter()
	r.Command(Command{FR: "mes réservations", EN: "my bookings"})
	r.Command(Command{FR: "réserver", EN: "book", Aliases: []string{"réservations"}})
	for _, c := range []struct{ text, cmd, rest string }{
		{"mes réservations", "mes réservations", ""},
		{"Mes Reservations demain", "mes réservations", "demain"},
		{"réserver AB-123-CD demain", "réserver", "AB-123-CD demain"},
		{"réservations", "réserver", ""},
		{"book ab-123-cd", "réserver", "ab-123-cd"},
		{"réserverAB", "", ""},
		{"mes", "", ""},
	} {
		cmd, rest, ok := r.match(c.text)
		if c.cmd == "" {
			if ok {
				t.Errorf("%q matched %q", c.text, cmd.FR)
			}
			continue
		}
		if !ok || cmd.FR != c.cmd || rest != c.rest {
			t.Errorf("match(%q) = %v %q %v; want %q %q", c.text, cmd, rest, ok, c.cmd, c.rest)
		}
	}
}

func TestCleanText(t *testing.T) {
	for in, want := range map[string]string{
		"<at>Parc</at> aide":                  "aide",
		"<at id=\"0\">Parc</at>\u00a0 aide  ": "aide",
		"<p>mes&nbsp;réservations</p>":        "mes réservations",
		"R&amp;D":                             "R&D",
		"":                                    "",
	} {
		if got := cleanText(in); got != want {
			t.Errorf("cleanText(%q) = %q, want %q", in, got, want)
		}
	}
}
