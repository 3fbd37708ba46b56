package app

import (
	"fmt"

	"shoebox/store"
)

// transitions lists every move a job may make. Anything else is a bug or a
// request that makes no sense now (resuming a completed job, pausing a
// cancelled one) and is refused.
var transitions = map[store.JobState][]store.JobState{
	store.StatePending:   {store.StateRunning, store.StatePaused, store.StateCancelled, store.StateFailed},
	store.StateRunning:   {store.StatePaused, store.StateCompleted, store.StateFailed, store.StateHalted, store.StateCancelled},
	store.StatePaused:    {store.StateRunning, store.StateCancelled},
	store.StateHalted:    {store.StateRunning, store.StateCancelled},
	store.StateFailed:    {store.StateRunning, store.StateCancelled},
	store.StateCompleted: {store.StateRunning}, // only to retry the files that failed
	store.StateCancelled: nil,
}

// CanTransition reports whether a job may move from one state to another.
func CanTransition(from, to store.JobState) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// ErrBadTransition is wrapped by transition errors.
var ErrBadTransition = fmt.Errorf("not possible in this state")

func transition(j *store.Job, to store.JobState) error {
	if !CanTransition(j.Status, to) {
		return fmt.Errorf("job %d is %s: cannot move to %s: %w", j.ID, j.Status, to, ErrBadTransition)
	}
	j.Status = to
	return nil
}
