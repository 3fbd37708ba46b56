package imagehash

import (
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
)

// What the decoders allocate, read from the file's header before decoding,
// so that MemoryBudget holds what a decode really takes. The factors below
// are what each decoder allocates in all (runtime.MemStats.TotalAlloc across
// the decode, which with no GC during the decode is its peak), measured on
// generated images by TestDecodeCostCoversTheDecoders (bytes per pixel):
//
//	PNG 8-bit gray / paletted          1.0   the image (any bit depth <= 8)
//	PNG 16-bit gray                    2.0
//	PNG 8-bit RGB(A), gray+alpha       4.0   NRGBA or RGBA
//	PNG 16-bit RGB(A)                  8.0   NRGBA64 or RGBA64
//	PNG interlaced                     x2    each Adam7 pass is a new image
//	TIFF, deflate/LZW, one strip       image + ~2.8 x the raw strip (a
//	                                   bytes.Buffer grown by doubling);
//	                                   16-bit RGBA: 30.5
//	TIFF, uncompressed                 image + 2 x the file (x3 over 10 MB:
//	                                   read in chunks); 16-bit RGBA: 39.5
//	BMP 24/32-bit 4.0, 8-bit 1.0; GIF 1.0 (first frame, screen size)
//	JPEG (image/jpeg)                  the planes (4:2:0: 1.5, gray 1.0),
//	                                   + 4 per sample when progressive
//	JPEG, DC only (camera JPEGs)       20 per 8x8 block (jpegDCBytes): 2400x1600
//	                                   allocates 1.33 MB for the hash, estimate
//	                                   1.46 (TestJPEGDCCostCoversTheDecoder)
//	WebP lossy                         1.5 (4:2:0, macroblock-aligned) + the
//	                                   file; alpha + 5. Lossless: 8 (not
//	                                   measured: Go has no WebP encoder)
//
// The constant decodeOverhead covers the decoders' tables and row buffers.
const decodeOverhead = 64 << 10

// decodeCost is what decoding one image takes.
type decodeCost struct {
	bytes int64
	what  string // "9990x9990 16-bit TIFF", for messages
}

// errOverMemoryLimit marks an image whose decode needs more than one decode
// may take (DecodeLimits.AloneMax): it is refused rather than decoded, so
// that no file can take the process past its memory bound.
var errOverMemoryLimit = errors.New("image too large to decode within the memory limit")

// overMemoryLimit is the error for a decode that needs more than limit.
func overMemoryLimit(c decodeCost, limit int64) error {
	return fmt.Errorf("%w: %s needs about %s, over the %s one image may take",
		errOverMemoryLimit, c.what, humanBytes(c.bytes), humanBytes(limit))
}

func humanBytes(n int64) string {
	// Binary units, as the README gives the budgets ("160 MB" is 160 << 20).
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.0f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KB", (n+1023)>>10)
}

// headerSize reads the image dimensions from the header where the standard
// DecodeConfig refuses sizes it cannot represent (a PNG of 2^31-1 x 2^31-1
// is "unsupported", which would make it a file without a hash rather than
// one over the pixel limit). ok is false when the header does not say.
func headerSize(data []byte, f imageFormat) (w, h int64, ok bool) {
	switch f {
	case fmtPNG:
		if len(data) >= 24 && string(data[12:16]) == "IHDR" {
			return int64(binary.BigEndian.Uint32(data[16:])), int64(binary.BigEndian.Uint32(data[20:])), true
		}
	case fmtTIFF:
		if t, ok := readTIFFLayout(data); ok {
			return int64(t.tags[tiffImageWidth]), int64(t.tags[tiffImageLength]), true
		}
	case fmtBMP:
		if len(data) >= 26 {
			w := int64(int32(binary.LittleEndian.Uint32(data[18:])))
			h := int64(int32(binary.LittleEndian.Uint32(data[22:])))
			return abs(w), abs(h), true
		}
	}
	return 0, 0, false
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// modelBytes is the size of one pixel of the image a decoder returns for a
// color model.
func modelBytes(m color.Model) int64 {
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 4 // RGBA, NRGBA, CMYK
}

// estimateDecode is what the standard decoder of format f allocates to
// decode data, whose DecodeConfig is cfg.
func estimateDecode(data []byte, f imageFormat, cfg image.Config) decodeCost {
	w, h := int64(cfg.Width), int64(cfg.Height)
	px := w * h
	c := decodeCost{bytes: px*modelBytes(cfg.ColorModel) + decodeOverhead, what: fmt.Sprintf("%dx%d %s", w, h, f)}
	switch f {
	case fmtPNG:
		if len(data) >= 29 {
			depth, interlaced := data[24], data[28] == 1
			c.what = fmt.Sprintf("%dx%d %d-bit PNG", w, h, depth)
			bpp := pngPixelBytes(data)
			c.bytes = px*bpp + decodeOverhead
			if interlaced {
				c.what = fmt.Sprintf("%dx%d %d-bit interlaced PNG", w, h, depth)
				c.bytes += px * bpp
			}
		}
	case fmtTIFF:
		if t, ok := readTIFFLayout(data); ok {
			c.what = fmt.Sprintf("%dx%d %d-bit TIFF", w, h, t.tags[tiffBitsPerSample])
			c.bytes += t.bufferBytes(w, h)
		}
	case fmtJPEG:
		c.bytes = jpegStdBytes(data, w, h) + decodeOverhead
	case fmtWebP:
		c.bytes = webpBytes(data, w, h) + decodeOverhead
	}
	c.bytes += c.bytes / 20 // the allocator's size classes and what the table rounds off
	return c
}

// pngPixelBytes is the pixel size of the image the PNG decoder returns, from
// IHDR and a tRNS chunk before IDAT (which makes gray and RGB images NRGBA).
func pngPixelBytes(data []byte) int64 {
	depth, ctype := data[24], data[25]
	trns := false
	for off := 33; off+8 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[off:]))
		typ := string(data[off+4 : off+8])
		if typ == "IDAT" || n < 0 || n > len(data) {
			break
		}
		trns = trns || typ == "tRNS"
		off += 12 + n
	}
	wide := int64(1)
	if depth == 16 {
		wide = 2
	}
	switch {
	case ctype == 3: // paletted
		return 1
	case ctype == 0 && !trns:
		return wide
	}
	return 4 * wide
}

// jpegStdBytes is what image/jpeg allocates: the planes at their sampling,
// and for a progressive JPEG the coefficients (an int32 per sample).
func jpegStdBytes(data []byte, w, h int64) int64 {
	sof, ok := findJPEGSOF(data)
	if !ok || len(sof.comps) == 0 {
		return w * h * 3 * 5 // unknown: 4:4:4 progressive
	}
	var hmax, vmax int64 = 1, 1
	for _, c := range sof.comps {
		hmax, vmax = max(hmax, c.h), max(vmax, c.v)
	}
	// Dimensions rounded up to whole MCUs, as the decoder allocates them.
	mw, mh := (w+8*hmax-1)/(8*hmax)*8*hmax, (h+8*vmax-1)/(8*vmax)*8*vmax
	var samples int64
	for _, c := range sof.comps {
		samples += mw * mh * c.h * c.v / (hmax * vmax)
	}
	n := samples
	if len(sof.comps) == 4 {
		n += w * h * 4 // CMYK/YCCK is converted into a new image
	}
	if sof.progressive {
		n += 4 * samples
	}
	return n
}

type jpegSOFInfo struct {
	progressive bool
	comps       []struct{ h, v int64 }
}

// findJPEGSOF walks the JPEG markers to the frame header.
func findJPEGSOF(data []byte) (jpegSOFInfo, bool) {
	for off := 2; off+4 <= len(data); {
		if data[off] != 0xFF {
			return jpegSOFInfo{}, false
		}
		m := data[off+1]
		if m == 0xFF || m == 0x01 || (m >= 0xD0 && m <= 0xD7) {
			off++
			continue
		}
		n := int(binary.BigEndian.Uint16(data[off+2:]))
		if n < 2 {
			return jpegSOFInfo{}, false // a segment length counts its own two bytes
		}
		if m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC {
			seg := data[off+4 : min(len(data), off+2+n)]
			if len(seg) < 6 {
				return jpegSOFInfo{}, false
			}
			info := jpegSOFInfo{progressive: m == 0xC2 || m == 0xC6 || m == 0xCA || m == 0xCE}
			for i := 6; i+3 <= len(seg); i += 3 {
				info.comps = append(info.comps, struct{ h, v int64 }{int64(max(seg[i+1]>>4, 1)), int64(max(seg[i+1]&15, 1))})
			}
			return info, true
		}
		off += 2 + n
	}
	return jpegSOFInfo{}, false
}

// webpBytes is what x/image/webp allocates (see the table above), from the
// RIFF chunks: VP8 (lossy), ALPH (its alpha), VP8L (lossless).
func webpBytes(data []byte, w, h int64) int64 {
	lossy := ((w+15)/16*16)*((h+15)/16*16)*3/2 + int64(len(data))
	var alpha int64
	for off := 12; off+8 <= len(data); {
		n := int64(binary.LittleEndian.Uint32(data[off+4:]))
		switch string(data[off : off+4]) {
		case "ALPH":
			alpha = w * h * 5 // VP8L-coded alpha decodes as NRGBA, then one byte a pixel
		case "VP8 ":
			return lossy + alpha
		case "VP8L":
			return w * h * 8
		}
		if n > int64(len(data)) {
			break
		}
		off += 8 + int(n+n&1)
	}
	return w * h * 8
}

// TIFF tags the estimate reads from the first directory.
const (
	tiffImageWidth    = 256
	tiffImageLength   = 257
	tiffBitsPerSample = 258
	tiffCompression   = 259
	tiffSamples       = 277
	tiffRowsPerStrip  = 278
	tiffTileWidth     = 322
	tiffTileLength    = 323
)

// tiffLayout is the first value of the tags above (defaults filled in).
type tiffLayout struct {
	tags map[uint16]int64
	size int64 // the file
}

// readTIFFLayout reads the first directory's layout tags. ok is false when
// the directory cannot be read or has no dimensions.
func readTIFFLayout(data []byte) (tiffLayout, bool) {
	if len(data) < 8 {
		return tiffLayout{}, false
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if data[0] == 'M' {
		bo = binary.BigEndian
	}
	ifd := int64(bo.Uint32(data[4:]))
	if ifd+2 > int64(len(data)) {
		return tiffLayout{}, false
	}
	t := tiffLayout{size: int64(len(data)), tags: map[uint16]int64{tiffBitsPerSample: 1, tiffSamples: 1, tiffCompression: 1}}
	n := int64(bo.Uint16(data[ifd:]))
	for e := ifd + 2; e+12 <= int64(len(data)) && e < ifd+2+12*n; e += 12 {
		tag, typ, count := bo.Uint16(data[e:]), bo.Uint16(data[e+2:]), int64(bo.Uint32(data[e+4:]))
		switch tag {
		case tiffImageWidth, tiffImageLength, tiffBitsPerSample, tiffCompression, tiffSamples,
			tiffRowsPerStrip, tiffTileWidth, tiffTileLength:
		default:
			continue
		}
		var size int64
		switch typ {
		case 3: // SHORT
			size = 2
		case 4: // LONG
			size = 4
		default:
			continue
		}
		val := data[e+8 : e+12]
		if count*size > 4 { // the values are elsewhere; the first is enough
			off := int64(bo.Uint32(val))
			if off < 0 || off+size > int64(len(data)) {
				continue
			}
			val = data[off : off+size]
		}
		if size == 2 {
			t.tags[tag] = int64(bo.Uint16(val))
		} else {
			t.tags[tag] = int64(bo.Uint32(val))
		}
	}
	if t.tags[tiffImageWidth] <= 0 || t.tags[tiffImageLength] <= 0 {
		return tiffLayout{}, false
	}
	return t, true
}

// bufferBytes is what x/image/tiff allocates besides the image for a w x h
// image: the file read into a buffer grown in 10 MB chunks (twice: by
// DecodeConfig and by Decode, as image.Decode gives them no io.ReaderAt), and for
// compressed data one strip or tile decompressed into a bytes.Buffer grown
// by doubling (reused from block to block).
func (t tiffLayout) bufferBytes(w, h int64) int64 {
	n := 2 * appendGrowth(t.size, 10<<20) // DecodeConfig reads the file too

	if c := t.tags[tiffCompression]; c == 1 || c == 0 {
		return n // uncompressed strips are slices of the file buffer
	}
	bw, bh := w, h
	if t.tags[tiffTileWidth] > 0 && t.tags[tiffTileLength] > 0 {
		bw, bh = t.tags[tiffTileWidth], t.tags[tiffTileLength]
	} else if r := t.tags[tiffRowsPerStrip]; r > 0 && r < h {
		bh = r
	}
	// The tags are untrusted: keep them to what the decoder accepts (tiles
	// at most 16 pixels past the image, at most 8 bytes a pixel).
	bw, bh = min(max(bw, 1), w+16), min(max(bh, 1), h+16)
	bits := min(max(t.tags[tiffSamples], 1), 64) * min(max(t.tags[tiffBitsPerSample], 1), 64)
	raw := (bw*bits + 7) / 8 * bh
	return n + bufferGrowth(min(raw, bw*bh*8))
}

// appendGrowth is what growing a slice to n bytes by appends of at most
// chunk bytes allocates in all (the runtime's append growth).
func appendGrowth(n, chunk int64) int64 {
	var length, capacity int64 = 0, 1024
	total := capacity
	for length < n {
		need := length + min(n-length, chunk)
		if need > capacity {
			c := capacity
			if need > 2*c {
				c = need
			} else {
				for c < need {
					c += (c + 3*256) / 4
				}
			}
			capacity = c
			total += c
		}
		length = need
	}
	return total
}

// bufferGrowth is what bytes.Buffer.ReadFrom allocates in all to read n
// bytes: it doubles while fewer than 512 bytes are free, once more at the end.
func bufferGrowth(n int64) int64 {
	var total, capacity, length int64
	for {
		if capacity-length < 512 {
			capacity = max(length+512, 2*capacity)
			total += capacity
		}
		if length == n {
			return total
		}
		length = min(n, capacity)
	}
}
