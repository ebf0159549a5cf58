package inventory

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/anras/parc/domain"
)

// Column is a column Parc reads from the sheet.
type Column int

const (
	ColOwner Column = iota
	ColSite
	ColMake
	ColModel
	ColSpecs
	ColOS
	ColID
	ColSerial
	numColumns
)

// columnNames are the columns' names as the sheet writes them, for
// messages.
var columnNames = [numColumns]string{"Propriétaire", "Site", "Marque", "Modèle", "Caractéristique technique", "Version du système", "Nomenclature", "N° de série"}

// Name is the column's name as the sheet writes it.
func (c Column) Name() string { return columnNames[c] }

// requiredColumns must be found in the header row.
var requiredColumns = []Column{ColMake, ColModel, ColID}

var parenRe = regexp.MustCompile(`\([^)]*\)`)

// headerColumn recognises a header cell whatever its case, accents,
// spacing, plural or a remark in brackets ("Nomenclature (vérifier si
// c'est F ou P)").
func headerColumn(s string) (Column, bool) {
	h := domain.FoldText(parenRe.ReplaceAllString(s, " "))
	h = strings.NewReplacer("°", "", "º", "", ".", " ", "_", " ", ":", " ").Replace(h)
	h = strings.Join(strings.Fields(h), " ")
	switch {
	case h == "proprietaire" || h == "proprietaires" || h == "owner":
		return ColOwner, true
	case h == "site" || h == "sites":
		return ColSite, true
	case h == "marque" || h == "marques" || h == "fabricant" || h == "constructeur" || h == "make":
		return ColMake, true
	case h == "modele" || h == "modeles" || h == "model":
		return ColModel, true
	case strings.HasPrefix(h, "caracteristique") || h == "specifications" || h == "config" || h == "configuration":
		return ColSpecs, true
	case strings.HasPrefix(h, "version du systeme") || h == "systeme" || h == "os" || h == "systeme d'exploitation" || h == "version os":
		return ColOS, true
	case strings.HasPrefix(h, "nomenclature") || h == "identifiant" || h == "id" || h == "nom du poste":
		return ColID, true
	case h == "n de serie" || h == "numero de serie" || h == "no de serie" || h == "serie" || h == "serial" || h == "sn":
		return ColSerial, true
	}
	return 0, false
}

// cleanCell trims a cell and collapses its white space (no-break spaces
// included).
func cleanCell(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\u00a0' || r == '\u202f' }), " ")
}

// hasControl reports whether s holds control characters other than white
// space.
func hasControl(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			return true
		}
	}
	return false
}

// makes maps the spellings of the sheet to one name per manufacturer.
var makes = map[string]string{
	"lenovo": "Lenovo", "dell": "Dell", "dell inc": "Dell", "dell inc.": "Dell", "hp": "HP", "hewlett-packard": "HP",
	"hewlett packard": "HP", "asus": "ASUS", "asustek": "ASUS", "microsoft": "Microsoft", "microsoft corp": "Microsoft",
	"microsoft corporation": "Microsoft", "fujitsu": "Fujitsu", "apple": "Apple", "acer": "Acer", "samsung": "Samsung",
	"toshiba": "Toshiba", "msi": "MSI", "huawei": "Huawei", "xiaomi": "Xiaomi", "cisco": "Cisco", "ubiquiti": "Ubiquiti",
}

// NormalizeMake writes a manufacturer one way ("LENOVO", "Dell Inc" give
// "Lenovo", "Dell"); an unknown one is kept as written.
func NormalizeMake(s string) string {
	s = cleanCell(s)
	if m, ok := makes[domain.FoldText(s)]; ok {
		return m
	}
	return s
}

var (
	osWindowRe = regexp.MustCompile(`^(?:window|windws|widows|windos|win)\s*(\d+)\b`)
	osEditions = map[string]string{
		"pro": "Pro", "professionnel": "Pro", "professional": "Pro", "pro n": "Pro N",
		"famille": "Famille", "home": "Famille", "entreprise": "Entreprise", "enterprise": "Entreprise",
		"education": "Éducation", "education n": "Éducation N", "s": "S",
	}
)

// NormalizeOS writes a Windows version one way, fixing the sheet's typos:
// "Window 10 Pro", "windows 10 pro" and "Windows 10 professionnel" give
// "Windows 10 Pro", "Windows 10 famille" gives "Windows 10 Famille".
// Anything else is kept as written.
func NormalizeOS(s string) string {
	s = cleanCell(s)
	f := domain.FoldText(s)
	if strings.HasPrefix(f, "windows") {
		f = "windows" + f[len("windows"):]
	} else if m := osWindowRe.FindStringSubmatch(f); m != nil {
		f = "windows " + m[1] + f[len(m[0]):]
	}
	f = strings.Replace(f, "windows", "windows ", 1)
	f = strings.Join(strings.Fields(f), " ")
	parts := strings.Fields(f)
	if len(parts) < 2 || parts[0] != "windows" {
		return s
	}
	version := parts[1]
	edition := strings.Join(parts[2:], " ")
	out := "Windows " + strings.ToUpper(version)
	if edition != "" {
		e, ok := osEditions[edition]
		if !ok {
			return s
		}
		out += " " + e
	}
	return out
}

var (
	ramRe = regexp.MustCompile(`(?i)[-–,]?\s*(\d+(?:[.,]\d+)?)\s*(go|gb|g|mo|mb)\b(?:\s*(?:de\s+)?ram)?\s*$`)
	cpuRe = regexp.MustCompile(`(?i)\b(i[3579]|ryzen\s*[3579]|celeron|pentium|atom|m[1-4])\s*-?\s*([0-9]{3,5}[a-z0-9]{0,3})?`)
)

// ParseSpecs reads the sheet's "Caractéristique technique" ("i5-6300U CPU
// - 8Go", "i3 - 5005U CPU - 8 Go", "i7-8650U - 5192 MB RAM") into a
// processor ("i5-6300U") and a memory size ("8 Go"), each empty when it
// cannot be read.
func ParseSpecs(s string) (cpu, ram string) {
	s = cleanCell(s)
	rest := s
	if m := ramRe.FindStringSubmatchIndex(s); m != nil {
		num := strings.Replace(s[m[2]:m[3]], ",", ".", 1)
		unit := "Go"
		if u := strings.ToLower(s[m[4]:m[5]]); u == "mo" || u == "mb" {
			unit = "Mo"
		}
		ram = num + " " + unit
		rest = s[:m[0]]
	}
	if m := cpuRe.FindStringSubmatch(rest); m != nil {
		family := strings.ToLower(strings.Join(strings.Fields(m[1]), " "))
		if strings.HasPrefix(family, "ryzen") {
			family = "Ryzen " + strings.TrimSpace(strings.TrimPrefix(family, "ryzen"))
		} else if family == "celeron" || family == "pentium" || family == "atom" {
			family = strings.ToUpper(family[:1]) + family[1:]
		}
		cpu = family
		if m[2] != "" {
			model := strings.ToUpper(m[2])
			// "2450MCP" is "2450M CPU" with its space and U lost.
			model = strings.TrimSuffix(model, "CPU")
			if strings.HasSuffix(model, "CP") && len(model) > 4 {
				model = strings.TrimSuffix(model, "CP")
			}
			cpu += "-" + model
		}
	}
	return cpu, ram
}
