// Package meta reads what the embedded metadata of one photo or video says:
// camera make and model, EXIF orientation, and the dates written inside the
// file (EXIF in JPEG, PNG, WebP, TIFF, HEIF and camera RAW files; QuickTime
// and MP4 creation times), and Apple's Live Photo content identifier that ties
// a still to its video (apple.go). It also finds a HEIF image's embedded
// thumbnail and rewraps it as a HEIC file of its own (heifthumb.go), so that
// an external decoder decodes only that. It parses untrusted bytes: every
// length read in a file is checked before anything is allocated from it, and
// malformed metadata is reported in Metadata.Problems, never as a failure. It
// does not choose a date: that is package timestamp's job.
package meta
