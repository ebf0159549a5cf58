package bot

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"
)

// The full table of a summary, as the old e-mail had it and more: one row
// per account with NOM, PRÉNOM, EMAIL, POSTE, ÉTABLISSEMENT, LICENCES,
// TARIF HT, TOTAL HT and ÉTAT; a sheet of totals per licence; with a run,
// a sheet of the run report.

// accountHeader is the columns of the accounts' table.
func accountHeader(l cards.Lang) []string {
	return []string{l.T("licence.col.surname"), l.T("licence.col.given"), l.T("licence.col.email"), l.T("licence.col.job"),
		l.T("licence.col.establishment"), l.T("licence.col.licences"), l.T("licence.col.price"), l.T("licence.col.total"), l.T("licence.col.state")}
}

func licenceNames(a domain.AccountLine) []string {
	out := make([]string, 0, len(a.Licences))
	for _, x := range a.Licences {
		out = append(out, x.Name)
	}
	return out
}

func licencePrices(l cards.Lang, a domain.AccountLine) []string {
	out := make([]string, 0, len(a.Licences))
	for _, x := range a.Licences {
		out = append(out, cards.PriceOf(l, x))
	}
	return out
}

func stateOf(l cards.Lang, a domain.AccountLine) string {
	if a.Enabled {
		return l.T("licence.state.enabled")
	}
	return l.T("licence.state.disabled")
}

// WriteLicenceWorkbook writes summaries (and run, when not nil) as an
// XLSX workbook.
func WriteLicenceWorkbook(w io.Writer, l cards.Lang, run *domain.LicenceRun, summaries []domain.LicenceSummary) error {
	f := excelize.NewFile()
	defer f.Close()
	accounts := l.T("licence.sheet.accounts")
	if err := f.SetSheetName("Sheet1", accounts); err != nil {
		return err
	}
	wrap, _ := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	head, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	money, _ := f.NewStyle(&excelize.Style{CustomNumFmt: ptr(`#,##0.00\ "€"`), Alignment: &excelize.Alignment{Vertical: "top"}})
	sw, err := f.NewStreamWriter(accounts)
	if err != nil {
		return err
	}
	_ = sw.SetColWidth(1, 2, 18)
	_ = sw.SetColWidth(3, 3, 34)
	_ = sw.SetColWidth(4, 5, 28)
	_ = sw.SetColWidth(6, 6, 36)
	_ = sw.SetColWidth(7, 9, 14)
	row := 1
	put := func(values ...any) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(cell, values)
	}
	var header []any
	for _, h := range accountHeader(l) {
		header = append(header, excelize.Cell{StyleID: head, Value: h})
	}
	if err := put(header...); err != nil {
		return err
	}
	for _, s := range summaries {
		for _, a := range s.Accounts {
			if err := put(
				excelize.Cell{StyleID: wrap, Value: strings.ToUpper(a.Surname)}, excelize.Cell{StyleID: wrap, Value: a.GivenName},
				excelize.Cell{StyleID: wrap, Value: a.Email}, excelize.Cell{StyleID: wrap, Value: a.JobTitle},
				excelize.Cell{StyleID: wrap, Value: s.Name},
				excelize.Cell{StyleID: wrap, Value: strings.Join(licenceNames(a), "\n")},
				excelize.Cell{StyleID: wrap, Value: strings.Join(licencePrices(l, a), "\n")},
				excelize.Cell{StyleID: money, Value: euros(a.Cost)},
				excelize.Cell{StyleID: wrap, Value: stateOf(l, a)},
			); err != nil {
				return err
			}
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if err := totalsSheet(f, l, summaries, head, money); err != nil {
		return err
	}
	if run != nil {
		if err := reportSheet(f, l, *run, head, money); err != nil {
			return err
		}
	}
	return f.Write(w)
}

func totalsSheet(f *excelize.File, l cards.Lang, summaries []domain.LicenceSummary, head, money int) error {
	name := l.T("licence.sheet.totals")
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	rows := [][]any{{l.T("licence.col.establishment"), l.T("licence.summary.col.licence"), l.T("licence.col.part"), l.T("licence.col.count"), l.T("licence.summary.col.unit"), l.T("licence.col.total")}}
	for _, s := range summaries {
		for _, t := range s.Totals {
			var unit, total any = l.T("licence.na"), l.T("licence.na")
			if t.Priced {
				unit, total = euros(t.Price), euros(t.Total)
			}
			rows = append(rows, []any{s.Name, t.Name, t.PartNumber, t.Count, unit, total})
		}
		rows = append(rows, []any{s.Name, l.T("licence.total"), "", len(s.Accounts), "", euros(s.Total)})
	}
	return fillSheet(f, name, rows, head, money, []int{5, 6})
}

func reportSheet(f *excelize.File, l cards.Lang, r domain.LicenceRun, head, money int) error {
	name := l.T("licence.sheet.report")
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	rows := [][]any{{l.T("licence.report.col.est"), l.T("licence.report.col.accounts"), l.T("licence.report.col.time"), l.T("licence.report.col.cost"), l.T("licence.report.col.post")}}
	for _, e := range r.Establishments {
		if e.Error != "" {
			rows = append(rows, []any{e.Name, l.T("licence.report.error"), l.T("licence.report.error"), "", e.Error})
			continue
		}
		rows = append(rows, []any{e.Name, l.T("licence.report.counts", e.Processed, e.Found), cards.Duration(e.Duration()), euros(e.Total), cards.PostText(l, e)})
	}
	found, processed, _, total, spent := r.Totals()
	rows = append(rows, []any{l.T("licence.total"), l.T("licence.report.counts", processed, found), cards.Duration(spent), euros(total), ""})
	return fillSheet(f, name, rows, head, money, []int{4})
}

// fillSheet writes rows, the first as a header, money in the columns
// moneyCols (1-based).
func fillSheet(f *excelize.File, sheet string, rows [][]any, head, money int, moneyCols []int) error {
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return err
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(rows[0]), 1)
	if err := f.SetCellStyle(sheet, "A1", last, head); err != nil {
		return err
	}
	for _, c := range moneyCols {
		from, _ := excelize.CoordinatesToCellName(c, 2)
		to, _ := excelize.CoordinatesToCellName(c, len(rows))
		if err := f.SetCellStyle(sheet, from, to, money); err != nil {
			return err
		}
	}
	return f.SetColWidth(sheet, "A", "F", 24)
}

func euros(m domain.Money) float64 { return float64(m) / 100 }

func ptr[T any](v T) *T { return &v }

// WriteLicenceCSV writes the accounts' table as CSV for a French
// spreadsheet: UTF-8 with a byte-order mark, ";" between fields, a
// decimal comma in French.
func WriteLicenceCSV(w io.Writer, l cards.Lang, summaries []domain.LicenceSummary) error {
	if _, err := w.Write([]byte{0xEF, 0xBB, 0xBF}); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.Write(accountHeader(l)); err != nil {
		return err
	}
	for _, s := range summaries {
		for _, a := range s.Accounts {
			cost := a.Cost.Euros()
			if l == cards.FR {
				cost = strings.Replace(cost, ".", ",", 1)
			}
			if err := cw.Write([]string{strings.ToUpper(a.Surname), a.GivenName, a.Email, a.JobTitle, s.Name,
				strings.Join(licenceNames(a), " + "), strings.Join(licencePrices(l, a), " + "), cost, stateOf(l, a)}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// serveLicenceExport answers a signed download link: the XLSX or CSV of
// one establishment's summary of one run.
func (b *Bot) serveLicenceExport(c *gin.Context) {
	q, err := b.links.Verify(c.Request, b.clock.Now())
	l := cards.FR
	if lang, ok := cards.ParseLang(c.Query("lang")); ok {
		l = lang
	}
	if err != nil {
		c.String(http.StatusForbidden, l.T("licence.link.expired"))
		return
	}
	runID, code, format := q.Get("run"), q.Get("code"), q.Get("format")
	report, err := b.store.LicenceReport(c.Request.Context(), runID, code)
	if err != nil {
		status := http.StatusServiceUnavailable
		if domain.IsNotFound(err) {
			status = http.StatusNotFound
		}
		b.log.Warn("licence export unavailable", "run", runID, "establishment", code, "err", err)
		c.String(status, l.T("err.licence.report_unknown", code, runID))
		return
	}
	s := domain.SummarizeLicences(report, nil, nil)
	month := domain.LicenceMonth(report.GeneratedAt, b.cfg.Location)
	name := fmt.Sprintf("licences-%s-%s.%s", code, month, format)
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "private, no-store")
	switch format {
	case "xlsx":
		c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		err = WriteLicenceWorkbook(c.Writer, l, nil, []domain.LicenceSummary{s})
	case "csv":
		c.Header("Content-Type", "text/csv; charset=utf-8")
		err = WriteLicenceCSV(c.Writer, l, []domain.LicenceSummary{s})
	default:
		err = errors.New("unknown format")
		c.String(http.StatusBadRequest, l.T("licence.link.expired"))
	}
	if err != nil {
		b.log.Error("licence export failed", "run", runID, "establishment", code, "format", format, "err", err)
	}
}
