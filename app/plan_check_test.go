package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkedPlan is a plan made by the real command over planFolder, with
// Keep protected; CheckPlan accepts it as made.
func checkedPlan(t *testing.T) (Plan, string) {
	t.Helper()
	db, dir := planFolder(t)
	p := runPlan(t, "--db", db, "--protect", filepath.Join(dir, "Keep"))
	if probs := CheckPlan(p, CheckOptions{LookAtDisk: true}); len(probs) != 0 {
		t.Fatalf("the plan as made: %v", probs)
	}
	return p, dir
}

func groupKeeping(t *testing.T, p Plan, path string) int {
	t.Helper()
	for i, g := range p.Groups {
		for _, k := range g.Keep {
			if k == path {
				return i
			}
		}
	}
	t.Fatalf("no group keeps %s", path)
	return -1
}

func wantProblem(t *testing.T, probs []PlanProblem, words string) {
	t.Helper()
	for _, p := range probs {
		if strings.Contains(p.String(), words) {
			return
		}
	}
	t.Errorf("no problem says %q: %v", words, probs)
}

// Hand-edited plans that would lose a file are refused, whatever the
// counts say (they are recounted so that only the edit is wrong).
func TestCheckPlanRefusesUnsafeEdits(t *testing.T) {
	p, dir := checkedPlan(t)
	protectedB := filepath.Join(dir, "Keep", "B.jpg")
	edits := []struct {
		name, want string
		edit       func(p *Plan)
		opt        CheckOptions
	}{
		{"a protected path moved into remove", "protected folder", func(p *Plan) {
			g := &p.Groups[groupKeeping(t, *p, protectedB)]
			g.Keep, g.Remove = g.Keep[:1], append(g.Remove, g.Keep[1:]...)
		}, CheckOptions{}},
		{"a group with nothing kept", "keeps no file", func(p *Plan) {
			g := &p.Groups[groupKeeping(t, *p, filepath.Join(dir, "Pictures", "IMG_0001.jpg"))]
			g.Keep, g.Remove = []string{}, append(g.Remove, g.Keep...)
		}, CheckOptions{}},
		{"a file both kept and removed", "both kept and removed", func(p *Plan) {
			g := &p.Groups[0]
			g.Remove = append(g.Remove, g.Keep[0])
		}, CheckOptions{}},
		{"a keeper in the trash", "trash", func(p *Plan) {
			g := &p.Groups[groupKeeping(t, *p, filepath.Join(dir, "Pictures", "IMG_0001.jpg"))]
			binned := filepath.Join(dir, ".Trash-1000", "a.jpg")
			g.Files[binned] = g.Files[g.Keep[0]]
			g.Keep, g.Remove = []string{binned}, append(g.Remove, g.Keep...)
		}, CheckOptions{}},
		{"a kept file removed under another name", "same file as a kept one", func(p *Plan) {
			g := &p.Groups[groupKeeping(t, *p, filepath.Join(dir, "C-link.jpg"))]
			alias := filepath.Join(dir, "C.jpg")
			g.Remove = append(g.Remove, alias)
			g.Files[alias] = g.Files[g.Keep[0]]
		}, CheckOptions{LookAtDisk: true}},
		{"a keeper gone since planning", "group is void", func(p *Plan) {
			os.Remove(filepath.Join(dir, "Pictures", "IMG_0001.jpg"))
		}, CheckOptions{LookAtDisk: true}},
		{"a folder protected at apply time", "protected folder", func(p *Plan) {}, CheckOptions{Protect: []string{filepath.Join(dir, "sub")}}},
		{"an unknown action", `unknown action "shred"`, func(p *Plan) { p.Action = "shred" }, CheckOptions{}},
		{"an approved look-alike group with hard links", "cannot be replaced by hard links", func(p *Plan) {
			yes := true
			p.Action = "hardlink"
			p.Groups[0].Kind, p.Groups[0].Approved = "near", &yes
		}, CheckOptions{}},
	}
	for _, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			q := clonePlan(t, p)
			e.edit(&q)
			q.Recount()
			wantProblem(t, CheckPlan(q, e.opt), e.want)
		})
	}
	q := clonePlan(t, p)
	q.RemoveCount++
	wantProblem(t, CheckPlan(q, CheckOptions{}), "do not match")
}

// clonePlan copies a plan deeply through its JSON, as apply would read it.
func clonePlan(t *testing.T, p Plan) Plan {
	t.Helper()
	var buf strings.Builder
	if err := writePlan(p, "", &buf); err != nil {
		t.Fatal(err)
	}
	var q Plan
	if err := json.Unmarshal([]byte(buf.String()), &q); err != nil {
		t.Fatal(err)
	}
	return q
}
