//go:build !(linux || freebsd || netbsd || openbsd || darwin || windows)

package ui

import "errors"

// systemPicker: Shoebox knows no folder chooser here, so Fyne's opens.
func systemPicker(folderRequest) (string, error) { return "", errNoSystemPicker }

// errNoSystemPicker is systemPicker's answer where Shoebox knows no native
// folder chooser.
var errNoSystemPicker = errors.New("this system has no folder chooser Shoebox can reach")
