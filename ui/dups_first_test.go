package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"shoebox/app"
	"shoebox/store"
)

// exactCalls counts the times the window asked for the exact groups alone.
func exactCalls(f *fakeEngine) int {
	n := 0
	for _, c := range f.Calls() {
		if strings.HasPrefix(c, "exact dups ") {
			n++
		}
	}
	return n
}

// lookingUI is a window on a finished scan whose work waits in queue, the
// clock at the test's hand.
func lookingUI(t *testing.T, f *fakeEngine) (*UI, *spawned, *time.Time) {
	t.Helper()
	f.files[1] = filesFixture()
	u := newTestUI(t, f)
	clock := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	u.now = func() time.Time { return clock }
	queue := &spawned{}
	u.spawn = func(fn func()) { queue.fns = append(queue.fns, fn) }
	f.jobs = []store.Job{{ID: 1, Roots: []string{"/photos"}}}
	u.setJob(app.Progress{JobID: 1, State: store.StateCompleted, Current: 7, Total: 7})
	return u, queue, &clock
}

// While the look-alikes are searched for, the exact copies, found from
// their index at once, are shown to look at: counts that say so, the sign
// moved into the summary, nothing to apply. The whole answer then takes
// their place. Groups already on screen are not replaced by a part, and
// groups kept need no part.
func TestDuplicatesShowExactCopiesWhileLookingForLookAlikes(t *testing.T) {
	f := newFake()
	a, b := dupFile("x/a.jpg", "a1"), dupFile("y/b.jpg", "b1")
	f.dups = app.Duplicates{
		Exact: []store.DupGroup{exactGroup("aa", 2), exactGroup("bb", 3)},
		Near:  []store.DupGroup{{Near: true, MaxDistance: 2, Files: []store.FileRecord{a, b}}},
	}
	u, queue, clock := lookingUI(t, f)
	v := u.dups
	u.tabs.SelectIndex(tabDuplicates)
	searched := false
	f.onDups = func() { // the search runs: what does the window show meanwhile?
		searched = true
		*clock = clock.Add(3 * time.Second)
		u.flush()
		if len(v.groups) != 2 || v.busy.Visible() || v.act.bar.Visible() || v.act.ok {
			t.Errorf("while looking: %d groups shown, sign over them %v, apply bar %v, plan %v; want the 2 exact, no sign over them, nothing to apply",
				len(v.groups), v.busy.Visible(), v.act.bar.Visible(), v.act.ok)
		}
		if want := []string{"All groups (2 so far)", "Exact copies (2)", "Look-alikes (looking…)"}; !slices.Equal(v.kind.Options, want) {
			t.Errorf("while looking the choices are %q, want %q", v.kind.Options, want)
		}
		if s := v.summary.Text; !strings.Contains(s, "2 groups of exact copies") || !strings.HasSuffix(s, "Still looking for look-alikes… 3 s") {
			t.Errorf("while looking the summary says %q", s)
		}
	}
	queue.drain()
	if !searched || exactCalls(f) != 1 {
		t.Fatalf("searched %v, exact groups asked %d times; want a search and 1", searched, exactCalls(f))
	}
	f.onDups = nil
	checkCountsAgree(t, u, 2, 1)
	if strings.Contains(v.summary.Text, "looking") || !v.act.bar.Visible() || !v.act.ok || u.ticking.Load() {
		t.Errorf("the whole answer: summary %q, apply bar %v, plan %v, ticking %v", v.summary.Text, v.act.bar.Visible(), v.act.ok, u.ticking.Load())
	}

	// Looking again for the groups shown (a job ended): they stay whole.
	f.onDups = func() {
		if len(v.groups) != 3 {
			t.Errorf("looking again, %d groups shown, want the 3 shown before", len(v.groups))
		}
	}
	v.reload()
	queue.drain()
	if exactCalls(f) != 1 {
		t.Errorf("the exact groups alone were asked for again over whole groups on screen")
	}

	// Groups kept in the library are the whole answer at once.
	kf := newFake()
	kf.dups, kf.dupsKept = f.dups, true
	ku, kqueue, _ := lookingUI(t, kf)
	ku.tabs.SelectIndex(tabDuplicates)
	kqueue.drain()
	if exactCalls(kf) != 0 || len(ku.dups.groups) != 3 {
		t.Errorf("kept groups: the exact ones asked %d times, %d groups shown; want 0 and 3", exactCalls(kf), len(ku.dups.groups))
	}
}

// The look-alikes a search finds among the files it read first join the
// exact copies on screen, counted as so far, with nothing to apply; the
// whole answer then takes their place. With no exact copy, they take the
// sign's place over the list.
func TestDuplicatesShowTheFirstLookAlikesWhileLookingForMore(t *testing.T) {
	a, b, c := dupFile("x/a.jpg", "a1"), dupFile("y/b.jpg", "b1"), dupFile("y/c.jpg", "c1")
	first := []store.DupGroup{{Near: true, MaxDistance: 2, Files: []store.FileRecord{a, b}}}
	for _, exact := range [][]store.DupGroup{{exactGroup("aa", 2), exactGroup("bb", 3)}, nil} {
		f := newFake()
		f.dups = app.Duplicates{Exact: exact, Near: []store.DupGroup{{Near: true, MaxDistance: 4, Files: []store.FileRecord{a, b, c}}}}
		f.firstLooks = first
		u, queue, clock := lookingUI(t, f)
		v := u.dups
		u.tabs.SelectIndex(tabDuplicates)
		looked := false
		f.onFirstLooks = func() {
			if len(exact) == 0 && (!v.busy.Visible() || len(v.groups) != 0) {
				t.Errorf("no exact copies, before the first look-alikes: sign %v, %d groups", v.busy.Visible(), len(v.groups))
			}
		}
		f.onDups = func() {
			looked = true
			*clock = clock.Add(2 * time.Second)
			u.flush()
			n := len(exact)
			if len(v.groups) != n+1 || v.busy.Visible() || v.act.bar.Visible() || v.act.ok {
				t.Errorf("while looking for more: %d groups shown, sign over them %v, apply bar %v, plan %v; want %d, no sign over them, nothing to apply",
					len(v.groups), v.busy.Visible(), v.act.bar.Visible(), v.act.ok, n+1)
			}
			want := []string{fmt.Sprintf("All groups (%d so far)", n+1), fmt.Sprintf("Exact copies (%d)", n), "Look-alikes (1 so far)"}
			if !slices.Equal(v.kind.Options, want) {
				t.Errorf("while looking for more the choices are %q, want %q", v.kind.Options, want)
			}
			if s := v.summary.Text; !strings.Contains(s, "1 group of look-alikes (2 files)") || !strings.HasSuffix(s, "Still looking for more look-alikes… 2 s") {
				t.Errorf("while looking for more the summary says %q", s)
			}
		}
		queue.drain()
		if !looked {
			t.Fatal("no search")
		}
		checkCountsAgree(t, u, len(exact), 1)
		if len(v.all.Near) != 1 || len(v.all.Near[0].Files) != 3 || strings.Contains(v.summary.Text, "looking") || !v.act.ok {
			t.Errorf("the whole answer: %d look-alike groups, summary %q, plan %v", len(v.all.Near), v.summary.Text, v.act.ok)
		}
	}
}

// The tab opened again while its groups load (a shortcut and a click)
// asks for nothing more: asked again, the groups were taken off the screen
// when they came, and found once more. A distance changed meanwhile is
// asked for once they come.
func TestDuplicatesOpenedAgainWhileLoadingAskOnce(t *testing.T) {
	f := newFake()
	f.dups = app.Duplicates{Exact: []store.DupGroup{exactGroup("aa", 2)}}
	u, queue, _ := lookingUI(t, f)
	v := u.dups
	u.tabs.SelectIndex(tabDuplicates)
	if !v.loading {
		t.Fatal("opening the tab loads nothing")
	}
	u.tabs.SelectIndex(tabFiles)
	u.tabs.SelectIndex(tabDuplicates)
	if v.again {
		t.Error("the tab opened again while loading asks for its groups again")
	}
	setNearDistance(t, u, "5")
	u.tabs.SelectIndex(tabFiles)
	u.tabs.SelectIndex(tabDuplicates)
	if !v.again {
		t.Error("a distance changed while loading is not asked for")
	}
	queue.drain()
	if f.dupDistance != 5 || v.loadedD != 5 || !v.act.ok {
		t.Errorf("after loading: searched at %d, shown at %d, plan %v; want 5, 5, a plan", f.dupDistance, v.loadedD, v.act.ok)
	}
}

// With no exact copy the sign stays over the list, and a search that fails
// after the exact groups were shown takes them away with the error: they
// were only a part.
func TestDuplicatesSignStaysWithoutExactCopiesAndAFailureTakesThePartAway(t *testing.T) {
	f := newFake()
	a, b := dupFile("x/a.jpg", "a1"), dupFile("y/b.jpg", "b1")
	f.dups = app.Duplicates{Near: []store.DupGroup{{Near: true, MaxDistance: 2, Files: []store.FileRecord{a, b}}}}
	u, queue, _ := lookingUI(t, f)
	v := u.dups
	u.tabs.SelectIndex(tabDuplicates)
	f.onDups = func() {
		if !v.busy.Visible() || len(v.groups) != 0 {
			t.Errorf("no exact copies: sign shown %v, %d groups; want the sign over an empty list", v.busy.Visible(), len(v.groups))
		}
	}
	queue.drain()
	checkCountsAgree(t, u, 0, 1)

	f2 := newFake()
	f2.dups = app.Duplicates{Exact: []store.DupGroup{exactGroup("aa", 2)}}
	f2.dupsErr = errors.New("the disk went away")
	u2, queue2, _ := lookingUI(t, f2)
	u2.tabs.SelectIndex(tabDuplicates)
	queue2.drain()
	if len(u2.dups.groups) != 0 || !strings.HasPrefix(u2.dups.summary.Text, "Could not find the duplicates") {
		t.Errorf("a failed search after the exact groups: %d groups shown, summary %q", len(u2.dups.groups), u2.dups.summary.Text)
	}
}

// setNearDistance types a look-alike distance into Settings.
func setNearDistance(t *testing.T, u *UI, text string) {
	t.Helper()
	for i, st := range u.settings.list {
		if st.key == "settings.near_distance" {
			u.settings.entries[i].SetText(text)
			return
		}
	}
	t.Fatal("no near-distance setting")
}

// A look-alike distance changed in Settings is searched for the next time
// Duplicates opens: the look-alikes of the old distance leave the screen at
// once and the exact copies, which no distance changes, show meanwhile.
// Opening the tab again without a change searches nothing.
func TestDuplicatesFollowTheDistanceSetting(t *testing.T) {
	f := newFake()
	a, b := dupFile("x/a.jpg", "a1"), dupFile("y/b.jpg", "b1")
	f.dups = app.Duplicates{
		Exact: []store.DupGroup{exactGroup("aa", 2)},
		Near:  []store.DupGroup{{Near: true, MaxDistance: 2, Files: []store.FileRecord{a, b}}},
	}
	u, queue, _ := lookingUI(t, f)
	u.tabs.SelectIndex(tabDuplicates)
	queue.drain()
	if f.dupDistance != app.DefaultNearDistance || len(u.dups.groups) != 2 {
		t.Fatalf("first search at distance %d, %d groups shown", f.dupDistance, len(u.dups.groups))
	}
	setNearDistance(t, u, "5")
	u.tabs.SelectIndex(tabFiles)
	u.tabs.SelectIndex(tabDuplicates)
	searches := searchesOf(f, 1)
	f.onDups = func() {
		if len(u.dups.groups) != 1 || u.dups.groups[0].Near {
			t.Errorf("while looking at the new distance, %d groups shown; want the exact one alone", len(u.dups.groups))
		}
	}
	queue.drain()
	f.onDups = nil
	if searchesOf(f, 1) != searches+1 || f.dupDistance != 5 {
		t.Fatalf("after the distance changed: %d searches more, at distance %d; want 1 at 5", searchesOf(f, 1)-searches, f.dupDistance)
	}
	checkCountsAgree(t, u, 1, 1)
	u.tabs.SelectIndex(tabFiles)
	u.tabs.SelectIndex(tabDuplicates)
	queue.drain()
	if searchesOf(f, 1) != searches+1 {
		t.Errorf("the tab opened again with nothing changed searched again")
	}
}

// A distance changed in Settings is searched for at once, in the
// background, so that Duplicates shows its groups when opened without
// waiting for the search. Keys typed while a search runs are searched for
// once it ends: at the last distance, not at every key.
func TestADistanceChangedInSettingsIsSearchedAhead(t *testing.T) {
	f := newFake()
	f.dups = app.Duplicates{Exact: []store.DupGroup{exactGroup("aa", 2)}}
	u, queue, _ := lookingUI(t, f)
	u.tabs.SelectIndex(tabDuplicates)
	queue.drain()
	u.tabs.SelectIndex(tabSettings)
	searches := searchesOf(f, 1)
	setNearDistance(t, u, "1")
	setNearDistance(t, u, "12") // typed while the search at 1 waits its turn
	if len(queue.fns) == 0 {
		t.Fatal("changing the distance started no search")
	}
	queue.drain()
	if f.dupDistance != 12 || searchesOf(f, 1) != searches+2 {
		t.Fatalf("%d searches after the change, the last at %d; want 2, the last at 12", searchesOf(f, 1)-searches, f.dupDistance)
	}
	u.tabs.SelectIndex(tabDuplicates)
	queue.drain()
	if searchesOf(f, 1) != searches+2 || len(u.dups.groups) != 1 {
		t.Errorf("opening Duplicates searched again (%d searches) or shows %d groups", searchesOf(f, 1)-searches, len(u.dups.groups))
	}
	// Another setting changed starts no search.
	u.tabs.SelectIndex(tabSettings)
	u.settings.entries[0].SetText("3")
	if len(queue.fns) != 0 {
		t.Errorf("changing the workers queued %d tasks", len(queue.fns))
	}
}
