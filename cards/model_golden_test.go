package cards

// A card that uses every element, input and action of the model, so that
// the official parser sees each Go type's JSON (the feature cards may not use
// them all yet). Its texts come from the catalogue so that it has a language
// like any other card; it is not a card Parc sends.
func init() {
	addGolden(golden{
		Name:  "model_all_types",
		Build: modelAllTypes,
		Words: map[Lang][]string{FR: {"Choisissez un rôle", "Gestionnaire de flotte"}, EN: {"Choose a role", "Fleet manager"}},
	})
}

func modelAllTypes(l Lang) Card {
	hidden := false
	one, five := 1.0, 5.0
	roles := []Choice{
		{Title: l.T("role.technician"), Value: "technician"},
		{Title: l.T("role.fleet_manager"), Value: "fleet_manager"},
	}
	cell := func(text string) TableCell { return TableCell{Items: []Element{Para(text)}} }
	c := New(l,
		Heading(l.T("profile.title")),
		TextBlock{Text: l.T("roles.bootstrap"), ID: "details", IsVisible: &hidden, HAlign: "Right", MaxLines: 2, Color: ColorAccent},
		Facts(l.T("profile.name"), "Aïcha Benali", l.T("profile.language"), l.T("language.name."+string(l))),
		Container{Style: StyleEmphasis, Bleed: true, Separator: true, Spacing: SpacingSmall,
			SelectAction: Execute{Verb: VerbProfile, Tooltip: l.T("menu.profile")},
			Items:        []Element{Subtle(l.T("app.tagline"))}},
		ColumnSet{Style: StyleGood, Columns: []Column{
			{Width: "auto", Items: []Element{Image{URL: "https://parc.example.org/icons/car.png", AltText: l.T("app.name"), Size: "Small"}}},
			{Width: "stretch", Style: StyleAccent, Items: []Element{Para(l.T("roles.assignment", "Aïcha Benali", l.T("role.fleet_manager")))},
				SelectAction: OpenURL{URL: "https://parc.example.org/"}},
		}},
		Table{FirstRowAsHeader: true, ShowGridLines: false, GridStyle: StyleAccent,
			Columns: []TableColumn{{Width: 2}, {Width: 1}},
			Rows: []TableRow{
				{Style: StyleEmphasis, Cells: []TableCell{cell(l.T("profile.name")), cell(l.T("profile.roles"))}},
				{Cells: []TableCell{cell("Jean-Pierre Lefèvre"), cell(l.T("role.technician"))}},
			}},
		TextInput{ID: "name", Label: l.T("profile.name"), Placeholder: l.T("roles.grant.user.placeholder"), MaxLength: 80,
			IsRequired: true, ErrorMessage: l.T("roles.grant.user.error")},
		NumberInput{ID: "count", Label: l.T("roles.grant.role"), Min: &one, Max: &five, Value: &one},
		DateInput{ID: "day", Label: l.T("profile.language"), Min: "2026-01-01", Max: "2026-12-31"},
		TimeInput{ID: "time", Label: l.T("profile.language"), Min: "07:00", Max: "19:00", Value: "08:30"},
		ToggleInput{ID: "english", Title: l.T("profile.switch_en"), Label: l.T("profile.language"), ValueOn: "en", ValueOff: "fr", Value: "fr"},
		ChoiceSetInput{ID: "role", Label: l.T("roles.grant.role"), Choices: roles, Style: "expanded",
			IsRequired: true, ErrorMessage: l.T("roles.grant.role.error")},
		ActionSet{Actions: []Action{
			Execute{Title: l.T("roles.grant.submit"), Verb: VerbRoleGrant, Style: ActionPositive, AssociatedInputs: "auto"},
			Submit{Title: l.T("menu.help"), Data: Data{"command": "help"}, AssociatedInputs: "none"},
		}},
	)
	c.FullWidth = true
	c.Fallback = l.T("profile.title")
	c.Speak = l.T("profile.title")
	c.Refresh = &Refresh{Action: Execute{Verb: VerbProfile}, UserIDs: []string{"e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b"}}
	inner := New(l, ChoiceSetInput{ID: "who", Label: l.T("roles.grant.user"), Choices: samplePeople(), Style: "filtered",
		IsRequired: true, ErrorMessage: l.T("roles.grant.user.error")})
	inner.Actions = []Action{Execute{Title: l.T("roles.grant.submit"), Verb: VerbRoleGrant}}
	c.Actions = []Action{
		ToggleVisibility{Title: l.T("profile.roles"), TargetElements: []string{"details"}},
		ShowCard{Title: l.T("roles.grant.title"), Card: inner},
		OpenURL{Title: l.T("app.name"), URL: "https://parc.example.org/"},
		Execute{Title: l.T("menu.open"), Verb: VerbMenu, AssociatedInputs: "none"},
	}
	return c
}
