package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/anras/parc/domain"
)

// licenceCommands are the licence feature's subcommands.
func licenceCommands() map[string]command { return nil }

// seedLicenceDemo adds the licence feature's demo data.
func seedLicenceDemo(ctx context.Context, store domain.Store, now time.Time, loc *time.Location, log *slog.Logger) error {
	return nil
}
