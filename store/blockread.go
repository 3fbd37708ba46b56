package store

import "io"

// blockReader serves the page walk's small reads (pagewalk.go) from a few
// blocks read whole, so that walking a file of many 4 KiB pages costs one
// system call per block instead of two per page when the pages lie in
// order, as in a compacted library.
//
// A library written by a scan does not keep its pages in order: its index
// pages split as hashed keys arrive, so a walk in key order jumps about
// the file. Each jump that misses the cache reads a block for one page.
// So the blocks are small enough that such a miss costs little (16 KiB:
// four pages; 256 of them kept), and their buffers are used again once
// they leave the cache: nothing keeps a slice of a block (ReadAt copies
// out). With a new 1 MiB block per miss (16 kept), measuring a 54 MB
// library after a scan of 100,000 files allocated 4.5 GB, and the window's
// collector ran every 0.2 s to keep up. A walk of a compacted library of a
// million files (583 MB) takes about 0.3 s either way.
type blockReader struct {
	r      io.ReaderAt
	size   int64
	blocks map[int64][]byte
	order  []int64 // FIFO of cached block numbers
}

const (
	readBlock   = 16 << 10
	readBlocksN = 256
)

func newBlockReader(r io.ReaderAt, size int64) *blockReader {
	return &blockReader{r: r, size: size, blocks: make(map[int64][]byte, readBlocksN)}
}

// ReadAt copies len(p) bytes at off into p, through the cache.
func (b *blockReader) ReadAt(p []byte, off int64) (int, error) {
	n := 0
	for n < len(p) {
		at := off + int64(n)
		if at >= b.size {
			return n, io.EOF
		}
		blk, err := b.block(at / readBlock)
		if err != nil {
			return n, err
		}
		c := copy(p[n:], blk[min(at%readBlock, int64(len(blk))):])
		if c == 0 {
			return n, io.EOF
		}
		n += c
	}
	return n, nil
}

// block returns block i, read into the buffer of the block that has been
// cached longest when the cache is full.
func (b *blockReader) block(i int64) ([]byte, error) {
	if blk, ok := b.blocks[i]; ok {
		return blk, nil
	}
	var buf []byte
	if len(b.order) >= readBlocksN {
		oldest := b.order[0]
		buf = b.blocks[oldest][:readBlock]
		delete(b.blocks, oldest)
		b.order = b.order[1:]
	} else {
		buf = make([]byte, readBlock)
	}
	n, err := b.r.ReadAt(buf, i*readBlock)
	if err != nil && err != io.EOF {
		return nil, err
	}
	b.blocks[i] = buf[:n]
	b.order = append(b.order, i)
	return buf[:n], nil
}
