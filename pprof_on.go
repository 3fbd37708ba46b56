//go:build shoebox_pprof

package main

// A measuring build (go build -tags shoebox_pprof) serves the runtime's
// profiles over HTTP at the address in SHOEBOX_PPROF (e.g. 127.0.0.1:6060),
// so the window's allocations can be read while it runs: a plain process
// does not reproduce what the window holds beside the engine. Never built
// into a release.

import (
	"log"
	"net/http"
	_ "net/http/pprof" // registers /debug/pprof/ on the default mux
	"os"
)

func init() {
	if addr := os.Getenv("SHOEBOX_PPROF"); addr != "" {
		go func() { log.Print(http.ListenAndServe(addr, nil)) }()
	}
}
