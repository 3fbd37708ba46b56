package app

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"time"
	"unicode/utf8"

	"shoebox/store"
)

// Plan is a dry run of acting on duplicates: per group, which files stay and
// which would go. It is only written down here; `shoebox apply` (later) acts
// on an edited copy after CheckPlan accepts it again.
type Plan struct {
	Action      string      `json:"action"` // quarantine, trash or hardlink
	Job         uint64      `json:"job"`
	KeepRules   []string    `json:"keep_rules"` // the order the keepers were chosen by
	Protect     []string    `json:"protect"`    // absolute protected folders
	Groups      []PlanGroup `json:"groups"`
	RemoveCount int         `json:"remove_count"` // files in remove, of the groups apply would act on
	BytesFreed  int64       `json:"bytes_freed"`  // their sizes
	Ties        int         `json:"ties"`         // groups whose keeper the rules could not choose
}

// PlanGroup is one group of duplicates. Keep holds the keeper, or every tied
// file when the rules could not choose (Tie), plus protected files that lost
// on a later rule; Remove holds only files that lost on some rule. Files
// describes every path in Keep and Remove as it was on disk when planning, so
// that apply can refuse a file changed since.
type PlanGroup struct {
	Kind     string              `json:"kind"` // exact or near
	SHA256   string              `json:"sha256,omitempty"`
	Keep     []string            `json:"keep"`
	Remove   []string            `json:"remove"`
	Rule     string              `json:"rule"` // the rule that chose the keeper; "" for a tie
	Tie      bool                `json:"tie"`
	Approved *bool               `json:"approved,omitempty"` // near groups: false until a person sets it
	Files    map[string]PlanFile `json:"files"`
	// SameFile lists other paths to a file of Keep or Remove (a hard link,
	// a folder scanned twice through a link): path -> the listed path. They
	// are one file, so never a keep/remove pair; apply leaves them alone.
	SameFile map[string]string `json:"same_file,omitempty"`
	LeftOut  []PlanLeftOut     `json:"left_out,omitempty"` // files of the group not planned, and why
}

// PlanFile is one file as it was when planning.
type PlanFile struct {
	Size   int64  `json:"size"`
	Mtime  string `json:"mtime"` // RFC 3339 with nanoseconds
	SHA256 string `json:"sha256"`
}

// PlanLeftOut is a file of a group that the plan leaves alone.
type PlanLeftOut struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// PlanOptions choose how a plan is made.
type PlanOptions struct {
	Action       string   // quarantine (default), trash or hardlink
	KeepRules    []string // rule names in order (a prefix is enough); nil for the default
	Protect      []string // folders whose files are never removed
	IncludeNear  bool     // add the look-alike groups (unapproved)
	NearDistance int      // as Library.Duplicates: negative for the job's setting
	Scope        DupScope // the groups planned: ScopeLibrary (default) or the job's own files
}

// Actions a plan can name.
var planActions = map[string]bool{"quarantine": true, "trash": true, "hardlink": true}

// planFile is one distinct file of a group while planning.
type planFile struct {
	path      string
	rec       store.FileRecord
	info      os.FileInfo
	protected bool
	aliases   []string // other paths to the same file
}

// PlanDuplicates makes a plan for a job's duplicate groups. It only reads:
// the library (already open) and the files' metadata on disk.
func (l *Library) PlanDuplicates(jobID uint64, opt PlanOptions) (Plan, error) {
	return l.planOf(jobID, Duplicates{}, opt)
}

// planOf plans the groups d when given (they must be the job's groups for
// opt), else the job's groups as Duplicates finds them.
func (l *Library) planOf(jobID uint64, given Duplicates, opt PlanOptions) (Plan, error) {
	// The library's own choices (the window's Settings) come first: its
	// protected folders are always protected, its rules and action apply
	// when none are given.
	prefs, err := l.db.ChangePreferences()
	if err != nil {
		return Plan{}, err
	}
	opt.Protect = append(append([]string(nil), opt.Protect...), prefs.Protect...)
	if opt.KeepRules == nil {
		opt.KeepRules = prefs.KeepRules
	}
	if opt.Action == "" {
		opt.Action = prefs.Action
	}
	if opt.Action == "" {
		opt.Action = "quarantine"
	}
	if !planActions[opt.Action] {
		return Plan{}, fmt.Errorf("unknown action %q (quarantine, trash or hardlink)", opt.Action)
	}
	rules, err := orderRules(opt.KeepRules)
	if err != nil {
		return Plan{}, err
	}
	protect, err := cleanProtect(opt.Protect)
	if err != nil {
		return Plan{}, err
	}
	d, derr := given, error(nil)
	if d.Exact == nil && d.Near == nil {
		d, derr = l.DuplicatesIn(jobID, opt.NearDistance, opt.Scope)
		if derr != nil && !errors.Is(derr, store.ErrDamaged) {
			return Plan{}, derr
		}
	}
	p := Plan{Action: opt.Action, Job: jobID, Protect: protect, Groups: []PlanGroup{}}
	for _, r := range rules {
		p.KeepRules = append(p.KeepRules, r.name)
	}
	// A look-alike group can hold files of an exact group: it leaves out the
	// ones the exact group removes and never removes the one it keeps, so
	// the two groups cannot together remove every copy.
	exact := planned{removed: map[string]bool{}, kept: map[string]bool{}}
	for _, g := range d.Exact {
		if pg, ok := planGroup(g.Files, rules, protect, planned{}); ok {
			pg.Kind, pg.SHA256 = "exact", g.SHA256
			exact.note(pg)
			p.Groups = append(p.Groups, pg)
		}
	}
	if opt.IncludeNear {
		for _, g := range d.Near {
			if pg, ok := planGroup(g.Files, rules, protect, exact); ok {
				pg.Kind, pg.Approved = "near", new(bool)
				p.Groups = append(p.Groups, pg)
			}
		}
	}
	p.Recount()
	if probs := CheckPlan(p, CheckOptions{LookAtDisk: true}); len(probs) > 0 {
		return Plan{}, fmt.Errorf("the plan made is not safe, so none is written (please report this): %s", probs[0])
	}
	return p, derr // damaged records are left out; the caller says so
}

// Recount sets RemoveCount, BytesFreed and Ties from the groups: exact
// groups and approved near groups count, as apply would act on them.
func (p *Plan) Recount() {
	p.RemoveCount, p.BytesFreed, p.Ties = 0, 0, 0
	for _, g := range p.Groups {
		if g.Tie {
			p.Ties++
		}
		if !g.counts() {
			continue
		}
		p.RemoveCount += len(g.Remove)
		for _, r := range g.Remove {
			p.BytesFreed += g.Files[r].Size
		}
	}
}

// planned is what earlier groups already decide about files.
type planned struct{ removed, kept map[string]bool }

func (p planned) note(g PlanGroup) {
	for _, r := range g.Remove {
		p.removed[r] = true
	}
	for _, k := range g.Keep {
		p.kept[k] = true
	}
	for alias, listed := range g.SameFile {
		p.kept[alias] = p.kept[listed]
		p.removed[alias] = p.removed[listed]
	}
}

// counts says whether apply would act on the group.
func (g *PlanGroup) counts() bool {
	return g.Kind == "exact" || (g.Kind == "near" && g.Approved != nil && *g.Approved)
}

// planGroup chooses a group's keeper. Files missing or changed on disk,
// files an earlier group removes, and extra paths to one file are
// left out first. A protected file, or one an earlier group keeps, stays
// even when it loses. ok is false when fewer than two files remain or none
// of them may be a keeper.
func planGroup(recs []store.FileRecord, rules []keeperRule, protect []string, earlier planned) (PlanGroup, bool) {
	g := PlanGroup{Keep: []string{}, Remove: []string{}, Files: map[string]PlanFile{}}
	files := distinctFiles(recs, protect, earlier.removed, &g)
	if len(files) < 2 || sameBytes(files) && earlier.kept != nil {
		// (earlier.kept is set for look-alike groups only: a look-alike
		// group of one exact group's files adds nothing to it.)
		return g, false
	}
	var candidates []*planFile
	for _, f := range files {
		if !inNeverKeeperFolder(f.path) {
			candidates = append(candidates, f)
		}
	}
	if len(candidates) == 0 {
		return g, false // only copies in trash or thumbnail folders: nothing to choose
	}
	if len(candidates) < len(files) {
		g.Rule = "not-in-trash" // stays the rule when the others were all in trash
	}
	for _, r := range rules {
		if len(candidates) == 1 {
			break
		}
		best := r.score(candidates[0])
		for _, c := range candidates[1:] {
			best = max(best, r.score(c))
		}
		var left []*planFile
		for _, c := range candidates {
			if r.score(c) == best {
				left = append(left, c)
			}
		}
		if len(left) < len(candidates) {
			g.Rule = r.name
		}
		candidates = left
	}
	g.Tie = len(candidates) > 1
	if g.Tie {
		g.Rule = ""
	}
	kept := map[*planFile]bool{}
	for _, c := range candidates {
		kept[c] = true
	}
	for _, f := range files {
		g.Files[f.path] = PlanFile{Size: f.info.Size(), Mtime: f.info.ModTime().UTC().Format(time.RFC3339Nano), SHA256: f.rec.SHA256}
		if kept[f] || f.protected || earlier.kept[f.path] { // a protected file that lost stays too
			g.Keep = append(g.Keep, f.path)
		} else {
			g.Remove = append(g.Remove, f.path)
		}
		for _, a := range f.aliases {
			if g.SameFile == nil {
				g.SameFile = map[string]string{}
			}
			g.SameFile[a] = f.path
		}
	}
	return g, true
}

// distinctFiles stats a group's files, in path order. A file missing or
// changed since the scan is left out (its bytes may no longer be the
// group's); paths to one file (os.SameFile) become one planFile, named by a
// protected path if any, else by one outside trash folders, else the first.
func distinctFiles(recs []store.FileRecord, protect []string, skip map[string]bool, g *PlanGroup) []*planFile {
	sorted := append([]store.FileRecord(nil), recs...)
	sort.Slice(sorted, func(a, b int) bool { return sorted[a].AbsPath() < sorted[b].AbsPath() })
	var files []*planFile
	for _, rec := range sorted {
		path := rec.AbsPath()
		if skip[path] {
			g.LeftOut = append(g.LeftOut, PlanLeftOut{path, "removed by its exact-duplicate group"})
			continue
		}
		if !utf8.ValidString(path) {
			// JSON cannot carry these bytes exactly: apply would look for another name.
			g.LeftOut = append(g.LeftOut, PlanLeftOut{ReadablePath(path), "its name is not valid UTF-8, which a plan cannot name exactly yet"})
			continue
		}
		info, err := os.Stat(path)
		if err != nil {
			g.LeftOut = append(g.LeftOut, PlanLeftOut{path, "cannot be read now: " + describeFSError(err)})
			continue
		}
		if info.Size() != rec.Size || info.ModTime().UnixNano() != rec.MtimeNS {
			g.LeftOut = append(g.LeftOut, PlanLeftOut{path, "changed since the scan: scan it again"})
			continue
		}
		f := &planFile{path: path, rec: rec, info: info, protected: inProtected(path, protect)}
		if same := sameFileIn(files, info); same != nil {
			same.merge(f)
			continue
		}
		files = append(files, f)
	}
	return files
}

func sameBytes(files []*planFile) bool {
	for _, f := range files[1:] {
		if f.rec.SHA256 != files[0].rec.SHA256 {
			return false
		}
	}
	return true
}

func sameFileIn(files []*planFile, info os.FileInfo) *planFile {
	for _, f := range files {
		if os.SameFile(f.info, info) {
			return f
		}
	}
	return nil
}

// merge makes o another path to f, keeping the better name in front: a
// protected one, else one outside trash folders.
func (f *planFile) merge(o *planFile) {
	protected := f.protected || o.protected
	if (o.protected && !f.protected) ||
		(o.protected == f.protected && inNeverKeeperFolder(f.path) && !inNeverKeeperFolder(o.path)) {
		f.path, f.rec, f.info, o.path = o.path, o.rec, o.info, f.path
	}
	f.protected = protected
	f.aliases = append(f.aliases, o.path)
}
