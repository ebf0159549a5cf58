package cards

// PersonPicker is a form's way to choose someone of the organisation: a
// search by name or e-mail that the bot resolves through the directory
// (the button sends the form back with the people found), then a choice
// among them; with Entra ID, Teams' people picker as well. Never a free
// text name: the form sends the chosen person's object id.
type PersonPicker struct {
	QueryID, ChoiceID string // the inputs' ids
	SearchLabel       string // the search box's label, translated
	ChoiceLabel       string // the choice's label, translated
	Verb              string // the search button's verb: sends the form back
	Data              Data   // and its data
	Query             string // the search typed
	People            []Choice
	Chosen            string // the chosen person's id
	Notice            string // the search's result, translated
	Graph             bool   // Teams' people picker (the directory is Entra ID)
}

// personPicker renders p: the search box and its button, the result, and
// the choice (when there is someone to choose, or Teams can look them up).
func personPicker(l Lang, p PersonPicker) []Element {
	out := []Element{ColumnSet{Columns: []Column{
		{Width: "stretch", Items: []Element{TextInput{ID: p.QueryID, Label: p.SearchLabel, Placeholder: l.T("directory.search.placeholder"), Value: p.Query, MaxLength: 100}}},
		{Width: "auto", VerticalContentAlignment: "Bottom", Items: []Element{ActionSet{Actions: []Action{
			Execute{Title: l.T("directory.search.button"), Verb: p.Verb, Data: p.Data, AssociatedInputs: "auto"}}}}},
	}}}
	if p.Notice != "" {
		out = append(out, Subtle(p.Notice))
	}
	if len(p.People) > 0 || p.Graph {
		people := ChoiceSetInput{ID: p.ChoiceID, Label: p.ChoiceLabel, Placeholder: l.T("directory.person.placeholder"),
			Choices: capChoices(p.People, 50), Value: p.Chosen, Style: "filtered"}
		if p.Graph {
			people.ChoicesData = DataQueryUsers
		}
		out = append(out, people)
	}
	return out
}
