package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2/widget"
)

// lookingWords is the sign over the list while Duplicates looks;
// lookingNearWords ends the summary while the exact groups are shown and
// the look-alikes still looked for, lookingMoreWords while some
// look-alikes are shown too.
const (
	lookingWords     = "Looking for duplicates…"
	lookingNearWords = "Still looking for look-alikes…"
	lookingMoreWords = "Still looking for more look-alikes…"
)

// busyClock is Duplicates' loading sign: words that count the seconds
// waited, instead of an animated bar. A bar is redrawn sixty times a
// second, and a window drawn in software (Xvfb here, a virtual machine or
// a remote desktop for some people) then redraws itself whole each time:
// about one core of a two-core machine, taken from the search it waits for
// (15-18 s in the window at a million files, against 4 s in a plain
// process). The count changes once a second.
type busyClock struct {
	words *widget.Label
	since time.Time
	shown int // the seconds the words say; -1: none yet
}

// startBusy shows the sign, counting from now; a sign already shown (a
// search after waiting for Files) goes on counting. UI goroutine only.
func (v *dupsView) startBusy() {
	if !v.busy.Visible() {
		v.waited.since, v.waited.shown = v.u.now(), -1
	}
	v.busy.Show()
	v.tickBusy()
	v.u.ticking.Store(true)
}

// restartBusy counts again from now, when the sign is up: the tab was
// opened while groups were being read ahead. UI goroutine only.
func (v *dupsView) restartBusy() {
	if v.busy.Visible() || v.partShown {
		v.waited.since, v.waited.shown = v.u.now(), -1
		v.tickBusy()
	}
}

// stopBusy takes the sign away. UI goroutine only.
func (v *dupsView) stopBusy() {
	v.busy.Hide()
	v.partShown = false
	v.u.ticking.Store(false)
}

// tickBusy says how long the sign has been up, when a second has passed
// since it last said. UI goroutine only; the pump calls it.
func (v *dupsView) tickBusy() {
	if v == nil || v.busy == nil || (!v.busy.Visible() && !v.partShown) {
		return
	}
	s := int(v.u.now().Sub(v.waited.since) / time.Second)
	if s == v.waited.shown {
		return
	}
	v.waited.shown = s
	words := lookingWords
	switch {
	case v.partShown && len(v.all.Near) > 0:
		words = lookingMoreWords
	case v.partShown:
		words = lookingNearWords
	}
	if s > 0 {
		words = fmt.Sprintf("%s %d s", words, s)
	}
	if v.partShown { // the exact groups are shown: the sign is in the summary
		v.summary.SetText(dupCounts(v.all, v.same) + ". " + words)
		return
	}
	v.waited.words.SetText(words)
}
