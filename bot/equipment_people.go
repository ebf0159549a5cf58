package bot

import (
	"slices"

	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
)

// peopleFound is what a form's directory search offers: the people to
// choose from, the one chosen, and what the search found, said.
type peopleFound struct {
	Choices []cards.Choice
	Chosen  string
	Notice  string
}

// findPeople is the directory search of the forms that pick a person (a
// loan's borrower, an assigned terminal's user): with a query, the people
// whose name or e-mail match it, the only one found being chosen; without,
// the people known, with suggestionsKey's text. The person already chosen
// stays offered even when the search does not find them.
func (b *Bot) findPeople(t *Turn, query, chosen, suggestionsKey string) (peopleFound, error) {
	dir := b.directory(t)
	out := peopleFound{Chosen: chosen}
	var people []domain.Person
	var err error
	if query != "" {
		people, err = dir.SearchPeople(t.Ctx, query, 20)
		switch {
		case err != nil:
			return out, err
		case len(people) == 0:
			out.Notice = t.T("directory.found.none", cards.Plain(query, 40))
		case len(people) == 1:
			out.Notice = t.T("directory.found.one", cards.Plain(query, 40))
			out.Chosen = people[0].ID
		default:
			out.Notice = t.T("directory.found.many", len(people), cards.Plain(query, 40))
		}
	} else {
		people, err = dir.SearchPeople(t.Ctx, "", 30)
		if err != nil {
			return out, err
		}
		out.Notice = t.T(suggestionsKey)
	}
	if out.Chosen != "" && !slices.ContainsFunc(people, func(p domain.Person) bool { return p.ID == out.Chosen }) {
		if p, err := dir.Person(t.Ctx, out.Chosen); err == nil {
			people = append([]domain.Person{p}, people...)
		}
	}
	for _, p := range people {
		title := p.DisplayName
		if p.Email != "" {
			title += " (" + p.Email + ")"
		}
		out.Choices = append(out.Choices, cards.Choice{Title: clipRunes(title, 80), Value: p.ID})
	}
	return out, nil
}

// resolvePerson resolves the person a form chose (their object id) through the
// directory; EINVALID unknownKey when the directory does not know them.
func (b *Bot) resolvePerson(t *Turn, id, unknownKey string) (domain.Person, error) {
	p, err := b.directory(t).Person(t.Ctx, id)
	if domain.IsNotFound(err) {
		return domain.Person{}, domain.Errorf(domain.EINVALID, unknownKey)
	}
	return p, err
}
