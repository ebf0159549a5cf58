// Package inventory reads the IT department's inventory spreadsheet (the
// Excel sheet of section 4.4.3 of the seed, as xlsx or csv) and plans its
// import: which terminals are new, which change and how, which rows are
// refused and why. It bounds everything it reads, so that a hostile file
// (a zip bomb, fifty thousand empty rows, huge cells) is refused with a
// clear message instead of exhausting the bot.
package inventory

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/anras/parc/domain"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

// Bounds of what a file may hold.
const (
	// MaxDataRows is the most terminal rows an import takes.
	MaxDataRows = 10000
	// MaxScannedRows is the most rows read, empty ones included: past it
	// the file is refused rather than read on.
	MaxScannedRows = 12000
	// MaxColumns is the most cells read in a row.
	MaxColumns = 30
	// MaxCellRunes bounds a cell; a longer one makes its row invalid.
	MaxCellRunes = 200
	// headerSearchRows is how far down the header row may be.
	headerSearchRows = 20
	// unzip limits: an xlsx of at most 1 MiB that claims more than this
	// once unpacked is a zip bomb.
	unzipLimit    = 32 << 20
	unzipXMLLimit = 16 << 20
)

// Cell is one cell as read: its text and whether it held a formula.
type Cell struct {
	Text    string
	Formula bool
}

// RawRow is a row of the file: its line (row number in the sheet, line in
// the csv) and its cells.
type RawRow struct {
	Line  int
	Cells []Cell
}

// Read reads the rows of an xlsx or csv file, chosen by the file's name and
// checked against its content. It returns a domain.Error (EINVALID, with a
// catalogue key) for a file it will not read.
func Read(name string, data []byte) ([]RawRow, error) {
	if len(data) > domain.MaxImportFileBytes {
		return nil, domain.Errorf(domain.EINVALID, "err.import.too_big", domain.MaxImportFileBytes>>20)
	}
	ext := strings.ToLower(filepath.Ext(name))
	isZip := bytes.HasPrefix(data, []byte("PK\x03\x04"))
	switch {
	case ext == ".xlsx" || ext == ".xlsm" || (ext == "" && isZip):
		if !isZip {
			return nil, domain.Errorf(domain.EINVALID, "err.import.format")
		}
		return readXLSX(data)
	case ext == ".csv" || ext == ".txt":
		if isZip || bytes.IndexByte(data, 0) >= 0 {
			return nil, domain.Errorf(domain.EINVALID, "err.import.format")
		}
		return readCSV(data)
	}
	return nil, domain.Errorf(domain.EINVALID, "err.import.format")
}

func readXLSX(data []byte) (rows []RawRow, err error) {
	defer func() {
		// excelize is a large parser of untrusted input: a panic in it is
		// a file it cannot read, not a crash of the bot.
		if r := recover(); r != nil {
			rows, err = nil, domain.Wrap(fmt.Errorf("excelize panic: %v", r), domain.EINVALID, "err.import.unreadable", "format")
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: unzipLimit, UnzipXMLSizeLimit: unzipXMLLimit})
	if err != nil {
		return nil, domain.Wrap(err, domain.EINVALID, "err.import.unreadable", shortReason(err))
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, domain.Errorf(domain.EINVALID, "err.import.no_sheet")
	}
	sheet := sheets[0]
	if i := f.GetActiveSheetIndex(); i >= 0 && i < len(sheets) {
		sheet = sheets[i]
	}
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, domain.Wrap(err, domain.EINVALID, "err.import.unreadable", shortReason(err))
	}
	defer it.Close()
	line := 0
	for it.Next() {
		line++
		if line > MaxScannedRows {
			return nil, domain.Errorf(domain.EINVALID, "err.import.too_many_rows", MaxScannedRows)
		}
		cols, err := it.Columns()
		if err != nil {
			return nil, domain.Wrap(err, domain.EINVALID, "err.import.unreadable", shortReason(err))
		}
		if len(cols) > MaxColumns {
			cols = cols[:MaxColumns]
		}
		if isBlank(cols) {
			continue
		}
		row := RawRow{Line: line, Cells: make([]Cell, len(cols))}
		for i, c := range cols {
			row.Cells[i].Text = c
		}
		rows = append(rows, row)
	}
	if err := it.Error(); err != nil {
		if errors.Is(err, excelize.ErrMaxRows) {
			return nil, domain.Errorf(domain.EINVALID, "err.import.too_many_rows", MaxScannedRows)
		}
		return nil, domain.Wrap(err, domain.EINVALID, "err.import.unreadable", shortReason(err))
	}
	// Formulas: the streaming reader gives cached values only; ask the
	// sheet which of the cells read hold a formula.
	for ri := range rows {
		for ci := range rows[ri].Cells {
			if rows[ri].Cells[ci].Text == "" {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(ci+1, rows[ri].Line)
			if formula, err := f.GetCellFormula(sheet, cell); err == nil && formula != "" {
				rows[ri].Cells[ci].Formula = true
			}
		}
	}
	return rows, nil
}

// shortReason keeps an error's first line, bounded, for the user.
func shortReason(err error) string {
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	r := []rune(msg)
	if len(r) > 80 {
		msg = string(r[:80]) + "…"
	}
	return msg
}

func isBlank(cols []string) bool {
	for _, c := range cols {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// readCSV reads a csv as Excel writes it: UTF-8 (with or without BOM) or
// Windows-1252 (Excel's "CSV (séparateur : point-virgule)"), separated by
// semicolons, commas or tabs (whichever the header line uses most).
func readCSV(data []byte) ([]RawRow, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		dec, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err != nil {
			return nil, domain.Errorf(domain.EINVALID, "err.import.format")
		}
		data = dec
	}
	first := data
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	comma := ';'
	best := bytes.Count(first, []byte(";"))
	for _, c := range []rune{',', '\t'} {
		if n := bytes.Count(first, []byte(string(c))); n > best {
			comma, best = c, n
		}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var rows []RawRow
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, domain.Wrap(err, domain.EINVALID, "err.import.csv", pe.StartLine)
			}
			return nil, domain.Wrap(err, domain.EINVALID, "err.import.csv", line)
		}
		if line > MaxScannedRows {
			return nil, domain.Errorf(domain.EINVALID, "err.import.too_many_rows", MaxScannedRows)
		}
		if len(rec) > MaxColumns {
			rec = rec[:MaxColumns]
		}
		if isBlank(rec) {
			continue
		}
		row := RawRow{Line: line, Cells: make([]Cell, len(rec))}
		for i, c := range rec {
			// A csv has no formulas, but Excel evaluates a cell that
			// starts with "=" when the file is opened again.
			row.Cells[i] = Cell{Text: c, Formula: strings.HasPrefix(strings.TrimSpace(c), "=")}
		}
		rows = append(rows, row)
	}
	return rows, nil
}
