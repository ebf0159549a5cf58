package domain

import (
	"context"
	"time"
)

// ConversationKind is where a conversation happens in Teams.
type ConversationKind string

const (
	ConversationPersonal  ConversationKind = "personal"
	ConversationChannel   ConversationKind = "channel"
	ConversationGroupChat ConversationKind = "groupChat"
)

// ConversationRef is what the bot must keep to post into a conversation
// later (a proactive message): the regional service URL that Teams gave in
// an authenticated activity, the tenant, and the ids of the bot and of the
// conversation. For a channel, ID is the channel's id (without the
// ";messageid=" suffix of a thread).
type ConversationRef struct {
	ID         string           `json:"id"`
	Kind       ConversationKind `json:"kind"`
	ServiceURL string           `json:"serviceUrl"`
	TenantID   string           `json:"tenantId,omitempty"`
	ChannelID  string           `json:"channelId"` // the Bot Framework channel, "msteams"
	BotID      string           `json:"botId"`
	BotName    string           `json:"botName,omitempty"`
	TeamID     string           `json:"teamId,omitempty"`
	TeamName   string           `json:"teamName,omitempty"`
	UserID     string           `json:"userId,omitempty"` // personal chats: the user's Entra object id
	UpdatedAt  time.Time        `json:"updatedAt"`
}

// Validate checks that the reference can be used to post.
func (r ConversationRef) Validate() error {
	if r.ID == "" || r.ServiceURL == "" || r.BotID == "" {
		return Errorf(EINVALID, "err.conversation.incomplete")
	}
	return nil
}

// SameTarget reports whether r and o post to the same place the same way, so
// that a store write can be skipped when nothing changed.
func (r ConversationRef) SameTarget(o ConversationRef) bool {
	r.UpdatedAt, o.UpdatedAt = time.Time{}, time.Time{}
	return r == o
}

// ConversationRepository keeps conversation references.
//
// Conversation returns ENOTFOUND for an unknown id.
type ConversationRepository interface {
	SaveConversation(ctx context.Context, ref ConversationRef) error
	Conversation(ctx context.Context, id string) (ConversationRef, error)
}

// User is a person who has talked to Parc, known by the Entra object id that
// Teams puts in every activity. Parc keeps only what it needs to address the
// person again; names, e-mails and job titles come from the directory.
type User struct {
	ID       string `json:"id"` // Entra object id
	Name     string `json:"name,omitempty"`
	Email    string `json:"email,omitempty"`
	TeamsID  string `json:"teamsId,omitempty"` // the channel account id ("29:...")
	TenantID string `json:"tenantId,omitempty"`
	// Language is the user's own choice ("fr" or "en"); empty follows Teams.
	Language string `json:"language,omitempty"`
	// Establishment is the establishment the user picked (code), when the
	// directory could not tell.
	Establishment string `json:"establishment,omitempty"`
	// PersonalConversationID is the 1:1 chat with the bot, once known.
	PersonalConversationID string `json:"personalConversationId,omitempty"`
	// ServiceURL and BotID are those of the user's last activity: what the
	// bot needs to start a 1:1 chat with them.
	ServiceURL string    `json:"serviceUrl,omitempty"`
	BotID      string    `json:"botId,omitempty"`
	LastSeen   time.Time `json:"lastSeen"`
}

// Validate checks the user's rules.
func (u User) Validate() error {
	if u.ID == "" {
		return Errorf(EINVALID, "err.user.id_required")
	}
	switch u.Language {
	case "", "fr", "en":
	default:
		return Errorf(EINVALID, "err.user.language", u.Language)
	}
	return nil
}

// UserRepository keeps the users who have talked to Parc.
//
// User returns ENOTFOUND for an unknown id. UpdateUser reads, applies fn and
// writes back atomically (retrying on a concurrent write); it creates the
// user when missing, passing fn a User with only ID set. ListUsers returns
// every user by name, then id.
type UserRepository interface {
	User(ctx context.Context, id string) (User, error)
	UpdateUser(ctx context.Context, id string, fn func(*User) error) (User, error)
	ListUsers(ctx context.Context) ([]User, error)
}

// ActivityLog remembers the ids of the activities already processed, so that
// an activity Teams delivers twice is handled once.
//
// FirstDelivery records id at now and reports whether it is the first
// delivery seen within window. It is atomic: of two concurrent calls with the
// same id, exactly one gets true.
type ActivityLog interface {
	FirstDelivery(ctx context.Context, id string, now time.Time, window time.Duration) (bool, error)
}

// Store is everything a storage backend provides. Every backend passes the
// contract suite in storage/storagetest.
type Store interface {
	RoleRepository
	ConversationRepository
	UserRepository
	ActivityLog
	EstablishmentRepository
	LeaseRepository
	FleetStore
	EquipmentStore
	LicenceStore
	Porter
	// Ping checks that the store answers; /readyz uses it.
	Ping(ctx context.Context) error
	// Close releases the store.
	Close() error
}
