// Package processing analyses one file: it opens it, checks that it is the
// file that was listed, tells what it is (mimetype, then classify), hashes
// its bytes, and hands the rest to the packages that know each part:
// meta reads the metadata, imagehash the pixels, timestamp chooses the date.
// It only orchestrates; it knows nothing of the store, the job engine or the
// window.
package processing
