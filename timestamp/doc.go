// Package timestamp chooses when a photo or video was taken. It gathers the
// candidates (the dates embedded in the file, handed in by the caller; the
// file name, matched against a table of camera and app patterns; the
// folders; Google Takeout and XMP sidecars next to the file; the mtime),
// validates them, chooses one by the choice table (choiceRules, printed in
// the README), grades the confidence and records conflicts and traps. It
// takes plain inputs and does not read the file's own bytes. Sequence, run
// over many files' results, dates a file from its numbered neighbours.
package timestamp
