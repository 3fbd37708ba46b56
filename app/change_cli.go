package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"shoebox/media"
	"shoebox/store"
)

// cmdApply acts on a plan written by `shoebox plan dups` (and perhaps edited
// by a person): every safety rule is checked again on what it holds, then a
// change run moves the copies, showing progress like a scan.
func cmdApply(args []string, stderr io.Writer) (code int, err error) {
	fs, db := newFlags("apply", stderr)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return ExitFailure, err
	}
	if len(pos) != 1 {
		return ExitFailure, errors.New("name the plan file to apply (written by `shoebox plan dups --out FILE`)")
	}
	plan, err := readPlan(pos[0])
	if err != nil {
		return ExitFailure, err
	}
	lib, err := openForCLI(*db, "apply")
	if err != nil {
		return ExitFailure, err
	}
	defer leaveOrClose(lib, &err)
	id, err := lib.ApplyPlan(plan)
	if err != nil {
		return ExitFailure, err
	}
	return followJob(lib, id, stderr)
}

// readPlan reads a plan file strictly: a key that is not a plan's (a typo
// in a hand edit) is an error, not silently ignored.
func readPlan(path string) (Plan, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Plan{}, fmt.Errorf("cannot read the plan: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p Plan
	if err := dec.Decode(&p); err != nil {
		return Plan{}, fmt.Errorf("%s is not a plan written by `shoebox plan dups`: %w", path, err)
	}
	return p, nil
}

// cmdUndo puts back what a change run changed (the latest one that can be
// undone, or RUN).
func cmdUndo(args []string, stderr io.Writer) (code int, err error) {
	fs, db := newFlags("undo", stderr)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return ExitFailure, err
	}
	var runID uint64
	switch len(pos) {
	case 0:
	case 1:
		if runID, err = strconv.ParseUint(pos[0], 10, 64); err != nil || runID == 0 {
			return ExitFailure, fmt.Errorf("%q is not a run ID (see `shoebox runs`)", pos[0])
		}
	default:
		return ExitFailure, errors.New("undo takes at most one run ID")
	}
	lib, err := openForCLI(*db, "undo")
	if err != nil {
		return ExitFailure, err
	}
	defer leaveOrClose(lib, &err)
	id, err := lib.Undo(runID)
	if err != nil {
		return ExitFailure, err
	}
	return followJob(lib, id, stderr)
}

// cmdRuns lists the change runs.
func cmdRuns(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("runs", stderr)
	asJSON := fs.Bool("json", false, "write JSON")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	lib, err := openToRead(*db)
	if err != nil {
		return err
	}
	defer lib.Close()
	runs, damaged := lib.Runs()
	if damaged != nil && !errors.Is(damaged, store.ErrDamaged) {
		return damaged
	}
	if *asJSON {
		out := make([]runJSON, 0, len(runs))
		for _, r := range runs {
			out = append(out, runJSON{ID: r.ID, Kind: r.Kind, Status: r.Status,
				StartedAt: rfc3339OrEmpty(r.StartedAt), CompletedAt: rfc3339OrEmpty(r.CompletedAt),
				Items: r.Items, Done: r.Done, Errors: r.Errors, Bytes: r.Bytes,
				Undoable: r.Undoable, Undone: r.Undone})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
		return damaged
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tSTATUS\tACTION\tDONE\tERRORS\tSKIPPED\tSIZE\tSTARTED\tUNDO")
	for _, r := range runs {
		undo := ""
		switch {
		case r.Undone:
			undo = "undone"
		case r.Undoable:
			undo = fmt.Sprintf("shoebox undo %d", r.ID)
		case r.UndoOf != 0:
			undo = fmt.Sprintf("undoes %d", r.UndoOf)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d/%d\t%d\t%d\t%s\t%s\t%s\n", r.ID, r.Kind, r.Status, r.Action, r.Done, r.Items,
			r.Errors, r.Skipped, media.SizeText(r.Bytes), r.StartedAt.Local().Format("2006-01-02 15:04"), undo)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return damaged
}

// runJSON is one element of `shoebox runs --json`: exactly the keys its
// contract names (the table shows the action and the skipped files too).
type runJSON struct {
	ID          uint64         `json:"id"`
	Kind        store.JobKind  `json:"kind"`
	Status      store.JobState `json:"status"`
	StartedAt   string         `json:"started_at"`
	CompletedAt string         `json:"completed_at"`
	Items       int            `json:"items"`
	Done        int            `json:"done"`
	Errors      int            `json:"errors"`
	Bytes       int64          `json:"bytes"`
	Undoable    bool           `json:"undoable"`
	Undone      bool           `json:"undone"`
}

// changeSummary tells how a change run ended, for the CLI's last line.
func changeSummary(j store.Job, took time.Duration) string {
	c := j.Change
	if c == nil {
		c = &store.ChangeRun{}
	}
	done := j.ProgressCurrent - j.ErrorCount - j.SkippedCount
	verb := map[string]string{"quarantine": "moved to the quarantine", "trash": "moved to the trash",
		"hardlink": "replaced by hard links", "restore": "put back", "copy": "copied into the library", "move": "moved into the library"}[c.Action]
	base := fmt.Sprintf("%d of %d files %s (%s; %d errors, %d skipped) in %s",
		done, j.ProgressTotal, verb, media.SizeText(c.Bytes), j.ErrorCount, j.SkippedCount, took.Round(100*time.Millisecond))
	var extra []string
	if c.LeftAlone != "" {
		extra = append(extra, "Left alone: "+c.LeftAlone+".")
	}
	if j.ErrorCount+j.SkippedCount > 0 {
		extra = append(extra, fmt.Sprintf("`shoebox runs` lists the run; the reasons are in its items (run %d).", j.ID))
	}
	what := "Run"
	if j.Kind == store.KindUndo {
		what = "Undo run"
	}
	var line string
	switch j.Status {
	case store.StateCompleted:
		line = fmt.Sprintf("%s %d completed: %s.", what, j.ID, base)
		if j.Kind == store.KindDups {
			extra = append(extra, fmt.Sprintf("`shoebox undo %d` puts every file back.", j.ID))
		}
	case store.StateHalted:
		line = fmt.Sprintf("%s %d halted: %s.\n%s\n`shoebox resume %d` goes on anyway; `shoebox undo %d` puts back what was done.", what, j.ID, base, j.ErrorMessage, j.ID, j.ID)
	case store.StatePaused:
		line = fmt.Sprintf("%s %d paused: %s. `shoebox resume %d` continues it.", what, j.ID, base, j.ID)
	case store.StateCancelled:
		line = fmt.Sprintf("%s %d cancelled: %s.", what, j.ID, base)
	default:
		line = fmt.Sprintf("%s %d %s: %s. %s", what, j.ID, strings.ToLower(string(j.Status)), base, j.ErrorMessage)
	}
	if len(extra) > 0 {
		line += " " + strings.Join(extra, " ")
	}
	return line
}
