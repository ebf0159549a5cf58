package cards

import (
	"encoding/json"
)

// Version is the Adaptive Card schema version Parc targets: Teams renders
// cards up to 1.5.
const Version = "1.5"

// MaxPayloadBytes is Teams' limit for a message, cards included (about 28 KB).
// Builders keep every card under it.
const MaxPayloadBytes = 28 * 1024

// ContentType is the attachment content type of an Adaptive Card.
const ContentType = "application/vnd.microsoft.card.adaptive"

// Card is an Adaptive Card.
type Card struct {
	Body      []Element
	Actions   []Action
	Refresh   *Refresh
	FullWidth bool   // Teams' msteams.width = "Full"
	Lang      string // "fr" or "en"
	Fallback  string // fallbackText for clients that cannot render
	Speak     string
}

// Refresh makes Teams ask the bot for an up-to-date card (Universal Actions).
type Refresh struct {
	Action  Execute  `json:"action"`
	UserIDs []string `json:"userIds,omitempty"`
}

// MarshalJSON writes the card with its type, version and schema.
func (c Card) MarshalJSON() ([]byte, error) {
	return c.marshal(true)
}

// marshal writes the card; only a root card carries $schema and version (the
// card of an Action.ShowCard needs neither, and the renderer drops them).
func (c Card) marshal(root bool) ([]byte, error) {
	type msteams struct {
		Width string `json:"width,omitempty"`
	}
	out := struct {
		Type     string         `json:"type"`
		Schema   string         `json:"$schema,omitempty"`
		Version  string         `json:"version,omitempty"`
		Lang     string         `json:"lang,omitempty"`
		Fallback string         `json:"fallbackText,omitempty"`
		Speak    string         `json:"speak,omitempty"`
		Refresh  json.Marshaler `json:"refresh,omitempty"`
		Body     []Element      `json:"body"`
		Actions  []Action       `json:"actions,omitempty"`
		MSTeams  *msteams       `json:"msteams,omitempty"`
	}{
		Type: "AdaptiveCard", Lang: c.Lang, Fallback: c.Fallback, Speak: c.Speak,
		Body: c.Body, Actions: c.Actions,
	}
	if root {
		out.Schema = "http://adaptivecards.io/schemas/adaptive-card.json"
		out.Version = Version
	}
	if out.Body == nil {
		out.Body = []Element{}
	}
	if c.Refresh != nil {
		out.Refresh = refreshJSON{*c.Refresh}
	}
	if c.FullWidth {
		out.MSTeams = &msteams{Width: "Full"}
	}
	return json.Marshal(out)
}

type refreshJSON struct{ r Refresh }

func (r refreshJSON) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Action  Action   `json:"action"`
		UserIDs []string `json:"userIds,omitempty"`
	}{r.r.Action, r.r.UserIDs})
}

// Size returns the card's JSON size in bytes.
func (c Card) Size() int {
	b, err := json.Marshal(c)
	if err != nil {
		return 0
	}
	return len(b)
}

// Element is a body element: a TextBlock, a container, an input...
type Element interface {
	elementType() string
}

// Action is a card action: Execute, Submit, OpenURL, ShowCard, ToggleVisibility.
type Action interface {
	actionType() string
}

// typed marshals v (a struct with JSON tags) and adds "type": t in front.
func typed(t string, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	head := `{"type":` + quote(t)
	if len(b) <= 2 { // "{}"
		return []byte(head + "}"), nil
	}
	return append([]byte(head+","), b[1:]...), nil
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
