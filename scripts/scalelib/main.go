package main

import (
	"bufio"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"time"
)

const (
	width, height = 320, 240
	baseW, baseH  = 480, 360 // a crop of 320x240 moves over 160x120 offsets
	bases         = 300
	perFolder     = 100
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: scalelib N OUT")
		os.Exit(2)
	}
	n, err := strconv.Atoi(os.Args[1])
	if err != nil || n <= 0 {
		fmt.Fprintln(os.Stderr, "scalelib: N must be a positive number")
		os.Exit(2)
	}
	if err := build(n, os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "scalelib:", err)
		os.Exit(1)
	}
}

// build writes files 0..n-1 with one worker per core; file i is always the
// same picture, so a library can be rebuilt identically.
func build(n int, out string) error {
	bs := make([]*image.RGBA, bases)
	for i := range bs {
		bs[i] = makeBase(uint64(i))
	}
	workers := runtime.NumCPU()
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			img := image.NewRGBA(image.Rect(0, 0, width, height))
			for i := w; i < n; i += workers {
				if err := writeOne(out, i, bs, img); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// makeBase is a smooth two-colour gradient with a few soft blobs.
func makeBase(seed uint64) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, 1))
	img := image.NewRGBA(image.Rect(0, 0, baseW, baseH))
	c0 := [3]float64{r.Float64() * 255, r.Float64() * 255, r.Float64() * 255}
	c1 := [3]float64{r.Float64() * 255, r.Float64() * 255, r.Float64() * 255}
	fx, fy := r.Float64()*0.05+0.005, r.Float64()*0.05+0.005
	for y := range baseH {
		for x := range baseW {
			t := 0.5 + 0.25*(sinApprox(float64(x)*fx)+sinApprox(float64(y)*fy))
			i := img.PixOffset(x, y)
			for c := range 3 {
				img.Pix[i+c] = uint8(c0[c]*(1-t) + c1[c]*t)
			}
			img.Pix[i+3] = 255
		}
	}
	return img
}

// sinApprox is a triangle wave in [-1, 1]: smooth enough, and fast.
func sinApprox(v float64) float64 {
	f := v/6.283185 - float64(int(v/6.283185))
	if f < 0.5 {
		return 4*f - 1
	}
	return 3 - 4*f
}

func writeOne(out string, i int, bs []*image.RGBA, img *image.RGBA) error {
	r := rand.New(rand.NewPCG(uint64(i), 2))
	base := bs[r.IntN(len(bs))]
	ox, oy := r.IntN(baseW-width), r.IntN(baseH-height)
	for y := range height {
		copy(img.Pix[y*img.Stride:y*img.Stride+width*4], base.Pix[(oy+y)*base.Stride+ox*4:])
	}
	for range 5 {
		fill(img, r)
	}
	when := time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * 37 * time.Minute)
	dir := filepath.Join(out, fmt.Sprintf("%04d", i/perFolder/100), fmt.Sprintf("%06d", i/perFolder))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	path := filepath.Join(dir, fmt.Sprintf("IMG_%s_%07d.jpg", when.Format("20060102_150405"), i))
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if err := jpeg.Encode(w, img, &jpeg.Options{Quality: 80}); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Chtimes(path, when, when)
}

// fill draws one seeded rectangle of a flat colour.
func fill(img *image.RGBA, r *rand.Rand) {
	x0, y0 := r.IntN(width), r.IntN(height)
	x1, y1 := min(width, x0+20+r.IntN(120)), min(height, y0+20+r.IntN(90))
	c := color.RGBA{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255}
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			i := img.PixOffset(x, y)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
		}
	}
}
