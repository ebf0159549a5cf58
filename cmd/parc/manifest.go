package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/anras/parc/manifest"
)

const manifestHelp = "build the Teams app package: parc manifest --app-id ID --domain HOST [--out parc.zip] [--version 1.0.0]"

// runManifest writes the Teams app package (manifest.json and the two
// icons, zipped) that an admin uploads in Teams. The app id and the host
// default to MicrosoftAppId and PARC_PUBLIC_HOST, the settings the bot runs
// with, so the package matches the deployed bot.
func runManifest(_ context.Context, env *environment, args []string) error {
	fs := flag.NewFlagSet("manifest", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	appID := fs.String("app-id", strings.TrimSpace(env.getenv("MicrosoftAppId")), "the bot's Microsoft App ID, a GUID (default: $MicrosoftAppId)")
	domain := fs.String("domain", strings.TrimSpace(env.getenv("PARC_PUBLIC_HOST")), "the bot's public host, bare, like parc.example.org (default: $PARC_PUBLIC_HOST)")
	out := fs.String("out", "parc.zip", "the package file to write; - for standard output")
	version := fs.String("version", "1.0.0", "the package version, MAJOR.MINOR.PATCH: raise it for every new upload")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: parc manifest --app-id ID --domain HOST [--out parc.zip] [--version 1.0.0]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("manifest: unexpected argument %q (flags are --app-id, --domain, --out, --version)", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	// source names where a value came from, so the error says what to fix.
	source := func(name, envName string) string {
		if set[name] || envName == "" {
			return "--" + name
		}
		return "--" + name + " (from " + envName + ")"
	}

	switch {
	case *appID == "":
		return errors.New("manifest: --app-id is missing: give the bot's Microsoft App ID, or set MicrosoftAppId")
	case *domain == "":
		return errors.New("manifest: --domain is missing: give the bot's public host (like parc.example.org), or set PARC_PUBLIC_HOST")
	case *out == "":
		return errors.New("manifest: --out is empty: give the file to write, like parc.zip")
	}
	if err := manifest.CheckAppID(*appID); err != nil {
		return fmt.Errorf("manifest: %s: %w", source("app-id", "MicrosoftAppId"), err)
	}
	if err := manifest.CheckHost(*domain); err != nil {
		return fmt.Errorf("manifest: %s: %w", source("domain", "PARC_PUBLIC_HOST"), err)
	}
	if err := manifest.CheckVersion(*version); err != nil {
		return fmt.Errorf("manifest: --version: %w", err)
	}

	var pkg bytes.Buffer
	opts := manifest.Options{AppID: *appID, Domain: *domain, Version: *version}
	if err := manifest.WriteZip(&pkg, opts); err != nil {
		return err // already "manifest: ..."
	}
	summary := fmt.Sprintf("Teams app package %s for bot %s at %s (manifest schema v%s)",
		*version, strings.ToLower(*appID), *domain, manifest.SchemaVersion)
	if *out == "-" {
		if _, err := env.stdout.Write(pkg.Bytes()); err != nil {
			return fmt.Errorf("manifest: write to standard output: %w", err)
		}
		fmt.Fprintln(env.stderr, summary)
		return nil
	}
	if err := writeFileAtomic(*out, pkg.Bytes()); err != nil {
		return fmt.Errorf("manifest: --out: %w", err)
	}
	fmt.Fprintf(env.stdout, "%s: %s\n", *out, summary)
	return nil
}

// writeFileAtomic writes data to a temporary file beside path and renames
// it, so an upload never picks up half a package.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".parc-manifest-*.zip")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
