package processing

import "shoebox/media"

// The plain types of an analysis live in package media, so that the store and
// the window need not link the decoders. These aliases keep the analysis code
// reading as before while it is split into packages of its own.

// AnalysisVersion is media.AnalysisVersion.
const AnalysisVersion = media.AnalysisVersion

type (
	Status        = media.Status
	Confidence    = media.Confidence
	Source        = media.Source
	Candidate     = media.Candidate
	CandidateKind = media.CandidateKind
	Timestamp     = media.Timestamp
	Result        = media.Result
)

const (
	StatusPending     = media.StatusPending
	StatusDone        = media.StatusDone
	StatusError       = media.StatusError
	StatusSkipped     = media.StatusSkipped
	ConfidenceHigh    = media.ConfidenceHigh
	ConfidenceMedium  = media.ConfidenceMedium
	ConfidenceLow     = media.ConfidenceLow
	ConfidenceNone    = media.ConfidenceNone
	SourceNone        = media.SourceNone
	SourceEXIF        = media.SourceEXIF
	SourceFilename    = media.SourceFilename
	SourceFolder      = media.SourceFolder
	SourceVideo       = media.SourceVideo
	SourceSidecar     = media.SourceSidecar
	SourceMtime       = media.SourceMtime
	KindEXIFOriginal  = media.KindEXIFOriginal
	KindEXIFDigitized = media.KindEXIFDigitized
	KindEXIFModify    = media.KindEXIFModify
	KindVideoCreation = media.KindVideoCreation
	KindTakeout       = media.KindTakeout
	KindXMP           = media.KindXMP
	KindFilenameTime  = media.KindFilenameTime
	KindFilenameDate  = media.KindFilenameDate
	KindFolder        = media.KindFolder
	KindMtime         = media.KindMtime
)
