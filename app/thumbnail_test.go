package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"shoebox/media"
	"shoebox/store"
)

// thumbFile writes data under dir and returns its record as a scan would
// store it (content hash, size, MIME).
func thumbFile(t *testing.T, dir, name, mime string, data []byte) store.FileRecord {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return store.FileRecord{Root: dir, RelPath: name, MIME: mime, Size: int64(len(data)),
		SHA256: hex.EncodeToString(sum[:]), Status: media.StatusDone}
}

// halves is a w x h picture, red on the left half and blue on the right.
func halves(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{220, 20, 20, 255}
			if x >= w/2 {
				c = color.RGBA{20, 20, 220, 255}
			}
			img.Set(x, y, c)
		}
	}
	return img
}

func jpegOf(t *testing.T, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func thumbLibrary(t *testing.T, opt ThumbnailOptions) *Library {
	t.Helper()
	return openChangeLibrary(t, filepath.Join(t.TempDir(), "library.db"), LibraryOptions{Thumbnails: opt})
}

// A thumbnail made once is read from the disk cache afterwards, by another
// library process too: proven by removing the file it was made from.
func TestThumbnailSecondReadHitsTheDiskCache(t *testing.T) {
	cache, src := t.TempDir(), t.TempDir()
	rec := thumbFile(t, src, "a.jpg", "image/jpeg", jpegOf(t, halves(640, 480)))
	first, err := thumbLibrary(t, ThumbnailOptions{Dir: cache}).Thumbnail(rec, 160)
	if err != nil {
		t.Fatal(err)
	}
	if b := first.Bounds(); b.Dx() != 160 || b.Dy() != 120 {
		t.Fatalf("thumbnail %v, want 160x120", b)
	}
	if err := os.Remove(filepath.Join(src, "a.jpg")); err != nil {
		t.Fatal(err)
	}
	again, err := thumbLibrary(t, ThumbnailOptions{Dir: cache}).Thumbnail(rec, 160)
	if err != nil {
		t.Fatalf("second read did not come from the cache: %v", err)
	}
	if b := again.Bounds(); b.Dx() != 160 || b.Dy() != 120 {
		t.Errorf("cached thumbnail %v, want 160x120", b)
	}
	if r, _, b, _ := again.At(10, 60).RGBA(); r>>8 < 150 || b>>8 > 100 {
		t.Errorf("cached thumbnail's left half is not red: r=%d b=%d", r>>8, b>>8)
	}
}

// The disk cache stays within its bound: the thumbnails used longest ago go
// first, the newest stays.
func TestThumbnailCacheEvictsTheOldest(t *testing.T) {
	cache, src := t.TempDir(), t.TempDir()
	const bound = 12 << 10
	lib := thumbLibrary(t, ThumbnailOptions{Dir: cache, DiskBytes: bound})
	var recs []store.FileRecord
	for i := range 12 {
		img := image.NewRGBA(image.Rect(0, 0, 320, 240))
		for p := range img.Pix { // noise, so each JPEG is a few kB
			img.Pix[p] = byte((p*7919 + i*104729) % 251)
		}
		rec := thumbFile(t, src, filepath.Base(t.Name())+string(rune('a'+i))+".jpg", "image/jpeg", jpegOf(t, img))
		if _, err := lib.Thumbnail(rec, 160); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, rec)
		// Distinct times of use, whatever the clock's resolution.
		used := time.Now().Add(time.Duration(i-20) * time.Second)
		_ = os.Chtimes(lib.thumbs.path(thumbKey(rec.SHA256, rec.Size, 160)), used, used)
	}
	if n := dirBytes(cache); n > bound {
		t.Errorf("cache holds %d bytes, bound %d", n, bound)
	}
	has := func(r store.FileRecord) bool {
		_, err := os.Stat(lib.thumbs.path(thumbKey(r.SHA256, r.Size, 160)))
		return err == nil
	}
	if !has(recs[len(recs)-1]) || has(recs[0]) {
		t.Errorf("newest kept %v, oldest kept %v: want the newest only", has(recs[len(recs)-1]), has(recs[0]))
	}
}

// A HEIC (made here from a PNG by heif-enc) is previewed through
// heif-convert with its colours in place; without heif-convert the error
// says what to install.
func TestThumbnailOfAHEIC(t *testing.T) {
	enc, err := exec.LookPath("heif-enc")
	if err != nil {
		t.Skip("heif-enc (libheif-examples) is not installed, so no HEIC can be made for this test")
	}
	dir := t.TempDir()
	var b bytes.Buffer
	if err := png.Encode(&b, halves(256, 192)); err != nil {
		t.Fatal(err)
	}
	in, out := filepath.Join(dir, "in.png"), filepath.Join(dir, "IMG_0001.HEIC")
	if err := os.WriteFile(in, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command(enc, "-q", "80", "-o", out, in).CombinedOutput(); err != nil {
		t.Fatalf("heif-enc: %v: %s", err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	rec := thumbFile(t, dir, "IMG_0001.HEIC", "image/heic", data)
	if _, err := exec.LookPath(heifTool); err != nil {
		_, err := thumbLibrary(t, ThumbnailOptions{DiskBytes: -1}).Thumbnail(rec, 128)
		if err == nil || !strings.Contains(err.Error(), "heif-convert") {
			t.Fatalf("without heif-convert: %v, want a sentence naming it", err)
		}
		t.Skip("heif-convert is not installed: only the message was checked")
	}
	img, err := thumbLibrary(t, ThumbnailOptions{DiskBytes: -1}).Thumbnail(rec, 128)
	if err != nil {
		t.Fatal(err)
	}
	if bd := img.Bounds(); bd.Dx() != 128 || bd.Dy() != 96 {
		t.Fatalf("HEIC thumbnail %v, want 128x96", bd)
	}
	lr, _, lb, _ := img.At(16, 48).RGBA()
	rr, _, rb, _ := img.At(112, 48).RGBA()
	if lr>>8 < 150 || lb>>8 > 100 || rb>>8 < 150 || rr>>8 > 100 {
		t.Errorf("HEIC thumbnail colours: left r=%d b=%d, right r=%d b=%d", lr>>8, lb>>8, rr>>8, rb>>8)
	}
	t.Setenv("PATH", t.TempDir()) // heif-convert gone
	_, err = thumbLibrary(t, ThumbnailOptions{DiskBytes: -1}).Thumbnail(rec, 128)
	if err == nil || !strings.Contains(err.Error(), "heif-convert") {
		t.Errorf("without heif-convert: %v, want a sentence naming it", err)
	}
}

// mp4Box is an ISO BMFF box.
func mp4Box(typ string, body ...[]byte) []byte {
	n := 8
	for _, b := range body {
		n += len(b)
	}
	out := binary.BigEndian.AppendUint32(nil, uint32(n))
	out = append(out, typ...)
	for _, b := range body {
		out = append(out, b...)
	}
	return out
}

// handMadeMP4 is an MP4 with no frames: ftyp and a moov whose mvhd says
// 75 s (75000 units of 1/1000 s).
func handMadeMP4() []byte {
	mvhd := make([]byte, 100)
	binary.BigEndian.PutUint32(mvhd[4:], 3786220800) // created 2023-12-24
	binary.BigEndian.PutUint32(mvhd[8:], 3786220800)
	binary.BigEndian.PutUint32(mvhd[12:], 1000)
	binary.BigEndian.PutUint32(mvhd[16:], 75000)
	binary.BigEndian.PutUint32(mvhd[20:], 0x00010000)
	ftyp := mp4Box("ftyp", []byte("isom"), []byte{0, 0, 2, 0}, []byte("isomiso2mp41"))
	return append(ftyp, mp4Box("moov", mp4Box("mvhd", mvhd))...)
}

// A video with no frame to show (no ffmpeg, or none it can read) gets the
// placeholder with its length and size, which is not cached: it must give
// way to a real frame once ffmpeg is installed.
func TestVideoPlaceholderSaysLengthAndSize(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	rec := thumbFile(t, dir, "clip.mp4", "video/mp4", handMadeMP4())
	img, err := thumbLibrary(t, ThumbnailOptions{Dir: cache}).Thumbnail(rec, 200)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 200 || b.Dy() != 150 {
		t.Errorf("placeholder %v, want 200x150", b)
	}
	if n := dirBytes(cache); n != 0 {
		t.Errorf("the placeholder was cached on disk (%d bytes)", n)
	}
	want := "1:15 · " + media.SizeText(rec.Size)
	if got := VideoLabel(videoDuration(filepath.Join(dir, "clip.mp4"), rec.Size), rec.Size); got != want {
		t.Errorf("label %q, want %q", got, want)
	}
	if got := VideoLabel(0, 3_400_000); got != "video · 3.4 MB" {
		t.Errorf("label without a length %q", got)
	}
}

// The cache lives beside the library under the library's name, so a scan
// of the folder that holds the library does not list the cached pictures.
func TestThumbnailCacheIsNotScanned(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "library.db")
	rec := thumbFile(t, dir, "a.jpg", "image/jpeg", jpegOf(t, halves(640, 480)))
	lib := openChangeLibrary(t, db, LibraryOptions{})
	if _, err := lib.Thumbnail(rec, 160); err != nil {
		t.Fatal(err)
	}
	lib.Close()
	cached := cachedFiles(db + "-thumbnails")
	if len(cached) != 1 {
		t.Fatalf("%d thumbnails cached beside the library, want 1", len(cached))
	}
	if code, _, stderr := runCLI(t, "scan", "--db", db, dir); code != ExitCompleted {
		t.Fatalf("scan exit %d: %s", code, stderr)
	}
	code, out, _ := runCLI(t, "report", "--db", db)
	if code != 0 || strings.Count(out, "\n") != 1 || !strings.Contains(out, `"path":"a.jpg"`) {
		t.Errorf("the scan listed more than a.jpg:\n%s", out)
	}
}
