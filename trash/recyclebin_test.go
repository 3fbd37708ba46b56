package trash

import (
	"encoding/binary"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// recycleRecord builds a $I file as Windows writes it.
func recycleRecord(version, size uint64, deleted time.Time, path string) []byte {
	le := binary.LittleEndian
	b := le.AppendUint64(nil, version)
	b = le.AppendUint64(b, size)
	b = le.AppendUint64(b, uint64(deleted.UnixNano()/100+filetimeToUnix))
	u := append(utf16.Encode([]rune(path)), 0)
	if version == 2 {
		b = le.AppendUint32(b, uint32(len(u)))
	} else {
		u = append(u, make([]uint16, 260-len(u))...)
	}
	for _, c := range u {
		b = le.AppendUint16(b, c)
	}
	return b
}

func TestParseRecycleBinInfo(t *testing.T) {
	deleted := time.Date(2024, 2, 29, 23, 59, 58, 123456700, time.UTC)
	path := `C:\Users\Zoë\Pictures\IMG 𝄞 0001.jpg` // an accent and a surrogate pair
	for _, v := range []uint64{1, 2} {
		b := recycleRecord(v, 123456789, deleted, path)
		if v == 1 && len(b) != 544 {
			t.Fatalf("a version 1 record is 544 bytes, built %d", len(b))
		}
		it, err := ParseRecycleBinInfo(b)
		if err != nil {
			t.Fatalf("version %d: %v", v, err)
		}
		if it.Version != v || it.Size != 123456789 || it.Path != path || !it.Deleted.Equal(deleted) {
			t.Errorf("version %d parsed as %+v", v, it)
		}
	}
}

func TestParseRecycleBinInfoRefusesDamage(t *testing.T) {
	v2 := recycleRecord(2, 1, time.Now(), `C:\a.jpg`)
	v1 := recycleRecord(1, 1, time.Now(), `C:\a.jpg`)
	v3 := recycleRecord(2, 1, time.Now(), `C:\a.jpg`)
	v3[0] = 3
	lie := append([]byte(nil), v2...)
	binary.LittleEndian.PutUint32(lie[24:], 1000)
	for name, b := range map[string][]byte{
		"short header": v2[:10], "cut v2 path": v2[:len(v2)-4], "cut v1 path": v1[:300],
		"unknown version": v3, "count past the end": lie, "no count": v2[:26],
		"empty path": recycleRecord(2, 1, time.Now(), ""),
	} {
		if it, err := ParseRecycleBinInfo(b); err == nil {
			t.Errorf("%s: accepted as %+v", name, it)
		} else if strings.TrimSpace(err.Error()) == "" {
			t.Errorf("%s: an empty error", name)
		}
	}
}
