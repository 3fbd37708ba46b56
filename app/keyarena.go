package app

import (
	"encoding/binary"
	"slices"
)

// keyArena holds many file keys in a few large chunks: a million keys cost
// their bytes, not a million allocations, and growing never copies the keys
// already held (one buffer grown by appending was copied again at each
// growth, and its old copies doubled the peak heap).
//
// The keys are front-coded, as in the blocks of LevelDB's tables: each is
// kept as the length of the prefix it shares with the key before it, the
// length of the rest, and the rest. Every keyRestart-th key is kept whole,
// and only those keys' places are remembered. A walk's keys come in order and
// share their job, root and folders, so most of each key is its prefix: the
// million keys of the scale folder took 60 MB whole with their places, and
// take 22.5 MB so.
type keyArena struct {
	chunks   [][]byte
	restarts []keyPlace // where keys 0, keyRestart, 2*keyRestart, ... begin
	n        int        // keys held
	last     []byte     // the key added last
}

// keyPlace is where a kept key begins: in which chunk, from where.
type keyPlace struct{ chunk, start uint32 }

const (
	// keyChunk is the size of a chunk; a longer key gets a chunk of its own.
	keyChunk = 1 << 20
	// keyRestart: at reads at most this many keys to rebuild one.
	keyRestart = 16
)

// newKeyArena makes an arena with room for the places of n keys.
func newKeyArena(n int) keyArena {
	return keyArena{restarts: make([]keyPlace, 0, n/keyRestart+1)}
}

func (a *keyArena) add(k []byte) {
	shared := 0
	if a.n%keyRestart != 0 {
		shared = commonPrefixLen(a.last, k)
	}
	var head [2 * binary.MaxVarintLen64]byte
	h := binary.PutUvarint(head[:], uint64(shared))
	h += binary.PutUvarint(head[h:], uint64(len(k)-shared))
	size := h + len(k) - shared
	last := len(a.chunks) - 1
	if last < 0 || len(a.chunks[last])+size > cap(a.chunks[last]) {
		a.chunks = append(a.chunks, make([]byte, 0, max(keyChunk, size)))
		last++
	}
	if a.n%keyRestart == 0 {
		a.restarts = append(a.restarts, keyPlace{chunk: uint32(last), start: uint32(len(a.chunks[last]))})
	}
	a.chunks[last] = append(append(a.chunks[last], head[:h]...), k[shared:]...)
	a.last = append(a.last[:0], k...)
	a.n++
}

// frozen is the keys held now, for another goroutine to read while keys
// are added after them: it shares their bytes, which adding never changes
// (a chunk only grows past what the copy reads), and has its own list of
// chunks and places.
func (a *keyArena) frozen() keyArena {
	return keyArena{chunks: slices.Clone(a.chunks), restarts: slices.Clone(a.restarts), n: a.n}
}

// at is key i, rebuilt in new memory from the last key kept whole before it.
// An entry never spans chunks: one that did not fit began the next chunk,
// so the end of a chunk's bytes is where the next entry begins.
func (a *keyArena) at(i int) []byte {
	p := a.restarts[i/keyRestart]
	c, pos := int(p.chunk), int(p.start)
	var key []byte
	for range i%keyRestart + 1 {
		if pos == len(a.chunks[c]) {
			c, pos = c+1, 0
		}
		b := a.chunks[c]
		shared, w := binary.Uvarint(b[pos:])
		pos += w
		rest, w := binary.Uvarint(b[pos:])
		pos += w
		key = append(key[:shared], b[pos:pos+int(rest)]...)
		pos += int(rest)
	}
	return key
}

// commonPrefixLen is the length of the longest prefix a and b share.
func commonPrefixLen(a, b []byte) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// bytesHeld is the memory the arena holds.
func (a *keyArena) bytesHeld() int {
	n := cap(a.restarts)*8 + cap(a.last)
	for _, c := range a.chunks {
		n += cap(c)
	}
	return n
}
