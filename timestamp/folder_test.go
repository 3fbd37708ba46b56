package timestamp

import (
	"testing"

	"shoebox/media"
)

func TestFolderCandidate(t *testing.T) {
	for _, tc := range []struct{ rel, want string }{
		{"2019/05/21/IMG_1234.JPG", "2019-05-21"},
		{"Pictures/2019/05/21/x/IMG_1234.JPG", "2019-05-21"},
		{"2019/05/IMG_1234.JPG", "2019"},
		{"2019-05-21 Trip/IMG_1234.JPG", "2019-05-21"},
		{"20190521_Trip/IMG_1234.JPG", "2019-05-21"},
		{"2018/2019-05-21 Trip/IMG_1234.JPG", "2019-05-21"}, // the more precise folder wins
		{"Takeout/Google Photos/Photos from 2002/IMG_1234.JPG", "2002"},
		{"2002/IMG_1234.JPG", "2002"},
		{"Trips/Italy 2019 summer/IMG_1234.JPG", ""}, // a year inside words is too loose
		{"2019/13/40/IMG_1234.JPG", "2019"},          // not a month/day: year only
		{"2019-02-30 Party/IMG_1234.JPG", ""},        // 30 February
		{"IMG_1234.JPG", ""},                         // the file name is not a folder
		{"2019-05-21.jpg", ""},
		{"12345/IMG_1234.JPG", ""},
	} {
		c, ok := folderCandidate(tc.rel)
		if got := c.Value; (tc.want == "") == ok || got != tc.want {
			t.Errorf("folderCandidate(%q) = %q, %v; want %q", tc.rel, got, ok, tc.want)
		}
		if ok && (c.Kind != media.KindFolder || c.Source != media.SourceFolder || c.Detail == "") {
			t.Errorf("%q: %+v", tc.rel, c)
		}
	}
}
