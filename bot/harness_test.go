package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anras/parc/bot"
	"github.com/anras/parc/bot/auth"
	"github.com/anras/parc/bot/auth/authtest"
	"github.com/anras/parc/bot/connector"
	"github.com/anras/parc/domain"
	"github.com/anras/parc/storage/bolt"
)

// peer is a local Bot Connector: it records what the bot sends, as Teams'
// connector (or the Agents Playground's) would receive it.
type peer struct {
	srv  *httptest.Server
	mu   sync.Mutex
	reqs []sent
	n    int
	// members is what GET .../members answers (conversation members).
	members []map[string]any
}

type sent struct {
	Method, Path, Auth string
	Body               map[string]any
}

func newPeer(t *testing.T) *peer {
	p := &peer{}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var body map[string]any
		_ = json.Unmarshal(raw, &body)
		p.mu.Lock()
		p.n++
		id := "act-" + strings.Repeat("x", p.n%3) + time.Now().Format("150405.000000")
		p.reqs = append(p.reqs, sent{Method: r.Method, Path: r.URL.EscapedPath(), Auth: r.Header.Get("Authorization"), Body: body})
		p.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/members") {
			p.mu.Lock()
			members := append([]map[string]any{}, p.members...)
			p.mu.Unlock()
			json.NewEncoder(w).Encode(members)
			return
		}
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/v3/conversations") {
			json.NewEncoder(w).Encode(map[string]string{"id": "new-conv", "activityId": id})
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"id": id})
	}))
	t.Cleanup(p.srv.Close)
	return p
}

// URL is the service URL to put in activities.
func (p *peer) URL() string { return p.srv.URL + "/_connector" }

func (p *peer) sent() []sent {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]sent(nil), p.reqs...)
}

// cards returns the Adaptive Cards the bot sent, in order.
func (p *peer) cards() []map[string]any {
	var out []map[string]any
	for _, s := range p.sent() {
		out = append(out, cardsIn(s.Body)...)
	}
	return out
}

func cardsIn(act map[string]any) []map[string]any {
	if inner, ok := act["activity"].(map[string]any); ok { // create conversation
		act = inner
	}
	var out []map[string]any
	atts, _ := act["attachments"].([]any)
	for _, a := range atts {
		m, _ := a.(map[string]any)
		if m["contentType"] == "application/vnd.microsoft.card.adaptive" {
			if c, ok := m["content"].(map[string]any); ok {
				out = append(out, c)
			}
		}
	}
	return out
}

// cardText is every string a user reads on a card (texts, titles, facts,
// button titles), joined by newlines.
func cardText(v any) string {
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, k := range []string{"text", "title", "value", "label", "placeholder"} {
				if s, ok := x[k].(string); ok {
					b.WriteString(s)
					b.WriteByte('\n')
				}
			}
			for k, c := range x {
				if k != "data" {
					walk(c)
				}
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(v)
	// French typography puts no-break spaces before ? and inside « »:
	// users read them as spaces, and so do the tests.
	return strings.ReplaceAll(b.String(), "\u00a0", " ")
}

// buttons returns the titles and verbs of every Action.Execute on a card.
func buttons(card map[string]any) map[string]string {
	out := map[string]string{}
	eachObject(card, func(x map[string]any) {
		if x["type"] == "Action.Execute" {
			out[x["title"].(string)], _ = x["verb"].(string)
		}
	})
	return out
}

type harness struct {
	t     *testing.T
	bot   *bot.Bot
	h     http.Handler
	store *bolt.Store
	peer  *peer
	clock *domain.ManualClock
	cfg   bot.Config
}

type options struct {
	appID          string
	issuer         *authtest.Issuer
	allowedTenants []string
	admins         []string
	locale         string
	directory      domain.Directory // Deps.Directory (nil: the connector's members)
}

func newHarness(t *testing.T, o options) *harness {
	t.Helper()
	st := testStore(t)
	log := testLogger()
	clock := domain.NewManualClock(time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC))
	acfg := auth.Config{AppID: o.appID, AllowedTenants: o.allowedTenants, Logger: log}
	if o.issuer != nil {
		acfg.MetadataURL, acfg.HTTPClient = o.issuer.MetadataURL(), o.issuer.Client()
	}
	validator := auth.New(acfg)
	cfg := bot.Config{AppID: o.appID, Admins: o.admins, Locale: o.locale}
	b := bot.New(cfg, bot.Deps{Store: st, Auth: validator, Connector: connector.New(connector.Config{Logger: log}), Clock: clock, Logger: log, Directory: o.directory})
	return &harness{t: t, bot: b, h: b.Handler(), store: st, peer: newPeer(t), clock: clock, cfg: cfg}
}

// activity loads a captured Playground activity and points it at the peer.
func (h *harness) activity(name string) map[string]any {
	h.t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "activities", name+".json"))
	if err != nil {
		h.t.Fatal(err)
	}
	var act map[string]any
	if err := json.Unmarshal(raw, &act); err != nil {
		h.t.Fatal(err)
	}
	act["serviceUrl"] = h.peer.URL()
	return act
}

// post sends an activity to the webhook with an optional Authorization
// header and returns the recorder.
func (h *harness) post(act any, authz string) *httptest.ResponseRecorder {
	h.t.Helper()
	var body []byte
	switch v := act.(type) {
	case []byte:
		body = v
	case string:
		body = []byte(v)
	default:
		var err error
		if body, err = json.Marshal(v); err != nil {
			h.t.Fatal(err)
		}
	}
	req := httptest.NewRequest(http.MethodPost, "/api/messages", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	rec := httptest.NewRecorder()
	h.h.ServeHTTP(rec, req)
	return rec
}

// say sends a personal message from user (aadObjectId) with text.
func (h *harness) say(user, name, text string) *httptest.ResponseRecorder {
	act := h.activity("message-personal-hello")
	act["id"] = "m-" + user + "-" + text + "-" + time.Now().Format("150405.000000000")
	act["text"] = text
	act["from"] = map[string]any{"id": "29:" + user, "name": name, "aadObjectId": user}
	return h.post(act, "")
}

// invoke clicks an Action.Execute button and returns the card that replaces
// the clicked one.
func (h *harness) invoke(user, verb string, data map[string]any) map[string]any {
	h.t.Helper()
	act := h.activity("invoke-adaptiveCard-action-personal")
	act["id"] = "i-" + verb + "-" + time.Now().Format("150405.000000000")
	act["from"] = map[string]any{"id": "29:" + user, "aadObjectId": user}
	act["value"] = map[string]any{"action": map[string]any{"type": "Action.Execute", "verb": verb, "data": data}}
	rec := h.post(act, "")
	if rec.Code != http.StatusOK {
		h.t.Fatalf("invoke %s: HTTP %d %s", verb, rec.Code, rec.Body)
	}
	var resp struct {
		StatusCode int            `json:"statusCode"`
		Type       string         `json:"type"`
		Value      map[string]any `json:"value"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		h.t.Fatalf("invoke %s: body %q: %v", verb, rec.Body, err)
	}
	if resp.StatusCode != 200 || resp.Type != "application/vnd.microsoft.card.adaptive" {
		h.t.Fatalf("invoke %s answered %+v, want a card", verb, resp)
	}
	return resp.Value
}

func (h *harness) lastCard() map[string]any {
	h.t.Helper()
	cs := h.peer.cards()
	if len(cs) == 0 {
		h.t.Fatal("the bot sent no card")
	}
	return cs[len(cs)-1]
}

var ctx = context.Background()

// eachObject calls fn for every JSON object in v (a card, an activity), in
// depth-first order: the card helpers above and the features' tests find
// elements and actions with it.
func eachObject(v any, fn func(map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		fn(x)
		for _, c := range x {
			eachObject(c, fn)
		}
	case []any:
		for _, c := range x {
			eachObject(c, fn)
		}
	}
}

// testStore is an empty embedded store (without fsync), closed at the end
// of the test.
func testStore(t testing.TB) *bolt.Store {
	t.Helper()
	st, err := bolt.Open(t.TempDir(), bolt.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// testLogger discards the bot's logs, or shows them all with go test -v.
func testLogger() *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
