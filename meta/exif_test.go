package meta

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"shoebox/media"
)

// goexifSamples returns the directory of the sample photographs that ship with goexif.
func goexifSamples(t testing.TB) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Skip("go env GOMODCACHE:", err)
	}
	dirs, _ := filepath.Glob(filepath.Join(strings.TrimSpace(string(out)), "github.com/rwcarlsen/goexif@*/exif/samples"))
	if len(dirs) == 0 {
		t.Skip("goexif samples not in the module cache")
	}
	return dirs[0]
}

func readMetaFile(t testing.TB, path, mime string) Metadata {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return Read(bytes.NewReader(b), int64(len(b)), mime)
}

func candidate(md Metadata, k media.CandidateKind) (media.Candidate, bool) {
	for _, c := range md.Candidates {
		if c.Kind == k {
			return c, true
		}
	}
	return media.Candidate{}, false
}
