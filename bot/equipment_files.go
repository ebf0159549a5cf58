package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
	"github.com/anras/parc/domain/inventory"
)

// Files sent to the bot in a personal chat: an inventory (xlsx, csv) is
// read and answered with the dry run of its import and an "Appliquer"
// button; a scan (pdf, jpg, png) is offered to attach to a loan.

// fileContentType is Teams' attachment for a file sent in a chat.
const fileContentType = "application/vnd.microsoft.teams.file.download.info"

// downloadTimeout bounds a file's download from Teams (SharePoint).
const downloadTimeout = 20 * time.Second

// pendingImportTTL is how long a dry run can be applied.
const pendingImportTTL = 24 * time.Hour

// sentFile is a file attachment of the activity.
type sentFile struct {
	Name, ContentURL, DownloadURL, FileType string
}

func filesOf(t *Turn) []sentFile {
	var out []sentFile
	for _, a := range t.Activity.Attachments {
		if a.ContentType != fileContentType {
			continue
		}
		f := sentFile{Name: a.Name, ContentURL: a.ContentURL}
		if m, ok := a.Content.(map[string]any); ok {
			f.DownloadURL, _ = m["downloadUrl"].(string)
			f.FileType, _ = m["fileType"].(string)
		}
		out = append(out, f)
	}
	return out
}

func (b *Bot) onEquipmentFile(t *Turn) (cards.Card, error) {
	files := filesOf(t)
	if len(files) == 0 {
		return cards.Notice(t.Lang, "", t.T("attach.no_file"), cards.ColorWarning), nil
	}
	if t.Activity.Conversation.ConversationType != string(domain.ConversationPersonal) {
		return cards.Notice(t.Lang, "", t.T("import.personal_only"), cards.ColorWarning), nil
	}
	f := files[0]
	ext := strings.ToLower(path.Ext(f.Name))
	if ext == "" && f.FileType != "" {
		ext = "." + strings.ToLower(f.FileType)
	}
	switch ext {
	case ".xlsx", ".xlsm", ".csv":
		return b.importSentFile(t, f)
	case ".pdf", ".jpg", ".jpeg", ".png":
		return b.attachForm(t, f)
	}
	return cards.Notice(t.Lang, "", t.T("attach.unknown_file", cards.Plain(f.Name, 60)), cards.ColorWarning), nil
}

// download fetches a file Teams sent, bounded in size and time. Only
// https is fetched, except from this machine when authentication is off
// (the Playground and the tests serve files over http on 127.0.0.1).
func (b *Bot) download(ctx context.Context, raw string) ([]byte, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, domain.Errorf(domain.EINVALID, "err.import.download")
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && b.cfg.AppID == "" && isLoopbackHost(u.Hostname()):
	default:
		return nil, domain.Errorf(domain.EINVALID, "err.import.download")
	}
	ctx, cancel := context.WithTimeout(ctx, downloadTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, domain.Wrap(err, domain.EINVALID, "err.import.download")
	}
	client := &http.Client{Timeout: downloadTimeout, CheckRedirect: func(r *http.Request, via []*http.Request) error {
		if len(via) >= 3 || r.URL.Scheme != u.Scheme {
			return fmt.Errorf("redirect to %s refused", r.URL.Redacted())
		}
		return nil
	}}
	resp, err := client.Do(req)
	if err != nil {
		return nil, domain.Wrap(err, domain.EUNAVAILABLE, "err.import.download")
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, domain.Wrap(fmt.Errorf("download: HTTP %d", resp.StatusCode), domain.EUNAVAILABLE, "err.import.download")
	}
	if resp.ContentLength > domain.MaxImportFileBytes {
		return nil, domain.Errorf(domain.EINVALID, "err.import.too_big", domain.MaxImportFileBytes>>20)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, domain.MaxImportFileBytes+1))
	if err != nil {
		return nil, domain.Wrap(err, domain.EUNAVAILABLE, "err.import.download")
	}
	if len(data) > domain.MaxImportFileBytes {
		return nil, domain.Errorf(domain.EINVALID, "err.import.too_big", domain.MaxImportFileBytes>>20)
	}
	return data, nil
}

func isLoopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// importSentFile downloads and reads the inventory, keeps it for the
// "Appliquer" button and answers with the dry run.
func (b *Bot) importSentFile(t *Turn, f sentFile) (cards.Card, error) {
	data, err := b.download(t.Ctx, f.DownloadURL)
	if err != nil {
		return cards.Card{}, err
	}
	plan, err := b.planImport(t, f.Name, data)
	if err != nil {
		return cards.Card{}, err
	}
	var raw [16]byte
	_, _ = rand.Read(raw[:])
	p := domain.PendingImport{ID: hex.EncodeToString(raw[:]), UserID: t.Principal.UserID, FileName: f.Name, Content: data, Created: t.Now.UTC()}
	if len(plan.New)+len(plan.Changed) > 0 {
		if err := b.store.SavePendingImport(t.Ctx, p); err != nil {
			return cards.Card{}, err
		}
	} else {
		p.ID = ""
	}
	t.Log.Info("inventory dry run", "file", f.Name, "new", len(plan.New), "changed", len(plan.Changed), "invalid", len(plan.Invalid))
	return cards.ImportReport(t.Lang, reportView(t.Lang, f.Name, plan, p.ID)), nil
}

func (b *Bot) planImport(t *Turn, name string, data []byte) (inventory.Plan, error) {
	raw, err := inventory.Read(name, data)
	if err != nil {
		return inventory.Plan{}, err
	}
	rows, err := inventory.Parse(raw)
	if err != nil {
		return inventory.Plan{}, err
	}
	if _, err := b.terminalTypes(t.Ctx); err != nil {
		return inventory.Plan{}, err
	}
	plan, err := inventory.MakePlan(t.Ctx, b.store, rows)
	if err != nil {
		return inventory.Plan{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	return plan, nil
}

// reportView writes a plan for the card, in the card's language.
func reportView(l cards.Lang, name string, p inventory.Plan, importID string) cards.ImportReportView {
	v := cards.ImportReportView{FileName: name, ImportID: importID}
	line := func(it inventory.Item) cards.ImportLine {
		ln := cards.ImportLine{Line: it.Line, ID: it.ID}
		if it.Problem != nil {
			ln.Detail = l.T(it.Problem.Key, it.Problem.Args...)
		}
		var ch []string
		for _, c := range it.Changes {
			ch = append(ch, l.T("import.diff", l.T("field."+c.Field), cards.Plain(c.From, 40), cards.Plain(c.To, 40)))
		}
		if len(ch) > 0 {
			ln.Detail = strings.Join(ch, " ; ")
		}
		return ln
	}
	for _, it := range p.New {
		v.New = append(v.New, line(it))
	}
	for _, it := range p.Changed {
		v.Changed = append(v.Changed, line(it))
	}
	for _, it := range p.Unchanged {
		v.Unchanged = append(v.Unchanged, line(it))
	}
	for _, it := range p.Invalid {
		v.Invalid = append(v.Invalid, line(it))
	}
	return v
}

// applyImport applies a dry run: the file is planned again against the
// store as it is now, so that applying twice changes nothing.
func (b *Bot) applyImport(t *Turn, in Input) (cards.Card, error) {
	id := in.Str("import")
	p, err := b.store.PendingImport(t.Ctx, id)
	if err != nil {
		return cards.Card{}, err
	}
	if p.UserID != t.Principal.UserID {
		return cards.Card{}, domain.Errorf(domain.EFORBIDDEN, "err.import.not_yours")
	}
	if t.Now.Sub(p.Created) > pendingImportTTL {
		_ = b.store.DeletePendingImport(t.Ctx, id)
		return cards.Card{}, domain.Errorf(domain.ENOTFOUND, "err.import.expired")
	}
	plan, err := b.planImport(t, p.FileName, p.Content)
	if err != nil {
		return cards.Card{}, err
	}
	created, changed, err := b.store.ImportTerminals(t.Ctx, plan.Facts(), actor(t), t.Now)
	if err != nil {
		return cards.Card{}, err
	}
	if err := b.store.DeletePendingImport(t.Ctx, id); err != nil {
		t.Log.Warn("pending import not deleted", "err", err)
	}
	t.Log.Info("inventory imported", "file", p.FileName, "created", created, "changed", changed)
	v := reportView(t.Lang, p.FileName, plan, "")
	v.Applied, v.Created, v.Updated = true, created, changed
	return cards.ImportReport(t.Lang, v), nil
}

// attachForm offers to attach a scan sent in chat to a recent loan. Parc
// keeps the file's link (it stays in the sender's OneDrive).
func (b *Bot) attachForm(t *Turn, f sentFile) (cards.Card, error) {
	link := f.ContentURL
	if !strings.HasPrefix(link, "https://") {
		link = f.DownloadURL
	}
	if !strings.HasPrefix(link, "https://") {
		return cards.Card{}, domain.Errorf(domain.EINVALID, "err.document.url")
	}
	// SharePoint links hold spaces ("Microsoft Teams Chat Files"): keep
	// them escaped.
	if u, err := url.Parse(link); err == nil {
		link = u.String()
	}
	loans, err := b.store.ListLoans(t.Ctx, domain.LoanFilter{})
	if err != nil {
		return cards.Card{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	v := cards.AttachFormView{FileName: f.Name, URL: link}
	for _, l := range loans {
		if len(v.Loans) == 50 {
			break
		}
		if !l.Open && l.Closed != nil && t.Now.Sub(*l.Closed) > 90*24*time.Hour {
			continue
		}
		v.Loans = append(v.Loans, cards.Choice{Title: l.ID + " · " + l.Borrower.Name, Value: l.ID})
	}
	return cards.AttachForm(t.Lang, v), nil
}
