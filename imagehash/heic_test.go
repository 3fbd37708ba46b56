package imagehash

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"shoebox/internal/testimg"
)

// lookAlikeDistance is near.DefaultDistance: the largest pHash distance of
// two look-alikes.
const lookAlikeDistance = 8

func needHEIFTool(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath(HEIFTool); err != nil {
		t.Skip("heif-convert (libheif-examples) is not installed")
	}
}

func heicSource(b []byte) HEIFSource { return HEIFSource{R: bytes.NewReader(b), Size: int64(len(b))} }

// The embedded thumbnail is found and decoded at its own size; the size
// reported is the whole picture's.
func TestHEICThumbnailDecodedAtItsSize(t *testing.T) {
	needHEIFTool(t)
	b, err := os.ReadFile(filepath.Join("..", "meta", "testdata", "thumb.heic")) // 640x480, thumbnail 320x240
	if err != nil {
		t.Fatal(err)
	}
	img, err := DecodeHEIF(context.Background(), heicSource(b), hashSide, DecodeLimits{})
	if err != nil {
		t.Fatal(err)
	}
	if !img.FromThumbnail || img.Image.Bounds().Dx() != 320 || img.Image.Bounds().Dy() != 240 {
		t.Errorf("decoded %v (thumbnail %v), want the 320x240 thumbnail", img.Image.Bounds(), img.FromThumbnail)
	}
	if img.Width != 640 || img.Height != 480 {
		t.Errorf("picture %dx%d, want 640x480", img.Width, img.Height)
	}
	h, err := HashImage(context.Background(), b, "image/heic", 6, DecodeLimits{})
	if err != nil {
		t.Fatal(err)
	}
	// The EXIF orientation is not applied to HEIF: heif-convert applied the file's own.
	if h.Width != 640 || h.Height != 480 {
		t.Errorf("hashed size %dx%d, want 640x480", h.Width, h.Height)
	}
	// A preview four times the thumbnail's size decodes the whole picture.
	big, err := DecodeHEIF(context.Background(), heicSource(b), 4*240, DecodeLimits{})
	if err != nil {
		t.Fatal(err)
	}
	if big.FromThumbnail || big.Image.Bounds().Dx() != 640 {
		t.Errorf("a large preview decoded %v (thumbnail %v), want the whole 640x480", big.Image.Bounds(), big.FromThumbnail)
	}
}

// A HEIC without a thumbnail is decoded whole, from the file on disk too.
func TestHEICWithoutThumbnailDecodesWhole(t *testing.T) {
	needHEIFTool(t)
	b := testimg.HEIC(t, testimg.Photo(t, "c.png"), 60, 0) // 384x256
	path := filepath.Join(t.TempDir(), "IMG_0001.HEIC")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := DecodeHEIF(context.Background(), HEIFSource{R: f, Size: int64(len(b)), Path: path}, hashSide, DecodeLimits{})
	if err != nil {
		t.Fatal(err)
	}
	if img.FromThumbnail || img.Width != 384 || img.Height != 256 || img.Image.Bounds().Dx() != 384 {
		t.Errorf("decoded %v, %dx%d (thumbnail %v); want the whole 384x256", img.Image.Bounds(), img.Width, img.Height, img.FromThumbnail)
	}
	th, err := ThumbnailHEIF(context.Background(), HEIFSource{R: f, Size: int64(len(b)), Path: path}, 96, DecodeLimits{})
	if err != nil || th.Bounds().Dx() != 96 || th.Bounds().Dy() != 64 {
		t.Errorf("thumbnail %v, %v; want 96x64", th, err)
	}
}

// Two encodings of one picture (quality 30 and 85, each hashed from its
// thumbnail) are look-alikes by pHash; a different picture is not.
func TestHEICLookAlikesByPixels(t *testing.T) {
	needHEIFTool(t)
	hash := func(picture []byte, q int) ImageHashes {
		t.Helper()
		h, err := HashImage(context.Background(), testimg.HEIC(t, picture, q, 320), "image/heic", 1, DecodeLimits{})
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	e := testimg.Photo(t, "a-444.jpg")
	low, high, other := hash(e, 30), hash(e, 85), hash(testimg.Photo(t, "c.png"), 85)
	t.Logf("pHash distances: same picture %d, different pictures %d",
		HammingDistance(low.PHash, high.PHash), HammingDistance(low.PHash, other.PHash))
	if d := HammingDistance(low.PHash, high.PHash); d > lookAlikeDistance {
		t.Errorf("the same picture at two qualities: pHash distance %d, want at most %d", d, lookAlikeDistance)
	}
	if d := HammingDistance(low.PHash, other.PHash); d <= lookAlikeDistance {
		t.Errorf("two different pictures: pHash distance %d, want more than %d", d, lookAlikeDistance)
	}
	if high.Width != 501 || high.Height != 313 {
		t.Errorf("size %dx%d, want 501x313", high.Width, high.Height)
	}
	// And it matches the JPEG it was made from.
	j, err := HashImage(context.Background(), e, "image/jpeg", 1, DecodeLimits{})
	if err != nil {
		t.Fatal(err)
	}
	if d := HammingDistance(j.PHash, high.PHash); d > lookAlikeDistance {
		t.Errorf("the HEIC and its JPEG: pHash distance %d, want at most %d", d, lookAlikeDistance)
	}
}

// A truncated or corrupt HEIC gives an error in words, not a hash and not ErrNotHashable.
func TestHEICDamaged(t *testing.T) {
	needHEIFTool(t)
	good := testimg.HEIC(t, testimg.Photo(t, "a-444.jpg"), 50, 320)
	// Every HEVC decoder configuration (hvcC: the parameter sets) scrambled:
	// neither the thumbnail nor the picture can be decoded.
	corrupt := bytes.Clone(good)
	for at := 0; ; {
		i := bytes.Index(corrupt[at:], []byte("hvcC"))
		if i < 0 {
			break
		}
		at += i + 4
		for k := at + 23; k < at+60 && k < len(corrupt); k++ {
			corrupt[k] ^= 0xa5
		}
	}
	for name, b := range map[string][]byte{
		"truncated to half": good[:len(good)/2],
		"truncated in meta": good[:200],
		"corrupt hvcC":      corrupt,
	} {
		_, err := HashImage(context.Background(), b, "image/heic", 1, DecodeLimits{})
		if err == nil {
			t.Errorf("%s: hashed", name)
			continue
		}
		t.Logf("%s: %v", name, err)
		if errors.Is(err, ErrNotHashable) || !strings.Contains(err.Error(), "HEIF") {
			t.Errorf("%s: %v, want an error naming the damage", name, err)
		}
	}
}

// Without heif-convert, a HEIC is not hashable (a note, not an error).
func TestHEICWithoutHeifConvert(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "meta", "testdata", "thumb.heic"))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", t.TempDir())
	_, err = HashImage(context.Background(), b, "image/heic", 1, DecodeLimits{})
	if !errors.Is(err, ErrNotHashable) || !strings.Contains(err.Error(), "heif-convert") {
		t.Errorf("%v, want ErrNotHashable naming heif-convert", err)
	}
}
