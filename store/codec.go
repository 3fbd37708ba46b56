package store

import (
	"encoding/json"
	"errors"

	"shoebox/processing"
)

// A file record is stored as a two-byte header (status, flags) followed by
// its JSON, so counting a job's files or finding its pending ones reads one
// byte per file instead of decoding every record.

const flagReused = 1

var statusCodes = map[processing.Status]byte{
	processing.StatusPending: 'p',
	processing.StatusDone:    'd',
	processing.StatusError:   'e',
	processing.StatusSkipped: 's',
}

var codeStatus = map[byte]processing.Status{'p': processing.StatusPending, 'd': processing.StatusDone, 'e': processing.StatusError, 's': processing.StatusSkipped}

var errBadHeader = errors.New("bad record header")

func encodeFile(r *FileRecord) ([]byte, error) {
	code, ok := statusCodes[r.Status]
	if !ok {
		return nil, errors.New("unknown file status " + string(r.Status))
	}
	body, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	var flags byte
	if r.Reused {
		flags |= flagReused
	}
	return append([]byte{code, flags}, body...), nil
}

func fileHeader(v []byte) (processing.Status, bool, error) {
	if len(v) < 2 {
		return "", false, errBadHeader
	}
	st, ok := codeStatus[v[0]]
	if !ok {
		return "", false, errBadHeader
	}
	return st, v[1]&flagReused != 0, nil
}

// decodeFile reads a record; json.Unmarshal copies out of bbolt's memory map.
func decodeFile(v []byte, r *FileRecord) error {
	if _, _, err := fileHeader(v); err != nil {
		return err
	}
	return json.Unmarshal(v[2:], r)
}
