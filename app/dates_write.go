package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"shoebox/media"
	"shoebox/store"
)

// Where a dates run writes a decided date.
const (
	WriteXMP   = "xmp"   // an XMP sidecar beside the file (SidecarPath); the file is not touched
	WriteEXIF  = "exif"  // inside the file (a JPEG through EXIFDateWriter, a video as WriteQuickTime)
	WriteMtime = "mtime" // the file's modification time
)

// DatesWriteOptions say what a dates run writes where.
type DatesWriteOptions struct {
	// To are the places: WriteXMP or WriteEXIF, and WriteMtime with either
	// or alone. Default: WriteXMP.
	To []string
	// Paths are files or folders. Default: every file with a decided date.
	Paths []string
	// Noon says the person agrees that a date known only to the day is
	// written as 12:00:00 where a time of day is needed (EXIF, the
	// modification time). Default: no, such a date goes to the XMP sidecar,
	// which has a place for a date alone, and the modification time is left.
	Noon NoonConsent
}

// NoonConsent is whether a day-only date may be written at noon.
type NoonConsent int

const (
	NoonRefused NoonConsent = iota // the default: never invent a time of day
	NoonAgreed                     // the person agreed to 12:00:00 for day-only dates
)

// DateWrite is one value a dates run writes, as `dates write --dry-run
// --json` prints it: the file written, the field, and the values before
// and after ("" when there was none). Note says what was decided for it
// (a fallback, why it is left).
type DateWrite struct {
	Path  string `json:"path"`
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
	Note  string `json:"-"`
}

// PlanDatesWrite is a dry run: what a dates run with opt would write. It
// changes nothing.
func (l *Library) PlanDatesWrite(opt DatesWriteOptions) ([]DateWrite, error) {
	writes, _, err := l.planDatesWrite(opt)
	return writes, err
}

// WriteDates starts a change run of kind dates writing what PlanDatesWrite
// plans, after a backup of the library. It returns the run's ID (0 when
// there is nothing to write) and the plan; the run goes on in the
// background and appears in Runs; Undo puts back every old value.
func (l *Library) WriteDates(opt DatesWriteOptions) (uint64, []DateWrite, error) {
	writes, items, err := l.planDatesWrite(opt)
	if err != nil || len(items) == 0 {
		return 0, writes, err
	}
	to, _ := checkWriteTargets(opt.To) // checked by planDatesWrite
	prefs, err := l.db.ChangePreferences()
	if err != nil {
		return 0, writes, err
	}
	protect, err := cleanProtect(prefs.Protect)
	if err != nil {
		return 0, writes, err
	}
	j := store.Job{Kind: store.KindDates, Status: store.StatePending, CreatedAt: l.opt.Now(),
		Change: &store.ChangeRun{Action: strings.Join(to, "+"), Protect: protect, Quarantine: QuarantineDir(l.Path())}}
	id, err := l.startChangeRun(j, items, nil)
	return id, writes, err
}

func checkWriteTargets(to []string) ([]string, error) {
	if len(to) == 0 {
		return []string{WriteXMP}, nil
	}
	seen := map[string]bool{}
	for _, t := range to {
		switch t {
		case WriteXMP, WriteEXIF, WriteMtime:
		default:
			return nil, fmt.Errorf("cannot write dates to %q: write to xmp, exif or mtime", t)
		}
		seen[t] = true
	}
	if seen[WriteXMP] && seen[WriteEXIF] {
		return nil, errors.New("write to xmp or to exif, not both (either combines with mtime)")
	}
	out := []string{}
	for _, t := range []string{WriteXMP, WriteEXIF, WriteMtime} { // the sidecar or the file first, then its time
		if seen[t] {
			out = append(out, t)
		}
	}
	return out, nil
}

// planDatesWrite makes the run's items: per corrected file and place, the
// value before and after, with the bytes of a sidecar that exists.
func (l *Library) planDatesWrite(opt DatesWriteOptions) ([]DateWrite, []store.ChangeItem, error) {
	to, err := checkWriteTargets(opt.To)
	if err != nil {
		return nil, nil, err
	}
	// Only the decided files are kept, with what EXIF holds now.
	need := datesNeed{kinds: []media.CandidateKind{media.KindEXIFOriginal}, decided: true}
	files, skipped, err := l.datesFiles(DatesSelection{Paths: opt.Paths}, need)
	if err != nil {
		return nil, nil, err
	}
	var writes []DateWrite
	for _, s := range skipped {
		writes = append(writes, DateWrite{Path: s.Path, Note: s.Skipped})
	}
	var items []store.ChangeItem
	for _, f := range files {
		if f.corr == nil {
			continue
		}
		path := f.path
		info, err := os.Lstat(path)
		if err != nil {
			writes = append(writes, DateWrite{Path: path, Note: "it is no longer there: scan again"})
			continue
		}
		for _, field := range to {
			w, it := planOneWrite(f, path, field, info.ModTime().UnixNano(), opt.Noon)
			writes = append(writes, w)
			if it != nil {
				items = append(items, *it)
			}
		}
	}
	sort.SliceStable(items, func(a, b int) bool { return items[a].Path < items[b].Path })
	return writes, items, nil
}

// planOneWrite plans writing f's decided date to field; the item is nil
// when nothing is to be written (Note says why).
// mtimeNS is the file's modification time now (an earlier run may have set
// it since the scan). noon says whether a day-only date may take 12:00:00.
func planOneWrite(f datesFile, path, field string, mtimeNS int64, noon NoonConsent) (DateWrite, *store.ChangeItem) {
	c := f.corr
	if field != WriteXMP && noon == NoonAgreed && c.Precision == store.PrecisionDay {
		c = atNoon(c)
	}
	it := &store.ChangeItem{Op: field, Path: path, Size: f.size, MtimeNS: f.mtimeNS, SHA256: f.sum,
		State: store.ChangePending}
	var note string
	if field == WriteEXIF && isQuickTime(path) { // a video's own dates, in UTC (dates_video.go)
		e, why := planQuickTime(path, c)
		if e != nil {
			it.Op, it.Dates = WriteQuickTime, e
			return DateWrite{Path: path, Field: WriteQuickTime, Old: e.Old, New: e.New}, it
		}
		field, note, it.Op = WriteXMP, why, WriteXMP
	}
	if field == WriteEXIF {
		switch {
		case !isJPEG(path):
			field, note = WriteXMP, "not a JPEG: written to its XMP sidecar instead"
		case c.Precision != store.PrecisionSecond:
			field, note = WriteXMP, "known only to the "+c.Precision+": EXIF needs a time of day, so it is written to its XMP sidecar instead"
			if c.Precision == store.PrecisionDay {
				note += " (or agree to 12:00 with --noon)"
			}
		}
		it.Op = field
	}
	switch field {
	case WriteXMP:
		e, err := planSidecar(path, c.Value)
		if err != nil {
			return DateWrite{Path: SidecarPath(path), Field: field, New: c.Value, Note: "left alone: the sidecar " + err.Error()}, nil
		}
		it.Dates = e
	case WriteMtime:
		if c.Precision != store.PrecisionSecond {
			note := "left alone: known only to the " + c.Precision + ", and a modification time needs a time of day"
			if c.Precision == store.PrecisionDay {
				note += " (agree to 12:00 with --noon)"
			}
			return DateWrite{Path: path, Field: field, New: c.Value, Note: note}, nil
		}
		v, err := ParseCandidateValue(c.Value)
		if err != nil {
			return DateWrite{Path: path, Field: field, New: c.Value, Note: "left alone: " + err.Error()}, nil
		}
		newT := mtimeOf(v)
		it.Dates = &store.DatesEntry{Field: field, Target: path, Old: time.Unix(0, mtimeNS).Format(time.RFC3339),
			New: newT.Format(time.RFC3339), OldMtimeNS: mtimeNS, NewMtimeNS: newT.UnixNano()}
	case WriteEXIF:
		it.Dates = &store.DatesEntry{Field: field, Target: path, Old: f.cand, New: c.Value} // f.cand: what the file holds now
	}
	return DateWrite{Path: it.Dates.Target, Field: field, Old: it.Dates.Old, New: it.Dates.New, Note: note}, it
}

// atNoon is a day-only decision at 12:00:00 on that day, as the person
// agreed; the offset stays unknown (a day carries none).
func atNoon(c *store.Correction) *store.Correction {
	n := *c
	n.Value, n.Precision = c.Value+"T12:00:00", store.PrecisionSecond
	return &n
}

// mtimeOf is the instant a modification time is set to: the decided time
// at its offset when known, else the wall clock read in this computer's
// time zone, as file managers show modification times (never as UTC).
func mtimeOf(v DateValue) time.Time {
	if v.ZoneKnown {
		return v.Wall
	}
	w := v.Wall
	return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, time.Local)
}

// planSidecar reads the sidecar as it is and makes its new bytes.
func planSidecar(path, value string) (*store.DatesEntry, error) {
	target := SidecarPath(path)
	e := &store.DatesEntry{Field: WriteXMP, Target: target, New: value}
	old, err := os.ReadFile(target)
	switch {
	case err == nil:
		dates, rerr := readSidecarDates(old)
		if rerr != nil {
			return nil, rerr
		}
		if e.NewBytes, err = updateSidecar(old, value); err != nil {
			return nil, err
		}
		e.Existed, e.OldBytes, e.OldSHA256, e.Old = true, old, sumOf(old), dates["exif:DateTimeOriginal"]
		if info, err := os.Stat(target); err == nil {
			e.OldMtimeNS = info.ModTime().UnixNano() // undo gives the sidecar its old time back too
		}
	case errors.Is(err, os.ErrNotExist):
		e.NewBytes = newSidecar(value)
	default:
		return nil, fmt.Errorf("cannot be read: %s", describeFSError(err))
	}
	if err := checkSidecar(e.NewBytes, value); err != nil {
		return nil, fmt.Errorf("could not be updated: %w", err)
	}
	e.NewSHA256 = sumOf(e.NewBytes)
	return e, nil
}

func sumOf(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func isJPEG(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jpg", ".jpeg", ".jpe":
		return true
	}
	return false
}

// checkContent says why path is no longer the bytes a decision is about
// ("" when it is); its modification time is not looked at, since a dates
// run may set it.
func checkContent(ctx context.Context, it store.ChangeItem) (string, error) {
	info, err := os.Lstat(it.Path)
	switch {
	case err != nil:
		return fmt.Sprintf("cannot be read now (%s): changed since the scan", describeFSError(err)), nil
	case !info.Mode().IsRegular():
		return "is not a regular file now: changed since the scan", nil
	case info.Size() != it.Size:
		return "changed since the scan (its size differs)", nil
	}
	got, err := sha256File(ctx, it.Path)
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	if err != nil {
		return "cannot be read now: " + describeFSError(err), nil
	}
	if got != it.SHA256 {
		return "changed since the scan (its SHA-256 differs)", nil
	}
	return "", nil
}
