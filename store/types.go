package store

import (
	"encoding/hex"
	"encoding/json"
	"time"

	"shoebox/media"
)

// JobState is where a job is in its life. The engine (package app) owns the
// transition table; the store only persists the value.
type JobState string

const (
	StatePending   JobState = "PENDING"   // created, files being listed
	StateRunning   JobState = "RUNNING"   // workers are analysing files
	StatePaused    JobState = "PAUSED"    // stopped by the person, or found interrupted after a crash
	StateCompleted JobState = "COMPLETED" // every file analysed
	StateFailed    JobState = "FAILED"    // the job itself could not go on (store I/O, no readable root)
	StateHalted    JobState = "HALTED"    // too many files failed; can be resumed
	StateCancelled JobState = "CANCELLED" // stopped for good; what was committed stays
)

// Job is one run of the job engine: a scan over one or more root folders, or
// a change run (Kind and Change say which; see changes.go).
type Job struct {
	ID uint64 `json:"id"`
	// Kind is what the job does: KindScan ("" in libraries written before
	// change runs), KindDups or KindUndo.
	Kind   JobKind  `json:"kind,omitempty"`
	Roots  []string `json:"roots"`
	Status JobState `json:"status"`
	// Listed is true once every file of the roots has been stored as pending.
	Listed          bool   `json:"listed"`
	ProgressCurrent int    `json:"progress_current"` // files analysed (done + error + skipped)
	ProgressTotal   int    `json:"progress_total"`
	ErrorCount      int    `json:"error_count"`
	SkippedCount    int    `json:"skipped_count"`
	ReusedCount     int    `json:"reused_count"` // files whose analysis was reused from an earlier job
	CurrentFilename string `json:"current_filename"`
	ErrorMessage    string `json:"error_message"`
	// Interrupted is set when the job was found RUNNING with no live owner
	// (the process died) and was moved to PAUSED.
	Interrupted bool      `json:"interrupted,omitempty"`
	OwnerPID    int       `json:"owner_pid,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	StartedAt   time.Time `json:"started_at"`
	CompletedAt time.Time `json:"completed_at"`
	// AcceptedProcessed and AcceptedErrors are the job's counts when the
	// person last chose to go on despite its failures (resuming it after a
	// halt, retrying its failed files). The error threshold judges only the
	// files processed since (app/threshold.go).
	AcceptedProcessed int `json:"accepted_processed,omitempty"`
	AcceptedErrors    int `json:"accepted_errors,omitempty"`
	// Base is the earlier scan this one is stored over (view.go): its files
	// are the base's, except those it stored itself or marked gone. 0: the
	// job stored all its files.
	Base uint64 `json:"base,omitempty"`
	// Settings is the engine's settings as JSON, as the job ran with them.
	Settings json.RawMessage `json:"settings,omitempty"`
	// Change describes a change run; nil for a scan.
	Change *ChangeRun `json:"change,omitempty"`
}

// FileRecord is one file of one job, with its analysis once it has one.
type FileRecord struct {
	JobID     uint64 `json:"job"`
	RootIndex int    `json:"root_index"`
	Root      string `json:"root"`
	RelPath   string `json:"path"` // relative to Root, '/' separators
	// Fingerprint of the file as listed: a rescan reuses the analysis when all match.
	Size    int64  `json:"size"`
	MtimeNS int64  `json:"mtime_ns"`
	CtimeNS int64  `json:"ctime_ns,omitempty"`
	Inode   uint64 `json:"inode,omitempty"`

	Status     media.Status `json:"status"`
	Error      string       `json:"error,omitempty"`
	Note       string       `json:"note,omitempty"`
	Reused     bool         `json:"reused,omitempty"`
	MIME       string       `json:"mime,omitempty"`
	SHA256     string       `json:"sha256,omitempty"` // hex
	PHash      uint64       `json:"phash,omitempty"`
	DHash      uint64       `json:"dhash,omitempty"`
	HasPHash   bool         `json:"has_phash,omitempty"`
	Width      int          `json:"width,omitempty"`
	Height     int          `json:"height,omitempty"`
	LumaMean   float32      `json:"luma_mean,omitempty"`
	LumaStdDev float32      `json:"luma_stddev,omitempty"`
	ChromaCb   float32      `json:"chroma_cb,omitempty"`
	ChromaCr   float32      `json:"chroma_cr,omitempty"`
	// Analysis is the media.AnalysisVersion that produced the fields
	// above (0 before versions were recorded). A rescan reuses only analyses
	// of the current version, and the image statistics (luma and chroma) are
	// trusted only from version 2 on.
	Analysis int    `json:"analysis,omitempty"`
	Camera   string `json:"camera,omitempty"` // EXIF Make and Model
	// CameraSerial is the body serial number (media.Result); records
	// analysed before it was read have none.
	CameraSerial string `json:"camera_serial,omitempty"`
	// ContentID is Apple's Live Photo content identifier (media.Result);
	// records written before it was read have none.
	ContentID  string          `json:"content_id,omitempty"`
	Time       media.Timestamp `json:"time"`
	AnalysedAt time.Time       `json:"analysed_at,omitempty"`
}

// Mtime is the modification time as listed.
func (f *FileRecord) Mtime() time.Time { return time.Unix(0, f.MtimeNS) }

// ApplyResult copies an analysis result into the record.
func (f *FileRecord) ApplyResult(r media.Result, at time.Time) {
	f.Status = r.Status
	f.Error = r.Error
	f.Note = r.Note
	f.MIME = r.MIME
	f.SHA256 = ""
	if r.Status == media.StatusDone || r.SHA256 != ([32]byte{}) {
		f.SHA256 = hex.EncodeToString(r.SHA256[:])
	}
	f.PHash, f.DHash, f.HasPHash = r.PHash, r.DHash, r.HasPHash
	f.Width, f.Height = r.Width, r.Height
	f.Camera, f.CameraSerial, f.ContentID = r.Camera, r.CameraSerial, r.ContentID
	f.LumaMean, f.LumaStdDev = r.LumaMean, r.LumaStdDev
	f.ChromaCb, f.ChromaCr = r.ChromaCb, r.ChromaCr
	f.Analysis = media.AnalysisVersion
	f.Time = r.Time
	f.Reused = false
	f.AnalysedAt = at
}
