package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/anras/parc/domain"
)

// equipmentCommands are the equipment feature's subcommands.
func equipmentCommands() map[string]command { return nil }

// seedEquipmentDemo adds the equipment feature's demo data.
func seedEquipmentDemo(ctx context.Context, store domain.Store, now time.Time, loc *time.Location, log *slog.Logger) error {
	return nil
}
