package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// attachConsole gives the command line its output on Windows: the release
// .exe is built for the GUI subsystem (no console window when double-clicked),
// so a subcommand run from cmd or PowerShell attaches to the parent's console.
func attachConsole() {
	const attachParentProcess = ^uintptr(0) // (DWORD)-1
	attach := windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")
	if ok, _, _ := attach.Call(attachParentProcess); ok == 0 {
		return // started from Explorer: there is no console to attach to
	}
	// Keep redirected output (shoebox report > x.jsonl) where it was sent.
	if out, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
		if fi, _ := os.Stdout.Stat(); fi == nil {
			os.Stdout = out
		}
		if fi, _ := os.Stderr.Stat(); fi == nil {
			os.Stderr = out
		}
	}
}
