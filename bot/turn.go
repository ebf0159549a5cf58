package bot

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
	"github.com/infracloudio/msbotbuilder-go/schema"
)

// Turn is one incoming activity being handled: who sent it, in which
// language to answer, and the bot's collaborators.
type Turn struct {
	Ctx       context.Context
	Activity  schema.Activity
	Principal domain.Principal
	User      domain.User // the stored profile; only ID is set for an anonymous user
	Lang      cards.Lang
	Now       time.Time
	Log       *slog.Logger
	Bot       *Bot
}

// T translates key in the turn's language.
func (t *Turn) T(key string, args ...any) string { return t.Lang.T(key, args...) }

// Store is the bot's store.
func (t *Turn) Store() domain.Store { return t.Bot.store }

// Location is where times are shown.
func (t *Turn) Location() *time.Location { return t.Bot.cfg.Location }

// Require returns EFORBIDDEN when the user lacks role r.
func (t *Turn) Require(r domain.Role) error { return t.Principal.Require(r) }

// tenantOf returns the activity's tenant: conversation.tenantId, else
// channelData.tenant.id.
func tenantOf(a schema.Activity) string {
	if a.Conversation.TenantID != "" {
		return a.Conversation.TenantID
	}
	return channelDataString(a, "tenant", "id")
}

// channelDataString reads a nested string in channelData ("team", "id").
func channelDataString(a schema.Activity, path ...string) string {
	var cur any = a.ChannelData
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = m[p]
	}
	s, _ := cur.(string)
	return s
}

// newTurn resolves the user behind act: roles from the store and the
// bootstrap admins, profile and language. It records the conversation
// reference and the user for later proactive messages.
func (b *Bot) newTurn(ctx context.Context, act schema.Activity, log *slog.Logger) (*Turn, error) {
	t := &Turn{Ctx: ctx, Activity: act, Now: b.clock.Now(), Log: log, Bot: b}
	t.Principal = domain.Principal{UserID: act.From.AadObjectID, Name: act.From.Name, TenantID: tenantOf(act)}
	b.rememberConversation(ctx, act, log)
	if uid := t.Principal.UserID; uid != "" {
		user, err := b.rememberUser(ctx, act, t.Now)
		if err != nil {
			return nil, err
		}
		t.User = user
		if t.Principal.Name == "" {
			t.Principal.Name = user.Name
		}
		roles, err := b.store.UserRoles(ctx, uid)
		if err != nil {
			return nil, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
		}
		if slices.Contains(b.cfg.Admins, strings.ToLower(uid)) && !slices.Contains(roles, domain.RoleAdmin) {
			roles = append(roles, domain.RoleAdmin)
		}
		t.Principal.Roles = roles
	}
	t.Lang = b.language(t.User.Language, act.Locale)
	return t, nil
}

// language picks the answer's language: the user's own choice, else the
// forced PARC_LOCALE, else the Teams locale (French when unknown).
func (b *Bot) language(chosen, locale string) cards.Lang {
	if l, ok := cards.ParseLang(chosen); ok {
		return l
	}
	if l, ok := cards.ParseLang(b.cfg.Locale); ok {
		return l
	}
	return cards.LangFor(locale)
}

// conversationRef builds the reference to post into act's conversation
// later. For a channel it is the channel itself, not the thread.
func conversationRef(act schema.Activity, now time.Time) domain.ConversationRef {
	ref := domain.ConversationRef{
		ID: act.Conversation.ID, Kind: domain.ConversationKind(act.Conversation.ConversationType),
		ServiceURL: act.ServiceURL, TenantID: tenantOf(act), ChannelID: act.ChannelID,
		BotID: act.Recipient.ID, BotName: act.Recipient.Name,
		TeamID: channelDataString(act, "team", "id"), TeamName: channelDataString(act, "team", "name"),
		UpdatedAt: now,
	}
	switch ref.Kind {
	case domain.ConversationChannel:
		if ch := channelDataString(act, "channel", "id"); ch != "" {
			ref.ID = ch
		} else if i := strings.Index(ref.ID, ";messageid="); i >= 0 {
			ref.ID = ref.ID[:i]
		}
	case domain.ConversationPersonal:
		ref.UserID = act.From.AadObjectID
	}
	return ref
}

// rememberConversation saves the conversation reference when it is new or
// changed. A failure is logged, not fatal: the turn can still be answered.
func (b *Bot) rememberConversation(ctx context.Context, act schema.Activity, log *slog.Logger) {
	ref := conversationRef(act, b.clock.Now())
	if ref.Validate() != nil {
		return
	}
	key := "c:" + ref.ID
	b.seenMu.Lock()
	prev, ok := b.seen[key]
	b.seenMu.Unlock()
	if ok && prev.ref.SameTarget(ref) {
		return
	}
	if err := b.store.SaveConversation(ctx, ref); err != nil {
		log.Warn("save conversation reference", "err", err)
		return
	}
	b.remember(key, seenEntry{ref: ref})
}

// userRefresh is how often an unchanged user's LastSeen is written.
const userRefresh = time.Hour

// rememberUser returns the user's profile, creating or refreshing it when
// something Parc needs to reach them changed.
func (b *Bot) rememberUser(ctx context.Context, act schema.Activity, now time.Time) (domain.User, error) {
	uid := act.From.AadObjectID
	personal := ""
	if act.Conversation.ConversationType == string(domain.ConversationPersonal) {
		personal = act.Conversation.ID
	}
	key := "u:" + uid
	b.seenMu.Lock()
	prev, ok := b.seen[key]
	b.seenMu.Unlock()
	stale := !ok || now.Sub(prev.writtenAt) > userRefresh ||
		(act.From.Name != "" && act.From.Name != prev.user.Name) ||
		(act.From.ID != "" && act.From.ID != prev.user.TeamsID) ||
		(personal != "" && personal != prev.user.PersonalConversationID) ||
		act.ServiceURL != prev.user.ServiceURL || act.Recipient.ID != prev.user.BotID
	if !stale {
		// The profile may have been changed by another turn (language):
		// read it, which is cheap, rather than trust the cache.
		u, err := b.store.User(ctx, uid)
		if err == nil {
			return u, nil
		}
		if !domain.IsNotFound(err) {
			return domain.User{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
		}
	}
	u, err := b.store.UpdateUser(ctx, uid, func(u *domain.User) error {
		if act.From.Name != "" {
			u.Name = act.From.Name
		}
		if act.From.ID != "" {
			u.TeamsID = act.From.ID
		}
		if tid := tenantOf(act); tid != "" {
			u.TenantID = tid
		}
		if personal != "" {
			u.PersonalConversationID = personal
		}
		u.ServiceURL, u.BotID = act.ServiceURL, act.Recipient.ID
		u.LastSeen = now
		return nil
	})
	if err != nil {
		return domain.User{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	b.remember(key, seenEntry{user: u, writtenAt: now})
	return u, nil
}

// maxSeen bounds the memory of written records; past it the cache starts
// over, which only costs a few extra writes.
const maxSeen = 20000

func (b *Bot) remember(key string, e seenEntry) {
	b.seenMu.Lock()
	defer b.seenMu.Unlock()
	if len(b.seen) >= maxSeen {
		clear(b.seen)
	}
	b.seen[key] = e
}
