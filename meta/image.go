package meta

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// readJPEGMeta walks the JPEG marker segments up to the start of scan and
// reads the first APP1 "Exif" segment.
func readJPEGMeta(r io.ReaderAt, size int64, md *Metadata) {
	off := int64(2) // after SOI
	var hdr [4]byte
	for n := 0; n < maxBoxes && off+4 <= size; n++ {
		if _, err := r.ReadAt(hdr[:], off); err != nil {
			return
		}
		if hdr[0] != 0xFF {
			md.Problems = append(md.Problems, fmt.Sprintf("JPEG: no marker at offset %d", off))
			return
		}
		marker := hdr[1]
		switch {
		case marker == 0xFF: // fill byte
			off++
			continue
		case marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8): // no length
			off += 2
			continue
		case marker == 0xD9 || marker == 0xDA: // EOI, SOS: no metadata after this
			return
		}
		segLen := int64(beU16(hdr[2:]))
		if segLen < 2 || off+2+segLen > size {
			md.Problems = append(md.Problems, fmt.Sprintf("JPEG: segment 0x%02X at %d runs past the end", marker, off))
			return
		}
		if marker == 0xE1 && segLen >= 8 {
			var id [6]byte
			if _, err := r.ReadAt(id[:], off+4); err == nil && string(id[:]) == "Exif\x00\x00" {
				readEXIF(r, off+10, segLen-8, "JPEG APP1", md)
				return
			}
		}
		off += 2 + segLen
	}
}

// readPNGMeta reads the eXIf chunk of a PNG.
func readPNGMeta(r io.ReaderAt, size int64, md *Metadata) {
	off := int64(8)
	var hdr [8]byte
	for n := 0; n < maxBoxes && off+12 <= size; n++ {
		if _, err := r.ReadAt(hdr[:], off); err != nil {
			return
		}
		length := int64(beU32(hdr[:4]))
		typ := string(hdr[4:8])
		if off+12+length > size {
			md.Problems = append(md.Problems, fmt.Sprintf("PNG: chunk %q at %d runs past the end", printable(typ), off))
			return
		}
		switch typ {
		case "eXIf", "exIf": // exIf: the spelling of an early draft, still found
			readEXIFBlock(r, off+8, length, "PNG eXIf chunk", md)
			return
		case "tEXt", "zTXt", "iTXt":
			// ImageMagick and exiftool keep EXIF as a hex "Raw profile type exif" text chunk.
			if length <= maxTextChunk {
				if exif, ok := pngRawProfile(r, off+8, length, typ, md); ok {
					readEXIFBlock(bytes.NewReader(exif), 0, int64(len(exif)), "PNG "+typ+" Raw profile type exif", md)
					return
				}
			}
		case "IEND":
			return
		}
		off += 12 + length
	}
}

// readWebPMeta reads the EXIF chunk of a WebP (RIFF) file.
func readWebPMeta(r io.ReaderAt, size int64, md *Metadata) {
	var hdr [8]byte
	if _, err := r.ReadAt(hdr[:], 0); err != nil {
		return
	}
	end := int64(leU32(hdr[4:])) + 8
	if end > size {
		end = size // truncated files are common; read what is there
	}
	off := int64(12)
	for n := 0; n < maxBoxes && off+8 <= end; n++ {
		if _, err := r.ReadAt(hdr[:], off); err != nil {
			return
		}
		length := int64(leU32(hdr[4:]))
		typ := string(hdr[:4])
		if off+8+length > end {
			md.Problems = append(md.Problems, fmt.Sprintf("WebP: chunk %q at %d runs past the end", printable(typ), off))
			return
		}
		if typ == "EXIF" {
			readEXIFBlock(r, off+8, length, "WebP EXIF chunk", md)
			return
		}
		off += 8 + length + length&1
	}
}

// printable makes a four-character code safe to show.
func printable(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c < 0x20 || c > 0x7E {
			b[i] = '?'
		}
	}
	return string(b)
}

// maxTextChunk bounds a PNG text chunk we look into; the decompressed text is
// bounded by maxRawProfileText.
const (
	maxTextChunk      = 1 << 20
	maxRawProfileText = 2 << 20 // hex text of an EXIF block of up to 1 MiB
)

// pngRawProfile decodes a "Raw profile type exif" (or APP1) text chunk:
// "\nexif\n   <length>\n<hex digits>", possibly zlib-compressed.
func pngRawProfile(r io.ReaderAt, off, n int64, typ string, md *Metadata) ([]byte, bool) {
	const kw1, kw2 = "Raw profile type exif", "Raw profile type APP1"
	// Read only the keyword first: most text chunks are something else.
	head, err := readFull(r, off, min(n, 80), 80)
	if err != nil {
		return nil, false
	}
	nul := bytes.IndexByte(head, 0)
	if nul < 0 || (string(head[:nul]) != kw1 && string(head[:nul]) != kw2) {
		return nil, false
	}
	b, err := readFull(r, off, n, maxTextChunk)
	if err != nil {
		return nil, false
	}
	rest := b[nul+1:]
	compressed := false
	switch typ {
	case "zTXt":
		if len(rest) < 1 {
			return nil, false
		}
		rest, compressed = rest[1:], true
	case "iTXt":
		if len(rest) < 2 {
			return nil, false
		}
		compressed = rest[0] == 1
		rest = rest[2:]
		for i := 0; i < 2; i++ { // language tag, translated keyword
			k := bytes.IndexByte(rest, 0)
			if k < 0 {
				return nil, false
			}
			rest = rest[k+1:]
		}
	}
	text := rest
	if compressed {
		zr, err := zlib.NewReader(bytes.NewReader(rest))
		if err != nil {
			md.Problems = append(md.Problems, "PNG: raw EXIF profile: "+err.Error())
			return nil, false
		}
		text, err = io.ReadAll(io.LimitReader(zr, maxRawProfileText))
		if err != nil {
			md.Problems = append(md.Problems, "PNG: raw EXIF profile: "+err.Error())
			return nil, false
		}
	}
	fields := strings.Fields(string(text))
	if len(fields) < 3 {
		md.Problems = append(md.Problems, "PNG: raw EXIF profile truncated")
		return nil, false
	}
	size, err := strconv.Atoi(fields[1])
	if err != nil || size <= 0 || size > maxEXIFBlock {
		md.Problems = append(md.Problems, "PNG: raw EXIF profile has a bad length")
		return nil, false
	}
	hexText := strings.Join(fields[2:], "")
	if len(hexText) < 2*size {
		md.Problems = append(md.Problems, "PNG: raw EXIF profile shorter than its length")
		return nil, false
	}
	out := make([]byte, size)
	for i := range out {
		v, err := strconv.ParseUint(hexText[2*i:2*i+2], 16, 8)
		if err != nil {
			md.Problems = append(md.Problems, "PNG: raw EXIF profile is not hex")
			return nil, false
		}
		out[i] = byte(v)
	}
	// APP1 profiles start with "Exif\0\0"; readEXIFBlock strips it.
	return out, true
}
