package meta

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"shoebox/datetime"
	"shoebox/media"
)

// ISOBMFF (HEIF/HEIC images, MP4 and QuickTime MOV videos): a bounded box walker.

// isoBox is one box: it starts at Off, its body at Off+Hdr, and it is Size bytes long.
type isoBox struct {
	Type           string
	Off, Hdr, Size int64
}

func (b isoBox) bodyOff() int64 { return b.Off + b.Hdr }
func (b isoBox) bodyLen() int64 { return b.Size - b.Hdr }

// walkBoxes calls fn for each box in [start, end) of r until fn returns false.
// A box whose size is impossible stops the walk with an error. budget caps the
// number of boxes visited across a whole file.
func walkBoxes(r io.ReaderAt, start, end int64, budget *int, fn func(isoBox) bool) error {
	var hdr [16]byte
	for off := start; off+8 <= end; {
		if *budget <= 0 {
			return fmt.Errorf("more than %d boxes", maxBoxes)
		}
		*budget--
		if _, err := r.ReadAt(hdr[:8], off); err != nil {
			return fmt.Errorf("box header at %d: %v", off, err)
		}
		b := isoBox{Type: string(hdr[4:8]), Off: off, Hdr: 8, Size: int64(beU32(hdr[:4]))}
		switch b.Size {
		case 0: // to the end of the enclosing space
			b.Size = end - off
		case 1: // 64-bit size follows
			if off+16 > end {
				return fmt.Errorf("box %q at %d: truncated large size", printable(b.Type), off)
			}
			if _, err := r.ReadAt(hdr[8:16], off+8); err != nil {
				return fmt.Errorf("box %q at %d: %v", printable(b.Type), off, err)
			}
			ls := uint64(beU32(hdr[8:12]))<<32 | uint64(beU32(hdr[12:16]))
			if ls > uint64(end-off) {
				return fmt.Errorf("box %q at %d runs past the end", printable(b.Type), off)
			}
			b.Hdr, b.Size = 16, int64(ls)
		}
		if b.Size < b.Hdr || b.Size > end-off {
			return fmt.Errorf("box %q at %d has a bad size %d", printable(b.Type), off, b.Size)
		}
		if !fn(b) {
			return nil
		}
		off += b.Size
	}
	return nil
}

// findTopBox returns the first top-level box of type typ, nil when there is
// none; err says why the walk stopped early.
func findTopBox(r io.ReaderAt, size int64, budget *int, typ string) (*isoBox, error) {
	var found *isoBox
	err := walkBoxes(r, 0, size, budget, func(b isoBox) bool {
		if b.Type == typ {
			found = &b
			return false
		}
		return true
	})
	return found, err
}

// readHEIFMeta finds the Exif item of a HEIF/HEIC/AVIF image and reads it.
func readHEIFMeta(r io.ReaderAt, size int64, md *Metadata) {
	budget := maxBoxes
	meta, err := findTopBox(r, size, &budget, "meta")
	if err != nil {
		md.Problems = append(md.Problems, "HEIF: "+err.Error())
	}
	if meta == nil {
		return
	}
	if meta.bodyLen() > maxMetaBoxRead || meta.bodyLen() < 4 {
		md.Problems = append(md.Problems, fmt.Sprintf("HEIF: meta box of %d bytes refused", meta.bodyLen()))
		return
	}
	body, err := readFull(r, meta.bodyOff(), meta.bodyLen(), maxMetaBoxRead)
	if err != nil {
		md.Problems = append(md.Problems, "HEIF: meta box: "+err.Error())
		return
	}
	exifID, ext, idat, err := heifExifItem(body[4:], &budget) // meta is a FullBox
	if err != nil {
		md.Problems = append(md.Problems, "HEIF: "+err.Error())
	}
	if exifID == 0 || len(ext) == 0 {
		return
	}
	// Gather the item's bytes (usually one small extent).
	var data []byte
	for _, e := range ext {
		if e.length > maxEXIFBlock-int64(len(data)) {
			md.Problems = append(md.Problems, "HEIF: Exif item too large")
			return
		}
		var chunk []byte
		if e.idat {
			if e.offset < 0 || e.offset+e.length > int64(len(idat)) {
				md.Problems = append(md.Problems, "HEIF: Exif extent out of the idat box")
				return
			}
			chunk = idat[e.offset : e.offset+e.length]
		} else {
			if e.offset < 0 || e.offset+e.length > size {
				md.Problems = append(md.Problems, "HEIF: Exif extent beyond the end of the file")
				return
			}
			if chunk, err = readFull(r, e.offset, e.length, maxEXIFBlock); err != nil {
				md.Problems = append(md.Problems, "HEIF: Exif extent: "+err.Error())
				return
			}
		}
		data = append(data, chunk...)
	}
	if len(data) < 4 {
		md.Problems = append(md.Problems, "HEIF: Exif item too short")
		return
	}
	skip := int64(beU32(data[:4]))
	if skip > int64(len(data))-4 {
		md.Problems = append(md.Problems, "HEIF: Exif item TIFF header offset out of range")
		return
	}
	readEXIFBlock(bytes.NewReader(data), 4+skip, int64(len(data))-4-skip, "HEIF Exif item", md)
}

type heifExtent struct {
	offset, length int64
	idat           bool
}

// heifExifItem parses the children of a meta box (already in memory): the
// item of type "Exif" in iinf, its extents in iloc, and the idat payload.
func heifExifItem(meta []byte, budget *int) (id uint32, ext []heifExtent, idat []byte, err error) {
	r := bytes.NewReader(meta)
	var iinf, iloc *isoBox
	werr := walkBoxes(r, 0, int64(len(meta)), budget, func(b isoBox) bool {
		switch b.Type {
		case "iinf":
			iinf = &b
		case "iloc":
			iloc = &b
		case "idat":
			idat = meta[b.bodyOff() : b.bodyOff()+b.bodyLen()]
		}
		return true
	})
	if werr != nil {
		err = werr
	}
	if iinf == nil || iloc == nil {
		return 0, nil, nil, err
	}
	body := func(b *isoBox) []byte { return meta[b.bodyOff() : b.bodyOff()+b.bodyLen()] }
	if id, err = heifFindExifID(body(iinf), budget); err != nil || id == 0 {
		return 0, nil, nil, err
	}
	ext, err = heifItemExtents(body(iloc), id)
	return id, ext, idat, err
}

func heifFindExifID(b []byte, budget *int) (uint32, error) {
	if len(b) < 6 {
		return 0, fmt.Errorf("iinf box too short")
	}
	start := 6 // version/flags + u16 count
	if b[0] != 0 {
		start = 8 // u32 count
	}
	if len(b) < start {
		return 0, fmt.Errorf("iinf box too short")
	}
	var id uint32
	var perr error
	err := walkBoxes(bytes.NewReader(b), int64(start), int64(len(b)), budget, func(e isoBox) bool {
		if e.Type != "infe" {
			return true
		}
		p := b[e.bodyOff() : e.bodyOff()+e.bodyLen()]
		if len(p) < 4 {
			perr = fmt.Errorf("infe box too short")
			return true
		}
		var itemID uint32
		var typ string
		switch v := p[0]; {
		case v == 2 && len(p) >= 12:
			itemID, typ = uint32(beU16(p[4:6])), string(p[8:12])
		case v >= 3 && len(p) >= 14:
			itemID, typ = beU32(p[4:8]), string(p[10:14])
		default:
			return true // versions 0/1 carry no item type
		}
		if typ == "Exif" && itemID != 0 {
			id = itemID
			return false
		}
		return true
	})
	if err == nil {
		err = perr
	}
	return id, err
}

// ilocReader reads the big-endian fields of an iloc box body in order.
type ilocReader struct {
	b []byte
	p int
}

func (r *ilocReader) need(n int) bool { return r.p+n <= len(r.b) }

func (r *ilocReader) rd(n int) uint64 {
	var v uint64
	for i := 0; i < n; i++ {
		v = v<<8 | uint64(r.b[r.p+i])
	}
	r.p += n
	return v
}

// heifItemExtents parses an iloc box body and returns the extents of item id.
func heifItemExtents(b []byte, id uint32) ([]heifExtent, error) {
	r := &ilocReader{b: b}
	if !r.need(8) {
		return nil, fmt.Errorf("iloc box too short")
	}
	version := b[0]
	r.p = 4
	offSize, lenSize := int(b[r.p]>>4), int(b[r.p]&15)
	baseSize, idxSize := int(b[r.p+1]>>4), int(b[r.p+1]&15)
	r.p += 2
	for _, s := range []int{offSize, lenSize, baseSize} {
		if s != 0 && s != 4 && s != 8 {
			return nil, fmt.Errorf("iloc: bad field size %d", s)
		}
	}
	if version == 0 || (idxSize != 0 && idxSize != 4 && idxSize != 8) {
		idxSize = 0
	}
	var count uint64
	if version < 2 {
		count = r.rd(2)
	} else {
		if !r.need(4) {
			return nil, fmt.Errorf("iloc truncated")
		}
		count = r.rd(4)
	}
	if version > 2 {
		return nil, fmt.Errorf("iloc version %d unknown", version)
	}
	for i := uint64(0); i < count; i++ {
		idLen := 2
		if version == 2 {
			idLen = 4
		}
		hdr := idLen + 2 + baseSize + 2
		if version >= 1 {
			hdr += 2
		}
		if !r.need(hdr) {
			return nil, fmt.Errorf("iloc truncated")
		}
		itemID := uint32(r.rd(idLen))
		method := 0
		if version >= 1 {
			method = int(r.rd(2) & 15)
		}
		r.p += 2 // data_reference_index
		base := r.rd(baseSize)
		n := int(r.rd(2))
		per := idxSize + offSize + lenSize
		if !r.need(n * per) {
			return nil, fmt.Errorf("iloc truncated")
		}
		if itemID != id {
			r.p += n * per
			continue
		}
		if method > 1 {
			return nil, fmt.Errorf("item %d uses construction method %d (only file offsets and idat are read)", itemID, method)
		}
		return r.extents(n, idxSize, offSize, lenSize, base, method == 1)
	}
	return nil, nil
}

// extents reads the n extents of the item found, each at base plus its offset.
func (r *ilocReader) extents(n, idxSize, offSize, lenSize int, base uint64, idat bool) ([]heifExtent, error) {
	var out []heifExtent
	for j := 0; j < n; j++ {
		r.p += idxSize
		off := r.rd(offSize)
		l := r.rd(lenSize)
		if base > 1<<62 || off > 1<<62 || l > 1<<40 || base+off > 1<<62 {
			return nil, fmt.Errorf("iloc: extent out of range")
		}
		if l == 0 {
			return nil, fmt.Errorf("an item extent of length 0 (to the end of the file) is not supported")
		}
		out = append(out, heifExtent{offset: int64(base + off), length: int64(l), idat: idat})
	}
	return out, nil
}

// readVideoMeta reads the creation times of an MP4/MOV file: Apple's
// com.apple.quicktime.creationdate (with its offset) and the mvhd creation
// time (UTC). Only the moov box is visited; mdat is skipped by offset.
func readVideoMeta(r io.ReaderAt, size int64, md *Metadata) {
	budget := maxBoxes
	moov, err := findTopBox(r, size, &budget, "moov")
	if err != nil {
		md.Problems = append(md.Problems, "video: "+err.Error())
	}
	if moov == nil {
		return
	}
	var apple, mvhd []media.Candidate
	var visit func(b isoBox, depth int)
	visit = func(b isoBox, depth int) {
		if depth > maxBoxDepth {
			md.Problems = append(md.Problems, "video: boxes nested too deep")
			return
		}
		switch b.Type {
		case "mvhd":
			if c, ok := parseMvhd(r, b, md); ok {
				mvhd = append(mvhd, c)
			}
		case "meta":
			apple = append(apple, parseQuickTimeMeta(r, b, md)...)
		case "udta", "moov":
			if e := walkBoxes(r, b.bodyOff(), b.Off+b.Size, &budget, func(c isoBox) bool {
				visit(c, depth+1)
				return true
			}); e != nil {
				md.Problems = append(md.Problems, "video: "+e.Error())
			}
		}
	}
	visit(*moov, 0)
	md.Candidates = append(md.Candidates, apple...)
	md.Candidates = append(md.Candidates, mvhd...)
}

// mp4Epoch is the QuickTime/MP4 time origin.
var mp4Epoch = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)

func parseMvhd(r io.ReaderAt, b isoBox, md *Metadata) (media.Candidate, bool) {
	if b.bodyLen() < 12 {
		md.Problems = append(md.Problems, "video: mvhd box too short")
		return media.Candidate{}, false
	}
	p, err := readFull(r, b.bodyOff(), min(b.bodyLen(), 32), 32)
	if err != nil {
		md.Problems = append(md.Problems, "video: mvhd: "+err.Error())
		return media.Candidate{}, false
	}
	var secs, scale, length uint64
	switch p[0] {
	case 0:
		secs = uint64(beU32(p[4:8]))
		if len(p) >= 20 {
			scale, length = uint64(beU32(p[12:16])), uint64(beU32(p[16:20]))
		}
	case 1:
		if len(p) < 20 {
			md.Problems = append(md.Problems, "video: mvhd box too short")
			return media.Candidate{}, false
		}
		secs = uint64(beU32(p[4:8]))<<32 | uint64(beU32(p[8:12]))
		if len(p) >= 32 {
			scale, length = uint64(beU32(p[20:24])), uint64(beU32(p[24:28]))<<32|uint64(beU32(p[28:32]))
		}
	default:
		md.Problems = append(md.Problems, fmt.Sprintf("video: mvhd version %d unknown", p[0]))
		return media.Candidate{}, false
	}
	// The length (duration in timescale units) is only shown; an absurd
	// one (over a day, or no timescale) is left unknown.
	if scale > 0 && length/scale < 86400 && length != 0xFFFFFFFF {
		md.Duration = time.Duration(length) * time.Second / time.Duration(scale)
	}
	if secs == 0 {
		return media.Candidate{}, false // "not set"
	}
	if secs > 300*366*86400 { // beyond the year 2200: garbage
		md.Problems = append(md.Problems, fmt.Sprintf("video: mvhd creation time %d out of range", secs))
		return media.Candidate{}, false
	}
	t := mp4Epoch.Add(time.Duration(secs) * time.Second)
	return media.Candidate{Kind: media.KindVideoCreation, Source: media.SourceVideo, Value: datetime.FromTime(t, true).String(),
		Detail: fmt.Sprintf("mvhd creation_time %d s since 1904-01-01 (UTC)", secs)}, true
}

// parseQuickTimeMeta reads a meta box with keys/ilst (QuickTime metadata):
// it returns com.apple.quicktime.creationdate and ©day, and sets
// md.ContentID from com.apple.quicktime.content.identifier.
func parseQuickTimeMeta(r io.ReaderAt, b isoBox, md *Metadata) []media.Candidate {
	if b.bodyLen() > maxMetaBoxRead {
		md.Problems = append(md.Problems, "video: meta box too large")
		return nil
	}
	body, err := readFull(r, b.bodyOff(), b.bodyLen(), maxMetaBoxRead)
	if err != nil {
		md.Problems = append(md.Problems, "video: meta: "+err.Error())
		return nil
	}
	start := 0
	// The ISO meta box is a FullBox; QuickTime's is not. Tell by whether a
	// box type follows at once.
	if len(body) >= 12 && !isBoxType(body[4:8]) && isBoxType(body[8:12]) {
		start = 4
	}
	budget := maxBoxes
	var keys map[uint32]string
	var items []isoBox
	if err := walkBoxes(bytes.NewReader(body), int64(start), int64(len(body)), &budget, func(c isoBox) bool {
		switch c.Type {
		case "keys":
			keys = parseKeys(body[c.bodyOff() : c.bodyOff()+c.bodyLen()])
		case "ilst":
			_ = walkBoxes(bytes.NewReader(body), c.bodyOff(), c.Off+c.Size, &budget, func(it isoBox) bool {
				items = append(items, it)
				return true
			})
		}
		return true
	}); err != nil {
		md.Problems = append(md.Problems, "video: meta: "+err.Error())
	}
	var out []media.Candidate
	for _, it := range items {
		idx := beU32([]byte(it.Type))
		name := keys[idx]
		if it.Type == "\xa9day" {
			name = "©day"
		}
		item := body[it.bodyOff() : it.bodyOff()+it.bodyLen()]
		if name == "com.apple.quicktime.content.identifier" {
			// One byte more than an identifier may have, so that a longer
			// value is refused rather than cut.
			if val, ok := ilstString(item, &budget, contentIDMaxLen+1); ok && md.ContentID == "" {
				md.ContentID = cleanContentID(val)
			}
			continue
		}
		if name != "com.apple.quicktime.creationdate" && name != "©day" {
			continue
		}
		val, ok := ilstString(item, &budget, 64)
		if !ok {
			continue
		}
		c, ok := datetime.ParseISO(val)
		if !ok || c.Prec != datetime.PrecTime {
			md.Problems = append(md.Problems, fmt.Sprintf("video: %s is not a date-time: %q", name, datetime.CleanText(val)))
			continue
		}
		out = append(out, media.Candidate{Kind: media.KindVideoCreation, Source: media.SourceVideo, Value: c.String(),
			Detail: fmt.Sprintf("QuickTime metadata %s %q", name, datetime.CleanText(val))})
	}
	return out
}

func isBoxType(b []byte) bool {
	for _, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ' ' || c == 0xA9) {
			return false
		}
	}
	return true
}

// parseKeys parses a QuickTime keys box body into index (1-based) → key name.
func parseKeys(b []byte) map[uint32]string {
	keys := map[uint32]string{}
	if len(b) < 8 {
		return keys
	}
	n := beU32(b[4:8])
	p := 8
	for i := uint32(1); i <= n && p+8 <= len(b) && i <= maxBoxes; i++ {
		sz := int(beU32(b[p : p+4]))
		if sz < 8 || p+sz > len(b) {
			break
		}
		keys[i] = string(b[p+8 : p+sz])
		p += sz
	}
	return keys
}

// ilstString returns the UTF-8 value of the first data box in an ilst item,
// cut at limit bytes.
func ilstString(b []byte, budget *int, limit int) (string, bool) {
	var s string
	var ok bool
	_ = walkBoxes(bytes.NewReader(b), 0, int64(len(b)), budget, func(d isoBox) bool {
		if d.Type != "data" || d.bodyLen() < 8 {
			return true
		}
		p := b[d.bodyOff() : d.bodyOff()+d.bodyLen()]
		if t := beU32(p[:4]) & 0xFFFFFF; t != 1 && t != 0 { // 1: UTF-8
			return true
		}
		v := p[8:]
		if len(v) > limit {
			v = v[:limit]
		}
		s, ok = strings.TrimRight(string(v), "\x00"), true
		return false
	})
	return s, ok
}
