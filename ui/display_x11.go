//go:build linux || freebsd || netbsd || openbsd

package ui

import "os"

// displayProblem: Fyne's desktop driver on these systems opens an X11
// display (GLFW's X11 backend, also under XWayland).
func displayProblem() error { return x11Display(os.Getenv("DISPLAY"), "/tmp/.X11-unix") }
