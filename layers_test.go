package main

import (
	"os/exec"
	"strings"
	"testing"
)

// decoders are the packages that read image or container bytes: the plain
// types and the store must never link them, and near-duplicate grouping
// works on hashes alone.
var decoders = []string{
	"shoebox/processing", "shoebox/imagehash", "shoebox/meta", "shoebox/timestamp",
	"golang.org/x/image/", "github.com/rwcarlsen/goexif", "github.com/corona10/goimagehash",
	"github.com/gabriel-vasile/mimetype", "image/jpeg", "image/png", "image/gif",
}

// The dependency rules of the code base (README "Layout"): each package may
// depend only on what is below it. go list fails on an import cycle, so the
// first check also proves there is none.
func TestDependenciesPointOneWay(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not on PATH")
	}
	if out, err := exec.Command("go", "list", "./...").CombinedOutput(); err != nil {
		t.Fatalf("go list ./...: %v\n%s", err, out)
	}
	for _, rule := range []struct {
		pkg       string
		forbidden []string
		why       string
	}{
		{"shoebox/app", []string{"fyne.io/", "github.com/go-gl/"}, "the engine builds, tests and runs headless"},
		{"shoebox/store", decoders, "the store keeps records; it never decodes"},
		{"shoebox/media", append([]string{"shoebox/"}, decoders...), "the plain types are the leaf"},
		{"shoebox/near", decoders, "near-duplicate grouping works on hashes, not on files"},
		{"shoebox/safefs", []string{"shoebox/"}, "safefs is a leaf: the standard library and golang.org/x/sys only"},
		{"shoebox/exifdate", []string{"shoebox/", "golang.org/", "fyne.io/"}, "exifdate edits bytes: the standard library only"},
		{"shoebox/qtdate", []string{"shoebox/", "golang.org/", "fyne.io/"}, "qtdate edits bytes: the standard library only"},
		{"shoebox/trash", append([]string{"shoebox/app", "shoebox/store", "shoebox/ui", "fyne.io/"}, decoders...),
			"the trash is a leaf beside safefs: the change-run engine calls it"},
	} {
		out, err := exec.Command("go", "list", "-deps", rule.pkg).CombinedOutput()
		if err != nil {
			t.Errorf("go list -deps %s: %v\n%s", rule.pkg, err, out)
			continue
		}
		deps := strings.Fields(string(out))
		if len(deps) < 3 {
			t.Fatalf("go list printed too little to trust: %q", out)
		}
		for _, d := range deps {
			if d == rule.pkg {
				continue
			}
			for _, f := range rule.forbidden {
				if d == strings.TrimSuffix(f, "/") || strings.HasPrefix(d, f) {
					t.Errorf("%s depends on %s: %s", rule.pkg, d, rule.why)
				}
			}
		}
	}
}
