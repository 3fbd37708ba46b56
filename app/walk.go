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

	"shoebox/processing"
	"shoebox/store"
)

// clutterNames are files and folders that operating systems, NAS boxes and
// photo tools leave behind; they are never photos and are not listed.
var clutterNames = map[string]bool{
	".DS_Store": true, "Thumbs.db": true, "ehthumbs.db": true, "desktop.ini": true, "Desktop.ini": true,
	"@eaDir": true, ".thumbnails": true, ".Trashes": true, ".Spotlight-V100": true, ".fseventsd": true,
	"$RECYCLE.BIN": true, "System Volume Information": true, ".picasa.ini": true, "Picasa.ini": true,
	".git": true,
}

func isClutter(name string) bool {
	return clutterNames[name] || strings.HasPrefix(name, "._")
}

// walkOptions tune listFiles.
type walkOptions struct {
	exclude string // an absolute path never listed (the library file itself)
}

// listFiles lists every file under the roots, sorted by root and then by path
// relative to the root (the order the store keys them in, and the order they
// are processed). Symbolic links to folders are followed once: a link back
// into a folder already being walked is not followed again. A folder that
// cannot be read becomes an error record, not a failed listing.
func listFiles(ctx context.Context, roots []string, opt walkOptions) ([]store.FileRecord, error) {
	var all []store.FileRecord
	for i, root := range roots {
		w := walker{ctx: ctx, root: root, index: i, exclude: opt.exclude, visited: map[string]bool{}}
		if err := w.dir(root, ""); err != nil {
			return nil, err
		}
		sort.Slice(w.out, func(a, b int) bool { return w.out[a].RelPath < w.out[b].RelPath })
		all = append(all, w.out...)
	}
	return all, nil
}

type walker struct {
	ctx     context.Context
	root    string
	index   int
	exclude string
	visited map[string]bool // real paths of folders already walked
	out     []store.FileRecord
}

func (w *walker) dir(abs, rel string) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		real = abs
	}
	if w.visited[real] {
		return nil // a link loop, or a second link to the same folder
	}
	w.visited[real] = true
	entries, err := os.ReadDir(abs)
	if err != nil {
		w.failed(rel, "folder cannot be read: "+describeFSError(err))
		return nil
	}
	for _, e := range entries {
		name := e.Name()
		if isClutter(name) {
			continue
		}
		childAbs := filepath.Join(abs, name)
		childRel := name
		if rel != "" {
			childRel = rel + "/" + name
		}
		if childAbs == w.exclude || strings.HasPrefix(childAbs, w.exclude+"-") {
			continue // the library (and its lock or temp files) is not a photo
		}
		typ := e.Type()
		var info fs.FileInfo
		if typ&fs.ModeSymlink != 0 {
			info, err = os.Stat(childAbs) // follow the link
			if err != nil {
				w.failed(childRel, "broken link: "+describeFSError(err))
				continue
			}
		} else {
			info, err = e.Info()
			if err != nil {
				w.failed(childRel, "cannot be read: "+describeFSError(err))
				continue
			}
		}
		switch {
		case info.IsDir():
			if err := w.dir(childAbs, childRel); err != nil {
				return err
			}
		case info.Mode().IsRegular():
			rec := store.FileRecord{
				RootIndex: w.index, Root: w.root, RelPath: childRel,
				Size: info.Size(), MtimeNS: info.ModTime().UnixNano(),
				Status: processing.StatusPending,
			}
			rec.CtimeNS, rec.Inode = changeTimeAndInode(info)
			w.out = append(w.out, rec)
		}
		// Sockets, devices and pipes are not files a person keeps photos in.
	}
	return nil
}

func (w *walker) failed(rel, msg string) {
	if rel == "" {
		rel = "."
	}
	w.out = append(w.out, store.FileRecord{
		RootIndex: w.index, Root: w.root, RelPath: rel,
		Status: processing.StatusError, Error: msg,
	})
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

// checkRoots makes roots absolute and refuses ones that are not folders.
func checkRoots(roots []string) ([]string, error) {
	if len(roots) == 0 {
		return nil, fmt.Errorf("no folder to scan")
	}
	out := make([]string, 0, len(roots))
	seen := map[string]bool{}
	for _, r := range roots {
		abs, err := filepath.Abs(r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r, err)
		}
		fi, err := os.Stat(abs)
		if err != nil {
			return nil, fmt.Errorf("%s: %s", r, describeFSError(err))
		}
		if !fi.IsDir() {
			return nil, fmt.Errorf("%s is a file, not a folder", r)
		}
		if !seen[abs] {
			seen[abs] = true
			out = append(out, abs)
		}
	}
	return out, nil
}
