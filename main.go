package main

import (
	"os"
	"runtime/debug"

	"app.shoebox/quietlocale"

	"shoebox/app"
	"shoebox/ui"
)

// heapSoftLimit keeps the Go heap near what the analysis needs. The decode
// budget (app) holds at most 160 MB of pixels at once, but with the default
// GC pacing a moment with two 12 MP PNGs live lets the heap grow to twice
// that before the next collection: peaks of 270-290 MB were measured on the
// benchmark folder, 240-250 MB with this limit, at the same speed. A
// GOMEMLIMIT in the environment takes precedence.
const heapSoftLimit = 224 << 20

func main() {
	quietlocale.Restore()
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(heapSoftLimit)
	}
	if len(os.Args) > 1 {
		attachConsole()
		os.Exit(app.RunCLI(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(ui.Run())
}
