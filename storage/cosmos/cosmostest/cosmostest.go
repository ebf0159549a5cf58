// Package cosmostest runs Parc's test Cosmos DB, e2e/cosmos/launcher.js (the
// npm emulator @vercel/cosmosdb-server with the corrections that make it
// answer like the real service), for the tests of a single test binary.
//
// Start fails the test when Node or e2e/node_modules is missing, saying to
// run `npm ci --prefix e2e`; with PARC_SKIP_NODE=1 it skips instead, with
// the same reason. A missing emulator never passes silently.
package cosmostest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// Correction names, as the launcher's --disable flag knows them.
const (
	CorrectionRead           = "read"           // ReadItem of a missing item: 404, not 500
	CorrectionQuery          = "query"          // a query with a partition key sees that partition only
	CorrectionCrossPartition = "crossPartition" // cross-partition TOP/ORDER BY/aggregates/... refused
	CorrectionBatch          = "batch"          // transactional batch: header key, atomic, 207/424
	CorrectionPatchCondition = "patchCondition" // patch conditions keep their case
	CorrectionPartitionKey   = "partitionKey"   // a write under another partition's key: 400
)

// Corrections lists every correction the launcher applies.
var Corrections = []string{CorrectionRead, CorrectionQuery, CorrectionCrossPartition, CorrectionBatch, CorrectionPatchCondition, CorrectionPartitionKey}

// Emulator is a running launcher.
type Emulator struct {
	// Endpoint is the http endpoint to give azcosmos.
	Endpoint string
	// Key is a random, well-formed account key: the emulator ignores keys.
	Key string

	stop func()
}

// Stop ends the emulator before the test does, to see how a client copes
// with a store that went away. The test's cleanup would stop it anyway.
func (e *Emulator) Stop() { e.stop() }

// Option changes how the emulator starts.
type Option func(*options)

type options struct{ disable []string }

// Without starts the emulator with the named corrections off, as the npm
// package ships it: tests use it to show that each correction is needed.
func Without(corrections ...string) Option {
	return func(o *options) { o.disable = append(o.disable, corrections...) }
}

// e2eDir is the repository's e2e directory, found from this file's place
// so that every package's tests find it whatever their working directory.
func e2eDir() string {
	if d := os.Getenv("PARC_E2E_DIR"); d != "" {
		return d
	}
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "e2e")
}

// Start runs the launcher on a free port of 127.0.0.1 and stops it when
// the test ends.
func Start(t testing.TB, opts ...Option) *Emulator {
	t.Helper()
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	dir := e2eDir()
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(dir, "node_modules", "@vercel", "cosmosdb-server", "lib", "index.js"))
	}
	if err != nil {
		reason := fmt.Sprintf("the Cosmos DB emulator needs Node and e2e/node_modules: run `npm ci --prefix e2e` first (%v)", err)
		if os.Getenv("PARC_SKIP_NODE") == "1" {
			t.Skip(reason + "; skipped because PARC_SKIP_NODE=1")
		}
		t.Fatal(reason + "; or set PARC_SKIP_NODE=1 to skip these tests")
	}
	args := []string{filepath.Join(dir, "cosmos", "launcher.js"), "--port", "0", "--exit-with-stdin"}
	if len(o.disable) > 0 {
		args = append(args, "--disable", strings.Join(o.disable, ","))
	}
	cmd := exec.Command(node, args...)
	// The launcher exits when its standard input closes: if this process
	// dies, so does the emulator.
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &LockedBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the Cosmos DB emulator: %v", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			stdin.Close()
			_ = cmd.Process.Kill()
			<-done
		})
	}
	t.Cleanup(stop)
	endpoint := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		re := regexp.MustCompile(`listening on (http://\S+)`)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				endpoint <- m[1]
			}
		}
	}()
	e := Emulator{stop: stop}
	select {
	case e.Endpoint = <-endpoint:
	case <-done:
		t.Fatalf("the Cosmos DB emulator exited before listening: %s", stderr.String())
	case <-time.After(20 * time.Second):
		t.Fatalf("the Cosmos DB emulator did not listen within 20 s: %s", stderr.String())
	}
	waitReady(t, e.Endpoint)
	key := make([]byte, 64)
	_, _ = rand.Read(key)
	e.Key = base64.StdEncoding.EncodeToString(key)
	return &e
}

// waitReady polls the account endpoint until it answers.
func waitReady(t testing.TB, endpoint string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(endpoint)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the Cosmos DB emulator at %s does not answer: %v", endpoint, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// InjectFaults makes the next count requests whose path contains path
// answer status (a 429 carries x-ms-retry-after-ms: 10).
func (e *Emulator) InjectFaults(t testing.TB, status, count int, path string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"status": status, "count": count, "path": path})
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, strings.TrimSuffix(e.Endpoint, "/")+"/_parc/faults", bytes.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("inject faults: %s", resp.Status)
	}
}

// DatabaseName returns a database id unique to this test, so that tests can
// share one emulator.
func DatabaseName(t testing.TB) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name := regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(t.Name(), "-")
	if len(name) > 40 {
		name = name[len(name)-40:]
	}
	return fmt.Sprintf("t-%s-%x", strings.Trim(name, "-"), b)
}

// LockedBuffer is a buffer safe for concurrent writes: it collects the
// launcher's standard error for failure messages, and tests' logs.
type LockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *LockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *LockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
