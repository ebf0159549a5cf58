package bot

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
)

// Command is a text command. FR and EN are what the help shows; Aliases are
// other words that run it. Matching ignores case and accents.
type Command struct {
	FR, EN  string
	Aliases []string
	Help    string      // catalogue key of the one-line help; "" hides it
	Role    domain.Role // who may run it ("" or staff: everyone)
	Run     func(t *Turn, args string) (cards.Card, error)
}

// Action handles a card button: an Action.Execute verb (answered in place)
// or an Action.Submit carrying the same verb in its data.
type Action struct {
	Verb string
	Role domain.Role
	Run  func(t *Turn, in Input) (cards.Card, error)
}

// MenuEntry is a button of the menu card and the role it needs.
type MenuEntry struct {
	Item cards.MenuItem
	Role domain.Role
}

// Router maps text commands and card verbs to their handlers. It is filled
// once at start-up and only read afterwards.
type Router struct {
	commands []*Command
	phrases  []string // folded, parallel index into commands via phraseCmd
	phraseOf []int
	actions  map[string]*Action
	menu     []MenuEntry
}

// NewRouter returns an empty router.
func NewRouter() *Router { return &Router{actions: map[string]*Action{}} }

// Command registers a text command; a phrase registered twice panics (a
// programming error found by the first test run).
func (r *Router) Command(c Command) {
	idx := len(r.commands)
	r.commands = append(r.commands, &c)
	for _, p := range append([]string{c.FR, c.EN}, c.Aliases...) {
		f := cards.Fold(p)
		if f == "" {
			continue
		}
		if i := slices.Index(r.phrases, f); i >= 0 {
			if r.phraseOf[i] == idx {
				continue
			}
			panic(fmt.Sprintf("bot: command phrase %q registered twice", p))
		}
		r.phrases = append(r.phrases, f)
		r.phraseOf = append(r.phraseOf, idx)
	}
}

// Action registers a card verb.
func (r *Router) Action(a Action) {
	if _, dup := r.actions[a.Verb]; dup {
		panic(fmt.Sprintf("bot: verb %q registered twice", a.Verb))
	}
	r.actions[a.Verb] = &a
}

// Menu adds entries to the menu card, in order.
func (r *Router) Menu(entries ...MenuEntry) { r.menu = append(r.menu, entries...) }

// match finds the command for a message.
func (r *Router) match(text string) (*Command, string, bool) {
	phrase, rest, ok := splitCommand(text, r.phrases)
	if !ok {
		return nil, "", false
	}
	i := slices.Index(r.phrases, phrase)
	return r.commands[r.phraseOf[i]], rest, true
}

// menuFor returns the menu items and the command help p may use.
func (r *Router) menuFor(p domain.Principal, l cards.Lang) ([]cards.MenuItem, []cards.CommandHelp) {
	var items []cards.MenuItem
	for _, e := range r.menu {
		if p.Has(e.Role) {
			items = append(items, e.Item)
		}
	}
	// Administration comes last whatever the order features registered in
	// (the menu and the "not understood" card alike).
	sort.SliceStable(items, func(i, j int) bool {
		return items[i].Section != "menu.section.admin" && items[j].Section == "menu.section.admin"
	})
	var help []cards.CommandHelp
	for _, c := range r.commands {
		if c.Help == "" || !p.Has(c.Role) {
			continue
		}
		name := c.FR
		if l == cards.EN && c.EN != "" {
			name = c.EN
		}
		help = append(help, cards.CommandHelp{Command: name, Desc: c.Help})
	}
	return items, help
}

// Input is what a card action sent: its verb and its data merged with the
// card's inputs (Teams sends both in one object).
type Input struct {
	Verb string
	Data map[string]any
}

// Str returns the string value of key, trimmed ("" when absent). Numbers and
// booleans are formatted, so an input's value reads the same from any client.
func (in Input) Str(key string) string {
	switch v := in.Data[key].(type) {
	case string:
		return strings.TrimSpace(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case nil:
		return ""
	default:
		return strings.TrimSpace(fmt.Sprint(v))
	}
}
