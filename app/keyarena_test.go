package app

import (
	"bytes"
	"fmt"
	"testing"
)

// Keys added to the arena read back as added: whole keys every keyRestart,
// keys sharing nothing, a key equal to the one before, keys across chunk
// boundaries and a key longer than a chunk; adding never changes a key read
// before.
func TestKeyArenaKeepsEveryKey(t *testing.T) {
	var a keyArena
	var want [][]byte
	first := []byte(nil)
	for i := range 60000 {
		k := []byte(fmt.Sprintf("\x00\x00\x00\x00\x00\x00\x00\x07\x00\x01%04d/IMG_%07d.jpg", i/100, i))
		switch {
		case i == 30000:
			k = bytes.Repeat([]byte{'x'}, keyChunk+5)
		case i == 30001:
			k = []byte("y") // shares nothing with the key before
		case i == 30002:
			k = []byte("y") // the same key again
		case i == 30003:
			k = nil
		}
		a.add(k)
		want = append(want, k)
		if i == 0 {
			first = a.at(0)
		}
	}
	if len(a.chunks) < 3 {
		t.Fatalf("%d chunks: the test must cross chunk boundaries", len(a.chunks))
	}
	for i, k := range want {
		if got := a.at(i); !bytes.Equal(got, k) {
			t.Fatalf("key %d reads %q, added %q", i, got, k)
		}
	}
	if !bytes.Equal(first, want[0]) {
		t.Errorf("the first key, read before the others were added, now reads %q", first)
	}
	// A key read is the caller's: changing it changes no key held.
	k := a.at(12345)
	k[len(k)-1] = '!'
	if got := a.at(12345); !bytes.Equal(got, want[12345]) {
		t.Errorf("changing a key read changed the arena: %q", got)
	}
}

// The keys of a walk share their job, root and folders: the arena holds them
// in a fraction of their bytes.
func TestKeyArenaHoldsSharedPrefixesOnce(t *testing.T) {
	a := newKeyArena(200000)
	whole := 0
	for i := range 200000 {
		k := []byte(fmt.Sprintf("\x00\x00\x00\x00\x00\x00\x00\x07\x00\x01Photos/%d/%d-%02d/IMG_%07d.jpg", 2000+i/20000, 2000+i/20000, i/2000%10, i))
		whole += len(k)
		a.add(k)
	}
	if held := a.bytesHeld(); held*3 > whole {
		t.Fatalf("the arena holds %d bytes for %d bytes of keys: more than a third", held, whole)
	}
}
