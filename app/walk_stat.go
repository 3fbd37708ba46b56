//go:build !linux

package app

import (
	"io/fs"
	"os"

	"shoebox/store"
)

// statListed is what a listing keeps of the regular file e of the open
// folder dir (its Root and RelPath are the caller's).
func statListed(_ *os.File, e fs.DirEntry) (store.Listed, error) {
	info, err := e.Info()
	if err != nil {
		return store.Listed{}, err
	}
	return listedOf(info), nil
}
