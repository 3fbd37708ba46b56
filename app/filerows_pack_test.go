package app

import (
	"testing"
	"time"

	"shoebox/media"
	"shoebox/store"
	"shoebox/timestamp"
)

// shownRow is what the Files view shows and sorts by of a row, as plain values.
type shownRow struct {
	Root, Folder, Name, Date, Kind string
	Source                         media.Source
	Confidence                     media.Confidence
	Status                         media.Status
	Conflict                       bool
	Size, DateNS, AnalysedNS       int64
}

func shown(r FileRow) shownRow {
	return shownRow{Root: r.Dir.Root, Folder: r.Dir.Path, Name: r.Name, Date: r.Date, Kind: r.Kind,
		Source: r.Source, Confidence: r.Confidence, Status: r.Status, Conflict: r.Conflict,
		Size: r.Size, DateNS: r.DateNS, AnalysedNS: r.AnalysedNS}
}

// TestRowsCarvedFromABatchSayWhatTheRecordsSay builds the rows of a batch
// of records of every sort (HEIC, video, no date, a date from the name, a
// conflict, a failed file, a file not analysed yet, a name beyond ASCII)
// both one by one and from the batch's one string, and checks each shows
// exactly the record's name, date, type, source, confidence and status,
// that rows alike share one look and that changing a row's date changes
// no other row.
func TestRowsCarvedFromABatchSayWhatTheRecordsSay(t *testing.T) {
	at := time.Date(2016, 8, 1, 10, 30, 0, 0, time.UTC)
	analysed := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	dated := func(v string, src media.Source, conf media.Confidence) media.Timestamp {
		return media.Timestamp{Value: v, Time: at, Source: src, Confidence: conf}
	}
	recs := []store.FileRecord{
		{Root: "/p", RelPath: "2016/IMG_0001.HEIC", MIME: "image/heic", Size: 10, Status: media.StatusDone,
			AnalysedAt: analysed, Time: dated("2016-08-01T10:30:00", media.SourceEXIF, media.ConfidenceHigh)},
		{Root: "/p", RelPath: "2016/IMG_0002.HEIC", MIME: "image/heic", Size: 11, Status: media.StatusDone,
			AnalysedAt: analysed, Time: dated("2016-08-01T10:31:00+02:00", media.SourceEXIF, media.ConfidenceHigh)},
		{Root: "/p", RelPath: "2016/clip.MOV", MIME: "video/quicktime", Size: 12, Status: media.StatusDone,
			Time: dated("2016-08-01T10:32:00Z", media.SourceVideo, media.ConfidenceMedium)},
		{Root: "/p", RelPath: "undated.jpg", MIME: "image/jpeg", Size: 13, Status: media.StatusDone,
			Time: media.Timestamp{Source: media.SourceNone, Confidence: media.ConfidenceNone}},
		{Root: "/p", RelPath: "a/b/20160801_103000.mp4", MIME: "video/mp4", Size: 14, Status: media.StatusDone,
			Time: dated("2016-08-01T10:30:00", media.SourceFilename, media.ConfidenceMedium)},
		{Root: "/p", RelPath: "a/b/disputed.jpg", MIME: "image/jpeg", Size: 15, Status: media.StatusDone,
			Time: media.Timestamp{Value: "2016-08-01", Time: at, Source: media.SourceEXIF,
				Confidence: media.ConfidenceLow, Conflict: "exif and takeout disagree"}},
		{Root: "/q", RootIndex: 1, RelPath: "broken.jpg", MIME: "", Size: 16, Status: media.StatusError},
		{Root: "/q", RootIndex: 1, RelPath: "later.png", Size: 17, Status: media.StatusPending},
		{Root: "/q", RootIndex: 1, RelPath: "Été/ÉCOLE.JPG", MIME: "image/jpeg", Size: 18, Status: media.StatusDone,
			Time: dated("1601-01-01T00:00:00", media.SourceFolder, media.ConfidenceLow)},
	}
	want := []shownRow{
		{"/p", "2016/", "IMG_0001.HEIC", "2016-08-01T10:30:00", "HEIC", media.SourceEXIF, media.ConfidenceHigh, media.StatusDone, false, 10, at.UnixNano(), analysed.UnixNano()},
		{"/p", "2016/", "IMG_0002.HEIC", "2016-08-01T10:31:00+02:00", "HEIC", media.SourceEXIF, media.ConfidenceHigh, media.StatusDone, false, 11, at.UnixNano(), analysed.UnixNano()},
		{"/p", "2016/", "clip.MOV", "2016-08-01T10:32:00Z", "MOV", media.SourceVideo, media.ConfidenceMedium, media.StatusDone, false, 12, at.UnixNano(), 0},
		{"/p", "", "undated.jpg", "", "JPEG", media.SourceNone, media.ConfidenceNone, media.StatusDone, false, 13, NoDate, 0},
		{"/p", "a/b/", "20160801_103000.mp4", "2016-08-01T10:30:00", "MP4", media.SourceFilename, media.ConfidenceMedium, media.StatusDone, false, 14, at.UnixNano(), 0},
		{"/p", "a/b/", "disputed.jpg", "2016-08-01", "JPEG", media.SourceEXIF, media.ConfidenceLow, media.StatusDone, true, 15, at.UnixNano(), 0},
		{"/q", "", "broken.jpg", "", "JPG", "", "", media.StatusError, false, 16, NoDate, 0},
		{"/q", "", "later.png", "", "PNG", "", "", media.StatusPending, false, 17, NoDate, 0},
		{"/q", "Été/", "ÉCOLE.JPG", "1601-01-01T00:00:00", "JPEG", media.SourceFolder, media.ConfidenceLow, media.StatusDone, false, 18, at.UnixNano(), 0},
	}
	b := NewRowBuilder()
	rows := b.Rows(recs)
	one := NewRowBuilder()
	for i := range recs {
		if got := shown(rows[i]); got != want[i] {
			t.Errorf("%s from the batch shows\n %+v\nwant\n %+v", recs[i].RelPath, got, want[i])
		}
		if got := shown(one.Row(&recs[i])); got != want[i] {
			t.Errorf("%s alone shows\n %+v\nwant\n %+v", recs[i].RelPath, got, want[i])
		}
		if rows[i].RelPath() != recs[i].RelPath || rows[i].AbsPath() != recs[i].AbsPath() {
			t.Errorf("row %d is at %s (%s), want %s", i, rows[i].RelPath(), rows[i].AbsPath(), recs[i].RelPath)
		}
	}
	if rows[0].RowLook != rows[1].RowLook || rows[0].Dir != rows[1].Dir {
		t.Error("two HEICs dated alike by EXIF do not share one look and one folder")
	}

	// A decided date changes that row alone.
	rows[0].SetDate(media.Timestamp{Value: "2001-02-03", Time: at.AddDate(-15, 0, 0), Source: SourceUser,
		Confidence: media.ConfidenceLow, Conflict: "x"})
	if rows[0].Source != SourceUser || rows[0].Confidence != media.ConfidenceLow || !rows[0].Conflict ||
		rows[0].Kind != "HEIC" || rows[0].Status != media.StatusDone || rows[0].Date != "2001-02-03" {
		t.Errorf("after SetDate the row shows %+v", shown(rows[0]))
	}
	if got := shown(rows[1]); got != want[1] {
		t.Errorf("SetDate on another row changed this one: %+v", got)
	}

	// A neighbours' date applies as SetDate does, with a look shared.
	seqTS := media.Timestamp{Value: "2016-08-01T10:31:30", Time: at.Add(90 * time.Second),
		Source: media.SourceSequence, Confidence: media.ConfidenceMedium}
	d := DatedRow{At: 1, Date: seqTS, Seq: timestamp.SequenceCandidate{File: 1}, look: b.look(withDate(*rows[1].RowLook, seqTS))}
	viaLook, viaSetDate := rows[1], rows[1]
	d.Apply(&viaLook)
	d.look = nil
	d.Apply(&viaSetDate)
	if shown(viaLook) != shown(viaSetDate) || viaLook.Seq == nil || viaLook.Seq.File != 1 ||
		viaLook.Source != media.SourceSequence || viaLook.Date != seqTS.Value {
		t.Errorf("a neighbours' date shows %+v with its look, %+v without", shown(viaLook), shown(viaSetDate))
	}
	if got := shown(rows[1]); got != want[1] {
		t.Errorf("applying a neighbours' date to a copy changed the row: %+v", got)
	}
}
