package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// This file reads a bbolt file with plain, bounds-checked reads instead of
// bbolt's memory map. bbolt trusts its pages: a damaged page makes it panic,
// fault on the map (SIGBUS past the end of a truncated file) or, when it
// rebuilds its free list at a read-write open, panic in a goroutine of its
// own where nothing can recover it. So every open walks the tree here first
// and refuses a file that bbolt would choke on, `check` reports what the walk
// finds, and `recover` copies the readable records out of a damaged file
// without ever handing it to bbolt.
//
// The layout is bbolt's version 2 format (go.etcd.io/bbolt/internal/common),
// in the machine's byte order, as bbolt writes it.

const (
	boltMagic        = 0xED0CDAED
	boltVersion      = 2
	pageHeaderSize   = 16
	elementSize      = 16 // branch and leaf page elements are both 16 bytes
	bucketHeaderSize = 16 // root page id, sequence
	branchPageFlag   = 0x01
	leafPageFlag     = 0x02
	freelistPageFlag = 0x10
	noFreelist       = ^uint64(0) // the meta's free-list page when the list is not written
	bucketLeafFlag   = 0x01
	maxProblems      = 50
)

var ne = binary.NativeEndian

// boltMeta is the part of a meta page the walk needs.
type boltMeta struct {
	pageSize uint32
	root     uint64 // page of the root bucket
	freelist uint64 // page of the free list, noFreelist when it is not written
	pgid     uint64 // high-water mark: pages at or above it are not in use
	txid     uint64
}

// parseMeta reads the meta record that follows a page header; ok is false
// when its magic, version or checksum is wrong.
func parseMeta(b []byte) (boltMeta, bool) {
	if len(b) < pageHeaderSize+64 {
		return boltMeta{}, false
	}
	m := b[pageHeaderSize : pageHeaderSize+64]
	h := fnv.New64a()
	h.Write(m[:56])
	if ne.Uint32(m[0:]) != boltMagic || ne.Uint32(m[4:]) != boltVersion || ne.Uint64(m[56:]) != h.Sum64() {
		return boltMeta{}, false
	}
	return boltMeta{pageSize: ne.Uint32(m[8:]), root: ne.Uint64(m[16:]), freelist: ne.Uint64(m[32:]), pgid: ne.Uint64(m[40:]), txid: ne.Uint64(m[48:])}, true
}

// pageWalk walks every bucket of a bbolt file and reports what is wrong.
type pageWalk struct {
	r        *blockReader
	size     int64
	meta     boltMeta
	seen     map[uint64]bool
	spare    [][]byte // page buffers given back (release), for take
	problems []string
	nProblem int
	// visit, when set, receives every readable key and value of every
	// top-level bucket, in key order: slices of the walk's page buffers,
	// valid until visit returns.
	visit func(bucket, k, v []byte)
	// inUse is the bytes the tree's pages hold, counted as bbolt's
	// Bucket.Stats counts them (BranchInuse + LeafInuse): a page's header
	// and elements up to the end of its last key or value.
	inUse int64
}

func (w *pageWalk) problem(format string, args ...any) {
	w.nProblem++
	if len(w.problems) < maxProblems {
		w.problems = append(w.problems, fmt.Sprintf(format, args...))
	}
}

// newPageWalk walks a file of size bytes read through r.
func newPageWalk(r io.ReaderAt, size int64) *pageWalk {
	return &pageWalk{r: newBlockReader(r, size), size: size, seen: map[uint64]bool{}}
}

// walkFile walks the bbolt file at path. It returns an error only when the
// file cannot be read or is not a bbolt file at all (both meta pages bad);
// damage inside the tree is listed in the returned problems.
func walkFile(path string, visit func(bucket, k, v []byte)) (problems []string, count int, err error) {
	w, err := walkTrees(path, visit)
	if err != nil {
		return nil, 0, err
	}
	return w.problems, w.nProblem, nil
}

// walkTrees is walkFile's walk, with what it counted.
func walkTrees(path string, visit func(bucket, k, v []byte)) (*pageWalk, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	w := newPageWalk(f, fi.Size())
	w.visit = visit
	return w, w.walkAll()
}

// walkAll reads the header, then walks every top-level bucket.
func (w *pageWalk) walkAll() error {
	if err := w.readHeader(); err != nil {
		return err
	}
	w.walkTree(w.meta.root, func(name, v []byte, bucket bool) {
		if !bucket {
			return // bbolt keeps only buckets at the top level
		}
		w.walkBucket(name, v, func(k, v []byte) {
			if w.visit != nil {
				w.visit(name, k, v)
			}
		})
	})
	return nil
}

// checkHeader reads only what bbolt reads when it opens a file whose free
// list is written: the header pages, the file's length and the free list. An
// open of a file as Shoebox left it (verified.go) checks this much.
func checkHeader(path string) (problems []string, count int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	w := newPageWalk(f, fi.Size())
	if err := w.readHeader(); err != nil {
		return nil, 0, err
	}
	return w.problems, w.nProblem, nil
}

// readHeader reads the meta page, checks the file is as long as it says and
// that its free list, when written, is one and names only pages in the file.
func (w *pageWalk) readHeader() error {
	if err := w.readMeta(); err != nil {
		return err
	}
	if need := int64(w.meta.pgid) * int64(w.meta.pageSize); need > w.size {
		w.problem("the file is %d bytes but should be at least %d: it was cut short", w.size, need)
		return nil
	}
	if w.meta.freelist == noFreelist {
		return nil
	}
	p, err := w.readPage(w.meta.freelist)
	if err != nil {
		w.problem("the free list: %v", err)
		return nil
	}
	defer w.release(p)
	if ne.Uint16(p[8:]) != freelistPageFlag {
		w.problem("page %d should hold the free list but has type %#x", w.meta.freelist, ne.Uint16(p[8:]))
		return nil
	}
	n, at := uint64(ne.Uint16(p[10:])), pageHeaderSize
	if n == 0xFFFF { // a long list keeps its length in its first element
		n, at = ne.Uint64(p[pageHeaderSize:]), pageHeaderSize+8
	}
	if uint64(len(p)-at)/8 < n {
		w.problem("the free list on page %d claims %d pages, more than it can hold", w.meta.freelist, n)
		return nil
	}
	for i := range n {
		if id := ne.Uint64(p[at+int(i)*8:]); id < 2 || id >= w.meta.pgid {
			w.problem("the free list names page %d, outside the file", id)
			return nil
		}
	}
	return nil
}

// readMeta picks the meta page bbolt would: the valid one with the higher
// transaction ID.
func (w *pageWalk) readMeta() error {
	buf := make([]byte, pageHeaderSize+64)
	var metas []boltMeta
	pageSize := int64(os.Getpagesize())
	if _, err := w.r.ReadAt(buf, 0); err == nil {
		if m, ok := parseMeta(buf); ok {
			metas = append(metas, m)
			pageSize = int64(m.pageSize)
		}
	}
	if _, err := w.r.ReadAt(buf, pageSize); err == nil {
		if m, ok := parseMeta(buf); ok {
			metas = append(metas, m)
		}
	}
	if len(metas) == 0 {
		return errors.New("neither of its two header pages is valid")
	}
	w.meta = metas[0]
	if len(metas) == 2 && metas[1].txid > metas[0].txid {
		w.meta = metas[1]
	}
	if w.meta.pageSize < 1024 || w.meta.pageSize > 1<<20 {
		return fmt.Errorf("its page size %d is not believable", w.meta.pageSize)
	}
	return nil
}

// readPage reads page id with its overflow pages into a buffer of the
// walk's (take), or says why it cannot. The caller gives the buffer back
// (release) once it is done with the page and every slice of it.
func (w *pageWalk) readPage(id uint64) ([]byte, error) {
	ps := int64(w.meta.pageSize)
	if id < 2 || id >= w.meta.pgid {
		return nil, fmt.Errorf("page %d is out of bounds (%d pages)", id, w.meta.pgid)
	}
	if w.seen[id] {
		return nil, fmt.Errorf("page %d is referenced twice", id)
	}
	var head [pageHeaderSize]byte
	if _, err := w.r.ReadAt(head[:], int64(id)*ps); err != nil {
		return nil, fmt.Errorf("page %d cannot be read: %w", id, err)
	}
	if got := ne.Uint64(head[:]); got != id {
		return nil, fmt.Errorf("page %d says it is page %d", id, got)
	}
	n := 1 + uint64(ne.Uint32(head[12:]))
	if id+n > w.meta.pgid {
		return nil, fmt.Errorf("page %d overflows past the last page", id)
	}
	for i := id; i < id+n; i++ {
		w.seen[i] = true
	}
	buf, err := w.readTaken(int64(id)*ps, int(int64(n)*ps))
	if err != nil {
		return nil, fmt.Errorf("page %d cannot be read: %w", id, err)
	}
	return buf, nil
}

// readTaken reads n bytes at off into a buffer from take, given back at
// once when the read fails.
func (w *pageWalk) readTaken(off int64, n int) ([]byte, error) {
	buf := w.take(n)
	if _, err := w.r.ReadAt(buf, off); err != nil {
		w.release(buf)
		return nil, err
	}
	return buf, nil
}

// take returns a buffer of n bytes for a page. The walk holds one page per
// level of the trees it is in (a branch page's keys bound its children's),
// so a stack of buffers given back (release) serves the whole walk: a walk
// of every page allocates a few buffers, not one per page.
func (w *pageWalk) take(n int) []byte {
	if k := len(w.spare); k > 0 {
		b := w.spare[k-1]
		w.spare = w.spare[:k-1]
		if cap(b) >= n {
			return b[:n]
		}
	}
	return make([]byte, n)
}

// release gives back a buffer take returned, once nothing uses it.
func (w *pageWalk) release(b []byte) {
	w.spare = append(w.spare, b)
}

// walkTree visits the leaf entries of the b-tree rooted at page id, in
// order, checking what bbolt's own check checks: page types, bounds, single
// references and key order. A damaged subtree is reported and skipped, so
// the walk goes on with its siblings.
func (w *pageWalk) walkTree(id uint64, leaf leafFunc) {
	p, err := w.readPage(id)
	if err != nil {
		w.problem("%v", err)
		return
	}
	w.walkPage(p, id, nil, nil, leaf)
	w.release(p)
}

// leafFunc receives one leaf entry; bucket says v is a nested bucket's header.
type leafFunc func(k, v []byte, bucket bool)

// walkPage walks page p (id) whose keys must lie in [minKey, maxKey) and
// returns the largest key it found.
func (w *pageWalk) walkPage(p []byte, id uint64, minKey, maxKey []byte, leaf leafFunc) []byte {
	flags, count := ne.Uint16(p[8:]), int(ne.Uint16(p[10:]))
	if pageHeaderSize+count*elementSize > len(p) {
		w.problem("page %d claims %d entries, more than it can hold", id, count)
		return minKey
	}
	if id != 0 { // an inline bucket's page is its parent's value
		w.inUse += pageInUse(p, flags, count)
	}
	last := minKey
	switch flags {
	case branchPageFlag:
		keys, children := make([][]byte, count), make([]uint64, count)
		for i := range count {
			e := pageHeaderSize + i*elementSize
			k, ok := slice(p, e, ne.Uint32(p[e:]), ne.Uint32(p[e+4:]))
			if !ok || !inOrder(i, k, last, maxKey) {
				w.problem("page %d: entry %d is damaged", id, i)
				return minKey
			}
			keys[i], children[i], last = k, ne.Uint64(p[e+8:]), k
		}
		last = minKey
		for i := range count {
			upper := maxKey
			if i+1 < count {
				upper = keys[i+1]
			}
			sub, err := w.readPage(children[i])
			if err != nil {
				w.problem("%v", err)
				continue
			}
			last = w.walkPage(sub, children[i], keys[i], upper, leaf)
			w.release(sub)
		}
		return last
	case leafPageFlag:
		for i := range count {
			e := pageHeaderSize + i*elementSize
			pos, ks, vs := ne.Uint32(p[e+4:]), ne.Uint32(p[e+8:]), ne.Uint32(p[e+12:])
			kv, ok := slice(p, e, pos, ks+vs)
			if !ok || ks+vs < ks || !inOrder(i, kv[:ks], last, maxKey) {
				w.problem("page %d: entry %d is damaged", id, i)
				continue
			}
			// k and v stay valid until leaf returns; it copies what it keeps.
			k, v := kv[:ks], kv[ks:]
			leaf(k, v, ne.Uint32(p[e:])&bucketLeafFlag != 0)
			last = k
		}
		return last
	}
	w.problem("page %d has type %#x, not a branch or leaf page", id, flags)
	return minKey
}

// pageInUse is the bytes of page p up to the end of its last element's
// key (a branch page) or key and value (a leaf page), as bbolt counts them.
func pageInUse(p []byte, flags uint16, count int) int64 {
	if count == 0 {
		return pageHeaderSize
	}
	e := pageHeaderSize + (count-1)*elementSize
	if flags == branchPageFlag { // pos, ksize, pgid
		return int64(e) + int64(ne.Uint32(p[e:])) + int64(ne.Uint32(p[e+4:]))
	}
	return int64(e) + int64(ne.Uint32(p[e+4:])) + int64(ne.Uint32(p[e+8:])) + int64(ne.Uint32(p[e+12:]))
}

// inOrder checks that key k, entry i of its page, sorts after prev (or
// equals it for the first entry, prev then being the parent's separator)
// and before max.
func inOrder(i int, k, prev, max []byte) bool {
	if prev != nil {
		if c := bytes.Compare(prev, k); c > 0 || (c == 0 && i > 0) {
			return false
		}
	}
	return max == nil || bytes.Compare(k, max) < 0
}

// slice is p[at+pos : at+pos+n] when it lies inside p.
func slice(p []byte, at int, pos, n uint32) ([]byte, bool) {
	start := int64(at) + int64(pos)
	end := start + int64(n)
	if end > int64(len(p)) {
		return nil, false
	}
	return p[start:end], true
}

// walkBucket walks the bucket whose header is v (key name of its parent):
// inline (its one leaf page follows the header) or in pages of its own.
// visit gets its plain entries; nested buckets are walked for damage only.
func (w *pageWalk) walkBucket(name, v []byte, visit func(k, v []byte)) {
	if len(v) < bucketHeaderSize {
		w.problem("bucket %q has a damaged header", name)
		return
	}
	entry := func(k, v []byte, bucket bool) {
		if bucket {
			w.walkBucket(k, v, func(_, _ []byte) {})
			return
		}
		visit(k, v)
	}
	if root := ne.Uint64(v); root != 0 {
		w.walkTree(root, entry)
		return
	}
	page := v[bucketHeaderSize:]
	if len(page) < pageHeaderSize {
		w.problem("bucket %q has a damaged inline page", name)
		return
	}
	w.walkPage(page, 0, nil, nil, entry)
}

// salvageLeaves reads every page of the file that still parses as a leaf
// page, reachable or not, and hands its plain entries to visit. Recover uses
// it when the tree is damaged: records whose pages are cut off from the tree
// (or are older copies that bbolt freed) are still in the file. The key and
// value visit gets stay valid until it returns.
func salvageLeaves(path string, visit func(k, v []byte)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	w := newPageWalk(f, fi.Size())
	if err := w.readMeta(); err != nil {
		return err
	}
	ps := int64(w.meta.pageSize)
	head := make([]byte, pageHeaderSize)
	for id := int64(2); (id+1)*ps <= w.size; id++ {
		if _, err := w.r.ReadAt(head, id*ps); err != nil {
			return nil
		}
		if ne.Uint64(head) != uint64(id) || ne.Uint16(head[8:]) != leafPageFlag {
			continue
		}
		n := 1 + int64(ne.Uint32(head[12:]))
		if (id+n)*ps > w.size {
			continue
		}
		p, err := w.readTaken(id*ps, int(n*ps))
		if err != nil {
			continue
		}
		w.walkPage(p, uint64(id), nil, nil, func(k, v []byte, bucket bool) {
			if !bucket {
				visit(k, v)
			}
		})
		w.release(p)
		id += n - 1
	}
	return nil
}
