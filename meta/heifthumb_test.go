package meta

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// thumbFixture is testdata/thumb.heic: a 640x480 picture with a 320x240
// thumbnail item, as heif-enc writes it (see writeThumbFixture).
const thumbFixture = "thumb.heic"

// checkerImage is the picture of thumb.heic: colour ramps under a 80-pixel
// checkerboard of light and dark green.
func checkerImage(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			g := uint8(40)
			if (x/80+y/80)%2 == 0 {
				g = 200
			}
			img.Set(x, y, color.RGBA{uint8(x / 3), g, uint8(y / 2), 255})
		}
	}
	return img
}

// writeThumbFixture makes thumb.heic with heif-enc (TestGenerateMetaFixtures).
func writeThumbFixture(t *testing.T, dir string) {
	tmp := t.TempDir()
	var b bytes.Buffer
	if err := png.Encode(&b, checkerImage(640, 480)); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(tmp, "in.png")
	if err := os.WriteFile(in, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("heif-enc", "-q", "20", "-t", "320", "-o", filepath.Join(dir, thumbFixture), in).CombinedOutput(); err != nil {
		t.Fatalf("heif-enc: %v\n%s", err, out)
	}
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The thumbnail item is found, with both sizes, and rewritten as a HEIC of
// its own: that file's primary image is the thumbnail and it has none.
func TestHEIFThumbnailFound(t *testing.T) {
	p, err := HEIFThumbnail(bytes.NewReader(readFixture(t, thumbFixture)), int64(len(readFixture(t, thumbFixture))))
	if err != nil {
		t.Fatal(err)
	}
	if p.Width != 640 || p.Height != 480 || p.ThumbWidth != 320 || p.ThumbHeight != 240 {
		t.Fatalf("sizes %dx%d, thumbnail %dx%d; want 640x480 and 320x240", p.Width, p.Height, p.ThumbWidth, p.ThumbHeight)
	}
	if len(p.Thumbnail) == 0 || len(p.Thumbnail) > 2000 {
		t.Fatalf("thumbnail file of %d bytes", len(p.Thumbnail))
	}
	again, err := HEIFThumbnail(bytes.NewReader(p.Thumbnail), int64(len(p.Thumbnail)))
	if !errors.Is(err, ErrNoHEIFThumbnail) {
		t.Fatalf("the rewritten file: %v, want no thumbnail of its own", err)
	}
	if again.Width != 320 || again.Height != 240 {
		t.Errorf("the rewritten file's primary is %dx%d, want 320x240", again.Width, again.Height)
	}
	// What the file says of itself (its brand, its Exif-less meta) reads cleanly.
	md := Read(bytes.NewReader(p.Thumbnail), int64(len(p.Thumbnail)), "image/heic")
	if len(md.Problems) > 0 {
		t.Errorf("the rewritten file reads with problems: %v", md.Problems)
	}
	if conv, err := exec.LookPath("heif-convert"); err == nil {
		// libheif itself accepts the file and decodes a 320x240 picture.
		dir := t.TempDir()
		in, out := filepath.Join(dir, "t.heic"), filepath.Join(dir, "t.png")
		if err := os.WriteFile(in, p.Thumbnail, 0o644); err != nil {
			t.Fatal(err)
		}
		if msg, err := exec.Command(conv, "--quiet", in, out).CombinedOutput(); err != nil {
			t.Fatalf("heif-convert refuses the rewritten file: %v\n%s", err, msg)
		}
		f, err := os.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		cfg, err := png.DecodeConfig(f)
		if err != nil || cfg.Width != 320 || cfg.Height != 240 {
			t.Errorf("decoded thumbnail %dx%d (%v), want 320x240", cfg.Width, cfg.Height, err)
		}
	}
}

// A HEIC without a thumbnail says so (not damage) and still gives its size.
func TestHEIFThumbnailNone(t *testing.T) {
	b := readFixture(t, "sample.heic")
	p, err := HEIFThumbnail(bytes.NewReader(b), int64(len(b)))
	if !errors.Is(err, ErrNoHEIFThumbnail) || p.Thumbnail != nil {
		t.Fatalf("%v, %d bytes; want ErrNoHEIFThumbnail", err, len(p.Thumbnail))
	}
	if p.Width != 8 || p.Height != 8 {
		t.Errorf("primary %dx%d, want 8x8", p.Width, p.Height)
	}
}

// Damage gives a sentence, never a panic or a thumbnail read from nowhere.
func TestHEIFThumbnailDamaged(t *testing.T) {
	good := readFixture(t, thumbFixture)
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"truncated in the data", good[:len(good)-200], "truncated"},
		{"truncated in the meta box", good[:300], "HEIF"},
		{"empty", nil, "no meta box"},
		{"a JPEG", []byte("\xff\xd8\xff\xe0 not HEIF at all"), "HEIF"},
	} {
		_, err := HEIFThumbnail(bytes.NewReader(c.data), int64(len(c.data)))
		if err == nil || errors.Is(err, ErrNoHEIFThumbnail) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error saying %q", c.name, err, c.want)
		}
	}
	// A thumbnail claiming more than MaxHEIFThumbnailBytes is refused unread.
	big := bigThumbnail(t, good)
	_, err := HEIFThumbnail(bytes.NewReader(big), int64(len(big)))
	if err == nil || !strings.Contains(err.Error(), "refused") {
		t.Errorf("a 16 MiB thumbnail: %v, want it refused", err)
	}
}

// bigThumbnail rewrites the fixture's iloc so that the thumbnail (the item
// other than the primary, 1) claims 16 MiB.
func bigThumbnail(t *testing.T, good []byte) []byte {
	b := bytes.Clone(good)
	i := bytes.Index(b, []byte("iloc"))
	if i < 0 {
		t.Fatal("fixture has no iloc")
	}
	// heif-enc writes iloc version 0 with 4-byte offsets, lengths and base
	// offsets: entries of item_ID, data_reference_index, base_offset,
	// extent_count, then each extent's offset and length.
	body := b[i+4:]
	if body[4] != 0x44 || body[5]>>4 != 4 {
		t.Fatalf("fixture's iloc field sizes %x %x, want 44 4x", body[4], body[5])
	}
	n := int(beU16(body[6:8]))
	p := 8
	for k := 0; k < n; k++ {
		id, count := beU16(body[p:]), int(beU16(body[p+8:]))
		if id != 1 {
			copy(body[p+10+4:], []byte{1, 0, 0, 0}) // the first extent's length
			return b
		}
		p += 10 + 8*count
	}
	t.Fatal("fixture has no thumbnail item")
	return nil
}

func FuzzHEIFThumbnail(f *testing.F) {
	addFixtureSeeds(f, thumbFixture, "sample.heic")
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := HEIFThumbnail(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			if p.Thumbnail != nil || err.Error() == "" {
				t.Fatalf("error %q with a %d-byte thumbnail", err, len(p.Thumbnail))
			}
			return
		}
		if len(p.Thumbnail) > MaxHEIFThumbnailBytes+maxMetaBoxRead {
			t.Fatalf("thumbnail file of %d bytes", len(p.Thumbnail))
		}
		// The rewritten file parses, as a primary without a thumbnail of the thumbnail's size.
		again, err := HEIFThumbnail(bytes.NewReader(p.Thumbnail), int64(len(p.Thumbnail)))
		if !errors.Is(err, ErrNoHEIFThumbnail) || again.Width != p.ThumbWidth || again.Height != p.ThumbHeight {
			t.Fatalf("rewritten file: %v, %dx%d, want no thumbnail and %dx%d", err, again.Width, again.Height, p.ThumbWidth, p.ThumbHeight)
		}
	})
}
