package processing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"shoebox/limits"
	"shoebox/media"
)

// withWatchdog runs fn under limits.Watch: a limit of running time measured by
// run (nil: a clock of its own), the file's clock handed to fn for what may
// wait for memory. A file whose analysis outlives it is marked failed and the
// caller moves on. A cancelled ctx returns its error.
func withWatchdog(ctx context.Context, run *limits.RunClock, limit time.Duration, fn func(context.Context, *limits.FileClock) (media.Result, error)) (media.Result, error) {
	res, err := limits.Watch(ctx, run, limit, fn)
	if errors.Is(err, limits.ErrTooLong) {
		return errorResult(fmt.Sprintf("analysis took longer than %s and was abandoned", limit)), nil
	}
	return res, err
}
