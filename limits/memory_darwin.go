package limits

import "golang.org/x/sys/unix"

// PhysicalMemory is the machine's memory in bytes; ok is false when it
// cannot be read.
func PhysicalMemory() (total uint64, ok bool) {
	n, err := unix.SysctlUint64("hw.memsize")
	return n, err == nil
}
