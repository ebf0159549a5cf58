package bot

import (
	"errors"
	"net/http"
	"time"

	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
	"github.com/infracloudio/msbotbuilder-go/core/activity"
	"github.com/infracloudio/msbotbuilder-go/schema"
)

// welcomeWindow: Teams announces one installation with two activities a few
// seconds apart; one welcome card is enough.
const welcomeWindow = 2 * time.Minute

// runText runs the command the user typed. ok is false when there is
// nothing to answer (an empty message with no attachment).
func (b *Bot) runText(t *Turn, text string) (cards.Card, bool) {
	if text == "" && len(t.Activity.Attachments) > 0 {
		for _, h := range b.onFiles {
			if h.Accept == nil || h.Accept(t) {
				return b.guard(t, h.Role, func() (cards.Card, error) { return h.Run(t) }), true
			}
		}
	}
	cmd, args, ok := b.router.match(text)
	if !ok {
		items, help := b.router.menuFor(t.Principal, t.Lang)
		t.Log.Info("message not understood", "chars", len(text))
		return cards.Unknown(t.Lang, text, items, help), true
	}
	return b.guard(t, cmd.Role, func() (cards.Card, error) { return cmd.Run(t, args) }), true
}

// runAction runs a card verb. A verb Parc no longer knows (a card from an
// older version) gets the current menu.
func (b *Bot) runAction(t *Turn, in Input) cards.Card {
	a, ok := b.router.actions[in.Verb]
	if !ok {
		t.Log.Info("unknown card verb", "verb", in.Verb)
		items, help := b.router.menuFor(t.Principal, t.Lang)
		c := cards.Menu(t.Lang, items, help)
		c.Body = append([]cards.Element{cards.Colored(t.T("error.stale_card"), cards.ColorWarning)}, c.Body...)
		return c
	}
	return b.guard(t, a.Role, func() (cards.Card, error) { return a.Run(t, in) })
}

// guard checks the role, runs fn and turns its error into a card the user
// can read.
func (b *Bot) guard(t *Turn, role domain.Role, fn func() (cards.Card, error)) cards.Card {
	if role != "" && role != domain.RoleStaff {
		if t.Principal.UserID == "" {
			return cards.Forbidden(t.Lang, "")
		}
		if !t.Principal.Has(role) {
			t.Log.Info("refused: missing role", "role", string(role))
			return cards.Forbidden(t.Lang, string(role))
		}
	}
	c, err := fn()
	if err != nil {
		return b.errorCard(t, err)
	}
	return c
}

// errorCard maps an error to what the user reads: the catalogue message of
// a domain error, a polite refusal, or a reference for IT.
func (b *Bot) errorCard(t *Turn, err error) cards.Card {
	e := domain.AsError(err)
	switch domain.ErrorCodeOf(err) {
	case domain.EINVALID, domain.ENOTFOUND, domain.ECONFLICT:
		t.Log.Info("refused input", "err", err)
		return cards.Notice(t.Lang, "", t.T(e.Key, e.Args...), cards.ColorWarning, cards.Execute{Title: t.T("menu.open"), Verb: cards.VerbMenu})
	case domain.EFORBIDDEN:
		t.Log.Info("refused: forbidden", "err", err)
		if len(e.Args) == 1 {
			if r, ok := e.Args[0].(string); ok {
				return cards.Forbidden(t.Lang, r)
			}
		}
		return cards.Notice(t.Lang, t.T("forbidden.title"), t.T(e.Key, e.Args...), cards.ColorWarning)
	case domain.EUNAVAILABLE:
		t.Log.Error("dependency unavailable", "err", err)
		return cards.Error(t.Lang, t.T("error.unavailable"))
	default:
		t.Log.Error("handler failed", "err", err)
		return cards.Error(t.Lang, t.T("error.internal", t.Activity.ID))
	}
}

// replaceCard puts card in place of the activity id (Action.Submit has no
// synchronous answer, so the bot updates the message itself).
func (b *Bot) replaceCard(t *Turn, id string, c cards.Card) error {
	if b.conn == nil {
		return errors.New("no connector")
	}
	reply, err := (&activity.TurnContext{Activity: t.Activity}).SendActivity(
		activity.MsgOptionAttachments([]schema.Attachment{{ContentType: cards.ContentType, Content: c}}))
	if err != nil {
		return err
	}
	reply.ID = id
	reply.ReplyToID = ""
	_, err = b.conn.UpdateActivity(t.Ctx, t.Activity.ServiceURL, t.Activity.Conversation.ID, id, reply)
	return err
}

// Invoke answers (Universal Actions).

func invokeActivity(status int, body any) schema.Activity {
	return schema.Activity{Type: "invokeResponse", Value: map[string]any{"status": status, "body": body}}
}

func invokeCard(c cards.Card) map[string]any {
	return map[string]any{"statusCode": http.StatusOK, "type": cards.ContentType, "value": c}
}

func invokeMessage(text string) map[string]any {
	return map[string]any{"statusCode": http.StatusOK, "type": "application/vnd.microsoft.activity.message", "value": text}
}

func invokeError(status int, code, message string) map[string]any {
	return map[string]any{"statusCode": status, "type": "application/vnd.microsoft.error",
		"value": map[string]any{"code": code, "message": message}}
}

// executeInput reads an Action.Execute invoke's value:
// {"action": {"type": "Action.Execute", "verb": ..., "data": {...}}}.
func executeInput(v map[string]any) (Input, bool) {
	action, ok := v["action"].(map[string]any)
	if !ok {
		return Input{}, false
	}
	verb, _ := action["verb"].(string)
	data, _ := action["data"].(map[string]any)
	if data == nil {
		data = map[string]any{}
	}
	return Input{Verb: verb, Data: data}, verb != ""
}

// submitInput reads an Action.Submit message's value: the action's data
// (with "verb") merged with the card's inputs.
func submitInput(v map[string]any) Input {
	verb, _ := v["verb"].(string)
	return Input{Verb: verb, Data: v}
}

// FileHandler handles files sent to the bot in a personal chat (for example
// an inventory to import).
type FileHandler struct {
	Role domain.Role
	// Accept says whether the files are for this handler (nil: always).
	Accept func(t *Turn) bool
	Run    func(t *Turn) (cards.Card, error)
}
