package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// ShutdownGrace is how long turns in flight may take to finish on SIGTERM.
const ShutdownGrace = 10 * time.Second

// ListenAddr returns the address to listen on. With authentication off the
// webhook would run the commands of anybody who can reach it, so only a
// loopback host is allowed then.
func ListenAddr(host string, port int, authEnabled bool) (string, error) {
	if port <= 0 || port > 65535 {
		return "", fmt.Errorf("PORT=%d is not a TCP port", port)
	}
	if host == "" {
		host = "127.0.0.1"
		if authEnabled {
			host = ""
		}
	}
	if !authEnabled && !isLoopback(host) {
		return "", fmt.Errorf("PARC_LISTEN_HOST=%s: with authentication off (MicrosoftAppId empty) Parc only listens on loopback (127.0.0.1, ::1, localhost)", host)
	}
	return net.JoinHostPort(host, fmt.Sprint(port)), nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Serve serves h on addr until ctx is done, then stops accepting requests
// and lets those in flight finish for up to ShutdownGrace.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing turns in flight", "grace", ShutdownGrace.String())
	sctx, cancel := context.WithTimeout(context.Background(), ShutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}
