package store

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bucketCorrections holds the date decisions, keyed by content:
// SHA-256 (32 bytes) -> JSON Correction. Keyed by the bytes, a decision
// follows the file through rescans, moves and organise. Libraries written
// before it lack it; it is created when they are next opened to write, and
// read as empty until then.
var bucketCorrections = []byte("corrections")

// KindDates is a change run that writes corrected dates back (an XMP
// sidecar, the modification time, or the file itself).
const KindDates JobKind = "dates"

// Precisions of a corrected date: what the person knows of it.
const (
	PrecisionYear   = "year"
	PrecisionMonth  = "month"
	PrecisionDay    = "day"
	PrecisionSecond = "second"
)

// Sources of a correction: what was accepted.
const (
	CorrectionUser     = "user"     // a date the person typed
	CorrectionFilename = "filename" // the date in the file name, accepted
	CorrectionTakeout  = "takeout"  // Google Takeout's photoTakenTime, accepted
	CorrectionShift    = "shift"    // the date before, shifted by a rule
	CorrectionZone     = "zone"     // the date before, put in a time zone by a rule (a trip abroad)
)

// Correction is the date decided for one file's content.
type Correction struct {
	SHA256 string `json:"sha256"`
	// Value is the date as decided, written like media.Candidate.Value:
	// "2009", "2009-07", "2009-07-14" or "2009-07-14T15:04:05", with a "Z"
	// or "±hh:mm" suffix only when the UTC offset is known. A local time is
	// never turned into UTC.
	Value     string `json:"value"`
	Precision string `json:"precision"`
	// Offset is the UTC offset ("+02:00", "Z"); "" when unknown.
	Offset string `json:"offset,omitempty"`
	Source string `json:"source"`
	// DecidedBy is "person", or the rule that decided ("shift +1h for camera
	// Canon EOS 5D").
	DecidedBy string    `json:"decided_by"`
	DecidedAt time.Time `json:"decided_at"`
	// Was is the date the file had before this decision (its chosen
	// candidate, or an earlier correction), "" when none.
	Was string `json:"was,omitempty"`
}

// DatesEntry is a dates run's journal entry beside the change item's own
// fields: what one write changes, with what stood before, so that undo
// puts back the old bytes or the old modification time exactly.
type DatesEntry struct {
	// Field is what the item writes: "xmp" (Target is the sidecar),
	// "mtime" (the file's modification time), "exif" (the file itself) or
	// "quicktime" (a video's own dates, Patches).
	Field  string `json:"field"`
	Target string `json:"target"`
	Old    string `json:"old"` // as shown: the old date, "" when none
	New    string `json:"new"`
	// Existed says whether Target existed before the run; OldBytes and
	// OldSHA256 are its bytes then, NewBytes and NewSHA256 what is written.
	Existed   bool   `json:"existed,omitempty"`
	OldBytes  []byte `json:"old_bytes,omitempty"`
	OldSHA256 string `json:"old_sha256,omitempty"`
	NewBytes  []byte `json:"new_bytes,omitempty"`
	NewSHA256 string `json:"new_sha256,omitempty"`
	// OldMtimeNS and NewMtimeNS are the modification times before and after.
	OldMtimeNS int64 `json:"old_mtime_ns,omitempty"`
	NewMtimeNS int64 `json:"new_mtime_ns,omitempty"`
	// Patches are the fixed-width fields a "quicktime" write changes in
	// place (package qtdate), with their values before and after: all undo
	// needs to write the old ones back, since nothing else in the file
	// changes. Journals from before have none (and no quicktime items).
	Patches []FieldPatch `json:"patches,omitempty"`
}

// FieldPatch is one date field of a video written in place: where it lies
// (Box, Track and Name say which field it is) and its value before and
// after, in seconds since 1904-01-01 UTC.
type FieldPatch struct {
	Box    string `json:"box"`
	Track  int    `json:"track,omitempty"`
	Name   string `json:"name"`
	Offset int64  `json:"offset"`
	Width  int    `json:"width"`
	Old    uint64 `json:"old"`
	New    uint64 `json:"new"`
}

func correctionKey(sum string) ([]byte, error) {
	k, err := hex.DecodeString(sum)
	if err != nil || len(k) != 32 {
		return nil, fmt.Errorf("%q is not a SHA-256", sum)
	}
	return k, nil
}

// PutCorrections stores decisions, all in one transaction. A decision
// changes no duplicate group: the groups kept stay current.
func (db *DB) PutCorrections(cs []Correction) error {
	return db.updateKeepingGroups(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketCorrections)
		if b == nil {
			return fmt.Errorf("the library has no corrections bucket: %w", ErrDamaged)
		}
		for _, c := range cs {
			k, err := correctionKey(c.SHA256)
			if err != nil {
				return err
			}
			v, err := json.Marshal(c)
			if err != nil {
				return err
			}
			if err := b.Put(k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// Corrections reads every decision, by hex SHA-256. A library without the
// bucket (written before it, opened to read) has none.
func (db *DB) Corrections() (map[string]Correction, error) {
	out := map[string]Correction{}
	err := db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketCorrections)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var c Correction
			if err := json.Unmarshal(v, &c); err != nil {
				return &DamagedRecords{Path: db.path, Count: 1, First: fmt.Sprintf("correction %x: %v", k, err)}
			}
			out[hex.EncodeToString(k)] = c
			return nil
		})
	})
	return out, err
}

// CorrectionOf reads the decision for one content, when there is one.
func (db *DB) CorrectionOf(sum string) (c Correction, ok bool, err error) {
	k, err := correctionKey(sum)
	if err != nil {
		return c, false, err
	}
	err = db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketCorrections)
		if b == nil {
			return nil
		}
		v := b.Get(k)
		if v == nil {
			return nil
		}
		if err := json.Unmarshal(v, &c); err != nil {
			return &DamagedRecords{Path: db.path, Count: 1, First: fmt.Sprintf("correction %x: %v", k, err)}
		}
		ok = true
		return nil
	})
	return c, ok, err
}

// DecidedPrefixes lists the first 8 bytes of every decided SHA-256, as
// big-endian numbers in ascending order (the bucket's key order): 8 bytes a
// decision, for a reader that reads a decision (CorrectionOf) only for a
// content that may have one.
func (db *DB) DecidedPrefixes() ([]uint64, error) {
	var out []uint64
	err := db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketCorrections)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if len(k) >= 8 {
				out = append(out, be.Uint64(k))
			}
		}
		return nil
	})
	return out, err
}
