package app

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"shoebox/store"
)

// decidedDates finds a decision for exactly the contents decided: not for a
// content that shares the first 8 bytes of its SHA-256 with a decided one,
// nor for what is not a SHA-256; and a decision that no longer decodes is an
// error in words for its content alone.
func TestDecidedDatesFindsExactlyTheContentsDecided(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lib.db")
	lib := openChangeLibrary(t, path, LibraryOptions{})
	none, err := lib.decidedDates()
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "00112233445566778899aabbccddeeff00112233445566778899aabbccddee"
	if _, ok, err := none.of(prefix + "01"); ok || err != nil || len(none.prefixes) != 0 {
		t.Fatalf("a library with no decisions: %v %v, %d prefixes", ok, err, len(none.prefixes))
	}
	decided := []string{prefix + "01", prefix + "03", "ff" + prefix}
	var cs []store.Correction
	for i, sum := range decided {
		cs = append(cs, store.Correction{SHA256: sum, Value: "2001-02-0" + string(rune('1'+i)), Precision: store.PrecisionDay,
			Source: store.CorrectionUser, DecidedBy: "person", DecidedAt: time.Unix(1e9, 0)})
	}
	if err := lib.db.PutCorrections(cs); err != nil {
		t.Fatal(err)
	}
	d, err := lib.decidedDates()
	if err != nil {
		t.Fatal(err)
	}
	for i, sum := range decided {
		c, ok, err := d.of(sum)
		if !ok || err != nil || c.Value != cs[i].Value {
			t.Errorf("%s: %+v %v %v, want %s", sum, c, ok, err, cs[i].Value)
		}
	}
	for _, sum := range []string{prefix + "02", strings.ToUpper(prefix) + "0z", "", "01", "ff" + prefix[:60]} {
		if c, ok, err := d.of(sum); ok || err != nil {
			t.Errorf("%q: found %+v (%v), decided for nothing like it", sum, c, err)
		}
	}
	lib.Close()

	writeClosedLibrary(t, path, func(tx *bolt.Tx) error {
		k := make([]byte, 32)
		k[0] = 0xff
		copy(k[1:], []byte{0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
			0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee})
		return tx.Bucket([]byte("corrections")).Put(k, []byte(`{"sha256": "ff0011`))
	})
	lib = openChangeLibrary(t, path, LibraryOptions{})
	d, err = lib.decidedDates()
	if err != nil {
		t.Fatal(err)
	}
	if c, ok, err := d.of(prefix + "03"); !ok || err != nil || c.Value != cs[1].Value {
		t.Errorf("beside a damaged decision: %+v %v %v", c, ok, err)
	}
	_, ok, err := d.of("ff" + prefix)
	var damaged *store.DamagedRecords
	if ok || !errors.As(err, &damaged) || !strings.Contains(err.Error(), "correction ff0011") {
		t.Fatalf("a damaged decision: ok %v, error %v", ok, err)
	}
}
