package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"os"
	"os/exec"
	"strings"
	"time"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

	"shoebox/imagehash"
	"shoebox/media"
	"shoebox/meta"
)

// External decoders. Go has no HEVC decoder, so HEIC goes through libheif's
// heif-convert (Debian: libheif-examples) and video frames through ffmpeg,
// each only when found on PATH, one at a time (the thumbnail workers of the
// window could otherwise start several 12 MP decodes at once), killed at
// the thumbnail's deadline.
const (
	heifTool  = imagehash.HEIFTool
	videoTool = "ffmpeg"
)

// externalSlot admits one external decode at a time per library.
func (l *Library) externalSlot(ctx context.Context) (release func(), err error) {
	l.thumbs.init(l.Path(), l.opt.Thumbnails)
	select {
	case l.thumbs.tools <- struct{}{}:
		return func() { <-l.thumbs.tools }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("no preview: the decoder was busy too long")
	}
}

// runTool runs an external decoder with the context's deadline and says
// what went wrong in words: the tool's own first line of complaint.
func runTool(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.WaitDelay = 2 * time.Second
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	switch {
	case ctx.Err() != nil:
		return nil, fmt.Errorf("%s took too long and was stopped", name)
	case err != nil:
		msg := strings.TrimSpace(errb.String())
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("%s could not read it: %s", name, msg)
	}
	return out.Bytes(), nil
}

// heifThumbnail decodes a HEIC/HEIF/AVIF with heif-convert: its embedded
// thumbnail item (an iPhone's is 320x240, decoded in about a tenth of a
// second) when that is at least half the size asked, else the whole
// picture (seconds for 12 MP). heif-convert applies the image's own
// rotation, so none is added.
func (l *Library) heifThumbnail(ctx context.Context, path string, maxSide int, lim imagehash.DecodeLimits) (image.Image, error) {
	if _, err := exec.LookPath(heifTool); err != nil {
		return nil, errors.New("no preview: HEIC pictures need heif-convert (package libheif-examples) on this computer")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("no preview: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("no preview: %w", err)
	}
	release, err := l.externalSlot(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	lim.HEIFTimeout = thumbnailTimeout
	img, err := imagehash.ThumbnailHEIF(ctx, imagehash.HEIFSource{R: f, Size: fi.Size(), Path: path}, maxSide, lim)
	if err != nil {
		return nil, fmt.Errorf("no preview: %w", err)
	}
	return img, nil
}

// videoThumbnail is a frame one second in (or the first, for a shorter
// video) when ffmpeg is on PATH, else a placeholder with the video's length
// and size. cache is false for the placeholder.
func (l *Library) videoThumbnail(ctx context.Context, path string, size int64, maxSide int, lim imagehash.DecodeLimits) (image.Image, bool, error) {
	dur := videoDuration(path, size)
	if _, err := exec.LookPath(videoTool); err == nil {
		img, err := l.posterFrame(ctx, path, dur, maxSide, lim)
		if err == nil {
			return img, true, nil
		}
		// A video ffmpeg cannot read still gets its card: the placeholder.
	}
	return VideoPlaceholder(maxSide, dur, size), false, nil
}

func (l *Library) posterFrame(ctx context.Context, path string, dur time.Duration, maxSide int, lim imagehash.DecodeLimits) (image.Image, error) {
	release, err := l.externalSlot(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	at := "1"
	if dur > 0 && dur < 2*time.Second {
		at = "0"
	}
	scale := fmt.Sprintf("scale='min(%d,iw)':-2", maxSide)
	png, err := runTool(ctx, videoTool, "-nostdin", "-v", "error", "-ss", at, "-i", path,
		"-frames:v", "1", "-vf", scale, "-f", "image2pipe", "-vcodec", "png", "-")
	if err != nil {
		return nil, err
	}
	if len(png) == 0 {
		return nil, fmt.Errorf("%s found no frame", videoTool)
	}
	return imagehash.ThumbnailContext(ctx, png, "image/png", 1, maxSide, lim)
}

// videoDuration reads a video's length from its mvhd (0 when unknown).
func videoDuration(path string, size int64) time.Duration {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	return meta.Read(f, size, "video/mp4").Duration
}

// VideoLabel is what a video's placeholder says: its length and size
// ("1:15 · 3.4 MB"; "video · 3.4 MB" when the length is unknown).
func VideoLabel(d time.Duration, size int64) string {
	if d <= 0 {
		return "video · " + media.SizeText(size)
	}
	s := int64(d.Round(time.Second) / time.Second)
	length := fmt.Sprintf("%d:%02d", s/60, s%60)
	if s >= 3600 {
		length = fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return length + " · " + media.SizeText(size)
}

// VideoPlaceholder is the card shown for a video with no frame to show: a
// dark 4:3 picture with a play sign and VideoLabel.
func VideoPlaceholder(maxSide int, d time.Duration, size int64) image.Image {
	w := max(maxSide, 64)
	h := w * 3 / 4
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.RGBA{0x2b, 0x30, 0x3a, 0xff}), image.Point{}, draw.Src)
	// The play sign: a triangle a third of the height, centred above the text.
	light := color.RGBA{0xe8, 0xea, 0xee, 0xff}
	side := h / 3
	cx, cy := w/2, h/2-h/6
	for y := -side / 2; y <= side/2; y++ {
		reach := (side / 2) - absInt(y) // the triangle narrows to its point
		for x := -side / 3; x <= -side/3+reach*2*side/3/max(side/2, 1); x++ {
			img.Set(cx+x, cy+y, light)
		}
	}
	// basicfont has no "·" and is small: each part on a line of its own,
	// drawn at twice its size where the card is large enough.
	lines := strings.Split(VideoLabel(d, size), " · ")
	zoom := 1
	if w >= 240 {
		zoom = 2
	}
	face := basicfont.Face7x13
	y := cy + side/2 + 6
	for _, line := range lines {
		tw := font.MeasureString(face, line).Ceil()
		small := image.NewRGBA(image.Rect(0, 0, tw, 13))
		dr := &font.Drawer{Dst: small, Src: image.NewUniform(light), Face: face, Dot: fixed.P(0, 10)}
		dr.DrawString(line)
		at := image.Rect((w-tw*zoom)/2, y, (w+tw*zoom)/2, y+13*zoom)
		xdraw.NearestNeighbor.Scale(img, at, small, small.Bounds(), xdraw.Over, nil)
		y += 14 * zoom
	}
	return img
}

func absInt(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
