package connector

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/infracloudio/msbotbuilder-go/core"
	"github.com/infracloudio/msbotbuilder-go/core/activity"
	"github.com/infracloudio/msbotbuilder-go/schema"
)

func TestBindSendsMsbotbuilderResponsesThroughClient(t *testing.T) {
	srv := newFakeConnector(t, answer(http.StatusAccepted, ""))
	cfg := fastConfig()
	cfg.Credential = &fakeCredential{token: "tok"}
	c := New(cfg)

	reply := cardReply(t)
	reply.ServiceURL = srv.URL + "/_connector" // the Playground's form, on the fake
	resp, err := activity.NewActivityResponse(c.Bind(t.Context()))
	if err != nil {
		t.Fatal(err)
	}
	if err := resp.SendActivity(reply); err != nil {
		t.Fatalf("SendActivity: %v", err)
	}
	update := reply
	update.ID = "act-7"
	if err := resp.UpdateActivity(update); err != nil {
		t.Fatalf("UpdateActivity: %v", err)
	}
	if err := resp.DeleteActivity(update); err != nil {
		t.Fatalf("DeleteActivity: %v", err)
	}

	const conv = "/_connector/v3/conversations/8d28486f-969f-43f3-93f6-526ba4668360"
	want := []struct{ method, uri string }{
		// msbotbuilder builds the reply's path from the reply's own id,
		// empty here, hence .../activities and not .../activities/{replyToId}.
		{http.MethodPost, conv + "/activities"},
		{http.MethodPut, conv + "/activities/act-7"},
		{http.MethodDelete, conv + "/activities/act-7"},
	}
	reqs := srv.requests()
	if len(reqs) != len(want) {
		t.Fatalf("server got %d requests, want %d", len(reqs), len(want))
	}
	for i, w := range want {
		r := reqs[i]
		if r.Method != w.method || r.RequestURI != w.uri {
			t.Errorf("request %d = %s %s, want %s %s", i, r.Method, r.RequestURI, w.method, w.uri)
		}
		if got := r.Header.Get("Authorization"); got != "Bearer tok" {
			t.Errorf("request %d: Authorization = %q", i, got)
		}
	}
	// The body is the clean wire form, not msbotbuilder's encoding.
	body := string(reqs[0].Body)
	if strings.Contains(body, "0001-01-01") || !strings.Contains(body, `"replyToId":"1a635089-8a3b-49ae-bc8b-cd9d921b07a4"`) {
		t.Errorf("posted body = %s", body)
	}
	if len(reqs[2].Body) != 0 {
		t.Errorf("DELETE carried a body: %s", reqs[2].Body)
	}
}

func TestBindWithBotFrameworkAdapter(t *testing.T) {
	srv := newFakeConnector(t, answer(http.StatusOK, `{"id":"p-1"}`))
	c := New(fastConfig())
	adapter := &core.BotFrameworkAdapter{Client: c.Bind(t.Context())}

	in := incomingMessage(t)
	in.ServiceURL = srv.URL + "/_connector"
	ref := activity.GetCoversationReference(in)
	handler := activity.HandlerFuncs{OnMessageFunc: func(turn *activity.TurnContext) (schema.Activity, error) {
		return turn.SendActivity(activity.MsgOptionText("Rappel : votre réservation commence demain."))
	}}
	if err := adapter.ProactiveMessage(t.Context(), ref, handler); err != nil {
		t.Fatalf("ProactiveMessage: %v", err)
	}
	reqs := srv.requests()
	if len(reqs) != 1 {
		t.Fatalf("server got %d requests, want 1", len(reqs))
	}
	if r := reqs[0]; r.Method != http.MethodPost || !strings.HasPrefix(r.RequestURI, "/_connector/v3/conversations/8d28486f-969f-43f3-93f6-526ba4668360/activities") {
		t.Errorf("request = %s %s", r.Method, r.RequestURI)
	}
	if !strings.Contains(string(reqs[0].Body), `"text":"Rappel : votre réservation commence demain."`) {
		t.Errorf("body = %s", reqs[0].Body)
	}
}

func TestBindCarriesContext(t *testing.T) {
	srv := newFakeConnector(t, answer(http.StatusOK, `{"id":"x"}`))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	reply := cardReply(t)
	reply.ServiceURL = srv.URL
	resp, _ := activity.NewActivityResponse(New(fastConfig()).Bind(ctx))
	if err := resp.SendActivity(reply); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("server got %d requests after cancellation", n)
	}
}

func TestBindReturnsHTTPError(t *testing.T) {
	srv := newFakeConnector(t, answer(http.StatusForbidden, `{"error":{"code":"BotNotInConversationRoster"}}`))
	reply := cardReply(t)
	reply.ServiceURL = srv.URL
	resp, _ := activity.NewActivityResponse(New(fastConfig()).Bind(t.Context()))
	err := resp.SendActivity(reply)
	var he *HTTPError
	if !errors.As(err, &he) || he.StatusCode != http.StatusForbidden {
		t.Errorf("err = %v, want a 403 *HTTPError through msbotbuilder's wrapping", err)
	}
}
