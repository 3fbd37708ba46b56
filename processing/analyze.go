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
	"shoebox/media"
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
func Analyze(ctx context.Context, in Input, opt AnalyzeOptions) (media.Result, error) {
	opt = opt.withDefaults()
	limit := opt.Timeout
	if fi, err := os.Stat(in.Path); err == nil {
		limit += time.Duration(fi.Size()/(50<<20)) * time.Second
	}
	return withWatchdog(ctx, opt.RunClock, limit, func(fileCtx context.Context, clock *limits.FileClock) (media.Result, error) {
		return withRecover(in.Path, func() (media.Result, error) { return analyze(fileCtx, in, opt, clock) })
	})
}

func errorResult(msg string) media.Result { return media.Result{Status: media.StatusError, Error: msg} }

// withRecover turns a panic anywhere below fn (a decoder bug) into a per-file
// error naming the file, with the stack kept in Note for a bug report. It
// does not hide the bug: the person sees the message and the file.
func withRecover(path string, fn func() (media.Result, error)) (res media.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res = media.Result{
				Status: media.StatusError,
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

func analyze(ctx context.Context, in Input, opt AnalyzeOptions, clock *limits.FileClock) (media.Result, error) {
	res, md, err := analyzeContent(ctx, in, opt, clock)
	if err != nil || res.Status == media.StatusSkipped {
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
	res.Camera, res.CameraSerial = md.Camera(), md.Serial
	res.ContentID = md.ContentID
	res.Time = timestamp.Determine(timestamp.Input{Path: in.Path, RelPath: in.RelPath, ModTime: modTime,
		Camera: res.Camera, Embedded: md.Candidates}, timestamp.Options{MinYear: opt.MinYear, Now: opt.Now})
	return res, nil
}

func analyzeContent(ctx context.Context, in Input, opt AnalyzeOptions, clock *limits.FileClock) (res media.Result, md meta.Metadata, err error) {
	f, fi, ended := openListed(in)
	if ended != nil {
		return *ended, md, nil
	}
	defer f.Close()
	size := fi.Size()
	ext := strings.ToLower(filepath.Ext(in.Path))
	head := make([]byte, min(size, sniffLen))
	if _, err := io.ReadFull(f, head); err != nil {
		return media.Result{Status: media.StatusError, Size: size, Error: readError(err)}, md, nil
	}
	mt := mimetype.Detect(head)
	kind := classify(mt, ext, head)
	res = media.Result{Size: size, MIME: mt.String()}
	if i := strings.IndexByte(res.MIME, ';'); i >= 0 {
		res.MIME = res.MIME[:i]
	}
	switch kind {
	case kindNotMedia:
		res.Status = media.StatusSkipped
		res.Note = "not a photo or video (" + describeMIME(mt) + ")"
		return res, md, nil
	case kindMislabelled:
		res.Status = media.StatusError
		res.Error = fmt.Sprintf("named %s but contains %s: the file is damaged or mislabelled", ext, describeMIME(mt))
		return res, md, nil
	}

	data, md, release, err := readContent(ctx, f, head, kind == kindImage, opt, clock, &res)
	defer release()
	if err != nil || res.Status == media.StatusError {
		return res, md, err
	}
	// Look again now that every byte was read: a write during the read leaves
	// a hash of neither the old nor the new file.
	if after, err := f.Stat(); err == nil {
		if msg := changed(size, fi.ModTime(), after); msg != "" {
			return media.Result{Status: media.StatusError, Size: after.Size(), Error: msg}, md, nil
		}
	}
	if data != nil {
		if err := hashPixels(ctx, data, md, opt, clock, &res); err != nil || res.Status == media.StatusError {
			return res, md, err
		}
	}
	res.Status = media.StatusDone
	return res, md, nil
}

// openListed opens the file and checks it is the one that was listed. When
// the analysis ends there (it cannot be opened, it is a folder, it changed
// since the listing, it is empty), ended is the result.
func openListed(in Input) (f *os.File, fi os.FileInfo, ended *media.Result) {
	end := func(r media.Result) (*os.File, os.FileInfo, *media.Result) { return nil, nil, &r }
	f, err := os.Open(in.Path)
	if err != nil {
		return end(errorResult(openError(err)))
	}
	if fi, err = f.Stat(); err != nil || fi.IsDir() {
		f.Close()
		if err != nil {
			return end(errorResult(openError(err)))
		}
		return end(errorResult("is a folder, not a file"))
	}
	if !in.ModTime.IsZero() {
		if msg := changed(in.Size, in.ModTime, fi); msg != "" {
			f.Close()
			return end(media.Result{Status: media.StatusError, Size: fi.Size(), Error: msg})
		}
	}
	if fi.Size() == 0 {
		f.Close()
		if IsMediaExtension(strings.ToLower(filepath.Ext(in.Path))) {
			return end(media.Result{Status: media.StatusError, Error: "empty file (0 bytes)"})
		}
		return end(media.Result{Status: media.StatusSkipped, Note: "empty file"})
	}
	return f, fi, nil
}

// readContent reads the rest of the file after head, hashing it and reading
// its metadata. An image within the decoding limit is held in memory (data,
// under the read budget until release is called) for its pixels; anything
// else is streamed. A read error becomes res's error; err is only ctx's.
func readContent(ctx context.Context, f *os.File, head []byte, image bool, opt AnalyzeOptions, clock *limits.FileClock,
	res *media.Result) (data []byte, md meta.Metadata, release func(), err error) {
	release = func() {}
	fail := func(err error) ([]byte, meta.Metadata, func(), error) {
		if ctx.Err() != nil {
			return nil, md, release, ctx.Err()
		}
		res.Status, res.Error = media.StatusError, readError(err)
		return nil, md, release, nil
	}
	size := res.Size
	if image && size <= opt.MaxImageBytes {
		if release, err = opt.ReadBudget.Acquire(ctx, size, clock); err != nil {
			return nil, md, func() {}, err
		}
		data = make([]byte, size)
		copy(data, head)
		if err := readFullCtx(ctx, f, data[len(head):]); err != nil {
			return fail(err)
		}
		res.SHA256 = sha256.Sum256(data)
		return data, meta.Read(bytes.NewReader(data), size, res.MIME), release, nil
	}
	sum, err := streamSHA256(ctx, f, head)
	if err != nil {
		return fail(err)
	}
	res.SHA256 = sum
	if image {
		res.Note = fmt.Sprintf("no perceptual hash: the file is over the %d MiB decoding limit", opt.MaxImageBytes>>20)
	}
	return nil, meta.Read(f, size, res.MIME), release, nil
}

// hashPixels decodes the image for its perceptual hashes, dimensions and
// colour. A format that cannot be decoded leaves a note, not an error.
func hashPixels(ctx context.Context, data []byte, md meta.Metadata, opt AnalyzeOptions, clock *limits.FileClock, res *media.Result) error {
	lim := imagehash.DecodeLimits{MaxPixels: opt.MaxPixels, Budget: opt.Budget, AloneMax: opt.AloneMax, Clock: clock}
	h, err := imagehash.HashImage(ctx, data, res.MIME, md.Orientation, lim)
	switch {
	case err == nil:
		res.PHash, res.DHash, res.HasPHash = h.PHash, h.DHash, true
		res.Width, res.Height = h.Width, h.Height
		res.LumaMean, res.LumaStdDev = h.LumaMean, h.LumaStdDev
		res.ChromaCb, res.ChromaCr = h.ChromaCb, h.ChromaCr
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, imagehash.ErrNotHashable):
		res.Note = "no perceptual hash: " + err.Error()
	default:
		res.Status, res.Error = media.StatusError, err.Error()
	}
	return nil
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
