package domain

import (
	"context"
	"regexp"
	"strings"
	"time"
)

// Establishment is one of the organisation's establishments (DITEP
// Saint-François, ANRAS siège social...). Establishments are data: an admin
// adds one from the bot or with `parc establishments`, no code change.
//
// Code is short, upper-case letters, digits and dashes ("DITEP-STF"); it
// appears in commands ("lier DITEP-STF") and never changes. Staff belong to
// the establishment through its Entra groups; its IT correspondents read
// the monthly licence summary in the Teams channel bound to it.
type Establishment struct {
	Code string `json:"code"`
	Name string `json:"name"`
	// StaffGroupIDs are the Entra groups (object ids) of its staff.
	StaffGroupIDs []string `json:"staffGroupIds,omitempty"`
	// CorrespondentGroupID is the Entra group of its IT correspondents.
	CorrespondentGroupID string `json:"correspondentGroupId,omitempty"`
	// ChannelID is the conversation id of the Teams channel bound with
	// "lier CODE" (its reference is in the ConversationRepository).
	ChannelID string    `json:"channelId,omitempty"`
	UpdatedAt time.Time `json:"updatedAt"`
	UpdatedBy string    `json:"updatedBy,omitempty"`
}

var establishmentCodeRe = regexp.MustCompile(`^[A-Z0-9]+(-[A-Z0-9]+)*$`)

// NormalizeEstablishmentCode upper-cases and trims a code as users type it.
func NormalizeEstablishmentCode(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// Validate checks the establishment's rules: a code of 2 to 20 upper-case
// letters, digits and dashes, and a name.
func (e Establishment) Validate() error {
	if len(e.Code) < 2 || len(e.Code) > 20 || !establishmentCodeRe.MatchString(e.Code) {
		return Errorf(EINVALID, "err.establishment.code", e.Code)
	}
	if strings.TrimSpace(e.Name) == "" || len(e.Name) > 120 {
		return Errorf(EINVALID, "err.establishment.name")
	}
	return nil
}

// HasStaffGroup reports whether groupID is one of the staff groups.
func (e Establishment) HasStaffGroup(groupID string) bool {
	for _, g := range e.StaffGroupIDs {
		if strings.EqualFold(g, groupID) {
			return true
		}
	}
	return false
}

// EstablishmentRepository stores establishments.
//
// CreateEstablishment returns ECONFLICT when the code exists.
// Establishment and DeleteEstablishment return ENOTFOUND for an unknown
// code. UpdateEstablishment applies fn atomically to an existing
// establishment (ENOTFOUND otherwise); fn may run several times.
// ListEstablishments returns them sorted by code.
type EstablishmentRepository interface {
	CreateEstablishment(ctx context.Context, e Establishment) error
	Establishment(ctx context.Context, code string) (Establishment, error)
	UpdateEstablishment(ctx context.Context, code string, fn func(*Establishment) error) (Establishment, error)
	DeleteEstablishment(ctx context.Context, code string) error
	ListEstablishments(ctx context.Context) ([]Establishment, error)
}
