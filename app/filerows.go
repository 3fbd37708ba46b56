package app

import (
	"errors"
	"fmt"
	"math"
	"path"
	"path/filepath"
	"strings"
	"time"

	"shoebox/media"
	"shoebox/store"
	"shoebox/timestamp"
)

// The Files view lists every file of a job. At a million files the whole
// records (about a kilobyte each once decoded, with every candidate) do not
// fit a window's memory, and decoding them all takes tens of seconds, so the
// view holds a FileRow per file, built while the store is read in batches,
// and reads one whole record, the selected file's, when the person asks.

// RowFolder is a folder of a job's files. Rows of one folder share one, so
// a million rows hold as many folder paths as there are folders.
type RowFolder struct {
	Root      string // the scanned folder (store.FileRecord.Root)
	RootIndex int    // its place among the job's roots
	Path      string // relative to Root, '/' separators, with a trailing '/'; "" for Root itself
}

// FileRow is what the Files table shows of one file and sorts and filters
// by; FileOfRow reads the whole record.
//
// A million of them are held at once, so a row is kept small (80 bytes on
// a 64-bit machine, against 144 when each of its words was a string of its
// own): what many rows say alike (the type, the source and confidence of
// the date, the status) is one shared RowLook they point to, and the rows
// of a batch carve their names and dates from one string.
type FileRow struct {
	Dir *RowFolder
	// RowLook is shared with the other rows that look alike and is never
	// changed: read Kind, Source, Confidence, Status and Conflict through
	// it, and change them with SetDate, which gives the row another.
	*RowLook
	Name string // the base name
	Date string // the chosen date as media.Timestamp.Value; "" when none
	// Seq is the date numbered neighbours give the file, when they give one
	// (WithSequenceDates); FileOfRow adds it to the record's candidates.
	Seq  *timestamp.SequenceCandidate
	Size int64
	// DateNS orders the rows by date: the chosen instant in Unix nanoseconds,
	// NoDate when there is none.
	DateNS int64
	// AnalysedNS is when the file was analysed, Unix nanoseconds; 0 when not yet.
	AnalysedNS int64
}

// RowLook is what rows say alike: a library of a million files has a few
// dozen of them, one per combination of values.
type RowLook struct {
	Kind       string // a short file type: "JPEG", "MOV"
	Source     media.Source
	Confidence media.Confidence
	Status     media.Status
	// Conflict is set when strong sources disagree on the date (media.Timestamp.Conflict).
	Conflict bool
}

// NoDate is FileRow.DateNS of a file without a date: it sorts first.
const NoDate = math.MinInt64

// RelPath is the file's path relative to its root, as the record has it.
func (r *FileRow) RelPath() string { return r.Dir.Path + r.Name }

// AbsPath is where the file is on disk.
func (r *FileRow) AbsPath() string {
	return filepath.Join(r.Dir.Root, filepath.FromSlash(r.RelPath()))
}

// Key is the file's record key in the job (store.FileRecord.Key).
func (r *FileRow) Key(jobID uint64) []byte {
	rec := store.FileRecord{JobID: jobID, RootIndex: r.Dir.RootIndex, RelPath: r.RelPath()}
	return rec.Key()
}

// SetDate makes ts the row's chosen date. The row gets a RowLook of its
// own: the one it had is shared with other rows.
func (r *FileRow) SetDate(ts media.Timestamp) {
	var look RowLook
	if r.RowLook != nil {
		look = *r.RowLook
	}
	look = withDate(look, ts)
	r.RowLook = &look
	r.setDateOnly(ts)
}

// withDate is look with ts's source, confidence and conflict.
func withDate(look RowLook, ts media.Timestamp) RowLook {
	look.Source, look.Confidence, look.Conflict = ts.Source, ts.Confidence, ts.Conflict != ""
	return look
}

// setDateOnly sets what of ts is the row's own, not its look.
func (r *FileRow) setDateOnly(ts media.Timestamp) {
	r.Date, r.DateNS = ts.Value, timeKey(ts.Time)
}

// timeKey is t as FileRow.DateNS: instants outside what nanoseconds since
// 1970 can hold are clamped, so they still sort.
func timeKey(t time.Time) int64 {
	switch {
	case t.IsZero():
		return NoDate
	case t.Year() < 1678:
		return NoDate + 1
	case t.Year() > 2261:
		return math.MaxInt64
	}
	return t.UnixNano()
}

// TypeName is a short file type for a person: "JPEG", "HEIC", "MP4", from
// the MIME type, else the name's extension.
func TypeName(mime, name string) string {
	if strings.HasPrefix(mime, "image/") || strings.HasPrefix(mime, "video/") {
		if i := strings.IndexByte(mime, '/'); i >= 0 {
			sub := strings.TrimPrefix(mime[i+1:], "x-")
			sub = strings.TrimPrefix(sub, "vnd.")
			if sub == "quicktime" {
				sub = "mov"
			}
			return strings.ToUpper(sub)
		}
	}
	return strings.ToUpper(strings.TrimPrefix(path.Ext(name), "."))
}

// RowBuilder makes rows from records, sharing what rows repeat (folders,
// looks, roots). The zero value is not ready: use NewRowBuilder.
type RowBuilder struct {
	folders []map[string]*RowFolder // by root index, then relative folder
	words   map[string]string
	looks   map[RowLook]*RowLook
}

// NewRowBuilder is a RowBuilder with nothing shared yet.
func NewRowBuilder() *RowBuilder {
	return &RowBuilder{words: map[string]string{}, looks: map[RowLook]*RowLook{}}
}

func (b *RowBuilder) word(s string) string {
	if v, ok := b.words[s]; ok {
		return v
	}
	b.words[s] = s
	return s
}

// look is the shared RowLook equal to l.
func (b *RowBuilder) look(l RowLook) *RowLook {
	if p, ok := b.looks[l]; ok {
		return p
	}
	p := &l
	b.looks[l] = p
	return p
}

// Row is r's row; r's strings are copied or shared, never kept whole.
func (b *RowBuilder) Row(r *store.FileRecord) FileRow {
	_, name := path.Split(r.RelPath)
	return b.row(r, strings.Clone(name), r.Time.Value)
}

// Rows are the rows of a batch of records. Their names and dates are cut
// from one string, so a million rows hold a thousand allocations for them
// rather than two million, each rounded up to its size class.
func (b *RowBuilder) Rows(recs []store.FileRecord) []FileRow {
	n := 0
	for i := range recs {
		_, name := path.Split(recs[i].RelPath)
		n += len(name) + len(recs[i].Time.Value)
	}
	var sb strings.Builder
	sb.Grow(n)
	for i := range recs {
		_, name := path.Split(recs[i].RelPath)
		sb.WriteString(name)
		sb.WriteString(recs[i].Time.Value)
	}
	text, at := sb.String(), 0
	rows := make([]FileRow, len(recs))
	for i := range recs {
		r := &recs[i]
		_, name := path.Split(r.RelPath)
		nameEnd := at + len(name)
		dateEnd := nameEnd + len(r.Time.Value)
		rows[i] = b.row(r, text[at:nameEnd], text[nameEnd:dateEnd])
		at = dateEnd
	}
	return rows
}

// row is r's row, named name and dated date (r's own, or a copy).
func (b *RowBuilder) row(r *store.FileRecord, name, date string) FileRow {
	dir := r.RelPath[:len(r.RelPath)-len(name)]
	for len(b.folders) <= r.RootIndex {
		b.folders = append(b.folders, map[string]*RowFolder{})
	}
	f := b.folders[r.RootIndex][dir]
	if f == nil || f.Root != r.Root {
		f = &RowFolder{Root: b.word(r.Root), RootIndex: r.RootIndex, Path: strings.Clone(dir)}
		b.folders[r.RootIndex][f.Path] = f
	}
	look := withDate(RowLook{Kind: TypeName(r.MIME, r.RelPath), Status: r.Status}, r.Time)
	row := FileRow{Dir: f, RowLook: b.look(look), Name: name, Date: date, DateNS: timeKey(r.Time.Time), Size: r.Size}
	if !r.AnalysedAt.IsZero() {
		row.AnalysedNS = r.AnalysedAt.UnixNano()
	}
	return row
}

// FileRowsOptions are the settings of Library.FileRows.
type FileRowsOptions struct {
	// Batch is how many rows a batch holds; store.DefaultEachBatch when 0.
	Batch int
}

// FileRowsBatch is one delivery of Library.FileRows.
type FileRowsBatch struct {
	// Rows are the next rows, in the job's order, after those of the
	// batches before. The slice is the receiver's to keep.
	Rows []FileRow
	// Total is how many files the job's record counts (0 when unknown):
	// what the rows will number, give or take files listed since.
	Total int
	// Last is set on the last batch, which may have no rows.
	Last bool
	// Dated, on the last batch only, is the rows already given whose date
	// numbered neighbours change: known only once every file was read.
	Dated []DatedRow
}

// DatedRow is a date from numbered neighbours for an earlier row.
type DatedRow struct {
	At   int             // the row's place among all the rows given
	Date media.Timestamp // the row's chosen date now (Candidates left out)
	Seq  timestamp.SequenceCandidate
	// look is the row's look with Date, shared as the builder shares
	// looks, so a million rows dated by neighbours make no million looks.
	look *RowLook
}

// Apply gives the row its neighbours' date.
func (d DatedRow) Apply(r *FileRow) {
	if d.look != nil && r.RowLook != nil && d.look.Kind == r.Kind && d.look.Status == r.Status {
		r.RowLook = d.look
		r.setDateOnly(d.Date)
	} else {
		r.SetDate(d.Date)
	}
	seq := d.Seq
	r.Seq = &seq
}

// seqRow is what the neighbours' rule needs to remember of one analysed
// row with a numbered name that may get a date from its neighbours (one
// without a trusted date, timestamp.Sequence's target), besides its
// timestamp.SequenceFile. The row's timestamp is kept in parts (64 bytes,
// not 144), its value being the SequenceFile's and its source and
// confidence the row's look's.
type seqRow struct {
	at        int
	corrected bool
	zoneKnown bool
	look      *RowLook // the row's, as given
	time      time.Time
	conflict  string
}

// newSeqRow remembers the row at, of timestamp ts.
func newSeqRow(at int, corrected bool, ts media.Timestamp, look *RowLook) seqRow {
	return seqRow{at: at, corrected: corrected, zoneKnown: ts.ZoneKnown, look: look, time: ts.Time, conflict: ts.Conflict}
}

// timestamp is the row's timestamp again, candidates left out; value is
// its SequenceFile's Value.
func (s seqRow) timestamp(value string) media.Timestamp {
	return media.Timestamp{Value: value, Time: s.time, ZoneKnown: s.zoneKnown, Source: s.look.Source,
		Confidence: s.look.Confidence, Conflict: s.conflict}
}

// FileRows reads a job's files as rows, in batches handed to fn as they
// are read, so a window shows the first ones at once: a person's decisions
// applied, and, in the last batch, the dates numbered neighbours give (as
// Files and EachFile do). Only rows and what the neighbours' rule needs are
// held. A damaged record is left out and the walk ends with the store's
// *DamagedRecords error, after the last batch; an error from fn stops it.
func (l *Library) FileRows(jobID uint64, opt FileRowsOptions, fn func(FileRowsBatch) error) error {
	decided, err := l.decidedDates()
	if err != nil {
		return err
	}
	total := 0
	if j, err := l.db.Job(jobID); err == nil {
		total = j.ProgressTotal
	}
	b := NewRowBuilder()
	absFolders := map[*RowFolder]string{}
	// Only files with a numbered camera name are kept for the neighbours'
	// rule (as EachFile keeps them): it neither dates another file nor
	// dates others by it.
	var files []timestamp.SequenceFile
	// Per SequenceFile, its seqRow's place in targets; -1 for a file with
	// a trusted date, which only dates others. A million camera-numbered
	// names with trusted dates held a seqRow each (64 MB); now 4 bytes.
	var targetOf []int32
	var targets []seqRow
	n := 0
	damaged := l.db.EachFileBatch(jobID, opt.Batch, func(recs []store.FileRecord) error {
		corrected := make([]bool, len(recs))
		for i := range recs {
			var err error
			if corrected[i], err = decided.apply(&recs[i]); err != nil {
				return err
			}
		}
		rows := b.Rows(recs)
		for i := range recs {
			r := &recs[i]
			if r.Status != media.StatusDone {
				continue
			}
			row := &rows[i]
			if _, _, numbered := timestamp.SeriesOf(row.Name); !numbered {
				continue
			}
			abs, ok := absFolders[row.Dir]
			if !ok {
				abs = filepath.Join(row.Dir.Root, filepath.FromSlash(row.Dir.Path))
				absFolders[row.Dir] = abs
			}
			files = append(files, timestamp.SequenceFile{Name: row.Name, Folder: abs, Camera: b.word(r.Camera),
				Value: row.Date, Confidence: row.Confidence})
			target := int32(-1)
			if row.Confidence != media.ConfidenceHigh && row.Confidence != media.ConfidenceMedium {
				target = int32(len(targets))
				targets = append(targets, newSeqRow(n+i, corrected[i], r.Time, row.RowLook))
			}
			targetOf = append(targetOf, target)
		}
		n += len(recs)
		return fn(FileRowsBatch{Rows: rows, Total: total})
	})
	if damaged != nil && !errors.Is(damaged, store.ErrDamaged) {
		return damaged
	}
	last := FileRowsBatch{Total: total, Last: true}
	for _, c := range timestamp.Sequence(files, timestamp.SequenceOptions{}) {
		t := targetOf[c.File]
		if t < 0 {
			continue // Sequence dates only files without a trusted date
		}
		s := targets[t]
		ts := s.timestamp(files[c.File].Value)
		if !s.corrected { // a decision wins over a guess from neighbours
			applySequence(&ts, c)
		}
		ts.Candidates = nil
		look := b.look(withDate(*s.look, ts))
		last.Dated = append(last.Dated, DatedRow{At: s.at, Date: ts, Seq: c, look: look})
	}
	if err := fn(last); err != nil {
		return err
	}
	return damaged
}

// FileOfRow reads the whole record of a row of the job, as Files shows it:
// a person's decision applied, and the neighbours' date the row carries.
func (l *Library) FileOfRow(jobID uint64, row FileRow) (store.FileRecord, error) {
	r, err := l.db.FileByKey(row.Key(jobID))
	if err != nil {
		return r, fmt.Errorf("reading %s: %w", row.AbsPath(), err)
	}
	c, decided, err := decisionOf(l.db, r.SHA256)
	if err != nil {
		return r, err
	}
	dateAsShown(&r, row.Seq, c, decided)
	return r, nil
}

// FailedFiles lists a job's files that could not be analysed, reading no
// other record whole.
func (l *Library) FailedFiles(jobID uint64) ([]store.FileRecord, error) {
	return l.db.FilesWithStatus(jobID, media.StatusError)
}
