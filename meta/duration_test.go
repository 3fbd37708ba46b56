package meta

import (
	"bytes"
	"testing"
	"time"
)

// A video's length comes from its mvhd (duration / timescale), in both box
// versions: the window shows it on a video's placeholder.
func TestVideoDurationFromMvhd(t *testing.T) {
	for name, c := range map[string]struct {
		data []byte
		mime string
	}{"mp4 (mvhd v0)": {mp4Fixture(), "video/mp4"}, "mov (mvhd v1)": {movFixture(), "video/quicktime"}} {
		md := Read(bytes.NewReader(c.data), int64(len(c.data)), c.mime)
		if md.Duration != time.Second { // the fixtures' 600 units of 1/600 s
			t.Errorf("%s: duration %v, want 1s (problems %v)", name, md.Duration, md.Problems)
		}
	}
}
