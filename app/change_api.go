package app

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"shoebox/safefs"
	"shoebox/store"
	"shoebox/trash"
)

// PlanRefusedError is ApplyPlan's answer to a plan that breaks a safety
// rule: nothing was changed, and every problem is listed.
type PlanRefusedError struct{ Problems []PlanProblem }

func (e *PlanRefusedError) Error() string {
	const shown = 5
	var lines []string
	for i, p := range e.Problems {
		if i == shown {
			lines = append(lines, fmt.Sprintf("and %d more", len(e.Problems)-shown))
			break
		}
		lines = append(lines, p.String())
	}
	return "the plan was refused and nothing was changed:\n  " + strings.Join(lines, "\n  ")
}

// ChangePreferences are the library's keeper rules, protected folders and
// action, shared by the window and the command line.
type ChangePreferences = store.ChangePreferences

// ChangePreferences reads the library's preferences for change runs.
func (l *Library) ChangePreferences() (ChangePreferences, error) { return l.db.ChangePreferences() }

// SetChangePreferences checks and stores them: the rules must be known,
// the folders absolute, the action one of quarantine, trash or hardlink.
func (l *Library) SetChangePreferences(p ChangePreferences) error {
	if p.Action != "" && !planActions[p.Action] {
		return fmt.Errorf("unknown action %q (quarantine, trash or hardlink)", p.Action)
	}
	if len(p.KeepRules) > 0 {
		rules, err := orderRules(p.KeepRules)
		if err != nil {
			return err
		}
		p.KeepRules = p.KeepRules[:0:0]
		for _, r := range rules {
			p.KeepRules = append(p.KeepRules, r.name)
		}
	}
	protect, err := cleanProtect(p.Protect)
	if err != nil {
		return err
	}
	p.Protect = protect
	return l.db.SetChangePreferences(p)
}

// ApplyPlan checks a plan again against every safety rule, with the files
// as they are now and the library's protected folders, and starts a change
// run acting on it: exact groups, and look-alike groups a person approved.
// A plan that breaks a rule is refused whole (*PlanRefusedError). The
// library is backed up first. It returns the run's job ID; the run goes on
// in the background like a scan.
func (l *Library) ApplyPlan(p Plan) (uint64, error) {
	prefs, err := l.db.ChangePreferences()
	if err != nil {
		return 0, err
	}
	if probs := CheckPlan(p, CheckOptions{Protect: prefs.Protect, LookAtDisk: true}); len(probs) > 0 {
		return 0, &PlanRefusedError{Problems: probs}
	}
	protect, err := cleanProtect(append(append([]string(nil), p.Protect...), prefs.Protect...))
	if err != nil {
		return 0, err
	}
	items, leftAlone := changeItems(p)
	j := store.Job{Kind: store.KindDups, Status: store.StatePending, CreatedAt: l.opt.Now(),
		Change: &store.ChangeRun{Action: p.Action, Protect: protect, Quarantine: QuarantineDir(l.Path()), LeftAlone: leftAlone}}
	return l.startChangeRun(j, items, nil)
}

// changeItems turns the groups apply acts on into items: one per file to
// remove, with what the plan knew of it and of its group's keeper. Two
// paths to one file are acted on once.
func changeItems(p Plan) (items []store.ChangeItem, leftAlone string) {
	var notApproved, aliases, badNames int
	seen := map[safefs.FileID]bool{}
	for i, g := range p.Groups {
		if !g.counts() {
			notApproved += len(g.Remove)
			continue
		}
		keep := g.Keep[0]
		kf := g.Files[keep]
		for _, r := range g.Remove {
			if !utf8.ValidString(r) {
				badNames++
				continue
			}
			if id, err := safefs.IDOf(r); err == nil {
				if seen[id] {
					aliases++
					continue
				}
				seen[id] = true
			}
			f := g.Files[r]
			it := store.ChangeItem{Op: p.Action, Group: i, Path: r, Size: f.Size, MtimeNS: mtimeNS(f.Mtime), SHA256: f.SHA256,
				Keep: keep, KeepSize: kf.Size, KeepMtime: mtimeNS(kf.Mtime), KeepSHA256: kf.SHA256, State: store.ChangePending}
			if info, err := os.Lstat(r); err == nil {
				it.Mode = uint32(info.Mode().Perm())
			}
			items = append(items, it)
		}
	}
	var notes []string
	if notApproved > 0 {
		notes = append(notes, fmt.Sprintf("%d files of look-alike groups not approved", notApproved))
	}
	if aliases > 0 {
		notes = append(notes, fmt.Sprintf("%d other names for files already in the run", aliases))
	}
	if badNames > 0 {
		notes = append(notes, fmt.Sprintf("%d files whose names are not valid UTF-8", badNames))
	}
	return items, strings.Join(notes, "; ")
}

// mtimeNS reads a plan's RFC 3339 time; an unreadable one is 0, which no
// file has, so its item is skipped as changed.
func mtimeNS(s string) int64 {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return 0
	}
	return t.UnixNano()
}

// startChangeRun backs the library up, stores the run with its items and
// starts it.
func (l *Library) startChangeRun(j store.Job, items []store.ChangeItem, undone *store.Job) (uint64, error) {
	if l.db.ReadOnly() {
		return 0, errors.New("the library is open only to read")
	}
	if _, err := l.Backup("before a change run"); err != nil {
		return 0, fmt.Errorf("the library could not be backed up before changing files, so nothing was changed: %w", err)
	}
	s := l.changeRunSettings(j, DefaultSettings().WithDefaults())
	settings, err := json.Marshal(s)
	if err != nil {
		return 0, err
	}
	j.Settings = settings
	before := l.keptBeforeJob() // before the run's first write (keepGroupsAfterJob)
	if err := l.db.CreateChangeRun(&j, items, undone); err != nil {
		return 0, err
	}
	return j.ID, l.launchAfter(j, s, l.kindOf(j, s), before)
}

// Undo starts a run that puts back what change run runID changed (0: the
// latest run that can be undone). A run that was interrupted is given up
// first: what it did is undone, what it did not do is not done. An undo
// run that was itself interrupted is resumed instead of started again.
func (l *Library) Undo(runID uint64) (uint64, error) {
	orig, err := l.undoTarget(runID)
	if err != nil {
		return 0, err
	}
	if orig.Change.UndoneBy != 0 {
		u, err := l.Job(orig.Change.UndoneBy)
		if err == nil && u.Status != store.StateCancelled && u.Status != store.StateCompleted {
			return u.ID, l.Resume(u.ID)
		}
	}
	if orig.Status != store.StateCompleted && orig.Status != store.StateCancelled {
		if err := transition(&orig, store.StateCancelled); err != nil {
			return 0, fmt.Errorf("run %d cannot be undone now: %w", orig.ID, err)
		}
		orig.Interrupted, orig.CompletedAt = false, l.opt.Now()
	}
	done, err := l.db.Changes(orig.ID)
	if err != nil {
		return 0, err
	}
	var items []store.ChangeItem
	for i := len(done) - 1; i >= 0; i-- {
		it := done[i]
		if it.StartedAt.IsZero() {
			if it.Op == "trash" {
				// A process killed after reserving a trash name and before
				// journaling it left an info file naming no file: drop it.
				_, _ = trash.DropStaleReservations(it.Path, l.opt.Trash)
			}
			continue // never touched
		}
		items = append(items, store.ChangeItem{Op: "restore", Undoes: it.Op, Group: it.Group, Path: it.Path,
			Size: it.Size, MtimeNS: it.MtimeNS, SHA256: it.SHA256, Mode: it.Mode,
			Keep: it.Keep, KeepSize: it.KeepSize, KeepMtime: it.KeepMtime, KeepSHA256: it.KeepSHA256,
			Dest: it.Dest, TrashInfo: it.TrashInfo, Trash: it.Trash, FromSeq: it.Seq, State: store.ChangePending, Organise: it.Organise,
			Dates: it.Dates})
	}
	j := store.Job{Kind: store.KindUndo, Status: store.StatePending, CreatedAt: l.opt.Now(),
		Change: &store.ChangeRun{Action: "restore", UndoOf: orig.ID}}
	return l.startChangeRun(j, items, &orig)
}

// undoTarget finds the run Undo acts on and says why it cannot be undone.
func (l *Library) undoTarget(runID uint64) (store.Job, error) {
	if runID == 0 {
		runs, err := l.Runs()
		if err != nil {
			return store.Job{}, err
		}
		for _, r := range runs {
			if r.Undoable {
				runID = r.ID
				break
			}
		}
		if runID == 0 {
			return store.Job{}, errors.New("no change run can be undone (see `shoebox runs`)")
		}
	}
	if l.executing(runID) {
		return store.Job{}, fmt.Errorf("run %d is running: pause or cancel it first", runID)
	}
	j, err := l.Job(runID)
	if err != nil {
		return store.Job{}, err
	}
	switch {
	case !undoableKind(j.Kind) || j.Change == nil:
		return store.Job{}, fmt.Errorf("job %d is a %s, not a change run that can be undone", j.ID, kindName(j))
	case j.Change.Undone:
		return store.Job{}, fmt.Errorf("run %d was already undone by run %d", j.ID, j.Change.UndoneBy)
	}
	return j, nil
}

// kindName is a job's kind as shown: scans written before change runs
// have none.
func kindName(j store.Job) store.JobKind {
	if j.Kind == "" {
		return store.KindScan
	}
	return j.Kind
}

// RunSummary is one change run as `shoebox runs` and the window's History
// show it.
type RunSummary struct {
	ID          uint64         `json:"id"`
	Kind        store.JobKind  `json:"kind"`
	Status      store.JobState `json:"status"`
	StartedAt   time.Time      `json:"started_at"`
	CompletedAt time.Time      `json:"completed_at"`
	Items       int            `json:"items"`
	Done        int            `json:"done"`
	Errors      int            `json:"errors"`
	Bytes       int64          `json:"bytes"`
	Undoable    bool           `json:"undoable"`
	Undone      bool           `json:"undone"`
	Action      string         `json:"action"`
	UndoOf      uint64         `json:"undo_of,omitempty"`
	// Undoes is the action of the run an undo run undoes (UndoOf): an
	// organise run that only copied ("copy") is undone by taking its copies
	// out, with nothing put back.
	Undoes  string `json:"undoes,omitempty"`
	Message string `json:"message,omitempty"`
	Skipped int    `json:"skipped"`
}

// Runs lists the change runs, newest first.
func (l *Library) Runs() ([]RunSummary, error) {
	jobs, err := l.Jobs()
	if err != nil && (!errors.Is(err, store.ErrDamaged) || len(jobs) == 0) {
		return nil, err
	}
	out := []RunSummary{}
	actions := map[uint64]string{}
	for _, j := range jobs {
		if j.Change != nil {
			actions[j.ID] = j.Change.Action
		}
	}
	for _, j := range jobs {
		if j.Change == nil || (!undoableKind(j.Kind) && j.Kind != store.KindUndo) {
			continue
		}
		s := RunSummary{ID: j.ID, Kind: j.Kind, Status: j.Status, StartedAt: j.StartedAt, CompletedAt: j.CompletedAt,
			Items: j.ProgressTotal, Errors: j.ErrorCount, Skipped: j.SkippedCount, Bytes: j.Change.Bytes,
			Undone: j.Change.Undone, Action: j.Change.Action, UndoOf: j.Change.UndoOf, Message: j.ErrorMessage}
		if j.Kind == store.KindUndo {
			s.Undoes = actions[j.Change.UndoOf]
		}
		s.Done = j.ProgressCurrent - j.ErrorCount - j.SkippedCount
		s.Undoable = undoableKind(j.Kind) && !j.Change.Undone && !l.executing(j.ID) &&
			j.Status != store.StatePending && (j.ProgressCurrent > 0 || j.Status != store.StateCompleted)
		out = append(out, s)
	}
	return out, err
}

// ChangeItems lists a change run's items in order, as its journal holds them.
func (l *Library) ChangeItems(runID uint64) ([]store.ChangeItem, error) { return l.db.Changes(runID) }

func be64(b []byte) uint64 { return binary.BigEndian.Uint64(b) }
