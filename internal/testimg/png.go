package testimg

import (
	"encoding/binary"
	"hash/crc32"
)

// PNGChunk is one PNG chunk: length, type, data and CRC, as a file holds it.
func PNGChunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}
