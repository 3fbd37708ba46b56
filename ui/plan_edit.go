package ui

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"shoebox/app"
	"shoebox/media"
	"shoebox/store"
)

// errLastKeeper is why a group's last kept file cannot be marked to remove.
var errLastKeeper = errors.New("every group keeps at least one file: mark another file to keep first")

// planRef finds a shown group's group in the plan: the kinds differ (a
// file can be in an exact group and a look-alike group), the paths are the
// records' absolute paths.
type planRef struct {
	near bool
	path string
}

// planIndex maps every file the plan names, with its group's kind, to the
// group's index.
func planIndex(p app.Plan) map[planRef]int {
	idx := map[planRef]int{}
	for i, g := range p.Groups {
		near := g.Kind == "near"
		for path := range g.Files {
			idx[planRef{near, path}] = i
		}
		for alias := range g.SameFile {
			idx[planRef{near, alias}] = i
		}
		for _, l := range g.LeftOut {
			idx[planRef{near, l.Path}] = i
		}
	}
	return idx
}

// groupOf is the plan group of a shown group, or -1 when the plan has none.
func groupOf(idx map[planRef]int, g store.DupGroup) int {
	for _, f := range g.Files {
		if i, ok := idx[planRef{g.Near, f.AbsPath()}]; ok {
			return i
		}
	}
	return -1
}

// setRemove moves path between the group's Keep and Remove and recounts
// the plan. It refuses to leave the group without a kept file.
func setRemove(p *app.Plan, gi int, path string, remove bool) error {
	g := &p.Groups[gi]
	if _, ok := g.Files[path]; !ok {
		return fmt.Errorf("%s is not one of the group's files", path)
	}
	if remove {
		if slices.Contains(g.Remove, path) {
			return nil
		}
		if len(g.Keep) == 1 && g.Keep[0] == path {
			return errLastKeeper
		}
		g.Keep = slices.DeleteFunc(g.Keep, func(s string) bool { return s == path })
		g.Remove = append(g.Remove, path)
	} else if !slices.Contains(g.Keep, path) {
		g.Remove = slices.DeleteFunc(g.Remove, func(s string) bool { return s == path })
		g.Keep = append(g.Keep, path)
	}
	p.Recount()
	return nil
}

// setApproved approves or withdraws a look-alike group and recounts.
func setApproved(p *app.Plan, gi int, ok bool) {
	p.Groups[gi].Approved = &ok
	p.Recount()
}

// protectedPath says whether path is under one of the plan's protected
// folders, which the core refuses to remove from.
func protectedPath(p app.Plan, path string) bool {
	for _, dir := range p.Protect {
		rel, err := filepath.Rel(dir, path)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// ruleWords says in plain words why a group's keeper was chosen.
func ruleWords(g app.PlanGroup) string {
	if g.Tie {
		return "tie: choose one"
	}
	if w, ok := keepRuleWords[g.Rule]; ok {
		return "kept: " + w
	}
	if g.Rule == "" {
		return "kept: your choice"
	}
	return "kept: " + strings.ReplaceAll(g.Rule, "-", " ")
}

// keepRuleWords names each keeper rule of app.DefaultKeepRules.
var keepRuleWords = map[string]string{
	"protected":       "in a protected folder",
	"original-format": "original camera format",
	"pixels":          "most pixels",
	"metadata":        "most metadata (date, camera)",
	"not-messenger":   "not a messenger app's copy",
	"no-copy-name":    "no “copy” in its name",
	"shortest-path":   "shortest path",
}

// copies writes "1 copy", "123 copies".
func copies(n int) string {
	if n == 1 {
		return "1 copy"
	}
	return thousands(n) + " copies"
}

// applyLabel is the apply button's text, with the plan's counts. With
// nothing to remove (the button is then disabled) it says why, not "Move 0
// copies".
func applyLabel(p app.Plan) string {
	if p.RemoveCount == 0 {
		if p.Ties > 0 {
			return "Choose which file to keep in each tie"
		}
		return "Every file is kept: nothing to move"
	}
	what := fmt.Sprintf("%s (%s)", copies(p.RemoveCount), media.SizeText(p.BytesFreed))
	switch p.Action {
	case "trash":
		return "Move " + what + " to the Trash"
	case "hardlink":
		return "Replace " + what + " with hard links"
	}
	return "Move " + what + " to the quarantine"
}

// actionWords describes an action for Settings, History and the summary.
func actionWords(action string) string {
	if w, ok := datesActionWords(action); ok {
		return w
	}
	switch action {
	case "trash":
		return "moved to the Trash"
	case "hardlink":
		return "replaced with hard links"
	case "restore":
		return "put back"
	case "copy":
		return "copied into the library"
	case "move":
		return "moved into the library"
	}
	return "moved to the quarantine"
}
