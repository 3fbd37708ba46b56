package media

// The sequence source is not found in the file itself: it is inferred from
// the numbered files of the same camera series around it (see
// timestamp.Sequence), when the library's records are read.
const (
	// SourceSequence is the report-level source of a date from neighbours.
	SourceSequence Source = "sequence"
	// KindSequence: between the dates of the two nearest dated files of the
	// same camera numbering series.
	KindSequence CandidateKind = "sequence"
)
