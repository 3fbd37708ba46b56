package app

import (
	"path"
	"path/filepath"
	"slices"
	"time"

	"shoebox/media"
	"shoebox/store"
	"shoebox/timestamp"
)

// WithSequenceDates adds to the records a date from neighbours
// (timestamp.Sequence) for each analysed file without a trusted date whose
// camera number lies between two dated files of its series, and makes it the
// chosen timestamp when its confidence is higher than the file's own. The
// neighbours are the other records given (one job's, for the report and
// the Files view).
//
// It computes on read and stores nothing: the candidate depends on other
// files, which a later scan, a decision or a deletion changes, while a
// stored analysis describes the file alone and is reused by a rescan as long
// as the file is unchanged. Stored, it would outlive its evidence. The
// records are changed in place; their candidate lists are copied before a
// candidate is added, so no other holder of a record's slice sees it.
func WithSequenceDates(recs []store.FileRecord) []store.FileRecord {
	files := make([]timestamp.SequenceFile, 0, len(recs))
	index := make([]int, 0, len(recs)) // files[i] is recs[index[i]]
	for i := range recs {
		r := &recs[i]
		if r.Status != media.StatusDone {
			continue
		}
		dir, name := path.Split(r.RelPath)
		files = append(files, timestamp.SequenceFile{
			Name: name, Folder: filepath.Join(r.Root, filepath.FromSlash(dir)), Camera: r.Camera,
			Value: r.Time.Value, Confidence: r.Time.Confidence,
		})
		index = append(index, i)
	}
	for _, c := range timestamp.Sequence(files, timestamp.SequenceOptions{}) {
		applySequence(&recs[index[c.File]].Time, c)
	}
	return recs
}

// sequenceTrust orders confidences, the trusted highest; "" is NONE.
var sequenceTrust = map[media.Confidence]int{
	media.ConfidenceHigh: 3, media.ConfidenceMedium: 2, media.ConfidenceLow: 1, media.ConfidenceNone: 0, "": 0,
}

// applySequence adds c to ts's candidates and chooses it when it is more
// trusted than the chosen one (a MEDIUM interval over a LOW folder date, a
// LOW one over nothing), or as trusted as a modification time that comes
// after the interval (mtimeContradicted); the other candidates stay,
// unchosen.
func applySequence(ts *media.Timestamp, c timestamp.SequenceCandidate) {
	cands := slices.Clone(ts.Candidates)
	cand := c.Candidate
	trust, own := sequenceTrust[c.Confidence], sequenceTrust[ts.Confidence]
	if trust > own || (trust == own && mtimeContradicted(*ts, c)) {
		for i := range cands {
			cands[i].Chosen = false
		}
		cand.Chosen = true
		ts.Value, ts.Time, ts.ZoneKnown = cand.Value, c.Time, c.ZoneKnown
		ts.Source, ts.Confidence = media.SourceSequence, c.Confidence
	}
	ts.Candidates = append(cands, cand)
}

// zoneSlack is how far apart a modification time (an instant) and the
// neighbours' times (wall clocks, when their zone is unknown) may be and
// still agree: the widest difference two time zones make.
const zoneSlack = 26 * time.Hour

// mtimeContradicted says whether ts is a modification time later than the
// later of c's numbered neighbours. A file numbered between two photos was
// taken between them, and a file is modified long after it is taken (a
// card copied with cp, a download, an edit): such an mtime is when that
// happened, and the interval is the better guess even when as little
// trusted. An mtime before the earlier neighbour is no such sign: nothing
// is modified before it is taken, so it says rather that the numbers are
// another camera's (a file whose EXIF was stripped names no camera), and
// it stays chosen; the benchmark folder has one (DSC01014.JPG).
func mtimeContradicted(ts media.Timestamp, c timestamp.SequenceCandidate) bool {
	if ts.Source != media.SourceMtime || ts.Time.IsZero() || c.To.IsZero() {
		return false
	}
	return ts.Time.After(c.To.Add(zoneSlack))
}
