package store

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"shoebox/media"
)

// The content identifier travels from the analysis into the record and back
// out of its encoding; records written before it existed decode without one.
func TestContentIDIsKeptAndOptional(t *testing.T) {
	r := rec(1, 0, "DCIM/IMG_0001.HEIC", media.StatusPending, "")
	r.ApplyResult(media.Result{Status: media.StatusDone, ContentID: "8C3F1D2A-6B7E-4C55-9A0B-1D2E3F405162"}, time.Now())
	j, err := marshalFile(&r)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(j, []byte(`"content_id":"8C3F1D2A-6B7E-4C55-9A0B-1D2E3F405162"`)) {
		t.Errorf("the record does not carry content_id: %s", j[2:])
	}
	v, err := encodeFile(&r)
	if err != nil {
		t.Fatal(err)
	}
	var back FileRecord
	if err := decodeFile(r.Key(), v, &back); err != nil || back.ContentID != r.ContentID {
		t.Fatalf("decoded %q (%v), want %q", back.ContentID, err, r.ContentID)
	}

	plain := rec(1, 0, "DCIM/IMG_0002.JPG", media.StatusPending, "")
	plain.ApplyResult(media.Result{Status: media.StatusDone}, time.Now())
	v, err = marshalFile(&plain)
	if err != nil || strings.Contains(string(v), "content_id") {
		t.Errorf("a record without an identifier writes one (%v): %s", err, v)
	}
	old := []byte(`d` + "\x00" + `{"job":1,"root_index":0,"root":"/photos0","path":"a.jpg","size":3,"mtime_ns":1,"status":"done","sha256":"` + shaA + `","analysis":2,"camera":"Apple iPhone 12","time":{"Value":"","Time":"0001-01-01T00:00:00Z","ZoneKnown":false,"Source":"","Confidence":"NONE","Conflict":"","Candidates":null}}`)
	var o FileRecord
	if err := decodeFile(fileKey(1, 0, "a.jpg"), old, &o); err != nil || o.ContentID != "" || o.Camera != "Apple iPhone 12" || o.Status != media.StatusDone {
		t.Errorf("an old record reads back as %+v (%v)", o, err)
	}
}
