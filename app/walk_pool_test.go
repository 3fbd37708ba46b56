package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
)

// walkTree makes folders three deep, files in each, and returns its root.
func walkTree(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for a := range 6 {
		for b := range 5 {
			dir := filepath.Join(root, fmt.Sprintf("a%d", a), fmt.Sprintf("b%d", b), "c")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			for f := range 4 {
				for _, d := range []string{dir, filepath.Dir(dir)} {
					if err := os.WriteFile(filepath.Join(d, fmt.Sprintf("IMG_%d.jpg", f)), []byte{byte(f)}, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
	return root
}

// Folders listed by several walkers give the listing one walker gives, every
// file once.
func TestWalkersListEveryFileOnce(t *testing.T) {
	root := walkTree(t)
	list := func(workers int) []string {
		w := walker{ctx: context.Background(), reals: []string{root}}
		out, err := w.walk(root, root, workers)
		if err != nil {
			t.Fatal(err)
		}
		var rels []string
		for _, l := range out {
			rels = append(rels, l.RelPath)
		}
		slices.Sort(rels)
		return rels
	}
	one := list(1)
	if len(one) != 6*5*4*2 || len(slices.Compact(slices.Clone(one))) != len(one) {
		t.Fatalf("one walker listed %d files (want %d, each once)", len(one), 6*5*4*2)
	}
	for _, n := range []int{2, 4, 16} {
		if got := list(n); !slices.Equal(got, one) {
			t.Errorf("%d walkers listed %d files, one walker %d", n, len(got), len(one))
		}
	}
}

// A pause asked while several walkers list ends the walk with its error,
// and every walker returns.
func TestWalkersStopTogether(t *testing.T) {
	root := walkTree(t)
	var asked atomic.Int64
	w := walker{ctx: context.Background(), reals: []string{root}, stop: func() error {
		if asked.Add(1) > 40 {
			return errListingPaused
		}
		return nil
	}}
	out, err := w.walk(root, root, 4)
	if !errors.Is(err, errListingPaused) || out != nil {
		t.Fatalf("got %d listed and %v, want the pause", len(out), err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w = walker{ctx: ctx, reals: []string{root}}
	if _, err := w.walk(root, root, 4); !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled walk: %v", err)
	}
}
