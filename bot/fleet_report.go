package bot

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"
)

// Signed routes of the fleet report: the chart shown in the card and the
// spreadsheet to download. The link carries the establishment, the period
// and the language, and expires.
const (
	chartRoute = "/fleet/report/chart.png"
	xlsxRoute  = "/fleet/report/report.xlsx"
	reportTTL  = 7 * 24 * time.Hour
)

// fleetReport is the report card over the last months (1, 3 or 12).
func (b *Bot) fleetReport(t *Turn, months int) (cards.Card, error) {
	if months != 3 && months != 12 {
		months = 1
	}
	return b.withEstablishment(t, func(est domain.Establishment) (cards.Card, error) {
		period := domain.MonthPeriod(t.Now.In(t.Location()).AddDate(0, -(months-1), 0), t.Now, t.Location())
		rep, err := b.buildReport(t.Ctx, est.Code, period, t.Now)
		if err != nil {
			return cards.Card{}, err
		}
		q := url.Values{"est": {est.Code}, "from": {strconv.FormatInt(period.Start.Unix(), 10)},
			"to": {strconv.FormatInt(period.End.Unix(), 10)}, "lang": {string(t.Lang)}}
		exp := t.Now.Add(reportTTL)
		return cards.FleetReportCard(t.Lang, t.fleetTime(), est.Name, rep, months,
			b.links.Sign(chartRoute, q, exp), b.links.Sign(xlsxRoute, q, exp)), nil
	})
}

func (b *Bot) buildReport(ctx context.Context, est string, period domain.Interval, now time.Time) (domain.FleetReport, error) {
	fleet, err := b.store.Fleet(ctx, est)
	if err != nil {
		return domain.FleetReport{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	cars := make([]domain.Car, 0, len(fleet))
	for _, st := range fleet {
		cars = append(cars, st.Car)
	}
	res, err := b.store.ReservationsBetween(ctx, est, period.Start, period.End)
	if err != nil {
		return domain.FleetReport{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	maint, err := b.store.ListMaintenance(ctx, est, period.Start, period.End)
	if err != nil {
		return domain.FleetReport{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	return domain.BuildFleetReport(est, period, cars, res, maint, now, b.cfg.Location), nil
}

// reportLink reads and checks a signed report link.
type reportLink struct {
	est    domain.Establishment
	period domain.Interval
	lang   cards.Lang
}

func (b *Bot) readReportLink(c *gin.Context) (reportLink, bool) {
	q, err := b.links.Verify(c.Request, b.clock.Now())
	if err != nil {
		c.String(http.StatusForbidden, "invalid or expired link\n")
		return reportLink{}, false
	}
	from, err1 := strconv.ParseInt(q.Get("from"), 10, 64)
	to, err2 := strconv.ParseInt(q.Get("to"), 10, 64)
	est, err3 := b.store.Establishment(c.Request.Context(), q.Get("est"))
	if err1 != nil || err2 != nil || err3 != nil {
		c.String(http.StatusNotFound, "not found\n")
		return reportLink{}, false
	}
	l, ok := cards.ParseLang(q.Get("lang"))
	if !ok {
		l = cards.FR
	}
	return reportLink{est: est, period: domain.Interval{Start: time.Unix(from, 0).UTC(), End: time.Unix(to, 0).UTC()}, lang: l}, true
}

// serveChart draws the chart of monthly use.
func (b *Bot) serveChart(c *gin.Context) {
	link, ok := b.readReportLink(c)
	if !ok {
		return
	}
	rep, err := b.buildReport(c.Request.Context(), link.est.Code, link.period, b.clock.Now())
	if err != nil {
		b.log.Error("fleet chart", "err", err)
		c.String(http.StatusServiceUnavailable, "unavailable\n")
		return
	}
	png, err := drawUsageChart(link.lang, rep)
	if err != nil {
		b.log.Error("fleet chart", "err", err)
		c.String(http.StatusInternalServerError, "error\n")
		return
	}
	c.Header("Cache-Control", "private, max-age=300")
	c.Data(http.StatusOK, "image/png", png)
}

// serveReportXLSX writes the report as a spreadsheet.
func (b *Bot) serveReportXLSX(c *gin.Context) {
	link, ok := b.readReportLink(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	rep, err := b.buildReport(ctx, link.est.Code, link.period, b.clock.Now())
	if err == nil {
		var res []domain.Reservation
		if res, err = b.store.ReservationsBetween(ctx, link.est.Code, link.period.Start, link.period.End); err == nil {
			var data []byte
			if data, err = reportXLSX(link.lang, b.cfg.Location, link.est, rep, res); err == nil {
				name := fmt.Sprintf("parc-voitures-%s-%s.xlsx", link.est.Code, link.period.Start.In(b.cfg.Location).Format("2006-01"))
				c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
				c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data)
				return
			}
		}
	}
	b.log.Error("fleet report xlsx", "err", err)
	c.String(http.StatusServiceUnavailable, "unavailable\n")
}

// reportXLSX writes three sheets: the cars, the months and every
// reservation of the period.
func reportXLSX(l cards.Lang, loc *time.Location, est domain.Establishment, rep domain.FleetReport, res []domain.Reservation) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	cars, months, list := l.T("fleet.report.sheet.cars"), l.T("fleet.report.sheet.months"), l.T("fleet.report.sheet.res")
	if err := f.SetSheetName("Sheet1", cars); err != nil {
		return nil, err
	}
	for _, s := range []string{months, list} {
		if _, err := f.NewSheet(s); err != nil {
			return nil, err
		}
	}
	euros := func(c int64) float64 { return float64(c) / 100 }
	rows := [][]any{{l.T("fleet.fact.plate"), l.T("fleet.fact.car"), l.T("fleet.report.count"), l.T("fleet.report.hours"),
		l.T("fleet.report.km"), l.T("fleet.report.maintenance"), l.T("fleet.report.expenses")}}
	for _, u := range rep.Cars {
		rows = append(rows, []any{u.Plate, u.CarName, u.Reservations, u.Hours, u.Km, euros(u.MaintenanceCents), euros(u.ExpenseCents)})
	}
	t := rep.Total
	rows = append(rows, []any{l.T("fleet.report.total"), est.Name, t.Reservations, t.Hours, t.Km, euros(t.MaintenanceCents), euros(t.ExpenseCents)})
	if err := writeRows(f, cars, rows); err != nil {
		return nil, err
	}
	rows = [][]any{{l.T("fleet.report.col.month"), l.T("fleet.report.count"), l.T("fleet.report.hours")}}
	for _, m := range rep.Months {
		rows = append(rows, []any{m.Month.Format("2006-01"), m.Reservations, m.Hours})
	}
	if err := writeRows(f, months, rows); err != nil {
		return nil, err
	}
	rows = [][]any{{l.T("fleet.fact.reference"), l.T("fleet.fact.plate"), l.T("fleet.report.col.user"), l.T("fleet.report.col.start"),
		l.T("fleet.report.col.end"), l.T("fleet.report.hours"), l.T("fleet.report.km"), l.T("fleet.report.expenses"), l.T("fleet.fact.purpose")}}
	for _, r := range res {
		if r.Status != domain.ReservationActive {
			continue
		}
		km := 0
		if r.Handback != nil {
			km = r.Handback.Km()
		}
		rows = append(rows, []any{r.ID, r.Plate, r.UserName, r.Start.In(loc).Format("2006-01-02 15:04"), r.End.In(loc).Format("2006-01-02 15:04"),
			r.Duration().Hours(), km, euros(r.ExpensesCents()), r.Purpose})
	}
	if err := writeRows(f, list, rows); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeRows(f *excelize.File, sheet string, rows [][]any) error {
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return err
		}
	}
	return nil
}
