//go:build !windows

package app

import (
	"errors"
	"os"
	"syscall"
)

// processAlive sends signal 0, which checks that the process exists.
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}
