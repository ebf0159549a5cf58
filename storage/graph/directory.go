package graph

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/anras/parc/domain"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
)

// personFields are the user properties a Person carries.
var personFields = []string{"id", "displayName", "givenName", "surname", "mail", "userPrincipalName", "jobTitle", "department", "accountEnabled"}

// Person reads one user; ENOTFOUND for an unknown id.
func (c *Client) Person(ctx context.Context, id string) (domain.Person, error) {
	if !domain.IsSkuID(id) && !strings.Contains(id, "@") { // an object id or a UPN
		return domain.Person{}, domain.Errorf(domain.ENOTFOUND, "err.user.unknown")
	}
	u, err := c.sdk.Users().ByUserId(id).Get(ctx, &users.UserItemRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.UserItemRequestBuilderGetQueryParameters{Select: personFields},
	})
	if err != nil {
		return domain.Person{}, classify(err, "user "+id, "err.user.unknown")
	}
	return person(u), nil
}

// SearchPeople finds users whose display name, given name, surname, mail
// or user principal name starts with query (Graph's standard $filter,
// which needs no advanced query headers), at most limit.
func (c *Client) SearchPeople(ctx context.Context, query string, limit int) ([]domain.Person, error) {
	q := strings.TrimSpace(query)
	if q == "" || limit <= 0 {
		return nil, nil
	}
	if utf8.RuneCountInString(q) > 64 {
		q = string([]rune(q)[:64])
	}
	lit := "'" + strings.ReplaceAll(q, "'", "''") + "'"
	var conds []string
	for _, f := range []string{"displayName", "givenName", "surname", "mail", "userPrincipalName"} {
		conds = append(conds, "startswith("+f+","+lit+")")
	}
	filter := strings.Join(conds, " or ")
	top := int32(min(limit, 999))
	resp, err := c.sdk.Users().Get(ctx, &users.UsersRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.UsersRequestBuilderGetQueryParameters{Filter: &filter, Select: personFields, Top: &top},
	})
	if err != nil {
		return nil, classify(err, "search users", "")
	}
	var out []domain.Person
	for _, u := range resp.GetValue() {
		if len(out) == limit {
			break
		}
		out = append(out, person(u))
	}
	return out, nil
}

// GroupsOf lists the ids of the groups the user belongs to, directly or
// through nested groups, following @odata.nextLink.
func (c *Client) GroupsOf(ctx context.Context, id string) ([]string, error) {
	if !domain.IsSkuID(id) && !strings.Contains(id, "@") {
		return nil, domain.Errorf(domain.ENOTFOUND, "err.user.unknown")
	}
	b := c.sdk.Users().ByUserId(id).TransitiveMemberOf().GraphGroup()
	top := c.pageSize
	resp, err := b.Get(ctx, &users.ItemTransitiveMemberOfGraphGroupRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.ItemTransitiveMemberOfGraphGroupRequestBuilderGetQueryParameters{Select: []string{"id"}, Top: &top},
	})
	var out []string
	for {
		if err != nil {
			return nil, classify(err, "groups of user "+id, "err.user.unknown")
		}
		for _, g := range resp.GetValue() {
			if gid := str(g.GetId()); gid != "" {
				out = append(out, strings.ToLower(gid))
			}
		}
		next := resp.GetOdataNextLink()
		if next == nil || *next == "" {
			return out, nil
		}
		resp, err = b.WithUrl(*next).Get(ctx, nil)
	}
}

func person(u models.Userable) domain.Person {
	p := domain.Person{ID: str(u.GetId()), DisplayName: str(u.GetDisplayName()), GivenName: str(u.GetGivenName()),
		Surname: str(u.GetSurname()), Email: str(u.GetMail()), JobTitle: str(u.GetJobTitle()), Department: str(u.GetDepartment())}
	if p.Email == "" {
		p.Email = str(u.GetUserPrincipalName())
	}
	if e := u.GetAccountEnabled(); e != nil {
		p.AccountEnabled = *e
	}
	return p
}
