// Package limits bounds what a scan may take: the memory its decodes hold
// together (MemoryBudget) and the running time each file may take (RunClock,
// one FileClock per file, Watch). The two meet in one place, said in code: a
// file's analysis hands its FileClock to MemoryBudget.Acquire (as a Waiter),
// which stops the clock while the file waits for memory another file holds.
package limits
