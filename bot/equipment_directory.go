package bot

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/anras/parc/bot/connector"
	"github.com/anras/parc/domain"
)

// directory returns the organisation's directory: Entra ID through Graph
// when cmd/parc configured it, else the people the Bot Connector knows.
func (b *Bot) directory(t *Turn) domain.Directory {
	if b.dir != nil {
		return b.dir
	}
	return &memberDirectory{conn: b.conn, store: b.store, log: t.Log.With("directory", "connector"),
		here: memberSource{serviceURL: t.Activity.ServiceURL, conversationID: t.Activity.Conversation.ID}}
}

// memberDirectory is the directory without Microsoft Graph (a laptop with
// the Agents Playground, a tenant that did not consent to Graph): the
// members the Bot Connector lists for the conversation of the turn and for
// the teams whose channels are bound to an establishment, then the users
// who have talked to Parc. Members carry the Entra object id, name, e-mail
// and user principal name; job titles are unknown here.
type memberDirectory struct {
	conn  *connector.Client
	store domain.Store
	log   interface {
		Warn(msg string, args ...any)
	}
	here memberSource
}

type memberSource struct{ serviceURL, conversationID string }

var _ domain.Directory = (*memberDirectory)(nil)

// sources lists the conversations whose members to read: the turn's,
// then each establishment's team (a channel's members are its team's).
func (d *memberDirectory) sources(ctx context.Context) []memberSource {
	out := []memberSource{}
	if d.here.serviceURL != "" && d.here.conversationID != "" {
		out = append(out, d.here)
	}
	ests, err := d.store.ListEstablishments(ctx)
	if err != nil {
		return out
	}
	for _, e := range ests {
		if e.ChannelID == "" {
			continue
		}
		ref, err := d.store.Conversation(ctx, e.ChannelID)
		if err != nil {
			continue
		}
		src := memberSource{serviceURL: ref.ServiceURL, conversationID: nonEmpty(ref.TeamID, ref.ID)}
		if !slices.Contains(out, src) {
			out = append(out, src)
		}
	}
	return out
}

// people gathers everyone the connector and the store know, by object id.
func (d *memberDirectory) people(ctx context.Context) ([]domain.Person, error) {
	byID := map[string]domain.Person{}
	var order []string
	add := func(p domain.Person) {
		if p.ID == "" {
			return
		}
		if _, ok := byID[p.ID]; !ok {
			order = append(order, p.ID)
			byID[p.ID] = p
		}
	}
	var failures []error
	reached := false
	if d.conn != nil {
		for _, src := range d.sources(ctx) {
			members, err := d.conn.ConversationMembers(ctx, src.serviceURL, src.conversationID)
			if err != nil {
				d.log.Warn("conversation members unavailable", "conversation", src.conversationID, "err", err)
				failures = append(failures, err)
				continue
			}
			reached = true
			for _, m := range members {
				add(personOf(m))
			}
		}
	}
	users, err := d.store.ListUsers(ctx)
	if err != nil {
		failures = append(failures, err)
	} else {
		reached = true
		for _, u := range users {
			add(domain.Person{ID: u.ID, DisplayName: nameOr(u.Name, u.ID), Email: u.Email, AccountEnabled: true})
		}
	}
	if !reached && len(failures) > 0 {
		return nil, domain.Wrap(errors.Join(failures...), domain.EUNAVAILABLE, "error.unavailable")
	}
	out := make([]domain.Person, 0, len(order))
	for _, id := range order {
		out = append(out, byID[id])
	}
	return out, nil
}

// personOf reads a conversation member.
func personOf(m connector.Member) domain.Person {
	name := strings.TrimSpace(m.Name)
	if name == "" {
		name = strings.TrimSpace(m.GivenName + " " + m.Surname)
	}
	email := m.Email
	if email == "" && strings.Contains(m.UserPrincipalName, "@") {
		email = m.UserPrincipalName
	}
	return domain.Person{ID: m.AADObjectID, DisplayName: nameOr(name, email), GivenName: m.GivenName, Surname: m.Surname,
		Email: email, AccountEnabled: true}
}

// Person finds someone by Entra object id; ENOTFOUND when nobody known
// has it.
func (d *memberDirectory) Person(ctx context.Context, id string) (domain.Person, error) {
	people, err := d.people(ctx)
	if err != nil {
		return domain.Person{}, err
	}
	for _, p := range people {
		if strings.EqualFold(p.ID, id) {
			return p, nil
		}
	}
	return domain.Person{}, domain.Errorf(domain.ENOTFOUND, "err.user.unknown")
}

// SearchPeople returns the people whose name or e-mail holds every word of
// query (case and accents ignored), by name; an empty query lists them.
func (d *memberDirectory) SearchPeople(ctx context.Context, query string, limit int) ([]domain.Person, error) {
	people, err := d.people(ctx)
	if err != nil {
		return nil, err
	}
	words := strings.Fields(domain.FoldText(query))
	var out []domain.Person
	for _, p := range people {
		hay := domain.FoldText(p.DisplayName + " " + p.Email + " " + p.GivenName + " " + p.Surname)
		if slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(hay, w) }) {
			continue
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b domain.Person) int {
		if c := strings.Compare(domain.FoldText(a.DisplayName), domain.FoldText(b.DisplayName)); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// GroupsOf cannot be known from the connector: none, no error.
func (d *memberDirectory) GroupsOf(context.Context, string) ([]string, error) { return nil, nil }
