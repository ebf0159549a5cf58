package bot_test

import (
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/anras/parc/domain"
)

func TestWebhookProbesAndHealth(t *testing.T) {
	h := newHarness(t, options{})
	for _, c := range []struct {
		method, path string
		want         int
	}{
		{http.MethodHead, "/api/messages", 200},
		{http.MethodGet, "/healthz", 200},
		{http.MethodGet, "/readyz", 200},
		{http.MethodGet, "/api/messages", 404},
	} {
		rec := httptest.NewRecorder()
		h.h.ServeHTTP(rec, httptest.NewRequest(c.method, c.path, nil))
		if rec.Code != c.want {
			t.Errorf("%s %s = %d, want %d", c.method, c.path, rec.Code, c.want)
		}
	}
	h.store.Close()
	rec := httptest.NewRecorder()
	h.h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("readyz with a closed store = %d, want 503", rec.Code)
	}
}

func TestWebhookRefusesBadBodies(t *testing.T) {
	h := newHarness(t, options{})
	big := `{"type":"message","text":"` + strings.Repeat("a", 257<<10) + `"}`
	for _, c := range []struct {
		name, body string
		want       int
	}{
		{"over 256 KiB", big, http.StatusRequestEntityTooLarge},
		{"not JSON", "hello", http.StatusBadRequest},
		{"JSON array", "[1,2]", http.StatusBadRequest},
		{"no type", `{"text":"aide"}`, http.StatusBadRequest},
		{"empty type", `{"type":"","text":"aide"}`, http.StatusBadRequest},
		{"message without conversation", `{"type":"message","text":"aide","serviceUrl":"http://x"}`, http.StatusBadRequest},
		{"message with a wrongly typed field", `{"type":"message","text":42,"serviceUrl":"http://x","conversation":{"id":"c"}}`, http.StatusBadRequest},
		{"unhandled type", `{"type":"typing","id":"1","serviceUrl":"http://x","conversation":{"id":"c"}}`, http.StatusOK},
		{"unhandled type with an odd shape", `{"type":"event","value":"not an object"}`, http.StatusOK},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := h.post(c.body, "")
			if rec.Code != c.want {
				t.Fatalf("status %d, want %d (%s)", rec.Code, c.want, rec.Body)
			}
		})
	}
	if n := len(h.peer.sent()); n != 0 {
		t.Fatalf("the bot sent %d activities for refused or ignored requests", n)
	}
	if users, _ := h.store.ListUsers(ctx); len(users) != 0 {
		t.Fatalf("refused requests stored users: %+v", users)
	}
}

func TestRedeliveryIsAnsweredOnce(t *testing.T) {
	h := newHarness(t, options{})
	act := h.activity("message-personal-hello")
	act["text"] = "aide"
	for range 3 {
		if rec := h.post(act, ""); rec.Code != 200 {
			t.Fatalf("status %d", rec.Code)
		}
	}
	if n := len(h.peer.cards()); n != 1 {
		t.Fatalf("three deliveries of one activity got %d answers, want 1", n)
	}
	// The same id in another conversation is another activity.
	act["conversation"].(map[string]any)["id"] = "another-chat"
	h.post(act, "")
	if n := len(h.peer.cards()); n != 2 {
		t.Fatalf("same id in another conversation: %d answers, want 2", n)
	}
	// A redelivered invoke gets a message, not a second run of the action.
	inv := h.activity("invoke-adaptiveCard-action-personal")
	inv["value"] = map[string]any{"action": map[string]any{"type": "Action.Execute", "verb": "menu"}}
	first := h.post(inv, "")
	second := h.post(inv, "")
	if !strings.Contains(first.Body.String(), "card.adaptive") || !strings.Contains(second.Body.String(), "activity.message") {
		t.Fatalf("invoke redelivery: first %s, second %s", first.Body, second.Body)
	}
}

func TestUnhandledInvokeName(t *testing.T) {
	h := newHarness(t, options{})
	inv := h.activity("invoke-adaptiveCard-action-personal")
	inv["name"] = "composeExtension/query"
	if rec := h.post(inv, ""); rec.Code != http.StatusNotImplemented {
		t.Fatalf("unknown invoke name: %d, want 501", rec.Code)
	}
	inv = h.activity("invoke-adaptiveCard-action-personal")
	inv["id"] = "bad-value"
	inv["value"] = map[string]any{"nothing": true}
	rec := h.post(inv, "")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "application/vnd.microsoft.error") || !strings.Contains(rec.Body.String(), `"statusCode":400`) {
		t.Fatalf("invoke without action: %d %s, want the Universal Actions error shape", rec.Code, rec.Body)
	}
}

func TestStoreRecordsConversationAndUser(t *testing.T) {
	h := newHarness(t, options{})
	act := h.activity("message-channel-general-mention-ui")
	h.post(act, "")
	ref, err := h.store.Conversation(ctx, "team-id")
	if err != nil {
		t.Fatalf("channel reference not stored under the channel id: %v", err)
	}
	if ref.Kind != domain.ConversationChannel || ref.ServiceURL != h.peer.URL() || ref.TeamID != "team-id" || ref.BotID == "" {
		t.Fatalf("channel reference = %+v", ref)
	}
	u, err := h.store.User(ctx, "00000000-0000-0000-0000-0000000000020")
	if err != nil || u.Name != "Alex Wilber" || u.TeamsID != "user-id-0" || u.ServiceURL != h.peer.URL() {
		t.Fatalf("user = %+v, %v", u, err)
	}
}

// TestAppPages: the home, privacy and terms pages the app package links to
// answer in the browser's language.
func TestAppPages(t *testing.T) {
	h := newHarness(t, options{})
	for path, want := range map[string]string{"/": "Parc est l'assistant Teams", "/confidentialite": "Parc conserve le strict nécessaire", "/conditions": "réservé aux salariés"} {
		rec := httptest.NewRecorder()
		h.h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		body := strings.ReplaceAll(html.UnescapeString(rec.Body.String()), "\u00a0", " ")
		if rec.Code != 200 || !strings.Contains(body, want) || !strings.Contains(rec.Header().Get("Content-Type"), "text/html") {
			t.Errorf("GET %s = %d %q", path, rec.Code, body)
		}
	}
	req := httptest.NewRequest(http.MethodGet, "/confidentialite", nil)
	req.Header.Set("Accept-Language", "en-GB,en;q=0.9")
	rec := httptest.NewRecorder()
	h.h.ServeHTTP(rec, req)
	if !strings.Contains(rec.Body.String(), "Parc keeps only what it needs") {
		t.Errorf("English privacy page: %s", rec.Body)
	}
}
