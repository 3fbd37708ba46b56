package limits

// HeapSoftLimit is the Go heap's soft limit for a machine with total bytes
// of memory: half of it, and never less than MinHeapSoftLimit.
//
// A soft limit makes the collector work harder as the heap nears it. Set far
// below what a job needs (224 MiB was tried: a report of a million files
// holds GBs), the collector runs flat out for the whole job: `report` took 30
// s instead of 13, `dups` 54 s instead of 37. Set at half the machine, it is
// never met by a job that fits, where the default pacing (GOGC) alone runs
// the collector, and it holds the heap back only where the machine would
// otherwise start to swap. The memory the analysis holds is bounded apart
// from it, by MemoryBudget.
func HeapSoftLimit(total uint64) int64 {
	return max(int64(total/2), MinHeapSoftLimit)
}

// MinHeapSoftLimit is the least soft limit HeapSoftLimit gives, for machines
// with little memory: what the analysis's decode budget needs with room for
// the collector's pacing.
const MinHeapSoftLimit = 512 << 20
