// Package jpegdc decodes JPEG images at 1/8 scale from their DC coefficients
// only: every 8x8 block becomes one pixel holding the block's mean. It is made
// for perceptual hashing and thumbnails, where a 12 MP photo is needed as a
// ~500x375 image at most.
//
// Baseline (SOF0), extended sequential (SOF1, 8-bit) and progressive (SOF2)
// JPEGs are decoded, with any subsampling image.YCbCr can represent,
// restart markers, grayscale, YCbCr, RGB and Adobe CMYK/YCCK. For sequential
// JPEGs every AC coefficient is still Huffman-decoded (there is no other way to
// find the next block) but only to skip it; for progressive JPEGs only the DC
// scans are decoded and the AC scans are skipped without decoding.
//
// Anything else (arithmetic coding, lossless, hierarchical, 12-bit, DNL,
// unusual sampling) returns an error wrapping ErrUnsupported; the caller should
// fall back to a full decoder such as image/jpeg.
//
// A JPEG whose entropy-coded data ends before every block is decoded is an
// error (*TruncatedError). A sequential JPEG that lacks only its final EOI
// marker is accepted when all its MCUs were decoded (many cameras and tools
// write such files). A progressive JPEG must reach its EOI marker: its DC
// scans come first, so a truncated progressive file would otherwise hash like
// the complete picture.
package jpegdc
