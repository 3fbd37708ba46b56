package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"shoebox/store"
)

// undoableKind says which change runs undo reverses: acting on duplicates
// and organising.
func undoableKind(k store.JobKind) bool {
	return k == store.KindDups || k == store.KindOrganise || k == store.KindDates
}

// changeRunSettings are the engine settings of a change run. An organise
// run, and its undo, take one file at a time in the journal's order: a
// source is moved only after its copy is verified, a duplicate only after
// the copy holding its bytes, and on undo a copy is removed only after its
// source is back.
func (l *Library) changeRunSettings(j store.Job, s Settings) Settings {
	organise := j.Kind == store.KindOrganise || j.Kind == store.KindDates // a file's date and then its time, in order
	if j.Kind == store.KindUndo && j.Change != nil {
		if orig, err := l.db.Job(j.Change.UndoOf); err == nil && (orig.Kind == store.KindOrganise || orig.Kind == store.KindDates) {
			organise = true
		}
	}
	if organise {
		s.Workers = 1
	}
	return s
}

// Organise plans as PlanOrganise does and starts the run that does it, after
// a backup of the library. It returns the run's ID and its plan; the run
// goes on in the background like a scan, and appears in Runs with kind
// organise. Sources that no scan has analysed are refused: scan them first
// (the command line does so itself).
func (l *Library) Organise(ctx context.Context, opt OrganiseOptions) (uint64, OrganisePlan, error) {
	p, err := l.PlanOrganise(ctx, opt)
	if err != nil {
		return 0, p, err
	}
	if len(p.NotScanned) > 0 {
		return 0, p, fmt.Errorf("%s has not been scanned: scan it first, so every file's date and bytes are known", p.NotScanned[0])
	}
	prefs, err := l.db.ChangePreferences()
	if err != nil {
		return 0, p, err
	}
	protect, err := cleanProtect(prefs.Protect)
	if err != nil {
		return 0, p, err
	}
	action := "copy"
	if p.Move {
		action = "move"
	}
	j := store.Job{Kind: store.KindOrganise, Roots: p.Sources, Status: store.StatePending, CreatedAt: l.opt.Now(),
		Change: &store.ChangeRun{Action: action, Protect: protect, Quarantine: QuarantineDir(l.Path())}}
	for _, it := range p.items { // the ledger's entries with nothing to do count as skipped from the start
		if it.Finished() {
			j.ProgressCurrent++
			j.SkippedCount++
		}
	}
	id, err := l.startChangeRun(j, p.items, nil)
	return id, p, err
}

// Ledger is every input file's fate in organise run runID (0: the latest),
// as the run's journal holds it now: the planned fate, corrected by what
// happened (an error, a file left because it changed), with Verified set
// for each file whose bytes are proven in the library.
func (l *Library) Ledger(runID uint64) (store.Job, []LedgerEntry, error) {
	j, err := l.organiseRun(runID)
	if err != nil {
		return j, nil, err
	}
	items, err := l.db.Changes(j.ID)
	if err != nil {
		return j, nil, err
	}
	var out []LedgerEntry
	at := map[string]int{}
	for _, it := range items {
		if it.Organise == nil {
			continue
		}
		if i, ok := at[it.Path]; ok { // the source's move after its copy
			e := &out[i]
			if (it.State == store.ChangeError || it.State == store.ChangeSkipped) && e.Verified {
				e.Reason = "filed, but the source was left in place: " + it.Reason
			}
			continue
		}
		at[it.Path] = len(out)
		out = append(out, ledgerEntry(it))
	}
	proven := map[string]bool{}
	for _, e := range out {
		if e.Verified && e.Fate != store.FateDuplicate {
			proven[e.Dest] = true
			proven[e.Of] = true
		}
	}
	for i := range out {
		if out[i].Fate == store.FateDuplicate && !proven[out[i].Of] {
			out[i].Verified = false // the copy holding its bytes was not made
		}
	}
	return j, out, nil
}

// ledgerEntry is one item's fate as the ledger shows it. A file is
// Verified when its copy was verified, or (a duplicate, a file already in
// the library) when nothing since contradicted the plan's proof: with
// --move, its move checked the library's copy again by SHA-256.
func ledgerEntry(it store.ChangeItem) LedgerEntry {
	o := it.Organise
	e := LedgerEntry{Source: it.Path, Fate: o.Fate, Of: o.Of, Reason: it.Reason, Size: it.Size}
	switch {
	case !it.Finished():
		e.Reason = "not done yet: the run has not finished"
		if it.Op == "copy" {
			e.Dest = it.Dest
		}
	case it.Op == "copy" && o.Fate == store.FateAlready: // found in place when the run came to it
		e.Verified = true
	case it.Op == "copy" && it.State == store.ChangeDone:
		e.Dest, e.Verified = it.Dest, true
	case it.Op == "copy" && it.State == store.ChangeError:
		e.Fate = store.FateError
	case it.Op == "copy":
		e.Fate = store.FateLeft
	case it.Op == "ledger":
		e.Verified = o.Fate == store.FateAlready || o.Fate == store.FateDuplicate
	case it.State == store.ChangeDone: // the source moved once its bytes were proven in the library
		e.Verified, e.Reason = true, ""
	default:
		e.Reason = "left in place: " + it.Reason
	}
	return e
}

// SafeToWipe says whether every source file of a ledger is filed or proven
// to be in the library: only then may a person wipe the source.
func SafeToWipe(entries []LedgerEntry) bool {
	for _, e := range entries {
		switch e.Fate {
		case store.FateFiled, store.FateUnsorted, store.FateAlready, store.FateDuplicate:
			if !e.Verified {
				return false
			}
		default:
			return false
		}
	}
	return len(entries) > 0
}

// organiseRun is organise run id, or the latest one.
func (l *Library) organiseRun(id uint64) (store.Job, error) {
	if id != 0 {
		j, err := l.Job(id)
		if err != nil {
			return j, err
		}
		if j.Kind != store.KindOrganise {
			return j, fmt.Errorf("job %d is a %s, not an organise run", id, kindName(j))
		}
		return j, nil
	}
	jobs, err := l.Jobs()
	if err != nil && (!errors.Is(err, store.ErrDamaged) || len(jobs) == 0) {
		return store.Job{}, err
	}
	for _, j := range jobs {
		if j.Kind == store.KindOrganise {
			return j, nil
		}
	}
	return store.Job{}, errors.New("the library has no organise run yet (see `shoebox organise`)")
}

// OrganiseExample is where a sample photo (IMG_1234.HEIC taken on 3 June
// 2019 at 10:15:30 by an Apple iPhone 13, in DCIM/100APPLE of a folder
// named Card) would go with opt's Template (default
// DefaultOrganiseTemplate) and NormaliseExt, for a live example beside the
// template in the window; an error says what is wrong with the template.
func OrganiseExample(opt OrganiseOptions) (string, error) {
	if opt.Template == "" {
		opt.Template = DefaultOrganiseTemplate
	}
	if err := checkTemplate(opt.Template); err != nil {
		return "", err
	}
	in := templateInput{taken: time.Date(2019, 6, 3, 10, 15, 30, 0, time.UTC), name: "IMG_1234.HEIC",
		camera: "Apple iPhone 13", root: "Card", rel: "DCIM/100APPLE", normaliseExt: opt.NormaliseExt}
	return renderTemplate(opt.Template, in), nil
}
