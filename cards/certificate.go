package cards

import (
	"bytes"
	"strings"
	"time"
	"unicode"

	"github.com/go-pdf/fpdf"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// CertificateView is what a loan or return certificate prints. Every
// value is already formatted for reading.
type CertificateView struct {
	Return        bool // the return certificate (else the loan certificate)
	Establishment string
	LoanID        string
	Borrower      string
	JobTitle      string
	Email         string
	TerminalID    string
	TypeName      string
	Make, Model   string
	Serial        string
	Specs         string // CPU, memory, storage
	OS            string
	Technician    string
	Opened, Due   string
	Accessories   []string // codes
	ConditionOut  string   // code
	NotesOut      string
	Closed        string
	ClosedBy      string
	ConditionIn   string // code
	Returned      []string
	Missing       []string
	NotesIn       string
	Today         string
	Created       time.Time // the PDF's creation date (for reproducible files)
}

// Certificate renders the certificate as a PDF, in language l (French:
// the certificate is printed and signed in France). The core Helvetica
// font is written in Windows-1252, which holds every French letter (é, è,
// ç, œ, «, », ’, €); a character outside it loses its accent, or becomes
// "?" if it has no Latin base letter.
func Certificate(l Lang, v CertificateView) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(20, 18, 20)
	pdf.SetAutoPageBreak(true, 18)
	if !v.Created.IsZero() {
		pdf.SetCreationDate(v.Created)
		pdf.SetModificationDate(v.Created)
	}
	title := l.T("cert.loan.title")
	if v.Return {
		title = l.T("cert.return.title")
	}
	pdf.SetTitle(cp1252(title), false)
	pdf.SetAuthor(cp1252(l.T("app.name")), false)
	pdf.AddPage()
	w, _ := pdf.GetPageSize()
	width := w - 40

	pdf.SetFont("Helvetica", "", 9)
	pdf.MultiCell(width, 4.5, cp1252(l.T("cert.organisation")), "", "L", false)
	pdf.MultiCell(width, 4.5, cp1252(v.Establishment), "", "L", false)
	pdf.Ln(6)
	pdf.SetFont("Helvetica", "B", 15)
	pdf.MultiCell(width, 7, cp1252(title), "", "C", false)
	pdf.SetFont("Helvetica", "", 10)
	pdf.MultiCell(width, 6, cp1252(l.T("cert.number", v.LoanID)), "", "C", false)
	pdf.Ln(4)

	section := func(name string) {
		pdf.Ln(2)
		pdf.SetFont("Helvetica", "B", 11)
		pdf.SetFillColor(232, 236, 242)
		pdf.CellFormat(width, 7, cp1252(name), "", 1, "L", true, 0, "")
		pdf.Ln(1)
	}
	row := func(label, value string) {
		if strings.TrimSpace(value) == "" {
			return
		}
		pdf.SetFont("Helvetica", "B", 10)
		pdf.CellFormat(55, 5.5, cp1252(label), "", 0, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 10)
		pdf.MultiCell(width-55, 5.5, cp1252(value), "", "L", false)
	}
	list := func(prefix string, codes []string) string {
		if len(codes) == 0 {
			return l.T("cert.none")
		}
		names := make([]string, 0, len(codes))
		for _, c := range codes {
			names = append(names, l.T(prefix+c))
		}
		return strings.Join(names, ", ")
	}

	section(l.T("cert.section.borrower"))
	row(l.T("cert.name"), v.Borrower)
	row(l.T("cert.job"), v.JobTitle)
	row(l.T("cert.email"), v.Email)

	section(l.T("cert.section.terminal"))
	row(l.T("field.terminal"), v.TerminalID)
	row(l.T("field.type"), v.TypeName)
	row(l.T("field.make"), v.Make)
	row(l.T("field.model"), v.Model)
	row(l.T("field.serial"), v.Serial)
	row(l.T("field.specs"), v.Specs)
	row(l.T("field.os"), v.OS)

	section(l.T("cert.section.loan"))
	row(l.T("field.technician"), v.Technician)
	row(l.T("field.opened"), v.Opened)
	row(l.T("field.due_date"), v.Due)
	row(l.T("field.accessories"), list("accessory.", v.Accessories))
	if v.ConditionOut != "" {
		row(l.T("field.condition_out"), l.T("condition."+v.ConditionOut))
	}
	row(l.T("field.notes_out"), v.NotesOut)

	if v.Return {
		section(l.T("cert.section.return"))
		row(l.T("field.closed"), v.Closed)
		row(l.T("field.closed_by"), v.ClosedBy)
		if v.ConditionIn != "" {
			row(l.T("field.condition_in"), l.T("condition."+v.ConditionIn))
		}
		row(l.T("return.accessories"), list("accessory.", v.Returned))
		if len(v.Missing) > 0 {
			row(l.T("field.missing"), list("accessory.", v.Missing))
		}
		row(l.T("field.notes_in"), v.NotesIn)
	}

	pdf.Ln(5)
	pdf.SetFont("Helvetica", "", 10)
	commitment := l.T("cert.commitment.loan")
	if v.Return {
		commitment = l.T("cert.commitment.return")
	}
	pdf.MultiCell(width, 5, cp1252(commitment), "", "J", false)
	pdf.Ln(3)
	pdf.MultiCell(width, 5, cp1252(l.T("cert.place_date", v.Today)), "", "L", false)
	pdf.Ln(4)

	// Two signature boxes side by side.
	boxW, boxH := (width-10)/2, 38.0
	if _, h := pdf.GetPageSize(); pdf.GetY()+boxH > h-18 {
		pdf.AddPage()
	}
	y := pdf.GetY()
	for i, who := range [][2]string{{l.T("cert.sign.technician"), nonEmptyText(v.ClosedBy, v.Technician)}, {l.T("cert.sign.borrower"), v.Borrower}} {
		if i == 0 && !v.Return {
			who[1] = v.Technician
		}
		x := 20 + float64(i)*(boxW+10)
		pdf.Rect(x, y, boxW, boxH, "D")
		pdf.SetXY(x+3, y+3)
		pdf.SetFont("Helvetica", "B", 10)
		pdf.CellFormat(boxW-6, 5, cp1252(who[0]), "", 2, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 10)
		pdf.CellFormat(boxW-6, 5, cp1252(who[1]), "", 2, "L", false, 0, "")
		pdf.SetFont("Helvetica", "I", 8)
		pdf.CellFormat(boxW-6, 5, cp1252(l.T("cert.sign.date")), "", 2, "L", false, 0, "")
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// cp1252 writes s in Windows-1252, the encoding of the PDF core fonts: a
// character outside it loses its accent ("ł" stays "?", "ș" becomes "s").
func cp1252(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == '\n' || r == '\t' {
			b.WriteRune(' ')
			continue
		}
		if c, ok := charmap.Windows1252.EncodeRune(r); ok && (r >= 0x20 || r == ' ') {
			b.WriteByte(c)
			continue
		}
		base := '?'
		for _, d := range norm.NFD.String(string(r)) {
			if d < 0x80 && unicode.IsLetter(d) {
				base = d
				break
			}
		}
		b.WriteByte(byte(base))
	}
	return b.String()
}
