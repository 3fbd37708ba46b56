package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"shoebox/media"
	"shoebox/store"
)

// OrganiseOptions say what an organise run files where.
type OrganiseOptions struct {
	// Dest is the library folder files are organised into. Required; it may
	// not exist yet. It must not lie inside a source, nor a source inside it.
	Dest string
	// Sources are the folders organised. Default: every folder scanned in
	// the library (those inside Dest are left out). A file under them that
	// the library has not analysed is left in place, with the reason.
	Sources []string
	// Template is the layout under Dest. Default DefaultOrganiseTemplate.
	Template string
	// Move moves each source to the quarantine once its copy is verified
	// (and the copies of files already in the library, once that is
	// proven), instead of leaving it in place. Default: copy only.
	Move bool
	// MoveTo is where moved sources go: "quarantine" or "trash" (the
	// operating system's). Default: the library's preferred action when it
	// is trash, else the quarantine.
	MoveTo string
	// IncludeLow files LOW-confidence dates by date too. Default: only HIGH
	// and MEDIUM are; LOW and NONE go to Unsorted/{rel}/{name}.
	IncludeLow bool
	// NormaliseExt spells {ext} the usual way (jpeg -> jpg). Default: only
	// lower-cased.
	NormaliseExt bool
	// MtimeFromDate gives each copy its taken date as modification time.
	// Default: the source's modification time.
	MtimeFromDate bool
	// CaseInsensitive makes names compare without case in Dest whatever its
	// filesystem does (tests pretend with it). Default: a probe file in
	// Dest tells.
	CaseInsensitive bool
}

// LedgerEntry is one input file's fate, as `shoebox ledger --json` and
// `shoebox organise --dry-run --json` print it.
type LedgerEntry struct {
	Source string `json:"source"`
	Fate   string `json:"fate"` // store.FateFiled, FateUnsorted, FateDuplicate, FateAlready, FateLeft or FateError
	Dest   string `json:"dest"`
	Of     string `json:"of"`
	Reason string `json:"reason"`
	// Verified is set, in a run's ledger, once the file's bytes are proven
	// in the library: its copy verified, or the file holding them read.
	Verified bool  `json:"-"`
	Size     int64 `json:"-"`
}

// OrganisePlan is what an organise run does, or did: every input file's
// fate, in the order the run takes them.
type OrganisePlan struct {
	Dest     string
	Sources  []string
	Template string
	Move     bool
	Entries  []LedgerEntry
	// CopyBytes is the size of the files to copy; Unsorted how many of them
	// go to Unsorted/; Folders how many files go to each destination folder
	// (relative, '/' separators).
	CopyBytes int64
	Unsorted  int
	Folders   map[string]int
	// NotScanned are the sources with no file analysed in the library.
	NotScanned []string

	items []store.ChangeItem
}

// orgFile is one input file while the plan is made.
type orgFile struct {
	abs, root, rel string // rel: relative to root, '/' separators
	name           string
	size, mtime    int64
	mode           uint32
	sum            string
	rec            *store.FileRecord
	bundle         *orgBundle
	suffix         string // a member's name after its primary's stem
	entry          LedgerEntry
	keepMtime      int64 // for a duplicate or a file already there: the mtime of the file holding its bytes
}

// PlanOrganise is a dry run: what an organise run with opt would do. It
// changes nothing (a probe file is made and removed in Dest to learn how
// its names compare).
func (l *Library) PlanOrganise(ctx context.Context, opt OrganiseOptions) (OrganisePlan, error) {
	opt, err := l.organiseDefaults(opt)
	if err != nil {
		return OrganisePlan{}, err
	}
	dest, err := newDestIndex(ctx, opt.Dest, nameFold(opt))
	if err != nil {
		return OrganisePlan{}, fmt.Errorf("cannot look through the destination %s: %w", opt.Dest, err)
	}
	files, notScanned, err := l.organiseInputs(ctx, opt.Sources)
	if err != nil {
		return OrganisePlan{}, err
	}
	p := OrganisePlan{Dest: opt.Dest, Sources: opt.Sources, Template: opt.Template, Move: opt.Move,
		Folders: map[string]int{}, NotScanned: notScanned}
	b := bundler{opt: opt, dest: dest, ctx: ctx}
	ordered := b.fileAll(files)
	p.items = organiseItems(ordered, opt)
	for _, f := range ordered {
		p.Entries = append(p.Entries, f.entry)
		if f.entry.Fate == store.FateFiled || f.entry.Fate == store.FateUnsorted {
			p.CopyBytes += f.size
			rel, _ := filepath.Rel(opt.Dest, filepath.Dir(f.entry.Dest))
			p.Folders[filepath.ToSlash(rel)]++
			if f.entry.Fate == store.FateUnsorted {
				p.Unsorted++
			}
		}
	}
	return p, ctx.Err()
}

// organiseDefaults fills opt's defaults and checks its folders.
func (l *Library) organiseDefaults(opt OrganiseOptions) (OrganiseOptions, error) {
	if opt.Template == "" {
		opt.Template = DefaultOrganiseTemplate
	}
	if err := checkTemplate(opt.Template); err != nil {
		return opt, err
	}
	if opt.Dest == "" {
		return opt, errors.New("name the destination folder (--to DEST)")
	}
	dest, err := filepath.Abs(opt.Dest)
	if err != nil {
		return opt, fmt.Errorf("%s: %w", opt.Dest, err)
	}
	opt.Dest = dest
	if fi, err := os.Stat(dest); err == nil && !fi.IsDir() {
		return opt, fmt.Errorf("the destination %s is a file, not a folder", dest)
	}
	if opt.MoveTo == "" {
		opt.MoveTo = "quarantine"
		if prefs, err := l.db.ChangePreferences(); err == nil && prefs.Action == "trash" {
			opt.MoveTo = "trash"
		}
	}
	if opt.MoveTo != "quarantine" && opt.MoveTo != "trash" {
		return opt, fmt.Errorf("moved sources go to the quarantine or the trash, not %q", opt.MoveTo)
	}
	explicit := len(opt.Sources) > 0
	if !explicit {
		if opt.Sources, err = l.scannedRoots(); err != nil {
			return opt, err
		}
	}
	var sources []string
	for _, s := range opt.Sources {
		abs, err := filepath.Abs(s)
		if err != nil {
			return opt, fmt.Errorf("%s: %w", s, err)
		}
		rs, rd := realPath(abs), realPath(dest)
		switch {
		case within(rd, rs):
			return opt, fmt.Errorf("the destination %s lies inside the source %s: choose a destination outside the folders organised", dest, abs)
		case within(rs, rd) && explicit:
			return opt, fmt.Errorf("the source %s lies inside the destination %s: its files are already in the library", abs, dest)
		case within(rs, rd):
			continue // a scanned folder of the library itself
		}
		if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
			if explicit {
				return opt, fmt.Errorf("the source %s is not a folder that can be read", abs)
			}
			continue // a card no longer inserted
		}
		sources = append(sources, abs)
	}
	if len(sources) == 0 {
		return opt, errors.New("nothing to organise: name a SOURCE folder, or scan one first")
	}
	opt.Sources = sources
	return opt, nil
}

// scannedRoots is every folder a scan of the library was started on.
func (l *Library) scannedRoots() ([]string, error) {
	jobs, err := l.Jobs()
	if err != nil && (!errors.Is(err, store.ErrDamaged) || len(jobs) == 0) {
		return nil, err
	}
	seen := map[string]bool{}
	var roots []string
	for _, j := range jobs {
		if kindName(j) != store.KindScan {
			continue
		}
		for _, r := range j.Roots {
			if !seen[r] {
				seen[r] = true
				roots = append(roots, r)
			}
		}
	}
	sort.Strings(roots)
	var out []string
	for _, r := range roots { // a folder inside another is organised with it
		if len(out) == 0 || !within(r, out[len(out)-1]) {
			out = append(out, r)
		}
	}
	return out, nil
}

// organiseInputs lists the files under the sources as they are now, each
// with its latest record when the record still describes it.
func (l *Library) organiseInputs(ctx context.Context, sources []string) ([]*orgFile, []string, error) {
	// Only the sources' records: a source of a thousand files in a library
	// of a million reads a thousand.
	recs, err := l.db.LatestIn(sources, nil)
	if err != nil && !errors.Is(err, store.ErrDamaged) {
		return nil, nil, err
	}
	if cerr := l.applyCorrections(recs); cerr != nil { // a corrected file is filed by its corrected date (dates.go)
		return nil, nil, cerr
	}
	byPath := make(map[string]*store.FileRecord, len(recs))
	for i := range recs {
		byPath[recs[i].AbsPath()] = &recs[i]
	}
	onDisk, err := listFiles(ctx, sources, walkOptions{exclude: l.Path()})
	if err != nil {
		return nil, nil, fmt.Errorf("listing the sources: %w", err)
	}
	known := map[string]bool{}
	var files []*orgFile
	quarantine := QuarantineDir(l.Path())
	for _, d := range onDisk {
		if d.Status == media.StatusSkipped {
			continue // a link: not a file of the source
		}
		if abs := d.AbsPath(); within(abs, quarantine) || strings.Contains(abs, string(filepath.Separator)+VolumeQuarantineName+string(filepath.Separator)) {
			continue // what change runs set aside is not a source to organise
		}
		f := &orgFile{abs: d.AbsPath(), root: d.Root, rel: d.RelPath, name: path.Base(d.RelPath), size: d.Size, mtime: d.MtimeNS}
		if info, err := os.Lstat(f.abs); err == nil {
			f.mode = uint32(info.Mode().Perm())
		}
		f.entry = LedgerEntry{Source: f.abs, Size: f.size}
		rec := byPath[f.abs]
		switch {
		case !utf8.ValidString(f.abs):
			f.leave(store.FateLeft, "its name is not valid UTF-8: the library cannot record it exactly, so it is left alone")
			known[d.Root] = known[d.Root] || rec != nil
		case rec == nil:
			f.leave(store.FateLeft, "not analysed by a scan yet: scan it, then organise again")
		case rec.Size != d.Size || rec.MtimeNS != d.MtimeNS:
			f.leave(store.FateLeft, "changed since it was scanned: scan it again, then organise again")
			known[d.Root] = true
		default:
			f.rec = rec
			f.sum = rec.SHA256
			known[d.Root] = true
		}
		files = append(files, f)
	}
	var notScanned []string
	for _, s := range sources {
		if !known[s] {
			notScanned = append(notScanned, s)
		}
	}
	return files, notScanned, nil
}

func (f *orgFile) leave(fate, reason string) {
	f.entry.Fate, f.entry.Reason, f.entry.Dest = fate, reason, ""
}

// trusted says whether a record's date may file it by date (LOW only with opt.IncludeLow).
func trusted(r *store.FileRecord, opt OrganiseOptions) bool {
	if r == nil || r.Time.Time.IsZero() {
		return false
	}
	switch r.Time.Confidence {
	case media.ConfidenceHigh, media.ConfidenceMedium:
		return true
	case media.ConfidenceLow:
		return opt.IncludeLow
	}
	return false
}

func confidenceRank(r *store.FileRecord) int {
	if r == nil {
		return 0
	}
	return map[media.Confidence]int{media.ConfidenceHigh: 4, media.ConfidenceMedium: 3, media.ConfidenceLow: 2, media.ConfidenceNone: 1}[r.Time.Confidence]
}

// relDir is a file's folder relative to its root ("" at the root).
func relDir(rel string) string {
	if d := path.Dir(rel); d != "." {
		return d
	}
	return ""
}

func isMedia(f *orgFile) bool { return f.rec != nil && f.rec.Status == media.StatusDone }

var rawExts = map[string]bool{".cr2": true, ".cr3": true, ".crw": true, ".nef": true, ".nrw": true, ".arw": true, ".srf": true,
	".sr2": true, ".dng": true, ".raf": true, ".orf": true, ".rw2": true, ".pef": true, ".srw": true, ".x3f": true, ".3fr": true, ".iiq": true}

// kindRank prefers, as a bundle's primary, a picture to a RAW, a RAW to a video.
func kindRank(f *orgFile) int {
	ext := strings.ToLower(path.Ext(f.name))
	switch {
	case rawExts[ext]:
		return 2
	case f.rec != nil && strings.HasPrefix(f.rec.MIME, "video/"):
		return 1
	}
	return 3
}
