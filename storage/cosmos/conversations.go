package cosmos

import (
	"context"

	"github.com/anras/parc/domain"
)

// A conversation reference is the document "ref" of its own partition
// (pk = the conversation id) in the conversations container: the notifier
// reads it by id, nothing lists them but Export.

const (
	kindConversation = "conversation"
	conversationID   = "ref"
)

// SaveConversation upserts: the latest reference Teams gave wins.
func (s *Store) SaveConversation(ctx context.Context, ref domain.ConversationRef) error {
	if err := ref.Validate(); err != nil {
		return err
	}
	_, err := upsertDoc(ctx, s.conversations, doc[domain.ConversationRef]{ID: conversationID, PK: ref.ID, Kind: kindConversation, Data: ref})
	return err
}

// Conversation is a point read.
func (s *Store) Conversation(ctx context.Context, id string) (domain.ConversationRef, error) {
	d, _, err := readDoc[domain.ConversationRef](ctx, s.conversations, id, conversationID)
	if err != nil {
		return domain.ConversationRef{}, err
	}
	return d.Data, nil
}
