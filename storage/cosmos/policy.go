package cosmos

import (
	"log/slog"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// Stats are the store's running totals since Open.
type Stats struct {
	Requests      int64   // HTTP requests sent, retries included
	Throttled     int64   // of which answered 429 (the SDK waited and retried)
	RequestCharge float64 // request units charged, as the service reported
}

// meter is an azcore policy run on every try of every request: it logs the
// request charge at debug level and counts the 429s. The SDK retries a 429
// on its own after the service's x-ms-retry-after-ms, so without this count
// throttling would only show as slowness.
type meter struct {
	log       *slog.Logger
	requests  atomic.Int64
	throttled atomic.Int64
	milliRU   atomic.Int64 // request units × 1000, summed
	// lastStatus is the status of the latest response, for start-up
	// diagnostics: the SDK reports the first failure of a client (reading
	// the account) as text, without the status.
	lastStatus atomic.Int32
}

var _ policy.Policy = (*meter)(nil)

func (m *meter) Do(req *policy.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := req.Next()
	m.requests.Add(1)
	if err != nil {
		return resp, err
	}
	m.lastStatus.Store(int32(resp.StatusCode))
	charge, _ := strconv.ParseFloat(resp.Header.Get("x-ms-request-charge"), 64)
	m.milliRU.Add(int64(charge * 1000))
	ctx := req.Raw().Context()
	if resp.StatusCode == http.StatusTooManyRequests {
		n := m.throttled.Add(1)
		m.log.WarnContext(ctx, "cosmos throttled the request (429); the SDK retries it",
			"method", req.Raw().Method, "path", req.Raw().URL.Path,
			"retry_after_ms", resp.Header.Get("x-ms-retry-after-ms"), "throttled_total", n)
	}
	if m.log.Enabled(ctx, slog.LevelDebug) {
		m.log.DebugContext(ctx, "cosmos request",
			"method", req.Raw().Method, "path", req.Raw().URL.Path, "status", resp.StatusCode,
			"request_charge", charge, "duration_ms", time.Since(start).Milliseconds(),
			"activity_id", resp.Header.Get("x-ms-activity-id"))
	}
	return resp, nil
}

func (m *meter) stats() Stats {
	return Stats{
		Requests:      m.requests.Load(),
		Throttled:     m.throttled.Load(),
		RequestCharge: float64(m.milliRU.Load()) / 1000,
	}
}

// discard is a logger that writes nothing, for a zero Config.
func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }
