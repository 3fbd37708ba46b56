package store

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"sync"
)

// recordLevel is the DEFLATE level of records. Levels below 2 ignore a
// preset dictionary; above it a record gains a few bytes for more time.
const recordLevel = 5

// A compressor is about 1 MB and a decompressor about 40 KB, too much to
// make for each record of a scan or a report: they are kept in pools. The
// pools hold only scratch state, reset before each use, so they are shared
// by every library the process opens, as encoding/json shares its buffers.
var (
	recordWriters = sync.Pool{New: func() any {
		w, err := flate.NewWriterDict(nil, recordLevel, recordDictBytes)
		if err != nil {
			panic(err) // only for a bad level, a constant
		}
		return &recordWriter{w: w}
	}}
	recordReaders = sync.Pool{New: func() any {
		return &recordReader{r: flate.NewReaderDict(nil, recordDictBytes)}
	}}
	// recordDictBytes is recordDict for the readers' Reset, which only
	// copies it: made once, not for each record.
	recordDictBytes = []byte(recordDict)
)

type recordWriter struct {
	w   *flate.Writer
	buf bytes.Buffer
}

type recordReader struct {
	r   io.ReadCloser
	src bytes.Reader
	buf bytes.Buffer
}

// compressRecord returns header followed by body compressed with recordDict.
func compressRecord(header, body []byte) ([]byte, error) {
	rw := recordWriters.Get().(*recordWriter)
	defer recordWriters.Put(rw)
	rw.buf.Reset()
	rw.w.Reset(&rw.buf)
	if _, err := rw.w.Write(body); err != nil {
		return nil, err
	}
	if err := rw.w.Close(); err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(header)+rw.buf.Len())
	return append(append(out, header...), rw.buf.Bytes()...), nil
}

// maxRecordJSON bounds what a damaged record may inflate to, so a corrupt
// page cannot make a read allocate without end. A record's JSON is a few KB.
const maxRecordJSON = 16 << 20

// decompressRecord inflates a compressed record body and hands the JSON to
// use, which must copy what it keeps: the buffer is reused.
func decompressRecord(z []byte, use func(body []byte) error) error {
	rr := recordReaders.Get().(*recordReader)
	defer recordReaders.Put(rr)
	rr.src.Reset(z)
	if err := rr.r.(flate.Resetter).Reset(&rr.src, recordDictBytes); err != nil {
		return err
	}
	rr.buf.Reset()
	n, err := rr.buf.ReadFrom(io.LimitReader(rr.r, maxRecordJSON+1))
	if err != nil {
		return fmt.Errorf("bad compressed record: %w", err)
	}
	if n > maxRecordJSON {
		return fmt.Errorf("bad compressed record: more than %d bytes", maxRecordJSON)
	}
	return use(rr.buf.Bytes())
}
