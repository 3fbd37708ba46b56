// Package testcpu reads the CPU time the test process has used, so that
// benchmarks and timing tests on a loaded machine can report the work done
// beside the wall clock. For tests only.
package testcpu
