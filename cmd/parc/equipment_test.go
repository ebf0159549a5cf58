package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/anras/parc/domain"
	"github.com/anras/parc/domain/inventory"
	"github.com/anras/parc/storage/bolt"
	"github.com/xuri/excelize/v2"
)

// equipmentEnv is a data directory holding the DITEP Saint-François
// establishment.
func equipmentEnv(t testing.TB) (string, map[string]string) {
	dir := t.TempDir()
	st, err := bolt.Open(dir, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateEstablishment(context.Background(), domain.Establishment{Code: "DITEP-STF", Name: "DITEP Saint-François"}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	return dir, map[string]string{"PARC_DATA_DIR": dir}
}

// seedXLSX writes the seed's extract as a workbook, with one typo fixed
// in another row to see a change.
func seedXLSX(t *testing.T, path string, edit func([][]string)) {
	f := excelize.NewFile()
	defer f.Close()
	var rows [][]string
	for _, line := range strings.Split(strings.TrimSpace(inventory.SeedExtract), "\n") {
		rows = append(rows, strings.Split(line, ";"))
	}
	if edit != nil {
		edit(rows)
	}
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if v != "" {
				_ = f.SetCellValue("Sheet1", cell, v)
			}
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// plainText reads French no-break spaces as the spaces they look like.
func plainText(b *bytes.Buffer) string { return strings.ReplaceAll(b.String(), "\u00a0", " ") }

func TestImportTerminalsCommand(t *testing.T) {
	dir, vars := equipmentEnv(t)
	file := filepath.Join(dir, "Inventaire DITEP.xlsx")
	seedXLSX(t, file, nil)
	ctx := context.Background()

	env, out, _ := testEnv(vars)
	if err := run(ctx, env, []string{"import", "terminals", file}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Import de " + file, "Nouveaux : 25 · Modifiés : 0 · Inchangés : 0 · Refusés : 0",
		"Ligne 2 (DITEP-STF-P001) : Lenovo 20FVS 2M30", "relancez avec --apply"} {
		if !strings.Contains(plainText(out), want) {
			t.Errorf("dry run does not say %q:\n%s", want, out)
		}
	}
	st, _ := bolt.Open(dir, bolt.Options{})
	if p, _ := st.SearchTerminals(ctx, domain.TerminalFilter{}); p.Total != 0 {
		t.Fatalf("the dry run wrote %d terminals", p.Total)
	}
	st.Close()

	env, out, _ = testEnv(vars)
	if err := run(ctx, env, []string{"import", "terminals", file, "--apply"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plainText(out), "Import appliqué : 25 terminaux créés, 0 modifiés.") {
		t.Fatalf("apply says:\n%s", out)
	}
	env, out, _ = testEnv(vars)
	if err := run(ctx, env, []string{"import", "terminals", "--apply", file}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plainText(out), "Inchangés : 25") || !strings.Contains(plainText(out), "Import appliqué : 0 terminaux créés, 0 modifiés.") {
		t.Fatalf("re-import says:\n%s", out)
	}
	// A corrected sheet: one model changed, one row refused.
	seedXLSX(t, file, func(rows [][]string) {
		rows[2][3] = "20DSS24501"
		rows[3][6] = "DITEP-STF-PX03"
	})
	env, out, _ = testEnv(vars)
	if err := run(ctx, env, []string{"import", "terminals", file}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Modifiés : 1", "Refusés : 1", "Ligne 3 (DITEP-STF-P002) : Modèle : « 20DSS24500 » → « 20DSS24501 »",
		"Ligne 4 (DITEP-STF-PX03) : nomenclature absente ou invalide « DITEP-STF-PX03 »"} {
		if !strings.Contains(plainText(out), want) {
			t.Errorf("the corrected sheet's dry run does not say %q:\n%s", want, out)
		}
	}
}

func TestImportTerminalsRefusesHostileFiles(t *testing.T) {
	dir, vars := equipmentEnv(t)
	ctx := context.Background()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := map[string]struct {
		file string
		want string
	}{
		"wrong columns": {write("a.csv", []byte("Nom;Service\nMartin;Vie scolaire\n")), "Colonnes introuvables : Marque, Modèle, Nomenclature."},
		"empty rows":    {write("b.csv", append([]byte(inventory.SeedExtract), bytes.Repeat([]byte(";;;;;;\n"), 50000)...)), "plus de 12000 lignes"},
		"too big":       {write("c.csv", bytes.Repeat([]byte("x"), domain.MaxImportFileBytes+10)), "Le fichier fait plus de 1 Mo"},
		"not a sheet":   {write("d.xlsx", []byte("%PDF-1.7")), "Je ne sais pas lire ce fichier"},
	}
	for name, c := range cases {
		env, _, _ := testEnv(vars)
		err := run(ctx, env, []string{"import", "terminals", c.file, "--apply"})
		if err == nil || !strings.Contains(strings.ReplaceAll(err.Error(), "\u00a0", " "), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
	env, _, _ := testEnv(vars)
	if err := run(ctx, env, []string{"import", "terminals"}); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("no file: %v", err)
	}
}

func TestEquipmentDemo(t *testing.T) {
	st, err := bolt.Open(t.TempDir(), bolt.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	paris, _ := time.LoadLocation("Europe/Paris")
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	if err := seedDemo(ctx, st, now, paris, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	if p, _ := st.SearchTerminals(ctx, domain.TerminalFilter{Establishment: "DITEP-STF"}); p.Total != 25 {
		t.Fatalf("demo has %d DITEP-STF terminals, want the 25 of the seed", p.Total)
	}
	open, _ := st.ListLoans(ctx, domain.LoanFilter{OpenOnly: true})
	if len(open) != 2 {
		t.Fatalf("demo has %d open loans, want 2", len(open))
	}
	overdue := 0
	for _, l := range open {
		if l.Overdue(domain.DateOf(now, paris)) {
			overdue++
		}
	}
	if overdue != 1 {
		t.Fatalf("%d overdue demo loans, want 1", overdue)
	}
	if p016, _ := st.Terminal(ctx, "DITEP-STF-P016"); p016.OS != "Windows 10 Pro" || p016.Make != "Fujitsu" {
		t.Fatalf("P016 = %+v (the sheet's \"Window 10 Pro\" must be normalised)", p016)
	}
	env, out, _ := testEnv(map[string]string{"PARC_DATA_DIR": t.TempDir()})
	if err := run(ctx, env, []string{"terminal-types", "add", "IM", "Imprimante", "Printer"}); err != nil {
		t.Fatal(err)
	}
	env2, out2, _ := testEnv(map[string]string{"PARC_DATA_DIR": env.getenv("PARC_DATA_DIR")})
	if err := run(ctx, env2, []string{"terminal-types", "list"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plainText(out), "Type IM enregistré.") || !strings.Contains(plainText(out2), "Imprimante") || !strings.Contains(plainText(out2), "PC portable") {
		t.Fatalf("terminal-types: %s / %s", out, out2)
	}
}
