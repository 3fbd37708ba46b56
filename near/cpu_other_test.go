//go:build !unix

package near

import "time"

// processCPU is not measured here.
func processCPU() time.Duration { return 0 }
