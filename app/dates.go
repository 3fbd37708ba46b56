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

// datesFile is one analysed file a decision may be about, with its
// current date: its correction when it has one, else its chosen candidate.
type datesFile struct {
	rec     store.FileRecord
	current string
	corr    *store.Correction
}

// latestOf is the latest record of every file at or under the paths (all
// the library's when none are named): only those are read.
func (l *Library) latestOf(abs []string) ([]store.FileRecord, error) {
	if len(abs) == 0 {
		return l.db.LatestFiles()
	}
	return l.db.LatestIn(abs, nil)
}

// datesFiles lists the files sel names, each with its current date. A path
// named that the library has not analysed, or that changed since, is a
// skipped decision with the reason.
func (l *Library) datesFiles(sel DatesSelection) ([]datesFile, []DateDecision, error) {
	var abs []string
	for _, p := range sel.Paths {
		a, err := filepath.Abs(p)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", p, err)
		}
		abs = append(abs, filepath.Clean(a))
	}
	recs, err := l.latestOf(abs)
	if err != nil && !errors.Is(err, store.ErrDamaged) {
		return nil, nil, err
	}
	corrs, err := l.db.Corrections()
	if err != nil {
		return nil, nil, err
	}
	rng, err := rangeOf(sel, l.opt.Now())
	if err != nil {
		return nil, nil, err
	}
	var out []datesFile
	var skipped []DateDecision
	matched := make([]bool, len(abs))
	for _, r := range recs {
		if r.Status != media.StatusDone || r.SHA256 == "" {
			continue
		}
		if !sameCamera(r, sel) {
			continue
		}
		path := r.AbsPath()
		named := len(abs) == 0
		for i, a := range abs {
			if path == a || within(path, a) {
				named, matched[i] = true, true
			}
		}
		if !named {
			continue
		}
		if len(abs) > 0 {
			if !sameContent(path, r) {
				skipped = append(skipped, DateDecision{Path: path, Skipped: "changed since it was scanned (or gone): scan it again"})
				continue
			}
		}
		f := datesFile{rec: r, current: r.Time.Value}
		if c, ok := corrs[r.SHA256]; ok {
			f.corr, f.current = &c, c.Value
		}
		if !rng.holds(f.current) {
			continue
		}
		out = append(out, f)
	}
	for i, a := range abs {
		if !matched[i] {
			skipped = append(skipped, DateDecision{Path: a, Skipped: "not analysed by a scan: scan it first"})
		}
	}
	return out, skipped, nil
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
		sum := f.rec.SHA256
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
		d := DateDecision{Path: f.rec.AbsPath(), Old: f.current, Skipped: why[sum]}
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

// fromRule accepts the candidate of source the scan found. With no paths,
// only the files where that source has a candidate are decided.
func (l *Library) fromRule(source string, files []datesFile, sel DatesSelection) ([]datesFile, decideFunc) {
	kinds := map[string][]media.CandidateKind{
		store.CorrectionFilename: {media.KindFilenameTime, media.KindFilenameDate},
		store.CorrectionTakeout:  {media.KindTakeout},
	}[source]
	if len(sel.Paths) == 0 { // only the files where the source has a candidate
		kept := files[:0]
		for _, f := range files {
			if _, ok := candidateOf(f.rec, kinds); ok {
				kept = append(kept, f)
			}
		}
		files = kept
	}
	now := l.opt.Now()
	return files, func(f datesFile) (*store.Correction, string) {
		c, ok := candidateOf(f.rec, kinds)
		if !ok {
			return nil, "the scan found no " + source + " date for it"
		}
		v, err := ParseCandidateValue(c.Value)
		if err == nil && source == store.CorrectionTakeout {
			v = takeoutLocal(v, f.rec)
		}
		if err == nil {
			err = checkYear(v.Wall.Year(), now)
		}
		if err != nil {
			return nil, fmt.Sprintf("its %s date %q cannot be used: %v", source, c.Value, err)
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
// candidates that knows its zone (a camera's OffsetTimeOriginal, a phone
// video's creation date), else from this computer's time zone at that
// instant, as the person who exported their photos lives in it. The offset
// is kept, so what is written says which it was.
func takeoutLocal(v DateValue, rec store.FileRecord) DateValue {
	if !v.ZoneKnown || v.Precision != store.PrecisionSecond {
		return v
	}
	zone := time.Local
	for _, c := range rec.Time.Candidates {
		if c.Kind == media.KindTakeout {
			continue
		}
		if other, err := ParseCandidateValue(c.Value); err == nil && other.ZoneKnown && other.Offset() != "Z" {
			zone = other.Wall.Location()
			break
		}
	}
	local := v.Wall.In(zone)
	_, off := local.Zone()
	v.Wall = local.In(time.FixedZone("", off))
	return v
}
