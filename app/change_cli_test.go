package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// runsJSON runs `shoebox runs --json` and checks its keys are the contract's.
func runsJSON(t *testing.T, db string) []map[string]any {
	t.Helper()
	code, out, stderr := runCLI(t, "runs", "--db", db, "--json")
	var runs []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &runs) != nil {
		t.Fatalf("runs --json: exit %d: %s %s", code, out, stderr)
	}
	want := []string{"bytes", "completed_at", "done", "errors", "id", "items", "kind", "started_at", "status", "undoable", "undone"}
	for _, r := range runs {
		var keys []string
		for k := range r {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if !reflect.DeepEqual(keys, want) {
			t.Fatalf("runs --json keys %v, want %v", keys, want)
		}
	}
	return runs
}

// plan dups, apply, runs, undo and jobs from the command line: exit codes,
// last lines, and the JSON of runs and jobs.
func TestCLIApplyUndoRuns(t *testing.T) {
	db, dir := changeFolder(t)
	before := snapshot(t, dir)
	planFile := filepath.Join(t.TempDir(), "plan.json")
	if code, _, stderr := runCLI(t, "plan", "dups", "--db", db, "--out", planFile); code != 0 {
		t.Fatalf("plan: %s", stderr)
	}
	if runs := runsJSON(t, db); len(runs) != 0 {
		t.Fatalf("runs before any: %v", runs)
	}
	code, _, stderr := runCLI(t, "apply", "--db", db, planFile)
	if code != ExitCompleted || !strings.Contains(stderr, "completed: 5 of 5 files moved to the quarantine") || !strings.Contains(stderr, "shoebox undo 2") {
		t.Fatalf("apply exit %d: %s", code, stderr)
	}
	runs := runsJSON(t, db)
	if len(runs) != 1 || runs[0]["kind"] != "dups" || runs[0]["status"] != "COMPLETED" || runs[0]["done"].(float64) != 5 ||
		runs[0]["items"].(float64) != 5 || runs[0]["undoable"] != true || runs[0]["undone"] != false || runs[0]["bytes"].(float64) == 0 {
		t.Fatalf("runs after apply: %v", runs)
	}
	// The same plan again: its copies are gone, so nothing is done and nothing is lost.
	code, _, stderr = runCLI(t, "apply", "--db", db, planFile)
	if code != ExitCompleted || !strings.Contains(stderr, "0 of 5 files") {
		t.Fatalf("second apply exit %d: %s", code, stderr)
	}
	code, _, stderr = runCLI(t, "undo", "--db", db, "2")
	if code != ExitCompleted || !strings.Contains(stderr, "5 of 5 files put back") {
		t.Fatalf("undo exit %d: %s", code, stderr)
	}
	if got := snapshot(t, dir); !equalSnapshots(got, before) {
		t.Fatalf("after undo: %v", diffSnapshots(before, got))
	}
	runs = runsJSON(t, db)
	if len(runs) != 3 || runs[0]["kind"] != "undo" || runs[0]["undoable"] != false || runs[2]["undone"] != true || runs[2]["undoable"] != false {
		t.Fatalf("runs after undo: %v", runs)
	}
	if code, _, stderr := runCLI(t, "undo", "--db", db, "2"); code != ExitFailure || !strings.Contains(stderr, "already undone") {
		t.Fatalf("undo twice: exit %d: %s", code, stderr)
	}
	code, out, _ := runCLI(t, "jobs", "--db", db, "--json")
	var jobs []map[string]any
	json.Unmarshal([]byte(out), &jobs)
	var kinds []string
	for _, j := range jobs {
		kinds = append(kinds, j["kind"].(string))
	}
	if code != 0 || !reflect.DeepEqual(kinds, []string{"undo", "dups", "dups", "scan"}) {
		t.Fatalf("jobs kinds %v", kinds)
	}
	// report and dups without a job still mean the latest scan.
	if code, out, stderr := runCLI(t, "report", "--db", db); code != 0 || strings.Count(out, "\n") != 12 {
		t.Fatalf("report after runs: exit %d, %d lines: %s", code, strings.Count(out, "\n"), stderr)
	}
}

// A hand-edited plan that removes a protected file, or keeps nothing, is
// refused with exit 1 and nothing moves.
func TestCLIApplyRefusesUnsafeEdits(t *testing.T) {
	db, dir := changeFolder(t)
	before := snapshot(t, dir)
	planFile := filepath.Join(t.TempDir(), "plan.json")
	if code, _, stderr := runCLI(t, "plan", "dups", "--db", db, "--out", planFile, "--protect", filepath.Join(dir, "Pictures")); code != 0 {
		t.Fatalf("plan: %s", stderr)
	}
	p, err := readPlan(planFile)
	if err != nil {
		t.Fatal(err)
	}
	g := &p.Groups[0]
	g.Keep, g.Remove = []string{}, append(g.Remove, g.Keep...)
	p.Recount()
	var buf strings.Builder
	writePlan(p, "", &buf)
	os.WriteFile(planFile, []byte(buf.String()), 0o644)
	code, _, stderr := runCLI(t, "apply", "--db", db, planFile)
	if code != ExitFailure || !strings.Contains(stderr, "refused") || !strings.Contains(stderr, "keeps no file") || !strings.Contains(stderr, "protected folder") {
		t.Fatalf("apply exit %d: %s", code, stderr)
	}
	if got := snapshot(t, dir); !equalSnapshots(got, before) {
		t.Fatalf("files changed: %v", diffSnapshots(before, got))
	}
	if runs := runsJSON(t, db); len(runs) != 0 {
		t.Fatalf("a refused plan made a run: %v", runs)
	}
}

// Look-alike groups are planned unapproved and left alone by apply, until a
// person sets "approved": true in the plan.
func TestCLIApplyNearGroupsOnlyWhenApproved(t *testing.T) {
	db, dir := changeFolder(t)
	near := filepath.Join(dir, "Smaller copies", "a.jpg")
	os.MkdirAll(filepath.Dir(near), 0o755)
	os.WriteFile(near, boldJPEG(t, 1, 60), 0o644)
	if code, _, stderr := runCLI(t, "scan", "--db", db, dir); code != 0 {
		t.Fatal(stderr)
	}
	planFile := filepath.Join(t.TempDir(), "plan.json")
	if code, _, stderr := runCLI(t, "plan", "dups", "--db", db, "--include-near", "--out", planFile); code != 0 {
		t.Fatalf("plan: %s", stderr)
	}
	p, _ := readPlan(planFile)
	nearGroup := -1
	for i, g := range p.Groups {
		if g.Kind == "near" {
			nearGroup = i
		}
	}
	if nearGroup < 0 || p.RemoveCount != 5 {
		t.Fatalf("no near group, or it counts: %d to remove", p.RemoveCount)
	}
	code, _, stderr := runCLI(t, "apply", "--db", db, planFile)
	if code != 0 || !strings.Contains(stderr, "look-alike groups not approved") {
		t.Fatalf("apply: %d %s", code, stderr)
	}
	for _, r := range p.Groups[nearGroup].Remove {
		if _, err := os.Stat(r); err != nil {
			t.Errorf("an unapproved look-alike was moved: %s", r)
		}
	}
	runCLI(t, "undo", "--db", db)
	yes := true
	p.Groups[nearGroup].Approved = &yes
	p.Recount()
	var buf strings.Builder
	writePlan(p, "", &buf)
	os.WriteFile(planFile, []byte(buf.String()), 0o644)
	if code, _, stderr := runCLI(t, "apply", "--db", db, planFile); code != 0 || strings.Contains(stderr, "not approved") {
		t.Fatalf("approved apply: %d %s", code, stderr)
	}
	for _, r := range p.Groups[nearGroup].Remove {
		if _, err := os.Stat(r); err == nil {
			t.Errorf("an approved look-alike stayed: %s", r)
		}
	}
}
