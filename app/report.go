package app

import (
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"shoebox/media"
	"shoebox/store"
)

// ReportCandidate is one timestamp candidate in the report.
type ReportCandidate struct {
	Source string `json:"source"`
	Value  string `json:"value"`
	Detail string `json:"detail"`
	// Status is "chosen", "accepted" (valid, not chosen) or "rejected"; Reason says why.
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
}

// ReportRow is one file of the report, with exactly the documented keys.
type ReportRow struct {
	Path            string            `json:"path"`
	Root            string            `json:"root"`
	Size            int64             `json:"size"`
	Mtime           string            `json:"mtime"`
	MIME            string            `json:"mime"`
	SHA256          string            `json:"sha256"`
	PHash           string            `json:"phash"`
	Width           int               `json:"width"`
	Height          int               `json:"height"`
	Timestamp       string            `json:"timestamp"`
	TimestampSource string            `json:"timestamp_source"`
	Confidence      string            `json:"confidence"`
	Candidates      []ReportCandidate `json:"candidates"`
	Status          string            `json:"status"`
	Error           string            `json:"error"`
	// PathBytes and RootBytes are the base64 of the raw bytes of Path and
	// Root, only when those are not valid UTF-8 (Path and Root then show
	// each invalid byte as U+FFFD).
	PathBytes string `json:"path_bytes,omitempty"`
	RootBytes string `json:"root_bytes,omitempty"`
}

// reportColumns are the CSV header, in the JSON key order. CSV always has
// the path_bytes and root_bytes columns; they are empty for valid names.
var reportColumns = []string{"path", "root", "size", "mtime", "mime", "sha256", "phash", "width", "height",
	"timestamp", "timestamp_source", "confidence", "candidates", "status", "error", "path_bytes", "root_bytes"}

// ReadablePath shows a name that is not valid UTF-8 (a Latin-1 name from an
// old disk, or a Windows name with an unpaired surrogate, which Go keeps as
// WTF-8) with each invalid byte as U+FFFD, so it can be printed, laid out
// and written as JSON or CSV. Valid names are returned as they are.
func ReadablePath(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return string([]rune(s)) // each invalid byte becomes one U+FFFD
}

// rawBytes is the base64 of s when s is not valid UTF-8, else "".
func rawBytes(s string) string {
	if utf8.ValidString(s) {
		return ""
	}
	return base64.StdEncoding.EncodeToString([]byte(s))
}

// NewReportRow turns a stored file into a report row.
func NewReportRow(f store.FileRecord) ReportRow {
	row := ReportRow{
		Path: ReadablePath(f.RelPath), Root: ReadablePath(f.Root), Size: f.Size,
		PathBytes: rawBytes(f.RelPath), RootBytes: rawBytes(f.Root),
		Mtime:  f.Mtime().Format(time.RFC3339),
		MIME:   f.MIME,
		SHA256: f.SHA256,
		Width:  f.Width, Height: f.Height,
		Timestamp:       f.Time.Value,
		TimestampSource: string(f.Time.Source),
		Confidence:      string(f.Time.Confidence),
		Candidates:      []ReportCandidate{},
		Status:          string(f.Status),
		Error:           ReadablePath(f.Error),
	}
	if f.HasPHash {
		row.PHash = fmt.Sprintf("%016x", f.PHash)
	}
	if row.Confidence == "" {
		row.Confidence = string(media.ConfidenceNone)
	}
	for _, c := range f.Time.Candidates {
		rc := ReportCandidate{Source: string(c.Source), Value: c.Value, Detail: c.Detail, Status: "accepted", Reason: c.Reason}
		switch {
		case c.Chosen:
			rc.Status = "chosen"
		case c.Rejected:
			rc.Status = "rejected"
		}
		row.Candidates = append(row.Candidates, rc)
	}
	if f.Time.Conflict != "" {
		// A conflict between strong sources must be visible in the report:
		// it is told on the chosen candidate.
		for i := range row.Candidates {
			if row.Candidates[i].Status == "chosen" {
				row.Candidates[i].Reason = joinNonEmpty(row.Candidates[i].Reason, "conflict: "+f.Time.Conflict)
			}
		}
	}
	return row
}

func joinNonEmpty(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// WriteReport writes every file of a job as JSON lines or CSV.
func WriteReport(w io.Writer, files []store.FileRecord, format string) error {
	rw, err := newReportWriter(w, format)
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := rw.write(f); err != nil {
			return err
		}
	}
	return rw.flush()
}

// reportWriter writes report rows one at a time, so a report streams.
type reportWriter struct {
	enc *json.Encoder
	csv *csv.Writer
}

func newReportWriter(w io.Writer, format string) (*reportWriter, error) {
	switch format {
	case "jsonl", "":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return &reportWriter{enc: enc}, nil
	case "csv":
		cw := csv.NewWriter(w)
		if err := cw.Write(reportColumns); err != nil {
			return nil, err
		}
		return &reportWriter{csv: cw}, nil
	}
	return nil, fmt.Errorf("unknown format %q (jsonl or csv)", format)
}

func (rw *reportWriter) write(f store.FileRecord) error {
	r := NewReportRow(f)
	if rw.enc != nil {
		return rw.enc.Encode(r)
	}
	cands, err := json.Marshal(r.Candidates)
	if err != nil {
		return err
	}
	return rw.csv.Write([]string{r.Path, r.Root, strconv.FormatInt(r.Size, 10), r.Mtime, r.MIME, r.SHA256, r.PHash,
		strconv.Itoa(r.Width), strconv.Itoa(r.Height), r.Timestamp, r.TimestampSource, r.Confidence,
		string(cands), r.Status, r.Error, r.PathBytes, r.RootBytes})
}

func (rw *reportWriter) flush() error {
	if rw.csv == nil {
		return nil
	}
	rw.csv.Flush()
	return rw.csv.Error()
}

func cmdReport(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("report", stderr)
	jobFlag := fs.String("job", "", "job ID (default: the latest)")
	format := fs.String("format", "jsonl", "jsonl or csv")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if *format != "jsonl" && *format != "csv" {
		return fmt.Errorf("unknown format %q (jsonl or csv)", *format)
	}
	lib, j, err := openJob(*db, *jobFlag)
	if err != nil {
		return err
	}
	defer lib.Close()
	rw, err := newReportWriter(stdout, *format)
	if err != nil {
		return err
	}
	// Streamed: the report never holds the job's records at once
	// (Library.EachFile). With damaged records, every readable one is still
	// reported; the error then says how many were not.
	err = lib.EachFile(j.ID, rw.write)
	if err != nil && !errors.Is(err, store.ErrDamaged) {
		return err
	}
	if werr := rw.flush(); werr != nil {
		return werr
	}
	return err
}

// jobJSON is one job in `jobs --json`, with exactly the documented keys.
type jobJSON struct {
	ID              uint64          `json:"id"`
	Kind            store.JobKind   `json:"kind"`
	Roots           []string        `json:"roots"`
	Status          store.JobState  `json:"status"`
	ProgressCurrent int             `json:"progress_current"`
	ProgressTotal   int             `json:"progress_total"`
	ErrorCount      int             `json:"error_count"`
	SkippedCount    int             `json:"skipped_count"`
	CurrentFilename string          `json:"current_filename"`
	ErrorMessage    string          `json:"error_message"`
	StartedAt       string          `json:"started_at"`
	CompletedAt     string          `json:"completed_at"`
	Settings        json.RawMessage `json:"settings"`
}

func rfc3339OrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func cmdJobs(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("jobs", stderr)
	asJSON := fs.Bool("json", false, "write JSON")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	lib, err := openToRead(*db)
	if err != nil {
		return err
	}
	defer lib.Close()
	jobs, damaged := lib.Jobs()
	if damaged != nil && !errors.Is(damaged, store.ErrDamaged) {
		return damaged
	}
	if err := writeJobs(stdout, jobs, *asJSON); err != nil {
		return err
	}
	return damaged // the readable jobs are listed; this says how many were not
}

func writeJobs(stdout io.Writer, jobs []store.Job, asJSON bool) error {
	if asJSON {
		out := make([]jobJSON, 0, len(jobs))
		for _, j := range jobs {
			settings := j.Settings
			if len(settings) == 0 {
				settings = json.RawMessage("{}")
			}
			out = append(out, jobJSON{
				ID: j.ID, Kind: kindName(j), Roots: j.Roots, Status: j.Status,
				ProgressCurrent: j.ProgressCurrent, ProgressTotal: j.ProgressTotal,
				ErrorCount: j.ErrorCount, SkippedCount: j.SkippedCount,
				CurrentFilename: j.CurrentFilename, ErrorMessage: j.ErrorMessage,
				StartedAt: rfc3339OrEmpty(j.StartedAt), CompletedAt: rfc3339OrEmpty(j.CompletedAt),
				Settings: settings,
			})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tSTATUS\tFILES\tERRORS\tSKIPPED\tSTARTED\tFOLDERS")
	for _, j := range jobs {
		status := string(j.Status)
		if j.Interrupted {
			status += " (interrupted)"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d/%d\t%d\t%d\t%s\t%s\n", j.ID, kindName(j), status, j.ProgressCurrent, j.ProgressTotal,
			j.ErrorCount, j.SkippedCount, j.StartedAt.Local().Format("2006-01-02 15:04"), jobWhat(j))
	}
	return tw.Flush()
}

// jobWhat is the last column of `jobs`: a scan's folders, what a change run does.
func jobWhat(j store.Job) string {
	if j.Change == nil {
		return joinRoots(j.Roots)
	}
	if j.Kind == store.KindDates { // dates_write.go
		return "dates written to " + j.Change.Action + " (see `shoebox runs`)"
	}
	if j.Change.UndoOf != 0 {
		return fmt.Sprintf("undo of run %d (see `shoebox runs`)", j.Change.UndoOf)
	}
	return fmt.Sprintf("%s of duplicate copies (see `shoebox runs`)", j.Change.Action)
}

func joinRoots(roots []string) string {
	s := ""
	for i, r := range roots {
		if i > 0 {
			s += ", "
		}
		s += ReadablePath(r)
	}
	return s
}
