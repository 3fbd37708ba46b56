package timestamp

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"shoebox/internal/testproc"
	"shoebox/media"
	"shoebox/meta"
)

// tzReport is what one process computes from the fixtures; it must not depend
// on the machine's time zone.
func tzReport(t *testing.T) string {
	var out []string
	files, _ := filepath.Glob(filepath.Join(fixtureDir, "*"))
	for _, f := range files {
		if strings.HasSuffix(f, ".md") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		md := meta.Read(bytes.NewReader(data), int64(len(data)), "")
		ts := Determine(Input{Path: "/nonexistent/" + filepath.Base(f), RelPath: "2019/07/04/" + filepath.Base(f),
			ModTime: time.Unix(1562247012, 0), Camera: md.Camera(), Embedded: md.Candidates}, Options{Now: testNow})
		b, _ := json.Marshal(struct {
			F  string
			TS media.Timestamp
			T  string
		}{filepath.Base(f), ts, ts.Time.Format(time.RFC3339Nano)})
		out = append(out, string(b))
	}
	c, _ := parseFilenameTime("FB_IMG_1491937645123.jpg")
	out = append(out, c.Value)
	return strings.Join(out, "\n")
}

// TestTimezoneIndependence re-executes this test under TZ=Asia/Tokyo and
// TZ=America/New_York and compares what both processes report.
func TestTimezoneIndependence(t *testing.T) {
	if os.Getenv("SHOEBOX_TZ_CHILD") != "" {
		os.Stdout.WriteString("TZREPORT-BEGIN\n" + tzReport(t) + "\nTZREPORT-END\n")
		return
	}
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	run := func(tz string) string {
		code, s, stderr := testproc.Run(t, "TestTimezoneIndependence", nil, "SHOEBOX_TZ_CHILD=1", "TZ="+tz)
		if code != 0 {
			t.Fatalf("child TZ=%s: exit %d\n%s%s", tz, code, s, stderr)
		}
		i, j := strings.Index(s, "TZREPORT-BEGIN\n"), strings.Index(s, "\nTZREPORT-END")
		if i < 0 || j < i {
			t.Fatalf("child TZ=%s printed no report:\n%s", tz, s)
		}
		return s[i+len("TZREPORT-BEGIN\n") : j]
	}
	tokyo, ny := run("Asia/Tokyo"), run("America/New_York")
	if tokyo != ny {
		t.Errorf("results differ by machine time zone:\nTokyo:\n%s\nNew York:\n%s", tokyo, ny)
	}
	// And they are the values the bytes say, not shifted by either zone.
	for _, want := range []string{`"Value":"2019-07-04T15:30:12.123+02:00"`, `"Value":"2019-07-04T13:30:12Z"`, "2017-04-11T19:07:25.123Z"} {
		if !strings.Contains(tokyo, want) {
			t.Errorf("report lacks %s:\n%s", want, tokyo)
		}
	}
	if strings.Count(tokyo, "\n") < 10 {
		t.Errorf("report too short:\n%s", tokyo)
	}
}
