package cards

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestCatalogueLanguagesHaveSameKeys(t *testing.T) {
	msgs := messages()
	if len(msgs) != len(Languages) {
		t.Errorf("catalogue has %d languages, Languages lists %d", len(msgs), len(Languages))
	}
	for _, l := range Languages {
		for key := range msgs[FR] {
			if _, ok := msgs[l][key]; !ok {
				t.Errorf("%q has no %s text", key, l)
			}
		}
		for key := range msgs[l] {
			if _, ok := msgs[FR][key]; !ok {
				t.Errorf("%q has a %s text but no French one", key, l)
			}
		}
	}
}

// Each feature has its own catalogue file; merging them must not let one
// silently replace another's text.
func TestCatalogueKeysDefinedOnce(t *testing.T) {
	seen := map[string]int{}
	for i, part := range catalogParts {
		for key := range part {
			if j, dup := seen[key]; dup {
				t.Errorf("%q is defined in catalogue parts %d and %d", key, j, i)
			}
			seen[key] = i
		}
	}
}

func TestCatalogueTextsNotEmpty(t *testing.T) {
	for _, l := range Languages {
		for key, text := range messages()[l] {
			if strings.TrimSpace(text) == "" {
				t.Errorf("%q: empty %s text", key, l)
			}
			if text != strings.TrimSpace(text) {
				t.Errorf("%q: %s text %q has leading or trailing space", key, l, text)
			}
		}
	}
}

// TestCatalogueFormatVerbsMatch: both languages of a text take the same
// arguments, with the same verb for each argument; they may be in another
// order only with explicit indexes (%[2]s).
func TestCatalogueFormatVerbsMatch(t *testing.T) {
	msgs := messages()
	for key := range msgs[FR] {
		fr, err := formatArgs(msgs[FR][key])
		if err != nil {
			t.Errorf("%q (fr): %v", key, err)
			continue
		}
		for _, l := range Languages[1:] {
			other, err := formatArgs(msgs[l][key])
			if err != nil {
				t.Errorf("%q (%s): %v", key, l, err)
				continue
			}
			if !slices.Equal(fr, other) {
				t.Errorf("%q: French takes %v, %s takes %v", key, fr, l, other)
			}
		}
	}
}

// formatArgs returns, for each argument a text formats, "n:verb" (argument
// number from 1), sorted. "%%" is a percent sign.
func formatArgs(s string) ([]string, error) {
	used := map[string]bool{}
	arg := 0 // the next argument, from 0
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		i++
		if i < len(s) && s[i] == '%' {
			continue
		}
		start := i - 1
		for i < len(s) && strings.IndexByte("+-#0", s[i]) >= 0 {
			i++
		}
		if i < len(s) && s[i] == ' ' {
			return nil, fmt.Errorf("%q at byte %d: a lone %% (write %%%% for a percent sign)", s[start:min(i+2, len(s))], start)
		}
		index := func() error {
			if i < len(s) && s[i] == '[' {
				end := strings.IndexByte(s[i:], ']')
				if end < 0 {
					return fmt.Errorf("unclosed argument index at byte %d", i)
				}
				n, err := strconv.Atoi(s[i+1 : i+end])
				if err != nil || n < 1 {
					return fmt.Errorf("bad argument index %q", s[i:i+end+1])
				}
				arg = n - 1
				i += end + 1
			}
			return nil
		}
		if err := index(); err != nil {
			return nil, err
		}
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
			i++
		}
		if err := index(); err != nil {
			return nil, err
		}
		if i >= len(s) || !(s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z') {
			return nil, fmt.Errorf("%q at byte %d is not a format verb (write %%%% for a percent sign)", s[start:min(i+1, len(s))], start)
		}
		used[fmt.Sprintf("%d:%c", arg+1, s[i])] = true
		arg++
	}
	return slices.Sorted(func(yield func(string) bool) {
		for k := range used {
			if !yield(k) {
				return
			}
		}
	}), nil
}

func TestFormatArgs(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		bad  bool
	}{
		{in: "Bonjour !", want: []string{}},
		{in: "%s est maintenant %s.", want: []string{"1:s", "2:s"}},
		{in: "%[2]s, %[1]d", want: []string{"1:d", "2:s"}},
		{in: "%d voitures, 100 %% de %s", want: []string{"1:d", "2:s"}},
		{in: "%-5.2f", want: []string{"1:f"}},
		{in: "100 % de réussite", bad: true},
		{in: "fin %", bad: true},
	} {
		got, err := formatArgs(tc.in)
		if tc.bad {
			if err == nil {
				t.Errorf("formatArgs(%q) = %v, want an error", tc.in, got)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("formatArgs(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestT(t *testing.T) {
	if got := FR.T("welcome.hello", "Camille"); got != "Bonjour Camille\u00a0!" {
		t.Errorf("FR.T(welcome.hello) = %q", got)
	}
	if got := EN.T("welcome.hello", "Camille"); got != "Hello Camille!" {
		t.Errorf("EN.T(welcome.hello) = %q", got)
	}
	// Without arguments the text is not formatted: a "%" stays as written.
	if got := EN.T("menu.command.line"); got != "**%s**: %s" {
		t.Errorf("EN.T without args = %q", got)
	}
}

func TestLangFor(t *testing.T) {
	for locale, want := range map[string]Lang{
		"fr-FR": FR, "fr": FR, "fr-CA": FR, "en-US": EN, "en-GB": EN, "en": EN, "EN-us": EN, "en_US": EN,
		" en-US ": EN, "": FR, "de-DE": FR, "es": FR, "eng": FR, "english": FR,
	} {
		if got := LangFor(locale); got != want {
			t.Errorf("LangFor(%q) = %q, want %q", locale, got, want)
		}
	}
}

func TestParseLang(t *testing.T) {
	for in, want := range map[string]Lang{
		"fr": FR, "FR": FR, "français": FR, "Francais": FR, "french": FR, "fr-FR": FR,
		"en": EN, "anglais": EN, "English": EN, "en-US": EN, "en-gb": EN, " EN ": EN,
	} {
		if got, ok := ParseLang(in); !ok || got != want {
			t.Errorf("ParseLang(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "de", "allemand", "frr"} {
		if got, ok := ParseLang(in); ok {
			t.Errorf("ParseLang(%q) = %q, want not recognised", in, got)
		}
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Réserver":             "reserver",
		"  RÉSERVER ":          "reserver",
		"réserver":             "reserver",
		"Prêt   d'ordinateur":  "pret d'ordinateur",
		"prêt d’ordinateur":    "pret d'ordinateur", // typographic apostrophe
		"Ça\tva\ncomme ça":     "ca va comme ca",
		"Noël à l'Hôpital":     "noel a l'hopital",
		"ÉTABLISSEMENT Cédric": "etablissement cedric",
		"réserver\u00a0demain": "reserver demain", // no-break space
		"":                     "",
		"AB-123-CD":            "ab-123-cd",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCatalogueHasEveryKeyTheCodeUses walks the module's Go source: every
// string literal passed as the key of a .T call (Lang.T), of domain.Errorf
// or domain.Wrap, or set as the Key of a domain.Error, and every literal of
// package domain that starts with "err.", must be a catalogue key. Keys built
// at run time ("role."+r) cannot be checked here and are skipped.
//
// The check is syntactic: any method named T with a literal first argument
// is taken for Lang.T.
func TestCatalogueHasEveryKeyTheCodeUses(t *testing.T) {
	root := repoRoot(t)
	domainDir := filepath.Join(root, "domain")
	fset := token.NewFileSet()
	counts := map[string]int{}
	check := func(kind string, lit ast.Expr) {
		bl, ok := lit.(*ast.BasicLit)
		if !ok || bl.Kind != token.STRING {
			return // built at run time
		}
		key, err := strconv.Unquote(bl.Value)
		if err != nil {
			t.Errorf("%s: %v", fset.Position(bl.Pos()), err)
			return
		}
		counts[kind]++
		if !Has(key) {
			t.Errorf("%s: %s key %q is not in the catalogue", fset.Position(bl.Pos()), kind, key)
		}
	}

	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "node_modules" || name == "testdata" || name == "vendor" ||
				strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") {
			return nil
		}
		file, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		inDomain := filepath.Dir(path) == domainDir
		domainName := ""
		for _, imp := range file.Imports {
			if imp.Path.Value == `"github.com/anras/parc/domain"` {
				domainName = "domain"
				if imp.Name != nil {
					domainName = imp.Name.Name
				}
			}
		}
		// isDomain reports whether e names domain's identifier ident.
		isDomain := func(e ast.Expr, ident string) bool {
			switch e := e.(type) {
			case *ast.Ident:
				return inDomain && e.Name == ident
			case *ast.SelectorExpr:
				x, ok := e.X.(*ast.Ident)
				return ok && domainName != "" && x.Name == domainName && e.Sel.Name == ident
			}
			return false
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "T" && len(n.Args) > 0 {
					check("T", n.Args[0])
				}
				if isDomain(n.Fun, "Errorf") && len(n.Args) > 1 {
					check("domain error", n.Args[1])
				}
				if isDomain(n.Fun, "Wrap") && len(n.Args) > 2 {
					check("domain error", n.Args[2])
				}
			case *ast.CompositeLit:
				if isDomain(n.Type, "Error") {
					for _, elt := range n.Elts {
						if kv, ok := elt.(*ast.KeyValueExpr); ok {
							if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Key" {
								check("domain error", kv.Value)
							}
						}
					}
				}
			case *ast.BasicLit:
				if inDomain && !strings.HasSuffix(path, "_test.go") && n.Kind == token.STRING &&
					strings.HasPrefix(strings.Trim(n.Value, "\"`"), "err.") {
					check("domain err.", n)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The walk must have found the calls it looks for, or it checks nothing.
	for _, kind := range []string{"T", "domain error", "domain err."} {
		if counts[kind] == 0 {
			t.Errorf("found no %s key in %s: is the walk broken?", kind, root)
		}
	}
	t.Logf("checked keys: %v", counts)
}

func TestFrenchSpacing(t *testing.T) {
	for in, want := range map[string]string{
		"Je n'ai pas compris « aide ».": "Je n'ai pas compris «\u00a0aide\u00a0».",
		"Que voulez-vous faire ?":       "Que voulez-vous faire\u00a0?",
		"Nom : Alice ; rôle : admin !":  "Nom\u00a0: Alice\u00a0; rôle\u00a0: admin\u00a0!",
		"https://x.org/a?b=c":           "https://x.org/a?b=c",
		"10:30":                         "10:30",
	} {
		if got := frenchSpacing(in); got != want {
			t.Errorf("frenchSpacing(%q) = %q, want %q", in, got, want)
		}
	}
	if got := EN.T("unknown.title", "x ?"); got != "I did not understand \"x ?\"." {
		t.Errorf("English text changed: %q", got)
	}
}
