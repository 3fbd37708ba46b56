package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
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
//	fileKey -> flags(1) [phash(8) dhash(8) width(uvarint) height(uvarint)
//	           luma mean, luma deviation, chroma Cb, Cr (4 x float32)]
//	           [capture(8)]
//
// The bracketed parts are there when the flags say so (nearHashed,
// nearCapture). A hashed JPEG with a camera costs 45 bytes. Entries are kept
// for every hashed file and every done image (putFile), in step with the
// record. Since keys are the records' keys, a job's entries over its base's
// merge as its records do (view.go).

// nearIndexSchema is the schema from which the phash bucket holds this
// layout; a library written before has 24-byte entries (hashes and size)
// until migrateNearIndex rebuilds them.
const nearIndexSchema = 4

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
}

// RelPath is the file's path relative to its root, from its key.
func (e *NearEntry) RelPath() string {
	if len(e.Key) < 10 {
		return ""
	}
	return string(e.Key[10:])
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

// nearIndexed says whether a record has an index entry: every hashed file,
// and every analysed image (a HEIC joins its shot by metadata alone).
func nearIndexed(r *FileRecord) bool {
	return r.HasPHash || (r.Status == media.StatusDone && strings.HasPrefix(r.MIME, "image/"))
}

// encodeNear is the index entry of a record (nearIndexed).
func encodeNear(r *FileRecord) []byte {
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
	v := make([]byte, 1, 45)
	v[0] = flags
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

// decodeNear reads an index entry; the key is the caller's.
func decodeNear(v []byte, e *NearEntry) error {
	if len(v) < 1 || v[0]&nearLayouts != nearLayout {
		return errNearEntry
	}
	flags := v[0]
	v = v[1:]
	*e = NearEntry{Key: e.Key, Done: flags&nearDone != 0, Image: flags&nearImage != 0,
		HasPHash: flags&nearHashed != 0, Measured: flags&nearMeasured != 0, NameTime: flags&nearNameTime != 0}
	if e.HasPHash {
		if len(v) < 16 {
			return errNearEntry
		}
		e.PHash, e.DHash = be.Uint64(v), be.Uint64(v[8:])
		v = v[16:]
		for _, dim := range []*int{&e.Width, &e.Height} {
			n, size := binary.Uvarint(v)
			if size <= 0 || n > math.MaxUint32 {
				return errNearEntry
			}
			*dim, v = int(int32(uint32(n))), v[size:]
		}
		if len(v) < 16 {
			return errNearEntry
		}
		for i, f := range []*float32{&e.LumaMean, &e.LumaStdDev, &e.ChromaCb, &e.ChromaCr} {
			*f = math.Float32frombits(be.Uint32(v[4*i:]))
		}
		v = v[16:]
	}
	if flags&nearCapture != 0 {
		if len(v) < 8 {
			return errNearEntry
		}
		e.Capture, v = be.Uint64(v), v[8:]
		if e.Capture == 0 {
			return errNearEntry
		}
	}
	if len(v) != 0 {
		return errNearEntry
	}
	return nil
}

// putNear keeps a record's index entry in step with it (putFile).
func putNear(tx *bolt.Tx, k []byte, r *FileRecord) error {
	ph := tx.Bucket(bucketPHash)
	if !nearIndexed(r) {
		return ph.Delete(k)
	}
	return ph.Put(k, encodeNear(r))
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
		if isGone(v) || decodeFile(k, v, &r) != nil || !nearIndexed(&r) {
			continue
		}
		if err := ph.Put(bytes.Clone(k), encodeNear(&r)); err != nil {
			return fmt.Errorf("cannot rebuild the look-alike index: %w", err)
		}
	}
	return nil
}

// EachNearEntry calls fn with the look-alike index entry of every file of a
// job's view that has one (every hashed file, every done image), in
// processing order, without reading the records: the job's own entries
// merged with those of its base that the job did not replace (view.go). An
// entry that cannot be read is skipped and counted (*DamagedRecords). It
// reads in one transaction: fn must not write to the library. A library
// opened read-only before it was migrated has no index: ErrNoNearIndex.
func (db *DB) EachNearEntry(jobID uint64, fn func(NearEntry)) error {
	if !db.nearIndex {
		return ErrNoNearIndex
	}
	var bad skipped
	err := db.view(func(tx *bolt.Tx) error {
		bad = skipped{}
		emit := func(k, v []byte) {
			e := NearEntry{Key: k}
			if err := decodeNear(v, &e); err != nil {
				bad.add("look-alike index entry", k[10:], err)
				return
			}
			fn(e)
		}
		eachNearInView(tx, jobID, baseOf(tx, jobID), emit)
		return nil
	})
	if err != nil {
		return err
	}
	return bad.err(db.path)
}

// eachNearInView walks the index entries of a job's view: its own, and its
// base's for the files of which the job stored nothing of its own (neither a
// record, which has its own entry or none, nor a gone mark). Keys shorter
// than a file key are skipped.
func eachNearInView(tx *bolt.Tx, jobID, base uint64, fn func(k, v []byte)) {
	ph := tx.Bucket(bucketPHash)
	own := rangeCursor(ph, jobID, nil)
	if base == 0 {
		for k, v := own.first(); k != nil; k, v = own.next() {
			if len(k) >= 10 {
				fn(k, v)
			}
		}
		return
	}
	inh := rangeCursor(ph, base, nil)
	mine := rangeCursor(tx.Bucket(bucketFiles), jobID, nil) // the job's own records and marks
	mk, _ := mine.first()
	ok, ov := own.first()
	ik, iv := inh.first()
	for ok != nil || ik != nil {
		c := -1
		switch {
		case ok == nil:
			c = 1
		case ik != nil:
			c = bytes.Compare(ok[8:], ik[8:])
		}
		if c <= 0 {
			if len(ok) >= 10 {
				fn(ok, ov)
			}
			if c == 0 {
				ik, iv = inh.next()
			}
			ok, ov = own.next()
			continue
		}
		for mk != nil && bytes.Compare(mk[8:], ik[8:]) < 0 {
			mk, _ = mine.next()
		}
		if len(ik) >= 10 && (mk == nil || !bytes.Equal(mk[8:], ik[8:])) {
			fn(append(jobKey(jobID), ik[8:]...), iv)
		}
		ik, iv = inh.next()
	}
}

// FilesByKeys reads the records of keys (as FileByKey does) in one
// transaction. A key whose record is not stored or cannot be decoded gets
// found[i] false and is counted in a *DamagedRecords error: the index that
// named it disagrees with the records.
func (db *DB) FilesByKeys(keys [][]byte) (recs []FileRecord, found []bool, err error) {
	var bad skipped
	err = db.view(func(tx *bolt.Tx) error {
		recs, found, bad = make([]FileRecord, len(keys)), make([]bool, len(keys)), skipped{}
		for i, k := range keys {
			if err := fileInView(tx, k, &recs[i]); err != nil {
				what := "file record"
				if errors.Is(err, ErrNotFound) {
					what = "look-alike index entry of a file not stored,"
				}
				bad.add(what, k[min(10, len(k)):], err)
				continue
			}
			found[i] = true
		}
		return nil
	})
	if err != nil {
		return recs, found, err
	}
	return recs, found, bad.err(db.path)
}
