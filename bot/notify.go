package bot

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/anras/parc/bot/connector"
	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
	"github.com/infracloudio/msbotbuilder-go/schema"
)

// Notifier sends messages nobody asked for in the turn: reminders in a
// user's personal chat, summaries in a channel. It uses the conversation
// references and users that the bot recorded from authenticated activities.
type Notifier struct {
	store domain.Store
	conn  *connector.Client
	log   *slog.Logger
	clock domain.Clock
}

// NotifyUser posts card in userID's personal chat with Parc, starting that
// chat when the bot has never written to them there. It returns ENOTFOUND
// when Parc has never seen the user (it cannot know how to reach them).
func (n *Notifier) NotifyUser(ctx context.Context, userID string, card cards.Card) error {
	u, err := n.store.User(ctx, userID)
	if err != nil {
		return fmt.Errorf("notify %s: %w", userID, err)
	}
	if u.PersonalConversationID != "" {
		ref, err := n.store.Conversation(ctx, u.PersonalConversationID)
		if err == nil {
			_, err = n.conn.SendToConversation(ctx, ref.ServiceURL, ref.ID, message(ref, card))
			return err
		}
		if !domain.IsNotFound(err) {
			return err
		}
	}
	if u.ServiceURL == "" || u.BotID == "" || u.TeamsID == "" {
		return domain.Errorf(domain.ENOTFOUND, "err.user.unknown")
	}
	conv, err := n.conn.CreateConversation(ctx, u.ServiceURL, schema.ConversationParameters{
		Bot: schema.ChannelAccount{ID: u.BotID}, Members: []schema.ChannelAccount{{ID: u.TeamsID}},
		TenantID: u.TenantID, ChannelData: map[string]any{"tenant": map[string]any{"id": u.TenantID}},
	})
	if err != nil {
		return fmt.Errorf("start a chat with %s: %w", userID, err)
	}
	ref := domain.ConversationRef{ID: conv.ID, Kind: domain.ConversationPersonal, ServiceURL: nonEmpty(conv.ServiceURL, u.ServiceURL),
		TenantID: u.TenantID, ChannelID: "msteams", BotID: u.BotID, UserID: u.ID, UpdatedAt: n.clock.Now()}
	if err := n.store.SaveConversation(ctx, ref); err != nil {
		return err
	}
	if _, err := n.store.UpdateUser(ctx, u.ID, func(u *domain.User) error { u.PersonalConversationID = conv.ID; return nil }); err != nil {
		return err
	}
	_, err = n.conn.SendToConversation(ctx, ref.ServiceURL, ref.ID, message(ref, card))
	return err
}

// Post publishes card in a stored conversation: a new post (thread) in a
// channel, a new message in a chat. It returns the new activity's id when
// the connector gives one.
func (n *Notifier) Post(ctx context.Context, conversationID string, card cards.Card) (string, error) {
	ref, err := n.store.Conversation(ctx, conversationID)
	if err != nil {
		return "", fmt.Errorf("post to %s: %w", conversationID, err)
	}
	if ref.Kind == domain.ConversationChannel {
		conv, err := n.conn.CreateConversation(ctx, ref.ServiceURL, schema.ConversationParameters{
			IsGroup: true, Bot: schema.ChannelAccount{ID: ref.BotID}, TenantID: ref.TenantID,
			ChannelData: map[string]any{"channel": map[string]any{"id": ref.ID}, "tenant": map[string]any{"id": ref.TenantID}},
			Activity:    message(ref, card),
		})
		if err != nil {
			return "", err
		}
		return conv.ActivityID, nil
	}
	return n.conn.SendToConversation(ctx, ref.ServiceURL, ref.ID, message(ref, card))
}

// message is an outgoing card message for ref's conversation.
func message(ref domain.ConversationRef, card cards.Card) schema.Activity {
	return schema.Activity{
		Type: schema.Message, ChannelID: ref.ChannelID, ServiceURL: ref.ServiceURL,
		From:         schema.ChannelAccount{ID: ref.BotID, Name: ref.BotName},
		Conversation: schema.ConversationAccount{ID: ref.ID, TenantID: ref.TenantID, ConversationType: string(ref.Kind)},
		Attachments:  []schema.Attachment{{ContentType: cards.ContentType, Content: card}},
	}
}

func nonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
