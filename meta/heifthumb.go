package meta

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// HEIF thumbnails. Go has no HEVC decoder, so the pixels of a HEIC go
// through an external decoder (libheif's heif-convert), which decodes the
// primary image of the file it is given: 12 MP for an iPhone photo, seconds
// of work. The file usually carries a 320x240 thumbnail item as well; this
// file finds it and rewrites it as a HEIC file of its own whose primary
// image it is, so that the decoder decodes only the small picture.
//
// The boxes follow ISO/IEC 14496-12:2015 (ISOBMFF) and ISO/IEC 23008-12:2017
// (HEIF); the clauses are named where each is read or written.

// ErrNoHEIFThumbnail says a HEIF image carries no thumbnail that can be
// extracted (none at all, or one not coded as HEVC). It is not damage: the
// whole image must be decoded instead.
var ErrNoHEIFThumbnail = errors.New("no embedded thumbnail")

// MaxHEIFThumbnailBytes is the largest thumbnail item taken: an iPhone's
// 320x240 one is 10-30 KB. A larger "thumbnail" is refused rather than read.
const MaxHEIFThumbnailBytes = 4 << 20

// HEIFPreview is what HEIFThumbnail found.
type HEIFPreview struct {
	// Width and Height are the primary image's size as its ispe property
	// states it (before rotation); 0 when it has none.
	Width, Height int
	// ThumbWidth and ThumbHeight are the thumbnail's ispe size.
	ThumbWidth, ThumbHeight int
	// Thumbnail is a complete HEIC file holding only the thumbnail, as its
	// primary image, with the thumbnail's own properties (rotation,
	// mirroring and colour included); nil when there is none.
	Thumbnail []byte
}

// HEIFThumbnail finds the thumbnail item of a HEIF file's primary image and
// returns it as a HEIC file of its own. With no usable thumbnail the error
// wraps ErrNoHEIFThumbnail; a malformed or oversized structure gives an
// error in words. Width and Height are set whenever the primary's size was
// read, error or not. Only the meta box (at most 1 MiB) and the thumbnail's
// bytes (at most MaxHEIFThumbnailBytes) are read.
func HEIFThumbnail(r io.ReaderAt, size int64) (HEIFPreview, error) {
	budget := maxBoxes
	mb, err := findTopBox(r, size, &budget, "meta")
	if mb == nil {
		if err != nil {
			return HEIFPreview{}, fmt.Errorf("HEIF structure: %w", err)
		}
		return HEIFPreview{}, errors.New("not a HEIF image: it has no meta box")
	}
	if mb.bodyLen() > maxMetaBoxRead || mb.bodyLen() < 4 {
		return HEIFPreview{}, fmt.Errorf("HEIF meta box of %d bytes refused", mb.bodyLen())
	}
	body, err := readFull(r, mb.bodyOff(), mb.bodyLen(), maxMetaBoxRead)
	if err != nil {
		return HEIFPreview{}, fmt.Errorf("HEIF meta box: %w", err)
	}
	l, err := parseHEIFLayout(body[4:], &budget) // meta is a FullBox (14496-12 §8.11.1)
	if err != nil {
		return HEIFPreview{}, err
	}
	var p HEIFPreview
	p.Width, p.Height, _ = l.spatialExtent(l.primary)
	id, err := l.pickThumbnail()
	if err != nil {
		return p, err
	}
	p.ThumbWidth, p.ThumbHeight, _ = l.spatialExtent(id)
	props, essential, err := l.thumbnailProperties(id)
	if err != nil {
		return p, err
	}
	data, err := l.itemData(r, size, id)
	if err != nil {
		return p, err
	}
	p.Thumbnail = buildHEIC(props, essential, data)
	return p, nil
}

// heifProp is one item property of the ipco box (23008-12 §9.3): its type and body.
type heifProp struct {
	typ  string
	body []byte
}

// heifAssoc is one ipma association: a 1-based index into ipco.
type heifAssoc struct {
	index     int
	essential bool
}

// heifLayout is what the meta box says about the items.
type heifLayout struct {
	primary uint32
	types   map[uint32]string   // item ID → item type (iinf)
	thumbOf map[uint32][]uint32 // master item ID → its thumbnails (iref 'thmb')
	props   []heifProp          // ipco, in order
	assoc   map[uint32][]heifAssoc
	iloc    []byte // body of iloc
	idat    []byte // body of idat
}

// parseHEIFLayout reads the children of the meta box (already in memory).
func parseHEIFLayout(meta []byte, budget *int) (heifLayout, error) {
	l := heifLayout{types: map[uint32]string{}, thumbOf: map[uint32][]uint32{}, assoc: map[uint32][]heifAssoc{}}
	body := func(b isoBox) []byte { return meta[b.bodyOff() : b.bodyOff()+b.bodyLen()] }
	var perr error
	werr := walkBoxes(bytes.NewReader(meta), 0, int64(len(meta)), budget, func(b isoBox) bool {
		switch b.Type {
		case "pitm":
			perr = l.readPitm(body(b))
		case "iinf":
			perr = l.readIinf(body(b), budget)
		case "iref":
			perr = l.readIref(body(b), budget)
		case "iprp":
			perr = l.readIprp(body(b), budget)
		case "iloc":
			l.iloc = body(b)
		case "idat":
			l.idat = body(b)
		}
		return perr == nil
	})
	switch {
	case perr != nil:
		return l, fmt.Errorf("HEIF structure: %w", perr)
	case werr != nil:
		return l, fmt.Errorf("HEIF structure: %w", werr)
	case l.primary == 0:
		return l, errors.New("HEIF structure: no primary item (pitm box)")
	case l.iloc == nil:
		return l, errors.New("HEIF structure: no item locations (iloc box)")
	}
	return l, nil
}

// readPitm reads the primary item box (14496-12 §8.11.4).
func (l *heifLayout) readPitm(b []byte) error {
	switch {
	case len(b) >= 6 && b[0] == 0:
		l.primary = uint32(beU16(b[4:6]))
	case len(b) >= 8:
		l.primary = beU32(b[4:8])
	default:
		return errors.New("pitm box too short")
	}
	return nil
}

// readIinf reads every item's type from the item information box and its
// ItemInfoEntry boxes of version 2 or 3 (14496-12 §8.11.6); versions 0 and
// 1 carry no item type and are passed over.
func (l *heifLayout) readIinf(b []byte, budget *int) error {
	start := 6 // FullBox header + u16 entry_count
	if len(b) >= 1 && b[0] != 0 {
		start = 8 // u32 entry_count
	}
	if len(b) < start {
		return errors.New("iinf box too short")
	}
	return walkBoxes(bytes.NewReader(b), int64(start), int64(len(b)), budget, func(e isoBox) bool {
		p := b[e.bodyOff() : e.bodyOff()+e.bodyLen()]
		if e.Type != "infe" || len(p) < 1 {
			return true
		}
		switch v := p[0]; {
		case v == 2 && len(p) >= 12:
			l.types[uint32(beU16(p[4:6]))] = string(p[8:12])
		case v >= 3 && len(p) >= 14:
			l.types[beU32(p[4:8])] = string(p[10:14])
		}
		return true
	})
}

// readIref reads the item references box (14496-12 §8.11.12): each child is
// a SingleItemTypeReferenceBox named by its reference type. A 'thmb'
// reference runs from a thumbnail to the image it shows (23008-12 §6.4,
// thumbnail images); the others are not needed here.
func (l *heifLayout) readIref(b []byte, budget *int) error {
	if len(b) < 4 {
		return errors.New("iref box too short")
	}
	idLen := 2
	if b[0] != 0 {
		idLen = 4
	}
	id := func(p []byte) uint32 {
		if idLen == 2 {
			return uint32(beU16(p))
		}
		return beU32(p)
	}
	var perr error
	err := walkBoxes(bytes.NewReader(b), 4, int64(len(b)), budget, func(e isoBox) bool {
		if e.Type != "thmb" {
			return true
		}
		p := b[e.bodyOff() : e.bodyOff()+e.bodyLen()]
		if len(p) < idLen+2 {
			perr = errors.New("thmb reference too short")
			return false
		}
		from, n := id(p), int(beU16(p[idLen:]))
		p = p[idLen+2:]
		if len(p) < n*idLen {
			perr = errors.New("thmb reference truncated")
			return false
		}
		for i := 0; i < n; i++ {
			to := id(p[i*idLen:])
			l.thumbOf[to] = append(l.thumbOf[to], from)
		}
		return true
	})
	if err == nil {
		err = perr
	}
	return err
}

// readIprp reads the item properties box (23008-12 §9.3): the properties in
// its ipco box and their associations with items in its ipma boxes.
func (l *heifLayout) readIprp(b []byte, budget *int) error {
	var perr error
	err := walkBoxes(bytes.NewReader(b), 0, int64(len(b)), budget, func(c isoBox) bool {
		body := b[c.bodyOff() : c.bodyOff()+c.bodyLen()]
		switch c.Type {
		case "ipco":
			perr = walkBoxes(bytes.NewReader(body), 0, int64(len(body)), budget, func(p isoBox) bool {
				l.props = append(l.props, heifProp{typ: p.Type, body: body[p.bodyOff() : p.bodyOff()+p.bodyLen()]})
				return true
			})
		case "ipma":
			perr = l.readIpma(body)
		}
		return perr == nil
	})
	if err == nil {
		err = perr
	}
	return err
}

// readIpma reads an ItemPropertyAssociation box (23008-12 §9.3): for each
// item, its property indices (7 bits, or 15 when flags bit 0 is set), each
// with an "essential" bit.
func (l *heifLayout) readIpma(b []byte) error {
	if len(b) < 8 {
		return errors.New("ipma box too short")
	}
	version, wide := b[0], b[3]&1 != 0
	n := beU32(b[4:8])
	p := 8
	idLen, assocLen := 2, 1
	if version >= 1 {
		idLen = 4
	}
	if wide {
		assocLen = 2
	}
	for i := uint32(0); i < n; i++ {
		if p+idLen+1 > len(b) {
			return errors.New("ipma box truncated")
		}
		var item uint32
		if idLen == 2 {
			item = uint32(beU16(b[p:]))
		} else {
			item = beU32(b[p:])
		}
		count := int(b[p+idLen])
		p += idLen + 1
		if p+count*assocLen > len(b) {
			return errors.New("ipma box truncated")
		}
		for j := 0; j < count; j++ {
			a := heifAssoc{essential: b[p]&0x80 != 0, index: int(b[p] & 0x7f)}
			if wide {
				a.index = int(beU16(b[p:]) & 0x7fff)
			}
			p += assocLen
			l.assoc[item] = append(l.assoc[item], a)
		}
	}
	return nil
}

// property returns the first property of type typ associated with item.
func (l heifLayout) property(item uint32, typ string) ([]byte, bool) {
	for _, a := range l.assoc[item] {
		if a.index >= 1 && a.index <= len(l.props) && l.props[a.index-1].typ == typ {
			return l.props[a.index-1].body, true
		}
	}
	return nil, false
}

// spatialExtent reads an item's ispe property (23008-12 §6.5.3): a FullBox
// with the width and height as u32.
func (l heifLayout) spatialExtent(item uint32) (w, h int, ok bool) {
	p, ok := l.property(item, "ispe")
	if !ok || len(p) < 12 {
		return 0, 0, false
	}
	w, h = int(beU32(p[4:8])), int(beU32(p[8:12]))
	// 1<<20 a side is far beyond any camera; it keeps w*h within int64.
	if w <= 0 || h <= 0 || w > 1<<20 || h > 1<<20 {
		return 0, 0, false
	}
	return w, h, true
}

// pickThumbnail chooses among the primary's thumbnails the largest coded as
// HEVC ('hvc1' items).
func (l heifLayout) pickThumbnail() (uint32, error) {
	var best uint32
	var bestArea int
	other := ""
	for _, id := range l.thumbOf[l.primary] {
		if t := l.types[id]; t != "hvc1" {
			other = t
			continue
		}
		w, h, ok := l.spatialExtent(id)
		if !ok {
			continue
		}
		if best == 0 || w*h > bestArea {
			best, bestArea = id, w*h
		}
	}
	switch {
	case best != 0:
		return best, nil
	case other != "":
		return 0, fmt.Errorf("%w: the thumbnail is coded as %q, not HEVC", ErrNoHEIFThumbnail, printable(other))
	case len(l.thumbOf[l.primary]) > 0:
		return 0, fmt.Errorf("%w: the thumbnail states no size (ispe)", ErrNoHEIFThumbnail)
	}
	return 0, ErrNoHEIFThumbnail
}

// copiedProperties are the properties a thumbnail may carry into its own
// file: the decoder configuration (14496-15 §8.3.3, hvcC), the size
// (ispe), colour and pixel information (colr, pixi), and the transforms a
// decoder applies (irot, imir, clap) with the pixel aspect ratio (pasp)
// (23008-12 §6.5).
var copiedProperties = map[string]bool{
	"hvcC": true, "ispe": true, "colr": true, "pixi": true,
	"irot": true, "imir": true, "clap": true, "pasp": true,
}

// thumbnailProperties collects the thumbnail's properties to copy, in the
// order of its associations. An essential property not understood here is
// refused: a decoder must not show the picture without applying it.
func (l heifLayout) thumbnailProperties(id uint32) ([]heifProp, []bool, error) {
	var props []heifProp
	var essential []bool
	seen := map[string]bool{}
	for _, a := range l.assoc[id] {
		if a.index < 1 || a.index > len(l.props) {
			if a.index != 0 && a.essential {
				return nil, nil, fmt.Errorf("HEIF thumbnail: essential property %d does not exist", a.index)
			}
			continue
		}
		p := l.props[a.index-1]
		switch {
		case copiedProperties[p.typ] && !seen[p.typ]:
			seen[p.typ] = true
			props, essential = append(props, p), append(essential, a.essential)
		case !copiedProperties[p.typ] && a.essential:
			return nil, nil, fmt.Errorf("HEIF thumbnail: essential property %q is not understood", printable(p.typ))
		}
	}
	if !seen["hvcC"] {
		return nil, nil, errors.New("HEIF thumbnail: no HEVC decoder configuration (hvcC)")
	}
	if hvcC, _ := l.property(id, "hvcC"); len(hvcC) < 23 { // HEVCDecoderConfigurationRecord: 23 bytes before its arrays
		return nil, nil, fmt.Errorf("HEIF thumbnail: HEVC decoder configuration of %d bytes is too short", len(hvcC))
	}
	return props, essential, nil
}

// itemData gathers an item's bytes from its extents (14496-12 §8.11.3: the
// item is the concatenation of its extents, in the file or in idat).
func (l heifLayout) itemData(r io.ReaderAt, size int64, id uint32) ([]byte, error) {
	ext, err := heifItemExtents(l.iloc, id)
	if err != nil {
		return nil, fmt.Errorf("HEIF thumbnail location: %w", err)
	}
	if len(ext) == 0 {
		return nil, errors.New("HEIF thumbnail: the file does not say where its data is (iloc)")
	}
	var total int64
	for _, e := range ext {
		total += e.length
		if total > MaxHEIFThumbnailBytes {
			return nil, fmt.Errorf("HEIF thumbnail of more than %d MiB refused: that is no thumbnail", MaxHEIFThumbnailBytes>>20)
		}
	}
	data := make([]byte, 0, total)
	for _, e := range ext {
		if e.idat {
			if e.offset+e.length > int64(len(l.idat)) {
				return nil, errors.New("HEIF thumbnail: its data lies outside the idat box")
			}
			data = append(data, l.idat[e.offset:e.offset+e.length]...)
			continue
		}
		if e.offset+e.length > size {
			return nil, fmt.Errorf("HEIF thumbnail: its data runs past the end of the file (%d bytes): the file is truncated", size)
		}
		chunk, err := readFull(r, e.offset, e.length, MaxHEIFThumbnailBytes)
		if err != nil {
			return nil, fmt.Errorf("HEIF thumbnail data: %w", err)
		}
		data = append(data, chunk...)
	}
	return data, nil
}

// buildHEIC writes the smallest HEIC file whose primary image is one HEVC
// item (ID 1) with the given properties and data: ftyp, then meta with hdlr,
// pitm, iinf, iloc and iprp, then mdat holding the data.
func buildHEIC(props []heifProp, essential []bool, data []byte) []byte {
	// ftyp (14496-12 §4.3): major brand heic, compatible mif1 and heic (23008-12 annex B).
	ftyp := putBox("ftyp", []byte("heic"), u32(0), []byte("mif1heic"))
	// hdlr (§8.4.3): pre_defined 0, handler 'pict', three reserved words, empty name.
	hdlr := putFullBox("hdlr", 0, 0, u32(0), []byte("pict"), make([]byte, 12), []byte{0})
	pitm := putFullBox("pitm", 0, 0, u16(1)) // §8.11.4
	// iinf with one infe of version 2 (§8.11.6): ID 1, no protection, type hvc1, empty name.
	infe := putFullBox("infe", 2, 0, u16(1), u16(0), []byte("hvc1"), []byte{0})
	iinf := putFullBox("iinf", 0, 0, u16(1), infe)
	// ipco and one ipma entry (23008-12 §9.3): 7-bit indices, 1-based.
	var ipco [][]byte
	assoc := []byte{byte(len(props))}
	for i, p := range props {
		ipco = append(ipco, putBox(p.typ, p.body))
		a := byte(i + 1)
		if essential[i] {
			a |= 0x80
		}
		assoc = append(assoc, a)
	}
	ipma := putFullBox("ipma", 0, 0, u32(1), u16(1), assoc)
	iprp := putBox("iprp", putBox("ipco", ipco...), ipma)
	// iloc version 0 (§8.11.3): 4-byte offsets and lengths, no base offset;
	// one item, one extent, in the mdat that follows the meta box.
	iloc := func(off uint32) []byte {
		return putFullBox("iloc", 0, 0, []byte{0x44, 0x00}, u16(1), u16(1), u16(0), u16(1), u32(off), u32(uint32(len(data))))
	}
	metaOf := func(off uint32) []byte { return putFullBox("meta", 0, 0, hdlr, pitm, iinf, iloc(off), iprp) }
	off := len(ftyp) + len(metaOf(0)) + 8 // the mdat body: after ftyp, meta and mdat's own header
	out := append(ftyp, metaOf(uint32(off))...)
	return append(out, putBox("mdat", data)...) // §8.1.1
}

// putBox writes an ISOBMFF box (14496-12 §4.2) with a 32-bit size.
func putBox(typ string, parts ...[]byte) []byte {
	n := 8
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 8, n)
	binary.BigEndian.PutUint32(out, uint32(n))
	copy(out[4:], typ)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// putFullBox writes a FullBox: a box whose body starts with a version byte and 24 bits of flags.
func putFullBox(typ string, version byte, flags uint32, parts ...[]byte) []byte {
	vf := u32(uint32(version)<<24 | flags&0xffffff)
	return putBox(typ, append([][]byte{vf}, parts...)...)
}

func u16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }
func u32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
