package processing

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gabriel-vasile/mimetype"

	"shoebox/imagehash"
	"shoebox/limits"
	"shoebox/meta"
	"shoebox/timestamp"
)

// Input names one file to analyse.
type Input struct {
	Path    string    // absolute path on disk
	RelPath string    // path relative to its scan root, '/' separators
	ModTime time.Time // as listed; zero when the file was not listed (nothing to compare)
	// Size is the listed size. With ModTime set, a file whose size or mtime
	// differ when it is opened is an error that says it changed, so that the
	// size, mtime and hash stored for it all describe the same bytes.
	Size int64
}

// AnalyzeOptions tune the analysis. Zero values mean the documented defaults.
type AnalyzeOptions struct {
	MinYear   int                  // earliest believable year; default 2000
	MaxPixels int64                // larger images are refused; default 100 MP
	Budget    *limits.MemoryBudget // decoded pixels, shared by all workers; nil = unbounded
	// AloneMax is the most one decode may take alone (DecodeLimits.AloneMax).
	AloneMax int64
	// ReadBudget bounds the image files held in memory at once (each is read
	// whole, to hash, sniff and decode the same bytes); shared by all
	// workers, nil = unbounded. It is separate from Budget because a file's
	// bytes are held while its decode waits for Budget: one budget for both
	// could deadlock two workers each holding a file.
	ReadBudget *limits.MemoryBudget
	// Timeout is the per-file watchdog: a file that takes longer than this
	// plus one second per 50 MB is marked failed. Default 30s.
	Timeout time.Duration
	// RunClock measures the running time the Timeout counts, without the
	// times the whole process did not run. Share one across the workers;
	// nil = one per file.
	RunClock *limits.RunClock
	// MaxImageBytes: image files larger than this are hashed (SHA-256) as a
	// stream but not decoded. Default 512 MiB.
	MaxImageBytes int64
	Now           time.Time // the scan time; timestamps later than Now+1 day are rejected
}

func (o AnalyzeOptions) withDefaults() AnalyzeOptions {
	if o.MinYear <= 0 {
		o.MinYear = 2000
	}
	if o.MaxPixels <= 0 {
		o.MaxPixels = 100_000_000
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.MaxImageBytes <= 0 {
		o.MaxImageBytes = 512 << 20
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	return o
}

// Analyze examines one file. It never panics and never runs much past its
// watchdog: a decoder panic or a hang becomes a per-file error. It returns a
// non-nil error only when ctx was cancelled, in which case the Result means
// nothing and the file must be analysed again later.
func Analyze(ctx context.Context, in Input, opt AnalyzeOptions) (Result, error) {
	opt = opt.withDefaults()
	limit := opt.Timeout
	if fi, err := os.Stat(in.Path); err == nil {
		limit += time.Duration(fi.Size()/(50<<20)) * time.Second
	}
	return withWatchdog(ctx, opt.RunClock, limit, func(fileCtx context.Context, clock *limits.FileClock) (Result, error) {
		return withRecover(in.Path, func() (Result, error) { return analyze(fileCtx, in, opt, clock) })
	})
}

func errorResult(msg string) Result { return Result{Status: StatusError, Error: msg} }

// withRecover turns a panic anywhere below fn (a decoder bug) into a per-file
// error naming the file, with the stack kept in Note for a bug report. It
// does not hide the bug: the person sees the message and the file.
func withRecover(path string, fn func() (Result, error)) (res Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res = Result{
				Status: StatusError,
				Error:  fmt.Sprintf("internal error while analysing %s: %v (please report this file)", filepath.Base(path), p),
				Note:   string(debug.Stack()),
			}
			err = nil
		}
	}()
	return fn()
}

// sniffLen is how much of a file is read to tell its type.
const sniffLen = 3072

func analyze(ctx context.Context, in Input, opt AnalyzeOptions, clock *limits.FileClock) (Result, error) {
	res, md, err := analyzeContent(ctx, in, opt, clock)
	if err != nil || res.Status == StatusSkipped {
		return res, err
	}
	// A damaged, truncated, empty or unreadable photo still has a name, a
	// folder, perhaps intact EXIF and an mtime: when it was taken is worth
	// knowing even when the pixels are lost.
	modTime := in.ModTime
	if modTime.IsZero() {
		if fi, err := os.Stat(in.Path); err == nil {
			modTime = fi.ModTime()
		}
	}
	res.Camera = md.Camera()
	res.Time = timestamp.Determine(timestamp.Input{Path: in.Path, RelPath: in.RelPath, ModTime: modTime,
		Camera: res.Camera, Embedded: md.Candidates}, timestamp.Options{MinYear: opt.MinYear, Now: opt.Now})
	return res, nil
}

func analyzeContent(ctx context.Context, in Input, opt AnalyzeOptions, clock *limits.FileClock) (res Result, md meta.Metadata, err error) {
	f, err := os.Open(in.Path)
	if err != nil {
		return errorResult(openError(err)), md, nil
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return errorResult(openError(err)), md, nil
	}
	if fi.IsDir() {
		return errorResult("is a folder, not a file"), md, nil
	}
	if !in.ModTime.IsZero() {
		if msg := changed(in.Size, in.ModTime, fi); msg != "" {
			return Result{Status: StatusError, Size: fi.Size(), Error: msg}, md, nil
		}
	}
	size := fi.Size()
	ext := strings.ToLower(filepath.Ext(in.Path))
	if size == 0 {
		if IsMediaExtension(ext) {
			return Result{Status: StatusError, Error: "empty file (0 bytes)"}, md, nil
		}
		return Result{Status: StatusSkipped, Note: "empty file"}, md, nil
	}

	head := make([]byte, min(size, sniffLen))
	if _, err := io.ReadFull(f, head); err != nil {
		return Result{Status: StatusError, Size: size, Error: readError(err)}, md, nil
	}
	mt := mimetype.Detect(head)
	kind := classify(mt, ext, head)
	res = Result{Size: size, MIME: mt.String()}
	if i := strings.IndexByte(res.MIME, ';'); i >= 0 {
		res.MIME = res.MIME[:i]
	}

	switch kind {
	case kindNotMedia:
		res.Status = StatusSkipped
		res.Note = "not a photo or video (" + describeMIME(mt) + ")"
		return res, md, nil
	case kindMislabelled:
		res.Status = StatusError
		res.Error = fmt.Sprintf("named %s but contains %s: the file is damaged or mislabelled", ext, describeMIME(mt))
		return res, md, nil
	}

	var data []byte
	if kind == kindImage && size <= opt.MaxImageBytes {
		release, err := opt.ReadBudget.Acquire(ctx, size, clock)
		if err != nil {
			return Result{}, md, err
		}
		defer release()
		data = make([]byte, size)
		copy(data, head)
		if err := readFullCtx(ctx, f, data[len(head):]); err != nil {
			if ctx.Err() != nil {
				return Result{}, md, ctx.Err()
			}
			res.Status, res.Error = StatusError, readError(err)
			return res, md, nil
		}
		res.SHA256 = sha256.Sum256(data)
		md = meta.Read(bytes.NewReader(data), size, res.MIME)
	} else {
		sum, err := streamSHA256(ctx, f, head)
		if err != nil {
			if ctx.Err() != nil {
				return Result{}, md, ctx.Err()
			}
			res.Status, res.Error = StatusError, readError(err)
			return res, md, nil
		}
		res.SHA256 = sum
		md = meta.Read(f, size, res.MIME)
		if kind == kindImage {
			res.Note = fmt.Sprintf("no perceptual hash: the file is over the %d MiB decoding limit", opt.MaxImageBytes>>20)
		}
	}

	// Look again now that every byte was read: a write during the read leaves
	// a hash of neither the old nor the new file.
	if after, err := f.Stat(); err == nil {
		if msg := changed(size, fi.ModTime(), after); msg != "" {
			return Result{Status: StatusError, Size: after.Size(), Error: msg}, md, nil
		}
	}

	if data != nil {
		h, err := imagehash.HashImage(ctx, data, res.MIME, md.Orientation, imagehash.DecodeLimits{MaxPixels: opt.MaxPixels, Budget: opt.Budget, AloneMax: opt.AloneMax, Clock: clock})
		switch {
		case err == nil:
			res.PHash, res.DHash, res.HasPHash = h.PHash, h.DHash, true
			res.Width, res.Height = h.Width, h.Height
			res.LumaMean, res.LumaStdDev = h.LumaMean, h.LumaStdDev
			res.ChromaCb, res.ChromaCr = h.ChromaCb, h.ChromaCr
		case ctx.Err() != nil:
			return Result{}, md, ctx.Err()
		case errors.Is(err, imagehash.ErrNotHashable):
			res.Note = "no perceptual hash: " + err.Error()
		default:
			res.Status, res.Error = StatusError, err.Error()
			return res, md, nil
		}
	}

	res.Status = StatusDone
	return res, md, nil
}

// changed says how the file now differs from the size and mtime it had, or
// "" when it does not.
func changed(size int64, mtime time.Time, now os.FileInfo) string {
	const layout = "2006-01-02 15:04:05.999999999"
	switch {
	case now.Size() != size:
		return fmt.Sprintf("changed while it was being scanned: size %d → %d; scan again", size, now.Size())
	case now.ModTime().UnixNano() != mtime.UnixNano():
		return fmt.Sprintf("changed while it was being scanned: modified %s → %s; scan again",
			mtime.Local().Format(layout), now.ModTime().Local().Format(layout))
	}
	return ""
}

// readFullCtx fills buf from r in chunks, giving up when ctx is cancelled, so
// cancelling a job never waits for a large read.
func readFullCtx(ctx context.Context, r io.Reader, buf []byte) error {
	const chunk = 4 << 20
	for off := 0; off < len(buf); {
		if err := ctx.Err(); err != nil {
			return err
		}
		end := min(off+chunk, len(buf))
		n, err := io.ReadFull(r, buf[off:end])
		off += n
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
				return fmt.Errorf("the file shrank while it was read (%d of %d bytes)", off, len(buf))
			}
			return err
		}
	}
	return nil
}

// streamSHA256 hashes head and then the rest of r without holding it in memory.
func streamSHA256(ctx context.Context, r io.Reader, head []byte) ([32]byte, error) {
	h := sha256.New()
	h.Write(head)
	buf := make([]byte, 1<<20)
	for {
		if err := ctx.Err(); err != nil {
			return [32]byte{}, err
		}
		n, err := r.Read(buf)
		h.Write(buf[:n])
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return [32]byte{}, err
		}
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum, nil
}

func openError(err error) string {
	switch {
	case errors.Is(err, os.ErrPermission):
		return "cannot be read: permission denied"
	case errors.Is(err, os.ErrNotExist):
		return "disappeared before it could be read"
	}
	return "cannot be opened: " + err.Error()
}

func readError(err error) string {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return "the file shrank while it was read"
	}
	return "read failed: " + err.Error()
}
