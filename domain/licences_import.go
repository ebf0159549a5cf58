package domain

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
	"time"
)

// ImportProblem is a line of an imported file that was not taken, and why.
type ImportProblem struct {
	Line int
	Err  *Error
}

// CatalogueImport is what ParseProductCatalogue read.
type CatalogueImport struct {
	Products []LicenceProduct // sorted by SKU id
	Rows     int              // data rows read
	Problems []ImportProblem
}

// maxImportBytes bounds an imported file (Microsoft's table is about 1 MB).
const maxImportBytes = 32 << 20

// ParseProductCatalogue reads Microsoft's "Product names and service plan
// identifiers for licensing" CSV: one row per product and service plan,
// columns Product_Display_Name, String_Id, GUID, Service_Plan_Name,
// Service_Plan_Id, Service_Plans_Included_Friendly_Names (found by name,
// in any order and case). It tolerates the table's quirks: a byte-order
// mark, CRLF, a part number shared by two products, display names shared,
// part numbers with spaces, upper-case GUIDs, rows repeated, rows of the
// wrong length. A row without a valid GUID is a problem, not a failure;
// a file without the three product columns or without any product is
// EINVALID.
func ParseProductCatalogue(r io.Reader, now time.Time) (CatalogueImport, error) {
	var out CatalogueImport
	cr, err := newCSVReader(r, ',')
	if err != nil {
		return out, err
	}
	header, err := cr.Read()
	if err != nil {
		return out, Wrap(err, EINVALID, "err.licence.csv_header")
	}
	col := columns(header)
	name, sid, guid := col("product_display_name"), col("string_id"), col("guid")
	planName, planID, planFriendly := col("service_plan_name"), col("service_plan_id"), col("service_plans_included_friendly_names")
	if name < 0 || sid < 0 || guid < 0 {
		return out, Errorf(EINVALID, "err.licence.csv_header")
	}
	byID := map[string]*LicenceProduct{}
	seenPlan := map[string]bool{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && pe.Err != csv.ErrFieldCount {
				out.Problems = append(out.Problems, ImportProblem{Line: pe.Line, Err: Errorf(EINVALID, "err.licence.csv_line")})
				continue
			}
			if !errors.As(err, &pe) {
				return out, Wrap(err, EINVALID, "err.licence.csv_line")
			}
		}
		if blank(rec) {
			continue
		}
		out.Rows++
		id := NormalizeSkuID(field(rec, guid))
		if !isGUID(id) {
			out.Problems = append(out.Problems, ImportProblem{Line: line, Err: Errorf(EINVALID, "err.licence.sku", field(rec, guid))})
			continue
		}
		p := byID[id]
		if p == nil {
			p = &LicenceProduct{SkuID: id, PartNumber: strings.TrimSpace(field(rec, sid)), Name: strings.TrimSpace(field(rec, name)), UpdatedAt: now.UTC()}
			if p.PartNumber == "" {
				out.Problems = append(out.Problems, ImportProblem{Line: line, Err: Errorf(EINVALID, "err.licence.part_number")})
				continue
			}
			byID[id] = p
		}
		sp := ServicePlan{ID: NormalizeSkuID(field(rec, planID)), Name: strings.TrimSpace(field(rec, planName)), FriendlyName: strings.TrimSpace(field(rec, planFriendly))}
		if sp.Name == "" && sp.ID == "" {
			continue
		}
		key := id + "|" + sp.ID + "|" + strings.ToUpper(sp.Name)
		if seenPlan[key] {
			continue
		}
		seenPlan[key] = true
		p.ServicePlans = append(p.ServicePlans, sp)
	}
	if len(byID) == 0 {
		return out, Errorf(EINVALID, "err.licence.csv_empty")
	}
	for _, p := range byID {
		out.Products = append(out.Products, *p)
	}
	slices.SortFunc(out.Products, func(a, b LicenceProduct) int { return strings.Compare(a.SkuID, b.SkuID) })
	return out, nil
}

// PriceRow is one line of a price list: the SKU as the admin wrote it (a
// SKU id or a part number), the monthly price excl. VAT and an optional
// name.
type PriceRow struct {
	Line  int
	Sku   string
	Price Money
	Name  string
}

// ParsePriceList reads a simple price list: one SKU per line, "SKU;PRICE"
// or "SKU;PRICE;NAME" (a comma works as the separator too; with a
// semicolon, the price may have a decimal comma, as a French spreadsheet
// writes it). SKU is a SKU id or a part number. A first line whose price
// is not a number is a header. Bad lines are problems; a file without any
// good line is EINVALID.
func ParsePriceList(r io.Reader) ([]PriceRow, []ImportProblem, error) {
	br := bufio.NewReader(io.LimitReader(r, maxImportBytes))
	head, _ := br.Peek(4096)
	sep := ','
	if first, _, _ := bytes.Cut(head, []byte("\n")); bytes.Count(first, []byte(";")) > 0 {
		sep = ';'
	}
	cr, err := newCSVReader(br, sep)
	if err != nil {
		return nil, nil, err
	}
	var rows []PriceRow
	var problems []ImportProblem
	for i := 0; ; i++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				problems = append(problems, ImportProblem{Line: pe.Line, Err: Errorf(EINVALID, "err.licence.csv_line")})
				continue
			}
			return nil, nil, Wrap(err, EINVALID, "err.licence.csv_line")
		}
		if blank(rec) {
			continue
		}
		sku := strings.TrimSpace(field(rec, 0))
		price, perr := ParseMoney(field(rec, 1))
		if perr != nil {
			if len(rows) == 0 && len(problems) == 0 && i == 0 {
				continue // a header
			}
			problems = append(problems, ImportProblem{Line: line, Err: AsError(perr)})
			continue
		}
		if sku == "" {
			problems = append(problems, ImportProblem{Line: line, Err: Errorf(EINVALID, "err.licence.sku", "")})
			continue
		}
		rows = append(rows, PriceRow{Line: line, Sku: sku, Price: price, Name: strings.TrimSpace(field(rec, 2))})
	}
	if len(rows) == 0 {
		return nil, problems, Errorf(EINVALID, "err.licence.csv_empty")
	}
	return rows, problems, nil
}

// ResolvePrices turns price rows into prices, finding part numbers in the
// catalogue. A part number the catalogue does not know, or that two
// products share, is a problem (give the SKU id instead).
func ResolvePrices(rows []PriceRow, cat *LicenceCatalogue, now time.Time, by string) ([]LicencePrice, []ImportProblem) {
	var out []LicencePrice
	var problems []ImportProblem
	for _, r := range rows {
		id := NormalizeSkuID(r.Sku)
		if !isGUID(id) {
			ids := cat.ByPartNumber(r.Sku)
			switch len(ids) {
			case 0:
				problems = append(problems, ImportProblem{Line: r.Line, Err: Errorf(ENOTFOUND, "err.licence.part_number_unknown", r.Sku)})
				continue
			case 1:
				id = ids[0]
			default:
				problems = append(problems, ImportProblem{Line: r.Line, Err: Errorf(EINVALID, "err.licence.part_number_ambiguous", r.Sku, strings.Join(ids, ", "))})
				continue
			}
		}
		p := LicencePrice{SkuID: id, Price: r.Price, Name: r.Name, UpdatedAt: now.UTC(), UpdatedBy: by}
		if err := p.Validate(); err != nil {
			problems = append(problems, ImportProblem{Line: r.Line, Err: AsError(err)})
			continue
		}
		out = append(out, p)
	}
	return out, problems
}

func newCSVReader(r io.Reader, sep rune) (*csv.Reader, error) {
	br := bufio.NewReader(io.LimitReader(r, maxImportBytes))
	// A byte-order mark (Excel's "CSV UTF-8") is not part of the header.
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.Comma = sep
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = false
	return cr, nil
}

// columns returns a function that finds a header's column by name,
// ignoring case, spaces and underscores; -1 when absent.
func columns(header []string) func(string) int {
	norm := func(s string) string {
		return strings.ToLower(strings.NewReplacer("_", "", " ", "", "\ufeff", "").Replace(strings.TrimSpace(s)))
	}
	idx := map[string]int{}
	for i, h := range header {
		if _, dup := idx[norm(h)]; !dup {
			idx[norm(h)] = i
		}
	}
	return func(name string) int {
		if i, ok := idx[norm(name)]; ok {
			return i
		}
		return -1
	}
}

func field(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return rec[i]
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}
