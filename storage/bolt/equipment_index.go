package bolt

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/anras/parc/domain"
)

// The search index: one entry per terminal in bucket it_index, keyed by
// the id's sort key (so that a cursor walks terminals in list order), whose
// value is the terminal's summary in a compact form: its fields separated
// by a unit separator, the folded search text last. It is written in the
// same transaction as the terminal. A search walks it and decodes only the
// fields it tests, then the page it returns: no JSON, no full record.

const sep = '\x1f'

// Positions of the fields in an index entry.
const (
	ixID = iota
	ixEst
	ixSite
	ixType
	ixStatus
	ixMake
	ixModel
	ixSerial
	ixHolder
	ixHolderID
	ixDue
	ixWarranty
	ixContract
	ixVersion
	ixText
	ixFields
)

var sepCleaner = strings.NewReplacer(string(sep), " ")

func encodeSummary(s domain.TerminalSummary) []byte {
	fields := [ixFields]string{
		ixID: s.ID, ixEst: s.Establishment, ixSite: s.Site, ixType: s.Type, ixStatus: string(s.Status),
		ixMake: s.Make, ixModel: s.Model, ixSerial: s.Serial, ixHolder: s.Holder, ixHolderID: s.HolderID,
		ixDue: string(s.Due), ixWarranty: string(s.WarrantyEnd), ixContract: string(s.ContractEnd),
		ixVersion: strconv.Itoa(s.Version), ixText: s.SearchText(),
	}
	var b bytes.Buffer
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(sep)
		}
		b.WriteString(sepCleaner.Replace(f))
	}
	return b.Bytes()
}

// splitSummary cuts an entry into its fields without copying.
func splitSummary(v []byte, out *[ixFields][]byte) bool {
	for i := 0; i < ixFields; i++ {
		if i == ixFields-1 {
			out[i] = v
			return true
		}
		j := bytes.IndexByte(v, sep)
		if j < 0 {
			return false
		}
		out[i], v = v[:j], v[j+1:]
	}
	return true
}

func decodeSummary(f *[ixFields][]byte) domain.TerminalSummary {
	v, _ := strconv.Atoi(string(f[ixVersion]))
	return domain.TerminalSummary{
		ID: string(f[ixID]), Establishment: string(f[ixEst]), Site: string(f[ixSite]), Type: string(f[ixType]),
		Status: domain.TerminalStatus(f[ixStatus]), Make: string(f[ixMake]), Model: string(f[ixModel]),
		Serial: string(f[ixSerial]), Holder: string(f[ixHolder]), HolderID: string(f[ixHolderID]),
		Due: domain.Date(f[ixDue]), WarrantyEnd: domain.Date(f[ixWarranty]), ContractEnd: domain.Date(f[ixContract]), Version: v,
	}
}

// byteMatcher tests index entries against a filter without allocating.
type byteMatcher struct {
	m                      domain.Matcher
	est, site              []byte
	types, statuses, words [][]byte
	ends                   bool
}

func newByteMatcher(f domain.TerminalFilter) byteMatcher {
	bm := byteMatcher{m: f.Prepare(), est: []byte(f.Establishment), site: []byte(f.Site), ends: f.EndsBefore != ""}
	for _, t := range f.Types {
		bm.types = append(bm.types, []byte(t))
	}
	for _, s := range f.Statuses {
		bm.statuses = append(bm.statuses, []byte(s))
	}
	for _, w := range bm.m.Words() {
		bm.words = append(bm.words, []byte(w))
	}
	return bm
}

func (bm *byteMatcher) match(f *[ixFields][]byte) bool {
	if len(bm.est) > 0 && !bytes.Equal(f[ixEst], bm.est) {
		return false
	}
	if len(bm.site) > 0 && !bytes.Equal(f[ixSite], bm.site) {
		return false
	}
	if len(bm.types) > 0 && !containsBytes(bm.types, f[ixType]) {
		return false
	}
	if len(bm.statuses) > 0 && !containsBytes(bm.statuses, f[ixStatus]) {
		return false
	}
	if bm.ends && !bm.m.MatchFields(string(f[ixEst]), string(f[ixSite]), string(f[ixType]), domain.TerminalStatus(f[ixStatus]),
		domain.Date(f[ixWarranty]), domain.Date(f[ixContract])) {
		return false
	}
	for _, w := range bm.words {
		if !bytes.Contains(f[ixText], w) {
			return false
		}
	}
	return true
}

func containsBytes(list [][]byte, v []byte) bool {
	for _, x := range list {
		if bytes.Equal(x, v) {
			return true
		}
	}
	return false
}
