// Package testmem measures a test process's memory: its peak resident set
// and the heap's peak while some work runs. For tests and their figures
// only; it asserts nothing.
package testmem

import (
	"os"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"
)

// PeakRSS is the process's peak resident set (VmHWM) as /proc says it on
// Linux ("1234 kB"), "unknown" elsewhere.
func PeakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// WatchHeap reads the heap's live and not yet swept objects every few
// milliseconds until stop is called; then *peak is the most seen.
func WatchHeap() (peak *uint64, stop func()) {
	peak = new(uint64)
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			*peak = max(*peak, s[0].Value.Uint64())
			select {
			case <-quit:
				return
			case <-tick.C:
			}
		}
	}()
	return peak, func() { close(quit); <-done }
}

// WatchRSS reads the process's resident set (VmRSS) every few milliseconds
// until stop is called; then *peak is the most seen, in bytes (0 where
// /proc is not). Unlike PeakRSS it measures one stretch of the work, not
// the process's life.
func WatchRSS() (peak *uint64, stop func()) {
	peak = new(uint64)
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			*peak = max(*peak, currentRSS())
			select {
			case <-quit:
				return
			case <-tick.C:
			}
		}
	}()
	return peak, func() { close(quit); <-done }
}

// currentRSS is VmRSS in bytes, 0 where /proc is not.
func currentRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
