package connector

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/infracloudio/msbotbuilder-go/core/activity"
	"github.com/infracloudio/msbotbuilder-go/schema"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// incomingMessage is a personal-chat message captured from the Agents
// Playground, decoded as msbotbuilder decodes what the bot receives.
func incomingMessage(t testing.TB) schema.Activity {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "incoming-personal-message.json"))
	if err != nil {
		t.Fatal(err)
	}
	var a schema.Activity
	if err := json.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	return a
}

// cardReply is the reply a handler builds with msbotbuilder's TurnContext:
// an Adaptive Card, no text.
func cardReply(t testing.TB) schema.Activity {
	t.Helper()
	card := json.RawMessage(`{"type":"AdaptiveCard","version":"1.5",` +
		`"body":[{"type":"TextBlock","text":"Réservation confirmée","wrap":true}],` +
		`"actions":[{"type":"Action.Execute","title":"Annuler","verb":"reservation.cancel","data":{"id":"r-1"}}]}`)
	turn := &activity.TurnContext{Activity: incomingMessage(t)}
	reply, err := turn.SendActivity(activity.MsgOptionAttachments([]schema.Attachment{{
		ContentType: "application/vnd.microsoft.card.adaptive",
		Content:     card,
	}}))
	if err != nil {
		t.Fatal(err)
	}
	return reply
}

// TestCardReplyJSON pins, byte for byte, the JSON sent for a card reply:
// what Teams receives is reviewed as a diff of the golden file.
func TestCardReplyJSON(t *testing.T) {
	got, err := json.Marshal(toWire(cardReply(t)))
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "card-reply.golden.json")
	if *update {
		var pretty bytes.Buffer
		if err := json.Indent(&pretty, got, "", "  "); err != nil {
			t.Fatal(err)
		}
		pretty.WriteByte('\n')
		if err := os.WriteFile(golden, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, want); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, compact.Bytes()) {
		t.Errorf("card reply JSON =\n%s\nwant (from %s)\n%s", got, golden, compact.Bytes())
	}
}

// TestWireOmitsZeroValues shows the noise msbotbuilder's own encoding sends
// and that the wire form has none of it.
func TestWireOmitsZeroValues(t *testing.T) {
	noisy, err := json.Marshal(schema.Activity{Type: schema.Message, Text: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(noisy, []byte("0001-01-01T00:00:00Z")) || !bytes.Contains(noisy, []byte(`"from":{}`)) {
		t.Fatalf("msbotbuilder's encoding changed; this test's premise is gone: %s", noisy)
	}

	for _, tt := range []struct {
		in   schema.Activity
		want string
	}{
		{schema.Activity{}, `{}`},
		{schema.Activity{Type: schema.Message, Text: "x"}, `{"type":"message","text":"x"}`},
		{
			schema.Activity{Type: schema.Message, SuggestedActions: schema.SuggestedActions{To: []string{}}, ChannelData: map[string]any{}, Value: map[string]any{}},
			`{"type":"message"}`,
		},
	} {
		got, err := json.Marshal(toWire(tt.in))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tt.want {
			t.Errorf("wire JSON = %s, want %s", got, tt.want)
		}
	}
}

// TestWireKeepsEveryMeaningfulField fills every field of an activity and
// checks that decoding the wire JSON gives it back: the clean form loses
// nothing but CallerID, which is not to be transmitted.
func TestWireKeepsEveryMeaningfulField(t *testing.T) {
	ts := time.Date(2026, 11, 28, 19, 19, 26, 556_000_000, time.UTC)
	acct := func(id string) schema.ChannelAccount {
		return schema.ChannelAccount{ID: id, Name: "Name " + id, AadObjectID: "aad-" + id, Role: schema.RoleTypes("user")}
	}
	conv := schema.ConversationAccount{IsGroup: true, ConversationType: "channel", TenantID: "tenant-1", ID: channelThreadID, Name: "General"}
	full := schema.Activity{
		Type:             schema.Message,
		ID:               "act-1",
		Timestamp:        ts,
		LocalTimestamp:   ts.Add(time.Hour),
		LocalTimezone:    "Europe/Paris",
		ServiceURL:       "https://smba.trafficmanager.net/emea/",
		ChannelID:        "msteams",
		From:             acct("bot"),
		Conversation:     conv,
		Recipient:        acct("user"),
		TextFormat:       schema.TextFormatTypes("markdown"),
		AttachmentLayout: schema.AttachmentLayoutTypes("carousel"),
		MembersAdded:     []schema.ChannelAccount{acct("m1")},
		MembersRemoved:   []schema.ChannelAccount{acct("m2")},
		ReactionsAdded:   []schema.MessageReaction{{Type: "like"}},
		ReactionsRemoved: []schema.MessageReaction{{Type: "heart"}},
		TopicName:        "Parc",
		HistoryDisclosed: true,
		Locale:           "fr-FR",
		Text:             "Bonjour",
		Speak:            "Bonjour",
		InputHint:        schema.InputHints("acceptingInput"),
		Summary:          "Résumé",
		SuggestedActions: schema.SuggestedActions{To: []string{"29:1"}, Actions: []schema.CardAction{{Type: "imBack", Title: "Oui", Value: map[string]any{"v": "oui"}}}},
		Attachments: []schema.Attachment{
			{ContentType: "application/vnd.microsoft.card.adaptive", Content: map[string]any{"type": "AdaptiveCard"}},
			{ContentType: "image/png", ContentURL: "https://example.com/a.png", Name: "a.png", ThumbnailURL: "https://example.com/t.png"},
		},
		Entities:       []schema.Entity{{Type: "clientInfo"}},
		ChannelData:    map[string]any{"notification": map[string]any{"alert": true}},
		Action:         "add",
		ReplyToID:      "msg-0",
		Label:          "label",
		ValueType:      "type",
		Value:          map[string]any{"action": "submit"},
		Name:           "adaptiveCard/action",
		RelatesTo:      schema.ConversationReference{ActivityID: "a0", User: acct("u"), Bot: acct("b"), Conversation: conv, ChannelID: "msteams", ServiceURL: "https://x/"},
		Code:           schema.EndOfConversationCodes("completedSuccessfully"),
		Expiration:     ts.Add(24 * time.Hour),
		Importance:     schema.ActivityImportance("high"),
		DeliveryMode:   schema.DeliveryModes("notification"),
		ListenFor:      []string{"oui"},
		TextHighlights: []schema.TextHighlight{{Text: "Bon", Occurrence: 1}},
		SemanticAction: schema.SemanticAction{State: "start", ID: "sa", Entities: map[string]schema.Entity{"e": {Type: "t"}}},
	}
	assertAllFieldsSet(t, full, "CallerID")

	data, err := json.Marshal(toWire(full))
	if err != nil {
		t.Fatal(err)
	}
	var back schema.Activity
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, full) {
		t.Errorf("round trip lost something:\n got %+v\nwant %+v", back, full)
	}

	full.CallerID = "urn:botframework:azure"
	data, _ = json.Marshal(toWire(full))
	if strings.Contains(string(data), "callerId") {
		t.Errorf("callerId sent: %s", data)
	}
}

// assertAllFieldsSet fails if a field of v other than skip is zero, so that
// a field added to schema.Activity is noticed here and in wireActivity.
func assertAllFieldsSet(t *testing.T, v any, skip ...string) {
	t.Helper()
	rv := reflect.ValueOf(v)
	for i := range rv.NumField() {
		name := rv.Type().Field(i).Name
		if rv.Field(i).IsZero() && !slices.Contains(skip, name) {
			t.Errorf("test activity leaves %s zero", name)
		}
	}
	if got, want := rv.NumField()-len(skip), reflect.TypeFor[wireActivity]().NumField(); got != want {
		t.Errorf("schema.Activity has %d fields to send, wireActivity %d", got, want)
	}
}

func TestWireParameters(t *testing.T) {
	for _, tt := range []struct {
		in   schema.ConversationParameters
		want string
	}{
		{schema.ConversationParameters{}, `{}`},
		{
			schema.ConversationParameters{IsGroup: true, TopicName: "Parc", ChannelData: map[string]any{"channel": map[string]any{"id": "19:c"}},
				Activity: schema.Activity{Type: schema.Message, Text: "x"}},
			`{"isGroup":true,"topicName":"Parc","activity":{"type":"message","text":"x"},"channelData":{"channel":{"id":"19:c"}}}`,
		},
	} {
		got, err := json.Marshal(toWireParameters(tt.in))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tt.want {
			t.Errorf("wire JSON = %s, want %s", got, tt.want)
		}
	}
}
