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
	c := newFoundCounter()
	c.add(rows, nil)
	return c.found()
}

// foundCounter is summarize over rows given a batch at a time, in the
// order FileRows gives them, keeping of each row only the confidence it
// was counted under: the Scan view sums up a running scan every few
// seconds without holding its rows. Holding them (a million rows of a
// scan, pending ones included, twice while the next set was read) took
// the window near 1 GB a quarter of the way through a scan of a million
// files.
type foundCounter struct {
	f found
	// confs are the confidences met, and counted the place in confs + 1
	// of each row's (0: not counted), so that a date FileRows gives an
	// earlier row at the end (app.DatedRow) moves it to its new one.
	confs   []media.Confidence
	counted []uint8
	// decided marks the rows whose date a decision set: a neighbour's date
	// does not change them (rowsLoad.run applies the decision again).
	decided map[int]bool
	// latestAt is the place of each of f.latest among the rows.
	latestAt []int
}

func newFoundCounter() *foundCounter {
	return &foundCounter{f: found{byConf: map[media.Confidence]int{}}}
}

// add counts the next rows; decidedAt is the places among them of the
// rows whose date was decided in the window (applyDecisions gave it them).
func (c *foundCounter) add(rows []app.FileRow, decidedAt []int) {
	for _, i := range decidedAt {
		if c.decided == nil {
			c.decided = map[int]bool{}
		}
		c.decided[len(c.counted)+i] = true
	}
	for i := range rows {
		c.addRow(&rows[i])
	}
}

func (c *foundCounter) addRow(r *app.FileRow) {
	at := len(c.counted)
	c.counted = append(c.counted, 0)
	if r.Status == media.StatusDone {
		c.f.done++
		c.count(at, r.Confidence)
	}
	if r.Status == media.StatusPending || r.AnalysedNS == 0 {
		return
	}
	// After the files analysed at the same time that come before it,
	// as a stable sort would put it.
	pos := len(c.f.latest)
	for pos > 0 && c.f.latest[pos-1].AnalysedNS < r.AnalysedNS {
		pos--
	}
	if pos < latestRows {
		c.f.latest = slices.Insert(c.f.latest, pos, *r)
		c.latestAt = slices.Insert(c.latestAt, pos, at)
		c.f.latest = c.f.latest[:min(len(c.f.latest), latestRows)]
		c.latestAt = c.latestAt[:len(c.f.latest)]
	}
}

// count counts row at under confidence conf ("" is NONE).
func (c *foundCounter) count(at int, conf media.Confidence) {
	if conf == "" {
		conf = media.ConfidenceNone
	}
	k := slices.Index(c.confs, conf)
	if k < 0 {
		k = len(c.confs)
		c.confs = append(c.confs, conf)
	}
	c.counted[at] = uint8(k + 1)
	c.f.byConf[conf]++
}

// redate gives the earlier rows their dates from numbered neighbours, as
// rowsLoad.run does (DatedRow.Apply): each counted row moves to its new
// confidence, and a latest row shows its new date.
func (c *foundCounter) redate(dated []app.DatedRow) {
	for _, d := range dated {
		if d.At < 0 || d.At >= len(c.counted) || c.decided[d.At] {
			continue
		}
		if k := c.counted[d.At]; k != 0 {
			c.f.byConf[c.confs[k-1]]--
			c.count(d.At, d.Date.Confidence)
		}
		if i := slices.Index(c.latestAt, d.At); i >= 0 {
			d.Apply(&c.f.latest[i])
		}
	}
}

// found is what was counted.
func (c *foundCounter) found() found { return c.f }

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
