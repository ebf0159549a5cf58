package cards

import (
	"fmt"
	"log/slog"
	"strings"
	"sync"
)

// Lang is a language Parc speaks.
type Lang string

const (
	FR Lang = "fr" // the default: Parc's users are French
	EN Lang = "en"
)

// Languages lists the languages of the catalogue, French first.
var Languages = []Lang{FR, EN}

// LangFor maps a Teams locale ("fr-FR", "en-US", "en") to a language; any
// locale that is not English is French.
func LangFor(locale string) Lang {
	l := strings.ToLower(strings.TrimSpace(locale))
	if l == "en" || strings.HasPrefix(l, "en-") || strings.HasPrefix(l, "en_") {
		return EN
	}
	return FR
}

// ParseLang returns the language named s ("fr", "français", "en",
// "english"...) and whether it was recognised.
func ParseLang(s string) (Lang, bool) {
	switch Fold(s) {
	case "fr", "francais", "french", "fr-fr":
		return FR, true
	case "en", "anglais", "english", "en-us", "en-gb":
		return EN, true
	}
	return "", false
}

var (
	catalogOnce sync.Once
	catalog     map[Lang]map[string]string
)

// messages returns the merged catalogue. Each feature keeps its texts in its
// own catalog_*.go file, French and English side by side.
func messages() map[Lang]map[string]string {
	catalogOnce.Do(func() {
		catalog = map[Lang]map[string]string{FR: {}, EN: {}}
		for _, part := range catalogParts {
			for key, pair := range part {
				catalog[FR][key] = pair[0]
				catalog[EN][key] = pair[1]
			}
		}
	})
	return catalog
}

// Text is one catalogue entry: French, then English.
type Text [2]string

// catalogParts lists the catalogue files' maps.
var catalogParts = []map[string]Text{coreTexts, fleetTexts, equipmentTexts, licenceTexts}

// T returns the text for key in language l, formatted with args (fmt verbs).
// A missing key is logged and shown as the key itself: a test makes sure
// that never happens for a key the code uses.
func (l Lang) T(key string, args ...any) string {
	msg, ok := messages()[l][key]
	if !ok {
		slog.Error("missing catalogue text", "key", key, "lang", string(l))
		msg = key
	}
	if len(args) > 0 {
		msg = fmt.Sprintf(msg, args...)
	}
	if l == FR {
		msg = frenchSpacing(msg)
	}
	return msg
}

// frenchSpacing puts the no-break spaces of French typography inside
// « guillemets » and before ? ! : ; so that a card never wraps a lone
// punctuation mark onto its own line. The catalogue is written with plain
// spaces; this is the one place that fixes them.
func frenchSpacing(s string) string {
	if !strings.ContainsAny(s, "«»?!:;") {
		return s
	}
	return frenchSpacer.Replace(s)
}

var frenchSpacer = strings.NewReplacer(
	"« ", "«\u00a0", " »", "\u00a0»",
	" ?", "\u00a0?", " !", "\u00a0!", " :", "\u00a0:", " ;", "\u00a0;",
)

// Has reports whether the catalogue has key.
func Has(key string) bool {
	_, ok := messages()[FR][key]
	return ok
}

// Keys returns every key of the catalogue.
func Keys() []string {
	var keys []string
	for k := range messages()[FR] {
		keys = append(keys, k)
	}
	return keys
}
