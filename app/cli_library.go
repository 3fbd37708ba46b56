package app

import (
	"errors"

	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"shoebox/store"
)

// resolveLibrary is the library file a --db flag names ("" = the default).
func resolveLibrary(db string) (string, error) {
	if db != "" {
		return filepath.Abs(db)
	}
	p, err := DefaultLibraryPath()
	if err != nil {
		return "", fmt.Errorf("cannot find a place for the library: %w", err)
	}
	return p, nil
}

// openToRead opens the library for a command that only reads it: never
// created, never written, shared with other readers.
func openToRead(db string) (*Library, error) {
	path, err := resolveLibrary(db)
	if err != nil {
		return nil, err
	}
	lib, err := OpenLibraryWith(path, LibraryOptions{Mode: store.ReadOnly})
	switch {
	case errors.Is(err, store.ErrNoLibrary):
		return nil, fmt.Errorf("%w: check --db, or run `shoebox scan DIR` to make one", err)
	case errors.Is(err, ErrLibraryLocked):
		return nil, fmt.Errorf("%w: close it, or pass --db to use another library", err)
	}
	return lib, err
}

func cmdCheck(args []string, stdout, stderr io.Writer) (int, error) {
	fs, db := newFlags("check", stderr)
	if _, err := parseInterspersed(fs, args); err != nil {
		return ExitFailure, err
	}
	path, err := resolveLibrary(*db)
	if err != nil {
		return ExitFailure, err
	}
	rep, err := store.Check(path, 0)
	if err != nil {
		return ExitFailure, err
	}
	code := ExitCompleted
	if rep.Healthy() {
		fmt.Fprintf(stdout, "The library %s is healthy: %d jobs, %d files.\n", path, rep.Jobs, rep.Files)
	} else {
		code = ExitFailure
		fmt.Fprintf(stdout, "The library %s is damaged: %s.\n", path, count(rep.ProblemCount, "problem"))
		for _, p := range rep.Problems {
			fmt.Fprintf(stdout, "  - %s\n", p)
		}
		if rep.StructureIntact {
			fmt.Fprintf(stdout, "%d jobs and %d files can be read; %d job records and %d file records cannot.\n",
				rep.Jobs, rep.Files, rep.BadJobs, rep.BadFiles)
		}
		fmt.Fprintf(stdout, "`shoebox recover --db %s --out NEW.db` copies everything readable into a new library"+
			" (or `--from-backup latest` restores the newest backup).\n", shellQuote(path))
	}
	if err := listBackups(stdout, path); err != nil {
		return ExitFailure, err
	}
	return code, nil
}

func cmdBackups(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("backups", stderr)
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	path, err := resolveLibrary(*db)
	if err != nil {
		return err
	}
	return listBackups(stdout, path)
}

// listBackups prints the library's backups, numbered as --from-backup takes them.
func listBackups(w io.Writer, path string) error {
	list, err := store.Backups(path)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintf(w, "No backups yet in %s (one is taken after each completed job).\n", store.BackupDir(path))
		return nil
	}
	fmt.Fprintf(w, "Backups in %s, newest first (`shoebox recover --from-backup N --out NEW.db` restores one):\n",
		store.BackupDir(path))
	for i, b := range list {
		fmt.Fprintf(w, "  %d  %s\n", i+1, filepath.Base(b))
	}
	return nil
}

func cmdRecover(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("recover", stderr)
	out := fs.String("out", "", "the new library file to write (must not exist)")
	from := fs.String("from-backup", "", "restore backup N (1 = the newest, see `shoebox backups`) or latest instead")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return errors.New("--out NEW.db is required: recover never writes to the library it reads")
	}
	src, err := resolveLibrary(*db)
	if err != nil {
		return err
	}
	dst, err := filepath.Abs(*out)
	if err != nil {
		return err
	}
	if dst == src {
		return errors.New("--out must be a new file, not the library being recovered")
	}
	if *from != "" {
		backup, err := RestoreBackup(src, *from, dst)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Restored the backup %s into %s.\n", backup, dst)
	} else {
		rep, err := store.Recover(src, dst)
		if err != nil {
			return err
		}
		fmt.Fprint(stdout, describeRecovery(src, rep))
	}
	fmt.Fprintf(stdout, "%s was not changed. Use the new library with `--db %s` (or SHOEBOX_DB), or put it in "+
		"the old one's place: keep the old file aside, then `mv %s %s`.\n", src, shellQuote(dst), shellQuote(dst), shellQuote(src))
	return nil
}

// RestoreBackup restores the library's backup `which` (a number from 1 =
// the newest, or "latest") into the new file out and returns the backup used.
func RestoreBackup(libraryPath, which, out string) (string, error) {
	list, err := store.Backups(libraryPath)
	if err != nil {
		return "", err
	}
	n := 1
	if which != "latest" {
		if n, err = strconv.Atoi(which); err != nil || n < 1 {
			return "", fmt.Errorf("--from-backup takes a number from 1 (the newest) or latest, not %q", which)
		}
	}
	if n > len(list) {
		return "", fmt.Errorf("there is no backup %d of %s (%d in %s)", n, libraryPath, len(list), store.BackupDir(libraryPath))
	}
	return list[n-1], store.RestoreBackup(list[n-1], out)
}

// describeRecovery says what was saved and what was lost.
func describeRecovery(src string, rep *store.RecoverReport) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Recovered %s into %s: %d jobs and %d files saved", src, rep.Out, rep.Jobs, rep.Files)
	if rep.Changes > 0 {
		fmt.Fprintf(&b, ", and %d entries of the change runs' journal (undo works from them)", rep.Changes)
	}
	b.WriteString(".\n")
	if rep.ProblemCount == 0 && rep.LostFiles == 0 && rep.LostJobs == 0 && rep.LostChanges == 0 {
		b.WriteString("Nothing was lost.\n")
		return b.String()
	}
	fmt.Fprintf(&b, "Lost: %d file records, %d job records and %d journal entries that could not be decoded", rep.LostFiles, rep.LostJobs, rep.LostChanges)
	if rep.ProblemCount > 0 {
		fmt.Fprintf(&b, ", and whatever the damaged parts of the file held (%s)", count(rep.ProblemCount, "problem"))
	}
	b.WriteString(".\n")
	ids := make([]uint64, 0, len(rep.MissingByJob))
	for id := range rep.MissingByJob {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(a, c int) bool { return ids[a] < ids[c] })
	for _, id := range ids {
		fmt.Fprintf(&b, "  job %d: %d of its files are missing (a new scan of its folders analyses them again)\n",
			id, rep.MissingByJob[id])
	}
	if rep.Salvaged > 0 {
		fmt.Fprintf(&b, "%d records were read from pages cut off from the damaged index: they may be an earlier state of those files.\n", rep.Salvaged)
	}
	if rep.RebuiltJobs > 0 {
		fmt.Fprintf(&b, "%d jobs whose record was lost were rebuilt from their files.\n", rep.RebuiltJobs)
	}
	return b.String()
}

// shellQuote quotes a path for a command line shown to a person.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t'\"\\$`!*?&;|<>()[]{}#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// agree is the verb that agrees with a count: one for 1, many otherwise.
func agree(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// count is "1 problem", "2 problems".
func count(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
