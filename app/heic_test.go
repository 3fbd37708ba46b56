package app

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"shoebox/imagehash"
	"shoebox/internal/testimg"
	"shoebox/media"
	"shoebox/store"
)

// Two HEIC encodings of one picture, with no camera, no date and unrelated
// names, are scanned into a look-alike group by their pixels; a HEIC of
// another picture stays out.
func TestHEICLookAlikesJoinByPixels(t *testing.T) {
	if _, err := exec.LookPath(imagehash.HEIFTool); err != nil {
		t.Skip("heif-convert (libheif-examples) is not installed")
	}
	dir := t.TempDir()
	picture := testimg.Photo(t, "a-444.jpg")
	for name, b := range map[string][]byte{
		"holiday.heic":      testimg.HEIC(t, picture, 30, 320),
		"copy for mum.HEIC": testimg.HEIC(t, picture, 85, 320),
		"garden.heic":       testimg.HEIC(t, testimg.Photo(t, "c.png"), 85, 320),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	lib := openTestLibrary(t, nil)
	j, st := runToEnd(t, lib, []string{dir}, Settings{})
	if st != store.StateCompleted {
		t.Fatal(st)
	}
	files, err := lib.Files(j.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !f.HasPHash || f.Camera != "" {
			t.Fatalf("%s: hash %v, camera %q, note %q, error %q; want a hash and no camera", f.RelPath, f.HasPHash, f.Camera, f.Note, f.Error)
		}
	}
	got := groupPaths(nearGroups(files, DefaultNearDistance))
	if len(got) != 1 || got[0] != "copy for mum.HEIC+holiday.heic" {
		t.Fatalf("groups %v, want [copy for mum.HEIC+holiday.heic]", got)
	}
}

// A rescan analyses again the HEIC records of analysis version 2 (when HEIC
// was not hashed) and those left unhashed for want of heif-convert once it
// is found, and reuses every other version-2 record.
func TestRescanRedoesOnlyUnhashedHEIC(t *testing.T) {
	rescanRedoes002And005(t, func(t *testing.T, files []store.FileRecord) []store.FileRecord {
		for i := range files {
			r := &files[i]
			r.Analysis = 2
			switch r.RelPath {
			case "002.jpg": // a HEIC analysed by version 2
				r.MIME = "image/heic"
			case "005.jpg": // a HEIC of version 3 scanned without heif-convert
				r.MIME, r.Analysis, r.Note = "image/heic", media.AnalysisVersion, "no perceptual hash: "+imagehash.ErrNoHEIFDecoder.Error()
			}
		}
		// A stand-in heif-convert on PATH: the fake analyser never runs it.
		bin := t.TempDir()
		if err := os.WriteFile(filepath.Join(bin, imagehash.HEIFTool), []byte("#!/bin/sh\nexit 1\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		t.Setenv("PATH", bin)
		return files
	})
}

// A HEIC's preview is its embedded thumbnail: proven by a file whose whole
// picture cannot be read (its data said to run past the end), which still
// previews, from the 320x240 thumbnail, while a preview too large for the
// thumbnail fails on the whole picture, in words.
func TestHEICPreviewUsesTheEmbeddedThumbnail(t *testing.T) {
	if _, err := exec.LookPath(imagehash.HEIFTool); err != nil {
		t.Skip("heif-convert (libheif-examples) is not installed")
	}
	b, err := os.ReadFile(filepath.Join("..", "meta", "testdata", "thumb.heic")) // 640x480, thumbnail 320x240
	if err != nil {
		t.Fatal(err)
	}
	rec := thumbFile(t, t.TempDir(), "IMG_0001.HEIC", "image/heic", primaryPastTheEnd(t, b))
	lib := thumbLibrary(t, ThumbnailOptions{DiskBytes: -1})
	img, err := lib.Thumbnail(rec, 352)
	if err != nil {
		t.Fatal(err)
	}
	if bd := img.Bounds(); bd.Dx() != 320 || bd.Dy() != 240 {
		t.Errorf("preview %v, want the 320x240 thumbnail", bd)
	}
	_, err = lib.Thumbnail(rec, 1024)
	if err == nil || !strings.Contains(err.Error(), "heif-convert could not read it") {
		t.Errorf("a 1024 preview of a damaged picture: %v, want heif-convert's complaint", err)
	}
}

// primaryPastTheEnd rewrites a heif-enc HEIC's iloc (version 0, 4-byte
// offsets, lengths and base offsets) so that item 1, the primary picture,
// claims 16 MiB: libheif then refuses the file, but not its thumbnail.
func primaryPastTheEnd(t *testing.T, good []byte) []byte {
	b := bytes.Clone(good)
	i := bytes.Index(b, []byte("iloc"))
	if i < 0 || b[i+8] != 0x44 || b[i+9]>>4 != 4 {
		t.Fatal("the fixture's iloc is not the version heif-enc writes")
	}
	body := b[i+4:]
	n := int(binary.BigEndian.Uint16(body[6:8]))
	for p, k := 8, 0; k < n; k++ {
		id, count := binary.BigEndian.Uint16(body[p:]), int(binary.BigEndian.Uint16(body[p+8:]))
		if id == 1 {
			binary.BigEndian.PutUint32(body[p+14:], 16<<20) // the first extent's length
			return b
		}
		p += 10 + 8*count
	}
	t.Fatal("the fixture has no item 1")
	return nil
}
