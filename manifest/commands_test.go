package manifest

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// The command menus stay within what the Teams client shows, and are in
// French: the words staff type to the bot.
func TestCommandListsWithinTeamsLimits(t *testing.T) {
	m, err := Build(testOptions())
	if err != nil {
		t.Fatal(err)
	}
	lists := m.Bots[0].CommandLists
	want := map[string][]string{
		ScopePersonal:  {"aide", "dispo", "réserver", "mes réservations", "voitures", "terminaux", "prêt", "prêts", "profil"},
		ScopeGroupChat: {"aide", "dispo", "réserver", "mes réservations", "voitures", "terminaux", "prêt", "prêts", "profil"},
		ScopeTeam:      {"lier", "aide"},
	}
	got := map[string][]string{}
	for _, l := range lists {
		if len(l.Commands) > MaxCommands {
			t.Errorf("%v: %d commands, Teams shows %d", l.Scopes, len(l.Commands), MaxCommands)
		}
		for _, c := range l.Commands {
			if n := utf8.RuneCountInString(c.Title); n > MaxCommandTitle || n == 0 {
				t.Errorf("%v: title %q has %d characters (1 to %d)", l.Scopes, c.Title, n, MaxCommandTitle)
			}
			if n := utf8.RuneCountInString(c.Description); n > MaxCommandDescription || n == 0 {
				t.Errorf("%v: description of %q has %d characters (1 to %d)", l.Scopes, c.Title, n, MaxCommandDescription)
			}
		}
		for _, s := range l.Scopes {
			if _, dup := got[s]; dup {
				t.Errorf("scope %q has two command lists", s)
			}
			for _, c := range l.Commands {
				got[s] = append(got[s], c.Title)
			}
		}
	}
	for scope, titles := range want {
		if strings.Join(got[scope], "|") != strings.Join(titles, "|") {
			t.Errorf("%s commands = %q, want %q", scope, got[scope], titles)
		}
	}
	for scope := range got {
		if !contains(m.Bots[0].Scopes, scope) {
			t.Errorf("command list for %q, a scope the bot is not installed in", scope)
		}
	}
}

// No English crept into the French menu.
func TestCommandTitlesAreFrench(t *testing.T) {
	english := []string{"help", "book", "reserve", "booking", "cars", "car", "devices", "loan", "loans", "profile", "link", "available", "my "}
	m, err := Build(testOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range m.Bots[0].CommandLists {
		for _, c := range l.Commands {
			for _, w := range english {
				if c.Title == w || strings.HasPrefix(c.Title, w) {
					t.Errorf("%v: title %q is English (%q)", l.Scopes, c.Title, w)
				}
			}
			if c.Title != strings.ToLower(c.Title) {
				t.Errorf("title %q: staff type commands in lower case", c.Title)
			}
		}
	}
}

// Build refuses a menu Teams would cut or reject.
func TestCheckCommandListsRefusesTooMuch(t *testing.T) {
	eleven := make([]Command, 11)
	for i := range eleven {
		eleven[i] = Command{Title: "commande " + string(rune('a'+i)), Description: "d"}
	}
	tests := []struct {
		name  string
		lists []CommandList
	}{
		{"11 commands", []CommandList{{Scopes: []string{ScopePersonal}, Commands: eleven}}},
		{"33-character title", []CommandList{{Scopes: []string{ScopePersonal}, Commands: []Command{{Title: strings.Repeat("r", 33), Description: "d"}}}}},
		{"129-character description", []CommandList{{Scopes: []string{ScopePersonal}, Commands: []Command{{Title: "aide", Description: strings.Repeat("d", 129)}}}}},
		{"empty title", []CommandList{{Scopes: []string{ScopePersonal}, Commands: []Command{{Title: "", Description: "d"}}}}},
		{"same title twice", []CommandList{{Scopes: []string{ScopePersonal}, Commands: []Command{{Title: "aide", Description: "d"}, {Title: "aide", Description: "e"}}}}},
		{"scope in two lists", []CommandList{
			{Scopes: []string{ScopePersonal}, Commands: []Command{{Title: "aide", Description: "d"}}},
			{Scopes: []string{ScopePersonal, ScopeTeam}, Commands: []Command{{Title: "lier", Description: "d"}}},
		}},
	}
	for _, tt := range tests {
		if err := CheckCommandLists(tt.lists); err == nil {
			t.Errorf("%s: accepted", tt.name)
		}
	}
	if err := CheckCommandLists([]CommandList{{Scopes: []string{ScopePersonal}, Commands: eleven[:10]}}); err != nil {
		t.Errorf("10 commands refused: %v", err)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
