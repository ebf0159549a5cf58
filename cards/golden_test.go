package cards

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Golden files: every card Parc sends has named cases here, each written to
// testdata/<name>_<lang>.golden.json. A card change shows up in review as a
// diff of those files, and every file goes through the official Adaptive
// Cards parser (TestGoldenCardsPassValidator).
//
//	go test ./cards            compares
//	go test ./cards -update    rewrites the files (and removes stray ones)

var update = flag.Bool("update", false, "rewrite the golden files of package cards")

// golden is a named card case.
type golden struct {
	// Name of the case; its files are testdata/<Name>_<lang>.golden.json.
	Name string
	// Build makes the card in a language, with realistic sample data.
	Build func(l Lang) Card
	// Langs that get a golden file; nil means French only (French is Parc's
	// main language). Every case is still built in every language by
	// TestGoldenCardsSpeakOneLanguage.
	Langs []Lang
	// Words shows that the card speaks the language asked: each word of
	// Words[l] must appear in the card built in l, and in no card built in
	// another language. A few distinctive words of the card's own text.
	Words map[Lang][]string
}

// goldens lists every case. Feature test files add theirs from an init
// function: func init() { addGolden(golden{Name: "car_booking", ...}) }.
var goldens []golden

func addGolden(cases ...golden) { goldens = append(goldens, cases...) }

func (g golden) langs() []Lang {
	if len(g.Langs) == 0 {
		return []Lang{FR}
	}
	return g.Langs
}

func goldenFile(name string, l Lang) string {
	return filepath.Join("testdata", name+"_"+string(l)+".golden.json")
}

// goldenJSON is the card as Teams gets it, indented for review.
func goldenJSON(t *testing.T, c Card) []byte {
	t.Helper()
	compact, err := json.Marshal(c)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, compact, "", "  "); err != nil {
		t.Fatalf("indent: %v", err)
	}
	out.WriteByte('\n')
	return out.Bytes()
}

func TestGoldenCasesAreWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, g := range goldens {
		if g.Name == "" || strings.ContainsAny(g.Name, `/\ .`) {
			t.Errorf("golden case %q: the name must be a plain file name", g.Name)
		}
		if seen[g.Name] {
			t.Errorf("golden case %q is registered twice", g.Name)
		}
		seen[g.Name] = true
		for _, l := range Languages {
			if len(g.Words[l]) == 0 {
				t.Errorf("golden case %q: no distinctive words for %q", g.Name, l)
			}
		}
	}
}

func TestGoldenFiles(t *testing.T) {
	want := map[string]bool{}
	for _, g := range goldens {
		for _, l := range g.langs() {
			path := goldenFile(g.Name, l)
			want[filepath.Base(path)] = true
			t.Run(g.Name+"_"+string(l), func(t *testing.T) {
				card := g.Build(l)
				got := goldenJSON(t, card)
				if size := card.Size(); size >= MaxPayloadBytes {
					t.Errorf("card is %d bytes, Teams' limit is %d", size, MaxPayloadBytes)
				}
				if *update {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				old, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run `go test ./cards -update` to create it)", err)
				}
				if !bytes.Equal(old, got) {
					t.Errorf("%s differs from the card built now (- file, + built; `go test ./cards -update` rewrites it):\n%s",
						path, lineDiff(string(old), string(got)))
				}
			})
		}
	}

	// A golden file without a case is a card that no longer exists.
	files, err := filepath.Glob(filepath.Join("testdata", "*.golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if want[filepath.Base(f)] {
			continue
		}
		if *update {
			t.Logf("removing stray %s", f)
			if err := os.Remove(f); err != nil {
				t.Error(err)
			}
			continue
		}
		t.Errorf("%s has no golden case: remove it (or run `go test ./cards -update`)", f)
	}
}

// TestGoldenCardsPassValidator runs the official parser, through
// e2e/tools/validate-cards.js, on every golden file in one node process.
func TestGoldenCardsPassValidator(t *testing.T) {
	var files []string
	for _, g := range goldens {
		for _, l := range g.langs() {
			files = append(files, goldenFile(g.Name, l))
		}
	}
	report := runValidator(t, files)
	if report.Checked != len(files) {
		t.Fatalf("validator checked %d cards, want %d", report.Checked, len(files))
	}
	for _, c := range report.Cards {
		for _, f := range c.Failures {
			t.Errorf("%s: %s", c.Name, f)
		}
	}
}

// TestGoldenCardsSpeakOneLanguage builds every case in every language and
// checks that the words of one language never show in another's card.
func TestGoldenCardsSpeakOneLanguage(t *testing.T) {
	for _, g := range goldens {
		for _, l := range Languages {
			card := g.Build(l)
			if card.Lang != string(l) {
				t.Errorf("%s in %s: card lang is %q", g.Name, l, card.Lang)
			}
			b, err := json.Marshal(card)
			if err != nil {
				t.Fatal(err)
			}
			// json.Marshal writes the no-break spaces of French typography
			// as they are; the distinctive words are written with spaces.
			text := strings.ReplaceAll(string(b), "\u00a0", " ")
			for _, other := range Languages {
				for _, w := range g.Words[other] {
					has := strings.Contains(text, w)
					if other == l && !has {
						t.Errorf("%s in %s: %q is missing (a distinctive word of the card should appear in it)", g.Name, l, w)
					}
					if other != l && has {
						t.Errorf("%s in %s: contains %q, a word of the %s card", g.Name, l, w, other)
					}
				}
			}
		}
	}
}

// TestGoldenActionDataNotShadowedByInputs: Teams adds the values of the
// inputs an action collects to its data, over keys of the same name; a
// button whose data shares a key with an input of its card must collect no
// input (associatedInputs "none"), or it would send the input's value.
func TestGoldenActionDataNotShadowedByInputs(t *testing.T) {
	for _, g := range goldens {
		for _, l := range Languages {
			var doc any
			if err := json.Unmarshal(mustJSON(t, g.Build(l)), &doc); err != nil {
				t.Fatal(err)
			}
			inputs := map[string]bool{}
			var actions []map[string]any
			walkJSON(doc, func(obj map[string]any) {
				typ, _ := obj["type"].(string)
				if id, ok := obj["id"].(string); ok && strings.HasPrefix(typ, "Input.") {
					inputs[id] = true
				}
				if typ == "Action.Execute" || typ == "Action.Submit" {
					actions = append(actions, obj)
				}
			})
			for _, a := range actions {
				data, _ := a["data"].(map[string]any)
				keys := make([]string, 0, len(data))
				for key := range data {
					keys = append(keys, key)
				}
				slices.Sort(keys)
				for _, key := range keys {
					if inputs[key] && a["associatedInputs"] != "none" {
						t.Errorf("%s in %s: action %q has data %q, which the input %q would overwrite", g.Name, l, a["title"], key, key)
					}
				}
			}
		}
	}
}

func mustJSON(t *testing.T, c Card) []byte {
	t.Helper()
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// walkJSON calls fn on every object of a decoded JSON document.
func walkJSON(v any, fn func(map[string]any)) {
	switch v := v.(type) {
	case map[string]any:
		fn(v)
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			walkJSON(v[k], fn)
		}
	case []any:
		for _, item := range v {
			walkJSON(item, fn)
		}
	}
}

// lineDiff shows the lines that differ between a and b, with some context,
// from a longest common subsequence of lines (golden files are small).
func lineDiff(a, b string) string {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	n, m := len(x), len(y)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type line struct {
		op   byte
		text string
		at   int // line number in a (for context lines and removals) or b
	}
	var ops []line
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && x[i] == y[j]:
			ops = append(ops, line{' ', x[i], i + 1})
			i, j = i+1, j+1
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, line{'-', x[i], i + 1})
			i++
		default:
			ops = append(ops, line{'+', y[j], j + 1})
			j++
		}
	}
	const context = 3
	var out strings.Builder
	last := -1
	for k, op := range ops {
		near := false
		for d := -context; d <= context; d++ {
			if k+d >= 0 && k+d < len(ops) && ops[k+d].op != ' ' {
				near = true
				break
			}
		}
		if !near {
			continue
		}
		if last >= 0 && k != last+1 {
			out.WriteString("   ...\n")
		}
		last = k
		fmt.Fprintf(&out, "%c %4d  %s\n", op.op, op.at, op.text)
	}
	return out.String()
}

func TestLineDiff(t *testing.T) {
	a := "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n"
	b := "1\n2\n3\n4\n5\nsix\n7\n8\n9\n10\n"
	got := lineDiff(a, b)
	want := "     3  3\n     4  4\n     5  5\n-    6  6\n+    6  six\n     7  7\n     8  8\n     9  9\n"
	if got != want {
		t.Errorf("lineDiff:\n%s\nwant:\n%s", got, want)
	}
}

// The core cards' cases, with the data a real establishment would show.
func init() {
	addGolden(
		golden{
			Name:  "welcome_personal",
			Build: func(l Lang) Card { return Welcome(l, "Camille Martin", InPersonalChat) },
			Langs: Languages,
			Words: map[Lang][]string{FR: {"Bienvenue", "Bonjour Camille Martin", "Tapez « aide »"}, EN: {"Welcome", "Hello Camille Martin", `Type \"help\"`}},
		},
		golden{
			Name:  "welcome_channel",
			Build: func(l Lang) Card { return Welcome(l, "Camille Martin", InTeam) },
			Langs: Languages,
			Words: map[Lang][]string{FR: {"Bienvenue", "Mentionnez-moi", "équipe"}, EN: {"Welcome", "Mention me", "team"}},
		},
		golden{
			Name:  "welcome_group",
			Build: func(l Lang) Card { return Welcome(l, "Camille Martin", InGroupChat) },
			Langs: Languages,
			Words: map[Lang][]string{FR: {"Bienvenue", "mentionnez-moi (@Parc)", "cette conversation"}, EN: {"Welcome", "mention me (@Parc)", "this chat"}},
		},
		golden{
			Name:  "menu_staff",
			Build: func(l Lang) Card { return Menu(l, sampleMenuItems(false), sampleCommands(l)) },
			Langs: Languages,
			Words: map[Lang][]string{FR: {"Que voulez-vous faire", "Mon profil", "**aide**"}, EN: {"What would you like to do", "My profile", "**help**"}},
		},
		golden{
			Name:  "menu_admin",
			Build: func(l Lang) Card { return Menu(l, sampleMenuItems(true), sampleCommands(l)) },
			Langs: Languages,
			Words: map[Lang][]string{FR: {"Gérer les rôles", "Mon compte"}, EN: {"Manage roles", "My account"}},
		},
		golden{
			Name: "unknown_message",
			Build: func(l Lang) Card {
				return Unknown(l, "réserver la Clio pour jeudi", sampleMenuItems(false), sampleCommands(l))
			},
			Words: map[Lang][]string{FR: {"Je n'ai pas compris « réserver", "Voici ce que je sais faire"}, EN: {`I did not understand \"réserver`, "Here is what I can do"}},
		},
		golden{
			Name: "unknown_long_message",
			Build: func(l Lang) Card {
				return Unknown(l, strings.Repeat("Pourriez-vous me prêter un ordinateur portable à l'équipe ", 3), nil, nil)
			},
			Words: map[Lang][]string{FR: {"Je n'ai pas compris"}, EN: {"I did not understand"}},
		},
		golden{
			Name:  "unknown_empty",
			Build: func(l Lang) Card { return Unknown(l, "  ", sampleMenuItems(false), nil) },
			Words: map[Lang][]string{FR: {"votre message"}, EN: {"your message"}},
		},
		golden{
			Name:  "forbidden_role",
			Build: func(l Lang) Card { return Forbidden(l, "fleet_manager") },
			Words: map[Lang][]string{FR: {"Action réservée", "gestionnaires de flotte"}, EN: {"Restricted action", "fleet managers"}},
		},
		golden{
			Name:  "forbidden_no_user",
			Build: func(l Lang) Card { return Forbidden(l, "") },
			Words: map[Lang][]string{FR: {"qui vous êtes"}, EN: {"who you are"}},
		},
		golden{
			Name:  "error_internal",
			Build: func(l Lang) Card { return Error(l, l.T("error.internal", "7F3A-91C2")) },
			Words: map[Lang][]string{FR: {"Oups", "service informatique : 7F3A-91C2"}, EN: {"Oops", "IT department: 7F3A-91C2"}},
		},
		golden{
			Name: "profile_from_teams",
			Build: func(l Lang) Card {
				return Profile(l, "Jean-Pierre Lefèvre", []string{"staff", "technician"}, LanguageFromTeams)
			},
			Words: map[Lang][]string{FR: {"Mon profil", "Personnel, Technicien", "(selon Teams)"}, EN: {"My profile", "Staff, Technician", "(from Teams)"}},
		},
		golden{
			Name: "profile_default",
			Build: func(l Lang) Card {
				return Profile(l, "Jean-Pierre Lefèvre", []string{"staff"}, LanguageDefault)
			},
			Words: map[Lang][]string{FR: {"Mon profil", "Français (langue par défaut de Parc)"}, EN: {"My profile", "English (Parc's default language)"}},
		},
		golden{
			Name: "profile_chosen",
			Build: func(l Lang) Card {
				return Profile(l, "Aïcha Benali", []string{"fleet_manager", "admin"}, LanguageChosen)
			},
			Langs: Languages,
			Words: map[Lang][]string{FR: {"Gestionnaire de flotte", "Langue"}, EN: {"Fleet manager", "Language"}},
		},
		golden{
			Name: "roles_assignments",
			Build: func(l Lang) Card {
				notice := l.T("roles.granted", "Aïcha Benali", l.T("role.fleet_manager"))
				return Roles(l, sampleRoleLines(), samplePeople(), notice)
			},
			Words: map[Lang][]string{FR: {"Attribuer un rôle", "Retirer", "attribué à"}, EN: {"Grant a role", "Revoke", "granted to"}},
		},
		golden{
			Name:  "roles_empty",
			Build: func(l Lang) Card { return Roles(l, nil, nil, "") },
			Words: map[Lang][]string{FR: {"Aucun rôle attribué", "Personne d'autre"}, EN: {"No role granted yet", "Nobody else"}},
		},
		golden{
			Name: "notice_language_set",
			Build: func(l Lang) Card {
				return Notice(l, "", l.T("language.set"), ColorGood, Execute{Title: l.T("menu.open"), Verb: VerbMenu})
			},
			Langs: Languages,
			Words: map[Lang][]string{FR: {"C'est noté", "Voir le menu"}, EN: {"Noted", "Show the menu"}},
		},
	)
}

// sampleMenuItems is the core menu a staff member, or an admin, gets.
func sampleMenuItems(admin bool) []MenuItem {
	items := []MenuItem{
		{Section: "menu.section.me", Title: "menu.profile", Verb: VerbProfile},
		{Section: "menu.section.me", Title: "menu.help", Verb: VerbMenu},
	}
	if admin {
		items = append(items, MenuItem{Section: "menu.section.admin", Title: "menu.roles", Verb: VerbRoles})
	}
	return items
}

// sampleCommands are the core text commands, as typed in each language.
func sampleCommands(l Lang) []CommandHelp {
	if l == EN {
		return []CommandHelp{{"help", "cmd.help.desc"}, {"profile", "cmd.profile.desc"}, {"roles", "cmd.roles.desc"}, {"language", "cmd.language.desc"}}
	}
	return []CommandHelp{{"aide", "cmd.help.desc"}, {"profil", "cmd.profile.desc"}, {"rôles", "cmd.roles.desc"}, {"langue", "cmd.language.desc"}}
}

func sampleRoleLines() []RoleLine {
	return []RoleLine{
		{UserID: "5f1c2a9e-0b7d-4c3e-9a61-2d8f4b7e1c03", UserName: "Sophie Durand", Role: "admin", Bootstrap: true},
		{UserID: "a3d9e8b1-6c2f-4e5a-8b7d-9f0e1a2b3c4d", UserName: "Jean-Pierre Lefèvre", Role: "technician"},
		{UserID: "c7b6a5d4-3e2f-4a1b-9c8d-7e6f5a4b3c2d", UserName: "Aïcha Benali", Role: "fleet_manager"},
	}
}

func samplePeople() []Choice {
	return []Choice{
		{Title: "Aïcha Benali", Value: "c7b6a5d4-3e2f-4a1b-9c8d-7e6f5a4b3c2d"},
		{Title: "Camille Martin", Value: "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b"},
		{Title: "Jean-Pierre Lefèvre", Value: "a3d9e8b1-6c2f-4e5a-8b7d-9f0e1a2b3c4d"},
		{Title: "Thomas N'Guyen", Value: "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e"},
	}
}
