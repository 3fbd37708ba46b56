package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"shoebox/store"
)

// clutterNames are files and folders that operating systems, NAS boxes and
// photo tools leave behind; they are never photos and are not listed (nor
// are trash and thumbnail folders: isBinFolder).
var clutterNames = map[string]bool{
	".DS_Store": true, "Thumbs.db": true, "ehthumbs.db": true, "desktop.ini": true, "Desktop.ini": true,
	"@eaDir": true, ".thumbnails": true, ".Trashes": true, ".Spotlight-V100": true, ".fseventsd": true,
	"$RECYCLE.BIN": true, "System Volume Information": true, ".picasa.ini": true, "Picasa.ini": true,
	".git": true,
}

func isClutter(name string) bool {
	return clutterNames[name] || strings.HasPrefix(name, "._") || isBinFolder(name) || shoeboxTemp(name)
}

// shoeboxTemp says whether name is one of the temporary files change runs
// make beside a person's files (a hard link or a restored copy on its way
// into place, a copy into the library, a case probe): never a photo.
func shoeboxTemp(name string) bool {
	for _, p := range []string{".shoebox-link-", ".shoebox-restore-", ".shoebox-copy-", ".shoebox-case-probe-"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// isBinFolder says whether a folder name is a trash, recycle bin, NAS
// thumbnail folder or Shoebox's own quarantine. Files there are on their
// way out or by-products: scans leave them out, and a plan never keeps one
// (inNeverKeeperFolder).
func isBinFolder(name string) bool {
	switch {
	case strings.HasPrefix(name, ".Trash"), // .Trash, .Trash-1000, .Trashes
		strings.EqualFold(name, "$RECYCLE.BIN"), strings.EqualFold(name, "RECYCLER"),
		name == "@eaDir", name == ".thumbnails", name == VolumeQuarantineName:
		return true
	}
	return false
}

// walkOptions tune listFiles.
type walkOptions struct {
	exclude string // the library file: never listed, nor its lock or temp files
	// stop, when set, is asked between folder entries; an error it returns
	// ends the listing with that error (a pause: see engineOf.list).
	stop func() error
}

// errListingPaused ends a listing that the person paused.
var errListingPaused = errors.New("the listing was paused")

// dirChunk is how many entries of a folder are read at once, so that a huge
// folder is never read in one uninterruptible call.
const dirChunk = 256

// listFiles lists every file under the roots, sorted by root and then by path
// relative to the root (the order the store keys them in, and the order they
// are processed). A folder that cannot be read becomes an error record, not a
// failed listing. It stops within an entry or two of ctx being cancelled or
// opt.stop returning an error, and returns that error.
//
// Symbolic links: a link to a folder is never walked. When the folder lies
// inside the scanned folders its files are listed once, at their own path;
// when it lies outside (a link to / would list the whole machine) the link is
// recorded as skipped with a note saying so. A link to a file outside the
// scanned folders is listed as that file, under the link's name; a link to a
// file inside them is not listed a second time.
func listFiles(ctx context.Context, roots []string, opt walkOptions) ([]store.FileRecord, error) {
	listed, err := listCompact(ctx, roots, opt)
	if err != nil {
		return nil, err
	}
	j := &store.Job{Roots: roots}
	out := make([]store.FileRecord, len(listed))
	for i := range listed {
		out[i] = listed[i].Record(j)
	}
	return out, nil
}

// listCompact is listFiles in the listing's compact form (store.Listed),
// which a scan holds whole while it stores it: a quarter of the memory.
func listCompact(ctx context.Context, roots []string, opt walkOptions) ([]store.Listed, error) {
	reals := make([]string, len(roots))
	for i, r := range roots {
		reals[i] = realPath(r)
	}
	exclude := ""
	if opt.exclude != "" {
		exclude = realPath(opt.exclude)
	}
	var all []store.Listed
	for i, root := range roots {
		if coveringRoot(i, reals) >= 0 {
			continue // listed under the root that contains it (jobs stored before roots were checked)
		}
		w := walker{ctx: ctx, stop: opt.stop, index: uint16(i), reals: reals, exclude: exclude}
		out, err := w.walk(root, reals[i], runtime.GOMAXPROCS(0))
		if err != nil {
			return nil, err
		}
		sort.Slice(out, func(a, b int) bool { return out[a].RelPath < out[b].RelPath })
		if all == nil {
			all = out
		} else {
			all = append(all, out...)
		}
	}
	return all, nil
}

type walker struct {
	ctx     context.Context
	stop    func() error
	index   uint16
	reals   []string // real paths of all the roots, to tell where a link leads
	exclude string   // real path of the library
	out     listedChunks
	// queue takes the subfolders found, for any of the walk's walkers to
	// list (walk).
	queue *dirQueue
}

// listedChunks gathers a listing in chunks, so that it is never copied to
// grow: a million files grown in one slice were copied over and over (a
// tenth of an unchanged rescan).
type listedChunks struct {
	full [][]store.Listed
	cur  []store.Listed
}

const listedChunk = 1 << 14

func (c *listedChunks) add(l store.Listed) {
	if len(c.cur) == cap(c.cur) {
		if c.cur != nil {
			c.full = append(c.full, c.cur)
		}
		c.cur = make([]store.Listed, 0, listedChunk)
	}
	c.cur = append(c.cur, l)
}

// all is the listing in one slice, made once at its size.
func (c *listedChunks) all() []store.Listed {
	n := len(c.cur)
	for _, f := range c.full {
		n += len(f)
	}
	out := make([]store.Listed, 0, n)
	for _, f := range c.full {
		out = append(out, f...)
	}
	return append(out, c.cur...)
}

func (w *walker) check() error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	if w.stop != nil {
		return w.stop()
	}
	return nil
}

// dir lists the folder abs, whose real path (no links) is real.
func (w *walker) dir(abs, real, rel string) error {
	if err := w.check(); err != nil {
		return err
	}
	f, err := os.Open(abs)
	if err != nil {
		w.failed(rel, "folder cannot be read: "+describeFSError(err))
		return nil
	}
	defer f.Close()
	for {
		entries, err := f.ReadDir(dirChunk)
		for _, e := range entries {
			if err := w.check(); err != nil {
				return err
			}
			if err := w.entry(f, e, abs, real, rel); err != nil {
				return err
			}
		}
		if errors.Is(err, io.EOF) || (err == nil && len(entries) == 0) {
			return nil
		}
		if err != nil {
			w.failed(rel, "folder cannot be read completely: "+describeFSError(err))
			return nil
		}
	}
}

// entry lists the entry e of the open folder dir (at abs; real: see dir).
func (w *walker) entry(dir *os.File, e fs.DirEntry, abs, real, rel string) error {
	name := e.Name()
	if isClutter(name) {
		return nil
	}
	childAbs, childReal := filepath.Join(abs, name), filepath.Join(real, name)
	childRel := name
	if rel != "" {
		childRel = rel + "/" + name
	}
	if w.excluded(childReal) {
		return nil
	}
	typ := e.Type()
	switch {
	case typ&fs.ModeSymlink != 0:
		w.link(childAbs, childRel)
	case typ.IsDir():
		w.queue.push(dirToList{childAbs, childReal, childRel})
	case typ.IsRegular():
		l, err := statListed(dir, e)
		if err != nil {
			w.failed(childRel, "cannot be read: "+describeFSError(err))
			return nil
		}
		l.Root, l.RelPath = w.index, childRel
		w.out.add(l)
	}
	// Sockets, devices and pipes are not files a person keeps photos in.
	return nil
}

// link lists a symbolic link as described at listFiles.
func (w *walker) link(abs, rel string) {
	target, err := filepath.EvalSymlinks(abs)
	if err != nil {
		w.failed(rel, "broken link: "+describeFSError(err))
		return
	}
	info, err := os.Stat(target)
	if err != nil {
		w.failed(rel, "broken link: "+describeFSError(err))
		return
	}
	inside := false
	for _, r := range w.reals {
		inside = inside || within(target, r)
	}
	switch {
	case inside || w.excluded(target):
		// Listed at its own path (or the library itself): not twice.
	case info.IsDir():
		w.out.add(store.Listed{
			Root: w.index, RelPath: rel, Status: store.ListedSkipped,
			Message: "a link to " + target + ", which is outside the scanned folders: not followed (scan that folder too to include it)",
		})
	case info.Mode().IsRegular():
		w.file(rel, info)
	}
}

func (w *walker) file(rel string, info fs.FileInfo) {
	l := listedOf(info)
	l.Root, l.RelPath = w.index, rel
	w.out.add(l)
}

// listedOf is what a listing keeps of a file's metadata.
func listedOf(info fs.FileInfo) store.Listed {
	l := store.Listed{Size: info.Size(), MtimeNS: info.ModTime().UnixNano()}
	l.CtimeNS, l.Inode = changeTimeAndInode(info)
	return l
}

// excluded says whether a real path is the library (or its lock or temp
// files), or the quarantine beside it.
func (w *walker) excluded(real string) bool {
	return w.exclude != "" && (real == w.exclude || strings.HasPrefix(real, w.exclude+"-") ||
		real == QuarantineDir(w.exclude))
}

func (w *walker) failed(rel, msg string) {
	if rel == "" {
		rel = "."
	}
	w.out.add(store.Listed{Root: w.index, RelPath: rel, Status: store.ListedFailed, Message: msg})
}

func describeFSError(err error) string {
	switch {
	case os.IsPermission(err):
		return "permission denied"
	case os.IsNotExist(err):
		return "does not exist"
	}
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// checkRoots makes roots absolute and refuses ones that are not folders; a
// folder given twice, or inside another one given too, is dropped (see planRoots).
func checkRoots(roots []string) ([]string, error) {
	kept, _, err := planRoots(roots)
	return kept, err
}

// planRoots makes roots absolute, refuses ones that are not folders, and
// drops a folder that is the same as one given earlier or lies inside another
// one (also through links), so that no file is listed twice; notes says, for
// each folder dropped, why, in a sentence for the person.
func planRoots(roots []string) (kept, notes []string, err error) {
	if len(roots) == 0 {
		return nil, nil, fmt.Errorf("no folder to scan")
	}
	abs := make([]string, len(roots))
	reals := make([]string, len(roots))
	for i, r := range roots {
		a, err := filepath.Abs(r)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", r, err)
		}
		fi, err := os.Stat(a)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %s", r, describeFSError(err))
		}
		if !fi.IsDir() {
			return nil, nil, fmt.Errorf("%s is a file, not a folder", r)
		}
		abs[i], reals[i] = a, realPath(a)
	}
	for i := range abs {
		j := coveringRoot(i, reals)
		switch {
		case j < 0:
			kept = append(kept, abs[i])
		case reals[i] == reals[j]:
			notes = append(notes, fmt.Sprintf("%s is the same folder as %s: it is scanned once.", roots[i], roots[j]))
		default:
			notes = append(notes, fmt.Sprintf("%s is inside %s: its files are listed once, under %s.", roots[i], roots[j], roots[j]))
		}
	}
	return kept, notes, nil
}

// coveringRoot is the index of a root that contains root i, or that is the
// same folder given earlier, or -1. reals are the roots' real paths.
func coveringRoot(i int, reals []string) int {
	for j, r := range reals {
		switch {
		case j == i:
		case reals[i] == r:
			if j < i {
				return j
			}
		case within(reals[i], r):
			return j
		}
	}
	return -1
}

// within says whether path p is dir or lies below it; both are clean and absolute.
func within(p, dir string) bool { return store.PathWithin(p, dir) }

// realPath is p made absolute with every symbolic link resolved, so that paths
// reached in different ways compare equal. A path that does not exist (yet)
// has its folder resolved.
func realPath(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(dir, filepath.Base(abs))
	}
	return abs
}
