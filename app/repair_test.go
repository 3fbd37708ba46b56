package app

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestPutRepairedInPlaceKeepsTheDamagedFile(t *testing.T) {
	dir := t.TempDir()
	path, repaired := filepath.Join(dir, "library.db"), filepath.Join(dir, "library-recovered-x.db")
	mustWrite(t, path, "damaged bytes")
	mustWrite(t, repaired, "repaired bytes")
	at := time.Date(2026, 12, 1, 19, 0, 0, 0, time.UTC)
	kept, err := PutRepairedInPlace(path, repaired, at)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "repaired bytes" {
		t.Errorf("the library holds %q", got)
	}
	if got, _ := os.ReadFile(kept); string(got) != "damaged bytes" || kept != filepath.Join(dir, "library-damaged-20261201T190000Z.db") {
		t.Errorf("the damaged file at %s holds %q", kept, got)
	}
	// A second repair in the same second never overwrites the kept file.
	mustWrite(t, repaired, "again")
	if _, err := PutRepairedInPlace(path, repaired, at); err == nil {
		t.Error("a kept damaged file was overwritten")
	}
	if got, _ := os.ReadFile(path); string(got) != "repaired bytes" {
		t.Errorf("a refused repair changed the library: %q", got)
	}
}
