// Package imagehash turns the bytes of an image file into its signature for
// near-duplicate grouping: it decodes at the smallest scale that serves
// (DC-only for JPEGs, through jpegdc; the largest embedded preview for camera
// RAW files; the embedded thumbnail item of a HEIC, through libheif's
// heif-convert when it is on PATH: heic.go), within a pixel limit and the
// scan's memory budget (decode cost estimates read from the header before
// decoding), and computes the pHash, the dHash, the luma statistics and the
// mean colour. Thumbnails for the window go through the same decoders and the
// same budget. It does not compare signatures: that is the near-duplicate
// grouping's job.
package imagehash
