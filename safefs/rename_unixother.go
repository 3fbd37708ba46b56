//go:build unix && !linux && !darwin

package safefs

// RenameNoReplace moves from to to within one volume and never replaces an
// existing to: then the error matches fs.ErrExist and nothing changed. Across
// volumes the error matches ErrCrossDevice.
//
// These systems have no exclusive rename in golang.org/x/sys, so it links
// then removes (a crash between leaves two names for one file), and on
// filesystems without hard links looks then renames, with a small race (see
// renameAfterLstat).
func RenameNoReplace(from, to string) error {
	return renameByLink(from, to)
}
