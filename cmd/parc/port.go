package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/anras/parc/domain"
)

// runExport writes every durable record of the configured store as JSON
// Lines: {"kind": ..., "data": {...}} per line.
func runExport(ctx context.Context, env *environment, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	out := fs.String("out", "-", "file to write (- for standard output)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	_, store, err := openFromEnv(ctx, env)
	if err != nil {
		return err
	}
	defer store.Close()
	var w io.Writer = env.stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	n := map[string]int{}
	if err := store.Export(ctx, func(r domain.Record) error {
		n[r.Kind]++
		return enc.Encode(r)
	}); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(env.stderr, "exported %v\n", n)
	return nil
}

// runImport reads JSON Lines written by export into the configured store.
// Every line is checked before anything is written: a file with one bad
// line imports nothing.
func runImport(ctx context.Context, env *environment, args []string) error {
	if len(args) > 0 && args[0] == "terminals" {
		return runImportTerminals(ctx, env, args[1:])
	}
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: parc import FILE.jsonl (written by parc export; - for standard input)")
	}
	var r io.Reader = os.Stdin
	if name := fs.Arg(0); name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	records, err := readRecords(r)
	if err != nil {
		return err
	}
	_, store, err := openFromEnv(ctx, env)
	if err != nil {
		return err
	}
	defer store.Close()
	n := map[string]int{}
	for i, rec := range records {
		if err := store.Import(ctx, rec); err != nil {
			return fmt.Errorf("record %d (%s): %w", i+1, rec.Kind, err)
		}
		n[rec.Kind]++
	}
	fmt.Fprintf(env.stderr, "imported %v\n", n)
	return nil
}

// readRecords parses JSON Lines; a line that is not a record is an error
// naming its line number.
func readRecords(r io.Reader) ([]domain.Record, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	var out []domain.Record
	for line := 1; sc.Scan(); line++ {
		b := sc.Bytes()
		if len(b) == 0 {
			continue
		}
		var rec domain.Record
		if err := json.Unmarshal(b, &rec); err != nil || rec.Kind == "" || len(rec.Data) == 0 {
			return nil, fmt.Errorf("line %d is not a record {\"kind\":...,\"data\":{...}}", line)
		}
		out = append(out, rec)
	}
	return out, sc.Err()
}
