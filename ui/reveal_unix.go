//go:build !windows && !darwin

package ui

import (
	"net/url"
	"os/exec"
)

// osCommands opens with xdg-open; it reveals through the freedesktop
// FileManager1 D-Bus interface, which selects the file in Files, Dolphin
// or Nemo, and else opens the folder with xdg-open.
func osCommands(how openHow, path string) []osCommand {
	if how == openInViewer {
		return []osCommand{{args: []string{"xdg-open", path}}}
	}
	uri := (&url.URL{Scheme: "file", Path: path}).String()
	return []osCommand{
		{args: []string{"dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.FileManager1",
			"--type=method_call", "/org/freedesktop/FileManager1", "org.freedesktop.FileManager1.ShowItems",
			"array:string:" + uri, "string:"}, wait: true},
		{args: []string{"xdg-open", dirOf(path)}},
	}
}

func prepare(*exec.Cmd, openHow, string) {}
