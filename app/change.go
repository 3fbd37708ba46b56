package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"

	"shoebox/media"
	"shoebox/store"
)

// changeKind is the job kind of change runs: acting on duplicates (KindDups)
// and undoing such a run (KindUndo). Its items are the run's journal entries
// (store.ChangeItem), all stored when the run is created (ApplyPlan, Undo),
// so listing has nothing left to do. Doing one item checks the file against
// what the plan was made from, stores the intent, changes the file through
// one of the operations of change_ops.go, and verifies the result by its
// SHA-256; the engine commits the outcome with the run's progress.
type changeKind struct {
	lib     *Library
	job     store.Job    // as the run started: its ID, protected folders and quarantine
	bytes   atomic.Int64 // the run's Change.Bytes, counted on the writer
	hashes  hashCache    // the kept files' checksums, read once per run
	protect []string
}

var _ jobKind[store.ChangeItem, store.ChangeItem] = (*changeKind)(nil)

func newChangeKind(l *Library, j store.Job) *changeKind {
	k := &changeKind{lib: l, job: j}
	if j.Change != nil {
		k.bytes.Store(j.Change.Bytes)
		k.protect = j.Change.Protect
	}
	return k
}

// list: a change run is created with all its items (store.CreateChangeRun).
func (k *changeKind) list(_ context.Context, j *store.Job, _ func() error) error {
	counts, err := k.count(j.ID)
	if err != nil {
		return err
	}
	j.Listed = true
	j.ProgressTotal, j.ProgressCurrent = counts.total, counts.finished
	j.ErrorCount, j.SkippedCount = counts.errors, counts.skipped
	return k.lib.db.PutJob(j)
}

type changeCounts struct{ total, finished, errors, skipped, done int }

func (k *changeKind) count(jobID uint64) (changeCounts, error) {
	items, err := k.lib.db.Changes(jobID)
	var c changeCounts
	for _, it := range items {
		c.total++
		switch it.State {
		case store.ChangeDone:
			c.done++
		case store.ChangeError:
			c.errors++
		case store.ChangeSkipped:
			c.skipped++
		}
		if it.Finished() {
			c.finished++
		}
	}
	return c, err
}

func (k *changeKind) pendingAfter(jobID uint64, after []byte, n int) ([]store.ChangeItem, []byte, error) {
	return k.lib.db.UnfinishedChangesAfter(jobID, after, n)
}

func (k *changeKind) describeKey(key []byte) string {
	return fmt.Sprintf("change %d", be64(key[8:]))
}

func (k *changeKind) name(it store.ChangeItem) string { return it.Path }

// do does one item. It returns an error only when ctx was cancelled before
// the item's intent was stored; once it is, the operation is finished
// whatever happens to ctx, so that no file is left half moved.
func (k *changeKind) do(ctx context.Context, it store.ChangeItem) (store.ChangeItem, error) {
	if err := ctx.Err(); err != nil {
		return it, err
	}
	var op changeOp
	switch it.Op {
	case "quarantine":
		op = quarantineOp{k}
	case "trash":
		op = trashOp{k}
	case "hardlink":
		op = hardlinkOp{k}
	case "restore":
		op = restoreOp{k}
	case "copy":
		op = copyOp{k}
	case WriteXMP, WriteMtime, WriteEXIF, WriteQuickTime: // a dates run (dates_ops.go)
		op = datesOp{k}
	default:
		return finish(it, store.ChangeError, fmt.Sprintf("unknown operation %q", it.Op)), nil
	}
	if it.State == store.ChangeStarted {
		// Found started: the process stopped while acting on it. The disk
		// says how far it got; the operation carries on from there.
		return op.resume(it), nil
	}
	if reason := k.refused(it); reason != "" {
		return finish(it, store.ChangeError, reason), nil
	}
	it, ready, err := op.check(ctx, it)
	if err != nil || !ready {
		return it, err
	}
	k.step("checked")
	it.State, it.StartedAt = store.ChangeStarted, k.lib.opt.Now()
	if err := k.lib.db.PutChange(&it); err != nil {
		op.abandon(it)
		it.State, it.StartedAt = store.ChangePending, timeZero
		return finish(it, store.ChangeError, "the library could not record the change first, so the file was left alone: "+err.Error()), nil
	}
	k.step("intent stored")
	it = op.act(it)
	k.step("done")
	return it, nil
}

// changeOp is one of the operations a change run may do. check looks at the
// files before anything is stored: it returns ready false with the item
// finished (skipped or error) when the item must be left alone, and an error
// only when ctx was cancelled. act is called once the intent is stored, and
// resume when the item was found started after a crash; both return the
// item finished.
type changeOp interface {
	check(ctx context.Context, it store.ChangeItem) (store.ChangeItem, bool, error)
	act(it store.ChangeItem) store.ChangeItem
	resume(it store.ChangeItem) store.ChangeItem
	// abandon drops what check reserved when the intent cannot be stored.
	abandon(it store.ChangeItem)
}

// refused is the core's last word on an item, whatever made it: nothing
// under a protected folder is ever changed.
func (k *changeKind) refused(it store.ChangeItem) string {
	if it.Op == "restore" || it.Op == "copy" {
		return "" // putting a file back where it was, or copying it, is always allowed
	}
	if inProtected(it.Path, k.protect) {
		return "is in a protected folder: Shoebox never changes files there"
	}
	return ""
}

func (k *changeKind) apply(_ store.ChangeItem, res store.ChangeItem) (store.ChangeItem, outcome) {
	out := outcome{name: res.Path, err: res.Reason}
	k.haltWhenFull(res)
	switch res.State {
	case store.ChangeDone:
		out.status = media.StatusDone
		if res.Op != "restore" || res.Reason == "" {
			k.bytes.Add(res.Size)
		}
	case store.ChangeSkipped:
		out.status = media.StatusSkipped
	default:
		out.status = media.StatusError
	}
	return res, out
}

// step tells LibraryOptions.ChangeStep (crash tests) where a run is.
func (k *changeKind) step(name string) {
	if f := k.lib.opt.ChangeStep; f != nil {
		f(name)
	}
}

func (k *changeKind) commit(j *store.Job, done []store.ChangeItem) error {
	if j.Change == nil {
		j.Change = &store.ChangeRun{}
	}
	j.Change.Bytes = k.bytes.Load()
	var also []*store.Job
	if j.Kind == store.KindUndo && j.Status == store.StateCompleted {
		// The run undone is marked so in the same transaction.
		orig, err := k.lib.db.Job(j.Change.UndoOf)
		if err == nil && orig.Change != nil {
			orig.Change.Undone = true
			also = append(also, &orig)
		}
	}
	k.step("commit")
	err := k.lib.db.CommitChanges(j, done, also...)
	k.step("committed")
	return err
}

// resetFailed makes failed items pending again, for RetryFailed: only items
// that never started (their file was left where it was).
func (k *changeKind) resetFailed(j *store.Job) error {
	items, err := k.lib.db.Changes(j.ID)
	if err != nil {
		return err
	}
	var again []store.ChangeItem
	for _, it := range items {
		if it.State == store.ChangeError && it.StartedAt.IsZero() {
			it.State, it.Reason = store.ChangePending, ""
			again = append(again, it)
			j.ProgressCurrent--
			j.ErrorCount--
		}
	}
	return k.lib.db.CommitChanges(j, again)
}

// finish ends an item in state st for the reason given.
func finish(it store.ChangeItem, st store.ChangeState, reason string) store.ChangeItem {
	it.State, it.Reason = st, reason
	return it
}

// hashCache keeps the checksums of kept files, which many items of one
// group share, keyed by path, size and mtime.
type hashCache struct {
	mu sync.Mutex
	m  map[hashKey]string
}

type hashKey struct {
	path          string
	size, mtimeNS int64
}

func (c *hashCache) sum(ctx context.Context, path string, size, mtimeNS int64) (string, error) {
	key := hashKey{path, size, mtimeNS}
	c.mu.Lock()
	h, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return h, nil
	}
	h, err := sha256File(ctx, path)
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[hashKey]string{}
	}
	c.m[key] = h
	c.mu.Unlock()
	return h, nil
}

// sha256File is the hex SHA-256 of a file, read in chunks so a cancelled
// run stops within one.
func sha256File(ctx context.Context, path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	buf := make([]byte, 1<<20)
	for {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		n, err := f.Read(buf)
		h.Write(buf[:n])
		if err == io.EOF {
			return hex.EncodeToString(h.Sum(nil)), nil
		}
		if err != nil {
			return "", fmt.Errorf("%s: %w", path, err)
		}
	}
}
