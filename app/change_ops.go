package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"shoebox/safefs"
	"shoebox/store"
)

// The operations of a dups run. Each one moves the bytes of a copy
// somewhere they can be put back from (the quarantine, the trash), or
// replaces the copy with another name for the kept file (a hard link), and
// never overwrites anything. A move is a rename within one volume: the bytes
// never travel, so there is no moment when they exist nowhere.

var timeZero time.Time

// checkFiles is the check every dups operation starts with: the copy and the
// file kept still have the size, mtime and SHA-256 the plan was made from.
// It returns the item skipped with the reason when they do not, and an
// error only when ctx was cancelled.
func (k *changeKind) checkFiles(ctx context.Context, it store.ChangeItem) (store.ChangeItem, bool, error) {
	if reason, err := k.unchanged(ctx, it.Path, it.Size, it.MtimeNS, it.SHA256, false); reason != "" || err != nil {
		return finish(it, store.ChangeSkipped, reason), false, err
	}
	if it.Keep == "" {
		return finish(it, store.ChangeError, "names no kept file: every group keeps one"), false, nil
	}
	if reason, err := k.unchanged(ctx, it.Keep, it.KeepSize, it.KeepMtime, it.KeepSHA256, true); reason != "" || err != nil {
		return finish(it, store.ChangeSkipped, reason), false, err
	}
	return it, true, nil
}

// unchanged says why path is not the file the plan was made from ("" when
// it is). A file reached through a link is never acted on.
func (k *changeKind) unchanged(ctx context.Context, path string, size, mtimeNS int64, sum string, kept bool) (string, error) {
	what := "the file"
	if kept {
		what = "the kept file " + ReadablePath(path)
	}
	info, err := os.Lstat(path)
	switch {
	case err != nil:
		return fmt.Sprintf("%s cannot be read now (%s): changed since the scan", what, describeFSError(err)), nil
	case info.Mode()&fs.ModeSymlink != 0:
		return what + " is now a link, not a file: changed since the scan", nil
	case !info.Mode().IsRegular():
		return what + " is not a regular file: changed since the scan", nil
	case info.Size() != size || info.ModTime().UnixNano() != mtimeNS:
		return what + " changed since the scan (size or modification time)", nil
	}
	var got string
	if kept {
		got, err = k.hashes.sum(ctx, path, size, mtimeNS)
	} else {
		got, err = sha256File(ctx, path)
	}
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	if err != nil {
		return fmt.Sprintf("%s cannot be read now (%s)", what, describeFSError(err)), nil
	}
	if got != sum {
		return what + " changed since the scan (its SHA-256 differs)", nil
	}
	return "", nil
}

// verify checks that the bytes at path are the item's, after a change.
func verify(path, sum string) error {
	got, err := sha256File(context.Background(), path)
	if err != nil {
		return fmt.Errorf("cannot read %s to verify it: %s", ReadablePath(path), describeFSError(err))
	}
	if got != sum {
		return fmt.Errorf("%s does not have the expected SHA-256", ReadablePath(path))
	}
	return nil
}

// where says which of the item's two places hold a file now.
type where struct{ atPath, atDest, same bool }

func look(path, dest string) where {
	var w where
	p, perr := safefs.IDOf(path)
	d, derr := safefs.IDOf(dest)
	w.atPath, w.atDest = perr == nil, derr == nil
	w.same = w.atPath && w.atDest && p == d
	return w
}

// moveOut finishes moving the item's file from Path to Dest with move, from
// wherever it got to, and verifies it. A crash inside a fallback rename can
// leave both names on one file: the extra name at Path is dropped.
func (k *changeKind) moveOut(it store.ChangeItem, move func() error) store.ChangeItem {
	w := look(it.Path, it.Dest)
	switch {
	case w.same:
		if err := os.Remove(it.Path); err != nil {
			return finish(it, store.ChangeError, "could not finish the move: "+describeFSError(err))
		}
	case w.atPath && w.atDest:
		return finish(it, store.ChangeError, fmt.Sprintf("another file already stands at %s; the file was left where it was", ReadablePath(it.Dest)))
	case w.atPath:
		if err := os.MkdirAll(filepath.Dir(it.Dest), 0o755); err != nil {
			return finish(it, store.ChangeError, "cannot make the folder it goes to: "+describeFSError(err))
		}
		if err := move(); err != nil {
			if _, statErr := os.Lstat(it.Path); statErr == nil {
				return finish(it, store.ChangeError, "could not move it; it was left where it was: "+moveError(err))
			}
			return finish(it, store.ChangeError, "the move failed: "+moveError(err))
		}
		k.step("moved")
		_ = safefs.SyncDir(filepath.Dir(it.Path))
		_ = safefs.SyncDir(filepath.Dir(it.Dest))
	case w.atDest:
		// Moved before the process stopped.
	default:
		return finish(it, store.ChangeError, fmt.Sprintf("the file is neither at %s nor at %s", ReadablePath(it.Path), ReadablePath(it.Dest)))
	}
	if it.Dest == "" {
		return finish(it, store.ChangeDone, "")
	}
	if err := verify(it.Dest, it.SHA256); err != nil {
		// The file changed between the check and the move. Put it back.
		if back := safefs.RenameNoReplace(it.Dest, it.Path); back == nil {
			return finish(it, store.ChangeSkipped, "changed while it was being moved, so it was put back")
		}
		return finish(it, store.ChangeError, err.Error()+"; it is kept at "+ReadablePath(it.Dest))
	}
	it.DoneAt = time.Now()
	return finish(it, store.ChangeDone, "")
}

func moveError(err error) string {
	switch {
	case errors.Is(err, fs.ErrExist):
		return "something already stands where it would go"
	case errors.Is(err, safefs.ErrCrossDevice):
		return "the destination is on another volume"
	}
	return describeFSError(err)
}

// quarantineOp moves a copy into Shoebox's quarantine, keeping its path.
type quarantineOp struct{ k *changeKind }

func (o quarantineOp) check(ctx context.Context, it store.ChangeItem) (store.ChangeItem, bool, error) {
	it, ok, err := o.k.checkFiles(ctx, it)
	if !ok || err != nil {
		return it, ok, err
	}
	dest, err := o.k.quarantinePath(it.Path)
	if err != nil {
		return finish(it, store.ChangeError, err.Error()), false, nil
	}
	it.Dest = dest
	return it, true, nil
}

func (o quarantineOp) act(it store.ChangeItem) store.ChangeItem {
	return o.k.moveOut(it, func() error { return safefs.RenameNoReplace(it.Path, it.Dest) })
}

func (o quarantineOp) resume(it store.ChangeItem) store.ChangeItem { return o.act(it) }

func (quarantineOp) abandon(store.ChangeItem) {}

// quarantinePath is where path goes in this run's quarantine: beside the
// library when it is on the same volume, else .shoebox-quarantine at the
// top of the file's volume (as the trash specification does with $topdir),
// so the move is always a rename. The file keeps its path under the run's
// folder.
func (k *changeKind) quarantinePath(path string) (string, error) {
	run := fmt.Sprintf("run-%d", k.job.ID)
	libDir := filepath.Dir(k.lib.Path())
	if same, err := safefs.SameVolume(libDir, path); err == nil && same {
		rel := strings.TrimLeft(strings.TrimPrefix(path, filepath.VolumeName(path)), `/\`)
		return filepath.Join(QuarantineDir(k.lib.Path()), run, rel), nil
	}
	top, err := safefs.VolumeTop(path)
	if err != nil {
		return "", fmt.Errorf("cannot find the top of the volume that holds it: %s", describeFSError(err))
	}
	rel, err := filepath.Rel(top, path)
	if err != nil {
		return "", err
	}
	return filepath.Join(top, VolumeQuarantineName, run, rel), nil
}

// VolumeQuarantineName is the quarantine folder at the top of a volume other
// than the library's.
const VolumeQuarantineName = ".shoebox-quarantine"

// QuarantineDir is the quarantine beside a library file.
func QuarantineDir(libraryPath string) string {
	return filepath.Join(filepath.Dir(libraryPath), "quarantine")
}
