package testimg

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// PhotoDir is the folder of the committed photo fixtures
// (imagehash/testdata/images), found from this source file so that the tests
// of any package can read them.
func PhotoDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "imagehash", "testdata", "images")
}

// Photo reads one photo fixture, such as "a-420.jpg".
func Photo(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(PhotoDir(), name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
