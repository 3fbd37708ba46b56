//go:build unix && !darwin

package trash

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"shoebox/safefs"
)

// Prepare chooses the trash for path and reserves a name in it by creating
// its .trashinfo file, touching nothing but the trash folder. path must
// exist; a symlink is trashed as itself.
func Prepare(path string, opt Options) (Entry, error) {
	opt, abs, id, err := locate(path, opt)
	if err != nil {
		return Entry{}, err
	}
	trashDir, infoPath, err := chooseTrash(abs, id.Dev, opt)
	if err != nil {
		return Entry{}, fmt.Errorf("find the trash for %s: %w", path, err)
	}
	for _, sub := range []string{"files", "info"} {
		if err := ensureOwnedDir(filepath.Join(trashDir, sub), opt.UID); err != nil {
			return Entry{}, fmt.Errorf("prepare the trash for %s: %w", path, err)
		}
	}
	name, err := reserve(trashDir, filepath.Base(abs), formatInfo(infoPath, opt.Now()))
	if err != nil {
		return Entry{}, fmt.Errorf("reserve a name in %s for %s: %w", trashDir, path, err)
	}
	return Entry{
		Original: abs,
		File:     filepath.Join(trashDir, "files", name),
		Info:     filepath.Join(trashDir, "info", name+".trashinfo"),
		Trash:    trashDir,
	}, nil
}

// chooseTrash returns the trash folder for abs (on device dev) and the Path
// its .trashinfo records: the home trash with an absolute Path when abs is on
// its volume, else the volume's own trash with a Path relative to $topdir.
func chooseTrash(abs string, dev uint64, opt Options) (trashDir, infoPath string, err error) {
	home := filepath.Join(opt.DataHome, "Trash")
	homeDev, err := nearestDev(home)
	if err != nil {
		return "", "", err
	}
	if homeDev == dev {
		if err := os.MkdirAll(home, 0o700); err != nil {
			return "", "", err
		}
		return home, abs, nil
	}
	real, err := resolveParent(abs)
	if err != nil {
		return "", "", err
	}
	top, err := safefs.VolumeTop(real)
	if err != nil {
		return "", "", err
	}
	rel, err := filepath.Rel(top, real)
	if err != nil {
		return "", "", err
	}
	trashDir, err = topdirTrash(top, opt.UID)
	if err != nil {
		return "", "", err
	}
	return trashDir, rel, nil
}

// topdirTrash is the specification's trash on a volume other than home's:
// $topdir/.Trash/$uid when $topdir/.Trash is a real folder with the sticky
// bit (an administrator made it, and nobody can remove another's files), else
// $topdir/.Trash-$uid, created if needed and refused unless it is a real
// folder of ours.
func topdirTrash(top string, uid int) (string, error) {
	shared := filepath.Join(top, ".Trash")
	if fi, err := os.Lstat(shared); err == nil && fi.IsDir() && fi.Mode()&fs.ModeSticky != 0 {
		mine := filepath.Join(shared, strconv.Itoa(uid))
		if ensureOwnedDir(mine, uid) == nil {
			return mine, nil
		}
		// The specification: when $topdir/.Trash/$uid cannot be used, use
		// $topdir/.Trash-$uid.
	}
	own := filepath.Join(top, ".Trash-"+strconv.Itoa(uid))
	if err := ensureOwnedDir(own, uid); err != nil {
		return "", errors.Join(ErrNoTrash, err)
	}
	return own, nil
}

// maxName is the longest name that still leaves room for ".trashinfo" within
// the 255-byte name limit of common filesystems.
const maxName = 255 - len(".trashinfo")

// reserve creates info/NAME.trashinfo for the first NAME, from base then
// "stem.2.ext", "stem.3.ext"…, that is free in both files/ and info/, with
// content in it, durably. The content is written and flushed under a
// temporary name first (one a desktop never reads: it does not end in
// .trashinfo) and then linked to NAME.trashinfo, which fails when the name
// is taken: a process killed at any instant leaves either no info file or a
// complete one, never an empty one. Where links are not supported (a trash
// on a FAT stick) the file is created with O_EXCL and written in place.
func reserve(trashDir, base string, content []byte) (string, error) {
	files, info := filepath.Join(trashDir, "files"), filepath.Join(trashDir, "info")
	tmp, err := writeTemp(info, content)
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp)
	for n := 1; n <= 10000; n++ {
		name := candidate(base, n)
		if _, err := os.Lstat(filepath.Join(files, name)); err == nil {
			continue
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		ip := filepath.Join(info, name+".trashinfo")
		err := os.Link(tmp, ip)
		if errors.Is(err, fs.ErrExist) {
			if ownStaleReservation(ip, content) {
				return name, nil // ours, from a process killed before it journaled it
			}
			continue
		}
		if err != nil {
			err = createExcl(ip, content)
			if errors.Is(err, fs.ErrExist) {
				continue
			}
		}
		if err != nil {
			return "", err
		}
		if err := safefs.SyncDir(info); err != nil {
			_ = os.Remove(ip)
			return "", err
		}
		return name, nil
	}
	return "", fmt.Errorf("no free name for %s after 10000 tries", base)
}

// ownStaleReservation says whether the info file at ip reserves the same
// original path as content and its file never went into the trash: a
// reservation a killed process made and never used. Reusing it keeps the
// trash free of info files that name no file.
func ownStaleReservation(ip string, content []byte) bool {
	old, err := os.ReadFile(ip)
	if err != nil || pathLine(old) == "" || pathLine(old) != pathLine(content) {
		return false
	}
	name := strings.TrimSuffix(filepath.Base(ip), ".trashinfo")
	_, err = os.Lstat(filepath.Join(filepath.Dir(filepath.Dir(ip)), "files", name))
	return errors.Is(err, fs.ErrNotExist)
}

// pathLine is the Path= line of a .trashinfo's content.
func pathLine(content []byte) string {
	for _, line := range strings.Split(string(content), "\n") {
		if strings.HasPrefix(line, "Path=") {
			return line
		}
	}
	return ""
}

// writeTemp writes content to a new temporary file in dir and flushes it.
func writeTemp(dir string, content []byte) (string, error) {
	f, err := os.CreateTemp(dir, ".shoebox-reserve-*.tmp")
	if err != nil {
		return "", err
	}
	if err := writeAndSync(f, content); err != nil {
		_ = os.Remove(f.Name())
		return "", fmt.Errorf("write %s: %w", f.Name(), err)
	}
	return f.Name(), nil
}

// createExcl creates path with O_EXCL and writes content into it.
func createExcl(path string, content []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if err := writeAndSync(f, content); err != nil {
		_ = os.Remove(path)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func writeAndSync(f *os.File, content []byte) error {
	_, err := f.Write(content)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// candidate is the n-th name tried for base: base itself, then
// "stem.n.ext". A name too long to take ".trashinfo" has its stem shortened
// at a character boundary.
func candidate(base string, n int) string {
	ext := filepath.Ext(base)
	if ext == base { // ".hidden": the dot starts the name, it is no extension
		ext = ""
	}
	stem := base[:len(base)-len(ext)]
	suffix := ext
	if n > 1 {
		suffix = "." + strconv.Itoa(n) + ext
	}
	if len(stem)+len(suffix) > maxName {
		cut := min(max(maxName-len(suffix), 1), len(stem))
		for cut > 1 && cut < len(stem) && !utf8.RuneStart(stem[cut]) {
			cut--
		}
		stem = stem[:cut]
	}
	return stem + suffix
}

// DropStaleReservations removes the reservations Prepare made for path whose
// file never went into the trash (a process killed after reserving a name
// and before using it), and says how many it removed. An info file whose
// file is in the trash, or that names another path, is never touched.
func DropStaleReservations(path string, opt Options) (int, error) {
	opt, abs, id, err := locate(path, opt)
	if err != nil {
		return 0, err
	}
	trashDir, infoPath, err := chooseTrash(abs, id.Dev, opt)
	if err != nil {
		return 0, fmt.Errorf("find the trash for %s: %w", path, err)
	}
	info := filepath.Join(trashDir, "info")
	entries, err := os.ReadDir(info)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return 0, nil
		}
		return 0, err
	}
	content := formatInfo(infoPath, opt.Now())
	n := 0
	for _, e := range entries {
		ip := filepath.Join(info, e.Name())
		if strings.HasSuffix(e.Name(), ".trashinfo") && ownStaleReservation(ip, content) {
			if err := os.Remove(ip); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}
