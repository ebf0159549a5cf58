package bot_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/anras/parc/bot"
)

func TestListenAddr(t *testing.T) {
	for _, c := range []struct {
		host   string
		port   int
		authOn bool
		want   string
		ok     bool
	}{
		{"", 3978, false, "127.0.0.1:3978", true},
		{"", 3978, true, ":3978", true},
		{"::1", 3978, false, "[::1]:3978", true},
		{"localhost", 80, false, "localhost:80", true},
		{"0.0.0.0", 3978, false, "", false},
		{"192.168.1.10", 3978, false, "", false},
		{"0.0.0.0", 3978, true, "0.0.0.0:3978", true},
		{"", 0, true, "", false},
		{"", 70000, true, "", false},
	} {
		got, err := bot.ListenAddr(c.host, c.port, c.authOn)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ListenAddr(%q, %d, %v) = %q, %v; want %q ok=%v", c.host, c.port, c.authOn, got, err, c.want, c.ok)
		}
	}
}

// TestServeLetsTurnsInFlightFinish: on shutdown, a request being handled
// completes; new connections are refused.
func TestServeLetsTurnsInFlightFinish(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(300 * time.Millisecond)
		io.WriteString(w, "done")
	})
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- bot.Serve(ctx, ln, h, slog.New(slog.NewTextHandler(io.Discard, nil))) }()
	got := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/")
		if err != nil {
			got <- "error: " + err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got <- string(b)
	}()
	<-started
	cancel()
	if body := <-got; body != "done" {
		t.Fatalf("request in flight got %q, want done", body)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Fatal("still accepting connections after shutdown")
	}
}
