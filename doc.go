// Shoebox finds out, for every photo and video in a folder, what it is, whether
// it is a duplicate and when it was really taken.
//
// With no arguments it opens the window; with a subcommand (scan, resume, jobs,
// report, dups) it runs headless. See README.md.
package main
