package timestamp

import (
	"testing"

	"shoebox/datetime"
	"shoebox/media"
)

func FuzzParseFilenameTime(f *testing.F) {
	for _, p := range namePatterns {
		f.Add(p.Example)
	}
	for _, s := range []string{"DSC_0042.JPG", "IMG_20190230_120000.jpg", "Screen Shot 2019-07-04 at 13.05.09 PM.png", "FB_IMG_9999999999999.jpg", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		c, ok := parseFilenameTime(name)
		if !ok {
			if c != (media.Candidate{}) {
				t.Fatalf("no date but a candidate: %+v", c)
			}
			return
		}
		v, vok := datetime.ParseValue(c.Value)
		if !vok || !v.CalendarOK() {
			t.Fatalf("%q gave an invalid value %q", name, c.Value)
		}
		if (v.Prec == datetime.PrecTime) != (c.Kind == media.KindFilenameTime) || c.Source != media.SourceFilename {
			t.Fatalf("%q: kind %s for value %q", name, c.Kind, c.Value)
		}
		if v.String() != c.Value {
			t.Fatalf("%q: value %q does not round-trip (%q)", name, c.Value, v.String())
		}
		if c2, _ := parseFilenameTime(name); c2 != c {
			t.Fatalf("not deterministic: %+v vs %+v", c, c2)
		}
	})
}
