package app

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/term"
)

// progressView draws progress on stderr: a live bar on a terminal, a plain
// line every few seconds otherwise (logs, pipes, CI).
type progressView struct {
	w        io.Writer
	live     bool
	width    int
	lastLine time.Time
	drawn    bool
}

func newProgressView(w io.Writer) *progressView {
	v := &progressView{w: w, width: 100}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		v.live = true
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 20 {
			v.width = cols
		}
	}
	return v
}

const plainEvery = 2 * time.Second

func (v *progressView) show(p Progress) {
	if p.Grouping {
		v.print("Finding duplicates...")
		return
	}
	if p.Compacting {
		v.print(fmt.Sprintf("Compacting the library (%.0f MB)...", float64(p.LibraryBytes)/1e6))
		return
	}
	if p.Listing {
		if !v.live && !v.lastLine.IsZero() {
			return
		}
		v.print("Listing files...")
		return
	}
	pct := 0.0
	if p.Total > 0 {
		pct = 100 * float64(p.Current) / float64(p.Total)
	}
	stats := fmt.Sprintf("%d/%d %3.0f%% %.1f files/s", p.Current, p.Total, pct, p.FilesPerSec)
	if p.Remaining > 0 {
		stats += " " + p.Remaining.Round(time.Second).String() + " left"
	}
	stats += fmt.Sprintf(" %d errors %d skipped", p.Errors, p.Skipped)
	if !v.live {
		if time.Since(v.lastLine) < plainEvery {
			return
		}
		v.lastLine = time.Now()
		fmt.Fprintf(v.w, "progress: %s\n", stats)
		return
	}
	const barWidth = 24
	filled := int(pct / 100 * barWidth)
	bar := "[" + strings.Repeat("#", filled) + strings.Repeat("-", barWidth-filled) + "] "
	line := bar + stats
	if room := v.width - len(line) - 2; room > 10 {
		line += " " + ElideMiddle(p.CurrentFile, room)
	}
	v.print(line)
}

func (v *progressView) print(line string) {
	if !v.live {
		fmt.Fprintln(v.w, line)
		v.lastLine = time.Now()
		return
	}
	if len(line) > v.width-1 {
		line = line[:v.width-1]
	}
	fmt.Fprintf(v.w, "\r\x1b[K%s", line)
	v.drawn = true
}

func (v *progressView) clear() {
	if v.live && v.drawn {
		fmt.Fprint(v.w, "\r\x1b[K")
		v.drawn = false
	}
}

// ElideMiddle shortens s to at most max runes by replacing its middle with
// "…", so both the start of a path and the file name stay readable; the end
// gets the odd rune, as the file name matters most. A name that is not valid
// UTF-8 shows each bad byte as U+FFFD (ReadablePath). Even a tiny width is
// honoured: 1 gives "…", 0 or less gives "".
func ElideMiddle(s string, max int) string {
	s = ReadablePath(s)
	n := utf8.RuneCountInString(s)
	switch {
	case n <= max:
		return s
	case max <= 0:
		return ""
	case max == 1:
		return "…"
	}
	r := []rune(s)
	keep := max - 1
	tail := (keep + 1) / 2
	head := keep - tail
	return string(r[:head]) + "…" + string(r[n-tail:])
}
