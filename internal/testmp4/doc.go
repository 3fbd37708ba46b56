// Package testmp4 builds QuickTime and ISO base media (MP4) files for the
// tests of several packages: boxes with 32-bit, 64-bit and to-the-end sizes,
// and the movie, track and media headers with their dates. For tests only.
package testmp4
