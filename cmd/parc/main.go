// Command parc is Parc's one binary: `parc serve` runs the Teams bot; the
// other subcommands administer it from a terminal.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
	_ "time/tzdata" // the bot shows Paris time even on a machine without zoneinfo
)

// command is a subcommand: its one-line help and its run function.
type command struct {
	help string
	run  func(ctx context.Context, env *environment, args []string) error
}

// environment is what a subcommand may use: the settings and the output.
type environment struct {
	getenv func(string) string
	stdout io.Writer
	stderr io.Writer
}

func commands() map[string]command {
	cmds := map[string]command{
		"serve":  {"run the Teams bot (webhook on PORT, default 3978)", runServe},
		"roles":  {"list, grant or revoke roles: parc roles list | grant USER-ID ROLE | revoke USER-ID ROLE", runRoles},
		"export": {"write every record of the store as JSON Lines: parc export [--out FILE]", runExport},
		"import": {"read records written by export: parc import FILE; the IT inventory: parc import terminals FILE.xlsx|FILE.csv [--apply]", runImport},

		"manifest": {manifestHelp, runManifest},
		"demo":     {"fill an empty store with demo data and exit: parc demo", runDemo},
	}
	for _, part := range []map[string]command{fleetCommands(), equipmentCommands(), licenceCommands()} {
		for name, c := range part {
			cmds[name] = c
		}
	}
	return cmds
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := &environment{getenv: os.Getenv, stdout: os.Stdout, stderr: os.Stderr}
	if err := run(ctx, env, os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "parc:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, env *environment, args []string) error {
	cmds := commands()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.stderr, cmds)
		if len(args) == 0 {
			return errors.New("a subcommand is needed")
		}
		return nil
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		usage(env.stderr, cmds)
		return fmt.Errorf("unknown subcommand %q", args[0])
	}
	return cmd.run(ctx, env, args[1:])
}

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "usage: parc <subcommand> [flags]")
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-14s %s\n", n, cmds[n].help)
	}
}
