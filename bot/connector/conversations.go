package connector

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/infracloudio/msbotbuilder-go/schema"
)

// Member is a member of a Teams conversation as the connector lists it: the
// channel account extended by Teams with the user's directory identity.
// AADObjectID is the stable key to join with Microsoft Graph; ID is the
// Teams-specific id ("29:...") to address the user in a conversation.
type Member struct {
	ID                string `json:"id"`
	Name              string `json:"name,omitempty"`
	AADObjectID       string `json:"aadObjectId,omitempty"`
	Email             string `json:"email,omitempty"`
	UserPrincipalName string `json:"userPrincipalName,omitempty"`
	GivenName         string `json:"givenName,omitempty"`
	Surname           string `json:"surname,omitempty"`
	TenantID          string `json:"tenantId,omitempty"`
}

// SendToConversation posts a as a new message at the end of a conversation
// (in a channel conversation whose id carries ";messageid=...", as a reply
// in that thread). It returns the id of the new activity, or "" when the
// connector gives none, as the Agents Playground does when it splits a
// message with text and a card in two.
func (c *Client) SendToConversation(ctx context.Context, serviceURL, conversationID string, a schema.Activity) (string, error) {
	if err := required("conversationID", conversationID); err != nil {
		return "", err
	}
	target, err := endpoint(serviceURL, conversationID, "activities")
	if err != nil {
		return "", err
	}
	return c.sendActivity(ctx, http.MethodPost, target, a)
}

// ReplyToActivity posts a as a reply to the activity replyToID. The reply's
// replyToId is set to replyToID when a leaves it empty. It returns the id of
// the new activity, or "" when the connector gives none.
func (c *Client) ReplyToActivity(ctx context.Context, serviceURL, conversationID, replyToID string, a schema.Activity) (string, error) {
	if err := required("conversationID", conversationID, "replyToID", replyToID); err != nil {
		return "", err
	}
	target, err := endpoint(serviceURL, conversationID, "activities", replyToID)
	if err != nil {
		return "", err
	}
	if a.ReplyToID == "" {
		a.ReplyToID = replyToID
	}
	return c.sendActivity(ctx, http.MethodPost, target, a)
}

// UpdateActivity replaces the activity activityID (typically a card whose
// state changed) with a. The activity's id is set to activityID when a
// leaves it empty, as Teams expects it in the body too. It returns the id
// the connector answers with, or "" when it gives none.
func (c *Client) UpdateActivity(ctx context.Context, serviceURL, conversationID, activityID string, a schema.Activity) (string, error) {
	if err := required("conversationID", conversationID, "activityID", activityID); err != nil {
		return "", err
	}
	target, err := endpoint(serviceURL, conversationID, "activities", activityID)
	if err != nil {
		return "", err
	}
	if a.ID == "" {
		a.ID = activityID
	}
	return c.sendActivity(ctx, http.MethodPut, target, a)
}

// DeleteActivity deletes the activity activityID. The Agents Playground
// does not implement it (it answers with an error status).
func (c *Client) DeleteActivity(ctx context.Context, serviceURL, conversationID, activityID string) error {
	if err := required("conversationID", conversationID, "activityID", activityID); err != nil {
		return err
	}
	target, err := endpoint(serviceURL, conversationID, "activities", activityID)
	if err != nil {
		return err
	}
	_, err = c.do(ctx, http.MethodDelete, target, nil)
	return err
}

// CreateConversation starts a conversation: a new post in a Teams channel
// (ChannelData {"channel": {"id": ...}} and IsGroup with the Activity to
// post) or a 1:1 chat with a user (Members [{ID}], TenantID, and
// ChannelData {"tenant": {"id": ...}}). Teams only allows it where the app
// is installed. The response's ID is the new conversation's; ActivityID is
// set when an activity was posted and the connector reports it.
func (c *Client) CreateConversation(ctx context.Context, serviceURL string, p schema.ConversationParameters) (schema.ConversationResourceResponse, error) {
	var out schema.ConversationResourceResponse
	target, err := endpoint(serviceURL)
	if err != nil {
		return out, err
	}
	body, err := json.Marshal(toWireParameters(p))
	if err != nil {
		return out, fmt.Errorf("connector: encode conversation parameters: %w", err)
	}
	data, err := c.do(ctx, http.MethodPost, target, body)
	if err != nil {
		return out, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return out, nil
	}
	if err := json.Unmarshal(data, &out); err != nil {
		// The conversation exists now; report what we know, which is
		// nothing, rather than an error that invites a second creation.
		c.log.WarnContext(ctx, "connector: undecodable create-conversation response", "url", target, "error", err)
		return schema.ConversationResourceResponse{}, nil
	}
	return out, nil
}

// ConversationMembers lists the members of a conversation (a team's roster
// when conversationID is a channel's or the team's id).
func (c *Client) ConversationMembers(ctx context.Context, serviceURL, conversationID string) ([]Member, error) {
	if err := required("conversationID", conversationID); err != nil {
		return nil, err
	}
	target, err := endpoint(serviceURL, conversationID, "members")
	if err != nil {
		return nil, err
	}
	data, err := c.do(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, err
	}
	var members []Member
	if err := json.Unmarshal(data, &members); err != nil {
		return nil, fmt.Errorf("connector: decode members from %s: %w", target, err)
	}
	return members, nil
}

// sendActivity sends a as the body of a POST or PUT and returns the id in
// the response.
func (c *Client) sendActivity(ctx context.Context, method, target string, a schema.Activity) (string, error) {
	body, err := json.Marshal(toWire(a))
	if err != nil {
		return "", fmt.Errorf("connector: encode activity: %w", err)
	}
	data, err := c.do(ctx, method, target, body)
	if err != nil {
		return "", err
	}
	return c.activityID(ctx, target, data), nil
}

// activityID reads the {"id": ...} of a successful response. An empty or
// undecodable body gives "" and no error: the message was delivered, and an
// error would make the caller send it twice.
func (c *Client) activityID(ctx context.Context, target string, data []byte) string {
	if len(bytes.TrimSpace(data)) == 0 {
		return ""
	}
	var rr schema.ResourceResponse
	if err := json.Unmarshal(data, &rr); err != nil {
		c.log.WarnContext(ctx, "connector: undecodable activity response", "url", target, "error", err)
		return ""
	}
	return rr.ID
}

// endpoint builds {serviceURL}/v3/conversations[/seg...], escaping each
// segment: Teams ids contain ':', '@' and ';' ("19:...@thread.tacv2;
// messageid=..."), which must reach the connector as one path segment.
// serviceURL may carry a path (the Playground's ".../_connector") and a
// trailing slash.
func endpoint(serviceURL string, segments ...string) (string, error) {
	u, err := url.Parse(serviceURL)
	if err != nil {
		return "", fmt.Errorf("connector: service URL: %w", err)
	}
	if u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", fmt.Errorf("connector: service URL %q is not an absolute http or https URL", serviceURL)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("connector: service URL %q has a query or fragment", serviceURL)
	}
	var p strings.Builder
	p.WriteString(strings.TrimRight(u.EscapedPath(), "/"))
	p.WriteString("/v3/conversations")
	for _, s := range segments {
		p.WriteByte('/')
		p.WriteString(escapeSegment(s))
	}
	raw := p.String()
	if u.Path, err = url.PathUnescape(raw); err != nil {
		return "", fmt.Errorf("connector: service URL %q: %w", serviceURL, err)
	}
	u.RawPath = raw
	return u.String(), nil
}

// escapeSegment escapes s as one path segment. "." and ".." are escaped
// too, since a server or proxy that normalises paths would otherwise treat
// them as steps in the path rather than as an id.
func escapeSegment(s string) string {
	switch s {
	case ".":
		return "%2E"
	case "..":
		return "%2E%2E"
	}
	return url.PathEscape(s)
}

// required returns an error naming the first empty value of the name/value
// pairs, so that a missing id fails here rather than as a 404 on another
// resource.
func required(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			return errors.New("connector: " + pairs[i] + " is empty")
		}
	}
	return nil
}
