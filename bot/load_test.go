package bot_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anras/parc/bot/auth/authtest"
)

// TestLoad drives a real `parc serve` process with authentication on:
// tokens signed by a local OpenID key set, the bot's own tokens from a local
// Entra ID token endpoint (TLS, trusted through SSL_CERT_FILE), and replies
// going to a local connector. It reports activities per second, p50/p99
// latency and the bot's peak resident memory (VmHWM).
//
//	PARC_LOAD=1 go test -run TestLoad -v ./bot        (make load)
//
// PARC_LOAD_N and PARC_LOAD_C set the number of activities (20000) and of
// concurrent senders (32).
func TestLoad(t *testing.T) {
	if os.Getenv("PARC_LOAD") == "" {
		t.Skip("load test: run it with PARC_LOAD=1 (make load)")
	}
	n, c := envInt("PARC_LOAD_N", 20000), envInt("PARC_LOAD_C", 32)
	dir := t.TempDir()
	bin := filepath.Join(dir, "parc")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/parc").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	issuer := authtest.NewIssuer(t)
	entra, certFile := fakeEntra(t, dir)
	var replies atomic.Int64
	conn := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if r.Header.Get("Authorization") != "Bearer bot-token" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		replies.Add(1)
		w.Write([]byte(`{"id":"1"}`))
	}))
	defer conn.Close()

	port := freePort(t)
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(),
		"MicrosoftAppType=SingleTenant", "MicrosoftAppId="+authtest.DefaultAppID, "MicrosoftAppPassword=load-test-secret",
		"MicrosoftAppTenantId="+authtest.DefaultTenantID, "BotOpenIdMetadata="+issuer.MetadataURL(),
		"AZURE_AUTHORITY_HOST="+entra.URL+"/", "SSL_CERT_FILE="+certFile,
		"PORT="+strconv.Itoa(port), "PARC_LISTEN_HOST=127.0.0.1", "PARC_DATA_DIR="+filepath.Join(dir, "data"),
		"PARC_LOG_LEVEL="+envStr("PARC_LOAD_LOG", "warn"), "PARC_LOCALE=fr")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	waitHealthy(t, base, &stderr)

	serviceURL := conn.URL + "/_connector"
	header := issuer.Header(authtest.Options{AppID: authtest.DefaultAppID, ServiceURL: serviceURL, Expiry: time.Now().Add(time.Hour)})
	client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: c}}
	send := func(i int) (time.Duration, error) {
		user := fmt.Sprintf("00000000-0000-0000-0000-%012d", i%500)
		act := map[string]any{
			"type": "message", "id": fmt.Sprintf("load-%d", i), "text": "aide", "channelId": "msteams", "serviceUrl": serviceURL,
			"from":         map[string]any{"id": "29:" + user, "name": "Utilisateur " + strconv.Itoa(i%500), "aadObjectId": user},
			"conversation": map[string]any{"id": "conv-" + user, "conversationType": "personal", "tenantId": authtest.DefaultTenantID},
			"recipient":    map[string]any{"id": "28:" + authtest.DefaultAppID, "name": "Parc"}, "locale": "fr-FR",
		}
		body, _ := json.Marshal(act)
		req, _ := http.NewRequest(http.MethodPost, base+"/api/messages", bytes.NewReader(body))
		req.Header.Set("Authorization", header)
		req.Header.Set("Content-Type", "application/json")
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return 0, fmt.Errorf("status %d", resp.StatusCode)
		}
		return time.Since(start), nil
	}
	// Warm up: every user once (their first message writes their profile).
	for i := range 500 {
		if _, err := send(n + i); err != nil {
			t.Fatalf("warm-up: %v\n%s", err, stderr.String())
		}
	}
	replies.Store(0)
	lat := make([]time.Duration, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	var failures atomic.Int64
	start := time.Now()
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				d, err := send(i)
				if err != nil {
					failures.Add(1)
				}
				lat[i] = d
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if f := failures.Load(); f > 0 {
		t.Fatalf("%d of %d activities failed\n%s", f, n, stderr.String())
	}
	deadline := time.Now().Add(5 * time.Second)
	for replies.Load() < int64(n) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := replies.Load(); got != int64(n) {
		t.Fatalf("%d replies reached the connector for %d activities", got, n)
	}
	p50, p99 := percentiles(lat)
	rss := peakRSS(t, cmd.Process.Pid)
	t.Logf("load: %d activities, %d concurrent senders, auth on, embedded store", n, c)
	t.Logf("load: %.0f activities/s, p50 %.2f ms, p99 %.2f ms, peak RSS %.1f MB",
		float64(n)/elapsed.Seconds(), ms(p50), ms(p99), float64(rss)/1024)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func waitHealthy(t *testing.T, base string, stderr *bytes.Buffer) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("parc serve did not become healthy:\n%s", stderr.String())
}

// peakRSS reads the process's high-water resident set size in KiB.
func peakRSS(t *testing.T, pid int) int {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatalf("peak RSS: %v", err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			kb, _ := strconv.Atoi(strings.Fields(line)[1])
			return kb
		}
	}
	t.Fatal("no VmHWM in /proc status")
	return 0
}

// fakeEntra is a local Microsoft Entra ID over TLS that hands out the bot's
// token; its certificate is written to a file for SSL_CERT_FILE.
func fakeEntra(t *testing.T, dir string) (*httptest.Server, string) {
	var srv *httptest.Server
	srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		tenant, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		base := srv.URL + "/" + tenant
		switch {
		case strings.HasSuffix(r.URL.Path, "/discovery/instance"):
			json.NewEncoder(w).Encode(map[string]any{
				"tenant_discovery_endpoint": srv.URL + "/" + authtest.DefaultTenantID + "/v2.0/.well-known/openid-configuration",
				"api-version":               "1.1",
				"metadata":                  []any{map[string]any{"preferred_network": strings.TrimPrefix(srv.URL, "https://"), "preferred_cache": strings.TrimPrefix(srv.URL, "https://"), "aliases": []string{strings.TrimPrefix(srv.URL, "https://")}}},
			})
		case rest == "v2.0/.well-known/openid-configuration":
			json.NewEncoder(w).Encode(map[string]any{"issuer": base + "/v2.0", "authorization_endpoint": base + "/oauth2/v2.0/authorize", "token_endpoint": base + "/oauth2/v2.0/token"})
		case rest == "oauth2/v2.0/token":
			json.NewEncoder(w).Encode(map[string]any{"token_type": "Bearer", "expires_in": 3600, "access_token": "bot-token"})
		default:
			http.NotFound(w, r)
		}
	}))
	srv.StartTLS()
	t.Cleanup(srv.Close)
	cert := srv.TLS.Certificates[0]
	var pemBytes []byte
	for _, der := range cert.Certificate {
		pemBytes = append(pemBytes, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	file := filepath.Join(dir, "entra.pem")
	if err := os.WriteFile(file, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	_ = tls.VersionTLS12
	return srv, file
}

func envStr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
