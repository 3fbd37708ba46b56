package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/media"
	"shoebox/store"
)

// reviewFixture is one folder of dated and doubtful photos: a conflict, a
// LOW and a NONE among HIGH and MEDIUM ones.
func reviewFixture() []store.FileRecord {
	a := rec("trip/IMG_0001.jpg", media.ConfidenceHigh, media.StatusDone, "2016-08-01T10:00:00")
	b := rec("trip/IMG_0002.jpg", media.ConfidenceNone, media.StatusDone, "")
	b.Time.Candidates = []media.Candidate{
		{Kind: media.KindSequence, Source: media.SourceSequence, Value: "2016-08-01T10:30:00", Detail: "between IMG_0001 and IMG_0003"},
		{Kind: media.KindMtime, Source: media.SourceMtime, Value: "2024-01-02T10:00:00.250", Detail: "file modification time"},
		{Kind: media.KindFilenameDate, Source: media.SourceFilename, Value: "1970-01-01", Detail: "file name", Rejected: true, Reason: "before 2000"},
	}
	c := rec("trip/IMG_0003.jpg", media.ConfidenceHigh, media.StatusDone, "2016-08-01T11:00:00")
	c.Time.Conflict = "exif_original 2016-08-01T11:00:00 and takeout 2016-08-01T20:00:00 disagree"
	d := rec("trip/IMG_0004.jpg", media.ConfidenceLow, media.StatusDone, "2016-01-01T00:00:00")
	d.Time.Candidates = []media.Candidate{
		{Kind: media.KindFolder, Source: media.SourceFolder, Value: "2016-01-01", Detail: `folder "2016"`, Chosen: true},
	}
	e := rec("trip/IMG_0005.jpg", media.ConfidenceMedium, media.StatusDone, "2016-08-02T09:00:00")
	f := rec("other/IMG_0001.jpg", media.ConfidenceHigh, media.StatusDone, "2010-01-01T00:00:00")
	g := rec("broken.jpg", media.ConfidenceNone, media.StatusError, "")
	return []store.FileRecord{a, b, c, d, e, f, g}
}

func openReview(t *testing.T) (*fakeEngine, *filesView) {
	t.Helper()
	f := newFake()
	f.files[1] = reviewFixture()
	u := newTestUI(t, f)
	u.startJob([]string{t.TempDir()})
	u.tabs.SelectIndex(tabFiles)
	u.files.confSel.SetSelected(confReview)
	return f, u.files
}

func selectPath(t *testing.T, v *filesView, rel string) {
	t.Helper()
	if i := rowAt(v, rel); i >= 0 {
		v.table.Select(widget.TableCellID{Row: i, Col: 0})
		return
	}
	t.Fatalf("%s is not listed: %s", rel, rowPaths(v))
}

func TestReviewFilterListsOnlyDoubtfulDates(t *testing.T) {
	_, v := openReview(t)
	if got := rowPaths(v); got != "trip/IMG_0002.jpg trip/IMG_0003.jpg trip/IMG_0004.jpg" {
		t.Fatalf("review lists %s; want the NONE, the conflict and the LOW file", got)
	}
}

func TestReviewShowsCandidatesAndNeighbours(t *testing.T) {
	_, v := openReview(t)
	selectPath(t, v, "trip/IMG_0002.jpg")
	detail := joined(v.detail.root)
	for _, want := range []string{
		// value, kind in words, detail
		"2016-08-01 10:30:00\nbetween its neighbours", "between IMG_0001 and IMG_0003",
		"2024-01-02 10:00:00.250\nfile last modified", "rejected: before 2000",
		"Before: IMG_0001.jpg — 2016-08-01 10:00:00 (EXIF, HIGH)",
		"After: IMG_0003.jpg — 2016-08-01 11:00:00 (EXIF, HIGH)",
		"Set date…",
	} {
		if !strings.Contains(detail, want) {
			t.Errorf("detail lacks %q:\n%s", want, detail)
		}
	}
	if n := strings.Count(detail, "Use this date"); n != 2 {
		t.Errorf("%d \"Use this date\" buttons; want 2 (the rejected candidate has none):\n%s", n, detail)
	}
	if v.detail.thumb.Image == nil {
		t.Error("no thumbnail")
	}
	selectPath(t, v, "trip/IMG_0004.jpg") // the last but one: IMG_0005 after it
	detail = joined(v.detail.root)
	// Its one candidate is its date already: the button confirms it.
	if !strings.Contains(detail, "2016-01-01\nfolder name") || !strings.Contains(detail, "Confirm this date") ||
		strings.Contains(detail, "Use this date") {
		t.Errorf("the chosen candidate of IMG_0004:\n%s", detail)
	}
	if !strings.Contains(detail, "After: IMG_0005.jpg — 2016-08-02 09:00:00 (EXIF, MEDIUM)") {
		t.Errorf("neighbours of IMG_0004:\n%s", detail)
	}
}

func TestUseThisDateDecidesTheCandidateAndTheRowShowsIt(t *testing.T) {
	f, v := openReview(t)
	selectPath(t, v, "trip/IMG_0002.jpg")
	b := findButton(v.detail.root, "Use this date") // the first: the sequence candidate
	if b == nil {
		t.Fatal("no Use this date button")
	}
	test.Tap(b)
	if len(f.setDates) != 1 || f.setDates[0].date != "2016-08-01T10:30:00" ||
		strings.Join(f.setDates[0].paths, ",") != "/photos/trip/IMG_0002.jpg" {
		t.Fatalf("SetDate calls: %+v", f.setDates)
	}
	var got app.FileRow
	for _, r := range v.set.rows {
		if r.RelPath() == "trip/IMG_0002.jpg" {
			got = r
		}
	}
	if got.Date != "2016-08-01T10:30:00" || got.Source != app.SourceUser || got.Confidence != media.ConfidenceHigh {
		t.Errorf("after the decision the file shows %q from %q (%s)", got.Date, got.Source, got.Confidence)
	}
	if strings.Contains(rowPaths(v), "IMG_0002") {
		t.Errorf("a file dated by the person to the second is still to review: %s", rowPaths(v))
	}
	// Said under the filters, still once the rows are read again.
	if !v.said.Visible() || v.said.Text != "1 file given a new date" {
		t.Errorf("after the decision the files say %q (shown %v)", v.said.Text, v.said.Visible())
	}
	if d := joined(v.detail.root); !strings.Contains(d, "set by you, HIGH confidence") || !strings.Contains(d, "was ") {
		t.Errorf("the detail panel does not show the decision:\n%s", d)
	}
	// A candidate's fraction of a second is dropped: ParseDate takes none.
	mtime := media.Candidate{Kind: media.KindMtime, Value: "2024-01-02T10:00:00.250+02:00"}
	if got := dateOfCandidate(mtime, v.u.now()); got != "2024-01-02T10:00:00+02:00" {
		t.Errorf("mtime candidate decided as %q", got)
	}
}

func TestSetDateValidatesAsYouTypeAndAppliesToTheFile(t *testing.T) {
	f, v := openReview(t)
	selectPath(t, v, "trip/IMG_0004.jpg")
	test.Tap(findButton(v.detail.root, "Set date…"))
	s := v.setDlg
	if s == nil {
		t.Fatal("no Set date dialog")
	}
	if !s.apply.Disabled() {
		t.Error("Apply is enabled with nothing typed")
	}
	if !strings.Contains(overlayText(v.u.win), "selected file only") {
		t.Errorf("the dialog does not say what it applies to:\n%s", overlayText(v.u.win))
	}
	for _, bad := range []string{"2016-13", "171546", "1800", "last summer"} {
		s.entry.SetText(bad)
		if !s.apply.Disabled() || s.err.Text == "" || !strings.Contains(overlayText(v.u.win), s.err.Text) {
			t.Errorf("%q: Apply disabled %v, error %q", bad, s.apply.Disabled(), s.err.Text)
		}
		test.Tap(s.apply)
	}
	if len(f.setDates) != 0 {
		t.Fatalf("a bad date reached the engine: %+v", f.setDates)
	}
	s.entry.SetText("2016-08")
	if s.apply.Disabled() || s.err.Text != "" {
		t.Fatalf("2016-08: Apply disabled %v, error %q", s.apply.Disabled(), s.err.Text)
	}
	test.Tap(s.apply)
	if len(f.setDates) != 1 || f.setDates[0].date != "2016-08" ||
		strings.Join(f.setDates[0].paths, ",") != "/photos/trip/IMG_0004.jpg" {
		t.Fatalf("SetDate calls: %+v", f.setDates)
	}
	if v.setDlg != nil || v.u.win.Canvas().Overlays().Top() != nil {
		t.Error("the dialog stays open after Apply")
	}
	// Known only to the month: LOW, so it stays in the review, now from the person.
	if i := rowAt(v, "trip/IMG_0004.jpg"); i >= 0 {
		if r := v.row(i); r.Source != app.SourceUser || r.Confidence != media.ConfidenceLow || fileCell(r, 2) != "your date" {
			t.Errorf("row after Set date: %q %q %s", fileCell(r, 1), fileCell(r, 2), r.Confidence)
		}
		return
	}
	t.Errorf("a date known to the month left the review: %s", rowPaths(v))
}

// A date chosen with HIGH confidence and no conflict offers nothing to
// confirm; a LOW one, or one in conflict, does.
func TestOnlyADoubtfulChosenDateIsOfferedToConfirm(t *testing.T) {
	_, v := openReview(t)
	r := rec("trip/IMG_0009.jpg", media.ConfidenceHigh, media.StatusDone, "2016-08-01T10:00:00")
	c := media.Candidate{Kind: media.KindEXIFOriginal, Source: media.SourceEXIF, Value: "2016-08-01T10:00:00", Chosen: true}
	if text := joined(v.detail.candidateWithUse(r, c)); strings.Contains(text, "Confirm this date") {
		t.Errorf("a HIGH date is offered to confirm:\n%s", text)
	}
	r.Time.Conflict = "exif_original and takeout disagree"
	if text := joined(v.detail.candidateWithUse(r, c)); !strings.Contains(text, "Confirm this date") {
		t.Errorf("a HIGH date in conflict is not offered to confirm:\n%s", text)
	}
	r.Time.Conflict, r.Time.Confidence = "", media.ConfidenceLow
	if text := joined(v.detail.candidateWithUse(r, c)); !strings.Contains(text, "Confirm this date") {
		t.Errorf("a LOW date is not offered to confirm:\n%s", text)
	}
}

// A date the core refuses for a file says why under the filters, and the
// rows read again after it do not take the words away.
func TestADateNotSetSaysWhyAfterTheRowsAreReadAgain(t *testing.T) {
	f, v := openReview(t)
	f.setDateLeft = "the file changed since the scan"
	selectPath(t, v, "trip/IMG_0002.jpg")
	b := findButton(v.detail.root, "Use this date")
	if b == nil {
		t.Fatal("no Use this date button")
	}
	test.Tap(b)
	if want := "0 files given a new date; not dated: IMG_0002.jpg: the file changed since the scan"; !v.said.Visible() || v.said.Text != want {
		t.Errorf("the files say %q (shown %v); want %q", v.said.Text, v.said.Visible(), want)
	}
	// Another scan shown: the words were about this one.
	v.load(2)
	if v.said.Visible() || v.said.Text != "" {
		t.Errorf("another scan's files say %q", v.said.Text)
	}
}
