package cards

import (
	"strings"
)

// Verbs of the core cards' actions. Every verb the bot handles is declared
// next to the cards that use it.
const (
	VerbMenu        = "menu"
	VerbProfile     = "profile"
	VerbSetLanguage = "profile.language"
	VerbRoles       = "roles"
	VerbRoleGrant   = "roles.grant"
	VerbRoleRevoke  = "roles.revoke"
)

// MenuItem is a button of the menu card. Features register theirs; the bot
// keeps those the user's roles allow.
type MenuItem struct {
	Section string // catalogue key of the section title
	Title   string // catalogue key of the button title
	Verb    string
	Data    Data
}

// CommandHelp is a line of the command list under the menu.
type CommandHelp struct {
	Command string // what to type, in the user's language
	Desc    string // catalogue key
}

// Place is where Parc was installed: it decides how the welcome card tells
// people to talk to Parc.
type Place int

const (
	InPersonalChat Place = iota // a 1:1 chat: just type
	InGroupChat                 // a group chat: @mention Parc
	InTeam                      // a team's channel: @mention Parc
)

// Welcome is the card a user gets when Parc is installed. Outside a
// personal chat, users must @mention Parc and nobody in particular is
// greeted.
func Welcome(l Lang, userName string, where Place) Card {
	body := []Element{Heading(l.T("welcome.title"))}
	if userName != "" && where == InPersonalChat {
		body = append(body, Para(l.T("welcome.hello", userName)))
	}
	body = append(body, Para(l.T("welcome.body")))
	switch where {
	case InTeam:
		body = append(body, Para(l.T("welcome.channel")))
	case InGroupChat:
		body = append(body, Para(l.T("welcome.group")))
	default:
		body = append(body, Subtle(l.T("welcome.hint")))
	}
	c := New(l, body...)
	c.Actions = []Action{Execute{Title: l.T("menu.open"), Verb: VerbMenu, Style: ActionPositive}}
	c.Fallback = l.T("welcome.title")
	return c
}

// Menu is the card of what Parc does for this user: a button per feature,
// grouped by section, and the text commands.
func Menu(l Lang, items []MenuItem, commands []CommandHelp) Card {
	c := New(l, Heading(l.T("menu.title")), Subtle(l.T("app.tagline")))
	c.Body = append(c.Body, menuBody(l, items, commands)...)
	c.Fallback = l.T("menu.title")
	return c
}

func menuBody(l Lang, items []MenuItem, commands []CommandHelp) []Element {
	var body []Element
	var section string
	var actions []Action
	flush := func() {
		if len(actions) == 0 {
			return
		}
		if section != "" { // an item without a section gets no title
			body = append(body, Subheading(l.T(section)))
		}
		body = append(body, ActionSet{Actions: actions})
		actions = nil
	}
	for _, it := range items {
		if it.Section != section {
			flush()
			section = it.Section
		}
		actions = append(actions, Execute{Title: l.T(it.Title), Verb: it.Verb, Data: it.Data})
	}
	flush()
	if len(commands) > 0 {
		lines := make([]string, 0, len(commands))
		for _, cmd := range commands {
			lines = append(lines, "- "+l.T("menu.command.line", cmd.Command, l.T(cmd.Desc)))
		}
		body = append(body,
			TextBlock{Text: l.T("menu.commands"), Wrap: true, Weight: WeightBolder, Spacing: SpacingLarge, Separator: true},
			TextBlock{Text: strings.Join(lines, "\n"), Wrap: true, Size: SizeSmall})
	}
	return body
}

// Unknown answers a message Parc did not understand, with the menu.
func Unknown(l Lang, said string, items []MenuItem, commands []CommandHelp) Card {
	title := l.T("unknown.empty")
	if s := Plain(said, 60); s != "" {
		title = l.T("unknown.title", s)
	}
	c := New(l, TextBlock{Text: title, Wrap: true, Weight: WeightBolder}, Para(l.T("unknown.hint")))
	c.Body = append(c.Body, menuBody(l, items, commands)...)
	c.Fallback = title
	return c
}

// Forbidden politely refuses an action the user's roles do not allow.
func Forbidden(l Lang, role string) Card {
	msg := l.T("forbidden.no_user")
	if role != "" {
		msg = l.T("forbidden.role", l.T("role.plural."+role))
	}
	return Notice(l, l.T("forbidden.title"), msg, ColorWarning,
		Execute{Title: l.T("menu.open"), Verb: VerbMenu})
}

// Error tells the user that something failed. message is already in the
// user's language (for an unexpected failure, "error.internal" with the
// reference to give to IT).
func Error(l Lang, message string) Card {
	return Notice(l, l.T("error.title"), message, ColorAttention,
		Execute{Title: l.T("menu.open"), Verb: VerbMenu})
}

// LanguageSource is where the language a user is answered in comes from;
// the profile says it, so that nobody is told Teams chose French when the
// setting PARC_LOCALE did.
type LanguageSource int

const (
	LanguageChosen    LanguageSource = iota // the user chose it ("langue en")
	LanguageFromTeams                       // the locale of their Teams client
	LanguageDefault                         // Parc's setting (PARC_LOCALE)
)

// Profile shows the user's name, roles and language, with buttons to switch
// language.
func Profile(l Lang, name string, roles []string, source LanguageSource) Card {
	names := make([]string, 0, len(roles)+1)
	names = append(names, l.T("role.staff"))
	for _, r := range roles {
		if r != "staff" {
			names = append(names, l.T("role."+r))
		}
	}
	lang := l.T("language.name." + string(l))
	switch source {
	case LanguageFromTeams:
		lang = l.T("profile.language.auto", lang)
	case LanguageDefault:
		lang = l.T("profile.language.default", lang)
	}
	c := New(l, Heading(l.T("profile.title")),
		Facts(l.T("profile.name"), name, l.T("profile.roles"), strings.Join(names, ", "), l.T("profile.language"), lang))
	c.Actions = []Action{
		Execute{Title: l.T("profile.switch_fr"), Verb: VerbSetLanguage, Data: Data{"language": "fr"}},
		Execute{Title: l.T("profile.switch_en"), Verb: VerbSetLanguage, Data: Data{"language": "en"}},
		Execute{Title: l.T("menu.open"), Verb: VerbMenu},
	}
	return c
}

// RoleLine is one role assignment on the roles card.
type RoleLine struct {
	UserID    string
	UserName  string
	Role      string
	Bootstrap bool // declared in PARC_ADMINS: cannot be revoked from Teams
}

// Roles is the admins' card: current assignments with a revoke button each,
// and a form to grant a role to a person who has talked to Parc.
func Roles(l Lang, lines []RoleLine, people []Choice, notice string) Card {
	c := New(l, Heading(l.T("roles.title")))
	if notice != "" {
		c.Body = append(c.Body, Colored(notice, ColorGood))
	}
	if len(lines) == 0 {
		c.Body = append(c.Body, Subtle(l.T("roles.none")))
	}
	for _, ln := range lines {
		label := l.T("roles.assignment", ln.UserName, l.T("role."+ln.Role))
		right := Column{Width: "auto", VerticalContentAlignment: "Center"}
		if ln.Bootstrap {
			right.Items = []Element{Subtle(l.T("roles.bootstrap"))}
		} else {
			// No associated inputs: the grant form's inputs are named
			// userId and role too, and a renderer would put their values
			// over this line's data (and first insist they are filled in).
			right.Items = []Element{ActionSet{Actions: []Action{Execute{
				Title: l.T("roles.revoke"), Verb: VerbRoleRevoke, Style: ActionDestructive,
				Data: Data{"userId": ln.UserID, "role": ln.Role}, AssociatedInputs: "none"}}}}
		}
		c.Body = append(c.Body, ColumnSet{Separator: true, Columns: []Column{
			{Width: "stretch", VerticalContentAlignment: "Center", Items: []Element{Para(label)}},
			right,
		}})
	}
	c.Body = append(c.Body, Subheading(l.T("roles.grant.title")))
	if len(people) == 0 {
		c.Body = append(c.Body, Subtle(l.T("roles.no_users")))
	} else {
		roleChoices := []Choice{
			{Title: l.T("role.technician"), Value: "technician"},
			{Title: l.T("role.fleet_manager"), Value: "fleet_manager"},
			{Title: l.T("role.admin"), Value: "admin"},
		}
		c.Body = append(c.Body,
			ChoiceSetInput{ID: "userId", Label: l.T("roles.grant.user"), Placeholder: l.T("roles.grant.user.placeholder"),
				Choices: people, Style: "filtered", IsRequired: true, ErrorMessage: l.T("roles.grant.user.error")},
			ChoiceSetInput{ID: "role", Label: l.T("roles.grant.role"), Placeholder: l.T("roles.grant.role.placeholder"), Choices: roleChoices, Style: "compact",
				IsRequired: true, ErrorMessage: l.T("roles.grant.role.error")},
			ActionSet{Actions: []Action{Execute{Title: l.T("roles.grant.submit"), Verb: VerbRoleGrant, Style: ActionPositive, AssociatedInputs: "auto"}}},
		)
	}
	// The grant form's inputs are required: without "none", Teams would not
	// let an admin leave this card for the menu before filling them in.
	c.Actions = []Action{Execute{Title: l.T("menu.open"), Verb: VerbMenu, AssociatedInputs: "none"}}
	return c
}
