package ui

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"shoebox/app"
	"shoebox/media"
	"shoebox/store"
)

// dupFile is a record of a file in a group: its own bytes unless sha says.
func dupFile(rel, sha string) store.FileRecord {
	r := rec(rel, media.ConfidenceHigh, media.StatusDone, "2019-07-04T15:30:12")
	r.SHA256 = strings.Repeat(sha, 64/len(sha))
	return r
}

// exactGroup is n copies of one file in n folders.
func exactGroup(sha string, n int) store.DupGroup {
	g := store.DupGroup{SHA256: strings.Repeat(sha, 64/len(sha))}
	for i := range n {
		g.Files = append(g.Files, dupFile(fmt.Sprintf("folder%03d/IMG_%s.jpg", i, sha), sha))
	}
	return g
}

// showDups starts a scan and opens Duplicates on it, everything inline.
func showDups(t *testing.T, f *fakeEngine) *UI {
	t.Helper()
	u := newTestUI(t, f)
	u.startJob([]string{"/photos"})
	f.jobs = []store.Job{{ID: 1, Roots: []string{"/photos"}}}
	f.emit(app.Progress{JobID: 1, State: store.StateCompleted, Current: 7, Total: 7})
	u.flush()
	u.tabs.SelectIndex(tabDuplicates)
	return u
}

var countIn = regexp.MustCompile(`\((\d+)\)`)

// kindCount is the number in a choice such as "Exact copies (3)".
func kindCount(t *testing.T, option string) int {
	t.Helper()
	m := countIn.FindStringSubmatch(option)
	if m == nil {
		t.Fatalf("no count in %q", option)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// checkCountsAgree: the choices' counts, the summary and the list say the
// same numbers.
func checkCountsAgree(t *testing.T, u *UI, exact, near int) {
	t.Helper()
	v := u.dups
	if a, e, n := kindCount(t, v.kind.Options[0]), kindCount(t, v.kind.Options[1]), kindCount(t, v.kind.Options[2]); a != exact+near || e != exact || n != near {
		t.Errorf("choices %v, want %d exact and %d look-alike groups", v.kind.Options, exact, near)
	}
	for i, want := range []int{exact + near, exact, near} {
		v.kind.SetSelected(v.kind.Options[i])
		if v.list.Length() != want || len(v.groups) != want {
			t.Errorf("%q lists %d groups, want %d", v.kind.Selected, v.list.Length(), want)
		}
	}
	v.kind.SetSelected(v.kind.Options[0])
	if exact > 0 && !strings.Contains(v.summary.Text, plural(exact, "group")+" of exact copies") {
		t.Errorf("summary %q, want %d exact groups", v.summary.Text, exact)
	}
	if near > 0 && !strings.Contains(v.summary.Text, plural(near, "group")+" of look-alikes") {
		t.Errorf("summary %q, want %d look-alike groups", v.summary.Text, near)
	}
}

// The view opens on this scan's own groups, says where it looked, and the
// whole library is one choice away; counts follow the scope and agree.
func TestDuplicatesScopeSwitchChangesCounts(t *testing.T) {
	f := newFake()
	a, b := dupFile("x/a.jpg", "a1"), dupFile("y/b.jpg", "b1")
	f.dups = app.Duplicates{
		Exact: []store.DupGroup{exactGroup("aa", 2), exactGroup("bb", 3)},
		Near:  []store.DupGroup{{Near: true, MaxDistance: 2, Files: []store.FileRecord{a, b}}},
	}
	f.jobDups = &app.Duplicates{Exact: []store.DupGroup{exactGroup("aa", 2)}}
	u := showDups(t, f)
	v := u.dups
	if v.scope.Selected != scopeJobText || len(f.dupScopes) == 0 || f.dupScopes[len(f.dupScopes)-1] != app.ScopeJob {
		t.Fatalf("scope shown %q, asked %v: want this scan first", v.scope.Selected, f.dupScopes)
	}
	if !strings.Contains(v.where.Text, "/photos") {
		t.Errorf("the scope does not say where it looks: %q", v.where.Text)
	}
	checkCountsAgree(t, u, 1, 0)
	v.scope.SetSelected(scopeLibraryText)
	if got := f.dupScopes[len(f.dupScopes)-1]; got != app.ScopeLibrary {
		t.Fatalf("whole library asked with scope %v", got)
	}
	if opts := f.ch.planOpts; len(opts) == 0 || opts[len(opts)-1].Scope != app.ScopeLibrary {
		t.Errorf("the plan was not made for the whole library: %+v", opts)
	}
	if !strings.Contains(v.where.Text, "anywhere in the library") {
		t.Errorf("library scope says %q", v.where.Text)
	}
	checkCountsAgree(t, u, 2, 1)
	v.scope.SetSelected(scopeJobText)
	checkCountsAgree(t, u, 1, 0)
}

// cardImages counts the thumbnails of cards under o: the cards made.
func cardImages(o fyne.CanvasObject) int {
	n := 0
	eachVisible(o, func(o fyne.CanvasObject) bool {
		if w, ok := o.(*canvas.Image); ok && w.MinSize() == fyne.NewSize(dupThumbSide, dupThumbH) {
			n++
		}
		return true
	})
	return n
}

// A group of 200 copies makes the cards its row shows, and "Show all"
// opens a grid that makes only the cards on screen.
func TestLargeGroupMakesOnlyTheVisibleCards(t *testing.T) {
	f := newFake()
	f.dups = app.Duplicates{Exact: []store.DupGroup{exactGroup("cc", 200)}}
	u := showDups(t, f)
	u.win.Resize(fyne.NewSize(1100, 720))
	v := u.dups
	fit := cardsThatFit(v.list.Size().Width)
	made := cardImages(v.list)
	if made == 0 || made > fit {
		t.Fatalf("the row made %d cards; %d fit", made, fit)
	}
	thumbs := 0
	for _, c := range f.Calls() {
		if strings.HasPrefix(c, "thumb ") {
			thumbs++
		}
	}
	if thumbs > fit {
		t.Errorf("%d thumbnails asked for, %d cards fit", thumbs, fit)
	}
	all := findButton(v.list, "Show all 200 files")
	if all == nil {
		t.Fatalf("no Show all:\n%s", joined(v.list))
	}
	test.Tap(all)
	top := u.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("Show all opened nothing")
	}
	if n := cardImages(top); n == 0 || n > 40 {
		t.Errorf("the grid made %d cards of 200; want only those on screen", n)
	}
}

// A look-alike group shows each picture once: exact copies of one of its
// files share that file's card, which says so.
func TestLookAlikeGroupsDoNotRepeatExactCopies(t *testing.T) {
	f := newFake()
	a1, a2, b := dupFile("x/a.jpg", "a1"), dupFile("y/a.jpg", "a1"), dupFile("z/b.jpg", "b1")
	f.dups = app.Duplicates{
		Exact: []store.DupGroup{{SHA256: a1.SHA256, Files: []store.FileRecord{a1, a2}}},
		Near:  []store.DupGroup{{Near: true, MaxDistance: 3, Files: []store.FileRecord{a1, a2, b}}},
	}
	u := showDups(t, f)
	checkCountsAgree(t, u, 1, 1)
	row := newGroupRow()
	row.set(u.dups, u.dups.all.Near[0])
	if n := len(row.cards.Objects); n != 2 {
		t.Errorf("%d cards for a look-alike pair and an exact copy, want 2", n)
	}
	if text := joined(row.box); !strings.Contains(text, "+1 exact copy of it") || !strings.Contains(text, "Look-alikes · 2 pictures, 3 files") {
		t.Errorf("the shared card does not say so:\n%s", text)
	}
}

// The mouse wheel over the cards scrolls the list of groups: no row takes
// the wheel for itself.
func TestWheelOverTheCardsScrollsTheList(t *testing.T) {
	f := newFake()
	for i := range 12 {
		f.dups.Exact = append(f.dups.Exact, exactGroup(fmt.Sprintf("%02x", i+16), 3))
	}
	u := showDups(t, f)
	v := u.dups
	img := firstCardImage(v.list)
	if img == nil {
		t.Fatal("no card shown")
	}
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(img).Add(fyne.NewPos(20, 20))
	test.Scroll(u.win.Canvas(), at, 0, -300)
	if off := v.list.GetScrollOffset(); off <= 0 {
		t.Errorf("the wheel over a card left the list at offset %v", off)
	}
}

func firstCardImage(o fyne.CanvasObject) *canvas.Image {
	var found *canvas.Image
	eachVisible(o, func(o fyne.CanvasObject) bool {
		if w, ok := o.(*canvas.Image); ok && found == nil && w.MinSize() == fyne.NewSize(dupThumbSide, dupThumbH) {
			found = w
		}
		return found == nil
	})
	return found
}

// While another scan's groups load, the old ones are gone and a sign says
// that the new ones are on their way.
func TestDuplicatesShowLoadingNotTheOldGroups(t *testing.T) {
	f := newFake()
	f.dups = app.Duplicates{Exact: []store.DupGroup{exactGroup("dd", 2)}}
	u := showDups(t, f)
	v := u.dups
	if len(v.groups) != 1 {
		t.Fatalf("%d groups", len(v.groups))
	}
	var queued []func()
	u.spawn = func(fn func()) { queued = append(queued, fn) }
	v.load(2)
	if !v.busy.Visible() || len(v.groups) != 0 || v.list.Length() != 0 {
		t.Fatalf("while loading: sign %v, %d groups still listed", v.busy.Visible(), v.list.Length())
	}
	for _, fn := range queued {
		fn()
	}
	if v.busy.Visible() || len(v.groups) != 1 {
		t.Errorf("after loading: sign %v, %d groups", v.busy.Visible(), len(v.groups))
	}
}

// The evidence is said in words, whole; the numbers are one tap away.
func TestEvidenceInPlainWordsWithTheNumbersATapAway(t *testing.T) {
	f := newFake()
	a, b := dupFile("x/a.jpg", "a1"), dupFile("y/b.png", "b1")
	f.dups = app.Duplicates{Near: []store.DupGroup{{Near: true, MaxDistance: 2, Files: []store.FileRecord{a, b},
		Evidence: []string{"x/a.jpg ~ y/b.png: pHash distance 2, dHash distance 5, mean colour 0.4 apart (pHash and dHash close, same shape and colour)"}}}}
	u := showDups(t, f)
	row := newGroupRow()
	row.set(u.dups, u.dups.groups[0])
	if got := row.evidence.Text; got != "Look the same: their pictures differ by up to 2 of 64 points." {
		t.Errorf("evidence %q", got)
	}
	if row.evidence.Wrapping != fyne.TextWrapWord || row.evidence.Truncation != fyne.TextTruncateOff {
		t.Error("the evidence may be cut")
	}
	test.Tap(row.numbers)
	if text := overlayText(u.win); !strings.Contains(text, "pHash distance 2, dHash distance 5") {
		t.Errorf("the numbers are not shown:\n%s", text)
	}
	for _, c := range []struct {
		ev   []string
		dist int
		want string
	}{
		{[]string{"a ~ b: same camera (Canon) and the same EXIF capture time 2020-03-28T11:19:01; pHash distance 16, dHash distance 12: further apart than look-alikes may be, as after a crop, but the same shape and colour"}, 16,
			"Look the same: their pictures differ by up to 16 of 64 points; one looks cropped from the other; taken by the same camera in the same second."},
		{[]string{"same camera (Apple iPhone 8) and the same EXIF capture time 2021-01-01T10:00:00; a.heic cannot be decoded here, so its pixels were not compared"}, 0,
			"Taken by the same camera in the same second; a picture Shoebox cannot decode was matched by these facts alone."},
	} {
		if got := nearWords(store.DupGroup{Near: true, MaxDistance: c.dist, Evidence: c.ev}); got != c.want {
			t.Errorf("words %q\nwant  %q", got, c.want)
		}
	}
}

// searchesOf is how many times the window asked the engine to find job
// id's duplicates (DuplicatesIn; KeptDuplicates never searches).
func searchesOf(f *fakeEngine, id uint64) int {
	n := 0
	for _, c := range f.Calls() {
		if c == fmt.Sprintf("dups %d", id) {
			n++
		}
	}
	return n
}

// Once Files has read a finished scan's rows, its duplicates are found in
// the background, so opening the tab shows them without a search; while a
// scan runs, nothing is searched.
func TestDuplicatesAreFoundOnceFilesHasReadTheRows(t *testing.T) {
	f := newFake()
	f.files[1] = filesFixture()
	f.dups = app.Duplicates{Exact: []store.DupGroup{exactGroup("aa", 3)}}
	u := newTestUI(t, f)
	u.startJob([]string{"/photos"})
	searches := func() int { return searchesOf(f, 1) }
	f.emit(app.Progress{JobID: 1, State: store.StateRunning, Current: 3, Total: 7})
	u.flush()
	u.tabs.SelectIndex(tabFiles)
	if n := searches(); n != 0 {
		t.Fatalf("%d searches for duplicates while the scan runs", n)
	}
	f.jobs = []store.Job{{ID: 1, Roots: []string{"/photos"}}}
	f.emit(app.Progress{JobID: 1, State: store.StateCompleted, Current: 7, Total: 7})
	u.flush()
	if u.files.loaded != 1 {
		t.Fatal("Files did not read the finished scan's rows")
	}
	if n := searches(); n != 1 {
		t.Fatalf("%d searches once Files read the rows, want 1", n)
	}
	u.tabs.SelectIndex(tabDuplicates)
	if n := searches(); n != 1 {
		t.Errorf("opening the tab searched again (%d searches)", n)
	}
	if got := len(u.dups.groups); got != 1 {
		t.Errorf("the tab shows %d groups, want 1", got)
	}
}

// While Files reads a scan's rows, Duplicates reads the groups kept for it
// at once, Files' reading paused. A search waits for Files while the tab is
// not shown, and goes first, Files paused, once the person opens the tab:
// a million rows and a search are never read side by side.
func TestDuplicatesWhileFilesReads(t *testing.T) {
	for _, kept := range []bool{false, true} {
		f := newFake()
		f.dups = app.Duplicates{Exact: []store.DupGroup{exactGroup("aa", 3)}}
		f.dupsKept = kept
		u, queue := finishedOnFiles(t, f)
		held := queue.take() // Files' reading of the rows, among others: not run yet
		var keptHolders, searchHolders []int
		f.onKept = func() { keptHolders = append(keptHolders, u.fg.holders()) }
		f.onDups = func() { searchHolders = append(searchHolders, u.fg.holders()) }
		searches := func() int { return searchesOf(f, 1) }
		// Duplicates, asked for last, looks for kept groups as Files starts.
		prefetch := held[len(held)-1]
		held = held[:len(held)-1]
		prefetch()
		if kept && (len(u.dups.groups) != 1 || searches() != 0) {
			t.Errorf("kept groups: %d read while Files reads, after %d searches; want 1, 0", len(u.dups.groups), searches())
		}
		if !kept {
			if searches() != 0 || len(u.dups.groups) != 0 {
				t.Fatalf("searched %d times with the tab hidden while Files reads; %d groups", searches(), len(u.dups.groups))
			}
			if got := u.dups.summary.Text; !strings.Contains(got, "once Files has read") {
				t.Errorf("the sign says %q", got)
			}
		}
		u.tabs.SelectIndex(tabDuplicates)
		queue.drain()
		if !u.files.loading || len(u.dups.groups) != 1 || searches() != map[bool]int{true: 0, false: 1}[kept] {
			t.Errorf("kept %v: tab opened while Files reads: %d groups after %d searches (Files reading: %v)",
				kept, len(u.dups.groups), searches(), u.files.loading)
		}
		for _, n := range append(keptHolders, searchHolders...) {
			if n != 1 {
				t.Errorf("kept %v: the foreground was held %d times while reading groups (kept %v, searches %v)",
					kept, n, keptHolders, searchHolders)
			}
		}
		queue.fns = held
		queue.drain()
		if u.files.loading || u.fg.holders() != 0 || searches() != map[bool]int{true: 0, false: 1}[kept] {
			t.Errorf("kept %v: once Files read the rows: %d searches in all (Files reading: %v, foreground held %d)",
				kept, searches(), u.files.loading, u.fg.holders())
		}
	}
}

// While Duplicates holds the foreground (reading the groups kept for it),
// Files' reading of the rows waits between batches, and reads on after.
func TestFilesRowsWaitWhileDuplicatesHoldTheForeground(t *testing.T) {
	u, queue := finishedOnFiles(t, newFake())
	release := u.fg.hold()
	waiting := make(chan struct{}, 8)
	u.fg.mu.Lock()
	u.fg.onWait = func() { waiting <- struct{}{} }
	u.fg.mu.Unlock()
	held := queue.take()
	done := make(chan struct{})
	go func() {
		for _, fn := range held {
			fn()
		}
		close(done)
	}()
	select {
	case <-waiting: // the reader waits before its first batch
	case <-done:
		release()
		t.Fatal("Files read its rows while the foreground was held")
	}
	release()
	<-done
	queue.drain() // what the reading spawned (preparing the sort orders)
	if u.files.loading || u.files.set == nil || len(u.files.set.rows) != len(filesFixture()) {
		t.Errorf("after the release: reading %v, rows %v", u.files.loading, u.files.set)
	}
}

// Groups kept in the library are read as soon as Files starts reading a
// scan's rows, with the tab not shown; opening it then asks for nothing.
func TestKeptDuplicatesAreReadWhileFilesReads(t *testing.T) {
	f := newFake()
	f.dups = app.Duplicates{Exact: []store.DupGroup{exactGroup("aa", 3)}}
	f.dupsKept = true
	u, queue := finishedOnFiles(t, f)
	held := queue.take()
	if len(held) < 2 {
		t.Fatalf("%d spawned: want the rows and the kept groups", len(held))
	}
	held[len(held)-1]() // the groups, the last asked for, while Files' reading waits
	if !u.files.loading || u.dups.loaded != 1 || len(u.dups.groups) != 1 || searchesOf(f, 1) != 0 {
		t.Fatalf("Files reading %v; groups of job %d: %d, after %d searches; want 1 group read, no search",
			u.files.loading, u.dups.loaded, len(u.dups.groups), searchesOf(f, 1))
	}
	calls := len(f.Calls())
	u.tabs.SelectIndex(tabDuplicates)
	if len(u.dups.groups) != 1 || u.dups.busy.Visible() {
		t.Errorf("opening the tab: %d groups shown, the loading sign %v", len(u.dups.groups), u.dups.busy.Visible())
	}
	queue.drain() // the previews of the cards shown
	for _, c := range f.Calls()[calls:] {
		if strings.Contains(c, "dups") {
			t.Errorf("opening the tab asked for the groups again: %q", c)
		}
	}
}

// finishedOnFiles is a window on the Files tab that has just seen job 1
// (filesFixture's rows) complete: Files is reading the rows, and what the
// window handed off its goroutine is queued, not run.
func finishedOnFiles(t *testing.T, f *fakeEngine) (*UI, *spawned) {
	t.Helper()
	f.files[1] = filesFixture()
	u := newTestUI(t, f)
	u.startJob([]string{"/photos"})
	queue := &spawned{}
	u.spawn = func(fn func()) { queue.fns = append(queue.fns, fn) }
	u.tabs.SelectIndex(tabFiles)
	f.jobs = []store.Job{{ID: 1, Roots: []string{"/photos"}}}
	f.emit(app.Progress{JobID: 1, State: store.StateCompleted, Current: 7, Total: 7})
	u.flush()
	if !u.files.loading {
		t.Fatal("Files is not reading the rows: the test proves nothing")
	}
	return u, queue
}

// A scan opened from History has its kept groups (or those found among its
// look-alike candidates) read as soon as Files starts reading its rows, not
// once it has read them all: the tab then has only to be drawn.
func TestKeptDuplicatesOfAScanOpenedFromHistoryAreReadWhileFilesReads(t *testing.T) {
	f := newFake()
	f.files[1], f.files[2] = filesFixture(), filesFixture()[:2]
	f.dups = app.Duplicates{Exact: []store.DupGroup{exactGroup("aa", 3)}}
	f.dupsKept = true
	older := store.Job{ID: 1, Roots: []string{"/photos"}, Status: store.StateCompleted, ProgressCurrent: 7, ProgressTotal: 7}
	f.jobs = []store.Job{{ID: 2, Roots: []string{"/card"}, Status: store.StateCompleted, ProgressCurrent: 2, ProgressTotal: 2}, older}
	u := newTestUI(t, f)
	u.openJob(f.jobs[0])
	u.tabs.SelectIndex(tabDuplicates)
	if u.dups.loaded != 2 || !strings.Contains(u.dups.where.Text, "/card") {
		t.Fatalf("the newer scan's groups: job %d, %q", u.dups.loaded, u.dups.where.Text)
	}
	queue := &spawned{}
	u.spawn = func(fn func()) { queue.fns = append(queue.fns, fn) }
	u.tabs.SelectIndex(tabHistory)
	u.openJob(older)
	held := queue.take()
	if !u.files.loading || u.files.jobID != 1 || len(held) < 2 {
		t.Fatalf("Files reading job %d: %v, %d spawned", u.files.jobID, u.files.loading, len(held))
	}
	if strings.Contains(u.dups.where.Text, "/card") {
		t.Errorf("while job 1's groups load, Duplicates still says where job 2 looked: %q", u.dups.where.Text)
	}
	// The groups, asked for as Files began to read, come before its reading.
	for _, fn := range held {
		if u.dups.loaded == 1 || !u.files.loading {
			break
		}
		fn()
	}
	if !u.files.loading || u.dups.loaded != 1 || len(u.dups.groups) != 1 || searchesOf(f, 1) != 0 {
		t.Fatalf("Files reading %v; groups of job %d: %d, after %d searches; want job 1's group read, no search",
			u.files.loading, u.dups.loaded, len(u.dups.groups), searchesOf(f, 1))
	}
}
