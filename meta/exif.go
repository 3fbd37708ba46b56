package meta

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/rwcarlsen/goexif/exif"
	"github.com/rwcarlsen/goexif/tiff"
	"shoebox/datetime"
	"shoebox/media"
)

// EXIF reading: walkTIFF validates the structure and keeps the wanted tags;
// exifPayload copies them into a small well-formed TIFF; goexif decodes that
// payload (it never sees the file, a maker note or a thumbnail); OffsetTime*
// (0x9010-0x9012), which goexif has no names for, come from the walker.

// exifDateTag describes one of the three EXIF dates and its companions.
type exifDateTag struct {
	kind   media.CandidateKind
	field  exif.FieldName
	tag    uint16
	subSec exif.FieldName
	offset uint16
	label  string
}

var exifDateTags = []exifDateTag{
	{media.KindEXIFOriginal, exif.DateTimeOriginal, tagDateTimeOriginal, exif.SubSecTimeOriginal, tagOffsetTimeOriginal, "DateTimeOriginal (0x9003)"},
	{media.KindEXIFDigitized, exif.DateTimeDigitized, tagDateTimeDigitized, exif.SubSecTimeDigitized, tagOffsetTimeDigit, "DateTimeDigitized/CreateDate (0x9004)"},
	{media.KindEXIFModify, exif.DateTime, tagDateTime, exif.SubSecTime, tagOffsetTime, "DateTime/ModifyDate (0x0132)"},
}

// exifPayload copies the validated tags into a TIFF of their own, in the
// file's byte order: IFD0 (Make, Model, Orientation, DateTime, Exif pointer)
// and an Exif IFD. The values are copied as they are, not decoded: goexif
// decodes each of them once. Text-like values (BYTE, UNDEFINED) are marked
// ASCII so that goexif reads them as strings, as it cuts at the first NUL.
// OffsetTime* are left out: goexif has no names for them, and readEXIF takes
// them from the walker. Every value is bounded by tiffMaxStringLen, so the
// payload is at most a few KiB.
func exifPayload(t *tiffTags) []byte {
	type ent struct {
		tag, typ uint16
		count    uint32
		val      []byte
	}
	convert := func(m map[uint16]tiffField) []ent {
		var out []ent
		for tag, f := range m {
			if tag == tagOffsetTime || tag == tagOffsetTimeOriginal || tag == tagOffsetTimeDigit {
				continue
			}
			switch f.Type {
			case 2, 7, 1: // text-like
				out = append(out, ent{tag, 2, f.Count, f.Value})
			case 3, 4: // SHORT, LONG
				out = append(out, ent{tag, f.Type, f.Count, f.Value})
			}
		}
		sort.Slice(out, func(i, j int) bool { return out[i].tag < out[j].tag })
		return out
	}
	ifd0 := convert(t.IFD0)
	ex := convert(t.Exif)
	if len(ex) > 0 {
		ifd0 = append(ifd0, ent{tag: tagExifIFD, typ: 4, count: 1})
	}
	bo, mark := binary.AppendByteOrder(binary.LittleEndian), "II"
	if t.Order == binary.BigEndian {
		bo, mark = binary.BigEndian, "MM"
	}
	ifdSize := func(n int) int { return 2 + 12*n + 4 }
	buf := bo.AppendUint32(bo.AppendUint16([]byte(mark), 42), 8)
	exifOff := 8 + ifdSize(len(ifd0))
	dataOff := exifOff
	if len(ex) > 0 {
		dataOff += ifdSize(len(ex))
	}
	var data []byte
	writeIFD := func(es []ent) {
		buf = bo.AppendUint16(buf, uint16(len(es)))
		for _, e := range es {
			buf = bo.AppendUint16(buf, e.tag)
			buf = bo.AppendUint16(buf, e.typ)
			buf = bo.AppendUint32(buf, e.count)
			switch {
			case e.tag == tagExifIFD:
				buf = bo.AppendUint32(buf, uint32(exifOff))
			case len(e.val) <= 4:
				var v [4]byte
				copy(v[:], e.val)
				buf = append(buf, v[:]...)
			default:
				buf = bo.AppendUint32(buf, uint32(dataOff+len(data)))
				data = append(data, e.val...)
				if len(data)%2 == 1 {
					data = append(data, 0)
				}
			}
		}
		buf = bo.AppendUint32(buf, 0)
	}
	writeIFD(ifd0)
	if len(ex) > 0 {
		writeIFD(ex)
	}
	return append(buf, data...)
}

// readEXIF reads the EXIF TIFF at [base, base+size) of r into md. where names
// the container for candidate details, e.g. "JPEG APP1".
func readEXIF(r io.ReaderAt, base, size int64, where string, md *Metadata) {
	tags, problems, err := walkTIFF(r, base, size)
	md.Problems = append(md.Problems, problems...)
	if err != nil {
		md.Problems = append(md.Problems, err.Error())
		return
	}
	if md.ContentID == "" {
		md.ContentID = tags.ContentID
	}
	if len(tags.IFD0) == 0 && len(tags.Exif) == 0 {
		return
	}
	x, err := exif.Decode(bytes.NewReader(exifPayload(tags)))
	if err != nil || x == nil {
		md.Problems = append(md.Problems, fmt.Sprintf("EXIF: decode of validated tags failed: %v", err))
		return
	}
	str := func(name exif.FieldName) (string, bool) {
		tg, err := x.Get(name)
		if err != nil || tg.Format() != tiff.StringVal {
			return "", false
		}
		s, err := tg.StringVal()
		return s, err == nil
	}
	if s, ok := str(exif.Make); ok {
		md.Make = datetime.CleanText(s)
	}
	if s, ok := str(exif.Model); ok {
		md.Model = datetime.CleanText(s)
	}
	md.Serial = serialOf(tags)
	if tg, err := x.Get(exif.Orientation); err == nil {
		if o, err := tg.Int(0); err == nil && o >= 1 && o <= 8 {
			md.Orientation = o
		} else {
			md.Problems = append(md.Problems, "EXIF: orientation out of range")
		}
	}
	for _, d := range exifDateTags {
		raw, ok := str(d.field)
		if !ok {
			continue
		}
		c, st := datetime.ParseEXIF(raw)
		switch st {
		case datetime.EXIFEmpty:
			continue
		case datetime.EXIFGarbage:
			md.Problems = append(md.Problems, fmt.Sprintf("EXIF: %s is not a date: %q", d.label, datetime.CleanText(raw)))
			continue
		}
		detail := "EXIF " + d.label
		if ss, ok := str(d.subSec); ok {
			if f := datetime.SubSecDigits(ss); f != "" && c.Frac == "" {
				c.Frac = f
				detail += " + " + string(d.subSec)
			}
		}
		if f, ok := tags.Exif[d.offset]; ok && !c.ZoneKnown {
			if s, ok := tiffASCII(f); ok {
				if off, ok := datetime.ParseOffset(s); ok {
					c.ZoneKnown, c.Offset = true, off
					detail += fmt.Sprintf(" + OffsetTime 0x%04X %q", d.offset, strings.TrimSpace(s))
				} else if strings.Trim(s, " :\x00") != "" {
					md.Problems = append(md.Problems, fmt.Sprintf("EXIF: offset 0x%04X is not a time zone offset: %q", d.offset, datetime.CleanText(s)))
				}
			}
		}
		md.Candidates = append(md.Candidates, media.Candidate{
			Kind: d.kind, Source: media.SourceEXIF, Value: c.String(),
			Detail: detail + ", in " + where + fmt.Sprintf(" (raw %q)", strings.TrimRight(raw, "\x00 ")),
		})
	}
}

// serialOf is the body serial number: EXIF BodySerialNumber, else the
// CameraSerialNumber some cameras (and DNG) put in IFD0. Taken from the
// walker, as goexif has no name for the first.
func serialOf(t *tiffTags) string {
	for _, f := range []struct {
		m   map[uint16]tiffField
		tag uint16
	}{{t.Exif, tagBodySerial}, {t.IFD0, tagCameraSerial}} {
		if v, ok := f.m[f.tag]; ok {
			if s, ok := tiffASCII(v); ok {
				if s = strings.TrimSpace(datetime.CleanText(s)); s != "" {
					return s
				}
			}
		}
	}
	return ""
}
