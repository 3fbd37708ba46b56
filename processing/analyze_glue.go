package processing

// This file joins the per-file analysis to the metadata, timestamp and image
// hashing libraries. Until those land it holds a first analyser: goexif's
// DateTimeOriginal, and goimagehash over a standard-library decode that is
// guarded by DecodeConfig.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"
	"io"
	"time"

	"github.com/corona10/goimagehash"
	"github.com/rwcarlsen/goexif/exif"
	_ "golang.org/x/image/bmp"
	"golang.org/x/image/draw"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"
)

type decodeBudget struct{}

var errNotHashable = errors.New("this format cannot be decoded for a perceptual hash")

type fileMeta struct {
	orientation int
	original    time.Time
	hasOriginal bool
}

func readFileMeta(r io.ReaderAt, size int64, mime string) fileMeta {
	if mime != "image/jpeg" || size > 64<<20 {
		return fileMeta{}
	}
	buf := make([]byte, min(size, 256<<10))
	n, _ := r.ReadAt(buf, 0)
	x, err := exif.Decode(bytes.NewReader(buf[:n]))
	if err != nil {
		return fileMeta{}
	}
	var m fileMeta
	if t, err := x.DateTime(); err == nil {
		m.original, m.hasOriginal = t, true
	}
	return m
}

type imageHashes struct {
	PHash, DHash  uint64
	Width, Height int
}

func hashImageData(ctx context.Context, data []byte, mime string, meta fileMeta, opt AnalyzeOptions) (imageHashes, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		if errors.Is(err, image.ErrFormat) {
			return imageHashes{}, fmt.Errorf("%w (%s)", errNotHashable, mime)
		}
		return imageHashes{}, fmt.Errorf("damaged %s: %v", mime, err)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > opt.MaxPixels {
		return imageHashes{}, fmt.Errorf("image is %dx%d (%d MP), over the %d MP limit", cfg.Width, cfg.Height, px/1e6, opt.MaxPixels/1e6)
	}
	if cfg.Width < 8 || cfg.Height < 8 {
		return imageHashes{}, fmt.Errorf("%w: %dx%d is too small", errNotHashable, cfg.Width, cfg.Height)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return imageHashes{}, fmt.Errorf("damaged %s: %v", format, err)
	}
	small := image.NewRGBA(image.Rect(0, 0, 64, 64))
	draw.ApproxBiLinear.Scale(small, small.Bounds(), img, img.Bounds(), draw.Src, nil)
	p, err := goimagehash.PerceptionHash(small)
	if err != nil {
		return imageHashes{}, err
	}
	d, err := goimagehash.DifferenceHash(small)
	if err != nil {
		return imageHashes{}, err
	}
	return imageHashes{PHash: p.GetHash(), DHash: d.GetHash(), Width: cfg.Width, Height: cfg.Height}, nil
}

func determineTime(in Input, mtime time.Time, meta fileMeta, opt AnalyzeOptions) Timestamp {
	if meta.hasOriginal && meta.original.Year() >= opt.MinYear {
		v := meta.original.Format("2006-01-02T15:04:05")
		return Timestamp{Value: v, Time: meta.original, Source: SourceEXIF, Confidence: ConfidenceMedium,
			Candidates: []Candidate{{Kind: KindEXIFOriginal, Source: SourceEXIF, Value: v, Detail: "EXIF DateTimeOriginal", Chosen: true}}}
	}
	v := mtime.UTC().Format("2006-01-02T15:04:05Z")
	return Timestamp{Value: v, Time: mtime.UTC(), ZoneKnown: true, Source: SourceMtime, Confidence: ConfidenceLow,
		Candidates: []Candidate{{Kind: KindMtime, Source: SourceMtime, Value: v, Detail: "file modification time", Chosen: true}}}
}
