package app

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// destIndex is what the destination holds before the run: every name in
// it (to never overwrite one) and its files by size, whose SHA-256 is read
// only when an input of that size asks (so a file whose bytes are already
// there is found without hashing the whole library).
type destIndex struct {
	root    string
	fold    func(string) string // how names compare there (case-insensitive or not)
	taken   map[string]bool     // folded relative paths, '/' separators, of files and folders
	bySize  map[int64][]string  // absolute paths
	sums    map[string]string   // absolute path -> hex SHA-256, read once
	mtimes  map[string]int64
	unknown int // files that could not be read while looking
}

// newDestIndex looks through root; fold is how its names compare (see
// nameFold).
func newDestIndex(ctx context.Context, root string, fold func(string) string) (*destIndex, error) {
	d := &destIndex{root: root, taken: map[string]bool{}, bySize: map[int64][]string{}, sums: map[string]string{},
		mtimes: map[string]int64{}, fold: fold}
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		if err != nil {
			if os.IsNotExist(err) && p == root {
				return fs.SkipAll // a new library
			}
			d.unknown++
			if e != nil && e.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if p == root {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		d.taken[d.fold(filepath.ToSlash(rel))] = true
		if e.IsDir() {
			if e.Name() == VolumeQuarantineName {
				return fs.SkipDir
			}
			return nil
		}
		if !e.Type().IsRegular() || shoeboxTemp(e.Name()) {
			return nil // a temporary copy is never a file of the library, whatever it holds
		}
		info, err := e.Info()
		if err != nil {
			d.unknown++
			return nil
		}
		d.bySize[info.Size()] = append(d.bySize[info.Size()], p)
		d.mtimes[p] = info.ModTime().UnixNano()
		return nil
	})
	return d, err
}

// holding returns a file of the destination with these bytes ("" when none),
// and its modification time.
func (d *destIndex) holding(ctx context.Context, size int64, sum string) (string, int64) {
	for _, p := range d.bySize[size] {
		got, ok := d.sums[p]
		if !ok {
			var err error
			if got, err = sha256File(ctx, p); err != nil {
				d.unknown++
			}
			d.sums[p] = got
		}
		if got == sum {
			return p, d.mtimes[p]
		}
	}
	return "", 0
}

// free says whether rel ('/' separators) can be used, and reserve takes it
// and its folders.
func (d *destIndex) free(rel string) bool { return !d.taken[d.fold(rel)] }

func (d *destIndex) reserve(rel string) {
	for p := rel; p != "." && p != "/" && p != ""; p = pathDir(p) {
		d.taken[d.fold(p)] = true
	}
}

// nameFold is how names compare in dest: without case when opt pretends
// so or a probe there finds so, else byte for byte.
func nameFold(opt OrganiseOptions) func(string) string {
	if opt.CaseInsensitive || caseInsensitive(opt.Dest) {
		return strings.ToLower
	}
	return func(s string) string { return s }
}

func pathDir(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return ""
	}
	return p[:i]
}
