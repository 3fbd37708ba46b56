package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"shoebox/media"
)

// scaleRecords are n records shaped as a scan of scripts/scalelib's folders
// stores them: dated camera names, 100 a folder, analysed JPEGs.
func scaleRecords(job uint64, root string, n int) (pending, done []FileRecord) {
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		at := start.Add(time.Duration(i) * 37 * time.Minute)
		stamp := at.Format("20060102_150405")
		rel := fmt.Sprintf("%04d/%06d/IMG_%s_%07d.jpg", i/10000, i/100*100, stamp, i)
		p := FileRecord{JobID: job, Root: root, RelPath: rel, Size: 4000 + rng.Int64N(4000), MtimeNS: at.UnixNano(),
			CtimeNS: time.Now().UnixNano() + rng.Int64N(1e9), Inode: 10_000_000 + uint64(i), Status: media.StatusPending}
		pending = append(pending, p)
		sum := sha256.Sum256([]byte(rel))
		d := p
		d.Status, d.MIME, d.SHA256 = media.StatusDone, "image/jpeg", hex.EncodeToString(sum[:])
		d.PHash, d.DHash, d.HasPHash, d.Width, d.Height = rng.Uint64(), rng.Uint64(), true, 320, 240
		d.LumaMean, d.LumaStdDev, d.ChromaCb, d.ChromaCr = rng.Float32()*255, rng.Float32()*60, rng.Float32()*60-30, rng.Float32()*20-10
		d.Analysis = media.AnalysisVersion
		value := at.Format("2006-01-02T15:04:05")
		d.Time = media.Timestamp{Value: value, Time: at, Source: media.SourceFilename, Confidence: media.ConfidenceMedium,
			Candidates: []media.Candidate{
				{Kind: media.KindFilenameTime, Source: media.SourceFilename, Value: value, Chosen: true,
					Detail: fmt.Sprintf("file name %q matches the Android camera pattern", rel[12:])},
				{Kind: media.KindMtime, Source: media.SourceMtime, Value: value + "Z", Detail: "file modification time (UTC)"},
			}}
		d.AnalysedAt = time.Now().Add(time.Duration(rng.Int64N(1e9)))
		done = append(done, d)
	}
	return pending, done
}

// scanScale stores a scan of n scaleRecords under root in db as the engine
// does: listed as pending, then analysed, batch records a commit.
func scanScale(t *testing.T, db *DB, root string, n, batch int) (*Job, []FileRecord) {
	t.Helper()
	j := &Job{Roots: []string{root}, Status: StateRunning}
	if err := db.CreateJob(j); err != nil {
		t.Fatal(err)
	}
	pending, done := scaleRecords(j.ID, j.Roots[0], n)
	if _, err := db.AddFiles(j, pending); err != nil {
		t.Fatal(err)
	}
	for start := 0; start < n; start += batch {
		if err := db.CommitBatch(j, done[start:min(start+batch, n)]); err != nil {
			t.Fatal(err)
		}
	}
	return j, done
}

// storedBytes is the room the buckets' pages take, by bucket.
func storedBytes(t *testing.T, db *DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	err := db.view(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			s := b.Stats()
			out[string(name)] = s.BranchAlloc + s.LeafAlloc
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A scan stores its files in little room: listed as pending, then analysed
// in batches as the engine commits them.
func TestLibraryBytesPerFile(t *testing.T) {
	db, _ := openTemp(t)
	const n = 3000
	scanScale(t, db, "/home/someone/Pictures/scale-100000", n, 10)
	sizes := storedBytes(t, db)
	total := 0
	for name, b := range sizes {
		if b > 0 {
			t.Logf("%-8s %6.1f bytes a file", name, float64(b)/n)
		}
		total += b
	}
	t.Logf("total %.1f bytes a file", float64(total)/n)
	// The records take about 310 bytes a file with their keys: listed
	// and rewritten as bbolt fills pages by default, the bucket took 505
	// (and 354 before the binary fields, codec.go).
	if got := float64(sizes["files"]) / n; got > 350 {
		t.Errorf("the files bucket takes %.1f bytes a file, want at most 350", got)
	}
	// The SHA-256 and path indexes took 333 bytes a file in the plain
	// layout (indexes.go), 142 in the compact one.
	if got := float64(sizes[string(bucketSHAPrefix)]+sizes[string(bucketPathHash)]) / n; got > 160 {
		t.Errorf("the SHA-256 and path indexes take %.1f bytes a file, want at most 160", got)
	}
	// 947 bytes a file before all three; 587 after; 10 more for the path
	// stamps that spare a rescan reading records (pathstamp.go).
	if got := float64(total) / n; got > 622 {
		t.Errorf("the library takes %.1f bytes a file, want at most 622", got)
	}
	// Compacted after the job (compact.go), the whole file takes what its
	// buckets hold in pages filled whole: 546 bytes a file here (868 before),
	// 571 MB at a million files (669 before); 557 with the path stamps. At
	// most 570 keeps a million files well under 600 MB.
	res, err := db.CompactIfSlack(CompactOptions{MinSize: 1, MinSlack: 1e-9})
	if err != nil || !res.Compacted {
		t.Fatalf("compact: %+v, %v", res, err)
	}
	sizes = storedBytes(t, db)
	t.Logf("compacted: file %.1f bytes a file, was %.1f; files %.1f, indexes %.1f", float64(res.After)/n, float64(res.Before)/n,
		float64(sizes["files"])/n, float64(sizes[string(bucketSHAPrefix)]+sizes[string(bucketPathHash)]+sizes[string(bucketPHash)])/n)
	if got := float64(res.After) / n; got > 570 {
		t.Errorf("the compacted library file takes %.1f bytes a file, want at most 570", got)
	}
}
