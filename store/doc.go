// Package store keeps Shoebox's library in one bbolt file: jobs, the files of
// each job with their analysis, an index by SHA-256 for exact duplicates across
// jobs, the perceptual hashes for near-duplicate search, and an index by
// absolute path that lets a rescan reuse unchanged files' analysis.
//
// Buckets are created once at open. Queries run in read-only transactions and
// copy their values out. A large library whose pages have grown slack is
// rewritten into a compacted copy and swapped in (compact.go), as bbolt
// recommends. The store knows nothing of the job engine or the window.
package store
