package bot_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anras/parc/bot"
	"github.com/anras/parc/bot/auth"
	"github.com/anras/parc/bot/auth/authtest"
	"github.com/anras/parc/bot/connector"
	"github.com/anras/parc/storage/bolt"
)

// BenchmarkWebhook measures the whole webhook path in one process: a
// personal "aide" message with a Bot Framework token signed by a local key,
// authenticated, de-duplicated in the embedded store, routed, rendered and
// posted to a local connector. It reports p50/p99 latency next to ns/op.
// The load test (TestLoad) measures the same path against a separate
// `parc serve` process, with its memory.
func BenchmarkWebhook(b *testing.B) {
	issuer := authtest.NewIssuer(b)
	var replies atomic.Int64
	conn := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		replies.Add(1)
		w.Write([]byte(`{"id":"1"}`))
	}))
	defer conn.Close()
	st, err := bolt.Open(b.TempDir(), bolt.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	v := auth.New(auth.Config{AppID: authtest.DefaultAppID, MetadataURL: issuer.MetadataURL(), HTTPClient: issuer.Client(), Logger: log})
	bt := bot.New(bot.Config{AppID: authtest.DefaultAppID, Locale: "fr"}, bot.Deps{Store: st, Auth: v, Connector: connector.New(connector.Config{Logger: log}), Logger: log})
	h := bt.Handler()
	serviceURL := conn.URL + "/_connector"
	header := issuer.Header(authtest.Options{AppID: authtest.DefaultAppID, ServiceURL: serviceURL})
	var seq atomic.Int64
	body := func() []byte {
		n := seq.Add(1)
		user := fmt.Sprintf("00000000-0000-0000-0000-%012d", n%200)
		act := map[string]any{
			"type": "message", "id": fmt.Sprintf("bench-%d", n), "text": "aide", "channelId": "msteams", "serviceUrl": serviceURL,
			"from":         map[string]any{"id": "29:" + user, "name": "Utilisateur", "aadObjectId": user},
			"conversation": map[string]any{"id": "conv-" + user, "conversationType": "personal", "tenantId": authtest.DefaultTenantID},
			"recipient":    map[string]any{"id": "28:" + authtest.DefaultAppID, "name": "Parc"}, "locale": "fr-FR",
		}
		raw, _ := json.Marshal(act)
		return raw
	}
	var mu sync.Mutex
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		local := make([]time.Duration, 0, 1024)
		for pb.Next() {
			req := httptest.NewRequest(http.MethodPost, "/api/messages", bytes.NewReader(body()))
			req.Header.Set("Authorization", header)
			rec := httptest.NewRecorder()
			start := time.Now()
			h.ServeHTTP(rec, req)
			local = append(local, time.Since(start))
			if rec.Code != 200 {
				b.Errorf("status %d", rec.Code)
			}
		}
		mu.Lock()
		lat = append(lat, local...)
		mu.Unlock()
	})
	b.StopTimer()
	if int(replies.Load()) != len(lat) {
		b.Fatalf("%d replies for %d activities", replies.Load(), len(lat))
	}
	p50, p99 := percentiles(lat)
	b.ReportMetric(float64(p50.Microseconds()), "p50-µs")
	b.ReportMetric(float64(p99.Microseconds()), "p99-µs")
}

func percentiles(d []time.Duration) (p50, p99 time.Duration) {
	if len(d) == 0 {
		return 0, 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)*50/100], s[min(len(s)-1, len(s)*99/100)]
}
