package cards

// Text sizes, weights, colours and spacings of Adaptive Cards.
const (
	SizeSmall  = "Small"
	SizeMedium = "Medium"
	SizeLarge  = "Large"

	WeightBolder = "Bolder"

	ColorGood      = "Good"
	ColorWarning   = "Warning"
	ColorAttention = "Attention"
	ColorAccent    = "Accent"

	SpacingNone   = "None"
	SpacingSmall  = "Small"
	SpacingMedium = "Medium"
	SpacingLarge  = "Large"

	StyleEmphasis  = "emphasis"
	StyleGood      = "good"
	StyleWarning   = "warning"
	StyleAttention = "attention"
	StyleAccent    = "accent"
)

// TextBlock shows text (a subset of Markdown).
type TextBlock struct {
	Text      string `json:"text"`
	Size      string `json:"size,omitempty"`
	Weight    string `json:"weight,omitempty"`
	Color     string `json:"color,omitempty"`
	IsSubtle  bool   `json:"isSubtle,omitempty"`
	Wrap      bool   `json:"wrap,omitempty"`
	MaxLines  int    `json:"maxLines,omitempty"`
	Style     string `json:"style,omitempty"` // "heading" (1.5)
	Spacing   string `json:"spacing,omitempty"`
	Separator bool   `json:"separator,omitempty"`
	ID        string `json:"id,omitempty"`
	IsVisible *bool  `json:"isVisible,omitempty"`
	HAlign    string `json:"horizontalAlignment,omitempty"`
}

func (TextBlock) elementType() string { return "TextBlock" }

// MarshalJSON adds the element type.
func (e TextBlock) MarshalJSON() ([]byte, error) {
	type plain TextBlock
	return typed(e.elementType(), plain(e))
}

// Fact is one "title: value" line of a FactSet.
type Fact struct {
	Title string `json:"title"`
	Value string `json:"value"`
}

// FactSet shows facts as a two-column list.
type FactSet struct {
	Facts     []Fact `json:"facts"`
	Spacing   string `json:"spacing,omitempty"`
	Separator bool   `json:"separator,omitempty"`
	ID        string `json:"id,omitempty"`
}

func (FactSet) elementType() string { return "FactSet" }

// MarshalJSON adds the element type.
func (e FactSet) MarshalJSON() ([]byte, error) {
	type plain FactSet
	if e.Facts == nil {
		e.Facts = []Fact{}
	}
	return typed(e.elementType(), plain(e))
}

// Container groups elements, optionally with a style and a select action.
type Container struct {
	Items        []Element `json:"items"`
	Style        string    `json:"style,omitempty"`
	Spacing      string    `json:"spacing,omitempty"`
	Separator    bool      `json:"separator,omitempty"`
	SelectAction Action    `json:"selectAction,omitempty"`
	ID           string    `json:"id,omitempty"`
	IsVisible    *bool     `json:"isVisible,omitempty"`
	Bleed        bool      `json:"bleed,omitempty"`
}

func (Container) elementType() string { return "Container" }

// MarshalJSON adds the element type.
func (e Container) MarshalJSON() ([]byte, error) {
	type plain Container
	if e.Items == nil {
		e.Items = []Element{}
	}
	return typed(e.elementType(), plain(e))
}

// Column is one column of a ColumnSet. Width is "auto", "stretch" or a weight.
type Column struct {
	Items                    []Element `json:"items"`
	Width                    string    `json:"width,omitempty"`
	VerticalContentAlignment string    `json:"verticalContentAlignment,omitempty"`
	Style                    string    `json:"style,omitempty"`
	SelectAction             Action    `json:"selectAction,omitempty"`
	Spacing                  string    `json:"spacing,omitempty"`
}

// MarshalJSON adds the type (Column is typed inside a ColumnSet).
func (c Column) MarshalJSON() ([]byte, error) {
	type plain Column
	if c.Items == nil {
		c.Items = []Element{}
	}
	return typed("Column", plain(c))
}

// ColumnSet lays columns side by side.
type ColumnSet struct {
	Columns      []Column `json:"columns"`
	Spacing      string   `json:"spacing,omitempty"`
	Separator    bool     `json:"separator,omitempty"`
	Style        string   `json:"style,omitempty"`
	SelectAction Action   `json:"selectAction,omitempty"`
	ID           string   `json:"id,omitempty"`
}

func (ColumnSet) elementType() string { return "ColumnSet" }

// MarshalJSON adds the element type.
func (e ColumnSet) MarshalJSON() ([]byte, error) {
	type plain ColumnSet
	if e.Columns == nil {
		e.Columns = []Column{}
	}
	return typed(e.elementType(), plain(e))
}

// Image shows a picture from a URL (https or a data: URI).
type Image struct {
	URL     string `json:"url"`
	AltText string `json:"altText,omitempty"`
	Size    string `json:"size,omitempty"`
	Width   string `json:"width,omitempty"`
	Spacing string `json:"spacing,omitempty"`
}

func (Image) elementType() string { return "Image" }

// MarshalJSON adds the element type.
func (e Image) MarshalJSON() ([]byte, error) {
	type plain Image
	return typed(e.elementType(), plain(e))
}

// ActionSet shows actions inside the body.
type ActionSet struct {
	Actions []Action `json:"actions"`
	Spacing string   `json:"spacing,omitempty"`
	ID      string   `json:"id,omitempty"`
}

func (ActionSet) elementType() string { return "ActionSet" }

// MarshalJSON adds the element type.
func (e ActionSet) MarshalJSON() ([]byte, error) {
	type plain ActionSet
	if e.Actions == nil {
		e.Actions = []Action{}
	}
	return typed(e.elementType(), plain(e))
}

// TableColumn defines a column of a Table by its relative width.
type TableColumn struct {
	Width int `json:"width"`
}

// TableCell is one cell of a Table row.
type TableCell struct {
	Items []Element `json:"items"`
	Style string    `json:"style,omitempty"`
}

// MarshalJSON adds the type.
func (c TableCell) MarshalJSON() ([]byte, error) {
	type plain TableCell
	if c.Items == nil {
		c.Items = []Element{}
	}
	return typed("TableCell", plain(c))
}

// TableRow is one row of a Table.
type TableRow struct {
	Cells []TableCell `json:"cells"`
	Style string      `json:"style,omitempty"`
}

// MarshalJSON adds the type.
func (r TableRow) MarshalJSON() ([]byte, error) {
	type plain TableRow
	if r.Cells == nil {
		r.Cells = []TableCell{}
	}
	return typed("TableRow", plain(r))
}

// Table (Adaptive Cards 1.5) shows rows and columns.
type Table struct {
	Columns          []TableColumn `json:"columns"`
	Rows             []TableRow    `json:"rows"`
	FirstRowAsHeader bool          `json:"firstRowAsHeader"`
	ShowGridLines    bool          `json:"showGridLines"`
	GridStyle        string        `json:"gridStyle,omitempty"`
	Spacing          string        `json:"spacing,omitempty"`
	ID               string        `json:"id,omitempty"`
}

func (Table) elementType() string { return "Table" }

// MarshalJSON adds the element type.
func (e Table) MarshalJSON() ([]byte, error) {
	type plain Table
	if e.Columns == nil {
		e.Columns = []TableColumn{}
	}
	if e.Rows == nil {
		e.Rows = []TableRow{}
	}
	return typed(e.elementType(), plain(e))
}
