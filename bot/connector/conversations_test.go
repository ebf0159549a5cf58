package connector

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/infracloudio/msbotbuilder-go/schema"
)

// Teams ids with the characters that must stay inside one path segment.
const (
	channelThreadID = "19:abc@thread.tacv2;messageid=123"
	personalChatID  = "a:1Xyz"
)

func TestMethodsSendTheRightRequest(t *testing.T) {
	card := schema.Attachment{
		ContentType: "application/vnd.microsoft.card.adaptive",
		Content:     map[string]any{"type": "AdaptiveCard", "version": "1.5"},
	}
	msg := schema.Activity{Type: schema.Message, Text: "Bonjour"}

	tests := []struct {
		name       string
		call       func(ctx context.Context, c *Client, serviceURL string) (any, error)
		respond    reply
		wantMethod string
		wantURI    string
		wantBody   string // "" for no body
		wantResult any
	}{
		{
			name: "SendToConversation",
			call: func(ctx context.Context, c *Client, u string) (any, error) {
				return c.SendToConversation(ctx, u, "a:1Xyz", msg)
			},
			respond:    reply{Status: http.StatusCreated, Body: `{"id":"act-1"}`},
			wantMethod: http.MethodPost,
			wantURI:    "/_connector/v3/conversations/a:1Xyz/activities",
			wantBody:   `{"type":"message","text":"Bonjour"}`,
			wantResult: "act-1",
		},
		{
			name: "ReplyToActivity sets replyToId",
			call: func(ctx context.Context, c *Client, u string) (any, error) {
				return c.ReplyToActivity(ctx, u, "conv-1", "msg-9", schema.Activity{Type: schema.Message, Attachments: []schema.Attachment{card}})
			},
			respond:    reply{Status: http.StatusOK, Body: `{"id":"act-2"}`},
			wantMethod: http.MethodPost,
			wantURI:    "/_connector/v3/conversations/conv-1/activities/msg-9",
			wantBody:   `{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":{"type":"AdaptiveCard","version":"1.5"}}],"replyToId":"msg-9"}`,
			wantResult: "act-2",
		},
		{
			name: "UpdateActivity puts the id in the body",
			call: func(ctx context.Context, c *Client, u string) (any, error) {
				return c.UpdateActivity(ctx, u, "conv-1", "act-2", schema.Activity{Type: schema.Message, Attachments: []schema.Attachment{card}})
			},
			respond:    reply{Status: http.StatusOK, Body: `{"id":"act-2"}`},
			wantMethod: http.MethodPut,
			wantURI:    "/_connector/v3/conversations/conv-1/activities/act-2",
			wantBody:   `{"type":"message","id":"act-2","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":{"type":"AdaptiveCard","version":"1.5"}}]}`,
			wantResult: "act-2",
		},
		{
			name: "DeleteActivity",
			call: func(ctx context.Context, c *Client, u string) (any, error) {
				return nil, c.DeleteActivity(ctx, u, "conv-1", "act-2")
			},
			respond:    reply{Status: http.StatusOK},
			wantMethod: http.MethodDelete,
			wantURI:    "/_connector/v3/conversations/conv-1/activities/act-2",
		},
		{
			name: "CreateConversation for a channel post",
			call: func(ctx context.Context, c *Client, u string) (any, error) {
				return c.CreateConversation(ctx, u, schema.ConversationParameters{
					IsGroup:     true,
					ChannelData: map[string]any{"channel": map[string]any{"id": "19:general@thread.tacv2"}},
					Activity:    schema.Activity{Type: schema.Message, Attachments: []schema.Attachment{card}},
				})
			},
			respond:    reply{Status: http.StatusCreated, Body: `{"id":"19:general@thread.tacv2;messageid=42","activityId":"42"}`},
			wantMethod: http.MethodPost,
			wantURI:    "/_connector/v3/conversations",
			wantBody:   `{"isGroup":true,"activity":{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":{"type":"AdaptiveCard","version":"1.5"}}]},"channelData":{"channel":{"id":"19:general@thread.tacv2"}}}`,
			wantResult: schema.ConversationResourceResponse{ID: "19:general@thread.tacv2;messageid=42", ActivityID: "42"},
		},
		{
			name: "CreateConversation for a 1:1 chat",
			call: func(ctx context.Context, c *Client, u string) (any, error) {
				return c.CreateConversation(ctx, u, schema.ConversationParameters{
					Bot:         schema.ChannelAccount{ID: "28:bot"},
					Members:     []schema.ChannelAccount{{ID: "29:user"}},
					TenantID:    "tenant-1",
					ChannelData: map[string]any{"tenant": map[string]any{"id": "tenant-1"}},
				})
			},
			respond:    reply{Status: http.StatusOK, Body: `{"id":"a:1Xyz"}`},
			wantMethod: http.MethodPost,
			wantURI:    "/_connector/v3/conversations",
			wantBody:   `{"bot":{"id":"28:bot"},"members":[{"id":"29:user"}],"tenantId":"tenant-1","channelData":{"tenant":{"id":"tenant-1"}}}`,
			wantResult: schema.ConversationResourceResponse{ID: "a:1Xyz"},
		},
		{
			name: "ConversationMembers",
			call: func(ctx context.Context, c *Client, u string) (any, error) {
				return c.ConversationMembers(ctx, u, "conv-1")
			},
			respond: reply{Status: http.StatusOK, Body: `[{"id":"29:1","name":"Alex Wilber","aadObjectId":"aad-1",` +
				`"email":"alex@example.com","userPrincipalName":"alex@example.com","givenName":"Alex","surname":"Wilber",` +
				`"tenantId":"tenant-1","userRole":"user"}]`},
			wantMethod: http.MethodGet,
			wantURI:    "/_connector/v3/conversations/conv-1/members",
			wantResult: []Member{{ID: "29:1", Name: "Alex Wilber", AADObjectID: "aad-1", Email: "alex@example.com",
				UserPrincipalName: "alex@example.com", GivenName: "Alex", Surname: "Wilber", TenantID: "tenant-1"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFakeConnector(t, func(int, *http.Request) reply { return tt.respond })
			c := New(Config{Logger: quietLogger()})

			got, err := tt.call(t.Context(), c, srv.URL+"/_connector")
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			if tt.wantResult != nil && !reflect.DeepEqual(got, tt.wantResult) {
				t.Errorf("result = %#v, want %#v", got, tt.wantResult)
			}
			reqs := srv.requests()
			if len(reqs) != 1 {
				t.Fatalf("server got %d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != tt.wantMethod || r.RequestURI != tt.wantURI {
				t.Errorf("request = %s %s, want %s %s", r.Method, r.RequestURI, tt.wantMethod, tt.wantURI)
			}
			if got := r.Header.Get("Accept"); got != "application/json" {
				t.Errorf("Accept = %q", got)
			}
			if tt.wantBody == "" {
				if len(r.Body) != 0 {
					t.Errorf("body = %s, want none", r.Body)
				}
				if ct := r.Header.Get("Content-Type"); ct != "" {
					t.Errorf("Content-Type = %q on a request without body", ct)
				}
				return
			}
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type = %q", ct)
			}
			if got, want := compactJSON(t, string(r.Body)), compactJSON(t, tt.wantBody); got != want {
				t.Errorf("body =\n%s\nwant\n%s", got, want)
			}
		})
	}
}

func TestTeamsIDsAreEscapedAsOneSegment(t *testing.T) {
	srv := newFakeConnector(t, func(_ int, r *http.Request) reply {
		if r.Method == http.MethodGet {
			return reply{Status: http.StatusOK, Body: `[]`}
		}
		return reply{Status: http.StatusOK, Body: `{"id":"x"}`}
	})
	c := New(Config{Logger: quietLogger()})
	ctx := t.Context()

	if _, err := c.ReplyToActivity(ctx, srv.URL+"/_connector", channelThreadID, "1:msg/with?odd#chars", schema.Activity{Type: schema.Message, Text: "x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateActivity(ctx, srv.URL, personalChatID, "1700000000000", schema.Activity{Type: schema.Message, Text: "x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ConversationMembers(ctx, srv.URL, channelThreadID); err != nil {
		t.Fatal(err)
	}

	want := []struct{ uri, path string }{
		{
			"/_connector/v3/conversations/19:abc@thread.tacv2%3Bmessageid=123/activities/1:msg%2Fwith%3Fodd%23chars",
			"/_connector/v3/conversations/19:abc@thread.tacv2;messageid=123/activities/1:msg/with?odd#chars",
		},
		{"/v3/conversations/a:1Xyz/activities/1700000000000", "/v3/conversations/a:1Xyz/activities/1700000000000"},
		{"/v3/conversations/19:abc@thread.tacv2%3Bmessageid=123/members", "/v3/conversations/19:abc@thread.tacv2;messageid=123/members"},
	}
	reqs := srv.requests()
	if len(reqs) != len(want) {
		t.Fatalf("server got %d requests, want %d", len(reqs), len(want))
	}
	for i, w := range want {
		if reqs[i].RequestURI != w.uri {
			t.Errorf("request %d URI = %s, want %s", i, reqs[i].RequestURI, w.uri)
		}
		if reqs[i].Path != w.path {
			t.Errorf("request %d decoded path = %s, want %s", i, reqs[i].Path, w.path)
		}
	}
}

func TestServiceURLForms(t *testing.T) {
	srv := newFakeConnector(t, answer(http.StatusOK, `{"id":"x"}`))
	c := New(Config{Logger: quietLogger()})
	for _, tt := range []struct{ serviceURL, wantURI string }{
		{srv.URL, "/v3/conversations/c/activities"},
		{srv.URL + "/", "/v3/conversations/c/activities"},
		{srv.URL + "/_connector", "/_connector/v3/conversations/c/activities"},
		{srv.URL + "/_connector/", "/_connector/v3/conversations/c/activities"},
		{srv.URL + "/amer/", "/amer/v3/conversations/c/activities"}, // Teams' regional form
	} {
		n := len(srv.requests())
		if _, err := c.SendToConversation(t.Context(), tt.serviceURL, "c", schema.Activity{Type: schema.Message, Text: "x"}); err != nil {
			t.Fatalf("%s: %v", tt.serviceURL, err)
		}
		if got := srv.requests()[n].RequestURI; got != tt.wantURI {
			t.Errorf("%s: URI = %s, want %s", tt.serviceURL, got, tt.wantURI)
		}
	}
}

func TestInvalidArgumentsFailBeforeSending(t *testing.T) {
	srv := newFakeConnector(t, answer(http.StatusOK, `{"id":"x"}`))
	c := New(Config{Logger: quietLogger()})
	ctx := t.Context()
	msg := schema.Activity{Type: schema.Message, Text: "x"}
	for name, call := range map[string]func() error{
		"empty conversation": func() error { _, err := c.SendToConversation(ctx, srv.URL, "", msg); return err },
		"empty replyTo":      func() error { _, err := c.ReplyToActivity(ctx, srv.URL, "c", "", msg); return err },
		"empty activity":     func() error { return c.DeleteActivity(ctx, srv.URL, "c", "") },
		"relative URL":       func() error { _, err := c.SendToConversation(ctx, "/v3", "c", msg); return err },
		"ftp URL":            func() error { _, err := c.SendToConversation(ctx, "ftp://example.com", "c", msg); return err },
		"URL with query":     func() error { _, err := c.SendToConversation(ctx, srv.URL+"?x=1", "c", msg); return err },
		"unparsable URL":     func() error { _, err := c.SendToConversation(ctx, "http://[::1", "c", msg); return err },
	} {
		if err := call(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("server got %d requests, want 0", n)
	}
}

func TestAcceptedWithoutBodyGivesEmptyID(t *testing.T) {
	// The Playground answers a text+card reply with 202 and no body.
	for _, tt := range []reply{
		{Status: http.StatusAccepted},
		{Status: http.StatusOK, Body: "{}"},
		{Status: http.StatusOK, Body: "not json"}, // delivered all the same
	} {
		srv := newFakeConnector(t, func(int, *http.Request) reply { return tt })
		c := New(Config{Logger: quietLogger()})
		id, err := c.ReplyToActivity(t.Context(), srv.URL, "c", "m", schema.Activity{Type: schema.Message, Text: "x"})
		if err != nil || id != "" {
			t.Errorf("%d %q: got (%q, %v), want (\"\", nil)", tt.Status, tt.Body, id, err)
		}
		if n := len(srv.requests()); n != 1 {
			t.Errorf("%d %q: %d requests, want 1", tt.Status, tt.Body, n)
		}
	}
}

func TestMembersWithBadBodyIsAnError(t *testing.T) {
	srv := newFakeConnector(t, answer(http.StatusOK, `{"not":"a list"}`))
	c := New(Config{Logger: quietLogger()})
	if _, err := c.ConversationMembers(t.Context(), srv.URL, "c"); err == nil || !strings.Contains(err.Error(), "decode members") {
		t.Errorf("err = %v, want a decode error", err)
	}
}

// FuzzEndpointKeepsIDInOneSegment checks that no conversation id, however
// odd, can add, remove or reorder path segments of a request.
func FuzzEndpointKeepsIDInOneSegment(f *testing.F) {
	for _, id := range []string{channelThreadID, personalChatID, "a/b", "..", "?x#y", "%2F", "é 1"} {
		f.Add(id)
	}
	f.Fuzz(func(t *testing.T, id string) {
		if id == "" {
			return
		}
		got, err := endpoint("https://smba.example.com/emea/", id, "activities")
		if err != nil {
			t.Fatalf("endpoint(%q): %v", id, err)
		}
		u, err := url.Parse(got)
		if err != nil {
			t.Fatalf("endpoint(%q) = %q, unparsable: %v", id, got, err)
		}
		if u.Host != "smba.example.com" || u.RawQuery != "" || u.Fragment != "" {
			t.Fatalf("endpoint(%q) = %q escapes its path", id, got)
		}
		segs := strings.Split(u.EscapedPath(), "/")
		if len(segs) != 6 || segs[1] != "emea" || segs[2] != "v3" || segs[3] != "conversations" || segs[5] != "activities" {
			t.Fatalf("endpoint(%q) = %q: segments %q", id, got, segs)
		}
		if segs[4] == "." || segs[4] == ".." {
			t.Fatalf("endpoint(%q) = %q: dot segment left as is", id, got)
		}
		if back, err := url.PathUnescape(segs[4]); err != nil || back != id {
			t.Fatalf("endpoint(%q) = %q: id segment decodes to %q (%v)", id, got, back, err)
		}
	})
}
