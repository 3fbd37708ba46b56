package main

import (
	"os"
	"runtime/debug"

	"app.shoebox/quietlocale"

	"shoebox/app"
	"shoebox/limits"
	"shoebox/ui"
)

func main() {
	quietlocale.Restore()
	// A soft heap limit at half the machine (limits.HeapSoftLimit): it
	// protects a small machine from swapping, and never makes the collector
	// run flat out on a large library as a fixed 224 MiB did. A GOMEMLIMIT in
	// the environment takes precedence.
	if total, ok := limits.PhysicalMemory(); ok && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(limits.HeapSoftLimit(total))
	}
	if len(os.Args) > 1 {
		attachConsole()
		os.Exit(app.RunCLI(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(ui.Run())
}
