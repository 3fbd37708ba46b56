package app

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"shoebox/media"
	"shoebox/store"
)

// doubling is a job kind that has nothing to do with files: its items are
// the numbers 1..count, doing one doubles it, and numbers that fail(n) fail.
// It keeps its items in memory and stores only the job. Running it through
// the engine shows the engine is general: batches, the flush, pause and
// resume, and the error threshold are the engine's, not the scan's.
type doubling struct {
	db    *store.DB
	count int
	fail  func(n int) bool
	gate  func(n int) // called before doing n, on a worker

	mu      sync.Mutex
	items   map[int]*number
	done    map[int]int // times each number was done
	commits []int       // the size of each commit
}

type number struct {
	n, doubled int
	status     media.Status
	err        string
}

var _ jobKind[number, int] = (*doubling)(nil)

func numberKey(n int) []byte { return binary.BigEndian.AppendUint64(nil, uint64(n)) }

func (d *doubling) list(ctx context.Context, j *store.Job, stop func() error) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.items == nil {
		d.items, d.done = map[int]*number{}, map[int]int{}
	}
	for n := 1; n <= d.count; n++ {
		if err := stop(); err != nil {
			return err
		}
		if d.items[n] == nil {
			d.items[n] = &number{n: n, status: media.StatusPending}
		}
	}
	j.Listed, j.ProgressTotal = true, d.count
	return d.db.PutJob(j)
}

func (d *doubling) pendingAfter(_ uint64, after []byte, limit int) ([]number, []byte, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	from := 1
	if after != nil {
		from = int(binary.BigEndian.Uint64(after)) + 1
	}
	var out []number
	var last []byte
	for n := from; n <= d.count && len(out) < limit; n++ {
		if it := d.items[n]; it.status == media.StatusPending {
			out, last = append(out, *it), numberKey(n)
		}
	}
	return out, last, nil
}

func (d *doubling) describeKey(key []byte) string {
	return fmt.Sprint(binary.BigEndian.Uint64(key))
}

func (d *doubling) name(it number) string { return fmt.Sprint(it.n) }

func (d *doubling) do(ctx context.Context, it number) (int, error) {
	if d.gate != nil {
		d.gate(it.n)
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	d.mu.Lock()
	d.done[it.n]++
	d.mu.Unlock()
	return 2 * it.n, nil
}

func (d *doubling) apply(it number, doubled int) (number, outcome) {
	it.doubled, it.status = doubled, media.StatusDone
	if d.fail != nil && d.fail(it.n) {
		it.status, it.err = media.StatusError, "odd one out"
	}
	return it, outcome{name: fmt.Sprint(it.n), status: it.status, err: it.err}
}

func (d *doubling) commit(j *store.Job, done []number) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(done) > 0 {
		d.commits = append(d.commits, len(done))
	}
	for _, it := range done {
		*d.items[it.n] = it
	}
	return d.db.PutJob(j)
}

func (d *doubling) resetFailed(j *store.Job) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, it := range d.items {
		if it.status == media.StatusError {
			it.status, it.err = media.StatusPending, ""
			j.ProgressCurrent--
			j.ErrorCount--
		}
	}
	return d.db.PutJob(j)
}

// withStatus counts the numbers in one state.
func (d *doubling) withStatus(st media.Status) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	c := 0
	for _, it := range d.items {
		if it.status == st {
			c++
		}
	}
	return c
}

// startDoubling runs a doubling job on a fresh library.
func startDoubling(t *testing.T, d *doubling, s Settings) (*Library, uint64) {
	t.Helper()
	lib := openTestLibrary(t, nil)
	d.db = lib.db
	lib.kinds = func(*Library, store.Job, Settings) kindStages { return stagesOf[number, int](d) }
	raw, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	j := store.Job{Status: store.StatePending, CreatedAt: time.Now(), Settings: raw}
	if err := lib.db.CreateJob(&j); err != nil {
		t.Fatal(err)
	}
	s = s.WithDefaults()
	if err := lib.launch(j, s, lib.kindOf(j, s)); err != nil {
		t.Fatal(err)
	}
	return lib, j.ID
}

func TestEngineRunsAnyKindInBatches(t *testing.T) {
	d := &doubling{count: 95}
	lib, id := startDoubling(t, d, Settings{Workers: 2, BatchSize: 10, FlushInterval: Duration(time.Hour)})
	if st := lib.Wait(id); st != store.StateCompleted {
		t.Fatalf("state %s", st)
	}
	// 9 full batches of 10, then the last 5 with the final state.
	if want := []int{10, 10, 10, 10, 10, 10, 10, 10, 10, 5}; !slices.Equal(d.commits, want) {
		t.Errorf("commits %v, want %v", d.commits, want)
	}
	for n, it := range d.items {
		if it.doubled != 2*n || d.done[n] != 1 {
			t.Errorf("%d: doubled %d, done %d times", n, it.doubled, d.done[n])
		}
	}
	j, _ := lib.Job(id)
	if j.ProgressCurrent != 95 || j.ProgressTotal != 95 || j.ErrorCount != 0 {
		t.Errorf("job %d/%d, %d errors", j.ProgressCurrent, j.ProgressTotal, j.ErrorCount)
	}
}

func TestEngineFlushesAnyKindOnTime(t *testing.T) {
	release := make(chan struct{})
	d := &doubling{count: 3, gate: func(n int) {
		if n == 2 {
			<-release // the second number takes "forever"
		}
	}}
	lib, id := startDoubling(t, d, Settings{Workers: 1, BatchSize: 100, FlushInterval: Duration(20 * time.Millisecond)})
	defer close(release)
	for deadline := time.Now().Add(5 * time.Second); d.withStatus(media.StatusDone) == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the first result was never committed by the flush timer")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if j, _ := lib.Job(id); j.ProgressCurrent != 1 {
		t.Errorf("the stored job says %d done, want 1", j.ProgressCurrent)
	}
}

func TestEnginePausesAndResumesAnyKind(t *testing.T) {
	reached, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	d := &doubling{count: 200, gate: func(n int) {
		if n == 50 {
			once.Do(func() { close(reached); <-release })
		}
	}}
	lib, id := startDoubling(t, d, Settings{Workers: 2, BatchSize: 7})
	<-reached
	if err := lib.Pause(id); err != nil {
		t.Fatal(err)
	}
	close(release)
	if st := lib.Wait(id); st != store.StatePaused {
		t.Fatalf("state %s after pause", st)
	}
	j, _ := lib.Job(id)
	done := d.withStatus(media.StatusDone)
	if done < 50 || done >= 200 || j.ProgressCurrent != done {
		t.Fatalf("paused with %d numbers done, the job says %d", done, j.ProgressCurrent)
	}
	if err := lib.Resume(id); err != nil {
		t.Fatal(err)
	}
	if st := lib.Wait(id); st != store.StateCompleted {
		t.Fatalf("state %s after resume", st)
	}
	for n := 1; n <= 200; n++ {
		if d.done[n] != 1 {
			t.Errorf("%d done %d times", n, d.done[n])
		}
	}
	if j, _ := lib.Job(id); j.ProgressCurrent != 200 {
		t.Errorf("the job says %d done", j.ProgressCurrent)
	}
}

func TestEngineHaltsAnyKindOnTooManyFailures(t *testing.T) {
	d := &doubling{count: 500, fail: func(n int) bool { return n%4 == 0 }} // 25% fail
	lib, id := startDoubling(t, d, Settings{Workers: 2, BatchSize: 10, MaxErrorRate: 0.2, MinSample: 40})
	if st := lib.Wait(id); st != store.StateHalted {
		t.Fatalf("state %s, want HALTED", st)
	}
	j, _ := lib.Job(id)
	if j.ProgressCurrent >= 500 || j.ProgressCurrent < 40 || !strings.Contains(j.ErrorMessage, "over the 20% limit") ||
		!strings.Contains(j.ErrorMessage, ": odd one out") {
		t.Fatalf("halted at %d: %q", j.ProgressCurrent, j.ErrorMessage)
	}
	// The person goes on: the failures so far are accepted, and the rest,
	// failing as much, halts again only after a new minimum sample.
	if err := lib.Resume(id); err != nil {
		t.Fatal(err)
	}
	if st := lib.Wait(id); st != store.StateHalted {
		t.Fatalf("state %s after resume, want HALTED again", st)
	}
	again, _ := lib.Job(id)
	if again.AcceptedProcessed != j.ProgressCurrent || again.ProgressCurrent < j.ProgressCurrent+40 {
		t.Errorf("accepted %d (halted at %d), halted again at %d", again.AcceptedProcessed, j.ProgressCurrent, again.ProgressCurrent)
	}
	// With a threshold that tolerates the failures the job completes, and
	// retrying the failed numbers (which now succeed) cannot halt it.
	d.fail = nil
	if err := lib.RetryFailed(id); err != nil {
		t.Fatal(err)
	}
	if st := lib.Wait(id); st != store.StateCompleted {
		t.Fatalf("state %s after retrying", st)
	}
	if n := d.withStatus(media.StatusDone); n != 500 {
		t.Errorf("%d numbers done", n)
	}
}
