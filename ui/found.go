package ui

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/media"
)

// latestRows is how many recently analysed files the Scan view lists.
const latestRows = 5

// found sums up what a job has learned so far, for the Scan view.
type found struct {
	byConf map[media.Confidence]int
	done   int
	latest []app.FileRow // most recently analysed first
}

// summarize counts the confidences and picks the latest analysed files.
// It runs off the UI goroutine.
func summarize(rows []app.FileRow) found {
	f := found{byConf: map[media.Confidence]int{}}
	var latest []app.FileRow // at most latestRows, newest first
	for i := range rows {
		r := &rows[i]
		if r.Status == media.StatusDone {
			f.done++
			c := r.Confidence
			if c == "" {
				c = media.ConfidenceNone
			}
			f.byConf[c]++
		}
		if r.Status == media.StatusPending || r.AnalysedNS == 0 {
			continue
		}
		// After the files analysed at the same time that come before it,
		// as a stable sort would put it.
		at := len(latest)
		for at > 0 && latest[at-1].AnalysedNS < r.AnalysedNS {
			at--
		}
		if at < latestRows {
			latest = slices.Insert(latest, at, *r)
			latest = latest[:min(len(latest), latestRows)]
		}
	}
	f.latest = latest
	return f
}

// foundPanel shows the dates found so far and the latest files.
type foundPanel struct {
	root  fyne.CanvasObject
	head  *widget.Label
	conf  map[media.Confidence]*stat
	rows  [latestRows][4]*middleLabel
	lines [latestRows]fyne.CanvasObject
}

var confOrder = []media.Confidence{media.ConfidenceHigh, media.ConfidenceMedium, media.ConfidenceLow, media.ConfidenceNone}

var confCaption = map[media.Confidence]string{
	media.ConfidenceHigh:   "HIGH: the camera said so",
	media.ConfidenceMedium: "MEDIUM: good evidence",
	media.ConfidenceLow:    "LOW: a guess worth checking",
	media.ConfidenceNone:   "NONE: no date found",
}

func newFoundPanel() *foundPanel {
	p := &foundPanel{conf: map[media.Confidence]*stat{}}
	var chips []fyne.CanvasObject
	for _, c := range confOrder {
		s := newStat(confCaption[c])
		p.conf[c] = s
		chips = append(chips, s.box)
	}
	grid := container.NewVBox()
	for i := range p.rows {
		var cells []fyne.CanvasObject
		for j := range p.rows[i] {
			l := newMiddleLabel("")
			p.rows[i][j] = l
			cells = append(cells, l)
		}
		cells[0].(*middleLabel).TextStyle = fyne.TextStyle{Monospace: true}
		p.lines[i] = container.New(&columnsLayout{weights: []float32{5, 3, 1.3, 1.3}}, cells...)
		grid.Add(p.lines[i])
	}
	p.head = heading("Dates found so far")
	p.root = container.NewVBox(
		p.head,
		container.New(&columnsLayout{}, chips...),
		heading("Latest files"),
		card(theme.ColorNameInputBackground, 0xff, grid),
	)
	return p
}

func (p *foundPanel) show(f found, finished bool) {
	if finished {
		p.head.SetText("Dates found")
	} else {
		p.head.SetText("Dates found so far")
	}
	for _, c := range confOrder {
		imp := widget.MediumImportance
		switch c {
		case media.ConfidenceHigh:
			imp = widget.SuccessImportance
		case media.ConfidenceLow, media.ConfidenceNone:
			if f.byConf[c] > 0 {
				imp = widget.WarningImportance
			}
		}
		p.conf[c].set(thousands(f.byConf[c]), imp)
	}
	for i := range p.rows {
		if i >= len(f.latest) {
			p.lines[i].Hide()
			continue
		}
		r := f.latest[i]
		p.lines[i].Show()
		date, src, conf := shownDate(r.Date), sourceWords(r.Source), string(r.Confidence)
		// A failed file may still be dated (from its name or EXIF); here the
		// failure is the news, and the Files view has its date.
		switch r.Status {
		case media.StatusError:
			date, src, conf = "failed", "", ""
		case media.StatusSkipped:
			date, src, conf = "skipped", "", ""
		}
		p.rows[i][0].SetFull(r.RelPath())
		p.rows[i][1].SetFull(date)
		p.rows[i][2].SetFull(src)
		p.rows[i][3].SetFull(conf)
	}
}

// columnsLayout lays its objects out in one row, widths in proportion to weights.
type columnsLayout struct{ weights []float32 }

func (l *columnsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = fyne.Max(h, o.MinSize().Height)
	}
	return fyne.NewSize(float32(len(objs))*60, h)
}

func (l *columnsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	total := float32(0)
	for i := range objs {
		total += l.weight(i)
	}
	x := float32(0)
	for i, o := range objs {
		w := size.Width * l.weight(i) / total
		o.Resize(fyne.NewSize(w, size.Height))
		o.Move(fyne.NewPos(x, 0))
		x += w
	}
}

func (l *columnsLayout) weight(i int) float32 {
	if i < len(l.weights) {
		return l.weights[i]
	}
	return 1
}

// foundText is the panel's content as text, for tests.
func (f found) String() string {
	var b strings.Builder
	for _, c := range confOrder {
		fmt.Fprintf(&b, "%s %d ", c, f.byConf[c])
	}
	for _, r := range f.latest {
		b.WriteString(r.Name + " ")
	}
	return strings.TrimSpace(b.String())
}
