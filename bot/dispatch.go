package bot

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
	"github.com/infracloudio/msbotbuilder-go/core"
	"github.com/infracloudio/msbotbuilder-go/core/activity"
	"github.com/infracloudio/msbotbuilder-go/schema"
)

// errNoReply tells msbotbuilder's adapter that a turn has nothing to send.
var errNoReply = errors.New("no reply")

// dispatch routes an activity by type, as the Bot Framework SDKs do:
// messages and conversation updates go through msbotbuilder-go's adapter,
// which sends the handler's reply through our connector; invokes are
// answered in the HTTP response.
func (b *Bot) dispatch(ctx context.Context, act schema.Activity, log *slog.Logger) (int, any) {
	t, err := b.newTurn(ctx, act, log)
	if err != nil {
		log.Error("cannot resolve the user", "err", err)
		if act.Type == schema.Invoke {
			return http.StatusOK, invokeCard(cards.Error(b.language("", act.Locale), b.language("", act.Locale).T("error.unavailable")))
		}
		return http.StatusServiceUnavailable, nil
	}
	h := &turnHandler{t: t}
	adapter := &core.BotFrameworkAdapter{
		AdapterSetting: core.AdapterSetting{AppID: b.cfg.AppID},
		TokenValidator: b.auth,
		Client:         b.conn.Bind(ctx),
	}
	switch act.Type {
	case schema.Invoke:
		reply, err := h.OnInvoke(&activity.TurnContext{Activity: act})
		if err != nil {
			log.Error("invoke failed", "err", err)
			return http.StatusOK, invokeError(http.StatusInternalServerError, "InternalError", t.T("error.internal", act.ID))
		}
		status, _ := reply.Value["status"].(int)
		return status, reply.Value["body"]
	case typeInstallationUpdate:
		reply, err := h.OnInstallationUpdate(&activity.TurnContext{Activity: act})
		if err == nil {
			err = b.send(adapter, reply)
		}
		if err != nil && !errors.Is(err, errNoReply) {
			log.Error("welcome not sent", "err", err)
		}
		return http.StatusOK, nil
	default:
		if err := adapter.ProcessActivity(ctx, act, h); err != nil && !errors.Is(err, errNoReply) {
			log.Error("reply not sent", "err", err)
		}
		return http.StatusOK, nil
	}
}

// send posts a prepared reply through the adapter's connector client.
func (b *Bot) send(adapter *core.BotFrameworkAdapter, reply schema.Activity) error {
	resp, err := activity.NewActivityResponse(adapter.Client)
	if err != nil {
		return err
	}
	return resp.SendActivity(reply)
}

// turnHandler implements msbotbuilder-go's activity.Handler for one turn.
type turnHandler struct{ t *Turn }

var _ activity.Handler = (*turnHandler)(nil)

// OnMessage answers a text command, or an Action.Submit (a message with a
// value), whose new card replaces the one that was clicked.
func (h *turnHandler) OnMessage(tc *activity.TurnContext) (schema.Activity, error) {
	t := h.t
	if len(tc.Activity.Value) > 0 {
		in := submitInput(tc.Activity.Value)
		card := t.Bot.runAction(t, in)
		if id := tc.Activity.ReplyToID; id != "" {
			if err := t.Bot.replaceCard(t, id, card); err == nil {
				return schema.Activity{}, errNoReply
			} else {
				t.Log.Warn("card not replaced in place, sending a new one", "err", err)
			}
		}
		return cardReply(tc, card)
	}
	card, ok := t.Bot.runText(t, cleanText(tc.Activity.Text))
	if !ok {
		return schema.Activity{}, errNoReply
	}
	return cardReply(tc, card)
}

// OnInvoke answers an adaptiveCard/action invoke with the card that replaces
// the clicked one (Universal Actions), in the HTTP response.
func (h *turnHandler) OnInvoke(tc *activity.TurnContext) (schema.Activity, error) {
	t := h.t
	if tc.Activity.Name != invokeAdaptiveCard {
		t.Log.Info("invoke not handled", "name", tc.Activity.Name)
		return invokeActivity(http.StatusNotImplemented, nil), nil
	}
	in, ok := executeInput(tc.Activity.Value)
	if !ok {
		return invokeActivity(http.StatusOK, invokeError(http.StatusBadRequest, "BadRequest", t.T("err.invalid"))), nil
	}
	card := t.Bot.runAction(t, in)
	return invokeActivity(http.StatusOK, invokeCard(card)), nil
}

// OnConversationUpdate welcomes the users when the bot itself is added to a
// conversation; other membership changes need no answer.
func (h *turnHandler) OnConversationUpdate(tc *activity.TurnContext) (schema.Activity, error) {
	for _, m := range tc.Activity.MembersAdded {
		if m.ID == tc.Activity.Recipient.ID {
			return h.welcome(tc)
		}
	}
	return schema.Activity{}, errNoReply
}

// OnInstallationUpdate welcomes on install ("add", "add-upgrade").
func (h *turnHandler) OnInstallationUpdate(tc *activity.TurnContext) (schema.Activity, error) {
	if tc.Activity.Action != "add" && tc.Activity.Action != "add-upgrade" {
		return schema.Activity{}, errNoReply
	}
	return h.welcome(tc)
}

// welcome sends the welcome card once per conversation: Teams announces an
// installation with both an installationUpdate and a conversationUpdate.
func (h *turnHandler) welcome(tc *activity.TurnContext) (schema.Activity, error) {
	t := h.t
	first, err := t.Store().FirstDelivery(t.Ctx, "welcome|"+tc.Activity.Conversation.ID, t.Now, welcomeWindow)
	if err != nil || !first {
		return schema.Activity{}, errNoReply
	}
	where := cards.InTeam
	switch domain.ConversationKind(tc.Activity.Conversation.ConversationType) {
	case domain.ConversationPersonal:
		where = cards.InPersonalChat
	case domain.ConversationGroupChat:
		where = cards.InGroupChat
	}
	return cardReply(tc, cards.Welcome(t.Lang, t.Principal.Name, where))
}

// cardReply is a message carrying only the card: the Playground splits text
// and card into two bubbles and then returns no activity id.
func cardReply(tc *activity.TurnContext, c cards.Card) (schema.Activity, error) {
	return tc.SendActivity(activity.MsgOptionAttachments([]schema.Attachment{{ContentType: cards.ContentType, Content: c}}))
}
