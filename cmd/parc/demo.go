package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/anras/parc/domain"
)

// demoEstablishments are the establishments every feature's demo uses.
var demoEstablishments = []domain.Establishment{
	{Code: "DITEP-STF", Name: "DITEP Saint-François", StaffGroupIDs: []string{"5b0c7c44-1f0e-4f7e-9a53-1d2a3c4b5e61"}, CorrespondentGroupID: "7e2d9a10-3c4b-4d5e-8f60-718293a4b5c6"},
	{Code: "ANRAS-SOC", Name: "ANRAS Siège social", StaffGroupIDs: []string{"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"}, CorrespondentGroupID: "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"},
}

// seedDemo fills an empty store with a realistic organisation, so that a
// newcomer sees the real thing at once. A store that already has
// establishments is left alone.
func seedDemo(ctx context.Context, store domain.Store, now time.Time, loc *time.Location, log *slog.Logger) error {
	existing, err := store.ListEstablishments(ctx)
	if err != nil {
		return err
	}
	if len(existing) > 0 {
		log.Info("demo data skipped: the store already has establishments", "establishments", len(existing))
		return nil
	}
	for _, e := range demoEstablishments {
		e.UpdatedAt, e.UpdatedBy = now.UTC(), "demo"
		if err := store.CreateEstablishment(ctx, e); err != nil {
			return err
		}
	}
	for _, seed := range []func(context.Context, domain.Store, time.Time, *time.Location, *slog.Logger) error{
		seedFleetDemo, seedEquipmentDemo, seedLicenceDemo,
	} {
		if err := seed(ctx, store, now, loc, log); err != nil {
			return err
		}
	}
	log.Info("demo data added", "establishments", len(demoEstablishments))
	return nil
}

func runDemo(ctx context.Context, env *environment, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return errors.New("usage: parc demo")
	}
	s, store, err := openFromEnv(ctx, env)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := seedDemo(ctx, store, time.Now(), s.Location, newLogger(s.LogLevel)); err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, "demo data ready")
	return nil
}
