//go:build !(linux || freebsd || netbsd || openbsd)

package ui

// displayProblem: Windows and macOS always have a display for a program a
// person started.
func displayProblem() error { return nil }
