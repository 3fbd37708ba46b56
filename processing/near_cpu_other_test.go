//go:build !unix

package processing

import "time"

// processCPU is not measured here.
func processCPU() time.Duration { return 0 }
