package graph

import (
	"net/http"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false}, {"0", 0, true}, {"1", time.Second, true}, {"120", 2 * time.Minute, true},
		{now.Add(30 * time.Second).Format(http.TimeFormat), 30 * time.Second, true},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0, true}, // a date in the past: now
		{"-3", 0, false}, {"soon", 0, false}, {"1.5", 0, false},
	} {
		got, ok := retryAfter(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"1", "Wed, 21 Oct 2015 07:28:00 GMT", "-1", ""} {
		f.Add(s)
	}
	now := time.Now()
	f.Fuzz(func(t *testing.T, s string) {
		if d, ok := retryAfter(s, now); ok && d < 0 {
			t.Fatalf("retryAfter(%q) = %v", s, d)
		}
	})
}

func TestBackoffGrows(t *testing.T) {
	rt := newRetryTransport(Config{BaseDelay: 100 * time.Millisecond})
	for attempt, lo := range []time.Duration{100, 200, 400, 800} {
		lo *= time.Millisecond
		if d := rt.backoff(attempt + 1); d < lo || d > lo*3/2+1 {
			t.Errorf("backoff(%d) = %v, want between %v and %v", attempt+1, d, lo, lo*3/2)
		}
	}
}
