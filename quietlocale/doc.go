// Package quietlocale keeps Fyne from printing "Fyne error: Error parsing user
// locale C" on every start under LANG=C.UTF-8 (containers, SSH sessions).
//
// Fyne's lang package reads the locale in its own init, through go-locale,
// which takes "C.UTF-8" for a language named "C" that golang.org/x/text cannot
// parse. Nothing in package main runs before that init. But Go initialises
// packages in a defined order (the Go specification, "Package
// initialization", since Go 1.21): sorted by import path, each package as
// soon as everything it imports is ready. This package imports only the
// standard library and its path, app.shoebox/quietlocale, sorts before
// fyne.io/..., so its init runs first. That is why it is a module of its own
// (a path under shoebox/ would sort after fyne.io/).
//
// It changes nothing but the C locale: when the variable that decides the
// messages' language (LC_ALL, else LC_MESSAGES, else LANG) is C.<charset> or
// POSIX.<charset>, it is set to plain "C" (the same locale, which go-locale
// reads as "none", so Fyne falls back to English quietly) until Restore puts
// the original value back, first thing in main.
package quietlocale
