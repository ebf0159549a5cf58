package bot_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anras/parc/bot"
	"github.com/anras/parc/bot/auth"
	"github.com/anras/parc/bot/auth/authtest"
	"github.com/anras/parc/bot/connector"
	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
	"github.com/anras/parc/storage/bolt"
	"github.com/anras/parc/storage/storagetest"
)

// fleetBench is a bot with authentication on, on the embedded store opened
// as production opens it (fsync on every commit), with 200 cars and a
// history of past reservations, and a local connector.
type fleetBench struct {
	h          http.Handler
	header     string
	serviceURL string
	replies    *atomic.Int64
}

func newFleetBench(b *testing.B, history int, now time.Time) *fleetBench {
	issuer := authtest.NewIssuer(b)
	replies := &atomic.Int64{}
	conn := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		replies.Add(1)
		w.Write([]byte(`{"id":"1"}`))
	}))
	b.Cleanup(conn.Close)
	dir := b.TempDir()
	seed, err := bolt.Open(dir, bolt.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	if err := seed.CreateEstablishment(ctx, domain.Establishment{Code: "DITEP-STF", Name: "DITEP Saint-François"}); err != nil {
		b.Fatal(err)
	}
	storagetest.SeedFleetHistory(b, seed, "DITEP-STF", history, now)
	seed.Close()
	st, err := bolt.Open(dir, bolt.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	v := auth.New(auth.Config{AppID: authtest.DefaultAppID, MetadataURL: issuer.MetadataURL(), HTTPClient: issuer.Client(), Logger: log})
	bt := bot.New(bot.Config{AppID: authtest.DefaultAppID, Locale: "fr"}, bot.Deps{Store: st, Auth: v,
		Connector: connector.New(connector.Config{Logger: log}), Logger: log, Clock: domain.NewManualClock(now)})
	serviceURL := conn.URL + "/_connector"
	return &fleetBench{h: bt.Handler(), serviceURL: serviceURL, replies: replies,
		header: issuer.Header(authtest.Options{AppID: authtest.DefaultAppID, ServiceURL: serviceURL})}
}

func (f *fleetBench) activity(n int, kind string, extra map[string]any) []byte {
	user := fmt.Sprintf("00000000-0000-4000-8000-%012d", n%300)
	act := map[string]any{
		"type": kind, "id": fmt.Sprintf("bench-%s-%d", kind, n), "channelId": "msteams", "serviceUrl": f.serviceURL,
		"from":         map[string]any{"id": "29:" + user, "name": "Utilisatrice", "aadObjectId": user},
		"conversation": map[string]any{"id": "conv-" + user, "conversationType": "personal", "tenantId": authtest.DefaultTenantID},
		"recipient":    map[string]any{"id": "28:" + authtest.DefaultAppID, "name": "Parc"}, "locale": "fr-FR",
	}
	for k, v := range extra {
		act[k] = v
	}
	raw, _ := json.Marshal(act)
	return raw
}

func (f *fleetBench) serve(b *testing.B, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/api/messages", bytes.NewReader(body))
	req.Header.Set("Authorization", f.header)
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	return rec
}

func report(b *testing.B, lat []time.Duration) {
	p50, p99 := percentiles(lat)
	b.ReportMetric(float64(p50.Microseconds()), "p50-µs")
	b.ReportMetric(float64(p99.Microseconds()), "p99-µs")
}

// BenchmarkFleetReserveThroughWebhook: a Réserver button pressed (an
// authenticated adaptiveCard/action invoke) to the confirmation card in
// the HTTP answer, each reservation a new one, committed with fsync.
func BenchmarkFleetReserveThroughWebhook(b *testing.B) {
	now := time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC)
	f := newFleetBench(b, 50_000, now)
	// Warm the users (their first turn writes their profile).
	for i := range 300 {
		f.serve(b, f.activity(-i-1, "message", map[string]any{"text": "aide"}))
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := now.Truncate(30 * time.Minute).Add(time.Duration(i/storagetest.BenchCars+2) * 2 * time.Hour)
		data := map[string]any{"plate": storagetest.BenchPlate(i % storagetest.BenchCars), "start": start.Format(time.RFC3339), "end": start.Add(time.Hour).Format(time.RFC3339)}
		body := f.activity(i, "invoke", map[string]any{"name": "adaptiveCard/action",
			"value": map[string]any{"action": map[string]any{"type": "Action.Execute", "verb": cards.VerbFleetReserve, "data": data}}})
		t := time.Now()
		rec := f.serve(b, body)
		lat = append(lat, time.Since(t))
		if !strings.Contains(rec.Body.String(), "Réservation confirmée") {
			b.Fatalf("not confirmed: %s", rec.Body)
		}
	}
	b.StopTimer()
	report(b, lat)
}

// BenchmarkFleetAvailabilityThroughWebhook: "dispo demain 14h-16h" to the
// card posted to the connector, over 200 cars, with 50,000 and 500,000
// past reservations.
func BenchmarkFleetAvailabilityThroughWebhook(b *testing.B) {
	now := time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC)
	for _, history := range []int{50_000, 500_000} {
		b.Run(fmt.Sprintf("history=%d", history), func(b *testing.B) {
			f := newFleetBench(b, history, now)
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := range b.N {
				body := f.activity(i, "message", map[string]any{"text": "dispo demain 14h-16h"})
				t := time.Now()
				f.serve(b, body)
				lat = append(lat, time.Since(t))
			}
			b.StopTimer()
			if int(f.replies.Load()) < b.N {
				b.Fatalf("%d replies for %d messages", f.replies.Load(), b.N)
			}
			report(b, lat)
		})
	}
}
