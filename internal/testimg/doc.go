// Package testimg builds the images and headers that the tests of several
// packages share: the synthetic 12 MP camera JPEG of the benchmarks, the
// JPEG, PNG, TIFF and BMP headers that declare sizes their data does not
// have (decompression bombs, hostile headers), and the committed photo
// fixtures under imagehash/testdata/images. For tests only.
package testimg
