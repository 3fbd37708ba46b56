//go:build !linux && !darwin

package limits

// PhysicalMemory is not read on this system: ok is false, and no soft
// limit is set (the default pacing alone runs the collector).
func PhysicalMemory() (total uint64, ok bool) { return 0, false }
