package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"shoebox/limits"
	"shoebox/media"
	"shoebox/processing"
	"shoebox/store"
	"shoebox/trash"
)

// ErrLibraryLocked is wrapped by OpenLibrary when another process has the
// library open: "the library is open in another Shoebox window".
var ErrLibraryLocked = store.ErrLocked

// ErrJobRunning is returned when a job that is already running is started again.
var ErrJobRunning = errors.New("the job is already running")

// AnalyzeFunc analyses one file; processing.Analyze is the real one. It returns
// an error only when ctx was cancelled.
type AnalyzeFunc func(ctx context.Context, in processing.Input, opt processing.AnalyzeOptions) (media.Result, error)

// LibraryOptions tune OpenLibraryWith. Zero values mean the defaults.
type LibraryOptions struct {
	// LockTimeout is how long to wait for another process to close the
	// library before giving up with ErrLibraryLocked. Default 2s.
	LockTimeout time.Duration
	// Analyze replaces the per-file analysis (tests). Default processing.Analyze.
	Analyze AnalyzeFunc
	// ProgressInterval is how often a running job reports progress. Default 250ms.
	ProgressInterval time.Duration
	// Now replaces the clock (tests). Default time.Now.
	Now func() time.Time
	// Mode is store.ReadWrite (default) or store.ReadOnly: a library opened
	// only to read is never created nor written (see readonly.go).
	Mode store.Mode
	// Purpose says what this process does with the library ("the Shoebox
	// window", "`shoebox scan`"), for the message another process gets
	// when it finds the library in use. Default "": no note is kept.
	Purpose string
	// WriteFault makes library writes fail (fault-injection tests); see
	// store.Options.WriteFault. Default nil.
	WriteFault func(n int64) error
	// ChangeStep is called at each step of a change run's operations (the
	// intent stored, the file moved, the result verified, a batch about to
	// be committed...), named by step, so crash tests can kill the process
	// at every one of them. Default nil.
	ChangeStep func(step string)
	// EXIFWriter writes a date into a JPEG (dates runs, --to exif): it reads
	// src and writes the whole new file to dst, a new file. Default
	// writeJPEGDate (package exifdate, with its image-data proof); tests of
	// the run itself pass a stand-in.
	EXIFWriter func(src, dst string, d EXIFDate) error
	// ReleaseWhenIdle lets other processes read the library (report, jobs,
	// runs) while this one is idle: after this long without a write, and
	// while no job or run is going on, the exclusive lock is let go for a
	// shared one (store.Options.ReleaseWhenIdle). The window sets it.
	// Default 0: held until Close.
	ReleaseWhenIdle time.Duration
	// Trash says where the operating system's trash is (tests point it into
	// a temporary folder). Default: the trash package's defaults, which
	// follow $XDG_DATA_HOME as the specification says.
	Trash trash.Options
	// Compact says when the library file is compacted after a completed
	// job (compact.go); OnCompacting is set by the engine, which reports
	// it as Progress.Compacting. Default: store.CompactOptions' defaults
	// (files of 32 MiB or more, a tenth of them unused).
	Compact store.CompactOptions
	// Thumbnails bound the thumbnails cached on disk and in memory
	// (ThumbnailOptions: defaults beside the library).
	Thumbnails ThumbnailOptions
	// FindDuplicatesAfterJob: once a job completes alone, the newest scan's
	// duplicate groups are found and kept in the library before the
	// compaction after it (keepGroupsAfterJob), so that they are read, not
	// searched for, when next shown. The window sets it: it shows them
	// next. Default false: a script that scans and then reports does not
	// wait for a search it does not need (seconds at a million files), and
	// `dups` searches when asked; but a scan that found groups kept before
	// it keeps the newest scan's (keepGroupsAfterJob).
	FindDuplicatesAfterJob bool
}

// Library is an open Shoebox library and the jobs running on it.
type Library struct {
	db  *store.DB
	opt LibraryOptions
	cb  atomic.Pointer[Callbacks]
	// budget bounds the memory that the decodes of all workers take together;
	// readBudget the image files they hold in memory.
	budget, readBudget *limits.MemoryBudget
	// runClock counts the running time of every file in flight for the
	// per-file timeout, without the times the process was stopped.
	runClock *limits.RunClock

	noteMu sync.Mutex // orders writes of the owner note

	thumbs   thumbCache // Thumbnail's memory and disk layers (thumbcache.go)
	dups     dupsMemo   // the last groups DuplicatesIn found (dups_memo.go)
	searches searchGate // one search for the same groups at a time (dups_memo.go)
	// firstLookFiles: a search told its parts groups the look-alikes among
	// this many files first (dups_sofar.go); tests make it small.
	firstLookFiles int

	// kinds picks what a job does (jobKinds); the engine's tests run a
	// fake kind through it.
	kinds func(l *Library, j store.Job, s Settings) kindStages

	mu          sync.Mutex
	runs        map[uint64]*run
	launched    uint64               // jobs and runs launched since open (dups_carry.go)
	unsaved     map[uint64]store.Job // how runs ended that the library could not store
	interrupted []uint64
	closed      bool
}

// DefaultLibraryPath is where the library lives unless SHOEBOX_DB says
// otherwise: the per-user application-data folder of the OS.
func DefaultLibraryPath() (string, error) {
	if p := os.Getenv("SHOEBOX_DB"); p != "" {
		return filepath.Abs(p)
	}
	var dir string
	switch runtime.GOOS {
	case "windows", "darwin":
		d, err := os.UserConfigDir() // %AppData%, ~/Library/Application Support
		if err != nil {
			return "", err
		}
		dir = filepath.Join(d, "Shoebox")
	default:
		if d := os.Getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
			dir = filepath.Join(d, "shoebox")
		} else {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", err
			}
			dir = filepath.Join(home, ".local", "share", "shoebox")
		}
	}
	return filepath.Join(dir, "library.db"), nil
}

// OpenLibrary opens the library at path ("" = DefaultLibraryPath).
func OpenLibrary(path string) (*Library, error) { return OpenLibraryWith(path, LibraryOptions{}) }

// OpenLibraryWith opens the library with options. Jobs found RUNNING (their
// process died: this one holds the only lock) become PAUSED and are listed
// by Interrupted.
func OpenLibraryWith(path string, opt LibraryOptions) (*Library, error) {
	if path == "" {
		p, err := DefaultLibraryPath()
		if err != nil {
			return nil, fmt.Errorf("cannot find a place for the library: %w", err)
		}
		path = p
	}
	// Absolute from here on: the walk compares it with the files it lists,
	// whatever the working folder is by then.
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("cannot find the library %s: %w", path, err)
	}
	path = abs
	if opt.Analyze == nil {
		opt.Analyze = processing.Analyze
	}
	if opt.ProgressInterval <= 0 {
		opt.ProgressInterval = 250 * time.Millisecond
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.EXIFWriter == nil {
		opt.EXIFWriter = writeJPEGDate
	}
	db, err := store.Open(path, store.Options{LockTimeout: opt.LockTimeout, Mode: opt.Mode, WriteFault: opt.WriteFault,
		ReleaseWhenIdle: opt.ReleaseWhenIdle})
	if errors.Is(err, store.ErrLocked) {
		return nil, lockedError(path, err)
	}
	if err != nil {
		return nil, err
	}
	l := &Library{db: db, opt: opt, runs: map[uint64]*run{}, unsaved: map[uint64]store.Job{},
		budget: limits.NewMemoryBudget(decodeBudget), readBudget: limits.NewMemoryBudget(readBudget),
		runClock: limits.NewRunClock(), kinds: jobKinds, firstLookFiles: firstLookFiles}
	if err := l.recoverInterrupted(); err != nil {
		db.Close()
		return nil, err
	}
	l.writeOwnerNote()
	return l, nil
}

// decodeBudget bounds the decoded pixels held by all workers at once, so a
// folder of huge panoramas cannot take the machine's memory whatever the
// worker count.
const decodeBudget = 160 << 20

// readBudget bounds the image files held in memory by all workers at once
// (a 12 MP JPEG is 3-8 MB, its PNG copy 15-25 MB). A file larger than the
// whole budget (up to the 512 MiB decoding limit) waits until no other is
// held, so sixteen workers on huge TIFFs take one at a time.
const readBudget = 96 << 20

func (l *Library) recoverInterrupted() error {
	jobs, err := l.db.Jobs()
	if err != nil && !errors.Is(err, store.ErrDamaged) {
		return err // a damaged job record is skipped: the others still open
	}
	for i := range jobs {
		j := &jobs[i]
		if j.Status != store.StateRunning && j.Status != store.StatePending {
			continue
		}
		if l.db.ReadOnly() {
			l.interrupted = append(l.interrupted, j.ID) // shown so by present, not written
			continue
		}
		if err := transition(j, store.StatePaused); err != nil {
			return err
		}
		j.Interrupted = true
		j.CurrentFilename = ""
		if err := l.db.PutJob(j); err != nil {
			if !isDiskFull(err) {
				return err
			}
			// A full disk must not lock the person out of the library:
			// the job is shown interrupted, and stored so when it is resumed.
			l.rememberUnsaved(*j)
		}
		l.interrupted = append(l.interrupted, j.ID)
	}
	return nil
}

// Path is the library file.
func (l *Library) Path() string { return l.db.Path() }

// Store gives read access to the underlying store (reports, tests).
func (l *Library) Store() *store.DB { return l.db }

// SetCallbacks sets who hears about progress. Safe to call at any time.
func (l *Library) SetCallbacks(cb Callbacks) { l.cb.Store(&cb) }

func (l *Library) callbacks() Callbacks {
	if cb := l.cb.Load(); cb != nil {
		return *cb
	}
	return Callbacks{}
}

// Close pauses every running job (committing what is analysed), waits for
// them and closes the library.
func (l *Library) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	runs := make([]*run, 0, len(l.runs))
	for _, r := range l.runs {
		runs = append(runs, r)
	}
	l.mu.Unlock()
	for _, r := range runs {
		r.request(flagPause)
	}
	for _, r := range runs {
		<-r.done
	}
	l.removeOwnerNote()
	return l.db.Close()
}

// Interrupted lists the jobs that were found running with no live owner when
// the library opened, and are still paused.
func (l *Library) Interrupted() ([]store.Job, error) {
	l.mu.Lock()
	ids := append([]uint64(nil), l.interrupted...)
	l.mu.Unlock()
	var out []store.Job
	for _, id := range ids {
		j, err := l.Job(id)
		if err != nil {
			return nil, err
		}
		if j.Status == store.StatePaused && j.Interrupted {
			out = append(out, j)
		}
	}
	return out, nil
}

// Jobs lists every job, newest first. With a *store.DamagedRecords error
// the jobs that could be read still come.
func (l *Library) Jobs() ([]store.Job, error) {
	jobs, err := l.db.Jobs()
	for i := range jobs {
		l.present(&jobs[i])
		jobs[i] = l.withUnsaved(jobs[i])
	}
	return jobs, err
}

// Job reads one job.
func (l *Library) Job(id uint64) (store.Job, error) {
	j, err := l.db.Job(id)
	l.present(&j)
	return l.withUnsaved(j), err
}

// LatestJob is the newest scan, for commands whose JOB argument is left
// out (change runs have their own commands: runs, undo).
func (l *Library) LatestJob() (store.Job, error) {
	jobs, err := l.Jobs()
	if err != nil && (!errors.Is(err, store.ErrDamaged) || len(jobs) == 0) {
		return store.Job{}, err
	}
	for _, j := range jobs {
		if j.Kind == store.KindScan {
			return j, nil
		}
	}
	return store.Job{}, fmt.Errorf("the library has no scans yet: run `shoebox scan DIR` first")
}

// Files lists a job's files in path order. The dates are as the report and the window show them: a person's decision
// (dates.go) wins over everything; a file still without a trusted date may
// get one from its numbered neighbours (sequence.go), which see the decided
// dates of their neighbours. The stored analyses are not changed.
func (l *Library) Files(jobID uint64) ([]store.FileRecord, error) {
	recs, err := l.db.Files(jobID)
	if cerr := l.applyCorrections(recs); cerr != nil {
		return recs, cerr
	}
	recs = WithSequenceDates(recs)
	if cerr := l.applyCorrections(recs); cerr != nil { // over any guess from neighbours
		return recs, cerr
	}
	return recs, err
}

// Start creates a job over the roots and runs it in the background.
func (l *Library) Start(roots []string, s Settings) (uint64, error) {
	if err := s.Validate(); err != nil {
		return 0, err
	}
	s = s.WithDefaults()
	abs, err := checkRoots(roots)
	if err != nil {
		return 0, err
	}
	settings, err := json.Marshal(s)
	if err != nil {
		return 0, err
	}
	j := store.Job{Kind: store.KindScan, Roots: abs, Status: store.StatePending, CreatedAt: l.opt.Now(), Settings: settings}
	before := l.keptBeforeJob() // before the job's first write (dups_carry.go)
	if err := l.db.CreateJob(&j); err != nil {
		return 0, err
	}
	return j.ID, l.launchAfter(j, s, l.kindOf(j, s), before)
}

// Resume continues a paused, halted, failed or interrupted job with the files
// not yet analysed.
func (l *Library) Resume(jobID uint64) error { return l.resume(jobID, pendingOnly) }

// RetryFailed continues a job like Resume and analyses the files that failed
// again too; this also works on a completed job.
func (l *Library) RetryFailed(jobID uint64) error { return l.resume(jobID, alsoFailed) }

// resumeScope says which files a resumed job analyses.
type resumeScope int

const (
	pendingOnly resumeScope = iota // the files not yet analysed
	alsoFailed                     // those and the files that failed
)

func (l *Library) resume(jobID uint64, scope resumeScope) error {
	retry := scope == alsoFailed
	if l.running(jobID) != nil {
		return ErrJobRunning
	}
	j, err := l.Job(jobID)
	if err != nil {
		return err
	}
	if !CanTransition(j.Status, store.StateRunning) {
		return fmt.Errorf("job %d is %s and cannot be resumed", j.ID, j.Status)
	}
	if j.Status == store.StateCompleted && !retry {
		return fmt.Errorf("job %d is already completed; use --retry-errors to analyse its %d failed files again", j.ID, j.ErrorCount)
	}
	if j.Status == store.StateHalted || retry {
		// The person has seen the failures and goes on: the threshold now
		// judges only what comes after (app/threshold.go). Retried files were
		// counted when they first failed, so the base is taken before they
		// are made pending again.
		j.AcceptedProcessed, j.AcceptedErrors = j.ProgressCurrent, j.ErrorCount
	}
	var s Settings
	if len(j.Settings) > 0 {
		if err := json.Unmarshal(j.Settings, &s); err != nil {
			return fmt.Errorf("job %d has damaged settings: %w", j.ID, err)
		}
	}
	s = s.WithDefaults()
	k := l.kindOf(j, s)
	if retry {
		if err := k.resetFailed(&j); err != nil {
			return err
		}
	}
	j.Interrupted = false
	return l.launch(j, s, k)
}

// Pause asks a running job to stop after the files in flight; it becomes PAUSED.
func (l *Library) Pause(jobID uint64) error {
	r := l.running(jobID)
	if r == nil {
		return fmt.Errorf("job %d is not running", jobID)
	}
	r.request(flagPause)
	return nil
}

// Cancel stops a job for good, promptly, keeping what was committed. A job
// that is not running (paused, halted, interrupted) is simply marked CANCELLED.
func (l *Library) Cancel(jobID uint64) error {
	if r := l.running(jobID); r != nil {
		r.request(flagCancel)
		return nil
	}
	return l.Discard(jobID)
}

// Discard gives up a job that is not running: it becomes CANCELLED.
func (l *Library) Discard(jobID uint64) error {
	if l.running(jobID) != nil {
		return ErrJobRunning
	}
	j, err := l.Job(jobID)
	if err != nil {
		return err
	}
	if err := transition(&j, store.StateCancelled); err != nil {
		return err
	}
	j.Interrupted = false
	j.CompletedAt = l.opt.Now()
	return l.db.PutJob(&j)
}

// Wait blocks until the job's run stops and returns its state.
func (l *Library) Wait(jobID uint64) store.JobState {
	if r := l.running(jobID); r != nil {
		<-r.done
	}
	j, err := l.Job(jobID)
	if err != nil {
		return store.StateFailed
	}
	return j.Status
}

func (l *Library) kindOf(j store.Job, s Settings) kindStages { return l.kinds(l, j, s) }

func (l *Library) running(id uint64) *run {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.runs[id]
}

// executing says whether the job's run is still working on its items. A
// run that has stopped stays in runs while the library finds the groups,
// compacts and backs up after it (launch), which change none of its files:
// the window reads the run's summary as soon as it stops, and offered no
// Undo when that work was still going on.
func (l *Library) executing(id uint64) bool {
	r := l.running(id)
	if r == nil {
		return false
	}
	st := r.state.Load()
	return st == nil || !stopped(*st)
}

// jobKinds picks what a job does by the kind stored with it: a scan
// (scan.go) or a change run (change.go).
func jobKinds(l *Library, j store.Job, s Settings) kindStages {
	switch j.Kind {
	case store.KindDups, store.KindUndo, store.KindOrganise, store.KindDates:
		return stagesOf(newChangeKind(l, j))
	}
	return stagesOf(newScanKind(l, s))
}

func (l *Library) launch(j store.Job, s Settings, k kindStages) error {
	return l.launchAfter(j, s, k, nil)
}

// launchAfter is launch for a scan or change run that found groups kept
// before it was created (keptBeforeJob); before is nil when none were.
func (l *Library) launchAfter(j store.Job, s Settings, k kindStages, before *groupsBefore) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return errors.New("the library is closed")
	}
	if l.runs[j.ID] != nil {
		return ErrJobRunning
	}
	// A running job keeps the exclusive lock however long it goes between
	// commits: a reader let in meanwhile would make its next commit wait.
	if err := l.db.HoldWrites(); err != nil {
		return err
	}
	r := newRun(l, j, s, k)
	r.groupsBefore = before
	l.runs[j.ID] = r
	l.launched++
	delete(l.unsaved, j.ID)
	go func() {
		l.writeOwnerNote()
		r.execute()
		l.db.ReleaseWrites()
		l.keepGroupsAfterJob(r)
		l.compactAfterJob(r)
		r.backUp()
		l.mu.Lock()
		delete(l.runs, j.ID)
		l.mu.Unlock()
		l.writeOwnerNote()
		close(r.done)
	}()
	return nil
}
