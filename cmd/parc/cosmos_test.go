package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/anras/parc/domain"
	"github.com/anras/parc/storage/bolt"
	"github.com/anras/parc/storage/cosmos/cosmostest"
)

var t0 = time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC) // the night France moves back to winter time

func testEnv(vars map[string]string) (*environment, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	return &environment{getenv: func(k string) string { return vars[k] }, stdout: &out, stderr: &errOut}, &out, &errOut
}

func cosmosVars(e *cosmostest.Emulator, t *testing.T) map[string]string {
	return map[string]string{"COSMOS_ENDPOINT": e.Endpoint, "COSMOS_KEY": e.Key, "COSMOS_DATABASE": cosmostest.DatabaseName(t)}
}

func TestCosmosStartFailsInOneLine(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/"
	ln.Close()
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"code":"Unauthorized","message":"The input authorization token can't serve the request."}`)
	}))
	defer refusing.Close()
	for _, c := range []struct {
		name, endpoint, want string
	}{
		{"closed port", closed, "cannot reach COSMOS_ENDPOINT"},
		{"key refused", refusing.URL + "/", "refused COSMOS_KEY"},
	} {
		t.Run(c.name, func(t *testing.T) {
			env, _, _ := testEnv(map[string]string{"COSMOS_ENDPOINT": c.endpoint, "COSMOS_KEY": "a2V5a2V5"})
			start := time.Now()
			err := run(context.Background(), env, []string{"roles", "list"})
			if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %v, want one line saying %q", err, c.want)
			}
			t.Logf("parc: %v (after %v)", err, time.Since(start).Round(time.Millisecond))
		})
	}
}

// fillBolt writes one record of each kind, with the text that breaks
// naive encodings, into an embedded store in dir.
func fillBolt(t *testing.T, dir string) {
	t.Helper()
	s, err := bolt.Open(dir, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	for i, name := range []string{"Zoé Ånström", `Jean "Jo" O'Brien`, "李雷"} {
		id := fmt.Sprintf("0000000%d-aaaa-bbbb-cccc-dddddddddddd", i)
		if _, err := s.UpdateUser(ctx, id, func(u *domain.User) error {
			u.Name, u.Language, u.LastSeen, u.Email = name, "fr", t0.Add(time.Duration(i)*time.Hour), fmt.Sprintf("u%d@example.org", i)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := s.GrantRole(ctx, domain.RoleAssignment{UserID: id, UserName: name, Role: domain.RoleTechnician, GrantedBy: "cli", GrantedAt: t0}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SaveConversation(ctx, domain.ConversationRef{ID: "19:abc@thread.tacv2", Kind: domain.ConversationChannel, ServiceURL: "https://smba.trafficmanager.net/fr/",
		ChannelID: "msteams", BotID: "28:bot", TeamID: "19:team", TeamName: "DITEP <IT>", UpdatedAt: t0}); err != nil {
		t.Fatal(err)
	}
}

func export(t *testing.T, vars map[string]string) []string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "export.jsonl")
	env, _, errOut := testEnv(vars)
	if err := run(context.Background(), env, []string{"export", "--out", file}); err != nil {
		t.Fatalf("export: %v (%s)", err, errOut)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var r domain.Record
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("export line %q: %v", l, err)
		}
		var v any
		if err := json.Unmarshal(r.Data, &v); err != nil {
			t.Fatal(err)
		}
		canon, _ := json.Marshal(v)
		lines = append(lines, r.Kind+" "+string(canon))
	}
	return lines
}

func importFile(t *testing.T, vars map[string]string, lines []string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "import.jsonl")
	var buf bytes.Buffer
	for _, l := range lines {
		kind, data, _ := strings.Cut(l, " ")
		fmt.Fprintf(&buf, `{"kind":%q,"data":%s}`+"\n", kind, data)
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	env, _, errOut := testEnv(vars)
	if err := run(context.Background(), env, []string{"import", file}); err != nil {
		t.Fatalf("import: %v (%s)", err, errOut)
	}
}

// TestMoveBetweenStores moves a pilot's data from the embedded store to
// Cosmos DB and back with `parc export` and `parc import`: every export is
// the same, in the same order: nothing lost, nothing added.
func TestMoveBetweenStores(t *testing.T) {
	e := cosmostest.Start(t)
	boltVars := map[string]string{"PARC_DATA_DIR": t.TempDir()}
	fillBolt(t, boltVars["PARC_DATA_DIR"])
	fromBolt := export(t, boltVars)
	if len(fromBolt) != 7 {
		t.Fatalf("bolt export has %d records, want 7: %q", len(fromBolt), fromBolt)
	}

	cosmosVars := cosmosVars(e, t)
	importFile(t, cosmosVars, fromBolt)
	importFile(t, cosmosVars, fromBolt) // twice: idempotent
	fromCosmos := export(t, cosmosVars)
	if !slices.Equal(fromBolt, fromCosmos) {
		t.Fatalf("bolt → Cosmos changed the records:\nbolt   %q\ncosmos %q", fromBolt, fromCosmos)
	}

	back := map[string]string{"PARC_DATA_DIR": t.TempDir()}
	importFile(t, back, fromCosmos)
	if again := export(t, back); !slices.Equal(fromBolt, again) {
		t.Fatalf("Cosmos → bolt changed the records:\nbefore %q\nafter  %q", fromBolt, again)
	}
}

// TestReadyzReportsCosmos runs `parc serve` on Cosmos DB: /readyz is 200
// while the store answers and 503 once it is gone.
func TestReadyzReportsCosmos(t *testing.T) {
	e := cosmostest.Start(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	vars := cosmosVars(e, t)
	vars["PORT"] = strconv.Itoa(port)
	vars["PARC_LOG_LEVEL"] = "error"
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	env, _, _ := testEnv(vars)
	go func() { served <- run(ctx, env, []string{"serve"}) }()
	t.Cleanup(func() {
		cancel()
		<-served
	})
	readyz := func() (int, string) {
		resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/readyz", port))
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		code, body := readyz()
		if code == http.StatusOK {
			break
		}
		select {
		case err := <-served:
			t.Fatalf("parc serve stopped: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz never became ready: %d %s", code, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	e.Stop()
	if code, body := readyz(); code != http.StatusServiceUnavailable || !strings.Contains(body, "cosmos") {
		t.Fatalf("/readyz with the store gone = %d %s, want 503 naming cosmos", code, body)
	}
}
