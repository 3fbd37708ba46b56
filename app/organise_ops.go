package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"shoebox/safefs"
	"shoebox/store"
)

// copyOp copies a source into the library: to a temporary name in the
// destination folder, flushed, read back and compared by SHA-256, given its
// modification time, then renamed into place without ever replacing a file.
// A kill at any point leaves at most a temporary file (removed when the run
// resumes or is undone), never a half-written file under its final name.
// The source is never changed.
type copyOp struct{ k *changeKind }

// copyTemp is the temporary name of the copy to dest, in its folder: the
// same for every attempt, so a resumed run finds what an earlier one left.
func copyTemp(dest string) string {
	sum := sha256.Sum256([]byte(dest))
	return filepath.Join(filepath.Dir(dest), ".shoebox-copy-"+hex.EncodeToString(sum[:8])+".part")
}

func (o copyOp) check(_ context.Context, it store.ChangeItem) (store.ChangeItem, bool, error) {
	info, err := os.Lstat(it.Path)
	switch {
	case err != nil:
		return finish(it, store.ChangeSkipped, fmt.Sprintf("cannot be read now (%s): changed since the scan", describeFSError(err))), false, nil
	case !info.Mode().IsRegular():
		return finish(it, store.ChangeSkipped, "is not a regular file now: changed since the scan"), false, nil
	case info.Size() != it.Size || info.ModTime().UnixNano() != it.MtimeNS:
		return finish(it, store.ChangeSkipped, "changed since the scan (size or modification time)"), false, nil
	}
	if _, err := os.Lstat(it.Dest); err == nil {
		if verify(it.Dest, it.SHA256) == nil {
			e := *it.Organise
			e.Fate, e.Of = store.FateAlready, it.Dest
			it.Organise = &e
			return finish(it, store.ChangeSkipped, "its bytes were put in the library since the plan"), false, nil
		}
		return finish(it, store.ChangeError, fmt.Sprintf("another file now stands at %s; nothing was overwritten", ReadablePath(it.Dest))), false, nil
	}
	return it, true, nil
}

func (o copyOp) act(it store.ChangeItem) store.ChangeItem {
	tmp := copyTemp(it.Dest)
	if err := os.MkdirAll(filepath.Dir(it.Dest), 0o755); err != nil {
		return o.failed(it, "cannot make the folder it goes to", err)
	}
	os.Remove(tmp) // only ever Shoebox's own leftover
	read, err := writeCopy(it.Path, tmp, os.FileMode(it.Mode).Perm(), it.Organise.MtimeNS)
	if err != nil {
		os.Remove(tmp)
		dropEmptyFolders(it)
		return o.failed(it, "could not copy it; the source is untouched", err)
	}
	o.k.step("written")
	if read != it.SHA256 {
		os.Remove(tmp)
		dropEmptyFolders(it)
		return finish(it, store.ChangeSkipped, "changed since the scan (its SHA-256 differs); it was not copied")
	}
	if err := verify(tmp, it.SHA256); err != nil {
		os.Remove(tmp)
		dropEmptyFolders(it)
		return finish(it, store.ChangeError, "the copy read back is not the same bytes ("+err.Error()+"); it was removed, the source is untouched")
	}
	o.k.step("verified")
	if err := safefs.RenameNoReplace(tmp, it.Dest); err != nil {
		os.Remove(tmp)
		return finish(it, store.ChangeError, "could not put the copy in its place: "+moveError(err))
	}
	o.k.step("renamed")
	_ = safefs.SyncDir(filepath.Dir(it.Dest))
	it.DoneAt = time.Now()
	return finish(it, store.ChangeDone, "")
}

// resume finishes a copy found started: in place and verified is done; a
// temporary file left over is dropped and the copy made again.
func (o copyOp) resume(it store.ChangeItem) store.ChangeItem {
	if _, err := os.Lstat(it.Dest); err == nil {
		if err := verify(it.Dest, it.SHA256); err != nil {
			return finish(it, store.ChangeError, fmt.Sprintf("another file stands at %s; nothing was overwritten", ReadablePath(it.Dest)))
		}
		os.Remove(copyTemp(it.Dest))
		it.DoneAt = time.Now()
		return finish(it, store.ChangeDone, "")
	}
	return o.act(it)
}

func (copyOp) abandon(store.ChangeItem) {}

// destFull starts the reason of a copy that failed because the destination
// is full: the run halts on it (haltWhenFull).
const destFull = "the destination disk is full"

func (o copyOp) failed(it store.ChangeItem, what string, err error) store.ChangeItem {
	_, tmpErr := os.Lstat(copyTemp(it.Dest))
	_, destErr := os.Lstat(it.Dest)
	if os.IsNotExist(tmpErr) && os.IsNotExist(destErr) {
		// Nothing of the copy is left and the source was only read: the
		// item can be tried again (RetryFailed) like one never started.
		it.StartedAt = timeZero
	}
	if isDiskFull(err) {
		return finish(it, store.ChangeError, destFull+" ("+ReadablePath(filepath.Dir(it.Dest))+"): the copy was removed, the source is untouched")
	}
	return finish(it, store.ChangeError, what+": "+describeFSError(err))
}

// haltWhenFull halts the run on a full destination: every next copy would
// fail the same way. It runs on the run's writer, which owns the job.
func (k *changeKind) haltWhenFull(res store.ChangeItem) {
	if res.Op != "copy" || res.State != store.ChangeError || !strings.HasPrefix(res.Reason, destFull) {
		return
	}
	if r := k.lib.running(k.job.ID); r != nil && runFlag(r.flag.Load()) == flagRun {
		r.job.ErrorMessage = "The destination disk is full: the run stopped, nothing half-written was left in the library. " +
			"Free some space, then `shoebox resume --retry-errors " + fmt.Sprint(k.job.ID) + "` copies the rest."
		r.request(flagHalt)
	}
}

// writeCopy writes src's bytes to dst (a new file), with mode perm and
// modification time mtimeNS, flushed to disk. It returns the SHA-256 of the
// bytes read from src.
func writeCopy(src, dst string, perm os.FileMode, mtimeNS int64) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	if perm == 0 {
		perm = 0o644
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(out, h), in); err != nil {
		out.Close()
		return "", err
	}
	if mtimeNS != 0 {
		mt := time.Unix(0, mtimeNS)
		if err := os.Chtimes(dst, mt, mt); err != nil {
			out.Close()
			return "", err
		}
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return "", err
	}
	if err := out.Close(); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// removeCopy undoes a copy: the copy is removed only while it is still the
// bytes copied, and only once the source holds them again (a moved source
// is put back first: undo goes in reverse order). The folders the run made
// are removed when left empty, up to the destination.
func (k *changeKind) removeCopy(it store.ChangeItem) store.ChangeItem {
	os.Remove(copyTemp(it.Dest))
	if _, err := os.Lstat(it.Dest); os.IsNotExist(err) {
		return finish(it, store.ChangeDone, "the copy was no longer in the library")
	}
	if err := verify(it.Dest, it.SHA256); err != nil {
		return finish(it, store.ChangeError, "the copy at "+ReadablePath(it.Dest)+" was changed since the run, so it was kept")
	}
	if err := verify(it.Path, it.SHA256); err != nil {
		return finish(it, store.ChangeError, "the original is not back at "+ReadablePath(it.Path)+", so the copy at "+ReadablePath(it.Dest)+" was kept")
	}
	if err := os.Remove(it.Dest); err != nil {
		return finish(it, store.ChangeError, "could not remove the copy: "+describeFSError(err))
	}
	k.step("removed")
	_ = safefs.SyncDir(filepath.Dir(it.Dest))
	dropEmptyFolders(it)
	it.DoneAt = time.Now()
	return finish(it, store.ChangeDone, "")
}

// dropEmptyFolders removes the folders of it.Dest left empty, up to the
// run's destination: a copy undone or not made leaves no empty tree.
// os.Remove never removes a folder that holds anything.
func dropEmptyFolders(it store.ChangeItem) {
	if it.Organise == nil || it.Organise.Root == "" {
		return
	}
	removeEmptyFolders(filepath.Dir(it.Dest), it.Organise.Root)
}
