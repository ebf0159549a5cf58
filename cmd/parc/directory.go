package main

import (
	"context"
	"log/slog"

	"github.com/anras/parc/domain"
)

// openDirectory returns the organisation's directory: Microsoft Graph when
// it is configured, else nil (the bot then uses the members the Bot
// Connector lists).
func openDirectory(ctx context.Context, s settings, getenv func(string) string, log *slog.Logger) (domain.Directory, error) {
	return nil, nil
}
