package limits

import "syscall"

// PhysicalMemory is the machine's memory in bytes; ok is false when it
// cannot be read.
func PhysicalMemory() (total uint64, ok bool) {
	var si syscall.Sysinfo_t
	if err := syscall.Sysinfo(&si); err != nil {
		return 0, false
	}
	return uint64(si.Totalram) * uint64(si.Unit), true
}
