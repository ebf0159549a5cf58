package manifest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// SchemaVersion is the Teams app manifest schema the package follows.
//
// v1.30 is the newest numbered schema bundled in npm @microsoft/app-manifest
// 1.1.2 (v1.0 to v1.30, without v1.18); the only newer one there is
// vDevPreview, which is for preview features and which an organisation's
// catalogue does not take. Numbered schemas are published once they are
// generally available, so Teams accepts v1.30 for an uploaded bot. Parc uses
// only bot fields that every version since v1.13 has, so moving to an
// older or newer schema is a change of this constant (and of the test that
// pins the bundled schema file).
const SchemaVersion = "1.30"

// SchemaURL is the $schema of the manifest: the official schema of
// SchemaVersion, which the validator finds bundled in @microsoft/app-manifest.
const SchemaURL = "https://developer.microsoft.com/json-schemas/teams/v" + SchemaVersion + "/MicrosoftTeams.schema.json"

// Icon file names inside the package.
const (
	ColorIconFile   = "color.png"
	OutlineIconFile = "outline.png"
	ManifestFile    = "manifest.json"
)

// Limits Teams puts on a bot's command menu (the schema allows more, the
// Teams client shows no more than this).
const (
	MaxCommands           = 10
	MaxCommandTitle       = 32
	MaxCommandDescription = 128
)

// Options describe one installation of Parc. AppID and Domain are required;
// every other field has a default.
type Options struct {
	// AppID is the bot's Microsoft App ID (the Entra app registration of the
	// Azure Bot resource), a GUID.
	AppID string
	// Domain is the bot's public host, bare: "parc.example.org", with no
	// scheme, path or port. Teams reaches the bot at https://Domain/api/messages
	// through the Azure Bot resource; the manifest lists it in validDomains
	// and builds the SSO resource and the default developer pages from it.
	Domain string
	// Version is the package's version, MAJOR.MINOR.PATCH; default 1.0.0.
	// Teams only takes an upload over an installed app if it is higher.
	Version string
	// PackageID is the Teams app id; default AppID. It must stay the same
	// from one version to the next, and be unique in the tenant.
	PackageID string

	ShortName, FullName               string // default "Parc", "Parc – voitures, matériel et licences"
	ShortDescription, FullDescription string // French
	DeveloperName                     string // default "ANRAS – Service informatique"
	// The developer's pages; default https://Domain/, /confidentialite and
	// /conditions.
	WebsiteURL, PrivacyURL, TermsURL string
	AccentColor                      string // #RRGGBB, the colour icon's background
}

// Manifest is the manifest.json of the Teams app package. Its fields are in
// the order they are written, so the file is the same byte for byte for the
// same options.
type Manifest struct {
	Schema             string             `json:"$schema"`
	ManifestVersion    string             `json:"manifestVersion"`
	Version            string             `json:"version"`
	ID                 string             `json:"id"`
	Developer          Developer          `json:"developer"`
	Name               Name               `json:"name"`
	Description        Description        `json:"description"`
	Icons              Icons              `json:"icons"`
	AccentColor        string             `json:"accentColor"`
	Bots               []Bot              `json:"bots"`
	Permissions        []string           `json:"permissions"`
	ValidDomains       []string           `json:"validDomains"`
	WebApplicationInfo WebApplicationInfo `json:"webApplicationInfo"`
}

// Developer names who publishes the app and links to their pages.
type Developer struct {
	Name          string `json:"name"`
	WebsiteURL    string `json:"websiteUrl"`
	PrivacyURL    string `json:"privacyUrl"`
	TermsOfUseURL string `json:"termsOfUseUrl"`
}

// Name is the app's name: Short (≤ 30 characters) on tiles, Full (≤ 100)
// where there is room.
type Name struct {
	Short string `json:"short"`
	Full  string `json:"full"`
}

// Description is the store text: Short ≤ 80 characters, Full ≤ 4000.
type Description struct {
	Short string `json:"short"`
	Full  string `json:"full"`
}

// Icons are the file names of the icons inside the package.
type Icons struct {
	Color   string `json:"color"`
	Outline string `json:"outline"`
}

// Bot declares the bot: where it may be installed and its command menus.
type Bot struct {
	BotID              string        `json:"botId"`
	Scopes             []string      `json:"scopes"`
	SupportsFiles      bool          `json:"supportsFiles"`
	IsNotificationOnly bool          `json:"isNotificationOnly"`
	CommandLists       []CommandList `json:"commandLists"`
}

// CommandList is the command menu Teams shows in the given scopes.
type CommandList struct {
	Scopes   []string  `json:"scopes"`
	Commands []Command `json:"commands"`
}

// Command is one entry of a command menu: Title is what the user sends.
type Command struct {
	Title       string `json:"title"`
	Description string `json:"description"`
}

// WebApplicationInfo ties the app to its Entra app registration, which is
// what Teams single sign-on needs.
type WebApplicationInfo struct {
	ID       string `json:"id"`
	Resource string `json:"resource"`
}

// Scopes where the bot can be installed.
const (
	ScopePersonal  = "personal"
	ScopeTeam      = "team"
	ScopeGroupChat = "groupChat"
)

// Build returns the manifest for opts, after filling the defaults and
// checking everything Teams checks on upload that its JSON schema does not
// (the version's format, bare host names, the command menu's limits). The
// error names the option at fault.
func Build(opts Options) (*Manifest, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	m := &Manifest{
		Schema:          SchemaURL,
		ManifestVersion: SchemaVersion,
		Version:         o.Version,
		ID:              o.PackageID,
		Developer: Developer{
			Name: o.DeveloperName, WebsiteURL: o.WebsiteURL, PrivacyURL: o.PrivacyURL, TermsOfUseURL: o.TermsURL,
		},
		Name:        Name{Short: o.ShortName, Full: o.FullName},
		Description: Description{Short: o.ShortDescription, Full: o.FullDescription},
		Icons:       Icons{Color: ColorIconFile, Outline: OutlineIconFile},
		AccentColor: o.AccentColor,
		Bots: []Bot{{
			BotID:  o.AppID,
			Scopes: []string{ScopePersonal, ScopeTeam, ScopeGroupChat},
			// Staff send the Excel inventory to the bot in the personal chat.
			SupportsFiles:      true,
			IsNotificationOnly: false,
			CommandLists: []CommandList{
				{Scopes: []string{ScopePersonal, ScopeGroupChat}, Commands: staffCommands()},
				{Scopes: []string{ScopeTeam}, Commands: teamCommands()},
			},
		}},
		// identity: the bot learns who writes to it; messageTeamMembers: it
		// may write first (reminders, the licence summary).
		Permissions:  []string{"identity", "messageTeamMembers"},
		ValidDomains: []string{o.Domain},
		WebApplicationInfo: WebApplicationInfo{
			ID:       o.AppID,
			Resource: "api://" + o.Domain + "/" + o.AppID,
		},
	}
	if err := m.check(); err != nil {
		return nil, err
	}
	return m, nil
}

// JSON is the manifest as written in the package: indented with two
// spaces, fields in a fixed order, non-ASCII letters as they are.
func (m *Manifest) JSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("manifest: encode: %w", err)
	}
	return buf.Bytes(), nil
}

func (opts Options) withDefaults() (Options, error) {
	o := opts
	o.AppID = strings.ToLower(strings.TrimSpace(o.AppID))
	o.Domain = strings.TrimSpace(o.Domain)
	if err := CheckAppID(o.AppID); err != nil {
		return o, fmt.Errorf("manifest: AppID: %w", err)
	}
	if err := CheckHost(o.Domain); err != nil {
		return o, fmt.Errorf("manifest: Domain: %w", err)
	}
	def := func(p *string, v string) {
		if strings.TrimSpace(*p) == "" {
			*p = v
		}
	}
	def(&o.Version, "1.0.0")
	def(&o.PackageID, o.AppID)
	def(&o.ShortName, defaultShortName)
	def(&o.FullName, defaultFullName)
	def(&o.ShortDescription, defaultShortDescription)
	def(&o.FullDescription, defaultFullDescription)
	def(&o.DeveloperName, defaultDeveloperName)
	def(&o.WebsiteURL, "https://"+o.Domain+websitePath)
	def(&o.PrivacyURL, "https://"+o.Domain+privacyPath)
	def(&o.TermsURL, "https://"+o.Domain+termsPath)
	def(&o.AccentColor, defaultAccentColor)
	o.PackageID = strings.ToLower(strings.TrimSpace(o.PackageID))
	return o, nil
}

// check verifies what Teams requires of the manifest; the schema validator
// in e2e/tools checks the rest.
func (m *Manifest) check() error {
	checks := []struct {
		field string
		err   error
	}{
		{"Version", CheckVersion(m.Version)},
		{"PackageID", checkPackageID(m.ID)},
		{"ShortName", checkLength(m.Name.Short, 30, "short name")},
		{"FullName", checkLength(m.Name.Full, 100, "full name")},
		{"ShortDescription", checkLength(m.Description.Short, 80, "short description")},
		{"FullDescription", checkLength(m.Description.Full, 4000, "full description")},
		{"DeveloperName", checkLength(m.Developer.Name, 32, "developer name")},
		{"WebsiteURL", checkHTTPS(m.Developer.WebsiteURL, "website URL")},
		{"PrivacyURL", checkHTTPS(m.Developer.PrivacyURL, "privacy URL")},
		{"TermsURL", checkHTTPS(m.Developer.TermsOfUseURL, "terms of use URL")},
		{"AccentColor", checkAccent(m.AccentColor)},
	}
	for _, c := range checks {
		if c.err != nil {
			return fmt.Errorf("manifest: %s: %w", c.field, c.err)
		}
	}
	for _, d := range m.ValidDomains {
		if err := CheckValidDomain(d); err != nil {
			return fmt.Errorf("manifest: validDomains: %w", err)
		}
	}
	for _, b := range m.Bots {
		if err := CheckCommandLists(b.CommandLists); err != nil {
			return fmt.Errorf("manifest: %w", err)
		}
	}
	return nil
}

func checkPackageID(id string) error {
	if !guidRe.MatchString(id) {
		return fmt.Errorf("app package id %q is not a GUID", id)
	}
	return nil
}

func checkAccent(c string) error {
	if !hexColorRe.MatchString(c) {
		return fmt.Errorf("accent colour %q is not #RRGGBB", c)
	}
	return nil
}

// CheckCommandLists checks a bot's command menus against the limits of the
// Teams client: at most MaxCommands per list, titles of at most
// MaxCommandTitle characters, descriptions of at most MaxCommandDescription,
// no title twice in a list, and each scope in one list only.
func CheckCommandLists(lists []CommandList) error {
	seenScope := map[string]bool{}
	for _, l := range lists {
		if len(l.Commands) > MaxCommands {
			return fmt.Errorf("commandLists %v: %d commands, more than Teams' %d", l.Scopes, len(l.Commands), MaxCommands)
		}
		for _, s := range l.Scopes {
			if seenScope[s] {
				return fmt.Errorf("commandLists: scope %q is in two lists", s)
			}
			seenScope[s] = true
		}
		seenTitle := map[string]bool{}
		for _, c := range l.Commands {
			if err := checkLength(c.Title, MaxCommandTitle, "command title"); err != nil {
				return fmt.Errorf("commandLists %v: %w", l.Scopes, err)
			}
			if err := checkLength(c.Description, MaxCommandDescription, "description of "+c.Title); err != nil {
				return fmt.Errorf("commandLists %v: %w", l.Scopes, err)
			}
			if seenTitle[c.Title] {
				return fmt.Errorf("commandLists %v: %q twice", l.Scopes, c.Title)
			}
			seenTitle[c.Title] = true
		}
	}
	return nil
}
