package limits

import "testing"

func TestHeapSoftLimitScalesWithTheMachine(t *testing.T) {
	for _, tc := range []struct {
		total uint64
		want  int64
	}{
		{512 << 20, MinHeapSoftLimit}, // a small machine: the floor
		{4 << 30, 2 << 30},
		{64 << 30, 32 << 30}, // a large machine: never met by a job that fits
	} {
		if got := HeapSoftLimit(tc.total); got != tc.want {
			t.Errorf("HeapSoftLimit(%d) = %d, want %d", tc.total, got, tc.want)
		}
	}
	if total, ok := PhysicalMemory(); ok && total < 64<<20 {
		t.Errorf("PhysicalMemory says %d bytes", total)
	}
}
