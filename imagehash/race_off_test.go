//go:build !race

package imagehash

// raceBuild: the race detector is on (go test -race), which changes what
// some code allocates.
const raceBuild = false
