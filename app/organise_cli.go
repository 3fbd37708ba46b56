package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"shoebox/media"
	"shoebox/store"
)

// cmdOrganise copies (or moves) every photo of the sources into a dated
// library at --to, after scanning the sources no scan has analysed; with
// --dry-run it prints what it would do and changes no file.
func cmdOrganise(args []string, stdout, stderr io.Writer) (code int, err error) {
	fs, db := newFlags("organise", stderr)
	var opt OrganiseOptions
	fs.StringVar(&opt.Dest, "to", "", "the library folder to organise into (required)")
	fs.StringVar(&opt.Template, "template", DefaultOrganiseTemplate, "the layout: {yyyy} {mm} {dd} {hh} {mi} {ss} {name} {stem} {ext} {camera} {root} {rel}")
	fs.BoolVar(&opt.Move, "move", false, "move each source to the quarantine once its copy is verified")
	fs.BoolVar(&opt.IncludeLow, "include-low", false, "file LOW-confidence dates by date too (default: to Unsorted/)")
	fs.BoolVar(&opt.NormaliseExt, "normalise-ext", false, "spell {ext} the usual way (jpeg -> jpg, tiff -> tif)")
	fs.BoolVar(&opt.MtimeFromDate, "mtime-taken", false, "give each copy its taken date as modification time (default: the source's)")
	dryRun := fs.Bool("dry-run", false, "print what would be done; change nothing")
	asJSON := fs.Bool("json", false, "print the ledger as JSON")
	sources, err := parseInterspersed(fs, args)
	if err != nil {
		return ExitFailure, err
	}
	if opt.Dest == "" {
		return ExitFailure, errors.New("name the destination folder with --to DEST")
	}
	opt.Sources = sources
	lib, err := openForCLI(*db, "organise")
	if err != nil {
		return ExitFailure, err
	}
	defer leaveOrClose(lib, &err)
	ctx := context.Background()
	plan, err := lib.PlanOrganise(ctx, opt)
	if err != nil {
		return ExitFailure, err
	}
	if len(plan.NotScanned) > 0 {
		fmt.Fprintf(stderr, "Scanning first: %s\n", strings.Join(plan.NotScanned, ", "))
		id, err := lib.Start(plan.NotScanned, DefaultSettings())
		if err != nil {
			return ExitFailure, err
		}
		if code, err := followJob(lib, id, stderr); code != ExitCompleted || err != nil {
			return code, err
		}
		if plan, err = lib.PlanOrganise(ctx, opt); err != nil {
			return ExitFailure, err
		}
	}
	if *dryRun {
		if *asJSON {
			return ExitCompleted, writeLedgerJSON(stdout, plan.Entries)
		}
		printPlan(stdout, plan)
		return ExitCompleted, nil
	}
	id, _, err := lib.Organise(ctx, opt)
	if err != nil {
		return ExitFailure, err
	}
	code, err = followJob(lib, id, stderr)
	if err != nil {
		return code, err
	}
	_, entries, lerr := lib.Ledger(id)
	if lerr != nil {
		return ExitFailure, lerr
	}
	if *asJSON {
		if err := writeLedgerJSON(stdout, entries); err != nil {
			return ExitFailure, err
		}
	}
	fmt.Fprintln(stderr, ledgerSummary(id, entries))
	return code, nil
}

// cmdLedger prints every input file's fate in an organise run.
func cmdLedger(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("ledger", stderr)
	asJSON := fs.Bool("json", false, "write JSON")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	var runID uint64
	switch len(pos) {
	case 0:
	case 1:
		if runID, err = strconv.ParseUint(pos[0], 10, 64); err != nil || runID == 0 {
			return fmt.Errorf("%q is not a run ID (see `shoebox runs`)", pos[0])
		}
	default:
		return errors.New("ledger takes at most one run ID")
	}
	lib, err := openToRead(*db)
	if err != nil {
		return err
	}
	defer lib.Close()
	j, entries, err := lib.Ledger(runID)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeLedgerJSON(stdout, entries)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FATE\tSOURCE\tWHERE\tREASON")
	for _, e := range entries {
		where := e.Dest
		if e.Of != "" {
			where = "of " + e.Of
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", e.Fate, ReadablePath(e.Source), ReadablePath(where), e.Reason)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(stdout, ledgerSummary(j.ID, entries))
	return nil
}

func writeLedgerJSON(w io.Writer, entries []LedgerEntry) error {
	if entries == nil {
		entries = []LedgerEntry{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(entries)
}

// ledgerSummary counts the fates and says whether the sources may be wiped.
func ledgerSummary(run uint64, entries []LedgerEntry) string {
	n := map[string]int{}
	for _, e := range entries {
		n[e.Fate]++
	}
	line := fmt.Sprintf("Run %d: %d filed, %d unsorted, %d duplicates, %d already in the library, %d left, %d errors.",
		run, n[store.FateFiled], n[store.FateUnsorted], n[store.FateDuplicate], n[store.FateAlready], n[store.FateLeft], n[store.FateError])
	if SafeToWipe(entries) {
		return line + " This source is safe to wipe: every file is in the library."
	}
	return line + " Do not wipe the source: not every file is proven to be in the library (`shoebox ledger` says which)."
}

// printPlan shows a dry run: the folders with their counts, the Unsorted
// count, the bytes to copy and every fate's count.
func printPlan(w io.Writer, p OrganisePlan) {
	fmt.Fprintf(w, "Organise into %s (template %s)%s:\n", p.Dest, p.Template, map[bool]string{true: ", moving the sources", false: ""}[p.Move])
	under := map[string]int{} // every folder of the tree, with the files below it
	for d, n := range p.Folders {
		for ; d != "" && d != "."; d = pathDir(d) {
			under[d] += n
		}
	}
	dirs := make([]string, 0, len(under))
	for d := range under {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		fmt.Fprintf(w, "  %s%s/  %s\n", strings.Repeat("  ", strings.Count(d, "/")), path.Base(d), count(under[d], "file"))
	}
	n := map[string]int{}
	for _, e := range p.Entries {
		n[e.Fate]++
	}
	fmt.Fprintf(w, "%d files to copy (%s), %d of them to Unsorted/; %d duplicates, %d already in the library, %d left, %d errors.\n",
		n[store.FateFiled]+n[store.FateUnsorted], media.SizeText(p.CopyBytes), p.Unsorted,
		n[store.FateDuplicate], n[store.FateAlready], n[store.FateLeft], n[store.FateError])
	fmt.Fprintln(w, "Nothing was changed (dry run). `shoebox organise` without --dry-run does it; --json lists every file's fate.")
}
