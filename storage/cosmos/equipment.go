package cosmos

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/data/azcosmos"
	"github.com/anras/parc/domain"
)

// IT equipment lives in the container "it", partitioned by establishment
// code (pk "DITEP-STF"): everything one action changes together shares a
// partition, so that one transactional batch applies it.
//
//   - "terminal:<id>" (kind terminal), its history "history:<id>:<seq>"
//     (kind terminal_change, seq on 8 digits) and its series' counter
//     "counter:<series>" (kind terminal_counter);
//   - "loan:<loan id>" (kind loan) and, while the loan is open,
//     "openloan:<terminal id>" (kind openloan). Opening a loan creates the
//     marker in the batch that creates the loan and replaces the terminal
//     under its ETag: a second open loan of the terminal fails (409)
//     whatever the terminal document says. Closing deletes it in the batch
//     that closes the loan.
//   - the terminal-type table in the partition "_types" ("type:<code>"),
//     pending imports in "_imports" (neither is an establishment code,
//     which are upper-case).
//
// Queries: a search is a single-partition query when it names an
// establishment, else a plain cross-partition filter; both project the few
// fields of a summary and filter, sort and page in Go (azcosmos has no
// client-side query engine, and the emulator cannot OFFSET). Loans and
// history are filters on indexed paths.

const (
	containerIT      = "it"
	kindOpenLoan     = "openloan"
	kindPending      = "pending_import"
	pkTypes          = "_types"
	pkImports        = "_imports"
	importChunk      = 30 // terminals per batch: 2 writes each, plus the counters, under 100 operations
	pendingTTLCosmos = 24 * time.Hour
)

func equipmentSpecs() []containerSpec {
	return []containerSpec{{name: containerIT, indexed: []string{
		"/kind/?", "/data/open/?", "/data/borrower/id/?", "/data/terminalId/?",
	}}}
}

func (s *Store) it() *container { return s.containers[containerIT] }

func (s *Store) equipmentKinds() []portKind {
	c := s.it()
	return []portKind{
		{kind: domain.KindTerminalType, c: c, place: placeBy(func(t domain.TerminalType) (string, string) { return pkTypes, typeDocID(t.Code) })},
		{kind: domain.KindTerminal, c: c, place: placeBy(func(t domain.Terminal) (string, string) { return t.Establishment, terminalDocID(t.ID) })},
		{kind: domain.KindTerminalCounter, c: c, place: placeBy(func(k domain.TerminalCounter) (string, string) {
			id, _ := domain.ParseTerminalID(k.Series + "001")
			return id.Establishment(), counterDocID(k.Series)
		})},
		{kind: domain.KindTerminalChange, c: c, place: placeBy(func(h domain.TerminalChange) (string, string) {
			return h.Establishment, historyDocID(h.TerminalID, h.Seq)
		})},
		{kind: domain.KindLoan, c: c, place: placeBy(func(l domain.Loan) (string, string) { return l.Establishment, loanDocID(l.ID) }),
			write: s.importLoan},
	}
}

func typeDocID(code string) string           { return "type:" + code }
func terminalDocID(id string) string         { return "terminal:" + id }
func counterDocID(series string) string      { return "counter:" + series }
func historyDocID(id string, seq int) string { return fmt.Sprintf("history:%s:%08d", id, seq) }
func loanDocID(id string) string             { return "loan:" + id }
func openDocID(terminalID string) string     { return "openloan:" + terminalID }

type openMarker struct {
	LoanID string `json:"loanId"`
}

// importLoan upserts a loan and keeps its open-loan marker in step.
func (s *Store) importLoan(ctx context.Context, data json.RawMessage) error {
	var l domain.Loan
	if err := json.Unmarshal(data, &l); err != nil {
		return domain.Wrap(err, domain.EINVALID, "err.invalid")
	}
	if _, err := upsertDoc(ctx, s.it(), doc[json.RawMessage]{ID: loanDocID(l.ID), PK: l.Establishment, Kind: domain.KindLoan, Data: data}); err != nil {
		return err
	}
	if l.Open {
		_, err := upsertDoc(ctx, s.it(), doc[openMarker]{ID: openDocID(l.TerminalID), PK: l.Establishment, Kind: kindOpenLoan, Data: openMarker{l.ID}})
		return err
	}
	m, etag, err := readDoc[openMarker](ctx, s.it(), l.Establishment, openDocID(l.TerminalID))
	if domain.IsNotFound(err) || (err == nil && m.Data.LoanID != l.ID) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := deleteDoc(ctx, s.it(), l.Establishment, openDocID(l.TerminalID), &etag); err != nil && !domain.IsNotFound(err) {
		return err
	}
	return nil
}

func errTerminalUnknown(id string) error {
	return domain.Errorf(domain.ENOTFOUND, "err.terminal.unknown", id)
}

func errLoanUnknown(id string) error { return domain.Errorf(domain.ENOTFOUND, "err.loan.unknown", id) }

// TerminalTypes is a single-partition query.
func (s *Store) TerminalTypes(ctx context.Context) ([]domain.TerminalType, error) {
	out, err := queryPartition[domain.TerminalType](ctx, s.it(), pkTypes, "SELECT VALUE c.data FROM c WHERE c.kind = @kind",
		azcosmos.QueryParameter{Name: "@kind", Value: domain.KindTerminalType})
	slices.SortFunc(out, func(a, b domain.TerminalType) int { return strings.Compare(a.Code, b.Code) })
	return out, err
}

// SaveTerminalType upserts: the last writer wins, as an admin expects.
func (s *Store) SaveTerminalType(ctx context.Context, tt domain.TerminalType) error {
	if err := tt.Validate(); err != nil {
		return err
	}
	_, err := upsertDoc(ctx, s.it(), doc[domain.TerminalType]{ID: typeDocID(tt.Code), PK: pkTypes, Kind: domain.KindTerminalType, Data: tt})
	return err
}

// prepareNew fills a new terminal's derived fields and validates it.
func prepareNew(t domain.Terminal, by domain.PersonRef, at time.Time) (domain.Terminal, domain.TerminalID, error) {
	id, err := domain.ParseTerminalID(t.ID)
	if err != nil {
		return t, id, err
	}
	t.ID = id.String()
	t.Establishment, t.Site, t.Type = id.Establishment(), id.Site, id.Type
	if t.Status == "" {
		t.Status = domain.StatusInStock
	}
	t.Version, t.CreatedAt, t.UpdatedAt, t.UpdatedBy = 1, at.UTC(), at.UTC(), by.ID
	return t, id, t.Validate()
}

// stageCreate stages a new terminal, its history entry and its counter in
// t's batch; the terminal must have been read absent in this transaction.
func stageCreate(t *tx, term domain.Terminal, id domain.TerminalID, counter *doc[domain.TerminalCounter], action domain.ChangeAction, by domain.PersonRef, at time.Time) {
	txPut(t, doc[domain.Terminal]{ID: terminalDocID(term.ID), Kind: domain.KindTerminal, Data: term})
	batchCreate(t.b, doc[domain.TerminalChange]{ID: historyDocID(term.ID, term.Version), PK: t.pk, Kind: domain.KindTerminalChange,
		Data: domain.NewChange(domain.Terminal{}, term, action, by, at, "")})
	if counter.Data.Last < id.Number {
		counter.Data = domain.TerminalCounter{Series: id.Series(), Last: id.Number}
	}
}

// CreateTerminal creates the terminal, its history entry and raises the
// counter in one batch; ECONFLICT when the id is taken.
func (s *Store) CreateTerminal(ctx context.Context, term domain.Terminal, by domain.PersonRef, at time.Time) (domain.Terminal, error) {
	term, id, err := prepareNew(term, by, at)
	if err != nil {
		return term, err
	}
	err = s.it().transact(ctx, term.Establishment, func(ctx context.Context, t *tx) error {
		if _, found, err := txRead[domain.Terminal](ctx, t, terminalDocID(term.ID)); err != nil {
			return err
		} else if found {
			return domain.Errorf(domain.ECONFLICT, "err.terminal.exists", term.ID)
		}
		counter, _, err := txRead[domain.TerminalCounter](ctx, t, counterDocID(id.Series()))
		if err != nil {
			return err
		}
		last := counter.Data.Last
		stageCreate(t, term, id, &counter, domain.ChangeCreated, by, at)
		if counter.Data.Last != last {
			counter.Kind = domain.KindTerminalCounter
			txPut(t, counter)
		}
		return nil
	})
	return term, err
}

// RegisterTerminal takes the next free number of the series in the batch
// that raises the counter: two registrations never get the same number.
func (s *Store) RegisterTerminal(ctx context.Context, term domain.Terminal, by domain.PersonRef, at time.Time) (domain.Terminal, error) {
	org, site, ok := domain.SplitEstablishmentCode(term.Establishment)
	if !ok {
		return term, domain.Errorf(domain.EINVALID, "err.terminal.establishment_code", term.Establishment)
	}
	first := domain.TerminalID{Org: org, Site: site, Type: term.Type, Number: 1}
	if err := first.Validate(); err != nil {
		return term, err
	}
	var out domain.Terminal
	err := s.it().transact(ctx, first.Establishment(), func(ctx context.Context, t *tx) error {
		counter, _, err := txRead[domain.TerminalCounter](ctx, t, counterDocID(first.Series()))
		if err != nil {
			return err
		}
		id := first
		for id.Number = counter.Data.Last + 1; ; id.Number++ {
			if id.Number > domain.MaxTerminalNum {
				return domain.Errorf(domain.ECONFLICT, "err.terminal.series_full", id.Series())
			}
			_, found, err := txRead[domain.Terminal](ctx, t, terminalDocID(id.String()))
			if err != nil {
				return err
			}
			if !found {
				break
			}
		}
		nt := term
		nt.ID = id.String()
		nt, _, err = prepareNew(nt, by, at)
		if err != nil {
			return err
		}
		stageCreate(t, nt, id, &counter, domain.ChangeCreated, by, at)
		counter.Kind = domain.KindTerminalCounter
		txPut(t, counter)
		out = nt
		return nil
	})
	return out, err
}

func terminalPK(id string) (string, error) {
	tid, err := domain.ParseTerminalID(id)
	if err != nil || tid.String() != id {
		return "", errTerminalUnknown(id)
	}
	return tid.Establishment(), nil
}

// Terminal is a point read in the establishment's partition.
func (s *Store) Terminal(ctx context.Context, id string) (domain.Terminal, error) {
	pk, err := terminalPK(id)
	if err != nil {
		return domain.Terminal{}, err
	}
	d, _, err := readDoc[domain.Terminal](ctx, s.it(), pk, terminalDocID(id))
	if domain.IsNotFound(err) {
		return domain.Terminal{}, errTerminalUnknown(id)
	}
	return d.Data, err
}

// commit stages the new version of a terminal and its history entry.
func commit(t *tx, before domain.Terminal, term *domain.Terminal, action domain.ChangeAction, by domain.PersonRef, at time.Time, loanID string) error {
	term.Version = before.Version + 1
	term.UpdatedAt, term.UpdatedBy = at.UTC(), by.ID
	if err := term.Validate(); err != nil {
		return err
	}
	txPut(t, doc[domain.Terminal]{ID: terminalDocID(term.ID), Kind: domain.KindTerminal, Data: *term})
	batchCreate(t.b, doc[domain.TerminalChange]{ID: historyDocID(term.ID, term.Version), PK: t.pk, Kind: domain.KindTerminalChange,
		Data: domain.NewChange(before, *term, action, by, at, loanID)})
	return nil
}

// UpdateTerminal replaces the terminal under its ETag with its history
// entry, in one batch.
func (s *Store) UpdateTerminal(ctx context.Context, id string, u domain.TerminalUpdate, by domain.PersonRef, at time.Time) (domain.Terminal, error) {
	pk, err := terminalPK(id)
	if err != nil {
		return domain.Terminal{}, err
	}
	var out domain.Terminal
	err = s.it().transact(ctx, pk, func(ctx context.Context, t *tx) error {
		d, found, err := txRead[domain.Terminal](ctx, t, terminalDocID(id))
		if err != nil {
			return err
		}
		if !found {
			return errTerminalUnknown(id)
		}
		before := d.Data
		term, action, changed, err := u.Change(before)
		out = before
		if err != nil || !changed {
			return err
		}
		if err := commit(t, before, &term, action, by, at, ""); err != nil {
			return err
		}
		out = term
		return nil
	})
	return out, err
}

// summaryRow is the projection a search reads.
type summaryRow struct {
	ID            string                `json:"id"`
	Establishment string                `json:"establishment"`
	Site          string                `json:"site"`
	Type          string                `json:"type"`
	Status        domain.TerminalStatus `json:"status"`
	Make          string                `json:"make"`
	Model         string                `json:"model"`
	Serial        string                `json:"serial"`
	AssignedTo    *domain.PersonRef     `json:"assignedTo"`
	Borrower      *domain.PersonRef     `json:"borrower"`
	DueDate       domain.Date           `json:"dueDate"`
	WarrantyEnd   domain.Date           `json:"warrantyEnd"`
	Contract      *domain.Contract      `json:"contract"`
	Version       int                   `json:"version"`
}

const summarySelect = "SELECT c.data.id, c.data.establishment, c.data.site, c.data.type, c.data.status, c.data.make, c.data.model, " +
	"c.data.serial, c.data.assignedTo, c.data.borrower, c.data.dueDate, c.data.warrantyEnd, c.data.contract, c.data.version " +
	"FROM c WHERE c.kind = @kind"

// SearchTerminals projects the summaries (of one partition when the
// filter names an establishment) and filters, sorts and pages in Go.
func (s *Store) SearchTerminals(ctx context.Context, f domain.TerminalFilter) (domain.TerminalPage, error) {
	kind := azcosmos.QueryParameter{Name: "@kind", Value: domain.KindTerminal}
	var rows []summaryRow
	var err error
	if f.Establishment != "" {
		rows, err = queryPartition[summaryRow](ctx, s.it(), f.Establishment, summarySelect, kind)
	} else {
		rows, err = queryAll[summaryRow](ctx, s.it(), summarySelect, kind)
	}
	if err != nil {
		return domain.TerminalPage{}, err
	}
	m := f.Prepare()
	var all []domain.TerminalSummary
	for _, r := range rows {
		t := domain.Terminal{ID: r.ID, Establishment: r.Establishment, Site: r.Site, Type: r.Type, Status: r.Status,
			Make: r.Make, Model: r.Model, Serial: r.Serial, AssignedTo: r.AssignedTo, Borrower: r.Borrower,
			DueDate: r.DueDate, WarrantyEnd: r.WarrantyEnd, Contract: r.Contract, Version: r.Version}
		if sum := t.Summary(); m.Match(sum) {
			all = append(all, sum)
		}
	}
	domain.SortSummaries(all)
	return m.Page(all), nil
}

// TerminalHistory is a single-partition filter, sorted in Go.
func (s *Store) TerminalHistory(ctx context.Context, id string, limit int) ([]domain.TerminalChange, error) {
	if _, err := s.Terminal(ctx, id); err != nil {
		return nil, err
	}
	pk, _ := terminalPK(id)
	out, err := queryPartition[domain.TerminalChange](ctx, s.it(), pk,
		"SELECT VALUE c.data FROM c WHERE c.kind = @kind AND c.data.terminalId = @id",
		azcosmos.QueryParameter{Name: "@kind", Value: domain.KindTerminalChange}, azcosmos.QueryParameter{Name: "@id", Value: id})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b domain.TerminalChange) int { return b.Seq - a.Seq })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// ImportTerminals applies the facts partition by partition, up to
// importChunk terminals per batch: each batch reads its terminals and the
// counters, and writes the terminals that change with their history
// entries, guarded by what it read.
func (s *Store) ImportTerminals(ctx context.Context, facts []domain.TerminalFacts, by domain.PersonRef, at time.Time) (created, changed int, err error) {
	byPK := map[string][]domain.TerminalFacts{}
	var pks []string
	for _, f := range facts {
		pk, err := terminalPK(f.ID)
		if err != nil {
			return created, changed, domain.Errorf(domain.EINVALID, "err.terminal.id", f.ID)
		}
		if _, ok := byPK[pk]; !ok {
			pks = append(pks, pk)
		}
		byPK[pk] = append(byPK[pk], f)
	}
	for _, pk := range pks {
		list := byPK[pk]
		for lo := 0; lo < len(list); lo += importChunk {
			chunk := list[lo:min(lo+importChunk, len(list))]
			var c, u int
			err := s.it().transact(ctx, pk, func(ctx context.Context, t *tx) error {
				c, u = 0, 0
				counters := map[string]*doc[domain.TerminalCounter]{}
				last := map[string]int{}
				for _, f := range chunk {
					d, found, err := txRead[domain.Terminal](ctx, t, terminalDocID(f.ID))
					if err != nil {
						return err
					}
					if found {
						term := d.Data
						before := term
						if !f.ApplyTo(&term) {
							continue
						}
						if err := commit(t, before, &term, domain.ChangeImported, by, at, ""); err != nil {
							return err
						}
						u++
						continue
					}
					id, _ := domain.ParseTerminalID(f.ID)
					term := domain.NewTerminal(id)
					f.ApplyTo(&term)
					term, _, err = prepareNew(term, by, at)
					if err != nil {
						return err
					}
					cd, ok := counters[id.Series()]
					if !ok {
						read, _, err := txRead[domain.TerminalCounter](ctx, t, counterDocID(id.Series()))
						if err != nil {
							return err
						}
						cd = &read
						counters[id.Series()], last[id.Series()] = cd, read.Data.Last
					}
					stageCreate(t, term, id, cd, domain.ChangeImported, by, at)
					c++
				}
				for series, cd := range counters {
					if cd.Data.Last != last[series] {
						cd.Kind = domain.KindTerminalCounter
						txPut(t, *cd)
					}
				}
				return nil
			})
			if err != nil {
				return created, changed, err
			}
			created, changed = created+c, changed+u
		}
	}
	return created, changed, nil
}

func loanPK(id string) (string, error) {
	lid, err := domain.ParseLoanID(id)
	if err != nil || lid.String() != id {
		return "", errLoanUnknown(id)
	}
	return lid.Terminal.Establishment(), nil
}

// OpenLoan creates the loan and the open-loan marker and replaces the
// terminal under its ETag, in one batch of the establishment's partition.
func (s *Store) OpenLoan(ctx context.Context, r domain.LoanRequest, at time.Time) (domain.Loan, domain.Terminal, error) {
	pk, err := terminalPK(r.TerminalID)
	if err != nil {
		return domain.Loan{}, domain.Terminal{}, err
	}
	var loan domain.Loan
	var term domain.Terminal
	err = s.it().transact(ctx, pk, func(ctx context.Context, t *tx) error {
		d, found, err := txRead[domain.Terminal](ctx, t, terminalDocID(r.TerminalID))
		if err != nil {
			return err
		}
		if !found {
			return errTerminalUnknown(r.TerminalID)
		}
		if _, open, err := txRead[openMarker](ctx, t, openDocID(r.TerminalID)); err != nil {
			return err
		} else if open {
			return domain.Errorf(domain.ECONFLICT, "err.loan.already_open", r.TerminalID)
		}
		tm := d.Data
		before := tm
		l, err := domain.Lend(&tm, r, at)
		if err != nil {
			return err
		}
		if err := l.Validate(); err != nil {
			return err
		}
		batchCreate(t.b, doc[domain.Loan]{ID: loanDocID(l.ID), PK: pk, Kind: domain.KindLoan, Data: l})
		txPut(t, doc[openMarker]{ID: openDocID(tm.ID), Kind: kindOpenLoan, Data: openMarker{l.ID}})
		if err := commit(t, before, &tm, domain.ChangeLent, r.Technician, at, l.ID); err != nil {
			return err
		}
		loan, term = l, tm
		return nil
	})
	return loan, term, err
}

// Loan is a point read.
func (s *Store) Loan(ctx context.Context, id string) (domain.Loan, error) {
	pk, err := loanPK(id)
	if err != nil {
		return domain.Loan{}, err
	}
	d, _, err := readDoc[domain.Loan](ctx, s.it(), pk, loanDocID(id))
	if domain.IsNotFound(err) {
		return domain.Loan{}, errLoanUnknown(id)
	}
	return d.Data, err
}

// UpdateLoan is a read-modify-write guarded by the loan's ETag.
func (s *Store) UpdateLoan(ctx context.Context, id string, fn func(*domain.Loan) error) (domain.Loan, error) {
	pk, err := loanPK(id)
	if err != nil {
		return domain.Loan{}, err
	}
	d, err := update(ctx, s.it(), pk, loanDocID(id), domain.KindLoan, func(d *doc[domain.Loan], found bool) error {
		if !found {
			return errLoanUnknown(id)
		}
		open, closed := d.Data.Open, d.Data.Closed
		if err := fn(&d.Data); err != nil {
			return err
		}
		if d.Data.Open != open || d.Data.Closed != closed || d.Data.ID != id {
			return domain.Errorf(domain.EINVALID, "err.invalid")
		}
		return d.Data.Validate()
	})
	return d.Data, err
}

// CloseLoan replaces the loan and the terminal and deletes the marker in
// one batch.
func (s *Store) CloseLoan(ctx context.Context, id string, r domain.LoanReturn) (domain.Loan, domain.Terminal, error) {
	pk, err := loanPK(id)
	if err != nil {
		return domain.Loan{}, domain.Terminal{}, err
	}
	var loan domain.Loan
	var term domain.Terminal
	err = s.it().transact(ctx, pk, func(ctx context.Context, t *tx) error {
		ld, found, err := txRead[domain.Loan](ctx, t, loanDocID(id))
		if err != nil {
			return err
		}
		if !found {
			return errLoanUnknown(id)
		}
		td, found, err := txRead[domain.Terminal](ctx, t, terminalDocID(ld.Data.TerminalID))
		if err != nil {
			return err
		}
		if !found {
			return errTerminalUnknown(ld.Data.TerminalID)
		}
		marker, open, err := txRead[openMarker](ctx, t, openDocID(ld.Data.TerminalID))
		if err != nil {
			return err
		}
		l, tm := ld.Data, td.Data
		before := tm
		if err := domain.Return(&tm, &l, r); err != nil {
			return err
		}
		txPut(t, doc[domain.Loan]{ID: loanDocID(id), Kind: domain.KindLoan, Data: l})
		if open && marker.Data.LoanID == id {
			t.delete(openDocID(tm.ID))
		}
		if err := commit(t, before, &tm, domain.ChangeReturned, r.By, r.At, id); err != nil {
			return err
		}
		loan, term = l, tm
		return nil
	})
	return loan, term, err
}

// ListLoans filters on indexed paths and sorts in Go, the newest first.
func (s *Store) ListLoans(ctx context.Context, f domain.LoanFilter) ([]domain.Loan, error) {
	sql := "SELECT VALUE c.data FROM c WHERE c.kind = @kind"
	params := []azcosmos.QueryParameter{{Name: "@kind", Value: domain.KindLoan}}
	if f.OpenOnly {
		sql += " AND c.data.open = true"
	}
	if f.BorrowerID != "" {
		sql += " AND c.data.borrower.id = @borrower"
		params = append(params, azcosmos.QueryParameter{Name: "@borrower", Value: f.BorrowerID})
	}
	if f.TerminalID != "" {
		sql += " AND c.data.terminalId = @terminal"
		params = append(params, azcosmos.QueryParameter{Name: "@terminal", Value: f.TerminalID})
	}
	var loans []domain.Loan
	var err error
	pk := f.Establishment
	if pk == "" && f.TerminalID != "" {
		pk, _ = terminalPK(f.TerminalID)
	}
	if pk != "" {
		loans, err = queryPartition[domain.Loan](ctx, s.it(), pk, sql, params...)
	} else {
		loans, err = queryAll[domain.Loan](ctx, s.it(), sql, params...)
	}
	if err != nil {
		return nil, err
	}
	out := loans[:0]
	for _, l := range loans {
		if f.Match(l) {
			out = append(out, l)
		}
	}
	slices.SortFunc(out, func(a, b domain.Loan) int {
		if c := b.Opened.Compare(a.Opened); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// SavePendingImport creates the pending import and forgets those of more
// than a day (the emulator has no TTL; a real account would not need it).
func (s *Store) SavePendingImport(ctx context.Context, p domain.PendingImport) error {
	if err := p.Validate(); err != nil {
		return err
	}
	type meta struct {
		ID      string    `json:"id"`
		Created time.Time `json:"created"`
	}
	old, err := queryPartition[meta](ctx, s.it(), pkImports, "SELECT c.data.id, c.data.created FROM c WHERE c.kind = @kind",
		azcosmos.QueryParameter{Name: "@kind", Value: kindPending})
	if err != nil {
		return err
	}
	now := p.Created
	for _, m := range old {
		if now.Sub(m.Created) > pendingTTLCosmos {
			if err := deleteDoc(ctx, s.it(), pkImports, m.ID, nil); err != nil && !domain.IsNotFound(err) {
				return err
			}
		}
	}
	_, err = upsertDoc(ctx, s.it(), doc[domain.PendingImport]{ID: p.ID, PK: pkImports, Kind: kindPending, Data: p})
	return err
}

// PendingImport is a point read.
func (s *Store) PendingImport(ctx context.Context, id string) (domain.PendingImport, error) {
	if !domain.ValidPendingImportID(id) {
		return domain.PendingImport{}, domain.Errorf(domain.ENOTFOUND, "err.import.expired")
	}
	d, _, err := readDoc[domain.PendingImport](ctx, s.it(), pkImports, id)
	if domain.IsNotFound(err) {
		return domain.PendingImport{}, domain.Errorf(domain.ENOTFOUND, "err.import.expired")
	}
	return d.Data, err
}

// DeletePendingImport deletes it (absent is fine).
func (s *Store) DeletePendingImport(ctx context.Context, id string) error {
	if !domain.ValidPendingImportID(id) {
		return nil
	}
	err := deleteDoc(ctx, s.it(), pkImports, id, nil)
	if domain.IsNotFound(err) {
		return nil
	}
	return err
}
