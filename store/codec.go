package store

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"unicode/utf8"

	"shoebox/media"
)

// A file record is stored as a two-byte header (status, flags) followed by
// its JSON, so counting a job's files or finding its pending ones reads one
// byte per file instead of decoding every record.
//
// Since schema 3 the JSON is compressed (flagDeflate): raw DEFLATE with a
// preset dictionary of typical records (recorddict.go), and without the
// fields the key already holds (job, root index, path). A record is about
// 1 KB of JSON, most of it field names and the wording of its date
// candidates, which the dictionary makes a few bytes each. Records written
// before (flag clear) are plain JSON and read as they always did.

const (
	flagReused  = 1
	flagDeflate = 2 // the body is DEFLATE with recordDict of the JSON (recordcompress.go)
	// flagBinary (schema 4): 32 bytes after the header hold the SHA-256,
	// and with flagBinaryImage 32 more the perceptual hashes and the image
	// statistics (binaryFields), which the JSON then leaves out. As text
	// they are random digits that DEFLATE cannot shrink below about 87
	// bytes; as bits they take 64.
	flagBinary      = 4
	flagBinaryImage = 8
)

var statusCodes = map[media.Status]byte{
	media.StatusPending: 'p',
	media.StatusDone:    'd',
	media.StatusError:   'e',
	media.StatusSkipped: 's',
}

var codeStatus = map[byte]media.Status{'p': media.StatusPending, 'd': media.StatusDone, 'e': media.StatusError, 's': media.StatusSkipped}

var (
	errBadHeader = errors.New("bad record header")
	errBadKey    = errors.New("bad record key")
)

// Paths are kept byte for byte. JSON strings carry only valid UTF-8
// (encoding/json turns any other byte into U+FFFD), but names from old Windows
// disks, camera cards and zip files are often Latin-1 ("F\xeate.jpg"), and Go
// represents a Windows name with an unpaired surrogate as WTF-8. So:
//   - a file's path relative to its root is in its key exactly, and decoding
//     takes it, with the job and the root index, from the key: a decoded
//     record's Key() is always the key it is stored under;
//   - a root, a job's roots and its current file name that are not valid
//     UTF-8 are also stored as base64 in optional fields (root_b64, roots_b64,
//     current_filename_b64) that decoding restores.
//
// Jobs whose names are valid UTF-8 are written exactly as before the base64
// fields, and older Shoeboxes read those fields as unknown keys. (File
// records are compressed since schema 3, which older Shoeboxes refuse.)

// rawB64 is the base64 of s when s is not valid UTF-8, else "".
func rawB64(s string) string {
	if utf8.ValidString(s) {
		return ""
	}
	return base64.StdEncoding.EncodeToString([]byte(s))
}

func fromB64(field, b64 string) (string, error) {
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return "", fmt.Errorf("bad %s: %w", field, err)
	}
	return string(raw), nil
}

// fileJSON is a file record as stored (after the header).
type fileJSON struct {
	*FileRecord
	RootB64 string `json:"root_b64,omitempty"`
}

// compactJSON is a file record as stored compressed: the fields the key
// holds are left out (these shallower fields hide the record's own, and stay
// empty). A record read from it takes them from the key, as every record does.
type compactJSON struct {
	*FileRecord
	JobID     uint64 `json:"job,omitempty"`
	RootIndex int    `json:"root_index,omitempty"`
	RelPath   string `json:"path,omitempty"`
	RootB64   string `json:"root_b64,omitempty"`
}

// binaryJSON is a compactJSON whose binaryFields are stored as bits
// (flagBinary): these shallower fields hide them from the JSON.
type binaryJSON struct {
	compactJSON
	SHA256     string  `json:"sha256,omitempty"`
	PHash      uint64  `json:"phash,omitempty"`
	DHash      uint64  `json:"dhash,omitempty"`
	LumaMean   float32 `json:"luma_mean,omitempty"`
	LumaStdDev float32 `json:"luma_stddev,omitempty"`
	ChromaCb   float32 `json:"chroma_cb,omitempty"`
	ChromaCr   float32 `json:"chroma_cr,omitempty"`
}

// binaryFields are r's SHA-256 as bits, when it is one (lower-case hex, as
// ApplyResult writes it), then, when it has a perceptual hash, its hashes
// and image statistics; and the flags that say so.
func binaryFields(r *FileRecord) ([]byte, byte) {
	sum, err := hex.DecodeString(r.SHA256)
	if err != nil || len(sum) != 32 || hex.EncodeToString(sum) != r.SHA256 {
		return nil, 0
	}
	if !r.HasPHash {
		return sum, flagBinary
	}
	b := be.AppendUint64(be.AppendUint64(sum, r.PHash), r.DHash)
	for _, f := range []float32{r.LumaMean, r.LumaStdDev, r.ChromaCb, r.ChromaCr} {
		b = be.AppendUint32(b, math.Float32bits(f))
	}
	return b, flagBinary | flagBinaryImage
}

// binaryLen is how many bytes of binary fields follow a header.
func binaryLen(flags byte) int {
	switch {
	case flags&flagBinaryImage != 0:
		return 64
	case flags&flagBinary != 0:
		return 32
	}
	return 0
}

// setBinaryFields reads what binaryFields wrote.
func setBinaryFields(b []byte, r *FileRecord) {
	r.SHA256 = hex.EncodeToString(b[:32])
	if len(b) < 64 {
		return
	}
	r.PHash, r.DHash = be.Uint64(b[32:]), be.Uint64(b[40:])
	for i, f := range []*float32{&r.LumaMean, &r.LumaStdDev, &r.ChromaCb, &r.ChromaCr} {
		*f = math.Float32frombits(be.Uint32(b[48+4*i:]))
	}
}

// shaJSON is a compactJSON whose SHA-256 is stored as bits (flagBinary
// without flagBinaryImage).
type shaJSON struct {
	compactJSON
	SHA256 string `json:"sha256,omitempty"`
}

// jobJSON is a job as stored.
type jobJSON struct {
	*Job
	RootsB64           []string `json:"roots_b64,omitempty"` // one per root, when any root is not UTF-8
	CurrentFilenameB64 string   `json:"current_filename_b64,omitempty"`
}

func encodeJob(j *Job) ([]byte, error) {
	w := jobJSON{Job: j, CurrentFilenameB64: rawB64(j.CurrentFilename)}
	for _, r := range j.Roots {
		if rawB64(r) != "" {
			for _, r := range j.Roots {
				w.RootsB64 = append(w.RootsB64, base64.StdEncoding.EncodeToString([]byte(r)))
			}
			break
		}
	}
	return json.Marshal(w)
}

// decodeJob reads a job; json.Unmarshal copies out of bbolt's memory map.
func decodeJob(v []byte, j *Job) error {
	w := jobJSON{Job: j}
	if err := json.Unmarshal(v, &w); err != nil {
		return err
	}
	if w.RootsB64 != nil {
		if len(w.RootsB64) != len(j.Roots) {
			return fmt.Errorf("bad roots_b64: %d entries for %d roots", len(w.RootsB64), len(j.Roots))
		}
		for i, b := range w.RootsB64 {
			root, err := fromB64("roots_b64", b)
			if err != nil {
				return err
			}
			j.Roots[i] = root
		}
	}
	if w.CurrentFilenameB64 != "" {
		name, err := fromB64("current_filename_b64", w.CurrentFilenameB64)
		if err != nil {
			return err
		}
		j.CurrentFilename = name
	}
	return nil
}

// encodeFile is the stored form of r: its header and its compressed JSON.
func encodeFile(r *FileRecord) ([]byte, error) {
	v, err := marshalFile(r)
	if err != nil {
		return nil, err
	}
	n := 2 + binaryLen(v[1])
	return compressRecord(v[:n], v[n:])
}

// marshalFile is r's header (with flagDeflate), its binary fields and its
// JSON before compression: two records are stored alike exactly when these
// are equal.
func marshalFile(r *FileRecord) ([]byte, error) {
	code, ok := statusCodes[r.Status]
	if !ok {
		return nil, errors.New("unknown file status " + string(r.Status))
	}
	flags := byte(flagDeflate)
	if r.Reused {
		flags |= flagReused
	}
	w := compactJSON{FileRecord: r, RootB64: rawB64(r.Root)}
	bin, binFlags := binaryFields(r)
	var body []byte
	var err error
	switch flags |= binFlags; {
	case binFlags&flagBinaryImage != 0:
		body, err = json.Marshal(binaryJSON{compactJSON: w})
	case binFlags != 0:
		body, err = json.Marshal(shaJSON{compactJSON: w})
	default:
		body, err = json.Marshal(w)
	}
	if err != nil {
		return nil, err
	}
	return append(append([]byte{code, flags}, bin...), body...), nil
}

func fileHeader(v []byte) (media.Status, bool, error) {
	if len(v) < 2 {
		return "", false, errBadHeader
	}
	st, ok := codeStatus[v[0]]
	if !ok {
		return "", false, errBadHeader
	}
	return st, v[1]&flagReused != 0, nil
}

// decodeFile reads the record stored under key k; decompression,
// json.Unmarshal and the string conversion copy out of bbolt's memory map.
func decodeFile(k, v []byte, r *FileRecord) error {
	if len(k) < 10 {
		return errBadKey
	}
	if _, _, err := fileHeader(v); err != nil {
		return err
	}
	var rootB64 string
	if v[1]&flagDeflate == 0 {
		w := fileJSON{FileRecord: r}
		if err := json.Unmarshal(v[2:], &w); err != nil {
			return err
		}
		rootB64 = w.RootB64
	} else if v[1]&flagBinary == 0 {
		w := compactJSON{FileRecord: r}
		if err := decompressRecord(v[2:], func(body []byte) error { return json.Unmarshal(body, &w) }); err != nil {
			return err
		}
		rootB64 = w.RootB64
	} else {
		n := 2 + binaryLen(v[1])
		if len(v) < n {
			return errBadHeader
		}
		c := compactJSON{FileRecord: r}
		var w any = &shaJSON{compactJSON: c}
		if v[1]&flagBinaryImage != 0 {
			w = &binaryJSON{compactJSON: c}
		}
		if err := decompressRecord(v[n:], func(body []byte) error { return json.Unmarshal(body, w) }); err != nil {
			return err
		}
		setBinaryFields(v[2:n], r)
		if b, ok := w.(*binaryJSON); ok {
			rootB64 = b.RootB64
		} else {
			rootB64 = w.(*shaJSON).RootB64
		}
	}
	if rootB64 != "" {
		root, err := fromB64("root_b64", rootB64)
		if err != nil {
			return err
		}
		r.Root = root
	}
	r.JobID, r.RootIndex, r.RelPath = be.Uint64(k), int(be.Uint16(k[8:])), string(k[10:])
	return nil
}
