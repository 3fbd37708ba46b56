package app

import (
	"fmt"
	"os"
)

// PlanProblem is one reason a plan may not be applied as it stands.
type PlanProblem struct {
	Group   int    // index in Plan.Groups; -1 for the plan as a whole
	Path    string // the file concerned, "" when none
	Problem string
}

func (p PlanProblem) String() string {
	where := "plan"
	if p.Group >= 0 {
		where = fmt.Sprintf("group %d", p.Group+1)
	}
	if p.Path != "" {
		return fmt.Sprintf("%s: %s: %s", where, ReadablePath(p.Path), p.Problem)
	}
	return where + ": " + p.Problem
}

// CheckOptions tune CheckPlan.
type CheckOptions struct {
	// Protect adds folders to the plan's own protected ones.
	Protect []string
	// LookAtDisk also checks the files as they are now: every keeper must
	// exist (a missing keeper voids its group), and no file may be both kept
	// and removed under two names (a hard link). Planning and apply set it.
	LookAtDisk bool
}

// CheckPlan lists what makes a plan unsafe to apply: a group keeping
// nothing, a protected file or a file kept elsewhere in remove, a keeper in
// a trash or thumbnail folder, counts that disagree with the groups. A
// hand-edited plan goes through it again before anything is touched.
func CheckPlan(p Plan, opt CheckOptions) []PlanProblem {
	var probs []PlanProblem
	add := func(g int, path, format string, args ...any) {
		probs = append(probs, PlanProblem{Group: g, Path: path, Problem: fmt.Sprintf(format, args...)})
	}
	if !planActions[p.Action] {
		add(-1, "", "unknown action %q (quarantine, trash or hardlink)", p.Action)
	}
	protect, err := cleanProtect(append(append([]string(nil), p.Protect...), opt.Protect...))
	if err != nil {
		add(-1, "", "%v", err)
	}
	kept := map[string]int{}
	for i, g := range p.Groups {
		for _, k := range g.Keep {
			kept[k] = i
		}
	}
	for i, g := range p.Groups {
		if p.Action == "hardlink" && g.Kind == "near" && g.counts() {
			add(i, "", "a look-alike group cannot be replaced by hard links: its files are not the same bytes (use quarantine or trash)")
		}
		checkGroup(i, g, protect, kept, add)
		if opt.LookAtDisk {
			checkGroupOnDisk(i, g, add)
		}
	}
	q := p
	q.Recount()
	if q.RemoveCount != p.RemoveCount || q.BytesFreed != p.BytesFreed {
		add(-1, "", "remove_count %d and bytes_freed %d do not match the groups (%d files, %d bytes)",
			p.RemoveCount, p.BytesFreed, q.RemoveCount, q.BytesFreed)
	}
	return probs
}

type addProblem func(g int, path, format string, args ...any)

func checkGroup(i int, g PlanGroup, protect []string, kept map[string]int, add addProblem) {
	if g.Kind != "exact" && g.Kind != "near" {
		add(i, "", "unknown kind %q (exact or near)", g.Kind)
	}
	if len(g.Keep) == 0 {
		add(i, "", "keeps no file: every group keeps at least one")
	}
	inKeep := map[string]bool{}
	for _, k := range g.Keep {
		inKeep[k] = true
		if inNeverKeeperFolder(k) && !inProtected(k, protect) {
			add(i, k, "a file in a trash or thumbnail folder cannot be the one kept")
		}
	}
	for _, r := range g.Remove {
		switch j, ok := kept[r]; {
		case inKeep[r]:
			add(i, r, "is both kept and removed")
		case ok:
			add(i, r, "is removed here but kept in group %d", j+1)
		}
		if inProtected(r, protect) {
			add(i, r, "is in a protected folder and cannot be removed")
		}
		if _, ok := g.Files[r]; !ok {
			add(i, r, "has no size, time and checksum in files: it cannot be checked before acting")
		}
	}
}

// checkGroupOnDisk looks at a group's files as they are now.
func checkGroupOnDisk(i int, g PlanGroup, add addProblem) {
	var keepers []os.FileInfo
	for _, k := range g.Keep {
		info, err := os.Stat(k)
		if err != nil {
			add(i, k, "the kept file cannot be read now (%s): the group is void", describeFSError(err))
			continue
		}
		keepers = append(keepers, info)
	}
	for _, r := range g.Remove {
		info, err := os.Stat(r)
		if err != nil {
			continue // already gone: nothing to do for it, nothing lost
		}
		for _, k := range keepers {
			if os.SameFile(k, info) {
				add(i, r, "is the same file as a kept one (another name for it): removing it would remove the keeper")
			}
		}
	}
}
