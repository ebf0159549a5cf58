package cards

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// PDFText returns the text pdftotext reads back from a PDF: the test of a
// certificate is what a person (or a search) reads in it.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatal("pdftotext is missing: install poppler-utils (apt-get install poppler-utils; .ci/run does it) to check the certificates")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "c.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", in, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, out)
	}
	// pdftotext breaks lines where the PDF does; compare on single spaces.
	return strings.Join(strings.Fields(string(out)), " ")
}

func sampleCertificate() CertificateView {
	return CertificateView{
		Establishment: "DITEP Saint-François", LoanID: "DITEP-STF-P068-L3",
		Borrower: "Émilie Lefèvre-Cœur", JobTitle: "Éducatrice spécialisée", Email: "emilie.lefevre@anras.fr",
		TerminalID: "DITEP-STF-P068", TypeName: "PC portable", Make: "Lenovo", Model: "20FVS 2M30", Serial: "PF0ABCD1",
		Specs: "i5-6300U, 8 Go, SSD 256 Go", OS: "Windows 10 Pro", Technician: "Jean-Pierre Lefèvre",
		Opened: "28/11/2026 10:00", Due: "15/12/2026", Accessories: []string{"charger", "bag"}, ConditionOut: "good",
		NotesOut: "Rayure sur le capot ; « clavier » à l’usure", Today: "28/11/2026",
		Created: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC),
	}
}

func TestLoanCertificateReadsBack(t *testing.T) {
	pdf, err := Certificate(FR, sampleCertificate())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatal("not a PDF")
	}
	text := pdfText(t, pdf)
	for _, want := range []string{
		"Attestation de prêt de matériel informatique", "ANRAS", "DITEP Saint-François", "Prêt n° DITEP-STF-P068-L3",
		"Émilie Lefèvre-Cœur", "Éducatrice spécialisée", "emilie.lefevre@anras.fr",
		"DITEP-STF-P068", "PC portable", "Lenovo", "20FVS 2M30", "PF0ABCD1", "i5-6300U, 8 Go, SSD 256 Go", "Windows 10 Pro",
		"Jean-Pierre Lefèvre", "28/11/2026 10:00", "15/12/2026", "Chargeur, Sacoche", "Bon état",
		"Rayure sur le capot ; « clavier » à l’usure", "Je soussigné(e) reconnais avoir reçu", "Le technicien", "L'emprunteur",
		"Date et signature", "Fait le 28/11/2026",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the certificate does not read %q; it reads:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Attestation de retour") {
		t.Error("a loan certificate must not be a return certificate")
	}
}

func TestReturnCertificateReadsBack(t *testing.T) {
	v := sampleCertificate()
	v.Return, v.Closed, v.ClosedBy, v.ConditionIn = true, "10/12/2026 16:30", "Chloé Durand", "damaged"
	v.Returned, v.Missing, v.NotesIn = []string{"charger"}, []string{"bag"}, "Écran fissuré"
	pdf, err := Certificate(FR, v)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	for _, want := range []string{"Attestation de retour de matériel informatique", "Rendu le 10/12/2026 16:30", "Chloé Durand",
		"Endommagé", "Accessoires rendus Chargeur", "Accessoires manquants Sacoche", "Écran fissuré", "a été restitué"} {
		if !strings.Contains(text, want) {
			t.Errorf("the return certificate does not read %q; it reads:\n%s", want, text)
		}
	}
}

func TestCP1252Fallback(t *testing.T) {
	for in, want := range map[string]string{"Łukasz Ștefan": "?ukasz Stefan", "Noël « € »": "No\xebl \xab \x80 \xbb", "a\nb": "a b"} {
		if got := cp1252(in); got != want {
			t.Errorf("cp1252(%q) = %q, want %q", in, got, want)
		}
	}
}
