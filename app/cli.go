package app

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"shoebox/store"
)

// Exit statuses of the command line.
const (
	ExitCompleted = 0 // the job completed
	ExitFailure   = 1 // bad flags, library locked, I/O, a failed job
	ExitHalted    = 2 // too many files failed
	ExitStopped   = 3 // paused (Ctrl-C) or cancelled
)

const usage = `Shoebox finds out, for every photo and video in a folder, what it is,
whether it is a duplicate and when it was really taken.

Usage:
  shoebox                     open the window
  shoebox scan [flags] DIR... analyse the folders as one new job
  shoebox resume [flags] [JOB] continue a paused, halted or interrupted job or run (default: the latest scan)
  shoebox jobs [--json]       list the jobs in the library
  shoebox report [--job ID] [--format jsonl|csv]   every file of a job
  shoebox dups [--job ID] [--distance N] [--format json|text]   duplicate groups of a job
  shoebox plan dups [--keep RULES] [--protect DIR]... [--action quarantine|trash|hardlink]
                    [--include-near] [--out FILE]
                              a dry-run plan of which duplicates to keep and remove (JSON)
  shoebox check               verify the library; exit 1 when it is damaged
  shoebox recover --out NEW.db [--from-backup N|latest]
                              copy what is readable (or a backup) into a new library
  shoebox backups             list the library's automatic backups
  shoebox apply PLANFILE      act on a plan: move the copies it removes (checked,
                              journaled, verified; undoable)
  shoebox undo [RUN]          put back what the latest change run (or RUN) changed
  shoebox runs [--json]       list the change runs (apply, organise, undo)
  shoebox organise --to DEST [--template T] [--move] [--include-low] [--dry-run] [--json] [SOURCE...]
                              copy (or move) every photo into dated folders, verified
  shoebox ledger [--json] [RUN]
                              every file's fate in an organise run
  shoebox dates set --date DATE PATH... | shift --by DURATION (--camera "MAKE MODEL" | PATH...)
              | from-name [PATH...] | from-takeout [PATH...]
              | zone --offset +hh:mm [--clock local|home] [--camera "MAKE MODEL"] [--from DATE] [--until DATE] [PATH...]
                              record a file's true date (touches no file)
  shoebox dates write --to xmp|exif|mtime [--dry-run] [--json] [PATH...]
                              write the decided dates back (a change run; undoable)
  shoebox unique [--json] [--rehash] DIR
                              the files under DIR with no verified copy elsewhere
                              in the library: what to save before wiping DIR

Every command takes --db PATH (or the SHOEBOX_DB environment variable) to use
another library than the default. Run "shoebox COMMAND -h" for its flags.
`

// RunCLI runs one subcommand and returns the process exit status.
func RunCLI(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return ExitFailure
	}
	cmd, rest := args[0], args[1:]
	var err error
	code := ExitCompleted
	switch cmd {
	case "scan":
		code, err = cmdScan(rest, stderr)
	case "resume":
		code, err = cmdResume(rest, stderr)
	case "jobs":
		err = cmdJobs(rest, stdout, stderr)
	case "report":
		err = cmdReport(rest, stdout, stderr)
	case "dups":
		err = cmdDups(rest, stdout, stderr)
	case "plan":
		err = cmdPlan(rest, stdout, stderr)
	case "check":
		code, err = cmdCheck(rest, stdout, stderr)
	case "recover":
		err = cmdRecover(rest, stdout, stderr)
	case "backups":
		err = cmdBackups(rest, stdout, stderr)
	case "unique":
		err = cmdUnique(rest, stdout, stderr)
	case "apply":
		code, err = cmdApply(rest, stderr)
	case "undo":
		code, err = cmdUndo(rest, stderr)
	case "organise":
		code, err = cmdOrganise(rest, stdout, stderr)
	case "ledger":
		err = cmdLedger(rest, stdout, stderr)
	case "runs":
		err = cmdRuns(rest, stdout, stderr)
	case "dates":
		code, err = cmdDates(rest, stdout, stderr) // dates_cli.go
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return ExitCompleted
	default:
		fmt.Fprintf(stderr, "shoebox: unknown command %q\n\n%s", cmd, usage)
		return ExitFailure
	}
	if errors.Is(err, errLeaveNow) {
		return ExitStopped // at once: the library is left open on purpose (leaveOrClose)
	}
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "shoebox %s: %v\n", cmd, err)
		}
		return ExitFailure
	}
	return code
}

// newFlags makes a flag set that reports errors instead of exiting.
func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("shoebox "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "library file (default: $SHOEBOX_DB, else the per-user application-data folder)")
	return fs, db
}

// parseInterspersed lets flags come after positional arguments
// ("shoebox scan ~/Pictures --workers 4"), as people type them.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// openForCLI opens the library for a command; cmd names it in the note a
// second process reads when it finds the library in use.
func openForCLI(db, cmd string) (*Library, error) {
	lib, err := OpenLibraryWith(db, LibraryOptions{Purpose: "`shoebox " + cmd + "`"})
	if errors.Is(err, ErrLibraryLocked) {
		return nil, fmt.Errorf("%w. Wait for it to finish or stop it, or pass --db to use another library", err)
	}
	return lib, err
}

func cmdScan(args []string, stderr io.Writer) (code int, err error) {
	fs, db := newFlags("scan", stderr)
	d := DefaultSettings()
	s := d // every field explicit: a flag given as 0 means 0
	fs.IntVar(&s.Workers, "workers", d.Workers, "files analysed at once")
	fs.IntVar(&s.BatchSize, "batch", d.BatchSize, "results committed per transaction")
	fs.Float64Var(&s.MaxErrorRate, "max-error-rate", d.MaxErrorRate, "halt when this fraction of files fail (after --min-sample files)")
	fs.IntVar(&s.MinSample, "min-sample", d.MinSample, "files processed before the error rate can halt the job")
	fs.IntVar(&s.MinYear, "min-year", d.MinYear, "earliest believable year of a timestamp")
	fs.IntVar(&s.NearDistance, "distance", d.NearDistance, "largest perceptual-hash distance of a near duplicate")
	fs.Int64Var(&s.MaxPixels, "max-pixels", d.MaxPixels, "refuse to decode larger images")
	fs.BoolVar(&s.Rehash, "rehash", false, "analyse every file again, even unchanged ones")
	dirs, err := parseInterspersed(fs, args)
	if err != nil {
		return ExitFailure, err
	}
	if len(dirs) == 0 {
		return ExitFailure, errors.New("name at least one folder to scan")
	}
	if err := s.Validate(); err != nil {
		return ExitFailure, err
	}
	_, notes, err := planRoots(dirs)
	if err != nil {
		return ExitFailure, err
	}
	for _, n := range notes {
		fmt.Fprintln(stderr, n)
	}
	lib, err := openForCLI(*db, "scan")
	if err != nil {
		return ExitFailure, err
	}
	defer leaveOrClose(lib, &err)
	id, err := lib.Start(dirs, s)
	if err != nil {
		return ExitFailure, err
	}
	return followJob(lib, id, stderr)
}

func cmdResume(args []string, stderr io.Writer) (code int, err error) {
	fs, db := newFlags("resume", stderr)
	retry := fs.Bool("retry-errors", false, "analyse the files that failed again")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return ExitFailure, err
	}
	if len(pos) > 1 {
		return ExitFailure, errors.New("resume takes at most one job ID")
	}
	lib, err := openForCLI(*db, "resume")
	if err != nil {
		return ExitFailure, err
	}
	defer leaveOrClose(lib, &err)
	j, err := pickJob(lib, pos)
	if err != nil {
		return ExitFailure, err
	}
	resume := lib.Resume
	if *retry {
		resume = lib.RetryFailed
	}
	if err := resume(j.ID); err != nil {
		return ExitFailure, err
	}
	return followJob(lib, j.ID, stderr)
}

// openJob opens the library read-only and finds the job a reading command
// is about ("" = the latest). The caller closes the library.
func openJob(db, jobArg string) (*Library, store.Job, error) {
	lib, err := openToRead(db)
	if err != nil {
		return nil, store.Job{}, err
	}
	j, err := pickJob(lib, []string{jobArg})
	if err != nil {
		lib.Close()
		return nil, store.Job{}, err
	}
	return lib, j, nil
}

func pickJob(lib *Library, pos []string) (store.Job, error) {
	if len(pos) == 0 || pos[0] == "" {
		return lib.LatestJob()
	}
	id, err := strconv.ParseUint(pos[0], 10, 64)
	if err != nil {
		return store.Job{}, fmt.Errorf("%q is not a job ID (see `shoebox jobs`)", pos[0])
	}
	return lib.Job(id)
}

// errLeaveNow is what followJob returns on a second Ctrl-C: the person wants
// out at once. The command returns without closing the library (see
// leaveOrClose) and RunCLI exits with ExitStopped.
var errLeaveNow = errors.New("stopped at once")

// leaveOrClose closes the library when a command that followed a job ends,
// except after a second Ctrl-C. Closing pauses the job and waits for the
// files in flight, which is exactly what the person refused by pressing
// Ctrl-C again; the process exits right after instead, the lock goes with
// it, and the next open finds the job RUNNING with no owner: interrupted,
// and resumable from its last committed batch.
func leaveOrClose(lib *Library, err *error) {
	if !errors.Is(*err, errLeaveNow) {
		lib.Close()
	}
}

// followJob shows a job's progress until it stops. Ctrl-C pauses it cleanly;
// a second Ctrl-C leaves at once (errLeaveNow: the job is then found
// interrupted and can still be resumed).
func followJob(lib *Library, id uint64, stderr io.Writer) (int, error) {
	interrupts := make(chan os.Signal, 2)
	signal.Notify(interrupts, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(interrupts)
	return follow(lib, id, stderr, interrupts)
}

// follow is followJob with the interrupts it hears given (tests send their own).
func follow(lib *Library, id uint64, stderr io.Writer, interrupts <-chan os.Signal) (int, error) {
	view := newProgressView(stderr)
	updates := make(chan Progress, 16)
	lib.SetCallbacks(Callbacks{OnProgress: func(p Progress) {
		select {
		case updates <- p:
		default: // the terminal is slow: drop a snapshot, never block the engine
		}
	}})
	before, err := lib.Job(id)
	if err != nil {
		return ExitFailure, err
	}
	finished := make(chan store.JobState, 1)
	go func() { finished <- lib.Wait(id) }()
	start := time.Now()
	paused := false
	for {
		select {
		case p := <-updates:
			view.show(p)
		case <-interrupts:
			if paused {
				view.clear()
				fmt.Fprintf(stderr, "Stopped at once. `shoebox resume %d` continues the job.\n", id)
				return ExitStopped, errLeaveNow
			}
			paused = true
			view.clear()
			fmt.Fprintln(stderr, "Pausing: finishing the files in flight (Ctrl-C again to leave at once)...")
			_ = lib.Pause(id)
		case st := <-finished:
			view.clear()
			j, err := lib.Job(id)
			if err != nil {
				return ExitFailure, err
			}
			if j.Change != nil {
				fmt.Fprintln(stderr, changeSummary(j, time.Since(start)))
			} else {
				fmt.Fprintln(stderr, summary(j, before, time.Since(start)))
			}
			switch st {
			case store.StateCompleted:
				return ExitCompleted, nil
			case store.StateHalted:
				return ExitHalted, nil
			case store.StatePaused, store.StateCancelled:
				return ExitStopped, nil
			}
			return ExitFailure, nil
		}
	}
}

// summary tells how a run ended; before is the job as it was when the run
// started, so files/s counts only the files this run analysed.
func summary(j, before store.Job, took time.Duration) string {
	analysed := (j.ProgressCurrent - before.ProgressCurrent) - (j.ReusedCount - before.ReusedCount)
	rate := float64(analysed) / max(took.Seconds(), 1e-9)
	base := fmt.Sprintf("%d of %d files (%d analysed in this run, %d unchanged since an earlier scan; %d errors, %d skipped) in %s, %.1f files/s",
		j.ProgressCurrent, j.ProgressTotal, analysed, j.ReusedCount, j.ErrorCount, j.SkippedCount, took.Round(100*time.Millisecond), rate)
	switch j.Status {
	case store.StateCompleted:
		if j.ErrorMessage != "" {
			return fmt.Sprintf("Job %d completed: %s. %s", j.ID, base, j.ErrorMessage)
		}
		return fmt.Sprintf("Job %d completed: %s. See `shoebox report` and `shoebox dups`.", j.ID, base)
	case store.StateHalted:
		return fmt.Sprintf("Job %d halted: %s.\n%s\n`shoebox resume %d` goes on anyway.", j.ID, base, j.ErrorMessage, j.ID)
	case store.StatePaused:
		return fmt.Sprintf("Job %d paused: %s. `shoebox resume %d` continues it.", j.ID, base, j.ID)
	case store.StateCancelled:
		return fmt.Sprintf("Job %d cancelled: %s.", j.ID, base)
	}
	return fmt.Sprintf("Job %d %s: %s. %s", j.ID, strings.ToLower(string(j.Status)), base, j.ErrorMessage)
}
