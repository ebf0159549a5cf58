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

// remindOverdue reminds the borrowers of overdue loans and tells the
// technicians.
func (b *Bot) remindOverdue(ctx context.Context, now time.Time) error {
	loc := b.cfg.Location
	today := domain.DateOf(now, loc)
	loans, err := b.store.ListLoans(ctx, domain.LoanFilter{OpenOnly: true})
	if err != nil {
		return err
	}
	var reminded []domain.Loan
	var failures []string
	for _, l := range loans {
		if !l.Overdue(today) {
			continue
		}
		late := l.Due.DaysUntil(today)
		step := (late - 1) / overdueStep
		first, err := Once(ctx, b.store, fmt.Sprintf("loan-overdue|%s|%d", l.ID, step), now, 60*24*time.Hour)
		if err != nil {
			return err
		}
		if !first {
			continue
		}
		reminded = append(reminded, l)
		lang := b.langOf(ctx, l.Borrower.ID)
		card := cards.Reminder(lang, "remind.borrower.title", "remind.borrower.intro", []cards.ReminderLine{overdueLine(lang, l, late)}, 0)
		if err := b.notify.NotifyUser(ctx, l.Borrower.ID, card); err != nil {
			b.log.Warn("overdue reminder not sent to the borrower", "loan", l.ID, "err", err)
			failures = append(failures, l.ID)
		}
	}
	if len(reminded) == 0 {
		return nil
	}
	slices.SortFunc(reminded, func(a, b domain.Loan) int { return strings.Compare(string(a.Due), string(b.Due)) })
	to, err := b.recipients(ctx)
	if err != nil {
		return err
	}
	for _, uid := range to {
		lang := b.langOf(ctx, uid)
		var lines []cards.ReminderLine
		for _, l := range reminded[:min(len(reminded), reminderListed)] {
			lines = append(lines, overdueLine(lang, l, l.Due.DaysUntil(today)))
		}
		card := cards.Reminder(lang, "remind.overdue.title", "remind.overdue.intro", lines, len(reminded)-len(lines))
		if err := b.notify.NotifyUser(ctx, uid, card); err != nil {
			b.log.Warn("overdue digest not sent", "technician", uid, "err", err)
		}
	}
	b.log.Info("overdue loans reminded", "loans", len(reminded), "borrowers_unreached", len(failures))
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
		s        domain.TerminalSummary
		contract bool
		end      domain.Date
		days     int
	}
	var fire []due
	for _, s := range page.Items {
		for _, d := range []due{{s: s, end: s.WarrantyEnd}, {s: s, contract: true, end: s.ContractEnd}} {
			if d.end == "" || d.end < today {
				continue
			}
			d.days = today.DaysUntil(d.end)
			step := 0
			switch {
			case d.days <= 15:
				step = 15
			case d.days <= 60:
				step = 60
			default:
				continue
			}
			kind := "warranty"
			if d.contract {
				kind = "contract"
			}
			first, err := Once(ctx, b.store, fmt.Sprintf("end|%s|%s|%s|%d", s.ID, kind, d.end, step), now, 400*24*time.Hour)
			if err != nil {
				return err
			}
			if first {
				fire = append(fire, d)
			}
		}
	}
	if len(fire) == 0 {
		return nil
	}
	slices.SortFunc(fire, func(a, b due) int { return strings.Compare(string(a.end), string(b.end)) })
	to, err := b.recipients(ctx)
	if err != nil {
		return err
	}
	for _, uid := range to {
		lang := b.langOf(ctx, uid)
		var lines []cards.ReminderLine
		for _, d := range fire[:min(len(fire), reminderListed)] {
			detail := lang.T("remind.line.warranty", d.end.French(), d.days)
			if d.contract {
				detail = lang.T("remind.line.contract", d.end.French(), d.days)
			}
			lines = append(lines, cards.ReminderLine{ID: d.s.ID, Verb: cards.VerbTerminal,
				Title: d.s.ID + " · " + strings.TrimSpace(d.s.Make+" "+d.s.Model), Detail: detail})
		}
		card := cards.Reminder(lang, "remind.end.title", "remind.end.intro", lines, len(fire)-len(lines))
		if err := b.notify.NotifyUser(ctx, uid, card); err != nil {
			b.log.Warn("warranty reminder not sent", "technician", uid, "err", err)
		}
	}
	b.log.Info("warranty and contract reminders sent", "terminals", len(fire))
	return nil
}
