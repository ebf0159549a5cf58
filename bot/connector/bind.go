package connector

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/infracloudio/msbotbuilder-go/connector/client"
	"github.com/infracloudio/msbotbuilder-go/schema"
)

// Bind returns a view of c that implements msbotbuilder's client.Client,
// so that core.BotFrameworkAdapter{Client: c.Bind(ctx)} and
// activity.NewActivityResponse(c.Bind(ctx)) send through this client's
// authentication, retries, clean JSON and logging. msbotbuilder's interface
// takes no context, so the view carries ctx: bind it per turn or per job,
// not once for the life of the process, or cancellation will not reach it.
//
// The view sends to the URL msbotbuilder built, as is. msbotbuilder's
// SendActivity posts a reply to .../activities (it puts the reply's own,
// usually empty, id in the path rather than replyToId): use
// ReplyToActivity when the reply must go to .../activities/{replyToId}.
func (c *Client) Bind(ctx context.Context) client.Client {
	return bound{c: c, ctx: ctx}
}

// bound is the view returned by Bind. It is a value holding a pointer to
// an immutable Client, so it is as safe for concurrent use as the Client.
type bound struct {
	c   *Client
	ctx context.Context
}

var _ client.Client = bound{}

// Post sends activity to u with POST; the id of the response is dropped, as
// msbotbuilder's interface has no way to return it.
func (b bound) Post(u url.URL, activity schema.Activity) error {
	return b.send(http.MethodPost, u, activity)
}

// Put sends activity to u with PUT.
func (b bound) Put(u url.URL, activity schema.Activity) error {
	return b.send(http.MethodPut, u, activity)
}

// Delete sends DELETE to u; the activity is not sent, the URL names it.
func (b bound) Delete(u url.URL, _ schema.Activity) error {
	_, err := b.c.do(b.ctx, http.MethodDelete, u.String(), nil)
	return err
}

func (b bound) send(method string, u url.URL, a schema.Activity) error {
	body, err := json.Marshal(toWire(a))
	if err != nil {
		return fmt.Errorf("connector: encode activity: %w", err)
	}
	_, err = b.c.do(b.ctx, method, u.String(), body)
	return err
}
