//go:build !race

package timestamp

// raceDetector: the race detector makes the million-file test take minutes.
const raceDetector = false
