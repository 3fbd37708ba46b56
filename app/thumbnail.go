package app

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"os"
	"time"

	"shoebox/imagehash"
	"shoebox/meta"
	"shoebox/store"
)

// maxThumbnailFile is the largest file Thumbnail reads into memory.
const maxThumbnailFile = 256 << 20

// Thumbnail decodes a stored file at reduced scale, orientation applied, to
// fit in maxSide x maxSide. Videos and formats that cannot be decoded return
// an error the caller shows as a placeholder.
func (l *Library) Thumbnail(rec store.FileRecord, maxSide int) (image.Image, error) {
	path := rec.AbsPath()
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Size() > maxThumbnailFile {
		return nil, fmt.Errorf("%s is too large for a thumbnail", rec.RelPath)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	md := meta.Read(bytes.NewReader(data), int64(len(data)), rec.MIME)
	// The scan's own budget: thumbnails and analysis together stay within
	// it, and an image refused there is refused here too.
	lim := imagehash.DecodeLimits{Budget: l.budget}
	return imagehash.ThumbnailContext(ctx, data, rec.MIME, md.Orientation, maxSide, lim)
}
