package app

import (
	"bytes"
	"fmt"
	"testing"
)

// Keys added to the arena read back as added, across chunk boundaries and
// for a key longer than a chunk; adding never changes a key read before.
func TestKeyArenaKeepsEveryKey(t *testing.T) {
	var a keyArena
	var want [][]byte
	first := []byte(nil)
	for i := range 60000 {
		k := []byte(fmt.Sprintf("\x00\x00\x00\x00\x00\x00\x00\x07\x00\x01%04d/IMG_%07d.jpg", i/100, i))
		if i == 30000 {
			k = bytes.Repeat([]byte{'x'}, keyChunk+5)
		}
		a.add(k)
		want = append(want, k)
		if i == 0 {
			first = a.at(0)
		}
	}
	if len(a.chunks) < 2 {
		t.Fatalf("%d chunks: the test must cross a chunk boundary", len(a.chunks))
	}
	for i, k := range want {
		if got := a.at(i); !bytes.Equal(got, k) {
			t.Fatalf("key %d reads %q, added %q", i, got, k)
		}
	}
	if !bytes.Equal(first, want[0]) {
		t.Errorf("the first key, read before the others were added, now reads %q", first)
	}
}
