// Package datetime holds the civil-time value every date source is read
// into (a wall clock as written, with its precision and, when known, its UTC
// offset) and the parsers shared by the metadata readers and the timestamp
// choice: EXIF date strings, ISO 8601 as XMP and QuickTime write it, UTC
// offsets, and Candidate.Value itself. It imports only the standard library,
// so that the container parsers (package meta) and the date choice (package
// timestamp) can both use it without using each other.
package datetime
