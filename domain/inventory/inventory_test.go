package inventory

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/anras/parc/domain"
	"github.com/xuri/excelize/v2"
)

// seedRows returns the seed extract as cells.
func seedRows(t testing.TB) [][]string {
	var rows [][]string
	for _, line := range strings.Split(strings.TrimSpace(SeedExtract), "\n") {
		rows = append(rows, strings.Split(line, ";"))
	}
	if len(rows) != 26 {
		t.Fatalf("seed extract has %d lines, want a header and 25 rows", len(rows))
	}
	return rows
}

// xlsxOf writes rows as an Excel workbook; edit may change the sheet first.
func xlsxOf(t testing.TB, rows [][]string, edit func(f *excelize.File)) []byte {
	f := excelize.NewFile()
	defer f.Close()
	for r, row := range rows {
		for c, v := range row {
			if v == "" {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if err := f.SetCellValue("Sheet1", cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if edit != nil {
		edit(f)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func csvOf(rows [][]string) []byte {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, ";") + "\n")
	}
	return []byte(b.String())
}

func parse(t *testing.T, name string, data []byte) []Row {
	t.Helper()
	raw, err := Read(name, data)
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	rows, err := Parse(raw)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return rows
}

func TestSeedExtractReadsAsXLSXAndCSV(t *testing.T) {
	want := map[string]domain.TerminalFacts{
		"DITEP-STF-P001": {Owner: "DITEP", Make: "Lenovo", Model: "20FVS 2M30", Specs: "i5-6300U CPU - 8Go", CPU: "i5-6300U", RAM: "8 Go", OS: "Windows 10 Pro"},
		"DITEP-STF-P008": {Make: "Lenovo", CPU: "i5-4300U", RAM: "8 Go", OS: "Windows 10 Pro"},
		"DITEP-STF-P013": {Make: "Fujitsu", Model: "Lifebook A556", CPU: "i3-5005U", RAM: "8 Go"},
		"DITEP-STF-P014": {Make: "Dell", Model: "Latitude E5540", CPU: "i5-4300", RAM: "8 Go"},
		"DITEP-STF-P016": {OS: "Windows 10 Pro"}, // "Window 10 Pro" in the sheet
		"DITEP-STF-P017": {CPU: "i5-2450M", RAM: "6 Go"},
		"DITEP-STF-P018": {Make: "Microsoft", CPU: "i7-8650U", RAM: "5192 Mo"},
		"DITEP-STF-P020": {CPU: "i5-6200U", RAM: "16 Go"},
		"DITEP-STF-P022": {CPU: "i7-2760QM", RAM: "12 Go"},
		"DITEP-STF-P023": {Make: "ASUS", Model: "Vivo book", OS: "Windows 10 Pro"},
		"DITEP-STF-P024": {Make: "Microsoft", Model: "Surface Pro 7", CPU: "i3-1005G1", RAM: "4 Go", OS: "Windows 10 Famille"},
		"DITEP-STF-P026": {CPU: "i3-500", RAM: "8 Go"},
	}
	for name, data := range map[string][]byte{"inventaire.xlsx": xlsxOf(t, seedRows(t), nil), "inventaire.csv": []byte(SeedExtract)} {
		rows := parse(t, name, data)
		if len(rows) != 25 {
			t.Fatalf("%s: %d rows, want 25", name, len(rows))
		}
		for _, r := range rows {
			if r.Problem != nil {
				t.Errorf("%s line %d (%s) refused: %+v", name, r.Line, r.ID, r.Problem)
			}
			w, ok := want[r.Facts.ID]
			if !ok {
				continue
			}
			got := r.Facts
			check := func(field, g, w string) {
				if w != "" && g != w {
					t.Errorf("%s %s %s = %q, want %q", name, r.Facts.ID, field, g, w)
				}
			}
			check("owner", got.Owner, w.Owner)
			check("make", got.Make, w.Make)
			check("model", got.Model, w.Model)
			check("specs", got.Specs, w.Specs)
			check("cpu", got.CPU, w.CPU)
			check("ram", got.RAM, w.RAM)
			check("os", got.OS, w.OS)
		}
		if rows[0].Line != 2 || rows[24].Line != 26 {
			t.Errorf("%s: lines %d..%d, want 2..26 (the sheet's row numbers)", name, rows[0].Line, rows[24].Line)
		}
	}
}

func TestHeadersTolerateCaseAccentsSpacing(t *testing.T) {
	rows := [][]string{
		{"  NOMENCLATURE ", "modeles", "MARQUE", "caracteristiques   techniques", "Version du Systeme", "PROPRIETAIRE", "N° de série"},
		{"ditep-stf-p068", "ThinkPad T480", "lenovo", "i5-8250U - 8 Go", "windows10 professionnel", "ditep", "pf0 abcd1"},
	}
	got := parse(t, "x.csv", csvOf(rows))
	f := got[0].Facts
	if got[0].Problem != nil || f.ID != "DITEP-STF-P068" || f.Make != "Lenovo" || f.OS != "Windows 10 Pro" || f.Owner != "DITEP" || f.Serial != "PF0ABCD1" || f.CPU != "i5-8250U" {
		t.Fatalf("row = %+v, %+v", f, got[0].Problem)
	}
}

func TestRowsRefusedWithTheirReason(t *testing.T) {
	rows := seedRows(t)[:4]
	rows = append(rows,
		[]string{"DITEP", "", "Dell", "Latitude", "i5", "Windows 11 Pro", "DITEP-STF-X"},
		[]string{"DITEP", "", "Dell", "Latitude", "i5", "Windows 11 Pro", "DITEP-STF-P001"},
		[]string{"DITEP", "SOC", "Dell", "Latitude", "i5", "Windows 11 Pro", "DITEP-STF-P040"},
		[]string{"DITEP", "", "Dell", strings.Repeat("x", 300), "i5", "Windows 11 Pro", "DITEP-STF-P041"},
		[]string{"DITEP", "", "=HYPERLINK(\"http://x\")", "Latitude", "i5", "Windows 11 Pro", "DITEP-STF-P042"},
		[]string{"DITEP", "", "Dell", "Lat\x07itude", "i5", "Windows 11 Pro", "DITEP-STF-P043"},
		[]string{"DITEP", "stf", "Dell", "Latitude", "i5", "Windows 11 Pro", "DITEP-STF-P044"},
	)
	got := parse(t, "x.csv", csvOf(rows))
	wantKeys := map[int]string{5: "import.reason.id", 6: "import.reason.duplicate", 7: "import.reason.site", 8: "import.reason.long", 9: "import.reason.formula", 10: "import.reason.control"}
	for _, r := range got {
		key := ""
		if r.Problem != nil {
			key = r.Problem.Key
		}
		if key != wantKeys[r.Line] {
			t.Errorf("line %d (%s): problem %q, want %q", r.Line, r.ID, key, wantKeys[r.Line])
		}
	}
	if len(got) != 10 {
		t.Fatalf("%d rows", len(got))
	}
}

func TestXLSXFormulasAreRefused(t *testing.T) {
	data := xlsxOf(t, seedRows(t)[:3], func(f *excelize.File) {
		if err := f.SetCellFormula("Sheet1", "C3", `="LEN"&"OVO"`); err != nil {
			t.Fatal(err)
		}
	})
	rows := parse(t, "x.xlsx", data)
	if rows[0].Problem != nil || rows[1].Problem == nil || rows[1].Problem.Key != "import.reason.formula" || rows[1].Problem.Args[0] != "Marque" {
		t.Fatalf("rows = %+v / %+v", rows[0].Problem, rows[1].Problem)
	}
}

// zipBomb returns a valid workbook with one more entry that unpacks to
// 40 MB of zeros: a file of a few dozen kilobytes.
func zipBomb(t *testing.T) []byte {
	src := xlsxOf(t, seedRows(t), nil)
	zr, err := zip.NewReader(bytes.NewReader(src), int64(len(src)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		w, _ := zw.Create(f.Name)
		r, _ := f.Open()
		var b bytes.Buffer
		_, _ = b.ReadFrom(r)
		_, _ = w.Write(b.Bytes())
	}
	w, _ := zw.Create("xl/media/bomb.bin")
	zeros := make([]byte, 1<<20)
	for range 40 { // 40 MB, over the 32 MiB Parc unpacks at most
		_, _ = w.Write(zeros)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestHostileFilesAreRefused(t *testing.T) {
	header := seedRows(t)[0]
	empties := csvOf(seedRows(t)) // 25 rows, then fifty thousand rows of empty cells
	empties = append(empties, bytes.Repeat([]byte(";;;;;;\n"), 50000)...)
	cases := []struct {
		name string
		file string
		data []byte
		key  string
	}{
		{"wrong columns", "x.csv", csvOf([][]string{{"Nom", "Prénom", "Service"}, {"Martin", "Alice", "Vie scolaire"}}), "err.import.columns"},
		{"fifty thousand empty rows (xlsx)", "x.xlsx", xlsxOf(t, seedRows(t), func(f *excelize.File) { _ = f.SetCellValue("Sheet1", "A50030", " ") }), "err.import.too_many_rows"},
		{"fifty thousand empty rows (csv)", "x.csv", empties, "err.import.too_many_rows"},
		{"zip bomb", "x.xlsx", zipBomb(t), "err.import.unreadable"},
		{"not a workbook", "x.xlsx", []byte("<html>not a workbook</html>"), "err.import.format"},
		{"a workbook named csv", "x.csv", xlsxOf(t, seedRows(t), nil), "err.import.format"},
		{"binary", "x.csv", []byte("Nomenclature;Marque\x00;Modèle\n"), "err.import.format"},
		{"too big", "x.csv", bytes.Repeat([]byte("a"), domain.MaxImportFileBytes+1), "err.import.too_big"},
		{"a pdf", "scan.pdf", []byte("%PDF-1.4"), "err.import.format"},
		{"header only", "x.csv", csvOf([][]string{header}), "err.import.empty"},
		{"broken zip", "x.xlsx", append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0xff}, 100)...), "err.import.unreadable"},
	}
	for _, c := range cases {
		raw, err := Read(c.file, c.data)
		if err == nil {
			_, err = Parse(raw)
		}
		e := domain.AsError(err)
		if e == nil || e.Code != domain.EINVALID || e.Key != c.key {
			t.Errorf("%s: %v, want EINVALID %s", c.name, err, c.key)
		}
	}
}

func TestWindows1252CSV(t *testing.T) {
	data := []byte("Propri\xe9taire;Marque;Mod\xe8le;Nomenclature\nDITEP;Lenovo;T\xe9l\xe9phone;DITEP-STF-TP001\n")
	rows := parse(t, "excel.csv", data)
	if rows[0].Facts.Model != "Téléphone" {
		t.Fatalf("model = %q", rows[0].Facts.Model)
	}
}

func TestNormalizeOS(t *testing.T) {
	for in, want := range map[string]string{
		"Windows 10 pro": "Windows 10 Pro", "Window 10 Pro": "Windows 10 Pro", "windows 10 Pro": "Windows 10 Pro",
		"Windows 10 famille": "Windows 10 Famille", "WIN10 PRO": "Windows 10 Pro", "Windows 11 Professionnel": "Windows 11 Pro",
		"windows  11": "Windows 11", "Ubuntu 22.04": "Ubuntu 22.04", "Windows 10 pro  N": "Windows 10 Pro N", "": "",
	} {
		if got := NormalizeOS(in); got != want {
			t.Errorf("NormalizeOS(%q) = %q, want %q", in, got, want)
		}
	}
}

// fakeStore is what planning reads, in memory.
type fakeStore struct {
	terminals map[string]domain.Terminal
}

func (f *fakeStore) Terminal(_ context.Context, id string) (domain.Terminal, error) {
	if t, ok := f.terminals[id]; ok {
		return t, nil
	}
	return domain.Terminal{}, domain.Errorf(domain.ENOTFOUND, "err.terminal.unknown", id)
}

func (f *fakeStore) ListEstablishments(context.Context) ([]domain.Establishment, error) {
	return []domain.Establishment{{Code: "DITEP-STF", Name: "DITEP Saint-François"}}, nil
}

func (f *fakeStore) TerminalTypes(context.Context) ([]domain.TerminalType, error) { return nil, nil }

func (f *fakeStore) apply(p Plan) {
	for _, facts := range p.Facts() {
		t, ok := f.terminals[facts.ID]
		if !ok {
			id, _ := domain.ParseTerminalID(facts.ID)
			t = domain.NewTerminal(id)
		}
		facts.ApplyTo(&t)
		f.terminals[facts.ID] = t
	}
}

func TestPlanThenReimportChangesNothing(t *testing.T) {
	store := &fakeStore{terminals: map[string]domain.Terminal{}}
	p016 := domain.NewTerminal(domain.TerminalID{Org: "DITEP", Site: "STF", Type: "P", Number: 16})
	p016.Make, p016.OS = "Fujitsu", "Windows 8"
	store.terminals[p016.ID] = p016
	rows := parse(t, "x.csv", []byte(SeedExtract+"ANRAS;;HP;EliteBook;i5;Windows 10 Pro;ANRAS-SOC-P001\nDITEP;;HP;Imprimante;;;DITEP-STF-Z001\n"))
	plan, err := MakePlan(context.Background(), store, rows)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.New) != 24 || len(plan.Changed) != 1 || len(plan.Unchanged) != 0 || len(plan.Invalid) != 2 {
		t.Fatalf("plan: %d new, %d changed, %d unchanged, %d invalid", len(plan.New), len(plan.Changed), len(plan.Unchanged), len(plan.Invalid))
	}
	ch := plan.Changed[0]
	if ch.ID != "DITEP-STF-P016" || ch.Line != 16 || !hasChange(ch.Changes, "os", "Windows 8", "Windows 10 Pro") {
		t.Fatalf("changed = %+v", ch)
	}
	if k := plan.Invalid[0].Problem.Key; k != "import.reason.establishment" {
		t.Errorf("unknown establishment: %s", k)
	}
	if k := plan.Invalid[1].Problem.Key; k != "import.reason.type" {
		t.Errorf("unknown type: %s", k)
	}
	store.apply(plan)
	again, _ := MakePlan(context.Background(), store, rows)
	if len(again.New) != 0 || len(again.Changed) != 0 || len(again.Unchanged) != 25 {
		t.Fatalf("re-import: %d new, %d changed, %d unchanged", len(again.New), len(again.Changed), len(again.Unchanged))
	}
}

func hasChange(ch []domain.FieldChange, field, from, to string) bool {
	for _, c := range ch {
		if c.Field == field && c.From == from && c.To == to {
			return true
		}
	}
	return false
}

// FuzzReadCSV: whatever bytes are sent as a csv, reading and parsing never
// panic, stay within the bounds, and every row kept has a valid id.
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte(SeedExtract))
	f.Add([]byte("Nomenclature,Marque,Modèle\nDITEP-STF-P001,\"Len\"\"ovo\",X\n"))
	f.Add([]byte("\xef\xbb\xbfNomenclature\tMarque\tModèle\n=1+1\t\t\n"))
	f.Add([]byte("Nomenclature;Marque;Modèle\n\"unterminated;x;y\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkReadParse(t, "fuzz.csv", data)
	})
}

// FuzzReadXLSX: the same for workbooks (seeded with real ones, which the
// fuzzer mutates into broken zips and XML).
func FuzzReadXLSX(f *testing.F) {
	f.Add(xlsxOf(f, seedRows(f)[:4], nil))
	f.Add(xlsxOf(f, [][]string{{"Nomenclature", "Marque", "Modèle"}, {"DITEP-STF-P001", "=1", "x"}}, nil))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkReadParse(t, "fuzz.xlsx", data)
	})
}

func checkReadParse(t *testing.T, name string, data []byte) {
	raw, err := Read(name, data)
	if err != nil {
		if e := domain.AsError(err); e == nil || e.Code != domain.EINVALID {
			t.Fatalf("Read error %v is not EINVALID", err)
		}
		return
	}
	rows, err := Parse(raw)
	if err != nil {
		if e := domain.AsError(err); e == nil || e.Code != domain.EINVALID {
			t.Fatalf("Parse error %v is not EINVALID", err)
		}
		return
	}
	if len(rows) > MaxDataRows {
		t.Fatalf("%d rows", len(rows))
	}
	for _, r := range rows {
		if r.Problem != nil {
			continue
		}
		if _, err := domain.ParseTerminalID(r.Facts.ID); err != nil {
			t.Fatalf("row %d kept with id %q", r.Line, r.Facts.ID)
		}
		for _, v := range []string{r.Facts.Make, r.Facts.Model, r.Facts.Specs, r.Facts.OS, r.Facts.Owner} {
			if len([]rune(v)) > MaxCellRunes {
				t.Fatalf("row %d kept with a cell of %d runes", r.Line, len([]rune(v)))
			}
		}
	}
	_ = fmt.Sprint(rows)
}

// The inventory has no user: a terminal assigned in Parc stays assigned to
// its person through an import, even from a sheet whose own "Utilisateur"
// column is blank, and whether the import changes its facts or not.
func TestImportKeepsTheAssignment(t *testing.T) {
	alice := domain.PersonRef{ID: "u-alice", Name: "Alice Martin", Email: "alice.martin@anras.fr"}
	sheet := "Propriétaire;Site;Marque;Modèle;Caractéristique technique;Version du système;Nomenclature;Utilisateur\n" +
		"DITEP;;LENOVO;20C0S03500;i5-4300U - 4Go;Windows 10 pro;DITEP-STF-P012;\n" +
		"DITEP;;LENOVO;20C0S03500;i5-4300U - 4Go;Windows 11 pro;DITEP-STF-P013;\n"
	rows := parse(t, "x.csv", []byte(sheet))
	store := &fakeStore{terminals: map[string]domain.Terminal{}}
	store.apply(Plan{New: []Item{{Facts: rows[0].Facts}, {Facts: rows[1].Facts}}})
	for _, id := range []string{"DITEP-STF-P012", "DITEP-STF-P013"} {
		term := store.terminals[id]
		status, who := domain.StatusAssigned, alice
		if err := (domain.TerminalUpdate{Status: &status, AssignedTo: &who}).Apply(&term); err != nil {
			t.Fatal(err)
		}
		store.terminals[id] = term
	}
	// The next sheet: P013 was reinstalled, nobody's user is written.
	rows = parse(t, "x.csv", []byte(strings.Replace(sheet, "Windows 11 pro", "Windows 10 pro", 1)))
	plan, err := MakePlan(context.Background(), store, rows)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Unchanged) != 1 || len(plan.Changed) != 1 || plan.Changed[0].ID != "DITEP-STF-P013" {
		t.Fatalf("plan: %d unchanged, %d changed", len(plan.Unchanged), len(plan.Changed))
	}
	for _, c := range plan.Changed[0].Changes {
		if c.Field != "os" {
			t.Errorf("the import would change %s", c.Field)
		}
	}
	store.apply(plan)
	for _, id := range []string{"DITEP-STF-P012", "DITEP-STF-P013"} {
		term := store.terminals[id]
		if term.Status != domain.StatusAssigned || term.AssignedTo == nil || *term.AssignedTo != alice || term.Validate() != nil {
			t.Errorf("%s after the import: status %s, assigned to %+v", id, term.Status, term.AssignedTo)
		}
	}
}
