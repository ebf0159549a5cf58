package graph

import (
	"context"
	"strings"

	"github.com/anras/parc/domain"
	"github.com/microsoftgraph/msgraph-sdk-go/groups"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
)

// memberFields are the user properties the summary needs.
var memberFields = []string{"id", "givenName", "surname", "displayName", "mail", "userPrincipalName", "jobTitle", "accountEnabled", "assignedLicenses"}

// SubscribedSkus lists the tenant's subscriptions (one request; Graph
// does not page this list).
func (c *Client) SubscribedSkus(ctx context.Context) ([]domain.SubscribedSku, error) {
	resp, err := c.sdk.SubscribedSkus().Get(ctx, nil)
	if err != nil {
		return nil, classify(err, "subscribedSkus", "")
	}
	var out []domain.SubscribedSku
	for _, s := range resp.GetValue() {
		sku := domain.SubscribedSku{PartNumber: str(s.GetSkuPartNumber()), AppliesTo: str(s.GetAppliesTo())}
		if id := s.GetSkuId(); id != nil {
			sku.SkuID = strings.ToLower(id.String())
		}
		if n := s.GetConsumedUnits(); n != nil {
			sku.Consumed = int(*n)
		}
		if p := s.GetPrepaidUnits(); p != nil && p.GetEnabled() != nil {
			sku.Enabled = int(*p.GetEnabled())
		}
		out = append(out, sku)
	}
	return out, nil
}

// GroupMembers lists the group's users, directly or through nested
// groups, with their licences: pages of PageSize (999) following
// @odata.nextLink. ENOTFOUND for an unknown group. A user reached
// through two nested groups is listed once.
func (c *Client) GroupMembers(ctx context.Context, groupID string) ([]domain.LicensedAccount, error) {
	if !domain.IsSkuID(groupID) { // a group id is a GUID too
		return nil, domain.Errorf(domain.ENOTFOUND, "err.licence.group_unknown", groupID)
	}
	b := c.sdk.Groups().ByGroupId(groupID).TransitiveMembers().GraphUser()
	top := c.pageSize
	resp, err := b.Get(ctx, &groups.ItemTransitiveMembersGraphUserRequestBuilderGetRequestConfiguration{
		QueryParameters: &groups.ItemTransitiveMembersGraphUserRequestBuilderGetQueryParameters{Select: memberFields, Top: &top},
	})
	var out []domain.LicensedAccount
	seen := map[string]bool{}
	for page := 1; ; page++ {
		if err != nil {
			return nil, classify(err, "members of group "+groupID, "err.licence.group_unknown", groupID)
		}
		for _, u := range resp.GetValue() {
			a := account(u)
			if a.ID != "" && seen[a.ID] { // a user reached through two nested groups
				continue
			}
			// An entry without id is kept: the summary counts it as found
			// and not processed.
			seen[a.ID] = true
			out = append(out, a)
		}
		next := resp.GetOdataNextLink()
		if next == nil || *next == "" {
			break
		}
		resp, err = b.WithUrl(*next).Get(ctx, nil)
	}
	return out, nil
}

func account(u models.Userable) domain.LicensedAccount {
	a := domain.LicensedAccount{ID: str(u.GetId()), DisplayName: str(u.GetDisplayName()), GivenName: str(u.GetGivenName()),
		Surname: str(u.GetSurname()), Mail: str(u.GetMail()), UPN: str(u.GetUserPrincipalName()), JobTitle: str(u.GetJobTitle())}
	if e := u.GetAccountEnabled(); e != nil {
		a.Enabled = *e
	}
	for _, l := range u.GetAssignedLicenses() {
		if id := l.GetSkuId(); id != nil {
			a.SkuIDs = append(a.SkuIDs, strings.ToLower(id.String()))
		}
	}
	return a
}
