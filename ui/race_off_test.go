//go:build !race

package ui

// raceDetector is set when the tests run with -race, under which memory
// figures mean nothing.
const raceDetector = false
