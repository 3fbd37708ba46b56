package testimg

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
)

// PNGChunk is one PNG chunk: length, type, data and CRC.
func PNGChunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// PNGSignature starts every PNG file.
const PNGSignature = "\x89PNG\r\n\x1a\n"

// PNGIHDR is the payload of an IHDR chunk declaring w x h pixels of the given
// bit depth and colour type (0 gray, 2 RGB, 6 RGBA), not interlaced.
func PNGIHDR(w, h uint32, depth, colorType byte) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	return append(ihdr, depth, colorType, 0, 0, 0)
}

// PNGIHDROnly is a PNG of nothing but a header declaring w x h RGB pixels.
func PNGIHDROnly(w, h uint32) []byte {
	out := append([]byte(PNGSignature), PNGChunk("IHDR", PNGIHDR(w, h, 8, 2))...)
	return append(out, PNGChunk("IEND", nil)...)
}

// TIFFDeclaring is a minimal TIFF whose first directory declares w x h 8-bit
// gray pixels and no data.
func TIFFDeclaring(w, h uint32) []byte {
	b := []byte("II*\x00\x08\x00\x00\x00")
	b = binary.LittleEndian.AppendUint16(b, 4)
	for _, e := range [][3]uint32{{256, 4, w}, {257, 4, h}, {258, 3, 8}, {262, 3, 1}} {
		b = binary.LittleEndian.AppendUint16(b, uint16(e[0]))
		b = binary.LittleEndian.AppendUint16(b, uint16(e[1]))
		b = binary.LittleEndian.AppendUint32(b, 1)
		b = binary.LittleEndian.AppendUint32(b, e[2])
	}
	return binary.LittleEndian.AppendUint32(b, 0)
}

// BMPDeclaring is a BMP header declaring w x h 24-bit pixels and no data.
func BMPDeclaring(w, h int32) []byte {
	b := []byte("BM")
	b = binary.LittleEndian.AppendUint32(b, 54)
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint32(b, 54)
	b = binary.LittleEndian.AppendUint32(b, 40)
	b = binary.LittleEndian.AppendUint32(b, uint32(w))
	b = binary.LittleEndian.AppendUint32(b, uint32(h))
	b = binary.LittleEndian.AppendUint16(b, 1)
	b = binary.LittleEndian.AppendUint16(b, 24)
	return append(b, make([]byte, 24)...)
}

// Flat16 is a w x h 16-bit RGBA image of one colour: it compresses to almost
// nothing and decodes to 8 bytes a pixel.
func Flat16(w, h int) *image.NRGBA64 {
	m := image.NewNRGBA64(image.Rect(0, 0, w, h))
	for i := 0; i < len(m.Pix); i += 8 {
		m.SetNRGBA64(i/8%w, i/8/w, color.NRGBA64{R: 0x1234, G: 0x8000, B: 0xfedc, A: 0xffff})
	}
	return m
}

// InterlacedPNG encodes m (*image.Gray or *image.NRGBA64) as an Adam7
// interlaced PNG, which image/png cannot write.
func InterlacedPNG(m image.Image) []byte {
	var pix []uint8
	var stride, bpp int
	var ctype, depth byte
	switch m := m.(type) {
	case *image.Gray:
		pix, stride, bpp, ctype, depth = m.Pix, m.Stride, 1, 0, 8
	case *image.NRGBA64: // big-endian RGBA, as PNG color type 6 stores it
		pix, stride, bpp, ctype, depth = m.Pix, m.Stride, 8, 6, 16
	default:
		panic(fmt.Sprintf("%T", m))
	}
	w, h := m.Bounds().Dx(), m.Bounds().Dy()
	var raw bytes.Buffer
	for _, p := range [7][4]int{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}} {
		if p[0] >= w || p[1] >= h {
			continue
		}
		for y := p[1]; y < h; y += p[3] {
			raw.WriteByte(0) // filter: none
			for x := p[0]; x < w; x += p[2] {
				raw.Write(pix[y*stride+x*bpp : y*stride+x*bpp+bpp])
			}
		}
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(raw.Bytes())
	zw.Close()
	ihdr := PNGIHDR(uint32(w), uint32(h), depth, ctype)
	ihdr[12] = 1 // Adam7
	out := []byte(PNGSignature)
	out = append(out, PNGChunk("IHDR", ihdr)...)
	out = append(out, PNGChunk("IDAT", z.Bytes())...)
	return append(out, PNGChunk("IEND", nil)...)
}
