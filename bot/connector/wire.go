package connector

import (
	"reflect"
	"time"

	"github.com/infracloudio/msbotbuilder-go/schema"
)

// wireActivity is the JSON the connector receives for a schema.Activity.
// msbotbuilder's own tags marshal every zero value it holds in a struct:
// "timestamp": "0001-01-01T00:00:00Z", "from": {}, "relatesTo": {...},
// "suggestedActions": {}, "semanticAction": {}. Teams tolerates most of it,
// but a zero timestamp or an empty relatesTo is noise at best and an
// invalid field at worst, so the wire form omits every zero value and keeps
// the rest field for field.
//
// CallerID is left out on purpose: the schema documents it as set by the
// receiving side and not to be transmitted.
type wireActivity struct {
	Type             schema.ActivityTypes          `json:"type,omitempty"`
	ID               string                        `json:"id,omitempty"`
	Timestamp        time.Time                     `json:"timestamp,omitzero"`
	LocalTimestamp   time.Time                     `json:"localTimestamp,omitzero"`
	LocalTimezone    string                        `json:"localTimezone,omitempty"`
	ServiceURL       string                        `json:"serviceUrl,omitempty"`
	ChannelID        string                        `json:"channelId,omitempty"`
	From             schema.ChannelAccount         `json:"from,omitzero"`
	Conversation     schema.ConversationAccount    `json:"conversation,omitzero"`
	Recipient        schema.ChannelAccount         `json:"recipient,omitzero"`
	TextFormat       schema.TextFormatTypes        `json:"textFormat,omitempty"`
	AttachmentLayout schema.AttachmentLayoutTypes  `json:"attachmentLayout,omitempty"`
	MembersAdded     []schema.ChannelAccount       `json:"membersAdded,omitempty"`
	MembersRemoved   []schema.ChannelAccount       `json:"membersRemoved,omitempty"`
	ReactionsAdded   []schema.MessageReaction      `json:"reactionsAdded,omitempty"`
	ReactionsRemoved []schema.MessageReaction      `json:"reactionsRemoved,omitempty"`
	TopicName        string                        `json:"topicName,omitempty"`
	HistoryDisclosed bool                          `json:"historyDisclosed,omitempty"`
	Locale           string                        `json:"locale,omitempty"`
	Text             string                        `json:"text,omitempty"`
	Speak            string                        `json:"speak,omitempty"`
	InputHint        schema.InputHints             `json:"inputHint,omitempty"`
	Summary          string                        `json:"summary,omitempty"`
	SuggestedActions *schema.SuggestedActions      `json:"suggestedActions,omitempty"`
	Attachments      []schema.Attachment           `json:"attachments,omitempty"`
	Entities         []schema.Entity               `json:"entities,omitempty"`
	ChannelData      map[string]any                `json:"channelData,omitempty"`
	Action           string                        `json:"action,omitempty"`
	ReplyToID        string                        `json:"replyToId,omitempty"`
	Label            string                        `json:"label,omitempty"`
	ValueType        string                        `json:"valueType,omitempty"`
	Value            map[string]any                `json:"value,omitempty"`
	Name             string                        `json:"name,omitempty"`
	RelatesTo        *wireReference                `json:"relatesTo,omitempty"`
	Code             schema.EndOfConversationCodes `json:"code,omitempty"`
	Expiration       time.Time                     `json:"expiration,omitzero"`
	Importance       schema.ActivityImportance     `json:"importance,omitempty"`
	DeliveryMode     schema.DeliveryModes          `json:"deliveryMode,omitempty"`
	ListenFor        []string                      `json:"listenFor,omitempty"`
	TextHighlights   []schema.TextHighlight        `json:"textHighlights,omitempty"`
	SemanticAction   *schema.SemanticAction        `json:"semanticAction,omitempty"`
}

// wireReference is schema.ConversationReference without its empty objects.
type wireReference struct {
	ActivityID   string                     `json:"activityId,omitempty"`
	User         schema.ChannelAccount      `json:"user,omitzero"`
	Bot          schema.ChannelAccount      `json:"bot,omitzero"`
	Conversation schema.ConversationAccount `json:"conversation,omitzero"`
	ChannelID    string                     `json:"channelId,omitempty"`
	ServiceURL   string                     `json:"serviceUrl,omitempty"`
}

// wireParameters is schema.ConversationParameters without its empty bot
// and activity objects.
type wireParameters struct {
	IsGroup     bool                    `json:"isGroup,omitempty"`
	Bot         schema.ChannelAccount   `json:"bot,omitzero"`
	Members     []schema.ChannelAccount `json:"members,omitempty"`
	TopicName   string                  `json:"topicName,omitempty"`
	TenantID    string                  `json:"tenantId,omitempty"`
	Activity    *wireActivity           `json:"activity,omitempty"`
	ChannelData map[string]any          `json:"channelData,omitempty"`
}

// toWire converts a to its wire form.
func toWire(a schema.Activity) wireActivity {
	w := wireActivity{
		Type:             a.Type,
		ID:               a.ID,
		Timestamp:        a.Timestamp,
		LocalTimestamp:   a.LocalTimestamp,
		LocalTimezone:    a.LocalTimezone,
		ServiceURL:       a.ServiceURL,
		ChannelID:        a.ChannelID,
		From:             a.From,
		Conversation:     a.Conversation,
		Recipient:        a.Recipient,
		TextFormat:       a.TextFormat,
		AttachmentLayout: a.AttachmentLayout,
		MembersAdded:     a.MembersAdded,
		MembersRemoved:   a.MembersRemoved,
		ReactionsAdded:   a.ReactionsAdded,
		ReactionsRemoved: a.ReactionsRemoved,
		TopicName:        a.TopicName,
		HistoryDisclosed: a.HistoryDisclosed,
		Locale:           a.Locale,
		Text:             a.Text,
		Speak:            a.Speak,
		InputHint:        a.InputHint,
		Summary:          a.Summary,
		Attachments:      a.Attachments,
		Entities:         a.Entities,
		ChannelData:      a.ChannelData,
		Action:           a.Action,
		ReplyToID:        a.ReplyToID,
		Label:            a.Label,
		ValueType:        a.ValueType,
		Value:            a.Value,
		Name:             a.Name,
		Code:             a.Code,
		Expiration:       a.Expiration,
		Importance:       a.Importance,
		DeliveryMode:     a.DeliveryMode,
		ListenFor:        a.ListenFor,
		TextHighlights:   a.TextHighlights,
	}
	if len(a.SuggestedActions.To) > 0 || len(a.SuggestedActions.Actions) > 0 {
		sa := a.SuggestedActions
		w.SuggestedActions = &sa
	}
	if sa := a.SemanticAction; sa.ID != "" || sa.State != "" || len(sa.Entities) > 0 {
		w.SemanticAction = &sa
	}
	if r := a.RelatesTo; !reflect.ValueOf(r).IsZero() {
		w.RelatesTo = &wireReference{
			ActivityID:   r.ActivityID,
			User:         r.User,
			Bot:          r.Bot,
			Conversation: r.Conversation,
			ChannelID:    r.ChannelID,
			ServiceURL:   r.ServiceURL,
		}
	}
	return w
}

// toWireParameters converts p to its wire form.
func toWireParameters(p schema.ConversationParameters) wireParameters {
	w := wireParameters{
		IsGroup:     p.IsGroup,
		Bot:         p.Bot,
		Members:     p.Members,
		TopicName:   p.TopicName,
		TenantID:    p.TenantID,
		ChannelData: p.ChannelData,
	}
	if !reflect.ValueOf(p.Activity).IsZero() {
		a := toWire(p.Activity)
		w.Activity = &a
	}
	return w
}
