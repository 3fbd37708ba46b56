package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"hash/fnv"
	"math"
	"strings"

	bolt "go.etcd.io/bbolt"

	"shoebox/media"
)

// The look-alike index. Look-alike grouping (near.Find) and the same-shot
// rules (app/sameshot.go) read a few fields of every image of a job; decoding
// each compressed record for them took ~25 us a file, 25 s at a million. The
// phash bucket keeps those fields beside the record, under the record's key,
// so a job's look-alikes are found from the index alone and whole records
// are read only for the files of the groups found:
//
//	fileKey -> flags(1) record CRC-32C(4)
//	           [phash(8) dhash(8) width(uvarint) height(uvarint)
//	            luma mean, luma deviation, chroma Cb, Cr (4 x float32)]
//	           [capture(8)]
//
// The bracketed parts are there when the flags say so (nearHashed,
// nearCapture). A hashed JPEG with a camera costs 49 bytes, any other file 5.
// Every record has its entry (putFile), in step with it. The CRC is of the
// record's stored bytes: EachNearEntry checks each record against it without
// decoding it, so a record damaged since it was written is still found,
// decoded, and reported as a full decode would (README: "N records could not
// be read"), at the cost of reading its bytes, not of decoding them. The
// search walks the index alone first (nearwalk.go), and checks only the
// records of the groups it found.

// nearIndexSchema is the schema from which the phash bucket holds this
// layout; a library written before has 24-byte entries (hashes and size)
// until migrateNearIndex rebuilds them.
const nearIndexSchema = 5

// Flags of an index entry; the top two bits are the layout, 01.
const (
	nearHashed   = 1 << 0 // the perceptual hashes, size and statistics follow
	nearImage    = 1 << 1 // MIME image/*
	nearDone     = 1 << 2 // analysed (media.StatusDone)
	nearMeasured = 1 << 3 // the statistics are measured (Analysis >= 2)
	nearCapture  = 1 << 4 // a camera and EXIF capture time (CaptureHash) follow
	nearNameTime = 1 << 5 // the file name carries the capture time to the second
	nearLayout   = 1 << 6
	nearLayouts  = 3 << 6
)

// ErrNoNearIndex means the library predates the look-alike index and was
// opened read-only, so it could not be migrated: read the records instead.
var ErrNoNearIndex = errors.New("the library has no look-alike index yet")

// NearEntry is what the look-alike index holds of one file.
type NearEntry struct {
	// Key is the file's key in the job (FileByKey); bbolt's memory, valid
	// only during the call that hands it over.
	Key                  []byte
	Done, Image          bool
	HasPHash             bool
	PHash, DHash         uint64
	Width, Height        int
	LumaMean, LumaStdDev float32
	ChromaCb, ChromaCr   float32
	// Measured says the statistics above are measured (Analysis >= 2).
	Measured bool
	// Capture is CaptureHash of the camera and EXIF capture time (see
	// FileRecord.ShotCapture), 0 when the file has none.
	Capture uint64
	// NameTime says the file name carries the capture time to the second
	// (FileRecord.ShotNameTime).
	NameTime bool
	// CRC is the checksum of the stored record the entry was made from:
	// FilesOfNearEntries checks the records read later against it.
	CRC uint32
}

// RelPath is the file's path relative to its root, from its key.
func (e *NearEntry) RelPath() string { return string(e.RelPathBytes()) }

// RelPathBytes is RelPath in the entry's Key, not copied: valid as long as
// the Key is.
func (e *NearEntry) RelPathBytes() []byte {
	if len(e.Key) < 10 {
		return nil
	}
	return e.Key[10:]
}

// shotTimeLen is the length of a time to the second, 2006-01-02T15:04:05.
const shotTimeLen = len("2006-01-02T15:04:05")

// ShotCapture is the camera and the EXIF capture time (DateTimeOriginal,
// not rejected, to the second at least) that identify the record's shot,
// when it has both.
func (f *FileRecord) ShotCapture() (camera, when string, ok bool) {
	if f.Camera == "" {
		return "", "", false
	}
	for _, c := range f.Time.Candidates {
		if c.Kind == media.KindEXIFOriginal && !c.Rejected && len(c.Value) >= shotTimeLen {
			return f.Camera, c.Value, true
		}
	}
	return "", "", false
}

// ShotNameTime is the capture time to the second that the record's file
// name carries (not rejected), when it has one.
func (f *FileRecord) ShotNameTime() (string, bool) {
	for _, c := range f.Time.Candidates {
		if c.Kind == media.KindFilenameTime && !c.Rejected && len(c.Value) >= shotTimeLen {
			return c.Value, true
		}
	}
	return "", false
}

// CaptureHash identifies a camera and capture time in 8 bytes (FNV-1a of
// both): two files with equal hashes are, barring a 1 in 2^64 chance per
// pair, of the same camera and time. Never 0, which means none.
func CaptureHash(camera, when string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(camera))
	h.Write([]byte{0})
	h.Write([]byte(when))
	return max(h.Sum64(), 1)
}

// recordCRC is the checksum of a record's stored bytes.
func recordCRC(v []byte) uint32 { return crc32.Checksum(v, castagnoli) }

var castagnoli = crc32.MakeTable(crc32.Castagnoli) // read-only once made

// encodeNear is the index entry of a record stored as v.
func encodeNear(r *FileRecord, v []byte) []byte {
	flags := byte(nearLayout)
	set := func(bit byte, on bool) {
		if on {
			flags |= bit
		}
	}
	camera, when, capture := r.ShotCapture()
	_, nameTime := r.ShotNameTime()
	set(nearHashed, r.HasPHash)
	set(nearImage, strings.HasPrefix(r.MIME, "image/"))
	set(nearDone, r.Status == media.StatusDone)
	set(nearMeasured, r.Analysis >= 2)
	set(nearCapture, capture)
	set(nearNameTime, nameTime)
	stored := v
	v = make([]byte, 1, 49)
	v[0] = flags
	v = binary.BigEndian.AppendUint32(v, recordCRC(stored))
	if r.HasPHash {
		v = binary.BigEndian.AppendUint64(v, r.PHash)
		v = binary.BigEndian.AppendUint64(v, r.DHash)
		v = binary.AppendUvarint(v, uint64(uint32(r.Width)))
		v = binary.AppendUvarint(v, uint64(uint32(r.Height)))
		for _, f := range []float32{r.LumaMean, r.LumaStdDev, r.ChromaCb, r.ChromaCr} {
			v = binary.BigEndian.AppendUint32(v, math.Float32bits(f))
		}
	}
	if capture {
		v = binary.BigEndian.AppendUint64(v, CaptureHash(camera, when))
	}
	return v
}

var errNearEntry = errors.New("the look-alike index entry is damaged")

// decodeNear reads an index entry, and the CRC of the record it was made
// from (also e.CRC); the key is the caller's.
func decodeNear(v []byte, e *NearEntry) (crc uint32, err error) {
	if len(v) < 5 || v[0]&nearLayouts != nearLayout {
		return 0, errNearEntry
	}
	flags, crc := v[0], be.Uint32(v[1:])
	v = v[5:]
	*e = NearEntry{Key: e.Key, CRC: crc, Done: flags&nearDone != 0, Image: flags&nearImage != 0,
		HasPHash: flags&nearHashed != 0, Measured: flags&nearMeasured != 0, NameTime: flags&nearNameTime != 0}
	if e.HasPHash {
		if len(v) < 16 {
			return 0, errNearEntry
		}
		e.PHash, e.DHash = be.Uint64(v), be.Uint64(v[8:])
		v = v[16:]
		for _, dim := range []*int{&e.Width, &e.Height} {
			n, size := binary.Uvarint(v)
			if size <= 0 || n > math.MaxUint32 {
				return 0, errNearEntry
			}
			*dim, v = int(int32(uint32(n))), v[size:]
		}
		if len(v) < 16 {
			return 0, errNearEntry
		}
		for i, f := range []*float32{&e.LumaMean, &e.LumaStdDev, &e.ChromaCb, &e.ChromaCr} {
			*f = math.Float32frombits(be.Uint32(v[4*i:]))
		}
		v = v[16:]
	}
	if flags&nearCapture != 0 {
		if len(v) < 8 {
			return 0, errNearEntry
		}
		e.Capture, v = be.Uint64(v), v[8:]
		if e.Capture == 0 {
			return 0, errNearEntry
		}
	}
	if len(v) != 0 {
		return 0, errNearEntry
	}
	return crc, nil
}

// putNear keeps the index entry of a record stored as v in step with it
// (putFile).
func putNear(tx *bolt.Tx, k []byte, r *FileRecord, v []byte) error {
	ph := tx.Bucket(bucketPHash)
	if ph.Get(k) != nil {
		// A rewrite, as of the record itself (putFile, rewriteFillPercent):
		// the entry grows from its listing to its analysis.
		ph.FillPercent = rewriteFillPercent
		if err := ph.Delete(k); err != nil {
			return err
		}
	}
	return ph.Put(k, encodeNear(r, v))
}

// migrateNearIndex rebuilds the phash bucket of a library written before
// the look-alike index (schema < nearIndexSchema) from its records, in the
// transaction that opens it to write. A record that cannot be decoded gets
// no entry (check names the record itself).
func migrateNearIndex(tx *bolt.Tx) error {
	if err := tx.DeleteBucket(bucketPHash); err != nil && tx.Bucket(bucketPHash) != nil {
		return fmt.Errorf("cannot rebuild the look-alike index: %w", err)
	}
	ph, err := tx.CreateBucket(bucketPHash)
	if err != nil {
		return fmt.Errorf("cannot rebuild the look-alike index: %w", err)
	}
	ph.FillPercent = orderedFillPercent // the records' keys come in order
	c := tx.Bucket(bucketFiles).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var r FileRecord
		if isGone(v) || decodeFile(k, v, &r) != nil {
			continue
		}
		if err := ph.Put(bytes.Clone(k), encodeNear(&r, v)); err != nil {
			return fmt.Errorf("cannot rebuild the look-alike index: %w", err)
		}
	}
	return nil
}

// EachNearEntry calls fn with the look-alike index entry of every file of a
// job's view, in processing order, reading each record's bytes but decoding
// none whose entry agrees with it (its CRC). A record whose entry is missing,
// unreadable or out of step is decoded instead: when it decodes, fn gets the
// entry made from it and the entry is counted as damaged; when it does not,
// it is skipped and counted, as EachFile does. Counts end in a
// *DamagedRecords error. It reads in one transaction: fn must not write to
// the library. A library opened read-only before it was migrated has no
// index: ErrNoNearIndex.
func (db *DB) EachNearEntry(jobID uint64, fn func(NearEntry)) error {
	if !db.nearIndex {
		return ErrNoNearIndex
	}
	var bad skipped
	err := db.view(func(tx *bolt.Tx) error {
		bad = skipped{}
		ph := tx.Bucket(bucketPHash)
		base := baseOf(tx, jobID)
		own, inh := &nearCursor{r: rangeCursor(ph, jobID, nil)}, &nearCursor{r: rangeCursor(ph, base, nil)}
		// Every record's bytes are read for their CRC: the pages passed are
		// given back as the walk goes (mapped.go).
		pages := pageDropper{db: db, tx: tx}
		eachInView(tx, jobID, base, nil, func(fe viewEntry) bool {
			pages.read(len(fe.v))
			at := own
			if fe.inherited {
				at = inh
			}
			e := NearEntry{Key: fe.k}
			if crc, err := decodeNear(at.get(fe.k[8:]), &e); err == nil && crc == recordCRC(fe.v) {
				fn(e)
				return true
			}
			nearFromRecord(fe, &bad, fn)
			return true
		})
		return nil
	})
	if err != nil {
		return err
	}
	return bad.err(db.path)
}

// nearFromRecord hands fn the entry made from a stored record whose index
// entry cannot be used, counting that entry as damaged; a record that does
// not decode is counted and skipped.
func nearFromRecord(fe viewEntry, bad *skipped, fn func(NearEntry)) {
	var r FileRecord
	if err := decodeEntry(fe, &r); err != nil {
		bad.add("file record", fe.k[10:], err)
		return
	}
	bad.add("look-alike index entry", fe.k[10:], errNearEntry)
	e := NearEntry{Key: fe.k}
	if _, err := decodeNear(encodeNear(&r, fe.v), &e); err == nil {
		fn(e)
	}
}

// nearCursor reads the index entries of one job's key range in order.
type nearCursor struct {
	r       *jobRange
	k, v    []byte
	started bool
}

// get is the entry whose key ends with suffix (after the job ID), or nil;
// suffixes must be asked in increasing order.
func (c *nearCursor) get(suffix []byte) []byte {
	if !c.started {
		c.k, c.v = c.r.first()
		c.started = true
	}
	for c.k != nil && bytes.Compare(c.k[8:], suffix) < 0 {
		c.k, c.v = c.r.next()
	}
	if c.k != nil && bytes.Equal(c.k[8:], suffix) {
		return c.v
	}
	return nil
}
