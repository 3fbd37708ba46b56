package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
	"time"

	"shoebox/media"
	"shoebox/processing"
)

// encodeFilePlain is encodeFile as Shoebox wrote records before schema 3
// (plain JSON after the header), kept to prove old libraries still read.
func encodeFilePlain(r *FileRecord) ([]byte, error) {
	code, ok := statusCodes[r.Status]
	if !ok {
		return nil, errors.New("unknown file status " + string(r.Status))
	}
	body, err := json.Marshal(fileJSON{FileRecord: r, RootB64: rawB64(r.Root)})
	if err != nil {
		return nil, err
	}
	var flags byte
	if r.Reused {
		flags |= flagReused
	}
	return append([]byte{code, flags}, body...), nil
}

// analysedRecords are records made by the real analysis of the test
// pictures and videos, under names and folders and beside sidecars that
// give every kind of date candidate the analysis finds, plus records of
// every status, a reused one, names that are not UTF-8, and candidates of
// every kind as written by hand.
func analysedRecords(t testing.TB) []FileRecord {
	t.Helper()
	root := t.TempDir()
	var srcs []string
	for _, dir := range []string{"../meta/testdata", "../exifdate/testdata"} {
		m, _ := filepath.Glob(filepath.Join(dir, "*.*"))
		srcs = append(srcs, m...)
	}
	names := []string{"", "2019-07-04 Trip/IMG_20190704_153012.jpg", "2003/Summer 2003/DSC01234.JPG",
		"WhatsApp/IMG-20180312-WA0007.jpg", "PXL_20210923_184501123.mp4", "F\xeate/p\xe9.jpg"}
	var recs []FileRecord
	seen := map[string]bool{}
	for i, src := range srcs {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		rel := filepath.Base(src)
		if n := names[i%len(names)]; n != "" {
			rel = n[:len(n)-len(filepath.Ext(n))] + filepath.Ext(src)
		}
		if seen[rel] {
			rel = strconv.Itoa(i) + "/" + rel
		}
		seen[rel] = true
		path := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			xmp := `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:DateTimeOriginal="2018-05-06T07:08:09"/></rdf:RDF></x:xmpmeta>`
			os.WriteFile(path+".xmp", []byte(xmp), 0o644)
			os.WriteFile(path+".json", []byte(`{"title":"other.jpg","photoTakenTime":{"timestamp":"1525590489"}}`), 0o644)
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		res, err := processing.Analyze(context.Background(), processing.Input{Path: path, RelPath: rel, ModTime: fi.ModTime(), Size: fi.Size()}, processing.AnalyzeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		r := FileRecord{JobID: 7, RootIndex: i % 2, Root: root, RelPath: rel, Size: fi.Size(), MtimeNS: fi.ModTime().UnixNano(), CtimeNS: 5, Inode: uint64(i + 1)}
		r.ApplyResult(res, time.Now())
		r.Reused = i%4 == 1
		recs = append(recs, r)
	}
	var every []media.Candidate
	for i, k := range []media.CandidateKind{media.KindEXIFOriginal, media.KindEXIFDigitized, media.KindEXIFModify, media.KindVideoCreation,
		media.KindTakeout, media.KindXMP, media.KindFilenameTime, media.KindFilenameDate, media.KindFolder, media.KindMtime, media.KindSequence} {
		every = append(every, media.Candidate{Kind: k, Source: media.SourceEXIF, Value: "2019-07-04T15:30:12", Detail: "detail of " + string(k) + " \"quoted\" \xff",
			Rejected: i%3 == 0, Reason: map[bool]string{true: "in the future"}[i%3 == 0], Chosen: i == 1})
	}
	latin := rec(8, 1, "Caf\xe9/F\xeate.jpg", media.StatusDone, shaA)
	latin.Root = "/m\xe9dia"
	latin.Time = media.Timestamp{Value: "2019-07-04T15:30:12", Time: time.Date(2019, 7, 4, 15, 30, 12, 0, time.UTC), Source: media.SourceEXIF,
		Confidence: media.ConfidenceLow, Conflict: "EXIF and the file name disagree by 3 days", Candidates: every}
	errRec := rec(8, 0, "bad.jpg", media.StatusError, shaB)
	errRec.Error = "damaged JPEG: unexpected EOF"
	return append(recs, latin, errRec, rec(8, 0, "pending.jpg", media.StatusPending, ""),
		FileRecord{JobID: 9, Root: "/", RelPath: "notes.txt", Status: media.StatusSkipped, Note: "not a photo or video", Reused: true})
}

// Every record reads back from the compact encoding exactly as from the
// plain JSON Shoebox wrote before, field for field and in its JSON, and
// both read under the key they are stored under.
func TestCompactRecordsReadAsThePlainOnes(t *testing.T) {
	recs := analysedRecords(t)
	kinds := map[media.CandidateKind]bool{}
	var plainBytes, compactBytes int
	for _, r := range recs {
		for _, c := range r.Time.Candidates {
			kinds[c.Kind] = true
		}
		k := r.Key()
		plain, err := encodeFilePlain(&r)
		if err != nil {
			t.Fatal(err)
		}
		compact, err := encodeFile(&r)
		if err != nil {
			t.Fatal(err)
		}
		if compact[0] != plain[0] || compact[1]&^(flagBinary|flagBinaryImage) != plain[1]|flagDeflate ||
			(compact[1]&flagBinary != 0) != (r.SHA256 != "") || (compact[1]&flagBinaryImage != 0) != (r.SHA256 != "" && r.HasPHash) {
			t.Errorf("%q: header %q, plain %q", r.RelPath, compact[:2], plain[:2])
		}
		plainBytes, compactBytes = plainBytes+len(plain), compactBytes+len(compact)
		var a, b FileRecord
		if err := decodeFile(k, plain, &a); err != nil {
			t.Fatal(err)
		}
		if err := decodeFile(k, compact, &b); err != nil {
			t.Fatalf("%q: %v", r.RelPath, err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%q reads differently:\nplain   %+v\ncompact %+v", r.RelPath, a, b)
		}
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if !bytes.Equal(ja, jb) || !bytes.Equal(b.Key(), k) || b.Root != r.Root || b.RelPath != r.RelPath {
			t.Errorf("%q: key %q, root %q:\n%s\n%s", r.RelPath, b.Key(), b.Root, ja, jb)
		}
	}
	for _, k := range []media.CandidateKind{media.KindFilenameTime, media.KindFolder, media.KindXMP, media.KindTakeout, media.KindEXIFOriginal, media.KindVideoCreation, media.KindMtime} {
		if !kinds[k] {
			t.Errorf("no record has a %s candidate: the test does not cover it", k)
		}
	}
	t.Logf("%d records: plain %d bytes (%.0f each), compact %d (%.0f each)", len(recs), plainBytes,
		float64(plainBytes)/float64(len(recs)), compactBytes, float64(compactBytes)/float64(len(recs)))
	if compactBytes*2 > plainBytes {
		t.Errorf("compact records take %d bytes, more than half of the plain %d", compactBytes, plainBytes)
	}
}

// A damaged compressed record is an error, never a wrong record or a panic.
func TestDamagedCompactRecordsAreErrors(t *testing.T) {
	r := analysedRecords(t)[1]
	v, err := encodeFile(&r)
	if err != nil {
		t.Fatal(err)
	}
	var back FileRecord
	for _, bad := range [][]byte{v[:len(v)/2], append(v[:2:2], 0xff, 0xff, 0xff), append(append([]byte{}, v[:2]...), v[3:]...)} {
		if err := decodeFile(r.Key(), bad, &back); err == nil {
			t.Errorf("a damaged record of %d bytes decoded: %+v", len(bad), back)
		}
	}
}

func BenchmarkEncodeFile(b *testing.B)      { benchEncode(b, encodeFile) }
func BenchmarkEncodeFilePlain(b *testing.B) { benchEncode(b, encodeFilePlain) }
func BenchmarkDecodeFile(b *testing.B)      { benchDecode(b, encodeFile) }
func BenchmarkDecodeFilePlain(b *testing.B) { benchDecode(b, encodeFilePlain) }

// benchEncode times encode on the analysed records, one after the other.
func benchEncode(b *testing.B, encode func(*FileRecord) ([]byte, error)) {
	recs := analysedRecords(b)
	b.ResetTimer()
	for i := range b.N {
		if _, err := encode(&recs[i%len(recs)]); err != nil {
			b.Fatal(err)
		}
	}
}

// benchDecode times decodeFile on the analysed records as encode wrote them.
func benchDecode(b *testing.B, encode func(*FileRecord) ([]byte, error)) {
	recs := analysedRecords(b)
	var vs [][]byte
	for _, r := range recs {
		v, _ := encode(&r)
		vs = append(vs, v)
	}
	b.ResetTimer()
	var r FileRecord
	for i := range b.N {
		j := i % len(recs)
		if err := decodeFile(recs[j].Key(), vs[j], &r); err != nil {
			b.Fatal(err)
		}
	}
}
