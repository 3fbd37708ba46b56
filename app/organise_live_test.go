package app

import (
	"path/filepath"
	"strings"
	"testing"

	"shoebox/store"
)

// A Live Photo's still and video that carry one content identifier are filed
// with one stem, whatever their names and folders; two files of one stem
// whose identifiers differ are two shots, each filed by its own date; where
// either has no identifier the stem pairs them.
func TestOrganiseLivePhotosByContentID(t *testing.T) {
	lib, src := organiseFolder(t, map[string]string{
		// One Live Photo, its video renamed and sorted into another folder.
		"DCIM/100APPLE/IMG_0001.HEIC": "2019-06-03T10:15:00 HIGH cid=AAAA-0001\nstill",
		"DCIM/100APPLE/IMG_0001.AAE":  "edits",
		"exports/Live video 17.mov":   "2019-09-01T08:00:00 HIGH cid=AAAA-0001\nvideo",
		// The same stem, two Live Photos.
		"DCIM/100APPLE/IMG_0002.HEIC": "2019-06-03T11:00:00 HIGH cid=BBBB-0002\nstill 2",
		"DCIM/100APPLE/IMG_0002.MOV":  "2019-07-04T09:00:00 HIGH cid=CCCC-0003\nanother Live Photo's video",
		// No identifier on the video: paired by stem.
		"DCIM/100APPLE/IMG_0003.JPG": "2019-06-05T10:00:00 HIGH cid=DDDD-0004\nstill 3",
		"DCIM/100APPLE/IMG_0003.MOV": "2019-08-01T10:00:00 MEDIUM\nvideo without identifier",
	})
	dest := filepath.Join(t.TempDir(), "Library")
	_, entries := organise(t, lib, OrganiseOptions{Dest: dest})
	got := bySource(t, src, entries)
	for rel, want := range map[string]string{
		"DCIM/100APPLE/IMG_0001.HEIC": "2019/06/IMG_0001.HEIC",
		"DCIM/100APPLE/IMG_0001.AAE":  "2019/06/IMG_0001.AAE",
		"exports/Live video 17.mov":   "2019/06/IMG_0001.mov",
		"DCIM/100APPLE/IMG_0002.HEIC": "2019/06/IMG_0002.HEIC",
		"DCIM/100APPLE/IMG_0002.MOV":  "2019/07/IMG_0002.MOV",
		"DCIM/100APPLE/IMG_0003.JPG":  "2019/06/IMG_0003.JPG",
		"DCIM/100APPLE/IMG_0003.MOV":  "2019/06/IMG_0003.MOV",
	} {
		if e := got[rel]; e.Fate != store.FateFiled || destRel(dest, e) != want {
			t.Errorf("%s: %s at %q, want filed at %s", rel, e.Fate, destRel(dest, e), want)
		}
	}
	checkFiledBytes(t, entries)
	if !SafeToWipe(entries) {
		t.Error("every file was filed, yet the source is not safe to wipe")
	}
}

// An identifier pairs within one source only; and when the Live Photo's
// name is taken in the library, the video in its other folder takes the
// same suffixed stem as the still.
func TestOrganiseLivePhotosWithinOneSourceAndSuffixed(t *testing.T) {
	lib, src := organiseFolder(t, map[string]string{
		"a/IMG_0005.HEIC":  "2019-06-03T10:15:00 HIGH cid=EEEE-0005\nstill 5",
		"b/IMG_0005x.MOV":  "2019-06-03T10:15:00 HIGH cid=EEEE-0005\nvideo 5",
		"a/IMG_0006.HEIC":  "2019-06-04T10:15:00 HIGH cid=FFFF-0006\nstill 6",
		"b/IMG_0005x.json": `{"takeout": 5}`,
	})
	other := t.TempDir()
	writeTree(t, other, map[string]string{"clip.mov": "2019-10-01T10:00:00 HIGH cid=FFFF-0006\nvideo 6 on another card"})
	scanInto(t, lib, other)
	dest := filepath.Join(t.TempDir(), "Library")
	writeTree(t, dest, map[string]string{"2019/06/IMG_0005.HEIC": "someone else's picture"})
	_, entries := organise(t, lib, OrganiseOptions{Dest: dest})
	got := bySource(t, filepath.Dir(src), entries)
	base := filepath.Base(src) + "/"
	still := destRel(dest, got[base+"a/IMG_0005.HEIC"])
	if !strings.HasPrefix(still, "2019/06/IMG_0005-") || !strings.HasSuffix(still, ".HEIC") {
		t.Fatalf("the Live Photo went to %q", still)
	}
	stem := strings.TrimSuffix(still, ".HEIC")
	for rel, want := range map[string]string{base + "b/IMG_0005x.MOV": stem + ".MOV", base + "b/IMG_0005x.json": stem + ".json"} {
		if r := destRel(dest, got[rel]); r != want {
			t.Errorf("%s went to %q, want %s", rel, r, want)
		}
	}
	if r := destRel(dest, got[filepath.Base(other)+"/clip.mov"]); r != "2019/10/clip.mov" {
		t.Errorf("a video of another source was paired: it went to %q", r)
	}
	checkFiledBytes(t, entries)
}
