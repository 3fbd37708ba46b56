package near

import (
	"os/exec"
	"strings"
	"testing"
)

// near deals in hashes and IDs: it must link no parser, no decoder and no
// store record, directly or through a dependency.
func TestNearImportsNoParserNoDecoder(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not on PATH")
	}
	out, err := exec.Command("go", "list", "-deps", "shoebox/near").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 5 {
		t.Fatalf("go list printed too little to trust: %q", out)
	}
	forbidden := []string{"shoebox/processing", "shoebox/meta", "shoebox/imagehash", "shoebox/store",
		"golang.org/x/image", "goexif", "mimetype"}
	for _, d := range deps {
		for _, f := range forbidden {
			if strings.Contains(d, f) {
				t.Errorf("near depends on %s", d)
			}
		}
	}
}
