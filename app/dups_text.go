package app

import (
	"fmt"
	"io"
	"os"
	"slices"

	"shoebox/media"
	"shoebox/store"
)

// writeDupsText writes the groups for a person: each group with its size,
// every member by its full path, and, when p is a plan of these groups,
// which file the keeper rules keep (the plan's own rules, not a copy of
// them). Without a plan the members are listed unmarked.
func writeDupsText(w io.Writer, d Duplicates, p *Plan) error {
	exact, near := planIndexes(p)
	fmt.Fprintf(w, "%s of exact copies%s\n", count(len(d.Exact), "group"), spareText(d.Exact))
	for _, g := range d.Exact {
		size := int64(0)
		if len(g.Files) > 0 {
			size = g.Files[0].Size
		}
		fmt.Fprintf(w, "\nExact copies: %d files of %s each, sha256 %s\n", len(g.Files), media.SizeText(size), g.SHA256)
		writeMembers(w, g, exact[g.SHA256], false)
	}
	fmt.Fprintf(w, "\n%s of look-alikes\n", count(len(d.Near), "group"))
	for _, g := range d.Near {
		var total int64
		for _, f := range g.Files {
			total += f.Size
		}
		fmt.Fprintf(w, "\nLook-alikes: %d files, %s in all, pictures up to %d of 64 points apart\n",
			len(g.Files), media.SizeText(total), g.MaxDistance)
		var pg *PlanGroup
		for _, f := range g.Files {
			if pg = near[f.AbsPath()]; pg != nil {
				break
			}
		}
		writeMembers(w, g, pg, true)
		for _, e := range g.Evidence {
			fmt.Fprintf(w, "    because %s\n", ReadablePath(e))
		}
	}
	if p != nil {
		fmt.Fprintln(w, "\nkeep/remove is what `shoebox plan dups` would write with the library's keeper rules; "+
			"look-alikes are removed only once their group is approved in a plan.")
	}
	return nil
}

// writeMembers lists a group's files, each with what the plan does with it.
func writeMembers(w io.Writer, g store.DupGroup, pg *PlanGroup, sizes bool) {
	for _, f := range g.Files {
		abs := f.AbsPath()
		mark, note := planMark(pg, abs)
		line := "  " + fmt.Sprintf("%-7s", mark) + " " + ReadablePath(abs)
		if sizes {
			line += "  (" + media.SizeText(f.Size) + ")"
		}
		if note != "" {
			line += "  " + note
		}
		fmt.Fprintln(w, line)
	}
}

// planMark says what a plan group does with a path: keep (with the rule
// that chose it), remove, or leave it alone and why. "-" when unplanned.
func planMark(pg *PlanGroup, path string) (mark, note string) {
	if pg == nil {
		return "-", ""
	}
	for _, l := range pg.LeftOut {
		if l.Path == path || l.Path == ReadablePath(path) {
			return "leave", "(" + l.Reason + ")"
		}
	}
	if listed, ok := pg.SameFile[path]; ok {
		return "same", "(the same file as " + ReadablePath(listed) + ")"
	}
	for _, r := range pg.Remove {
		if r == path {
			return "remove", ""
		}
	}
	for i, k := range pg.Keep {
		if k != path {
			continue
		}
		switch {
		case pg.Tie:
			return "keep", "(tie: the rules cannot choose, so every copy is kept)"
		case i == 0 && pg.Rule != "":
			return "keep", "(rule: " + pg.Rule + ")"
		}
		return "keep", ""
	}
	return "-", ""
}

// planIndexes finds a plan's groups by SHA-256 (exact) and by any path of
// theirs (look-alike groups do not share files).
func planIndexes(p *Plan) (exact map[string]*PlanGroup, near map[string]*PlanGroup) {
	exact, near = map[string]*PlanGroup{}, map[string]*PlanGroup{}
	if p == nil {
		return exact, near
	}
	for i := range p.Groups {
		g := &p.Groups[i]
		if g.Kind == "exact" {
			exact[g.SHA256] = g
			continue
		}
		for path := range g.Files {
			near[path] = g
		}
		for _, l := range g.LeftOut {
			near[l.Path] = g
		}
		for alias := range g.SameFile {
			near[alias] = g
		}
	}
	return exact, near
}

// spareText is what the extra copies of exact groups take, paths to one
// file counted once.
func spareText(groups []store.DupGroup) string {
	if len(groups) == 0 {
		return ""
	}
	files, spare := 0, int64(0)
	same := SameFilePaths(groups)
	for _, g := range groups {
		files += len(g.Files)
		spare += SpareBytes(g, same)
	}
	return fmt.Sprintf(" (%s; the extra copies take %s)", count(files, "file"), media.SizeText(spare))
}

// SameFilePaths is every path of the groups that is, on disk now, another
// path to a file listed before it in its group: a hard link, or a folder
// scanned twice through a link. Removing one frees nothing. A file that
// cannot be looked at is taken as a file of its own. It looks at every
// file of the groups, as a plan does.
func SameFilePaths(groups []store.DupGroup) map[string]bool {
	same := map[string]bool{}
	for _, g := range groups {
		var seen []os.FileInfo
		for _, f := range g.Files {
			info, err := os.Stat(f.AbsPath())
			if err != nil {
				continue
			}
			if slices.ContainsFunc(seen, func(s os.FileInfo) bool { return os.SameFile(s, info) }) {
				same[f.AbsPath()] = true
				continue
			}
			seen = append(seen, info)
		}
	}
	return same
}

// SpareBytes is what an exact group's extra copies take: every file but
// one, a file reached by several paths (same, from SameFilePaths) counted
// once.
func SpareBytes(g store.DupGroup, same map[string]bool) int64 {
	var spare int64
	first := true
	for _, f := range g.Files {
		if same[f.AbsPath()] {
			continue
		}
		if first {
			first = false // the one kept
			continue
		}
		spare += f.Size
	}
	return spare
}
