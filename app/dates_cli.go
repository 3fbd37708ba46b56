package app

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"shoebox/store"
)

const datesUsage = `shoebox dates set [--db] --date DATE PATH...        DATE: 2009, 2009-07, 2009-07-14, 2009-07-14T15:04:05[+hh:mm]
shoebox dates shift [--db] --by DURATION (--camera "MAKE MODEL" | PATH...)   DURATION like +1h, -366d, +2y3d
shoebox dates from-name|from-takeout [--db] [PATH...]
shoebox dates zone [--db] --offset +hh:mm [--clock local|home] [--camera "MAKE MODEL" [--serial S]] [--from DATE] [--until DATE] [PATH...]
shoebox dates write [--db] --to xmp|exif|mtime [--noon] [--dry-run] [--json] [PATH...]`

// cmdDates records date decisions (set, shift, from-name, from-takeout:
// they touch no file and print what changed, old -> new) or writes them
// back (write: a change run of kind dates).
func cmdDates(args []string, stdout, stderr io.Writer) (int, error) {
	if len(args) == 0 {
		return ExitFailure, errors.New("say what to do:\n" + datesUsage)
	}
	sub, rest := args[0], args[1:]
	fs, db := newFlags("dates "+sub, stderr)
	var f datesFlags
	fs.StringVar(&f.date, "date", "", "the date: 2009, 2009-07, 2009-07-14 or 2009-07-14T15:04:05[+hh:mm]")
	fs.StringVar(&f.by, "by", "", "the shift: +1h, -366d, +2y3d ...")
	fs.StringVar(&f.camera, "camera", "", `every file of this camera ("MAKE MODEL")`)
	fs.StringVar(&f.serial, "serial", "", "zone: with --camera, only the body with this serial number")
	fs.StringVar(&f.offset, "offset", "", "zone: the UTC offset the photos were taken at, like +09:00")
	fs.StringVar(&f.clock, "clock", ClockLocal, "zone: what the camera showed: local (the time there: the clock is kept) "+
		"or home (the time at home: the clock moves to the offset)")
	fs.StringVar(&f.from, "from", "", "zone: only the files dated from DATE on")
	fs.StringVar(&f.until, "until", "", "zone: only the files dated until DATE (the whole of it)")
	to := fs.String("to", WriteXMP, "where to write: xmp, exif or mtime, or xmp,mtime / exif,mtime")
	dryRun := fs.Bool("dry-run", false, "print what would be written; change nothing")
	asJSON := fs.Bool("json", false, "with --dry-run: print JSON")
	noon := fs.Bool("noon", false, "write a date known only to the day as 12:00:00 where a time is needed (exif, mtime)")
	paths, err := parseInterspersed(fs, rest)
	if err != nil {
		return ExitFailure, err
	}
	sel := DatesSelection{Paths: paths}
	decide, err := datesDecision(sub, sel, f)
	if err != nil {
		return ExitFailure, err
	}
	if sub == "write" && *dryRun {
		lib, err := openToRead(*db)
		if err != nil {
			return ExitFailure, err
		}
		defer lib.Close()
		writes, err := lib.PlanDatesWrite(DatesWriteOptions{To: strings.Split(*to, ","), Paths: paths, Noon: noonConsent(*noon)})
		if err != nil {
			return ExitFailure, err
		}
		return ExitCompleted, printDateWrites(stdout, writes, *asJSON)
	}
	lib, err := openForCLI(*db, "dates "+sub)
	if err != nil {
		return ExitFailure, err
	}
	defer leaveOrClose(lib, &err)
	if sub == "write" {
		return datesWriteRun(lib, DatesWriteOptions{To: strings.Split(*to, ","), Paths: paths, Noon: noonConsent(*noon)}, stdout, stderr)
	}
	out, err := decide(lib)
	if err != nil {
		return ExitFailure, err
	}
	printDecisions(stdout, out)
	return ExitCompleted, nil
}

// noonConsent is the --noon flag as the option it sets.
func noonConsent(agreed bool) NoonConsent {
	if agreed {
		return NoonAgreed
	}
	return NoonRefused
}

// datesFlags are the decision commands' flags.
type datesFlags struct {
	date, by, camera, serial   string
	offset, clock, from, until string // zone
}

// datesDecision checks a decision command's flags and returns what it does.
func datesDecision(sub string, sel DatesSelection, f datesFlags) (func(*Library) ([]DateDecision, error), error) {
	switch sub {
	case "set":
		if f.date == "" || len(sel.Paths) == 0 {
			return nil, errors.New("name the date and the files: dates set --date DATE PATH")
		}
		return func(l *Library) ([]DateDecision, error) { return l.SetDate(sel, f.date) }, nil
	case "shift":
		sh, err := ParseShift(f.by)
		if err != nil {
			return nil, err
		}
		if (f.camera == "") == (len(sel.Paths) == 0) {
			return nil, errors.New(`name either a camera or files: dates shift --by DURATION (--camera "MAKE MODEL" | PATH...)`)
		}
		sel.Camera = f.camera
		return func(l *Library) ([]DateDecision, error) { return l.ShiftDates(sel, sh) }, nil
	case "zone":
		if _, _, err := ParseZoneOffset(f.offset); err != nil {
			return nil, fmt.Errorf("say the offset the photos were taken at: dates zone --offset +09:00: %w", err)
		}
		if f.camera == "" && len(sel.Paths) == 0 && f.from == "" && f.until == "" {
			return nil, errors.New(`name the files, a camera or a range: dates zone --offset +hh:mm [--camera "MAKE MODEL"] [--from DATE --until DATE] [PATH...]`)
		}
		sel.Camera, sel.Serial, sel.From, sel.Until = f.camera, f.serial, f.from, f.until
		ch := DatesChange{Op: DatesZone, Selection: sel, Zone: ZoneFix{Offset: f.offset, Clock: f.clock}}
		return func(l *Library) ([]DateDecision, error) { return l.DecideDates(ch) }, nil
	case "from-name", "from-takeout":
		source := map[string]string{"from-name": store.CorrectionFilename, "from-takeout": store.CorrectionTakeout}[sub]
		return func(l *Library) ([]DateDecision, error) { return l.DatesFrom(sel, source) }, nil
	case "write":
		return nil, nil
	}
	return nil, fmt.Errorf("unknown dates command %q:\n%s", sub, datesUsage)
}

// printDecisions prints what changed, old -> new, and what was left. A
// decision that keeps a file's date is still a decision (the date is then
// the person's, at high confidence): the summary counts those apart, so that
// "0 files given a new date" does not hide 100,000 decisions recorded.
func printDecisions(w io.Writer, out []DateDecision) {
	changed, kept := 0, 0
	for _, d := range out {
		old := d.Old
		if old == "" {
			old = "(no date)"
		}
		switch d.Outcome() {
		case DateLeft:
			fmt.Fprintf(w, "%s: left as it was: %s\n", ReadablePath(d.Path), d.Skipped)
		case DateKept:
			kept++
			fmt.Fprintf(w, "%s: %s (unchanged)\n", ReadablePath(d.Path), d.New)
		default:
			changed++
			fmt.Fprintf(w, "%s: %s → %s\n", ReadablePath(d.Path), old, d.New)
		}
	}
	summary := count(changed, "file") + " given a new date"
	switch {
	case kept == 1:
		summary += ", 1 file decided as it was"
	case kept > 1:
		summary += ", " + count(kept, "file") + " decided as they were"
	}
	fmt.Fprintf(w, "%s; no file was touched (`shoebox dates write` writes them back).\n", summary)
}

// printDateWrites prints a dry run: JSON {path, field, old, new}, or lines.
func printDateWrites(w io.Writer, writes []DateWrite, asJSON bool) error {
	if asJSON {
		return printDateWritesJSON(w, writes)
	}
	for _, d := range writes {
		line := fmt.Sprintf("%s %s: %q → %q", ReadablePath(d.Path), d.Field, d.Old, d.New)
		if d.Field == "" {
			line = ReadablePath(d.Path)
		}
		if d.Note != "" {
			line += " (" + d.Note + ")"
		}
		fmt.Fprintln(w, line)
	}
	return nil
}

// datesWriteRun starts the run and follows it, saying what fell back.
func datesWriteRun(lib *Library, opt DatesWriteOptions, stdout, stderr io.Writer) (int, error) {
	id, writes, err := lib.WriteDates(opt)
	if err != nil {
		return ExitFailure, err
	}
	for _, d := range writes {
		if d.Note != "" {
			fmt.Fprintf(stderr, "%s: %s\n", ReadablePath(d.Path), d.Note)
		}
	}
	if id == 0 {
		fmt.Fprintln(stdout, "Nothing to write: no file named has a decided date (see `shoebox dates set`).")
		return ExitCompleted, nil
	}
	code, err := followJob(lib, id, stderr)
	if err != nil {
		return code, err
	}
	items, err := lib.ChangeItems(id)
	if err != nil {
		return ExitFailure, err
	}
	done := 0
	for _, it := range items {
		if it.State == store.ChangeDone {
			done++
		} else {
			fmt.Fprintf(stderr, "%s: %s: %s\n", ReadablePath(it.Path), it.State, it.Reason)
		}
	}
	fmt.Fprintf(stdout, "Run %d: %d of %d written (`shoebox undo %d` puts back every old value).\n", id, done, len(items), id)
	if done < len(items) && code == ExitCompleted {
		code = ExitFailure
	}
	return code, nil
}

// printDateWritesJSON prints the writes that would be made as one JSON
// array, indented by two spaces, element after element: the bytes
// json.Encoder writes for the whole array, without holding them all (a
// million decisions make some 200 MB of JSON).
func printDateWritesJSON(w io.Writer, writes []DateWrite) error {
	out := bufio.NewWriter(w)
	var one bytes.Buffer
	enc := json.NewEncoder(&one)
	enc.SetIndent("  ", "  ") // an element's lines, inside the array
	enc.SetEscapeHTML(false)
	sep := "[\n  "
	for _, d := range writes {
		if d.Field == "" || strings.HasPrefix(d.Note, "left alone") {
			continue
		}
		one.Reset()
		if err := enc.Encode(d); err != nil {
			return err
		}
		out.WriteString(sep)
		out.Write(bytes.TrimSuffix(one.Bytes(), []byte("\n")))
		sep = ",\n  "
	}
	if sep == "[\n  " {
		out.WriteString("[]\n")
	} else {
		out.WriteString("\n]\n")
	}
	return out.Flush()
}
