package cosmos

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/anras/parc/storage/cosmos/cosmostest"
)

// testRetry keeps the SDK's retries of throttling and unavailability but
// not of 500: a 500 from the emulator is a bug to see at once, not to
// retry and hide.
func testRetry() policy.RetryOptions {
	return policy.RetryOptions{
		StatusCodes:   []int{http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout},
		RetryDelay:    5 * time.Millisecond,
		MaxRetryDelay: 50 * time.Millisecond,
	}
}

func testConfig(t testing.TB, e *cosmostest.Emulator) Config {
	level := slog.LevelWarn
	if os.Getenv("PARC_COSMOS_DEBUG") != "" {
		level = slog.LevelDebug
	}
	return Config{
		Endpoint: e.Endpoint, Key: e.Key, Database: cosmostest.DatabaseName(t),
		Logger: slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: level})),
		Retry:  testRetry(),
		// Small pages prove that every query follows continuations.
		PageSize: 3,
	}
}

// openTest opens a store on a new database of e.
func openTest(t testing.TB, e *cosmostest.Emulator) *Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, err := Open(ctx, testConfig(t, e))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(string(p))
	return len(p), nil
}
