package connector

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkSendToConversation measures the client's own cost (encoding,
// request, response parsing) against a loopback connector that answers at
// once. It is a figure to watch, not a limit.
func BenchmarkSendToConversation(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"1700000000000"}`)
	}))
	defer srv.Close()
	c := New(Config{Credential: &fakeCredential{token: "t"}, Logger: quietLogger()})
	reply := cardReply(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.SendToConversation(b.Context(), srv.URL+"/_connector", channelThreadID, reply); err != nil {
			b.Fatal(err)
		}
	}
}
