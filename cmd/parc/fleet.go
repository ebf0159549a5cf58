package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/anras/parc/domain"
)

// fleetCommands are the fleet feature's subcommands.
func fleetCommands() map[string]command { return nil }

// seedFleetDemo adds the fleet feature's demo data.
func seedFleetDemo(ctx context.Context, store domain.Store, now time.Time, loc *time.Location, log *slog.Logger) error {
	return nil
}
