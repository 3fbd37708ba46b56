package app

import (
	"bytes"
	"container/list"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// ThumbnailOptions bound the thumbnails Library.Thumbnail keeps. Zero
// values mean the defaults.
type ThumbnailOptions struct {
	// Dir is the folder of the thumbnails cached on disk, named by the
	// content they show (SHA-256 and size), so a file seen again, moved or
	// copied costs a read of a small JPEG. Default: "library.db-thumbnails"
	// beside the library file (LIBRARY-thumbnails: named after the library,
	// so a scan of the folder holding the library leaves it out, as it
	// leaves out the library's other files).
	Dir string
	// DiskBytes bounds Dir: past it the files used longest ago go.
	// Default 256 MiB; negative: nothing is cached on disk.
	DiskBytes int64
	// MemoryBytes bounds the decoded thumbnails kept in memory (4 bytes a
	// pixel), the ones a person scrolls back to. Default 48 MiB.
	MemoryBytes int64
}

const (
	defaultThumbDiskBytes   = 256 << 20
	defaultThumbMemoryBytes = 48 << 20
)

// thumbCache is the two layers in front of the decoders: memory (least
// recently used first out) and disk (oldest modification time first out;
// a hit touches the file). Safe for concurrent use.
type thumbCache struct {
	once sync.Once
	opt  ThumbnailOptions

	mu       sync.Mutex
	mem      map[string]*list.Element
	order    *list.List // of *memThumb, most recent at the front
	memBytes int64
	disk     int64 // bytes in Dir; -1 until measured

	tools chan struct{} // one external decoder at a time (thumbtools.go)
}

type memThumb struct {
	key  string
	img  image.Image
	cost int64
}

func (c *thumbCache) init(libPath string, opt ThumbnailOptions) {
	c.once.Do(func() {
		if opt.Dir == "" {
			opt.Dir = libPath + "-thumbnails"
		}
		if opt.DiskBytes == 0 {
			opt.DiskBytes = defaultThumbDiskBytes
		}
		if opt.MemoryBytes <= 0 {
			opt.MemoryBytes = defaultThumbMemoryBytes
		}
		c.opt = opt
		c.mem = map[string]*list.Element{}
		c.order = list.New()
		c.disk = -1
		c.tools = make(chan struct{}, 1)
	})
}

// thumbKey names a thumbnail by content and size; "" when the content is
// unknown (never cached).
func thumbKey(sha string, size int64, side int) string {
	if len(sha) != 64 || strings.ContainsAny(sha, `/\.`) {
		return ""
	}
	return fmt.Sprintf("%s-%d-%d", sha, size, side)
}

func (c *thumbCache) path(key string) string {
	return filepath.Join(c.opt.Dir, key[:2], key+".jpg")
}

// get looks in memory, then on disk.
func (c *thumbCache) get(key string) (image.Image, bool) {
	c.mu.Lock()
	if e, ok := c.mem[key]; ok {
		c.order.MoveToFront(e)
		img := e.Value.(*memThumb).img
		c.mu.Unlock()
		return img, true
	}
	c.mu.Unlock()
	if c.opt.DiskBytes < 0 {
		return nil, false
	}
	p := c.path(key)
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, false
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		_ = os.Remove(p) // a torn or foreign file: made again
		return nil, false
	}
	now := time.Now()
	_ = os.Chtimes(p, now, now) // used now: evicted last
	c.remember(key, img)
	return img, true
}

// remember keeps img in memory, dropping the least recently used past the bound.
func (c *thumbCache) remember(key string, img image.Image) {
	b := img.Bounds()
	cost := int64(b.Dx()) * int64(b.Dy()) * 4
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.mem[key]; ok {
		c.order.MoveToFront(e)
		return
	}
	c.mem[key] = c.order.PushFront(&memThumb{key: key, img: img, cost: cost})
	c.memBytes += cost
	for c.memBytes > c.opt.MemoryBytes && c.order.Len() > 1 {
		last := c.order.Back()
		m := last.Value.(*memThumb)
		c.order.Remove(last)
		delete(c.mem, m.key)
		c.memBytes -= m.cost
	}
}

// put keeps img in memory and writes it to disk (written whole under a
// temporary name, then renamed, so a reader never sees half a file). A
// cache that cannot be written only costs the next decode.
func (c *thumbCache) put(key string, img image.Image) {
	c.remember(key, img)
	if c.opt.DiskBytes < 0 {
		return
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		return
	}
	p := c.path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".thumb-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(buf.Bytes())
	if cerr := tmp.Close(); werr != nil || cerr != nil || os.Rename(tmp.Name(), p) != nil {
		_ = os.Remove(tmp.Name())
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.disk < 0 {
		c.disk = dirBytes(c.opt.Dir) // includes the file just written
	} else {
		c.disk += int64(buf.Len())
	}
	if c.disk > c.opt.DiskBytes {
		c.disk = evictOldest(c.opt.Dir, c.opt.DiskBytes*9/10)
	}
}

type cachedFile struct {
	path string
	size int64
	mod  time.Time
}

func cachedFiles(dir string) []cachedFile {
	var out []cachedFile
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".jpg") {
			return nil
		}
		if fi, err := d.Info(); err == nil {
			out = append(out, cachedFile{p, fi.Size(), fi.ModTime()})
		}
		return nil
	})
	return out
}

func dirBytes(dir string) int64 {
	var n int64
	for _, f := range cachedFiles(dir) {
		n += f.size
	}
	return n
}

// evictOldest removes the files used longest ago until the folder holds at
// most target bytes, and returns what it then holds.
func evictOldest(dir string, target int64) int64 {
	files := cachedFiles(dir)
	sort.Slice(files, func(a, b int) bool { return files[a].mod.Before(files[b].mod) })
	var total int64
	for _, f := range files {
		total += f.size
	}
	for _, f := range files {
		if total <= target {
			break
		}
		if err := os.Remove(f.path); err == nil || errors.Is(err, fs.ErrNotExist) {
			total -= f.size
		}
	}
	return total
}
