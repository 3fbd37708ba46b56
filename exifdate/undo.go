package exifdate

import (
	"bytes"
	"errors"
	"fmt"
)

// ExifSegment returns a copy of src's first APP1 Exif segment, marker and
// length included, or nil when src has none. Journaled before a write, it is
// all RestoreExifSegment needs to give the file back byte for byte, since
// SetJPEGDate changes nothing else.
func ExifSegment(src []byte) ([]byte, error) {
	f, err := parseJPEG(src)
	if err != nil {
		return nil, err
	}
	if f.exif < 0 {
		return nil, nil
	}
	s := f.segs[f.exif]
	return bytes.Clone(src[s.start:s.end]), nil
}

// RestoreExifSegment undoes SetJPEGDate: it returns cur with its Exif segment
// replaced by saved (from ExifSegment on the original), or removed when saved
// is nil (the original had none). The caller checks first that cur is still
// the file it wrote (its SHA-256 in the journal), and afterwards that the
// result has the original's SHA-256.
func RestoreExifSegment(cur, saved []byte) ([]byte, error) {
	f, err := parseJPEG(cur)
	if err != nil {
		return nil, err
	}
	if f.exif < 0 {
		return nil, errors.New("the file has no EXIF segment to restore over")
	}
	if saved != nil {
		if len(saved) < 4+len(exifHeader) || saved[0] != 0xFF || saved[1] != markerAPP1 ||
			int(saved[2])<<8|int(saved[3]) != len(saved)-2 || !bytes.HasPrefix(saved[4:], exifHeader) {
			return nil, errors.New("the saved EXIF segment is not one whole APP1 Exif segment")
		}
	}
	s := f.segs[f.exif]
	out := make([]byte, 0, len(cur)-(s.end-s.start)+len(saved))
	out = append(append(append(out, cur[:s.start]...), saved...), cur[s.end:]...)
	if saved != nil {
		if err := ProveImageUnchanged(cur, out); err != nil {
			return nil, fmt.Errorf("restoring the EXIF segment: %w", err)
		}
	}
	return out, nil
}
