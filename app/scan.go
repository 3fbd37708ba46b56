package app

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"time"

	"shoebox/imagehash"
	"shoebox/media"
	"shoebox/processing"
	"shoebox/store"
)

// scanKind is the job kind that analyses every file under a job's folders:
// its items are the job's file records, doing one is processing.Analyze.
type scanKind struct {
	lib      *Library
	settings Settings
	// heifDecoder says heif-convert was on PATH when the scan started
	// (newScanKind): HEIC pictures can be hashed.
	heifDecoder bool
}

func newScanKind(l *Library, s Settings) scanKind {
	_, err := exec.LookPath(imagehash.HEIFTool)
	return scanKind{lib: l, settings: s, heifDecoder: err == nil}
}

var _ jobKind[store.FileRecord, media.Result] = scanKind{}

// list walks the roots and stores every file as pending (or as done, when an
// unchanged file's analysis can be reused), so the total is known and a
// resumed job continues exactly where it was.
//
// A pause stops the listing too (see engineOf.list): nothing more is stored,
// and resuming lists again (AddFiles keeps the records already stored).
func (k scanKind) list(ctx context.Context, j *store.Job, stop func() error) error {
	db := k.lib.db
	listed, err := listCompact(ctx, j.Roots, walkOptions{exclude: db.Path(), stop: stop})
	if err != nil {
		return err
	}
	// An unchanged file's analysis is reused (reuse). Files unchanged since
	// an earlier scan of the same folders are not stored again: the job is
	// stored over it (store.PlanListing), which fills the records in a
	// chunk at a time and drops those it need not store.
	// A pause or cancel is asked every 256 files, whichever way each goes.
	n := 0
	var stopped error
	stopEvery := func() error {
		if n++; n%256 == 0 && stopped == nil {
			stopped = stop()
		}
		return stopped
	}
	plan, err := db.PlanListing(j, listed, store.Reuse{
		Fill: func(r *store.FileRecord) ([]byte, error) {
			if err := stopEvery(); err != nil {
				return nil, err
			}
			if k.settings.Rehash || r.Status != media.StatusPending {
				return nil, nil
			}
			return k.reuse(r)
		},
		// What reuse asks of a record, from the path index alone. An
		// unhashed HEIC goes through Fill, which reads why in its note; so
		// does every file once stopped, and Fill returns the error.
		Keeps: func(s store.PathStamp) bool {
			return stopEvery() == nil && !k.settings.Rehash && media.AnalysisCurrentOf(s.Analysis, s.HEIF) &&
				!(k.heifDecoder && s.HEIF && !s.Hashed)
		},
	})
	listed = nil // the plan holds it now
	if err != nil {
		return err
	}
	if err := db.AddListing(j, plan); err != nil {
		return err
	}
	if err := k.store(j, plan, stop); err != nil {
		return err
	}
	// Count from the store: after a crash during listing some files were
	// already there, perhaps already analysed.
	counts, err := db.CountFiles(j.ID)
	if err != nil {
		return err
	}
	j.ProgressTotal = counts.Total
	j.ProgressCurrent = counts.Total - counts.Pending
	j.ErrorCount, j.SkippedCount, j.ReusedCount = counts.Error, counts.Skipped, counts.Reused
	return db.PutJob(j)
}

// store adds the listed files in chunks; the last chunk marks the job
// listed. A pause between chunks keeps what was stored, so the paused job
// agrees with its files once counted.
func (k scanKind) store(j *store.Job, plan *store.Listing, stop func() error) error {
	const chunk = 5000
	total, done := plan.Count(), 0
	err := plan.Chunks(chunk, func(recs []store.FileRecord) error {
		if err := stop(); err != nil {
			return err
		}
		done += len(recs)
		// The last chunk is stored with the job marked listed, in one
		// transaction. If it fails the job must not claim to be listed, or a
		// resume would find nothing left to do.
		j.Listed = done == total
		if _, err := k.lib.db.AddFiles(j, recs); err != nil {
			j.Listed = false
			return err
		}
		return nil
	})
	if errors.Is(err, errListingPaused) {
		return nil // count what was stored, so the paused job agrees with its files
	}
	if err != nil {
		return err
	}
	if total == 0 {
		j.Listed = true
	}
	return nil
}

// reuse copies the latest analysis of the same path when the file is
// unchanged: same size and mtime, and same change time and inode where the
// OS reports them. Failed files are never reused: they are tried again, and
// neither are analyses of an older media.AnalysisVersion (media.AnalysisCurrent)
// nor HEIC pictures left without a hash for want of heif-convert, once it
// is installed. It returns the key of the record copied when the copy
// differs from it only by its job (store.ReuseFunc).
func (k scanKind) reuse(rec *store.FileRecord) ([]byte, error) {
	prev, ok, err := k.lib.db.Previous(rec.AbsPath())
	if err != nil || !ok {
		return nil, err
	}
	if prev.Size != rec.Size || prev.MtimeNS != rec.MtimeNS ||
		(prev.CtimeNS != 0 && rec.CtimeNS != 0 && prev.CtimeNS != rec.CtimeNS) ||
		(prev.Inode != 0 && rec.Inode != 0 && prev.Inode != rec.Inode) {
		return nil, nil
	}
	if prev.Status != media.StatusDone && prev.Status != media.StatusSkipped {
		return nil, nil
	}
	if !media.AnalysisCurrent(prev.Analysis, prev.MIME) {
		return nil, nil // measured by an older Shoebox: analyse it again
	}
	if k.heifDecoder && media.IsHEIF(prev.MIME) && !prev.HasPHash && strings.Contains(prev.Note, imagehash.HEIFTool) {
		return nil, nil // scanned before heif-convert was installed: hash it now
	}
	keep := *rec
	*rec = prev
	rec.JobID, rec.RootIndex, rec.Root, rec.RelPath = keep.JobID, keep.RootIndex, keep.Root, keep.RelPath
	rec.CtimeNS, rec.Inode = keep.CtimeNS, keep.Inode
	rec.Reused = true
	if keep.CtimeNS != prev.CtimeNS || keep.Inode != prev.Inode || keep.Root != prev.Root {
		return nil, nil
	}
	return prev.Key(), nil
}

func (k scanKind) pendingAfter(jobID uint64, after []byte, n int) ([]store.FileRecord, []byte, error) {
	return k.lib.db.PendingAfter(jobID, after, n)
}

// describeKey is the path in a file key (job ID and root index come first).
func (k scanKind) describeKey(key []byte) string { return ReadablePath(string(key[10:])) }

func (k scanKind) name(rec store.FileRecord) string { return rec.RelPath }

func (k scanKind) do(ctx context.Context, rec store.FileRecord) (media.Result, error) {
	opt := processing.AnalyzeOptions{
		MinYear:    k.settings.MinYear,
		MaxPixels:  k.settings.MaxPixels,
		Budget:     k.lib.budget,
		ReadBudget: k.lib.readBudget,
		Timeout:    time.Duration(k.settings.FileTimeout),
		RunClock:   k.lib.runClock,
		Now:        k.lib.opt.Now(),
	}
	return k.lib.opt.Analyze(ctx, processing.Input{
		Path: rec.AbsPath(), RelPath: rec.RelPath, ModTime: rec.Mtime(), Size: rec.Size,
	}, opt)
}

func (k scanKind) apply(rec store.FileRecord, res media.Result) (store.FileRecord, outcome) {
	rec.ApplyResult(res, k.lib.opt.Now())
	return rec, outcome{name: rec.RelPath, status: rec.Status, err: rec.Error}
}

func (k scanKind) commit(j *store.Job, done []store.FileRecord) error {
	return k.lib.db.CommitBatch(j, done)
}

func (k scanKind) resetFailed(j *store.Job) error {
	_, err := k.lib.db.ResetErrors(j)
	return err
}
