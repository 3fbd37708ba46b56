package limits

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestMemoryBudgetBlocksUntilFreed(t *testing.T) {
	b := NewMemoryBudget(100)
	ctx := context.Background()
	r1, _ := b.Acquire(ctx, 60, nil)
	got := make(chan struct{})
	go func() {
		r2, err := b.Acquire(ctx, 50, nil)
		if err != nil {
			t.Error(err)
			return
		}
		close(got)
		r2()
	}()
	select {
	case <-got:
		t.Fatal("acquired 50 while 60 of 100 were held")
	case <-time.After(50 * time.Millisecond):
	}
	r1()
	select {
	case <-got:
	case <-time.After(2 * time.Second):
		t.Fatal("not admitted after release")
	}
}

func TestMemoryBudgetOversizeAlone(t *testing.T) {
	b := NewMemoryBudget(100)
	ctx := context.Background()
	r1, _ := b.Acquire(ctx, 10, nil)
	got := make(chan func())
	go func() {
		r, _ := b.Acquire(ctx, 1000, nil) // more than the whole budget
		got <- r
	}()
	select {
	case <-got:
		t.Fatal("oversize request admitted while memory was held")
	case <-time.After(50 * time.Millisecond):
	}
	r1()
	r := <-got
	if b.InUse() != 100 {
		t.Errorf("oversize holds %d, want the whole budget", b.InUse())
	}
	r()
	r() // idempotent
	if b.InUse() != 0 {
		t.Errorf("in use %d", b.InUse())
	}
}

func TestMemoryBudgetCancel(t *testing.T) {
	b := NewMemoryBudget(100)
	r1, _ := b.Acquire(context.Background(), 100, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if _, err := b.Acquire(ctx, 1, nil); err == nil {
		t.Fatal("acquired from a full budget")
	}
	r1()
	if b.InUse() != 0 {
		t.Errorf("in use %d after cancel and release", b.InUse())
	}
	// A cancelled waiter at the head must not block those behind it.
	r2, _ := b.Acquire(context.Background(), 90, nil)
	ctx2, cancel2 := context.WithCancel(context.Background())
	errc := make(chan error)
	go func() { _, err := b.Acquire(ctx2, 50, nil); errc <- err }()
	time.Sleep(20 * time.Millisecond)
	okc := make(chan struct{})
	go func() { r, _ := b.Acquire(context.Background(), 10, nil); close(okc); r() }()
	time.Sleep(20 * time.Millisecond)
	cancel2()
	if err := <-errc; err == nil {
		t.Error("cancelled waiter got memory")
	}
	select {
	case <-okc:
	case <-time.After(2 * time.Second):
		t.Fatal("waiter behind a cancelled one never admitted")
	}
	r2()
}

func TestMemoryBudgetStress(t *testing.T) {
	b := NewMemoryBudget(1000)
	var inUse, worst atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				n := int64((i*37+j*11)%400 + 1)
				r, err := b.Acquire(context.Background(), n, nil)
				if err != nil {
					t.Error(err)
					return
				}
				v := inUse.Add(n)
				for {
					w := worst.Load()
					if v <= w || worst.CompareAndSwap(w, v) {
						break
					}
				}
				inUse.Add(-n)
				r()
			}
		}(i)
	}
	wg.Wait()
	if worst.Load() > 1000 {
		t.Errorf("%d held at once", worst.Load())
	}
	if b.InUse() != 0 {
		t.Errorf("in use %d", b.InUse())
	}
}

func TestMemoryBudgetNil(t *testing.T) {
	var b *MemoryBudget
	r, err := b.Acquire(context.Background(), 1<<40, nil)
	if err != nil {
		t.Fatal(err)
	}
	r()
}
