package store

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"

	bolt "go.etcd.io/bbolt"

	"shoebox/media"
)

// RecoverReport tells what Recover saved and what it lost.
type RecoverReport struct {
	Out           string
	Jobs, Files   int            // records copied
	LostJobs      int            // job records that could not be read
	LostFiles     int            // file records that could not be read
	Changes       int            // change-run journal items copied (undo needs them)
	LostChanges   int            // journal items that could not be read
	Problems      []string       // damage met in the file, in words
	ProblemCount  int            // all of it (a damaged page may hold many records)
	MissingByJob  map[uint64]int // files a job lists that were not saved
	SavedJobIDs   []uint64
	JobsWithFiles map[uint64]int // files saved per job
	// Salvaged counts the records read from pages cut off from the damaged
	// tree: they may be older versions of the records (an earlier state).
	Salvaged int
	// RebuiltJobs counts the jobs whose record was lost but whose files were
	// saved: their record is rebuilt from the files.
	RebuiltJobs int
}

// recoverBatch is how many file records go into one transaction of the new library.
const recoverBatch = 2000

// Recover copies every readable job and file record of the library at src
// into a new library at out (which must not exist), rebuilding the indexes
// from the records. It reads src with plain reads (walkFile): never through
// bbolt, never with a lock or a write, so a damaged file cannot crash it and
// is left exactly as it was.
func Recover(src, out string) (*RecoverReport, error) {
	if _, err := os.Stat(src); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w at %s", ErrNoLibrary, src)
	}
	if _, err := os.Stat(out); err == nil {
		return nil, fmt.Errorf("%s already exists: choose a new file for the recovered library", out)
	}
	dst, err := Open(out, Options{})
	if err != nil {
		return nil, err
	}
	rep := &RecoverReport{Out: out, MissingByJob: map[uint64]int{}, JobsWithFiles: map[uint64]int{}}
	wr := &recoverWriter{dst: dst, rep: rep}
	jobs := map[uint64]Job{}
	seen := map[string]bool{}
	rc := recoveredChanges{items: map[string]ChangeItem{}}
	problems, n, werr := walkFile(src, func(bucket, k, v []byte) {
		switch string(bucket) {
		case string(bucketFiles):
			if isGone(v) && len(k) >= 10 {
				wr.gone = append(wr.gone, bytes.Clone(k))
				return
			}
			r, ok := asFileRecord(k, v)
			if !ok {
				rep.LostFiles++
				return
			}
			seen[string(k)] = true
			wr.add(r)
		case string(bucketJobs):
			j, ok := asJob(k, v)
			if !ok {
				rep.LostJobs++
				return
			}
			jobs[j.ID] = j
		case string(bucketChanges):
			rc.add(k, v, false)
		case string(bucketMeta):
			if string(k) == string(keyPrefs) {
				rc.prefs = append([]byte(nil), v...)
			}
		}
	})
	wr.flush()
	if werr == nil && n > 0 {
		// The tree is damaged: records on pages cut off from it are still
		// in the file.
		rep.Salvaged = salvage(src, seen, jobs, wr.add)
		rep.Salvaged += rc.salvage(src)
		wr.flush()
	}
	writeErr := wr.err
	if werr == nil && writeErr == nil {
		writeErr = rc.write(dst)
		rep.Changes, rep.LostChanges = len(rc.items), rc.lost
	}
	if werr == nil && writeErr == nil {
		rebuildLostJobs(jobs, rep, dst)
		writeErr = writeRecoveredJobs(dst, jobs, rep)
	}
	rep.Problems, rep.ProblemCount = problems, n
	if cerr := dst.Close(); writeErr == nil {
		writeErr = cerr
	}
	if werr != nil || writeErr != nil {
		os.Remove(out)
		if werr != nil {
			return nil, &DamagedError{Path: src, Detail: "nothing can be recovered: " + werr.Error()}
		}
		return nil, fmt.Errorf("cannot write the recovered library %s: %w", out, writeErr)
	}
	return rep, nil
}

// recoverWriter writes recovered file records to the new library in batches.
type recoverWriter struct {
	dst   *DB
	rep   *RecoverReport
	batch []FileRecord
	gone  [][]byte // jobs' marks for files of their base they did not find (view.go)
	err   error
}

func (w *recoverWriter) add(r FileRecord) {
	w.batch = append(w.batch, r)
	if len(w.batch) >= recoverBatch {
		w.flush()
	}
}

// flush writes the batch with the indexes rebuilt by putFile.
func (w *recoverWriter) flush() {
	if (len(w.batch) > 0 || len(w.gone) > 0) && w.err == nil {
		w.err = w.dst.update(func(tx *bolt.Tx) error {
			for _, k := range w.gone {
				if err := tx.Bucket(bucketFiles).Put(k, goneValue); err != nil {
					return err
				}
			}
			for i := range w.batch {
				if err := putFile(tx, w.batch[i].Key(), &w.batch[i]); err != nil {
					return err
				}
			}
			return nil
		})
		if w.err == nil {
			for _, r := range w.batch {
				w.rep.Files++
				w.rep.JobsWithFiles[r.JobID]++
			}
		}
	}
	w.batch, w.gone = w.batch[:0], nil
}

// writeRecoveredJobs stores the jobs and keeps the ID sequence past them, so
// the next scan in the new library gets a new ID.
func writeRecoveredJobs(dst *DB, byID map[uint64]Job, rep *RecoverReport) error {
	jobs := make([]Job, 0, len(byID))
	for _, j := range byID {
		jobs = append(jobs, j)
	}
	sort.Slice(jobs, func(a, b int) bool { return jobs[a].ID < jobs[b].ID })
	return dst.update(func(tx *bolt.Tx) error {
		counts := make([]FileCounts, len(jobs))
		for i := range jobs {
			counts[i], _ = countView(tx, jobs[i].ID, jobs[i].Base, pageDropper{})
		}
		var maxID uint64
		for i := range jobs {
			j := &jobs[i]
			maxID = max(maxID, j.ID)
			rep.Jobs++
			rep.SavedJobIDs = append(rep.SavedJobIDs, j.ID)
			// The job's counts say what the new library holds, so that the
			// job and its files (or a change run's items) agree: a lost
			// file is not counted as done.
			c, saved := counts[i], rep.JobsWithFiles[j.ID]
			if j.Base != 0 {
				saved = c.Total // most of its files are its base's (view.go)
			}
			if j.Change != nil {
				c = changeCounts(tx, j.ID)
				saved = c.Total
			}
			if miss := j.ProgressTotal - saved; j.Listed && miss > 0 {
				rep.MissingByJob[j.ID] = miss
			}
			j.ProgressTotal, j.ProgressCurrent = c.Total, c.Total-c.Pending
			j.ErrorCount, j.SkippedCount, j.ReusedCount = c.Error, c.Skipped, c.Reused
			j.AcceptedProcessed, j.AcceptedErrors = min(j.AcceptedProcessed, j.ProgressCurrent), min(j.AcceptedErrors, j.ErrorCount)
			if err := putJob(tx, j); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketJobs).SetSequence(maxID)
	})
}

// asFileRecord decodes a files-bucket entry, checking that it is one.
func asFileRecord(k, v []byte) (FileRecord, bool) {
	var r FileRecord
	if len(k) < 10 || decodeFile(k, v, &r) != nil || string(r.Key()) != string(k) {
		return r, false
	}
	return r, true
}

// asJob decodes a jobs-bucket entry, checking that it is one.
func asJob(k, v []byte) (Job, bool) {
	var j Job
	if len(k) != 8 || len(v) == 0 || v[0] != '{' || decodeJob(v, &j) != nil || be.Uint64(k) != j.ID || j.ID == 0 {
		return j, false
	}
	return j, true
}

// salvage reads the records of every leaf page of src that the tree walk did
// not reach. Freed pages hold older versions of records, so among several
// versions of one record the furthest along wins: the file analysed last,
// the job with the most progress.
func salvage(src string, seen map[string]bool, jobs map[uint64]Job, add func(FileRecord)) int {
	files := map[string]FileRecord{}
	found := map[uint64]Job{}
	_ = salvageLeaves(src, func(k, v []byte) {
		if r, ok := asFileRecord(k, v); ok && !seen[string(k)] {
			if old, dup := files[string(k)]; !dup || laterFile(r, old) {
				files[string(k)] = r
			}
		} else if j, ok := asJob(k, v); ok {
			if _, inTree := jobs[j.ID]; inTree {
				return
			}
			if old, dup := found[j.ID]; !dup || j.ProgressCurrent > old.ProgressCurrent ||
				j.ProgressCurrent == old.ProgressCurrent && j.CompletedAt.After(old.CompletedAt) {
				found[j.ID] = j
			}
		}
	})
	keys := make([]string, 0, len(files))
	for k := range files {
		keys = append(keys, k)
	}
	sort.Strings(keys) // key order: the path index ends with each path's latest job
	for _, k := range keys {
		add(files[k])
	}
	for id, j := range found {
		jobs[id] = j
	}
	return len(files) + len(found)
}

func laterFile(a, b FileRecord) bool {
	if (a.Status == media.StatusPending) != (b.Status == media.StatusPending) {
		return b.Status == media.StatusPending
	}
	return a.AnalysedAt.After(b.AnalysedAt)
}

// rebuildLostJobs makes a job record for saved files whose job record was
// lost, so they can be seen: roots and counts come from the files; it is
// COMPLETED when none is pending, else PAUSED (interrupted) so it resumes.
func rebuildLostJobs(jobs map[uint64]Job, rep *RecoverReport, dst *DB) {
	for id := range rep.JobsWithFiles {
		if _, ok := jobs[id]; ok {
			continue
		}
		files, _ := dst.Files(id)
		j := Job{ID: id, Listed: true, Status: StateCompleted,
			ErrorMessage: "rebuilt by shoebox recover: the job record was lost; its counts are those of the files saved"}
		for _, f := range files {
			for len(j.Roots) <= f.RootIndex {
				j.Roots = append(j.Roots, "")
			}
			j.Roots[f.RootIndex] = f.Root
			j.ProgressTotal++
			switch f.Status {
			case media.StatusPending:
				j.Status, j.Interrupted = StatePaused, true
				continue
			case media.StatusError:
				j.ErrorCount++
			case media.StatusSkipped:
				j.SkippedCount++
			}
			j.ProgressCurrent++
		}
		jobs[id] = j
		rep.RebuiltJobs++
	}
}
