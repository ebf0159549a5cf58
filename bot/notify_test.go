package bot_test

import (
	"strings"
	"testing"

	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
)

func TestNotifyUserInTheirPersonalChat(t *testing.T) {
	h := newHarness(t, options{locale: "fr"})
	h.say(staffID, "Bea", "aide")
	before := len(h.peer.sent())
	card := cards.Notice(cards.FR, "Rappel", "Votre réservation commence dans 30 minutes.", "")
	if err := h.bot.Notifier().NotifyUser(ctx, staffID, card); err != nil {
		t.Fatal(err)
	}
	s := h.peer.sent()[before:]
	if len(s) != 1 || s[0].Method != "POST" || !strings.HasSuffix(s[0].Path, "/v3/conversations/8d28486f-969f-43f3-93f6-526ba4668360/activities") {
		t.Fatalf("sent %+v", s)
	}
	if got := cardText(cardsIn(s[0].Body)[0]); !strings.Contains(got, "Votre réservation commence") {
		t.Fatalf("card: %s", got)
	}
}

func TestNotifyUserStartsAChatWhenNeeded(t *testing.T) {
	h := newHarness(t, options{locale: "fr"})
	// The user has only talked to Parc in a channel.
	act := h.activity("message-channel-general-mention-ui")
	act["text"] = "<at>Parc</at> aide"
	h.post(act, "")
	uid := "00000000-0000-0000-0000-0000000000020"
	before := len(h.peer.sent())
	if err := h.bot.Notifier().NotifyUser(ctx, uid, cards.Notice(cards.FR, "Rappel", "x", "")); err != nil {
		t.Fatal(err)
	}
	s := h.peer.sent()[before:]
	if len(s) != 2 || !strings.HasSuffix(s[0].Path, "/v3/conversations") || !strings.HasSuffix(s[1].Path, "/v3/conversations/new-conv/activities") {
		t.Fatalf("sent %+v", s)
	}
	members, _ := s[0].Body["members"].([]any)
	if len(members) != 1 || members[0].(map[string]any)["id"] != "user-id-0" {
		t.Fatalf("conversation members = %v", s[0].Body["members"])
	}
	u, _ := h.store.User(ctx, uid)
	if u.PersonalConversationID != "new-conv" {
		t.Fatalf("the new chat was not remembered: %+v", u)
	}
	if err := h.bot.Notifier().NotifyUser(ctx, "never-seen", cards.Notice(cards.FR, "x", "y", "")); !domain.IsNotFound(err) {
		t.Fatalf("unknown user: %v, want ENOTFOUND", err)
	}
}

func TestPostStartsAThreadInAChannel(t *testing.T) {
	h := newHarness(t, options{locale: "fr"})
	act := h.activity("message-channel-general-mention-ui")
	act["text"] = "<at>Parc</at> aide"
	h.post(act, "")
	before := len(h.peer.sent())
	id, err := h.bot.Notifier().Post(ctx, "team-id", cards.Notice(cards.FR, "Synthèse", "x", ""))
	if err != nil || id == "" {
		t.Fatalf("Post = %q, %v", id, err)
	}
	s := h.peer.sent()[before:]
	if len(s) != 1 || !strings.HasSuffix(s[0].Path, "/_connector/v3/conversations") {
		t.Fatalf("sent %+v", s)
	}
	ch, _ := s[0].Body["channelData"].(map[string]any)["channel"].(map[string]any)
	if ch["id"] != "team-id" || s[0].Body["isGroup"] != true || len(cardsIn(s[0].Body)) != 1 {
		t.Fatalf("create conversation body = %v", s[0].Body)
	}
}
