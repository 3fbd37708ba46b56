package app

import (
	"slices"
	"strconv"

	"shoebox/store"
)

// decidedDates finds the date a person decided for a file's content without
// holding every decision. A rule for a whole camera can decide a million
// dates, and every read of a job's files (Files, the report, a file's
// detail) read them all into a map first. It keeps the first 8 bytes of
// each decided SHA-256, sorted (8 MB at a million decisions, nothing when
// there are none), and reads a decision from the library only for a content
// that may have one.
type decidedDates struct {
	db       *store.DB
	prefixes []uint64
}

// decidedDates lists what the library has decided, as it is now.
func (l *Library) decidedDates() (*decidedDates, error) {
	p, err := l.db.DecidedPrefixes()
	if err != nil {
		return nil, err
	}
	return &decidedDates{db: l.db, prefixes: p}, nil
}

// of is the decision for the content sum (a hex SHA-256), when there is one.
func (d *decidedDates) of(sum string) (store.Correction, bool, error) {
	if !d.mayHave(sum) {
		return store.Correction{}, false, nil
	}
	return d.db.CorrectionOf(sum)
}

// mayHave says whether a decision may be kept for the content sum: its
// prefix is among those decided.
func (d *decidedDates) mayHave(sum string) bool {
	if len(d.prefixes) == 0 || !isSHA256Hex(sum) {
		return false // nothing is decided for what is not a content's sum
	}
	p, _ := strconv.ParseUint(sum[:16], 16, 64)
	_, found := slices.BinarySearch(d.prefixes, p)
	return found
}

// apply gives r the date decided for its content, when there is one, and
// says whether there was.
func (d *decidedDates) apply(r *store.FileRecord) (bool, error) {
	c, ok, err := d.of(r.SHA256)
	if ok {
		r.Time = correctedTimestamp(r.Time, c)
	}
	return ok, err
}

// decisionOf is decidedDates.of for one record read alone (a file's
// detail): one look-up, not the list of every decision.
func decisionOf(db *store.DB, sum string) (store.Correction, bool, error) {
	if !isSHA256Hex(sum) {
		return store.Correction{}, false, nil
	}
	return db.CorrectionOf(sum)
}

// isSHA256Hex says whether sum is a SHA-256 as the library writes them: 64
// lower-case hex digits.
func isSHA256Hex(sum string) bool {
	if len(sum) != 64 {
		return false
	}
	for i := range len(sum) {
		if c := sum[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
