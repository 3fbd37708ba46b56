// Command scalelib builds a library of many small distinct JPEGs for
// scripts/bench-scale.sh: N files of 320x240, named with dates
// (IMG_YYYYMMDD_HHMMSS_NNNNNNN.jpg), 100 to a folder. Each is a seeded crop of
// one of a few hundred generated bases with a few seeded rectangles drawn
// over it, so that no two files have the same bytes and their perceptual
// hashes differ (the library is not one large group of look-alikes).
package main
