// Package near groups near-duplicate images: given each image's perceptual
// hashes (pHash, dHash), size, luma statistics and mean colour, Find joins the
// pairs that are the same picture (recompressed, resized, lightly edited) into
// groups, with the evidence for every join, without comparing all pairs (a
// multi-index hash table, index.go). The guards that keep look-alikes apart
// (shape, colour, flat images, screenshots) are in group.go; the values behind
// the defaults are measured in testdata/README.md.
//
// It deals in hashes and the caller's numeric IDs only: it knows no file
// record, no parser and no decoder (the hashes are measured elsewhere), so it
// can be tested and reused on plain numbers. UnionFind is the one
// disjoint-set forest of the code base.
package near
