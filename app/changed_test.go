package app

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"shoebox/media"
	"shoebox/processing"
	"shoebox/store"
)

// A file rewritten between listing and analysis is stored as an error saying
// it changed, never with the listed size and the hash of the new bytes; the
// files left alone are analysed as usual.
func TestFileRewrittenAfterListingIsAnError(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "a.txt"), "twelve bytes")
	mustWrite(t, filepath.Join(dir, "b.txt"), "left alone")
	lib := openTestLibrary(t, nil)
	lib.opt.Analyze = func(ctx context.Context, in processing.Input, o processing.AnalyzeOptions) (media.Result, error) {
		if in.RelPath == "a.txt" { // listed already: rewrite it now
			if err := os.WriteFile(in.Path, []byte("now a little longer"), 0o644); err != nil {
				t.Error(err)
			}
		}
		return processing.Analyze(ctx, in, o)
	}
	j, st := runToEnd(t, lib, []string{dir}, Settings{Workers: 1})
	if st != store.StateCompleted {
		t.Fatalf("%s: %s", st, j.ErrorMessage)
	}
	files, _ := lib.Files(j.ID)
	if len(files) != 2 {
		t.Fatalf("%d files", len(files))
	}
	a, b := files[0], files[1]
	want := "changed while it was being scanned: size 12 → 19; scan again"
	if a.Status != media.StatusError || a.Error != want || a.SHA256 != "" {
		t.Errorf("a.txt: %s %q sha %q, want error %q", a.Status, a.Error, a.SHA256, want)
	}
	if b.Status != media.StatusSkipped || b.Error != "" {
		t.Errorf("b.txt, unchanged: %s %q", b.Status, b.Error)
	}
}
