//go:build darwin

package ui

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// systemPicker on macOS is the standard folder chooser (AppleScript's
// choose folder), through osascript, which every Mac has: no cgo of
// Shoebox's own.
func systemPicker(req folderRequest) (string, error) {
	cmd := exec.Command("osascript", "-e", chooseFolderScript(req))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		// "User canceled. (-128)", with exit status 1.
		var exit *exec.ExitError
		if errors.As(err, &exit) && (strings.Contains(stderr.String(), "(-128)") || strings.Contains(stderr.String(), "User canceled")) {
			return "", nil
		}
		return "", fmt.Errorf("osascript's choose folder: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	dir := strings.TrimRight(string(out), "\n")
	if dir == "" {
		return "", errors.New("osascript's choose folder answered without a folder")
	}
	if len(dir) > 1 {
		dir = strings.TrimSuffix(dir, "/") // POSIX path of a folder ends in "/"
	}
	return dir, nil
}

// chooseFolderScript is the AppleScript that shows the chooser and prints
// the folder's POSIX path. The activate brings it in front of the window.
func chooseFolderScript(req folderRequest) string {
	s := `POSIX path of (choose folder with prompt ` + appleString(req.Title)
	if req.Start != "" {
		s += ` default location (POSIX file ` + appleString(req.Start) + `)`
	}
	return "activate\n" + s + ")"
}

// appleString quotes s as an AppleScript string literal.
func appleString(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}
