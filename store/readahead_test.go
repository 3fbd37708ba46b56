package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// The read ahead reads the whole file, and stops as soon as it is asked.
func TestReadAheadReadsTheFileAndStopsWhenAsked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "library.db")
	data := make([]byte, 3*readAheadChunk+12345)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	n, err := readFileAhead(context.Background(), path)
	if err != nil || n != int64(len(data)) {
		t.Fatalf("read %d of %d bytes: %v", n, len(data), err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if n, err := readFileAhead(ctx, path); !errors.Is(err, context.Canceled) || n != 0 {
		t.Errorf("stopped before it began: read %d bytes, %v", n, err)
	}
	if _, err := readFileAhead(context.Background(), filepath.Join(t.TempDir(), "none.db")); err == nil {
		t.Error("a missing file read ahead without an error")
	}
}
