package ui

import (
	"testing"
	"time"

	"shoebox/app"
	"shoebox/store"
)

// While Duplicates looks, its sign counts the seconds waited, once a
// second, and the pump keeps flushing for it; the sign and the ticking go
// once the groups are shown.
func TestDuplicatesSignCountsTheSecondsWaited(t *testing.T) {
	f := newFake()
	f.dups = app.Duplicates{Exact: []store.DupGroup{exactGroup("aa", 3)}}
	u, queue, clock := lookingUI(t, f)
	u.tabs.SelectIndex(tabDuplicates)
	if !u.dups.busy.Visible() || !u.ticking.Load() {
		t.Fatalf("looking, yet the sign shown %v, ticking %v", u.dups.busy.Visible(), u.ticking.Load())
	}
	words := func() string { return u.dups.waited.words.Text }
	for _, step := range []struct {
		after time.Duration
		want  string
	}{{0, "Looking for duplicates…"}, {900 * time.Millisecond, "Looking for duplicates…"},
		{200 * time.Millisecond, "Looking for duplicates… 1 s"}, {12 * time.Second, "Looking for duplicates… 13 s"}} {
		*clock = clock.Add(step.after)
		u.flush()
		if words() != step.want {
			t.Errorf("after %v more: %q, want %q", step.after, words(), step.want)
		}
	}
	// Looking again while the sign is up (the search after waiting for
	// Files) goes on counting.
	u.dups.startBusy()
	*clock = clock.Add(time.Second)
	u.flush()
	if want := "Looking for duplicates… 14 s"; words() != want {
		t.Errorf("looking again: %q, want %q", words(), want)
	}
	// Opening the tab while the groups are being read ahead counts from
	// the opening: that is what the person waits.
	u.tabs.SelectIndex(tabFiles)
	*clock = clock.Add(time.Second)
	u.tabs.SelectIndex(tabDuplicates)
	u.flush()
	if want := "Looking for duplicates…"; words() != want {
		t.Errorf("the tab opened again: %q, want %q", words(), want)
	}
	*clock = clock.Add(2 * time.Second)
	u.flush()
	if want := "Looking for duplicates… 2 s"; words() != want {
		t.Errorf("2 s after the tab opened again: %q, want %q", words(), want)
	}
	queue.drain()
	if u.dups.busy.Visible() || u.ticking.Load() || len(u.dups.groups) != 1 {
		t.Errorf("groups shown %d; the sign still shown %v, ticking %v", len(u.dups.groups), u.dups.busy.Visible(), u.ticking.Load())
	}
}
