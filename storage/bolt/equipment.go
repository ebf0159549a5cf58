package bolt

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/anras/parc/domain"
	bbolt "go.etcd.io/bbolt"
)

// The equipment feature's buckets and exported kinds.
//
// Terminals are keyed by id, their history by "<id>|<seq, 8 digits>" ('|'
// is not in ids, so one terminal's prefix never matches another's), loans
// by loan id. it_open holds one entry per terminal in an open loan
// (terminal id -> loan id): OpenLoan refuses a terminal that has one, in
// the same transaction that creates it. it_borrower indexes loans by
// borrower; it_index is the search index (equipment_index.go).
const (
	bucketTerminalTypes = "it_types"
	bucketTerminals     = "it_terminals"
	bucketTerminalIndex = "it_index"
	bucketCounters      = "it_counters"
	bucketHistory       = "it_history"
	bucketLoans         = "it_loans"
	bucketOpenLoans     = "it_open"
	bucketLoanBorrower  = "it_borrower"
	bucketPending       = "it_pending"
)

var equipmentBuckets = []string{bucketTerminalTypes, bucketTerminals, bucketTerminalIndex, bucketCounters,
	bucketHistory, bucketLoans, bucketOpenLoans, bucketLoanBorrower, bucketPending}

func equipmentKinds() []kindSpec {
	return []kindSpec{
		{kind: domain.KindTerminalType, bucket: bucketTerminalTypes, key: decodeKey(func(t domain.TerminalType) string { return t.Code })},
		{kind: domain.KindTerminal, bucket: bucketTerminals, key: decodeKey(func(t domain.Terminal) string { return t.ID }),
			put: func(tx *bbolt.Tx, key string, data []byte) error {
				var t domain.Terminal
				if err := json.Unmarshal(data, &t); err != nil {
					return err
				}
				return putTerminal(tx, t)
			}},
		{kind: domain.KindTerminalCounter, bucket: bucketCounters, key: decodeKey(func(c domain.TerminalCounter) string { return c.Series })},
		{kind: domain.KindTerminalChange, bucket: bucketHistory, key: decodeKey(func(c domain.TerminalChange) string { return historyKey(c.TerminalID, c.Seq) })},
		{kind: domain.KindLoan, bucket: bucketLoans, key: decodeKey(func(l domain.Loan) string { return l.ID }),
			put: func(tx *bbolt.Tx, key string, data []byte) error {
				var l domain.Loan
				if err := json.Unmarshal(data, &l); err != nil {
					return err
				}
				return putLoan(tx, l)
			}},
	}
}

func historyKey(id string, seq int) string { return fmt.Sprintf("%s|%08d", id, seq) }

func errTerminalUnknown(id string) error {
	return domain.Errorf(domain.ENOTFOUND, "err.terminal.unknown", id)
}

// putTerminal writes t and its index entry.
func putTerminal(tx *bbolt.Tx, t domain.Terminal) error {
	if err := put(tx, bucketTerminals, t.ID, t); err != nil {
		return err
	}
	return tx.Bucket([]byte(bucketTerminalIndex)).Put([]byte(domain.TerminalSortKey(t.ID)), encodeSummary(t.Summary()))
}

// putLoan writes l, its borrower index entry and its open-loan marker (or
// removes the marker a closed loan left).
func putLoan(tx *bbolt.Tx, l domain.Loan) error {
	if err := put(tx, bucketLoans, l.ID, l); err != nil {
		return err
	}
	if err := tx.Bucket([]byte(bucketLoanBorrower)).Put([]byte(borrowerKey(l.Borrower.ID, l.ID)), nil); err != nil {
		return err
	}
	open := tx.Bucket([]byte(bucketOpenLoans))
	if l.Open {
		return open.Put([]byte(l.TerminalID), []byte(l.ID))
	}
	if bytes.Equal(open.Get([]byte(l.TerminalID)), []byte(l.ID)) {
		return open.Delete([]byte(l.TerminalID))
	}
	return nil
}

func borrowerKey(userID, loanID string) string { return userKeyEscaper.Replace(userID) + "|" + loanID }

func putChange(tx *bbolt.Tx, c domain.TerminalChange) error {
	return put(tx, bucketHistory, historyKey(c.TerminalID, c.Seq), c)
}

// raiseCounter makes the series' counter at least n.
func raiseCounter(tx *bbolt.Tx, id domain.TerminalID) error {
	var c domain.TerminalCounter
	if err := get(tx, bucketCounters, id.Series(), &c); err != nil && !domain.IsNotFound(err) {
		return err
	}
	if c.Last >= id.Number {
		return nil
	}
	c.Series, c.Last = id.Series(), id.Number
	return put(tx, bucketCounters, c.Series, c)
}

// TerminalTypes lists the type table by code.
func (s *Store) TerminalTypes(ctx context.Context) ([]domain.TerminalType, error) {
	var out []domain.TerminalType
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		return tx.Bucket([]byte(bucketTerminalTypes)).ForEach(func(_, v []byte) error {
			var t domain.TerminalType
			if err := json.Unmarshal(v, &t); err != nil {
				return err
			}
			out = append(out, t)
			return nil
		})
	})
	return out, err
}

// SaveTerminalType creates or replaces a type.
func (s *Store) SaveTerminalType(ctx context.Context, tt domain.TerminalType) error {
	if err := tt.Validate(); err != nil {
		return err
	}
	return s.update(ctx, func(tx *bbolt.Tx) error { return put(tx, bucketTerminalTypes, tt.Code, tt) })
}

// CreateTerminal stores a new terminal under its own id.
func (s *Store) CreateTerminal(ctx context.Context, t domain.Terminal, by domain.PersonRef, at time.Time) (domain.Terminal, error) {
	var out domain.Terminal
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		var err error
		out, err = createTerminal(tx, t, by, at, domain.ChangeCreated)
		return err
	})
	return out, err
}

func createTerminal(tx *bbolt.Tx, t domain.Terminal, by domain.PersonRef, at time.Time, action domain.ChangeAction) (domain.Terminal, error) {
	id, err := domain.ParseTerminalID(t.ID)
	if err != nil {
		return t, err
	}
	t.ID = id.String()
	t.Establishment, t.Site, t.Type = id.Establishment(), id.Site, id.Type
	if t.Status == "" {
		t.Status = domain.StatusInStock
	}
	t.Version, t.CreatedAt, t.UpdatedAt, t.UpdatedBy = 1, at.UTC(), at.UTC(), by.ID
	if err := t.Validate(); err != nil {
		return t, err
	}
	if tx.Bucket([]byte(bucketTerminals)).Get([]byte(t.ID)) != nil {
		return t, domain.Errorf(domain.ECONFLICT, "err.terminal.exists", t.ID)
	}
	if err := putTerminal(tx, t); err != nil {
		return t, err
	}
	if err := raiseCounter(tx, id); err != nil {
		return t, err
	}
	return t, putChange(tx, domain.NewChange(domain.Terminal{}, t, action, by, at, ""))
}

// RegisterTerminal gives t the next free number of its series.
func (s *Store) RegisterTerminal(ctx context.Context, t domain.Terminal, by domain.PersonRef, at time.Time) (domain.Terminal, error) {
	org, site, ok := domain.SplitEstablishmentCode(t.Establishment)
	if !ok {
		return t, domain.Errorf(domain.EINVALID, "err.terminal.establishment_code", t.Establishment)
	}
	var out domain.Terminal
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		id := domain.TerminalID{Org: org, Site: site, Type: t.Type, Number: 1}
		if err := id.Validate(); err != nil {
			return err
		}
		var c domain.TerminalCounter
		if err := get(tx, bucketCounters, id.Series(), &c); err != nil && !domain.IsNotFound(err) {
			return err
		}
		id.Number = c.Last + 1
		for tx.Bucket([]byte(bucketTerminals)).Get([]byte(id.String())) != nil {
			id.Number++
		}
		if id.Number > domain.MaxTerminalNum {
			return domain.Errorf(domain.ECONFLICT, "err.terminal.series_full", id.Series())
		}
		t.ID = id.String()
		var err error
		out, err = createTerminal(tx, t, by, at, domain.ChangeCreated)
		return err
	})
	return out, err
}

// Terminal returns the terminal with that id.
func (s *Store) Terminal(ctx context.Context, id string) (domain.Terminal, error) {
	var t domain.Terminal
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		return getOr(tx, bucketTerminals, id, &t, errTerminalUnknown(id))
	})
	return t, err
}

// UpdateTerminal applies u in one transaction with its history entry.
func (s *Store) UpdateTerminal(ctx context.Context, id string, u domain.TerminalUpdate, by domain.PersonRef, at time.Time) (domain.Terminal, error) {
	var out domain.Terminal
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		var t domain.Terminal
		if err := getOr(tx, bucketTerminals, id, &t, errTerminalUnknown(id)); err != nil {
			return err
		}
		after, action, changed, err := u.Change(t)
		out = t
		if err != nil || !changed {
			return err
		}
		return s.commitTerminal(tx, t, &after, action, by, at, "", &out)
	})
	return out, err
}

// commitTerminal bumps t's version and writes it with its history entry.
func (s *Store) commitTerminal(tx *bbolt.Tx, before domain.Terminal, t *domain.Terminal, action domain.ChangeAction, by domain.PersonRef, at time.Time, loanID string, out *domain.Terminal) error {
	t.Version = before.Version + 1
	t.UpdatedAt, t.UpdatedBy = at.UTC(), by.ID
	if err := t.Validate(); err != nil {
		return err
	}
	if err := putTerminal(tx, *t); err != nil {
		return err
	}
	if out != nil {
		*out = *t
	}
	return putChange(tx, domain.NewChange(before, *t, action, by, at, loanID))
}

// SearchTerminals walks the search index.
func (s *Store) SearchTerminals(ctx context.Context, f domain.TerminalFilter) (domain.TerminalPage, error) {
	var page domain.TerminalPage
	bm := newByteMatcher(f)
	lo, hi := max(f.Offset, 0), -1
	if f.Limit > 0 {
		hi = lo + f.Limit
	}
	prefix := []byte(f.Establishment)
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		c := tx.Bucket([]byte(bucketTerminalIndex)).Cursor()
		var fields [ixFields][]byte
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if !splitSummary(v, &fields) || !bm.match(&fields) {
				continue
			}
			if page.Total >= lo && (hi < 0 || page.Total < hi) {
				page.Items = append(page.Items, decodeSummary(&fields))
			}
			page.Total++
		}
		return nil
	})
	return page, err
}

// TerminalHistory returns the changes, newest first.
func (s *Store) TerminalHistory(ctx context.Context, id string, limit int) ([]domain.TerminalChange, error) {
	var out []domain.TerminalChange
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		if tx.Bucket([]byte(bucketTerminals)).Get([]byte(id)) == nil {
			return errTerminalUnknown(id)
		}
		prefix := []byte(id + "|")
		c := tx.Bucket([]byte(bucketHistory)).Cursor()
		// The entry after the last of this terminal, then one step back.
		var k, v []byte
		if next, _ := c.Seek(append(bytes.Clone(prefix), 0xff)); next == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
		for ; k != nil && bytes.HasPrefix(k, prefix) && (limit <= 0 || len(out) < limit); k, v = c.Prev() {
			var ch domain.TerminalChange
			if err := json.Unmarshal(v, &ch); err != nil {
				return err
			}
			out = append(out, ch)
		}
		return nil
	})
	return out, err
}

// ImportTerminals applies every row in one transaction: an inventory of
// thousands of terminals is one fsync.
func (s *Store) ImportTerminals(ctx context.Context, facts []domain.TerminalFacts, by domain.PersonRef, at time.Time) (created, changed int, err error) {
	err = s.update(ctx, func(tx *bbolt.Tx) error {
		created, changed = 0, 0
		for _, f := range facts {
			var t domain.Terminal
			err := get(tx, bucketTerminals, f.ID, &t)
			switch {
			case domain.IsNotFound(err):
				id, err := domain.ParseTerminalID(f.ID)
				if err != nil {
					return err
				}
				t = domain.NewTerminal(id)
				f.ApplyTo(&t)
				if _, err := createTerminal(tx, t, by, at, domain.ChangeImported); err != nil {
					return err
				}
				created++
			case err != nil:
				return err
			default:
				before := t
				if !f.ApplyTo(&t) {
					continue
				}
				if err := s.commitTerminal(tx, before, &t, domain.ChangeImported, by, at, "", nil); err != nil {
					return err
				}
				changed++
			}
		}
		return nil
	})
	return created, changed, err
}

// OpenLoan creates the loan and lends the terminal in one transaction.
func (s *Store) OpenLoan(ctx context.Context, r domain.LoanRequest, at time.Time) (domain.Loan, domain.Terminal, error) {
	var loan domain.Loan
	var term domain.Terminal
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		var t domain.Terminal
		if err := getOr(tx, bucketTerminals, r.TerminalID, &t, errTerminalUnknown(r.TerminalID)); err != nil {
			return err
		}
		if open := tx.Bucket([]byte(bucketOpenLoans)).Get([]byte(t.ID)); open != nil {
			return domain.Errorf(domain.ECONFLICT, "err.loan.already_open", t.ID)
		}
		before := t
		l, err := domain.Lend(&t, r, at)
		if err != nil {
			return err
		}
		if err := l.Validate(); err != nil {
			return err
		}
		if tx.Bucket([]byte(bucketLoans)).Get([]byte(l.ID)) != nil {
			return domain.Errorf(domain.ECONFLICT, "err.loan.already_open", t.ID)
		}
		if err := putLoan(tx, l); err != nil {
			return err
		}
		loan = l
		return s.commitTerminal(tx, before, &t, domain.ChangeLent, r.Technician, at, l.ID, &term)
	})
	return loan, term, err
}

func errLoanUnknown(id string) error { return domain.Errorf(domain.ENOTFOUND, "err.loan.unknown", id) }

// Loan returns the loan with that id.
func (s *Store) Loan(ctx context.Context, id string) (domain.Loan, error) {
	var l domain.Loan
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		return getOr(tx, bucketLoans, id, &l, errLoanUnknown(id))
	})
	return l, err
}

// UpdateLoan applies fn in one transaction.
func (s *Store) UpdateLoan(ctx context.Context, id string, fn func(*domain.Loan) error) (domain.Loan, error) {
	var out domain.Loan
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		var l domain.Loan
		if err := getOr(tx, bucketLoans, id, &l, errLoanUnknown(id)); err != nil {
			return err
		}
		open, closed := l.Open, l.Closed
		if err := fn(&l); err != nil {
			return err
		}
		if l.Open != open || l.Closed != closed || l.ID != id {
			return domain.Errorf(domain.EINVALID, "err.invalid")
		}
		if err := l.Validate(); err != nil {
			return err
		}
		out = l
		return put(tx, bucketLoans, id, l)
	})
	return out, err
}

// CloseLoan closes the loan and puts the terminal back in one transaction.
func (s *Store) CloseLoan(ctx context.Context, id string, r domain.LoanReturn) (domain.Loan, domain.Terminal, error) {
	var loan domain.Loan
	var term domain.Terminal
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		var l domain.Loan
		if err := getOr(tx, bucketLoans, id, &l, errLoanUnknown(id)); err != nil {
			return err
		}
		var t domain.Terminal
		if err := get(tx, bucketTerminals, l.TerminalID, &t); err != nil {
			return err
		}
		before := t
		if err := domain.Return(&t, &l, r); err != nil {
			return err
		}
		if err := putLoan(tx, l); err != nil {
			return err
		}
		loan = l
		return s.commitTerminal(tx, before, &t, domain.ChangeReturned, r.By, r.At, l.ID, &term)
	})
	return loan, term, err
}

// ListLoans uses the open-loan markers or the borrower index when the
// filter allows, and sorts the newest first.
func (s *Store) ListLoans(ctx context.Context, f domain.LoanFilter) ([]domain.Loan, error) {
	var out []domain.Loan
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		loans := tx.Bucket([]byte(bucketLoans))
		add := func(v []byte) error {
			var l domain.Loan
			if err := json.Unmarshal(v, &l); err != nil {
				return err
			}
			if f.Match(l) {
				out = append(out, l)
			}
			return nil
		}
		switch {
		case f.OpenOnly:
			return tx.Bucket([]byte(bucketOpenLoans)).ForEach(func(_, id []byte) error {
				if v := loans.Get(id); v != nil {
					return add(v)
				}
				return nil
			})
		case f.BorrowerID != "":
			prefix := []byte(userKeyEscaper.Replace(f.BorrowerID) + "|")
			c := tx.Bucket([]byte(bucketLoanBorrower)).Cursor()
			for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
				if v := loans.Get(k[len(prefix):]); v != nil {
					if err := add(v); err != nil {
						return err
					}
				}
			}
			return nil
		case f.TerminalID != "":
			prefix := []byte(f.TerminalID + "-L")
			c := loans.Cursor()
			for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
				if err := add(v); err != nil {
					return err
				}
			}
			return nil
		}
		return loans.ForEach(func(_, v []byte) error { return add(v) })
	})
	sortLoans(out)
	return out, err
}

// sortLoans orders loans the newest first, then by id.
func sortLoans(l []domain.Loan) {
	slices.SortFunc(l, func(a, b domain.Loan) int {
		if c := b.Opened.Compare(a.Opened); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// pendingTTL is how long a spreadsheet waits for "Appliquer".
const pendingTTL = 24 * time.Hour

// SavePendingImport stores p and forgets the pending imports of more than
// a day.
func (s *Store) SavePendingImport(ctx context.Context, p domain.PendingImport) error {
	if err := p.Validate(); err != nil {
		return err
	}
	now := s.clock.Now()
	return s.update(ctx, func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte(bucketPending))
		var old [][]byte
		if err := b.ForEach(func(k, v []byte) error {
			var q domain.PendingImport
			if json.Unmarshal(v, &q) != nil || now.Sub(q.Created) > pendingTTL {
				old = append(old, bytes.Clone(k))
			}
			return nil
		}); err != nil {
			return err
		}
		for _, k := range old {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return put(tx, bucketPending, p.ID, p)
	})
}

// PendingImport returns the pending import; ENOTFOUND when it is gone.
func (s *Store) PendingImport(ctx context.Context, id string) (domain.PendingImport, error) {
	var p domain.PendingImport
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		return getOr(tx, bucketPending, id, &p, domain.Errorf(domain.ENOTFOUND, "err.import.expired"))
	})
	return p, err
}

// DeletePendingImport forgets it (absent is fine).
func (s *Store) DeletePendingImport(ctx context.Context, id string) error {
	return s.update(ctx, func(tx *bbolt.Tx) error { return tx.Bucket([]byte(bucketPending)).Delete([]byte(id)) })
}
