package meta

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gabriel-vasile/mimetype"

	"shoebox/media"
)

// Metadata is what the embedded metadata of a file says.
type Metadata struct {
	Orientation int    // EXIF orientation 1..8; 0 when absent
	Make, Model string // EXIF camera make/model, trimmed; "" when absent
	// Serial is the camera body's serial number (EXIF BodySerialNumber,
	// else CameraSerialNumber), trimmed; "" when absent. With make and
	// model it tells two cameras of the same model apart.
	Serial     string
	Candidates []media.Candidate // from EXIF / video atoms, not yet validated
	// ContentID is Apple's Live Photo content identifier, the same in a Live
	// Photo's still and its video; "" when absent (see apple.go).
	ContentID string
	// Duration is a video's length from its mvhd box; 0 when unknown.
	Duration time.Duration
	Problems []string // metadata that was present but malformed; informational, never a file error
}

// Camera is the make and model as one name ("Canon Canon EOS 5D Mark IV":
// as the camera wrote them), "" when neither is known.
func (m Metadata) Camera() string { return strings.TrimSpace(m.Make + " " + m.Model) }

// Limits shared by the container parsers. Nothing is allocated from a length
// read in a file without checking it against these and against the file size.
const (
	maxEXIFBlock   = 4 << 20 // an EXIF block we are willing to read into memory
	maxBoxDepth    = 8       // ISOBMFF nesting followed
	maxBoxes       = 4096    // boxes/chunks/segments visited per file
	maxMetaBoxRead = 1 << 20 // a HEIF meta / QuickTime meta box read whole
	sniffLen       = 3072    // the first bytes read to tell the container, as the analysis reads to detect the MIME type
)

// Container is the kind of file the metadata is read from.
type Container int

// The containers Read knows.
const (
	Unknown Container = iota
	JPEG
	PNG
	WebP
	TIFF // TIFF and the TIFF-based camera RAW files
	HEIF // HEIC, HEIF, AVIF
	Video
	RAF // Fujifilm RAW
	CR3 // Canon RAW (ISO BMFF)
)

// Sniff decides how to read a file. mime is the type mimetype
// (github.com/gabriel-vasile/mimetype) detected from the file's first bytes,
// head; at least the first 64 bytes. The MIME type decides, except where
// mimetype cannot tell, and only there are the bytes looked at:
//   - Fujifilm RAF, and the TIFF variants of Olympus ORF ("IIRO", "IIRS") and
//     Panasonic RW2 ("IIU\0"): mimetype does not know them
//     (application/octet-stream);
//   - ISO BMFF ("ftyp" box): mimetype calls Canon CR3 and many HEIF brands
//     video/mp4, so the brands decide between CR3, HEIF and video.
func Sniff(head []byte, mime string) Container {
	switch {
	case len(head) >= 16 && string(head[:16]) == "FUJIFILMCCD-RAW ":
		return RAF
	case len(head) >= 4 && (string(head[:4]) == "IIRO" || string(head[:4]) == "IIRS" || string(head[:4]) == "IIU\x00"):
		return TIFF
	case len(head) >= 12 && string(head[4:8]) == "ftyp":
		if string(head[8:12]) == "crx " {
			return CR3
		}
		if isHEIFBrand(head) {
			return HEIF
		}
		return Video
	}
	m := strings.ToLower(mime)
	if i := strings.IndexByte(m, ';'); i >= 0 {
		m = m[:i]
	}
	switch {
	case m == "image/jpeg":
		return JPEG
	case m == "image/png":
		return PNG
	case m == "image/webp":
		return WebP
	case m == "image/heic" || m == "image/heif" || m == "image/heic-sequence" || m == "image/heif-sequence" || m == "image/avif":
		return HEIF
	case strings.HasPrefix(m, "video/") || m == "audio/mp4":
		return Video
	case m == "image/tiff" || strings.HasPrefix(m, "image/x-") && (strings.Contains(m, "cr2") ||
		strings.Contains(m, "nef") || strings.Contains(m, "arw") || strings.Contains(m, "dng") ||
		strings.Contains(m, "orf") || strings.Contains(m, "rw2") || strings.Contains(m, "pef")):
		return TIFF
	}
	return Unknown
}

// isHEIFBrand reports whether an ftyp box (at head[0:]) names a HEIF image brand.
func isHEIFBrand(head []byte) bool {
	brands := []string{string(head[8:12])}
	n := int(beU32(head[0:4]))
	for i := 16; i+4 <= len(head) && i+4 <= n; i += 4 {
		brands = append(brands, string(head[i:i+4]))
	}
	for i, b := range brands {
		switch b {
		case "heic", "heix", "heim", "heis", "hevc", "hevx", "avif", "avis":
			return true
		case "mif1", "msf1":
			// mif1 alone is a HEIF image; with a video major brand it is not
			if i == 0 {
				return true
			}
		}
	}
	return false
}

// Read reads the embedded metadata of one file. r gives the file's
// bytes, size is the file size, mime is the MIME type mimetype detected
// ("" or the generic application/octet-stream to have Read detect it; see
// Sniff). It reads only
// the parts it needs, never allocates from an unchecked length, and reports
// malformed metadata in Problems instead of failing.
func Read(r io.ReaderAt, size int64, mime string) Metadata {
	var md Metadata
	if r == nil || size <= 0 {
		return md
	}
	head := make([]byte, sniffLen)
	n, _ := r.ReadAt(head, 0)
	head = head[:n]
	if mime == "" || mime == "application/octet-stream" {
		// Not told, or told nothing: ask mimetype as the analysis would.
		mime = mimetype.Detect(head).String()
	}
	switch Sniff(head, mime) {
	case JPEG:
		readJPEGMeta(r, size, &md)
	case PNG:
		readPNGMeta(r, size, &md)
	case WebP:
		readWebPMeta(r, size, &md)
	case TIFF:
		readEXIF(r, 0, size, "TIFF header", &md)
	case HEIF:
		readHEIFMeta(r, size, &md)
	case Video:
		readVideoMeta(r, size, &md)
	case RAF:
		readRAFMeta(r, size, &md)
	case CR3:
		readCR3Meta(r, size, &md)
	}
	return md
}

// readEXIFBlock handles an EXIF block found in a container at [off, off+n):
// an optional "Exif\0\0" prefix, then the TIFF.
func readEXIFBlock(r io.ReaderAt, off, n int64, where string, md *Metadata) {
	if n > maxEXIFBlock {
		md.Problems = append(md.Problems, fmt.Sprintf("EXIF: %s block of %d bytes is too large", where, n))
		return
	}
	var pre [6]byte
	if n >= 6 {
		if _, err := r.ReadAt(pre[:], off); err == nil && string(pre[:]) == "Exif\x00\x00" {
			off, n = off+6, n-6
		}
	}
	readEXIF(r, off, n, where, md)
}

func beU32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func beU16(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }

func leU32(b []byte) uint32 {
	return uint32(b[3])<<24 | uint32(b[2])<<16 | uint32(b[1])<<8 | uint32(b[0])
}

// readFull reads exactly n bytes at off, refusing n beyond limit.
func readFull(r io.ReaderAt, off, n, limit int64) ([]byte, error) {
	if n < 0 || n > limit {
		return nil, fmt.Errorf("%d bytes is more than the %d allowed", n, limit)
	}
	b := make([]byte, n)
	m, err := r.ReadAt(b, off)
	if int64(m) == n {
		return b, nil
	}
	if err == nil {
		err = io.ErrUnexpectedEOF
	}
	return nil, err
}
