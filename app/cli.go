package app

import "io"

// RunCLI runs one subcommand and returns the process exit status.
func RunCLI(args []string, stdout, stderr io.Writer) int { return 1 }
