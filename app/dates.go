package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"shoebox/media"
	"shoebox/store"
)

// Date decisions: what a person (or a rule they chose) decided a file's
// date is. They are stored keyed by the file's SHA-256 (store.Correction),
// so they follow the content through rescans, moves and organise, and touch
// no file: writing them back is a change run of its own (dates_write.go).

// DateDecision is one file's change as a decision prints it.
type DateDecision struct {
	Path string `json:"path"`
	Old  string `json:"old"`
	New  string `json:"new"`
	// Skipped says why the file was left as it was ("" when decided).
	Skipped string `json:"skipped,omitempty"`
}

// DateOutcome is what a decision did to its file's date.
type DateOutcome int

const (
	DateGiven DateOutcome = iota // a new date
	// DateKept: decided as it was. The date is the one it had, now the
	// person's (high confidence): the decision is recorded all the same.
	DateKept
	DateLeft // not decided: Skipped says why
)

// Outcome says what the decision did; the command line and the window
// count and word their decisions by it.
func (d DateDecision) Outcome() DateOutcome {
	switch {
	case d.Skipped != "":
		return DateLeft
	case d.Old == d.New:
		return DateKept
	}
	return DateGiven
}

// DatesSelection says which files a decision is about. Every filter set
// must hold for a file.
type DatesSelection struct {
	// Paths are files or folders (every file under them). Default: every
	// file the library has analysed.
	Paths []string
	// Camera, when set, keeps only the files whose camera (EXIF make and
	// model) is this one, compared without case.
	Camera string
	// Serial, with Camera, keeps only that camera body: a file whose record
	// names another serial is left out. A file with no serial (or analysed
	// before serials were read) matches on make and model alone. Default:
	// any body.
	Serial string
	// From and Until keep only the files whose current date lies in the
	// range, both ends included to their precision (Until "2016" is the
	// whole of 2016); ParseDate's forms, compared on the wall clock. A file
	// with no date is outside any range. Default: no bound.
	From, Until string
}

// datesFile is what a decision, or writing one back, reads of one analysed
// file: its path and content, its current date (its correction when it has
// one, else its chosen candidate), and what datesNeed asked for. Not the
// record itself: a whole-library decision may keep a million of these.
type datesFile struct {
	path    string // absolute
	sum     string // SHA-256
	size    int64
	mtimeNS int64
	current string
	corr    *store.Correction
	// cand is the value of the file's first valid candidate of the kinds
	// datesNeed.kinds names; "" when it has none.
	cand string
	// zone is the zone another of the file's candidates knows
	// (datesNeed.zone); nil when none does.
	zone *time.Location
}

// datesNeed says what datesFiles keeps of each file beyond its path,
// content and current date, and which files it drops as the records stream
// by. The zero value keeps no more and drops none (set, shift, zone).
type datesNeed struct {
	// kinds are the candidates a rule reads (datesFile.cand): the file
	// name's or Takeout's date, or what EXIF holds now for write.
	kinds []media.CandidateKind
	// withCandidate drops the files with no candidate of kinds (from-name
	// and from-takeout with no paths: "wherever there is one").
	withCandidate bool
	// zone keeps the zone the file's other candidates know (from-takeout).
	zone bool
	// decided drops the files without a decision (write).
	decided bool
}

// eachLatestOf calls fn with the latest record of every file at or under
// the paths (all the library's when none are named): only those are read.
// The whole library streams, its done records only; a folder's records
// are few enough to be read at once (LatestIn).
func (l *Library) eachLatestOf(abs []string, fn func(store.FileRecord) error) error {
	if len(abs) == 0 {
		done := func(st media.Status) bool { return st == media.StatusDone }
		return l.db.EachLatest(store.LatestOptions{Status: done}, fn)
	}
	recs, err := l.db.LatestIn(abs, nil)
	if err != nil && !errors.Is(err, store.ErrDamaged) {
		return err
	}
	for _, r := range recs {
		if err := fn(r); err != nil {
			return err
		}
	}
	return err
}

// datesFiles lists the files sel names, each with its current date and
// what need asks for. A path named that the library has not analysed, or
// that changed since, is a skipped decision with the reason. The records
// stream: only the files selected are kept. Damaged records are left out,
// as the library's reads leave them.
func (l *Library) datesFiles(sel DatesSelection, need datesNeed) ([]datesFile, []DateDecision, error) {
	p := datesPicker{sel: sel, need: need}
	for _, path := range sel.Paths {
		a, err := filepath.Abs(path)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		p.abs = append(p.abs, filepath.Clean(a))
	}
	var err error
	if p.decided, err = l.decidedDates(); err != nil {
		return nil, nil, err
	}
	if p.rng, err = rangeOf(sel, l.opt.Now()); err != nil {
		return nil, nil, err
	}
	p.matched = make([]bool, len(p.abs))
	if err := l.eachLatestOf(p.abs, p.pick); err != nil && !errors.Is(err, store.ErrDamaged) {
		return nil, nil, err
	}
	if !sort.SliceIsSorted(p.out, func(a, b int) bool { return p.out[a].path < p.out[b].path }) {
		// The walk's order is the paths' with '/' separators (store.EachLatest).
		sort.Slice(p.out, func(a, b int) bool { return p.out[a].path < p.out[b].path })
	}
	for i, a := range p.abs {
		if !p.matched[i] {
			p.skipped = append(p.skipped, DateDecision{Path: a, Skipped: "not analysed by a scan: scan it first"})
		}
	}
	return p.out, p.skipped, nil
}

// datesPicker keeps, of the records streaming by, the files a selection
// names, reduced to what need asks for.
type datesPicker struct {
	sel     DatesSelection
	need    datesNeed
	abs     []string // the selection's paths, absolute
	matched []bool   // which of abs named an analysed file
	decided *decidedDates
	rng     dateRange
	out     []datesFile
	skipped []DateDecision
}

// pick keeps r when the selection names it.
func (p *datesPicker) pick(r store.FileRecord) error {
	if r.Status != media.StatusDone || r.SHA256 == "" || !sameCamera(r, p.sel) {
		return nil
	}
	path := r.AbsPath()
	named := len(p.abs) == 0
	for i, a := range p.abs {
		if path == a || within(path, a) {
			named, p.matched[i] = true, true
		}
	}
	if !named {
		return nil
	}
	if len(p.abs) > 0 && !sameContent(path, r) {
		p.skipped = append(p.skipped, DateDecision{Path: path, Skipped: "changed since it was scanned (or gone): scan it again"})
		return nil
	}
	f := datesFile{path: path, sum: r.SHA256, size: r.Size, mtimeNS: r.MtimeNS, current: r.Time.Value}
	c, ok, err := p.decided.of(r.SHA256)
	if err != nil {
		return err
	}
	if ok {
		f.corr, f.current = &c, c.Value
	}
	if !p.rng.holds(f.current) || p.need.decided && f.corr == nil {
		return nil
	}
	if len(p.need.kinds) > 0 {
		c, ok := candidateOf(r, p.need.kinds)
		if !ok && p.need.withCandidate {
			return nil
		}
		f.cand = c.Value
	}
	if p.need.zone {
		f.zone = knownZone(r.Time.Candidates)
	}
	p.out = append(p.out, f)
	return nil
}

// sameContent says whether path still holds the record's bytes: its size
// and modification time tell, or, when only the time differs (a dates run
// may have set it), its SHA-256.
func sameContent(path string, r store.FileRecord) bool {
	info, err := os.Lstat(path)
	if err != nil || !info.Mode().IsRegular() || info.Size() != r.Size {
		return false
	}
	if info.ModTime().UnixNano() == r.MtimeNS {
		return true
	}
	sum, err := sha256File(context.Background(), path)
	return err == nil && sum == r.SHA256
}

// decisions makes one correction per content among files, made by decide
// (nil with a reason to leave a file alone), and says what changes for
// every path. Two paths with the same bytes are one decision. It stores
// nothing: PreviewDates shows what it returns, and decide stores it.
func (l *Library) decisions(files []datesFile, skipped []DateDecision, decide decideFunc) ([]DateDecision, []store.Correction) {
	out := append([]DateDecision(nil), skipped...)
	bySum := map[string]*store.Correction{}
	var why = map[string]string{}
	var cs []store.Correction
	now := l.opt.Now()
	for _, f := range files {
		sum := f.sum
		if _, done := bySum[sum]; !done && why[sum] == "" {
			c, reason := decide(f)
			if c != nil {
				c.SHA256, c.Was, c.DecidedAt = sum, f.current, now
				cs = append(cs, *c)
				bySum[sum] = c
			} else {
				why[sum] = reason
			}
		}
		d := DateDecision{Path: f.path, Old: f.current, Skipped: why[sum]}
		if c := bySum[sum]; c != nil {
			d.New = c.Value
		}
		out = append(out, d)
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Path < out[b].Path })
	return out, cs
}

// decideFunc decides one file: its correction, or nil and why it is left.
type decideFunc func(f datesFile) (*store.Correction, string)

// decide stores what decisions makes, all in one transaction.
func (l *Library) decide(files []datesFile, skipped []DateDecision, decide decideFunc) ([]DateDecision, error) {
	if l.db.ReadOnly() {
		return nil, errors.New("the library is open only to read")
	}
	out, cs := l.decisions(files, skipped, decide)
	if len(cs) == 0 {
		return out, nil
	}
	return out, l.db.PutCorrections(cs)
}

// SetDate records date (ParseDate's forms) as the date of every file sel
// names, decided by the person.
func (l *Library) SetDate(sel DatesSelection, date string) ([]DateDecision, error) {
	return l.DecideDates(DatesChange{Op: DatesSet, Selection: sel, Date: date})
}

// ShiftDates moves the current date of every file sel names by sh: a
// camera's clock that was off. A file with no date, or one known only to
// the year or month, is left with the reason.
func (l *Library) ShiftDates(sel DatesSelection, sh Shift) ([]DateDecision, error) {
	return l.DecideDates(DatesChange{Op: DatesShift, Selection: sel, By: sh})
}

// DatesFrom accepts, for every file sel names, the candidate of source
// (store.CorrectionFilename or store.CorrectionTakeout) the scan found.
// With no paths, it is every file where that source has a candidate.
func (l *Library) DatesFrom(sel DatesSelection, source string) ([]DateDecision, error) {
	op, ok := map[string]string{store.CorrectionFilename: DatesFromName, store.CorrectionTakeout: DatesFromTakeout}[source]
	if !ok {
		return nil, fmt.Errorf("unknown source %q (filename or takeout)", source)
	}
	return l.DecideDates(DatesChange{Op: op, Selection: sel})
}

// setRule decides the typed date for every file.
func (l *Library) setRule(ch DatesChange) (decideFunc, error) {
	v, err := ParseDate(ch.Date, l.opt.Now())
	if err != nil {
		return nil, err
	}
	return func(datesFile) (*store.Correction, string) {
		return correctionOf(v, store.CorrectionUser, "person"), ""
	}, nil
}

// shiftRule moves each file's current date by ch.By.
func (l *Library) shiftRule(ch DatesChange) decideFunc {
	sel, sh := ch.Selection, ch.By
	rule := "shift " + sh.String()
	if sel.Camera != "" {
		rule += " for camera " + sel.Camera
	}
	now := l.opt.Now()
	return func(f datesFile) (*store.Correction, string) {
		if f.current == "" {
			return nil, "it has no date to shift"
		}
		v, err := ParseCandidateValue(f.current)
		if err != nil {
			return nil, fmt.Sprintf("its date %q cannot be read: %v", f.current, err)
		}
		if v, err = sh.Apply(v, now); err != nil {
			return nil, err.Error()
		}
		return correctionOf(v, store.CorrectionShift, "rule: "+rule), ""
	}
}

// fromRule accepts the candidate of source the scan found, and says what
// datesFiles keeps for it. With no paths, only the files where that source
// has a candidate are decided.
func (l *Library) fromRule(source string, sel DatesSelection) (datesNeed, decideFunc) {
	need := datesNeed{
		kinds: map[string][]media.CandidateKind{
			store.CorrectionFilename: {media.KindFilenameTime, media.KindFilenameDate},
			store.CorrectionTakeout:  {media.KindTakeout},
		}[source],
		withCandidate: len(sel.Paths) == 0,
		zone:          source == store.CorrectionTakeout,
	}
	now := l.opt.Now()
	return need, func(f datesFile) (*store.Correction, string) {
		if f.cand == "" {
			return nil, "the scan found no " + source + " date for it"
		}
		v, err := ParseCandidateValue(f.cand)
		if err == nil && source == store.CorrectionTakeout {
			v = takeoutLocal(v, f.zone)
		}
		if err == nil {
			err = checkYear(v.Wall.Year(), now)
		}
		if err != nil {
			return nil, fmt.Sprintf("its %s date %q cannot be used: %v", source, f.cand, err)
		}
		return correctionOf(v, source, "rule: "+datesFromRule[source]), ""
	}
}

// datesFromRule names the command that accepts each source.
var datesFromRule = map[string]string{store.CorrectionFilename: "from-name", store.CorrectionTakeout: "from-takeout"}

// candidateOf is the record's first valid candidate of one of kinds.
func candidateOf(r store.FileRecord, kinds []media.CandidateKind) (media.Candidate, bool) {
	for _, c := range r.Time.Candidates {
		for _, k := range kinds {
			if c.Kind == k && !c.Rejected && c.Value != "" {
				return c, true
			}
		}
	}
	return media.Candidate{}, false
}

func correctionOf(v DateValue, source, by string) *store.Correction {
	return &store.Correction{Value: v.String(), Precision: v.Precision, Offset: v.Offset(), Source: source, DecidedBy: by}
}

// takeoutLocal turns a Takeout date, an instant in UTC, into the photo's own
// local time, so it is never written as UTC (the hours-off photos people
// report from other tools). The offset comes from another of the file's
// candidates that knows its zone (zone: a camera's OffsetTimeOriginal, a
// phone video's creation date), else from this computer's time zone at that
// instant, as the person who exported their photos lives in it. The offset
// is kept, so what is written says which it was.
func takeoutLocal(v DateValue, zone *time.Location) DateValue {
	if !v.ZoneKnown || v.Precision != store.PrecisionSecond {
		return v
	}
	if zone == nil {
		zone = time.Local
	}
	local := v.Wall.In(zone)
	_, off := local.Zone()
	v.Wall = local.In(time.FixedZone("", off))
	return v
}

// knownZone is the zone of the first of cands, Takeout's aside, that knows
// its offset (other than UTC); nil when none does.
func knownZone(cands []media.Candidate) *time.Location {
	for _, c := range cands {
		if c.Kind == media.KindTakeout {
			continue
		}
		if other, err := ParseCandidateValue(c.Value); err == nil && other.ZoneKnown && other.Offset() != "Z" {
			return other.Wall.Location()
		}
	}
	return nil
}
