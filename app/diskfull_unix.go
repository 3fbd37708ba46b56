//go:build !windows

package app

import (
	"errors"
	"syscall"
)

// isDiskFullErrno: ENOSPC, or EDQUOT (a quota is a full disk to the person).
func isDiskFullErrno(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}
