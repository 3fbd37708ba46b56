package app

import (
	"fmt"
	"strings"
)

// errorThreshold decides when a job has failed on too many files to be worth
// going on without asking the person.
type errorThreshold struct {
	maxRate   float64
	minSample int
	processed int // in this run: a resumed halted job starts a fresh count
	errors    int
	recent    []string // the last few failures, "path: message"
}

const recentFailures = 3

func (t *errorThreshold) record(isError bool, path, msg string) {
	t.processed++
	if !isError {
		return
	}
	t.errors++
	t.recent = append(t.recent, path+": "+msg)
	if len(t.recent) > recentFailures {
		t.recent = t.recent[len(t.recent)-recentFailures:]
	}
}

// exceeded is true once the minimum sample is reached and the error rate is
// over the limit.
func (t *errorThreshold) exceeded() bool {
	return t.processed >= t.minSample && t.processed > 0 &&
		float64(t.errors)/float64(t.processed) > t.maxRate
}

// message explains a halt to a person.
func (t *errorThreshold) message() string {
	rate := 100 * float64(t.errors) / float64(max(t.processed, 1))
	var b strings.Builder
	fmt.Fprintf(&b, "Stopped: %d of %d files failed (%.0f%%), over the %.0f%% limit. ",
		t.errors, t.processed, rate, 100*t.maxRate)
	b.WriteString("Last failures: ")
	b.WriteString(strings.Join(t.recent, "; "))
	b.WriteString(". Resume to go on anyway.")
	return b.String()
}
