package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/user"
	"strings"
	"time"

	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
	"github.com/anras/parc/domain/inventory"
)

// equipmentCommands are the equipment feature's subcommands.
func equipmentCommands() map[string]command {
	return map[string]command{
		"terminal-types": {"list or add terminal types: parc terminal-types list | add CODE \"Nom\" \"Name\" [--lendable]", runTerminalTypes},
	}
}

// fr is the language of the command line's reports: the technicians'.
const fr = cards.FR

// userMessage is err as a technician reads it: the catalogue's French
// message of a domain error, else the error itself.
func userMessage(err error) error {
	if e := domain.AsError(err); e != nil && e.Code != domain.EINTERNAL {
		return errors.New(fr.T(e.Key, e.Args...))
	}
	return err
}

// runImportTerminals is `parc import terminals FILE.xlsx|FILE.csv
// [--apply]`: the dry run of the inventory's import, applied with --apply.
func runImportTerminals(ctx context.Context, env *environment, args []string) error {
	fs := flag.NewFlagSet("import terminals", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	apply := fs.Bool("apply", false, "apply the import (without it, only show what would change)")
	// Flags may come after the file, as people type them.
	var files []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(files) != 1 {
		return errors.New("usage: parc import terminals FILE.xlsx|FILE.csv [--apply]")
	}
	data, err := readBounded(files[0])
	if err != nil {
		return err
	}
	raw, err := inventory.Read(files[0], data)
	if err != nil {
		return userMessage(err)
	}
	rows, err := inventory.Parse(raw)
	if err != nil {
		return userMessage(err)
	}
	_, store, err := openFromEnv(ctx, env)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := ensureTerminalTypes(ctx, store, time.Now()); err != nil {
		return err
	}
	plan, err := inventory.MakePlan(ctx, store, rows)
	if err != nil {
		return err
	}
	printPlan(env.stdout, files[0], plan)
	if !*apply {
		if len(plan.New)+len(plan.Changed) > 0 {
			fmt.Fprintln(env.stdout, fr.T("cli.import.hint"))
		}
		return nil
	}
	created, changed, err := store.ImportTerminals(ctx, plan.Facts(), cliActor(), time.Now())
	if err != nil {
		return userMessage(err)
	}
	fmt.Fprintln(env.stdout, fr.T("import.applied", created, changed))
	return nil
}

// readBounded reads a file of at most MaxImportFileBytes.
func readBounded(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, domain.MaxImportFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > domain.MaxImportFileBytes {
		return nil, errors.New(fr.T("err.import.too_big", domain.MaxImportFileBytes>>20))
	}
	return data, nil
}

func cliActor() domain.PersonRef {
	name := "parc"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = "parc (" + u.Username + ")"
	}
	return domain.PersonRef{ID: "cli", Name: name}
}

// printPlan writes the dry run: counts, then the refused, new and changed
// rows with their line numbers.
func printPlan(w io.Writer, name string, p inventory.Plan) {
	fmt.Fprintln(w, fr.T("import.title", name))
	fmt.Fprintf(w, "  %s : %d · %s : %d · %s : %d · %s : %d\n", fr.T("import.new"), len(p.New), fr.T("import.changed"), len(p.Changed),
		fr.T("import.unchanged"), len(p.Unchanged), fr.T("import.invalid"), len(p.Invalid))
	section := func(key string, items []inventory.Item, detail func(inventory.Item) string) {
		if len(items) == 0 {
			return
		}
		fmt.Fprintln(w, fr.T(key)+" :")
		for _, it := range items {
			line := "  " + fr.T("import.line", it.Line, it.ID)
			if d := detail(it); d != "" {
				line += " : " + d
			}
			fmt.Fprintln(w, line)
		}
	}
	section("import.invalid", p.Invalid, func(it inventory.Item) string { return fr.T(it.Problem.Key, it.Problem.Args...) })
	section("import.new", p.New, func(it inventory.Item) string {
		return strings.TrimSpace(it.Facts.Make + " " + it.Facts.Model)
	})
	section("import.changed", p.Changed, func(it inventory.Item) string {
		var ch []string
		for _, c := range it.Changes {
			ch = append(ch, fr.T("import.diff", fr.T("field."+c.Field), c.From, c.To))
		}
		return strings.Join(ch, " ; ")
	})
	if len(p.New)+len(p.Changed) == 0 {
		fmt.Fprintln(w, fr.T("import.nothing"))
	}
}

// ensureTerminalTypes fills a store without types with the default table.
func ensureTerminalTypes(ctx context.Context, store domain.Store, now time.Time) error {
	types, err := store.TerminalTypes(ctx)
	if err != nil || len(types) > 0 {
		return err
	}
	for _, tt := range domain.DefaultTerminalTypes {
		tt.UpdatedAt = now.UTC()
		if err := store.SaveTerminalType(ctx, tt); err != nil {
			return err
		}
	}
	return nil
}

// runTerminalTypes lists or adds terminal types.
func runTerminalTypes(ctx context.Context, env *environment, args []string) error {
	usage := errors.New(`usage: parc terminal-types list | add CODE "Nom français" ["English name"] [--lendable]`)
	if len(args) == 0 {
		return usage
	}
	_, store, err := openFromEnv(ctx, env)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := ensureTerminalTypes(ctx, store, time.Now()); err != nil {
		return err
	}
	switch args[0] {
	case "list":
		types, err := store.TerminalTypes(ctx)
		if err != nil {
			return err
		}
		for _, tt := range types {
			lend := fr.T("types.no")
			if tt.Lendable {
				lend = fr.T("types.yes")
			}
			fmt.Fprintf(env.stdout, "%-3s %-28s %-24s %s : %s\n", tt.Code, tt.NameFR, tt.NameEN, fr.T("types.lendable"), lend)
		}
		return nil
	case "add":
		var rest []string
		lendable := false
		for _, a := range args[1:] {
			if a == "--lendable" {
				lendable = true
			} else {
				rest = append(rest, a)
			}
		}
		if len(rest) < 2 || len(rest) > 3 {
			return usage
		}
		tt := domain.TerminalType{Code: strings.ToUpper(rest[0]), NameFR: rest[1], Lendable: lendable, UpdatedAt: time.Now().UTC(), UpdatedBy: "cli"}
		if len(rest) == 3 {
			tt.NameEN = rest[2]
		}
		if err := store.SaveTerminalType(ctx, tt); err != nil {
			return userMessage(err)
		}
		fmt.Fprintln(env.stdout, fr.T("types.saved", tt.Code))
		return nil
	}
	return usage
}

// Demo: the DITEP Saint-François inventory extract of the seed (25
// terminals, ids DITEP-STF-Pnnn: establishment DITEP-STF), two open loans
// to people of the Agents Playground's tenant (e2e/lib/tenant.js: Chloé
// Durand, David Moreau) — one of them overdue — and a warranty and a
// contract ending soon, so that every card and reminder has something to
// show.
var demoBorrowers = []domain.Borrower{
	{ID: "0c0c0c00-3333-4ccc-8ccc-000000000003", Name: "Chloé Durand", Email: "chloe.durand@lycee-exemple.fr", JobTitle: "Éducatrice spécialisée"},
	{ID: "0d0d0d00-4444-4ddd-8ddd-000000000004", Name: "David Moreau", Email: "david.moreau@lycee-exemple.fr", JobTitle: "Chef de service"},
}

// seedEquipmentDemo adds the equipment feature's demo data.
func seedEquipmentDemo(ctx context.Context, store domain.Store, now time.Time, loc *time.Location, log *slog.Logger) error {
	if err := ensureTerminalTypes(ctx, store, now); err != nil {
		return err
	}
	raw, err := inventory.Read("inventaire-ditep.csv", []byte(inventory.SeedExtract))
	if err != nil {
		return err
	}
	rows, err := inventory.Parse(raw)
	if err != nil {
		return err
	}
	plan, err := inventory.MakePlan(ctx, store, rows)
	if err != nil {
		return err
	}
	by := domain.PersonRef{ID: "demo", Name: "Service informatique (démo)"}
	if _, _, err := store.ImportTerminals(ctx, plan.Facts(), by, now); err != nil {
		return err
	}
	today := domain.DateOf(now, loc)
	loans := []struct {
		terminal    string
		borrower    domain.Borrower
		opened, due int // days from today
		accessories []string
	}{
		{"DITEP-STF-P011", demoBorrowers[0], -3, 11, []string{"charger", "bag"}},
		{"DITEP-STF-P014", demoBorrowers[1], -20, -2, []string{"charger"}},
	}
	for _, l := range loans {
		req := domain.LoanRequest{TerminalID: l.terminal, Borrower: l.borrower, Technician: by, Due: today.AddDays(l.due),
			Accessories: l.accessories, ConditionOut: domain.ConditionGood, Notes: "Prêt de démonstration"}
		if _, _, err := store.OpenLoan(ctx, req, now.AddDate(0, 0, l.opened)); err != nil && !domain.IsConflict(err) {
			return err
		}
	}
	warranty, contractEnd := today.AddDays(45), today.AddDays(12)
	if _, err := store.UpdateTerminal(ctx, "DITEP-STF-P024", domain.TerminalUpdate{WarrantyEnd: &warranty}, by, now); err != nil {
		return err
	}
	if _, err := store.UpdateTerminal(ctx, "DITEP-STF-P022", domain.TerminalUpdate{Contract: &domain.Contract{Supplier: "Inmac", Reference: "C-2024-118", End: contractEnd}}, by, now); err != nil {
		return err
	}
	log.Info("equipment demo data added", "terminals", len(plan.New), "loans", len(loans))
	return nil
}
