package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// PutRepairedInPlace makes a repaired library (recovered or restored from a
// backup, written beside the damaged one) the library at path, so that the
// next start opens it, and keeps the damaged file beside it under a name that
// says so: nothing is deleted. It returns where the damaged file now is.
// Both moves are renames in the library's folder; if the second fails, the
// first is undone.
func PutRepairedInPlace(path, repaired string, now time.Time) (damagedAt string, err error) {
	stem := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	damagedAt = filepath.Join(filepath.Dir(path), stem+"-damaged-"+now.UTC().Format("20060102T150405Z")+".db")
	if _, err := os.Lstat(damagedAt); err == nil {
		return "", fmt.Errorf("%s already exists: not overwritten", damagedAt)
	}
	if err := os.Rename(path, damagedAt); err != nil {
		return "", fmt.Errorf("could not move the damaged library aside: %w", err)
	}
	if err := os.Rename(repaired, path); err != nil {
		if back := os.Rename(damagedAt, path); back != nil {
			return "", fmt.Errorf("could not put %s in place (%v), nor the damaged library back (%v): it is at %s",
				repaired, err, back, damagedAt)
		}
		return "", fmt.Errorf("could not put %s in place of the damaged library: %w", repaired, err)
	}
	return damagedAt, nil
}
