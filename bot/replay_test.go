package bot_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestReplayCapturedActivities replays activities captured from the
// Microsoft 365 Agents Playground and checks what reaches the connector.
func TestReplayCapturedActivities(t *testing.T) {
	type want struct {
		method, pathSuffix string // "" when nothing must be sent
		text               []string
	}
	cases := []struct {
		file string
		want want
	}{
		{"message-personal-hello", want{"POST", "/v3/conversations/8d28486f-969f-43f3-93f6-526ba4668360/activities", []string{"What would you like to do?", "My profile"}}},
		{"message-channel-general-mention-ui", want{"POST", "/v3/conversations/team-id;messageid=1795893955584/activities", []string{"What would you like to do?"}}},
		{"message-groupchat-mention-ui", want{"POST", "/v3/conversations/26374f47-845d-4553-a616-47223b8c02e7/activities", []string{"What would you like to do?"}}},
		// A custom activity without a locale is answered in French.
		{"message-groupchat-other-user-custom-activity", want{"POST", "/v3/conversations/26374f47-845d-4553-a616-47223b8c02e7/activities", []string{"Que voulez-vous faire ?"}}},
		// The captured Action.Submit comes from another bot's card: Parc
		// does not know its verb and replaces the card with its menu.
		{"message-personal-ActionSubmit-value", want{"PUT", "/v3/conversations/8d28486f-969f-43f3-93f6-526ba4668360/activities/1795893566571-a587ca78", []string{"This card is out of date"}}},
		{"installationUpdate-personal", want{"POST", "/v3/conversations/8d28486f-969f-43f3-93f6-526ba4668360/activities", []string{"Welcome to Parc", "Show the menu"}}},
		{"installationUpdate-channel-general", want{"POST", "/v3/conversations/team-id/activities", []string{"Welcome to Parc", "Mention me (@Parc)"}}},
		{"conversationUpdate-personal", want{"POST", "/v3/conversations/8d28486f-969f-43f3-93f6-526ba4668360/activities", []string{"Bienvenue dans Parc"}}},
		{"conversationUpdate-channel-general", want{"POST", "/v3/conversations/team-id/activities", []string{"Bienvenue dans Parc", "Mentionnez-moi"}}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			h := newHarness(t, options{})
			if rec := h.post(h.activity(c.file), ""); rec.Code != http.StatusOK {
				t.Fatalf("status %d %s", rec.Code, rec.Body)
			}
			sent := h.peer.sent()
			if len(sent) != 1 {
				t.Fatalf("sent %d activities, want 1: %+v", len(sent), sent)
			}
			s := sent[0]
			if s.Method != c.want.method || !strings.HasSuffix(s.Path, c.want.pathSuffix) || !strings.HasPrefix(s.Path, "/_connector/") {
				t.Fatalf("sent %s %s, want %s …%s", s.Method, s.Path, c.want.method, c.want.pathSuffix)
			}
			if s.Auth != "" {
				t.Fatalf("authentication is off but the bot sent Authorization: %q", s.Auth)
			}
			cs := cardsIn(s.Body)
			if len(cs) != 1 || s.Body["text"] != nil {
				t.Fatalf("want one card and no text (the Playground splits them): %v", s.Body)
			}
			text := cardText(cs[0])
			for _, w := range c.want.text {
				if !strings.Contains(text, w) {
					t.Errorf("card lacks %q:\n%s", w, text)
				}
			}
		})
	}
}

// TestInstallWelcomesOnce: Teams announces an installation twice; the user
// gets one welcome card.
func TestInstallWelcomesOnce(t *testing.T) {
	h := newHarness(t, options{})
	h.post(h.activity("installationUpdate-personal"), "")
	h.post(h.activity("conversationUpdate-personal"), "")
	if n := len(h.peer.cards()); n != 1 {
		t.Fatalf("%d welcome cards, want 1", n)
	}
}

// TestReplayCapturedInvokes: Action.Execute is answered in the HTTP response
// with the card that replaces the clicked one, and nothing else is sent.
func TestReplayCapturedInvokes(t *testing.T) {
	for _, file := range []string{"invoke-adaptiveCard-action-personal", "invoke-adaptiveCard-action-channel-with-input"} {
		t.Run(file, func(t *testing.T) {
			h := newHarness(t, options{})
			rec := h.post(h.activity(file), "")
			var resp struct {
				StatusCode int             `json:"statusCode"`
				Type       string          `json:"type"`
				Value      json.RawMessage `json:"value"`
			}
			if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &resp) != nil {
				t.Fatalf("status %d body %s", rec.Code, rec.Body)
			}
			if resp.StatusCode != 200 || resp.Type != "application/vnd.microsoft.card.adaptive" {
				t.Fatalf("invoke response %+v", resp)
			}
			var card map[string]any
			json.Unmarshal(resp.Value, &card)
			if !strings.Contains(cardText(card), "This card is out of date") || card["type"] != "AdaptiveCard" {
				t.Fatalf("unexpected card: %s", resp.Value)
			}
			if n := len(h.peer.sent()); n != 0 {
				t.Fatalf("an invoke also sent %d activities", n)
			}
		})
	}
}
