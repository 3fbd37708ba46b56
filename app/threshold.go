package app

import (
	"fmt"
	"strings"

	"shoebox/store"
)

// errorThreshold decides when a job has failed on too many files to be worth
// going on without asking the person.
//
// It judges the whole job, not one run of it: every file the job has
// processed counts, including files whose earlier analysis was reused and
// files processed before a pause or a crash. So the same folder gets the same
// verdict whether it is scanned in one go, resumed, or rescanned. The only
// files left out are those processed before the person last chose to go on
// despite the failures (Resume of a HALTED job, retrying failed files): the
// job's counts at that moment are its accepted base (store.Job.Accepted*),
// and from then on the threshold looks only at what came after. Retried files
// were already counted when they first failed, so failing again cannot halt.
type errorThreshold struct {
	maxRate   float64
	minSample int
	// The job's counts when the person last accepted its failures.
	baseProcessed, baseErrors int
	// The job's counts now.
	processed, errors int
	recent            []string // the last few failures, "path: message"
}

const recentFailures = 3

func newErrorThreshold(s Settings, j *store.Job) errorThreshold {
	return errorThreshold{
		maxRate: s.MaxErrorRate, minSample: s.MinSample,
		baseProcessed: j.AcceptedProcessed, baseErrors: j.AcceptedErrors,
		processed: j.ProgressCurrent, errors: j.ErrorCount,
	}
}

// observe takes the job's counts after one more file was processed, and that
// file's failure if it failed.
func (t *errorThreshold) observe(processed, errors int, failedPath, msg string) {
	t.processed, t.errors = processed, errors
	if failedPath == "" {
		return
	}
	t.recent = append(t.recent, failedPath+": "+msg)
	if len(t.recent) > recentFailures {
		t.recent = t.recent[len(t.recent)-recentFailures:]
	}
}

// sample is what the threshold judges: the files processed, and those of
// them that failed, since the failures were last accepted.
func (t *errorThreshold) sample() (processed, errors int) {
	return t.processed - t.baseProcessed, t.errors - t.baseErrors
}

// exceeded is true once the minimum sample is reached and the error rate is
// over the limit.
func (t *errorThreshold) exceeded() bool {
	n, e := t.sample()
	return n >= t.minSample && n > 0 && e > 0 && float64(e)/float64(n) > t.maxRate
}

// message explains a halt to a person.
func (t *errorThreshold) message() string {
	n, e := t.sample()
	rate := 100 * float64(e) / float64(max(n, 1))
	var b strings.Builder
	if t.baseProcessed > 0 {
		fmt.Fprintf(&b, "Stopped: %d of the %d files processed since you chose to go on failed (%.0f%%), over the %.0f%% limit; %d failed in all. ",
			e, n, rate, 100*t.maxRate, t.errors)
	} else {
		fmt.Fprintf(&b, "Stopped: %d of %d files failed (%.0f%%), over the %.0f%% limit. ",
			e, n, rate, 100*t.maxRate)
	}
	if len(t.recent) > 0 {
		b.WriteString("Last failures: ")
		b.WriteString(strings.Join(t.recent, "; "))
		b.WriteString(". ")
	}
	b.WriteString("Resume to go on anyway.")
	return b.String()
}
