package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
)

// Reminders, run by the scheduler. Each is idempotent: Once remembers what
// was sent, so a second run, or another replica, sends nothing again.
//
//   - An overdue loan is reminded to its borrower on its first day late,
//     then every seven days; the technicians get one digest of the loans
//     reminded that day.
//   - A warranty or a maintenance contract ending is reminded to the
//     technicians 60 days, then 15 days before its end.

const (
	overdueStep    = 7 // days between two reminders of one loan
	reminderListed = 20
)

// recipients are the technicians (the admins when there is none).
func (b *Bot) recipients(ctx context.Context) ([]string, error) {
	all, err := b.store.ListRoleAssignments(ctx)
	if err != nil {
		return nil, err
	}
	var techs, admins []string
	for _, a := range all {
		switch a.Role {
		case domain.RoleTechnician:
			techs = append(techs, a.UserID)
		case domain.RoleAdmin:
			admins = append(admins, a.UserID)
		}
	}
	if len(techs) > 0 {
		return techs, nil
	}
	for _, id := range b.cfg.Admins {
		if !slices.Contains(admins, id) {
			admins = append(admins, id)
		}
	}
	return admins, nil
}

// langOf is the language to write to a user in.
func (b *Bot) langOf(ctx context.Context, userID string) cards.Lang {
	if u, err := b.store.User(ctx, userID); err == nil {
		return b.language(u.Language, "")
	}
	return b.language("", "")
}

// reachable reports whether Parc can write to the user: it has seen them.
// A reminder for someone Parc cannot reach yet is left for a later run.
func (b *Bot) reachable(ctx context.Context, userID string) bool {
	u, err := b.store.User(ctx, userID)
	return err == nil && (u.PersonalConversationID != "" || (u.ServiceURL != "" && u.TeamsID != ""))
}

// remindOverdue reminds the borrowers of overdue loans and tells the
// technicians. Each reminder is recorded per recipient (Once), so a
// recipient Parc cannot reach yet gets it at a later run.
func (b *Bot) remindOverdue(ctx context.Context, now time.Time) error {
	today := domain.DateOf(now, b.cfg.Location)
	loans, err := b.store.ListLoans(ctx, domain.LoanFilter{OpenOnly: true})
	if err != nil {
		return err
	}
	type late struct {
		loan       domain.Loan
		days, step int
	}
	var overdue []late
	for _, l := range loans {
		if l.Overdue(today) {
			days := l.Due.DaysUntil(today)
			overdue = append(overdue, late{l, days, (days - 1) / overdueStep})
		}
	}
	if len(overdue) == 0 {
		return nil
	}
	slices.SortFunc(overdue, func(a, b late) int { return strings.Compare(string(a.loan.Due), string(b.loan.Due)) })
	sent := 0
	for _, o := range overdue {
		if !b.reachable(ctx, o.loan.Borrower.ID) {
			continue
		}
		first, err := Once(ctx, b.store, fmt.Sprintf("loan-overdue|%s|%d|%s", o.loan.ID, o.step, o.loan.Borrower.ID), now, 60*24*time.Hour)
		if err != nil || !first {
			if err != nil {
				return err
			}
			continue
		}
		lang := b.langOf(ctx, o.loan.Borrower.ID)
		card := cards.Reminder(lang, "remind.borrower.title", "remind.borrower.intro", []cards.ReminderLine{overdueLine(lang, o.loan, o.days)}, 0)
		if err := b.notify.NotifyUser(ctx, o.loan.Borrower.ID, card); err != nil {
			b.log.Warn("overdue reminder not sent to the borrower", "loan", o.loan.ID, "err", err)
			continue
		}
		sent++
	}
	to, err := b.recipients(ctx)
	if err != nil {
		return err
	}
	for _, uid := range to {
		if !b.reachable(ctx, uid) {
			continue
		}
		fresh, err := onceEach(ctx, b.store, overdue, now, 60*24*time.Hour, func(o late) string {
			return fmt.Sprintf("loan-overdue|%s|%d|%s", o.loan.ID, o.step, uid)
		})
		if err != nil {
			return err
		}
		if len(fresh) == 0 {
			continue
		}
		lang := b.langOf(ctx, uid)
		var lines []cards.ReminderLine
		for _, o := range fresh[:min(len(fresh), reminderListed)] {
			lines = append(lines, overdueLine(lang, o.loan, o.days))
		}
		card := cards.Reminder(lang, "remind.overdue.title", "remind.overdue.intro", lines, len(fresh)-len(lines))
		if err := b.notify.NotifyUser(ctx, uid, card); err != nil {
			b.log.Warn("overdue digest not sent", "technician", uid, "err", err)
			continue
		}
		sent++
	}
	if sent > 0 {
		b.log.Info("overdue loans reminded", "overdue", len(overdue), "messages", sent)
	}
	return nil
}

func overdueLine(l cards.Lang, loan domain.Loan, late int) cards.ReminderLine {
	terminal := cards.Plain(strings.TrimSpace(loan.Terminal.Make+" "+loan.Terminal.Model), 60)
	return cards.ReminderLine{ID: loan.ID, Verb: cards.VerbLoan, Title: loan.TerminalID + " · " + loan.Borrower.Name,
		Detail: l.T("remind.line.overdue", terminal, loan.Due.French(), late)}
}

// remindEnds tells the technicians of warranties and contracts that end
// in 60 days, then 15.
func (b *Bot) remindEnds(ctx context.Context, now time.Time) error {
	today := domain.DateOf(now, b.cfg.Location)
	page, err := b.store.SearchTerminals(ctx, domain.TerminalFilter{EndsAfter: today, EndsBefore: today.AddDays(60)})
	if err != nil {
		return err
	}
	type due struct {
		s          domain.TerminalSummary
		kind       string // warranty or contract
		end        domain.Date
		days, step int
	}
	var ending []due
	for _, s := range page.Items {
		for _, d := range []due{{s: s, kind: "warranty", end: s.WarrantyEnd}, {s: s, kind: "contract", end: s.ContractEnd}} {
			if d.end == "" || d.end < today {
				continue
			}
			d.days = today.DaysUntil(d.end)
			switch {
			case d.days <= 15:
				d.step = 15
			case d.days <= 60:
				d.step = 60
			default:
				continue
			}
			ending = append(ending, d)
		}
	}
	if len(ending) == 0 {
		return nil
	}
	slices.SortFunc(ending, func(a, b due) int { return strings.Compare(string(a.end), string(b.end)) })
	to, err := b.recipients(ctx)
	if err != nil {
		return err
	}
	for _, uid := range to {
		if !b.reachable(ctx, uid) {
			continue
		}
		fresh, err := onceEach(ctx, b.store, ending, now, 400*24*time.Hour, func(d due) string {
			return fmt.Sprintf("end|%s|%s|%s|%d|%s", d.s.ID, d.kind, d.end, d.step, uid)
		})
		if err != nil {
			return err
		}
		if len(fresh) == 0 {
			continue
		}
		lang := b.langOf(ctx, uid)
		var lines []cards.ReminderLine
		for _, d := range fresh[:min(len(fresh), reminderListed)] {
			detail := lang.T("remind.line.warranty", d.end.French(), d.days)
			if d.kind == "contract" {
				detail = lang.T("remind.line.contract", d.end.French(), d.days)
			}
			lines = append(lines, cards.ReminderLine{ID: d.s.ID, Verb: cards.VerbTerminal,
				Title: d.s.ID + " · " + cards.Plain(strings.TrimSpace(d.s.Make+" "+d.s.Model), 60), Detail: detail})
		}
		card := cards.Reminder(lang, "remind.end.title", "remind.end.intro", lines, len(fresh)-len(lines))
		if err := b.notify.NotifyUser(ctx, uid, card); err != nil {
			b.log.Warn("warranty reminder not sent", "technician", uid, "err", err)
			continue
		}
		b.log.Info("warranty and contract reminders sent", "technician", uid, "terminals", len(fresh))
	}
	return nil
}
