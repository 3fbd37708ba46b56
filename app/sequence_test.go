package app

import (
	"bytes"
	"encoding/json"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"shoebox/media"
	"shoebox/store"
	"shoebox/timestamp"
)

// seqRecord is an analysed record of folder /photos/trip.
func seqRecord(name, value string, conf media.Confidence, cands ...media.Candidate) store.FileRecord {
	return store.FileRecord{Root: "/photos", RelPath: "trip/" + name, Status: media.StatusDone,
		Time: media.Timestamp{Value: value, Confidence: conf, Candidates: cands}}
}

func TestSequenceDatesChooseOnlyWhenBetter(t *testing.T) {
	mtime := media.Candidate{Kind: media.KindMtime, Source: media.SourceMtime, Value: "2024-01-01T00:00:00Z", Chosen: true}
	recs := []store.FileRecord{
		seqRecord("IMG_0001.JPG", "2019-07-14T10:00:00", media.ConfidenceHigh),
		seqRecord("IMG_0002.JPG", "2024-01-01T00:00:00Z", media.ConfidenceLow, mtime), // MEDIUM beats LOW
		seqRecord("IMG_0003.JPG", "2019-07-14T10:20:00", media.ConfidenceHigh),
		seqRecord("IMG_0004.JPG", "2024-01-01T00:00:00Z", media.ConfidenceLow, mtime), // LOW does not beat LOW
		seqRecord("IMG_0005.JPG", "2019-07-14T15:00:00", media.ConfidenceMedium),
		seqRecord("IMG_0006.JPG", "", media.ConfidenceNone), // LOW beats NONE… but it has no neighbour above
	}
	stored := recs[1].Time.Candidates
	got := WithSequenceDates(recs)

	ts := got[1].Time
	if ts.Source != media.SourceSequence || ts.Confidence != media.ConfidenceMedium || ts.Value != "2019-07-14T10:10:00" ||
		ts.Time.Format("15:04:05") != "10:10:00" {
		t.Errorf("IMG_0002: %+v", ts)
	}
	if len(ts.Candidates) != 2 || ts.Candidates[0].Chosen || !ts.Candidates[1].Chosen || ts.Candidates[1].Kind != media.KindSequence {
		t.Errorf("IMG_0002 candidates: %+v", ts.Candidates)
	}
	if len(stored) != 1 || !stored[0].Chosen {
		t.Errorf("the record's own candidate list was changed: %+v", stored)
	}

	ts = got[3].Time
	if ts.Source != "" || ts.Confidence != media.ConfidenceLow || len(ts.Candidates) != 2 || !ts.Candidates[0].Chosen ||
		ts.Candidates[1].Chosen || ts.Candidates[1].Source != media.SourceSequence {
		t.Errorf("IMG_0004 (LOW interval over a LOW date: kept, not chosen): %+v", ts)
	}
	for _, i := range []int{0, 2, 4, 5} {
		if n := len(got[i].Time.Candidates); n != 0 {
			t.Errorf("%s got %d candidates", got[i].RelPath, n)
		}
	}
}

// A modification time after the later of a file's numbered neighbours is
// when it was copied (a card copied with cp): the interval, as little
// trusted, is chosen instead. One inside it, a day off at most (time
// zones), or before the earlier neighbour (nothing is modified before it is
// taken: the numbers are another camera's) stays chosen.
func TestSequenceDatesOverruleAnMtimeAfterTheNeighbours(t *testing.T) {
	withMtime := func(name, value string) store.FileRecord {
		at, err := time.Parse(time.RFC3339, value)
		if err != nil {
			t.Fatal(err)
		}
		r := seqRecord(name, value, media.ConfidenceLow,
			media.Candidate{Kind: media.KindMtime, Source: media.SourceMtime, Value: value, Chosen: true})
		r.Time.Source, r.Time.Time = media.SourceMtime, at
		return r
	}
	recs := []store.FileRecord{
		seqRecord("DSC01002.JPG", "2020-04-01T09:18:56", media.ConfidenceHigh),
		withMtime("DSC01014.JPG", "2026-12-02T20:01:49Z"), // copied years after
		withMtime("DSC01015.JPG", "2021-03-01T12:00:00Z"), // inside: kept
		withMtime("DSC01016.JPG", "2022-07-20T08:00:00Z"), // less than a day after the later one: kept
		withMtime("DSC01013.JPG", "2019-04-20T19:30:09Z"), // before the earlier one: kept (the benchmark's DSC01014)
		seqRecord("DSC01017.JPG", "2022-07-19T14:19:35", media.ConfidenceHigh),
	}
	got := WithSequenceDates(recs)
	if ts := got[1].Time; ts.Source != media.SourceSequence || ts.Confidence != media.ConfidenceLow ||
		!strings.HasPrefix(ts.Value, "2021-05-25") {
		t.Errorf("DSC01014 (mtime years after its neighbours): %s from %s (%s)", ts.Value, ts.Source, ts.Confidence)
	}
	for _, i := range []int{2, 3, 4} {
		if ts := got[i].Time; ts.Source != media.SourceMtime || len(ts.Candidates) != 2 || ts.Candidates[1].Chosen {
			t.Errorf("%s (mtime not after its neighbours): %s from %s", got[i].RelPath, ts.Value, ts.Source)
		}
	}
}

func TestSequenceDatesSkipFilesNotAnalysed(t *testing.T) {
	recs := []store.FileRecord{
		seqRecord("IMG_0001.JPG", "2019-07-14T10:00:00", media.ConfidenceHigh),
		seqRecord("IMG_0002.JPG", "", media.ConfidenceNone),
		seqRecord("IMG_0003.JPG", "2019-07-14T10:20:00", media.ConfidenceHigh),
	}
	recs[1].Status = media.StatusError
	if got := WithSequenceDates(recs); len(got[1].Time.Candidates) != 0 {
		t.Errorf("a file that failed got %+v", got[1].Time.Candidates)
	}
}

// writeSeqJPEG writes a small JPEG, and an XMP sidecar with the date when
// xmpDate is not "" (a MEDIUM date the scan finds without EXIF).
func writeSeqJPEG(t *testing.T, dir, name, xmpDate string) {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 16, 16)), nil); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if xmpDate == "" {
		return
	}
	x := `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
		`<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:DateTimeOriginal="` + xmpDate + `"/></rdf:RDF></x:xmpmeta>`
	if err := os.WriteFile(filepath.Join(dir, strings.TrimSuffix(name, ".jpg")+".xmp"), []byte(x), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestSequenceReportThroughCLI(t *testing.T) {
	dir := t.TempDir()
	writeSeqJPEG(t, dir, "IMG_0100.jpg", "2019-07-14T10:00:00")
	writeSeqJPEG(t, dir, "IMG_0101.jpg", "")
	writeSeqJPEG(t, dir, "IMG_0102.jpg", "2019-07-14T10:20:00")
	db := filepath.Join(t.TempDir(), "lib.db")
	if code, _, stderr := runCLI(t, "scan", "--db", db, dir, "--workers", "1"); code != ExitCompleted {
		t.Fatalf("scan exit %d: %s", code, stderr)
	}
	report := func() map[string]ReportRow {
		code, out, stderr := runCLI(t, "report", "--db", db)
		if code != 0 {
			t.Fatalf("report exit %d: %s", code, stderr)
		}
		rows := map[string]ReportRow{}
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var r ReportRow
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				t.Fatal(err)
			}
			rows[r.Path] = r
		}
		return rows
	}
	rows := report()
	r := rows["IMG_0101.jpg"]
	if r.TimestampSource != "sequence" || r.Confidence != "MEDIUM" || r.Timestamp != "2019-07-14T10:10:00" {
		t.Fatalf("IMG_0101: %s %s %s", r.Timestamp, r.TimestampSource, r.Confidence)
	}
	var seq *ReportCandidate
	for i, c := range r.Candidates {
		if c.Source == "sequence" {
			seq = &r.Candidates[i]
		} else if c.Status == "chosen" {
			t.Errorf("also chosen: %+v", c)
		}
	}
	if seq == nil || seq.Status != "chosen" || !strings.Contains(seq.Detail, "IMG_0100.jpg taken 2019-07-14T10:00:00") ||
		!strings.Contains(seq.Detail, "IMG_0102.jpg taken 2019-07-14T10:20:00") {
		t.Fatalf("sequence candidate: %+v", seq)
	}
	for _, n := range []string{"IMG_0100.jpg", "IMG_0102.jpg"} {
		if rows[n].TimestampSource != "sidecar" || rows[n].Confidence != "MEDIUM" {
			t.Errorf("%s: %s %s", n, rows[n].TimestampSource, rows[n].Confidence)
		}
	}

	// Computed on read: the stored analysis is untouched, so a rescan
	// (which reuses it) and the next report agree.
	lib, err := OpenLibrary(db)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := lib.db.LatestFiles()
	lib.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range stored {
		if f.Time.Source == media.SourceSequence || strings.Contains(f.RelPath, "IMG_0101") && f.Time.Confidence != media.ConfidenceLow {
			t.Errorf("stored %s: %s %s", f.RelPath, f.Time.Source, f.Time.Confidence)
		}
	}
	if code, _, stderr := runCLI(t, "scan", "--db", db, dir, "--workers", "1"); code != ExitCompleted {
		t.Fatalf("rescan exit %d: %s", code, stderr)
	}
	if r := report()["IMG_0101.jpg"]; r.TimestampSource != "sequence" || len(r.Candidates) != len(rows["IMG_0101.jpg"].Candidates) {
		t.Errorf("after a rescan: %s with %d candidates", r.TimestampSource, len(r.Candidates))
	}
}

// The report streams the job (Library.EachFile) and says exactly what
// Library.Files says: decisions, then dates from neighbours, then decisions
// again, over two folders and with a rescan stored over the first scan.
func TestStreamedReportIsWhatFilesShows(t *testing.T) {
	dir := t.TempDir()
	sequenceFolders(t, dir, "IMG_0102.jpg")
	db := scanTwiceThenDecide(t, dir, "IMG_0102.jpg", "2019-07-14T10:05:00")
	for _, format := range []string{"jsonl", "csv"} {
		code, streamed, stderr := runCLI(t, "report", "--db", db, "--format", format)
		if code != 0 {
			t.Fatalf("report exit %d: %s", code, stderr)
		}
		lib, err := OpenLibraryWith(db, LibraryOptions{Mode: store.ReadOnly})
		if err != nil {
			t.Fatal(err)
		}
		jobs, _ := lib.Jobs()
		files, err := lib.Files(jobs[0].ID)
		lib.Close()
		if err != nil || len(files) < 5 { // the photos and their sidecars
			t.Fatalf("files: %d, %v", len(files), err)
		}
		var whole strings.Builder
		if err := WriteReport(&whole, files, format); err != nil {
			t.Fatal(err)
		}
		if streamed != whole.String() {
			t.Errorf("%s: the streamed report differs from Files:\n%s\nwant\n%s", format, streamed, whole.String())
		}
		if !strings.Contains(streamed, "sequence") || !strings.Contains(streamed, "2019-07-14T10:05:00") {
			t.Errorf("%s: no date from neighbours or no decision:\n%s", format, streamed)
		}
	}
}

// sequenceFolders writes five numbered photos into dir and its folder b,
// two without a date (IMG_0101 and b/IMG_0103), and gives the one at own
// (relative) bytes of its own after the image, so that a decision about its
// date (decisions follow the content) is about it alone.
func sequenceFolders(t *testing.T, dir, own string) {
	t.Helper()
	writeSeqJPEG(t, dir, "IMG_0100.jpg", "2019-07-14T10:00:00")
	writeSeqJPEG(t, dir, "IMG_0101.jpg", "")
	writeSeqJPEG(t, dir, "IMG_0102.jpg", "2019-07-14T10:20:00")
	if err := os.Mkdir(filepath.Join(dir, "b"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeSeqJPEG(t, filepath.Join(dir, "b"), "IMG_0103.jpg", "")
	writeSeqJPEG(t, filepath.Join(dir, "b"), "IMG_0104.jpg", "2019-07-14T10:40:00")
	f, err := os.OpenFile(filepath.Join(dir, filepath.FromSlash(own)), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString("trailing bytes"); err != nil {
		t.Fatal(err)
	}
}

// scanTwiceThenDecide scans dir into a new library twice (the second scan
// stored over the first) and sets the date of the file at decide (relative).
func scanTwiceThenDecide(t *testing.T, dir, decide, date string) (db string) {
	t.Helper()
	db = filepath.Join(t.TempDir(), "lib.db")
	for range 2 {
		if code, _, stderr := runCLI(t, "scan", "--db", db, dir, "--workers", "1"); code != ExitCompleted {
			t.Fatalf("scan exit %d: %s", code, stderr)
		}
	}
	if code, _, stderr := runCLI(t, "dates", "set", "--db", db, "--date", date,
		filepath.Join(dir, filepath.FromSlash(decide))); code != 0 {
		t.Fatalf("dates set: %d %s", code, stderr)
	}
	return db
}

// A file's date as Files shows it: the neighbours' date where it is more
// trusted, and a person's decision over either, the neighbours' guess then
// listed, unchosen; a file not analysed takes no guess.
func TestDateAsShownPutsTheDecisionOverTheNeighbours(t *testing.T) {
	seq := &timestamp.SequenceCandidate{Confidence: media.ConfidenceMedium, Time: time.Date(2019, 7, 14, 10, 10, 0, 0, time.UTC),
		Candidate: media.Candidate{Kind: media.KindSequence, Source: media.SourceSequence, Value: "2019-07-14T10:10:00"}}
	// Known to the year only, the decision is LOW: less trusted than the
	// neighbours' MEDIUM guess, and still the date shown.
	decision := store.Correction{Value: "2019", Precision: store.PrecisionYear, Source: "user", DecidedBy: "person"}
	fresh := func() store.FileRecord { return seqRecord("IMG_0002.JPG", "", media.ConfidenceNone) }

	r := fresh()
	dateAsShown(&r, seq, store.Correction{}, false)
	if r.Time.Source != media.SourceSequence || r.Time.Value != "2019-07-14T10:10:00" {
		t.Errorf("no decision: %+v", r.Time)
	}
	r = fresh()
	dateAsShown(&r, seq, decision, true)
	if c := r.Time.Candidates; r.Time.Value != decision.Value || r.Time.Confidence != media.ConfidenceLow || len(c) != 2 ||
		!c[0].Chosen || c[0].Kind != KindCorrection || c[1].Chosen || c[1].Kind != media.KindSequence {
		t.Errorf("decided, with neighbours: %+v", r.Time)
	}
	r = fresh()
	r.Status = media.StatusPending
	dateAsShown(&r, seq, store.Correction{}, false)
	if r.Time.Source == media.SourceSequence || len(r.Time.Candidates) != 0 {
		t.Errorf("not analysed, the neighbours' guess was taken: %+v", r.Time)
	}
}
