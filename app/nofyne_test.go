package app

import (
	"os/exec"
	"strings"
	"testing"
)

// The engine must build, test and run headless: app, processing and store
// may never import Fyne, directly or through a dependency.
func TestEngineNeverImportsFyne(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not on PATH")
	}
	out, err := exec.Command("go", "list", "-deps", "shoebox/app", "shoebox/processing", "shoebox/store").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list printed too little to trust: %q", out)
	}
	for _, d := range deps {
		if strings.HasPrefix(d, "fyne.io/") || strings.Contains(d, "go-gl/") {
			t.Errorf("the engine depends on %s", d)
		}
	}
}
