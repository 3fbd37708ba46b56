package store

import (
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// A library written before date corrections opens read-only with none; opened
// to write, the bucket is made and a decision is kept across reopening.
func TestCorrectionsInAnOlderLibrary(t *testing.T) {
	db, path := openTemp(t)
	if err := db.h.bolt.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket(bucketCorrections) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	ro, err := Open(path, Options{Mode: ReadOnly})
	if err != nil {
		t.Fatalf("read-only open of an older library: %v", err)
	}
	if cs, err := ro.Corrections(); err != nil || len(cs) != 0 {
		t.Fatalf("corrections of an older library: %v, %v", cs, err)
	}
	if rep, err := Check(path, 0); err == nil && !rep.Healthy() {
		t.Errorf("check calls an older library damaged: %v", rep.Problems)
	}
	ro.Close()
	rw, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	sum := strings.Repeat("ab", 32)
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c := Correction{SHA256: sum, Value: "2009-07-14T15:04:05+02:00", Precision: PrecisionSecond, Offset: "+02:00",
		Source: CorrectionUser, DecidedBy: "person", DecidedAt: at, Was: "2009-07-14"}
	if err := rw.PutCorrections([]Correction{c}); err != nil {
		t.Fatal(err)
	}
	if err := rw.PutCorrections([]Correction{{SHA256: "nothex"}}); err == nil {
		t.Fatal("a correction keyed by something else than a SHA-256 was stored")
	}
	rw.Close()
	again, err := Open(path, Options{Mode: ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	cs, err := again.Corrections()
	if err != nil || len(cs) != 1 || cs[sum] != c {
		t.Fatalf("corrections after reopening: %+v, %v", cs, err)
	}
}
