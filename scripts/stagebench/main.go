package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/gabriel-vasile/mimetype"

	"shoebox/imagehash"
	"shoebox/meta"
	"shoebox/timestamp"
)

type stage struct {
	name  string
	took  time.Duration
	files int
	bytes int64
	peak  uint64
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: stagebench DIR")
		os.Exit(2)
	}
	root := os.Args[1]
	var paths []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && !strings.HasSuffix(p, ".json") {
			paths = append(paths, p)
		}
		return nil
	})
	sort.Strings(paths)
	stages := map[string]*stage{}
	order := []string{"read", "sha256", "mime", "metadata", "image hash", "timestamp"}
	for _, n := range order {
		stages[n] = &stage{name: n}
	}
	timeIt := func(name string, size int64, fn func()) {
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		t := time.Now()
		fn()
		s := stages[name]
		s.took += time.Since(t)
		s.files++
		s.bytes += size
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		s.peak = max(s.peak, after.HeapAlloc)
	}
	ctx := context.Background()
	now := time.Now()
	for _, p := range paths {
		var data []byte
		timeIt("read", 0, func() { data, _ = os.ReadFile(p) })
		size := int64(len(data))
		stages["read"].bytes += size
		timeIt("sha256", size, func() { sha256.Sum256(data) })
		var mime string
		timeIt("mime", size, func() { mime = mimetype.Detect(data).String() })
		var md meta.Metadata
		timeIt("metadata", size, func() { md = meta.Read(bytes.NewReader(data), size, mime) })
		if strings.HasPrefix(mime, "image/") {
			timeIt("image hash", size, func() {
				imagehash.HashImage(ctx, data, mime, md.Orientation, imagehash.DecodeLimits{})
			})
		}
		timeIt("timestamp", size, func() {
			timestamp.Determine(timestamp.Input{Path: p, RelPath: strings.TrimPrefix(p, root+"/"), Camera: md.Camera(), Embedded: md.Candidates},
				timestamp.Options{Now: now})
		})
	}
	fmt.Printf("%-11s %8s %10s %10s %12s %10s\n", "stage", "files", "seconds", "files/s", "MB/s", "heap MB")
	for _, n := range order {
		s := stages[n]
		sec := s.took.Seconds()
		fmt.Printf("%-11s %8d %10.3f %10.1f %12.1f %10.0f\n", n, s.files, sec,
			float64(s.files)/max(sec, 1e-9), float64(s.bytes)/1e6/max(sec, 1e-9), float64(s.peak)/1e6)
	}
}
