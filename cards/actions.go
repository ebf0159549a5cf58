package cards

import "encoding/json"

// Action styles.
const (
	ActionPositive    = "positive"
	ActionDestructive = "destructive"
)

// Execute is a Universal Action: Teams sends an adaptiveCard/action invoke
// with Verb and Data (and the card's inputs) and replaces the card with the
// one the bot answers.
type Execute struct {
	Title            string         `json:"title,omitempty"`
	Verb             string         `json:"verb"`
	Data             map[string]any `json:"data,omitempty"`
	Style            string         `json:"style,omitempty"`
	AssociatedInputs string         `json:"associatedInputs,omitempty"` // "auto" or "none"
	ID               string         `json:"id,omitempty"`
	Tooltip          string         `json:"tooltip,omitempty"`
}

func (Execute) actionType() string { return "Action.Execute" }

// MarshalJSON adds the action type.
func (a Execute) MarshalJSON() ([]byte, error) {
	type plain Execute
	return typed(a.actionType(), plain(a))
}

// Submit posts the card's inputs and Data back as a message activity.
type Submit struct {
	Title            string         `json:"title,omitempty"`
	Data             map[string]any `json:"data,omitempty"`
	Style            string         `json:"style,omitempty"`
	AssociatedInputs string         `json:"associatedInputs,omitempty"`
	ID               string         `json:"id,omitempty"`
}

func (Submit) actionType() string { return "Action.Submit" }

// MarshalJSON adds the action type.
func (a Submit) MarshalJSON() ([]byte, error) {
	type plain Submit
	return typed(a.actionType(), plain(a))
}

// OpenURL opens a link.
type OpenURL struct {
	Title string `json:"title,omitempty"`
	URL   string `json:"url"`
	ID    string `json:"id,omitempty"`
}

func (OpenURL) actionType() string { return "Action.OpenUrl" }

// MarshalJSON adds the action type.
func (a OpenURL) MarshalJSON() ([]byte, error) {
	type plain OpenURL
	return typed(a.actionType(), plain(a))
}

// ShowCard reveals a sub-card (a form) under the card.
type ShowCard struct {
	Title string `json:"title,omitempty"`
	Card  Card   `json:"card"`
	ID    string `json:"id,omitempty"`
}

func (ShowCard) actionType() string { return "Action.ShowCard" }

// MarshalJSON adds the action type. The inner card carries no $schema and
// no version.
func (a ShowCard) MarshalJSON() ([]byte, error) {
	card, err := a.Card.marshal(false)
	if err != nil {
		return nil, err
	}
	return typed(a.actionType(), struct {
		Title string          `json:"title,omitempty"`
		Card  json.RawMessage `json:"card"`
		ID    string          `json:"id,omitempty"`
	}{a.Title, card, a.ID})
}

// ToggleVisibility shows or hides elements by id.
type ToggleVisibility struct {
	Title          string   `json:"title,omitempty"`
	TargetElements []string `json:"targetElements"`
	ID             string   `json:"id,omitempty"`
}

func (ToggleVisibility) actionType() string { return "Action.ToggleVisibility" }

// MarshalJSON adds the action type.
func (a ToggleVisibility) MarshalJSON() ([]byte, error) {
	type plain ToggleVisibility
	return typed(a.actionType(), plain(a))
}
