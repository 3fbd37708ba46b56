package trash

import (
	"errors"
	"os"
	"path/filepath"
	"time"
)

// Options say which trash to use. The zero value is the running user's.
type Options struct {
	// DataHome is the base of the home trash on Linux ($DataHome/Trash).
	// Default: $XDG_DATA_HOME when it is set and absolute, else
	// ~/.local/share, as the specification says. Unused on macOS and
	// Windows.
	DataHome string
	// UID owns the per-user trash folders on other volumes. Default (0):
	// os.Getuid(). Unused on Windows.
	UID int
	// Now stamps the DeletionDate. Default: time.Now.
	Now func() time.Time
}

// Entry is one file's way into the trash: what to journal between Prepare
// and Commit, and what Restore needs.
type Entry struct {
	// Original is the absolute path the file had before it was trashed.
	Original string `json:"original"`
	// File is where the file is once in the trash (empty on Windows, where
	// the shell chooses).
	File string `json:"file"`
	// Info is the .trashinfo file reserving the name (Linux).
	Info string `json:"info,omitempty"`
	// Trash is the trash folder used.
	Trash string `json:"trash"`
}

// ErrNoTrash is what Prepare's error matches when the file's volume has no
// usable trash, so the caller can choose another way (a quarantine folder).
var ErrNoTrash = errors.New("this volume has no trash that Shoebox can use")

// withDefaults fills what the caller left out, as documented on Options.
func (o Options) withDefaults() (Options, error) {
	if o.DataHome == "" {
		if x := os.Getenv("XDG_DATA_HOME"); x != "" && filepath.IsAbs(x) {
			o.DataHome = x
		} else {
			home, err := os.UserHomeDir()
			if err != nil {
				return o, err
			}
			o.DataHome = filepath.Join(home, ".local", "share")
		}
	}
	if o.UID == 0 {
		o.UID = os.Getuid()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o, nil
}
