// Package processing analyses one file at a time (SHA-256, MIME type, dimensions,
// perceptual hash, timestamp candidates and confidence) and groups duplicates.
// It is plain Go: it knows nothing of the store, the job engine or the window.
package processing
