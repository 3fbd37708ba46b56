package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"shoebox/media"
	"shoebox/store"
)

// UniqueOptions tune Library.Unique.
type UniqueOptions struct {
	// Rehash reads a copy that passed the size, time and same-file checks and
	// compares its SHA-256 with the library's before trusting it. Slower (it
	// reads the copies), and the only proof against a copy whose bytes
	// changed while its size and modification time stayed the same.
	Rehash bool
}

// UniqueFile is one file under the folder with no verified copy elsewhere.
type UniqueFile struct {
	Path   string // absolute, under the folder as the person named it
	Reason string // why it has no verified copy, in a sentence
	// Unknown is set when the library has no record of the file at all.
	Unknown bool
}

// UniqueReport answers "is this folder safe to wipe?".
type UniqueReport struct {
	Dir   string       // the folder, absolute and clean, as the person named it
	Files []UniqueFile // the files that must be saved first, by path
	// Total is how many files (and unreadable entries) are under Dir on disk.
	Total int
	// Unknown is how many of Files the library does not know (scan Dir first).
	Unknown int
	// Gone is how many files the library knows under Dir that are no longer on
	// disk: nothing to save, so they are only counted.
	Gone int
	// Warning is set when some library records could not be read: a file
	// they described is reported as unknown, never as safe.
	Warning string
}

// Unique lists the files under dir whose content has no verified copy outside
// dir in the library. It only reads: the library, dir's listing, and (with
// Rehash) the copies.
//
// A file's record is its latest across jobs (store.LatestFiles). Paths are
// compared by their real form (links resolved, by path components), so dir
// named through a link, or scanned through one, still matches. A copy counts
// when it is outside dir, has the same SHA-256, still has on disk the size and
// modification time its record has, and is not the same file (a hard link or
// a second path to one inode would vanish with the original).
func (l *Library) Unique(ctx context.Context, dir string, opt UniqueOptions) (UniqueReport, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return UniqueReport{}, fmt.Errorf("%s: %w", dir, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return UniqueReport{}, fmt.Errorf("%s: %s", dir, describeFSError(err))
	}
	if !fi.IsDir() {
		return UniqueReport{}, fmt.Errorf("%s is a file, not a folder", dir)
	}
	rep := UniqueReport{Dir: abs}
	dirReal := realPath(abs)
	// Only the folder's own records are read, and the copies of their
	// contents through the SHA-256 index: a check of one folder costs what
	// the folder holds, not what the library holds.
	recs, err := l.db.LatestIn([]string{dirReal}, realPath)
	var damaged *store.DamagedRecords
	switch {
	case errors.As(err, &damaged):
		rep.Warning = fmt.Sprintf("%v; the files they described are reported as not in the library", err)
	case err != nil:
		return UniqueReport{}, err
	}
	organised, err := l.organisedCopies(recs)
	if err != nil {
		return UniqueReport{}, err
	}
	idx := indexUnder(recs, dirReal, func(sha string) ([]store.FileRecord, error) {
		copies, err := l.db.LatestCopies(sha)
		return append(copies, organised[sha]...), err
	})
	onDisk, err := listFiles(ctx, []string{abs}, walkOptions{exclude: l.Path()})
	if err != nil {
		return UniqueReport{}, fmt.Errorf("listing %s: %w", abs, err)
	}
	seen := map[string]bool{}
	for _, f := range onDisk {
		if f.Status == media.StatusSkipped {
			continue // a link to a folder elsewhere: wiping dir loses the link, not the files
		}
		seen[f.RelPath] = true
		rep.Total++
		if u, ok := idx.judge(f, opt); ok {
			rep.Files = append(rep.Files, u)
		}
	}
	for rel := range idx.inside {
		if !seen[rel] {
			rep.Gone++
		}
	}
	sort.Slice(rep.Files, func(a, b int) bool { return rep.Files[a].Path < rep.Files[b].Path })
	for _, u := range rep.Files {
		if u.Unknown {
			rep.Unknown++
		}
	}
	return rep, nil
}

// organisedCopies lists, by SHA-256, the copies organise runs made of the
// contents of recs and verified (store.ChangeDone: read back and compared
// before the item was done), as records of the copy: its path, the size
// and SHA-256 of the bytes copied, and the modification time the run gave
// it. A dated library is seldom scanned after it is made, and a folder
// organised into one is then the first a person asks about: without these,
// the check said none of its files had a copy while the organise run's
// summary said they were all verified. Each copy is then checked on disk
// like any other (verifyCopy). A run undone took its copies out again and
// counts for none. Only the items whose bytes are among recs are kept.
func (l *Library) organisedCopies(recs []store.FileRecord) (map[string][]store.FileRecord, error) {
	wanted := map[string]bool{}
	for _, r := range recs {
		if r.SHA256 != "" {
			wanted[r.SHA256] = true
		}
	}
	out := map[string][]store.FileRecord{}
	if len(wanted) == 0 {
		return out, nil
	}
	jobs, err := l.db.Jobs()
	if err != nil {
		return nil, err
	}
	for _, j := range jobs {
		if j.Kind != store.KindOrganise || j.Change == nil || j.Change.Undone {
			continue
		}
		err := l.db.EachChange(j.ID, func(it store.ChangeItem) bool {
			// A copy found already in place (FateAlready) keeps a time of
			// its own, which the run did not record: it is not counted.
			copied := it.Organise != nil && (it.Organise.Fate == store.FateFiled || it.Organise.Fate == store.FateUnsorted)
			if it.Op == "copy" && it.State == store.ChangeDone && copied && it.Dest != "" && wanted[it.SHA256] {
				out[it.SHA256] = append(out[it.SHA256], store.FileRecord{JobID: j.ID, Root: filepath.Dir(it.Dest),
					RelPath: filepath.Base(it.Dest), Size: it.Size, MtimeNS: it.Organise.MtimeNS, SHA256: it.SHA256,
					Status: media.StatusDone})
			}
			return true
		})
		if err != nil && !errors.Is(err, store.ErrDamaged) {
			return nil, err
		}
	}
	return out, nil
}

// uniqueIndex is the library split by the folder: the latest records inside
// it by path relative to it, and the ones outside with the same bytes (the
// candidate copies), read from the SHA-256 index when a file asks for them.
type uniqueIndex struct {
	dirReal string
	inside  map[string]store.FileRecord
	copies  func(sha string) ([]store.FileRecord, error)
	reals   map[string]string // a root as recorded -> its real path, resolved once
}

// indexUnder files the records at or under dirReal (store.LatestIn) by
// their path relative to it.
func indexUnder(recs []store.FileRecord, dirReal string, copies func(string) ([]store.FileRecord, error)) uniqueIndex {
	idx := uniqueIndex{dirReal: dirReal, inside: map[string]store.FileRecord{}, copies: copies, reals: map[string]string{}}
	for _, r := range recs {
		real := idx.realOf(r)
		if within(real, dirReal) {
			if rel, err := filepath.Rel(dirReal, real); err == nil {
				idx.inside[filepath.ToSlash(rel)] = r
			}
		}
	}
	return idx
}

// realOf is the record's path with its root's links resolved.
func (idx uniqueIndex) realOf(r store.FileRecord) string {
	root, ok := idx.reals[r.Root]
	if !ok {
		root = realPath(r.Root)
		idx.reals[r.Root] = root
	}
	return filepath.Join(root, filepath.FromSlash(r.RelPath))
}

// outside lists the copies of a content that lie outside the folder. A
// damaged record among them is left out: it cannot vouch for a copy; and
// an index that cannot be read gives none, the answer that keeps the file.
func (idx uniqueIndex) outside(sha string) []store.FileRecord {
	all, err := idx.copies(sha)
	if err != nil && !errors.Is(err, store.ErrDamaged) {
		return nil
	}
	var out []store.FileRecord
	for _, r := range all {
		if !within(idx.realOf(r), idx.dirReal) {
			out = append(out, r)
		}
	}
	return out
}

// judge says why the file f, listed under the folder just now, has no
// verified copy, or false when it has one.
func (idx uniqueIndex) judge(f store.FileRecord, opt UniqueOptions) (UniqueFile, bool) {
	u := UniqueFile{Path: f.AbsPath()}
	if f.Status == media.StatusError {
		u.Reason = f.Error + ": look at it before wiping"
		return u, true
	}
	r, known := idx.inside[f.RelPath]
	switch {
	case !known:
		u.Unknown, u.Reason = true, "not in the library: scan the folder first"
		return u, true
	case r.Status == media.StatusError:
		u.Reason = "Shoebox could not analyse it (" + r.Error + ")"
		return u, true
	case r.Status == media.StatusPending:
		u.Reason = fmt.Sprintf("not analysed yet: job %d did not reach it (`shoebox resume %d`)", r.JobID, r.JobID)
		return u, true
	case r.Status == media.StatusSkipped:
		u.Reason = "not a photo or video, so Shoebox keeps no record of its bytes: save it yourself if you need it"
		return u, true
	case r.SHA256 == "":
		u.Reason = "the library has no SHA-256 of it"
		return u, true
	case r.Size != f.Size || r.MtimeNS != f.MtimeNS:
		u.Reason = "changed since the library analysed it: scan the folder again"
		return u, true
	}
	mine, err := os.Stat(u.Path)
	if err != nil {
		u.Reason = "cannot be read: " + describeFSError(err)
		return u, true
	}
	copies := idx.outside(r.SHA256)
	if len(copies) == 0 {
		u.Reason = "no copy outside the folder in the library"
		return u, true
	}
	var why []string
	for _, c := range copies {
		problem := verifyCopy(c, mine, opt)
		if problem == "" {
			return UniqueFile{}, false
		}
		why = append(why, problem)
	}
	u.Reason = summarise(why)
	return u, true
}

// verifyCopy says what is wrong with the copy c of the file whose Stat is
// mine, or "" when it is a verified copy: the problem first and the copy's
// path after it, so that a line cut short (the window's list) still says
// why.
func verifyCopy(c store.FileRecord, mine fs.FileInfo, opt UniqueOptions) string {
	p := ReadablePath(c.AbsPath())
	info, err := os.Stat(c.AbsPath())
	switch {
	case os.IsNotExist(err):
		return "its copy is gone: " + p
	case err != nil:
		return "its copy cannot be checked (" + describeFSError(err) + "): " + p
	case !info.Mode().IsRegular():
		return "its copy is no longer a file: " + p
	case info.Size() != c.Size || info.ModTime().UnixNano() != c.MtimeNS:
		return "its copy has changed since the library analysed it: " + p
	case os.SameFile(info, mine):
		return "its other path is the same file, not a copy (a hard link or a linked folder): " + p
	}
	if opt.Rehash {
		sum, err := sha256File(context.Background(), c.AbsPath())
		if err != nil {
			return "its copy cannot be read (" + describeFSError(err) + "): " + p
		}
		if sum != c.SHA256 {
			return "its copy no longer has the same bytes: " + p
		}
	}
	return ""
}

// summarise joins the first reasons and counts the rest.
func summarise(why []string) string {
	const shown = 2
	if len(why) <= shown {
		return strings.Join(why, "; ")
	}
	return fmt.Sprintf("%s; and %d more", strings.Join(why[:shown], "; "), len(why)-shown)
}
