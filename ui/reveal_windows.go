//go:build windows

package ui

import (
	"os/exec"
	"syscall"
)

// osCommands uses Explorer, which opens a file with its program and
// selects it in its folder with /select. Explorer's exit status is 1 even
// when it worked, so it is never waited for.
func osCommands(how openHow, path string) []osCommand {
	return []osCommand{{args: []string{"explorer", path}}}
}

// prepare writes Explorer's command line itself: /select, wants the path
// quoted after the comma, which Go's own quoting of one argument does not do.
func prepare(cmd *exec.Cmd, how openHow, path string) {
	line := `explorer "` + path + `"`
	if how == showInFolder {
		line = `explorer /select,"` + path + `"`
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{CmdLine: line}
}
