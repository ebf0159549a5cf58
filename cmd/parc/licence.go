package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/anras/parc/bot"
	"github.com/anras/parc/bot/auth"
	"github.com/anras/parc/bot/connector"
	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
)

const licencesHelp = "the monthly licence summary: parc licences run [--dry-run] [--establishment CODE] [--out FILE.xlsx] [--force] | runs [show RUN-ID] | import-catalogue FILE.csv | prices [list | set SKU PRICE [NAME] | delete SKU | import FILE.csv]"

const establishmentsHelp = "establishments: parc establishments list | add CODE NAME --groups ID[,ID] [--correspondents ID] | edit CODE [--name NAME] [--groups ID[,ID]] [--correspondents ID] [--unbind] | delete CODE"

// licenceCommands are the licence feature's subcommands.
func licenceCommands() map[string]command {
	return map[string]command{
		"licences": {licencesHelp, func(ctx context.Context, env *environment, args []string) error {
			return runLicences(ctx, env, args, nil)
		}},
		"establishments": {establishmentsHelp, runEstablishments},
	}
}

// loadLicenceConfig reads the schedule of the monthly run:
// PARC_LICENCES_DAY (1 to 28, default 1), PARC_LICENCES_HOUR (0 to 23,
// default 7, in PARC_TIMEZONE) and PARC_LICENCES_SCHEDULE=off to run on
// demand only.
func loadLicenceConfig(getenv func(string) string) (bot.LicenceConfig, error) {
	var c bot.LicenceConfig
	num := func(name string, def, lo, hi int) (int, error) {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			return def, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return 0, fmt.Errorf("%s=%q: give a number from %d to %d", name, v, lo, hi)
		}
		return n, nil
	}
	var err error
	if c.Day, err = num("PARC_LICENCES_DAY", 1, 1, 28); err != nil {
		return c, err
	}
	if c.Hour, err = num("PARC_LICENCES_HOUR", 7, 0, 23); err != nil {
		return c, err
	}
	switch v := strings.ToLower(strings.TrimSpace(getenv("PARC_LICENCES_SCHEDULE"))); v {
	case "", "on", "monthly":
	case "off":
		c.Disabled = true
	default:
		return c, fmt.Errorf("PARC_LICENCES_SCHEDULE=%q: use monthly or off", v)
	}
	return c, nil
}

// cliText turns a domain error into its French catalogue message, for
// the terminal.
func cliText(err error) error {
	if e := domain.AsError(err); e != nil && cards.Has(e.Key) && e.Code != domain.EINTERNAL {
		msg := cards.FR.T(e.Key, e.Args...)
		if e.Err != nil {
			msg += " (" + e.Err.Error() + ")"
		}
		return errors.New(msg)
	}
	return err
}

func cliLang(s settings) cards.Lang {
	if s.Locale == "en" {
		return cards.EN
	}
	return cards.FR
}

// runLicences dispatches `parc licences ...`. dir replaces the directory
// the settings choose (tests serve Graph from a local server).
func runLicences(ctx context.Context, env *environment, args []string, dir domain.LicenceDirectory) error {
	if len(args) == 0 {
		return errors.New("usage: parc " + licencesHelp)
	}
	s, err := loadSettings(env.getenv)
	if err != nil {
		return err
	}
	switch args[0] {
	case "run":
		return licencesRun(ctx, env, s, args[1:], dir)
	}
	store, err := openStore(ctx, s)
	if err != nil {
		return err
	}
	defer store.Close()
	switch args[0] {
	case "runs":
		return licencesRuns(ctx, env, s, store, args[1:])
	case "import-catalogue":
		if len(args) != 2 {
			return errors.New("usage: parc licences import-catalogue FILE.csv (Microsoft's \"Product names and service plan identifiers for licensing\" CSV)")
		}
		return importCatalogue(ctx, env, store, args[1])
	case "prices":
		return licencesPrices(ctx, env, store, args[1:])
	}
	return fmt.Errorf("unknown licences action %q: use run, runs, import-catalogue or prices", args[0])
}

func licencesRun(ctx context.Context, env *environment, s settings, args []string, dir domain.LicenceDirectory) error {
	fs := flag.NewFlagSet("licences run", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	dry := fs.Bool("dry-run", false, "read and compute everything, print it, post and store nothing")
	est := fs.String("establishment", "", "only this establishment (its code)")
	out := fs.String("out", "", "also write the full table and the report to this XLSX file")
	force := fs.Bool("force", false, "post again the establishments already posted this month")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return errors.New("usage: parc licences run [--dry-run] [--establishment CODE] [--out FILE.xlsx] [--force]")
	}
	lcfg, err := loadLicenceConfig(env.getenv)
	if err != nil {
		return err
	}
	log := newLogger(s.LogLevel)
	store, err := openStore(ctx, s)
	if err != nil {
		return err
	}
	defer store.Close()
	if dir == nil {
		d, err := openDirectory(ctx, s, env.getenv, log)
		if err != nil {
			return err
		}
		dir, _ = d.(domain.LicenceDirectory)
	}
	cred, err := connector.NewCredential(s.AppType, s.AppID, s.AppPassword, s.AppTenantID, credentialOptions(env.getenv))
	if err != nil {
		return err
	}
	if s.LinkKeyRandom {
		// The same key as `parc serve`, or the links posted would not open.
		if s.CosmosEndpoint == "" {
			if key, err := localLinkKey(s.DataDir); err == nil {
				s.LinkKey = key
			}
		} else if !*dry {
			fmt.Fprintln(env.stderr, "warning: PARC_LINK_SECRET is not set: the download links of the posted summaries will not work in the bot")
		}
	}
	b := bot.New(bot.Config{AppID: s.AppID, Locale: s.Locale, Location: s.Location, PublicURL: s.PublicURL(), LinkKey: s.LinkKey, Licences: lcfg},
		bot.Deps{Store: store, Auth: auth.New(auth.Config{AppID: s.AppID, Logger: log}), Connector: connector.New(connector.Config{Credential: cred, Logger: log}),
			Logger: log, LicenceDirectory: dir})
	res, err := b.RunLicences(ctx, bot.LicenceRunOptions{Trigger: domain.TriggerCLI, By: "cli", DryRun: *dry, Force: *force, Establishment: *est})
	if err != nil {
		return cliText(err)
	}
	l := cliLang(s)
	if err := bot.WriteLicenceText(env.stdout, l, res, s.Location); err != nil {
		return err
	}
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		if err := bot.WriteLicenceWorkbook(f, l, &res.Run, res.Summaries); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintf(env.stderr, "wrote %s\n", *out)
	}
	if _, _, failed, _, _ := res.Run.Totals(); failed > 0 {
		return fmt.Errorf("%d of %d establishments in error (see the report above)", failed, len(res.Run.Establishments))
	}
	return nil
}

func licencesRuns(ctx context.Context, env *environment, s settings, store domain.Store, args []string) error {
	l := cliLang(s)
	if len(args) == 2 && args[0] == "show" {
		r, err := store.LicenceRun(ctx, args[1])
		if err != nil {
			return cliText(err)
		}
		var summaries []domain.LicenceSummary
		for _, e := range r.Establishments {
			if rep, err := store.LicenceReport(ctx, r.ID, e.Code); err == nil {
				summaries = append(summaries, domain.SummarizeLicences(rep, nil, nil))
			}
		}
		return bot.WriteLicenceText(env.stdout, l, bot.LicenceRunResult{Run: r, Summaries: summaries}, s.Location)
	}
	if len(args) > 1 || (len(args) == 1 && args[0] != "list") {
		return errors.New("usage: parc licences runs [list | show RUN-ID]")
	}
	runs, err := store.ListLicenceRuns(ctx, 0)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "RUN\tMONTH\tTRIGGER\tSTATUS\tESTABLISHMENTS\tIN ERROR\tACCOUNTS\tTOTAL")
	for _, r := range runs {
		found, processed, failed, total, _ := r.Totals()
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%d\t%d/%d\t%s\n", r.ID, r.Month, r.Trigger, r.Status, len(r.Establishments), failed, processed, found, cards.Euros(l, total))
	}
	return w.Flush()
}

func importCatalogue(ctx context.Context, env *environment, store domain.Store, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	imp, err := domain.ParseProductCatalogue(f, time.Now())
	if err != nil {
		return cliText(err)
	}
	for _, p := range imp.Problems {
		fmt.Fprintf(env.stderr, "%s:%d: %s\n", path, p.Line, cards.FR.T(p.Err.Key, p.Err.Args...))
	}
	if err := store.PutLicenceProducts(ctx, imp.Products); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "imported %d products from %d rows (%d lines skipped)\n", len(imp.Products), imp.Rows, len(imp.Problems))
	return nil
}

func licencesPrices(ctx context.Context, env *environment, store domain.Store, args []string) error {
	products, err := store.LicenceProducts(ctx)
	if err != nil {
		return err
	}
	cat := domain.NewLicenceCatalogue(products, nil)
	if len(args) == 0 || args[0] == "list" {
		prices, err := store.LicencePrices(ctx)
		if err != nil {
			return err
		}
		cat = domain.NewLicenceCatalogue(products, prices)
		w := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "SKU\tPART NUMBER\tNAME\tPRICE (EUR/MONTH, EXCL. VAT)")
		for _, p := range prices {
			info := cat.Resolve(p.SkuID, "")
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", p.SkuID, info.PartNumber, info.Name, p.Price.Euros())
		}
		return w.Flush()
	}
	var rows []domain.PriceRow
	switch args[0] {
	case "set":
		if len(args) < 3 || len(args) > 4 {
			return errors.New("usage: parc licences prices set SKU PRICE [NAME] (SKU: a GUID or a part number such as ENTERPRISEPACK)")
		}
		price, err := domain.ParseMoney(args[2])
		if err != nil {
			return cliText(err)
		}
		row := domain.PriceRow{Line: 1, Sku: args[1], Price: price}
		if len(args) == 4 {
			row.Name = args[3]
		}
		rows = []domain.PriceRow{row}
	case "delete":
		if len(args) != 2 {
			return errors.New("usage: parc licences prices delete SKU")
		}
		id := domain.NormalizeSkuID(args[1])
		if ids := cat.ByPartNumber(args[1]); !domain.IsSkuID(id) && len(ids) == 1 {
			id = ids[0]
		}
		if err := store.DeleteLicencePrice(ctx, id); err != nil {
			return cliText(err)
		}
		fmt.Fprintf(env.stdout, "deleted the price of %s\n", id)
		return nil
	case "import":
		if len(args) != 2 {
			return errors.New("usage: parc licences prices import FILE.csv (lines SKU;PRICE[;NAME])")
		}
		f, err := os.Open(args[1])
		if err != nil {
			return err
		}
		defer f.Close()
		var problems []domain.ImportProblem
		rows, problems, err = domain.ParsePriceList(f)
		for _, p := range problems {
			fmt.Fprintf(env.stderr, "%s:%d: %s\n", args[1], p.Line, cards.FR.T(p.Err.Key, p.Err.Args...))
		}
		if err != nil {
			return cliText(err)
		}
	default:
		return fmt.Errorf("unknown prices action %q: use list, set, delete or import", args[0])
	}
	prices, problems := domain.ResolvePrices(rows, cat, time.Now(), "cli")
	for _, p := range problems {
		fmt.Fprintf(env.stderr, "line %d: %s\n", p.Line, cards.FR.T(p.Err.Key, p.Err.Args...))
	}
	for _, p := range prices {
		if err := store.SetLicencePrice(ctx, p); err != nil {
			return cliText(err)
		}
	}
	fmt.Fprintf(env.stdout, "set %d prices (%d lines refused)\n", len(prices), len(problems))
	if len(prices) == 0 {
		return errors.New("no price was set")
	}
	return nil
}

// runEstablishments administers establishments from a terminal.
func runEstablishments(ctx context.Context, env *environment, args []string) error {
	if len(args) == 0 {
		return errors.New("usage: parc " + establishmentsHelp)
	}
	_, store, err := openFromEnv(ctx, env)
	if err != nil {
		return err
	}
	defer store.Close()
	switch args[0] {
	case "list":
		list, err := store.ListEstablishments(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "CODE\tNAME\tSTAFF GROUPS\tCORRESPONDENTS\tCHANNEL")
		for _, e := range list {
			ch := e.ChannelID
			if ch == "" {
				ch = "(none: type \"@Parc lier " + e.Code + "\" in the channel)"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", e.Code, e.Name, strings.Join(e.StaffGroupIDs, ","), e.CorrespondentGroupID, ch)
		}
		return w.Flush()
	case "delete":
		if len(args) != 2 {
			return errors.New("usage: parc establishments delete CODE")
		}
		code := domain.NormalizeEstablishmentCode(args[1])
		if err := store.DeleteEstablishment(ctx, code); err != nil {
			return cliText(err)
		}
		fmt.Fprintf(env.stdout, "deleted %s\n", code)
		return nil
	case "add", "edit":
		return saveEstablishmentCLI(ctx, env, store, args[0], args[1:])
	}
	return fmt.Errorf("unknown establishments action %q: use list, add, edit or delete", args[0])
}

func saveEstablishmentCLI(ctx context.Context, env *environment, store domain.Store, action string, args []string) error {
	fs := flag.NewFlagSet("establishments "+action, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	name := fs.String("name", "", "the establishment's name")
	groups := fs.String("groups", "", "its staff's Entra group ids, separated by commas")
	corr := fs.String("correspondents", "", "the Entra group id of its IT correspondents")
	unbind := fs.Bool("unbind", false, "forget its Teams channel")
	// The code (and, for add, the name) come first: parse flags after them.
	var pos []string
	for len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		pos, args = append(pos, args[0]), args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w\nusage: parc %s", err, establishmentsHelp)
	}
	pos = append(pos, fs.Args()...)
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var groupIDs []string
	if set["groups"] {
		ids, err := bot.ParseGroupIDs(*groups)
		if err != nil {
			return cliText(err)
		}
		groupIDs = ids
	}
	if set["correspondents"] && *corr != "" {
		ids, err := bot.ParseGroupIDs(*corr)
		if err != nil || len(ids) != 1 {
			return cliText(domain.Errorf(domain.EINVALID, "err.licence.group_id", *corr))
		}
		*corr = ids[0]
	}
	now := time.Now().UTC()
	if action == "add" {
		if len(pos) < 2 {
			return errors.New("usage: parc establishments add CODE NAME --groups ID[,ID] [--correspondents ID]")
		}
		e := domain.Establishment{Code: domain.NormalizeEstablishmentCode(pos[0]), Name: strings.Join(pos[1:], " "), StaffGroupIDs: groupIDs,
			CorrespondentGroupID: *corr, UpdatedAt: now, UpdatedBy: "cli"}
		if set["name"] {
			e.Name = *name
		}
		if err := store.CreateEstablishment(ctx, e); err != nil {
			return cliText(err)
		}
		fmt.Fprintf(env.stdout, "added %s (%s); bind its channel by typing \"@Parc lier %s\" in it\n", e.Code, e.Name, e.Code)
		return nil
	}
	if len(pos) != 1 {
		return errors.New("usage: parc establishments edit CODE [--name NAME] [--groups ID[,ID]] [--correspondents ID] [--unbind]")
	}
	e, err := store.UpdateEstablishment(ctx, domain.NormalizeEstablishmentCode(pos[0]), func(e *domain.Establishment) error {
		if set["name"] {
			e.Name = *name
		}
		if set["groups"] {
			e.StaffGroupIDs = groupIDs
		}
		if set["correspondents"] {
			e.CorrespondentGroupID = *corr
		}
		if *unbind {
			e.ChannelID = ""
		}
		e.UpdatedAt, e.UpdatedBy = now, "cli"
		return nil
	})
	if err != nil {
		return cliText(err)
	}
	fmt.Fprintf(env.stdout, "updated %s (%s)\n", e.Code, e.Name)
	return nil
}

// seedLicenceDemo adds the licence feature's demo data: part of
// Microsoft's catalogue, prices, and a directory snapshot of the two demo
// establishments, served instead of Graph when Graph is not configured.
func seedLicenceDemo(ctx context.Context, store domain.Store, now time.Time, loc *time.Location, log *slog.Logger) error {
	imp, err := domain.ParseProductCatalogue(strings.NewReader(demoProductsCSV), now)
	if err != nil {
		return err
	}
	if err := store.PutLicenceProducts(ctx, imp.Products); err != nil {
		return err
	}
	for _, p := range demoPrices {
		p.UpdatedAt, p.UpdatedBy = now.UTC(), "demo"
		if err := store.SetLicencePrice(ctx, p); err != nil {
			return err
		}
	}
	snap := demoSnapshot(now)
	if err := store.SaveLicenceSnapshot(ctx, snap); err != nil {
		return err
	}
	accounts := 0
	for _, g := range snap.Groups {
		accounts += len(g)
	}
	log.Info("licence demo ready", "products", len(imp.Products), "prices", len(demoPrices), "accounts", accounts)
	return nil
}
