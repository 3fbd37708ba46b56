package trash

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
	"unicode/utf16"
)

// RecycledItem is what a Windows Recycle Bin $I file records about the
// $R file beside it.
type RecycledItem struct {
	Version uint64
	Size    uint64
	Deleted time.Time
	Path    string
}

// $I file layouts: an 8-byte version, 8-byte size and 8-byte FILETIME, then
// version 1 (Vista to 8.1) a fixed 260-character UTF-16 path, version 2
// (Windows 10 on) a 4-byte character count (with the NUL) and the path.
const (
	recycleHeader   = 24
	recycleV1Path   = 520
	filetimeToUnix  = 116444736000000000 // 100 ns ticks from 1601 to 1970
	maxRecycleChars = 32768
)

// ParseRecycleBinInfo reads a $I record. It is a pure function over bytes so
// that it is tested on every system.
func ParseRecycleBinInfo(b []byte) (RecycledItem, error) {
	if len(b) < recycleHeader {
		return RecycledItem{}, fmt.Errorf("recycle bin record of %d bytes is shorter than its header", len(b))
	}
	le := binary.LittleEndian
	it := RecycledItem{
		Version: le.Uint64(b[0:8]),
		Size:    le.Uint64(b[8:16]),
		Deleted: filetime(le.Uint64(b[16:24])),
	}
	var units []byte
	switch it.Version {
	case 1:
		if len(b) < recycleHeader+recycleV1Path {
			return it, fmt.Errorf("version 1 recycle bin record of %d bytes is cut short", len(b))
		}
		units = b[recycleHeader : recycleHeader+recycleV1Path]
	case 2:
		if len(b) < recycleHeader+4 {
			return it, errors.New("version 2 recycle bin record has no path length")
		}
		n := int(le.Uint32(b[recycleHeader : recycleHeader+4]))
		if n > maxRecycleChars || len(b) < recycleHeader+4+2*n {
			return it, fmt.Errorf("version 2 recycle bin record says %d characters but holds fewer", n)
		}
		units = b[recycleHeader+4 : recycleHeader+4+2*n]
	default:
		return it, fmt.Errorf("recycle bin record version %d is not one Shoebox reads", it.Version)
	}
	u := make([]uint16, 0, len(units)/2)
	for i := 0; i+1 < len(units); i += 2 {
		c := le.Uint16(units[i:])
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	it.Path = string(utf16.Decode(u))
	if it.Path == "" {
		return it, errors.New("recycle bin record has an empty path")
	}
	return it, nil
}

// filetime converts Windows' 100 ns ticks since 1601 (UTC) to a time.
func filetime(ft uint64) time.Time {
	ticks := int64(ft) - filetimeToUnix
	return time.Unix(ticks/1e7, (ticks%1e7)*100).UTC()
}
