//go:build darwin

package ui

import "os/exec"

// osCommands uses open, and open -R to select the file in the Finder.
func osCommands(how openHow, path string) []osCommand {
	if how == openInViewer {
		return []osCommand{{args: []string{"open", path}}}
	}
	return []osCommand{{args: []string{"open", "-R", path}}}
}

func prepare(*exec.Cmd, openHow, string) {}
