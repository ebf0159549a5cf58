package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/anras/parc/bot"
	"github.com/anras/parc/bot/auth"
	"github.com/anras/parc/bot/connector"
	"github.com/anras/parc/domain"
	"github.com/anras/parc/storage/bolt"
	"github.com/anras/parc/storage/cosmos"
	"github.com/anras/parc/storage/cosmos/cosmostest"
)

// fleetEnv is the bot harness on a given store, with an establishment and
// cars, speaking French, its clock at a chosen instant.
type fleetEnv struct {
	*harness
	st  domain.Store
	loc *time.Location
}

// Thursday 26 March 2026, 10:00 in Paris: summer time starts on Sunday.
var fleetNow = time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC)

func boltStore(t testing.TB) domain.Store {
	st, err := bolt.Open(t.TempDir(), bolt.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// cosmosStore opens a store on a new database of the corrected emulator.
func cosmosStore(t testing.TB, e *cosmostest.Emulator) domain.Store {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := cosmos.Open(ctx, cosmos.Config{Endpoint: e.Endpoint, Key: e.Key, Database: cosmostest.DatabaseName(t),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Retry:  policy.RetryOptions{StatusCodes: []int{http.StatusTooManyRequests, http.StatusServiceUnavailable}, RetryDelay: 5 * time.Millisecond, MaxRetryDelay: 50 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// directory is a fake directory: user id → group ids.
type directory map[string][]string

func (d directory) Person(context.Context, string) (domain.Person, error) {
	return domain.Person{}, domain.Errorf(domain.ENOTFOUND, "err.not_found")
}
func (d directory) SearchPeople(context.Context, string, int) ([]domain.Person, error) {
	return nil, nil
}
func (d directory) GroupsOf(_ context.Context, id string) ([]string, error) { return d[id], nil }

type fleetOpts struct {
	store  domain.Store
	ests   []domain.Establishment
	admins []string
	dir    domain.Directory
}

func newFleetEnv(t *testing.T, o fleetOpts) *fleetEnv {
	t.Helper()
	if o.store == nil {
		o.store = boltStore(t)
	}
	if o.ests == nil {
		o.ests = []domain.Establishment{{Code: "DITEP-STF", Name: "DITEP Saint-François", StaffGroupIDs: []string{"g-ditep"}}}
	}
	for _, e := range o.ests {
		if err := o.store.CreateEstablishment(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() && os.Getenv("PARC_TEST_LOG") != "" {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	clock := domain.NewManualClock(fleetNow)
	loc, _ := time.LoadLocation("Europe/Paris")
	cfg := bot.Config{Admins: o.admins, Locale: "fr", Location: loc, PublicURL: "http://parc.test", LinkKey: bytes.Repeat([]byte("k"), 32)}
	b := bot.New(cfg, bot.Deps{Store: o.store, Auth: auth.New(auth.Config{Logger: log}), Connector: connector.New(connector.Config{Logger: log}),
		Clock: clock, Logger: log, Directory: o.dir})
	h := &harness{t: t, bot: b, h: b.Handler(), peer: newPeer(t), clock: clock, cfg: cfg}
	return &fleetEnv{harness: h, st: o.store, loc: loc}
}

func (e *fleetEnv) addCar(plate, mk, model string, set ...func(*domain.Car)) domain.Car {
	e.t.Helper()
	c := domain.Car{Plate: plate, Establishment: "DITEP-STF", Make: mk, Model: model, Status: domain.CarAvailable, Odometer: 40000,
		CreatedAt: fleetNow, UpdatedAt: fleetNow}
	for _, f := range set {
		f(&c)
	}
	if err := e.st.CreateCar(ctx, c); err != nil {
		e.t.Fatal(err)
	}
	return c
}

// tell sends a personal message and returns the card the bot answered.
func (e *fleetEnv) tell(user, name, text string) map[string]any {
	e.t.Helper()
	before := len(e.peer.cards())
	if rec := e.say(user, name, text); rec.Code != http.StatusOK {
		e.t.Fatalf("say %q: HTTP %d", text, rec.Code)
	}
	cs := e.peer.cards()
	if len(cs) == before {
		e.t.Fatalf("say %q: no answer", text)
	}
	return cs[len(cs)-1]
}

// click invokes an Action.Execute as user, with a name.
func (e *fleetEnv) click(user, name, verb string, data map[string]any) map[string]any {
	e.t.Helper()
	card, err := e.tryClick(user, name, verb, data)
	if err != nil {
		e.t.Fatal(err)
	}
	return card
}

// tryClick is click without t.Fatal, for goroutines.
func (e *fleetEnv) tryClick(user, name, verb string, data map[string]any) (map[string]any, error) {
	act := e.activity("invoke-adaptiveCard-action-personal")
	act["id"] = fmt.Sprintf("i-%s-%s-%d", user, verb, time.Now().UnixNano())
	act["from"] = map[string]any{"id": "29:" + user, "name": name, "aadObjectId": user}
	act["locale"] = "fr-FR"
	act["value"] = map[string]any{"action": map[string]any{"type": "Action.Execute", "verb": verb, "data": data}}
	body, _ := json.Marshal(act)
	req := httptest.NewRequest(http.MethodPost, "/api/messages", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		return nil, fmt.Errorf("invoke %s: HTTP %d %s", verb, rec.Code, rec.Body)
	}
	var resp struct {
		Value map[string]any `json:"value"`
		Type  string         `json:"type"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || resp.Type != "application/vnd.microsoft.card.adaptive" {
		return nil, fmt.Errorf("invoke %s answered %s", verb, rec.Body)
	}
	return resp.Value, nil
}

// actions returns the Action.Execute of a card with this verb, with their
// titles and data.
func actions(card map[string]any, verb string) []map[string]any {
	var out []map[string]any
	eachObject(card, func(x map[string]any) {
		if x["type"] == "Action.Execute" && x["verb"] == verb {
			out = append(out, x)
		}
	})
	return out
}

func dataOf(a map[string]any) map[string]any {
	d, _ := a["data"].(map[string]any)
	out := map[string]any{}
	for k, v := range d {
		out[k] = v
	}
	return out
}

// nbsp undoes French typography's no-break spaces, to compare texts.
func plainText(card map[string]any) string {
	return strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(cardText(card))
}

func wantText(t *testing.T, card map[string]any, parts ...string) {
	t.Helper()
	text := plainText(card)
	for _, p := range parts {
		if !strings.Contains(text, p) {
			t.Errorf("the card does not say %q; it says:\n%s", p, text)
		}
	}
}

func wantNoText(t *testing.T, card map[string]any, parts ...string) {
	t.Helper()
	text := plainText(card)
	for _, p := range parts {
		if strings.Contains(text, p) {
			t.Errorf("the card says %q; it should not:\n%s", p, text)
		}
	}
}
