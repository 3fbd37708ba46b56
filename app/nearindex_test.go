package app

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"shoebox/media"
	"shoebox/store"
)

// nearFolder is a scanned folder with look-alikes (one picture saved at two
// qualities, and an exact copy), a real camera JPEG (a camera and an EXIF
// capture time) with a copy that differs after its image data, names that
// carry the time, distinct pictures and a text file; it is scanned twice,
// the second time after a file was added, so that the second scan is
// stored over the first. It returns the library's path.
func nearFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	iphone, err := os.ReadFile(filepath.Join("..", "exifdate", "testdata", "iphone4s_makernote.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"look/a.jpg": boldJPEG(t, 11, 90), "look/a-small.jpg": boldJPEG(t, 11, 40), "copy/a.jpg": boldJPEG(t, 11, 90),
		"IMG_20230922_134831.jpg": boldJPEG(t, 12, 90), "old/IMG_20230922_134831.jpg": boldJPEG(t, 12, 50),
		"phone/iphone.jpg": iphone, "phone/iphone-tail.jpg": append(append([]byte(nil), iphone...), 0),
		"Screenshot_20240101-101010.jpg": boldJPEG(t, 13, 90), "notes.txt": []byte("not a picture"),
	}
	for seed := 20; seed < 26; seed++ {
		files[filepath.Join("distinct", string(rune('a'+seed-20))+".jpg")] = boldJPEG(t, seed, 85)
	}
	write := func(files map[string][]byte) {
		for rel, data := range files {
			writeAt(t, dir, rel, data)
		}
	}
	db := filepath.Join(t.TempDir(), "library.db")
	write(files)
	for _, more := range []map[string][]byte{nil, {"look/a-again.jpg": boldJPEG(t, 11, 70)}} {
		write(more)
		if code, _, stderr := runCLI(t, "scan", "--db", db, dir, "--workers", "2"); code != ExitCompleted {
			t.Fatalf("scan exit %d: %s", code, stderr)
		}
	}
	return db
}

// The look-alike groups found from the index are those found from the
// records, evidence and all, for a full scan and for one stored over it;
// and what grouping reads of each file is the same from both.
func TestNearGroupsFromTheIndexAreThoseFromRecords(t *testing.T) {
	db := nearFolder(t)
	lib := openChangeLibrary(t, db, LibraryOptions{})
	jobs, err := lib.Jobs()
	if err != nil || len(jobs) != 2 {
		t.Fatalf("%d jobs, %v", len(jobs), err)
	}
	if jobs[1].Base == 0 && jobs[0].Base == 0 {
		t.Error("the rescan is stored whole: the view over a base is not tested")
	}
	for _, j := range jobs {
		var fromIndex, fromRecords nearSet
		err := lib.db.EachNearEntry(j.ID, func(e store.NearEntry) {
			if e.Done && (e.HasPHash || e.Image) {
				fromIndex.addEntry(&e)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		var camera, named int
		err = lib.db.EachFile(j.ID, func(f store.FileRecord) error {
			if f.Status == media.StatusDone && (f.HasPHash || strings.HasPrefix(f.MIME, "image/")) {
				fromRecords.addRecord(&f)
				if last := fromRecords.files[len(fromRecords.files)-1]; last.capture != 0 {
					camera++
				}
				if last := fromRecords.files[len(fromRecords.files)-1]; last.name != 0 {
					named++
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(fromIndex, fromRecords) || camera != 2 || named != 3 {
			t.Fatalf("job %d: what grouping reads differs (%d with a camera, %d with a time in the name):\n%+v\n%+v",
				j.ID, camera, named, fromIndex, fromRecords)
		}
		got, _, err := lib.nearGroupsOf(j.ID, DefaultNearDistance, nil)
		if err != nil {
			t.Fatal(err)
		}
		want, err := lib.nearGroupsOfRecords(j.ID, DefaultNearDistance)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) || len(got) < 3 {
			t.Fatalf("job %d: groups from the index\n%v\nfrom the records\n%v", j.ID, groupPaths(got), groupPaths(want))
		}
	}
}

// nearFolderGroups is nearFolder's library, closed, its latest scan and that
// scan's groups while nothing is damaged.
func nearFolderGroups(t *testing.T) (db string, j store.Job, whole Duplicates) {
	t.Helper()
	db = nearFolder(t)
	lib := openChangeLibrary(t, db, LibraryOptions{})
	defer lib.Close()
	j, err := lib.LatestJob()
	if err != nil {
		t.Fatal(err)
	}
	whole, err = lib.Duplicates(j.ID, -1)
	if err != nil || len(whole.Near) < 2 {
		t.Fatalf("%v, %v", groupPaths(whole.Near), err)
	}
	return db, j, whole
}

// A look-alike index entry that is damaged or missing does not change the
// groups (the file is read from its record) and is reported; a record that
// no longer decodes is left out of its group and reported.
func TestDamagedNearIndexIsReportedNotFatal(t *testing.T) {
	db, j, whole := nearFolderGroups(t)
	writeClosedLibrary(t, db, func(tx *bolt.Tx) error {
		ph, files := tx.Bucket([]byte("phash")), tx.Bucket([]byte("files"))
		c := ph.Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			switch {
			case strings.HasSuffix(string(k), "look/a-small.jpg"):
				if err := ph.Put(k, []byte{1, 2, 3}); err != nil {
					return err
				}
			case strings.HasSuffix(string(k), "IMG_20230922_134831.jpg") && !strings.Contains(string(k), "old/"):
				if err := c.Delete(); err != nil {
					return err
				}
			case strings.HasSuffix(string(k), "phone/iphone-tail.jpg"):
				if err := files.Put(k, brokenRecord); err != nil {
					return err
				}
			}
		}
		return nil
	})
	lib := openChangeLibrary(t, db, LibraryOptions{})
	got, err := lib.Duplicates(j.ID, -1)
	var d *store.DamagedRecords
	if !errors.As(err, &d) || d.Count != 3 {
		t.Fatalf("damage reported as %v", err)
	}
	var want []string
	for _, g := range groupPaths(whole.Near) {
		if !strings.Contains(g, "iphone") {
			want = append(want, g)
		}
	}
	if g := groupPaths(got.Near); !reflect.DeepEqual(g, want) {
		t.Errorf("groups after the damage\n%v\nwant\n%v", g, want)
	}
}

// A look-alike index entry missing, and nothing else wrong: the index alone
// finds one file fewer than the job counted, so the search reads the records
// instead (store.EachNearEntry); the groups are those of the whole index and
// the missing entry is reported.
func TestMissingNearEntrySearchesTheRecords(t *testing.T) {
	db, j, whole := nearFolderGroups(t)
	if !strings.Contains(strings.Join(groupPaths(whole.Near), " "), "old/IMG_20230922_134831.jpg") {
		t.Fatalf("no group holds the file whose entry goes: %v", groupPaths(whole.Near))
	}
	deleted := 0
	writeClosedLibrary(t, db, func(tx *bolt.Tx) error {
		c := tx.Bucket([]byte("phash")).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if strings.HasSuffix(string(k), "\x00IMG_20230922_134831.jpg") {
				deleted++
				if err := c.Delete(); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if deleted == 0 {
		t.Fatal("no look-alike index entry deleted")
	}
	lib := openChangeLibrary(t, db, LibraryOptions{})
	got, err := lib.Duplicates(j.ID, -1)
	var d *store.DamagedRecords
	if !errors.As(err, &d) || d.Count != 1 || !strings.Contains(d.First, "look-alike index entry") {
		t.Fatalf("damage reported as %v", err)
	}
	if g, w := groupPaths(got.Near), groupPaths(whole.Near); !reflect.DeepEqual(g, w) {
		t.Errorf("groups with an entry missing\n%v\nwant\n%v", g, w)
	}
}
