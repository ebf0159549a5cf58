package bot

import (
	"net/http"
	"strings"

	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
	"github.com/gin-gonic/gin"
)

// certificatePath serves a loan's certificates as PDF through signed,
// expiring links: /certificates/DITEP-STF-P068-L3-loan.pdf?exp=...&sig=...
// (or -return.pdf). Teams opens them in the browser, without the bot's
// authentication: the signature is the proof.
const certificatePath = "/certificates/:file"

func (b *Bot) serveCertificate(c *gin.Context) {
	l := cards.FR
	bad := func(status int, key string) {
		c.Header("Cache-Control", "no-store")
		c.Data(status, "text/plain; charset=utf-8", []byte(l.T(key)+"\n"))
	}
	if _, err := b.links.Verify(c.Request, b.clock.Now()); err != nil {
		bad(http.StatusForbidden, "cert.link.bad")
		return
	}
	name := strings.TrimSuffix(c.Param("file"), ".pdf")
	kind := "loan"
	switch {
	case strings.HasSuffix(name, "-loan"):
		name = strings.TrimSuffix(name, "-loan")
	case strings.HasSuffix(name, "-return"):
		name, kind = strings.TrimSuffix(name, "-return"), "return"
	default:
		bad(http.StatusNotFound, "cert.link.bad")
		return
	}
	id, err := domain.ParseLoanID(name)
	if err != nil {
		bad(http.StatusNotFound, "cert.link.bad")
		return
	}
	ctx := c.Request.Context()
	loan, err := b.store.Loan(ctx, id.String())
	if err != nil {
		if domain.IsNotFound(err) {
			bad(http.StatusNotFound, "cert.link.bad")
			return
		}
		b.log.Error("certificate: loan unavailable", "loan", id.String(), "err", err)
		bad(http.StatusServiceUnavailable, "error.unavailable")
		return
	}
	if kind == "return" && loan.Open {
		bad(http.StatusConflict, "cert.not_returned")
		return
	}
	pdf, err := b.certificate(c, loan, kind == "return")
	if err != nil {
		b.log.Error("certificate not rendered", "loan", loan.ID, "err", err)
		bad(http.StatusInternalServerError, "error.unavailable")
		return
	}
	c.Header("Cache-Control", "private, no-store")
	c.Header("Content-Disposition", `inline; filename="`+loan.ID+"-"+kind+`.pdf"`)
	c.Data(http.StatusOK, "application/pdf", pdf)
}

// certificate renders a loan's certificate from what the store holds.
func (b *Bot) certificate(c *gin.Context, l domain.Loan, isReturn bool) ([]byte, error) {
	ctx := c.Request.Context()
	loc := b.cfg.Location
	est := l.Establishment
	if e, err := b.store.Establishment(ctx, l.Establishment); err == nil {
		est = e.Name
	}
	typeName := ""
	if types, err := b.terminalTypes(ctx); err == nil {
		if tt, ok := findType(types, l.Terminal.Type); ok {
			typeName = tt.NameFR
		}
	}
	specs := l.Terminal.Specs
	if parts := nonEmptyParts(l.Terminal.CPU, l.Terminal.RAM, l.Terminal.Storage); len(parts) > 0 {
		specs = strings.Join(parts, ", ")
	}
	v := cards.CertificateView{
		Return: isReturn, Establishment: est, LoanID: l.ID, Borrower: l.Borrower.Name, JobTitle: l.Borrower.JobTitle, Email: l.Borrower.Email,
		TerminalID: l.TerminalID, TypeName: typeName, Make: l.Terminal.Make, Model: l.Terminal.Model, Serial: l.Terminal.Serial,
		Specs: specs, OS: l.Terminal.OS, Technician: l.Technician.Name, Opened: l.Opened.In(loc).Format("02/01/2006 15:04"),
		Due: l.Due.French(), Accessories: l.Accessories, ConditionOut: string(l.ConditionOut), NotesOut: l.NotesOut,
		Today: domain.DateOf(l.Opened, loc).French(), Created: l.Opened,
	}
	if isReturn && l.Closed != nil {
		v.Closed = l.Closed.In(loc).Format("02/01/2006 15:04")
		if l.ClosedBy != nil {
			v.ClosedBy = l.ClosedBy.Name
		}
		v.ConditionIn, v.Returned, v.Missing, v.NotesIn = string(l.ConditionIn), l.AccessoriesReturned, l.MissingAccessories(), l.NotesIn
		v.Today, v.Created = domain.DateOf(*l.Closed, loc).French(), *l.Closed
	}
	return cards.Certificate(cards.FR, v)
}

func nonEmptyParts(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return out
}
