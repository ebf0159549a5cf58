package bot

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
)

// WriteLicenceText prints a run as a terminal reads it (parc licences run
// --dry-run): each establishment's table and findings, then the report.
func WriteLicenceText(w io.Writer, l cards.Lang, res LicenceRunResult, loc *time.Location) error {
	for _, s := range res.Summaries {
		writeSummaryText(w, l, s, res.Run.Month, loc)
	}
	return writeReportText(w, l, res.Run, loc)
}

func writeSummaryText(w io.Writer, l cards.Lang, s domain.LicenceSummary, month string, loc *time.Location) {
	title := l.T("licence.summary.title", s.Name)
	fmt.Fprintf(w, "%s\n%s\n%s\n\n", title, strings.Repeat("=", len([]rune(title))),
		l.T("licence.summary.subtitle", cards.MonthLabel(l, month), len(s.Accounts), cards.When(l, s.GeneratedAt, loc)))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join([]string{l.T("licence.col.surname"), l.T("licence.col.given"), l.T("licence.col.email"),
		l.T("licence.col.job"), l.T("licence.col.licences"), l.T("licence.col.price"), l.T("licence.col.total")}, "\t"))
	for _, a := range s.Accounts {
		name := strings.ToUpper(a.Surname)
		if !a.Enabled {
			name += " (" + l.T("licence.disabled") + ")"
		}
		lic := strings.Join(licenceNames(a), ", ")
		if lic == "" {
			lic = l.T("licence.none")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", name, a.GivenName, a.Email, a.JobTitle, lic, strings.Join(licencePrices(l, a), ", "), cards.Euros(l, a.Cost))
	}
	tw.Flush()
	fmt.Fprintf(w, "\n%s\n", l.T("licence.summary.licences"))
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, t := range s.Totals {
		total := l.T("licence.na")
		if t.Priced {
			total = cards.Euros(l, t.Total)
		}
		fmt.Fprintf(tw, "  %s\t%d\t× %s\t= %s\n", t.Name, t.Count, cards.PriceOf(l, t.SkuInfo), total)
	}
	cost := cards.Euros(l, s.Total)
	if s.Unpriced {
		cost = l.T("licence.summary.cost.na", cost)
	}
	fmt.Fprintf(tw, "  %s\t%d\t\t= %s\n", l.T("licence.total"), len(s.Accounts), cost)
	tw.Flush()
	names := func(idx []int) []string {
		var out []string
		for _, i := range idx {
			out = append(out, s.Accounts[i].Name())
		}
		return out
	}
	var findings []string
	if n := len(s.DisabledPaid); n > 0 {
		findings = append(findings, l.T("licence.find.disabled", n, strings.Join(names(s.DisabledPaid), ", ")))
	}
	if n := len(s.Overlaps); n > 0 {
		var items []string
		for _, o := range s.Overlaps {
			items = append(items, l.T("licence.find.overlap", s.Accounts[o.Account].Name(), o.A.Name, o.B.Name))
		}
		findings = append(findings, l.T("licence.find.overlaps", n, strings.Join(items, ", ")))
	}
	if n := len(s.UnknownSkus); n > 0 {
		var items []string
		for _, u := range s.UnknownSkus {
			items = append(items, u.Name+" ("+cards.PriceOf(l, u.SkuInfo)+")")
		}
		findings = append(findings, l.T("licence.find.unknown", n, strings.Join(items, ", ")))
	}
	if n := len(s.Unlicensed); n > 0 {
		findings = append(findings, l.T("licence.find.unlicensed", n, strings.Join(names(s.Unlicensed), ", ")))
	}
	if c := s.Changes; c != nil && !c.Empty() {
		findings = append(findings, l.T("licence.changes.cost", cards.Euros(l, c.CostBefore), cards.Euros(l, c.CostAfter), cards.SignedEuros(l, c.Difference())))
	}
	if len(findings) > 0 {
		fmt.Fprintf(w, "\n%s\n", l.T("licence.summary.findings"))
		for _, f := range findings {
			fmt.Fprintf(w, "  - %s\n", f)
		}
	}
	fmt.Fprintln(w)
}

func writeReportText(w io.Writer, l cards.Lang, r domain.LicenceRun, loc *time.Location) error {
	title := l.T("licence.report.title")
	fmt.Fprintf(w, "%s\n%s\n%s\n\n", title, strings.Repeat("=", len([]rune(title))), l.T("licence.report.subtitle", cards.MonthLabel(l, r.Month), r.ID, cards.TriggerText(l, r)))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", l.T("licence.report.col.est"), l.T("licence.report.col.accounts"), l.T("licence.report.col.time"), l.T("licence.report.col.cost"), l.T("licence.report.col.post"))
	for _, e := range r.Establishments {
		if e.Error != "" {
			fmt.Fprintf(tw, "%s\t%s\t%s\t\t%s\n", e.Name, l.T("licence.report.error"), l.T("licence.report.error"), e.Error)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.Name, l.T("licence.report.counts", e.Processed, e.Found), cards.Duration(e.Duration()), cards.Euros(l, e.Total), cards.PostText(l, e))
	}
	found, processed, failed, total, spent := r.Totals()
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", l.T("licence.total"), l.T("licence.report.counts", processed, found), cards.Duration(spent), cards.Euros(l, total))
	if err := tw.Flush(); err != nil {
		return err
	}
	if r.Error != "" {
		fmt.Fprintf(w, "\n%s\n", r.Error)
	}
	if r.ReportError != "" {
		fmt.Fprintf(w, "\n%s\n", l.T("licence.report.post_error", r.ReportError))
	}
	var free []string
	for _, s := range r.Skus {
		if n := s.Enabled - s.Consumed; n > 0 {
			free = append(free, fmt.Sprintf("  %s\t%d\t%d\t%d", s.Name, s.Enabled, s.Consumed, n))
		}
	}
	if len(free) > 0 {
		fmt.Fprintf(w, "\n%s\n", l.T("licence.report.seats"))
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", l.T("licence.summary.col.licence"), l.T("licence.report.seats.col.bought"), l.T("licence.report.seats.col.used"), l.T("licence.report.seats.col.free"))
		for _, f := range free {
			fmt.Fprintln(tw, f)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if failed > 0 {
		fmt.Fprintf(w, "\n%s\n", l.T("licence.report.failed", failed, len(r.Establishments)))
	}
	return nil
}
