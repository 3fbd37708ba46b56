package processing

import (
	"fmt"
	"io"
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
