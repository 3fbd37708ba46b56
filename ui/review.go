package ui

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/media"
	"shoebox/store"
)

// Reviewing doubtful dates (issue 13): the Files view's "Review dates"
// filter lists the files whose date a person should look at, and the detail
// panel offers each candidate, the neighbours in the folder and a typed date.

// confReview is the filter of files whose date needs a person.
const confReview = "Review dates"

// rowNeedsReview says whether r's date is doubtful: LOW or NONE, or strong
// sources that disagree (media.Timestamp.Conflict).
func rowNeedsReview(r *app.FileRow) bool {
	if r.Status != media.StatusDone {
		return false
	}
	c := r.Confidence
	return c == media.ConfidenceLow || c == media.ConfidenceNone || c == "" || r.Conflict
}

// fraction matches the fractional seconds a candidate may carry and a typed
// date may not.
var fraction = regexp.MustCompile(`(T\d{2}:\d{2}:\d{2})\.\d+`)

// dateOfCandidate is c's value as SetDate takes it, or "" when it cannot be
// used: rejected, empty, or outside the years a person may give.
func dateOfCandidate(c media.Candidate, now time.Time) string {
	if c.Rejected || c.Value == "" || c.Kind == app.KindCorrection {
		return ""
	}
	v := fraction.ReplaceAllString(c.Value, "$1")
	if _, err := app.ParseDate(v, now); err != nil {
		return ""
	}
	return v
}

// candidateWithUse is a candidate row with its "Use this date" button when
// its value can be decided ("Confirm this date" for the one chosen, unless
// it is HIGH without a conflict: there is nothing to confirm).
func (d *fileDetail) candidateWithUse(r store.FileRecord, c media.Candidate) fyne.CanvasObject {
	date := dateOfCandidate(c, d.u.now())
	settled := c.Chosen && r.Time.Confidence == media.ConfidenceHigh && r.Time.Conflict == "" // nothing to confirm
	if date == "" || r.Status != media.StatusDone || settled {
		return candidateRow(c, nil)
	}
	abs := r.AbsPath()
	label := "Use this date"
	if c.Chosen { // already the file's date: the button makes it the person's
		label = "Confirm this date"
	}
	use := widget.NewButton(label, func() { d.u.files.setDate([]string{abs}, date) })
	use.Importance = widget.LowImportance
	// Beside the value, not at the panel's right edge, where the scroll bar
	// covers it.
	return candidateRow(c, use)
}

// neighbours are the files just before and after r by name in its folder
// (nil when none), among the rows of the job shown.
func neighbours(all []app.FileRow, r store.FileRecord) (before, after *app.FileRow) {
	dir, name := path.Split(r.RelPath)
	var same []*app.FileRow
	for i := range all {
		o := &all[i]
		if o.Dir.Path == dir && o.Dir.Root == r.Root && o.Status == media.StatusDone {
			same = append(same, o)
		}
	}
	slices.SortFunc(same, func(a, b *app.FileRow) int { return strings.Compare(a.Name, b.Name) })
	i := slices.IndexFunc(same, func(o *app.FileRow) bool { return o.Name == name })
	if i < 0 {
		return nil, nil
	}
	if i > 0 {
		before = same[i-1]
	}
	if i+1 < len(same) {
		after = same[i+1]
	}
	return before, after
}

// neighbourText is one neighbour as the review shows it.
func neighbourText(label string, n *app.FileRow) string {
	if n == nil {
		return label + ": none in this folder"
	}
	name := app.ReadablePath(n.Name)
	if n.Date == "" {
		return fmt.Sprintf("%s: %s — no date", label, name)
	}
	return fmt.Sprintf("%s: %s — %s (%s, %s)", label, name, shownDate(n.Date),
		sourceWords(n.Source), n.Confidence)
}

// showReview fills the review part of the detail panel for r: the
// neighbours with their dates and the "Set date…" button.
func (d *fileDetail) showReview(r store.FileRecord) {
	d.review.RemoveAll()
	if r.Status != media.StatusDone {
		return
	}
	d.review.Add(heading("Neighbours in this folder"))
	before, after := neighbours(d.u.files.set.rows, r)
	for _, line := range []string{neighbourText("Before", before), neighbourText("After", after)} {
		l := widget.NewLabel(line)
		l.Wrapping = fyne.TextWrapWord
		d.review.Add(l)
	}
	d.review.Add(wrapped("A photo between two dated ones was usually taken between them."))
	abs := r.AbsPath()
	name := app.ReadablePath(path.Base(r.RelPath))
	set := widget.NewButtonWithIcon("Set date…", theme.DocumentCreateIcon(), func() {
		d.u.files.openSetDate([]string{abs}, name)
	})
	d.review.Add(container.NewHBox(set))
	d.review.Refresh()
}

// decidedTimestamp is t once the person decided date, as the report shows
// a decision (app.correctedTimestamp): source user, HIGH when known to the
// day, LOW when only the month or year is, the old candidates kept.
func decidedTimestamp(t media.Timestamp, date string, now time.Time) media.Timestamp {
	out := media.Timestamp{Value: date, Source: app.SourceUser, Confidence: media.ConfidenceHigh}
	v, err := app.ParseDate(date, now)
	if err == nil {
		out.Value, out.Time, out.ZoneKnown = v.String(), v.Wall, v.ZoneKnown
		if v.Precision == store.PrecisionYear || v.Precision == store.PrecisionMonth {
			out.Confidence = media.ConfidenceLow
		}
	}
	detail := "decided by you in this window"
	if t.Value != "" {
		detail += "; was " + t.Value
	}
	out.Candidates = append(out.Candidates, media.Candidate{Kind: app.KindCorrection, Source: app.SourceUser,
		Value: out.Value, Detail: detail, Chosen: true})
	for _, c := range t.Candidates {
		if c.Kind == app.KindCorrection {
			continue
		}
		c.Chosen = false
		out.Candidates = append(out.Candidates, c)
	}
	return out
}

// withDecision gives the record the date decided in this window, if any.
// The engine reads the scan's analysis, so a decision is laid over it here
// until the engine reports decisions itself.
func (v *filesView) withDecision(r store.FileRecord) store.FileRecord {
	date, ok := v.decided[r.AbsPath()]
	if ok && (r.Time.Source != app.SourceUser || r.Time.Value != date) {
		r.Time = decidedTimestamp(r.Time, date, v.u.now())
	}
	return r
}

// applyDecisions gives the rows the dates decided in this window, as
// withDecision does their records, and returns the places among rows of
// those with a decision (shown already or not). It runs off the UI
// goroutine, on a copy of the decisions.
func applyDecisions(rows []app.FileRow, decided map[string]string, now time.Time) (decidedAt []int) {
	if len(decided) == 0 {
		return nil
	}
	for i := range rows {
		r := &rows[i]
		date, ok := decided[r.AbsPath()]
		if !ok {
			continue
		}
		decidedAt = append(decidedAt, i)
		if r.Source == app.SourceUser && r.Date == date {
			continue
		}
		ts := decidedTimestamp(media.Timestamp{Value: r.Date}, date, now)
		r.SetDate(ts)
	}
	return decidedAt
}

// setDate records date for the files at paths, then reads the files again
// so their rows show it.
func (v *filesView) setDate(paths []string, date string) {
	u := v.u
	u.spawn(func() {
		ds, err := u.eng.SetDate(app.DatesSelection{Paths: paths}, date)
		u.do(func() {
			if err != nil {
				v.count.SetText("Could not set the date: " + err.Error())
				return
			}
			var skipped []string
			for _, d := range ds {
				if d.Outcome() == app.DateLeft {
					skipped = append(skipped, app.ReadablePath(path.Base(d.Path))+": "+d.Skipped)
					continue
				}
				if d.New != "" {
					v.decided[d.Path] = d.New
				}
			}
			said := countDecisions(ds).done()
			if len(skipped) > 0 {
				said += "; not dated: " + strings.Join(skipped, "; ")
			}
			v.say(said)
			v.reshow = true
			v.reload()
		})
	})
}

// reshowDetail shows the selected file again after a decision, from the
// rows just read, so its new date and source appear. Its row is selected
// again (or not, if it left the filter) once the rows are filtered
// (showRows). It reports whether it did.
func (v *filesView) reshowDetail() bool {
	if !v.reshow {
		return false
	}
	v.reshow = false
	rows := v.set.rows
	for i := range rows {
		if isRowKey(&rows[i], v.selected) {
			v.showDetail(rows[i])
			return true
		}
	}
	return false
}
