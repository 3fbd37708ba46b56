package meta

import (
	"fmt"
	"io"
)

// Raw formats that are not plain TIFF.

// readRAFMeta reads a Fujifilm RAF: a 16-byte magic, then at offset 84 the
// offset and length (big endian) of an embedded JPEG whose APP1 holds the EXIF.
func readRAFMeta(r io.ReaderAt, size int64, md *Metadata) {
	hdr, err := readFull(r, 84, 8, 8)
	if err != nil {
		md.Problems = append(md.Problems, "RAF: header truncated")
		return
	}
	off, n := int64(beU32(hdr[:4])), int64(beU32(hdr[4:]))
	if off < 92 || n < 4 || off+n > size {
		md.Problems = append(md.Problems, fmt.Sprintf("RAF: embedded JPEG (%d bytes at %d) out of range", n, off))
		return
	}
	sr := io.NewSectionReader(r, off, n)
	var soi [3]byte
	if _, err := sr.ReadAt(soi[:], 0); err != nil || soi != [3]byte{0xFF, 0xD8, 0xFF} {
		md.Problems = append(md.Problems, "RAF: embedded JPEG has no SOI marker")
		return
	}
	readJPEGMeta(sr, n, md)
}

// cr3UUID is the uuid box of Canon CR3 files that holds the CMT metadata boxes.
const cr3UUID = "\x85\xc0\xb6\x87\x82\x0f\x11\xe0\x81\x11\xf4\xce\x46\x2b\x6a\x48"

// readCR3Meta reads a Canon CR3 (ISOBMFF): moov/uuid(Canon) holds CMT1 (a
// TIFF with IFD0: make, model, orientation) and CMT2 (a TIFF whose IFD0 is
// the Exif IFD: the dates). Videos' mvhd is read as well.
func readCR3Meta(r io.ReaderAt, size int64, md *Metadata) {
	budget := maxBoxes
	moov, err := findTopBox(r, size, &budget, "moov")
	if err != nil {
		md.Problems = append(md.Problems, "CR3: "+err.Error())
	}
	if moov == nil {
		return
	}
	found := false
	err = walkBoxes(r, moov.bodyOff(), moov.Off+moov.Size, &budget, func(b isoBox) bool {
		if b.Type != "uuid" || b.bodyLen() < 16 {
			return true
		}
		id, err := readFull(r, b.bodyOff(), 16, 16)
		if err != nil || string(id) != cr3UUID {
			return true
		}
		found = true
		if e := walkBoxes(r, b.bodyOff()+16, b.Off+b.Size, &budget, func(c isoBox) bool {
			switch c.Type {
			case "CMT1":
				readEXIF(r, c.bodyOff(), c.bodyLen(), "CR3 CMT1", md)
			case "CMT2":
				readEXIF(r, c.bodyOff(), c.bodyLen(), "CR3 CMT2 (Exif IFD)", md)
			}
			return true
		}); e != nil {
			md.Problems = append(md.Problems, "CR3: "+e.Error())
		}
		return false
	})
	if err != nil {
		md.Problems = append(md.Problems, "CR3: "+err.Error())
	}
	if !found {
		md.Problems = append(md.Problems, "CR3: no Canon metadata box")
	}
}
