// Package graphtest is a local server that answers like Microsoft Graph
// v1.0 for what Parc asks: subscribedSkus, a group's transitive members as
// users (paged with @odata.nextLink), a user, a filtered user list, a
// user's groups and, for the benchmark's baseline, a user's licenseDetails.
// The JSON shapes are those of Microsoft's documentation (values, odata
// annotations, error bodies); faults are injected per group or per
// request: 429 with Retry-After, a 500 for one group, added latency.
//
// It imports nothing from the Graph SDK, so that any package's tests can
// serve Graph to `parc` without compiling the SDK twice.
package graphtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/anras/parc/domain"
)

// Token is the bearer token the server expects by default.
const Token = "graphtest-token"

// Server is a fake Graph. Set its fields before the first request.
type Server struct {
	// URL is the v1.0 base URL to give the client (…/v1.0).
	URL string
	// Tenant is the directory.
	Tenant domain.LicenceSnapshot
	// Departments adds a department to users (Person shows it).
	Departments map[string]string
	// PageSize caps a page of members whatever $top asks (default 999).
	PageSize int
	// Latency is added to every answer (the benchmark's 50 ms).
	Latency time.Duration
	// Token is the expected bearer token (default Token).
	Token string

	mu sync.Mutex
	// failGroup answers status for every request about the group.
	failGroup map[string]int
	// throttle answers 429 with Retry-After to the next n requests whose
	// path contains its key.
	throttle map[string]*throttle

	root     string
	requests atomic.Int64
	byKind   sync.Map // kind -> *atomic.Int64
	users    map[string]domain.LicensedAccount
	memberOf map[string][]string
	once     sync.Once
}

type throttle struct {
	n          int
	retryAfter string
}

// Start serves tenant on a loopback port until the test ends.
func Start(t testing.TB, tenant domain.LicenceSnapshot) *Server {
	s := NewServer(tenant)
	srv := httptest.NewServer(s)
	s.SetRoot(srv.URL)
	t.Cleanup(srv.Close)
	return s
}

// NewServer returns a server for tenant, to serve with net/http (a
// benchmark serves it from another process); call SetRoot with the
// address it listens on.
func NewServer(tenant domain.LicenceSnapshot) *Server {
	return &Server{Tenant: tenant, failGroup: map[string]int{}, throttle: map[string]*throttle{}}
}

// SetRoot says where the server is reached ("http://127.0.0.1:PORT"):
// the next links point there.
func (s *Server) SetRoot(root string) {
	s.root = root
	s.URL = root + "/v1.0"
}

// FailGroup makes every request about group answer status.
func (s *Server) FailGroup(group string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failGroup[strings.ToLower(group)] = status
}

// Throttle answers the next n requests whose path contains pathPart with
// 429 Too Many Requests and Retry-After: retryAfter.
func (s *Server) Throttle(pathPart string, n int, retryAfter string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.throttle[pathPart] = &throttle{n: n, retryAfter: retryAfter}
}

// Requests returns the number of requests served, in total and of a
// kind: "subscribedSkus", "members", "user", "users", "memberOf",
// "licenseDetails".
func (s *Server) Requests(kind string) int64 {
	if kind == "" {
		return s.requests.Load()
	}
	if v, ok := s.byKind.Load(kind); ok {
		return v.(*atomic.Int64).Load()
	}
	return 0
}

func (s *Server) count(kind string) {
	v, _ := s.byKind.LoadOrStore(kind, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
}

func (s *Server) index() {
	s.once.Do(func() {
		s.users = map[string]domain.LicensedAccount{}
		s.memberOf = map[string][]string{}
		for g, members := range s.Tenant.Groups {
			for _, m := range members {
				id := strings.ToLower(m.ID)
				s.users[id] = m
				s.memberOf[id] = append(s.memberOf[id], g)
			}
		}
		for _, gs := range s.memberOf {
			slices.Sort(gs)
		}
	})
}

var (
	reMembers  = regexp.MustCompile(`^/v1\.0/groups/([^/]+)/transitiveMembers/(?:microsoft\.graph\.user|graph\.user)$`)
	reUser     = regexp.MustCompile(`^/v1\.0/users/([^/]+)$`)
	reMemberOf = regexp.MustCompile(`^/v1\.0/users/([^/]+)/transitiveMemberOf/(?:microsoft\.graph\.group|graph\.group)$`)
	reLicences = regexp.MustCompile(`^/v1\.0/users/([^/]+)/licenseDetails$`)
)

// ServeHTTP answers one request as Graph would.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	s.index()
	if s.Latency > 0 {
		time.Sleep(s.Latency)
	}
	want := s.Token
	if want == "" {
		want = Token
	}
	if r.Header.Get("Authorization") != "Bearer "+want {
		writeError(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty.")
		return
	}
	if r.Method != http.MethodGet {
		writeError(w, http.StatusMethodNotAllowed, "Request_BadRequest", "Only GET is served here.")
		return
	}
	if s.throttled(w, r.URL.Path) {
		return
	}
	path := r.URL.Path
	switch {
	case path == "/v1.0/subscribedSkus":
		s.count("subscribedSkus")
		s.subscribedSkus(w)
	case reMembers.MatchString(path):
		s.count("members")
		s.members(w, r, reMembers.FindStringSubmatch(path)[1])
	case reMemberOf.MatchString(path):
		s.count("memberOf")
		s.memberOfGroups(w, reMemberOf.FindStringSubmatch(path)[1])
	case reLicences.MatchString(path):
		s.count("licenseDetails")
		s.licenseDetails(w, reLicences.FindStringSubmatch(path)[1])
	case reUser.MatchString(path):
		s.count("user")
		s.user(w, reUser.FindStringSubmatch(path)[1])
	case path == "/v1.0/users":
		s.count("users")
		s.searchUsers(w, r)
	default:
		writeError(w, http.StatusBadRequest, "BadRequest", "Resource not found for the segment '"+path+"'.")
	}
}

func (s *Server) throttled(w http.ResponseWriter, path string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for part, th := range s.throttle {
		if th.n > 0 && strings.Contains(path, part) {
			th.n--
			w.Header().Set("Retry-After", th.retryAfter)
			writeError(w, http.StatusTooManyRequests, "TooManyRequests", "Too many requests.")
			return true
		}
	}
	return false
}

func (s *Server) subscribedSkus(w http.ResponseWriter) {
	var value []map[string]any
	for _, sku := range s.Tenant.Skus {
		applies := sku.AppliesTo
		if applies == "" {
			applies = "User"
		}
		value = append(value, map[string]any{
			"accountName": "ANRAS", "accountId": "4f5e6d7c-8b9a-4c0d-9e1f-2a3b4c5d6e7f", "appliesTo": applies,
			"capabilityStatus": "Enabled", "consumedUnits": sku.Consumed,
			"id":           "4f5e6d7c-8b9a-4c0d-9e1f-2a3b4c5d6e7f_" + sku.SkuID,
			"prepaidUnits": map[string]any{"enabled": sku.Enabled, "suspended": 0, "warning": 0, "lockedOut": 0},
			"servicePlans": []any{}, "skuId": sku.SkuID, "skuPartNumber": sku.PartNumber,
			"subscriptionIds": []string{"1b2c3d4e-5f60-4718-a9b0-c1d2e3f4a5b6"},
		})
	}
	writeJSON(w, map[string]any{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#subscribedSkus", "value": orEmpty(value)})
}

func (s *Server) members(w http.ResponseWriter, r *http.Request, group string) {
	group = strings.ToLower(group)
	s.mu.Lock()
	status := s.failGroup[group]
	s.mu.Unlock()
	if status != 0 {
		writeError(w, status, "generalException", "General exception while processing.")
		return
	}
	var members []domain.LicensedAccount
	found := false
	for g, m := range s.Tenant.Groups {
		if strings.EqualFold(g, group) {
			members, found = m, true
		}
	}
	if !found {
		writeError(w, http.StatusNotFound, "Request_ResourceNotFound",
			fmt.Sprintf("Resource '%s' does not exist or one of its queried reference-property objects are not present.", group))
		return
	}
	q := r.URL.Query()
	top := 100 // Graph's default page size for this list
	if v := q.Get("$top"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 999 {
			writeError(w, http.StatusBadRequest, "Request_BadRequest", "Invalid page size specified: '"+v+"'. Must be between 1 and 999 inclusive.")
			return
		}
		top = n
	}
	if s.PageSize > 0 && top > s.PageSize {
		top = s.PageSize
	}
	skip := 0
	if tok := q.Get("$skiptoken"); tok != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(tok, "RFNwdAIAAQAAA"))
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, "Directory_ExpiredPageToken", "The specified page token value has expired and can no longer be included in your request.")
			return
		}
		skip = n
	}
	fields := selectFields(q.Get("$select"))
	var value []map[string]any
	end := min(skip+top, len(members))
	for _, m := range members[skip:end] {
		value = append(value, userJSON(m, fields, ""))
	}
	body := map[string]any{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users(" + strings.Join(fields, ",") + ")", "value": orEmpty(value)}
	if end < len(members) {
		next := url.Values{}
		for k, v := range q {
			if k != "$skiptoken" {
				next[k] = v
			}
		}
		next.Set("$skiptoken", "RFNwdAIAAQAAA"+strconv.Itoa(end))
		body["@odata.nextLink"] = s.root + r.URL.Path + "?" + next.Encode()
	}
	writeJSON(w, body)
}

func (s *Server) user(w http.ResponseWriter, id string) {
	u, ok := s.users[strings.ToLower(id)]
	if !ok {
		writeError(w, http.StatusNotFound, "Request_ResourceNotFound",
			fmt.Sprintf("Resource '%s' does not exist or one of its queried reference-property objects are not present.", id))
		return
	}
	body := userJSON(u, nil, s.Departments[u.ID])
	body["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#users/$entity"
	writeJSON(w, body)
}

var startsWithRe = regexp.MustCompile(`startswith\((\w+),'((?:[^']|'')*)'\)`)

// searchUsers serves $filter=startswith(field,'x') or ... (case-insensitive,
// as Graph compares).
func (s *Server) searchUsers(w http.ResponseWriter, r *http.Request) {
	filter := r.URL.Query().Get("$filter")
	conds := startsWithRe.FindAllStringSubmatch(filter, -1)
	if filter != "" && len(conds) == 0 {
		writeError(w, http.StatusBadRequest, "Request_UnsupportedQuery", "Unsupported Query.")
		return
	}
	top := 100
	if v, err := strconv.Atoi(r.URL.Query().Get("$top")); err == nil && v > 0 {
		top = v
	}
	ids := make([]string, 0, len(s.users))
	for id := range s.users {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var value []map[string]any
	for _, id := range ids {
		u := s.users[id]
		fields := map[string]string{"displayName": u.DisplayName, "givenName": u.GivenName, "surname": u.Surname, "mail": u.Mail, "userPrincipalName": u.UPN}
		match := len(conds) == 0
		for _, c := range conds {
			prefix := strings.ReplaceAll(c[2], "''", "'")
			if strings.HasPrefix(strings.ToLower(fields[c[1]]), strings.ToLower(prefix)) {
				match = true
			}
		}
		if match && len(value) < top {
			value = append(value, userJSON(u, selectFields(r.URL.Query().Get("$select")), s.Departments[u.ID]))
		}
	}
	writeJSON(w, map[string]any{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users", "value": orEmpty(value)})
}

func (s *Server) memberOfGroups(w http.ResponseWriter, id string) {
	if _, ok := s.users[strings.ToLower(id)]; !ok {
		writeError(w, http.StatusNotFound, "Request_ResourceNotFound", fmt.Sprintf("Resource '%s' does not exist or one of its queried reference-property objects are not present.", id))
		return
	}
	var value []map[string]any
	for _, g := range s.memberOf[strings.ToLower(id)] {
		value = append(value, map[string]any{"@odata.type": "#microsoft.graph.group", "id": g})
	}
	writeJSON(w, map[string]any{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#groups(id)", "value": orEmpty(value)})
}

func (s *Server) licenseDetails(w http.ResponseWriter, id string) {
	u, ok := s.users[strings.ToLower(id)]
	if !ok {
		writeError(w, http.StatusNotFound, "Request_ResourceNotFound", fmt.Sprintf("Resource '%s' does not exist or one of its queried reference-property objects are not present.", id))
		return
	}
	parts := map[string]string{}
	for _, sku := range s.Tenant.Skus {
		parts[sku.SkuID] = sku.PartNumber
	}
	var value []map[string]any
	for _, sku := range u.SkuIDs {
		value = append(value, map[string]any{"id": "lic-" + sku, "skuId": sku, "skuPartNumber": parts[sku], "servicePlans": []any{}})
	}
	writeJSON(w, map[string]any{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('" + id + "')/licenseDetails", "value": orEmpty(value)})
}

func selectFields(sel string) []string {
	if sel == "" {
		return []string{"id", "displayName", "givenName", "surname", "mail", "userPrincipalName", "jobTitle"}
	}
	return strings.Split(sel, ",")
}

// userJSON writes a user with the selected properties, as Graph does:
// a property selected and unset is null.
func userJSON(u domain.LicensedAccount, fields []string, department string) map[string]any {
	nullable := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	all := map[string]any{
		"id": u.ID, "displayName": nullable(u.DisplayName), "givenName": nullable(u.GivenName), "surname": nullable(u.Surname),
		"mail": nullable(u.Mail), "userPrincipalName": nullable(u.UPN), "jobTitle": nullable(u.JobTitle),
		"department": nullable(department), "accountEnabled": u.Enabled,
	}
	lic := []any{}
	for _, sku := range u.SkuIDs {
		lic = append(lic, map[string]any{"disabledPlans": []any{}, "skuId": sku})
	}
	all["assignedLicenses"] = lic
	if fields == nil {
		return all
	}
	out := map[string]any{"@odata.type": "#microsoft.graph.user"}
	for _, f := range fields {
		if v, ok := all[f]; ok {
			out[f] = v
		}
	}
	return out
}

func orEmpty(v []map[string]any) []map[string]any {
	if v == nil {
		return []map[string]any{}
	}
	return v
}

func writeJSON(w http.ResponseWriter, body any) {
	w.Header().Set("Content-Type", "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8")
	w.Header().Set("request-id", "8c0a1d3e-2f4b-4c6d-8e9f-0a1b2c3d4e5f")
	_ = json.NewEncoder(w).Encode(body)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"code": code, "message": msg,
		"innerError": map[string]any{"date": time.Now().UTC().Format("2006-01-02T15:04:05"), "request-id": "8c0a1d3e-2f4b-4c6d-8e9f-0a1b2c3d4e5f", "client-request-id": "8c0a1d3e-2f4b-4c6d-8e9f-0a1b2c3d4e5f"},
	}})
}

// StaticToken is a credential that always gives Value (Token when
// empty): tests need no token service.
type StaticToken struct{ Value string }

// GetToken returns the token, valid for an hour.
func (s StaticToken) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	v := s.Value
	if v == "" {
		v = Token
	}
	return azcore.AccessToken{Token: v, ExpiresOn: time.Now().Add(time.Hour)}, nil
}
