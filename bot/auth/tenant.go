package auth

import (
	"strings"

	"github.com/infracloudio/msbotbuilder-go/schema"
)

// tenantPolicy is the tenant allow-list. Tenant ids are GUIDs, which
// Microsoft writes in lower case but which are not case-sensitive, so they
// are compared folded.
type tenantPolicy struct {
	allowed map[string]struct{} // folded ids; nil or empty allows all
}

func newTenantPolicy(ids []string) tenantPolicy {
	p := tenantPolicy{allowed: make(map[string]struct{}, len(ids))}
	for _, id := range ids {
		if id = strings.TrimSpace(id); id != "" {
			p.allowed[strings.ToLower(id)] = struct{}{}
		}
	}
	return p
}

// check returns the activity's tenant id, or a reason to refuse it. Teams
// states the tenant twice (conversation.tenantId and channelData.tenant.id);
// when both are present they must agree, otherwise downstream code could
// read a tenant other than the one that was checked here.
func (p tenantPolicy) check(a schema.Activity) (string, error) {
	conv := strings.TrimSpace(a.Conversation.TenantID)
	data := channelDataTenant(a.ChannelData)
	if conv != "" && data != "" && !strings.EqualFold(conv, data) {
		return "", errTenantConflict
	}
	tenant := conv
	if tenant == "" {
		tenant = data
	}
	if len(p.allowed) == 0 {
		return tenant, nil
	}
	if tenant == "" {
		return "", errTenantMissing
	}
	if _, ok := p.allowed[strings.ToLower(tenant)]; !ok {
		return "", errTenantDenied
	}
	return tenant, nil
}

// channelDataTenant reads channelData.tenant.id, which arrives as untyped
// JSON: any other shape counts as absent.
func channelDataTenant(data map[string]any) string {
	tenant, _ := data["tenant"].(map[string]any)
	id, _ := tenant["id"].(string)
	return strings.TrimSpace(id)
}
