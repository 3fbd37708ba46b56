package app

import "os"

// processAlive: on Windows FindProcess opens the process, which fails when it
// does not exist.
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	p.Release()
	return true
}
