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
	if p, err := ro.DecidedPrefixes(); err != nil || len(p) != 0 {
		t.Fatalf("decided prefixes of an older library: %v, %v", p, err)
	}
	if _, ok, err := ro.CorrectionOf(strings.Repeat("ab", 32)); ok || err != nil {
		t.Fatalf("a correction of an older library: %v, %v", ok, err)
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
	if got, ok, err := again.CorrectionOf(sum); !ok || err != nil || got != c {
		t.Fatalf("the correction read alone after reopening: %+v, %v, %v", got, ok, err)
	}
}

// DecidedPrefixes lists the first 8 bytes of each decided content in order,
// and CorrectionOf reads each decision alone, and nothing for another content.
func TestDecidedPrefixesAndOneCorrection(t *testing.T) {
	db, _ := openTemp(t)
	sums := []string{strings.Repeat("f0", 32), strings.Repeat("01", 32), "0102030405060708" + strings.Repeat("ee", 24)}
	var cs []Correction
	for i, sum := range sums {
		cs = append(cs, Correction{SHA256: sum, Value: "2000-01-0" + string(rune('1'+i)), Precision: PrecisionDay, Source: CorrectionUser})
	}
	if err := db.PutCorrections(cs); err != nil {
		t.Fatal(err)
	}
	p, err := db.DecidedPrefixes()
	want := []uint64{0x0101010101010101, 0x0102030405060708, 0xf0f0f0f0f0f0f0f0}
	if err != nil || len(p) != len(want) || p[0] != want[0] || p[1] != want[1] || p[2] != want[2] {
		t.Fatalf("prefixes %x, %v; want %x", p, err, want)
	}
	for i, sum := range sums {
		if got, ok, err := db.CorrectionOf(sum); !ok || err != nil || got.Value != cs[i].Value {
			t.Errorf("%s: %+v %v %v", sum, got, ok, err)
		}
	}
	if got, ok, err := db.CorrectionOf(strings.Repeat("02", 32)); ok || err != nil {
		t.Errorf("a content never decided: %+v %v %v", got, ok, err)
	}
	if _, _, err := db.CorrectionOf("nothex"); err == nil {
		t.Error("a correction asked for by something else than a SHA-256 gave no error")
	}
}
