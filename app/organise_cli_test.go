package app

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"shoebox/store"
)

// The command line's contract: organise --dry-run --json and ledger --json
// print one object per input file with exactly source, fate, dest, of and
// reason; the run is in runs with kind organise; undo reverses it; a SOURCE
// never scanned is scanned first.
func TestOrganiseCLI(t *testing.T) {
	lib, src := organiseFolder(t, map[string]string{
		"a.jpg":     "2019-06-03T10:15:00 HIGH\na",
		"a (1).jpg": "2019-06-03T10:15:00 HIGH\na",
		"b.jpg":     "undated",
	})
	db := lib.Path()
	lib.Close()
	dest := filepath.Join(t.TempDir(), "Library")

	if code, _, stderr := runCLI(t, "organise", "--db", db, src); code != ExitFailure || !strings.Contains(stderr, "--to") {
		t.Errorf("without --to: exit %d, %s", code, stderr)
	}
	code, out, stderr := runCLI(t, "organise", "--db", db, "--to", dest, "--dry-run", "--json", src)
	if code != ExitCompleted {
		t.Fatalf("dry run exit %d: %s", code, stderr)
	}
	planned := ledgerJSON(t, out)
	if len(planned) != 3 {
		t.Fatalf("dry run listed %d files: %s", len(planned), out)
	}
	if _, err := os.Stat(dest); !os.IsNotExist(err) {
		t.Fatalf("the dry run made the destination (%v)", err)
	}
	if code, out, _ := runCLI(t, "organise", "--db", db, "--to", dest, "--dry-run", src); code != 0 || !strings.Contains(out, "2 files to copy") || !strings.Contains(out, "1 of them to Unsorted/") {
		t.Errorf("dry run text (exit %d):\n%s", code, out)
	}

	code, _, stderr = runCLI(t, "organise", "--db", db, "--to", dest, src)
	if code != ExitCompleted || !strings.Contains(stderr, "This source is safe to wipe") {
		t.Fatalf("organise exit %d: %s", code, stderr)
	}
	code, out, stderr = runCLI(t, "ledger", "--db", db, "--json")
	if code != ExitCompleted {
		t.Fatalf("ledger exit %d: %s", code, stderr)
	}
	done := ledgerJSON(t, out)
	for i := range done {
		if fmt.Sprint(done[i]) != fmt.Sprint(planned[i]) {
			t.Errorf("the run did %v, the dry run said %v", done[i], planned[i])
		}
		if done[i]["fate"] == store.FateFiled || done[i]["fate"] == store.FateUnsorted {
			if _, err := os.Stat(done[i]["dest"]); err != nil {
				t.Errorf("%s: %v", done[i]["dest"], err)
			}
		}
	}
	var runs []runJSON
	_, out, _ = runCLI(t, "runs", "--db", db, "--json")
	if err := json.Unmarshal([]byte(out), &runs); err != nil || len(runs) != 1 || runs[0].Kind != store.KindOrganise || !runs[0].Undoable {
		t.Fatalf("runs: %v %s", err, out)
	}
	if code, _, stderr := runCLI(t, "undo", "--db", db); code != ExitCompleted {
		t.Fatalf("undo exit %d: %s", code, stderr)
	}
	if left := snapshot(t, dest); len(left) != 0 {
		t.Errorf("undo left %v", left)
	}

	// A folder no scan has seen is scanned first, as part of the command.
	fresh := t.TempDir()
	if err := os.WriteFile(filepath.Join(fresh, "new.jpg"), boldJPEG(t, 7, 90), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr = runCLI(t, "organise", "--db", db, "--to", dest, "--json", fresh)
	if code != ExitCompleted || !strings.Contains(stderr, "Scanning first") {
		t.Fatalf("organise of an unscanned folder: exit %d: %s", code, stderr)
	}
	if got := ledgerJSON(t, out); len(got) != 1 || got[0]["source"] != filepath.Join(fresh, "new.jpg") || got[0]["dest"] == "" {
		t.Errorf("ledger of the fresh folder: %v", got)
	}
}

// ledgerJSON decodes a ledger array, checking every object has exactly
// the contract's keys.
func ledgerJSON(t *testing.T, out string) []map[string]string {
	t.Helper()
	var raw []map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	var got []map[string]string
	for _, obj := range raw {
		var keys []string
		m := map[string]string{}
		for k, v := range obj {
			keys = append(keys, k)
			s, ok := v.(string)
			if !ok {
				t.Fatalf("%s is %T, not a string", k, v)
			}
			m[k] = s
		}
		sort.Strings(keys)
		if strings.Join(keys, ",") != "dest,fate,of,reason,source" {
			t.Fatalf("keys %v", keys)
		}
		got = append(got, m)
	}
	return got
}
