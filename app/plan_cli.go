package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"shoebox/store"
)

// stringList is a repeatable flag (--protect DIR --protect DIR2).
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// cmdPlan dispatches `shoebox plan WHAT`; only duplicates can be planned.
func cmdPlan(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "dups" {
		return fmt.Errorf("say what to plan: `shoebox plan dups [flags]`")
	}
	return cmdPlanDups(args[1:], stdout, stderr)
}

// cmdPlanDups writes a dry-run plan for a job's duplicates. It only reads:
// the library is opened read-only and the only file written is --out.
func cmdPlanDups(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("plan dups", stderr)
	jobFlag := fs.String("job", "", "job ID (default: the latest)")
	keep := fs.String("keep", "", "keeper rules in order, comma-separated (default: "+strings.Join(DefaultKeepRules(), ",")+")")
	var protect stringList
	fs.Var(&protect, "protect", "a folder whose files are never removed (repeatable)")
	action := fs.String("action", "", "what apply will do with the removed files: quarantine, trash or hardlink (default: the library's setting, else quarantine)")
	includeNear := fs.Bool("include-near", false, "add the look-alike groups, unapproved")
	distance := fs.Int("distance", -1, "largest perceptual-hash distance of a look-alike (default: the job's setting)")
	out := fs.String("out", "", "write the plan to this file instead of stdout")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("unexpected argument %q (the flags are listed by -h)", pos[0])
	}
	if *distance < -1 || *distance > 32 {
		return fmt.Errorf("--distance must be between 0 and 32")
	}
	opt := PlanOptions{Action: *action, Protect: protect, IncludeNear: *includeNear, NearDistance: *distance}
	if *keep != "" {
		opt.KeepRules = strings.Split(*keep, ",")
	}
	if _, err := orderRules(opt.KeepRules); err != nil { // before opening anything
		return err
	}
	lib, j, err := openJob(*db, *jobFlag)
	if err != nil {
		return err
	}
	defer lib.Close()
	plan, err := lib.PlanDuplicates(j.ID, opt)
	if err != nil && !errors.Is(err, store.ErrDamaged) {
		return err
	}
	if werr := writePlan(plan, *out, stdout); werr != nil {
		return werr
	}
	return err // damaged records were left out: say so after the plan
}

// writePlan writes the plan to stdout, or to out; out may not be one of
// the planned files (the command never writes over a person's file).
func writePlan(p Plan, out string, stdout io.Writer) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(p); err != nil {
		return err
	}
	if out == "" {
		_, err := stdout.Write(buf.Bytes())
		return err
	}
	if info, err := os.Stat(out); err == nil && plannedFile(p, info) {
		return fmt.Errorf("--out %s names one of the planned files: choose another name", out)
	}
	data := buf.Bytes()
	if err := os.WriteFile(out, data, 0o644); err != nil {
		return fmt.Errorf("writing the plan to %s: %w", out, err)
	}
	return nil
}

// plannedFile says whether info is one of the plan's files.
func plannedFile(p Plan, info os.FileInfo) bool {
	for _, g := range p.Groups {
		for path := range g.Files {
			if other, err := os.Stat(path); err == nil && os.SameFile(info, other) {
				return true
			}
		}
	}
	return false
}
