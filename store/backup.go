package store

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// BackupDir is the folder of a library's backups: backups/ beside it.
func BackupDir(libraryPath string) string {
	return filepath.Join(filepath.Dir(libraryPath), "backups")
}

// backupPrefix is how a library's backups' names start: library.db ->
// "library-"; several libraries may share one folder.
func backupPrefix(libraryPath string) string {
	base := filepath.Base(libraryPath)
	return strings.TrimSuffix(base, filepath.Ext(base)) + "-"
}

var unsafeReason = regexp.MustCompile(`[^a-z0-9]+`)

// Backup writes a consistent copy of the library (bbolt's hot backup, in a
// read transaction, so a running job goes on) to
// backups/<name>-<UTC time>-<reason>.db: under a temporary name first, synced,
// then renamed, so a backup that exists is whole. It then deletes all but
// the newest keep backups of this library.
func (db *DB) Backup(reason string, at time.Time, keep int) (string, error) {
	dir := BackupDir(db.path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("cannot create the backup folder: %w", err)
	}
	reason = strings.Trim(unsafeReason.ReplaceAllString(strings.ToLower(reason), "-"), "-")
	name := backupPrefix(db.path) + at.UTC().Format("20060102T150405.000Z") + "-" + reason + ".db"
	final := filepath.Join(dir, name)
	tmp, err := os.CreateTemp(dir, ".partial-*.db")
	if err != nil {
		return "", fmt.Errorf("cannot write a backup in %s: %w", dir, err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	err = db.view(func(tx *bolt.Tx) error {
		_, err := tx.WriteTo(tmp)
		return err
	})
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), final)
	}
	if err == nil {
		err = syncDir(dir)
	}
	if err != nil {
		return "", fmt.Errorf("cannot write the backup %s: %w", final, err)
	}
	return final, pruneBackups(db.path, keep)
}

// syncDir makes a rename in dir durable. Windows cannot sync a folder (and
// makes renames durable by itself), so there it does nothing.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Backups lists the library's backups, newest first.
func Backups(libraryPath string) ([]string, error) {
	dir := BackupDir(libraryPath)
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot list the backups in %s: %w", dir, err)
	}
	prefix := backupPrefix(libraryPath)
	var out []string
	for _, e := range entries {
		// The time right after the prefix tells this library's backups from
		// those of a library whose name only starts the same.
		n := e.Name()
		if e.Type().IsRegular() && strings.HasPrefix(n, prefix) && strings.HasSuffix(n, ".db") &&
			len(n) > len(prefix)+8 && isDigits(n[len(prefix):len(prefix)+8]) {
			out = append(out, filepath.Join(dir, n))
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(out))) // the UTC time sorts as text
	return out, nil
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func pruneBackups(libraryPath string, keep int) error {
	all, err := Backups(libraryPath)
	if err != nil || len(all) <= keep {
		return err
	}
	for _, p := range all[keep:] {
		if err := os.Remove(p); err != nil {
			return fmt.Errorf("cannot remove the old backup %s: %w", p, err)
		}
	}
	return nil
}

// RestoreBackup copies a backup to out (which must not exist) after checking
// that the backup itself is sound; the backup stays as it is.
func RestoreBackup(backup, out string) error {
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s already exists: choose a new file for the restored library", out)
	}
	if err := verifyPages(backup); err != nil {
		return err
	}
	data, err := os.ReadFile(backup)
	if err != nil {
		return fmt.Errorf("cannot read the backup: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".partial-*.db")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), out)
	}
	if err == nil {
		err = syncDir(filepath.Dir(out))
	}
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", out, err)
	}
	return nil
}
