package domain

import "context"

// Person is someone of the organisation, as the directory knows them.
type Person struct {
	ID             string `json:"id"` // Entra object id
	DisplayName    string `json:"displayName"`
	GivenName      string `json:"givenName,omitempty"`
	Surname        string `json:"surname,omitempty"`
	Email          string `json:"email,omitempty"`
	JobTitle       string `json:"jobTitle,omitempty"`
	Department     string `json:"department,omitempty"`
	AccountEnabled bool   `json:"accountEnabled"`
}

// Directory finds the organisation's people. In production it is Entra ID
// through Microsoft Graph (storage/graph); on a laptop with the Agents
// Playground, the members the Bot Connector lists for a conversation.
//
// Person returns ENOTFOUND for an unknown id. SearchPeople matches names
// and e-mail addresses, at most limit people. GroupsOf returns the ids of
// the groups the person belongs to, directly or through other groups (an
// implementation that cannot know returns none and no error). Every method
// returns EUNAVAILABLE when the directory cannot be reached.
type Directory interface {
	Person(ctx context.Context, id string) (Person, error)
	SearchPeople(ctx context.Context, query string, limit int) ([]Person, error)
	GroupsOf(ctx context.Context, id string) ([]string, error)
}
