package store

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// ErrDamaged is wrapped by every error that says the library file itself is
// damaged (as opposed to locked, missing or unreadable).
var ErrDamaged = errors.New("the library is damaged")

// ErrNoLibrary means a command that only reads was pointed at a library file
// that does not exist: it never creates one.
var ErrNoLibrary = errors.New("no library")

// DamagedError says which library is damaged, how, and what to do.
type DamagedError struct {
	Path   string
	Detail string // what was found, for the curious
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("the library %s is damaged (%s). `shoebox check --db %s` shows what is wrong; "+
		"`shoebox recover --db %s --out NEW.db` copies everything still readable into a new library",
		e.Path, e.Detail, quoteArg(e.Path), quoteArg(e.Path))
}

func (e *DamagedError) Unwrap() error { return ErrDamaged }

// quoteArg quotes a path for a shell command line when it needs it.
func quoteArg(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t'\"\\$`!*?&;|<>()[]{}#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// DamagedRecords is returned beside the records that could be read when some
// could not: a query that meets a damaged record skips it and goes on, so a
// report still shows everything readable.
type DamagedRecords struct {
	Path  string
	Count int
	First string // the first record that could not be read, and why
}

func (e *DamagedRecords) Error() string {
	what := "records"
	if e.Count == 1 {
		what = "record"
	}
	return fmt.Sprintf("%d %s of the library %s could not be read (the first: %s); run `shoebox check --db %s`",
		e.Count, what, e.Path, e.First, quoteArg(e.Path))
}

func (e *DamagedRecords) Unwrap() error { return ErrDamaged }

// skipped counts the records a query could not decode.
type skipped struct {
	n     int
	first string
}

func (s *skipped) add(what string, key []byte, err error) {
	if s.n == 0 {
		s.first = fmt.Sprintf("%s %q: %v", what, key, err)
	}
	s.n++
}

// err is nil when nothing was skipped.
func (s *skipped) err(path string) error {
	if s.n == 0 {
		return nil
	}
	return &DamagedRecords{Path: path, Count: s.n, First: s.first}
}

// guard runs fn, which touches bbolt's memory map, so that a damaged file
// ends in a DamagedError instead of killing the process.
//
// Recovering here is right, and only here: bbolt trusts the pages of its
// file and panics by design when one is corrupt (an invalid page type, an
// out-of-range element), and a read of the map past the end of a truncated
// file is a SIGBUS that the runtime turns into a panic only when the
// goroutine asked for it with SetPanicOnFault. Both are faults of the data
// on disk, not bugs of this program. A panic raised anywhere else is not
// ours to hide: it goes on.
func guard(path string, fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		if !isFault(p) && !panickedInBbolt() {
			panic(p)
		}
		err = &DamagedError{Path: path, Detail: fmt.Sprint(p)}
	}()
	return fn()
}

// isFault says whether a recovered value is a memory fault (a read of the
// memory map that the file no longer backs).
func isFault(p any) bool {
	_, ok := p.(interface{ Addr() uintptr })
	return ok
}

// panickedInBbolt says whether the panic being recovered was raised by
// bbolt's code. Called from the deferred function, the frames below the
// runtime's panic machinery are those of the panicking call.
func panickedInBbolt() bool {
	pcs := make([]uintptr, 32)
	n := runtime.Callers(3, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	afterPanic := false
	for {
		f, more := frames.Next()
		switch {
		case f.Function == "runtime.gopanic":
			afterPanic = true
		case afterPanic && !strings.HasPrefix(f.Function, "runtime."):
			return strings.HasPrefix(f.Function, "go.etcd.io/bbolt")
		}
		if !more {
			return false
		}
	}
}

// noteDamage remembers that a transaction met a damaged page, and drops the
// stamp so that the next open walks the file and refuses it.
func (db *DB) noteDamage(err error) error {
	var d *DamagedError
	if errors.As(err, &d) {
		db.damaged.Store(true)
		dropStamp(db.path)
	}
	return err
}
