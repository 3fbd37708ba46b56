package app

// keyArena holds many file keys in a few large chunks: a million keys cost
// their bytes, not a million allocations, and growing never copies the keys
// already held (one buffer grown by appending was copied again at each
// growth, and its old copies doubled the peak heap).
type keyArena struct {
	chunks [][]byte
	refs   []keyRef // key i's place
}

// keyRef is where one key lies: in which chunk, from where to where.
type keyRef struct{ chunk, start, end uint32 }

// keyChunk is the size of a chunk; a longer key gets a chunk of its own.
const keyChunk = 1 << 20

func (a *keyArena) add(k []byte) {
	last := len(a.chunks) - 1
	if last < 0 || len(a.chunks[last])+len(k) > cap(a.chunks[last]) {
		a.chunks = append(a.chunks, make([]byte, 0, max(keyChunk, len(k))))
		last++
	}
	c := a.chunks[last]
	a.refs = append(a.refs, keyRef{chunk: uint32(last), start: uint32(len(c)), end: uint32(len(c) + len(k))})
	a.chunks[last] = append(c, k...)
}

// at is key i, in the arena's memory (not to be changed).
func (a *keyArena) at(i int) []byte {
	r := a.refs[i]
	return a.chunks[r.chunk][r.start:r.end:r.end]
}
