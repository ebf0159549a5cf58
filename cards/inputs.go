package cards

// Inputs. Every input has a visible label; a required input also has an
// error message (Teams and the adaptivecards validator both want them).

// TextInput asks for free text.
type TextInput struct {
	ID           string `json:"id"`
	Label        string `json:"label,omitempty"`
	Placeholder  string `json:"placeholder,omitempty"`
	Value        string `json:"value,omitempty"`
	IsMultiline  bool   `json:"isMultiline,omitempty"`
	MaxLength    int    `json:"maxLength,omitempty"`
	Regex        string `json:"regex,omitempty"`
	Style        string `json:"style,omitempty"` // text, tel, url, email
	IsRequired   bool   `json:"isRequired,omitempty"`
	ErrorMessage string `json:"errorMessage,omitempty"`
	Spacing      string `json:"spacing,omitempty"`
}

func (TextInput) elementType() string { return "Input.Text" }

// MarshalJSON adds the element type.
func (e TextInput) MarshalJSON() ([]byte, error) {
	type plain TextInput
	return typed(e.elementType(), plain(e))
}

// NumberInput asks for a number.
type NumberInput struct {
	ID           string   `json:"id"`
	Label        string   `json:"label,omitempty"`
	Placeholder  string   `json:"placeholder,omitempty"`
	Value        *float64 `json:"value,omitempty"`
	Min          *float64 `json:"min,omitempty"`
	Max          *float64 `json:"max,omitempty"`
	IsRequired   bool     `json:"isRequired,omitempty"`
	ErrorMessage string   `json:"errorMessage,omitempty"`
	Spacing      string   `json:"spacing,omitempty"`
}

func (NumberInput) elementType() string { return "Input.Number" }

// MarshalJSON adds the element type.
func (e NumberInput) MarshalJSON() ([]byte, error) {
	type plain NumberInput
	return typed(e.elementType(), plain(e))
}

// DateInput asks for a date (YYYY-MM-DD).
type DateInput struct {
	ID           string `json:"id"`
	Label        string `json:"label,omitempty"`
	Value        string `json:"value,omitempty"`
	Min          string `json:"min,omitempty"`
	Max          string `json:"max,omitempty"`
	IsRequired   bool   `json:"isRequired,omitempty"`
	ErrorMessage string `json:"errorMessage,omitempty"`
	Spacing      string `json:"spacing,omitempty"`
}

func (DateInput) elementType() string { return "Input.Date" }

// MarshalJSON adds the element type.
func (e DateInput) MarshalJSON() ([]byte, error) {
	type plain DateInput
	return typed(e.elementType(), plain(e))
}

// TimeInput asks for a time (HH:MM).
type TimeInput struct {
	ID           string `json:"id"`
	Label        string `json:"label,omitempty"`
	Value        string `json:"value,omitempty"`
	Min          string `json:"min,omitempty"`
	Max          string `json:"max,omitempty"`
	IsRequired   bool   `json:"isRequired,omitempty"`
	ErrorMessage string `json:"errorMessage,omitempty"`
	Spacing      string `json:"spacing,omitempty"`
}

func (TimeInput) elementType() string { return "Input.Time" }

// MarshalJSON adds the element type.
func (e TimeInput) MarshalJSON() ([]byte, error) {
	type plain TimeInput
	return typed(e.elementType(), plain(e))
}

// ToggleInput is a check box.
type ToggleInput struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Label    string `json:"label,omitempty"`
	Value    string `json:"value,omitempty"`
	ValueOn  string `json:"valueOn,omitempty"`
	ValueOff string `json:"valueOff,omitempty"`
	Spacing  string `json:"spacing,omitempty"`
}

func (ToggleInput) elementType() string { return "Input.Toggle" }

// MarshalJSON adds the element type.
func (e ToggleInput) MarshalJSON() ([]byte, error) {
	type plain ToggleInput
	return typed(e.elementType(), plain(e))
}

// Choice is one option of a ChoiceSet.
type Choice struct {
	Title string `json:"title"`
	Value string `json:"value"`
}

// ChoiceSetInput asks to pick one (or several) options. Style is "compact"
// (a drop-down), "expanded" (radio buttons) or "filtered" (1.5: type to
// search).
type ChoiceSetInput struct {
	ID          string   `json:"id"`
	Label       string   `json:"label,omitempty"`
	Placeholder string   `json:"placeholder,omitempty"`
	Choices     []Choice `json:"choices"`
	// ChoicesData fills the choices from a data set as the user types:
	// Teams' people picker (DataQueryUsers). A 1.6 property that Teams
	// honours in 1.5 cards; other clients show the static Choices.
	ChoicesData   *ChoicesData `json:"choices.data,omitempty"`
	Value         string       `json:"value,omitempty"`
	Style         string       `json:"style,omitempty"`
	IsMultiSelect bool         `json:"isMultiSelect,omitempty"`
	IsRequired    bool         `json:"isRequired,omitempty"`
	ErrorMessage  string       `json:"errorMessage,omitempty"`
	Spacing       string       `json:"spacing,omitempty"`
}

// ChoicesData is the dynamic source of a ChoiceSet's choices.
type ChoicesData struct {
	Type    string `json:"type"`    // "Data.Query"
	Dataset string `json:"dataset"` // "graph.microsoft.com/users"
}

func (ChoiceSetInput) elementType() string { return "Input.ChoiceSet" }

// MarshalJSON adds the element type.
func (e ChoiceSetInput) MarshalJSON() ([]byte, error) {
	type plain ChoiceSetInput
	if e.Choices == nil {
		e.Choices = []Choice{}
	}
	return typed(e.elementType(), plain(e))
}
