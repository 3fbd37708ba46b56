package app

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"os"
	"strings"
	"time"

	"shoebox/imagehash"
	"shoebox/media"
	"shoebox/meta"
	"shoebox/store"
)

// maxThumbnailFile is the largest file Thumbnail reads into memory.
const maxThumbnailFile = 256 << 20

// thumbnailTimeout bounds one thumbnail, an external decoder included.
const thumbnailTimeout = 20 * time.Second

// Thumbnail gives a stored file at reduced scale, orientation applied, to
// fit in maxSide x maxSide. Thumbnails are cached by content in memory and
// on disk (ThumbnailOptions), so a second visit decodes nothing. HEIC/HEIF
// is decoded by heif-convert (its embedded thumbnail first) and a video's
// poster frame by ffmpeg when they are on PATH; a video without ffmpeg (or
// one ffmpeg cannot read) gets a placeholder saying its length and size. Other failures return an error a
// person can read, which the caller shows instead of the picture.
func (l *Library) Thumbnail(rec store.FileRecord, maxSide int) (image.Image, error) {
	c := &l.thumbs
	c.init(l.Path(), l.opt.Thumbnails)
	key := thumbKey(rec.SHA256, rec.Size, maxSide)
	if key != "" {
		if img, ok := c.get(key); ok {
			return img, nil
		}
	}
	img, cache, err := l.makeThumbnail(rec, maxSide)
	if err != nil {
		return nil, err
	}
	if key != "" && cache {
		c.put(key, img)
	}
	return img, nil
}

// makeThumbnail decodes one; cache is false for a placeholder, which must
// give way to the real picture once a decoder is installed.
func (l *Library) makeThumbnail(rec store.FileRecord, maxSide int) (img image.Image, cache bool, err error) {
	path := rec.AbsPath()
	fi, err := os.Stat(path)
	if err != nil {
		return nil, false, fmt.Errorf("no preview: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), thumbnailTimeout)
	defer cancel()
	lim := imagehash.DecodeLimits{Budget: l.budget}
	switch {
	case strings.HasPrefix(rec.MIME, "video/"):
		return l.videoThumbnail(ctx, path, fi.Size(), maxSide, lim)
	case media.IsHEIF(rec.MIME):
		img, err := l.heifThumbnail(ctx, path, maxSide, lim)
		return img, err == nil, err
	}
	if fi.Size() > maxThumbnailFile {
		return nil, false, fmt.Errorf("%s is too large for a thumbnail", rec.RelPath)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, false, fmt.Errorf("no preview: %w", err)
	}
	md := meta.Read(bytes.NewReader(data), int64(len(data)), rec.MIME)
	// The scan's own budget: thumbnails and analysis together stay within
	// it, and an image refused there is refused here too.
	img, err = imagehash.ThumbnailContext(ctx, data, rec.MIME, md.Orientation, maxSide, lim)
	return img, err == nil, err
}
