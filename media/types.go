package media

import "time"

// AnalysisVersion numbers what Analyze measures. Stored analyses of an older
// version are redone, not reused, when the folder is scanned again
// (AnalysisCurrent). Version 2 added the mean colour (Result.ChromaCb and
// ChromaCr); version 3 hashes HEIF pictures (through heif-convert) and
// changed nothing else.
const AnalysisVersion = 3

// AnalysisCurrent says whether a stored analysis of the given version, of a
// file of type mime, measures what AnalysisVersion does, so that a rescan
// may reuse it. Version 3 changed HEIF pictures alone: a version-2 analysis
// of any other file is current, and a library of JPEGs is not analysed
// again for it.
func AnalysisCurrent(version int, mime string) bool {
	return AnalysisCurrentOf(version, IsHEIF(mime))
}

// AnalysisCurrentOf is AnalysisCurrent for a file known only as a HEIF
// picture or not (a rescan's path stamp).
func AnalysisCurrentOf(version int, heif bool) bool {
	switch version {
	case AnalysisVersion:
		return true
	case 2:
		return !heif
	}
	return false
}

// IsHEIF says whether mime (as mimetype names it) is a HEIF picture: HEIC,
// HEIF, AVIF or a sequence of them.
func IsHEIF(mime string) bool {
	switch mime {
	case "image/heic", "image/heif", "image/heic-sequence", "image/heif-sequence", "image/avif":
		return true
	}
	return false
}

// Status says what became of one file.
type Status string

const (
	StatusPending Status = "pending" // listed, not analysed yet
	StatusDone    Status = "done"    // analysed (perhaps without a perceptual hash)
	StatusError   Status = "error"   // a media file that could not be analysed; Result.Error says why
	StatusSkipped Status = "skipped" // not a photo or video (documents, archives, unknown binaries)
)

// Confidence grades how far a person can trust a chosen timestamp.
type Confidence string

const (
	ConfidenceHigh   Confidence = "HIGH"
	ConfidenceMedium Confidence = "MEDIUM"
	ConfidenceLow    Confidence = "LOW"
	ConfidenceNone   Confidence = "NONE"
)

// Source is the report-level origin of a timestamp (the report's timestamp_source).
type Source string

const (
	SourceNone     Source = ""
	SourceEXIF     Source = "exif"
	SourceFilename Source = "filename"
	SourceFolder   Source = "folder"
	SourceVideo    Source = "video"
	SourceSidecar  Source = "sidecar"
	SourceMtime    Source = "mtime"
)

// Candidate is one timestamp found for a file, kept whether or not it was chosen,
// so the person can see the evidence.
type Candidate struct {
	Kind   CandidateKind `json:"kind"`   // fine-grained origin, e.g. exif_original
	Source Source        `json:"source"` // report-level origin
	// Value is the local wall-clock time "2006-01-02T15:04:05[.fff]" with a "Z" or
	// "±hh:mm" suffix only when the zone is known; a date-only candidate is "2006-01-02",
	// a year-only one "2006".
	Value    string `json:"value"`
	Detail   string `json:"detail"`   // exactly where it came from, plus any trap detected
	Rejected bool   `json:"rejected"` // invalid (not a calendar time, too old, in the future)
	Reason   string `json:"reason,omitempty"`
	Chosen   bool   `json:"chosen,omitempty"`
}

// CandidateKind names the exact origin of a candidate; its strength decides the choice.
type CandidateKind string

const (
	KindEXIFOriginal  CandidateKind = "exif_original"  // DateTimeOriginal (0x9003)
	KindEXIFDigitized CandidateKind = "exif_digitized" // DateTimeDigitized / CreateDate (0x9004)
	KindEXIFModify    CandidateKind = "exif_modify"    // DateTime / ModifyDate (0x0132)
	KindVideoCreation CandidateKind = "video_creation" // mvhd creation time or com.apple.quicktime.creationdate
	KindTakeout       CandidateKind = "takeout"        // Google Takeout JSON photoTakenTime
	KindXMP           CandidateKind = "xmp"            // XMP sidecar date
	KindFilenameTime  CandidateKind = "filename_datetime"
	KindFilenameDate  CandidateKind = "filename_date"
	KindFolder        CandidateKind = "folder"
	KindMtime         CandidateKind = "mtime"
)

// Timestamp is the outcome of the timestamp analysis of one file.
type Timestamp struct {
	Value      string      // as Candidate.Value; "" when none
	Time       time.Time   // the chosen instant/wall clock (UTC location when the zone is unknown); zero when none
	ZoneKnown  bool        // Value carries a zone suffix
	Source     Source      // SourceNone when none
	Confidence Confidence  // ConfidenceNone when none
	Conflict   string      // non-empty when strong sources disagree: what disagrees with what
	Candidates []Candidate // every candidate, chosen or not
}

// Result is everything the analysis learned about one file.
type Result struct {
	Status Status
	Error  string // for StatusError: a message a person understands
	Note   string // informational, e.g. why a done file has no perceptual hash
	Size   int64
	MIME   string
	SHA256 [32]byte
	// PHash is the 64-bit DCT perceptual hash; HasPHash is false for files that
	// cannot be hashed (videos, undecodable formats), which are still done.
	PHash uint64
	DHash uint64 // 64-bit difference hash, the second signal against pHash collisions
	// LumaMean and LumaStdDev (0..255) of the hashed image: flat images
	// (black frames, blank pages) are only near duplicates of flat images.
	LumaMean, LumaStdDev float32
	// ChromaCb and ChromaCr: the mean colour as BT.601 offsets from grey, so
	// that images whose luma hashes collide but whose colours differ are
	// not near duplicates.
	ChromaCb, ChromaCr float32
	HasPHash           bool
	Width              int
	Height             int
	// Camera is the EXIF Make and Model ("Apple iPhone 13 Pro"), "" when absent.
	Camera string
	// CameraSerial is the camera body's serial number (EXIF
	// BodySerialNumber), "" when absent: two bodies of one model differ by it.
	CameraSerial string
	// ContentID is Apple's Live Photo content identifier, the same in the
	// still and the video of one Live Photo; "" when the file has none.
	ContentID string
	Time      Timestamp
}
